import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { startServer, type AtriumServer } from '../server';

// The first journey through the console, as a person would take it:
// B1 first run, sign-out / sign-in, A1 profile section with a field error, A4 language.

const person = {
  firstName: 'Camille',
  lastName: 'Durand',
  email: 'camille.durand@example.test',
  password: 'Un jardin fleuri en avril',
  organization: 'Cabinet Durand & Associés',
};

let shot = 0;
async function screenshot(page: Page, name: string) {
  shot += 1;
  await page.screenshot({ path: `screenshots/${String(shot).padStart(2, '0')}-${name}.png`, fullPage: false });
}

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('first-run-journey');
});
test.afterAll(async () => {
  await server?.stop();
});

test('first run, sign in, profile with validation, language', async ({ page, browser }) => {
  const url = server.url;
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  // --- B1: the first run creates the workspace -------------------------------
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Créer votre espace' })).toBeVisible();
  await screenshot(page, 'first-run');

  await page.getByRole('textbox', { name: 'Prénom', exact: true }).fill(person.firstName);
  await page.getByRole('textbox', { name: 'Nom', exact: true }).fill(person.lastName);
  await page.getByRole('textbox', { name: 'Adresse e-mail', exact: true }).fill(person.email);
  await page.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill(person.password);
  await page.getByRole('textbox', { name: 'Nom de votre entreprise', exact: true }).fill(person.organization);
  const zone = page.getByRole('combobox', { name: 'Fuseau horaire' });
  await zone.click();
  await zone.fill('Brussels');
  await page.getByRole('option', { name: 'Europe / Brussels' }).click();
  await expect(zone).toHaveValue('Europe / Brussels');
  await screenshot(page, 'first-run-filled');
  await page.getByRole('button', { name: 'Créer mon espace' }).click();

  // Lands in the shell, signed in, on "Accueil".
  await expect(page.getByRole('navigation', { name: 'Menu principal' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Menu de votre compte' })).toContainText(person.organization);
  await screenshot(page, 'shell');

  // The organization was created with the chosen name and timezone, its creator as Admin.
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Entreprise' }).click();
  await expect(page.getByRole('heading', { name: 'Entreprise', level: 1 })).toBeVisible();
  await expect(page.getByText('Europe / Brussels')).toBeVisible();
  await expect(page.getByRole('main').getByText(person.organization)).toBeVisible();

  // --- sign out ---------------------------------------------------------------
  await page.getByRole('button', { name: 'Menu de votre compte' }).click();
  await page.getByRole('menuitem', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();

  // --- a wrong password is refused with a message -----------------------------
  await page.getByRole('textbox', { name: 'Adresse e-mail', exact: true }).fill(person.email);
  await page.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill('pas le bon mot de passe');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Adresse e-mail ou mot de passe incorrect.' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Menu principal' })).toHaveCount(0);
  await screenshot(page, 'sign-in-refused');

  // --- sign in -----------------------------------------------------------------
  await page.getByRole('textbox', { name: 'Adresse e-mail', exact: true }).fill(person.email);
  await page.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('navigation', { name: 'Menu principal' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mon compte' }).click();
  await expect(page.getByRole('heading', { name: 'Mon compte', level: 1 })).toBeVisible();

  // --- A1: an invalid mobile phone gets a field error and is not saved --------
  const contact = page.getByRole('region', { name: 'Coordonnées' });
  const phone = contact.getByRole('textbox', { name: 'Téléphone mobile', exact: true });
  await expect(contact.getByRole('textbox', { name: 'Adresse e-mail', exact: true })).toHaveValue(person.email);
  await phone.fill('06 12');
  await contact.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(contact.getByText('Ce numéro de téléphone n\'est pas valide.')).toBeVisible();
  await expect(phone).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'phone-invalid');

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Mon compte', level: 1 })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Coordonnées' }).getByRole('textbox', { name: 'Téléphone mobile', exact: true })).toHaveValue('');

  // --- A1: a valid phone is saved and shown, also after a reload -------------
  await phone.fill('06 12 34 56 78');
  await contact.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('Modifications enregistrées')).toBeVisible();
  await expect(phone).toHaveValue('06 12 34 56 78');
  await expect(contact.getByRole('button', { name: 'Enregistrer' })).toBeDisabled();
  await page.reload();
  await expect(page.getByRole('region', { name: 'Coordonnées' }).getByRole('textbox', { name: 'Téléphone mobile', exact: true })).toHaveValue('06 12 34 56 78');
  await screenshot(page, 'phone-saved');

  // --- A4: switch the interface to English, applied at once and remembered ----
  const language = page.getByRole('region', { name: "Langue de l'interface" });
  // The radio itself is visually hidden by Mantine's SegmentedControl: click its visible label.
  await language.getByText('English', { exact: true }).click();
  await expect(page.getByRole('region', { name: 'Interface language' }).getByRole('radio', { name: 'English' })).toBeChecked();
  await expect(page.getByRole('heading', { name: 'My account', level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main menu' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Contact details' }).getByRole('textbox', { name: 'Mobile phone', exact: true })).toHaveValue('06 12 34 56 78');
  await screenshot(page, 'english');

  await page.reload();
  await expect(page.getByRole('heading', { name: 'My account', level: 1 })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Interface language' }).getByRole('radio', { name: 'English' })).toBeChecked();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await screenshot(page, 'english-after-reload');

  // A4: the language belongs to the account: a new browser (nothing stored on
  // it) shows the sign-in page in French, then the console in English.
  const other = await browser.newContext({ locale: 'fr-FR' });
  const second = await other.newPage();
  await second.goto(url);
  await expect(second.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await second.getByRole('textbox', { name: 'Adresse e-mail', exact: true }).fill(person.email);
  await second.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill(person.password);
  await second.getByRole('button', { name: 'Se connecter' }).click();
  await expect(second.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible();
  await other.close();

  expect(pageErrors, 'uncaught errors in the page').toEqual([]);

  // --- E2: the history the journey wrote is an intact hash chain --------------
  const out = execFileSync(server.bin, ['audit', 'verify', '--db', server.db], {
    encoding: 'utf8',
  });
  expect(out).toMatch(/history intact: \d+ entries/);
  const entries = Number(/history intact: (\d+) entries/.exec(out)![1]);
  expect(entries).toBeGreaterThanOrEqual(4);
});
