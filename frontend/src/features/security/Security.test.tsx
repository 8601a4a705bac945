import { describe, expect, it, beforeEach } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Boot } from '../shell/Boot';
import { ApiError } from '../../api/errors';
import { fakeTransport, makeSession } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';

const unauthenticated = () => {
  throw new ApiError('unauthenticated', 'not signed in');
};

describe('two-step sign-in', () => {
  it('asks for the code after the password, shows a wrong code under the field, then signs in', async () => {
    const user = userEvent.setup();
    let tries = 0;
    const fake = fakeTransport({
      'setup.status': () => ({ needsSetup: false, version: '' }),
      'session.current': unauthenticated,
      'auth.signIn': () => ({ ...makeSession(), pendingTwoFactor: 'pending-1' }),
      'auth.verifyTwoFactor': () => {
        tries++;
        if (tries === 1) throw new ApiError('validation', 'bad code', { code: 'invalid_code' });
        return makeSession();
      },
      'twoFactor.status': () => ({ enabled: true, recoveryCodesLeft: 9, requiredByOrg: false }),
      'sessions.list': () => ({ sessions: [] }),
      'notifications.preferences': () => ({ categories: [], mailReady: true }),
    });
    await renderWithApp(<Boot />, fake.transport);
    await user.type(await screen.findByLabelText(/Adresse e-mail/), 'claire.martin@example.fr');
    await user.type(screen.getByLabelText(/Mot de passe/), 'un mot de passe long');
    await user.click(screen.getByRole('button', { name: 'Se connecter' }));

    expect(await screen.findByRole('heading', { name: 'Validation en deux étapes' })).toBeInTheDocument();
    await user.type(screen.getByLabelText(/Code de validation/), '123456');
    await user.click(screen.getByRole('button', { name: 'Valider' }));
    expect(await screen.findByText("Ce code n'est pas valide ou a déjà été utilisé.")).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /utiliser un code de secours/ }));
    await user.type(screen.getByLabelText(/Code de secours/), 'abcde-fghjk');
    await user.click(screen.getByRole('button', { name: 'Valider' }));
    expect(await screen.findByText('Claire Martin')).toBeInTheDocument();
    expect(fake.inputsOf('auth.verifyTwoFactor')).toStrictEqual([
      { pendingToken: 'pending-1', code: '123456' },
      { pendingToken: 'pending-1', code: 'abcde-fghjk' },
    ]);
  });

  it('returns to the password step when the pending sign-in expired', async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      'setup.status': () => ({ needsSetup: false, version: '' }),
      'session.current': unauthenticated,
      'auth.signIn': () => ({ ...makeSession(), pendingTwoFactor: 'pending-1' }),
      'auth.verifyTwoFactor': () => {
        throw new ApiError('validation', 'expired', { pendingToken: 'signin_expired' });
      },
    });
    await renderWithApp(<Boot />, fake.transport);
    await user.type(await screen.findByLabelText(/Adresse e-mail/), 'claire.martin@example.fr');
    await user.type(screen.getByLabelText(/Mot de passe/), 'un mot de passe long');
    await user.click(screen.getByRole('button', { name: 'Se connecter' }));
    await user.type(await screen.findByLabelText(/Code de validation/), '123456');
    await user.click(screen.getByRole('button', { name: 'Valider' }));
    expect(await screen.findByRole('heading', { name: 'Connexion' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Cette étape a expiré');
  });
});

describe('Mon compte › Mot de passe', () => {
  // Signing in lands on "Accueil": these tests open "Mon compte" by its address.
  beforeEach(() => {
    window.location.hash = '#/account';
  });
  it('shows the backend errors under the fields and says how many sessions were signed out', async () => {
    const user = userEvent.setup();
    let calls = 0;
    const fake = fakeTransport({
      'setup.status': () => ({ needsSetup: false, version: '' }),
      'session.current': () => makeSession(),
      'twoFactor.status': () => ({ enabled: false, recoveryCodesLeft: 0, requiredByOrg: false }),
      'sessions.list': () => ({ sessions: [] }),
      'notifications.preferences': () => ({ categories: [], mailReady: true }),
      'account.changePassword': () => {
        calls++;
        if (calls === 1) throw new ApiError('validation', 'x', { currentPassword: 'wrong_password', newPassword: 'password_too_common' });
        return { signedOut: 2 };
      },
    });
    await renderWithApp(<Boot />, fake.transport);
    await user.click(await screen.findByRole('tab', { name: 'Sécurité' }));
    const section = await screen.findByRole('region', { name: 'Mot de passe' });
    await user.type(within(section).getByLabelText(/Mot de passe actuel/), 'faux');
    await user.type(within(section).getByLabelText(/^Nouveau mot de passe/), 'iloveyoubaby');
    await user.type(within(section).getByLabelText(/Confirmez/), 'iloveyoubaby');
    await user.click(within(section).getByRole('button', { name: 'Enregistrer' }));
    expect(await within(section).findByText("Ce mot de passe n'est pas le bon.")).toBeInTheDocument();
    expect(fake.inputsOf('account.changePassword')).toStrictEqual([{ currentPassword: 'faux', newPassword: 'iloveyoubaby' }]);

    await user.click(within(section).getByRole('button', { name: 'Enregistrer' }));
    expect(await screen.findByText(/2 autres sessions ont été déconnectées/)).toBeInTheDocument();
  });

  it('refuses a short new password before calling the backend', async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      'setup.status': () => ({ needsSetup: false, version: '' }),
      'session.current': () => makeSession(),
      'twoFactor.status': () => ({ enabled: false, recoveryCodesLeft: 0, requiredByOrg: false }),
      'sessions.list': () => ({ sessions: [] }),
      'notifications.preferences': () => ({ categories: [], mailReady: true }),
    });
    await renderWithApp(<Boot />, fake.transport);
    await user.click(await screen.findByRole('tab', { name: 'Sécurité' }));
    const section = await screen.findByRole('region', { name: 'Mot de passe' });
    await user.type(within(section).getByLabelText(/Mot de passe actuel/), 'actuel');
    await user.type(within(section).getByLabelText(/^Nouveau mot de passe/), 'court');
    await user.type(within(section).getByLabelText(/Confirmez/), 'court');
    await user.click(within(section).getByRole('button', { name: 'Enregistrer' }));
    expect(fake.inputsOf('account.changePassword')).toHaveLength(0);
  });
});
