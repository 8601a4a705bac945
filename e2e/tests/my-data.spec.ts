import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { createWorkspace } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// "Mes données" (E3): a person downloads a copy of what Atrium keeps about
// them, one JSON file, from "Mon compte › Sécurité".

const person = { firstName: 'Inès', lastName: 'Moreau', email: 'ines.moreau@example.test', password: 'Une péniche rouge sur le canal', organization: 'Moreau Conseil' };

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('my-data');
});
test.afterAll(async () => {
  await server?.stop();
});

test('the card explains, and its button downloads the data as JSON', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await createWorkspace(page, server.url, person);
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();
  await page.goto(`${server.url}/#/account?tab=security`);
  const card = page.getByRole('region', { name: 'Mes données' });
  await expect(card).toContainText("Téléchargez une copie de toutes les informations qu'Atrium garde sur vous, dans un fichier JSON lisible par d'autres logiciels.");
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: 'screenshots/my-data-01-card.png' });

  const download = page.waitForEvent('download');
  await card.getByRole('button', { name: 'Exporter mes données' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^atrium-mes-donnees-\d{4}-\d\d-\d\d\.json$/);
  const data = JSON.parse(readFileSync((await file.path())!, 'utf8'));
  expect(data.format).toBe('atrium.personal-data');
  expect(data.profile.firstName).toBe('Inès');
  expect(data.memberships.map((m: { organizationName: string }) => m.organizationName)).toEqual(['Moreau Conseil']);
  expect(JSON.stringify(data)).not.toMatch(/argon2|passwordHash|tokenHash/i);
  expect(pageErrors).toEqual([]);
});
