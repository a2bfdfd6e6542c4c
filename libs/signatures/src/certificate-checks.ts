/** Checks on the certification path and on the signer certificate as a qualified e-signature certificate. */
import { Certificate, hasKeyUsage, isSelfIssued } from './certificate';
import { OID } from './oids';
import { normalizePersonalCode, personalCodeFromSerialNumber } from './personal-code';
import { CheckList } from './verdict';

const label = (certificate: Certificate): string => certificate.subject.display;

/** Every certificate, the anchor included, within its validity period at the time of signing. */
export function checkValidityAt(checks: CheckList, certificates: Certificate[], at: Date): void {
  const expired = certificates.filter((certificate) => at.getTime() > certificate.notAfter.getTime());
  const notYet = certificates.filter((certificate) => at.getTime() < certificate.notBefore.getTime());
  const when = at.toISOString();
  if (expired.length > 0) {
    checks.fail('CERT_EXPIRED', expired.map((c) => `${label(c)} expired ${c.notAfter.toISOString()}, before ${when}`).join('; '));
  } else {
    checks.pass('CERT_EXPIRED', `${certificates.length} certificate(s) not expired at ${when}`);
  }
  if (notYet.length > 0) {
    checks.fail('CERT_NOT_YET_VALID', notYet.map((c) => `${label(c)} valid only from ${c.notBefore.toISOString()}, after ${when}`).join('; '));
  } else {
    checks.pass('CERT_NOT_YET_VALID', `${certificates.length} certificate(s) already valid at ${when}`);
  }
}

/**
 * Issuers (intermediates and the anchor) must be CAs allowed to sign certificates, within their
 * path length constraint. `issuers[i]` issued the certificate below it.
 */
export function checkIssuers(checks: CheckList, issuers: Certificate[]): void {
  const problems: string[] = [];
  issuers.forEach((issuer, index) => {
    const constraints = issuer.extensions.basicConstraints;
    if (!constraints?.ca) problems.push(`${label(issuer)} is not a CA (basicConstraints)`);
    if (!hasKeyUsage(issuer, 'keyCertSign')) problems.push(`${label(issuer)} lacks keyCertSign`);
    // Intermediates below this issuer that count against pathLenConstraint (self-issued do not).
    const below = issuers.slice(0, index).filter((certificate) => !isSelfIssued(certificate)).length;
    if (constraints?.pathLength !== undefined && below > constraints.pathLength) {
      problems.push(`${label(issuer)} allows ${constraints.pathLength} intermediate(s) below it, the path has ${below}`);
    }
  });
  if (problems.length > 0) checks.fail('ISSUER_NOT_CA', problems.join('; '));
  else checks.pass('ISSUER_NOT_CA', `${issuers.length} issuer(s) are CAs with keyCertSign`);
}

/** ETSI EN 319 412-5: QcCompliance, QcSSCD (key on a qualified device) and QcType esign. */
export function checkQualified(checks: CheckList, signer: Certificate): void {
  const statements = signer.extensions.qcStatements;
  if (!statements) return checks.fail('NOT_QUALIFIED', 'the signer certificate has no QCStatements');
  const missing: string[] = [];
  if (!statements.statementIds.includes(OID.qcCompliance)) missing.push('QcCompliance');
  if (!statements.statementIds.includes(OID.qcSscd)) missing.push('QcSSCD');
  if (!statements.qcTypes.includes(OID.qcTypeEsign)) missing.push('QcType esign');
  if (missing.length > 0) return checks.fail('NOT_QUALIFIED', `QCStatements lack ${missing.join(', ')}`);
  checks.pass('NOT_QUALIFIED', 'qualified certificate for e-signatures on a QSCD (QcCompliance, QcSSCD, QcType esign)');
}

export function checkNonRepudiation(checks: CheckList, signer: Certificate): void {
  if (hasKeyUsage(signer, 'nonRepudiation')) checks.pass('NOT_NON_REPUDIATION', 'keyUsage includes nonRepudiation');
  else checks.fail('NOT_NON_REPUDIATION', 'keyUsage of the signer certificate lacks nonRepudiation (contentCommitment)');
}

/** The signer must be the representative. Details never carry the codes themselves (personal data). */
export function checkSignerIdentity(checks: CheckList, signer: Certificate, expectedPersonalCode: string): void {
  const expected = normalizePersonalCode(expectedPersonalCode);
  const actual = personalCodeFromSerialNumber(signer.subjectSerialNumber);
  if (!expected) return checks.fail('SIGNER_MISMATCH', 'the expected personal code is not 11 digits');
  if (!actual) return checks.fail('SIGNER_MISMATCH', 'the signer certificate has no PNOLV- serialNumber');
  if (actual !== expected) return checks.fail('SIGNER_MISMATCH', "the signer certificate's personal code is not the representative's");
  checks.pass('SIGNER_MISMATCH', "the signer certificate's PNOLV- personal code is the representative's");
}
