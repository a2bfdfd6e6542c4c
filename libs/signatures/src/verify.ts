/**
 * One verifier for the three ways a representative signs: a detached CAdES `.p7s` over the
 * canonical JSON, a PAdES signature added to the served PDF, an EDOC (ASiC-E with XAdES) holding
 * the served PDF. Each format's reader runs its own checks and hands over the signatures it found;
 * the certificate checks (trust, validity, qualification, identity, revocation) are then the same
 * for all. Runs every check it can and reports each one; never throws on bad input.
 */
import { Asn1Error } from './asn1';
import { Certificate } from './certificate';
import { buildPath } from './chain';
import { checkIssuers, checkNonRepudiation, checkQualified, checkSignerIdentity, checkValidityAt } from './certificate-checks';
import { examineCades } from './cades-signature';
import { Crl, parseCrl } from './crl';
import { SignedDocuments, asSignedDocuments, sha256Hex } from './documents';
import { ExaminedSignature, LongTermCheck, LongTermContext, LongTermOutcome } from './long-term';
import { namesEqual } from './names';
import { examinePades } from './pades/pades-signature';
import { personalCodeFromSerialNumber } from './personal-code';
import { RevocationPolicy, StaleCrlPolicy, checkRevocation } from './revocation';
import { sniffFormat } from './sniff';
import { TrustAnchor } from './trust-store';
import { checkListedService, listedCaAnchors, trustedListEvidence, withListed } from './trusted-list/list-trust';
import { TrustedList } from './trusted-list/trusted-list';
import { CheckList, Evidence, SignatureFormat, SignerSummary, Verdict } from './verdict';
import { examineAsice } from './xades/asice-signature';

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
  /** Default 'refuse': the newest CRL of an issuer past its nextUpdate refuses the signature (CRL_STALE). */
  staleCrlPolicy?: StaleCrlPolicy;
  /** Default 1 MiB for a `.p7s`; PDFs and EDOCs carry the document and get `maxContainerBytes`. */
  maxSignatureBytes?: number;
  /** Default 8 MiB: a signed PDF or an EDOC (the document, the signatures, LT material). */
  maxContainerBytes?: number;
  /** Default 300 s: tolerated clock difference between the signer's device and the server. */
  clockSkewSeconds?: number;
  /** Optional: when the document to sign was issued; an earlier signingTime is refused. */
  earliestSigningTime?: Date;
  /** The format, when the client named it (content type); sniffed from the bytes otherwise. */
  format?: SignatureFormat;
  /** Timestamp and OCSP validation of long-term signatures, run once per signature found. */
  longTerm?: LongTermCheck;
  /** Time-stamp tokens the service obtained itself over a signature's value (RFC 3161, DER). */
  serviceTimestamps?: Buffer[];
  /** OCSP responses the service fetched itself (DER OCSPResponse), judged like embedded ones. */
  fetchedOcspResponses?: Buffer[];
  /**
   * Trusted lists (already verified): their CA/QC certificates are anchors besides `trustAnchors`,
   * and a path ending at one is accepted only when its service was granted at the signing time
   * (SERVICE_NOT_GRANTED_AT_SIGNING_TIME) and the certificate was qualified then. Named in the evidence.
   */
  trustedLists?: TrustedList[];
}

/** Not part of the public options: certificates from stored evidence, for re-verification. */
export interface InternalVerifyOptions {
  extraCertificates?: Buffer[];
}

export const DEFAULT_MAX_SIGNATURE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_CONTAINER_BYTES = 8 * 1024 * 1024;
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;

/** Everything a format reader gets. */
export interface FormatContext {
  documents: SignedDocuments;
  options: VerifyOptions;
  internal: InternalVerifyOptions;
  skewSeconds: number;
}

/** The one entry: any of the three formats, over the documents served for this submission. */
export function verifySignature(signed: Buffer, documents: Buffer | SignedDocuments, options: VerifyOptions): Verdict {
  return runVerification(signed, asSignedDocuments(documents), options, {});
}

/** A detached CAdES signature over the given bytes (the canonical JSON). */
export function verifyDetachedCades(signature: Buffer, content: Buffer, options: VerifyOptions): Verdict {
  return runVerification(signature, { json: content }, { ...options, format: 'cades' }, {});
}

export function runVerification(signed: Buffer, documents: SignedDocuments, options: VerifyOptions, internal: InternalVerifyOptions): Verdict {
  const checks = new CheckList();
  const evidence: Evidence = { signatureB64: '', contentSha256: '', certificatesB64: [], trustAnchorSha256: '', crls: [], checkedAt: '' };
  let representative: ExaminedSignature | undefined;
  const longTerm: { provenAt?: Date; untimestamped: Buffer[] } = { untimestamped: [] };
  try {
    evidence.checkedAt = options.now.toISOString();
    evidence.revocationPolicy = { unknown: options.revocationPolicy ?? 'require', staleCrl: options.staleCrlPolicy ?? 'refuse' };
    evidence.contentSha256 = sha256Hex(documents.json);
    if (options.trustedLists?.length) evidence.trustedLists = options.trustedLists.map(trustedListEvidence);
    if (!Buffer.isBuffer(signed)) {
      checks.fail('MALFORMED', 'the signature is not a byte buffer');
    } else {
      const format = options.format ?? sniffFormat(signed);
      const limit = format === 'cades' ? (options.maxSignatureBytes ?? DEFAULT_MAX_SIGNATURE_BYTES) : (options.maxContainerBytes ?? DEFAULT_MAX_CONTAINER_BYTES);
      if (signed.length > limit) {
        // Not kept in evidence: an oversized upload must not end up in the event store.
        checks.fail('TOO_LARGE', `the signed object has ${signed.length} bytes; at most ${limit} are accepted`);
      } else if (!format) {
        checks.fail('FORMAT_UNKNOWN', 'neither a CMS signature (.p7s), nor a PDF, nor an EDOC / ASiC-E container');
      } else {
        evidence.format = format;
        evidence.signatureB64 = signed.toString('base64');
        const context: FormatContext = { documents, options, internal, skewSeconds: options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS };
        const found = examine(format, checks, signed, context);
        if (format !== 'cades' && documents.readable) evidence.contentSha256 = documents.readable.sha256;
        representative = checkSignatures(checks, evidence, found, context, longTerm);
      }
    }
  } catch (error) {
    const message = error instanceof Asn1Error ? error.message : `verification could not complete: ${(error as Error)?.message ?? String(error)}`;
    checks.fail('MALFORMED', message);
  }
  const failures = checks.failures();
  return {
    valid: failures.length === 0 && checks.checks.length > 0,
    signedAt: representative?.signedAt?.toISOString(),
    ...(longTerm.provenAt && { provenAt: longTerm.provenAt.toISOString() }),
    signer: representative?.signer ? summarize(representative.signer) : undefined,
    checks: checks.checks,
    failures,
    evidence,
    ...(longTerm.untimestamped.length > 0 && { untimestamped: longTerm.untimestamped }),
  };
}

function examine(format: SignatureFormat, checks: CheckList, signed: Buffer, context: FormatContext): ExaminedSignature[] {
  const { options, internal, skewSeconds } = context;
  switch (format) {
    case 'cades': {
      const found = examineCades(checks, signed, {
        contents: [{ label: 'the canonical JSON', bytes: context.documents.json }],
        now: options.now,
        skewSeconds,
        earliestSigningTime: options.earliestSigningTime,
        extraCertificates: internal.extraCertificates,
        label: 'CMS',
      });
      return found ? [found] : [];
    }
    case 'pades':
      return examinePades(checks, signed, context);
    case 'xades':
      return examineAsice(checks, signed, context);
  }
}

/**
 * The certificate checks of every signature found, and who signed: the representative must be
 * one of the signers, and every signature must pass.
 */
function checkSignatures(
  checks: CheckList,
  evidence: Evidence,
  found: ExaminedSignature[],
  context: FormatContext,
  longTerm: { provenAt?: Date; untimestamped: Buffer[] },
): ExaminedSignature | undefined {
  const expected = context.options.expectedPersonalCode;
  const several = found.length > 1;
  let representative: ExaminedSignature | undefined;
  const chains: Buffer[][] = [];
  let firstAnchor: string | undefined;
  const provenAt = new Map<ExaminedSignature, Date>();
  for (const signature of found) {
    const scoped = several ? checks.scoped(signature.label) : checks;
    if (!signature.signer) continue;
    const identity = new CheckList();
    checkSignerIdentity(identity, signature.signer, expected);
    const isRepresentative = identity.failures().length === 0;
    if (!several) checks.checks.push(...identity.checks);
    const outcome = checkCertificates(scoped, signature, context, evidence);
    firstAnchor ??= outcome.anchorSha256;
    if (isRepresentative && !representative) {
      representative = signature;
      chains.unshift(outcome.chain);
      evidence.trustAnchorSha256 = outcome.anchorSha256;
    } else {
      chains.push(outcome.chain);
    }
    evidence.crls.push(...outcome.crls.filter((crl) => !evidence.crls.some((known) => known.sha256 === crl.sha256)));
    const proven = outcome.longTerm;
    if (proven?.untimestamped) longTerm.untimestamped.push(proven.untimestamped);
    if (proven?.provenAt) provenAt.set(signature, proven.provenAt);
  }
  if (several) {
    if (representative) checks.pass('SIGNER_MISMATCH', `${representative.label}, one of ${found.length} signatures, is the representative's`);
    else checks.fail('SIGNER_MISMATCH', `none of the ${found.length} signatures is the representative's`);
  }
  representative ??= found.find((signature) => signature.signer);
  const proven = representative && provenAt.get(representative);
  if (proven) {
    longTerm.provenAt = proven;
    evidence.provenAt = proven.toISOString();
  }
  if (representative && chains.length === 0 && representative.signer) chains.push([representative.signer.der]);
  evidence.certificatesB64 = [...new Set(chains.flat().map((der) => der.toString('base64')))];
  if (!evidence.trustAnchorSha256) evidence.trustAnchorSha256 = firstAnchor ?? '';
  return representative;
}

function longTermContext(context: FormatContext, chain: Certificate[], evidence: Evidence): LongTermContext {
  const crls = context.options.crls
    .map((crl) => {
      if (!Buffer.isBuffer(crl)) return crl;
      try {
        return parseCrl(crl);
      } catch {
        return undefined; // already reported as CRL_INVALID by the revocation checks
      }
    })
    .filter((crl): crl is Crl => crl !== undefined);
  return { now: context.options.now, skewSeconds: context.skewSeconds, chain, crls, serviceTimestamps: context.options.serviceTimestamps ?? [], fetchedOcspResponses: context.options.fetchedOcspResponses ?? [], evidence };
}

function checkCertificates(
  checks: CheckList,
  signature: ExaminedSignature,
  context: FormatContext,
  evidence: Evidence,
): { chain: Buffer[]; anchorSha256: string; crls: Evidence['crls']; longTerm?: LongTermOutcome } {
  const signer = signature.signer as Certificate;
  const { options } = context;
  const listed = options.trustedLists?.length ? listedCaAnchors(options.trustedLists) : [];
  const anchors = withListed(options.trustAnchors, listed);
  const path = buildPath(signer, signature.pool, anchors);
  const anchor = path.anchor;
  const chain = anchor ? [...path.certificates, anchor.certificate] : path.certificates;
  if (anchor) {
    checks.pass('CHAIN_UNTRUSTED', `chains to the trust anchor ${anchor.subject}`);
  } else {
    const lookalike = anchors.some((candidate) => chain.some((certificate) => namesEqual(certificate.issuer, candidate.certificate.subject)));
    checks.fail(
      'CHAIN_UNTRUSTED',
      lookalike ? 'a trust anchor has the issuer name but not the key that signed the chain' : `no configured trust anchor issued ${chain[chain.length - 1].issuer.display}`,
    );
  }
  // Validity at the time of signing; without a usable signing time, at the time of verification.
  checkValidityAt(checks, chain, signature.signedAt ?? options.now);
  if (anchor && options.trustedLists && listed.some((candidate) => candidate.sha256 === anchor.sha256)) {
    checkListedService(checks, options.trustedLists, signer, 'signer', signature.signedAt ?? options.now, chain.slice(1));
  }
  checkIssuers(checks, chain.slice(1));
  checkQualified(checks, signer);
  checkNonRepudiation(checks, signer);
  // Timestamps and OCSP before the CRLs: an authorized, fresh OCSP response gives a status where no CRL does.
  const longTerm = options.longTerm?.(checks, signature, longTermContext(context, chain, evidence)) ?? undefined;
  const crls = anchor ? checkRevocations(checks, chain, context, new Set((longTerm?.revocationKnown ?? []).map((certificate) => certificate.sha256))) : [];
  return { chain: chain.map((certificate) => certificate.der), anchorSha256: anchor?.sha256 ?? '', crls, longTerm };
}

function checkRevocations(checks: CheckList, chain: Certificate[], context: FormatContext, knownByOcsp: Set<string>): Evidence['crls'] {
  const { options } = context;
  const crls = options.crls.map((crl) => (Buffer.isBuffer(crl) ? parseCrlOrNote(crl, checks) : crl));
  const usable = crls.filter((crl): crl is Crl => crl !== undefined);
  const used: Evidence['crls'] = [];
  for (let i = 0; i < chain.length - 1; i += 1) {
    if (!knownByOcsp.has(chain[i].sha256)) {
      const crl = checkRevocation(checks, chain[i], chain[i + 1], usable, options.now, context.skewSeconds, options.revocationPolicy ?? 'require', options.staleCrlPolicy);
      if (crl) used.push(crl);
      continue;
    }
    // The CRL is still applied when there is one; only its absence no longer leaves the status unknown.
    const scratch = new CheckList();
    const crl = checkRevocation(scratch, chain[i], chain[i + 1], usable, options.now, context.skewSeconds, options.revocationPolicy ?? 'require', options.staleCrlPolicy);
    if (crl) used.push(crl);
    for (const check of scratch.checks) {
      if (check.code === 'REVOCATION_UNKNOWN' && !check.ok) checks.pass('REVOCATION_UNKNOWN', `${chain[i].subject.display}: no CRL, status known from an authorized OCSP response`);
      else checks.record(check.code, check.ok, check.detail);
    }
  }
  return used;
}

function parseCrlOrNote(der: Buffer, checks: CheckList): Crl | undefined {
  try {
    return parseCrl(der);
  } catch (error) {
    checks.fail('CRL_INVALID', `a configured CRL is unreadable: ${(error as Error).message}`);
    return undefined;
  }
}

function summarize(signer: Certificate): SignerSummary {
  return {
    personalCode: personalCodeFromSerialNumber(signer.subjectSerialNumber),
    subject: signer.subject.text,
    serialNumber: signer.serialHex,
    issuer: signer.issuer.text,
  };
}
