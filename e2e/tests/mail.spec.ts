import { expect, test, type Page } from '@playwright/test';
import { mailJourney } from '../mailpit';
import { createWorkspace } from '../journeys';

// Mail, invitations and recovery, with a real SMTP server (mailpit):
// C2-C4 invite → the email → the link → "Créer un compte" → the invitee lands
// in the organization; resend kills the first link; A11 forgotten password;
// A2 change of address.

const admin = { first: 'Camille', last: 'Durand', email: 'camille.durand@example.test', password: 'Un jardin fleuri en avril' };
const lea = { email: 'lea.roux@example.test', password: 'Une rivière tranquille en été' };

const journey = mailJourney('mail');
const { mailTo } = journey;

async function signIn(page: Page, email: string, password: string) {
  await page.getByRole('textbox', { name: 'Adresse e-mail' }).fill(email);
  await page.getByRole('textbox', { name: 'Mot de passe' }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

test('invite, resend, accept, forgotten password, change of address', async ({ page, browser }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  await createWorkspace(
    page,
    journey.server.url,
    { firstName: admin.first, lastName: admin.last, email: admin.email, password: admin.password, organization: 'Cabinet Durand' },
    { search: 'Paris', option: 'Europe / Paris' },
  );
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
  await expect(pending).toContainText('invitation de Camille Durand');
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
  // The admin is told of the arrival (Notifications › Arrivées et départs de membres, on by default).
  const joined = await mailTo(admin.email, /Léa Roux a rejoint Cabinet Durand/);
  expect(joined.text).toContain("Léa Roux a accepté l'invitation et fait désormais partie de l'organisation Cabinet Durand.");
  // Signing in again lands in the organization too.
  await invitee.clearCookies();
  await p2.goto(journey.server.url);
  await signIn(p2, lea.email, lea.password);
  await expect(p2.getByRole('navigation', { name: 'Menu principal' })).toBeVisible();
  await expect(p2.getByText('Cabinet Durand').first()).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('pending-invitation')).toHaveCount(0);

  // An invitation withdrawn says so to whoever opens its link.
  await page.getByRole('button', { name: 'Inviter' }).click();
  const paulDialog = page.getByRole('dialog', { name: 'Inviter une personne' });
  await paulDialog.getByRole('textbox', { name: 'Adresse e-mail' }).fill('paul.blanc@example.test');
  await paulDialog.getByRole('button', { name: "Envoyer l'invitation" }).click();
  await expect(page.getByText('Invitation envoyée à paul.blanc@example.test.')).toBeVisible();
  const paulMail = await mailTo('paul.blanc@example.test', /vous invite/);
  await page.getByTestId('pending-invitation').getByRole('button', { name: "Retirer l'invitation" }).click();
  await page.getByRole('dialog', { name: "Retirer l'invitation ?" }).getByRole('button', { name: "Retirer l'invitation" }).click();
  await expect(page.getByTestId('pending-invitation')).toHaveCount(0);
  const paul = await browser.newContext();
  const p3 = await paul.newPage();
  await p3.goto(paulMail.link);
  await expect(p3.getByText("Cette invitation a été retirée par l'organisation")).toBeVisible();
  await p3.screenshot({ path: 'screenshots/mail-02b-revoked.png' });
  await paul.close();

  // A11: forgotten password, from the sign-in page.
  await invitee.clearCookies();
  await p2.goto(journey.server.url);
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
  await p2.goto(journey.server.url + '/#/forgot-password'); // away from the page, then the used link again
  await p2.goto(reset.link);
  await p2.getByLabel('Nouveau mot de passe').fill('Encore un autre mot de passe');
  await p2.getByLabel('Confirmez le mot de passe').fill('Encore un autre mot de passe');
  await p2.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await expect(p2.getByText('déjà servi ou a été remplacé')).toBeVisible();
  await p2.goto(journey.server.url);
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
