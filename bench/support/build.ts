/**
 * The API compiled for child processes (benchmarks, crash tests) without touching dist/ or
 * running `npm run build`: every .ts file of apps/ and libs/ is transpiled (no type check, as
 * `ts-node -T` does; the code is written for isolatedModules), every .js file copied, into
 * node_modules/.cache/atlauja-bench/<content hash>/. Inside node_modules so that the compiled
 * files resolve the project's dependencies; the @atlauja/* aliases are small shim packages there,
 * written by the script `npm run build` uses for dist/ (scripts/dist-aliases.js).
 * A child then starts in about a second instead of ts-node's several seconds, which matters for
 * the crash test's restarts. Built once per content and shared by concurrent runs (atomic rename).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';

export const REPO_ROOT = join(__dirname, '..', '..');
const CACHE = join(REPO_ROOT, 'node_modules', '.cache', 'atlauja-bench');
const SOURCE_ROOTS = ['apps', 'libs'];
/** The @atlauja/* aliases as tsconfig.json declares them (the one list), e.g. ['@atlauja/domain', ['libs/domain/src']]. */
const ALIASES = Object.entries((JSON.parse(readFileSync(join(REPO_ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions.paths);

function sources(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'test') walk(path);
      } else if ((entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')) || entry.name.endsWith('.js')) {
        files.push(path);
      }
    }
  };
  for (const root of SOURCE_ROOTS) walk(join(REPO_ROOT, root));
  return files.sort();
}

/** Returns the path of the compiled apps/api/src/main.js (building it when the sources changed). */
export function compiledApi(): string {
  const files = sources();
  const hash = createHash('sha256');
  // The aliases shape the build too: a new library must not reuse a build made without its shim.
  hash.update(JSON.stringify(ALIASES)).update('\0');
  for (const file of files) hash.update(relative(REPO_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  const outDir = join(CACHE, hash.digest('hex').slice(0, 16));
  const main = join(outDir, 'apps', 'api', 'src', 'main.js');
  if (existsSync(main)) return main;

  const staging = `${outDir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const compilerOptions: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    esModuleInterop: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    isolatedModules: true,
    resolveJsonModule: true,
  };
  for (const file of files) {
    const out = join(staging, relative(REPO_ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    // Plain JavaScript (a worker thread's script) is shipped as it is, as `npm run build` ships it.
    const source = readFileSync(file, 'utf8');
    writeFileSync(out, file.endsWith('.js') ? source : ts.transpileModule(source, { compilerOptions, fileName: file }).outputText);
  }
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'dist-aliases.js'), staging]);
  try {
    renameSync(staging, outDir);
  } catch (error) {
    // Another run built the same content at the same time: use theirs.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(main)) throw error;
  }
  pruneOldBuilds(outDir);
  return main;
}

/** Keeps the cache small: builds older than a day are removed. */
function pruneOldBuilds(keep: string): void {
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const entry of readdirSync(CACHE)) {
    const path = join(CACHE, entry);
    if (path !== keep && statSync(path).mtimeMs < dayAgo) rmSync(path, { recursive: true, force: true });
  }
}
