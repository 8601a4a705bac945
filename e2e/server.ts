import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}

async function waitHealthy(url: string, exited: () => string | null, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const why = exited();
    if (why) throw new Error(`atrium-server stopped before it was ready: ${why}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`atrium-server did not answer ${url}/api/health within ${ms / 1000} s`);
}

export interface AtriumServer {
  url: string; // http://127.0.0.1:PORT
  db: string; // its SQLite file
  bin: string; // the atrium-server binary (for `audit verify`)
  stop(): Promise<void>;
}

/**
 * Starts a fresh atrium-server on an empty SQLite database and a free port.
 * Each spec file starts its own in `test.beforeAll`, so journeys never depend
 * on each other's data (the first-run journey needs an empty database).
 * `name` labels the server's log in e2e/test-results/; `env` is added to its
 * environment (e.g. the SMTP settings of a mailpit).
 */
export const APP_ADDRESSES = ['invoicing', 'expenses', 'bank', 'payroll', 'documents']
  .map((app) => `${app}=https://${app}.example.test/`)
  .join(',');

export async function startServer(name: string, env: Record<string, string> = {}): Promise<AtriumServer> {
  const bin = process.env.ATRIUM_E2E_BIN;
  if (!bin) throw new Error('ATRIUM_E2E_BIN is set by the global setup');
  const work = mkdtempSync(join(tmpdir(), 'atrium-e2e-'));
  const db = join(work, 'atrium-e2e.db');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log: string[] = [];
  const server = spawn(bin, ['--addr', `127.0.0.1:${port}`, '--db', db], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // The operator offers every application of the catalog, each at its own address.
    env: { ...process.env, ATRIUM_APP_ADDRESSES: APP_ADDRESSES, ...env },
  });
  let exit: string | null = null;
  server.on('exit', (code, signal) => (exit = `exit code ${code}, signal ${signal}\n${log.join('')}`));
  server.stdout.on('data', (d) => log.push(String(d)));
  server.stderr.on('data', (d) => {
    log.push(String(d));
    if (process.env.ATRIUM_E2E_SERVER_LOG) process.stderr.write(d);
  });
  await waitHealthy(url, () => exit);
  return {
    url,
    db,
    bin,
    async stop() {
      if (exit === null) {
        const stopped = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
        await stopped;
        clearTimeout(timer);
      }
      // The server's log, for a failed run (e2e/test-results is git-ignored).
      mkdirSync(join(here, 'test-results'), { recursive: true });
      writeFileSync(join(here, 'test-results', `atrium-server-${basename(name)}.log`), log.join(''));
      rmSync(work, { recursive: true, force: true });
    },
  };
}
