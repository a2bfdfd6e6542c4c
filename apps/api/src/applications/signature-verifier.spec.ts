import { SignatureVerifier, TrustMaterial } from './signature-verifier';

describe('the trust material behind signature verification', () => {
  it('is read again from its folders once the refresh interval has passed, so new CRLs take effect', () => {
    const loads: Date[] = [];
    const verifier = new SignatureVerifier({
      refreshMs: 60_000,
      load: (now): TrustMaterial => {
        loads.push(now);
        return { anchors: [], crls: [], demo: false };
      },
    });
    const t0 = new Date('2026-11-23T10:00:00Z');
    verifier.trust(t0);
    verifier.trust(new Date(t0.getTime() + 59_999));
    expect(loads).toHaveLength(1);
    verifier.trust(new Date(t0.getTime() + 60_000));
    expect(loads).toHaveLength(2);
  });

  it("applies CRL_STALE_POLICY and records it in every verdict's evidence", () => {
    const material: TrustMaterial = { anchors: [], crls: [], demo: false };
    expect(new SignatureVerifier(material).verify(Buffer.from('garbage'), Buffer.from('{}'), '329999-00001', new Date()).evidence.revocationPolicy).toEqual({ unknown: 'require', staleCrl: 'refuse' });
    expect(new SignatureVerifier(material, undefined, 'accept-stale').verify(Buffer.from('garbage'), Buffer.from('{}'), '329999-00001', new Date()).evidence.revocationPolicy).toEqual({ unknown: 'require', staleCrl: 'accept-stale' });
  });

  it('answers garbage with a verdict naming the failed check, never an exception', () => {
    const verifier = new SignatureVerifier({ anchors: [], crls: [], demo: false });
    const verdict = verifier.verify(Buffer.from('garbage'), Buffer.from('{}'), '329999-00001', new Date());
    expect(verdict.valid).toBe(false);
    expect(verdict.failures).toEqual(['FORMAT_UNKNOWN']);
    // Named a .p7s by its content type, the same bytes are a malformed CMS.
    expect(verifier.verify(Buffer.from('garbage'), Buffer.from('{}'), '329999-00001', new Date(), 'cades').failures).toContain('MALFORMED');
  });
});
