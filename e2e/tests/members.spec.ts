import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { createWorkspace } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// Rights, roles and members: D3 create a role, D1/D4 give it to a
// member, D7 see why she holds a right, D6 what she can and cannot reach,
// C6 disabling her ends her session at once.

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const admin = { first: 'Camille', last: 'Durand', email: 'camille.durand@example.test', password: 'Un jardin fleuri en avril' };
const claire = { first: 'Claire', last: 'Petit', email: 'claire.petit@example.test', password: 'Une rivière tranquille en été' };

let shot = 0;
async function screenshot(page: Page, name: string) {
  shot += 1;
  await page.screenshot({ path: `screenshots/members-${String(shot).padStart(2, '0')}-${name}.png` });
}

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('members');
});
test.afterAll(async () => {
  await server?.stop();
});

test('a role Comptable, its effective rights, what the member reaches, disabling ends her session', async ({ page, browser }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  // The workspace, created through the first-run screen.
  await createWorkspace(
    page,
    server.url,
    { firstName: admin.first, lastName: admin.last, email: admin.email, password: admin.password, organization: 'Cabinet Durand' },
    { search: 'Paris', option: 'Europe / Paris' },
  );
  const nav = page.getByRole('navigation', { name: 'Menu principal' });
  await expect(nav).toBeVisible();

  // A second member, seeded through the store: this journey is about rights;
  // inviting one is mail.spec.ts's.
  execFileSync('go', ['run', './bench/members/cmd/seed', '--db', server.db, '--email', claire.email, '--password', claire.password,
    '--first', claire.first, '--last', claire.last], { cwd: repo, stdio: 'pipe' });

  // D3: create the role "Comptable" with "Consulter la facturation".
  await nav.getByRole('link', { name: 'Rôles' }).click();
  await expect(page.getByRole('heading', { name: 'Rôles', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Créer un rôle' }).click();
  const form = page.getByRole('dialog', { name: 'Nouveau rôle' });
  await form.getByRole('textbox', { name: 'Nom du rôle' }).fill('Comptable');
  await form.getByRole('checkbox', { name: /Consulter la facturation/ }).check();
  await screenshot(page, 'role-form');
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(form).toBeHidden();
  const role = page.getByRole('region', { name: 'Comptable' });
  await expect(role).toContainText('Consulter la facturation');
  await expect(role).toContainText('0 membre');

  // D1/D4: give it to Claire from her record.
  await nav.getByRole('link', { name: 'Utilisateurs' }).click();
  await page.getByRole('textbox', { name: 'Rechercher' }).fill('pet');
  await page.getByRole('listitem', { name: 'Claire Petit' }).click();
  const drawer = page.getByRole('dialog', { name: 'Fiche du membre' });
  await drawer.getByPlaceholder('Choisir des rôles').click();
  await page.getByRole('option', { name: 'Comptable' }).click();
  // The list of roles stays open for a second pick; a click beside it closes it.
  await drawer.getByRole('heading', { name: 'Claire Petit' }).click();
  await drawer.getByRole('button', { name: 'Enregistrer les rôles' }).click();

  // D7: the explanation names the role.
  const why = drawer.getByRole('region', { name: 'Ce que cette personne peut faire, et pourquoi' });
  await expect(why).toContainText('Consulter la facturation — par le rôle « Comptable »');
  await expect(why).not.toContainText('Voir les membres');
  await why.scrollIntoViewIfNeeded();
  await screenshot(page, 'effective-rights');
  // The open record has its own address: Back closes it, Forward (or the link) opens it again.
  expect(page.url()).toMatch(/users\?member=/);
  const link = page.url();
  await page.goBack();
  await expect(drawer).toBeHidden();
  await page.goForward();
  await expect(drawer).toBeVisible();
  const other0 = await browser.newContext({ locale: 'fr-FR', storageState: await page.context().storageState() });
  const linked = await other0.newPage();
  await linked.goto(link);
  await expect(linked.getByRole('dialog', { name: 'Fiche du membre' }).getByText(claire.email)).toBeVisible();
  await other0.close();

  // D6: Claire signs in; she reaches her account but not the members, roles or applications.
  const other = await browser.newContext({ locale: 'fr-FR' });
  const second = await other.newPage();
  await second.goto(server.url);
  await second.getByRole('textbox', { name: 'Adresse e-mail' }).fill(claire.email);
  await second.getByRole('textbox', { name: 'Mot de passe' }).fill(claire.password);
  await second.getByRole('button', { name: 'Se connecter' }).click();
  const nav2 = second.getByRole('navigation', { name: 'Menu principal' });
  await expect(nav2).toBeVisible();
  await expect(nav2.getByRole('link', { name: 'Mes applications' })).toBeVisible();
  for (const hidden of ['Utilisateurs', 'Rôles', 'Applications']) {
    await expect(nav2.getByRole('link', { name: hidden, exact: true })).toHaveCount(0);
  }
  await second.goto(`${server.url}/users`);
  await expect(second.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();
  await screenshot(second, 'member-view');
  // The backend refuses too, whatever the door.
  const refused = await second.evaluate(async () => {
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('atrium_csrf='))?.split('=')[1] ?? '';
    const res = await fetch('/api/ops/members.list', { method: 'POST', headers: { 'X-CSRF-Token': csrf }, body: '{}' });
    return { status: res.status, code: (await res.json()).code };
  });
  expect(refused).toEqual({ status: 403, code: 'forbidden' });

  // C6: the admin disables Claire after a confirmation; her session ends at once.
  await drawer.getByRole('button', { name: "Désactiver l'accès" }).click();
  const confirm = page.getByRole('dialog', { name: "Désactiver l'accès de Claire Petit ?" });
  await screenshot(page, 'disable-confirm');
  await confirm.getByRole('button', { name: "Désactiver l'accès" }).click();
  await expect(confirm).toBeHidden();
  await expect(drawer).toContainText('Désactivé');
  await second.reload();
  await expect(second.getByRole('button', { name: 'Se connecter' })).toBeVisible();
  await screenshot(second, 'member-signed-out');
  // Signing in again, she is told her access is suspended and whom to ask,
  // not offered to create an organization.
  await second.getByRole('textbox', { name: 'Adresse e-mail' }).fill(claire.email);
  await second.getByRole('textbox', { name: 'Mot de passe' }).fill(claire.password);
  await second.getByRole('button', { name: 'Se connecter' }).click();
  await expect(second.getByText('Votre accès à « Cabinet Durand » est suspendu')).toBeVisible();
  await expect(second.getByText(/adressez-vous à Camille Durand/)).toBeVisible();
  await expect(second.getByRole('button', { name: /Créer une organisation/ })).toHaveCount(0);
  await screenshot(second, 'member-suspended');

  // The list, as filtered, exports to a file French Excel opens as it is and
  // the member import reads: one byte order mark, `;`, French headers.
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await screenshot(page, 'export-button');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exporter en CSV' }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toMatch(/^membres-\d{4}-\d{2}-\d{2}\.csv$/);
  const chunks: Buffer[] = [];
  for await (const c of await saved.createReadStream()) chunks.push(c as Buffer);
  const csv = Buffer.concat(chunks).toString('utf8');
  expect(csv.startsWith('\ufeffPrénom;Nom;E-mail;Poste;Référence;Rôles;Statut\r\n')).toBe(true);
  expect(csv.startsWith('\ufeff\ufeff')).toBe(false);
  // The search "pet" is still on: Claire only.
  expect(csv.split('\r\n').filter(Boolean)).toEqual([
    '\ufeffPrénom;Nom;E-mail;Poste;Référence;Rôles;Statut',
    `${claire.first};${claire.last};${claire.email};;;Comptable;Désactivé`,
  ]);

  await other.close();
  expect(pageErrors).toEqual([]);
});
