import { createContext, useContext } from 'react';
import { QueryCache, MutationCache, QueryClient, useQuery } from '@tanstack/react-query';
import { call } from './client';
import { ApiError, isApiError } from './errors';
import type { Account, SessionInfo } from './types.gen';
import { reportFatal } from './fatal';

/** One query key per operation. */
export const keys = {
  setupStatus: ['setup.status'] as const,
  session: ['session.current'] as const,
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

export function useSessionQuery(enabled = true) {
  return useQuery<SessionInfo, ApiError>({
    queryKey: keys.session,
    queryFn: () => call('session.current', {}),
    enabled,
  });
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
