import { expect, test, type Page } from '@playwright/test';
import { createWorkspace } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// Two tabs of one browser (one session cookie) on two dossiers: a save in a
// tab lands in the organization that tab shows, whichever one another tab
// switched to since. The session only remembers which organization to open first.

const person = {
  firstName: 'Hélène',
  lastName: 'Roux',
  email: 'helene.roux@example.test',
  password: 'Un cabinet comptable en ville',
  organization: 'Pharmacie du Centre',
};
const other = 'Boucherie Lefèvre';

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('two-dossiers');
});
test.afterAll(async () => {
  await server?.stop();
});

const switcher = (page: Page) => page.getByTestId('org-switcher');
const profile = (page: Page) => page.getByRole('region', { name: "Profil de l'entreprise" });
const legalName = (page: Page) => profile(page).getByRole('textbox', { name: 'Raison sociale' });

async function openCompany(page: Page) {
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Entreprise' }).click();
  await expect(profile(page)).toBeVisible();
}

async function switchTo(page: Page, name: string) {
  await switcher(page).click();
  await page.getByRole('menuitem', { name: new RegExp(name) }).click();
  await expect(switcher(page)).toContainText(name);
}

async function saveLegalName(page: Page, value: string) {
  await legalName(page).fill(value);
  await profile(page).getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('Modifications enregistrées').first()).toBeVisible();
}

/** Reloads a tab: it stays on its dossier, and shows what that dossier holds. */
async function expectDossier(page: Page, name: string, legal: string) {
  await page.reload();
  await expect(switcher(page)).toContainText(name);
  await expect(page.getByRole('heading', { name: 'Entreprise', level: 1 })).toBeVisible();
  await expect(legalName(page)).toHaveValue(legal);
}

test('a save lands in the dossier its tab shows, whichever one another tab opened', async ({ page, context }) => {
  test.setTimeout(120_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  await createWorkspace(page, server.url, person);
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Organisations' }).click();
  await page.getByRole('button', { name: 'Créer une organisation' }).click();
  const dialog = page.getByRole('dialog', { name: 'Créer une organisation' });
  await dialog.getByRole('textbox', { name: 'Nom', exact: true }).fill(other);
  await dialog.getByRole('button', { name: "Créer l'organisation" }).click();
  await expect(dialog).toHaveCount(0);

  // Tab 1 shows the pharmacy's company page.
  await expect(switcher(page)).toContainText(person.organization);
  await openCompany(page);
  await expect(legalName(page)).toHaveValue('');

  // Tab 2, same session, opens the butcher's shop.
  const second = await context.newPage();
  second.on('pageerror', (err) => pageErrors.push(err.message));
  await second.goto(server.url);
  await switchTo(second, other);
  await openCompany(second);

  // Tab 1, unaware, saves: the value goes to the pharmacy, not to the shop tab 2 opened.
  await expect(switcher(page)).toContainText(person.organization);
  await saveLegalName(page, 'Pharmacie du Centre SARL');
  await expectDossier(page, person.organization, 'Pharmacie du Centre SARL');
  await expectDossier(second, other, '');

  // The reverse: a third tab opens the pharmacy again (the session now
  // remembers it), and tab 2, still on the shop, saves into the shop.
  const third = await context.newPage();
  third.on('pageerror', (err) => pageErrors.push(err.message));
  await third.goto(server.url);
  await expect(switcher(third)).toContainText(other);
  await switchTo(third, person.organization);
  await third.close();
  await saveLegalName(second, 'Boucherie Lefèvre SAS');
  await expectDossier(second, other, 'Boucherie Lefèvre SAS');
  await expectDossier(page, person.organization, 'Pharmacie du Centre SARL');

  // A new tab opens the organization the session remembers, with what it holds.
  const fourth = await context.newPage();
  await fourth.goto(server.url);
  await expect(switcher(fourth)).toContainText(person.organization);
  await openCompany(fourth);
  await expect(legalName(fourth)).toHaveValue('Pharmacie du Centre SARL');
  expect(pageErrors).toEqual([]);
});
