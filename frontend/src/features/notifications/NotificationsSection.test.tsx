import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import type { NotificationPreferences } from '../../api/types.gen';
import { fakeTransport } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { NotificationsSection } from './NotificationsSection';

const prefs = (mailReady: boolean): NotificationPreferences => ({
  mailReady,
  categories: [
    { category: 'tasks', enabled: true, locked: false },
    { category: 'weekly_digest', enabled: false, locked: false },
    { category: 'security', enabled: true, locked: true },
  ],
});

describe('Notifications par e-mail', () => {
  it('offers each category in plain words, and says when nothing can be sent yet', async () => {
    await renderWithApp(<NotificationsSection />, fakeTransport({ 'notifications.preferences': () => prefs(false) }).transport);
    expect(await screen.findByRole('switch', { name: /Tâches qui me sont confiées/ })).toBeChecked();
    expect(screen.getByRole('switch', { name: /Résumé hebdomadaire/ })).not.toBeChecked();
    expect(screen.getByText(/Atrium n'envoie pas encore d'e-mails/)).toBeInTheDocument();
  });

  it('says nothing about sending once mail is set up', async () => {
    await renderWithApp(<NotificationsSection />, fakeTransport({ 'notifications.preferences': () => prefs(true) }).transport);
    await screen.findByRole('switch', { name: /Tâches qui me sont confiées/ });
    expect(screen.queryByText(/Atrium n'envoie pas encore d'e-mails/)).not.toBeInTheDocument();
  });
});
