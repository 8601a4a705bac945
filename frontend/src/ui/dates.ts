import { useTranslation } from 'react-i18next';
import { useSession } from '../api/queries';

// The one rule for every date and time the console shows:
// - a calendar day (a due date, a return date: YYYY-MM-DD) is the same day
//   everywhere and is shown as it is, jj/mm/aaaa;
// - a moment (an RFC 3339 instant) is shown in the timezone of what it belongs
//   to: the dossier's for the dossier's data (history, tasks, outbox,
//   invitations), the account's own for the account's (devices, sessions);
// - when a time is shown in a zone other than this computer's, the zone is
//   named after it: "15/10/2026 14:05 (heure de New York)".
// Both languages write the date day first and the time on 24 hours, whatever
// the browser's or the system's locale.

/** The timezone of this computer (the browser's), "UTC" when it says none. */
export function localZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** A day (YYYY-MM-DD) as the console shows it: jj/mm/aaaa. Anything else is returned as it is. */
export function formatDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : day;
}

/** "America/New_York" → "New York", "America/Argentina/Buenos_Aires" → "Buenos Aires". */
export function zoneCity(zone: string): string {
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
}

/** Names a zone in a sentence: "heure de New York", "heure d'Amsterdam", "New York time". */
export type ZoneNamer = (zone: string) => string;

export interface InstantFormat {
  timeZone: string;
  /** 'date' shows the day only (in that zone, unnamed: a day needs no hour's zone). */
  show?: 'date' | 'datetime';
  seconds?: boolean;
  /** The zone the reader's computer is in; defaults to this browser's. */
  readerZone?: string;
  nameZone?: ZoneNamer;
}

/** Formatters by zone and precision: building one costs far more than using it, and a list formats hundreds of moments. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, seconds: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${seconds}`;
  let fmt = formatters.get(key);
  if (!fmt) {
    const opts: Intl.DateTimeFormatOptions = {
      day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
      ...(seconds ? { second: '2-digit' } : {}),
    };
    try {
      fmt = new Intl.DateTimeFormat('en-GB', { ...opts, timeZone });
    } catch {
      fmt = new Intl.DateTimeFormat('en-GB', { ...opts, timeZone: 'UTC' }); // an unknown zone: at least the same for everyone
    }
    formatters.set(key, fmt);
  }
  return fmt;
}

function parts(at: Date, timeZone: string, seconds: boolean): Record<string, string> {
  const fmt = formatter(timeZone, seconds);
  const out: Record<string, string> = {};
  for (const p of fmt.formatToParts(at)) out[p.type] = p.value;
  return out;
}

/** A moment (RFC 3339) in the given zone: "15/10/2026 14:05", with the zone named when it is not the reader's. "" for "". */
export function formatInstant(iso: string, f: InstantFormat): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const p = parts(at, f.timeZone, !!f.seconds);
  const day = `${p.day}/${p.month}/${p.year}`;
  if (f.show === 'date') return day;
  const time = `${p.hour}:${p.minute}${f.seconds ? `:${p.second}` : ''}`;
  const reader = f.readerZone ?? localZone();
  const named = f.nameZone && !sameZone(f.timeZone, reader, at) ? ` (${f.nameZone(f.timeZone)})` : '';
  return `${day} ${time}${named}`;
}

/** Two zone names that show the same clock at that moment and through the year (Europe/Paris and Europe/Brussels). */
function sameZone(a: string, b: string, at: Date): boolean {
  if (a === b) return true;
  const probe = [at, new Date(Date.UTC(at.getUTCFullYear(), 0, 15)), new Date(Date.UTC(at.getUTCFullYear(), 6, 15))];
  return probe.every((d) => {
    const x = parts(d, a, false);
    const y = parts(d, b, false);
    return x.day === y.day && x.hour === y.hour && x.minute === y.minute;
  });
}

export interface DateFormatter {
  /** The zone moments are shown in. */
  zone: string;
  dateTime: (iso: string, opts?: { seconds?: boolean }) => string;
  date: (iso: string) => string;
  day: (day: string) => string;
}

function useFormatter(zone: string): DateFormatter {
  const { t } = useTranslation();
  const nameZone: ZoneNamer = (z) =>
    z === 'UTC' || z.startsWith('Etc/') ? t('dates.zoneUTC') : t(/^[AEIOUYÉÈÊÎÔ]/i.test(zoneCity(z)) ? 'dates.zoneVowel' : 'dates.zone', { city: zoneCity(z) });
  return {
    zone,
    dateTime: (iso, opts) => formatInstant(iso, { timeZone: zone, seconds: opts?.seconds, nameZone }),
    date: (iso) => formatInstant(iso, { timeZone: zone, show: 'date' }),
    day: formatDay,
  };
}

/**
 * Dates of the dossier the tab shows (history, tasks, outbox, invitations):
 * in its timezone, or in the one an answer gives for its own dossier.
 */
export function useDossierDates(zone?: string): DateFormatter {
  const session = useSession();
  return useFormatter(zone || session.organization.timezone || localZone());
}

/**
 * Dates of the account itself (devices, sessions): in its own timezone, that
 * of its first organization (the one chosen at first run); this computer's
 * when it belongs to none.
 */
export function useAccountDates(): DateFormatter {
  return useFormatter(useSession().timezone || localZone());
}

/** Dates of this computer (the desktop's backups): its own zone, never named. */
export function useLocalDates(): DateFormatter {
  return useFormatter(localZone());
}
