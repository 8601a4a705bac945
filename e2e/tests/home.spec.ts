import { expect, test, type Page } from '@playwright/test';
import { createWorkspace, op } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// Accueil: an accountant with 30 client dossiers signs in and lands on the
// home page, sees their late tasks first (counted in each dossier's
// calendar), and opens the right dossier from a line: the address names the
// dossier, Back returns home, and the same address opened elsewhere opens it.

const marc = {
  firstName: 'Marc',
  lastName: 'Lefort',
  email: 'marc.lefort@example.test',
  password: 'Trente dossiers et un café',
  organization: 'Cabinet Lefort',
};

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('home');
});
test.afterAll(async () => {
  await server?.stop();
});

let shot = 0;
async function screenshot(page: Page, name: string) {
  shot += 1;
  await page.screenshot({ path: `screenshots/home-${String(shot).padStart(2, '0')}-${name}.png`, fullPage: true });
}

/** Calls an operation in a named dossier, as a tab showing it would. */
async function opIn<T = { id: string }>(page: Page, org: string, name: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ([org, name, input]) => {
      const csrf = /(?:^|; )(?:__Host-)?atrium_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '';
      const res = await fetch(`/api/ops/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': decodeURIComponent(csrf), 'X-Atrium-Org': org },
        body: JSON.stringify(input),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${name}: ${res.status} ${text}`);
      return JSON.parse(text);
    },
    [org, name, input] as const,
  );
}

/** The date n days from today in Paris, as YYYY-MM-DD, and as the console writes it (jj/mm/aaaa). */
function parisDay(n: number): { iso: string; fr: string } {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  const iso = d.toISOString().slice(0, 10);
  return { iso, fr: iso.split('-').reverse().join('/') };
}

test('an accountant with 30 dossiers sees late tasks first and opens the right dossier from a line', async ({ page, context }) => {
  test.setTimeout(150_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  // The first run lands on Accueil, with nothing yet and the next step said.
  await createWorkspace(page, server.url, marc);
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/#\/home$/);
  await expect(page.getByText(/Aucune tâche ne vous est attribuée/)).toBeVisible();

  // 29 client dossiers more; tasks in a few of them, two of them late.
  const me = (await op(page, 'session.current')).account.id as string;
  const ids: Record<string, string> = {};
  const names = ['Boulangerie Martin SARL', 'Garage Durand', 'Pharmacie du Centre'];
  for (let i = names.length + 1; i < 30; i++) names.push(`Client ${String(i).padStart(2, '0')} SAS`);
  for (const name of names) {
    ids[name] = (await op(page, 'orgs.create', { name, website: '', timezone: 'Europe/Paris' })).id;
  }
  const task = (org: string, title: string, due: string, assigneeId = me) =>
    opIn(page, ids[org], 'tasks.create', { title, dueDate: due, assigneeId });
  await task('Client 12 SAS', 'Relancer les relevés bancaires', parisDay(10).iso);
  await task('Pharmacie du Centre', 'Bilan à préparer', parisDay(2).iso);
  await task('Boulangerie Martin SARL', 'Déclaration de TVA de novembre', parisDay(-3).iso);
  await task('Garage Durand', 'Liasse fiscale', parisDay(-12).iso);
  await task('Client 20 SAS', 'Sans date', '');
  await task('Garage Durand', "Quelqu'un d'autre", parisDay(-20).iso, '');
  await opIn(page, ids['Garage Durand'], 'invitations.create', {
    email: 'claire.durand@example.test', firstName: 'Claire', lastName: 'Durand', jobTitle: 'Gérante',
  });

  // Signing in again lands on Accueil; its first paint and its list are timed.
  await page.goto(`${server.url}/#/`);
  const tasks = page.getByRole('region', { name: 'Mes tâches' });
  await expect(tasks.getByRole('link')).toHaveCount(5);
  const paint = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return { firstContentfulPaint: Math.round(fcp?.startTime ?? -1), domContentLoaded: Math.round(nav.domContentLoadedEventEnd) };
  });
  const t0 = Date.now();
  await page.reload();
  await expect(tasks.getByRole('link').first()).toBeVisible();
  console.log(`home first paint: ${JSON.stringify(paint)}; reload to the task list shown: ${Date.now() - t0} ms`);

  await expect(page.getByText('Ce qui vous attend dans vos 30 dossiers.')).toBeVisible();
  const lines = tasks.getByRole('link');
  await expect(lines.nth(0)).toContainText('Liasse fiscale');
  await expect(lines.nth(0)).toContainText('En retard de 12 jours');
  await expect(lines.nth(0)).toContainText(`À rendre le ${parisDay(-12).fr}`);
  await expect(lines.nth(0)).toContainText('Garage Durand');
  await expect(lines.nth(1)).toContainText('Déclaration de TVA de novembre');
  await expect(lines.nth(1)).toContainText('En retard de 3 jours');
  await expect(lines.nth(2)).toContainText('Bilan à préparer');
  await expect(lines.nth(2)).not.toContainText('En retard');
  await expect(lines.nth(4)).toContainText('Sans échéance');
  // Another member's task is not among mine.
  await expect(tasks).not.toContainText("Quelqu'un d'autre");
  // The late words are red.
  const red = await lines.nth(0).getByText('En retard de 12 jours').evaluate((el) => getComputedStyle(el).color);
  expect(red).toMatch(/rgb\((1[5-9]\d|2\d\d), \d{1,2}, \d{1,2}\)/);
  const waiting = page.getByRole('region', { name: 'Dossiers avec quelque chose en attente' });
  await expect(waiting.getByRole('link', { name: /Garage Durand/ })).toContainText('1 invitation en attente');
  await expect(waiting.getByRole('link', { name: /Pharmacie du Centre/ })).toContainText('1 tâche à rendre cette semaine');
  await screenshot(page, 'accueil-1280');

  // A line opens its dossier's tasks, with the dossier in the address.
  await page.getByRole('link', { name: /Déclaration de TVA de novembre/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/o/${ids['Boulangerie Martin SARL']}/tasks$`));
  await expect(page.getByTestId('org-switcher')).toContainText('Boulangerie Martin SARL');
  await expect(page.getByRole('heading', { name: 'Tâches', level: 1 })).toBeVisible();
  await expect(page.getByText('Déclaration de TVA de novembre')).toBeVisible();
  await screenshot(page, 'dossier-taches');

  // Back returns home.
  await page.goBack();
  await expect(page).toHaveURL(/#\/home$/);
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();

  // The address can be sent: opened in another tab, it opens that dossier there.
  const second = await context.newPage();
  second.on('pageerror', (err) => pageErrors.push(err.message));
  await second.goto(`${server.url}/#/o/${ids['Garage Durand']}/tasks`);
  await expect(second.getByTestId('org-switcher')).toContainText('Garage Durand');
  await expect(second.getByText('Liasse fiscale')).toBeVisible();
  await second.close();

  // A phone-sized window.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(tasks.getByRole('link').first()).toBeVisible();
  await screenshot(page, 'accueil-390');

  expect(pageErrors).toEqual([]);
});
