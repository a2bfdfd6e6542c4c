/**
 * `audit export`: a self-contained folder an auditor can check years later with standard tools:
 *   events.jsonl                       every event of the selected streams, with its hashes
 *   signatures/<app>-<rev>.p7s|.pdf|.edoc  each signed object as received (detached CAdES, PAdES, EDOC)
 *   signatures/<app>-<rev>.json        beside it the canonical JSON of the submission
 *   certificates/<sha256>.pem          the certificates of every signature (signer, chain, anchor)
 *   crls/<sha256-of-DER>.pem           the CRLs used at signing
 *   timestamps/<sha256>.tst            the RFC 3161 tokens of each signature (DER), for `openssl ts -verify`
 *   ocsp/<sha256>.der                  the OCSP responses judged, for `openssl ocsp -respin`
 *   trust-anchors.pem                  the anchors, together: the -CAfile for `openssl cms -verify`
 *   manifest.json                      selection, chain heads, signatures, SHA-256 of every file
 *   SHA256SUMS                         for `sha256sum -c SHA256SUMS`
 * It holds personal data unmasked (it is an auditor's export): keep it as such.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EventStore, RecordedEvent } from '@atlauja/event-store';
import { parseTimestampToken } from '@atlauja/signatures';
import { isApplicationStream } from '../application-events';
import { toJson } from '../recorded-json';
import { storedSignaturesOf } from '../signature-check';
import { selectStreams, type StreamSelection } from '../store-scan';
import { sha256Hex, type TrustHistory } from '../trust-history';
import { BUNDLE_FORMAT, EVENTS, MANIFEST, SHA256SUMS, TRUST_ANCHORS, type BundleManifest, type BundleSignature } from './manifest';
import { toPem } from './pem';

/** The token's message imprint (hex), what `openssl ts -verify -digest` is given; empty when unreadable. */
function imprintOf(token: Buffer): string {
  try {
    return parseTimestampToken(token).info.imprint.toString('hex');
  } catch {
    return '';
  }
}

const SIGNED_OBJECT_EXTENSION = { cades: 'p7s', pades: 'pdf', xades: 'edoc' } as const;

export interface ExportOptions {
  readonly selection: StreamSelection;
  readonly trust: TrustHistory;
  readonly now?: Date;
}

export interface ExportResult {
  readonly manifest: BundleManifest;
  /** Problems the exporter saw (missing CRLs); the bundle is written all the same and its verify names them. */
  readonly warnings: readonly string[];
}

export async function exportBundle(store: EventStore, dir: string, options: ExportOptions): Promise<ExportResult> {
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length > 0) throw new Error(`${dir} is not empty: a bundle is written into an empty folder`);
  const files = new Map<string, string>();
  const write = (path: string, bytes: Buffer | string): string => {
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8');
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), buffer);
    files.set(path, sha256Hex(buffer));
    return path;
  };

  const streams: { stream: string; events: RecordedEvent[] }[] = [];
  for (const stream of await selectStreams(store, options.selection)) {
    const read = await store.readStream(stream);
    if (read.found) streams.push({ stream, events: read.events });
  }
  write(EVENTS, streams.flatMap((s) => s.events.map((e) => JSON.stringify(toJson(e)) + '\n')).join(''));

  const warnings: string[] = [];
  const signatures: BundleSignature[] = [];
  const anchorsUsed = new Map<string, Buffer>();
  for (const { stream, events } of streams.filter((s) => isApplicationStream(s.stream))) {
    for (const signature of storedSignaturesOf(stream, events)) {
      const name = `signatures/${signature.applicationId}-${signature.revision}`;
      if (!signature.evidence || !signature.document) {
        warnings.push(`${stream}@${signature.revision}: no evidence or no document; its signature is not exported`);
        continue;
      }
      const evidence = signature.evidence;
      const certificates = evidence.certificatesB64.map((b64) => {
        const der = Buffer.from(b64, 'base64');
        return write(`certificates/${sha256Hex(der)}.pem`, toPem(der, 'CERTIFICATE'));
      });
      const anchor = options.trust.anchors.find((a) => a.sha256 === evidence.trustAnchorSha256);
      if (anchor) {
        anchorsUsed.set(anchor.sha256, anchor.certificate.der);
        certificates.push(write(`certificates/${anchor.sha256}.pem`, toPem(anchor.certificate.der, 'CERTIFICATE')));
      } else {
        warnings.push(`${stream}@${signature.revision}: the trust anchor ${evidence.trustAnchorSha256.slice(0, 16)}… is in no archive`);
      }
      const crls: string[] = [];
      const crlsMissing: string[] = [];
      for (const { sha256 } of evidence.crls) {
        const der = options.trust.crls.get(sha256);
        if (der) crls.push(write(`crls/${sha256}.pem`, toPem(der, 'X509 CRL')));
        else crlsMissing.push(sha256);
      }
      const timestamps = (evidence.timestamps ?? []).map((stamp) => {
        const token = Buffer.from(stamp.tokenB64, 'base64');
        return { file: write(`timestamps/${sha256Hex(token)}.tst`, token), kind: stamp.kind, genTime: stamp.genTime, tsa: stamp.tsa, imprint: imprintOf(token) };
      });
      const ocspResponses = (evidence.ocspResponses ?? []).map((response) => ({
        file: write(`ocsp/${response.sha256}.der`, Buffer.from(response.responseB64, 'base64')),
        certificateSerial: response.serialNumber,
        status: response.status,
        thisUpdate: response.thisUpdate,
      }));
      if (crlsMissing.length) warnings.push(`${stream}@${signature.revision}: ${crlsMissing.length} CRL(s) named by the evidence are in no archive`);
      signatures.push({
        applicationId: signature.applicationId,
        stream,
        revision: signature.revision.toString(),
        format: signature.format,
        signature: write(`${name}.${SIGNED_OBJECT_EXTENSION[signature.format]}`, Buffer.from(evidence.signatureB64, 'base64')),
        document: write(`${name}.json`, signature.document.bytes),
        ...(signature.pdfSha256 ? { pdfSha256: signature.pdfSha256 } : {}),
        documentSha256: signature.documentSha256,
        signedAt: signature.signedAt,
        acceptedAt: signature.acceptedAt,
        certificates: [...new Set(certificates)],
        trustAnchorSha256: evidence.trustAnchorSha256,
        crls,
        crlsMissing,
        ...(evidence.policy && { policy: evidence.policy }),
        ...(evidence.provenAt && { provenAt: evidence.provenAt }),
        ...(timestamps.length > 0 && { timestamps }),
        ...(ocspResponses.length > 0 && { ocspResponses }),
      });
    }
  }
  write(TRUST_ANCHORS, [...anchorsUsed.values()].map((der) => toPem(der, 'CERTIFICATE')).join(''));

  const s = options.selection;
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    createdAt: (options.now ?? new Date()).toISOString(),
    selection: { ...(s.stream && { stream: s.stream }), ...(s.institution && { institution: s.institution }), ...(s.from && { from: s.from.toISOString() }), ...(s.to && { to: s.to.toISOString() }) },
    streams: streams.map(({ stream, events }) => {
      const last = events[events.length - 1];
      return { stream, events: events.length, head: { revision: last.revision.toString(), hash: last.metadata.hash } };
    }),
    signatures,
    files: Object.fromEntries([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
  };
  write(MANIFEST, JSON.stringify(manifest, null, 2) + '\n');
  // Two spaces between hash and name: the format `sha256sum -c` reads (binary and text mode are the same on Linux).
  writeFileSync(join(dir, SHA256SUMS), [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, hash]) => `${hash}  ${path}\n`).join(''));
  return { manifest, warnings };
}
