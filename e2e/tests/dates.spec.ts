import { expect, test } from '@playwright/test';
import { createWorkspace } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// A browser set to American English still shows and takes days as jj/mm/aaaa
// in the French console: the console's language decides, never the browser's.
test.use({ locale: 'en-US', timezoneId: 'America/New_York' });

const person = {
  firstName: 'Hélène',
  lastName: 'Roux',
  email: 'helene.roux@example.test',
  password: 'Un cabinet comptable en ville',
  organization: 'Pharmacie du Centre',
};

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('dates');
});
test.afterAll(async () => {
  await server?.stop();
});

test('date fields read jj/mm/aaaa in French on an English browser', async ({ page }) => {
  await createWorkspace(page, server.url, person);
  const nav = page.getByRole('navigation', { name: 'Menu principal' });

  // A task due on 15 October 2026, typed the French way.
  await nav.getByRole('link', { name: 'Tâches' }).click();
  await page.getByRole('button', { name: 'Nouvelle tâche' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Intitulé' }).fill('Déclaration de TVA');
  const due = dialog.getByRole('textbox', { name: 'Échéance' });
  await expect(due).toHaveAttribute('placeholder', 'jj/mm/aaaa');
  await due.fill('15/10/2026');
  await due.press('Tab');
  await expect(due).toHaveValue('15/10/2026');
  await page.screenshot({ path: 'screenshots/dates-01-task-due.png' });
  await dialog.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('15/10/2026').first()).toBeVisible();

  // The history's filters too.
  await nav.getByRole('link', { name: 'Historique' }).click();
  const from = page.getByRole('textbox', { name: 'Du' });
  await expect(from).toHaveAttribute('placeholder', 'jj/mm/aaaa');
  await from.fill('01/12/2026');
  await from.press('Tab');
  await expect(from).toHaveValue('01/12/2026');
  await from.click();
  await expect(page.getByText('décembre 2026')).toBeVisible(); // the calendar speaks French
  await page.waitForTimeout(400); // the calendar's opening transition, for the screenshot
  await page.screenshot({ path: 'screenshots/dates-02-history.png' });
});
