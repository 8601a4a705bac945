import { useMutation, useQuery, useQueryClient, keepPreviousData } from '@tanstack/react-query';
import { call } from '../../api/client';
import { keys } from '../../api/queries';
import type { ListOrgsInput, SessionInfo } from '../../api/types.gen';

export const orgKeys = {
  list: (input: ListOrgsInput) => ['orgs.list', input] as const,
  current: ['orgs.current'] as const,
};

export function useOrgList(input: ListOrgsInput, enabled = true) {
  return useQuery({
    queryKey: orgKeys.list(input),
    queryFn: () => call('orgs.list', input),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useOrgDetails() {
  return useQuery({ queryKey: orgKeys.current, queryFn: () => call('orgs.current', {}) });
}

/** Switches the session to another organization; everything cached belongs to the old one. */
export function useSwitchOrg() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (orgId: string) => call('orgs.switch', { orgId }),
    onSuccess: async (info: SessionInfo) => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.session[0] });
      client.setQueryData(keys.session, info);
      await client.invalidateQueries();
    },
  });
}

/** The organization is closed: read-only. */
export function isClosed(status: string | undefined): boolean {
  return status === 'closed';
}
