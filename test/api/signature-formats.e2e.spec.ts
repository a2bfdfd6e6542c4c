import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import {
  addSignatureTimestamp,
  ASICE_MIMETYPE,
  manifestXml,
  openTimestampAuthority,
  pdfSignedWithPdfsig,
  pem,
  signaturesFile,
  signWithXmlsec1,
  toolAvailable,
  xadesSignatureTemplate,
  zipEntries,
} from '../../libs/signatures/src/testing/interop-tools';
import { oldFormatPersonalCode } from '../../libs/signatures/src/testing/personal-codes';
import { TestChain, testPki } from '../../libs/signatures/src/testing/test-pki';
import { bearer, draftBody, Harness, MINISTRY_USER_RIGHTS, startHarness } from '../support/api-harness';

const TOOLS = ['xmlsec1', 'pdfsig', 'certutil', 'pk12util', 'openssl'];
const missing = TOOLS.filter((tool) => !toolAvailable(tool));
if (missing.length > 0) console.warn(`${missing.join(', ')} not installed (Debian xmlsec1, poppler-utils, libnss3-tools, openssl): the signature format e2e tests are skipped`);
const withTools = missing.length === 0 ? describe : describe.skip;

const EDOC = 'application/vnd.etsi.asic-e+zip';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Each signing format as a representative uses it, over HTTP against the real application. */
withTools('signing as Latvians sign: EDOC, PAdES and CAdES over HTTP', () => {
  let h: Harness;
  let user = 600;
  // PGlite and Nest start in seconds on an idle machine; the shared CI machine can be far from idle.
  beforeAll(async () => (h = await startHarness()), 120_000);
  afterAll(() => h.close());

  async function draftAndSubmit(token: string): Promise<string> {
    user += 1;
    const body = draftBody({ user: { givenName: 'Ērika', surname: 'Šķēle', personalCode: oldFormatPersonalCode('121288', 1, user), email: 'erika@ministrija.gov.lv' } });
    const drafted = await h.http().post('/applications').set(bearer(token)).send(body).expect(201);
    const id: string = drafted.body.applicationId;
    await h.http().put(`/applications/${id}/rights`).set(bearer(token)).send(MINISTRY_USER_RIGHTS).expect(200);
    await h.http().post(`/applications/${id}/submit`).set(bearer(token)).expect(200);
    return id;
  }

  async function servedPdf(id: string, token: string): Promise<Buffer> {
    const response = await h.http().get(`/applications/${id}/document`).set(bearer(token)).set('accept', 'application/pdf').buffer(true).parse(binary as never).expect(200);
    const pdf = response.body as Buffer;
    expect(response.headers['content-type']).toMatch(/^application\/pdf/);
    expect(response.headers['x-document-sha256']).toBe(sha256(pdf));
    expect(response.headers['digest']).toBe(`sha-256=${createHash('sha256').update(pdf).digest('base64')}`);
    return pdf;
  }

  async function statusOf(id: string, token: string): Promise<{ status: string; revision: string }> {
    return (await h.http().get(`/applications/${id}`).set(bearer(token)).expect(200)).body;
  }

  function edoc(pdf: Buffer, chain: TestChain, signatures?: Buffer): Buffer {
    const files = [{ name: 'pieteikums.pdf', bytes: pdf }];
    const signed = signatures ?? signWithXmlsec1(signaturesFile([xadesSignatureTemplate({ files: ['pieteikums.pdf'], signer: chain.holder, chain: [chain.ica.der], signingTime: new Date(Date.now() - 60_000) })]), files, [{ id: 'S0', party: chain.holder }]);
    return zipEntries([
      { name: 'mimetype', bytes: Buffer.from(ASICE_MIMETYPE) },
      ...files,
      { name: 'META-INF/manifest.xml', bytes: Buffer.from(manifestXml([{ name: 'pieteikums.pdf', mediaType: 'application/pdf' }])) },
      { name: 'META-INF/signatures0.xml', bytes: signed },
    ]);
  }

  it('the document is served as a PDF and as the JSON view, each with its SHA-256; the JSON view names the PDF', async () => {
    const id = await draftAndSubmit(h.tokens.representative);
    const pdf = await servedPdf(id, h.tokens.representative);
    const view = await h.http().get(`/applications/${id}/document`).set(bearer(h.tokens.representative)).set('accept', 'application/json').expect(200);
    expect(view.headers['x-document-sha256']).toBe(view.body.sha256);
    expect(view.body.readable).toEqual({ mediaType: 'application/pdf', sha256: sha256(pdf), fileName: `pieteikums-${id}.pdf` });
    // Served twice, the same bytes.
    expect((await servedPdf(id, h.tokens.representative)).equals(pdf)).toBe(true);
  });

  it('an EDOC with a XAdES B signature by xmlsec1 takes the application to signed', async () => {
    const id = await draftAndSubmit(h.tokens.representative);
    const pdf = await servedPdf(id, h.tokens.representative);
    await h.http().post(`/applications/${id}/signature`).set(bearer(h.tokens.representative)).set('content-type', EDOC).send(edoc(pdf, h.representativeChain)).expect(200);
    expect((await statusOf(id, h.tokens.representative)).status).toBe('signed');
    const events = await h.http().get(`/applications/${id}/events`).set(bearer(h.tokens.auditor)).expect(200);
    const signed = events.body.events.find((e: { type: string }) => e.type === 'ApplicationSigned');
    expect(signed).toBeDefined();
  });

  it('an EDOC with a XAdES T signature (an openssl ts timestamp) takes the application to signed', async () => {
    const id = await draftAndSubmit(h.tokens.representative);
    const pdf = await servedPdf(id, h.tokens.representative);
    const chain = h.representativeChain;
    const files = [{ name: 'pieteikums.pdf', bytes: pdf }];
    const b = signWithXmlsec1(signaturesFile([xadesSignatureTemplate({ files: ['pieteikums.pdf'], signer: chain.holder, chain: [chain.ica.der], signingTime: new Date(Date.now() - 60_000) })]), files, [{ id: 'S0', party: chain.holder }]);
    // openssl ts signing as the test PKI's TSA, which the harness trusts.
    const pki = testPki();
    const tsa = openTimestampAuthority(pki.tsa, [pki.rsa.root.der]);
    let token: Buffer;
    try {
      const stamped = addSignatureTimestamp(b, tsa);
      token = stamped.token;
      await h.http().post(`/applications/${id}/signature`).set(bearer(h.tokens.representative)).set('content-type', EDOC).send(edoc(pdf, chain, stamped.xml)).expect(200);
    } finally {
      tsa.close();
    }
    expect((await statusOf(id, h.tokens.representative)).status).toBe('signed');
    // The signature's own timestamp counts: the service stamps nothing more, and keeps the token.
    const events = await h.http().get(`/applications/${id}/events`).set(bearer(h.tokens.auditor)).expect(200);
    const evidence = events.body.events.find((e: { type: string }) => e.type === 'ApplicationSigned').data.evidence.verdict.evidence;
    expect(evidence.timestamps).toEqual([expect.objectContaining({ kind: 'signature', valid: true, tokenB64: token.toString('base64') })]);
    expect(evidence.provenAt).toBe(evidence.timestamps[0].genTime);
  });

  it('the served PDF signed by pdfsig (PAdES) takes the application to signed', async () => {
    // The colleague's certificate is RSA: poppler 22 cannot sign with the EC test key.
    const id = await draftAndSubmit(h.tokens.otherRepresentative);
    const pdf = await servedPdf(id, h.tokens.otherRepresentative);
    const signed = pdfSignedWithPdfsig(pdf, h.otherPersonChain.holder, [h.otherPersonChain.ica.der]);
    await h.http().post(`/applications/${id}/signature`).set(bearer(h.tokens.otherRepresentative)).set('content-type', 'application/pdf').send(signed).expect(200);
    expect((await statusOf(id, h.tokens.otherRepresentative)).status).toBe('signed');
  });

  it('a detached CAdES .p7s by openssl cms -sign -cades over the canonical JSON takes the application to signed', async () => {
    const id = await draftAndSubmit(h.tokens.representative);
    const view = await h.http().get(`/applications/${id}/document`).set(bearer(h.tokens.representative)).expect(200);
    const dir = mkdtempSync(join(tmpdir(), 'atlauja-cms-'));
    try {
      const chain = h.representativeChain;
      writeFileSync(join(dir, 'document.json'), Buffer.from(view.body.contentBase64, 'base64'));
      writeFileSync(join(dir, 'signer.pem'), pem(chain.holder.der));
      writeFileSync(join(dir, 'ica.pem'), pem(chain.ica.der));
      writeFileSync(join(dir, 'signer.key'), chain.holder.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
      execFileSync('openssl', ['cms', '-sign', '-binary', '-cades', '-md', 'sha256', '-in', 'document.json', '-signer', 'signer.pem', '-inkey', 'signer.key', '-certfile', 'ica.pem', '-outform', 'DER', '-out', 'document.p7s'], { cwd: dir });
      const p7s = readFileSync(join(dir, 'document.p7s'));
      await h.http().post(`/applications/${id}/signature`).set(bearer(h.tokens.representative)).set('content-type', 'application/pkcs7-signature').send(p7s).expect(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect((await statusOf(id, h.tokens.representative)).status).toBe('signed');
  });

  describe('hostile uploads: each a named 422, nothing appended', () => {
    let id: string;
    let pdf: Buffer;
    let good: Buffer;
    const fixture = (name: string) => readFileSync(join('/work/shared/interop/libdigidocpp', name));
    beforeAll(async () => {
      id = await draftAndSubmit(h.tokens.representative);
      pdf = await servedPdf(id, h.tokens.representative);
      good = edoc(pdf, h.representativeChain);
    });
    const base = () => [
      { name: 'mimetype', bytes: Buffer.from(ASICE_MIMETYPE) },
      { name: 'pieteikums.pdf', bytes: pdf },
    ];
    const signaturesOf = () => {
      const entries = unzipSync(good);
      return Buffer.from(entries['META-INF/signatures0.xml']);
    };

    const cases: [string, () => Buffer, string, string?][] = [
      ['entity expansion (libdigidocpp xml-bomb-attr.xml)', () => zipEntries([...base(), { name: 'META-INF/signatures0.xml', bytes: fixture('xml-bomb-attr.xml') }]), 'XML_FORBIDDEN'],
      ['entity expansion (libdigidocpp xml-bomb-cont.xml)', () => zipEntries([...base(), { name: 'META-INF/signatures0.xml', bytes: fixture('xml-bomb-cont.xml') }]), 'XML_FORBIDDEN'],
      [
        'an external entity (XXE)',
        () => zipEntries([...base(), { name: 'META-INF/signatures0.xml', bytes: Buffer.from(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///work/shared/interop/libdigidocpp/xxe-sentinel.txt">]><x>&e;</x>`) }]),
        'XML_FORBIDDEN',
      ],
      ['a zip bomb', () => zipEntries([...base(), { name: 'bomb.bin', bytes: Buffer.alloc(40 * 1024 * 1024) }]), 'CONTAINER_TOO_LARGE'],
      ['path traversal', () => zipEntries([...base(), { name: '../../etc/cron.d/x', bytes: Buffer.from('x') }]), 'CONTAINER_UNSAFE_NAME'],
      ['duplicate names', () => zipEntries([...base(), { name: 'Pieteikums.PDF', bytes: Buffer.from('x') }]), 'CONTAINER_DUPLICATE_NAME'],
      ['no mimetype', () => zipEntries([{ name: 'pieteikums.pdf', bytes: pdf }, { name: 'META-INF/signatures0.xml', bytes: signaturesOf() }]), 'MIMETYPE_MISSING'],
      ['mimetype not first', () => zipEntries([{ name: 'pieteikums.pdf', bytes: pdf }, { name: 'mimetype', bytes: Buffer.from(ASICE_MIMETYPE) }, { name: 'META-INF/signatures0.xml', bytes: signaturesOf() }]), 'MIMETYPE_INVALID'],
      ['an extra file', () => zipEntries([...base(), { name: 'piezimes.txt', bytes: Buffer.from('x') }, { name: 'META-INF/signatures0.xml', bytes: signaturesOf() }]), 'CONTAINER_EXTRA_FILE'],
      [
        'signature wrapping (a second SignedProperties)',
        () => {
          const text = signaturesOf().toString('utf8');
          const copy = text.match(/<xades:QualifyingProperties[\s\S]*?<\/xades:QualifyingProperties>/)?.[0].replace('Id="S0-SignedProperties"', 'Id="S0-SP2"') ?? '';
          return zipEntries([...base(), { name: 'META-INF/signatures0.xml', bytes: Buffer.from(text.replace('</ds:Object>', `</ds:Object><ds:Object>${copy}</ds:Object>`)) }]);
        },
        'SIGNATURE_WRAPPING',
      ],
      ['the libdigidocpp forged LT container', () => fixture('forged_lt.asice'), 'SIGNATURE_INVALID'],
      ['the libdigidocpp "folder/../" container', () => fixture('asice-relative.asice'), 'CONTAINER_UNSAFE_NAME'],
      ['the libdigidocpp "." container', () => fixture('dot.asice'), 'CONTAINER_UNSAFE_NAME'],
      ['a truncated ZIP', () => good.subarray(0, good.length - 40), 'MALFORMED'],
      ['bytes of no known format', () => Buffer.from('<html>not a signature</html>'), 'FORMAT_UNKNOWN', 'application/octet-stream'],
      ['a PDF that is not the served one', () => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(100)]), 'CONTENT_MISMATCH', 'application/pdf'],
    ];

    it.each(cases)('%s', async (_name, make, code, contentType = EDOC) => {
      const before = await statusOf(id, h.tokens.representative);
      const response = await h.http().post(`/applications/${id}/signature`).set(bearer(h.tokens.representative)).set('content-type', contentType).send(make()).expect(422);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.failures).toContain(code);
      expect(JSON.stringify(response.body)).not.toContain('XXESENTINEL');
      const after = await statusOf(id, h.tokens.representative);
      expect(after).toMatchObject({ status: 'submitted', revision: before.revision });
    });

    it('and the good container still signs it afterwards', async () => {
      await h.http().post(`/applications/${id}/signature`).set(bearer(h.tokens.representative)).set('content-type', EDOC).send(good).expect(200);
      expect((await statusOf(id, h.tokens.representative)).status).toBe('signed');
    });
  });
});

function binary(response: NodeJS.ReadableStream & { setEncoding(e: string): void }, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
}
