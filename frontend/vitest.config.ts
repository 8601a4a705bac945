import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { meterDictionary } from './vite.config';

export default defineConfig({
  plugins: [react(), meterDictionary()],
  test: {
    environment: 'jsdom',
    globals: false,
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    include: ['src/**/*.test.{ts,tsx}'],
    testTimeout: 15000,
  },
});
