import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultTimeZone, foldForSearch, timeZoneLabel, timeZones } from './timezones';

afterEach(() => vi.restoreAllMocks());

describe('time zones', () => {
  it('lists the IANA zones of the browser', () => {
    expect(timeZones()).toContain('Europe/Paris');
  });

  it('falls back to a short list when Intl.supportedValuesOf is missing', () => {
    const intl = Intl as unknown as { supportedValuesOf?: unknown };
    const original = intl.supportedValuesOf;
    intl.supportedValuesOf = undefined;
    try {
      const zones = timeZones();
      expect(zones).toContain('Europe/Paris');
      expect(zones).toContain('Indian/Reunion');
    } finally {
      intl.supportedValuesOf = original;
    }
  });

  it('defaults to Europe/Paris when the machine says UTC', () => {
    vi.spyOn(Intl.DateTimeFormat.prototype, 'resolvedOptions').mockReturnValue({ timeZone: 'UTC' } as Intl.ResolvedDateTimeFormatOptions);
    expect(defaultTimeZone()).toBe('Europe/Paris');
  });

  it('keeps the browser zone otherwise', () => {
    vi.spyOn(Intl.DateTimeFormat.prototype, 'resolvedOptions').mockReturnValue({ timeZone: 'America/Martinique' } as Intl.ResolvedDateTimeFormatOptions);
    expect(defaultTimeZone()).toBe('America/Martinique');
  });

  it('labels and searches without accents', () => {
    expect(timeZoneLabel('America/New_York')).toBe('America / New York');
    expect(foldForSearch('Indian / Reunion')).toContain(foldForSearch('Réunion'));
  });
});
