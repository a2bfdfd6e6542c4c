import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reverifyFromEvidence } from './evidence';
import { loadCrls, trustAnchorFrom } from './trust-store';
import { Verdict } from './verdict';
import { parseCrl } from './crl';
import { pem, toolAvailable } from './testing/interop-tools';
import { opensslCrl } from './testing/openssl-crl';
import { sampleDocument, signAs, verifyAgainst } from './testing/scenario';
import { testPki } from './testing/test-pki';

const pki = testPki();
const chain = pki.ec;
const DAY = 24 * 60 * 60 * 1000;
const at = (days: number): Date => new Date(pki.now.getTime() + days * DAY);
const holderRevoked = { serial: chain.holder.certificate.serial, revokedAt: at(-1), reason: 1 };
const failed = (verdict: Verdict, code: string) => verdict.checks.find((check) => check.code === code && !check.ok);

describe('which CRL of an issuer counts', () => {
  // Both published at the same second: only the cRLNumber tells which is newer.
  const older = chain.icaCrl({ number: 1 });
  const newer = chain.icaCrl({ number: 2, revoked: [holderRevoked] });

  it.each([
    ['older first', [older, newer]],
    ['newer first', [newer, older]],
  ])('the same thisUpdate: the higher CRL number wins, in any order (%s) — a revoked signer is refused', (_label, crls) => {
    const verdict = verifyAgainst(pki, chain, signAs(pki, chain), { crls: [chain.rootCrl(), ...crls] });
    expect(verdict.failures).toEqual(['CERT_REVOKED']);
    expect(verdict.evidence.crls.map((crl) => crl.number)).toContain('2');
  });

  it('never the file name order of CRL_DIR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlauja-crl-order-'));
    try {
      writeFileSync(join(dir, 'a-ica.crl'), pem(older, 'X509 CRL'));
      writeFileSync(join(dir, 'b-root.crl'), pem(chain.rootCrl(), 'X509 CRL'));
      writeFileSync(join(dir, 'z-ica.crl'), pem(newer, 'X509 CRL'));
      expect(verifyAgainst(pki, chain, signAs(pki, chain), { crls: loadCrls(dir) }).failures).toEqual(['CERT_REVOKED']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the CRL number before thisUpdate: a higher number counts even with an earlier thisUpdate', () => {
    const laterButLower = chain.icaCrl({ number: 4, thisUpdate: at(-1) });
    const higher = chain.icaCrl({ number: 5, thisUpdate: at(-2), revoked: [holderRevoked] });
    expect(verifyAgainst(pki, chain, signAs(pki, chain), { crls: [chain.rootCrl(), laterButLower, higher] }).failures).toEqual(['CERT_REVOKED']);
  });

  it('the newest CRL past its nextUpdate is not fresh: CRL_STALE, even beside an older one still current', () => {
    const current = chain.icaCrl({ number: 1, thisUpdate: at(-5), nextUpdate: at(5) });
    const newestButStale = chain.icaCrl({ number: 2, thisUpdate: at(-3), nextUpdate: at(-2) });
    const verdict = verifyAgainst(pki, chain, signAs(pki, chain), { crls: [chain.rootCrl(), current, newestButStale] });
    expect(verdict.failures).toEqual(['CRL_STALE']);
    expect(failed(verdict, 'CRL_STALE')?.detail).toMatch(/CRL 2 .* nextUpdate .* has passed/);
    expect(verdict.evidence.revocationPolicy).toEqual({ unknown: 'require', staleCrl: 'refuse' });
  });

  it("under staleCrlPolicy 'accept-stale' the stale CRL still applies, and the evidence says so", () => {
    const stale = chain.icaCrl({ number: 3, thisUpdate: at(-10), nextUpdate: at(-3) });
    const accepted = verifyAgainst(pki, chain, signAs(pki, chain), { crls: [chain.rootCrl(), stale], staleCrlPolicy: 'accept-stale' });
    expect(accepted.failures).toEqual([]);
    expect(accepted.checks.find((check) => check.code === 'CRL_STALE')?.detail).toContain("accepted by staleCrlPolicy 'accept-stale'");
    expect(accepted.evidence.crls.find((crl) => crl.number === '3')).toMatchObject({ stale: true });
    expect(accepted.evidence.revocationPolicy).toEqual({ unknown: 'require', staleCrl: 'accept-stale' });

    const staleRevoking = chain.icaCrl({ number: 4, thisUpdate: at(-10), nextUpdate: at(-3), revoked: [holderRevoked] });
    const refused = verifyAgainst(pki, chain, signAs(pki, chain), { crls: [chain.rootCrl(), staleRevoking], staleCrlPolicy: 'accept-stale' });
    expect(refused.failures).toEqual(['CERT_REVOKED']);
    // Under the default policy the stale CRL is not fresh, and what it revokes is still named.
    expect(verifyAgainst(pki, chain, signAs(pki, chain), { crls: [chain.rootCrl(), staleRevoking] }).failures).toEqual(['CRL_STALE', 'CERT_REVOKED']);
  });
});

(toolAvailable('openssl') ? describe : describe.skip)('CRLs issued by openssl ca, an independent producer', () => {
  const rsa = pki.rsa;
  const second = new Date(Math.floor(at(-1).getTime() / 1000) * 1000);
  const older = opensslCrl(rsa.ica, { number: 1, thisUpdate: second, nextUpdate: at(7) });
  const newer = opensslCrl(rsa.ica, { number: 2, thisUpdate: second, nextUpdate: at(7), revoked: [{ party: rsa.holder, at: second }] });

  it('two CRLs of one issuer from the same second: the higher number counts, whichever file name sorts first', () => {
    expect([parseCrl(older).number, parseCrl(newer).number]).toEqual(['1', '2']);
    expect(parseCrl(older).thisUpdate).toEqual(parseCrl(newer).thisUpdate);
    for (const [first, last] of [[older, newer], [newer, older]]) {
      const dir = mkdtempSync(join(tmpdir(), 'atlauja-openssl-crls-'));
      try {
        writeFileSync(join(dir, 'a.crl'), first);
        writeFileSync(join(dir, 'b.crl'), last);
        writeFileSync(join(dir, 'root.crl'), rsa.rootCrl());
        expect(verifyAgainst(pki, rsa, signAs(pki, rsa), { crls: loadCrls(dir) }).failures).toEqual(['CERT_REVOKED']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('a root CRL by openssl that revokes the issuing CA refuses its signer, with the issuing CA configured beside the root', () => {
    const rootCrl = opensslCrl(rsa.root, { number: 7, thisUpdate: second, nextUpdate: at(7), revoked: [{ party: rsa.ica, at: second }] });
    const verdict = verifyAgainst(pki, rsa, signAs(pki, rsa), { trustAnchors: [trustAnchorFrom(rsa.ica.der), rsa.anchor], crls: [rootCrl, older] });
    expect(verdict.failures).toEqual(['CERT_REVOKED']);
  });
});

describe('every CRL of the path applies, with the issuing CA configured beside its root', () => {
  const icaAnchor = trustAnchorFrom(chain.ica.der, 'ica');
  const icaRevoked = chain.rootCrl({ number: 2, revoked: [{ serial: chain.ica.certificate.serial, revokedAt: at(-1), reason: 2 }] });

  it.each([
    ['root first', [chain.anchor, icaAnchor]],
    ['issuing CA first', [icaAnchor, chain.anchor]],
  ])("a root CRL that revokes the issuing CA refuses its signer's signature (%s)", (_label, trustAnchors) => {
    const verdict = verifyAgainst(pki, chain, signAs(pki, chain), { trustAnchors, crls: [icaRevoked, chain.icaCrl()] });
    expect(verdict.failures).toEqual(['CERT_REVOKED']);
    expect(failed(verdict, 'CERT_REVOKED')?.detail).toContain(chain.ica.certificate.subject.display);
  });

  it('the path used runs up to the root, and the root is the anchor recorded', () => {
    const verdict = verifyAgainst(pki, chain, signAs(pki, chain), { trustAnchors: [icaAnchor, chain.anchor] });
    expect(verdict.failures).toEqual([]);
    expect(verdict.evidence.trustAnchorSha256).toBe(chain.anchor.sha256);
    expect(verdict.evidence.certificatesB64).toEqual([chain.holder.der, chain.ica.der, chain.root.der].map((der) => der.toString('base64')));
    expect(verdict.evidence.crls.map((crl) => crl.issuer).sort()).toEqual([chain.root.certificate.subject.text, chain.ica.certificate.subject.text].sort());
  });

  it('the issuing CA alone configured stays the anchor (nothing above it is trusted)', () => {
    const verdict = verifyAgainst(pki, chain, signAs(pki, chain), { trustAnchors: [icaAnchor], crls: [icaRevoked, chain.icaCrl()] });
    expect(verdict.failures).toEqual([]);
    expect(verdict.evidence.trustAnchorSha256).toBe(icaAnchor.sha256);
  });
});

describe('re-verification judges the trust of the day, not the trust configured since', () => {
  const icaAnchor = trustAnchorFrom(chain.ica.der, 'ica');
  const reverify = (evidence: Verdict['evidence'], trustAnchors = [chain.anchor]) =>
    reverifyFromEvidence(evidence, sampleDocument(), { trustAnchors, crls: chain.crls, expectedPersonalCode: chain.personalCode });

  it('accepted while only the root was trusted: still accepted once the issuing CA is added, and after it is removed again', () => {
    const rootOnly = verifyAgainst(pki, chain, signAs(pki, chain));
    expect(rootOnly.valid).toBe(true);
    const withIca = reverify(rootOnly.evidence, [icaAnchor, chain.anchor]);
    expect(withIca.failures).toEqual([]);
    expect(withIca.evidence.trustAnchorSha256).toBe(chain.anchor.sha256);
    expect(reverify(rootOnly.evidence, [chain.anchor]).failures).toEqual([]);
  });

  it('accepted while only the issuing CA was trusted: still accepted once the root is added', () => {
    const icaOnly = verifyAgainst(pki, chain, signAs(pki, chain), { trustAnchors: [icaAnchor] });
    expect(icaOnly.valid).toBe(true);
    expect(reverify(icaOnly.evidence, [chain.anchor, icaAnchor]).failures).toEqual([]);
  });

  it('refused for an untrusted chain: still refused once an anchor that would chain it is configured', () => {
    const untrusted = verifyAgainst(pki, chain, signAs(pki, chain), { trustAnchors: [] });
    expect(untrusted.failures).toEqual(['CHAIN_UNTRUSTED']);
    expect(reverify(untrusted.evidence, [chain.anchor, icaAnchor]).failures).toContain('CHAIN_UNTRUSTED');
  });

  it('the recorded stale-CRL policy applies on re-verification', () => {
    const stale = chain.icaCrl({ number: 3, thisUpdate: at(-10), nextUpdate: at(-3) });
    const accepted = verifyAgainst(pki, chain, signAs(pki, chain), { crls: [chain.rootCrl(), stale], staleCrlPolicy: 'accept-stale' });
    expect(accepted.valid).toBe(true);
    const again = reverifyFromEvidence(accepted.evidence, sampleDocument(), { trustAnchors: [chain.anchor], crls: [chain.rootCrl(), stale], expectedPersonalCode: chain.personalCode });
    expect(again.failures).toEqual([]);
  });

  it('a recorded anchor in no archive: EVIDENCE_MISMATCH', () => {
    const rootOnly = verifyAgainst(pki, chain, signAs(pki, chain));
    const verdict = reverify(rootOnly.evidence, [pki.rsa.anchor]);
    expect(verdict.failures).toEqual(expect.arrayContaining(['EVIDENCE_MISMATCH', 'CHAIN_UNTRUSTED']));
    expect(failed(verdict, 'EVIDENCE_MISMATCH')?.detail).toContain('in no archive');
  });
});
