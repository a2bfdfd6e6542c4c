/** Shared test steps: the document to sign, a signature by a test party, and verification as of the test clock. */
import { documentToSign, readableDocument } from '../document-to-sign';
import { SignedDocuments } from '../documents';
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

/** A submission as the service serves it: an application's content, its canonical JSON and its PDF. */
export const SAMPLE_SUBMISSION = {
  applicationId: '6f1c1a57-2f47-4d7b-9a59-0c7f8f5b1d2e',
  revision: 3,
  submittedAt: '2026-11-23T12:00:00.000+02:00',
  content: {
    kind: 'new-user',
    institution: '90000012345',
    user: { givenName: 'Līga Ģertrūde', surname: 'Ķēniņa-Žuļeva', personalCode: '150385-12346', email: 'liga@example.lv' },
    term: { kind: 'after-last-login', months: 18 },
    rights: [
      { kind: 'resort', resort: '90000012345', groups: ['VIEW', 'COORDINATE_MIN'] },
      { kind: 'institution', institution: '90000054321', groups: ['MANAGE', 'APPROVE', 'SIGN', 'COORDINATE'] },
    ],
    justification: 'Jāsagatavo iestādes tāme un iepirkumu plāns; jāpārrauga padotības iestāžu tāmes.',
  },
};

let served: Promise<{ json: Buffer; pdf: Buffer; documents: SignedDocuments }> | undefined;
/** Rendered once per test file. */
export function servedSubmission(): Promise<{ json: Buffer; pdf: Buffer; documents: SignedDocuments }> {
  served ??= readableDocument(SAMPLE_SUBMISSION).then((pdf) => {
    const json = documentToSign(SAMPLE_SUBMISSION).bytes;
    return { json, pdf: pdf.bytes, documents: { json, readable: { bytes: pdf.bytes, sha256: pdf.sha256 } } };
  });
  return served;
}

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
