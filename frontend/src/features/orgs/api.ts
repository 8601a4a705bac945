import { keepPreviousData, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { acceptSession, keys } from '../../api/queries';
import { useOp, useOpMutation } from '../../api/ops';
import type { ListOrgsInput } from '../../api/types.gen';

export function useOrgList(input: ListOrgsInput, enabled = true) {
  return useOp('orgs.list', input, { placeholderData: keepPreviousData, enabled });
}

export function useOrgDetails() {
  return useOp('orgs.current', {});
}

/**
 * Opens another organization in this tab (and the session remembers it for
 * the next start). Other tabs stay on theirs. What this tab had cached
 * belonged to the one it leaves.
 */
export function useSwitchOrg({ announce = false } = {}) {
  const client = useQueryClient();
  const { t } = useTranslation();
  return useOpMutation('orgs.switch', {
    input: (orgId: string) => ({ orgId }),
    onSuccess: async (info) => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.session[0] });
      acceptSession(client, info);
      if (announce) notifications.show({ color: 'teal', message: t('orgs.switched', { name: info.organization.name }) });
      await client.invalidateQueries();
    },
  });
}

/** The organization is closed: read-only. */
export function isClosed(status: string | undefined): boolean {
  return status === 'closed';
}
