import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from '../axe';
import { op, seedMember } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// Every page of the console, and its dialogs, judged by axe-core in Chromium:
// no serious or critical violation (missing names and labels, contrast, ARIA
// misuse). The pages are walked as an admin would, so each is seen with
// something in it. "Sauvegardes" is the desktop's alone: not served here.

const admin = { first: 'Camille', last: 'Durand', email: 'camille.durand@example.test', password: 'Un jardin fleuri en avril' };
const claire = { first: 'Claire', last: 'Petit', email: 'claire.petit@example.test', password: 'Une rivière tranquille en été' };

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('accessibility');
});
test.afterAll(async () => {
  await server?.stop();
});

let shot = 0;
async function screenshot(page: Page, name: string) {
  shot += 1;
  await page.screenshot({ path: `screenshots/a11y-${String(shot).padStart(2, '0')}-${name}.png`, fullPage: true });
}

test('every page and dialog of the console passes axe-core', async ({ page, browser }) => {
  test.setTimeout(300_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  const nav = page.getByRole('navigation', { name: 'Menu principal' });
  const open = async (link: string, heading: string) => {
    await nav.getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
  };

  // --- first run, empty and with its field errors ------------------------------
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: 'Créer votre espace' })).toBeVisible();
  await expectAccessible(page, 'first run');
  await page.getByRole('button', { name: 'Créer mon espace' }).click();
  await expect(page.locator('[aria-invalid="true"]').first()).toBeVisible();
  await expectAccessible(page, 'first run, fields in error');
  await page.getByRole('textbox', { name: 'Prénom', exact: true }).fill(admin.first);
  await page.getByRole('textbox', { name: 'Nom', exact: true }).fill(admin.last);
  await page.getByRole('textbox', { name: 'Adresse e-mail', exact: true }).fill(admin.email);
  await page.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill(admin.password);
  await page.getByRole('textbox', { name: 'Nom de votre entreprise', exact: true }).fill('Cabinet Durand');
  await expectAccessible(page, 'first run, filled');
  await page.getByRole('button', { name: 'Créer mon espace' }).click();

  // --- Accueil -----------------------------------------------------------------
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();
  seedMember(server.db, { first: claire.first, last: claire.last, email: claire.email, password: claire.password });
  await op(page, 'roles.create', { name: 'Comptable', rights: ['invoices.view'] });
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();
  await expectAccessible(page, 'Accueil');
  await screenshot(page, 'home');
  await page.getByRole('button', { name: 'Menu de votre compte' }).click();
  await expect(page.getByRole('menu')).toBeVisible();
  await expectAccessible(page, 'account menu open');
  await page.keyboard.press('Escape');

  // --- Mon compte, each tab ------------------------------------------------------
  await open('Mon compte', 'Mon compte');
  await expectAccessible(page, 'Mon compte › Profil');
  await page.getByRole('tab', { name: 'Sécurité' }).click();
  await expect(page.getByRole('region', { name: 'Validation en deux étapes' })).toBeVisible();
  await expectAccessible(page, 'Mon compte › Sécurité (password, two-step, devices)');
  const twoStep = page.getByRole('region', { name: 'Validation en deux étapes' });
  await twoStep.getByRole('button', { name: 'Activer la validation en deux étapes' }).click();
  await expect(twoStep.getByRole('img', { name: /QR code/ })).toBeVisible();
  await expectAccessible(page, 'Mon compte › Sécurité, two-step enrolment');
  await page.getByRole('tab', { name: 'Notifications' }).click();
  await expect(page.getByRole('tab', { name: 'Notifications' })).toHaveAttribute('aria-selected', 'true');
  await expectAccessible(page, 'Mon compte › Notifications');
  await open('Mes applications', 'Mes applications');
  await expectAccessible(page, 'Mes applications');

  // --- the organization ----------------------------------------------------------
  await open('Entreprise', 'Entreprise');
  await expectAccessible(page, 'Entreprise');
  await open('Organisations', 'Organisations');
  await expectAccessible(page, 'Organisations (dossiers)');
  await page.getByRole('button', { name: 'Créer une organisation' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectAccessible(page, 'Organisations, create dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
  await open('Applications', 'Applications');
  await expectAccessible(page, 'Applications');

  // --- members -------------------------------------------------------------------
  await open('Utilisateurs', 'Utilisateurs');
  await expect(page.getByRole('listitem', { name: 'Claire Petit' })).toBeVisible();
  await expectAccessible(page, 'Utilisateurs');
  await screenshot(page, 'users');
  await page.getByRole('listitem', { name: 'Claire Petit' }).click();
  const drawer = page.getByRole('dialog', { name: 'Fiche du membre' });
  await expect(drawer.getByRole('heading', { name: 'Claire Petit' })).toBeVisible();
  await expectAccessible(page, 'member record (drawer)');
  await screenshot(page, 'member-drawer');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await page.getByRole('button', { name: 'Inviter' }).click();
  const invite = page.getByRole('dialog', { name: 'Inviter une personne' });
  await expectAccessible(page, 'invite dialog');
  await invite.getByRole('button', { name: "Envoyer l'invitation" }).click();
  await expect(invite.locator('[aria-invalid="true"]').first()).toBeVisible();
  await expectAccessible(page, 'invite dialog, fields in error');
  await invite.getByRole('textbox', { name: 'Adresse e-mail' }).fill('lea.roux@example.test');
  await invite.getByRole('textbox', { name: 'Prénom' }).fill('Léa');
  await invite.getByRole('textbox', { name: 'Nom', exact: true }).fill('Roux');
  await invite.getByRole('button', { name: "Envoyer l'invitation" }).click();
  await expect(invite).toBeHidden();
  await expect(page.getByTestId('pending-invitation')).toContainText('Léa Roux');
  await expectAccessible(page, 'Utilisateurs with a pending invitation');
  await page.getByRole('button', { name: 'Importer des membres' }).click();
  const importer = page.getByRole('dialog', { name: 'Importer des membres' });
  await expectAccessible(page, 'import dialog');
  const file = ['Prénom;Nom;E-mail;Poste', 'Hélène;Dupré;helene.dupre@example.test;Comptable', 'Jean;Dupont;jean.dupont@;Comptable', ''].join('\r\n');
  await importer.locator('input[type=file]').setInputFiles({ name: 'membres.csv', mimeType: 'text/csv', buffer: Buffer.from(file, 'utf8') });
  await expect(importer.getByTestId('import-total-refused')).toHaveText('1 ligne refusée');
  await expectAccessible(page, 'import dialog, dry run');
  await screenshot(page, 'import-dry-run');
  await page.keyboard.press('Escape');
  await expect(importer).toBeHidden();

  // --- roles, tasks, history, outbox -----------------------------------------------
  await open('Rôles', 'Rôles');
  await expectAccessible(page, 'Rôles');
  await page.getByRole('button', { name: 'Créer un rôle' }).click();
  await expect(page.getByRole('dialog', { name: 'Nouveau rôle' })).toBeVisible();
  await expectAccessible(page, 'role dialog');
  await page.keyboard.press('Escape');
  await open('Tâches', 'Tâches');
  await expectAccessible(page, 'Tâches');
  await page.getByRole('button', { name: 'Nouvelle tâche' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectAccessible(page, 'task dialog');
  await page.keyboard.press('Escape');
  await open('Historique', 'Historique');
  await expectAccessible(page, 'Historique');
  await open("Boîte d'envoi", "Boîte d'envoi");
  await expect(page.getByTestId('outbox-message').first()).toBeVisible();
  await expectAccessible(page, "Boîte d'envoi and mail settings");
  const invitation = (await op<{ items: { subject: string; link?: string }[] }>(page, 'outbox.list')).items.find((m) => m.link?.includes('invitation'));
  expect(invitation?.link).toBeTruthy();

  // --- signed out: sign-in, its refusal, forgotten password, the invitation ----------
  const visitor = await browser.newContext({ locale: 'fr-FR' });
  const out = await visitor.newPage();
  out.on('pageerror', (err) => pageErrors.push(err.message));
  await out.goto(server.url);
  await expect(out.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await expectAccessible(out, 'sign-in');
  await out.getByRole('textbox', { name: 'Adresse e-mail' }).fill(admin.email);
  await out.getByRole('textbox', { name: 'Mot de passe' }).fill('pas le bon mot de passe');
  await out.getByRole('button', { name: 'Se connecter' }).click();
  await expect(out.getByRole('alert').filter({ hasText: 'Adresse e-mail ou mot de passe incorrect.' })).toBeVisible();
  await expectAccessible(out, 'sign-in refused');
  await out.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
  await expect(out.getByRole('heading', { level: 1 })).toBeVisible();
  await expectAccessible(out, 'forgotten password');
  await out.goto(invitation!.link!);
  await expect(out.getByRole('heading', { name: 'Rejoindre Cabinet Durand' })).toBeVisible();
  await expectAccessible(out, 'invitation accept');
  await screenshot(out, 'invitation');
  await visitor.close();

  expect(pageErrors).toEqual([]);
});
