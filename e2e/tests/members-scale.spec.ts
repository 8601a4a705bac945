import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { createWorkspace } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// C1 at scale: the member list of an organization of 100,000 members
// in a real Chromium. The first rows come quickly, the total is shown in French
// format, the list keeps a bounded number of rows in the DOM, scrolling loads
// the next pages by cursor, a search narrows the list, and the main thread
// never freezes.
//
// ATRIUM_MEMBERS_FIGURES=1 also prints the figures of docs/PERFORMANCE.md
// (bench/members-render/run.sh sets it) and scrolls further (ATRIUM_MEMBERS_ROWS).

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const admin = { first: 'Camille', last: 'Durand', email: 'camille.durand@example.test', password: 'Un jardin fleuri en avril' };
const SEEDED = 100_000;
const figures = !!process.env.ATRIUM_MEMBERS_FIGURES;
// Rows to scroll through: 30 pages of 100 in CI (the whole test takes 25-35 s,
// half of it seeding).
const ROWS = Number(process.env.ATRIUM_MEMBERS_ROWS ?? (figures ? 5000 : 3000));

// The longest main-thread task allowed, from the click on "Utilisateurs"
// through scrolling and searching. Measured on the 2-core machine shared with
// other jobs (load 2-6): this page's longest task was 0-250 ms (about 60 ms
// when the machine is quiet: the scheduler stretches tasks), while rendering
// every loaded row instead of the visible ones froze it for 1.5 s at only
// 3,000 rows (and grows with every page). 500 ms is twice the worst normal
// case and a third of that freeze: a hitch a user would notice, no more.
const LONGEST_TASK_MS = 500;
// Rows the virtualized list may keep in the DOM (a screen holds about ten).
const MAX_DOM_ROWS = 100;

declare global {
  interface Window {
    __longTasks: { start: number; duration: number }[];
  }
}

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('members-scale');
});
test.afterAll(async () => {
  await server?.stop();
});

/** Durations of the long tasks since `since` (performance.now() of the page). */
async function longTasks(page: Page, since: number) {
  return page.evaluate((t) => window.__longTasks.filter((e) => e.start >= t).map((e) => Math.round(e.duration)), since);
}

/** Long tasks since `since`, as "duration@start" in ms after `since` (for the figures). */
async function longTaskLog(page: Page, since: number) {
  const all = await page.evaluate((t) => window.__longTasks.filter((e) => e.start >= t), since);
  return all.map((e) => `${Math.round(e.duration)}@${Math.round(e.start - since)}`).join(' ');
}

test('100,000 members: first rows fast, French total, virtualized, paged by cursor, searchable, no freeze', async ({ page }) => {
  test.setTimeout(120_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  // Every long task of the page, from its first script on.
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });

  await createWorkspace(page, server.url, {
    firstName: admin.first,
    lastName: admin.last,
    email: admin.email,
    password: admin.password,
    organization: 'Groupe Durand',
  });
  const nav = page.getByRole('navigation', { name: 'Menu principal' });
  await expect(nav).toBeVisible();

  // 100,000 members through the store, in batches with one shared password
  // hash; the server keeps running (SQLite in WAL mode, the seed waits its turn).
  const seedStart = Date.now();
  execFileSync('go', ['run', './bench/members/cmd/seed', '--db', server.db, '--count', String(SEEDED)], { cwd: repo, stdio: 'pipe' });
  const seedMs = Date.now() - seedStart;

  // Every members.list request the page sends: each asks for one page, by cursor.
  const requests: { cursor: string; limit: number; query: string }[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/ops/members.list')) requests.push(JSON.parse(r.postData() ?? '{}'));
  });

  // A fresh start on the home page, then the menu: what the office manager does.
  await page.goto(server.url);
  await expect(nav).toBeVisible();
  const coldTasks = await longTasks(page, 0);
  // ATRIUM_MEMBERS_PROFILE=FILE.cpuprofile records the main thread from the
  // click to the end of the scroll (open it in Chromium's DevTools).
  const profile = process.env.ATRIUM_MEMBERS_PROFILE;
  const cdp = profile || figures ? await page.context().newCDPSession(page) : null;
  if (profile) {
    await cdp!.send('Profiler.enable');
    await cdp!.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp!.send('Profiler.start');
  }
  const since = await page.evaluate(() => performance.now());
  const t0 = Date.now();
  await nav.getByRole('link', { name: 'Utilisateurs' }).click();
  const list = page.getByRole('list', { name: 'Utilisateurs' });
  const rows = list.getByRole('listitem');
  await expect(rows.first()).toBeVisible();
  const firstRowsMs = Date.now() - t0;
  // 100,000 seeded + the admin, grouped by thousands as French writes it
  // ("100 001", with a narrow no-break space).
  await expect(page.getByText(/^100\s001 membres$/)).toBeVisible();
  expect.soft(firstRowsMs, 'first rows within 3 s').toBeLessThan(3000);
  const firstNames = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  await expect(rows.first()).toHaveAttribute('aria-posinset', '1');
  await expect(rows.first()).toHaveAttribute('aria-setsize', String(SEEDED + 1));
  if (figures) await page.screenshot({ path: 'screenshots/members-scale-01-first-rows.png' });

  // Scroll like a fast fling (20 rows a frame) until row ROWS is on screen,
  // counting the rows in the DOM at every frame.
  const scrolled = await list.evaluate(async (el, target) => {
    let maxRows = 0;
    let last = 0;
    let frames = 0;
    const start = performance.now();
    const end = start + 60_000;
    while (performance.now() < end) {
      frames += 1;
      el.scrollTop += 20 * 64;
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const items = el.querySelectorAll('[role="listitem"]');
      maxRows = Math.max(maxRows, items.length);
      last = Math.max(...Array.from(items, (i) => Number(i.getAttribute('aria-posinset'))));
      if (last >= target) break;
    }
    return { maxRows, last, frames, ms: performance.now() - start };
  }, ROWS);
  expect(scrolled.last, `row ${ROWS} reached`).toBeGreaterThanOrEqual(ROWS);
  expect.soft(scrolled.maxRows, 'rows in the DOM while scrolling').toBeLessThan(MAX_DOM_ROWS);
  await expect(rows.first()).toBeVisible();
  const laterNames = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  // Later in the alphabet (by last name), names the first screen did not show.
  const lastName = (n: string) => n.split(' ').slice(1).join(' ');
  expect(lastName(laterNames[laterNames.length - 1]).localeCompare(lastName(firstNames[0]), 'fr')).toBeGreaterThan(0);
  expect.soft(laterNames.filter((n) => firstNames.includes(n)), 'first names still in the DOM').toEqual([]);
  // Keyset paging: one page at a time, never the same cursor twice.
  const pages = requests.filter((r) => r.query === '');
  expect(pages.length).toBeGreaterThanOrEqual(ROWS / 100);
  for (const r of pages) expect(r.limit).toBeLessThanOrEqual(200);
  expect(new Set(pages.map((r) => r.cursor)).size).toBe(pages.length);
  const scrollTasks = await longTasks(page, since);
  if (profile) writeFileSync(profile, JSON.stringify((await cdp!.send('Profiler.stop')).profile));
  if (figures) await page.screenshot({ path: 'screenshots/members-scale-02-scrolled.png' });

  // The JS heap after scrolling (figures only: needs the DevTools protocol).
  let heapMiB = 0;
  if (figures) {
    await cdp!.send('HeapProfiler.collectGarbage');
    const heap = (await cdp!.send('Runtime.getHeapUsage')) as { usedSize: number };
    heapMiB = heap.usedSize / 1024 / 1024;
  }
  // The forced collection above is a long task of its own: count again from here.
  const searchSince = await page.evaluate(() => performance.now());

  // Leaving and coming back starts again from the first page: one request,
  // not one per page scrolled through (an infinite list kept in the cache
  // refetches every page it holds).
  await nav.getByRole('link', { name: 'Rôles' }).click();
  await expect(page.getByRole('heading', { name: 'Rôles', level: 1 })).toBeVisible();
  const before = requests.length;
  await nav.getByRole('link', { name: 'Utilisateurs' }).click();
  await expect(rows.first()).toHaveAttribute('aria-posinset', '1');
  await expect(page.getByText(/^100\s001 membres$/)).toBeVisible();
  await page.waitForTimeout(500);
  expect.soft(requests.slice(before), 'requests when coming back').toEqual([expect.objectContaining({ cursor: '', query: '' })]);

  // A search narrows 100,000 members to the one with this employee reference.
  await page.getByRole('textbox', { name: 'Rechercher' }).fill('MAT-042017');
  await expect(page.getByText(/^1 membre$/)).toBeVisible();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('aria-label', 'Thomas Fournier63');
  // A broad search stops counting at 1,000 and says so; accents and case
  // do not matter ("helene" finds Hélène).
  await page.getByRole('textbox', { name: 'Rechercher' }).fill('helene');
  await expect(page.getByText(/^Plus de 1\s000 membres$/)).toBeVisible();
  await expect(rows.first()).toHaveAttribute('aria-label', /^Hélène /);
  if (figures) await page.screenshot({ path: 'screenshots/members-scale-03-broad-search.png' });
  // And a name search, with its own total.
  await page.getByRole('textbox', { name: 'Rechercher' }).fill('sophie dupont');
  await expect(page.getByText(/^\d[\d\s]* membres$/)).toBeVisible();
  await expect(rows.first()).toHaveAttribute('aria-label', /^Sophie Dupont/);
  if (figures) await page.screenshot({ path: 'screenshots/members-scale-04-search.png' });
  expect.soft(await rows.count(), 'rows in the DOM after a search').toBeLessThan(MAX_DOM_ROWS);

  const allTasks = [...scrollTasks, ...(await longTasks(page, searchSince))];
  const longest = Math.max(0, ...allTasks);
  if (figures) {
    console.log(
      [
        `members-render, ${SEEDED} seeded members (seeded in ${(seedMs / 1000).toFixed(1)} s)`,
        `  click "Utilisateurs" → first rows visible: ${firstRowsMs} ms`,
        `  long tasks at cold start of the console (not asserted): ${JSON.stringify(coldTasks)}`,
        `  long tasks from the click through scrolling ${ROWS} rows: ${JSON.stringify(scrollTasks)}`,
        `  long tasks leaving, coming back, searching: ${JSON.stringify(await longTasks(page, searchSince))}; longest of all ${longest} ms`,
        `  (duration@ms after the click: ${await longTaskLog(page, since)})`,
        `  scrolling to row ${ROWS}: ${Math.round(scrolled.ms)} ms, ${scrolled.frames} frames (mean ${(scrolled.ms / scrolled.frames).toFixed(1)} ms a frame)`,
        `  most rows in the DOM while scrolling: ${scrolled.maxRows}`,
        `  members.list requests while scrolling: ${pages.length}`,
        `  JS heap after scrolling ${ROWS} rows (after GC): ${heapMiB.toFixed(1)} MiB`,
      ].join('\n'),
    );
  }
  expect(longest, `longest main-thread task (all: ${JSON.stringify(allTasks)})`).toBeLessThan(LONGEST_TASK_MS);
  expect(pageErrors).toEqual([]);
});
