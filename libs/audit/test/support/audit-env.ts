/** A store under test (PGlite from the template, or PostgreSQL when DATABASE_URL is set) and trust folders the CLI reads. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createPgDriver, openEmbeddedEventStore, PostgresEventStore } from '@atlauja/event-store';
import { copyEmbeddedTemplate } from '../../../event-store/src/testing';
import type { TestChain } from '../../../signatures/src/testing/test-pki';
import { toPem } from '../../src/bundle/pem';

export interface StoreUnderTest {
  readonly name: string;
  readonly store: PostgresEventStore;
  /** The table tests tamper with, schema-qualified. */
  readonly table: string;
  /** The environment the CLI opens the same store with. */
  readonly env: Record<string, string>;
  /** Releases the store so another process (the CLI) may open it (PGlite's folder has one owner). */
  release(): Promise<void>;
  dispose(): Promise<void>;
}

export const DATABASE_URL = process.env.DATABASE_URL;

export async function embeddedStore(): Promise<StoreUnderTest> {
  const { dataDir, remove } = await copyEmbeddedTemplate();
  const store = await openEmbeddedEventStore(dataDir);
  let open = true;
  const release = async () => {
    if (open) await store.close();
    open = false;
  };
  return { name: 'PGlite (embedded)', store, table: 'event_store.events', env: { EVENT_STORE: 'embedded', DATA_DIR: dataDir }, release, dispose: async () => { await release(); remove(); } };
}

export async function postgresStore(url: string): Promise<StoreUnderTest> {
  const schema = `audit_test_${randomBytes(5).toString('hex')}`;
  const store = await PostgresEventStore.open(createPgDriver({ connectionString: url, connectionTimeoutMs: 5000 }), { schema });
  return {
    name: 'PostgreSQL (DATABASE_URL)',
    store,
    table: `${schema}.events`,
    env: { EVENT_STORE: 'postgres', DATABASE_URL: url, EVENT_STORE_SCHEMA: schema },
    release: async () => undefined,
    dispose: async () => {
      await store.sql.query(`drop schema if exists ${schema} cascade`);
      await store.close();
    },
  };
}

/** TRUSTED_CA_DIR and CRL_DIR holding the chains' roots and CRLs, and an empty archive. */
export function trustFolders(chains: TestChain[]): { env: Record<string, string>; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'atlauja-audit-trust-'));
  for (const folder of ['trusted', 'crl', 'archive']) mkdirSync(join(dir, folder));
  chains.forEach((chain, i) => {
    writeFileSync(join(dir, 'trusted', `root-${i}.pem`), toPem(chain.root.der, 'CERTIFICATE'));
    chain.crls.forEach((crl, j) => writeFileSync(join(dir, 'crl', `crl-${i}-${j}.crl`), toPem(crl, 'X509 CRL')));
  });
  return {
    env: { TRUSTED_CA_DIR: join(dir, 'trusted'), CRL_DIR: join(dir, 'crl'), CRL_ARCHIVE_DIR: join(dir, 'archive') },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Captures what the CLI writes. */
export function captureIo(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { env, out: { write: (t: string) => out.push(t) }, err: { write: (t: string) => err.push(t), isTTY: false } }, out: () => out.join(''), err: () => err.join('') };
}
