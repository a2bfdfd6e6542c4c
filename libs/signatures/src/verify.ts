/**
 * Verification of a detached CAdES-BES signature (CMS SignedData) over the document to sign.
 * Runs every check it can and reports each one; never throws on bad input.
 */
import { createHash } from 'node:crypto';
import { Asn1Error } from './asn1';
import { HASH_BY_OID, resolveScheme, verifySignature } from './algorithms';
import { Certificate, parseCertificate } from './certificate';
import { buildPath } from './chain';
import { checkIssuers, checkNonRepudiation, checkQualified, checkSignerIdentity, checkValidityAt } from './certificate-checks';
import { SignedData, SignerInfo, parseSignedData } from './cms';
import { Crl, parseCrl } from './crl';
import { namesEqual } from './names';
import { personalCodeFromSerialNumber } from './personal-code';
import { RevocationPolicy, checkRevocation } from './revocation';
import { checkContentType, checkMessageDigest, checkSigningCertificate, checkSigningTime } from './signed-attributes';
import { TrustAnchor } from './trust-store';
import { CheckList, Evidence, SignerSummary, Verdict } from './verdict';

export interface VerifyOptions {
  trustAnchors: TrustAnchor[];
  /** DER buffers or parsed CRLs. */
  crls: (Buffer | Crl)[];
  /** The time of verification: CRLs must be current then; signingTime may not be later. */
  now: Date;
  /** Normalized `DDMMYY-NNNNN` of the representative who must have signed. */
  expectedPersonalCode: string;
  /** Default 'require': no CRL for an issuer refuses the signature. */
  revocationPolicy?: RevocationPolicy;
  /** Default 1 MiB; a CAdES-BES with its chain is a few kilobytes. */
  maxSignatureBytes?: number;
  /** Default 300 s: tolerated clock difference between the signer's device and the server. */
  clockSkewSeconds?: number;
  /** Optional: when the document to sign was issued; an earlier signingTime is refused. */
  earliestSigningTime?: Date;
}

/** Not part of the public options: certificates from stored evidence, for re-verification. */
export interface InternalVerifyOptions {
  extraCertificates?: Buffer[];
}

export const DEFAULT_MAX_SIGNATURE_BYTES = 1024 * 1024;
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;

export function verifyDetachedCades(signature: Buffer, content: Buffer, options: VerifyOptions): Verdict {
  return runVerification(signature, content, options, {});
}

export function runVerification(signature: Buffer, content: Buffer, options: VerifyOptions, internal: InternalVerifyOptions): Verdict {
  const checks = new CheckList();
  const evidence: Evidence = { signatureB64: '', contentSha256: '', certificatesB64: [], trustAnchorSha256: '', crls: [], checkedAt: '' };
  const outcome: { signedAt?: Date; signer?: Certificate } = {};
  try {
    evidence.checkedAt = options.now.toISOString();
    evidence.contentSha256 = createHash('sha256').update(content).digest('hex');
    const limit = options.maxSignatureBytes ?? DEFAULT_MAX_SIGNATURE_BYTES;
    if (!Buffer.isBuffer(signature)) {
      checks.fail('MALFORMED', 'the signature is not a byte buffer');
    } else if (signature.length > limit) {
      // Not kept in evidence: an oversized upload must not end up in the event store.
      checks.fail('TOO_LARGE', `the signature has ${signature.length} bytes; at most ${limit} are accepted`);
    } else {
      evidence.signatureB64 = signature.toString('base64');
      new Verification(checks, evidence, outcome, content, options, internal).run(signature);
    }
  } catch (error) {
    const message = error instanceof Asn1Error ? error.message : `verification could not complete: ${(error as Error)?.message ?? String(error)}`;
    checks.fail('MALFORMED', message);
  }
  const failures = checks.failures();
  return {
    valid: failures.length === 0 && checks.checks.length > 0,
    signedAt: outcome.signedAt?.toISOString(),
    signer: outcome.signer ? summarize(outcome.signer) : undefined,
    checks: checks.checks,
    failures,
    evidence,
  };
}

class Verification {
  private readonly skew: number;

  constructor(
    private readonly checks: CheckList,
    private readonly evidence: Evidence,
    private readonly outcome: { signedAt?: Date; signer?: Certificate },
    private readonly content: Buffer,
    private readonly options: VerifyOptions,
    private readonly internal: InternalVerifyOptions,
  ) {
    this.skew = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  }

  run(signature: Buffer): void {
    let signedData: SignedData;
    try {
      signedData = parseSignedData(signature);
    } catch (error) {
      this.checks.fail('MALFORMED', error instanceof Asn1Error ? error.message : 'not a CMS SignedData structure');
      return;
    }
    this.checks.pass('MALFORMED', 'CMS SignedData read');
    if (signedData.encapsulatedContent !== undefined) {
      this.checks.fail('NOT_DETACHED', `the signature carries the content (${signedData.encapsulatedContent.length} bytes): a detached signature is required`);
    } else {
      this.checks.pass('NOT_DETACHED', 'detached signature');
    }
    const [signerInfo] = signedData.signerInfos;
    if (signedData.signerInfos.length !== 1) {
      this.checks.fail('SIGNER_COUNT', `${signedData.signerInfos.length} SignerInfos; exactly one is required`);
      if (!signerInfo) return;
    } else {
      this.checks.pass('SIGNER_COUNT', 'one SignerInfo');
    }
    const pool = this.readCertificates([...signedData.certificates, ...(this.internal.extraCertificates ?? [])]);
    const signer = findSigner(signerInfo, pool);
    if (signer) {
      this.outcome.signer = signer;
      this.evidence.certificatesB64 = [signer.der.toString('base64')];
      this.checks.pass('MISSING_SIGNER_CERTIFICATE', `signer certificate ${signer.subject.display}, serial ${signer.serialHex}`);
    } else {
      this.checks.fail('MISSING_SIGNER_CERTIFICATE', 'no certificate in the signature matches the SignerInfo identifier');
    }
    this.checkSignedAttributes(signedData, signerInfo, signer);
    if (!signer) return;
    this.checkCertificates(signer, pool);
  }

  private readCertificates(ders: Buffer[]): Certificate[] {
    const certificates: Certificate[] = [];
    for (const der of ders) {
      try {
        const certificate = parseCertificate(der);
        if (!certificates.some((known) => known.der.equals(certificate.der))) certificates.push(certificate);
      } catch (error) {
        this.checks.fail('MALFORMED', `a certificate in the signature is unreadable: ${(error as Error).message}`);
      }
    }
    return certificates;
  }

  private checkSignedAttributes(signedData: SignedData, signerInfo: SignerInfo, signer: Certificate | undefined): void {
    const signed = signerInfo.signedAttributes;
    if (!signed) {
      this.checks.fail('MALFORMED', 'the SignerInfo has no signed attributes: not a CAdES signature');
      return;
    }
    const hash = HASH_BY_OID[signerInfo.digestAlgorithm.oid];
    if (!hash) this.checks.fail('ALGORITHM_UNSUPPORTED', `digest algorithm ${signerInfo.digestAlgorithm.oid} is not SHA-256/384/512`);
    checkContentType(this.checks, signed.attributes, signedData.encapsulatedContentType);
    if (hash) checkMessageDigest(this.checks, signed.attributes, hash, this.content);
    this.outcome.signedAt = checkSigningTime(this.checks, signed.attributes, this.options.now, this.skew, this.options.earliestSigningTime);
    if (!signer) return;
    checkSigningCertificate(this.checks, signed.attributes, signer);
    const resolution = resolveScheme(signerInfo.signatureAlgorithm, signer.x509.publicKey, hash);
    if (!resolution.ok) {
      this.checks.fail('ALGORITHM_UNSUPPORTED', resolution.reason);
      return;
    }
    if (hash) this.checks.pass('ALGORITHM_UNSUPPORTED', resolution.scheme.label);
    if (verifySignature(signed.signedBytes, signerInfo.signature, signer.x509.publicKey, resolution.scheme)) {
      this.checks.pass('SIGNATURE_INVALID', `${resolution.scheme.label} signature over the signed attributes verifies`);
    } else {
      this.checks.fail('SIGNATURE_INVALID', "the signature does not verify with the signer certificate's key");
    }
  }

  private checkCertificates(signer: Certificate, pool: Certificate[]): void {
    const path = buildPath(signer, pool, this.options.trustAnchors);
    const anchor = path.anchor;
    const chain = anchor ? [...path.certificates, anchor.certificate] : path.certificates;
    this.evidence.certificatesB64 = chain.map((certificate) => certificate.der.toString('base64'));
    if (anchor) {
      this.evidence.trustAnchorSha256 = anchor.sha256;
      this.checks.pass('CHAIN_UNTRUSTED', `chains to the trust anchor ${anchor.subject}`);
    } else {
      const lookalike = this.options.trustAnchors.some((candidate) =>
        chain.some((certificate) => namesEqual(certificate.issuer, candidate.certificate.subject)),
      );
      this.checks.fail(
        'CHAIN_UNTRUSTED',
        lookalike
          ? 'a trust anchor has the issuer name but not the key that signed the chain'
          : `no configured trust anchor issued ${chain[chain.length - 1].issuer.display}`,
      );
    }
    // Validity at the time of signing; without a usable signingTime, at the time of verification.
    checkValidityAt(this.checks, chain, this.outcome.signedAt ?? this.options.now);
    checkIssuers(this.checks, chain.slice(1));
    checkQualified(this.checks, signer);
    checkNonRepudiation(this.checks, signer);
    checkSignerIdentity(this.checks, signer, this.options.expectedPersonalCode);
    if (anchor) this.checkRevocations(chain);
  }

  private checkRevocations(chain: Certificate[]): void {
    const crls = this.options.crls.map((crl) => (Buffer.isBuffer(crl) ? parseCrlOrNote(crl, this.checks) : crl));
    const usable = crls.filter((crl): crl is Crl => crl !== undefined);
    for (let i = 0; i < chain.length - 1; i += 1) {
      const used = checkRevocation(
        this.checks,
        chain[i],
        chain[i + 1],
        usable,
        this.options.now,
        this.skew,
        this.options.revocationPolicy ?? 'require',
      );
      if (used) this.evidence.crls.push(used);
    }
  }
}

function parseCrlOrNote(der: Buffer, checks: CheckList): Crl | undefined {
  try {
    return parseCrl(der);
  } catch (error) {
    checks.fail('CRL_INVALID', `a configured CRL is unreadable: ${(error as Error).message}`);
    return undefined;
  }
}

function findSigner(signerInfo: SignerInfo, pool: Certificate[]): Certificate | undefined {
  const sid = signerInfo.sid;
  if (sid.kind === 'subjectKeyIdentifier') {
    return pool.find((certificate) => certificate.extensions.subjectKeyId?.equals(sid.keyId));
  }
  return pool.find((certificate) => certificate.serial.equals(sid.serial) && namesEqual(certificate.issuer, sid.issuer));
}

function summarize(signer: Certificate): SignerSummary {
  return {
    personalCode: personalCodeFromSerialNumber(signer.subjectSerialNumber),
    subject: signer.subject.text,
    serialNumber: signer.serialHex,
    issuer: signer.issuer.text,
  };
}
