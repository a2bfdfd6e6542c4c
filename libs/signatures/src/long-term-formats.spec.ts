/**
 * Level T and LT in the container formats: an EDOC signed by xmlsec1 with an `openssl ts` token as
 * its SignatureTimeStamp and `openssl ocsp` responses in RevocationValues; a PDF signed by pdfsig
 * with an `openssl ts` token in its CMS, and with a document timestamp. Every OCSP code is
 * triggered by a response openssl made for the crafted case.
 */
import { AcceptancePolicy, acceptancePolicyCheck } from './acceptance-policy';
import { SignedDocuments } from './documents';
import {
  ASICE_MIMETYPE,
  addSignatureTimestamp,
  manifestXml,
  openTimestampAuthority,
  pdfSignedWithPdfsig,
  signWithXmlsec1,
  signaturesFile,
  timestampToken,
  toolAvailable,
  xadesSignatureTemplate,
  zipEntries,
  TimestampAuthority as OpensslTsa,
} from './testing/interop-tools';
import { OcspCase, opensslOcspResponse, withXadesRevocationValues } from './testing/long-term-material';
import { servedSubmission, signingTimeOf } from './testing/scenario';
import { testPki } from './testing/test-pki';
import { issueTimestampToken } from './testing/timestamp-authority';
import { Verdict } from './verdict';
import { VerifyOptions, verifySignature } from './verify';

const HAS_TOOLS = ['openssl', 'xmlsec1'].every(toolAvailable);
if (!HAS_TOOLS) console.warn('openssl or xmlsec1 is not installed: the XAdES-T/LT tests are skipped');
const HAS_PDFSIG = ['pdfsig', 'certutil', 'pk12util', 'openssl'].every(toolAvailable);
if (!HAS_PDFSIG) console.warn('pdfsig or certutil/pk12util is not installed: the PAdES-T tests are skipped');

const pki = testPki();
const chain = pki.rsa;
const latvian: AcceptancePolicy = { name: 'latvian', tsaAnchors: [pki.rsa.anchor] };
const failing = (verdict: Verdict) => verdict.checks.filter((check) => !check.ok).map((check) => `${check.code}: ${check.detail}`);

(HAS_TOOLS ? describe : describe.skip)('XAdES-T and XAdES-LT in an EDOC (xmlsec1, openssl ts, openssl ocsp)', () => {
  let served: { json: Buffer; pdf: Buffer; documents: SignedDocuments };
  let signatures: Buffer;
  let tsa: OpensslTsa;
  const edoc = (xml: Buffer): Buffer => {
    const files = [{ name: 'pieteikums.pdf', bytes: served.pdf }];
    return zipEntries([
      { name: 'mimetype', bytes: Buffer.from(ASICE_MIMETYPE) },
      ...files,
      { name: 'META-INF/manifest.xml', bytes: Buffer.from(manifestXml(files.map((f) => ({ name: f.name, mediaType: 'application/pdf' })))) },
      { name: 'META-INF/signatures0.xml', bytes: xml },
    ]);
  };
  const options = (extra: Partial<VerifyOptions> & { policy?: AcceptancePolicy } = {}): VerifyOptions => ({
    trustAnchors: [chain.anchor],
    crls: chain.crls,
    now: new Date(Date.now() + 5_000),
    expectedPersonalCode: chain.personalCode,
    format: 'xades',
    longTerm: acceptancePolicyCheck(extra.policy ?? latvian),
    ...extra,
  });
  const withOcsp = (ocspCase: Partial<OcspCase>): Buffer => {
    const { xml } = addSignatureTimestamp(signatures, tsa);
    const response = opensslOcspResponse({ certificate: chain.holder, issuer: chain.ica, responder: chain.ocspResponder, status: 'good', ...ocspCase });
    return edoc(withXadesRevocationValues(xml, [response], [chain.ica.der]));
  };

  beforeAll(async () => {
    served = await servedSubmission();
    const template = signaturesFile([xadesSignatureTemplate({ files: ['pieteikums.pdf'], signer: chain.holder, chain: [chain.ica.der], signingTime: signingTimeOf(pki) })]);
    signatures = signWithXmlsec1(template, [{ name: 'pieteikums.pdf', bytes: served.pdf }], [{ id: 'S0', party: chain.holder }]);
    tsa = openTimestampAuthority(pki.tsa, [pki.rsa.root.der]);
  });
  afterAll(() => tsa?.close());

  it('B level: refused under the latvian policy (TIMESTAMP_MISSING), accepted under basic', () => {
    expect(verifySignature(edoc(signatures), served.documents, options()).failures).toEqual(['TIMESTAMP_MISSING']);
    expect(verifySignature(edoc(signatures), served.documents, options({ policy: { ...latvian, name: 'basic' } })).failures).toEqual([]);
  });

  it('B level completed by the service: a token over the exclusive-C14N ds:SignatureValue it names', () => {
    const first = verifySignature(edoc(signatures), served.documents, options());
    expect(first.untimestamped?.[0].toString('utf8')).toMatch(/^<ds:SignatureValue xmlns:ds="http:\/\/www.w3.org\/2000\/09\/xmldsig#" Id="S0-SIG">/);
    const token = timestampToken(tsa, first.untimestamped?.[0] as Buffer);
    const verdict = verifySignature(edoc(signatures), served.documents, options({ serviceTimestamps: [token] }));
    expect(failing(verdict)).toEqual([]);
    expect(verdict.evidence.timestamps?.map((stamp) => stamp.kind)).toEqual(['service']);
  });

  it('T level: the SignatureTimeStamp by openssl ts is accepted, its genTime the proven time', () => {
    const { xml, token } = addSignatureTimestamp(signatures, tsa);
    const verdict = verifySignature(edoc(xml), served.documents, options());
    expect(failing(verdict)).toEqual([]);
    expect(verdict.provenAt).toBeDefined();
    expect(verdict.evidence.timestamps).toEqual([expect.objectContaining({ kind: 'signature', valid: true, tokenB64: token.toString('base64') })]);
  });

  it('T level: TIMESTAMP_IMPRINT_MISMATCH when the SignatureTimeStamp is over another signature value', () => {
    const { xml } = addSignatureTimestamp(signatures, tsa);
    const token = timestampToken(tsa, Buffer.from('<ds:SignatureValue>another</ds:SignatureValue>'));
    const swapped = xml.toString('utf8').replace(/<xades:EncapsulatedTimeStamp>[^<]*</, `<xades:EncapsulatedTimeStamp>${token.toString('base64')}<`);
    expect(verifySignature(edoc(Buffer.from(swapped)), served.documents, options()).failures).toEqual(['TIMESTAMP_IMPRINT_MISMATCH']);
  });

  it('LT level: an OCSP response of the CA’s authorized responder, good, is checked and kept in the evidence', () => {
    const verdict = verifySignature(withOcsp({}), served.documents, options());
    expect(failing(verdict)).toEqual([]);
    expect(verdict.evidence.ocspResponses).toEqual([expect.objectContaining({ status: 'good', valid: true, serialNumber: chain.holder.certificate.serialHex, responder: chain.ocspResponder.certificate.subject.text })]);
    expect(verdict.checks.filter((check) => check.code.startsWith('OCSP_')).map((check) => [check.code, check.ok])).toEqual([
      ['OCSP_FOR_OTHER_CERT', true],
      ['OCSP_NOT_AUTHORIZED', true],
      ['OCSP_STALE', true],
    ]);
  });

  it('LT level: signed by the issuing CA itself is authorized too', () => {
    expect(failing(verifySignature(withOcsp({ responder: chain.ica }), served.documents, options()))).toEqual([]);
  });

  it('OCSP_NOT_AUTHORIZED: signed by a responder another CA authorized', () => {
    expect(verifySignature(withOcsp({ responder: pki.ec.ocspResponder }), served.documents, options()).failures).toEqual(['OCSP_NOT_AUTHORIZED']);
  });

  it('OCSP_NOT_AUTHORIZED: signed by a certificate of this CA without id-kp-OCSPSigning', () => {
    const verdict = verifySignature(withOcsp({ responder: pki.rsa.issueHolder() }), served.documents, options());
    expect(verdict.failures).toEqual(['OCSP_NOT_AUTHORIZED']);
    expect(failing(verdict)[0]).toMatch(/lacks id-kp-OCSPSigning/);
  });

  it('OCSP_FOR_OTHER_CERT: the only response is about another certificate', () => {
    expect(verifySignature(withOcsp({ certificate: chain.issueHolder() }), served.documents, options()).failures).toEqual(['OCSP_FOR_OTHER_CERT']);
  });

  it('CERT_REVOKED: the responder says revoked before the timestamp', () => {
    const verdict = verifySignature(withOcsp({ status: 'revoked', revokedAt: new Date(pki.now.getTime() - 3600_000) }), served.documents, options());
    expect(verdict.failures).toEqual(['CERT_REVOKED']);
    expect(verdict.evidence.ocspResponses?.[0].status).toBe('revoked');
  });

  it('OCSP_STALE: the response is older than the configured bound before the timestamp', () => {
    const response = opensslOcspResponse({ certificate: chain.holder, issuer: chain.ica, responder: chain.ocspResponder, status: 'good' });
    const { xml } = addSignatureTimestamp(signatures, tsa);
    const lt = edoc(withXadesRevocationValues(xmlWithoutTimestamp(xml), [response], [chain.ica.der]));
    const covered = verifySignature(lt, served.documents, options()).untimestamped?.[0] as Buffer;
    // The service's timestamp is two hours after the response was produced.
    const stamp = issueTimestampToken(pki.tsa, covered, { genTime: () => new Date(Date.now() + 2 * 3600_000) });
    const at = (ocspMaxAgeSeconds: number) =>
      verifySignature(lt, served.documents, options({ now: new Date(Date.now() + 3 * 3600_000), serviceTimestamps: [stamp], policy: { ...latvian, ocspMaxAgeSeconds } }));
    expect(at(3600).failures).toEqual(['OCSP_STALE']);
    expect(at(3 * 3600).failures).toEqual([]);
  });

  it('OCSP_INVALID: an unreadable response', () => {
    const { xml } = addSignatureTimestamp(signatures, tsa);
    expect(verifySignature(edoc(withXadesRevocationValues(xml, [Buffer.from('not ocsp')], [])), served.documents, options()).failures).toEqual(['OCSP_INVALID']);
  });
});

/** The XAdES-T signature with its SignatureTimeStamp element emptied out (the unsigned properties kept for RevocationValues). */
function xmlWithoutTimestamp(xml: Buffer): Buffer {
  return Buffer.from(xml.toString('utf8').replace(/<xades:SignatureTimeStamp[\s\S]*?<\/xades:SignatureTimeStamp>/, ''));
}

(HAS_PDFSIG ? describe : describe.skip)('PAdES-T: a pdfsig signature with an openssl ts document timestamp', () => {
  let served: { json: Buffer; pdf: Buffer; documents: SignedDocuments };
  let signed: Buffer;
  let tsa: OpensslTsa;
  const options = (extra: Partial<VerifyOptions> = {}): VerifyOptions => ({
    trustAnchors: [chain.anchor],
    crls: chain.crls,
    now: new Date(Date.now() + 60_000),
    expectedPersonalCode: chain.personalCode,
    format: 'pades',
    longTerm: acceptancePolicyCheck(latvian),
    ...extra,
  });
  beforeAll(async () => {
    served = await servedSubmission();
    signed = pdfSignedWithPdfsig(served.pdf, chain.holder, [chain.ica.der]);
    tsa = openTimestampAuthority(pki.tsa, [pki.rsa.root.der]);
  });
  afterAll(() => tsa?.close());

  it('B level is refused under the latvian policy', () => {
    expect(verifySignature(signed, served.documents, options()).failures).toEqual(['TIMESTAMP_MISSING']);
  });

  it('a document timestamp (/Type /DocTimeStamp, ETSI.RFC3161) over the signed PDF is accepted', () => {
    const verdict = verifySignature(withDocumentTimestamp(signed, tsa), served.documents, options());
    expect(failing(verdict)).toEqual([]);
    expect(verdict.evidence.timestamps?.map((stamp) => stamp.kind)).toEqual(['document']);
  });

  it('TIMESTAMP_IMPRINT_MISMATCH: a document timestamp over other bytes', () => {
    expect(verifySignature(withDocumentTimestamp(signed, tsa, Buffer.from('other')), served.documents, options()).failures).toEqual(['TIMESTAMP_IMPRINT_MISMATCH']);
  });
});

/**
 * An incremental update with one DocTimeStamp signature dictionary: the ByteRange is fixed first
 * (fixed-width numbers), then the token over those bytes is written into the reserved /Contents.
 */
function withDocumentTimestamp(pdf: Buffer, tsa: OpensslTsa, stampInstead?: Buffer): Buffer {
  const text = pdf.toString('latin1');
  const prev = Number([...text.matchAll(/startxref\s+(\d+)/g)].at(-1)?.[1]);
  const root = [...text.matchAll(/\/Root (\d+) 0 R/g)].at(-1)?.[1];
  const num = Math.max(...[...text.matchAll(/\/Size (\d+)/g)].map((m) => Number(m[1])));
  const reserved = 8_192;
  const pad = (n: number) => String(n).padStart(10, '0');
  const objectAt = pdf.length + 1;
  const head = `\n${num} 0 obj\n<</Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 /ByteRange [`;
  const byteRangeLength = 4 * 10 + 3;
  const contentsAt = pdf.length + head.length + byteRangeLength + '] /Contents '.length;
  const afterContents = contentsAt + reserved * 2 + 2;
  const xrefAt = afterContents + '>>\nendobj\n'.length;
  const tail = `>>\nendobj\nxref\n0 1\n0000000000 65535 f \n${num} 1\n${pad(objectAt)} 00000 n \ntrailer\n<</Size ${num + 1} /Root ${root} 0 R /Prev ${prev}>>\nstartxref\n${xrefAt}\n%%EOF\n`;
  const end = afterContents + tail.length;
  const byteRange = `${pad(0)} ${pad(contentsAt)} ${pad(afterContents)} ${pad(end - afterContents)}`;
  const build = (hex: string) => Buffer.concat([pdf, Buffer.from(`${head}${byteRange}] /Contents <${hex}>${tail}`, 'latin1')]);
  const draft = build('0'.repeat(reserved * 2));
  const covered = Buffer.concat([draft.subarray(0, contentsAt), draft.subarray(afterContents)]);
  const token = timestampToken(tsa, stampInstead ?? covered);
  if (token.length > reserved) throw new Error(`a ${token.length}-byte token does not fit`);
  return build(token.toString('hex').padEnd(reserved * 2, '0'));
}
