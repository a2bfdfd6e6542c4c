import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { acceptancePolicyCheck } from '../acceptance-policy';
import { certificateDer, parseCertificate } from '../certificate';
import { reverifyFromEvidence } from '../evidence';
import { Verdict } from '../verdict';
import { verifySignature } from '../verify';
import { readTrustedList, TrustedList } from './trusted-list';

const dir = '/work/shared/interop/libdigidocpp';
const fixture = (name: string): Buffer => readFileSync(join(dir, name));
const signers = [parseCertificate(certificateDer(fixture('TSL.crt')))];
const list = (name: string): TrustedList => readTrustedList(fixture(name), { signers });
const documents = { json: Buffer.from('{}'), readable: { bytes: Buffer.from('test'), sha256: createHash('sha256').update('test').digest('hex') } };

/**
 * tsl.asice verified with no trust but the list's. Some failures are the fixture's own and not the
 * list's: its data file is not a document this service served, the expected personal code is not a
 * Latvian one, and its 2013 certificate predates the QcType statement.
 */
const FIXTURE_FAILURES = ['CONTAINER_EXTRA_FILE', 'CONTAINER_DOCUMENT_MISSING', 'SIGNER_MISMATCH', 'NOT_QUALIFIED'];

function verifyWith(lists: TrustedList[]): Verdict {
  return verifySignature(fixture('tsl.asice'), documents, {
    trustAnchors: [],
    crls: [],
    now: new Date('2016-11-28T14:00:00Z'),
    expectedPersonalCode: '',
    format: 'xades',
    trustedLists: lists,
    longTerm: acceptancePolicyCheck({ name: 'latvian', tsaAnchors: [], trustedLists: lists }),
  });
}

const failed = (verdict: Verdict) => verdict.checks.filter((check) => !check.ok && !(FIXTURE_FAILURES.includes(check.code) && !check.detail.includes('trusted list') && !check.detail.includes('service'))).map((check) => check.code);

describe('verification with trust from a trusted list (no PEM anchors at all)', () => {
  it('EE_T.xml: the signer chains to its CA/QC service, the TSA and the OCSP responder are its qualified services; the list is named in the evidence', () => {
    const eeT = list('EE_T.xml');
    const verdict = verifyWith([eeT]);
    expect(failed(verdict)).toEqual([]);
    expect(verdict.failures).toEqual(FIXTURE_FAILURES);
    const passed = (code: string) => verdict.checks.filter((check) => check.code === code).map((check) => check.ok);
    expect(passed('CHAIN_UNTRUSTED')).toEqual([true]);
    expect(passed('SERVICE_NOT_GRANTED_AT_SIGNING_TIME')).toEqual([true, true]);
    expect(passed('TSA_NOT_QUALIFIED')).toEqual([true]);
    expect(passed('OCSP_NOT_AUTHORIZED')).toEqual([true]);
    expect(passed('REVOCATION_UNKNOWN')).toEqual([true]);
    expect(verdict.evidence.trustedLists).toEqual([{ territory: 'EE_T', sequenceNumber: 34, issuedAt: '2026-05-11T12:22:20.000Z', sha256: eeT.sha256 }]);
  });

  it.each([
    ['EE_T-CA-withdrawn.xml', ['SERVICE_NOT_GRANTED_AT_SIGNING_TIME']],
    // A CA/PKC service is no anchor for qualified signatures at all.
    ['EE_T-CA-non-qa.xml', ['CHAIN_UNTRUSTED']],
    ['EE_T-no_QCSD.xml', ['NOT_QUALIFIED']],
    ['EE_T-TSA-withdrawn.xml', ['SERVICE_NOT_GRANTED_AT_SIGNING_TIME']],
    ['EE_T-TSA-invalid-type.xml', ['TSA_NOT_TRUSTED', 'TSA_NOT_QUALIFIED']],
    ['EE_T-OCSP-withdrawn.xml', ['SERVICE_NOT_GRANTED_AT_SIGNING_TIME', 'REVOCATION_UNKNOWN']],
    ['EE_T-OCSP-withdrawn-granted-before.xml', []],
  ])('%s refuses with %j besides the fixture’s own failures', (name, expected) => {
    expect(failed(verifyWith([list(name)]))).toEqual(expected);
  });

  it('a CA/QC service identity is no anchor without the list: the same container with no list is CHAIN_UNTRUSTED', () => {
    expect(verifyWith([]).failures).toContain('CHAIN_UNTRUSTED');
  });

  it('re-verification judges against the list version the evidence names, not a newer one', () => {
    const granted = list('EE_T.xml');
    const verdict = verifyWith([granted]);
    const withdrawnSince = list('EE_T-CA-withdrawn.xml');
    const longTerm = acceptancePolicyCheck({ name: 'latvian', tsaAnchors: [], trustedLists: [granted] });
    const again = reverifyFromEvidence(verdict.evidence, documents, { trustAnchors: [], crls: [], expectedPersonalCode: '', trustedLists: [withdrawnSince, granted], longTerm });
    expect(again.failures).toEqual(verdict.failures);
    expect(again.checks.find((check) => check.code === 'EVIDENCE_MISMATCH')?.ok).toBe(true);
    const missing = reverifyFromEvidence(verdict.evidence, documents, { trustAnchors: [], crls: [], expectedPersonalCode: '', trustedLists: [withdrawnSince] });
    expect(missing.checks.find((check) => check.code === 'EVIDENCE_MISMATCH')).toMatchObject({ ok: false, detail: expect.stringContaining(`${granted.sha256} recorded are in no archive`) });
  });
});
