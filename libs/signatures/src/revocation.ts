/**
 * Revocation from configured CRLs. A CRL counts only if the issuer's key verifies it. Among the
 * CRLs of one issuer the newest counts: the highest cRLNumber (RFC 5280 §5.2.3: numbers increase
 * with every CRL an issuer publishes), then the latest thisUpdate; never the order of the files.
 * That CRL must be fresh (not past its nextUpdate) at the time of verification; a stale one is
 * CRL_STALE and `StaleCrlPolicy` decides whether that refuses the signature. No CRL for an issuer
 * is "revocation unknown", and `RevocationPolicy` decides whether that refuses it.
 */
import { Certificate, hasKeyUsage } from './certificate';
import { Crl, crlSignatureValid } from './crl';
import { namesEqual } from './names';
import { CheckList, CrlEvidence } from './verdict';

export type RevocationPolicy = 'require' | 'allow-unknown';
/** 'refuse' (default, fail closed): a CRL past its nextUpdate refuses; 'accept-stale': it is still applied, and the check says so. */
export type StaleCrlPolicy = 'refuse' | 'accept-stale';

export function checkRevocation(
  checks: CheckList,
  certificate: Certificate,
  issuer: Certificate,
  crls: Crl[],
  now: Date,
  skewSeconds: number,
  policy: RevocationPolicy,
  stalePolicy: StaleCrlPolicy = 'refuse',
): CrlEvidence | undefined {
  const who = certificate.subject.display;
  // A CRL of the same CA name under another key (key rollover) belongs to other certificates.
  const issuerKeyId = issuer.extensions.subjectKeyId;
  const candidates = crls.filter(
    (crl) => namesEqual(crl.issuer, certificate.issuer) && !(crl.authorityKeyId && issuerKeyId && !crl.authorityKeyId.equals(issuerKeyId)),
  );
  if (candidates.length === 0) {
    checks.record(
      'REVOCATION_UNKNOWN',
      policy === 'allow-unknown',
      `no CRL from ${certificate.issuer.display} for ${who}: revocation status unknown` +
        (policy === 'allow-unknown' ? ", accepted by revocationPolicy 'allow-unknown'" : ''),
    );
    return undefined;
  }
  const authentic: Crl[] = [];
  const invalid: string[] = [];
  for (const crl of candidates) {
    const problem = crlProblem(crl, issuer);
    if (problem) invalid.push(`CRL ${crl.number ?? crl.sha256.slice(0, 16)} from ${crl.issuer.display}: ${problem}`);
    else authentic.push(crl);
  }
  // Fail closed: a forged or corrupt CRL file in CRL_DIR is an incident, even beside a good one.
  if (invalid.length > 0) checks.fail('CRL_INVALID', invalid.join('; '));
  if (authentic.length === 0) return undefined;
  checks.pass('CRL_INVALID', `CRL signature of ${certificate.issuer.display} verifies`);

  // A CRL issued after "now" (re-verification as of an earlier day) was not there to be used.
  const issued = authentic.filter((crl) => crl.thisUpdate.getTime() <= now.getTime() + skewSeconds * 1000).sort(newestFirst);
  const newest = issued[0];
  if (!newest) {
    checks.fail('CRL_STALE', `no CRL from ${certificate.issuer.display} issued by ${now.toISOString()}`);
    return undefined;
  }
  const label = `CRL ${newest.number ?? newest.sha256.slice(0, 16)} from ${certificate.issuer.display}`;
  const stale = newest.nextUpdate === undefined || now.getTime() > newest.nextUpdate.getTime();
  if (stale) {
    const until = newest.nextUpdate ? `its nextUpdate ${newest.nextUpdate.toISOString()} has passed` : 'it has no nextUpdate';
    if (stalePolicy !== 'accept-stale') {
      checks.fail('CRL_STALE', `${label} is the newest, and ${until} at ${now.toISOString()}: not fresh`);
      // A revocation stays a revocation: a stale CRL cannot clear a certificate, but it can condemn one.
      const listed = newest.revoked.get(certificate.serialHex);
      if (listed) checks.fail('CERT_REVOKED', `${who} was revoked on ${listed.revokedAt.toISOString()} (on a CRL past its nextUpdate)`);
      return undefined;
    }
    checks.pass('CRL_STALE', `${label} is the newest, and ${until} at ${now.toISOString()}: applied, accepted by staleCrlPolicy 'accept-stale'`);
  } else {
    checks.pass('CRL_STALE', `${label} is the newest, current until ${newest.nextUpdate?.toISOString()}`);
  }
  checks.pass('REVOCATION_UNKNOWN', `revocation status of ${who} known from a CRL`);

  const entry = newest.revoked.get(certificate.serialHex);
  if (entry) {
    const reason = entry.reason === undefined ? '' : ` (reason ${entry.reason})`;
    checks.fail('CERT_REVOKED', `${who} was revoked on ${entry.revokedAt.toISOString()}${reason}`);
  } else {
    checks.pass('CERT_REVOKED', `${who} is not on the CRL`);
  }
  return {
    issuer: newest.issuer.text,
    number: newest.number,
    thisUpdate: newest.thisUpdate.toISOString(),
    nextUpdate: newest.nextUpdate?.toISOString(),
    sha256: newest.sha256,
    ...(stale && { stale: true }),
  };
}

/** Higher cRLNumber first; then later thisUpdate; then by content, so the choice never depends on input order. */
export function newestFirst(a: Crl, b: Crl): number {
  if (a.number !== undefined && b.number !== undefined && a.number !== b.number) return BigInt(b.number) > BigInt(a.number) ? 1 : -1;
  const byTime = b.thisUpdate.getTime() - a.thisUpdate.getTime();
  if (byTime !== 0) return byTime;
  if (a.number !== b.number) return a.number === undefined ? 1 : -1;
  return a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0;
}

function crlProblem(crl: Crl, issuer: Certificate): string | undefined {
  if (issuer.extensions.keyUsage && !hasKeyUsage(issuer, 'cRLSign')) return 'the issuer may not sign CRLs (no cRLSign)';
  if (crl.unsupportedCritical.length > 0) return `unsupported critical extension(s) ${crl.unsupportedCritical.join(', ')}`;
  const signature = crlSignatureValid(crl, issuer.x509.publicKey);
  return signature.ok ? undefined : signature.reason;
}
