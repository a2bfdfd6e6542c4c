import forge from 'node-forge';
import { toDer } from './asn1';
import { reverifyFromEvidence } from './evidence';
import { sampleDocument, signAs, verifyAgainst } from './testing/scenario';
import { testPki } from './testing/test-pki';

const pki = testPki();
const TEN_YEARS = 10 * 365.25 * 24 * 60 * 60 * 1000;

describe('reverifyFromEvidence: an auditor re-verifies years later, offline', () => {
  const original = verifyAgainst(pki, pki.ec, signAs(pki, pki.ec));
  // What the auditor has: the evidence from the event, the document, the archived CRLs and anchors.
  const archivedCrls = pki.ec.crls;

  afterEach(() => jest.useRealTimers());

  it('accepts the stored evidence ten years after signing, when every certificate has expired', () => {
    expect(original.valid).toBe(true);
    jest.useFakeTimers({ now: pki.now.getTime() + TEN_YEARS, doNotFake: ['nextTick', 'setImmediate'] });
    expect(new Date().getTime()).toBeGreaterThan(pki.ec.holder.certificate.notAfter.getTime());
    const verdict = reverifyFromEvidence(original.evidence, sampleDocument(), {
      trustAnchors: [pki.ec.anchor],
      crls: archivedCrls,
      expectedPersonalCode: pki.ec.personalCode,
    });
    expect(verdict.failures).toEqual([]);
    expect(verdict.valid).toBe(true);
    expect(verdict.signedAt).toBe(original.signedAt);
    expect(verdict.checks.find((check) => check.code === 'EVIDENCE_MISMATCH')?.ok).toBe(true);
    expect(verdict.evidence.crls.map((crl) => crl.sha256)).toEqual(original.evidence.crls.map((crl) => crl.sha256));
  });

  it('takes the certificates from the evidence, not only from the signature', () => {
    const cms = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(original.evidence.signatureB64, 'base64').toString('binary')));
    const signedData = ((cms.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
    signedData.splice(3, 1); // drop the certificates [0] field entirely
    const withoutCertificates = { ...original.evidence, signatureB64: toDer(cms).toString('base64') };
    const options = { trustAnchors: [pki.ec.anchor], crls: archivedCrls, expectedPersonalCode: pki.ec.personalCode };
    expect(reverifyFromEvidence(withoutCertificates, sampleDocument(), options).failures).toEqual([]);
    const noCertificatesAnywhere = { ...withoutCertificates, certificatesB64: [] };
    expect(reverifyFromEvidence(noCertificatesAnywhere, sampleDocument(), options).failures).toContain('MISSING_SIGNER_CERTIFICATE');
  });

  it('refuses other content: CONTENT_MISMATCH and EVIDENCE_MISMATCH', () => {
    const verdict = reverifyFromEvidence(original.evidence, Buffer.from('{"forged":true}'), {
      trustAnchors: [pki.ec.anchor],
      crls: archivedCrls,
      expectedPersonalCode: pki.ec.personalCode,
    });
    expect(verdict.failures.sort()).toEqual(['CONTENT_MISMATCH', 'EVIDENCE_MISMATCH']);
  });

  it('refuses when the trust anchor offered is not the recorded one: CHAIN_UNTRUSTED and EVIDENCE_MISMATCH', () => {
    const verdict = reverifyFromEvidence(original.evidence, sampleDocument(), {
      trustAnchors: [pki.rsa.anchor],
      crls: archivedCrls,
      expectedPersonalCode: pki.ec.personalCode,
    });
    expect(verdict.failures.sort()).toEqual(['CHAIN_UNTRUSTED', 'EVIDENCE_MISMATCH']);
  });
});
