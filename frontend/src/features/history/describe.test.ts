import { describe as group, expect, it } from 'vitest';
import i18n from '../../i18n';
import { HISTORY_ACTIONS, type HistoryEntry } from '../../api/types.gen';
import { actionChoices, actionLabel, describe, subjectOf } from './describe';

const role = '01a237d9-8708-7bf0-acdf-540ae38c6c95';
const sophie = '01a237d9-8706-76a5-9cae-049c8c4f2720';

// Details as the services record them (backend/service), one per action that has any.
const details: Record<string, Record<string, unknown>> = {
  'profile.changed': { fields: ['first_name', 'mobile_phone'] },
  'language.changed': { from: 'fr', to: 'en' },
  'member.updated': { fields: ['employee_ref', 'job_title'], accountId: sophie },
  'member.roles_changed': { added: [role], removed: [], accountId: sophie },
  'right.granted': { right: 'orders.place', accountId: sophie },
  'right.revoked': { right: 'invoices.view', accountId: sophie },
  'application.granted': { application: 'invoicing', accountId: sophie },
  'application.revoked': { application: 'payroll', accountId: sophie },
  'member.disabled': { from: 'active', to: 'disabled', sessionsEnded: 2, accountId: sophie },
  'member.enabled': { from: 'disabled', to: 'active', accountId: sophie },
  'member.away': { returnsOn: '2026-03-29', delegateId: sophie, accountId: sophie },
  'member.returned': { returnsOn: '2026-03-29', automatic: true, accountId: sophie },
  'role.created': { name: 'Comptable', rights: ['invoices.view'] },
  'role.updated': { from: 'Comptable', name: 'Comptables', rightsBefore: ['invoices.view'], rights: ['orders.place'] },
  'role.deleted': { name: 'Comptables', members: 3 },
  'company.changed': { changes: { legalName: { from: 'A', to: 'B' } }, fields: ['mobilePhone'] },
  'org.updated': { changes: { name: { from: 'A', to: 'B' }, responsibleId: { from: '', to: sophie } } },
  'org.closed': { status: { from: 'active', to: 'closed' } },
  'org.reopened': { status: { from: 'closed', to: 'active' } },
  'org.deleted': { name: 'Boucherie Lefèvre', members: 4 },
  'org.security_changed': { requireTwoFactor: true },
  'notifications.changed': { category: 'weekly_digest', enabled: false },
  'password.changed': { signedOut: 2 },
  'sessions.revoked_others': { signedOut: 1 },
  'password.reset': { sessionsEnded: 1 },
  'password.reset_requested': { by: 'admin' },
  'signin.succeeded': { secondFactor: 'totp' },
  'signin.failed': { email: 'inconnu@example.fr' },
  'invitation.sent': { email: 'marc@example.fr', roles: [role], rights: ['tasks.view'] },
  'mail.settings_changed': { host: 'smtp.example.fr', port: 587, security: 'starttls', passwordChanged: true },
  'task.created': { title: 'Relevés T3', dueDate: '2026-03-12', assigneeId: sophie },
  'task.updated': { changes: { dueDate: { from: '', to: '2026-03-12' }, assigneeId: { from: '', to: sophie } } },
  'task.completed': { status: { from: 'open', to: 'done' }, next: { id: 'n', dueDate: '2026-04-30' } },
  'history.exported': { rows: 12 },
  'org.switched': { orgId: { from: sophie, to: role } },
  'history.verified': { ok: true, checked: 40 },
};

function entry(action: string): HistoryEntry {
  return {
    seq: 9, number: 4, id: 'e', at: '2026-12-02T16:05:03Z', action, actorId: 'a', actorName: 'Anne Martin',
    subjectType: 'membership', subjectId: 'm', subjectName: 'Sophie Lambert', device: 'Atrium Desktop (linux)',
    details: details[action] ?? {}, names: { [role]: 'Comptable', [sophie]: 'Sophie Lambert' }, pending: false,
  };
}

// A code, a snake_case name, an ID or an unfilled placeholder: what a person must never read.
const raw = /\b[a-z]+\.[a-z_]+\b|\b[a-z]+_[a-z_]+\b|[0-9a-f]{8}-[0-9a-f]{4}|{{|}}/;

group('the History screen words every action', () => {
  it.each(['fr', 'en'])('in %s: the action, and what changed, without a raw code', async (lang) => {
    await i18n.changeLanguage(lang);
    const t = i18n.t.bind(i18n);
    for (const a of HISTORY_ACTIONS) {
      const label = actionLabel(a, lang);
      expect(label, a).not.toMatch(raw);
      expect(label, a).not.toBe(a);
      const text = describe(t, entry(a), lang);
      // A mail server's name is the one dotted name shown as it is.
      expect(text.replace('smtp.example.fr', 'server'), a).not.toMatch(raw);
      // A failed sign-in's address is who it concerns, not what changed.
      if (details[a] && a !== 'signin.failed') expect(text, a).not.toBe('');
    }
  });

  it('says which roles, rights and fields', async () => {
    await i18n.changeLanguage('fr');
    const t = i18n.t.bind(i18n);
    expect(describe(t, entry('member.roles_changed'), 'fr')).toBe('Rôles ajoutés : Comptable');
    expect(describe(t, entry('right.granted'), 'fr')).toBe('Droit : Passer des commandes');
    expect(describe(t, entry('profile.changed'), 'fr')).toBe('Champs modifiés : prénom, téléphone mobile');
    expect(describe(t, entry('role.updated'), 'fr')).toBe(
      'Renommé : « Comptable » → « Comptables » · Droits ajoutés : Passer des commandes · Droits retirés : Voir les factures',
    );
    expect(describe(t, entry('member.disabled'), 'fr')).toBe('2 sessions fermées');
    expect(describe(t, entry('member.away'), 'fr')).toBe('retour prévu le 29/03/2026 · nouvelles tâches confiées à Sophie Lambert');
    expect(describe(t, entry('member.returned'), 'fr')).toBe('à la date de retour');
    // Nothing said of what did not happen: a role nobody held.
    expect(describe(t, { ...entry('role.deleted'), details: { name: 'Stagiaires', members: 0 } }, 'fr')).toBe('');
    await i18n.changeLanguage('en');
    expect(describe(i18n.t.bind(i18n), entry('application.granted'), 'en')).toBe('Application: Invoicing');
  });

  it('says a repeating task made its next occurrence, and for whom', async () => {
    await i18n.changeLanguage('fr');
    const t = i18n.t.bind(i18n);
    expect(describe(t, entry('task.completed'), 'fr')).toBe('Suivante créée, échéance le 30/04/2026');
    const next = { ...entry('task.created'), details: { title: 'TVA', dueDate: '2026-02-28', assigneeId: '', assigneeNotKept: sophie, repeat: 'monthly', previousId: 'p' } };
    expect(describe(t, next, 'fr')).toBe(
      "Occurrence suivante d'une tâche qui se répète · Échéance : 28/02/2026 · Non attribuée : Sophie Lambert ne voit plus les tâches · Se répète chaque mois",
    );
  });

  it('words a field and a status after what they belong to', async () => {
    await i18n.changeLanguage('fr');
    const t = i18n.t.bind(i18n);
    const renamed = { ...entry('task.updated'), subjectType: 'task', details: { changes: { title: { from: 'A', to: 'B' } } } };
    expect(describe(t, renamed, 'fr')).toBe('Champs modifiés : intitulé');
    expect(describe(t, entry('profile.changed'), 'fr')).not.toContain('intitulé');
    expect(describe(t, { ...entry('org.reopened'), subjectType: 'organization' }, 'fr')).toBe('clôturée → active');
  });

  it('names who an entry concerns, even when they are gone', async () => {
    await i18n.changeLanguage('fr');
    const t = i18n.t.bind(i18n);
    expect(subjectOf(t, entry('member.disabled'))).toBe('Sophie Lambert');
    expect(subjectOf(t, { ...entry('account.deleted'), subjectType: 'account', subjectName: '' })).toBe('Compte supprimé');
  });

  it('offers every action in the filter, grouped by kind', () => {
    const groups = actionChoices(HISTORY_ACTIONS, 'fr');
    expect(groups.flatMap((g) => g.items.map((i) => i.value)).sort()).toEqual([...HISTORY_ACTIONS].sort());
    expect(groups[0].group).toBe('Connexion et sécurité');
  });
});
