import { expect, test, type Page } from '@playwright/test';
import { createWorkspace, seedMember } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// Two tabs on one member's record, both opened before either saves: the
// later save wins field by field where they differ; the same field changed
// in both is refused with both values, and "Garder la mienne" lands. The
// live stream refreshes the second tab meanwhile: what it shows stays the
// base of what it sends.

const admin = { first: 'Camille', last: 'Durand', email: 'camille.durand@example.test', password: 'Un jardin fleuri en avril' };
const claire = { first: 'Claire', last: 'Petit', email: 'claire.petit@example.test', password: 'Une rivière tranquille en été' };

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('concurrent');
});
test.afterAll(async () => {
  await server?.stop();
});

async function openClaire(page: Page) {
  const nav = page.getByRole('navigation', { name: 'Menu principal' });
  await nav.getByRole('link', { name: 'Utilisateurs' }).click();
  await page.getByRole('textbox', { name: 'Rechercher' }).fill('pet');
  await page.getByRole('listitem', { name: 'Claire Petit' }).click();
  const drawer = page.getByRole('dialog', { name: 'Fiche du membre' });
  await expect(drawer.getByRole('heading', { name: 'Claire Petit' })).toBeVisible();
  return drawer.getByRole('form', { name: 'Informations' });
}

test('two tabs edit one member: field by field, and a conflict shown with both values', async ({ page, context }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await createWorkspace(page, server.url, { firstName: admin.first, lastName: admin.last, email: admin.email, password: admin.password, organization: 'Cabinet Durand' });
  await expect(page.getByRole('navigation', { name: 'Menu principal' })).toBeVisible();
  seedMember(server.db, claire);

  const one = await openClaire(page);
  const second = await context.newPage();
  await second.goto(server.url);
  const two = await openClaire(second);

  // The first tab gives her a job title.
  await one.getByRole('textbox', { name: 'Fonction' }).fill('Comptable');
  await one.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('Modifications enregistrées')).toBeVisible();

  // The second, opened before, gives her an employee reference: it lands,
  // and the job title saved by the first stays.
  await two.getByRole('textbox', { name: 'Matricule' }).fill('E-7');
  await two.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(second.getByText('Modifications enregistrées')).toBeVisible();
  await expect(two.getByRole('textbox', { name: 'Fonction' })).toHaveValue('Comptable');

  // Both change the job title from "Comptable": the later is refused, with both values.
  await one.getByRole('textbox', { name: 'Fonction' }).fill('Comptable senior');
  await two.getByRole('textbox', { name: 'Fonction' }).fill('Assistante');
  await one.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('Modifications enregistrées').first()).toBeVisible();
  await two.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(two).toContainText("Quelqu'un a modifié ce champ entre-temps : valeur actuelle « Comptable senior », la vôtre « Assistante ».");
  await expect(two.getByRole('textbox', { name: 'Fonction' })).toHaveValue('Assistante');

  // Keep mine: it is saved over the current value, and the first tab shows it.
  await two.getByRole('button', { name: 'Garder la mienne' }).click();
  await expect(two.getByRole('button', { name: 'Garder la mienne' })).toBeHidden();
  await expect(one.getByRole('textbox', { name: 'Fonction' })).toHaveValue('Assistante');
  await expect(one.getByRole('textbox', { name: 'Matricule' })).toHaveValue('E-7');
  expect(pageErrors).toEqual([]);
});
