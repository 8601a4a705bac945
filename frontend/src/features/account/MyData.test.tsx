import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Boot } from '../shell/Boot';
import { ApiError } from '../../api/errors';
import { resetJobs } from '../../api/jobs';
import { renderWithApp } from '../../test/render';
import type { ExportFile, JobProgress } from '../../api/types.gen';
import { accountBackend } from './testBackend';

let saved: { name: string; type: string }[] = [];
beforeEach(() => {
  resetJobs();
  saved = [];
  let blob: Blob | undefined;
  URL.createObjectURL = vi.fn((b: Blob) => ((blob = b), 'blob:data')) as typeof URL.createObjectURL;
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, type: blob?.type ?? '' });
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  window.location.hash = '';
});

async function openCard(fake: ReturnType<typeof accountBackend>) {
  window.location.hash = '#/account?tab=security';
  await renderWithApp(<Boot />, fake.transport);
  return screen.findByRole('region', { name: 'Mes données' });
}

describe('Mon compte › Mes données', () => {
  it('explains in plain words, shows the count while the file is read, then downloads the JSON file', async () => {
    const user = userEvent.setup();
    let finish: (f: ExportFile) => void = () => {};
    const progress: JobProgress = { name: 'account.exportData', state: 'running', unit: 'sections', done: 3, total: 7 };
    const fake = accountBackend({
      'jobs.progress': () => progress,
      'account.exportData': () => new Promise<ExportFile>((resolve) => (finish = resolve)),
    });
    const card = await openCard(fake);
    expect(
      within(card).getByText("Téléchargez une copie de toutes les informations qu'Atrium garde sur vous, dans un fichier JSON lisible par d'autres logiciels."),
    ).toBeInTheDocument();
    const button = within(card).getByRole('button', { name: 'Exporter mes données' });
    await user.click(button);
    expect(button).toHaveAttribute('aria-disabled', 'true');
    await user.click(button); // already running: nothing more
    expect(fake.inputsOf('account.exportData')).toEqual([{}]);
    expect(await within(card).findByText('Export de mes données : 3 / 7 rubriques', {}, { timeout: 2000 })).toBeInTheDocument();
    expect(Number(within(card).getByRole('progressbar').getAttribute('aria-valuenow'))).toBeCloseTo(42.86, 1);

    finish({ filename: 'atrium-mes-donnees-2026-12-04.json', contentType: 'application/json', content: '{"format":"atrium.personal-data"}', rows: 12 });
    await waitFor(() => expect(saved).toEqual([{ name: 'atrium-mes-donnees-2026-12-04.json', type: 'application/json' }]));
    await waitFor(() => expect(within(card).queryByTestId('job-progress')).not.toBeInTheDocument());
    expect(button).toHaveAttribute('aria-disabled', 'false');
  });

  it('says a failure in the card, translated', async () => {
    const user = userEvent.setup();
    const fake = accountBackend({
      'jobs.progress': () => ({ name: 'account.exportData', state: 'failed', unit: 'sections', done: 1, total: 7 }),
      'account.exportData': () => {
        throw new ApiError('internal', 'boom');
      },
    });
    const card = await openCard(fake);
    await user.click(within(card).getByRole('button', { name: 'Exporter mes données' }));
    const alert = await within(card).findByRole('alert');
    expect(alert.textContent).toMatch(/\S/);
    expect(alert.textContent).not.toMatch(/boom|internal/);
    expect(saved).toEqual([]);
  });

  it('reads in English too', async () => {
    const { default: i18n } = await import('../../i18n');
    expect(i18n.getFixedT('en')('account.myData.export')).toBe('Export my data');
    expect(i18n.getFixedT('en')('jobs.sections', { job: i18n.getFixedT('en')('jobs.names.account.exportData'), done: 3, total: 7 })).toBe(
      'My data export: 3 / 7 sections',
    );
  });
});
