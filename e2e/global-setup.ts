import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

/**
 * Provides the atrium-server binary for the run: ATRIUM_SERVER_BIN when given
 * (scripts/test.sh builds it), else built here with `go build` (frontend/dist
 * must exist: `npm run build` in frontend/). Each spec starts its own server
 * from it (server.ts). Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const work = mkdtempSync(join(tmpdir(), 'atrium-e2e-bin-'));
  let bin = process.env.ATRIUM_SERVER_BIN;
  if (!bin) {
    if (!existsSync(join(root, 'frontend', 'dist', 'index.html'))) {
      throw new Error('frontend/dist is missing: run `npm run build` in frontend/ first (or `make test`)');
    }
    bin = join(work, 'atrium-server');
    execFileSync('go', ['build', '-o', bin, './cmd/atrium-server'], { cwd: root, stdio: 'inherit' });
  }
  process.env.ATRIUM_E2E_BIN = bin;
  rmSync(join(here, 'screenshots'), { recursive: true, force: true });
  mkdirSync(join(here, 'screenshots'), { recursive: true });
  return async () => rmSync(work, { recursive: true, force: true });
}
