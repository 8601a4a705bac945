import { expect, test, type Page } from '@playwright/test';
import { createWorkspace } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// Several organizations, the company profile, tasks and closing (B2, B3, B5, B9).

const person = { email: 'anne.leroy@example.test', password: 'Un jardin fleuri en avril' };

let shot = 0;
async function screenshot(page: Page, name: string) {
  shot += 1;
  await page.screenshot({ path: `screenshots/orgs-${String(shot).padStart(2, '0')}-${name}.png`, fullPage: true });
}

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('organizations');
});
test.afterAll(async () => {
  await server?.stop();
});

test('second organization, switch, company profile, filters, tasks, closing', async ({ page }) => {
  test.setTimeout(120_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  const nav = page.getByRole('navigation', { name: 'Menu principal' });

  // First run.
  await createWorkspace(page, server.url, { firstName: 'Anne', lastName: 'Leroy', organization: 'Cabinet Leroy', ...person });
  await expect(nav).toBeVisible();

  // --- B3: create a second organization ---------------------------------------
  await nav.getByRole('link', { name: 'Organisations' }).click();
  await expect(page.getByRole('heading', { name: 'Organisations', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Créer une organisation' }).click();
  const dialog = page.getByRole('dialog', { name: 'Créer une organisation' });
  await dialog.getByRole('textbox', { name: 'Nom', exact: true }).fill('Boulangerie Épi d’Or');
  await dialog.getByRole('textbox', { name: 'Site web' }).fill('ftp://epidor.fr');
  const zone = dialog.getByRole('combobox', { name: 'Fuseau horaire' });
  await zone.click();
  await zone.fill('martinique');
  await page.getByRole('option', { name: 'America / Martinique' }).click();
  await dialog.getByRole('button', { name: "Créer l'organisation" }).click();
  await expect(dialog.getByText('Saisissez une adresse web commençant par http:// ou https://.')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Site web' }).fill('epidor.fr');
  await dialog.getByRole('button', { name: "Créer l'organisation" }).click();
  await expect(dialog).toHaveCount(0);
  const table = page.getByRole('table', { name: 'Organisations' });
  await expect(table.getByRole('row')).toHaveCount(3);
  // The columns that help choose: status in words, members, my role, open tasks, last activity.
  const epi = table.getByRole('row').filter({ hasText: 'Boulangerie Épi d’Or' });
  await expect(epi).toContainText('Active');
  await expect(epi).toContainText('Administrateur');
  await expect(epi.getByRole('cell').nth(5)).toHaveText(/^\d{2}\/\d{2}\/\d{4}$/);
  await expect(table.getByRole('row').filter({ hasText: 'Cabinet Leroy' })).toContainText('Actuelle');
  await screenshot(page, 'list');

  // A second dossier of the same name is asked for first, and not created.
  await page.getByRole('button', { name: 'Créer une organisation' }).click();
  await dialog.getByRole('textbox', { name: 'Nom', exact: true }).fill('boulangerie epi d’or');
  await dialog.getByRole('button', { name: "Créer l'organisation" }).click();
  await expect(dialog.getByRole('alert')).toContainText('Un dossier « boulangerie epi d’or » existe déjà');
  await screenshot(page, 'duplicate');
  await dialog.getByRole('button', { name: 'Ne pas créer' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(table.getByRole('row')).toHaveCount(3);

  // Sorted by a column, and back by name.
  await table.getByRole('button', { name: 'Trier par « Organisation »' }).click();
  await expect(table.getByRole('row').nth(1)).toContainText('Cabinet Leroy');
  await table.getByRole('button', { name: 'Trier par « Organisation »' }).click();
  await expect(table.getByRole('row').nth(1)).toContainText('Boulangerie Épi d’Or');

  // --- B2: filter by name and by ID --------------------------------------------
  await page.getByRole('textbox', { name: 'Filtrer par nom' }).fill('epi d');
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText('Boulangerie Épi d’Or');
  const id = (await table.getByRole('row').nth(1).getAttribute('data-org-id')) ?? '';
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  // The same box takes an organization's identifier.
  await page.getByRole('textbox', { name: 'Filtrer par nom' }).fill(id);
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText('Boulangerie Épi d’Or');
  await page.getByRole('textbox', { name: 'Filtrer par nom' }).fill('ffffffff-0000');
  await expect(page.getByText('Aucune organisation ne correspond à votre recherche.')).toBeVisible();
  await page.getByRole('textbox', { name: 'Filtrer par nom' }).fill('');

  // --- switch with the header's switcher ---------------------------------------
  await page.getByTestId('org-switcher').click();
  await page.getByRole('menuitem', { name: /Boulangerie Épi d’Or/ }).click();
  await expect(page.getByTestId('org-switcher')).toContainText('Boulangerie Épi d’Or');

  // --- B5: the company profile: an invalid SIRET is refused, a valid one saved --
  await nav.getByRole('link', { name: 'Entreprise' }).click();
  await expect(page.getByText('America / Martinique')).toBeVisible();
  await expect(page.getByText(/ne peut donc pas être modifié/)).toBeVisible();
  const profile = page.getByRole('region', { name: "Profil de l'entreprise" });
  await profile.getByRole('textbox', { name: 'Raison sociale' }).fill('Épi d’Or SARL');
  await profile.getByRole('textbox', { name: 'SIRET' }).fill('732 829 320 00075');
  await profile.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(profile.getByText("Ce numéro SIRET n'existe pas : l'un des 14 chiffres est sans doute mal recopié.")).toBeVisible();
  await screenshot(page, 'siret-refused');
  await page.reload();
  await expect(profile.getByRole('textbox', { name: 'Raison sociale' })).toHaveValue('');
  await profile.getByRole('textbox', { name: 'Raison sociale' }).fill('Épi d’Or SARL');
  await profile.getByRole('textbox', { name: 'SIRET' }).fill('732 829 320 00074');
  await profile.getByRole('textbox', { name: 'N° de TVA intracommunautaire' }).fill('FR 44 732 829 320');
  await profile.getByRole('textbox', { name: 'Code postal' }).fill('97200');
  await profile.getByRole('textbox', { name: 'Ville' }).fill('Fort-de-France');
  await profile.getByRole('textbox', { name: "Téléphone de l'entreprise" }).fill('05.96.12.34.56');
  await profile.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('Modifications enregistrées').first()).toBeVisible();
  await page.reload();
  await expect(profile.getByRole('textbox', { name: 'SIRET' })).toHaveValue('73282932000074');
  await expect(profile.getByRole('textbox', { name: 'N° de TVA intracommunautaire' })).toHaveValue('FR44732829320');
  await screenshot(page, 'company');

  // --- tasks: create and complete one -------------------------------------------
  await nav.getByRole('link', { name: 'Tâches' }).click();
  await page.getByRole('button', { name: 'Nouvelle tâche' }).click();
  const taskDialog = page.getByRole('dialog', { name: 'Nouvelle tâche' });
  await taskDialog.getByRole('textbox', { name: 'Intitulé' }).fill('Déclarer la TVA du trimestre');
  await taskDialog.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(taskDialog).toHaveCount(0);
  const tasks = page.getByRole('table', { name: 'Tâches' });
  await expect(tasks).toContainText('Déclarer la TVA du trimestre');
  await screenshot(page, 'tasks');
  await tasks.getByRole('button', { name: /Marquer comme terminée/ }).click();
  await expect(page.getByText('Aucune tâche pour ces critères.')).toBeVisible();
  await page.locator('label').filter({ hasText: /^Terminées$/ }).click();
  await expect(page.getByRole('table', { name: 'Tâches' })).toContainText('Terminée');

  // --- B9: close the organization: edit buttons gone, a write refused ------------
  await nav.getByRole('link', { name: 'Entreprise' }).click();
  await page.getByRole('button', { name: "Fermer l'organisation" }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Oui, fermer' }).click();
  await expect(page.getByText('Organisation fermée', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Enregistrer' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: "Rouvrir l'organisation" })).toBeVisible();
  await screenshot(page, 'closed');
  await nav.getByRole('link', { name: 'Tâches' }).click();
  await expect(page.getByRole('button', { name: 'Nouvelle tâche' })).toHaveCount(0);
  // The backend refuses a write on the closed organization, whatever the screen.
  const refused = await page.evaluate(async () => {
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('atrium_csrf='))?.split('=')[1] ?? '';
    const r = await fetch('/api/ops/tasks.create', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ title: 'Passer en force', dueDate: '', assigneeId: '', id: '' }),
    });
    return { status: r.status, body: await r.json() };
  });
  expect(JSON.stringify(refused.body)).toContain('org_closed');
  expect(pageErrors).toEqual([]);
});
