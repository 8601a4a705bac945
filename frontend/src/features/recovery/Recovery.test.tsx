import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../api/errors';
import { fakeTransport } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { ForgotPasswordPage } from './ForgotPasswordPage';
import { ResetPasswordPage } from './ResetPasswordPage';

describe('forgotten password', () => {
  it('answers the same way whatever the address', async () => {
    const fake = fakeTransport({ 'auth.forgotPassword': () => ({}) });
    await renderWithApp(<ForgotPasswordPage />, fake.transport);
    await userEvent.type(screen.getByRole('textbox', { name: /Adresse e-mail/ }), ' lea@example.fr ');
    await userEvent.click(screen.getByRole('button', { name: 'Envoyer les instructions' }));
    expect(await screen.findByText(/Si un compte existe pour lea@example.fr/)).toBeInTheDocument();
    expect(fake.inputsOf('auth.forgotPassword')).toEqual([{ email: 'lea@example.fr' }]);
  });

  it('says clearly that a reset link was already used', async () => {
    const fake = fakeTransport({
      'auth.resetPassword': () => {
        throw new ApiError('validation', 'invalid input', { token: 'link_used' });
      },
    });
    await renderWithApp(<ResetPasswordPage token="abc" />, fake.transport);
    await userEvent.type(screen.getByLabelText(/Nouveau mot de passe/), 'un mot de passe solide');
    await userEvent.type(screen.getByLabelText(/Confirmez le mot de passe/), 'un mot de passe solide');
    await userEvent.click(screen.getByRole('button', { name: 'Enregistrer le mot de passe' }));
    expect(await screen.findByText(/déjà servi ou a été remplacé/)).toBeInTheDocument();
  });
});
