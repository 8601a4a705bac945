import { expect, test, type Page } from '@playwright/test';
import { mailJourney } from '../mailpit';
import { createWorkspace } from '../journeys';

// "Mon compte" in tabs, the change of address from its form (A2), deleting an
// organization (B6) and then one's account (A9), each with the 6-digit code
// received by mail (a real SMTP server: mailpit).

const person = {
  firstName: 'Margaux',
  lastName: 'Lefèvre',
  email: 'margaux.lefevre@example.test',
  newEmail: 'margaux@lefevre-associes.test',
  password: 'Un voilier blanc sur la Loire',
  organization: 'Lefèvre & Associés',
};

const journey = mailJourney('account');
const { mailTo } = journey;

let shot = 0;
async function screenshot(page: Page, name: string) {
  shot += 1;
  await page.screenshot({ path: `screenshots/account-${String(shot).padStart(2, '0')}-${name}.png` });
}

async function signIn(page: Page, email: string) {
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Adresse e-mail', exact: true }).fill(email);
  await page.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

test('tabs, change of address, deleting the organization then the account', async ({ page }) => {
  test.setTimeout(120_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await createWorkspace(page, journey.server.url, person);
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mon compte' }).click();
  await expect(page.getByRole('heading', { name: 'Mon compte', level: 1 })).toBeVisible();

  // --- the tabs: "Profil" first; a tab is kept in the address and across a reload
  await expect(page.getByRole('tab', { name: 'Profil' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('region', { name: 'Mot de passe' })).toBeHidden();
  await page.getByRole('tab', { name: 'Sécurité' }).click();
  await expect(page).toHaveURL(/#\/account\?tab=security$/);
  await page.reload();
  await expect(page.getByRole('region', { name: 'Appareils et sessions' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Identité' })).toBeHidden();
  await page.getByRole('tab', { name: 'Sécurité' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Notifications' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('region', { name: 'Notifications par e-mail' })).toBeVisible();

  // --- A9: the last admin of an organization cannot delete the account -------
  await page.goto(`${journey.server.url}/#/account?tab=security`);
  await page.getByRole('region', { name: 'Supprimer mon compte' }).getByRole('button', { name: 'Supprimer mon compte' }).click();
  let dialog = page.getByRole('dialog', { name: 'Supprimer mon compte' });
  await dialog.getByRole('button', { name: 'Continuer' }).click();
  await expect(dialog.getByRole('alert')).toContainText("Vous êtes la seule personne à administrer au moins une de vos organisations");
  await screenshot(page, 'last-admin');
  await dialog.getByRole('button', { name: 'Fermer', exact: true }).click();

  // --- A2: change of address from "Coordonnées"; nothing changes before the link
  await page.getByRole('tab', { name: 'Profil' }).click();
  const contact = page.getByRole('region', { name: 'Coordonnées' });
  await contact.getByRole('button', { name: "Changer d'adresse e-mail" }).click();
  dialog = page.getByRole('dialog', { name: "Changer d'adresse e-mail" });
  await dialog.getByRole('textbox', { name: 'Nouvelle adresse e-mail' }).fill(person.newEmail);
  await dialog.getByLabel('Votre mot de passe actuel').fill('pas le bon');
  await dialog.getByRole('button', { name: 'Envoyer le lien de confirmation' }).click();
  await expect(dialog.getByText("Ce mot de passe n'est pas le bon.")).toBeVisible();
  await dialog.getByLabel('Votre mot de passe actuel').fill(person.password);
  await dialog.getByRole('button', { name: 'Envoyer le lien de confirmation' }).click();
  // The answer never tells whether the address already has an account.
  await expect(
    dialog.getByText(`Si l'adresse ${person.newEmail} peut être utilisée pour votre compte, un lien de confirmation vient d'y être envoyé.`),
  ).toBeVisible();
  await screenshot(page, 'email-sent');
  await dialog.getByRole('button', { name: "J'ai compris" }).click();
  await expect(contact.getByRole('textbox', { name: 'Adresse e-mail', exact: true })).toHaveValue(person.email);
  const confirm = await mailTo(person.newEmail, /Confirmez/);
  await page.goto(confirm.link);
  await expect(page.getByText(`votre adresse est désormais ${person.newEmail}`)).toBeVisible();
  await page.getByRole('link', { name: 'Continuer' }).click();
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mon compte' }).click();
  await expect(page.getByRole('region', { name: 'Coordonnées' }).getByRole('textbox', { name: 'Adresse e-mail', exact: true })).toHaveValue(person.newEmail);

  // --- B6: delete the organization: its name, then the code by mail ----------
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Entreprise' }).click();
  await expect(page.getByRole('region', { name: 'Sécurité' }).getByRole('switch')).not.toBeChecked();
  await page.getByRole('region', { name: "Statut de l'organisation" }).getByRole('button', { name: "Supprimer l'organisation" }).click();
  dialog = page.getByRole('dialog', { name: `Supprimer « ${person.organization} »` });
  const proceed = dialog.getByRole('button', { name: 'Continuer' });
  await expect(proceed).toBeDisabled();
  await dialog.getByRole('textbox', { name: /saisissez le nom de l'organisation/ }).fill(person.organization);
  await proceed.click();
  const orgCode = await mailTo(person.newEmail, /suppression de l'organisation/);
  await dialog.getByRole('textbox', { name: 'Code reçu par e-mail' }).fill(orgCode.code);
  await screenshot(page, 'org-code');
  await dialog.getByRole('button', { name: "Supprimer définitivement l'organisation" }).click();
  // No other organization: back to the sign-in page.
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await expect(page.getByText(`L'organisation « ${person.organization} » a été supprimée.`, { exact: false })).toBeVisible();
  await screenshot(page, 'org-deleted');

  // --- A9: now no organization needs her: delete the account with the code ---
  await signIn(page, person.newEmail);
  // Without any organization she lands where one can be created; the menu keeps her account.
  await expect(page.getByRole('button', { name: /Créer une organisation/ })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Entreprise' })).toHaveCount(0);
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mon compte' }).click();
  await expect(page.getByRole('heading', { name: 'Mon compte', level: 1 })).toBeVisible();
  await page.getByRole('tab', { name: 'Sécurité' }).click();
  await page.getByRole('region', { name: 'Supprimer mon compte' }).getByRole('button', { name: 'Supprimer mon compte' }).click();
  dialog = page.getByRole('dialog', { name: 'Supprimer mon compte' });
  await dialog.getByRole('button', { name: 'Continuer' }).click();
  await expect(dialog.getByText(`code de confirmation à 6 chiffres à ${person.newEmail}`)).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Code reçu par e-mail' }).fill('000000');
  await dialog.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
  await expect(dialog.getByText("Ce code n'est pas valide ou a déjà été utilisé.")).toBeVisible();
  const accountCode = await mailTo(person.newEmail, /suppression de votre compte/);
  await dialog.getByRole('textbox', { name: 'Code reçu par e-mail' }).fill(accountCode.code);
  await screenshot(page, 'account-code');
  await dialog.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await expect(page.getByText('Votre compte a été supprimé.')).toBeVisible();
  await screenshot(page, 'account-deleted');

  // The account is gone: signing in is refused.
  await signIn(page, person.newEmail);
  await expect(page.getByRole('alert').filter({ hasText: 'Adresse e-mail ou mot de passe incorrect.' })).toBeVisible();
  expect(pageErrors).toEqual([]);
});
