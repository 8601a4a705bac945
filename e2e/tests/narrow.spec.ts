import { expect, test, type Browser, type Page } from '@playwright/test';
import { createWorkspace, op } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// The console in a narrow window: at 1024 px everything is still there, on a
// phone (390 px) the menu folds behind a button and lists become cards.
// Also the dossiers list and its create dialog (a second dossier with the same
// SIRET is flagged first), and a long dossier name in the switcher.

const person = {
  firstName: 'Marc',
  lastName: 'Lefèvre',
  email: 'marc.lefevre@example.test',
  password: 'Un cabinet comptable à Lyon',
  organization: 'Cabinet Lefèvre',
};
const long = 'Société Civile Immobilière des Propriétaires Réunis du Quartier de la Croix-Rousse';

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('narrow');
});
test.afterAll(async () => {
  await server?.stop();
});

const nav = (page: Page) => page.getByRole('navigation', { name: 'Menu principal' });

/** Léa accepts her invitation from the link the outbox keeps (no mail server here). */
async function leaJoins(page: Page, browser: Browser) {
  await op(page, 'invitations.create', {
    email: 'lea.roux@example.test', firstName: 'Léa', lastName: 'Roux', jobTitle: 'Comptable', employeeRef: '', roleIds: [], rights: ['tasks.view'], language: 'fr',
  });
  const link = ((await op(page, 'outbox.list')).items as { link: string }[]).find((m) => m.link.includes('invitation'))!.link;
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.goto(link);
  await p.getByLabel('Nouveau mot de passe').fill('Une rivière tranquille en été');
  await p.getByRole('button', { name: 'Créer un compte' }).click();
  await expect(p.getByRole('navigation', { name: 'Menu principal' })).toBeVisible();
  await ctx.close();
}

async function shoot(page: Page, width: number, name: string) {
  await page.setViewportSize({ width, height: width < 500 ? 844 : 768 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `screenshots/narrow-${width}-${name}.png`, fullPage: true });
}

test('dossiers: the SIRET of one already followed is flagged before a second is created', async ({ page, browser }) => {
  await createWorkspace(page, server.url, person, { search: 'Paris', option: 'Europe / Paris' });
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();
  await op(page, 'company.update', {
    legalName: 'CABINET LEFEVRE SARL', siret: '44306184100047', vat: '', address: '', postalCode: '', city: '', country: '', mobilePhone: '', companyPhone: '',
  });
  await op(page, 'orgs.create', { name: long, website: '', timezone: 'Europe/Paris', siret: '', confirmDuplicate: false });
  await leaJoins(page, browser);
  await op(page, 'tasks.create', { id: '', title: 'Déclaration de TVA de novembre', dueDate: '2026-12-15', assigneeId: '', repeat: 'monthly' });

  await nav(page).getByRole('link', { name: 'Organisations' }).click();
  await expect(page.getByRole('textbox', { name: /identifiant/i })).toHaveCount(0);
  await page.getByRole('button', { name: 'Créer une organisation' }).click();
  const dialog = page.getByRole('dialog', { name: 'Créer une organisation' });
  await dialog.getByRole('textbox', { name: 'Nom' }).fill('Lefèvre Conseil');
  const siret = dialog.getByRole('textbox', { name: /SIRET/ });
  await siret.fill('443 061 841 00048');
  await dialog.getByRole('button', { name: "Créer l'organisation" }).click();
  await expect(dialog.getByText("Ce numéro SIRET n'existe pas")).toBeVisible();
  await siret.fill('443 061 841 00047');
  await dialog.getByRole('button', { name: "Créer l'organisation" }).click();
  const warning = dialog.getByRole('alert');
  await expect(warning).toContainText('Un de vos dossiers a déjà le SIRET 443 061 841 00047');
  await page.screenshot({ path: 'screenshots/narrow-1280-orgs-duplicate-siret.png' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'screenshots/narrow-390-orgs-duplicate-siret.png' });
  await page.setViewportSize({ width: 1280, height: 860 });
  await warning.getByRole('button', { name: 'Créer quand même' }).click();
  await expect(dialog).toBeHidden();
  const table = page.getByRole('table', { name: 'Organisations' });
  await expect(table.getByRole('row', { name: /Lefèvre Conseil/ })).toContainText('SIRET 443 061 841 00047');

  // Long names in the switcher are cut with an ellipsis, inside its menu too.
  await page.getByTestId('org-switcher').click();
  await expect(page.getByRole('menuitem', { name: new RegExp(long.slice(0, 30)) })).toBeVisible();
  await page.screenshot({ path: 'screenshots/narrow-1280-switcher-long-name.png' });
  const text = await page.getByRole('menuitem', { name: new RegExp(long.slice(0, 30)) }).getByText(long).boundingBox();
  const menu = await page.getByRole('menu').boundingBox();
  expect(text!.x + text!.width).toBeLessThanOrEqual(menu!.x + menu!.width);
  await page.getByRole('menuitem', { name: new RegExp(long.slice(0, 30)) }).click();
  const switcher = await page.getByTestId('org-switcher').boundingBox();
  expect(switcher!.width).toBeLessThanOrEqual(321);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'screenshots/narrow-390-switcher-long-name.png' });
  const header = await page.getByRole('banner').boundingBox();
  const small = await page.getByTestId('org-switcher').boundingBox();
  expect(small!.x + small!.width).toBeLessThanOrEqual(header!.width);
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.getByTestId('org-switcher').click();
  await page.getByRole('menuitem', { name: /Cabinet Lefèvre/ }).click();
  await expect(page.getByTestId('org-switcher')).toContainText('Cabinet Lefèvre');

  // The lists at 1024 and 390 px.
  for (const [link, name] of [['Utilisateurs', 'members'], ['Organisations', 'orgs'], ['Historique', 'history'], ['Tâches', 'tasks']]) {
    await page.setViewportSize({ width: 1280, height: 860 });
    await nav(page).getByRole('link', { name: link }).click();
    await expect(page.getByRole('heading', { name: link, level: 1 })).toBeVisible();
    await shoot(page, 1024, name);
    await shoot(page, 390, name);
  }
});

test('on a phone, the menu opens from its button and a member opens from the card list', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(server.url);
  await page.getByRole('textbox', { name: 'Adresse e-mail' }).fill(person.email);
  await page.getByRole('textbox', { name: 'Mot de passe' }).fill(person.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();

  // The header keeps the dossier and the account's menu within the phone's width.
  for (const el of [page.getByTestId('org-switcher'), page.getByRole('button', { name: 'Menu de votre compte' })]) {
    await expect(el).toBeInViewport({ ratio: 1 });
  }

  // The menu is folded away until its button is pressed.
  await expect(nav(page)).not.toBeInViewport();
  await page.getByRole('button', { name: 'Ouvrir le menu' }).click();
  await expect(nav(page)).toBeInViewport();
  await page.screenshot({ path: 'screenshots/narrow-390-menu-open.png' });
  await nav(page).getByRole('link', { name: 'Utilisateurs' }).click();
  await expect(nav(page)).not.toBeInViewport(); // choosing a page folds it again
  await expect(page.getByRole('heading', { name: 'Utilisateurs', level: 1 })).toBeVisible();

  // Nothing sticks out sideways: the page is no wider than the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const lea = page.getByRole('listitem', { name: 'Léa Roux' });
  await expect(lea).toContainText('lea.roux@example.test');
  const card = await lea.boundingBox();
  expect(card!.width).toBeLessThanOrEqual(390);
  await lea.click();
  const record = page.getByRole('dialog', { name: 'Fiche du membre' });
  await expect(record).toBeVisible();
  await expect(record.getByRole('textbox', { name: 'Prénom' })).toHaveValue('Léa');
  await expect(page).toHaveURL(/member=/);
  await page.screenshot({ path: 'screenshots/narrow-390-member-record.png' });

  // The tasks list is cards, each value under its column's name.
  await page.getByRole('button', { name: 'Fermer' }).first().click().catch(() => page.keyboard.press('Escape'));
  await page.getByRole('button', { name: 'Ouvrir le menu' }).click();
  await nav(page).getByRole('link', { name: 'Tâches' }).click();
  const row = page.getByRole('table', { name: 'Tâches' }).getByRole('row', { name: /Déclaration de TVA de novembre/ });
  await expect(row.getByRole('cell').nth(1)).toHaveAttribute('data-label', 'Échéance');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
