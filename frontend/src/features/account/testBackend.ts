import { fakeTransport, makeAccount, makeSession, type Handlers } from '../../test/fakeTransport';
import type { SessionInfo } from '../../api/types.gen';

/** A signed-in backend with everything "Mon compte" reads; override any operation. */
export function accountBackend(overrides: Handlers = {}, session: Partial<SessionInfo> = {}) {
  return fakeTransport({
    'setup.status': () => ({ needsSetup: false, version: 'test' }),
    'session.current': () => makeSession({ account: makeAccount(), ...session }),
    'twoFactor.status': () => ({ enabled: false, recoveryCodesLeft: 0, requiredByOrg: false }),
    'sessions.list': () => ({ sessions: [] }),
    'notifications.preferences': () => ({ categories: [], mailReady: true }),
    ...overrides,
  });
}
