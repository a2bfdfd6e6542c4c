/**
 * The trust anchors and CRLs as they were when each signature was accepted.
 *
 * Evidence records only the SHA-256 of the anchor and of each CRL it used; the bytes are kept in a
 * content-addressed archive (a folder: `anchors/<sha256>.crt`, `crls/<sha256>.crl`, DER,
 * written once, never replaced). Content addressing makes every source interchangeable: an
 * archived CRL, one still in CRL_DIR or one in a bundle is the same CRL exactly when its hash is.
 * Why a folder and not the evidence: real CRLs run to megabytes and one CRL serves thousands of
 * signatures; copied into each ApplicationSigned event they would bloat every stream. Why not a
 * table: the archive must serve every event-store adapter (EventStoreDB has no SQL) and be
 * checkable with standard tools; in a multi-replica server, point CRL_ARCHIVE_DIR at shared storage.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { loadCrls, loadTrustAnchors, parseCrl, trustAnchorFrom, type Crl, type TrustAnchor } from '@atlauja/signatures';

export interface TrustHistory {
  /** Every anchor known, current or archived, each once (by SHA-256). */
  readonly anchors: readonly TrustAnchor[];
  /** CRL DER by its SHA-256. */
  readonly crls: ReadonlyMap<string, Buffer>;
  /** Trusted list XML (every version used) by its SHA-256. */
  readonly trustedLists: ReadonlyMap<string, Buffer>;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export function trustHistoryOf(anchors: readonly TrustAnchor[], crls: readonly (Buffer | Crl)[], trustedLists: readonly Buffer[] = []): TrustHistory {
  const byAnchor = new Map<string, TrustAnchor>();
  for (const anchor of anchors) byAnchor.set(anchor.sha256, anchor);
  const byCrl = new Map<string, Buffer>();
  for (const crl of crls) {
    const der = Buffer.isBuffer(crl) ? crl : crl.der;
    byCrl.set(sha256(der), der);
  }
  return { anchors: [...byAnchor.values()], crls: byCrl, trustedLists: new Map(trustedLists.map((xml) => [sha256(xml), xml])) };
}

export function mergeTrustHistories(...histories: TrustHistory[]): TrustHistory {
  return trustHistoryOf(
    histories.flatMap((h) => h.anchors),
    histories.flatMap((h) => [...h.crls.values()]),
    histories.flatMap((h) => [...h.trustedLists.values()]),
  );
}

/** The content-addressed archive of every anchor and CRL the service loaded. */
export class TrustArchive {
  constructor(readonly dir: string) {}

  /** Keeps what is not yet kept (trusted lists as `lists/<sha256>.xml`); returns how many files were added. Safe to call on every start. */
  keep(anchors: readonly TrustAnchor[], crls: readonly (Buffer | Crl)[], trustedLists: readonly Buffer[] = []): number {
    let added = 0;
    for (const anchor of anchors) added += this.put('anchors', 'crt', anchor.certificate.der);
    for (const crl of crls) added += this.put('crls', 'crl', Buffer.isBuffer(crl) ? crl : crl.der);
    for (const xml of trustedLists) added += this.put('lists', 'xml', xml);
    return added;
  }

  load(): TrustHistory {
    const read = (folder: string): Buffer[] => {
      const dir = join(this.dir, folder);
      if (!existsSync(dir)) return [];
      return readdirSync(dir)
        .filter((name) => /^[0-9a-f]{64}\.(crt|crl|xml)$/.test(name))
        .sort()
        .map((name) => ({ name, bytes: readFileSync(join(dir, name)) }))
        // A file whose bytes no longer match its name was damaged: it is not what the evidence names.
        .filter(({ name, bytes }) => sha256(bytes) === name.slice(0, 64))
        .map(({ bytes }) => bytes);
    };
    const anchors = read('anchors').map((der) => trustAnchorFrom(der, this.dir));
    const crls = read('crls');
    return trustHistoryOf(anchors, crls.map((der) => parseCrl(der)), read('lists'));
  }

  private put(folder: string, extension: string, der: Buffer): number {
    if (der.length === 0) return 0;
    const dir = join(this.dir, folder);
    const path = join(dir, `${sha256(der)}.${extension}`);
    if (existsSync(path)) return 0;
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed: a reader never sees half a file under a content address.
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, der);
    renameSync(partial, path);
    return 1;
  }
}

export interface TrustSources {
  /** TRUSTED_CA_DIR: the anchors in force. */
  readonly trustedCaDir?: string;
  /** CRL_DIR: the CRLs in force. */
  readonly crlDir?: string;
  /** TRUSTED_LIST_FILE: the trusted list in force (used only where evidence names its hash). */
  readonly trustedListFile?: string;
  /** CRL_ARCHIVE_DIR (default DATA_DIR/trust-archive): every anchor and CRL ever loaded. */
  readonly archiveDir?: string;
  /** Local mode: DATA_DIR/demo-pki, read when present (never created here). */
  readonly demoPkiDir?: string;
}

/** Everything known about trust, from the folders that exist; what it read, for the report. */
export function loadTrustHistory(sources: TrustSources): { history: TrustHistory; read: string[] } {
  const read: string[] = [];
  const anchors: TrustAnchor[] = [];
  const crls: Crl[] = [];
  const folder = (dir: string | undefined, load: (d: string) => void): void => {
    if (dir && existsSync(dir)) {
      load(dir);
      read.push(dir);
    }
  };
  folder(sources.trustedCaDir, (d) => anchors.push(...loadTrustAnchors(d)));
  folder(sources.crlDir, (d) => crls.push(...loadCrls(d)));
  const lists: Buffer[] = [];
  if (sources.trustedListFile && existsSync(sources.trustedListFile)) {
    lists.push(readFileSync(sources.trustedListFile));
    read.push(sources.trustedListFile);
  }
  if (!sources.trustedCaDir && sources.demoPkiDir) {
    folder(join(sources.demoPkiDir, 'trusted'), (d) => anchors.push(...loadTrustAnchors(d)));
    folder(join(sources.demoPkiDir, 'crl'), (d) => crls.push(...loadCrls(d)));
  }
  let archived: TrustHistory = trustHistoryOf([], []);
  folder(sources.archiveDir, (d) => (archived = new TrustArchive(d).load()));
  return { history: mergeTrustHistories(trustHistoryOf(anchors, crls, lists), archived), read };
}

export { sha256 as sha256Hex };
