/**
 * Revocation from configured CRLs. A CRL counts only if the issuer's key verifies it; it must be
 * current at the time of verification. No CRL for an issuer is "revocation unknown", and the
 * policy decides whether that refuses the signature.
 */
import { Certificate, hasKeyUsage } from './certificate';
import { Crl, crlSignatureValid } from './crl';
import { namesEqual } from './names';
import { CheckList, CrlEvidence } from './verdict';

export type RevocationPolicy = 'require' | 'allow-unknown';

export function checkRevocation(
  checks: CheckList,
  certificate: Certificate,
  issuer: Certificate,
  crls: Crl[],
  now: Date,
  skewSeconds: number,
  policy: RevocationPolicy,
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

  const current = authentic
    .filter((crl) => crl.thisUpdate.getTime() <= now.getTime() + skewSeconds * 1000)
    .filter((crl) => crl.nextUpdate !== undefined && now.getTime() <= crl.nextUpdate.getTime())
    .sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime());
  const newest = current[0];
  if (!newest) {
    const latest = authentic.map((crl) => crl.nextUpdate?.toISOString() ?? 'none').join(', ');
    checks.fail('CRL_STALE', `no current CRL from ${certificate.issuer.display} at ${now.toISOString()} (nextUpdate ${latest})`);
    return undefined;
  }
  checks.pass('CRL_STALE', `CRL from ${certificate.issuer.display} current until ${newest.nextUpdate?.toISOString()}`);
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
  };
}

function crlProblem(crl: Crl, issuer: Certificate): string | undefined {
  if (issuer.extensions.keyUsage && !hasKeyUsage(issuer, 'cRLSign')) return 'the issuer may not sign CRLs (no cRLSign)';
  if (crl.unsupportedCritical.length > 0) return `unsupported critical extension(s) ${crl.unsupportedCritical.join(', ')}`;
  const signature = crlSignatureValid(crl, issuer.x509.publicKey);
  return signature.ok ? undefined : signature.reason;
}
