import type { TFunction } from 'i18next';
import i18n from 'i18next';
import { formatInstant, localZone } from '../../ui/dates';

/** What a queued operation attempted, in plain words ("Créer une tâche"). */
export function opLabel(t: TFunction, op: string): string {
  return i18n.exists(`sync.op.${op}`) ? t(`sync.op.${op}`) : t('sync.op.other', { op });
}

/** jj/mm/aaaa and HH:MM of an instant, in the computer's own time (the one date rule, ui/dates). */
export function dayAndTime(iso: string) {
  const zone = localZone();
  const [date, time] = formatInstant(iso, { timeZone: zone }).split(' ');
  return { date, time, today: date === formatInstant(new Date().toISOString(), { timeZone: zone, show: 'date' }) };
}

/** The server's name as the indicator shows it: its host. */
export function hostOf(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}
