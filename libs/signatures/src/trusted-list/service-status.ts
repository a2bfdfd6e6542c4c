/**
 * A trust service judged as of a time (the signing time, a timestamp's genTime): the status in
 * force then is the one, current or historical, with the latest start not after that time. A
 * service granted later, or withdrawn before, did not vouch for what was done then.
 */
import { Certificate } from '../certificate';
import { issuedBy } from '../chain';
import { CheckCode } from '../verdict';
import { SERVICE_TYPE, ServiceState, TrustedList, TrustService } from './trusted-list';

/** Statuses under which a service is trusted: TS 119 612 v2 "granted" and its national/v1 equivalents. */
const GRANTED = new Set(
  [
    'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted',
    'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/recognisedatnationallevel',
    'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/undersupervision',
    'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/supervisionincessation',
    'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/accredited',
    'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/setbynationallaw',
    'http://uri.etsi.org/TrstSvc/Svcstatus/undersupervision',
    'http://uri.etsi.org/TrstSvc/Svcstatus/supervisionincessation',
    'http://uri.etsi.org/TrstSvc/Svcstatus/accredited',
    'http://uri.etsi.org/TrstSvc/Svcstatus/setbynationallaw',
  ],
);

/** Qualifiers by which a CA/QC service says a certificate is not (or not on a QSCD) qualified. */
const NOT_QUALIFIED_QUALIFIERS = new Set([
  'http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/NotQualified',
  'http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/QCNoQSCD',
  'http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/QCNoSSCD',
]);

export type ServiceStatusAt =
  /** Trusted at that time; `state` is the status in force. */
  | { status: 'granted'; state: ServiceState }
  /** Listed, with a status other than granted (withdrawn, revoked, ceased) in force. */
  | { status: 'withdrawn'; state: ServiceState }
  /** Every status of the service starts after that time. */
  | { status: 'not-yet-listed' };

export function stateAt(service: TrustService, at: Date): ServiceState | undefined {
  return [service.current, ...service.history]
    .filter((state) => state.startedAt.getTime() <= at.getTime())
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())[0];
}

export function isGranted(status: string): boolean {
  return GRANTED.has(status);
}

export function serviceStatusAt(service: TrustService, at: Date): ServiceStatusAt {
  const state = stateAt(service, at);
  if (!state) return { status: 'not-yet-listed' };
  return { status: isGranted(state.status) ? 'granted' : 'withdrawn', state };
}

export interface TrustFromLists {
  /** Certificates of CA/QC services granted at the time: trust anchors for signing certificates. */
  caCertificates: Certificate[];
  /** Certificates of TSA/QTST services granted at the time: the qualified TSA set. */
  tsaCertificates: Certificate[];
  /** Certificates of OCSP/QC services granted at the time. */
  ocspCertificates: Certificate[];
  /** SHA-256 of every list consulted, for the evidence. */
  lists: string[];
}

/** The certificates each kind of qualified service vouched for at `at`, from every list given. */
export function trustFromLists(lists: readonly TrustedList[], at: Date): TrustFromLists {
  const inForce = (type: string): Certificate[] => {
    const seen = new Set<string>();
    return lists
      .flatMap((list) => list.services)
      .filter((service) => {
        const state = stateAt(service, at);
        return state !== undefined && state.type === type && isGranted(state.status);
      })
      .flatMap((service) => service.certificates)
      .filter((certificate) => !seen.has(certificate.sha256) && seen.add(certificate.sha256) !== undefined);
  };
  return {
    caCertificates: inForce(SERVICE_TYPE.caQc),
    tsaCertificates: inForce(SERVICE_TYPE.tsaQtst),
    ocspCertificates: inForce(SERVICE_TYPE.ocspQc),
    lists: lists.map((list) => list.sha256),
  };
}

/** What a service is asked to vouch for: a signer's certificate (its CA/QC), a TSA's, an OCSP responder's. */
export type ServiceRole = 'signer' | 'tsa' | 'ocsp';

const ROLE_TYPE: Record<ServiceRole, string> = { signer: SERVICE_TYPE.caQc, tsa: SERVICE_TYPE.tsaQtst, ocsp: SERVICE_TYPE.ocspQc };
const NOT_LISTED: Record<ServiceRole, CheckCode> = { signer: 'CHAIN_UNTRUSTED', tsa: 'TSA_NOT_TRUSTED', ocsp: 'OCSP_NOT_AUTHORIZED' };
const NOT_QUALIFIED: Record<ServiceRole, CheckCode> = { signer: 'NOT_QUALIFIED', tsa: 'TSA_NOT_QUALIFIED', ocsp: 'OCSP_NOT_AUTHORIZED' };

export type ServiceJudgement =
  | { ok: true; service: TrustService; state: ServiceState; list: string }
  | { ok: false; code: CheckCode; detail: string };

/**
 * Judges `certificate` for `role` at `at` against the lists: a service vouches for it when one of
 * its X509Certificate identities is the certificate itself or issued it (name and signature). The
 * certificate of `path` (the CAs above it) may be the identity as well. The
 * best finding counts: granted with the right type, then listed but not granted then, then listed
 * as another (or a non-qualified) type, then not listed. A signer's certificate is qualified only
 * when its CA/QC service was granted both when the certificate was issued (its notBefore: what
 * the certificate's qualification rests on) and at the signing time.
 */
export function judgeService(lists: readonly TrustedList[], certificate: Certificate, role: ServiceRole, at: Date, path: readonly Certificate[] = []): ServiceJudgement {
  const matches = lists.flatMap((list) => list.services.filter((service) => vouchesFor(service, certificate, path)).map((service) => ({ list, service })));
  if (role === 'signer') {
    const issued = judgeAt(matches, certificate, role, certificate.notBefore, 'when the certificate was issued');
    if (!issued.ok) return issued;
  }
  return judgeAt(matches, certificate, role, at, 'at the signing time');
}

function judgeAt(matches: { list: TrustedList; service: TrustService }[], certificate: Certificate, role: ServiceRole, at: Date, moment: string): ServiceJudgement {
  const wanted = ROLE_TYPE[role];
  const when = `${moment} (${at.toISOString()})`;
  let best: ServiceJudgement = { ok: false, code: NOT_LISTED[role], detail: `no service of the trusted list(s) has ${certificate.subject.display} or its issuer as its identity` };
  let rank = 0;
  const consider = (judgement: ServiceJudgement, r: number): void => {
    if (r > rank) [best, rank] = [judgement, r];
  };
  for (const { list, service } of matches) {
    const found = serviceStatusAt(service, at);
    const label = `service ${JSON.stringify(service.name)} (list ${list.territory} #${list.sequenceNumber})`;
    if (found.status === 'not-yet-listed') {
      if (service.current.type === wanted) consider({ ok: false, code: 'SERVICE_NOT_GRANTED_AT_SIGNING_TIME', detail: `${label} had no status yet ${when}` }, 3);
      else consider({ ok: false, code: NOT_QUALIFIED[role], detail: `${label} is of type ${service.current.type}, not ${wanted}` }, 2);
      continue;
    }
    const { state } = found;
    if (state.type !== wanted) {
      consider({ ok: false, code: NOT_QUALIFIED[role], detail: `${label} was of type ${state.type} ${when}, not ${wanted}` }, 2);
    } else if (found.status === 'withdrawn') {
      consider({ ok: false, code: 'SERVICE_NOT_GRANTED_AT_SIGNING_TIME', detail: `${label} had status ${state.status} (from ${state.startedAt.toISOString()}) ${when}` }, 3);
    } else {
      const denial = role === 'signer' ? qualifierDenial(state, certificate) : undefined;
      if (denial) consider({ ok: false, code: 'NOT_QUALIFIED', detail: `${label} said of this certificate ${when}: ${denial}` }, 4);
      else consider({ ok: true, service, state, list: list.sha256 }, 5);
    }
  }
  return best;
}

/** A qualifier of the service in force that says this certificate is not qualified (or not on a QSCD). */
export function qualifierDenial(state: ServiceState, certificate: Certificate): string | undefined {
  for (const qualification of state.qualifications) {
    const denied = qualification.qualifiers.find((qualifier) => NOT_QUALIFIED_QUALIFIERS.has(qualifier));
    if (denied && criteriaMatch(qualification.criteria, certificate)) return denied.split('/').pop();
  }
  return undefined;
}

function criteriaMatch(criteria: TrustedListCriteria, certificate: Certificate): boolean {
  if (criteria.unsupported) return false;
  const usage = certificate.extensions.keyUsage ?? new Set<string>();
  const results = [
    ...criteria.keyUsage.map((bits) => Object.entries(bits).every(([name, value]) => usage.has(name as never) === value)),
    ...criteria.policySets.map((set) => set.every((oid) => certificate.extensions.policies.includes(oid))),
  ];
  if (results.length === 0) return false;
  if (criteria.assert === 'all') return results.every(Boolean);
  if (criteria.assert === 'atLeastOne') return results.some(Boolean);
  return !results.some(Boolean);
}

type TrustedListCriteria = ServiceState['qualifications'][number]['criteria'];

/** The service's identity is the certificate, its issuer, or a CA of the certificate's path (a listed root over an issuing CA). */
function vouchesFor(service: TrustService, certificate: Certificate, path: readonly Certificate[]): boolean {
  return service.certificates.some((identity) => identity.der.equals(certificate.der) || issuedBy(certificate, identity) || path.some((ca) => ca.der.equals(identity.der)));
}
