import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Boot } from '../shell/Boot';
import { ApiError } from '../../api/errors';
import { renderWithApp } from '../../test/render';
import type { ConfirmDeletionInput } from '../../api/types.gen';
import { accountBackend } from './testBackend';
import { makeAccount, makeSession } from '../../test/fakeTransport';

afterEach(() => {
  window.location.hash = '';
});

async function openModal(fake: ReturnType<typeof accountBackend>) {
  const user = userEvent.setup();
  window.location.hash = '#/account?tab=security';
  await renderWithApp(<Boot />, fake.transport);
  const card = await screen.findByRole('region', { name: 'Supprimer mon compte' });
  await user.click(within(card).getByRole('button', { name: 'Supprimer mon compte' }));
  const dialog = await screen.findByRole('dialog', { name: 'Supprimer mon compte' });
  return { user, dialog };
}

describe('Mon compte › Supprimer mon compte', () => {
  it('explains, asks for the mailed code, refuses a wrong one, then deletes and returns to the sign-in page', async () => {
    let deleted = false;
    const fake = accountBackend({
      'session.current': () => {
        if (deleted) throw new ApiError('unauthenticated', 'not signed in');
        return makeSession({ account: makeAccount() });
      },
      'account.requestDeletion': () => ({ method: 'email', sentTo: 'claire.martin@example.fr', twoFactor: false }),
      'account.delete': (input: ConfirmDeletionInput) => {
        if (input.code !== '123456') throw new ApiError('validation', 'bad', { code: 'invalid_code' });
        deleted = true;
        return {};
      },
    });
    const { user, dialog } = await openModal(fake);
    expect(within(dialog).getByText('Cette action est irréversible.')).toBeInTheDocument();
    expect(fake.inputsOf('account.requestDeletion')).toHaveLength(0);

    await user.click(within(dialog).getByRole('button', { name: 'Continuer' }));
    expect(await within(dialog).findByText(/envoyer un code de confirmation à 6 chiffres à claire\.martin@example\.fr/)).toBeInTheDocument();
    const code = within(dialog).getByLabelText(/Code reçu par e-mail/);
    expect(within(dialog).queryByLabelText(/Mot de passe/)).not.toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Supprimer définitivement mon compte' }));
    expect(within(dialog).getByText('Ce champ est obligatoire.')).toBeInTheDocument();
    expect(fake.inputsOf('account.delete')).toHaveLength(0);

    await user.type(code, '000000');
    await user.click(within(dialog).getByRole('button', { name: 'Supprimer définitivement mon compte' }));
    expect(await within(dialog).findByText("Ce code n'est pas valide ou a déjà été utilisé.")).toBeInTheDocument();

    await user.clear(code);
    await user.type(code, '123 456');
    await user.click(within(dialog).getByRole('button', { name: 'Supprimer définitivement mon compte' }));
    expect(await screen.findByRole('heading', { name: 'Connexion' })).toBeInTheDocument();
    expect(screen.getByText('Votre compte a été supprimé. Au revoir !')).toBeInTheDocument();
    expect(fake.inputsOf('account.delete')).toStrictEqual([
      { code: '000000', password: '', twoFactorCode: '' },
      { code: '123456', password: '', twoFactorCode: '' },
    ]);
    expect(window.location.hash).toBe('#/');
  });

  it('says plainly why the last admin of an organization cannot delete the account', async () => {
    const fake = accountBackend({
      'account.requestDeletion': () => {
        throw new ApiError('validation', 'account: last_admin', { account: 'last_admin' });
      },
    });
    const { user, dialog } = await openModal(fake);
    await user.click(within(dialog).getByRole('button', { name: 'Continuer' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Vous ne pouvez pas encore supprimer votre compte');
    expect(alert).toHaveTextContent("Vous êtes la seule personne à administrer au moins une de vos organisations");
    expect(alert).toHaveTextContent('Nommez d\'abord un autre administrateur');
    expect(within(dialog).queryByRole('button', { name: 'Continuer' })).not.toBeInTheDocument();
    expect(within(dialog).queryByLabelText(/Code reçu par e-mail/)).not.toBeInTheDocument();
    expect(screen.queryByText('account: last_admin')).not.toBeInTheDocument();
    expect(fake.inputsOf('account.delete')).toHaveLength(0);
  });

  it('without mail, asks for the password and the two-step code instead', async () => {
    const fake = accountBackend({
      'account.requestDeletion': () => ({ method: 'password', sentTo: '', twoFactor: true }),
      'account.delete': () => {
        throw new ApiError('validation', 'x', { password: 'wrong_password' });
      },
    });
    const { user, dialog } = await openModal(fake);
    await user.click(within(dialog).getByRole('button', { name: 'Continuer' }));
    const password = await within(dialog).findByLabelText(/^Mot de passe/);
    const totp = within(dialog).getByLabelText(/Code à 6 chiffres ou code de secours/);
    expect(within(dialog).queryByLabelText(/Code reçu par e-mail/)).not.toBeInTheDocument();
    await user.type(password, 'faux');
    await user.type(totp, ' 654321 ');
    await user.click(within(dialog).getByRole('button', { name: 'Supprimer définitivement mon compte' }));
    expect(await within(dialog).findByText("Ce mot de passe n'est pas le bon.")).toBeInTheDocument();
    await waitFor(() =>
      expect(fake.inputsOf('account.delete')).toStrictEqual([{ code: '', password: 'faux', twoFactorCode: '654321' }]),
    );
  });
});
