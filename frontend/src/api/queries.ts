import { createContext, useContext } from 'react';
import { notifications } from '@mantine/notifications';
import { QueryCache, MutationCache, QueryClient, useQuery } from '@tanstack/react-query';
import { call } from './client';
import { ApiError, isApiError } from './errors';
import type { Account, SessionInfo } from './types.gen';
import { reportFatal } from './fatal';
import { opKey } from './ops';
import { setTabOrg, tabOrg } from './org';

/** The two answers the boot reads before any organization is known. */
export const keys = {
  setupStatus: opKey('setup.status', ''),
  session: opKey('session.current', ''),
};

export function createQueryClient(): QueryClient {
  const onError = (err: unknown) => {
    if (isApiError(err) && err.code === 'startup_failed') reportFatal(err);
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        retry: (count, err) => isApiError(err) && err.code === 'network' && count < 2,
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
      mutations: { retry: false },
    },
  });
}

export function useSetupStatus() {
  return useQuery({
    queryKey: keys.setupStatus,
    queryFn: () => call('setup.status', {}),
  });
}

/**
 * The session, as seen from the organization this tab shows: its rights
 * there. A tab opened fresh names none and gets the one the session
 * remembers; a tab whose organization the account has since left falls back
 * to that one too.
 */
async function currentSession(): Promise<SessionInfo> {
  const asked = tabOrg();
  let info = await call('session.current', {}, { org: asked });
  if (asked && info.organization?.id !== asked) info = await call('session.current', {}, { org: '' });
  setTabOrg(info.organization?.id ?? '');
  return info;
}

export function useSessionQuery(enabled = true) {
  return useQuery<SessionInfo, ApiError>({
    queryKey: keys.session,
    queryFn: currentSession,
    enabled,
  });
}

/** A sign-in, a first run, a switch…: this tab now shows the organization the answer names. */
export function acceptSession(client: QueryClient, info: SessionInfo): void {
  setTabOrg(info.organization?.id ?? '');
  client.setQueryData(keys.session, info);
}

/** Signed out (or the account deleted): forget everything of the account; the boot shows the sign-in page. */
export async function forgetSession(client: QueryClient): Promise<void> {
  window.location.hash = '#/';
  setTabOrg('');
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.setupStatus[0] && q.queryKey[0] !== keys.session[0] });
  notifications.clean();
  await client.resetQueries({ queryKey: keys.session });
}

const SessionContext = createContext<SessionInfo | null>(null);
export const SessionProvider = SessionContext.Provider;

/** The signed-in session; only use below the shell, where it is known to exist. */
export function useSession(): SessionInfo {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession used outside a signed-in area');
  return session;
}

/** Puts an updated account into the cached session without waiting for the refetch. */
export function patchSessionAccount(client: QueryClient, account: Account): void {
  client.setQueryData<SessionInfo>(keys.session, (prev) => (prev ? { ...prev, account } : prev));
}
