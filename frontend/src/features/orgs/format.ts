/** A SIRET as people read it: 443 061 841 00047 (SIREN in threes, then the establishment's five digits). */
export function formatSiret(siret: string): string {
  const d = siret.replace(/\s/g, '');
  if (!/^\d{14}$/.test(d)) return siret;
  return `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6, 9)} ${d.slice(9)}`;
}
