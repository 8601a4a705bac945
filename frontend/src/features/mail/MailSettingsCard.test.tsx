import { SessionProvider } from '../../api/queries';
import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { MailSettings } from '../../api/types.gen';
import { fakeTransport, makeSession } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { MailSettingsCard } from './MailSettingsCard';

const none: MailSettings = {
  host: '', port: 587, security: 'starttls', username: '', passwordSet: false, sender: '',
  configured: false, managedByServer: false, pending: 0, failed: 0,
};

describe('Envoi des e-mails', () => {
  it('fills the server, port and security from the provider chosen, and saves them', async () => {
    const fake = fakeTransport({ 'mail.settings': () => none, 'mail.saveSettings': (input) => ({ ...none, ...(input as object), configured: true }) });
    await renderWithApp(<SessionProvider value={makeSession()}><MailSettingsCard /></SessionProvider>, fake.transport);
    await userEvent.click(await screen.findByLabelText('Fournisseur de messagerie'));
    await userEvent.click(await screen.findByRole('option', { name: 'OVHcloud' }));
    expect(screen.getByRole('textbox', { name: 'Serveur SMTP' })).toHaveValue('ssl0.ovh.net');
    expect(screen.getByLabelText('Port')).toHaveValue('465');
    expect(screen.getByLabelText('Sécurité')).toHaveValue('TLS (port 465)');
    expect(screen.getByTestId('mail-preset-advice')).toHaveTextContent('OVHcloud');

    await userEvent.click(screen.getByLabelText('Fournisseur de messagerie'));
    await userEvent.click(await screen.findByRole('option', { name: 'Gmail / Google Workspace' }));
    expect(screen.getByRole('textbox', { name: 'Serveur SMTP' })).toHaveValue('smtp.gmail.com');
    expect(screen.getByLabelText('Port')).toHaveValue('587');
    expect(screen.getByLabelText('Sécurité')).toHaveValue('STARTTLS');
    expect(screen.getByTestId('mail-preset-advice')).toHaveTextContent("mot de passe d'application");

    await userEvent.type(screen.getByRole('textbox', { name: 'Expéditeur' }), 'claire@boulangerie-martin.fr');
    await userEvent.click(screen.getByRole('button', { name: 'Enregistrer' }));
    await waitFor(() => expect(fake.inputsOf('mail.saveSettings')).toHaveLength(1));
    expect(fake.inputsOf('mail.saveSettings')[0]).toMatchObject({ host: 'smtp.gmail.com', port: 587, security: 'starttls' });
  });

  it('shows no provider for a server typed by hand', async () => {
    const fake = fakeTransport({ 'mail.settings': () => ({ ...none, host: 'mail.cabinet-durand.fr', configured: true }) });
    await renderWithApp(<SessionProvider value={makeSession()}><MailSettingsCard /></SessionProvider>, fake.transport);
    expect(await screen.findByDisplayValue('mail.cabinet-durand.fr')).toBeInTheDocument();
    expect(screen.getByLabelText('Fournisseur de messagerie')).toHaveValue('');
    expect(screen.queryByTestId('mail-preset-advice')).not.toBeInTheDocument();
  });

  it('offers nothing to change while the organization is closed', async () => {
    const session = makeSession();
    session.organization = { ...session.organization, status: 'closed' };
    const fake = fakeTransport({ 'mail.settings': () => ({ ...none, host: 'smtp.gmail.com', configured: true }) });
    await renderWithApp(<SessionProvider value={session}><MailSettingsCard /></SessionProvider>, fake.transport);
    expect(await screen.findByRole('textbox', { name: 'Serveur SMTP' })).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Enregistrer' })).not.toBeInTheDocument();
  });
});
