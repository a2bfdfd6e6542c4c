/**
 * Path building from the signer certificate to a configured trust anchor. Trust is pinned by the
 * anchor's key: an anchor matches only if its key verifies the certificate below it, so a
 * look-alike CA with the same name and another key is never trusted. When the anchor reached is
 * itself issued by another configured anchor (an issuing CA configured beside its root), the path
 * goes on up to the highest one: every CA in it is then checked against its issuer's CRL, so a
 * root's CRL that revokes the issuing CA counts, and the anchor recorded is the same whether or
 * not the issuing CA is also configured.
 */
import { LRUCache } from 'lru-cache';
import { Certificate } from './certificate';
import { namesEqual } from './names';
import { TrustAnchor } from './trust-store';

export interface CertificationPath {
  /** Signer first, then intermediates (the anchor excluded). */
  certificates: Certificate[];
  anchor?: TrustAnchor;
}

const MAX_PATH_LENGTH = 8;

export function buildPath(signer: Certificate, pool: Certificate[], anchors: TrustAnchor[]): CertificationPath {
  const found = extend([signer], pool, anchors);
  return found ? upToHighestAnchor(found, anchors) : { certificates: longestUntrustedPath(signer, pool) };
}

function upToHighestAnchor(path: CertificationPath, anchors: TrustAnchor[]): CertificationPath {
  let { certificates, anchor } = path;
  while (anchor && certificates.length < MAX_PATH_LENGTH && !selfIssued(anchor.certificate)) {
    const reached: TrustAnchor = anchor;
    const above = anchors.find(
      (candidate) => !certificates.some((c) => c.der.equals(candidate.certificate.der)) && !candidate.certificate.der.equals(reached.certificate.der) && issuedBy(reached.certificate, candidate.certificate),
    );
    if (!above) break;
    certificates = [...certificates, reached.certificate];
    anchor = above;
  }
  return { certificates, anchor };
}

function selfIssued(certificate: Certificate): boolean {
  return namesEqual(certificate.issuer, certificate.subject);
}

function extend(path: Certificate[], pool: Certificate[], anchors: TrustAnchor[]): CertificationPath | undefined {
  const current = path[path.length - 1];
  for (const anchor of anchors) {
    if (issuedBy(current, anchor.certificate)) return { certificates: path, anchor };
  }
  if (path.length >= MAX_PATH_LENGTH) return undefined;
  for (const candidate of pool) {
    if (path.some((certificate) => certificate.der.equals(candidate.der))) continue;
    if (!issuedBy(current, candidate)) continue;
    const found = extend([...path, candidate], pool, anchors);
    if (found) return found;
  }
  return undefined;
}

/** For evidence when no anchor is reached: the chain the signer supplied, as far as it links. */
function longestUntrustedPath(signer: Certificate, pool: Certificate[]): Certificate[] {
  const path = [signer];
  while (path.length < MAX_PATH_LENGTH) {
    const current = path[path.length - 1];
    const next = pool.find((candidate) => !path.some((c) => c.der.equals(candidate.der)) && issuedBy(current, candidate));
    if (!next) break;
    path.push(next);
  }
  return path;
}

/**
 * Issuances already verified: (certificate DER digest, issuer DER digest). Both are immutable (a
 * digest names exactly one certificate and one key), so a signature that verified once verifies for
 * ever: the CA chain is checked once, not on every upload, and an upload the service stamps is not
 * checked again for its second pass. Only a success is kept; nothing time- or CRL-dependent is:
 * validity, key usage and revocation of every certificate in a path are checked by the caller on
 * each verification.
 */
const verifiedIssuance = new LRUCache<string, true>({ max: 4096 });

/** Name chaining (with key identifiers when both are present) and a signature that verifies. */
export function issuedBy(subject: Certificate, issuer: Certificate): boolean {
  if (!namesEqual(subject.issuer, issuer.subject)) return false;
  const aki = subject.extensions.authorityKeyId;
  const ski = issuer.extensions.subjectKeyId;
  if (aki && ski && !aki.equals(ski)) return false;
  const key = `${subject.sha256}:${issuer.sha256}`;
  if (verifiedIssuance.has(key)) return true;
  let verified = false;
  try {
    verified = subject.x509.verify(issuer.x509.publicKey);
  } catch {
    verified = false;
  }
  if (verified) verifiedIssuance.set(key, true);
  return verified;
}
