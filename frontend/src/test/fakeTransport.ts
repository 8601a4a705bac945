import { ApiError } from '../api/errors';
import type { Transport } from '../api/transports';
import type { Account, SessionInfo } from '../api/types.gen';

type Handler = (input: any) => unknown;

/** A transport answering from handlers, recording every call. */
export function fakeTransport(handlers: Record<string, Handler>) {
  const calls: { op: string; input: any }[] = [];
  const transport: Transport = async (op, input) => {
    calls.push({ op, input });
    const h = handlers[op];
    if (!h) throw new ApiError('not_found', `no fake for ${op}`);
    return h(input);
  };
  const inputsOf = (op: string) => calls.filter((c) => c.op === op).map((c) => c.input);
  return { transport, calls, inputsOf };
}

export function makeAccount(over: Partial<Account> = {}): Account {
  return {
    id: '0190a1b2-0000-7000-8000-000000000001',
    email: 'claire.martin@example.fr',
    title: 'mme',
    firstName: 'Claire',
    lastName: 'Martin',
    mobilePhone: '+33612345678',
    mobilePhoneNational: '06 12 34 56 78',
    jobTitle: 'Responsable administrative',
    language: 'fr',
    ...over,
  };
}

export function makeSession(over: Partial<SessionInfo> = {}): SessionInfo {
  return {
    account: makeAccount(),
    organization: { id: '0190a1b2-0000-7000-8000-000000000002', name: 'Boulangerie Martin', timezone: 'Europe/Paris', status: 'active' },
    rights: [],
    isAdmin: true,
    ...over,
  };
}
