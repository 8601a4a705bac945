import { useSyncExternalStore } from 'react';

// The organization this tab or window shows. Every call names it, so two tabs
// on two dossiers never write into each other's: the session only remembers
// which organization to open first. It is kept in sessionStorage, which is
// this tab's own, so reloading a tab stays on its dossier.
const STORAGE_KEY = 'atrium.org';

function stored(): string {
  try {
    return globalThis.sessionStorage?.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

let current = stored();
const listeners = new Set<() => void>();

/** The organization this tab shows; '' before the session has named one. */
export function tabOrg(): string {
  return current;
}

/** This tab now shows another organization ('' for none). */
export function setTabOrg(orgId: string): void {
  if (orgId === current) return;
  current = orgId;
  try {
    if (orgId) globalThis.sessionStorage?.setItem(STORAGE_KEY, orgId);
    else globalThis.sessionStorage?.removeItem(STORAGE_KEY);
  } catch {
    /* storage unavailable: the tab still keeps it in memory */
  }
  listeners.forEach((l) => l());
}

export function useTabOrg(): string {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    tabOrg,
  );
}
