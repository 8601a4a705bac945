import { expect, test, type Browser, type Page } from '@playwright/test';
import { mailJourney } from '../mailpit';
import { createWorkspace, op } from '../journeys';

// Every category of Mon compte › Notifications sends what it says, to whom it
// says, in the recipient's language, through a real SMTP server (mailpit) —
// and nothing once the recipient has switched it off. The weekly digest needs
// Monday 07:00: the server has no clock to move, so it is tested in Go with a
// moved clock on SQLite and PostgreSQL (TestWeeklyDigestOncePerWeek).

const org = 'Cabinet Durand';
const camille = { first: 'Camille', last: 'Durand', email: 'camille.durand@example.test', password: 'Un jardin fleuri en avril' };
const paul = { first: 'Paul', last: 'Blanc', email: 'paul.blanc@example.test', password: 'Une montagne enneigée en hiver' };
const lea = { first: 'Léa', last: 'Roux', email: 'lea.roux@example.test', password: 'Une rivière tranquille en été' };

const journey = mailJourney('notifications');

/** The notices' subjects, in French and English (backend/mail/notices.go). */
const NOTICE = /a rejoint|a quitté|joined|left|Droits modifiés|Rights changed|Nouvelle tâche|New task|accès à|access to/;

interface Member {
  id: string; // the membership
  accountId: string; // the person, whom a task is given to
  email: string;
}

async function member(page: Page, email: string): Promise<Member> {
  const list = await op(page, 'members.list', { query: email, status: '', roleId: '', cursor: '', limit: 10, withTotal: false });
  return (list.items as Member[]).find((m) => m.email === email)!;
}

/** The person opens the invitation mailed to them and creates their account; returns their signed-in page. */
async function accept(browser: Browser, who: typeof lea): Promise<Page> {
  const invite = await journey.mailTo(who.email, /invite/);
  const page = await (await browser.newContext()).newPage();
  await page.goto(invite.link);
  await page.getByLabel(/Nouveau mot de passe|New password/).fill(who.password);
  await page.getByRole('button', { name: /Créer un compte|Create an account/ }).click();
  await expect(page.getByRole('navigation', { name: /Menu principal|Main menu/ })).toBeVisible();
  return page;
}

/** What the outbox holds for an address whose subject matches: written in the action's own transaction. */
async function queued(admin: Page, to: string, subject: RegExp): Promise<string[]> {
  const box = await op(admin, 'outbox.list');
  return (box.items as { to: string; subject: string }[]).filter((m) => m.to === to && subject.test(m.subject)).map((m) => m.subject);
}

test('each notification category mails exactly what it says, and nothing once switched off', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await createWorkspace(
    page,
    journey.server.url,
    { firstName: camille.first, lastName: camille.last, email: camille.email, password: camille.password, organization: org },
    { search: 'Paris', option: 'Europe / Paris' },
  );
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();
  const adminRole = ((await op(page, 'roles.list')).roles as { id: string; isAdmin: boolean }[]).find((r) => r.isAdmin)!.id;

  // Paul joins as a second administrator: Camille is told, in French.
  await op(page, 'invitations.create', {
    email: paul.email, firstName: paul.first, lastName: paul.last, jobTitle: '', employeeRef: '', roleIds: [adminRole], rights: [], language: 'fr',
  });
  const paulPage = await accept(browser, paul);
  const joined = await journey.mailTo(camille.email, /^Paul Blanc a rejoint Cabinet Durand$/);
  expect(joined.text).toContain("Paul Blanc a accepté l'invitation et fait désormais partie de l'organisation Cabinet Durand.");

  // Paul turns "Arrivées et départs de membres" off on his Notifications tab.
  await paulPage.goto(`${journey.server.url}/#/account?tab=notifications`);
  const members = paulPage.getByRole('switch', { name: /Arrivées et départs de membres/ });
  await expect(members).toBeChecked();
  await members.click();
  await expect(members).not.toBeChecked();
  await expect(paulPage.getByText('Vos préférences sont enregistrées.')).toBeVisible();
  await paulPage.screenshot({ path: 'screenshots/notifications-01-switch-off.png' });

  // Léa, who reads English, joins with the right to see tasks: Camille is told, Paul is not.
  await op(page, 'invitations.create', {
    email: lea.email, firstName: lea.first, lastName: lea.last, jobTitle: '', employeeRef: '', roleIds: [], rights: ['tasks.view'], language: 'en',
  });
  const leaPage = await accept(browser, lea);
  await journey.mailTo(camille.email, /^Léa Roux a rejoint Cabinet Durand$/);
  expect(await queued(page, paul.email, /rejoint/)).toStrictEqual([]);
  const leaMember = await member(page, lea.email);
  const leaId = leaMember.id;
  const camilleMember = await member(page, camille.email);

  // A task given to Léa: she is told, in English, with its due date.
  await op(page, 'tasks.create', { id: '', title: 'Déclaration de TVA', dueDate: '2030-01-31', assigneeId: leaMember.accountId, repeat: '' });
  const task = await journey.mailTo(lea.email, /^New task for you in Cabinet Durand: Déclaration de TVA$/);
  expect(task.text).toContain('January 31, 2030');
  // She switches tasks off: the next one given to her sends nothing.
  await op(leaPage, 'notifications.set', { category: 'tasks', enabled: false });
  await op(page, 'tasks.create', { id: '', title: 'Liasse fiscale', dueDate: '2030-04-30', assigneeId: leaMember.accountId, repeat: '' });
  expect(await queued(page, lea.email, /Liasse fiscale/)).toStrictEqual([]);

  // Léa's rights change: Paul, the other administrator, is told; Camille, who made the change, is not.
  await op(page, 'members.setRight', { memberId: leaId, right: 'members.view', granted: true });
  await journey.mailTo(paul.email, /^Droits modifiés dans Cabinet Durand : Léa Roux$/);
  await op(paulPage, 'notifications.set', { category: 'rights', enabled: false });
  await op(page, 'members.setRight', { memberId: leaId, right: 'members.view', granted: false });
  expect(await queued(page, paul.email, /Droits modifiés/)).toHaveLength(1);

  // Léa's access is suspended: she is told, in English, with the organization's name.
  await op(page, 'members.disable', { memberId: leaId });
  const suspended = await journey.mailTo(lea.email, /^Your access to Cabinet Durand is suspended$/);
  expect(suspended.text).toContain('Cabinet Durand');
  await op(page, 'members.enable', { memberId: leaId });
  await journey.mailTo(lea.email, /^Your access to Cabinet Durand is restored$/);
  // Signed in again, she switches that category off: the next suspension is not mailed.
  await leaPage.goto(journey.server.url);
  await leaPage.getByRole('textbox', { name: /Adresse e-mail|Email address/ }).fill(lea.email);
  await leaPage.getByRole('textbox', { name: /Mot de passe|Password/ }).fill(lea.password);
  await leaPage.getByRole('button', { name: /Se connecter|Sign in/ }).click();
  await expect(leaPage.getByRole('navigation', { name: /Menu principal|Main menu/ })).toBeVisible();
  await op(leaPage, 'notifications.set', { category: 'access', enabled: false });
  await op(page, 'members.disable', { memberId: leaId });
  expect(await queued(page, lea.email, /suspended/)).toHaveLength(1);

  // Paul removes Léa from the organization: Camille is told she left.
  await op(paulPage, 'members.delete', { memberId: leaId, successorId: camilleMember.id });
  await journey.mailTo(camille.email, /^Léa Roux a quitté Cabinet Durand$/);
  expect(await queued(page, paul.email, /quitté/)).toStrictEqual([]);

  // Once everything queued has gone out, each person got exactly these notices.
  await expect.poll(async () => (await op(page, 'outbox.list')).items.every((m: { status: string }) => m.status === 'sent'), { timeout: 30_000 }).toBe(true);
  const subjects = async (to: string) => (await journey.mail.subjectsTo(to)).filter((s) => NOTICE.test(s)).sort();
  expect(await subjects(camille.email)).toStrictEqual(['Léa Roux a quitté Cabinet Durand', 'Léa Roux a rejoint Cabinet Durand', 'Paul Blanc a rejoint Cabinet Durand']);
  expect(await subjects(paul.email)).toStrictEqual(['Droits modifiés dans Cabinet Durand : Léa Roux']);
  expect(await subjects(lea.email)).toStrictEqual([
    'New task for you in Cabinet Durand: Déclaration de TVA',
    'Your access to Cabinet Durand is restored',
    'Your access to Cabinet Durand is suspended',
  ]);
});
