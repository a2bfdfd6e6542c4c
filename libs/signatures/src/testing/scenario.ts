/** Shared test steps: the document to sign, a signature by a test party, and verification as of the test clock. */
import { documentToSign } from '../document-to-sign';
import { SignOptions, signDetachedCades } from '../sign';
import { Verdict } from '../verdict';
import { VerifyOptions, verifyDetachedCades } from '../verify';
import { Party, TestChain, TestPki } from './test-pki';

export const SAMPLE_APPLICATION = {
  applicationId: 'APP-2025-000123',
  revision: 7,
  content: {
    service: 'lietotāja tiesību piešķiršana',
    institution: { name: 'Valsts ieņēmumu dienests', registrationNumber: '90000069281' },
    user: { name: 'Ēriks Ķīsis', role: 'grāmatvedis' },
    rights: ['deklarāciju iesniegšana', 'pārskatu skatīšana'],
  },
};

export const sampleDocument = (): Buffer => documentToSign(SAMPLE_APPLICATION).bytes;

/** One minute before the reference time, as a representative would sign just before submitting. */
export const signingTimeOf = (pki: TestPki): Date => new Date(pki.now.getTime() - 60_000);

export function signAs(
  pki: TestPki,
  chain: TestChain,
  party: Party = chain.holder,
  options: Partial<SignOptions> = {},
  content: Buffer = sampleDocument(),
): Buffer {
  return signDetachedCades(content, {
    key: party.privateKey,
    certificate: party.der,
    chain: [chain.ica.der],
    signingTime: signingTimeOf(pki),
    ...options,
  });
}

export function verifyAgainst(
  pki: TestPki,
  chain: TestChain,
  signature: Buffer,
  options: Partial<VerifyOptions> = {},
  content: Buffer = sampleDocument(),
): Verdict {
  return verifyDetachedCades(signature, content, {
    trustAnchors: [chain.anchor],
    crls: chain.crls,
    now: pki.now,
    expectedPersonalCode: chain.personalCode,
    ...options,
  });
}
