/**
 * The address of a page of a given dossier: `/o/<id>/<page>`. Opening it
 * shows that dossier in this tab (as the switcher would) and then the page,
 * while the address keeps the dossier: a link can be sent, and Back returns
 * to where it was followed from.
 */
export function dossierPath(orgId: string, page: string): string {
  return `/o/${encodeURIComponent(orgId)}/${page.replace(/^\//, '')}`;
}
