import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useState } from 'react';
import { Button } from '@mantine/core';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SessionProvider } from '../../api/queries';
import { jobShown, resetJobs, type JobRun } from '../../api/jobs';
import { exportFile } from '../../api/files';
import { setTransport } from '../../api/client';
import type { ExportFile, JobProgress as Progress, MemberItem } from '../../api/types.gen';
import { fakeTransport, makeSession } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import i18n from '../../i18n';
import { UsersPage } from '../users/UsersPage';
import { jobText } from './JobProgress';

const t = i18n.getFixedT('fr');
const run = (p: Partial<Progress>, name: JobRun['name'] = 'members.export'): JobRun => ({
  name,
  org: 'o',
  state: 'running',
  progress: { name, state: 'running', unit: 'rows', done: 0, total: 0, ...p },
});

describe('a job in plain words', () => {
  it('says the count of rows, of the total, with French thousands', () => {
    expect(jobText(t, 'fr', run({ done: 1200, total: 5000 }))).toMatch(/^Export des membres : 1\s200 \/ 5\s000 lignes$/);
    expect(jobText(t, 'fr', run({ done: 0, total: 0 }))).toBe('Export des membres : préparation…');
    expect(jobText(t, 'fr', { ...run({}), progress: undefined })).toBe('Export des membres : préparation…');
    expect(jobText(t, 'fr', run({ done: 1, total: 0 }))).toBe('Export des membres : 1 ligne');
    expect(jobText(t, 'fr', run({ done: 5000, total: 5000 }, 'history.export'))).toMatch(/^Export de l'historique : 5\s000 lignes lues, le fichier s'écrit…$/);
    expect(i18n.getFixedT('en')('jobs.rows', { job: 'Member export', done: 1200, total: 5000, count: 5000 })).toBe('Member export: 1,200 / 5,000 rows');
  });

  it('says a copy in megabytes, then that it is checked', () => {
    const mb = 1024 * 1024;
    expect(jobText(t, 'fr', run({ unit: 'bytes', done: 12.3 * mb, total: 41.5 * mb }, 'backups.create'))).toBe('Sauvegarde : 12,3 Mo / 41,5 Mo');
    expect(jobText(t, 'fr', run({ unit: 'bytes', done: 41 * mb, total: 41 * mb }, 'backups.restore'))).toBe('Restauration : copie faite, vérification…');
  });
});

const claire: MemberItem = {
  id: 'm1', accountId: 'a1', firstName: 'Claire', lastName: 'Petit', email: 'claire.petit@example.fr',
  status: 'active', employeeRef: '', jobTitle: '', roles: [],
};

/** The member list, or somewhere else in Atrium, as the person chooses. */
function Pages() {
  const [here, setHere] = useState(true);
  return (
    <>
      <Button onClick={() => setHere(!here)}>{here ? 'Aller aux tâches' : 'Revenir aux utilisateurs'}</Button>
      {here ? <UsersPage /> : <p>Les tâches</p>}
    </>
  );
}

let saved: string[] = [];
beforeEach(() => {
  resetJobs();
  saved = [];
  URL.createObjectURL = vi.fn(() => 'blob:members') as typeof URL.createObjectURL;
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push(this.download);
  });
});
afterEach(() => vi.restoreAllMocks());

describe('an export left running', () => {
  it('shows its count, runs on while the person is elsewhere, still runs when they come back, and says when it ends', async () => {
    const user = userEvent.setup();
    let progress: Progress = { name: 'members.export', state: 'running', unit: 'rows', done: 1200, total: 5000 };
    let finish: (f: ExportFile) => void = () => {};
    const fake = fakeTransport({
      'members.list': () => ({ items: [claire], nextCursor: '', total: 1, totalCapped: false }),
      'roles.list': () => ({ roles: [] }),
      'invitations.list': () => ({ items: [] }),
      'jobs.progress': () => progress,
      'members.export': () => new Promise<ExportFile>((resolve) => (finish = resolve)),
    });
    await renderWithApp(
      <SessionProvider value={makeSession()}>
        <Pages />
      </SessionProvider>,
      fake.transport,
    );
    await screen.findByText('1 membre');
    await user.click(screen.getByRole('button', { name: 'Exporter en CSV' }));
    const button = screen.getByRole('button', { name: 'Exporter en CSV' });
    expect(button).toHaveAttribute('aria-disabled', 'true');
    expect(button).toHaveFocus(); // a keyboard user is not thrown out of the page
    await user.click(button); // a second click starts nothing more
    expect(fake.inputsOf('members.export')).toHaveLength(1);
    expect(await screen.findByText('Export des membres : préparation…')).toBeInTheDocument();
    expect(await screen.findByText(/^Export des membres : 1\s200 \/ 5\s000 lignes$/, {}, { timeout: 2000 })).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '24');
    expect(screen.getByText(/Vous pouvez continuer à travailler ailleurs dans Atrium pendant ce temps/)).toBeInTheDocument();

    // Elsewhere, then back: still running, further on.
    await user.click(screen.getByRole('button', { name: 'Aller aux tâches' }));
    expect(screen.queryByTestId('job-progress')).not.toBeInTheDocument();
    progress = { ...progress, done: 3400 };
    await new Promise((r) => setTimeout(r, 700));
    await user.click(screen.getByRole('button', { name: 'Revenir aux utilisateurs' }));
    expect(await screen.findByText(/^Export des membres : 3\s400 \/ 5\s000 lignes$/, {}, { timeout: 2000 })).toBeInTheDocument();

    // Elsewhere again when it ends: the file is saved all the same, and a notification says so.
    await user.click(screen.getByRole('button', { name: 'Aller aux tâches' }));
    finish({ filename: 'membres-2026-12-04.csv', contentType: 'text/csv', content: 'Prénom\r\n', rows: 5000 });
    expect(
      await screen.findByText(/^Export des membres terminé : 5\s000 lignes\. Le fichier « membres-2026-12-04\.csv » est dans vos téléchargements\.$/),
    ).toBeInTheDocument();
    expect(saved).toEqual(['membres-2026-12-04.csv']);
    await user.click(screen.getByRole('button', { name: 'Revenir aux utilisateurs' }));
    await screen.findByText('1 membre');
    expect(screen.queryByTestId('job-progress')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Exporter en CSV' })).toHaveAttribute('aria-disabled', 'false');
  });

  it('says nothing more than the saved file when the person stayed on the page', async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      'members.list': () => ({ items: [claire], nextCursor: '', total: 1, totalCapped: false }),
      'roles.list': () => ({ roles: [] }),
      'invitations.list': () => ({ items: [] }),
      'jobs.progress': () => ({ name: 'members.export', state: 'running', unit: 'rows', done: 1, total: 1 }),
      'members.export': () => ({ filename: 'membres.csv', contentType: 'text/csv', content: 'x', rows: 1 }),
    });
    await renderWithApp(
      <SessionProvider value={makeSession()}>
        <UsersPage />
      </SessionProvider>,
      fake.transport,
    );
    await screen.findByText('1 membre');
    await user.click(screen.getByRole('button', { name: 'Exporter en CSV' }));
    await waitFor(() => expect(saved).toEqual(['membres.csv']));
    expect(screen.queryByText(/terminé/)).not.toBeInTheDocument();
  });
});

describe('an export in the desktop', () => {
  it('saves its file through the save dialog once the job ends, and tells where when nobody was looking', async () => {
    const saved: string[] = [];
    window.go = {
      app: {
        Desktop: {
          Invoke: async () => '{}',
          SaveFile: async (name: string) => {
            saved.push(name);
            return `C:\\Users\\anne\\Documents\\${name}`;
          },
        },
      },
    };
    const fake = fakeTransport({
      'jobs.progress': () => ({ name: 'history.export', state: 'running', unit: 'rows', done: 10, total: 20 }),
      'history.export': () => ({ filename: 'historique-2026-12-04.csv', contentType: 'text/csv', content: 'N°\r\n', rows: 20 }),
    });
    setTransport(fake.transport);
    try {
      const told: string[] = [];
      expect(jobShown('history.export', 'o')).toBe(false);
      const file = await exportFile('history.export', { person: '', action: '', from: '', to: '', search: '', before: 0, limit: 0 }, {
        org: 'o',
        left: (f, where) => told.push(`${f.rows} ${where.path}`),
      });
      expect(file?.rows).toBe(20);
      expect(saved).toEqual(['historique-2026-12-04.csv']);
      expect(told).toEqual(['20 C:\\Users\\anne\\Documents\\historique-2026-12-04.csv']);
      expect(fake.calls.filter((c) => c.op === 'history.export').map((c) => c.org)).toEqual(['o']);
    } finally {
      delete window.go;
    }
  });
});
