import { expect, test } from '@playwright/test';
import { createWorkspace, op, seedMember } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// C7: Claire goes on leave. Camille marks her away from her record, with a
// return date and herself standing in; the list shows Claire away with the
// date; a task given to Claire goes to Camille, "in the place of" Claire.
// Ending the absence early is one click.

const shots = process.env.ATRIUM_SHOTS ?? 'screenshots';
const admin = { first: 'Camille', last: 'Durand', email: 'camille.durand@example.test', password: 'Un jardin fleuri en avril' };
const claire = { first: 'Claire', last: 'Petit', email: 'claire.petit@example.test', password: 'Une rivière tranquille en été' };

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('member-away');
});
test.afterAll(async () => {
  await server?.stop();
});

/** A day some weeks ahead, as typed (jj/mm/aaaa). */
function inWeeks(n: number): string {
  const d = new Date(Date.now() + n * 7 * 86_400_000);
  return `${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}/${d.getFullYear()}`;
}

test('mark a member away with a return date and a delegate who takes her new tasks', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await createWorkspace(
    page,
    server.url,
    { firstName: admin.first, lastName: admin.last, email: admin.email, password: admin.password, organization: 'Cabinet Durand' },
    { search: 'Paris', option: 'Europe / Paris' },
  );
  seedMember(server.db, claire);
  const back = inWeeks(3);
  // Claire can see tasks, so she can be given one.
  const members = await op<{ items: { id: string; email: string }[] }>(page, 'members.list', { query: 'claire' });
  await op(page, 'members.setRight', { memberId: members.items[0].id, right: 'tasks.view', granted: true });

  const nav = page.getByRole('navigation', { name: 'Menu principal' });
  await nav.getByRole('link', { name: 'Utilisateurs' }).click();
  await page.getByRole('listitem', { name: 'Claire Petit' }).click();
  const drawer = page.getByRole('dialog', { name: 'Fiche du membre' });
  const section = drawer.getByRole('region', { name: 'Absence' });
  await section.getByRole('button', { name: 'Déclarer une absence' }).click();
  const dialog = page.getByRole('dialog', { name: 'Absence de Claire Petit' });
  const date = dialog.getByRole('textbox', { name: 'Date de retour' });
  await expect(date).toHaveAttribute('placeholder', 'jj/mm/aaaa');
  await date.fill(back);
  await date.press('Tab');
  await dialog.getByLabel('Remplacement').fill('Camille');
  await page.getByRole('option', { name: /Camille Durand/ }).click();
  await page.screenshot({ path: `${shots}/member-away-00-dialog.png` });
  await dialog.getByRole('button', { name: "Enregistrer l'absence" }).click();
  await expect(dialog).toBeHidden();
  await expect(section).toContainText(`Absence en cours, retour prévu le ${back}.`);
  await expect(section).toContainText('Ses nouvelles tâches vont à Camille Durand.');
  await expect(drawer).toContainText('Absent');
  await page.screenshot({ path: `${shots}/member-away-01-drawer.png` });
  await page.keyboard.press('Escape');

  // The list: the away badge with the return date.
  const row = page.getByRole('listitem', { name: 'Claire Petit' });
  await expect(row).toContainText('Absent');
  await expect(row).toContainText(`retour le ${back}`);
  await page.screenshot({ path: `${shots}/member-away-02-list.png` });

  // A task given to Claire goes to Camille, in her place.
  await nav.getByRole('link', { name: 'Tâches' }).click();
  await page.getByRole('button', { name: 'Nouvelle tâche' }).click();
  const task = page.getByRole('dialog', { name: 'Nouvelle tâche' });
  await task.getByRole('textbox', { name: 'Intitulé' }).fill('Déclaration de TVA');
  await task.getByLabel('Attribuée à').click();
  await page.getByRole('option', { name: 'Claire Petit' }).click();
  await task.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('La tâche a été confiée à Camille Durand, qui remplace Claire Petit pendant son absence.')).toBeVisible();
  const line = page.getByRole('row').filter({ hasText: 'Déclaration de TVA' });
  await expect(line).toContainText('Camille Durand');
  await expect(line).toContainText('à la place de Claire Petit, pendant son absence');
  await page.screenshot({ path: `${shots}/member-away-03-task.png` });

  // Claire is the dossier's responsible: Camille acts meanwhile.
  const claireAccount = (await op<{ items: { accountId: string }[] }>(page, 'members.list', { query: 'claire', status: '', roleId: '', cursor: '', limit: 10, withTotal: false })).items[0].accountId;
  await op(page, 'orgs.update', { responsibleId: claireAccount });
  await nav.getByRole('link', { name: 'Entreprise' }).click();
  await expect(page.getByText(`Absence en cours, retour prévu le ${back} : Camille Durand assure l'intérim.`)).toBeVisible();
  await page.screenshot({ path: `${shots}/member-away-05-company.png` });

  // Accueil lists who is away in the dossier, and until when.
  await nav.getByRole('link', { name: 'Accueil' }).click();
  await expect(page.getByText(`Absences : Claire Petit (retour le ${back})`)).toBeVisible();
  await page.screenshot({ path: `${shots}/member-away-04-home.png` });

  // Back early: one click.
  await nav.getByRole('link', { name: 'Utilisateurs' }).click();
  await page.getByRole('listitem', { name: 'Claire Petit' }).click();
  await section.getByRole('button', { name: "Mettre fin à l'absence" }).click();
  await expect(page.getByText('Claire Petit est de retour.')).toBeVisible();
  await expect(section.getByRole('button', { name: 'Déclarer une absence' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('listitem', { name: 'Claire Petit' })).toContainText('Actif');

  // The history says it in words.
  await nav.getByRole('link', { name: 'Historique' }).click();
  await expect(page.getByTestId('history-row').filter({ hasText: `retour prévu le ${back}` })).toContainText('nouvelles tâches confiées à Camille Durand');
  await expect(page.getByTestId('history-row').filter({ hasText: "Retour d'absence" })).toContainText('avant la date de retour prévue');
  expect(pageErrors).toEqual([]);
});
