import type { TFunction } from 'i18next';
import i18n from 'i18next';

/** What a queued operation attempted, in plain words ("Créer une tâche"). */
export function opLabel(t: TFunction, op: string): string {
  return i18n.exists(`sync.op.${op}`) ? t(`sync.op.${op}`) : t('sync.op.other', { op });
}

/** jj/mm/aaaa and HH:MM of an instant, in the computer's own time. */
export function dayAndTime(iso: string, language: string) {
  const d = new Date(iso);
  const locale = language === 'en' ? 'en-GB' : 'fr-FR';
  return {
    date: new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric' }).format(d),
    time: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(d),
    today: d.toDateString() === new Date().toDateString(),
  };
}

/** The server's name as the indicator shows it: its host. */
export function hostOf(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}
