/** A SIRET as people read it: 443 061 841 00047 (SIREN in threes, then the establishment's five digits). */
export function formatSiret(siret: string): string {
  const d = siret.replace(/\s/g, '');
  if (!/^\d{14}$/.test(d)) return siret;
  return `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6, 9)} ${d.slice(9)}`;
}

/**
 * The one filter box takes a name or an organization's identifier (SPEC B2):
 * text that starts like an identifier (eight hex digits and a dash) is looked
 * up as one, anything else as a name.
 */
export function byNameOrId(text: string): { name: string; id: string } {
  const v = text.trim();
  return /^[0-9a-f]{8}-[0-9a-f-]*$/i.test(v) ? { name: '', id: v.toLowerCase() } : { name: text, id: '' };
}
