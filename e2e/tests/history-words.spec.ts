import { expect, test, type Page } from '@playwright/test';
import { mailJourney } from '../mailpit';
import { createWorkspace, op } from '../journeys';

// The History screen after a day that touched every area: an office manager
// reads each entry in words, in French and in English, never a raw code such
// as "member.disabled".

const person = {
  firstName: 'Hélène',
  lastName: 'Garnier',
  email: 'helene.garnier@example.test',
  password: 'Les cerisiers du verger fleurissent',
  organization: 'Garnier Conseil',
};
const invitee = { email: 'sophie.morel@example.test', password: 'Une promenade au bord du canal' };

const journey = mailJourney('history');
const { mailTo } = journey;

/** Every action code the history holds, read through the API. */
async function actionsRecorded(page: Page): Promise<string[]> {
  const seen = new Set<string>();
  let before = 0;
  for (;;) {
    const pageOf = await op<{ entries: { action: string }[]; next: number }>(page, 'history.list', {
      person: '', action: '', from: '', to: '', search: '', before, limit: 200,
    });
    pageOf.entries.forEach((e) => seen.add(e.action));
    if (!pageOf.next) return [...seen];
    before = pageOf.next;
  }
}

/** Shows every entry of the History screen (its "more" button until the end). */
async function showAll(page: Page) {
  await page.goto(`${journey.server.url}/#/history`);
  await expect(page.getByRole('table')).toBeVisible();
  const more = page.getByRole('button', { name: /Afficher plus|Show more/ });
  while (await more.isVisible().catch(() => false)) {
    await more.click();
    await page.waitForTimeout(150);
  }
}

test('every history entry reads in words, in French and in English', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await createWorkspace(page, journey.server.url, person);
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();

  // Account
  await op(page, 'account.updateProfile', { jobTitle: 'Gérante' });
  await op(page, 'notifications.set', { category: 'members', enabled: false });
  await op(page, 'twoFactor.begin');
  // Organization and company
  await op(page, 'company.update', { legalName: 'Garnier Conseil SARL' });
  await op(page, 'orgs.update', { website: 'https://garnier-conseil.example' });
  await op(page, 'security.setOrgPolicy', { requireTwoFactor: false });
  // Tasks
  const task = await op<{ id: string }>(page, 'tasks.create', { id: '', title: 'Bilan 2026', dueDate: '', assigneeId: '' });
  await op(page, 'tasks.update', { id: task.id, title: 'Bilan annuel 2026', dueDate: '', assigneeId: '' });
  await op(page, 'tasks.complete', { id: task.id });
  await op(page, 'tasks.reopen', { id: task.id });
  // Roles
  const role = await op<{ id: string }>(page, 'roles.create', { roleId: '', name: 'Comptabilité', rights: ['members.view'] });
  await op(page, 'roles.update', { roleId: role.id, name: 'Comptabilité', rights: ['members.view', 'tasks.view'] });
  // Invitations: one revoked, one accepted
  const invite = (email: string, firstName: string, lastName: string) =>
    op<{ id: string }>(page, 'invitations.create', {
      email, firstName, lastName, jobTitle: '', employeeRef: '', roleIds: [], rights: [], language: 'fr',
    });
  const revoked = await invite('paul.blanc@example.test', 'Paul', 'Blanc');
  await op(page, 'invitations.resend', { invitationId: revoked.id });
  await op(page, 'invitations.revoke', { invitationId: revoked.id });
  await invite(invitee.email, 'Sophie', 'Morel');
  const link = (await mailTo(invitee.email, /vous invite/)).link;
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await p2.goto(link);
  await p2.getByLabel('Nouveau mot de passe').fill(invitee.password);
  await p2.getByRole('button', { name: 'Créer un compte' }).click();
  await expect(p2.getByRole('navigation', { name: 'Menu principal' })).toBeVisible();
  await other.close();
  // Members
  const members = await op<{ items: { id: string; firstName: string }[] }>(page, 'members.list', {});
  const sophie = members.items.find((m) => m.firstName === 'Sophie');
  expect(sophie).toBeTruthy();
  const memberId = sophie!.id;
  await op(page, 'members.update', { memberId, jobTitle: 'Comptable' });
  await op(page, 'members.setRoles', { memberId, roleIds: [role.id] });
  await op(page, 'members.setRight', { memberId, right: 'tasks.manage', granted: true });
  await op(page, 'members.removeRole', { memberId, roleId: role.id });
  await op(page, 'members.disable', { memberId });
  await op(page, 'members.enable', { memberId });
  await op(page, 'members.sendPasswordReset', { memberId });
  await op(page, 'applications.setEnabled', { application: 'invoicing', enabled: true });
  await op(page, 'applications.grant', { memberId, application: 'invoicing', granted: true });
  await op(page, 'roles.delete', { roleId: role.id });
  // History itself, sessions, closing and reopening
  await op(page, 'history.export', { person: '', action: '', from: '', to: '', search: '', before: 0, limit: 0 });
  await op(page, 'history.verify');
  await op(page, 'sessions.revokeOthers');
  await op(page, 'orgs.close');
  await op(page, 'orgs.reopen');
  await op(page, 'account.changePassword', { currentPassword: person.password, newPassword: 'Les pommiers du verger fleurissent' });

  const codes = await actionsRecorded(page);
  expect(codes.length).toBeGreaterThan(25);
  for (const language of ['fr', 'en']) {
    await op(page, 'account.setLanguage', { language });
    await showAll(page);
    const text = await page.getByRole('main').innerText();
    const raw = codes.filter((c) => text.includes(c));
    expect(raw, `raw action codes on the ${language} History screen`).toEqual([]);
    await page.screenshot({ path: `screenshots/history-words-${language}.png`, fullPage: true });
  }
  await op(page, 'account.setLanguage', { language: 'fr' });
  expect(pageErrors).toEqual([]);
});
