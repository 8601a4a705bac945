import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SessionProvider } from '../../api/queries';
import type { InvitationItem } from '../../api/types.gen';
import { fakeTransport, makeSession } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { InviteButton, PendingInvitations } from './InvitationsPanel';

function sent(mailWaits: boolean): InvitationItem {
  return {
    id: 'i1', email: 'lea.roux@example.fr', firstName: 'Léa', lastName: 'Roux', jobTitle: '', employeeRef: '',
    invitedBy: '', sentAt: '2026-12-02T10:00:00Z', expiresAt: '2026-12-09T10:00:00Z', expired: false, unsent: false, mailWaits,
  };
}

async function invite(mailWaits: boolean) {
  const fake = fakeTransport({ 'roles.list': () => ({ roles: [] }), 'invitations.create': () => sent(mailWaits) });
  await renderWithApp(
    <SessionProvider value={makeSession()}>
      <InviteButton />
    </SessionProvider>,
    fake.transport,
  );
  await userEvent.click(screen.getByRole('button', { name: 'Inviter' }));
  await userEvent.type(screen.getByRole('textbox', { name: 'Adresse e-mail' }), 'lea.roux@example.fr');
  await userEvent.click(screen.getByRole('button', { name: "Envoyer l'invitation" }));
}

describe('Inviter', () => {
  it('says the invitation was sent when a mail server sends it', async () => {
    await invite(false);
    expect(await screen.findByText('Invitation envoyée à lea.roux@example.fr.')).toBeInTheDocument();
  });

  it('never says "envoyée" when the message waits in the outbox', async () => {
    await invite(true);
    expect(await screen.findByText(/le message attend dans la Boîte d'envoi/)).toBeInTheDocument();
    expect(screen.queryByText(/Invitation envoyée/)).not.toBeInTheDocument();
  });

  it('is not offered in a closed organization, which is read-only', async () => {
    const closed = makeSession();
    closed.organization = { ...closed.organization, status: 'closed' };
    await renderWithApp(
      <SessionProvider value={closed}>
        <InviteButton />
      </SessionProvider>,
      fakeTransport({}).transport,
    );
    expect(screen.queryByRole('button', { name: 'Inviter' })).not.toBeInTheDocument();
  });

  it('offers to send an invitation prepared from a dossier sent by a desktop, and says it was sent', async () => {
    const prepared = { ...sent(false), expiresAt: '2026-12-02T10:00:00Z', invitedBy: 'Anne Martin', unsent: true };
    const fake = fakeTransport({
      'invitations.list': () => ({ items: [prepared] }),
      'invitations.resend': () => ({ ...sent(false), sentAt: '2026-12-04T10:00:00Z', expiresAt: '2026-12-11T10:00:00Z' }),
    });
    await renderWithApp(
      <SessionProvider value={makeSession()}>
        <PendingInvitations />
      </SessionProvider>,
      fake.transport,
    );
    expect(await screen.findByText('Pas encore envoyée')).toBeInTheDocument();
    expect(screen.queryByText('Expirée')).not.toBeInTheDocument();
    expect(screen.getByText(/reprise du dossier envoyé par Anne Martin le 02\/12\/2026/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Envoyer' }));
    expect(await screen.findByText('Invitation envoyée à lea.roux@example.fr.')).toBeInTheDocument();
    expect(fake.inputsOf('invitations.resend')).toEqual([{ invitationId: 'i1' }]);
  });

  it('shows the first pending invitations and more on demand, so thousands keep the page quick', async () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ ...sent(false), id: `i${i}`, email: `p${i}@example.fr`, firstName: `P${i}`, lastName: '' }));
    await renderWithApp(
      <SessionProvider value={makeSession()}>
        <PendingInvitations />
      </SessionProvider>,
      fakeTransport({ 'invitations.list': () => ({ items: many }) }).transport,
    );
    expect(await screen.findByText('25 invitations en attente')).toBeInTheDocument();
    expect(screen.getAllByTestId('pending-invitation')).toHaveLength(10);
    await userEvent.click(screen.getByRole('button', { name: 'Afficher 15 de plus (reste 15)' }));
    expect(screen.getAllByTestId('pending-invitation')).toHaveLength(25);
    expect(screen.queryByRole('button', { name: /Afficher/ })).not.toBeInTheDocument();
  });
});
