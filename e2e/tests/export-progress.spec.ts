import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { createWorkspace } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// An export is long work too: the member list of 100,001 members exported
// as CSV (one file holds 100,000 at most) shows a bar with its count of lines
// ("12 000 / 100 000 lignes"),
// the page may be left while it runs, and the file is downloaded when it
// ends, with a message saying so since the person went elsewhere.

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const admin = { first: 'Camille', last: 'Durand', email: 'camille.durand@example.test', password: 'Un jardin fleuri en avril' };
const SEEDED = 100_000;

/** French numbers are grouped with a narrow no-break space: "100 001". */
const fr = (text: string) => new RegExp(text.replace(/ (?=\d)/g, '[\\s\u202f]'));

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('export-progress');
});
test.afterAll(async () => {
  await server?.stop();
});

test('a member export of 100,000 counts its lines, and goes on while the person is elsewhere', async ({ page }) => {
  test.setTimeout(180_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await createWorkspace(page, server.url, { firstName: admin.first, lastName: admin.last, email: admin.email, password: admin.password, organization: 'Groupe Durand' });
  execFileSync('go', ['run', './bench/members/cmd/seed', '--db', server.db, '--count', String(SEEDED)], { cwd: repo, stdio: 'pipe' });
  const nav = page.getByRole('navigation', { name: 'Menu principal' });
  await nav.getByRole('link', { name: 'Utilisateurs' }).click();
  await expect(page.getByText(fr('^100 001 membres$'))).toBeVisible({ timeout: 30_000 });

  const download = page.waitForEvent('download', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Exporter en CSV' }).click();
  const progress = page.getByTestId('job-progress');
  // The lines written so far, of the members counted first, with a bar.
  await expect(progress).toContainText(fr('^Export des membres : [\\d\\s\u202f]+ / 100 000 lignes'), { timeout: 30_000 });
  await expect(progress.getByRole('progressbar')).toHaveAttribute('aria-valuenow', /\d+/);
  await expect(progress).toContainText('Vous pouvez continuer à travailler ailleurs dans Atrium pendant ce temps');
  await page.screenshot({ path: 'screenshots/export-progress-01-members.png' });

  // Elsewhere in Atrium while it runs; the file comes all the same, and a message says so.
  await nav.getByRole('link', { name: 'Historique' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^membres-\d{4}-\d\d-\d\d\.csv$/);
  const content = readFileSync((await file.path())!, 'utf8');
  expect(content.split('\r\n').length - 2).toBe(SEEDED);
  await expect(page.getByText(fr('^Export des membres terminé : 100 000 lignes\\. Le fichier « membres-[\\d-]+\\.csv » est dans vos téléchargements\\.$'))).toBeVisible({ timeout: 10_000 });
  await page.screenshot({ path: 'screenshots/export-progress-02-ended-elsewhere.png' });

  expect(pageErrors).toEqual([]);
});
