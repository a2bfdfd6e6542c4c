/**
 * Trusted lists as a source of trust for verification: their CA/QC identities are anchors for
 * signing certificates and their TSA/QTST identities for timestamps, each judged at the time it
 * speaks for (the signing time, the genTime) rather than at load time, so a service withdrawn
 * before a signature, or granted after it, does not vouch for it.
 */
import { readFileSync } from 'node:fs';
import { Certificate, parseCertificate } from '../certificate';
import { derBlocks, TrustAnchor } from '../trust-store';
import { CheckList, TrustedListEvidence } from '../verdict';
import { judgeService, ServiceRole } from './service-status';
import { readTrustedList, SERVICE_TYPE, TrustedList } from './trusted-list';

/** TRUSTED_LIST_FILE verified with the certificates of TRUSTED_LIST_SIGNER_CERT (PEM, one or more, or DER). */
export function loadTrustedListFile(file: string, signerCertFile: string): TrustedList {
  const signers = derBlocks(readFileSync(signerCertFile), 'CERTIFICATE').map((der) => parseCertificate(der));
  return readTrustedList(readFileSync(file), { signers });
}

/** A list is read once and used for every verification until the next reload: its anchors are worked out once. */
const anchorsOfList = new WeakMap<TrustedList, Map<string, TrustAnchor[]>>();

/** Every certificate a list names for services of `type` (at any time: the status is judged per use). */
function identities(lists: readonly TrustedList[], type: string): TrustAnchor[] {
  const seen = new Map<string, TrustAnchor>();
  for (const list of lists) for (const anchor of identitiesOf(list, type)) if (!seen.has(anchor.sha256)) seen.set(anchor.sha256, anchor);
  return [...seen.values()];
}

function identitiesOf(list: TrustedList, type: string): TrustAnchor[] {
  const byType = anchorsOfList.get(list) ?? new Map<string, TrustAnchor[]>();
  anchorsOfList.set(list, byType);
  const known = byType.get(type);
  if (known) return known;
  const source = `trusted list ${list.territory} #${list.sequenceNumber}`;
  const anchors = list.services
    .filter((service) => [service.current, ...service.history].some((state) => state.type === type))
    .flatMap((service) => service.certificates)
    .map((certificate): TrustAnchor => ({ certificate, sha256: certificate.sha256, subject: certificate.subject.text, source }));
  byType.set(type, anchors);
  return anchors;
}

/** Anchors for signing certificates: the CA/QC services' certificates. */
export const listedCaAnchors = (lists: readonly TrustedList[]): TrustAnchor[] => identities(lists, SERVICE_TYPE.caQc);

/** Anchors for TSA certificates: the TSA/QTST services' certificates. */
export const listedTsaAnchors = (lists: readonly TrustedList[]): TrustAnchor[] => identities(lists, SERVICE_TYPE.tsaQtst);

/** Anchors of `lists` merged into `anchors`, each certificate once. */
export function withListed(anchors: readonly TrustAnchor[], listed: readonly TrustAnchor[]): TrustAnchor[] {
  const known = new Set(anchors.map((anchor) => anchor.sha256));
  return [...anchors, ...listed.filter((anchor) => !known.has(anchor.sha256))];
}

/**
 * Records the lists' judgement of `certificate` for `role` at `at`: SERVICE_NOT_GRANTED_AT_SIGNING_TIME
 * passes when a granted service of the right type vouched for it; otherwise the judgement's code fails.
 */
export function checkListedService(checks: CheckList, lists: readonly TrustedList[], certificate: Certificate, role: ServiceRole, at: Date, path: readonly Certificate[] = []): boolean {
  const judgement = judgeService(lists, certificate, role, at, path);
  if (judgement.ok) {
    checks.pass('SERVICE_NOT_GRANTED_AT_SIGNING_TIME', `${judgement.service.name} (${judgement.service.current.type.split('/').slice(-2).join('/')}) was granted at ${at.toISOString()}`);
    return true;
  }
  checks.fail(judgement.code, judgement.detail);
  return false;
}

export function trustedListEvidence(list: TrustedList): TrustedListEvidence {
  return { territory: list.territory, sequenceNumber: list.sequenceNumber, issuedAt: list.issuedAt.toISOString(), sha256: list.sha256 };
}
