import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import type { OutboxItem } from '../../api/types.gen';
import { fakeTransport } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { OutboxPage } from './OutboxPage';

const message = (over: Partial<OutboxItem>): OutboxItem => ({
  id: 'm1', to: 'elodie@example.fr', kind: 'invitation', subject: 'Invitation', text: '', link: '', code: '',
  status: 'pending', attempts: 0, lastReason: '', createdAt: '2026-11-26T10:00:00Z', ...over,
});

function outbox(items: OutboxItem[]) {
  return fakeTransport({
    'outbox.list': () => ({ items, configured: true }),
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
    await renderWithApp(<OutboxPage />, fake.transport);
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
});
