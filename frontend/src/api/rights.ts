import type { RightsCatalog, RoleView, Text } from './types.gen';
import { useSession } from './queries';
import { useOp } from './ops';

/**
 * The signed-in member may do what a right allows here now: they hold it (the
 * Admin role holds them all) and the organization is not closed (read-only,
 * as the banner on every page says). Writing buttons are shown only when this
 * holds, so none opens a dialog that the backend would then refuse.
 */
export function useCanWrite() {
  const { rights, isAdmin, organization } = useSession();
  return (right: string) => (isAdmin || rights.includes(right)) && organization.status !== 'closed';
}

/**
 * What the signed-in member may give to someone else, or take from them: an
 * admin every right and role; anyone else only the rights they hold, never
 * rights.edit (an admin decides who edits rights), and only roles whose every
 * right they could give. Nobody changes their own. The backend enforces the
 * same rules; this only keeps the console from offering what it refuses.
 */
export function useGrantRules() {
  const { rights, isAdmin } = useSession();
  const canGive = (right: string) => isAdmin || (right !== 'rights.edit' && rights.includes(right));
  /** The i18n key saying why a right cannot be given, or null when it can. */
  const whyNotRight = (right: string): string | null =>
    canGive(right) ? null : right === 'rights.edit' ? 'members.detail.rightsEditAdminOnly' : 'members.detail.rightNotHeld';
  const canGiveRole = (role: Pick<RoleView, 'isAdmin' | 'rights'>) => isAdmin || (!role.isAdmin && role.rights.every(canGive));
  /** A custom role the member may change or delete: not one they hold themselves. */
  const canEditRole = (role: RoleView) => !role.isAdmin && (isAdmin || (!role.held && canGiveRole(role)));
  return { canGive, whyNotRight, canGiveRole, canEditRole };
}

/** The catalog of rights, with their labels; it changes only with a new version. */
export function useCatalog() {
  return useOp('rights.catalog', {}, { staleTime: Infinity });
}

/** Label of each right by name. */
export function rightLabels(cat: RightsCatalog | undefined, text: (t: Text) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const g of cat?.groups ?? []) for (const r of g.rights) out[r.name] = text(r.label);
  return out;
}
