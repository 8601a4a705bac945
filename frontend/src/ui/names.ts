import type { TFunction } from 'i18next';
import type { Account } from '../api/types.gen';

export function fullName(a: Pick<Account, 'firstName' | 'lastName' | 'email'>): string {
  const name = [a.firstName, a.lastName].filter(Boolean).join(' ').trim();
  return name || a.email;
}

export function initials(a: Pick<Account, 'firstName' | 'lastName' | 'email'>): string {
  const parts = [a.firstName, a.lastName].filter(Boolean);
  const letters = parts.length ? parts.map((p) => p.trim()[0] ?? '') : [a.email[0] ?? '?'];
  return letters.join('').toUpperCase();
}

/** A role's name as the console says it: the Admin role in the console's language. */
export function roleName(t: TFunction, r: { name: string; isAdmin: boolean }): string {
  return r.isAdmin ? t('roles.adminName') : r.name;
}
