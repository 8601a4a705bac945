import { SessionProvider } from '../../api/queries';
import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import type { OutboxItem } from '../../api/types.gen';
import { fakeTransport, makeSession } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { OutboxPage } from './OutboxPage';

const message = (over: Partial<OutboxItem>): OutboxItem => ({
  id: 'm1', to: 'elodie@example.fr', kind: 'invitation', subject: 'Invitation', text: '', link: '', code: '', withheld: '',
  status: 'pending', attempts: 0, lastReason: '', createdAt: '2026-11-26T10:00:00Z', ...over,
});

function outbox(items: OutboxItem[], configured = true) {
  return fakeTransport({
    'outbox.list': () => ({ items, configured }),
    'mail.settings': () => ({ host: 'smtp.example.fr', port: 587, security: 'starttls', username: 'atrium', passwordSet: true,
      sender: 'atrium@example.fr', configured: true, managedByServer: false, pending: 1, failed: 1 }),
  });
}

describe('outbox', () => {
  it('says in plain words why a message could not be sent', async () => {
    const fake = outbox([
      message({ id: 'a', subject: 'Invitation à rejoindre', status: 'pending', attempts: 2, lastReason: 'auth',
        nextAt: new Date(Date.now() + 4 * 60_000).toISOString() }),
      message({ id: 'b', subject: 'Réinitialisation', status: 'failed', attempts: 5, lastReason: 'recipient' }),
      message({ id: 'c', subject: 'Ancien échec', status: 'failed', attempts: 1, lastReason: 'something-new' }),
      message({ id: 'd', subject: 'Bienvenue', status: 'sent', attempts: 1, lastReason: '' }),
      message({ id: 'e', subject: 'Code de suppression', status: 'failed', attempts: 0, lastReason: 'interrupted' }),
    ]);
    await renderWithApp(<SessionProvider value={makeSession()}><OutboxPage /></SessionProvider>, fake.transport);
    expect(
      await screen.findByText("L'envoi a échoué (2 tentatives). Le serveur d'envoi a refusé l'identifiant ou le mot de passe."),
    ).toBeInTheDocument();
    expect(
      screen.getByText("L'envoi a échoué (5 tentatives). Le serveur d'envoi refuse l'adresse du destinataire : vérifiez-la."),
    ).toBeInTheDocument();
    // A reason this console does not know yet still reads as a sentence.
    expect(
      screen.getByText("L'envoi a échoué (1 tentative). Le serveur d'envoi a répondu de façon inattendue."),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/L'envoi a échoué/)).toHaveLength(3);
    // A send cut short by a stop was never an attempt: no "(0 tentative)".
    expect(
      screen.getByText("L'envoi a été interrompu par un arrêt d'Atrium : le message est peut-être arrivé. Renvoyez-le si besoin."),
    ).toBeInTheDocument();
    // The retry time is told for the message still waiting, and only for it.
    expect(screen.getAllByText(/^Prochain essai vers \S.*\.$/)).toHaveLength(1);
  });

  it('says why a message meant for one person shows no link, and still shows invitations', async () => {
    const fake = outbox(
      [
        message({ id: 'r', kind: 'password_reset', subject: 'Réinitialisation de votre mot de passe Atrium', to: 'anne@example.fr',
          status: 'local', withheld: 'other_organization' }),
        message({ id: 'c', kind: 'email_change', subject: 'Confirmez votre nouvelle adresse e-mail', to: 'anne@nouveau.fr',
          status: 'local', withheld: 'personal' }),
        message({ id: 'i', kind: 'invitation', subject: 'Invitation à rejoindre', status: 'local', code: 'K7PQ2-MX9TA',
          link: 'http://console.test/#/invitation?token=abc', text: 'Bonjour Léa, code K7PQ2-MX9TA' }),
      ],
      false,
    );
    await renderWithApp(<SessionProvider value={makeSession()}><OutboxPage /></SessionProvider>, fake.transport);
    expect(
      await screen.findByText(
        "Le lien et le code ne sont pas affichés : cette personne fait aussi partie d'une autre organisation. Ils ne peuvent lui parvenir que par e-mail, à sa propre adresse. Aucun serveur d'envoi n'est réglé : ce message ne partira pas. La personne pourra demander un nouveau lien par « Mot de passe oublié ? » une fois l'envoi des e-mails réglé.",
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText("Ce message est personnel : son contenu n'est visible que par la personne à qui il est destiné."),
    ).toBeInTheDocument();
    expect(screen.getAllByTestId('outbox-withheld')).toHaveLength(2);
    // Not "À transmettre": the admin has nothing to pass on.
    expect(screen.getAllByText('Réservé au destinataire')).toHaveLength(2);
    expect(screen.getAllByText('À transmettre')).toHaveLength(1);
    // The invitation is passed on by hand: its code and link stay.
    expect(screen.getByRole('button', { name: 'Copier le code K7PQ2-MX9TA' })).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: 'Copier le lien' })).toHaveLength(1);
  });
});
