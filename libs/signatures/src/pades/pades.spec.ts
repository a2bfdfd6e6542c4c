import { verifySignature, VerifyOptions } from '../verify';
import { SignedDocuments } from '../documents';
import { servedSubmission } from '../testing/scenario';
import { testPki, TestChain } from '../testing/test-pki';
import { pdfSignedWithPdfsig, toolAvailable } from '../testing/interop-tools';

const HAS_PDFSIG = ['pdfsig', 'certutil', 'pk12util', 'openssl'].every(toolAvailable);
if (!HAS_PDFSIG) console.warn('pdfsig (poppler-utils) or certutil/pk12util (libnss3-tools) is not installed: the PAdES interoperability tests are skipped');
const withPdfsig = HAS_PDFSIG ? describe : describe.skip;

const pki = testPki();
const options = (chain: TestChain, extra: Partial<VerifyOptions> = {}): VerifyOptions => ({
  trustAnchors: [chain.anchor],
  crls: chain.crls,
  // pdfsig signs at the real time; the test PKI is current then.
  now: new Date(Date.now() + 60_000),
  expectedPersonalCode: chain.personalCode,
  format: 'pades',
  ...extra,
});

/** Appends an incremental update (objects, a cross-reference table, a trailer) as a PDF writer would. */
function appendUpdate(pdf: Buffer, objects: { num: number; body: string }[]): Buffer {
  const prev = Number([...pdf.toString('latin1').matchAll(/startxref\s+(\d+)/g)].at(-1)?.[1]);
  const root = [...pdf.toString('latin1').matchAll(/\/Root (\d+) 0 R/g)].at(-1)?.[1];
  const size = Math.max(...[...pdf.toString('latin1').matchAll(/\/Size (\d+)/g)].map((m) => Number(m[1])), ...objects.map((o) => o.num + 1));
  let text = '\n';
  const offsets: [number, number][] = [];
  for (const object of objects) {
    offsets.push([object.num, pdf.length + Buffer.byteLength(text, 'latin1')]);
    text += `${object.num} 0 obj\n${object.body}\nendobj\n`;
  }
  const xref = pdf.length + Buffer.byteLength(text, 'latin1');
  text += `xref\n0 1\n0000000000 65535 f \n${offsets.map(([num, at]) => `${num} 1\n${String(at).padStart(10, '0')} 00000 n \n`).join('')}`;
  text += `trailer\n<</Size ${size} /Root ${root} 0 R /Prev ${prev}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(text, 'latin1')]);
}

/** The latest version of an object as written in the file (the update's copy if it has one). */
function lastObject(pdf: Buffer, num: number): string {
  const matches = [...pdf.toString('latin1').matchAll(new RegExp(`(?:^|\\n)${num} 0 obj\\s*([\\s\\S]*?)\\s*endobj`, 'g'))];
  return matches.at(-1)?.[1] ?? '';
}

withPdfsig('PAdES: the served PDF signed by pdfsig (poppler, NSS)', () => {
  let served: { json: Buffer; pdf: Buffer; documents: SignedDocuments };
  let signed: Buffer;
  beforeAll(async () => {
    served = await servedSubmission();
    signed = pdfSignedWithPdfsig(served.pdf, pki.rsa.holder, [pki.rsa.ica.der]);
  });

  it('is accepted: the served bytes, an incremental update adding only the signature, CAdES over the ByteRange', () => {
    const verdict = verifySignature(signed, served.documents, options(pki.rsa));
    expect(verdict.failures).toEqual([]);
    expect(verdict.signer?.personalCode).toBe(pki.rsa.personalCode);
    expect(verdict.evidence.format).toBe('pades');
    expect(verdict.checks.filter((c) => c.code === 'PDF_MODIFIED_AFTER_SIGNING')).toEqual([expect.objectContaining({ ok: true })]);
  });

  it('is found by sniffing when no content type names it', () => {
    // (poppler 22.12 fails to add a signature with the EC test key — "unable update signature" — so RSA only.)
    expect(verifySignature(signed, served.documents, options(pki.rsa, { format: undefined })).failures).toEqual([]);
  });

  it('is accepted by an auditor who has only the SHA-256 of the served PDF', () => {
    const documents = { json: served.json, readable: { sha256: served.documents.readable?.sha256 as string } };
    expect(verifySignature(signed, documents, options(pki.rsa)).failures).toEqual([]);
  });

  it('refuses a signed PDF that does not begin with the served bytes', () => {
    const tampered = Buffer.from(signed);
    const at = tampered.indexOf('Valsts') >= 0 ? tampered.indexOf('Budžets') : 200;
    tampered[Math.max(at, 200)] ^= 1;
    expect(verifySignature(tampered, served.documents, options(pki.rsa)).failures).toEqual(['CONTENT_MISMATCH']);
  });

  it('refuses a signature value changed after signing', () => {
    const text = signed.toString('latin1');
    const contents = text.lastIndexOf('/Contents <') + '/Contents <'.length;
    const tampered = Buffer.from(signed);
    // Near the end of the CMS: inside the signature value.
    const cmsEnd = text.indexOf('000000', contents);
    const at = cmsEnd - 20;
    tampered[at] = tampered[at] === 0x30 ? 0x31 : 0x30;
    expect(verifySignature(tampered, served.documents, options(pki.rsa)).failures).toContain('SIGNATURE_INVALID');
  });

  it('refuses a ByteRange that does not leave out exactly the signature value', () => {
    const tampered = Buffer.from(signed.toString('latin1').replace(/\/ByteRange \[0 (\d+)/, (_, n: string) => `/ByteRange [0 ${String(Number(n) - 1).padStart(n.length, ' ')}`), 'latin1');
    expect(verifySignature(tampered, served.documents, options(pki.rsa)).failures).toContain('BYTE_RANGE_INVALID');
  });

  it('refuses an update after signing that rewrites the page content', () => {
    const pageContent = /\/Contents \[\s*(\d+) 0 R\s*\]/.exec(lastObject(signed, 5))?.[1] as string;
    const stream = 'BT /F1 24 Tf 100 700 Td (Tiesibas: VISAS) Tj ET';
    const modified = appendUpdate(signed, [{ num: Number(pageContent), body: `<</Length ${stream.length}>>\nstream\n${stream}\nendstream` }]);
    expect(verifySignature(modified, served.documents, options(pki.rsa)).failures).toEqual(['PDF_MODIFIED_AFTER_SIGNING']);
  });

  it('refuses an update after signing that adds an annotation painting over the page', () => {
    const page = lastObject(signed, 5).replace(/\/Annots \[([^\]]*)\]/, '/Annots [$1 90 0 R]');
    const modified = appendUpdate(signed, [
      { num: 90, body: '<</Type /Annot /Subtype /FreeText /Rect [50 500 550 560] /Contents (Tiesibas: VISAS) /DA (/Helv 24 Tf)>>' },
      { num: 5, body: page },
    ]);
    expect(verifySignature(modified, served.documents, options(pki.rsa)).failures).toEqual(['PDF_MODIFIED_AFTER_SIGNING']);
  });

  it('accepts validation material added after signing (a DSS, as at level LT) and exposes it for the long-term checks', () => {
    const catalog = lastObject(signed, 2).replace(/>>\s*$/, ' /DSS 91 0 R >>');
    const certificate = pki.rsa.ica.der;
    const withDss = appendUpdate(signed, [
      { num: 91, body: '<</Certs [92 0 R]>>' },
      { num: 92, body: `<</Length ${certificate.length}>>\nstream\n${certificate.toString('latin1')}\nendstream` },
      { num: 2, body: catalog },
    ]);
    const seen: number[] = [];
    const verdict = verifySignature(withDss, served.documents, options(pki.rsa, { longTerm: (_checks, signature) => void seen.push(signature.longTerm.certificates.filter((der) => der.equals(certificate)).length) }));
    expect(verdict.failures).toEqual([]);
    // Once carried in the CMS, once in the DSS.
    expect(seen).toEqual([2]);
  });

  it('refuses a PDF with no signature added', () => {
    const unsigned = appendUpdate(served.pdf, [{ num: 95, body: '<</Note (nothing)>>' }]);
    expect(verifySignature(unsigned, served.documents, options(pki.rsa)).failures).toEqual(['MALFORMED']);
  });
});
