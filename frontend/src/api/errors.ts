import type { FieldConflict } from './types.gen';

/** The error every call rejects with, whatever the transport. */
export class ApiError extends Error {
  readonly code: string;
  readonly fields: Record<string, string>;
  /** Seconds to wait before trying again (rate_limited). */
  readonly retryAfter: number;
  /** An edit refused because someone changed its fields meanwhile: both values of each (conflict). */
  readonly conflicts: FieldConflict[];

  constructor(code: string, message = '', fields: Record<string, string> = {}, retryAfter = 0, conflicts: FieldConflict[] = []) {
    super(message || code);
    this.name = 'ApiError';
    this.code = code;
    this.fields = fields;
    this.retryAfter = retryAfter;
    this.conflicts = conflicts;
  }
}

/** The conflicts an error carries, read from any shape (a stored refusal too). */
export function conflictsOf(raw: unknown): FieldConflict[] {
  const list = raw && typeof raw === 'object' ? (raw as { conflicts?: unknown }).conflicts : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (c): c is FieldConflict =>
      !!c && typeof c === 'object' && typeof c.field === 'string' && typeof c.mine === 'string' && typeof c.theirs === 'string',
  );
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

/** Turns whatever a transport received ({code, message, fields}, a string, anything) into an ApiError. */
export function toApiError(raw: unknown, fallbackCode = 'internal'): ApiError {
  if (raw instanceof ApiError) return raw;
  let value: unknown = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return new ApiError(fallbackCode, value as string);
    }
  }
  if (value && typeof value === 'object') {
    const obj = value as { code?: unknown; message?: unknown; fields?: unknown; retryAfter?: unknown };
    const code = typeof obj.code === 'string' && obj.code ? obj.code : fallbackCode;
    const message = typeof obj.message === 'string' ? obj.message : '';
    const fields: Record<string, string> = {};
    if (obj.fields && typeof obj.fields === 'object') {
      for (const [k, v] of Object.entries(obj.fields as Record<string, unknown>)) {
        if (typeof v === 'string') fields[k] = v;
      }
    }
    const retryAfter = typeof obj.retryAfter === 'number' && obj.retryAfter > 0 ? obj.retryAfter : 0;
    return new ApiError(code, message, fields, retryAfter, conflictsOf(obj));
  }
  return new ApiError(fallbackCode);
}
