import { useSyncExternalStore } from 'react';
import type { ApiError } from './errors';

// The backend could not start (e.g. its data folder cannot be opened): the whole console stops.
let fatal: ApiError | null = null;
const listeners = new Set<() => void>();

export function reportFatal(err: ApiError): void {
  fatal = err;
  listeners.forEach((l) => l());
}

export function clearFatal(): void {
  fatal = null;
  listeners.forEach((l) => l());
}

export function useFatalError(): ApiError | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => fatal,
  );
}
