import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, call, resetTransport, setTransport } from './client';
import { defaultTransport, httpTransport, readCookie, readCSRF, wailsTransport } from './transports';
import { setTabOrg, tabOrg } from './org';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? '' : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

afterEach(() => {
  setTabOrg('');
  resetTransport();
  delete window.go;
  vi.restoreAllMocks();
});

describe('HTTP transport', () => {
  it('maps a 422 body to a typed ApiError with its field errors', async () => {
    const fetch = vi.fn(async () =>
      jsonResponse(422, { code: 'validation', message: 'mobile_phone: invalid', fields: { mobilePhone: 'invalid_phone' } }),
    );
    setTransport(httpTransport({ fetch, csrfToken: () => 'tok' }));

    const err = await call('account.updateProfile', { mobilePhone: '12' }).catch((e) => e);

    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('validation');
    expect(err.fields).toEqual({ mobilePhone: 'invalid_phone' });
  });

  it('keeps how long to wait from a 429 body', async () => {
    const fetch = vi.fn(async () => jsonResponse(429, { code: 'rate_limited', message: 'too many', retryAfter: 16 }));
    setTransport(httpTransport({ fetch, csrfToken: () => 'tok' }));

    const err = await call('auth.signIn', { email: 'a@b.fr', password: 'x' }).catch((e) => e);

    expect(err.code).toBe('rate_limited');
    expect(err.retryAfter).toBe(16);
  });

  it('posts the input as JSON with the CSRF token and returns the output', async () => {
    const fetch = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => jsonResponse(200, { needsSetup: true, version: '1' }));
    setTransport(httpTransport({ fetch, csrfToken: () => 'tok-123' }));

    await expect(call('setup.status', {})).resolves.toEqual({ needsSetup: true, version: '1' });

    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('/api/ops/setup.status');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('same-origin');
    expect((init?.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok-123');
    expect((init?.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(init?.body).toBe('{}');
  });

  it('fetches /api/health first when the CSRF cookie is missing', async () => {
    let token: string | undefined;
    const fetch = vi.fn(async (url: RequestInfo | URL, _init?: RequestInit) => {
      if (url === '/api/health') {
        token = 'fresh';
        return jsonResponse(200, { ok: true });
      }
      return jsonResponse(200, {});
    });
    setTransport(httpTransport({ fetch, csrfToken: () => token }));

    await call('auth.signOut', {});

    expect(fetch.mock.calls.map((c) => c[0])).toEqual(['/api/health', '/api/ops/auth.signOut']);
    expect((fetch.mock.calls[1][1]?.headers as Record<string, string>)['X-CSRF-Token']).toBe('fresh');
  });

  it('treats an empty 2xx body as {}', async () => {
    setTransport(httpTransport({ fetch: async () => new Response(null, { status: 204 }), csrfToken: () => 't' }));
    await expect(call('auth.signOut', {})).resolves.toEqual({});
  });

  it('maps invalid credentials and keeps the code', async () => {
    setTransport(
      httpTransport({ fetch: async () => jsonResponse(401, { code: 'invalid_credentials', message: 'x' }), csrfToken: () => 't' }),
    );
    await expect(call('auth.signIn', { email: 'a@b.fr', password: 'x' })).rejects.toMatchObject({ code: 'invalid_credentials', fields: {} });
  });

  it('falls back on the HTTP status when the body is not JSON', async () => {
    setTransport(httpTransport({ fetch: async () => new Response('<html>oops</html>', { status: 403 }), csrfToken: () => 't' }));
    await expect(call('session.current', {})).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('reports a gateway error without a JSON body as "network"', async () => {
    setTransport(httpTransport({ fetch: async () => new Response('Bad Gateway', { status: 502 }), csrfToken: () => 't' }));
    await expect(call('session.current', {})).rejects.toMatchObject({ code: 'network' });
  });

  it('reports a network failure as code "network"', async () => {
    setTransport(httpTransport({ fetch: async () => Promise.reject(new TypeError('Failed to fetch')), csrfToken: () => 't' }));
    await expect(call('session.current', {})).rejects.toMatchObject({ code: 'network' });
  });

  it('reads the CSRF token from the __Host- cookie a server behind TLS sets', () => {
    expect(readCSRF('a=1; __Host-atrium_csrf=secure%3D; b=2')).toBe('secure=');
    expect(readCSRF('a=1; atrium_csrf=plain')).toBe('plain');
    expect(readCSRF('a=1')).toBeUndefined();
  });

  it('reads the atrium_csrf cookie', () => {
    expect(readCookie('atrium_csrf', 'a=1; atrium_csrf=abc%3D; b=2')).toBe('abc=');
    expect(readCookie('atrium_csrf', 'a=1')).toBeUndefined();
  });
});

describe('Wails transport', () => {
  it('sends the input as a JSON string and parses the output', async () => {
    const Invoke = vi.fn(async (_op: string, _input: string, _org: string) => JSON.stringify({ needsSetup: false, version: '1' }));
    setTransport(wailsTransport({ Invoke }));
    await expect(call('setup.status', {})).resolves.toEqual({ needsSetup: false, version: '1' });
    expect(Invoke).toHaveBeenCalledWith('setup.status', '{}', '');
  });

  it('resolves an empty string to {}', async () => {
    setTransport(wailsTransport({ Invoke: async () => '' }));
    await expect(call('auth.signOut', {})).resolves.toEqual({});
  });

  it('turns a rejection {code, message, fields} into an ApiError', async () => {
    setTransport(
      wailsTransport({
        Invoke: async () => Promise.reject({ code: 'startup_failed', message: 'cannot open /data/atrium.db', fields: null }),
      }),
    );
    const err = await call('setup.status', {}).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'startup_failed', message: 'cannot open /data/atrium.db', fields: {} });
  });

  it('is chosen at run time when window.go.app.Desktop.Invoke exists', async () => {
    const Invoke = vi.fn(async () => JSON.stringify({ needsSetup: true, version: '' }));
    window.go = { app: { Desktop: { Invoke } } };
    const fetch = vi.spyOn(globalThis, 'fetch');
    setTransport(defaultTransport());
    await expect(call('setup.status', {})).resolves.toMatchObject({ needsSetup: true });
    expect(Invoke).toHaveBeenCalledOnce();
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('the organization a call acts on', () => {
  const orgA = '0190a1b2-0000-7000-8000-00000000000a';
  const orgB = '0190a1b2-0000-7000-8000-00000000000b';
  const headersOf = (fetch: ReturnType<typeof vi.fn>, i = 0) => (fetch.mock.calls[i][1] as RequestInit).headers as Record<string, string>;

  it('is named by no header before the session names one', async () => {
    const fetch = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => jsonResponse(200, {}));
    setTransport(httpTransport({ fetch, csrfToken: () => 't' }));
    await call('session.current', {});
    expect(headersOf(fetch)).not.toHaveProperty('X-Atrium-Org');
  });

  it("travels with every HTTP call: this tab's, or the one the call names", async () => {
    const fetch = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => jsonResponse(200, {}));
    setTransport(httpTransport({ fetch, csrfToken: () => 't' }));
    setTabOrg(orgA);
    await call('company.get', {});
    await call('company.get', {}, { org: orgB });
    expect(headersOf(fetch, 0)['X-Atrium-Org']).toBe(orgA);
    expect(headersOf(fetch, 1)['X-Atrium-Org']).toBe(orgB);
  });

  it('is the third argument of the desktop binding', async () => {
    const Invoke = vi.fn(async (_op: string, _input: string, _org: string) => '{}');
    setTransport(wailsTransport({ Invoke }));
    setTabOrg(orgB);
    await call('company.get', {});
    expect(Invoke).toHaveBeenCalledWith('company.get', '{}', orgB);
  });

  it("is kept in this tab's sessionStorage, so a reload stays on its dossier", () => {
    setTabOrg(orgA);
    expect(sessionStorage.getItem('atrium.org')).toBe(orgA);
    expect(tabOrg()).toBe(orgA);
    setTabOrg('');
    expect(sessionStorage.getItem('atrium.org')).toBeNull();
  });
});
