import { useOp, useOpMutation, useOpPages, type OpMutationOptions } from '../../api/ops';
import type { OperationName, Operations } from '../../api/types.gen';

export function useRoles(enabled = true) {
  return useOp('roles.list', {}, { enabled });
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
  return useOpPages(
    'members.list',
    filter,
    {
      input: (cursor) => ({ ...filter, cursor, limit: PAGE, withTotal: cursor === '' }),
      next: (last) => last.nextCursor || undefined,
    },
    enabled,
  );
}

export function useMember(id: string | null) {
  return useOp('members.get', { memberId: id ?? '' }, { enabled: !!id });
}

/** What a change to members, roles or applications may affect. */
export const MEMBER_ANSWERS: readonly OperationName[] = ['members.list', 'members.get', 'roles.list', 'applications.list'];

/** A change to members, roles or applications: it refreshes what it may affect. */
export function useMemberMutation<K extends OperationName, V = Operations[K]['input']>(
  op: K | ((vars: V) => K),
  options: OpMutationOptions<K, V> = {},
) {
  return useOpMutation<K, V>(op, { invalidates: MEMBER_ANSWERS, ...options });
}
