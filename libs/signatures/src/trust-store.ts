/**
 * Trust configuration: qualified CA certificates from TRUSTED_CA_DIR and CRLs from CRL_DIR,
 * PEM or DER. A trust anchor is trusted for its key, not its name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Certificate, certificateDer, parseCertificate } from './certificate';
import { Crl, parseCrl } from './crl';

export interface TrustAnchor {
  certificate: Certificate;
  /** SHA-256 of the anchor certificate DER: what evidence records. */
  sha256: string;
  subject: string;
  /** The file it came from, for operators. */
  source?: string;
}

/** The subject marker of the locally generated demo root (see demo-pki.ts). */
export const DEMO_ANCHOR_MARK = 'DEMO — not a trusted qualified CA';

const CERTIFICATE_EXTENSIONS = new Set(['.pem', '.crt', '.cer', '.der']);
const CRL_EXTENSIONS = new Set(['.pem', '.crl', '.der']);

export function trustAnchorFrom(input: Buffer | string, source?: string): TrustAnchor {
  const certificate = parseCertificate(certificateDer(input));
  return { certificate, sha256: certificate.sha256, subject: certificate.subject.text, source };
}

/** True for the local-mode demo root; the server refuses to start with one configured. */
export function isDemoAnchor(anchor: TrustAnchor): boolean {
  return anchor.subject.includes(DEMO_ANCHOR_MARK) || /\bDEMO\b/.test(anchor.subject);
}

/** Every certificate in the folder (a PEM file may hold several). Unreadable files throw: misconfiguration must not pass silently. */
export function loadTrustAnchors(dir: string): TrustAnchor[] {
  return filesIn(dir, CERTIFICATE_EXTENSIONS).flatMap((path) => {
    try {
      return derBlocks(readFileSync(path), 'CERTIFICATE').map((der) => trustAnchorFrom(der, path));
    } catch (error) {
      throw new Error(`trust anchor file ${path}: ${(error as Error).message}`);
    }
  });
}

export function loadCrls(dir: string): Crl[] {
  return filesIn(dir, CRL_EXTENSIONS).flatMap((path) => {
    try {
      return derBlocks(readFileSync(path), 'X509 CRL').map((der) => parseCrl(der));
    } catch (error) {
      throw new Error(`CRL file ${path}: ${(error as Error).message}`);
    }
  });
}

function filesIn(dir: string, extensions: Set<string>): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && extensions.has(extname(entry.name).toLowerCase()))
    .map((entry) => join(dir, entry.name))
    .sort();
}

/** The DER blocks of a file: all PEM blocks with the label, or the whole file when it is DER. */
export function derBlocks(bytes: Buffer, label: string): Buffer[] {
  const text = bytes.toString('latin1');
  if (!text.includes('-----BEGIN')) return [bytes];
  const pattern = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  return [...text.matchAll(pattern)].map((match) => Buffer.from(match[1].replace(/\s+/g, ''), 'base64'));
}
