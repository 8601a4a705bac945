import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { createWorkspace, op } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// C9: a member list kept in French Excel (Windows-1252, `;`) is imported.
// The dry run says which lines are refused and why; the refused lines are
// downloaded, corrected and imported in turn; the invitations are listed.

const admin = { first: 'Camille', last: 'Durand', email: 'camille.durand@example.test', password: 'Un jardin fleuri en avril' };

let shot = 0;
async function screenshot(page: Page, name: string) {
  shot += 1;
  await page.screenshot({ path: `screenshots/members-import-${String(shot).padStart(2, '0')}-${name}.png`, fullPage: true });
}

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('members-import');
});
test.afterAll(async () => {
  await server?.stop();
});

// As French Excel saves it: Windows-1252 (latin1 holds these letters at the
// same bytes), CRLF, trailing empty columns.
const excelFile = Buffer.from(
  [
    'Prénom;Nom;E-mail;Poste;Référence;Rôles;;',
    'Hélène;Dupré;helene.dupre@example.test;Comptable;E-101;Assistant;;',
    'Jean;Dupont;jean.dupont@;Comptable;E-102;;;',
    'Zoé;Brière;zoe.briere@example.test;Juriste;E-103;Compta;;',
    'Noël;Lefèvre;noel.lefevre@example.test;Assistant;E-104;;;',
    'Noëlle;Lefèvre;Noel.Lefevre@example.test;Assistante;E-105;;;',
    'François;Martin;francois.martin@example.test;Chargé de clientèle;E-106;;;',
    '',
  ].join('\r\n'),
  'latin1',
);

test('import a file with errors, download the refused lines, correct them, import them', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await createWorkspace(
    page,
    server.url,
    { firstName: admin.first, lastName: admin.last, email: admin.email, password: admin.password, organization: 'Cabinet Durand' },
    { search: 'Paris', option: 'Europe / Paris' },
  );
  const nav = page.getByRole('navigation', { name: 'Menu principal' });
  await expect(nav).toBeVisible();
  await op(page, 'roles.create', { name: 'Assistant', rights: ['invoices.view'] });
  await nav.getByRole('link', { name: 'Utilisateurs' }).click();
  await page.getByRole('button', { name: 'Importer des membres' }).click();
  const dialog = page.getByRole('dialog', { name: 'Importer des membres' });
  await dialog.locator('input[type=file]').setInputFiles({ name: 'membres.csv', mimeType: 'text/csv', buffer: excelFile });

  // How it was read, with the accents right, and the columns recognised.
  await expect(dialog).toContainText('Fichier lu en Windows-1252 (Excel), colonnes séparées par « ; »');
  const preview = dialog.getByRole('table', { name: 'Premières lignes du fichier' });
  await expect(preview).toContainText('Hélène');
  await expect(preview).toContainText('Dupré');
  await expect(dialog.getByLabel('Adresse e-mail')).toHaveValue('E-mail');
  await expect(dialog.getByLabel('Rôles')).toHaveValue('Rôles');

  // The dry run: the refused lines first, each with its reason in words.
  await expect(dialog.getByTestId('import-total-create')).toHaveText('2 invitations à envoyer');
  await expect(dialog.getByTestId('import-total-refused')).toHaveText('4 lignes refusées');
  const lines = dialog.getByRole('table', { name: 'Lignes du fichier', exact: true });
  await expect(lines).toContainText('ligne 3 : adresse e-mail invalide « jean.dupont@ »');
  await expect(lines).toContainText('ligne 4 : rôle inconnu « Compta »');
  await expect(lines).toContainText('lignes 5 et 6 : même adresse « noel.lefevre@example.test »');
  await lines.scrollIntoViewIfNeeded();
  await screenshot(page, 'dry-run');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Télécharger les 4 lignes refusées' }).click(),
  ]);
  const refused = readFileSync(await download.path()).toString('utf8');
  expect(refused.startsWith('\ufeffMotif;Prénom;Nom;E-mail;')).toBe(true);
  expect(refused).toContain('ligne 3 : adresse e-mail invalide « jean.dupont@ »;Jean;Dupont;jean.dupont@;');

  // The lines taken are imported now; the refused ones wait for their fix.
  await dialog.getByRole('button', { name: 'Importer (2 lignes)' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Import terminé : 2 invitations envoyées.')).toBeVisible();
  const pending = page.getByRole('region', { name: 'Invitations en attente' });
  await expect(pending).toContainText('Hélène Dupré');
  await expect(pending).toContainText('François Martin');

  // The refused lines, corrected in the downloaded file, imported in turn.
  const fixed = refused
    .replace('jean.dupont@;', 'jean.dupont@example.test;')
    .replace(';Compta;', ';Assistant;')
    .replace('Noel.Lefevre@example.test', 'noelle.lefevre@example.test');
  await page.getByRole('button', { name: 'Importer des membres' }).click();
  await dialog.locator('input[type=file]').setInputFiles({ name: 'corrige.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed, 'utf8') });
  await expect(dialog.getByTestId('import-total-create')).toHaveText('4 invitations à envoyer');
  await expect(dialog.getByTestId('import-total-refused')).toHaveText('0 ligne refusée');
  await screenshot(page, 'fixed');
  await dialog.getByRole('button', { name: 'Importer (4 lignes)' }).click();
  await expect(dialog).toBeHidden();
  for (const name of ['Jean Dupont', 'Zoé Brière', 'Noël Lefèvre', 'Noëlle Lefèvre', 'Hélène Dupré', 'François Martin']) {
    await expect(pending).toContainText(name);
  }

  // The same file again changes nothing.
  await page.getByRole('button', { name: 'Importer des membres' }).click();
  await dialog.locator('input[type=file]').setInputFiles({ name: 'corrige.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed, 'utf8') });
  await expect(dialog.getByTestId('import-total-unchanged')).toHaveText('4 inchangés');
  await expect(dialog.getByRole('button', { name: 'Importer', exact: true })).toBeDisabled();
  await screenshot(page, 'again');
  expect(pageErrors).toEqual([]);
});
