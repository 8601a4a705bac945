import { useEffect } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { invalidateOps } from './ops';
import { inDesktop } from './transports';
import type { OperationName } from './types.gen';

/**
 * The answers a change of each kind of record makes stale. A change to a
 * membership or a role may change what this very account may do, hence the
 * session. A kind missing here refreshes nothing.
 */
const STALE: Record<string, readonly OperationName[]> = {
  organization: ['orgs.list', 'orgs.current', 'session.current', 'home.summary'],
  company_profile: ['company.get'],
  org_security_policy: ['security.orgPolicy', 'session.current'],
  membership: ['members.list', 'members.get', 'orgs.members', 'orgs.list', 'session.current', 'tasks.list', 'tasks.assignees', 'home.summary'],
  invitation: ['invitations.list', 'home.summary'],
  role: ['roles.list', 'members.list', 'members.get', 'session.current', 'tasks.list', 'tasks.assignees'],
  application: ['applications.list', 'account.applications'],
  task: ['tasks.list', 'home.summary'],
  outbox_message: ['outbox.list'],
};

/** The answers a set of changed kinds makes stale, each once. */
export function staleFor(kinds: Iterable<string>): OperationName[] {
  const out = new Set<OperationName>();
  for (const k of kinds) for (const op of STALE[k] ?? []) out.add(op);
  return [...out];
}

/**
 * Follows the server's change stream while the console is signed in, and
 * refreshes what is on screen when someone else (another window, a
 * colleague) changes it. Changes arriving together refresh once. The
 * browser resumes the stream by itself after a cut, from the last change it
 * saw. The desktop window has no stream yet: it follows nothing.
 */
export function followChanges(client: QueryClient): () => void {
  if (inDesktop() || typeof EventSource === 'undefined') return () => {};
  const source = new EventSource('/api/changes/stream');
  const kinds = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  source.onmessage = (ev: MessageEvent<string>) => {
    try {
      const change = JSON.parse(ev.data) as { entity?: unknown };
      if (typeof change.entity === 'string') kinds.add(change.entity);
    } catch {
      return;
    }
    timer ??= setTimeout(() => {
      timer = undefined;
      const ops = staleFor(kinds);
      kinds.clear();
      void invalidateOps(client, ops);
    }, 100);
  };
  // The session ended (signed out here or elsewhere): the console's own calls say so.
  source.addEventListener('ended', () => source.close());
  return () => {
    clearTimeout(timer);
    source.close();
  };
}

/** Follows the change stream for as long as the calling component is shown. */
export function useFollowChanges() {
  const client = useQueryClient();
  useEffect(() => followChanges(client), [client]);
}
