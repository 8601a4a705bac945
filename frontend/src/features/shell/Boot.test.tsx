import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Boot } from './Boot';
import { ApiError } from '../../api/errors';
import { fakeTransport, makeSession } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';

const unauthenticated = () => {
  throw new ApiError('unauthenticated', 'no session');
};

describe('Boot', () => {
  it('shows the first-run page when no account exists', async () => {
    const fake = fakeTransport({ 'setup.status': () => ({ needsSetup: true, version: '' }) });
    await renderWithApp(<Boot />, fake.transport);
    expect(await screen.findByRole('heading', { name: 'Créer votre espace' })).toBeInTheDocument();
    expect(screen.getByLabelText(/Nom de votre entreprise/)).toBeInTheDocument();
    expect(screen.getByText(/Au moins 12 caractères/)).toBeInTheDocument();
  });

  it('creates the workspace, shows field errors from the backend, then enters the console', async () => {
    const user = userEvent.setup();
    let attempt = 0;
    const fake = fakeTransport({
      'setup.status': () => ({ needsSetup: true, version: '' }),
      'setup.createWorkspace': () => {
        attempt += 1;
        if (attempt === 1) throw new ApiError('validation', 'weak', { password: 'password_too_common' });
        return makeSession();
      },
      'home.summary': () => ({ dossiers: 1, tasks: [], tasksTotal: 0, responsible: [], waiting: [] }),
    });
    await renderWithApp(<Boot />, fake.transport);
    await screen.findByRole('heading', { name: 'Créer votre espace' });

    await user.click(screen.getByRole('button', { name: 'Créer mon espace' }));
    expect(screen.getAllByText('Ce champ est obligatoire.').length).toBeGreaterThanOrEqual(4);
    expect(fake.inputsOf('setup.createWorkspace')).toHaveLength(0);
    expect(screen.getByLabelText(/Prénom/)).toHaveFocus();

    await user.type(screen.getByLabelText(/Prénom/), 'Claire');
    await user.type(screen.getByLabelText(/^Nom(?! de)/), 'Martin');
    await user.type(screen.getByLabelText(/Adresse e-mail/), 'claire.martin@example.fr');
    await user.type(screen.getByLabelText(/Mot de passe/), 'motdepasse123');
    await user.type(screen.getByLabelText(/Nom de votre entreprise/), 'Boulangerie Martin');
    await user.click(screen.getByRole('button', { name: 'Créer mon espace' }));

    expect(await screen.findByText(/Ce mot de passe est trop courant/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Créer mon espace' }));

    // The first run lands on the home page, as every sign-in does.
    expect(await screen.findByRole('heading', { level: 1, name: 'Accueil' })).toBeInTheDocument();
    const sent = fake.inputsOf('setup.createWorkspace')[0];
    expect(sent).toMatchObject({ firstName: 'Claire', organizationName: 'Boulangerie Martin', language: 'fr' });
    expect(typeof sent.timezone).toBe('string');
    expect(sent.timezone.length).toBeGreaterThan(0);
  });

  it('shows the sign-in page when not signed in, and one message for wrong credentials', async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      'setup.status': () => ({ needsSetup: false, version: '' }),
      'session.current': unauthenticated,
      'auth.signIn': () => {
        throw new ApiError('invalid_credentials', 'bad password');
      },
    });
    await renderWithApp(<Boot />, fake.transport);
    expect(await screen.findByRole('heading', { name: 'Connexion' })).toBeInTheDocument();
    // A desktop user types an invitation's code rather than opening its link.
    expect(screen.getByRole('link', { name: "J'ai reçu un code d'invitation" })).toHaveAttribute('href', '#/invitation');

    await user.type(screen.getByLabelText(/Adresse e-mail/), 'claire@example.fr');
    await user.type(screen.getByLabelText(/Mot de passe/), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Se connecter' }));


    expect(await screen.findByRole('alert')).toHaveTextContent('Adresse e-mail ou mot de passe incorrect.');
    expect(fake.inputsOf('auth.signIn')).toStrictEqual([{ email: 'claire@example.fr', password: 'wrong' }]);
  });

  it('after signing in shows the shell with the user and the organization, and admin menus', async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      'setup.status': () => ({ needsSetup: false, version: '' }),
      'session.current': unauthenticated,
      'auth.signIn': () => makeSession(),
      'auth.signOut': () => ({}),
    });
    await renderWithApp(<Boot />, fake.transport);
    await user.type(await screen.findByLabelText(/Adresse e-mail/), 'claire.martin@example.fr');
    await user.type(screen.getByLabelText(/Mot de passe/), 'un mot de passe long');
    await user.click(screen.getByRole('button', { name: 'Se connecter' }));

    expect(await screen.findByText('Claire Martin')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Organisation actuelle : Boulangerie Martin/ })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Entreprise' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Utilisateurs' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Menu de votre compte' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Se déconnecter' }));
       expect(await screen.findByRole('heading', { name: 'Connexion' })).toBeInTheDocument();
    expect(fake.inputsOf('auth.signOut')).toHaveLength(1);
  });

  it('hides users for a member who is not an administrator; the company page is readable by every member', async () => {
    const fake = fakeTransport({
      'setup.status': () => ({ needsSetup: false, version: '' }),
      'session.current': () => makeSession({ isAdmin: false }),
    });
    await renderWithApp(<Boot />, fake.transport);
    expect(await screen.findByRole('link', { name: 'Mon compte' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Entreprise' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Utilisateurs' })).not.toBeInTheDocument();
  });

  it('offers no application page while no application has an address', async () => {
    const fake = fakeTransport({
      'setup.status': () => ({ needsSetup: false, version: '' }),
      'session.current': () => makeSession({ applicationsOffered: false }),
    });
    await renderWithApp(<Boot />, fake.transport);
    expect(await screen.findByRole('link', { name: 'Utilisateurs' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Applications' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Mes applications' })).not.toBeInTheDocument();
  });

  it('without any organization left, offers only the account and the organizations list', async () => {
    const fake = fakeTransport({
      'setup.status': () => ({ needsSetup: false, version: '' }),
      'session.current': () =>
        makeSession({ organization: { id: '', name: '', timezone: '', status: '' }, rights: [], isAdmin: false }),
      'orgs.list': () => ({ items: [], total: 0 }),
    });
    await renderWithApp(<Boot />, fake.transport);
    expect(await screen.findByRole('link', { name: 'Organisations' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Mon compte' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Entreprise' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Mes applications' })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('link', { name: 'Organisations' }));
    expect(await screen.findByRole('button', { name: /Créer une organisation/ })).toBeInTheDocument();
    window.location.hash = ''; // the console routes in the hash: leave it as the next test expects
  });

  it('applies the account language when the session loads', async () => {
    const fake = fakeTransport({
      'setup.status': () => ({ needsSetup: false, version: '' }),
      'session.current': () => makeSession({ account: { ...makeSession().account, language: 'en' } }),
      'home.summary': () => ({ dossiers: 1, tasks: [], tasksTotal: 0, responsible: [], waiting: [] }),
    });
    await renderWithApp(<Boot />, fake.transport);
    expect(await screen.findByRole('heading', { level: 1, name: 'Home' })).toBeInTheDocument();
    await waitFor(() => expect(localStorage.getItem('atrium.language')).toBe('en'));
  });

  it('shows a calm full page with the reason when the data cannot be opened', async () => {
    const fake = fakeTransport({
      'setup.status': () => {
        throw new ApiError('startup_failed', 'open /home/claire/.local/share/atrium/atrium.db: permission denied');
      },
    });
    await renderWithApp(<Boot />, fake.transport);
    expect(await screen.findByRole('heading', { name: "Atrium n'a pas pu ouvrir ses données" })).toBeInTheDocument();
    expect(screen.getByText(/permission denied/)).toBeInTheDocument();
    expect(screen.getByText('Fermez puis rouvrez Atrium.')).toBeInTheDocument();
  });
});
