import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Certificate, certificateDer, parseCertificate } from '../certificate';
import { ExaminedSignature } from '../long-term';
import { parseOcspResponse } from '../ocsp';
import { parseTimestampToken } from '../timestamp-token';
import { verifySignature } from '../verify';
import { judgeService, ServiceRole, serviceStatusAt, trustFromLists } from './service-status';
import { readTrustedList, SERVICE_TYPE, TrustedList, TrustedListProblem } from './trusted-list';

const dir = '/work/shared/interop/libdigidocpp';
const fixture = (name: string): Buffer => readFileSync(join(dir, name));
const tslSigner = parseCertificate(certificateDer(fixture('TSL.crt')));
/** The EE_T lists (and their variants) are signed by TSL.crt too: TSL.xml, a list of lists, points at them with it. */
const list = (name: string): TrustedList => readTrustedList(fixture(name), { signers: [tslSigner] });
const SIGNING_TIME = new Date('2016-11-28T13:46:41Z');

function refusal(run: () => unknown): TrustedListProblem {
  try {
    run();
  } catch (error) {
    if (error instanceof TrustedListProblem) return error;
    throw error;
  }
  throw new Error('the list was accepted');
}

describe('reading a trusted list (ETSI TS 119 612) and verifying its signature', () => {
  it('TSL.xml verifies with TSL.crt; its scheme information is read', () => {
    const list = readTrustedList(fixture('TSL.xml'), { signers: [tslSigner] });
    expect(list.signature?.signer.sha256).toBe(tslSigner.sha256);
    expect(list.signature?.algorithm).toBe('RSA PKCS#1 v1.5 with SHA-256');
    expect({ territory: list.territory, sequenceNumber: list.sequenceNumber, issuedAt: list.issuedAt.toISOString(), nextUpdate: list.nextUpdate?.toISOString() }).toEqual({
      territory: 'EE',
      sequenceNumber: 4,
      issuedAt: '2020-06-03T12:06:01.000Z',
      nextUpdate: '2027-08-21T23:00:00.000Z',
    });
    expect(list.sha256).toBe(createHash('sha256').update(fixture('TSL.xml')).digest('hex'));
  });

  it('TSL.xml with one byte of its content changed is refused (TRUSTED_LIST_SIGNATURE_INVALID)', () => {
    const bytes = Buffer.from(fixture('TSL.xml'));
    const at = bytes.indexOf('<TSLSequenceNumber>4<') + '<TSLSequenceNumber>'.length;
    bytes[at] = '5'.charCodeAt(0);
    const problem = refusal(() => readTrustedList(bytes, { signers: [tslSigner] }));
    expect(problem.code).toBe('TRUSTED_LIST_SIGNATURE_INVALID');
    expect(problem.message).toMatch(/digest differs/);
  });

  it('TSL.xml with its signature value changed is refused', () => {
    const text = fixture('TSL.xml').toString('utf8');
    const at = text.indexOf('<ds:SignatureValue') + text.slice(text.indexOf('<ds:SignatureValue')).indexOf('>') + 5;
    const changed = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    expect(refusal(() => readTrustedList(Buffer.from(changed), { signers: [tslSigner] })).code).toBe('TRUSTED_LIST_SIGNATURE_INVALID');
  });

  it('a list whose signer is not configured is refused, however well signed (the certificate it carries is not trusted by itself)', () => {
    const other = parseCertificate(certificateDer(fixture('ca.crt')));
    expect(refusal(() => readTrustedList(fixture('TSL.xml'), { signers: [other] })).code).toBe('TRUSTED_LIST_SIGNATURE_INVALID');
    expect(refusal(() => readTrustedList(fixture('TSL.xml'), { signers: [] })).code).toBe('TRUSTED_LIST_SIGNATURE_INVALID');
    expect(refusal(() => readTrustedList(fixture('EE_T.xml'), { signers: [other] })).code).toBe('TRUSTED_LIST_SIGNATURE_INVALID');
  });

  it('EE_T.xml (exclusive C14N, URI "") with one service status changed is refused', () => {
    const text = fixture('EE_T.xml').toString('utf8').replace('<StatusStartingTime>2016-06-30T22:00:00Z<', '<StatusStartingTime>2016-06-30T22:00:01Z<');
    expect(refusal(() => readTrustedList(Buffer.from(text), { signers: [tslSigner] })).code).toBe('TRUSTED_LIST_SIGNATURE_INVALID');
  });

  it('a list with a document type declaration is refused before it is parsed', () => {
    const text = fixture('TSL.xml').toString('utf8').replace('?>', '?><!DOCTYPE x [<!ENTITY a "b">]>');
    expect(refusal(() => readTrustedList(Buffer.from(text), { signers: [tslSigner] })).code).toBe('XML_FORBIDDEN');
  });

  it('EE_T.xml: every TSP service with its type, identities, status and history; CA/QC qualifiers and additional information', () => {
    const eeT = list('EE_T.xml');
    expect(eeT.signature?.signer.sha256).toBe(tslSigner.sha256);
    expect([eeT.territory, eeT.sequenceNumber, eeT.issuedAt.toISOString()]).toEqual(['EE_T', 34, '2026-05-11T12:22:20.000Z']);
    expect(eeT.services).toHaveLength(31);
    const ca = eeT.services.find((service) => service.name.startsWith('TEST of ESTEID-SK 2011'))!;
    expect(ca.current.type).toBe(SERVICE_TYPE.caQc);
    expect(ca.certificates.map((c) => c.subject.text)).toEqual([expect.stringContaining('TEST of ESTEID-SK 2011')]);
    expect(ca.current.status).toBe('http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted');
    expect(ca.current.startedAt.toISOString()).toBe('2016-06-30T22:00:00.000Z');
    expect(ca.current.additionalInformation).toEqual(['http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSignatures']);
    expect(ca.current.qualifications.map((q) => q.qualifiers)).toEqual([
      ['http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/QCWithQSCD'],
      ['http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/QCStatement'],
    ]);
    expect(ca.current.qualifications[0].criteria).toMatchObject({ assert: 'atLeastOne', keyUsage: [{ digitalSignature: true }, { nonRepudiation: true }], unsupported: false });
    expect(ca.history.map((h) => [h.status, h.startedAt.toISOString()])).toEqual([['http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/undersupervision', '2011-03-08T22:00:00.000Z']]);
  });
});

describe('a service judged as of a time', () => {
  const tsa = () => list('EE_T-TSA-withdrawn-granted-before.xml').services.find((service) => service.name === 'DEMO of SK TSA')!;

  it('withdrawn, then granted again: the status in force is the latest started by then', () => {
    // In this variant the TSA is withdrawn from 2016-06-30T22:00 and granted again from 2016-11-28T01:00.
    expect(serviceStatusAt(tsa(), new Date('2016-11-28T02:00:00Z')).status).toBe('granted');
    expect(serviceStatusAt(tsa(), new Date('2016-11-28T00:59:59Z')).status).toBe('withdrawn');
    expect(serviceStatusAt(tsa(), new Date('2000-01-01T00:00:00Z')).status).toBe('not-yet-listed');
  });

  it('trustFromLists gives the CA/QC, TSA/QTST and OCSP/QC certificates in force at the time', () => {
    const before = trustFromLists([list('EE_T-TSA-withdrawn-granted-before.xml')], new Date('2016-11-28T00:00:00Z'));
    const after = trustFromLists([list('EE_T-TSA-withdrawn-granted-before.xml')], new Date('2016-11-28T02:00:00Z'));
    const names = (certificates: Certificate[]) => certificates.map((c) => c.subject.text);
    expect(names(before.tsaCertificates)).not.toContainEqual(expect.stringContaining('DEMO of SK TSA'));
    expect(names(after.tsaCertificates)).toContainEqual(expect.stringContaining('DEMO of SK TSA'));
    expect(names(after.caCertificates)).toContainEqual(expect.stringContaining('TEST of ESTEID-SK 2011'));
    expect(names(after.caCertificates)).not.toContainEqual(expect.stringContaining('TSA'));
    expect(names(after.ocspCertificates)).toContainEqual(expect.stringContaining('TEST of SK OCSP RESPONDER 2011'));
    expect(after.lists).toEqual([list('EE_T-TSA-withdrawn-granted-before.xml').sha256]);
  });
});

/** The signer, TSA and OCSP responder certificates of tsl.asice, as the XAdES reader collects them. */
function tslAsiceCertificates(): Record<ServiceRole, Certificate> {
  let examined: ExaminedSignature | undefined;
  verifySignature(fixture('tsl.asice'), { json: Buffer.from('{}'), readable: { bytes: Buffer.from('test'), sha256: createHash('sha256').update('test').digest('hex') } }, {
    trustAnchors: [],
    crls: [],
    now: new Date('2016-11-28T14:00:00Z'),
    expectedPersonalCode: '',
    format: 'xades',
    longTerm: (_checks, signature) => void (examined = signature),
  });
  if (!examined?.signer) throw new Error('tsl.asice was not read');
  const token = parseTimestampToken(examined.longTerm.timestamps[0].token);
  const ocsp = parseOcspResponse(examined.longTerm.ocspResponses[0]);
  const tsa = token.signedData.certificates.map(parseCertificate).find((c) => !c.extensions.basicConstraints?.ca)!;
  const pool = [...examined.pool, ...examined.longTerm.certificates.map(parseCertificate), ...ocsp.certificates.map(parseCertificate)];
  const responder = pool.find((c) => c.subject.text.includes('OCSP'))!;
  return { signer: examined.signer, tsa, ocsp: responder };
}

describe('tsl.asice (signed 2016-11-28T13:46:41Z) judged against the upstream EE_T variants', () => {
  const certificates = tslAsiceCertificates();
  const verdict = (name: string, role: ServiceRole): string => {
    const judgement = judgeService([list(name)], certificates[role], role, SIGNING_TIME);
    return judgement.ok ? 'trusted' : judgement.code;
  };

  it('reads the signer, the TSA and the OCSP responder from the container', () => {
    expect(certificates.signer.issuer.text).toContain('TEST of ESTEID-SK 2011');
    expect(certificates.tsa.subject.text).toContain('TSA');
    expect(certificates.ocsp.subject.text).toContain('TEST of SK OCSP RESPONDER 2011');
  });

  it('EE_T.xml: the CA, the TSA and the OCSP responder are all granted at the signing time', () => {
    expect([verdict('EE_T.xml', 'signer'), verdict('EE_T.xml', 'tsa'), verdict('EE_T.xml', 'ocsp')]).toEqual(['trusted', 'trusted', 'trusted']);
  });

  // Each variant changes one service; the other two stay trusted. The CA variants move the CA/QC
  // service's status around the signer certificate's issuance (2013-04-23T11:49:30Z), which its
  // qualification rests on; the TSA and OCSP variants move theirs around the signing time.
  const cases: [string, ServiceRole, string][] = [
    ['EE_T-CA-invalid-type.xml', 'signer', 'NOT_QUALIFIED'],
    ['EE_T-CA-non-qa.xml', 'signer', 'NOT_QUALIFIED'],
    ['EE_T-CA-withdrawn.xml', 'signer', 'SERVICE_NOT_GRANTED_AT_SIGNING_TIME'],
    ['EE_T-CA-withdrawn-granted-before.xml', 'signer', 'trusted'],
    ['EE_T-CA-withdrawn-granted-later.xml', 'signer', 'SERVICE_NOT_GRANTED_AT_SIGNING_TIME'],
    ['EE_T-CA-granted-later.xml', 'signer', 'SERVICE_NOT_GRANTED_AT_SIGNING_TIME'],
    ['EE_T-CA-noqscd-granted-before.xml', 'signer', 'trusted'],
    ['EE_T-CA-noqscd-granted-later.xml', 'signer', 'NOT_QUALIFIED'],
    ['EE_T-no_QCStatement.xml', 'signer', 'NOT_QUALIFIED'],
    ['EE_T-no_QCSD.xml', 'signer', 'NOT_QUALIFIED'],
    ['EE_T-TSA-invalid-type.xml', 'tsa', 'TSA_NOT_QUALIFIED'],
    ['EE_T-TSA-withdrawn.xml', 'tsa', 'SERVICE_NOT_GRANTED_AT_SIGNING_TIME'],
    ['EE_T-TSA-withdrawn-granted-before.xml', 'tsa', 'trusted'],
    ['EE_T-TSA-withdrawn-granted-later.xml', 'tsa', 'SERVICE_NOT_GRANTED_AT_SIGNING_TIME'],
    ['EE_T-TSA-granted-later.xml', 'tsa', 'SERVICE_NOT_GRANTED_AT_SIGNING_TIME'],
    ['EE_T-TSA-noqscd-granted-before.xml', 'tsa', 'trusted'],
    ['EE_T-TSA-noqscd-granted-later.xml', 'tsa', 'TSA_NOT_QUALIFIED'],
    ['EE_T-OCSP-invalid-type.xml', 'ocsp', 'OCSP_NOT_AUTHORIZED'],
    ['EE_T-OCSP-withdrawn.xml', 'ocsp', 'SERVICE_NOT_GRANTED_AT_SIGNING_TIME'],
    ['EE_T-OCSP-withdrawn-granted-before.xml', 'ocsp', 'trusted'],
    ['EE_T-OCSP-withdrawn-granted-later.xml', 'ocsp', 'SERVICE_NOT_GRANTED_AT_SIGNING_TIME'],
    ['EE_T-OCSP-granted-later.xml', 'ocsp', 'SERVICE_NOT_GRANTED_AT_SIGNING_TIME'],
    ['EE_T-OCSP-noqscd-granted-before.xml', 'ocsp', 'trusted'],
    ['EE_T-OCSP-noqscd-granted-later.xml', 'ocsp', 'OCSP_NOT_AUTHORIZED'],
  ];
  it.each(cases)("%s: the %s service gives %s, the others stay trusted", (name, role, expected) => {
    const roles: ServiceRole[] = ['signer', 'tsa', 'ocsp'];
    expect(roles.map((r) => [r, verdict(name, r)])).toEqual(roles.map((r) => [r, r === role ? expected : 'trusted']));
  });
});
