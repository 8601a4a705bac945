import type { OperationName, Operations } from './types.gen';
import { ApiError, toApiError } from './errors';
import { defaultTransport, type Transport } from './transports';
import { tabOrg } from './org';

export { ApiError, isApiError } from './errors';
export type { Transport } from './transports';

let transport: Transport = defaultTransport();

/** Replaces the transport (component tests pass a fake one). Returns the previous one. */
export function setTransport(next: Transport): Transport {
  const prev = transport;
  transport = next;
  return prev;
}

export function resetTransport(): void {
  transport = defaultTransport();
}

export interface CallOptions {
  /** The organization the call acts on; by default the one this tab shows. */
  org?: string;
}

/** Calls one backend operation. Always rejects with an ApiError. */
export async function call<K extends OperationName>(
  op: K,
  input: Operations[K]['input'],
  options: CallOptions = {},
): Promise<Operations[K]['output']> {
  try {
    return (await transport(op, input, options.org ?? tabOrg())) as Operations[K]['output'];
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof TypeError) throw new ApiError('network');
    throw toApiError(err);
  }
}
