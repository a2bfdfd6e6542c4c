/**
 * libs/domain stays pure: its production files import only each other and xstate, and use no
 * clock, timer, randomness or environment. (The lint rule says the same; this holds without lint.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

function productionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return productionFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The source without comments and string contents, so prose that mentions `Date` does not count. */
function code(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''")
    .replace(/`(?:[^`\\]|\\.)*`/g, '``');
}

const files = productionFiles(__dirname);
const specifiers = (source: string) =>
  [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm)].map(
    (m) => m[1] ?? m[2] ?? m[3] ?? m[4],
  );

describe('the domain is pure', () => {
  it('has production files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [relative(__dirname, f), f]))('%s imports only relative paths and xstate', (_name, file) => {
    const foreign = specifiers(readFileSync(file, 'utf8')).filter((s) => !s.startsWith('.') && s !== 'xstate');
    expect(foreign).toEqual([]);
  });

  it.each(files.map((f) => [relative(__dirname, f), f]))('%s reads no clock, timer, randomness or environment', (_name, file) => {
    const body = code(readFileSync(file, 'utf8'));
    const banned = [/\bDate\s*[.(]/, /\bnew\s+Date\b/, /\bMath\.random\b/, /\bsetTimeout\b/, /\bsetInterval\b/, /\bprocess\./, /\bperformance\./, /\bcrypto\./];
    expect(banned.filter((re) => re.test(body)).map(String)).toEqual([]);
  });

  it('the import scan would catch a driver, a Node module or a framework', () => {
    const sample = "import { Pool } from 'pg';\nimport fs = require('fs');\nexport { x } from '@nestjs/common';\nimport 'node:crypto';\nconst m = await import('os');";
    expect(specifiers(sample)).toEqual(['pg', 'fs', '@nestjs/common', 'node:crypto', 'os']);
  });
});
