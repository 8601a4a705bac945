import { expect, test } from '@playwright/test';
import { createWorkspace, op } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// E2 — the History screen reads in plain words: after a journey through
// members, roles, rights, applications, invitations, tasks, the company and
// the organization's settings, no entry shows a raw `area.verb` code, every
// entry about a person names them, and a search by name finds all of them.

const person = {
  firstName: 'Camille',
  lastName: 'Fournier',
  email: 'camille.fournier@example.test',
  password: 'Un cerisier en fleur au printemps',
  organization: 'Fournier Expertise',
};

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('history');
});
test.afterAll(async () => {
  await server?.stop();
});

test('every history entry reads in words, and names who it concerns', async ({ page, browser }) => {
  await createWorkspace(page, server.url, person);
  await expect(page.getByRole('navigation', { name: 'Menu principal' })).toBeVisible();

  // A journey through every area the history records.
  const role = await op(page, 'roles.create', { name: 'Comptable', rights: ['invoices.view'] });
  await op(page, 'roles.update', { roleId: role.id, name: 'Comptables', rights: ['invoices.view', 'orders.place'] });
  await op(page, 'invitations.create', {
    email: 'sophie.lambert@example.test', firstName: 'Sophie', lastName: 'Lambert', jobTitle: '', employeeRef: '',
    roleIds: [role.id], rights: ['tasks.view'], language: 'fr',
  });
  const outbox = await op(page, 'outbox.list', {});
  const code = outbox.items.find((m: { to: string }) => m.to === 'sophie.lambert@example.test').code;
  const other = await browser.newContext();
  const sophie = await other.newPage();
  await sophie.goto(server.url);
  await op(sophie, 'invitations.accept', {
    token: '', code, title: '', firstName: 'Sophie', lastName: 'Lambert', mobilePhone: '', password: 'Les mouettes du port de Sète',
  });
  await other.close();
  const members = await op(page, 'members.list', { query: 'sophie', status: '', roleId: '', cursor: '', limit: 10, withTotal: false });
  const m = members.items[0];
  await op(page, 'members.update', { memberId: m.id, jobTitle: 'Assistante comptable' });
  await op(page, 'members.setRight', { memberId: m.id, right: 'members.view', granted: true });
  await op(page, 'applications.setEnabled', { application: 'invoicing', enabled: true });
  await op(page, 'applications.grant', { memberId: m.id, application: 'invoicing', granted: true });
  await op(page, 'members.setRoles', { memberId: m.id, roleIds: [] });
  await op(page, 'members.disable', { memberId: m.id });
  const task = await op(page, 'tasks.create', { title: 'Relevés bancaires T3', dueDate: '2026-10-15', assigneeId: '' });
  await op(page, 'tasks.complete', { id: task.id });
  await op(page, 'company.update', {
    legalName: 'Fournier Expertise SARL', siret: '', vat: '', address: '', postalCode: '', city: 'Lyon', country: 'FR',
    companyPhone: '', mobilePhone: '',
  });
  await op(page, 'orgs.update', { website: 'https://fournier.example.test' });
  await op(page, 'notifications.set', { category: 'weekly_digest', enabled: false });
  await op(page, 'roles.delete', { roleId: role.id });

  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Historique' }).click();
  await expect(page.getByRole('heading', { name: 'Historique', level: 1 })).toBeVisible();
  const rows = page.getByTestId('history-row');
  await expect(rows.filter({ hasText: 'Membre désactivé' })).toHaveCount(1);
  const table = page.getByRole('table', { name: 'Historique' });
  const text = await table.innerText();
  // No raw code: neither an action, nor a right, nor a field's technical name.
  expect(text).not.toMatch(/\b[a-z]+\.[a-z_]+\b/);
  expect(text).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
  // Dates the French way.
  expect(text).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}/);
  await expect(rows.filter({ hasText: 'Membre désactivé' })).toContainText('Sophie Lambert');
  await expect(rows.filter({ hasText: 'Droit accordé' })).toContainText('Voir les membres');
  await expect(rows.filter({ hasText: 'Rôles du membre modifiés' })).toContainText('Rôles retirés : Comptables');
  await page.screenshot({ path: 'screenshots/history-01-journey.png', fullPage: true });

  // Searching her name finds every entry about her, each naming her.
  await page.getByRole('textbox', { name: 'Rechercher' }).fill('Sophie');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await expect(rows.filter({ hasText: 'Membre désactivé' })).toHaveCount(1);
  const found = await rows.count();
  expect(found).toBeGreaterThanOrEqual(7);
  for (let i = 0; i < found; i++) {
    await expect(rows.nth(i).getByTestId('history-subject')).toHaveText('Sophie Lambert');
  }
  await page.screenshot({ path: 'screenshots/history-02-search.png', fullPage: true });

  // The export opens right in a French spreadsheet: one byte order mark,
  // semicolons, French headers, actions in words.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exporter en CSV' }).click();
  const file = await (await download).createReadStream();
  const chunks: Buffer[] = [];
  for await (const c of file) chunks.push(c as Buffer);
  const csv = Buffer.concat(chunks).toString('utf8');
  expect(csv.startsWith('\ufeffN°;Date et heure;Action;Par;Concerne;')).toBe(true);
  expect(csv.startsWith('\ufeff\ufeff')).toBe(false);
  expect(csv).toContain(';Membre désactivé;Camille Fournier;Sophie Lambert;');

  // The reader checks the file it keeps against the history; an edited copy is caught.
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Vérifier un fichier exporté' }).click();
  await (await chooser).setFiles({ name: 'historique.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await expect(page.getByTestId('file-check-result')).toContainText('Le fichier exporté est fidèle à l\'historique');
  const edited = csv.replace(';Membre désactivé;', ';Membre réactivé;');
  const again = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Vérifier un fichier exporté' }).click();
  await (await again).setFiles({ name: 'historique.csv', mimeType: 'text/csv', buffer: Buffer.from(edited, 'utf8') });
  await expect(page.getByTestId('file-check-result')).toContainText('ne correspond plus');
  await page.screenshot({ path: 'screenshots/history-03-file-check.png', fullPage: true });

  // A receipt downloaded today vouches for the history; checked against it,
  // the history is intact, and a file that is not a receipt is said to be so.
  const receipt = page.waitForEvent('download');
  await page.getByRole('button', { name: "Télécharger un reçu de l'historique" }).click();
  const receiptFile = await receipt;
  expect(receiptFile.suggestedFilename()).toMatch(/\.json$/);
  const receiptPath = await receiptFile.path();
  const notReceipt = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Vérifier avec un reçu' }).click();
  await (await notReceipt).setFiles({ name: 'recu.json', mimeType: 'application/json', buffer: Buffer.from('{"org":"x","seq":1}') });
  await expect(page.getByText("Ce fichier n'est pas un reçu de l'historique")).toBeVisible();
  const withReceipt = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Vérifier avec un reçu' }).click();
  await (await withReceipt).setFiles(receiptPath);
  await expect(page.getByText("L'historique est intact")).toBeVisible();
  await page.screenshot({ path: 'screenshots/history-04-receipt.png', fullPage: true });
  // Checked again at once: the check asks to wait, in words, and the session stays.
  await page.getByRole('button', { name: "Vérifier l'intégrité" }).click();
  await expect(page.getByText(/L'historique vient d'être vérifié/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Historique', level: 1 })).toBeVisible();

  // In English, too.
  await op(page, 'account.setLanguage', { language: 'en' });
  await page.reload();
  await expect(page.getByRole('heading', { name: 'History', level: 1 })).toBeVisible();
  const english = await page.getByRole('table', { name: 'History' }).innerText();
  expect(english).not.toMatch(/\b[a-z]+\.[a-z_]+\b/);
  expect(english).toContain('Member disabled');
  await page.screenshot({ path: 'screenshots/history-04-english.png', fullPage: true });
});
