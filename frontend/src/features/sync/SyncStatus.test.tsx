import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { ApiError } from '../../api/errors';
import type { SyncStatus as Status } from '../../api/types.gen';
import { fakeTransport } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { SyncStatus } from './SyncStatus';

const connected: Status = {
  connected: true, state: 'online', server: 'https://atrium.cabinet.fr', email: 'anne.martin@example.fr',
  waiting: 0, refused: 0, lastSyncAt: new Date().toISOString(), localDossiers: false,
};
const local: Status = { connected: false, state: 'local', server: '', email: '', waiting: 0, refused: 0, localDossiers: true };

// The indicator is the desktop's: it shows where the Wails binding is.
beforeEach(() => {
  window.go = { app: { Desktop: { Invoke: async () => '{}' } } };
});
afterEach(() => {
  delete window.go;
});

describe('SyncStatus', () => {
  it('says connected to which server and when it last synced', async () => {
    await renderWithApp(<SyncStatus />, fakeTransport({ 'sync.status': () => connected }).transport);
    expect(await screen.findByText('Connecté à atrium.cabinet.fr')).toBeInTheDocument();
    expect(screen.getByText(/^Dernière synchronisation à \d\d:\d\d$/)).toBeInTheDocument();
  });

  it('says offline and how many changes wait', async () => {
    await renderWithApp(<SyncStatus />, fakeTransport({ 'sync.status': () => ({ ...connected, state: 'offline', waiting: 1 }) }).transport);
    expect(await screen.findByText('Hors ligne')).toBeInTheDocument();
    expect(screen.getByText('1 modification en attente')).toBeInTheDocument();
  });

  it('asks to sign in again when the server ended the session, keeping the address', async () => {
    const fake = fakeTransport({ 'sync.status': () => ({ ...connected, state: 'signedOut', waiting: 2 }) });
    await renderWithApp(<SyncStatus />, fake.transport);
    fireEvent.click(await screen.findByTestId('sync-status'));
    expect(await screen.findByText(/Vos modifications en attente sont gardées/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Se reconnecter' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).queryByLabelText(/Adresse du serveur/)).not.toBeInTheDocument();
    expect(within(dialog).getByLabelText(/Adresse e-mail/)).toHaveValue('anne.martin@example.fr');
  });

  it('names the changes not sent before disconnecting', async () => {
    const fake = fakeTransport({ 'sync.status': () => ({ ...connected, waiting: 3 }), 'sync.disconnect': () => ({ dropped: 3 }) });
    await renderWithApp(<SyncStatus />, fake.transport);
    fireEvent.click(await screen.findByTestId('sync-status'));
    fireEvent.click(await screen.findByRole('button', { name: 'Se déconnecter du serveur' }));
    expect(await screen.findByTestId('unsent')).toHaveTextContent("3 modifications n'ont pas encore été envoyées");
    expect(fake.inputsOf('sync.disconnect')).toHaveLength(0);
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Se déconnecter' }));
    expect(await screen.findByText(/Déconnecté du serveur/)).toBeInTheDocument();
    expect(fake.inputsOf('sync.disconnect')).toHaveLength(1);
  });

  it('connects: the address checked first, a self-signed certificate accepted by its fingerprint, then the password', async () => {
    const fake = fakeTransport({
      'sync.status': () => local,
      'sync.probe': () => ({ server: 'https://atrium.cabinet.fr', version: '', fingerprint: 'ab01cd02', desktopVersion: '', update: '' }),
      'sync.connect': () => ({ server: 'https://atrium.cabinet.fr', organizations: 2, uploaded: 0, invited: 0 }),
      'sync.localDossiers': () => ({ dossiers: [] }),
    });
    await renderWithApp(<SyncStatus />, fake.transport);
    fireEvent.click(await screen.findByRole('button', { name: 'Se connecter à un serveur Atrium' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('local-stay')).toHaveTextContent(/restent, dans un fichier à part/);
    expect(within(dialog).queryByLabelText(/Mot de passe/)).not.toBeInTheDocument();
    fireEvent.change(within(dialog).getByLabelText(/Adresse du serveur/), { target: { value: 'atrium.cabinet.fr' } });
    fireEvent.click(within(dialog).getByRole('button', { name: "Vérifier l'adresse" }));
    expect(await within(dialog).findByText('AB:01:CD:02')).toBeInTheDocument();
    expect(within(dialog).queryByLabelText(/Mot de passe/)).not.toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Faire confiance à ce serveur' }));
    // The account step takes the focus: the person types on.
    expect(within(dialog).getByLabelText(/Adresse e-mail/)).toHaveFocus();
    fireEvent.change(within(dialog).getByLabelText(/Adresse e-mail/), { target: { value: 'anne.martin@example.fr' } });
    fireEvent.change(within(dialog).getByLabelText(/Mot de passe/), { target: { value: 'un mot de passe solide' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Se connecter' }));
    expect(await screen.findByText('Connecté à atrium.cabinet.fr : 2 dossiers récupérés.')).toBeInTheDocument();
    expect(fake.inputsOf('sync.connect')[0]).toMatchObject({ server: 'https://atrium.cabinet.fr', fingerprint: 'ab01cd02', email: 'anne.martin@example.fr' });
  });

  it("keeps its forms to itself inside a page's form (the first run)", async () => {
    const fake = fakeTransport({ 'sync.status': () => local, 'sync.probe': () => ({ server: 'https://atrium.cabinet.fr', version: '', fingerprint: '', desktopVersion: '', update: '' }) });
    let outer = 0;
    await renderWithApp(
      <form onSubmit={(e) => { e.preventDefault(); outer++; }}><SyncStatus inHeader={false} /></form>,
      fake.transport,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Se connecter à un serveur Atrium' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/Adresse du serveur/), { target: { value: 'atrium.cabinet.fr' } });
    fireEvent.click(within(dialog).getByRole('button', { name: "Vérifier l'adresse" }));
    expect(await within(dialog).findByLabelText(/Mot de passe/)).toBeInTheDocument();
    expect(outer).toBe(0);
  });

  it('says plainly that an address is not an Atrium server', async () => {
    const fake = fakeTransport({
      'sync.status': () => local,
      'sync.probe': () => {
        throw new ApiError('not_atrium_server', 'no');
      },
    });
    await renderWithApp(<SyncStatus />, fake.transport);
    fireEvent.click(await screen.findByRole('button', { name: 'Se connecter à un serveur Atrium' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/Adresse du serveur/), { target: { value: 'www.exemple.fr' } });
    fireEvent.click(within(dialog).getByRole('button', { name: "Vérifier l'adresse" }));
    expect(await within(dialog).findByText(/Cette adresse ne répond pas comme un serveur Atrium/)).toBeInTheDocument();
    expect(fake.inputsOf('sync.connect')).toHaveLength(0);
  });

  it('is not shown in the browser', async () => {
    delete window.go;
    const fake = fakeTransport({ 'sync.status': () => connected });
    await renderWithApp(<div data-testid="shell"><SyncStatus /></div>, fake.transport);
    expect(screen.getByTestId('shell')).toBeEmptyDOMElement();
    expect(fake.calls).toHaveLength(0);
  });
});
