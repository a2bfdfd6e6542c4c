/**
 * A trusted list (ETSI TS 119 612): who runs which trust service, with which certificates, and
 * the service's status over time (the current one and its history). Read only after its signature
 * verified against a configured signer certificate.
 */
import type { Element } from '@xmldom/xmldom';
import { createHash } from 'node:crypto';
import { Certificate, parseCertificate } from '../certificate';
import { base64Of, child, childElements, children, descendants, parseXml, textOf, XmlProblem } from '../xades/safe-xml';
import { CheckCode } from '../verdict';
import { ListSignature, ListSignatureProblem, verifyListSignature } from './list-signature';

export const TSL_NS = 'http://uri.etsi.org/02231/v2#';
const ECC_NS = 'http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#';

export const SERVICE_TYPE = {
  caQc: 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC',
  tsaQtst: 'http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST',
  ocspQc: 'http://uri.etsi.org/TrstSvc/Svctype/Certstatus/OCSP/QC',
} as const;

/** A qualifier of a CA/QC service (QCWithQSCD, QCNoQSCD, QCStatement, NotQualified, …) and the certificates it applies to. */
export interface Qualification {
  qualifiers: string[];
  criteria: QualificationCriteria;
}

export interface QualificationCriteria {
  assert: 'all' | 'atLeastOne' | 'none';
  /** Each KeyUsage criterion: bit name → required value. */
  keyUsage: Record<string, boolean>[];
  /** Each PolicySet: every OID in it must be among the certificate's policies. */
  policySets: string[][];
  /** Criteria of kinds this reader does not evaluate (e.g. otherCriteriaList): the qualification then applies to no certificate. */
  unsupported: boolean;
}

/** The service as it was from `startedAt`: its current information, or one ServiceHistoryInstance. */
export interface ServiceState {
  type: string;
  status: string;
  startedAt: Date;
  qualifications: Qualification[];
  /** AdditionalServiceInformation URIs (e.g. …/SvcInfoExt/ForeSignatures). */
  additionalInformation: string[];
}

export interface TrustService {
  provider: string;
  name: string;
  /** The service's X509Certificate digital identities. */
  certificates: Certificate[];
  /** Its X509SubjectName identities, as written. */
  subjectNames: string[];
  current: ServiceState;
  /** ServiceHistoryInstance entries, as listed (newest first by convention, not relied upon). */
  history: ServiceState[];
}

export interface TrustedList {
  territory: string;
  sequenceNumber: number;
  issuedAt: Date;
  /** Absent when the list says it is closed (no further update). */
  nextUpdate?: Date;
  services: TrustService[];
  /** SHA-256 of the list's bytes: what evidence names and the archive stores it under. */
  sha256: string;
  /** The list as read, for the content-addressed archive. */
  xml: Buffer;
  /** The configured signer that verified the list; absent for a version read back from the archive by its hash. */
  signature?: ListSignature;
}

/** A trusted list refused: its signature (TRUSTED_LIST_SIGNATURE_INVALID) or its content (MALFORMED, XML_FORBIDDEN). */
export class TrustedListProblem extends Error {
  constructor(
    readonly code: CheckCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ReadTrustedListOptions {
  /** The certificates the list may be signed by (configured, never taken from the list itself). */
  signers: readonly Certificate[];
}

/** Reads a trusted list whose signature verifies with one of `signers`; throws TrustedListProblem otherwise. */
export function readTrustedList(xml: Buffer, options: ReadTrustedListOptions): TrustedList {
  try {
    const signature = verifyListSignature(xml, options.signers);
    return { ...readContent(xml), sha256: createHash('sha256').update(xml).digest('hex'), xml, signature };
  } catch (error) {
    if (error instanceof ListSignatureProblem) throw new TrustedListProblem('TRUSTED_LIST_SIGNATURE_INVALID', `the trusted list's signature is refused: ${error.message}`);
    if (error instanceof XmlProblem) throw new TrustedListProblem(error.code, error.message);
    if (error instanceof TrustedListProblem) throw error;
    throw new TrustedListProblem('MALFORMED', `the trusted list cannot be read: ${(error as Error).message}`);
  }
}

/**
 * A list version read back from the content-addressed archive for re-verification: trusted by its
 * SHA-256, which the evidence recorded after its signature verified (the signer certificate may
 * have been replaced since). Throws TrustedListProblem when the bytes are not the ones named.
 */
export function readArchivedTrustedList(xml: Buffer, sha256: string): TrustedList {
  const actual = createHash('sha256').update(xml).digest('hex');
  if (actual !== sha256) throw new TrustedListProblem('EVIDENCE_MISMATCH', `the archived trusted list ${sha256} has other bytes (${actual})`);
  try {
    return { ...readContent(xml), sha256, xml };
  } catch (error) {
    if (error instanceof TrustedListProblem) throw error;
    throw new TrustedListProblem('MALFORMED', `the archived trusted list ${sha256} cannot be read: ${(error as Error).message}`);
  }
}

function readContent(xml: Buffer): Omit<TrustedList, 'sha256' | 'xml' | 'signature'> {
  const root = parseXml(xml, 'the trusted list').documentElement as unknown as Element;
  if (root.namespaceURI !== TSL_NS || root.localName !== 'TrustServiceStatusList') throw new TrustedListProblem('MALFORMED', 'the root is not a TS 119 612 TrustServiceStatusList');
  const scheme = required(child(root, TSL_NS, 'SchemeInformation'), 'SchemeInformation');
  const sequenceNumber = Number(textOf(child(scheme, TSL_NS, 'TSLSequenceNumber')).trim());
  if (!Number.isInteger(sequenceNumber) || sequenceNumber < 1) throw new TrustedListProblem('MALFORMED', 'TSLSequenceNumber is not a positive integer');
  const nextUpdate = textOf(child(child(scheme, TSL_NS, 'NextUpdate'), TSL_NS, 'dateTime')).trim();
  const services: TrustService[] = [];
  for (const provider of children(child(root, TSL_NS, 'TrustServiceProviderList') ?? root, TSL_NS, 'TrustServiceProvider')) {
    const providerName = firstName(child(child(provider, TSL_NS, 'TSPInformation'), TSL_NS, 'TSPName'));
    for (const service of children(child(provider, TSL_NS, 'TSPServices') ?? provider, TSL_NS, 'TSPService')) {
      services.push(readService(providerName, service));
    }
  }
  return {
    territory: textOf(child(scheme, TSL_NS, 'SchemeTerritory')).trim(),
    sequenceNumber,
    issuedAt: dateOf(child(scheme, TSL_NS, 'ListIssueDateTime'), 'ListIssueDateTime'),
    nextUpdate: nextUpdate ? dateOf(child(child(scheme, TSL_NS, 'NextUpdate'), TSL_NS, 'dateTime'), 'NextUpdate') : undefined,
    services,
  };
}

function readService(provider: string, service: Element): TrustService {
  const information = required(child(service, TSL_NS, 'ServiceInformation'), 'ServiceInformation');
  const name = firstName(child(information, TSL_NS, 'ServiceName'));
  const identities = childElements(child(information, TSL_NS, 'ServiceDigitalIdentity') ?? information).filter((e) => e.localName === 'DigitalId');
  const certificates = identities
    .flatMap((id) => children(id, TSL_NS, 'X509Certificate'))
    .map((element) => {
      const der = base64Of(element);
      if (!der) throw new TrustedListProblem('MALFORMED', `service ${JSON.stringify(name)}: an X509Certificate is not base64`);
      return parseCertificate(der);
    });
  const subjectNames = identities.flatMap((id) => children(id, TSL_NS, 'X509SubjectName')).map((element) => textOf(element).trim());
  const history = children(child(service, TSL_NS, 'ServiceHistory') ?? service, TSL_NS, 'ServiceHistoryInstance').map((instance) => readState(instance, name));
  return { provider, name, certificates, subjectNames, current: readState(information, name), history };
}

function readState(element: Element, service: string): ServiceState {
  const type = textOf(child(element, TSL_NS, 'ServiceTypeIdentifier')).trim();
  const status = textOf(child(element, TSL_NS, 'ServiceStatus')).trim();
  if (!type || !status) throw new TrustedListProblem('MALFORMED', `service ${JSON.stringify(service)}: a ServiceTypeIdentifier or ServiceStatus is missing`);
  const extensions = child(element, TSL_NS, 'ServiceInformationExtensions');
  return {
    type,
    status,
    startedAt: dateOf(child(element, TSL_NS, 'StatusStartingTime'), `StatusStartingTime of ${JSON.stringify(service)}`),
    qualifications: extensions ? descendants(extensions, ECC_NS, 'QualificationElement').map(readQualification) : [],
    additionalInformation: extensions
      ? descendants(extensions, TSL_NS, 'AdditionalServiceInformation').map((info) => textOf(child(info, TSL_NS, 'URI')).trim()).filter((uri) => uri !== '')
      : [],
  };
}

function readQualification(element: Element): Qualification {
  const qualifiers = descendants(element, ECC_NS, 'Qualifier').map((q) => q.getAttribute('uri') ?? '').filter((uri) => uri !== '');
  const list = child(element, ECC_NS, 'CriteriaList');
  return { qualifiers, criteria: list ? readCriteria(list) : { assert: 'all', keyUsage: [], policySets: [], unsupported: true } };
}

function readCriteria(list: Element): QualificationCriteria {
  const assert = list.getAttribute('assert');
  const criteria: QualificationCriteria = {
    assert: assert === 'atLeastOne' || assert === 'none' ? assert : 'all',
    keyUsage: [],
    policySets: [],
    unsupported: false,
  };
  for (const element of childElements(list)) {
    if (element.localName === 'KeyUsage') {
      const bits: Record<string, boolean> = {};
      for (const bit of children(element, ECC_NS, 'KeyUsageBit')) bits[bit.getAttribute('name') ?? ''] = textOf(bit).trim() === 'true';
      criteria.keyUsage.push(bits);
    } else if (element.localName === 'PolicySet') {
      criteria.policySets.push(children(element, ECC_NS, 'PolicyIdentifier').map((policy) => textOf(childElements(policy)[0]).trim().replace(/^urn:oid:/, '')));
    } else if (element.localName === 'Description') {
      continue;
    } else {
      // A nested CriteriaList or an otherCriteriaList (extended key usage, …): not evaluated here.
      criteria.unsupported = true;
    }
  }
  return criteria;
}

function firstName(parent: Element | undefined): string {
  return textOf(parent ? children(parent, TSL_NS, 'Name')[0] : undefined).trim();
}

function required(element: Element | undefined, name: string): Element {
  if (!element) throw new TrustedListProblem('MALFORMED', `the trusted list has no ${name}`);
  return element;
}

function dateOf(element: Element | undefined, what: string): Date {
  const text = textOf(element).trim();
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? new Date(text) : undefined;
  if (!at || Number.isNaN(at.getTime())) throw new TrustedListProblem('MALFORMED', `${what} is not an xsd:dateTime with a zone`);
  return at;
}
