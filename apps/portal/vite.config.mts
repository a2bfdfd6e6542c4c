import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = dirname(fileURLToPath(import.meta.url));

// The portal is built into dist/portal, which the API serves at / (same origin).
// @atlauja/domain is pure TypeScript: the portal imports its rules (the personal code's check) from source.
export default defineConfig({
  root: here,
  plugins: [react()],
  resolve: {
    alias: {
      '@atlauja/domain': resolve(here, '../../libs/domain/src'),
      '@api-pages': resolve(here, '../api/src/session/portal-pages.ts'),
    },
  },
  build: {
    outDir: resolve(here, '../../dist/portal'),
    emptyOutDir: true,
    // No inline scripts or styles: the CSP has no 'unsafe-inline'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
});
