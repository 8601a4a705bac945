import type { TFunction } from 'i18next';
import { isApiError } from '../api/errors';

const KNOWN_ERRORS = new Set([
  'validation', 'unauthenticated', 'forbidden', 'not_found', 'conflict', 'rate_limited', 'too_large',
  'internal', 'invalid_credentials', 'setup_done', 'startup_failed', 'network',
]);

const KNOWN_FIELDS = new Set([
  'required', 'too_long', 'invalid_email', 'invalid_phone', 'password_too_short', 'password_too_common',
  'password_like_email', 'invalid_timezone', 'invalid_choice', 'email_taken',
]);

/** A sentence for the user; never the backend's raw text. */
export function errorMessage(t: TFunction, err: unknown): string {
  const code = isApiError(err) ? err.code : 'internal';
  return KNOWN_ERRORS.has(code) ? t(`errors.${code}`) : t('errors.generic');
}

export function fieldMessage(t: TFunction, code: string): string {
  return KNOWN_FIELDS.has(code) ? t(`fields.${code}`) : t('fields.generic');
}

/**
 * Field errors translated, restricted to the given form fields.
 * Returns null when the error has no field error for this form.
 */
export function fieldErrors(t: TFunction, err: unknown, allowed: readonly string[]): Record<string, string> | null {
  if (!isApiError(err)) return null;
  const out: Record<string, string> = {};
  for (const [field, code] of Object.entries(err.fields)) {
    if (allowed.includes(field)) out[field] = fieldMessage(t, code);
  }
  return Object.keys(out).length ? out : null;
}
