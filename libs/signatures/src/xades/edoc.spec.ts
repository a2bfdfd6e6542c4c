import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifySignature, VerifyOptions } from '../verify';
import { SignedDocuments } from '../documents';
import { servedSubmission, signingTimeOf } from '../testing/scenario';
import { testPki, TestChain } from '../testing/test-pki';
import {
  addSignatureTimestamp,
  ASICE_MIMETYPE,
  openTimestampAuthority,
  timestampVerifies,
  edocSignedWithXmlsec1,
  manifestXml,
  signaturesFile,
  signWithXmlsec1,
  toolAvailable,
  xadesSignatureTemplate,
  zipEntries,
} from '../testing/interop-tools';
import { Verdict } from '../verdict';

const HAS_XMLSEC1 = toolAvailable('xmlsec1');
if (!HAS_XMLSEC1) console.warn('xmlsec1 is not installed (Debian package xmlsec1): the EDOC interoperability tests are skipped');
const withXmlsec1 = HAS_XMLSEC1 ? describe : describe.skip;

const pki = testPki();
const options = (chain: TestChain, extra: Partial<VerifyOptions> = {}): VerifyOptions => ({
  trustAnchors: [chain.anchor],
  crls: chain.crls,
  now: pki.now,
  expectedPersonalCode: chain.personalCode,
  format: 'xades',
  ...extra,
});
const failuresOf = (verdict: Verdict) => verdict.failures;

interface Parts {
  mimetype?: { bytes?: Buffer; store?: boolean; position?: 'first' | 'last' } | null;
  files?: { name: string; bytes: Buffer }[];
  manifest?: string | null;
  signatures?: Buffer;
  extra?: { name: string; bytes: Buffer }[];
}

/** An EDOC assembled from parts, so one part at a time can be made hostile. */
function container(parts: Parts, files: { name: string; bytes: Buffer }[], signatures: Buffer): Buffer {
  const mimetype = parts.mimetype === null ? [] : [{ name: 'mimetype', bytes: parts.mimetype?.bytes ?? Buffer.from(ASICE_MIMETYPE), store: parts.mimetype?.store ?? true }];
  const dataFiles = parts.files ?? files;
  const manifest = parts.manifest === null ? [] : [{ name: 'META-INF/manifest.xml', bytes: Buffer.from(parts.manifest ?? manifestXml(dataFiles.map((f) => ({ name: f.name, mediaType: 'application/pdf' })))) }];
  const rest = [...dataFiles, ...(parts.extra ?? []), ...manifest, { name: 'META-INF/signatures0.xml', bytes: parts.signatures ?? signatures }];
  return zipEntries(parts.mimetype?.position === 'last' ? [...rest, ...mimetype] : [...mimetype, ...rest]);
}

withXmlsec1('EDOC (ASiC-E with XAdES) signed by xmlsec1 over the served PDF', () => {
  let served: { json: Buffer; pdf: Buffer; documents: SignedDocuments };
  let signatures: Buffer;
  const files = () => [{ name: 'pieteikums.pdf', bytes: served.pdf }];
  beforeAll(async () => {
    served = await servedSubmission();
    const template = signaturesFile([xadesSignatureTemplate({ files: ['pieteikums.pdf'], signer: pki.rsa.holder, chain: [pki.rsa.ica.der], signingTime: signingTimeOf(pki) })]);
    signatures = signWithXmlsec1(template, files(), [{ id: 'S0', party: pki.rsa.holder }]);
  });

  it('is accepted: structure, C14N 1.1, digests, signature value, signed properties, certificate checks', () => {
    const verdict = verifySignature(container({}, files(), signatures), served.documents, options(pki.rsa));
    expect(verdict.failures).toEqual([]);
    expect(verdict.valid).toBe(true);
    expect(verdict.signer?.personalCode).toBe(pki.rsa.personalCode);
    expect(verdict.evidence.format).toBe('xades');
    expect(verdict.evidence.contentSha256).toBe(served.documents.readable?.sha256);
  });

  it('is accepted with the canonical JSON beside the PDF, by an EC (P-384) key, with exclusive C14N', () => {
    const edoc = edocSignedWithXmlsec1(served.pdf, pki.ec.holder, { chain: [pki.ec.ica.der], json: served.json, signingTime: signingTimeOf(pki), exclusive: true });
    expect(failuresOf(verifySignature(edoc, served.documents, options(pki.ec)))).toEqual([]);
  });

  it('is accepted at level T, and exposes its timestamp with the exact bytes the token is over (openssl ts -verify agrees)', () => {
    const tsa = openTimestampAuthority();
    try {
      const { xml, token } = addSignatureTimestamp(signatures, tsa);
      const exposed: { token: Buffer; covered?: Buffer }[] = [];
      const verdict = verifySignature(container({ signatures: xml }, files(), signatures), served.documents, {
        ...options(pki.rsa),
        longTerm: (_checks, signature) => void exposed.push(...signature.longTerm.timestamps),
      });
      expect(verdict.failures).toEqual([]);
      expect(exposed).toHaveLength(1);
      expect(exposed[0].token.equals(token)).toBe(true);
      expect(timestampVerifies(tsa, exposed[0].token, exposed[0].covered as Buffer)).toBe(true);
      expect(timestampVerifies(tsa, exposed[0].token, Buffer.concat([exposed[0].covered as Buffer, Buffer.from(' ')]))).toBe(false);
    } finally {
      tsa.close();
    }
  });

  it('is found by sniffing when no content type names it', () => {
    const verdict = verifySignature(container({}, files(), signatures), served.documents, { ...options(pki.rsa), format: undefined });
    expect(verdict.valid).toBe(true);
  });

  it('refuses a container whose PDF is not the served one', () => {
    const other = Buffer.from(served.pdf);
    other[other.length - 40] ^= 1;
    const verdict = verifySignature(container({ files: [{ name: 'pieteikums.pdf', bytes: other }] }, files(), signatures), served.documents, options(pki.rsa));
    expect(verdict.failures).toEqual(expect.arrayContaining(['REFERENCE_MISMATCH', 'CONTAINER_DOCUMENT_MISSING', 'CONTAINER_EXTRA_FILE']));
  });

  it('refuses a file beside the served document, named CONTAINER_EXTRA_FILE (and FILE_NOT_SIGNED when the signature does not cover it)', () => {
    const extra = [{ name: 'lasimani.txt', bytes: Buffer.from('Parakstot jūs piekrītat arī šim.') }];
    const verdict = verifySignature(container({ files: [...files(), ...extra] }, files(), signatures), served.documents, options(pki.rsa));
    expect(verdict.failures).toEqual(expect.arrayContaining(['CONTAINER_EXTRA_FILE', 'FILE_NOT_SIGNED']));
  });

  it('refuses a missing, compressed, wrong or not-first mimetype with its code', () => {
    const verify = (parts: Parts) => failuresOf(verifySignature(container(parts, files(), signatures), served.documents, options(pki.rsa)));
    expect(verify({ mimetype: null })).toContain('MIMETYPE_MISSING');
    expect(verify({ mimetype: { store: false } })).toContain('MIMETYPE_INVALID');
    expect(verify({ mimetype: { bytes: Buffer.from('application/zip') } })).toContain('MIMETYPE_INVALID');
    expect(verify({ mimetype: { position: 'last' } })).toContain('MIMETYPE_INVALID');
  });

  it('refuses a manifest that does not list exactly the data files', () => {
    const manifest = manifestXml([{ name: 'cits.pdf', mediaType: 'application/pdf' }]);
    expect(failuresOf(verifySignature(container({ manifest }, files(), signatures), served.documents, options(pki.rsa)))).toContain('MANIFEST_MISMATCH');
  });

  it('refuses a signature that does not cover its SignedProperties', () => {
    const template = signaturesFile([xadesSignatureTemplate({ files: ['pieteikums.pdf'], signer: pki.rsa.holder, chain: [pki.rsa.ica.der], signingTime: signingTimeOf(pki), omitSignedPropertiesReference: true })]);
    const uncovered = signWithXmlsec1(template, files(), [{ id: 'S0', party: pki.rsa.holder }]);
    expect(failuresOf(verifySignature(container({ signatures: uncovered }, files(), signatures), served.documents, options(pki.rsa)))).toContain('SIGNED_PROPERTIES_NOT_COVERED');
  });

  it('refuses a signing certificate digest that names another certificate', () => {
    const template = signaturesFile([
      xadesSignatureTemplate({ files: ['pieteikums.pdf'], signer: pki.rsa.holder, chain: [pki.rsa.ica.der], signingTime: signingTimeOf(pki), certificateDigestOf: pki.rsa.ica.der }),
    ]);
    const wrong = signWithXmlsec1(template, files(), [{ id: 'S0', party: pki.rsa.holder }]);
    expect(failuresOf(verifySignature(container({ signatures: wrong }, files(), signatures), served.documents, options(pki.rsa)))).toContain('SIGNING_CERTIFICATE_MISMATCH');
  });

  it('refuses signature wrapping: a second SignedProperties hidden in another ds:Object', () => {
    const text = signatures.toString('utf8');
    const second = text.match(/<xades:QualifyingProperties[\s\S]*?<\/xades:QualifyingProperties>/)?.[0].replace('2026', '2025').replace('Id="S0-SignedProperties"', 'Id="S0-SignedProperties-2"') ?? '';
    const wrapped = Buffer.from(text.replace('</ds:Object>', `</ds:Object><ds:Object>${second}</ds:Object>`), 'utf8');
    expect(failuresOf(verifySignature(container({ signatures: wrapped }, files(), signatures), served.documents, options(pki.rsa)))).toContain('SIGNATURE_WRAPPING');
  });

  it('refuses signature wrapping: an Id used twice, so a reference could resolve to either', () => {
    const text = signatures.toString('utf8');
    const wrapped = Buffer.from(text.replace('</asic:XAdESSignatures>', '<ds:Object Id="S0-SignedProperties"/></asic:XAdESSignatures>'), 'utf8');
    expect(failuresOf(verifySignature(container({ signatures: wrapped }, files(), signatures), served.documents, options(pki.rsa)))).toContain('SIGNATURE_WRAPPING');
  });

  it('refuses a same-document reference that resolves outside the signature', () => {
    const template = signaturesFile([xadesSignatureTemplate({ files: ['pieteikums.pdf'], signer: pki.rsa.holder, chain: [pki.rsa.ica.der], signingTime: signingTimeOf(pki), extraReferenceUri: '#outside' })]).replace(
      '</asic:XAdESSignatures>',
      '<ds:Object Id="outside">Parakstītājs piekrīt visam.</ds:Object></asic:XAdESSignatures>',
    );
    const outside = signWithXmlsec1(template, files(), [{ id: 'S0', party: pki.rsa.holder }]);
    expect(failuresOf(verifySignature(container({ signatures: outside }, files(), signatures), served.documents, options(pki.rsa)))).toContain('REFERENCE_UNRESOLVED');
  });

  it('refuses a signature value changed after signing', () => {
    const text = signatures.toString('utf8');
    const tampered = Buffer.from(text.replace(/<ds:SignatureValue Id="S0-SIG">(.)/, (_, c: string) => `<ds:SignatureValue Id="S0-SIG">${c === 'A' ? 'B' : 'A'}`), 'utf8');
    expect(failuresOf(verifySignature(container({ signatures: tampered }, files(), signatures), served.documents, options(pki.rsa)))).toContain('SIGNATURE_INVALID');
  });

  it('refuses a signing time changed after signing (the SignedProperties digest no longer matches)', () => {
    const tampered = Buffer.from(signatures.toString('utf8').replace(/<xades:SigningTime>\d{4}/, '<xades:SigningTime>2025'), 'utf8');
    expect(failuresOf(verifySignature(container({ signatures: tampered }, files(), signatures), served.documents, options(pki.rsa)))).toEqual(
      expect.arrayContaining(['REFERENCE_MISMATCH', 'SIGNED_PROPERTIES_NOT_COVERED']),
    );
  });

  it('refuses a container signed by someone else than the representative', () => {
    const verdict = verifySignature(container({}, files(), signatures), served.documents, options(pki.rsa, { expectedPersonalCode: pki.ec.personalCode }));
    expect(verdict.failures).toEqual(['SIGNER_MISMATCH']);
  });

  describe('several signatures', () => {
    let two: Buffer;
    beforeAll(() => {
      const template = signaturesFile([
        xadesSignatureTemplate({ files: ['pieteikums.pdf'], signer: pki.rsa.holder, chain: [pki.rsa.ica.der], signingTime: signingTimeOf(pki), id: 'S0' }),
        xadesSignatureTemplate({ files: ['pieteikums.pdf'], signer: pki.ec.holder, chain: [pki.ec.ica.der], signingTime: signingTimeOf(pki), id: 'S1' }),
      ]);
      two = signWithXmlsec1(template, files(), [
        { id: 'S0', party: pki.rsa.holder },
        { id: 'S1', party: pki.ec.holder },
      ]);
    });
    const both = (chain: TestChain) => options(chain, { trustAnchors: [pki.rsa.anchor, pki.ec.anchor], crls: [...pki.rsa.crls, ...pki.ec.crls] });

    it('accepts a container where every signature verifies and one is the representative’s', () => {
      const verdict = verifySignature(container({ signatures: two }, files(), signatures), served.documents, both(pki.ec));
      expect(verdict.failures).toEqual([]);
      expect(verdict.signer?.personalCode).toBe(pki.ec.personalCode);
    });

    it('refuses it when any signature fails, naming which', () => {
      const text = two.toString('utf8');
      const broken = Buffer.from(text.replace(/<ds:SignatureValue Id="S0-SIG">(.)/, (_, c: string) => `<ds:SignatureValue Id="S0-SIG">${c === 'A' ? 'B' : 'A'}`), 'utf8');
      const verdict = verifySignature(container({ signatures: broken }, files(), signatures), served.documents, both(pki.ec));
      expect(verdict.failures).toEqual(['SIGNATURE_INVALID']);
      expect(verdict.checks.find((check) => !check.ok)?.detail).toMatch(/^S0: /);
    });
  });
});

describe('hostile containers are refused with a named code, never a crash or a hang', () => {
  let served: { json: Buffer; pdf: Buffer; documents: SignedDocuments };
  beforeAll(async () => {
    served = await servedSubmission();
  });
  const base = () => [
    { name: 'mimetype', bytes: Buffer.from(ASICE_MIMETYPE) },
    { name: 'pieteikums.pdf', bytes: served.pdf },
  ];
  const verify = (zip: Buffer) => verifySignature(zip, served.documents, options(pki.rsa));
  const fixture = (name: string) => readFileSync(join('/work/shared/interop/libdigidocpp', name));

  it.each([
    ['xml-bomb-attr.xml', 'META-INF/signatures0.xml'],
    ['xml-bomb-cont.xml', 'META-INF/signatures0.xml'],
    ['xml-bomb-attr.xml', 'META-INF/manifest.xml'],
  ])('entity expansion (%s as %s): XML_FORBIDDEN', (file, as) => {
    const verdict = verify(zipEntries([...base(), { name: as, bytes: fixture(file) }]));
    expect(verdict.failures).toContain('XML_FORBIDDEN');
  });

  it('an external entity (XXE) is never resolved: the sentinel text appears nowhere', () => {
    const dtd = `file://${join('/work/shared/interop/libdigidocpp', 'xxe-sentinel-dtd.dtd')}`;
    const txt = `file://${join('/work/shared/interop/libdigidocpp', 'xxe-sentinel.txt')}`;
    for (const xml of [
      `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "${txt}">]><asic:XAdESSignatures xmlns:asic="http://uri.etsi.org/02918/v1.2.1#">&xxe;</asic:XAdESSignatures>`,
      `<?xml version="1.0"?><!DOCTYPE x SYSTEM "${dtd}"><asic:XAdESSignatures xmlns:asic="http://uri.etsi.org/02918/v1.2.1#">&sentinel;</asic:XAdESSignatures>`,
      `<?xml version="1.0"?><asic:XAdESSignatures xmlns:asic="http://uri.etsi.org/02918/v1.2.1#">&xxe;</asic:XAdESSignatures>`,
    ]) {
      const verdict = verify(zipEntries([...base(), { name: 'META-INF/signatures0.xml', bytes: Buffer.from(xml) }]));
      expect(verdict.valid).toBe(false);
      expect(JSON.stringify(verdict)).not.toContain('XXESENTINEL');
      expect(verdict.failures.some((code) => code === 'XML_FORBIDDEN' || code === 'MALFORMED')).toBe(true);
    }
  });

  it('a zip bomb that declares its size: CONTAINER_TOO_LARGE before anything is inflated', () => {
    const bomb = zipEntries([...base(), { name: 'bomb.bin', bytes: Buffer.alloc(64 * 1024 * 1024) }]);
    expect(verify(bomb).failures).toEqual(['CONTAINER_TOO_LARGE']);
  });

  it('a zip bomb that lies about its size: inflation stops at the declared size (bench: a 1 MiB bomb costs milliseconds)', () => {
    const bomb = zipEntries([...base(), { name: 'bomb.bin', bytes: Buffer.alloc(100 * 1024 * 1024) }]);
    expect(verify(lieAboutSize(bomb, 'bomb.bin', 1000)).failures).toEqual(['CONTAINER_TOO_LARGE']);
  });

  it('path traversal and absolute names: CONTAINER_UNSAFE_NAME', () => {
    for (const name of ['../pieteikums.pdf', '/etc/passwd', 'a/../../b.pdf', 'C:/x.pdf', 'a\\b.pdf']) {
      expect(verify(zipEntries([...base(), { name, bytes: Buffer.from('x') }])).failures).toEqual(['CONTAINER_UNSAFE_NAME']);
    }
  });

  it('the libdigidocpp path cases: a relative ".." and a "." entry are refused, a sub-folder file is only an extra file', () => {
    expect(verify(fixture('asice-relative.asice')).failures).toEqual(['CONTAINER_UNSAFE_NAME']);
    expect(verify(fixture('dot.asice')).failures).toEqual(['CONTAINER_UNSAFE_NAME']);
    expect(verify(fixture('asice-path.asice')).failures).toEqual(expect.arrayContaining(['CONTAINER_EXTRA_FILE', 'CONTAINER_DOCUMENT_MISSING']));
  });

  it('two entries with one name (or names that differ only in case): CONTAINER_DUPLICATE_NAME', () => {
    const zip = zipEntries([...base(), { name: 'PIETEIKUMS.PDF', bytes: Buffer.from('x') }]);
    expect(verify(zip).failures).toEqual(['CONTAINER_DUPLICATE_NAME']);
    const exact = renameEntry(zipEntries([...base(), { name: 'pieteikumx.pdf', bytes: Buffer.from('x') }]), 'pieteikumx.pdf', 'pieteikums.pdf');
    expect(verify(exact).failures).toEqual(['CONTAINER_DUPLICATE_NAME']);
  });

  it('not a ZIP at all, or a truncated one: MALFORMED', () => {
    const zip = zipEntries(base());
    expect(verify(zip.subarray(0, zip.length - 30)).failures).toEqual(['MALFORMED']);
    expect(verify(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100)])).failures).toEqual(['MALFORMED']);
  });

  it('a container without a signature file: MALFORMED', () => {
    expect(verify(zipEntries(base())).failures).toContain('MALFORMED');
  });
});

describe('containers made by libdigidocpp (structure, canonicalization, digests and signature values checked; trust by our own PKI)', () => {
  const fixture = (name: string) => readFileSync(join('/work/shared/interop/libdigidocpp', name));
  const documentsOf = (bytes: Buffer): SignedDocuments => ({ json: Buffer.from('{}'), readable: { bytes, sha256: createHash('sha256').update(bytes).digest('hex') } });
  const at = (iso: string): VerifyOptions => ({ trustAnchors: [pki.rsa.anchor], crls: pki.rsa.crls, now: new Date(iso), expectedPersonalCode: pki.rsa.personalCode, format: 'xades' });
  const check = (verdict: Verdict, code: string) => verdict.checks.filter((c) => c.code === code).map((c) => c.ok);

  it('test.asice: C14N 1.1 digests and the RSA signature value check out; its 1024-bit key and old test CA are not accepted', () => {
    const verdict = verifySignature(fixture('test.asice'), documentsOf(fixture('test1.txt')), at('2013-04-07T00:00:00Z'));
    for (const code of ['REFERENCE_UNRESOLVED', 'REFERENCE_MISMATCH', 'FILE_NOT_SIGNED', 'SIGNED_PROPERTIES_NOT_COVERED', 'SIGNATURE_INVALID', 'MIMETYPE_INVALID', 'CONTAINER_EXTRA_FILE', 'MANIFEST_MISMATCH']) {
      expect([code, check(verdict, code)]).toEqual([code, [true]]);
    }
    expect(verdict.failures).toEqual(expect.arrayContaining(['ALGORITHM_UNSUPPORTED', 'CHAIN_UNTRUSTED']));
  });

  it('tsl.asice (LT): checks out, and its timestamp, certificate values and OCSP response are exposed for the long-term checks', () => {
    const bytes = fixture('tsl.asice');
    const seen: { timestamps: number; covered: boolean; ocsp: number; certificates: number }[] = [];
    const verdict = verifySignature(bytes, documentsOf(Buffer.from('test')), {
      ...at('2016-11-28T14:00:00Z'),
      longTerm: (_checks, signature) =>
        void seen.push({ timestamps: signature.longTerm.timestamps.length, covered: !!signature.longTerm.timestamps[0]?.covered?.toString('utf8').startsWith('<ds:SignatureValue'), ocsp: signature.longTerm.ocspResponses.length, certificates: signature.longTerm.certificates.length }),
    });
    expect(check(verdict, 'SIGNATURE_INVALID')).toEqual([true]);
    expect(check(verdict, 'REFERENCE_MISMATCH')).toEqual([true]);
    expect(seen).toEqual([{ timestamps: 1, covered: true, ocsp: 1, certificates: 2 }]);
  });

  it('forged_lt.asice is refused: its signature value does not verify', () => {
    const verdict = verifySignature(fixture('forged_lt.asice'), documentsOf(Buffer.from('{}')), at('2026-05-29T00:00:00Z'));
    expect(verdict.valid).toBe(false);
    expect(check(verdict, 'SIGNATURE_INVALID')).toEqual([false]);
  });

  it('pt-empty.asice: a manifest naming an empty path is refused', () => {
    expect(verifySignature(fixture('pt-empty.asice'), documentsOf(Buffer.from('')), at('2020-01-01T00:00:00Z')).failures).toContain('MANIFEST_MISMATCH');
  });
});

/** Sets an entry's declared inflated size (local header and central directory) to `size`. */
function lieAboutSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const nameBytes = Buffer.from(name);
  for (let at = out.indexOf(nameBytes); at >= 0; at = out.indexOf(nameBytes, at + 1)) {
    if (out.readUInt32LE(at - 30) === 0x04034b50) out.writeUInt32LE(size, at - 30 + 22);
    if (out.readUInt32LE(at - 46) === 0x02014b50) out.writeUInt32LE(size, at - 46 + 24);
  }
  return out;
}

function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  const out = Buffer.from(zip);
  const fromBytes = Buffer.from(from);
  for (let at = out.indexOf(fromBytes); at >= 0; at = out.indexOf(fromBytes, at + 1)) Buffer.from(to).copy(out, at);
  return out;
}
