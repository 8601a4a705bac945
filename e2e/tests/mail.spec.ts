import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { startServer, type AtriumServer } from '../server';

// Issue 6 — mail, invitations and recovery, with a real SMTP server (mailpit):
// C2-C4 invite → the email → the link → "Créer un compte" → the invitee lands
// in the organization; resend kills the first link; A11 forgotten password;
// A2 change of address.

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const mailpitBin = process.env.MAILPIT ?? join(repo, '.bin', 'mailpit');
const admin = { first: 'Camille', last: 'Durand', email: 'camille.durand@example.test', password: 'Un jardin fleuri en avril' };
const lea = { email: 'lea.roux@example.test', password: 'Une rivière tranquille en été' };

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? ok(a.port) : fail(new Error('no port'))));
    });
  });
}

let mailpit: ChildProcess | undefined;
let mailApi = '';
let server: AtriumServer;

test.beforeAll(async () => {
  if (!existsSync(mailpitBin)) {
    if (process.env.CI) throw new Error(`mailpit is required in CI (${mailpitBin})`);
    test.skip(true, 'mailpit not installed: GOBIN=$PWD/.bin go install github.com/axllent/mailpit@v1.33.1');
  }
  const smtp = await freePort();
  const http = await freePort();
  mailpit = spawn(mailpitBin, ['--smtp', `127.0.0.1:${smtp}`, '--listen', `127.0.0.1:${http}`, '--smtp-disable-rdns', '--quiet'], {
    stdio: 'ignore',
  });
  mailApi = `http://127.0.0.1:${http}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${mailApi}/api/v1/messages`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // The server reads its SMTP settings from the environment.
  Object.assign(process.env, { ATRIUM_SMTP_HOST: '127.0.0.1', ATRIUM_SMTP_PORT: String(smtp), ATRIUM_SMTP_SECURITY: 'none', ATRIUM_SMTP_FROM: 'Atrium <atrium@example.test>' });
  server = await startServer('mail');
});
test.afterAll(async () => {
  await server?.stop();
  mailpit?.kill();
});

interface Caught {
  ID: string;
  Subject: string;
  To: { Address: string }[];
}

/** Waits for the n-th message to an address whose subject matches, and returns its text. */
async function mailTo(address: string, subject: RegExp, n = 1): Promise<{ text: string; link: string; code: string }> {
  for (let i = 0; i < 150; i++) {
    const res = await fetch(`${mailApi}/api/v1/messages?limit=200`);
    const list = (await res.json()) as { messages: Caught[] };
    const mine = list.messages.filter((m) => m.To.some((t) => t.Address === address) && subject.test(m.Subject)).reverse();
    if (mine.length >= n) {
      const full = (await (await fetch(`${mailApi}/api/v1/message/${mine[n - 1].ID}`)).json()) as { Text: string };
      const link = full.Text.match(/https?:\/\/\S+/)?.[0] ?? '';
      const code = full.Text.match(/:\s+([A-Z0-9]{5}-[A-Z0-9]{5}|\d{6})\s*$/m)?.[1] ?? '';
      return { text: full.Text, link, code };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no message "${subject}" #${n} to ${address}`);
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByRole('textbox', { name: 'Adresse e-mail' }).fill(email);
  await page.getByRole('textbox', { name: 'Mot de passe' }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

test('invite, resend, accept, forgotten password, change of address', async ({ page, browser }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  await page.goto(server.url);
  await page.getByRole('textbox', { name: 'Prénom', exact: true }).fill(admin.first);
  await page.getByRole('textbox', { name: 'Nom', exact: true }).fill(admin.last);
  await page.getByRole('textbox', { name: 'Adresse e-mail', exact: true }).fill(admin.email);
  await page.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill(admin.password);
  await page.getByRole('textbox', { name: 'Nom de votre entreprise', exact: true }).fill('Cabinet Durand');
  const zone = page.getByRole('combobox', { name: 'Fuseau horaire' });
  await zone.click();
  await zone.fill('Paris');
  await page.getByRole('option', { name: 'Europe / Paris' }).click();
  await page.getByRole('button', { name: 'Créer mon espace' }).click();
  const nav = page.getByRole('navigation', { name: 'Menu principal' });
  await expect(nav).toBeVisible();

  // C2: invite Léa.
  await nav.getByRole('link', { name: 'Utilisateurs' }).click();
  await page.getByRole('button', { name: 'Inviter' }).click();
  const dialog = page.getByRole('dialog', { name: 'Inviter une personne' });
  await dialog.getByRole('textbox', { name: 'Adresse e-mail' }).fill('pas-une-adresse');
  await dialog.getByRole('button', { name: "Envoyer l'invitation" }).click();
  await expect(dialog.getByText("Cette adresse e-mail n'est pas valide.")).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Adresse e-mail' }).fill(lea.email);
  await dialog.getByRole('textbox', { name: 'Prénom' }).fill('Léa');
  await dialog.getByRole('textbox', { name: 'Nom', exact: true }).fill('Roux');
  await dialog.getByRole('textbox', { name: 'Fonction' }).fill('Comptable');
  await dialog.getByRole('button', { name: "Envoyer l'invitation" }).click();
  await expect(dialog).toBeHidden();
  // C3: pending at the top of the list, with who invited.
  const pending = page.getByTestId('pending-invitation');
  await expect(pending).toContainText('Léa Roux');
  await expect(pending).toContainText('invitée par Camille Durand');
  await page.screenshot({ path: 'screenshots/mail-01-pending.png' });
  const first = await mailTo(lea.email, /vous invite/);
  expect(first.link).toContain('/#/invitation?token=');

  // Resend: the first link dies.
  await pending.getByRole('button', { name: 'Renvoyer' }).click();
  const second = await mailTo(lea.email, /vous invite/, 2);
  expect(second.link).not.toBe(first.link);

  const invitee = await browser.newContext();
  const p2 = await invitee.newPage();
  await p2.goto(first.link);
  await expect(p2.getByText('déjà servi ou a été remplacé')).toBeVisible();

  // C4: the new link → "Créer un compte" → in the organization.
  await p2.goto(second.link);
  await expect(p2.getByRole('heading', { name: 'Rejoindre Cabinet Durand' })).toBeVisible();
  await expect(p2.getByRole('textbox', { name: 'Prénom' })).toHaveValue('Léa');
  await p2.getByRole('textbox', { name: 'Téléphone mobile' }).fill('06 12 34 56 78');
  await p2.getByLabel('Nouveau mot de passe').fill(lea.password);
  await p2.screenshot({ path: 'screenshots/mail-02-accept.png' });
  await p2.getByRole('button', { name: 'Créer un compte' }).click();
  await expect(p2.getByRole('navigation', { name: 'Menu principal' })).toBeVisible();
  await expect(p2.getByText('Cabinet Durand').first()).toBeVisible();
  // Signing in again lands in the organization too.
  await invitee.clearCookies();
  await p2.goto(server.url);
  await signIn(p2, lea.email, lea.password);
  await expect(p2.getByRole('navigation', { name: 'Menu principal' })).toBeVisible();
  await expect(p2.getByText('Cabinet Durand').first()).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('pending-invitation')).toHaveCount(0);

  // A11: forgotten password, from the sign-in page.
  await invitee.clearCookies();
  await p2.goto(server.url);
  await p2.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
  await p2.getByRole('textbox', { name: 'Adresse e-mail' }).fill(lea.email);
  await p2.getByRole('button', { name: 'Envoyer les instructions' }).click();
  await expect(p2.getByText(`Si un compte existe pour ${lea.email}`)).toBeVisible();
  const reset = await mailTo(lea.email, /Réinitialisation/);
  await p2.goto(reset.link);
  await p2.getByLabel('Nouveau mot de passe').fill('Un nouveau mot de passe très sûr');
  await p2.getByLabel('Confirmez le mot de passe').fill('Un nouveau mot de passe très sûr');
  await p2.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await expect(p2.getByText('Votre mot de passe a été changé')).toBeVisible();
  await p2.screenshot({ path: 'screenshots/mail-03-reset-done.png' });
  await p2.goto(server.url + '/#/forgot-password'); // away from the page, then the used link again
  await p2.goto(reset.link);
  await p2.getByLabel('Nouveau mot de passe').fill('Encore un autre mot de passe');
  await p2.getByLabel('Confirmez le mot de passe').fill('Encore un autre mot de passe');
  await p2.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await expect(p2.getByText('déjà servi ou a été remplacé')).toBeVisible();
  await p2.goto(server.url);
  await signIn(p2, lea.email, 'Un nouveau mot de passe très sûr');
  await expect(p2.getByRole('navigation', { name: 'Menu principal' })).toBeVisible();

  // A2: change of address, through the API of the signed-in page (the
  // account screen's form), then the confirmation link.
  const requested = await p2.evaluate(async () => {
    const csrf = document.cookie.match(/atrium_csrf=([^;]+)/)?.[1] ?? '';
    const res = await fetch('/api/ops/account.requestEmailChange', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': decodeURIComponent(csrf) },
      body: JSON.stringify({ newEmail: 'lea@nouveau.test', password: 'Un nouveau mot de passe très sûr' }),
    });
    return res.status;
  });
  expect(requested).toBe(200);
  const confirm = await mailTo('lea@nouveau.test', /Confirmez/);
  await p2.goto(confirm.link);
  await expect(p2.getByText('votre adresse est désormais lea@nouveau.test')).toBeVisible();
  await mailTo(lea.email, /a changé/);
  await invitee.close();
  expect(pageErrors).toEqual([]);
});
