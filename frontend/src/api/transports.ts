import { ApiError, toApiError } from './errors';

/**
 * A transport sends one operation with its JSON-serialisable input, on the
 * organization the screen shows ('' for the one the session remembers), and
 * resolves to its output.
 */
export type Transport = (op: string, input: unknown, org: string) => Promise<unknown>;

export interface DesktopBinding {
  Invoke(op: string, input: string, org: string): Promise<string>;
  /** Shows the system's save dialog and writes the file there; resolves to its path, '' when cancelled. */
  SaveFile?(filename: string, contentType: string, content: string): Promise<string>;
  /** Tells the desktop a form holds changes not saved, so closing the window asks first. */
  SetUnsaved?(unsaved: boolean): Promise<void>;
}

/** The request header naming the organization a call acts on. */
export const ORG_HEADER = 'X-Atrium-Org';

declare global {
  interface Window {
    go?: { app?: { Desktop?: DesktopBinding } };
  }
}

/** Whether the console runs in the desktop window (the Wails binding is there). */
export function inDesktop(): boolean {
  return desktopBinding() !== undefined;
}

export function desktopBinding(): DesktopBinding | undefined {
  if (typeof window === 'undefined') return undefined;
  const d = window.go?.app?.Desktop;
  return d && typeof d.Invoke === 'function' ? d : undefined;
}

/** Desktop: the Wails binding resolves to a JSON string, or rejects with {code, message, fields}. */
export function wailsTransport(binding: DesktopBinding): Transport {
  return async (op, input, org) => {
    let raw: string;
    try {
      raw = await binding.Invoke(op, JSON.stringify(input ?? {}), org ?? '');
    } catch (err) {
      throw toApiError(err);
    }
    if (!raw) return {};
    try {
      return JSON.parse(raw);
    } catch {
      throw new ApiError('internal', 'invalid response');
    }
  };
}

export const CSRF_COOKIE = 'atrium_csrf';
/** The same cookie as a server reached over https names it (Secure, this host only). */
export const SECURE_CSRF_COOKIE = '__Host-' + CSRF_COOKIE;

export function readCookie(name: string, cookies: string = typeof document === 'undefined' ? '' : document.cookie): string | undefined {
  for (const part of cookies.split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** The CSRF token the server handed out, under either of its names. */
export function readCSRF(cookies?: string): string | undefined {
  return readCookie(SECURE_CSRF_COOKIE, cookies) ?? readCookie(CSRF_COOKIE, cookies);
}

export interface HttpOptions {
  fetch?: typeof fetch;
  /** Reads the CSRF token; defaults to the "__Host-atrium_csrf" or "atrium_csrf" cookie. */
  csrfToken?: () => string | undefined;
}

/** Browser: POST /api/ops/<op> with the session cookie and the CSRF token. */
export function httpTransport(options: HttpOptions = {}): Transport {
  const doFetch: typeof fetch = (...args) => (options.fetch ?? globalThis.fetch)(...args);
  const readToken = options.csrfToken ?? (() => readCSRF());

  async function csrf(): Promise<string> {
    let token = readToken();
    if (!token) {
      // The server sets the cookie on every response: a cheap request is enough.
      try {
        await doFetch('/api/health', { method: 'GET', credentials: 'same-origin' });
      } catch {
        throw new ApiError('network');
      }
      token = readToken();
    }
    return token ?? '';
  }

  return async (op, input, org) => {
    const token = await csrf();
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-CSRF-Token': token };
    if (org) headers[ORG_HEADER] = org;
    let res: Response;
    try {
      res = await doFetch('/api/ops/' + op, {
        method: 'POST',
        credentials: 'same-origin',
        headers,
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      throw new ApiError('network');
    }
    const text = await res.text().catch(() => '');
    if (res.ok) {
      if (!text) return {};
      try {
        return JSON.parse(text);
      } catch {
        throw new ApiError('internal', 'invalid response');
      }
    }
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    throw toApiError(body, fallbackForStatus(res.status));
  };
}

function fallbackForStatus(status: number): string {
  switch (status) {
    case 400:
    case 422:
      return 'validation';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'too_large';
    case 429:
      return 'rate_limited';
    case 502:
    case 503:
    case 504:
      // a proxy answering for a server that is down
      return 'network';
    default:
      return 'internal';
  }
}

/** Picks the transport at run time: the Wails binding when present, HTTP otherwise. */
export function defaultTransport(): Transport {
  return (op, input, org) => {
    const binding = desktopBinding();
    return binding ? wailsTransport(binding)(op, input, org) : httpTransport()(op, input, org);
  };
}
