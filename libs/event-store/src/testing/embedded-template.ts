/**
 * Fast embedded stores for tests. Creating a PGlite data directory takes seconds, copying one a few
 * tens of milliseconds: the first test process builds a template DATA_DIR (schema included) under
 * the OS temp directory, guarded by a lock file against parallel jest workers, and every test gets
 * its own copy.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createHash } from 'crypto';
import { openEmbeddedEventStore } from '../postgres/embedded';
import { DEFAULT_SCHEMA, schemaStatements } from '../postgres/schema';

const WAIT_FOR_OTHER_BUILDER_MS = 120_000;

/** The template's name changes with the PGlite version and the schema, so a stale one is never used. */
function templateDir(): string {
  // The package does not export its package.json; it sits one level above the resolved entry (dist/).
  const pgliteManifest = path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  const pgliteVersion = (JSON.parse(fs.readFileSync(pgliteManifest, 'utf8')) as { version: string }).version;
  const digest = createHash('sha256').update(pgliteVersion).update(schemaStatements(DEFAULT_SCHEMA).join(';')).digest('hex').slice(0, 12);
  return path.join(os.tmpdir(), `atlauja-event-store-template-${digest}`);
}

export async function ensureEmbeddedTemplate(): Promise<string> {
  const template = templateDir();
  const lock = `${template}.lock`;
  const deadline = Date.now() + WAIT_FOR_OTHER_BUILDER_MS;
  while (!fs.existsSync(template)) {
    if (takeLock(lock)) {
      try {
        if (!fs.existsSync(template)) await build(template);
      } finally {
        fs.rmSync(lock, { force: true });
      }
      break;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}; remove it if no test is running`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return template;
}

/** A fresh DATA_DIR holding an empty embedded event store; `remove` deletes it. */
export async function copyEmbeddedTemplate(): Promise<{ dataDir: string; remove: () => void }> {
  const template = await ensureEmbeddedTemplate();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlauja-event-store-'));
  fs.cpSync(template, dataDir, { recursive: true });
  return { dataDir, remove: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

async function build(template: string): Promise<void> {
  // Built aside and renamed into place, so a reader never sees a half-written template.
  const building = `${template}.building-${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  try {
    const store = await openEmbeddedEventStore(building);
    await store.close();
    fs.renameSync(building, template);
  } catch (error) {
    fs.rmSync(building, { recursive: true, force: true });
    throw error;
  }
}

function takeLock(lock: string): boolean {
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A builder that died leaves its lock behind: take over once it is clearly stale.
    const age = Date.now() - fs.statSync(lock).mtimeMs;
    if (age > WAIT_FOR_OTHER_BUILDER_MS) fs.rmSync(lock, { force: true });
    return false;
  }
}
