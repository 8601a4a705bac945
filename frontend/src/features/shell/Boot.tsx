import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useFatalError } from '../../api/fatal';
import { keys, SessionProvider, useSessionQuery, useSetupStatus } from '../../api/queries';
import { isApiError } from '../../api/errors';
import { applyLanguage } from '../../i18n';
import { FullPageLoader } from '../../ui/FullPageLoader';
import { FirstRunPage } from '../setup/FirstRunPage';
import { SignInPage } from '../auth/SignInPage';
import { ReconnectPage } from '../sync/ReconnectPage';
import { StartupErrorPage } from './StartupErrorPage';
import { UnreachablePage } from './UnreachablePage';
import { AppRoutes } from './AppRoutes';
import { usePublicPage } from '../recovery/PublicPages';

/** Decides what the user sees first: first run, sign-in, or the console itself. */
export function Boot() {
  const fatal = useFatalError();
  const client = useQueryClient();
  const setup = useSetupStatus();
  const needsSetup = setup.data?.needsSetup;
  const session = useSessionQuery(needsSetup === false);
  const language = session.data?.account.language;
  // Pages opened from a message (invitation, reset, new address) show whether or not the
  // reader is signed in: the link is all they hold.
  const publicPage = usePublicPage(session.isSuccess);

  // The account's language wins once the session is known.
  useEffect(() => {
    if (language) void applyLanguage(language);
  }, [language]);

  const startupError = [fatal, setup.error, session.error].find(
    (e) => isApiError(e) && e.code === 'startup_failed',
  );
  if (startupError && isApiError(startupError)) return <StartupErrorPage error={startupError} />;

  if (setup.isPending) return <FullPageLoader />;
  if (setup.isError) {
    return <UnreachablePage error={setup.error} onRetry={() => void client.resetQueries()} />;
  }
  if (needsSetup) return <FirstRunPage />;

  if (session.isPending) return <FullPageLoader />;
  if (publicPage) return publicPage;
  if (session.isError) {
    // A connected desktop has no local password: it signs in again on its server.
    if (session.error.code === 'unauthenticated') return setup.data?.connected ? <ReconnectPage /> : <SignInPage />;
    return <UnreachablePage error={session.error} onRetry={() => void client.resetQueries({ queryKey: keys.session })} />;
  }
  return (
    <SessionProvider value={session.data}>
      <AppRoutes />
    </SessionProvider>
  );
}
