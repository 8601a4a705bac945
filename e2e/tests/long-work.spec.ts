import { expect, test } from '@playwright/test';
import { createWorkspace } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// Long work shows how far it is, with a count, and goes on while the person
// does something else: a member import of 10,000 lines is followed in its
// dialog, the dialog is closed, the list's button keeps counting, and a
// message says when it is done.

const admin = { first: 'Camille', last: 'Durand', email: 'camille.durand@example.test', password: 'Un jardin fleuri en avril' };

/** French numbers are grouped with a narrow no-break space: "10 000". */
const fr = (text: string) => new RegExp(text.replace(/[()]/g, '\\$&').replace(/ (?=\d)/g, '[\\s\u202f]'));

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('long-work');
});
test.afterAll(async () => {
  await server?.stop();
});

test('a long member import counts its lines and goes on with its dialog closed', async ({ page }) => {
  test.setTimeout(180_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await createWorkspace(page, server.url, { firstName: admin.first, lastName: admin.last, email: admin.email, password: admin.password, organization: 'Cabinet Durand' });
  const nav = page.getByRole('navigation', { name: 'Menu principal' });
  await nav.getByRole('link', { name: 'Utilisateurs' }).click();

  const rows = ['Prénom;Nom;E-mail'];
  for (let i = 0; i < 10_000; i++) rows.push(`Léa;Roux${i};lea.roux${i}@example.test`);
  const button = page.getByRole('button', { name: 'Importer des membres' });
  await button.click();
  const dialog = page.getByRole('dialog', { name: 'Importer des membres' });
  await dialog.locator('input[type=file]').setInputFiles({ name: 'membres.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\r\n') + '\r\n', 'utf8') });
  await expect(dialog.getByTestId('import-total-create')).toHaveText(fr('^10 000 invitations à envoyer$'));
  await dialog.getByRole('button', { name: fr('^Importer (10 000 lignes)$') }).click();

  // In the dialog: the lines written so far, of how many, and a bar — or,
  // the lines being written faster than the dialog asks (every 500 ms), the
  // step that writes their history and invitations in bulk.
  const progress = dialog.getByTestId('import-progress');
  const counting = fr('^Import en cours : [\\d\\s\u202f]+ sur 10 000 lignes…$');
  const writing = /^Import en cours : les lignes sont écrites, enregistrement de l'historique et des invitations…$/;
  await expect(progress).toHaveText(new RegExp(`${counting.source}|${writing.source}`), { timeout: 30_000 });
  await expect(dialog.getByRole('progressbar')).toHaveAttribute('aria-valuenow', /\d+/);
  await page.screenshot({ path: 'screenshots/long-work-01-import-progress.png' });

  // Closed, the import goes on: the list's button counts, then a message says it is done.
  await dialog.getByRole('button', { name: "Fermer, l'import continue" }).click();
  await expect(dialog).toBeHidden();
  const running = page.getByRole('button', { name: fr('^Import en cours : [\\d\\s\u202f]+ / 10 000$') });
  await expect(running).toBeVisible();
  await page.screenshot({ path: 'screenshots/long-work-02-import-running.png' });
  await expect(page.getByText(fr('Import terminé : 10 000 invitations envoyées\\.'))).toBeVisible({ timeout: 120_000 });
  await expect(button).toBeVisible();

  expect(pageErrors).toEqual([]);
});
