/** A SIRET as people read it: 443 061 841 00047 (SIREN in threes, then the establishment's five digits). */
export function formatSiret(siret: string): string {
  const d = siret.replace(/\s/g, '');
  if (!/^\d{14}$/.test(d)) return siret;
  return `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6, 9)} ${d.slice(9)}`;
}

/** A date jj/mm/aaaa in French (dd/mm/yyyy in English), in the dossier's own time zone. */
export function formatDay(iso: string, language: string, timeZone: string): string {
  if (!iso) return '';
  const locale = language.startsWith('fr') ? 'fr-FR' : 'en-GB';
  try {
    return new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(iso));
  }
}
