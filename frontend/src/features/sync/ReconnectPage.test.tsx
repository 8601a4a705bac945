import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { ApiError } from '../../api/errors';
import { Boot } from '../shell/Boot';
import { fakeTransport } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';

beforeEach(() => {
  window.go = { app: { Desktop: { Invoke: async () => '{}' } } };
});
afterEach(() => {
  delete window.go;
});

// Signed out from the browser, a connected desktop's replica holds no
// account: the window asks to sign in again on the server, keeping the
// changes waiting, and never offers to create a workspace.
describe('ReconnectPage', () => {
  it('is where a connected desktop signed out by its server lands, not the first run', async () => {
    const fake = fakeTransport({
      'setup.status': () => ({ needsSetup: false, version: '', connected: true }),
      'session.current': () => {
        throw new ApiError('unauthenticated', 'no session');
      },
      'sync.status': () => ({ connected: true, state: 'signedOut', server: 'https://atrium.cabinet.fr', email: 'anne.martin@example.fr',
        waiting: 2, refused: 0, localDossiers: false }),
    });
    await renderWithApp(<Boot />, fake.transport);
    expect(await screen.findByRole('heading', { name: 'Reconnectez-vous à atrium.cabinet.fr' })).toBeInTheDocument();
    expect(screen.getByText(/2 modifications faites sur cet ordinateur sont gardées/)).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Créer votre espace' })).not.toBeInTheDocument();
    expect(screen.queryByText('Mot de passe oublié ?')).not.toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Se reconnecter' }));
    // The known server and account: only the password is asked.
    expect(await screen.findByLabelText(/Mot de passe/)).toBeInTheDocument();
    expect(screen.getByLabelText(/Adresse e-mail de votre compte/)).toHaveValue('anne.martin@example.fr');
  });

  it('leaves the sign-in page to a desktop on its own data', async () => {
    const fake = fakeTransport({
      'setup.status': () => ({ needsSetup: false, version: '' }),
      'session.current': () => {
        throw new ApiError('unauthenticated', 'no session');
      },
      'sync.status': () => ({ connected: false, state: 'local', server: '', email: '', waiting: 0, refused: 0, localDossiers: true }),
    });
    await renderWithApp(<Boot />, fake.transport);
    expect(await screen.findByRole('button', { name: /Se connecter$/ })).toBeInTheDocument();
    expect(screen.queryByTestId('sign-in-again')).not.toBeInTheDocument();
  });
});
