import { describe, expect, it, beforeEach } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Boot } from '../shell/Boot';
import { ApiError } from '../../api/errors';
import { renderWithApp } from '../../test/render';
import type { RequestEmailChangeInput } from '../../api/types.gen';
import { accountBackend } from './testBackend';

async function openModal(fake: ReturnType<typeof accountBackend>) {
  const user = userEvent.setup();
  await renderWithApp(<Boot />, fake.transport);
  const contact = await screen.findByRole('region', { name: 'Coordonnées' });
  await user.click(within(contact).getByRole('button', { name: "Changer d'adresse e-mail" }));
  const dialog = await screen.findByRole('dialog', { name: "Changer d'adresse e-mail" });
  return { user, dialog };
}

describe("Mon compte › Changer d'adresse e-mail", () => {
  // Signing in lands on "Accueil": these tests open "Mon compte" by its address.
  beforeEach(() => {
    window.location.hash = '#/account';
  });
  it('sends the new address and the password, then says nothing changes until the link is opened', async () => {
    const fake = accountBackend({
      'account.requestEmailChange': (input: RequestEmailChangeInput) => ({ sentTo: input.newEmail.toLowerCase() }),
    });
    const { user, dialog } = await openModal(fake);

    // Both fields are required before anything is sent.
    await user.click(within(dialog).getByRole('button', { name: 'Envoyer le lien de confirmation' }));
    expect(within(dialog).getAllByText('Ce champ est obligatoire.')).toHaveLength(2);
    expect(fake.inputsOf('account.requestEmailChange')).toHaveLength(0);

    await user.type(within(dialog).getByLabelText(/Nouvelle adresse e-mail/), '  Claire@Nouveau.fr ');
    await user.type(within(dialog).getByLabelText(/Votre mot de passe actuel/), 'un mot de passe long');
    await user.click(within(dialog).getByRole('button', { name: 'Envoyer le lien de confirmation' }));

    // Neutral: the answer never tells whether the address already has an account.
    expect(
      await within(dialog).findByText(
        "Si l'adresse claire@nouveau.fr peut être utilisée pour votre compte, un lien de confirmation vient d'y être envoyé.",
      ),
    ).toBeInTheDocument();
    expect(within(dialog).queryByText(/déjà utilisée/)).not.toBeInTheDocument();
    expect(fake.inputsOf('account.requestEmailChange')).toStrictEqual([{ newEmail: 'Claire@Nouveau.fr', password: 'un mot de passe long' }]);
    expect(within(dialog).getByText(/continuez à vous connecter avec claire\.martin@example\.fr/)).toBeInTheDocument();
    // The account keeps its address meanwhile.
    const contact = screen.getByRole('region', { name: 'Coordonnées' });
    expect(within(contact).getByLabelText(/Adresse e-mail/)).toHaveValue('claire.martin@example.fr');

    await user.click(within(dialog).getByRole('button', { name: "J'ai compris" }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('shows the backend field errors, translated, under their fields', async () => {
    let tries = 0;
    const fake = accountBackend({
      'account.requestEmailChange': () => {
        tries++;
        if (tries === 1) throw new ApiError('validation', 'same', { newEmail: 'same_email' });
        throw new ApiError('validation', 'bad password', { password: 'wrong_password' });
      },
    });
    const { user, dialog } = await openModal(fake);
    const email = within(dialog).getByLabelText(/Nouvelle adresse e-mail/);
    const password = within(dialog).getByLabelText(/Votre mot de passe actuel/);
    await user.type(email, 'lea@example.fr');
    await user.type(password, 'faux');
    await user.click(within(dialog).getByRole('button', { name: 'Envoyer le lien de confirmation' }));
    expect(await within(dialog).findByText("C'est déjà l'adresse de votre compte.")).toBeInTheDocument();
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveValue('lea@example.fr');

    await user.click(within(dialog).getByRole('button', { name: 'Envoyer le lien de confirmation' }));
    expect(await within(dialog).findByText("Ce mot de passe n'est pas le bon.")).toBeInTheDocument();
    expect(password).toHaveValue('faux');
    expect(screen.queryByText('bad password')).not.toBeInTheDocument();
  });

  it('the modal opens empty again after being closed', async () => {
    const fake = accountBackend();
    const { user, dialog } = await openModal(fake);
    await user.type(within(dialog).getByLabelText(/Nouvelle adresse e-mail/), 'lea@example.fr');
    await user.click(within(dialog).getByRole('button', { name: 'Annuler' }));
    await user.click(within(screen.getByRole('region', { name: 'Coordonnées' })).getByRole('button', { name: "Changer d'adresse e-mail" }));
    const again = await screen.findByRole('dialog', { name: "Changer d'adresse e-mail" });
    expect(within(again).getByLabelText(/Nouvelle adresse e-mail/)).toHaveValue('');
  });

  it('says when to try again after too many requests', async () => {
    const fake = accountBackend({
      'account.requestEmailChange': () => {
        throw new ApiError('rate_limited', 'too many attempts', undefined, 600);
      },
    });
    const { user, dialog } = await openModal(fake);
    await user.type(within(dialog).getByLabelText(/Nouvelle adresse e-mail/), 'lea@example.fr');
    await user.type(within(dialog).getByLabelText(/Votre mot de passe actuel/), 'un mot de passe long');
    await user.click(within(dialog).getByRole('button', { name: 'Envoyer le lien de confirmation' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(/10 minutes/);
  });
});
