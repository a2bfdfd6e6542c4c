/** Every stored signature re-verified from its evidence, with the anchors and CRLs of its day. */
import { auditStream, reverify, storedSignaturesOf, trustHistoryOf } from '@atlauja/audit';
import { testPki } from '../../signatures/src/testing/test-pki';
import { recorded } from './support/recorded';
import { signedApplication } from './support/signed-application';

describe('signatures re-verified from their evidence', () => {
  const pki = testPki();
  const app = signedApplication(pki, pki.ec, 'sig-0001');
  const events = recorded(app.stream, app.events);
  const trust = trustHistoryOf([pki.ec.anchor], pki.ec.crls);

  it('a signature accepted by the service re-verifies with the archived anchor and CRLs, and the whole stream is clean', () => {
    const [signature] = storedSignaturesOf(app.stream, events);
    expect(signature).toMatchObject({ applicationId: 'sig-0001', revision: 3n, submittedRevision: 2n });
    expect(signature.document?.sha256).toBe(signature.documentSha256);
    expect(reverify(signature, trust)).toMatchObject({ valid: true, failures: [] });
    expect(auditStream(app.stream, events, { trust }).findings).toEqual([]);
  });

  it('a CRL the evidence names but no archive holds is named CRL_NOT_ARCHIVED (and revocation is then unknown)', () => {
    const [signature] = storedSignaturesOf(app.stream, events);
    const result = reverify(signature, trustHistoryOf([pki.ec.anchor], [pki.ec.crls[0]]));
    expect(result.valid).toBe(false);
    expect(result.failures).toContain('CRL_NOT_ARCHIVED');
    expect(result.crlsMissing).toHaveLength(1);
  });

  it('an anchor nobody trusts any more fails the chain check', () => {
    const [signature] = storedSignaturesOf(app.stream, events);
    expect(reverify(signature, trustHistoryOf([pki.rsa.anchor], pki.ec.crls)).failures).toEqual(expect.arrayContaining(['CHAIN_UNTRUSTED']));
  });

  it('evidence whose signature bytes were swapped for another document is refused on re-verification', () => {
    const other = signedApplication(pki, pki.ec, 'sig-0002');
    const signed = app.events[3] as Extract<(typeof app.events)[number], { type: 'ApplicationSigned' }>;
    const foreign = (other.events[3] as typeof signed).data.evidence as { verdict: { evidence: { signatureB64: string } } };
    const own = signed.data.evidence as { verdict: { checks: unknown; evidence: object } };
    const verdict = { checks: own.verdict.checks, evidence: { ...own.verdict.evidence, signatureB64: foreign.verdict.evidence.signatureB64 } };
    const forged = [...app.events];
    forged[3] = { ...signed, data: { ...signed.data, evidence: JSON.parse(JSON.stringify({ verdict })) } };
    const [signature] = storedSignaturesOf(app.stream, recorded(app.stream, forged));
    expect(reverify(signature, trust).failures).toEqual(expect.arrayContaining(['CONTENT_MISMATCH']));
  });

  it('a signature kept without evidence cannot be re-verified: EVIDENCE_MISSING', () => {
    const signed = app.events[3] as Extract<(typeof app.events)[number], { type: 'ApplicationSigned' }>;
    const { evidence: _evidence, ...data } = signed.data;
    const stripped = [...app.events];
    stripped[3] = { ...signed, data };
    const audit = auditStream(app.stream, recorded(app.stream, stripped), { trust });
    expect(audit.findings).toEqual([expect.objectContaining({ kind: 'signature', code: 'EVIDENCE_MISSING', revision: '3' })]);
  });
});
