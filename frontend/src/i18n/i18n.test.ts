import { describe, expect, it } from 'vitest';
import fr from './fr.json';
import en from './en.json';
import { errorMessage, fieldErrors } from './errors';
import i18n from '.';
import { ApiError } from '../api/errors';

function keysOf(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keysOf(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('translations', () => {
  it('French and English have the same keys', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(fr).sort());
  });

  it('French and English have the same keys once every feature\'s strings are merged', () => {
    const all = (lang: string) => keysOf(i18n.getResourceBundle(lang, 'translation')).sort();
    expect(all('en')).toEqual(all('fr'));
    expect(all('fr').length).toBeGreaterThanOrEqual(keysOf(fr).length);
  });

  it('never shows the backend text, except through a known code', async () => {
    await i18n.changeLanguage('fr');
    const t = i18n.t.bind(i18n);
    expect(errorMessage(t, new ApiError('rate_limited', 'too many requests from 1.2.3.4'))).toBe(
      'Trop de tentatives. Patientez quelques minutes avant de réessayer.',
    );
    expect(errorMessage(t, new ApiError('weird_new_code', 'panic: nil map'))).toBe(fr.errors.generic);
    expect(errorMessage(t, new ApiError('rate_limited', '', {}, 8))).toBe('Trop de tentatives. Réessayez dans 8 secondes.');
    expect(errorMessage(t, new ApiError('rate_limited', '', {}, 61))).toBe('Trop de tentatives. Réessayez dans 2 minutes.');
    expect(errorMessage(t, new ApiError('rate_limited', '', {}, 60))).toBe('Trop de tentatives. Réessayez dans 1 minute.');
    expect(fieldErrors(t, new ApiError('validation', '', { mobilePhone: 'invalid_phone', other: 'x' }), ['mobilePhone'])).toEqual({
      mobilePhone: 'Ce numéro de téléphone n\'est pas valide.',
    });
    expect(fieldErrors(t, new ApiError('validation', '', { jobTitle: 'brand_new' }), ['jobTitle'])).toEqual({
      jobTitle: fr.fields.generic,
    });
  });

  it('says the limit of a text that is too long, and never shows a malformed code', async () => {
    await i18n.changeLanguage('fr');
    const t = i18n.t.bind(i18n);
    expect(fieldErrors(t, new ApiError('validation', '', { name: 'too_long:100' }), ['name'])).toEqual({
      name: 'Ce texte est trop long : 100 caractères au plus.',
    });
    expect(fieldErrors(t, new ApiError('validation', '', { name: 'too_long:<b>' }), ['name'])).toEqual({ name: fr.fields.generic });
    expect(fieldErrors(t, new ApiError('validation', '', { name: 'nope:5' }), ['name'])).toEqual({ name: fr.fields.generic });
  });
});
