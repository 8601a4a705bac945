import { describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { ApiError } from '../../api/errors';
import type { BackupItem, BackupList } from '../../api/types.gen';
import { fakeTransport, makeSession } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { BackupsPage } from './BackupsPage';
import { formatSize } from './format';

const daily: BackupItem = { name: 'atrium-20261203-091500-daily.db', at: '2026-12-03T09:15:00Z', reason: 'daily', size: 12_897_485 };
const update: BackupItem = { name: 'atrium-20261128-080000-before-v14.db', at: '2026-11-28T08:00:00Z', reason: 'before-v14', size: 870_400 };
const safety: BackupItem = { name: 'atrium-20261203-101000-before-restore.db', at: '2026-12-03T10:10:00Z', reason: 'before-restore', size: 13_000_000 };

function desktop(list: BackupList, restore?: () => never) {
  return fakeTransport({
    'session.current': () => makeSession(),
    'backups.list': () => list,
    'backups.restore': restore ?? (() => ({ cancelled: false, from: daily.name, safetyBackup: safety })),
  });
}

describe('Sauvegardes', () => {
  it('lists each backup with its day, time, kind and size in plain words, and says a failed one', async () => {
    const fake = desktop({ backups: [daily, update], lastFailure: { at: '2026-12-02T09:15:00Z', code: 'disk_full' } });
    await renderWithApp(<BackupsPage />, fake.transport);
    const rows = await screen.findAllByTestId('backup-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText(/^03\/12\/2026 \d\d:15$/)).toBeInTheDocument();
    expect(within(rows[0]).getByText('Quotidienne')).toBeInTheDocument();
    expect(within(rows[0]).getByText('12,3 Mo')).toBeInTheDocument();
    expect(within(rows[1]).getByText(/^28\/11\/2026 /)).toBeInTheDocument();
    expect(within(rows[1]).getByText('Avant une mise à jour')).toBeInTheDocument();
    expect(within(rows[1]).getByText('850 ko')).toBeInTheDocument();
    expect(screen.getByTestId('backup-failure')).toHaveTextContent(
      /La sauvegarde automatique du 02\/12\/2026 \d\d:15 n'a pas pu être faite\. Le disque est plein/,
    );
  });

  it('restores a backup once confirmed, then signs out and says Atrium reopened on it', async () => {
    const fake = desktop({ backups: [daily] });
    await renderWithApp(<BackupsPage />, fake.transport);
    fireEvent.click(await screen.findByRole('button', { name: 'Restaurer' }));
    expect(await screen.findByText(/seront remplacées par celles de la sauvegarde du 03\/12\/2026/)).toBeInTheDocument();
    expect(fake.inputsOf('backups.restore')).toHaveLength(0);
    const dialog = screen.getByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Restaurer' }));
    expect(await screen.findByText('Sauvegarde restaurée')).toBeInTheDocument();
    expect(screen.getByText(/Atrium s'est rouvert sur la sauvegarde du 03\/12\/2026 .* Connectez-vous à nouveau\./)).toBeInTheDocument();
    expect(fake.inputsOf('backups.restore')).toEqual([{ name: daily.name }]);
    expect(window.location.hash).toBe('#/');
  });

  it('says why a backup is refused, in the confirmation, and stays signed in', async () => {
    const fake = desktop({ backups: [daily] }, () => {
      throw new ApiError('backup_too_new', 'newer');
    });
    await renderWithApp(<BackupsPage />, fake.transport);
    fireEvent.click(await screen.findByRole('button', { name: 'Restaurer' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Restaurer' }));
    expect(await screen.findByText(/vient d'une version plus récente d'Atrium.*Rien n'a été modifié\./)).toBeInTheDocument();
    expect(screen.queryByText('Sauvegarde restaurée')).not.toBeInTheDocument();
  });

  it('says so when the restored backup would not open and Atrium went back to the data from before', async () => {
    window.location.hash = '#/backups';
    const fake = desktop({ backups: [daily] }, () => {
      throw new ApiError('restore_failed', 'put back');
    });
    await renderWithApp(<BackupsPage />, fake.transport);
    fireEvent.click(await screen.findByRole('button', { name: 'Restaurer' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Restaurer' }));
    expect(await screen.findByText(/Atrium est revenu aux données d'avant la restauration, rien n'est perdu/)).toBeInTheDocument();
    expect(window.location.hash).toBe('#/');
  });

  it('tells a member who is not the desktop administrator why the page is closed to them', async () => {
    const fake = fakeTransport({
      'backups.list': () => {
        throw new ApiError('forbidden', 'no');
      },
    });
    await renderWithApp(<BackupsPage />, fake.transport);
    expect(await screen.findByText(/Seul l'administrateur de ce poste gère ses sauvegardes/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sauvegarder maintenant' })).not.toBeInTheDocument();
  });

  it('shows a backup being made with its count in megabytes, then says it is made', async () => {
    const mb = 1024 * 1024;
    let made: (b: BackupItem) => void = () => {};
    const fake = fakeTransport({
      'session.current': () => makeSession(),
      'backups.list': () => ({ backups: [daily] }),
      'jobs.progress': () => ({ name: 'backups.create', state: 'running', unit: 'bytes', done: 12.3 * mb, total: 41.5 * mb }),
      'backups.create': () => new Promise<BackupItem>((resolve) => (made = resolve)),
    });
    await renderWithApp(<BackupsPage />, fake.transport);
    fireEvent.click(await screen.findByRole('button', { name: 'Sauvegarder maintenant' }));
    expect(await screen.findByText('Sauvegarde : 12,3 Mo / 41,5 Mo', {}, { timeout: 2000 })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sauvegarder maintenant' })).toBeDisabled();
    made({ ...daily, name: 'atrium-20261204-101500-manual.db', at: '2026-12-04T10:15:00Z', reason: 'manual', size: 41.5 * mb });
    expect(await screen.findByText(/^Sauvegarde faite : 04\/12\/2026 \d\d:15, 41,5 Mo\.$/)).toBeInTheDocument();
    expect(screen.queryByTestId('job-progress')).not.toBeInTheDocument();
  });

  it('writes sizes in plain units', () => {
    expect(formatSize(512, 'fr')).toBe('512 octets');
    expect(formatSize(1_288_490_189, 'fr')).toBe('1,2 Go');
    expect(formatSize(12_897_485, 'en')).toBe('12.3 MB');
  });
});

describe('saving a file', () => {
  it('goes through the desktop save dialog when the window has one, a download otherwise', async () => {
    const { saveFile } = await import('../../api/files');
    const saved: string[] = [];
    window.go = {
      app: {
        Desktop: {
          Invoke: async () => '{}',
          SaveFile: async (name: string, _type: string, content: string) => {
            saved.push(`${name}:${content}`);
            return name === 'annule.csv' ? '' : `/home/anne/${name}`;
          },
        },
      },
    };
    try {
      await expect(saveFile({ filename: 'membres.csv', contentType: 'text/csv', content: 'a;b' })).resolves.toEqual({
        cancelled: false, path: '/home/anne/membres.csv',
      });
      await expect(saveFile({ filename: 'annule.csv', contentType: 'text/csv', content: 'x' })).resolves.toEqual({ cancelled: true });
      expect(saved).toEqual(['membres.csv:a;b', 'annule.csv:x']);
    } finally {
      delete window.go;
    }
  });
});
