import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import type { SyncStatus as Status } from '../../api/types.gen';
import { fakeTransport } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { SyncStatus } from './SyncStatus';

const local: Status = { connected: false, state: 'local', server: '', email: '', waiting: 0, refused: 0, localDossiers: true };
const dossier = { id: '0190a1b2-0000-7000-8000-000000000001', name: 'Dossiers du poste', members: 3, tasks: 12 };

beforeEach(() => {
  window.go = { app: { Desktop: { Invoke: async () => '{}' } } };
});
afterEach(() => {
  delete window.go;
});

async function toAccountStep(probe: object) {
  fireEvent.click(await screen.findByRole('button', { name: 'Se connecter à un serveur Atrium' }));
  const dialog = await screen.findByRole('dialog');
  fireEvent.change(within(dialog).getByLabelText(/Adresse du serveur/), { target: { value: 'atrium.cabinet.fr' } });
  fireEvent.click(within(dialog).getByRole('button', { name: "Vérifier l'adresse" }));
  return { dialog, probe };
}

describe('ConnectModal', () => {
  it('asks what to do with the desktop’s own dossiers before anything is sent, and sends those chosen', async () => {
    const fake = fakeTransport({
      'sync.status': () => local,
      'sync.localDossiers': () => ({ dossiers: [dossier] }),
      'sync.probe': () => ({ server: 'https://atrium.cabinet.fr', version: '1.0.0', desktopVersion: '1.0.0', update: '', fingerprint: '' }),
      'sync.connect': () => ({ server: 'https://atrium.cabinet.fr', organizations: 2, uploaded: 1, invited: 2 }),
    });
    await renderWithApp(<SyncStatus />, fake.transport);
    const { dialog } = await toAccountStep({});
    const choice = await within(dialog).findByTestId('local-choice');
    expect(choice).toHaveTextContent(/Cet ordinateur contient un dossier dont vous êtes l'administrateur/);
    expect(within(choice).getByLabelText('Les garder sur cet ordinateur')).toBeChecked();
    expect(choice).toHaveTextContent(/Ils deviennent des dossiers du serveur, dont vous êtes l'administrateur/);
    expect(choice).toHaveTextContent(/une invitation est préparée mais pas envoyée/);
    expect(within(choice).queryByLabelText('Dossiers du poste')).not.toBeInTheDocument();
    expect(fake.inputsOf('sync.connect')).toHaveLength(0);

    fireEvent.click(within(choice).getByLabelText('Envoyer mes dossiers au serveur'));
    expect(within(choice).getByLabelText('Dossiers du poste')).toBeChecked();
    expect(within(choice).getByText('3 membre(s), 12 tâche(s)')).toBeInTheDocument();
    fireEvent.change(within(dialog).getByLabelText(/Adresse e-mail/), { target: { value: 'anne.martin@example.fr' } });
    fireEvent.change(within(dialog).getByLabelText(/Mot de passe/), { target: { value: 'un mot de passe solide' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Se connecter' }));
    expect(await screen.findByText(/1 dossier de cet ordinateur a été envoyé au serveur\. 2 invitations sont prêtes/)).toBeInTheDocument();
    expect(fake.inputsOf('sync.connect')[0]).toMatchObject({ upload: [dossier.id] });
  });

  it('keeps the dossiers on this computer unless asked', async () => {
    const fake = fakeTransport({
      'sync.status': () => local,
      'sync.localDossiers': () => ({ dossiers: [dossier] }),
      'sync.probe': () => ({ server: 'https://atrium.cabinet.fr', version: '1.0.0', desktopVersion: '1.0.0', update: '', fingerprint: '' }),
      'sync.connect': () => ({ server: 'https://atrium.cabinet.fr', organizations: 1, uploaded: 0, invited: 0 }),
    });
    await renderWithApp(<SyncStatus />, fake.transport);
    const { dialog } = await toAccountStep({});
    await within(dialog).findByTestId('local-choice');
    fireEvent.change(within(dialog).getByLabelText(/Adresse e-mail/), { target: { value: 'anne.martin@example.fr' } });
    fireEvent.change(within(dialog).getByLabelText(/Mot de passe/), { target: { value: 'un mot de passe solide' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Se connecter' }));
    expect(await screen.findByText(/Connecté à atrium.cabinet.fr : 1 dossier récupéré\./)).toBeInTheDocument();
    expect(fake.inputsOf('sync.connect')[0]).toMatchObject({ upload: [] });
  });

  it('says, connected, which side to update and that the changes are kept', async () => {
    const fake = fakeTransport({
      'sync.status': () => ({ connected: true, state: 'version', server: 'https://atrium.cabinet.fr', email: 'anne.martin@example.fr',
        waiting: 3, refused: 0, localDossiers: false, versions: { server: '2.0.0', desktop: '1.4.0', update: 'server' } }),
    });
    await renderWithApp(<SyncStatus />, fake.transport);
    fireEvent.click(await screen.findByTestId('sync-status'));
    expect(await screen.findByTestId('state-help')).toHaveTextContent(
      'Ce serveur Atrium est en version 2.0.0, cette application en version 1.4.0 : la personne qui gère le serveur doit le mettre à jour. Vos modifications en attente sont gardées',
    );
    expect(screen.getAllByText('3 modifications en attente').length).toBeGreaterThan(0);
  });

  it('says which side to update when the versions differ, and asks for no password', async () => {
    const fake = fakeTransport({
      'sync.status': () => ({ ...local, localDossiers: false }),
      'sync.probe': () => ({ server: 'https://atrium.cabinet.fr', version: '2.0.0', desktopVersion: '1.4.0', update: 'desktop', fingerprint: '' }),
    });
    await renderWithApp(<SyncStatus />, fake.transport);
    const { dialog } = await toAccountStep({});
    expect(await within(dialog).findByTestId('version')).toHaveTextContent(
      'Ce serveur Atrium est en version 2.0.0, cette application en version 1.4.0 : mettez à jour Atrium sur cet ordinateur pour vous y connecter.',
    );
    expect(within(dialog).queryByLabelText(/Mot de passe/)).not.toBeInTheDocument();
    expect(fake.inputsOf('sync.connect')).toHaveLength(0);
  });
});
