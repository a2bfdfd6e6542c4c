/**
 * Run by `npm run build` after tsc: makes the @atlauja/* libraries resolvable in dist/ as Node
 * resolves any package, one small package per alias under dist/node_modules, each pointing at its
 * compiled library. The compiled api and worker then start with plain `node`, without a resolver
 * hook that matches every require of the process against tsconfig.json's paths. The aliases are read
 * from tsconfig.json (the one list). Plain JavaScript: it runs before anything else is built.
 * `node scripts/dist-aliases.js [dir]` writes them under another compiled tree (the bench's and the
 * crash tests' build, bench/support/build.ts), dist/ by default.
 */
'use strict';
const { mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const { paths } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')).compilerOptions;
const modules = join(process.argv[2] ?? join(root, 'dist'), 'node_modules');
rmSync(join(modules, '@atlauja'), { recursive: true, force: true });
for (const [alias, [target]] of Object.entries(paths)) {
  const dir = join(modules, alias);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), `module.exports = require('../../../${target}');\n`);
}
