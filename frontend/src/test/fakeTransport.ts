import { ApiError } from '../api/errors';
import type { Transport } from '../api/transports';
import type { Account, OperationName, Operations, SessionInfo } from '../api/types.gen';

/** What a fake backend answers to one operation: its output, or a thrown ApiError. */
export type Handler<K extends OperationName> = (input: Operations[K]['input']) => Operations[K]['output'] | Promise<Operations[K]['output']>;
export type Handlers = { [K in OperationName]?: Handler<K> };

interface Call {
  op: OperationName;
  input: unknown;
  /** The organization the call named ('' for the session's). */
  org: string;
}

/** A transport answering from handlers typed by the generated operations, recording every call. */
export function fakeTransport(handlers: Handlers) {
  const calls: Call[] = [];
  const transport: Transport = async (op, input, org) => {
    calls.push({ op: op as OperationName, input, org });
    const h = handlers[op as OperationName] as ((input: unknown) => unknown) | undefined;
    if (!h) throw new ApiError('not_found', `no fake for ${op}`);
    return h(input);
  };
  const inputsOf = <K extends OperationName>(op: K) =>
    calls.filter((c) => c.op === op).map((c) => c.input as Operations[K]['input']);
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
    timezone: 'Europe/Paris',
    applicationsOffered: true,
    suspended: [],
    ...over,
  };
}
