import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { createWorkspace, op } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// Tâches: Camille's firm files its TVA every month. She creates a monthly
// task for Claire (Paul, who cannot see tasks, is not offered, and the picker
// says why), completes it, and finds the next one due a month later, on the
// last day of a leap February. The list is sorted by due date, late ones
// flagged, and "Mes tâches" shows hers.

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const camille = { firstName: 'Camille', lastName: 'Durand', email: 'camille.durand@example.test', password: 'Un jardin fleuri en avril', organization: 'Cabinet Durand' };
const seed = (first: string, last: string, email: string) =>
  execFileSync('go', ['run', './bench/members/cmd/seed', '--db', server.db, '--email', email, '--password', 'Une rivière tranquille en été',
    '--first', first, '--last', last], { cwd: repo, stdio: 'pipe' });

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('tasks');
});
test.afterAll(async () => {
  await server?.stop();
});

let shot = 0;
async function screenshot(page: Page, name: string) {
  shot += 1;
  await page.screenshot({ path: `screenshots/tasks-${String(shot).padStart(2, '0')}-${name}.png`, fullPage: true });
}

/** Picks a choice of the list's filters (its radio button is hidden under its label). */
const choose = (page: Page, name: string) => page.locator('label', { hasText: new RegExp(`^${name}$`) }).click();

/** The date n days from today in Paris, as YYYY-MM-DD. */
function parisDay(n: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

test('a monthly task is completed and the next one is due a month later; the picker offers only who can see tasks', async ({ page }) => {
  test.setTimeout(150_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await createWorkspace(page, server.url, camille);
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();
  seed('Claire', 'Petit', 'claire.petit@example.test');
  seed('Paul', 'Roux', 'paul.roux@example.test');
  const members = await op<{ items: { id: string; accountId: string; email: string }[] }>(page, 'members.list', { query: 'claire', status: '', roleId: '', cursor: '', limit: 10, withTotal: false });
  await op(page, 'members.setRight', { memberId: members.items[0].id, right: 'tasks.view', granted: true });
  const me = (await op(page, 'session.current')).account.id as string;
  await op(page, 'tasks.create', { title: 'Relancer les relevés bancaires', dueDate: parisDay(-3), assigneeId: me });
  await op(page, 'tasks.create', { title: 'Classer les factures', dueDate: '', assigneeId: '' });

  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Tâches' }).click();
  await expect(page.getByRole('heading', { name: 'Tâches', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Nouvelle tâche' }).click();
  const dialog = page.getByRole('dialog', { name: 'Nouvelle tâche' });
  await dialog.getByLabel('Intitulé').fill('Déclaration de TVA de janvier');
  const due = dialog.getByRole('textbox', { name: 'Échéance' });
  await due.fill('31/01/2028');
  await due.press('Tab');
  await dialog.getByLabel('Répétition').click();
  await page.getByRole('option', { name: 'Chaque mois' }).click();
  await expect(dialog).toContainText('Seuls les membres qui peuvent voir les tâches sont proposés : 1 autre membre ne les voit pas');
  await dialog.getByLabel('Attribuée à').click();
  await expect(page.getByRole('option', { name: 'Claire Petit' })).toBeVisible();
  await expect(page.getByRole('option', { name: 'Camille Durand' })).toBeVisible();
  await expect(page.getByRole('option', { name: 'Paul Roux' })).toHaveCount(0);
  await screenshot(page, 'dialog');
  await page.getByRole('option', { name: 'Claire Petit' }).click();
  await dialog.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(dialog).toBeHidden();

  // By due date, those without one last; the late one flagged.
  const table = page.getByRole('table', { name: 'Tâches' });
  const rows = table.getByRole('row');
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(1)).toContainText('Relancer les relevés bancaires');
  await expect(rows.nth(1)).toContainText('En retard');
  await expect(rows.nth(2)).toContainText('Déclaration de TVA de janvier');
  await expect(rows.nth(2)).toContainText('31/01/2028');
  await expect(rows.nth(2)).toContainText('Se répète chaque mois');
  await expect(rows.nth(2)).not.toContainText('En retard');
  await expect(rows.nth(3)).toContainText('Classer les factures');
  await screenshot(page, 'list');

  // Completing it makes the next one, due on the last day of February 2028.
  await page.getByRole('button', { name: 'Marquer comme terminée : Déclaration de TVA de janvier' }).click();
  await expect(page.getByText('Tâche terminée. La suivante est à faire pour le 29/02/2028.')).toBeVisible();
  const next = rows.filter({ hasText: 'Déclaration de TVA de janvier' });
  await expect(next).toHaveCount(1);
  await expect(next).toContainText('29/02/2028');
  await expect(next).toContainText('Claire Petit');
  await expect(next).toContainText('Se répète chaque mois');

  // Reopened and completed again, it makes no second one.
  await choose(page, 'Toutes');
  await expect(rows.filter({ hasText: 'Déclaration de TVA de janvier' })).toHaveCount(2);
  await page.getByRole('button', { name: 'Rouvrir : Déclaration de TVA de janvier' }).click();
  await expect(page.getByText('La tâche est de nouveau à faire.')).toBeVisible();
  await page.getByRole('button', { name: 'Marquer comme terminée : Déclaration de TVA de janvier' }).first().click();
  await expect(page.getByText('Tâche terminée. La suivante est à faire pour le 29/02/2028.')).toHaveCount(2);
  await expect(rows.filter({ hasText: 'Déclaration de TVA de janvier' })).toHaveCount(2);

  // Mes tâches: Camille's own.
  await choose(page, 'À faire');
  await choose(page, 'Mes tâches');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('Relancer les relevés bancaires');
  await screenshot(page, 'mine');

  // Claire loses the right to see tasks: hers stay hers, and the list says so.
  await op(page, 'members.setRight', { memberId: members.items[0].id, right: 'tasks.view', granted: false });
  await choose(page, 'Tout le dossier');
  await page.reload();
  const kept = rows.filter({ hasText: 'Déclaration de TVA de janvier' });
  await expect(kept).toContainText('Claire Petit');
  await expect(kept).toContainText('ne voit plus les tâches');
  await kept.getByRole('button', { name: /Modifier/ }).click();
  const edit = page.getByRole('dialog', { name: 'Modifier la tâche' });
  await expect(edit.getByLabel('Attribuée à')).toHaveValue('Claire Petit (ne voit plus les tâches)');
  await expect(edit).toContainText('2 autres membres ne les voient pas');
  await screenshot(page, 'kept');
  expect(pageErrors).toEqual([]);
});
