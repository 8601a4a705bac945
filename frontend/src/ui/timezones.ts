const FALLBACK_ZONES = [
  'Europe/Paris', 'Europe/Brussels', 'Europe/Luxembourg', 'Europe/Zurich', 'Europe/Monaco', 'Europe/London',
  'Europe/Dublin', 'Europe/Lisbon', 'Europe/Madrid', 'Europe/Berlin', 'Europe/Amsterdam', 'Europe/Rome',
  'Europe/Vienna', 'Europe/Warsaw', 'Europe/Athens', 'Europe/Helsinki', 'Africa/Casablanca', 'Africa/Algiers',
  'Africa/Tunis', 'Africa/Dakar', 'Africa/Abidjan', 'Indian/Reunion', 'Indian/Mayotte', 'America/Martinique',
  'America/Guadeloupe', 'America/Cayenne', 'America/Montreal', 'America/Toronto', 'America/New_York',
  'America/Chicago', 'America/Los_Angeles', 'Pacific/Noumea', 'Pacific/Tahiti', 'Asia/Dubai', 'Asia/Tokyo',
  'Asia/Singapore', 'Australia/Sydney', 'UTC',
];

/** IANA time zones known to this browser, or a short list of common ones. */
export function timeZones(): string[] {
  try {
    const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
    const zones = intl.supportedValuesOf?.('timeZone');
    if (zones && zones.length) return zones.includes('UTC') ? zones : [...zones, 'UTC'];
  } catch {
    /* not supported */
  }
  return FALLBACK_ZONES;
}

export function defaultTimeZone(zones: string[] = timeZones()): string {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    // A machine left on UTC says nothing about where the company is.
    if (zone && zones.includes(zone) && zone !== 'UTC' && !zone.startsWith('Etc/')) return zone;
  } catch {
    /* not supported */
  }
  return 'Europe/Paris';
}

/** "America/New_York" → "America / New York". */
export function timeZoneLabel(zone: string): string {
  return zone.replace(/_/g, ' ').split('/').join(' / ');
}

/** Search that ignores accents and case: "réunion" finds "Indian / Reunion". */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}
