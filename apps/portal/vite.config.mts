import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(here, '../../dist/portal');

/** Writes .br and .gz beside every script and style sheet: the API serves them precompressed. */
function precompress(): Plugin {
  return {
    name: 'atlauja-precompress',
    apply: 'build',
    closeBundle() {
      const assets = resolve(outDir, 'assets');
      for (const name of readdirSync(assets).filter((f) => /\.(js|css)$/.test(f))) {
        const bytes = readFileSync(resolve(assets, name));
        writeFileSync(resolve(assets, `${name}.gz`), gzipSync(bytes, { level: 9 }));
        writeFileSync(resolve(assets, `${name}.br`), brotliCompressSync(bytes));
      }
    },
  };
}

// The portal is built into dist/portal, which the API serves at / (same origin).
// @atlauja/domain is pure TypeScript: the portal imports its rules (the personal code's check) from source;
// @atlauja/problems is the one table of the API's codes in Latvian and English, which the API serves too.
export default defineConfig({
  root: here,
  plugins: [react(), precompress()],
  resolve: {
    alias: {
      '@atlauja/domain': resolve(here, '../../libs/domain/src'),
      '@atlauja/problems': resolve(here, '../../libs/problems/src'),
      '@api-pages': resolve(here, '../api/src/session/portal-pages.ts'),
    },
  },
  build: {
    outDir,
    emptyOutDir: true,
    // No inline scripts or styles: the CSP has no 'unsafe-inline'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
});
