import type { QueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { setTabOrg } from '../../api/org';
import { keys } from '../../api/queries';

/**
 * The desktop reopened on another database (the server's replica, or its
 * own file after disconnecting): every answer on screen is another file's,
 * so all are asked again, from the first screen.
 */
export async function reopened(client: QueryClient): Promise<void> {
  window.location.hash = '#/';
  setTabOrg('');
  notifications.clean();
  const kept = new Set<unknown>([keys.setupStatus[0], keys.session[0], 'sync.status']);
  client.removeQueries({ predicate: (q) => !kept.has(q.queryKey[0]) });
  await client.resetQueries();
}
