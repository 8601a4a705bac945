import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import type { ListMembersInput, RightsCatalog, RoleView, Text } from '../../api/types.gen';
import { useSession } from '../../api/queries';

export const memberKeys = {
  catalog: ['rights.catalog'] as const,
  roles: ['roles.list'] as const,
  list: (f: Omit<ListMembersInput, 'cursor' | 'limit' | 'withTotal'>) => ['members.list', f] as const,
  member: (id: string) => ['members.get', id] as const,
  apps: ['applications.list'] as const,
  mine: ['account.applications'] as const,
};

/** The signed-in member holds a right (the Admin role holds them all). */
export function useHasRight() {
  const { rights, isAdmin } = useSession();
  return (right: string) => isAdmin || rights.includes(right);
}

/**
 * What the signed-in member may give to someone else, or take from them: an
 * admin every right and role; anyone else only the rights they hold, never
 * rights.edit (an admin decides who edits rights), and only roles whose every
 * right they could give. Nobody changes their own. The backend enforces the
 * same rules; this only keeps the console from offering what it refuses.
 */
export function useGrantRules() {
  const { rights, isAdmin } = useSession();
  const canGive = (right: string) => isAdmin || (right !== 'rights.edit' && rights.includes(right));
  /** The i18n key saying why a right cannot be given, or null when it can. */
  const whyNotRight = (right: string): string | null =>
    canGive(right) ? null : right === 'rights.edit' ? 'members.detail.rightsEditAdminOnly' : 'members.detail.rightNotHeld';
  const canGiveRole = (role: Pick<RoleView, 'isAdmin' | 'rights'>) => isAdmin || (!role.isAdmin && role.rights.every(canGive));
  /** A custom role the member may change or delete: not one they hold themselves. */
  const canEditRole = (role: RoleView) => !role.isAdmin && (isAdmin || (!role.held && canGiveRole(role)));
  return { canGive, whyNotRight, canGiveRole, canEditRole };
}

/** A catalog text in the interface language. */
export function useText() {
  const { i18n } = useTranslation();
  return (text: Text) => (i18n.language === 'en' ? text.en : text.fr);
}

export function useCatalog() {
  return useQuery({ queryKey: memberKeys.catalog, queryFn: () => call('rights.catalog', {}), staleTime: Infinity });
}

/** Label of each right by name. */
export function rightLabels(cat: RightsCatalog | undefined, text: (t: Text) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const g of cat?.groups ?? []) for (const r of g.rights) out[r.name] = text(r.label);
  return out;
}

export function useRoles(enabled = true) {
  return useQuery({ queryKey: memberKeys.roles, queryFn: () => call('roles.list', {}), enabled });
}

export const PAGE = 100;

/**
 * The member list, one page of PAGE at a time by keyset cursor (the total
 * comes with the first page only). A list left behind (another filter,
 * another screen) is forgotten at once: a refetch of an infinite list asks
 * again for every page it holds, one after the other, so a list scrolled
 * 300 pages deep and kept in the cache would cost 300 requests when it comes
 * back; it restarts from its first page instead. While a new filter loads,
 * the previous results stay on screen (no flash of an empty list).
 */
export function useMemberList(filter: { query: string; status: string; roleId: string }, enabled = true) {
  return useInfiniteQuery({
    queryKey: memberKeys.list(filter),
    queryFn: ({ pageParam }) =>
      call('members.list', { ...filter, cursor: pageParam, limit: PAGE, withTotal: pageParam === '' }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor || undefined,
    gcTime: 0,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useMember(id: string | null) {
  return useQuery({
    queryKey: memberKeys.member(id ?? ''),
    queryFn: () => call('members.get', { memberId: id ?? '' }),
    enabled: !!id,
  });
}

/** Invalidates what a change to members, roles or applications may affect. */
export function useInvalidateMembers() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['members.list'] }),
      client.invalidateQueries({ queryKey: ['members.get'] }),
      client.invalidateQueries({ queryKey: memberKeys.roles }),
      client.invalidateQueries({ queryKey: memberKeys.apps }),
    ]);
}

export function useMemberMutation<I, O>(fn: (input: I) => Promise<O>) {
  const invalidate = useInvalidateMembers();
  return useMutation({ mutationFn: fn, onSuccess: () => invalidate() });
}
