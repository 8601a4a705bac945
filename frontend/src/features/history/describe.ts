import type { TFunction } from 'i18next';
import i18n from 'i18next';
import { formatDay } from '../../ui/dates';
import {
  APPLICATION_NAMES,
  HISTORY_ACTION_GROUPS,
  HISTORY_ACTION_GROUP_LABELS,
  HISTORY_ACTION_LABELS,
  HISTORY_ACTIONS,
  RIGHT_LABELS,
  type HistoryEntry,
  type Words,
} from '../../api/types.gen';
import { opLabel } from '../sync/words';

// How the History screen words an entry: the action (generated from the Go
// list, as the CSV export words it), who it concerns, and what changed. The
// history keeps field names, never personal values, and names people and
// roles by their IDs, which the backend resolves into entry.names.

type Lang = 'fr' | 'en';
const langOf = (l: string): Lang => (l === 'en' ? 'en' : 'fr');
const words = (w: Words | undefined, lang: Lang, fallback: string) => (w ? w[lang] : fallback);

export function actionLabel(action: string, lang: string): string {
  return words((HISTORY_ACTION_LABELS as Record<string, Words>)[action], langOf(lang), action);
}

/** The action filter's choices, grouped by kind, in the order Go lists them. */
export function actionChoices(offered: readonly string[], lang: string) {
  const l = langOf(lang);
  const known = new Set<string>(HISTORY_ACTIONS);
  const groups = HISTORY_ACTION_GROUPS.map((g) => ({
    group: HISTORY_ACTION_GROUP_LABELS[g][l],
    items: offered
      .filter((a) => known.has(a) && HISTORY_ACTION_LABELS[a as keyof typeof HISTORY_ACTION_LABELS].group === g)
      .map((a) => ({ value: a, label: actionLabel(a, l) })),
  })).filter((g) => g.items.length > 0);
  // An action this console does not know yet is still offered, by its code.
  const unknown = offered.filter((a) => !known.has(a)).map((a) => ({ value: a, label: a }));
  return unknown.length ? [...groups, { group: '…', items: unknown }] : groups;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const strs = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Who or what the entry concerns. */
export function subjectOf(t: TFunction, e: HistoryEntry): string {
  if (e.subjectName) return e.subjectName;
  if (e.subjectType === 'account' && e.subjectId) return t('history.deletedAccount');
  if (e.subjectType === 'membership' && e.subjectId) return t('history.someone');
  return '';
}

/** What changed, in words: field names, rights, roles and counts, never a person's values. */
export function describe(t: TFunction, e: HistoryEntry, lang: string): string {
  const l = langOf(lang);
  const d = e.details ?? {};
  const names = e.names ?? {};
  const join = (xs: string[]) => xs.join(', ');
  const right = (r: string) => words((RIGHT_LABELS as Record<string, Words>)[r], l, r);
  const rights = (xs: string[]) => join(xs.map(right));
  const role = (id: string) => names[id] || t('history.deletedRole');
  const person = (id: string) => names[id] || t('history.someone');
  const day = formatDay;
  // A field or a status may be worded after the kind of thing it belongs to
  // (a task's "title" is its heading, a person's their civility).
  const worded = (group: string, of: string, key: string) =>
    i18n.exists(`history.${of}.${e.subjectType}.${key}`)
      ? t(`history.${of}.${e.subjectType}.${key}`)
      : i18n.exists(`history.${group}.${key}`)
        ? t(`history.${group}.${key}`)
        : key;
  const field = (f: string) => worded('field', 'fieldOf', f);
  const fields = (xs: string[]) => (xs.length ? t('history.detail.fields', { fields: join(xs.map(field)) }) : '');
  const status = (s: string) => worded('statusName', 'statusOf', s);
  const parts: string[] = [];
  const add = (s: string) => s && parts.push(s);
  const changes = (v: unknown) => (v && typeof v === 'object' ? Object.keys(v as object) : []);

  switch (e.action) {
    case 'profile.changed':
    case 'member.updated':
      add(fields(strs(d.fields)));
      break;
    case 'company.changed':
      add(fields([...changes(d.changes), ...strs(d.fields)]));
      break;
    case 'org.updated':
    case 'task.updated':
      add(fields(changes(d.changes)));
      break;
    case 'language.changed':
      add(t('history.detail.language', { from: t(`language.${str(d.from)}`), to: t(`language.${str(d.to)}`) }));
      break;
    case 'org.closed':
    case 'org.reopened': {
      const s = d.status as { from?: unknown; to?: unknown } | undefined;
      if (s) add(t('history.detail.status', { from: status(str(s.from)), to: status(str(s.to)) }));
      break;
    }
    case 'member.roles_changed':
      if (strs(d.added).length) add(t('history.detail.rolesAdded', { roles: join(strs(d.added).map(role)) }));
      if (strs(d.removed).length) add(t('history.detail.rolesRemoved', { roles: join(strs(d.removed).map(role)) }));
      break;
    case 'right.granted':
    case 'right.revoked':
      add(t('history.detail.right', { right: right(str(d.right)) }));
      break;
    case 'application.granted':
    case 'application.revoked':
      add(t('history.detail.application', { application: words((APPLICATION_NAMES as Record<string, Words>)[str(d.application)], l, str(d.application)) }));
      break;
    case 'member.disabled':
      add(t('history.detail.sessionsEnded', { count: num(d.sessionsEnded) }));
      break;
    case 'member.deleted':
      if (num(d.sessionsEnded) > 0) add(t('history.detail.sessionsEnded', { count: num(d.sessionsEnded) }));
      if (str(d.successorId)) {
        const what = [
          num(d.tasks) > 0 && t('history.detail.handedTasks', { count: num(d.tasks) }),
          num(d.invitations) > 0 && t('history.detail.handedInvitations', { count: num(d.invitations) }),
          d.responsible === true && t('history.detail.handedDossier'),
        ].filter(Boolean);
        add(t('history.detail.successor', { name: person(str(d.successorId)), what: what.join(', ') || t('history.detail.handedNothing') }));
      }
      break;
    case 'member.away':
      add(str(d.returnsOn) ? t('away.historyUntil', { date: day(str(d.returnsOn)) }) : t('away.historyOpen'));
      if (str(d.delegateId)) add(t('away.historyDelegate', { name: person(str(d.delegateId)) }));
      break;
    case 'member.returned':
      if (d.automatic === true) add(t('away.historyAutomatic'));
      else add(str(d.returnsOn) ? t('away.historyEarly', { date: day(str(d.returnsOn)) }) : t('away.historyByHand'));
      break;
    case 'member.enabled':
      add(t('history.detail.status', { from: status(str(d.from)), to: status(str(d.to)) }));
      break;
    case 'password.changed':
    case 'sessions.revoked_others':
      if (num(d.signedOut) > 0) add(t('history.detail.signedOut', { count: num(d.signedOut) }));
      break;
    case 'password.reset':
      if (num(d.sessionsEnded) > 0) add(t('history.detail.sessionsEnded', { count: num(d.sessionsEnded) }));
      break;
    case 'password.reset_requested':
      add(t(str(d.by) === 'self' ? 'history.detail.resetBySelf' : 'history.detail.resetByAdmin'));
      break;
    case 'signin.succeeded':
      if (d.secondFactor) add(t(str(d.secondFactor) === 'recovery' ? 'history.detail.recoveryCode' : 'history.detail.secondFactor'));
      break;
    case 'role.created':
      if (strs(d.rights).length) add(t('history.detail.rights', { rights: rights(strs(d.rights)) }));
      break;
    case 'role.updated': {
      if (str(d.from) && str(d.name) && d.from !== d.name) add(t('history.detail.renamed', { from: str(d.from), to: str(d.name) }));
      const before = new Set(strs(d.rightsBefore));
      const after = new Set(strs(d.rights));
      const added = [...after].filter((r) => !before.has(r));
      const removed = [...before].filter((r) => !after.has(r));
      if (added.length) add(t('history.detail.rightsAdded', { rights: rights(added) }));
      if (removed.length) add(t('history.detail.rightsRemoved', { rights: rights(removed) }));
      break;
    }
    case 'role.deleted':
      if (num(d.members) > 0) add(t('history.detail.roleMembers', { count: num(d.members) }));
      break;
    case 'org.deleted':
      add(t('history.detail.orgMembers', { count: num(d.members) }));
      break;
    case 'invitation.sent':
      if (strs(d.roles).length) add(t('history.detail.roles', { roles: join(strs(d.roles).map(role)) }));
      if (strs(d.rights).length) add(t('history.detail.rights', { rights: rights(strs(d.rights)) }));
      break;
    case 'org.security_changed':
      add(t(d.requireTwoFactor ? 'history.detail.requireTwoFactorOn' : 'history.detail.requireTwoFactorOff'));
      break;
    case 'notifications.changed': {
      const c = str(d.category);
      const category = i18n.exists(`notifications.category.${c}`) ? t(`notifications.category.${c}`) : c;
      add(t(d.enabled ? 'history.detail.notificationOn' : 'history.detail.notificationOff', { category }));
      break;
    }
    case 'mail.settings_changed':
      if (str(d.host)) add(t('history.detail.mailServer', { host: str(d.host), port: num(d.port), security: i18n.exists(`mail.securities.${str(d.security)}`) ? t(`mail.securities.${str(d.security)}`) : str(d.security) }));
      if (d.passwordChanged) add(t('history.detail.mailPassword'));
      break;
    case 'task.created':
      if (str(d.previousId)) add(t('history.detail.nextOccurrence'));
      if (str(d.dueDate)) add(t('history.detail.dueDate', { date: day(str(d.dueDate)) }));
      if (str(d.assigneeId)) add(t('history.detail.assignee', { name: person(str(d.assigneeId)) }));
      if (str(d.assigneeNotKept)) add(t('history.detail.assigneeNotKept', { name: person(str(d.assigneeNotKept)) }));
      if (str(d.repeat)) add(t(`history.detail.repeats.${str(d.repeat)}`));
      break;
    case 'task.completed': {
      const next = d.next as { dueDate?: unknown } | undefined;
      if (next && str(next.dueDate)) add(t('history.detail.nextCreated', { date: day(str(next.dueDate)) }));
      break;
    }
    case 'org.switched': {
      const o = d.orgId as { from?: unknown; to?: unknown } | undefined;
      if (o && str(o.from)) add(t('history.detail.switched', { from: names[str(o.from)] || '—', to: names[str(o.to)] || '—' }));
      break;
    }
    case 'history.exported':
    case 'members.exported':
      add(t('history.detail.rows', { count: num(d.rows) }));
      break;
    case 'history.verified':
      add(d.ok ? t('history.detail.verifiedOk', { count: num(d.checked) }) : t('history.detail.verifiedBroken', { seq: num(d.brokenSeq) }));
      break;
    case 'sync.discarded':
      add(t('sync.history', { what: opLabel(t, str(d.operation)), why: i18n.exists(`errors.${str(d.reason)}`) ? t(`errors.${str(d.reason)}`) : str(d.reason) }));
      break;
  }
  return parts.join(' · ');
}
