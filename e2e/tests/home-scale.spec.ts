import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { createWorkspace } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// Accueil at scale: an accountant in 500 dossiers holding 50,000 tasks signs
// in and lands on a home page that lists their late tasks first, across all
// those dossiers, in a real Chromium.
//
// ATRIUM_HOME_FIGURES=1 also prints the figures of docs/PERFORMANCE.md
// (bench/home-render/run.sh sets it): the sign-in to the first task line, the
// First Contentful Paint and long tasks of a page load once signed in, and
// home.summary as the browser sees it, over RELOADS reloads.

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const marc = {
  firstName: 'Marc',
  lastName: 'Lefort',
  email: 'marc.lefort@example.test',
  password: 'Cinq cents dossiers et un café',
  organization: 'Cabinet Lefort',
};
const DOSSIERS = 500;
const TASKS = 50_000;
const figures = !!process.env.ATRIUM_HOME_FIGURES;
const RELOADS = Number(process.env.ATRIUM_HOME_RELOADS ?? 20);

declare global {
  interface Window {
    __perf: { paints: Record<string, number>; longTasks: { start: number; duration: number }[] };
  }
}

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('home-scale');
});
test.afterAll(async () => {
  await server?.stop();
});

/** What the page measured since it loaded: its paints, its long tasks, its home.summary calls (ms). */
async function measured(page: Page) {
  return page.evaluate(() => ({
    fcp: window.__perf.paints['first-contentful-paint'] ?? -1,
    longTasks: window.__perf.longTasks.map((e) => Math.round(e.duration)),
    summary: performance
      .getEntriesByType('resource')
      .filter((e) => e.name.endsWith('/api/ops/home.summary'))
      .map((e) => Math.round((e as PerformanceResourceTiming).responseEnd - e.startTime)),
    // When the longest task began, in ms after home.summary's answer came.
    longestAfterSummary: (() => {
      const answer = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/ops/home.summary'));
      const longest = [...window.__perf.longTasks].sort((a, b) => b.duration - a.duration)[0];
      return answer && longest ? Math.round(longest.start - (answer as PerformanceResourceTiming).responseEnd) : null;
    })(),
  }));
}

function quantile(xs: number[], q: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))];
}

test('500 dossiers, 50,000 tasks: Accueil lists the late tasks first', async ({ page }) => {
  test.setTimeout(figures ? 300_000 : 120_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  // The paints and long tasks of every page load, from its first script on.
  await page.addInitScript(() => {
    window.__perf = { paints: {}, longTasks: [] };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__perf.paints[e.name] = Math.round(e.startTime);
    }).observe({ type: 'paint', buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__perf.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });

  await createWorkspace(page, server.url, marc);
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();

  // 499 client dossiers more and 50,000 tasks, straight into the server's
  // database (the generator of the home.summary benchmark).
  const seedStart = Date.now();
  execFileSync('go', ['run', './bench/home/cmd/seed', '--db', server.db, '--account', marc.email,
    '--dossiers', String(DOSSIERS), '--tasks', String(TASKS)], { cwd: repo, stdio: 'pipe' });
  const seedMs = Date.now() - seedStart;

  // Sign out, then in: the click on "Se connecter" to the first task line.
  await page.getByRole('button', { name: 'Menu de votre compte' }).click();
  await page.getByRole('menuitem', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Adresse e-mail', exact: true }).fill(marc.email);
  await page.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill(marc.password);
  // ATRIUM_HOME_PROFILE=FILE.cpuprofile records the main thread from the
  // click to the first task line (open it in Chromium's DevTools).
  const profile = process.env.ATRIUM_HOME_PROFILE;
  const cdp = profile ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  const since = await page.evaluate(() => performance.now());
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const lines = page.getByRole('region', { name: 'Mes tâches' }).getByRole('link');
  await expect(lines.first()).toBeVisible();
  const signInMs = Date.now() - t0;
  if (cdp) writeFileSync(profile!, JSON.stringify((await cdp.send('Profiler.stop')).profile));
  const signInTasks = await page.evaluate((t) => window.__perf.longTasks.filter((e) => e.start >= t).map((e) => Math.round(e.duration)), since);
  // What the page drew: its elements and each section's lines.
  const drawn = await page.evaluate(() => ({
    elements: document.querySelectorAll('*').length,
    lines: Array.from(document.querySelectorAll('section[aria-label], [role="region"]'), (r) => `${r.getAttribute('aria-label')}: ${r.querySelectorAll('a').length}`),
  }));

  // Across every dossier, the most late first: the generator's oldest due
  // date is 30 days ago (29 to 31 in Paris, by the hour of the run).
  await expect(page.getByText(`Ce qui vous attend dans vos ${DOSSIERS} dossiers.`)).toBeVisible();
  await expect(lines.first()).toContainText(/En retard de (29|30|31) jours/);
  if (figures) await page.screenshot({ path: 'screenshots/home-scale-01-signed-in.png' });

  if (figures) {
    // Page loads once signed in (a new tab, a refresh): the reload to the
    // first task line as Playwright sees it, and what the page measured.
    const loads: { ms: number; fcp: number; longTasks: number[]; summary: number[]; longestAfterSummary: number | null }[] = [];
    for (let i = 0; i < RELOADS; i++) {
      const start = Date.now();
      await page.reload();
      await expect(lines.first()).toBeVisible();
      const ms = Date.now() - start;
      loads.push({ ms, ...(await measured(page)) });
    }
    const ms = loads.map((l) => l.ms);
    const fcp = loads.map((l) => l.fcp);
    const summary = loads.map((l) => l.summary[0]);
    const long = loads.flatMap((l) => l.longTasks);
    console.log(
      [
        `home-render, ${DOSSIERS} dossiers with ${TASKS} tasks (seeded in ${(seedMs / 1000).toFixed(1)} s)`,
        `  click "Se connecter" → first task line visible: ${signInMs} ms; long tasks meanwhile: ${JSON.stringify(signInTasks)}`,
        `  drawn: ${drawn.elements} elements; links by section: ${drawn.lines.join(', ')}`,
        `  page load signed in (${RELOADS} reloads), p50 / p95 / max:`,
        `    reload → first task line visible: ${quantile(ms, 0.5)} / ${quantile(ms, 0.95)} / ${Math.max(...ms)} ms`,
        `    First Contentful Paint: ${quantile(fcp, 0.5)} / ${quantile(fcp, 0.95)} / ${Math.max(...fcp)} ms`,
        `    home.summary in the browser: ${quantile(summary, 0.5)} / ${quantile(summary, 0.95)} / ${Math.max(...summary)} ms`,
        `    long tasks > 50 ms: ${long.length} in ${RELOADS} loads, longest ${Math.max(0, ...long)} ms (${JSON.stringify(loads.map((l) => l.longTasks))})`,
        `    the longest task began after home.summary answered by (ms): ${JSON.stringify(loads.map((l) => l.longestAfterSummary))}`,
        `    home.summary calls a load: ${JSON.stringify([...new Set(loads.map((l) => l.summary.length))])}`,
      ].join('\n'),
    );
  }
  expect(pageErrors).toEqual([]);
});
