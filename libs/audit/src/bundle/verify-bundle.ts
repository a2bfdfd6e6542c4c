/**
 * `audit verify --bundle DIR`: checks an exported bundle offline, from its own files alone —
 * every file against SHA256SUMS and the manifest, every stream's chain up to the recorded head,
 * every transition against the machine, every signature re-verified with the bundle's CRLs and
 * either the anchors given (`--ca DIR`, the independent check) or the bundle's own.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { parseCrl, trustAnchorFrom, type TrustAnchor } from '@atlauja/signatures';
import type { RecordedEvent } from '@atlauja/event-store';
import type { Finding } from '../findings';
import { fromJson, type RecordedEventJson } from '../recorded-json';
import { auditStream } from '../stream-audit';
import { sha256Hex, trustHistoryOf } from '../trust-history';
import type { AuditReport } from '../verify-store';
import { BUNDLE_FORMAT, EVENTS, MANIFEST, SHA256SUMS, TRUST_ANCHORS, type BundleManifest } from './manifest';

export interface VerifyBundleOptions {
  /** Anchors to trust instead of the bundle's own trust-anchors.pem. */
  readonly anchors?: readonly TrustAnchor[];
}

const bundleFinding = (code: string, message: string, extra: Partial<Finding> = {}): Finding => ({ kind: 'bundle', code, message, ...extra });

export function verifyBundle(dir: string, options: VerifyBundleOptions = {}): AuditReport & { anchorsFrom: 'bundle' | 'given' } {
  const failures: Finding[] = [];
  const empty = { streams: 0, events: 0, signatures: { checked: 0, valid: 0 }, readModelsCompared: [], anchorsFrom: 'bundle' as const };
  if (!existsSync(join(dir, MANIFEST))) return { ...empty, failures: [bundleFinding('MANIFEST_MISSING', `${MANIFEST} is missing`)] };
  failures.push(...checkSums(dir));
  const manifest = readManifest(join(dir, MANIFEST));
  if (!manifest) return { ...empty, failures: [...failures, bundleFinding('MANIFEST_MALFORMED', `${MANIFEST} is not a bundle manifest (not JSON, or without its streams, signatures and files)`)] };
  if (manifest.format !== BUNDLE_FORMAT) failures.push(bundleFinding('FORMAT_UNKNOWN', `format ${String(manifest.format)} is not ${BUNDLE_FORMAT}`));
  for (const [path, hash] of Object.entries(manifest.files ?? {})) {
    const full = inside(dir, path);
    if (!existsSync(full)) failures.push(bundleFinding('FILE_MISSING', `${path} is listed in the manifest but missing`));
    else if (sha256Hex(readFileSync(full)) !== hash) failures.push(bundleFinding('FILE_HASH_MISMATCH', `${path} does not have the SHA-256 the manifest records`));
  }

  const byStream = new Map<string, RecordedEvent[]>();
  const lines = existsSync(join(dir, EVENTS)) ? readFileSync(join(dir, EVENTS), 'utf8').split('\n') : [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const event = eventOf(line);
    if (!event) {
      failures.push(bundleFinding('EVENT_MALFORMED', `${EVENTS} line ${i + 1} is not a recorded event (JSON with id, stream, decimal revision and position, type, data, metadata)`));
      return;
    }
    byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), event]);
  });

  const anchors = options.anchors ? [...options.anchors] : readPemFile(join(dir, TRUST_ANCHORS), 'CERTIFICATE').map((der) => trustAnchorFrom(der, 'bundle'));
  const crls = existsSync(join(dir, 'crls')) ? readdirSync(join(dir, 'crls')).flatMap((name) => readPemFile(join(dir, 'crls', name), 'X509 CRL')).map((der) => parseCrl(der)) : [];
  const trust = trustHistoryOf(anchors, crls);

  let events = 0;
  let checked = 0;
  let valid = 0;
  for (const { stream, head } of manifest.streams) {
    const streamEvents = byStream.get(stream) ?? [];
    if (streamEvents.length === 0) failures.push(bundleFinding('STREAM_MISSING', 'the manifest lists the stream but events.jsonl has none of its events', { stream }));
    const audit = auditStream(stream, streamEvents, { trust, head });
    events += audit.events;
    checked += audit.signatures.length;
    valid += audit.signatures.filter((s) => s.reverification.valid).length;
    failures.push(...audit.findings);
    for (const { signature } of audit.signatures) {
      const listed = manifest.signatures.find((s) => s.stream === stream && s.revision === signature.revision.toString());
      const at = { stream, revision: signature.revision.toString(), type: 'ApplicationSigned' };
      if (!listed) {
        failures.push(bundleFinding('SIGNATURE_NOT_EXPORTED', 'the event holds a signature the bundle has no files for', at));
        continue;
      }
      const signed = readIfExists(inside(dir, listed.signature));
      const json = readIfExists(inside(dir, listed.document));
      if (!signed || signed.toString('base64') !== signature.evidence?.signatureB64) {
        failures.push(bundleFinding('SIGNATURE_FILE_MISMATCH', `${listed.signature} is not the signature the event keeps`, at));
      }
      if (!json || !signature.document || !json.equals(signature.document.bytes)) {
        failures.push(bundleFinding('DOCUMENT_FILE_MISMATCH', `${listed.document} is not the document rebuilt from the events`, at));
      }
    }
  }
  for (const stream of byStream.keys()) {
    if (!manifest.streams.some((s) => s.stream === stream)) failures.push(bundleFinding('STREAM_NOT_IN_MANIFEST', 'events.jsonl holds a stream the manifest does not list', { stream }));
  }
  return {
    streams: manifest.streams.length,
    events,
    signatures: { checked, valid },
    readModelsCompared: [],
    failures,
    anchorsFrom: options.anchors ? 'given' : 'bundle',
  };
}

function readManifest(path: string): BundleManifest | null {
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as BundleManifest;
    const ok = manifest !== null && typeof manifest === 'object' && Array.isArray(manifest.streams) && Array.isArray(manifest.signatures)
      && manifest.streams.every((s) => typeof s?.stream === 'string' && typeof s.head?.revision === 'string' && typeof s.head?.hash === 'string');
    return ok ? manifest : null;
  } catch {
    return null;
  }
}

/** One line of events.jsonl, or null when it is not a recorded event (a bundle may have been tampered with). */
function eventOf(line: string): RecordedEvent | null {
  try {
    const json = JSON.parse(line) as RecordedEventJson;
    const ok = json !== null && typeof json === 'object' && typeof json.stream === 'string' && typeof json.id === 'string' && typeof json.type === 'string'
      && typeof json.revision === 'string' && typeof json.position === 'string' && json.metadata !== null && typeof json.metadata === 'object';
    return ok ? fromJson(json) : null;
  } catch {
    return null;
  }
}

/** SHA256SUMS, as `sha256sum -c` reads it, and no file beside it that it does not list. */
function checkSums(dir: string): Finding[] {
  const path = join(dir, SHA256SUMS);
  if (!existsSync(path)) return [bundleFinding('FILE_MISSING', `${SHA256SUMS} is missing`)];
  const findings: Finding[] = [];
  const listed = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split('\n').filter(Boolean)) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!match) {
      findings.push(bundleFinding('SUMS_MALFORMED', `${SHA256SUMS}: a line is not "<sha256>  <path>"`));
      continue;
    }
    listed.add(match[2]);
    const file = readIfExists(inside(dir, match[2]));
    if (!file) findings.push(bundleFinding('FILE_MISSING', `${match[2]} is listed in ${SHA256SUMS} but missing`));
    else if (sha256Hex(file) !== match[1]) findings.push(bundleFinding('FILE_HASH_MISMATCH', `${match[2]} does not have the SHA-256 that ${SHA256SUMS} records`));
  }
  for (const file of filesUnder(dir)) {
    if (file !== SHA256SUMS && !listed.has(file)) findings.push(bundleFinding('FILE_UNLISTED', `${file} is in the bundle but not in ${SHA256SUMS}`));
  }
  return findings;
}

function filesUnder(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, root) : [relative(root, full)];
  });
}

/** A hostile bundle could name paths outside itself; only plain relative paths inside it are read. */
function readIfExists(path: string): Buffer | undefined {
  return existsSync(path) && statSync(path).isFile() ? readFileSync(path) : undefined;
}

function inside(dir: string, path: string): string {
  if (isAbsolute(path) || path.split(/[\\/]/).includes('..')) throw new Error(`bundle path ${JSON.stringify(path)} leaves the bundle`);
  return join(dir, path);
}

function readPemFile(path: string, label: string): Buffer[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'latin1');
  const pattern = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  return [...text.matchAll(pattern)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
}
