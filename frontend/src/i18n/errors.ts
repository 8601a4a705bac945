import type { TFunction } from 'i18next';
import i18n from 'i18next';
import { isApiError } from '../api/errors';

// A code is known when the translations have a sentence for it (errors.<code>
// or fields.<code>, in the shared file or a feature's own); anything else gets
// the generic sentence, never the raw code or the backend's text.
const isCode = (code: string) => /^[a-z][a-z0-9_]*$/.test(code);

/** A sentence for the user; never the backend's raw text. */
export function errorMessage(t: TFunction, err: unknown): string {
  const code = isApiError(err) ? err.code : 'internal';
  // Say how long to wait: seconds under a minute, else whole minutes rounded up.
  if (isApiError(err) && code === 'rate_limited' && err.retryAfter > 0) {
    return err.retryAfter < 60
      ? t('errors.rate_limited_seconds', { count: err.retryAfter })
      : t('errors.rate_limited_minutes', { count: Math.ceil(err.retryAfter / 60) });
  }
  return isCode(code) && i18n.exists(`errors.${code}`) ? t(`errors.${code}`) : t('errors.generic');
}

/**
 * The sentence for a field's code. A code may carry one number after a colon
 * ("too_long:100", the limit), which the sentence says as {{count}}.
 */
export function fieldMessage(t: TFunction, code: string): string {
  const [base, param] = code.split(':', 2);
  if (!isCode(base) || !i18n.exists(`fields.${base}`)) return t('fields.generic');
  if (param === undefined) return t(`fields.${base}`);
  const count = Number(param);
  return /^[0-9]+$/.test(param) ? t(`fields.${base}`, { count }) : t('fields.generic');
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

/**
 * The sentence for a failure that is not shown under one of the form's own
 * fields: a field error of the action itself (the member, the role, the
 * link…) when there is one, else the error's sentence. Null when the error
 * belongs under one of formFields.
 */
export function failureText(t: TFunction, err: unknown, formFields: readonly string[] = []): string | null {
  if (fieldErrors(t, err, formFields)) return null;
  if (isApiError(err)) {
    const other = Object.values(err.fields)[0];
    if (other) return fieldMessage(t, other);
  }
  return errorMessage(t, err);
}
