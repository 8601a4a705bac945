import { describe, expect, it } from 'vitest';
import { formatDay, formatInstant, zoneCity } from './dates';

const fr = (z: string) => `heure de ${zoneCity(z)}`;

describe('the one date rule', () => {
  it('shows a calendar day as jj/mm/aaaa, whatever the zone', () => {
    expect(formatDay('2026-10-15')).toBe('15/10/2026');
    expect(formatDay('')).toBe('');
    expect(formatDay('bientôt')).toBe('bientôt');
  });

  it('shows a moment in the zone of what it belongs to, on 24 hours', () => {
    const at = '2026-10-15T18:05:09Z';
    expect(formatInstant(at, { timeZone: 'America/New_York', readerZone: 'America/New_York', nameZone: fr })).toBe('15/10/2026 14:05');
    expect(formatInstant(at, { timeZone: 'Europe/Paris', readerZone: 'Europe/Paris', seconds: true, nameZone: fr })).toBe('15/10/2026 20:05:09');
    // Late evening in New York is already the next day in Paris.
    expect(formatInstant('2026-03-14T23:30:00Z', { timeZone: 'Europe/Paris', show: 'date' })).toBe('15/03/2026');
    expect(formatInstant('2026-03-14T23:30:00Z', { timeZone: 'America/New_York', show: 'date' })).toBe('14/03/2026');
  });

  it('names the zone only when the reader is in another one', () => {
    const at = '2026-10-15T18:05:00Z';
    expect(formatInstant(at, { timeZone: 'America/New_York', readerZone: 'Europe/Paris', nameZone: fr })).toBe('15/10/2026 14:05 (heure de New York)');
    expect(formatInstant(at, { timeZone: 'Europe/Paris', readerZone: 'America/New_York', nameZone: fr })).toBe('15/10/2026 20:05 (heure de Paris)');
    // Two names for the same clock all year are the same zone to a reader.
    expect(formatInstant(at, { timeZone: 'Europe/Brussels', readerZone: 'Europe/Paris', nameZone: fr })).toBe('15/10/2026 20:05');
    // London is an hour behind Paris: another zone.
    expect(formatInstant(at, { timeZone: 'Europe/London', readerZone: 'Europe/Paris', nameZone: fr })).toBe('15/10/2026 19:05 (heure de London)');
  });

  it('keeps an empty or unreadable moment as it is', () => {
    expect(formatInstant('', { timeZone: 'Europe/Paris' })).toBe('');
    expect(formatInstant('hier', { timeZone: 'Europe/Paris' })).toBe('hier');
  });
});
