import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { verifyDetachedCades } from './verify';
import { sampleDocument, signAs, verifyAgainst } from './testing/scenario';
import { testPki } from './testing/test-pki';

const pki = testPki();
const valid = signAs(pki, pki.ec);

describe('verifyDetachedCades on bad input: a verdict with a clear code, never an exception', () => {
  it.each([
    ['random bytes', randomBytes(700)],
    ['an empty buffer', Buffer.alloc(0)],
    ['a PEM text instead of DER', Buffer.from(`-----BEGIN PKCS7-----\n${valid.toString('base64')}\n-----END PKCS7-----\n`)],
    ['a certificate instead of a signature', pki.ec.holder.der],
    ['the signature with trailing bytes', Buffer.concat([valid, Buffer.from([0, 0])])],
    ['deeply nested constructed tags', Buffer.from('3080'.repeat(200), 'hex')],
  ])('%s: MALFORMED', (_label, input) => {
    const verdict = verifyAgainst(pki, pki.ec, input);
    expect(verdict.valid).toBe(false);
    expect(verdict.failures).toContain('MALFORMED');
  });

  it.each([1, 10, 100, valid.length / 2, valid.length - 1])('truncated to %i bytes: MALFORMED', (length) => {
    const verdict = verifyAgainst(pki, pki.ec, valid.subarray(0, Math.floor(length)));
    expect(verdict.failures).toEqual(['MALFORMED']);
  });

  it('oversized input: TOO_LARGE, and the bytes are not kept as evidence', () => {
    const verdict = verifyAgainst(pki, pki.ec, Buffer.alloc(2 * 1024 * 1024, 0x30));
    expect(verdict.failures).toEqual(['TOO_LARGE']);
    expect(verdict.evidence.signatureB64).toBe('');
    expect(verifyAgainst(pki, pki.ec, valid, { maxSignatureBytes: valid.length - 1 }).failures).toEqual(['TOO_LARGE']);
  });

  it('input of the wrong type: MALFORMED', () => {
    const verdict = verifyDetachedCades('not a buffer' as unknown as Buffer, sampleDocument(), {
      trustAnchors: [pki.ec.anchor],
      crls: pki.ec.crls,
      now: pki.now,
      expectedPersonalCode: pki.ec.personalCode,
    });
    expect(verdict.failures).toEqual(['MALFORMED']);
  });

  it('an unreadable configured CRL is CRL_INVALID, not an exception', () => {
    expect(verifyAgainst(pki, pki.ec, valid, { crls: [...pki.ec.crls, randomBytes(100)] }).failures).toEqual(['CRL_INVALID']);
  });

  it('any single-byte change or truncation of a valid signature: never throws, and truncations never pass', () => {
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 }), fc.boolean(), (position, xor, truncate) => {
        const input = truncate ? valid.subarray(0, position) : Buffer.from(valid);
        if (!truncate) input[position] ^= xor;
        const verdict = verifyAgainst(pki, pki.ec, input);
        expect(Array.isArray(verdict.checks)).toBe(true);
        if (truncate) expect(verdict.valid).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
