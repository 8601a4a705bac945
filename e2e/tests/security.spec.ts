import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { createWorkspace } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// Account security: two-step verification (A6) with replay refused and
// a recovery code, signing out another browser (A7), the history and its
// integrity check (E2), and a tampered row named by the check.

const person = {
  firstName: 'Hélène',
  lastName: 'Roussel',
  email: 'helene.roussel@example.test',
  password: 'Des tulipes rouges au balcon',
  organization: 'Roussel Conseil',
};

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of a base32 secret at time t. */
function totp(secret: string, t = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(t / 1000 / 30)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

let shot = 0;
async function screenshot(page: Page, name: string) {
  shot += 1;
  await page.screenshot({ path: `screenshots/security-${String(shot).padStart(2, '0')}-${name}.png`, fullPage: true });
}

async function signIn(page: Page) {
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Adresse e-mail', exact: true }).fill(person.email);
  await page.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { name: 'Validation en deux étapes' })).toBeVisible();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Menu de votre compte' }).click();
  await page.getByRole('menuitem', { name: 'Se déconnecter' }).click();
}

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('security');
});
test.afterAll(async () => {
  await server?.stop();
});

/** Collects what the page's Content-Security-Policy refused (Chromium logs it as an error). */
function watchPolicy(page: Page, refused: string[]) {
  page.on('console', (m) => {
    if (m.type() === 'error' && m.text().includes('Content Security Policy')) refused.push(m.text());
  });
}

test('two-step verification, devices, history and its integrity', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const refused: string[] = [];
  watchPolicy(page, refused);
  await createWorkspace(page, server.url, person);
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mon compte' }).click();
  await expect(page.getByRole('heading', { name: 'Mon compte', level: 1 })).toBeVisible();

  // --- A6: enrol, reading the secret from the page ---------------------------
  await page.getByRole('tab', { name: 'Sécurité' }).click();
  const section = page.getByRole('region', { name: 'Validation en deux étapes' });
  await section.getByRole('button', { name: 'Activer la validation en deux étapes' }).click();
  await expect(section.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secret = (await section.getByTestId('totp-secret').textContent())!.trim();
  await screenshot(page, 'enrolment');
  await section.getByRole('textbox', { name: 'Code à 6 chiffres' }).fill('000000');
  await section.getByRole('button', { name: 'Confirmer' }).click();
  await expect(section.getByText("Ce code n'est pas valide ou a déjà été utilisé.")).toBeVisible();
  await section.getByRole('textbox', { name: 'Code à 6 chiffres' }).fill(totp(secret));
  await section.getByRole('button', { name: 'Confirmer' }).click();
  const codes = (await section.getByTestId('recovery-codes').locator('code').allTextContents()).map((c) => c.trim());
  expect(codes).toHaveLength(10);
  await screenshot(page, 'recovery-codes');
  // Shown once, so they can be kept: downloaded as a text file, copied.
  const [file] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: 'Télécharger (.txt)' }).click()]);
  expect(file.suggestedFilename()).toBe('codes-de-secours-atrium.txt');
  const text = fs.readFileSync((await file.path())!, 'utf8');
  for (const c of codes) expect(text).toContain(c);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await section.getByRole('button', { name: 'Copier' }).click();
  await expect(section.getByRole('button', { name: 'Codes copiés' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(codes.join('\n'));
  await expect(section.getByRole('button', { name: 'Imprimer' })).toBeVisible();
  await section.getByRole('button', { name: "J'ai mis mes codes en lieu sûr" }).click();
  await expect(section.getByText('Activée')).toBeVisible();

  // --- sign out, sign in with a code (the next one: the enrolment used this one) ---
  await signOut(page);
  await signIn(page);
  const code = totp(secret, Date.now() + 30_000);
  await page.getByRole('textbox', { name: 'Code de validation' }).fill(code);
  await screenshot(page, 'second-step');
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mon compte' }).click();
  await expect(page.getByRole('heading', { name: 'Mon compte', level: 1 })).toBeVisible();

  // --- the same code again is refused; a recovery code works -----------------
  await signOut(page);
  await signIn(page);
  await page.getByRole('textbox', { name: 'Code de validation' }).fill(code);
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page.getByText("Ce code n'est pas valide ou a déjà été utilisé.")).toBeVisible();
  await screenshot(page, 'code-replayed');
  await page.getByRole('button', { name: /utiliser un code de secours/ }).click();
  await page.getByRole('textbox', { name: 'Code de secours' }).fill(codes[0]);
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mon compte' }).click();
  await expect(page.getByRole('heading', { name: 'Mon compte', level: 1 })).toBeVisible();

  // --- A7: a second browser, signed out from the first -----------------------
  const other = await browser.newContext();
  const second = await other.newPage();
  watchPolicy(second, refused);
  await second.goto(server.url);
  await signIn(second);
  await second.getByRole('button', { name: /utiliser un code de secours/ }).click();
  await second.getByRole('textbox', { name: 'Code de secours' }).fill(codes[1]);
  await second.getByRole('button', { name: 'Valider' }).click();
  await expect(second.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();

  await page.reload();
  await page.getByRole('tab', { name: 'Sécurité' }).click();
  const devices = page.getByRole('region', { name: 'Appareils et sessions' });
  await expect(devices.getByTestId('device-row')).toHaveCount(2);
  await expect(devices.getByText('Cet appareil')).toBeVisible();
  await screenshot(page, 'devices');
  await devices.getByRole('button', { name: 'Déconnecter', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Déconnecter' }).click();
  await expect(devices.getByTestId('device-row')).toHaveCount(1);
  await second.reload();
  await expect(second.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await other.close();

  // --- E2: the history shows it all, and verify says intact ------------------
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Historique' }).click();
  await expect(page.getByRole('heading', { name: 'Historique', level: 1 })).toBeVisible();
  for (const label of ['Validation en deux étapes activée', 'Code de validation refusé', 'Appareil déconnecté', 'Connexion']) {
    await expect(page.getByTestId('history-row').filter({ hasText: label }).first()).toBeVisible();
  }
  await page.getByRole('textbox', { name: 'Du' }).fill('02/05/2030');
  await page.getByRole('textbox', { name: 'Au' }).fill('01/05/2030');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await expect(page.getByText('La date de fin doit être postérieure à la date de début.')).toBeVisible();
  await page.getByRole('button', { name: 'Effacer les filtres' }).click();
  await page.getByRole('button', { name: "Vérifier l'intégrité" }).click();
  await expect(page.getByTestId('verify-result')).toContainText("L'historique est intact");
  await screenshot(page, 'history-intact');

  // --- tamper with a row in the database file: verify names it ---------------
  // The database refuses to change history rows: someone with the file drops
  // that guard first. The organization's third entry is changed.
  execFileSync('sqlite3', [
    server.db,
    `DROP TRIGGER audit_events_no_update; UPDATE audit_events SET details = '{"x":1}' WHERE seq = (SELECT seq FROM audit_events WHERE org_id IS NOT NULL ORDER BY seq LIMIT 1 OFFSET 2)`,
  ]);
  // A check just ran: the next one waits a few seconds, and says so.
  await expect(async () => {
    await page.getByRole('button', { name: "Vérifier l'intégrité" }).click();
    await expect(page.getByTestId('verify-result')).toContainText("L'historique a été altéré", { timeout: 1_000 });
  }).toPass({ timeout: 30_000, intervals: [2_000] });
  await expect(page.getByTestId('verify-result')).toContainText('L’entrée n° 3'.replace('’', "'"));
  await screenshot(page, 'history-tampered');
  // The console works whole under its strict policy: nothing was refused.
  expect(refused).toEqual([]);
});
