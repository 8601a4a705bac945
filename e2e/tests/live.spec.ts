import { expect, test } from '@playwright/test';
import { createWorkspace, op } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// Two windows on one dossier: what one changes shows in the other without a
// reload, whether the other window shares the session or signed in apart.

const person = {
  firstName: 'Hélène',
  lastName: 'Roux',
  email: 'helene.roux@example.test',
  password: 'Un cabinet comptable en ville',
  organization: 'Pharmacie du Centre',
};

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('live');
});
test.afterAll(async () => {
  await server?.stop();
});

test('a change made in one window shows in the others without a reload', async ({ page, context, browser }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await createWorkspace(page, server.url, person);

  // A second window of the same browser, on the member list.
  const second = await context.newPage();
  await second.goto(server.url);
  await second.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Utilisateurs' }).click();
  const list = second.getByRole('list', { name: 'Utilisateurs' });
  await expect(list).toContainText('Hélène Roux');

  // A third, signed in on its own (another session), also on the list.
  const apart = await browser.newContext();
  const third = await apart.newPage();
  await third.goto(server.url);
  await third.getByRole('textbox', { name: 'Adresse e-mail' }).fill(person.email);
  await third.getByRole('textbox', { name: 'Mot de passe' }).fill(person.password);
  await third.getByRole('button', { name: 'Se connecter' }).click();
  await third.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Utilisateurs' }).click();
  await expect(third.getByRole('list', { name: 'Utilisateurs' })).toContainText('Hélène Roux');

  // The first window changes her job title; the two others show it, unreloaded.
  const members = await op<{ items: { id: string }[] }>(page, 'members.list', { query: '', status: '', roleId: '', cursor: '', limit: 10 });
  await op(page, 'members.update', { memberId: members.items[0].id, jobTitle: 'Pharmacienne titulaire' });
  await expect(list).toContainText('Pharmacienne titulaire', { timeout: 5000 });
  await expect(third.getByRole('list', { name: 'Utilisateurs' })).toContainText('Pharmacienne titulaire', { timeout: 5000 });
  await second.screenshot({ path: 'screenshots/live-01-other-window.png' });
  await apart.close();
  expect(pageErrors).toEqual([]);
});
