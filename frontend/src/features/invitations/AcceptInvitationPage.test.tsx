import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../api/errors';
import { fakeTransport, makeSession } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { AcceptInvitationPage } from './AcceptInvitationPage';

const invitation = { organization: 'Cabinet Durand', email: 'lea.roux@example.fr', firstName: 'Léa', lastName: 'Roux', jobTitle: 'Comptable' };

describe('invitation page', () => {
  it('offers both paths, whether or not the address has an account', async () => {
    const fake = fakeTransport({ 'invitations.lookup': () => invitation });
    await renderWithApp(<AcceptInvitationPage token="abc" signedIn={false} />, fake.transport);
    const signIn = await screen.findByRole('link', { name: "J'ai déjà un compte Atrium : me connecter pour rejoindre" });
    expect(signIn.getAttribute('href')).toMatch(/^#\/\?next=/);
    expect(screen.getByRole('heading', { name: 'Créer mon compte' })).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Prénom' })).toHaveValue('Léa');
    expect(screen.getByRole('button', { name: 'Créer un compte' })).toBeInTheDocument();
  });

  it('sends to sign-in when the address turns out to have an account', async () => {
    const fake = fakeTransport({
      'invitations.lookup': () => invitation,
      'invitations.accept': () => {
        throw new ApiError('validation', 'invalid input', { token: 'account_exists' });
      },
    });
    await renderWithApp(<AcceptInvitationPage token="abc" signedIn={false} />, fake.transport);
    await userEvent.type(await screen.findByLabelText(/Nouveau mot de passe/), 'un mot de passe solide');
    await userEvent.click(screen.getByRole('button', { name: 'Créer un compte' }));
    expect(await screen.findByText(/Un compte existe déjà pour cette adresse : connectez-vous/)).toBeInTheDocument();
    expect(fake.inputsOf('invitations.accept')[0]).toMatchObject({ token: 'abc', firstName: 'Léa', password: 'un mot de passe solide' });
  });

  it('lets a signed-in person join, and still offers to create an account', async () => {
    const fake = fakeTransport({ 'invitations.lookup': () => invitation, 'invitations.join': () => makeSession() });
    await renderWithApp(<AcceptInvitationPage token="abc" signedIn />, fake.transport);
    await userEvent.click(await screen.findByRole('button', { name: "J'ai déjà un compte Atrium : rejoindre l'organisation" }));
    expect(fake.inputsOf('invitations.join')).toEqual([{ token: 'abc', code: '' }]);
    expect(screen.getByRole('heading', { name: 'Créer mon compte' })).toBeInTheDocument();
  });

  it('says plainly that a closed organization takes no one for now', async () => {
    const fake = fakeTransport({
      'invitations.lookup': () => {
        throw new ApiError('org_closed', 'the organization is closed');
      },
    });
    await renderWithApp(<AcceptInvitationPage token="abc" signedIn={false} />, fake.transport);
    expect(await screen.findByText(/Cette organisation est fermée pour le moment/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Créer un compte' })).not.toBeInTheDocument();
  });

  it('shows characters refused on the field they were typed in', async () => {
    const fake = fakeTransport({
      'invitations.lookup': () => invitation,
      'invitations.accept': () => {
        throw new ApiError('validation', 'invalid input', { firstName: 'invalid_characters' });
      },
    });
    await renderWithApp(<AcceptInvitationPage token="abc" signedIn={false} />, fake.transport);
    await userEvent.type(await screen.findByLabelText(/Nouveau mot de passe/), 'un mot de passe solide');
    await userEvent.click(screen.getByRole('button', { name: 'Créer un compte' }));
    expect(await screen.findByText(/Ce texte contient des caractères qui ne sont pas acceptés/)).toBeInTheDocument();
  });
});
