import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { createWorkspace, op } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// C8: Claire leaves the firm. Deleting her asks who takes over her two open
// tasks, says so before confirming, and hands them over; her record stays,
// struck through, and the history says who took over what.

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const admin = { first: 'Camille', last: 'Durand', email: 'camille.durand@example.test', password: 'Un jardin fleuri en avril' };
const claire = { first: 'Claire', last: 'Petit', email: 'claire.petit@example.test', password: 'Une rivière tranquille en été' };

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('member-delete');
});
test.afterAll(async () => {
  await server?.stop();
});

test('delete a member with a successor who inherits her open tasks', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await createWorkspace(
    page,
    server.url,
    { firstName: admin.first, lastName: admin.last, email: admin.email, password: admin.password, organization: 'Cabinet Durand' },
    { search: 'Paris', option: 'Europe / Paris' },
  );
  execFileSync('go', ['run', './bench/members/cmd/seed', '--db', server.db, '--email', claire.email, '--password', claire.password,
    '--first', claire.first, '--last', claire.last], { cwd: repo, stdio: 'pipe' });
  const members = await op<{ items: { id: string; accountId: string; email: string }[] }>(page, 'members.list', { query: 'claire', status: '', roleId: '', cursor: '', limit: 10, withTotal: false });
  const claireAccount = members.items[0].accountId;
  // Only a member who can see tasks can be given one.
  await op(page, 'members.setRight', { memberId: members.items[0].id, right: 'tasks.view', granted: true });
  for (const title of ['Déclaration de TVA', 'Liasse fiscale']) {
    await op(page, 'tasks.create', { title, dueDate: '', assigneeId: claireAccount });
  }

  const nav = page.getByRole('navigation', { name: 'Menu principal' });
  await nav.getByRole('link', { name: 'Utilisateurs' }).click();
  await page.getByRole('listitem', { name: 'Claire Petit' }).click();
  const drawer = page.getByRole('dialog', { name: 'Fiche du membre' });
  await drawer.getByRole('button', { name: 'Supprimer ce membre' }).click();
  const dialog = page.getByRole('dialog', { name: 'Supprimer Claire Petit ?' });
  await expect(dialog).toContainText('Claire Petit laisse 2 tâches ouvertes');
  const confirm = dialog.getByRole('button', { name: 'Supprimer ce membre' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Successeur').fill('Camille');
  await page.screenshot({ path: 'screenshots/member-delete-00-search.png' });
  await page.getByRole('option', { name: /Camille Durand/ }).click();
  await dialog.getByRole('checkbox', { name: /Je confirme la suppression de Claire Petit/ }).check();
  await page.screenshot({ path: 'screenshots/member-delete-01-dialog.png' });
  await confirm.click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("Claire Petit a été supprimé·e de l’organisation")).toBeVisible();
  await page.keyboard.press('Escape');

  // Her record stays, deleted; the tasks are Camille's now.
  await expect(page.getByRole('listitem', { name: 'Claire Petit' })).toContainText('Supprimé');
  await page.screenshot({ path: 'screenshots/member-delete-02-list.png' });
  await nav.getByRole('link', { name: 'Tâches' }).click();
  for (const title of ['Déclaration de TVA', 'Liasse fiscale']) {
    await expect(page.getByText(title)).toBeVisible();
  }
  const tasks = await op<{ items: { title: string; assignee?: { name: string } | null }[] }>(page, 'tasks.list', { assigneeId: '', status: '', offset: 0, limit: 50 });
  expect(tasks.items.map((x) => x.assignee?.name)).toEqual(['Camille Durand', 'Camille Durand']);

  // The history says who took over what.
  await nav.getByRole('link', { name: 'Historique' }).click();
  const row = page.getByTestId('history-row').filter({ hasText: 'Membre supprimé' });
  await expect(row).toContainText('Travail repris par Camille Durand : 2 tâches ouvertes');
  await page.screenshot({ path: 'screenshots/member-delete-03-history.png', fullPage: true });
  expect(pageErrors).toEqual([]);
});
