/**
 * OCSP responses (RFC 6960) embedded in long-term signatures: read with node-forge's ASN.1 codec,
 * their signature checked with node:crypto. A response counts only if the issuing CA signed it, or
 * a responder the CA issued with id-kp-OCSPSigning; only if its CertID names this certificate; and
 * only if it is fresh relative to the time it must speak for (the timestamp's genTime).
 */
import { createHash } from 'node:crypto';
import {
  Asn1Error,
  Asn1Node,
  SequenceReader,
  Tag,
  bitStringOf,
  childrenOf,
  contentBytes,
  integerBytesOf,
  isContext,
  isUniversal,
  octetsOf,
  oidOf,
  parseDer,
  sequenceOf,
  timeOf,
  toDer,
} from './asn1';
import { AlgorithmIdentifier, HASH_BY_OID, parseAlgorithmIdentifier, resolveScheme, verifySignature } from './algorithms';
import { Certificate } from './certificate';
import { issuedBy } from './chain';
import { readCertificates } from './cades-signature';
import { DistinguishedName, parseName } from './names';
import { OID } from './oids';
import { judgeService, ServiceJudgement } from './trusted-list/service-status';
import { TrustedList } from './trusted-list/trusted-list';
import { CheckList, OcspEvidence } from './verdict';

export interface OcspSingleResponse {
  hashOid: string;
  issuerNameHash: Buffer;
  issuerKeyHash: Buffer;
  serial: Buffer;
  status: 'good' | 'revoked' | 'unknown';
  revokedAt?: Date;
  thisUpdate: Date;
  nextUpdate?: Date;
}

export interface OcspResponse {
  der: Buffer;
  sha256: string;
  responder: { byName?: DistinguishedName; byKey?: Buffer };
  producedAt: Date;
  responses: OcspSingleResponse[];
  tbs: Buffer;
  signatureAlgorithm: AlgorithmIdentifier;
  signature: Buffer;
  certificates: Buffer[];
}

const STATUS_NAMES = ['successful', 'malformedRequest', 'internalError', 'tryLater', '(4)', 'sigRequired', 'unauthorized'];
const SHA1 = '1.3.14.3.2.26';

/** An OCSPResponse with a BasicOCSPResponse inside; throws Asn1Error for anything else. */
export function parseOcspResponse(der: Buffer): OcspResponse {
  const top = SequenceReader.of(parseDer(der, 'OCSPResponse'), 'OCSPResponse');
  const statusNode = top.next('responseStatus');
  if (!isUniversal(statusNode, Tag.ENUMERATED)) throw new Asn1Error('OCSPResponse: responseStatus is not ENUMERATED');
  const status = contentBytes(statusNode, 'responseStatus')[0] ?? 255;
  if (status !== 0) throw new Asn1Error(`OCSPResponse: status ${STATUS_NAMES[status] ?? status}, not successful`);
  const bytesNode = top.optionalContext(0);
  if (!bytesNode) throw new Asn1Error('OCSPResponse: no responseBytes');
  const [type, response] = sequenceOf(childrenOf(bytesNode, 'responseBytes')[0], 'ResponseBytes');
  if (oidOf(type, 'responseType') !== OID.ocspBasic) throw new Asn1Error('OCSPResponse: not a BasicOCSPResponse');
  const basic = SequenceReader.of(parseDer(octetsOf(response, 'response'), 'BasicOCSPResponse'), 'BasicOCSPResponse');
  const tbsNode = basic.next('tbsResponseData');
  const signatureAlgorithm = parseAlgorithmIdentifier(basic.next('signatureAlgorithm'), 'signatureAlgorithm');
  const signature = bitStringOf(basic.next('signature'), 'signature').bytes;
  const certsNode = basic.optionalContext(0);
  const certificates = certsNode ? sequenceOf(childrenOf(certsNode, 'certs')[0], 'certs').map((certificate) => toDer(certificate)) : [];
  const data = SequenceReader.of(tbsNode, 'ResponseData');
  data.optionalContext(0); // version v1
  const responderNode = data.next('responderID');
  const responder = isContext(responderNode, 1)
    ? { byName: parseName(childrenOf(responderNode, 'byName')[0], 'responderID') }
    : isContext(responderNode, 2)
      ? { byKey: octetsOf(childrenOf(responderNode, 'byKey')[0], 'responderID') }
      : undefined;
  if (!responder) throw new Asn1Error('ResponseData: responderID is neither byName nor byKey');
  const producedAt = timeOf(data.next('producedAt'), 'producedAt');
  const responses = sequenceOf(data.next('responses'), 'responses').map(parseSingleResponse);
  return {
    der,
    sha256: createHash('sha256').update(der).digest('hex'),
    responder,
    producedAt,
    responses,
    tbs: toDer(tbsNode),
    signatureAlgorithm,
    signature,
    certificates,
  };
}

function parseSingleResponse(node: Asn1Node): OcspSingleResponse {
  const fields = SequenceReader.of(node, 'SingleResponse');
  const certId = SequenceReader.of(fields.next('certID'), 'CertID');
  const hashOid = parseAlgorithmIdentifier(certId.next('hashAlgorithm'), 'CertID hashAlgorithm').oid;
  const issuerNameHash = octetsOf(certId.next('issuerNameHash'), 'issuerNameHash');
  const issuerKeyHash = octetsOf(certId.next('issuerKeyHash'), 'issuerKeyHash');
  const serial = integerBytesOf(certId.next('serialNumber'), 'CertID serialNumber');
  const statusNode = fields.next('certStatus');
  let status: OcspSingleResponse['status'];
  let revokedAt: Date | undefined;
  if (isContext(statusNode, 0)) status = 'good';
  else if (isContext(statusNode, 1)) {
    status = 'revoked';
    revokedAt = timeOf(childrenOf(statusNode, 'revoked')[0], 'revocationTime');
  } else if (isContext(statusNode, 2)) status = 'unknown';
  else throw new Asn1Error('SingleResponse: certStatus is not good, revoked or unknown');
  const thisUpdate = timeOf(fields.next('thisUpdate'), 'thisUpdate');
  const next = fields.optionalContext(0);
  return { hashOid, issuerNameHash, issuerKeyHash, serial, status, revokedAt, thisUpdate, nextUpdate: next ? timeOf(childrenOf(next, 'nextUpdate')[0], 'nextUpdate') : undefined };
}

/** Does this CertID name `certificate` as issued by `issuer` (name hash, key hash, serial)? */
export function certIdMatches(single: OcspSingleResponse, certificate: Certificate, issuer: Certificate): boolean {
  const hash = single.hashOid === SHA1 ? 'sha1' : HASH_BY_OID[single.hashOid];
  if (!hash) return false;
  const nameHash = createHash(hash).update(issuer.subject.der).digest();
  const keyHash = createHash(hash).update(subjectPublicKeyBits(issuer)).digest();
  return single.serial.equals(certificate.serial) && single.issuerNameHash.equals(nameHash) && single.issuerKeyHash.equals(keyHash);
}

/** The subjectPublicKey BIT STRING's bits, which the CertID's issuerKeyHash hashes. */
function subjectPublicKeyBits(certificate: Certificate): Buffer {
  const spki = sequenceOf(parseDer(certificate.x509.publicKey.export({ type: 'spki', format: 'der' }), 'SPKI'), 'SPKI');
  return bitStringOf(spki[1], 'subjectPublicKey').bytes;
}

/** A responder whose key signed the response, judged by the trusted lists as an OCSP/QC service at producedAt. */
function listedResponder(response: OcspResponse, responders: Certificate[], lists: TrustedList[]): { responder: Certificate; judgement: ServiceJudgement } | undefined {
  const responder = responders.find((candidate) => {
    const scheme = resolveScheme(response.signatureAlgorithm, candidate.x509.publicKey);
    return scheme.ok && verifySignature(response.tbs, response.signature, candidate.x509.publicKey, scheme.scheme);
  });
  return responder ? { responder, judgement: judgeService(lists, responder, 'ocsp', response.producedAt) } : undefined;
}

/** Who signed the response: the CA itself, or a responder it issued with id-kp-OCSPSigning; undefined when neither verifies. */
function authorizedSigner(response: OcspResponse, issuer: Certificate, responders: Certificate[]): { signer?: Certificate; problem?: string } {
  const verifiesWith = (certificate: Certificate): boolean => {
    const scheme = resolveScheme(response.signatureAlgorithm, certificate.x509.publicKey);
    return scheme.ok && verifySignature(response.tbs, response.signature, certificate.x509.publicKey, scheme.scheme);
  };
  if (verifiesWith(issuer)) return { signer: issuer };
  for (const responder of responders) {
    if (!verifiesWith(responder)) continue;
    if (!issuedBy(responder, issuer)) return { problem: `the responder ${responder.subject.display} was not issued by ${issuer.subject.display}` };
    if (!(responder.x509.keyUsage ?? []).includes(OID.kpOcspSigning)) return { problem: `the responder ${responder.subject.display} lacks id-kp-OCSPSigning` };
    return { signer: responder };
  }
  return { problem: `neither ${issuer.subject.display} nor an OCSP responder it authorized signed the response` };
}

export interface OcspJudgement {
  status: OcspSingleResponse['status'];
  revokedAt?: Date;
  valid: boolean;
  /** Signed by an authorized responder and fresh: its status (good or revoked) may stand in for a CRL's. */
  statusKnown: boolean;
  evidence: OcspEvidence;
}

/**
 * Judges the responses about `certificate` (issued by `issuer`) as of `reference` (the timestamp's
 * genTime, or the claimed signing time). Returns undefined, and adds no check, when none names it.
 */
export function checkOcsp(
  checks: CheckList,
  responses: OcspResponse[],
  certificate: Certificate,
  issuer: Certificate,
  options: { reference: Date; now: Date; maxAgeSeconds: number; skewSeconds: number; trustedLists?: TrustedList[] },
): OcspJudgement | undefined {
  const who = certificate.subject.display;
  for (const response of responses) {
    const single = response.responses.find((candidate) => certIdMatches(candidate, certificate, issuer));
    if (!single) continue;
    const start = checks.checks.length;
    checks.pass('OCSP_FOR_OTHER_CERT', `the OCSP response names ${who} (serial ${certificate.serialHex})`);
    const responders = readCertificates(new CheckList(), response.certificates);
    const authorized = authorizedSigner(response, issuer, responders);
    let signer = authorized.signer;
    const viaList = !signer && options.trustedLists?.length ? listedResponder(response, responders, options.trustedLists) : undefined;
    if (signer) {
      checks.pass('OCSP_NOT_AUTHORIZED', `the OCSP response is signed by ${signer === issuer ? 'the issuing CA' : `${signer.subject.display}, authorized by it`}`);
    } else if (viaList?.judgement.ok) {
      signer = viaList.responder;
      checks.pass('OCSP_NOT_AUTHORIZED', `the OCSP response is signed by ${signer.subject.display}, an OCSP/QC service of the trusted list granted at ${response.producedAt.toISOString()}`);
    } else if (viaList && !viaList.judgement.ok) {
      checks.fail(viaList.judgement.code, viaList.judgement.detail);
    } else {
      checks.fail('OCSP_NOT_AUTHORIZED', authorized.problem ?? 'the OCSP response is not signed by an authorized responder');
    }
    const oldest = options.reference.getTime() - options.maxAgeSeconds * 1000;
    let fresh = false;
    if (single.thisUpdate.getTime() > options.now.getTime() + options.skewSeconds * 1000) {
      checks.fail('OCSP_STALE', `the OCSP response's thisUpdate ${single.thisUpdate.toISOString()} is later than the time of verification`);
    } else if (single.thisUpdate.getTime() < oldest) {
      checks.fail('OCSP_STALE', `the OCSP response of ${single.thisUpdate.toISOString()} is older than ${options.maxAgeSeconds} s before ${options.reference.toISOString()}`);
    } else {
      fresh = true;
      checks.pass('OCSP_STALE', `the OCSP response of ${single.thisUpdate.toISOString()} is fresh for ${options.reference.toISOString()}`);
    }
    if (single.status === 'revoked' && single.revokedAt && single.revokedAt.getTime() <= options.reference.getTime()) {
      checks.fail('CERT_REVOKED', `OCSP: ${who} was revoked on ${single.revokedAt.toISOString()}`);
    } else if (single.status === 'unknown') {
      checks.fail('REVOCATION_UNKNOWN', `OCSP: the responder does not know ${who}`);
    } else {
      checks.pass('CERT_REVOKED', single.status === 'good' ? `OCSP: ${who} is good` : `OCSP: ${who} was revoked only on ${single.revokedAt?.toISOString()}, after ${options.reference.toISOString()}`);
    }
    const valid = !checks.checks.slice(start).some((check) => !check.ok);
    return {
      status: single.status,
      revokedAt: single.revokedAt,
      valid,
      statusKnown: !!signer && fresh && single.status !== 'unknown',
      evidence: {
        certificate: certificate.subject.text,
        serialNumber: certificate.serialHex,
        status: single.status,
        producedAt: response.producedAt.toISOString(),
        thisUpdate: single.thisUpdate.toISOString(),
        responder: signer?.subject.text ?? (response.responder.byName?.text ?? response.responder.byKey?.toString('hex') ?? ''),
        valid,
        sha256: response.sha256,
        responseB64: response.der.toString('base64'),
      },
    };
  }
  return undefined;
}
