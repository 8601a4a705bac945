import { expect, test, type Page } from '@playwright/test';
import { createWorkspace, op } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// A Paris bakery's manager travelling in New York: the dossier's history and
// her devices are told in Paris time, and say so, since her computer is on
// New York time; a New York dossier's history, on her New York computer, needs
// no zone named.
test.use({ locale: 'fr-FR', timezoneId: 'America/New_York' });

const person = {
  firstName: 'Claire',
  lastName: 'Martin',
  email: 'claire.martin@example.test',
  password: 'Une boulangerie rue de Rivoli',
  organization: 'Boulangerie Martin SARL',
};

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('timezones');
});
test.afterAll(async () => {
  await server?.stop();
});

const nav = (page: Page) => page.getByRole('navigation', { name: 'Menu principal' });
const DAY_TIME = String.raw`\d{2}/\d{2}/\d{4} \d{2}:\d{2}`;

/** The newest history entry's moment, written jj/mm/aaaa hh:mm:ss in a zone. */
async function newestEntry(page: Page, zone: string): Promise<string> {
  const h = await op(page, 'history.list', { person: '', action: '', from: '', to: '', search: '', before: 0, limit: 1 });
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone: zone })
      .formatToParts(new Date(h.entries[0].at))
      .map((x) => [x.type, x.value]),
  );
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}`;
}

test('each date is told in its dossier’s or account’s zone, named when it is not the computer’s', async ({ page }) => {
  await createWorkspace(page, server.url, person, { search: 'Paris', option: 'Europe / Paris' });
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();

  // The history of the Paris dossier, in Paris time, named.
  await nav(page).getByRole('link', { name: 'Historique' }).click();
  const history = page.getByRole('table', { name: 'Historique' });
  const first = history.getByRole('row').nth(1).getByRole('cell').nth(1);
  await expect(first).toHaveText(`${await newestEntry(page, 'Europe/Paris')} (heure de Paris)`);
  await page.screenshot({ path: 'screenshots/timezones-01-history-paris.png' });

  // Her devices, in her own zone (her first dossier's), named too.
  await nav(page).getByRole('link', { name: 'Mon compte' }).click();
  await page.getByRole('tab', { name: 'Sécurité' }).click();
  const devices = page.getByRole('region', { name: 'Appareils et sessions' });
  await expect(devices.getByText(new RegExp(`^${DAY_TIME} \\(heure de Paris\\)$`)).first()).toBeVisible();

  // A dossier in New York: its history needs no zone on a New York computer,
  // while her devices stay in her own (Paris) time.
  await op(page, 'orgs.create', { name: 'Bakery NYC', website: '', timezone: 'America/New_York', siret: '', confirmDuplicate: false });
  await page.getByTestId('org-switcher').click();
  await page.getByRole('menuitem', { name: /Bakery NYC/ }).click();
  await expect(page.getByTestId('org-switcher')).toContainText('Bakery NYC');
  await nav(page).getByRole('link', { name: 'Historique' }).click();
  const nyFirst = history.getByRole('row').nth(1).getByRole('cell').nth(1);
  await expect(nyFirst).toHaveText(await newestEntry(page, 'America/New_York'));
  await nav(page).getByRole('link', { name: 'Mon compte' }).click();
  await page.getByRole('tab', { name: 'Sécurité' }).click();
  await expect(devices.getByText(new RegExp(`^${DAY_TIME} \\(heure de Paris\\)$`)).first()).toBeVisible();
  await page.screenshot({ path: 'screenshots/timezones-02-devices.png', fullPage: true });
});
