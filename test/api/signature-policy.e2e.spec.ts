/**
 * The acceptance policy over HTTP: under the default (latvian) a B-level signature is completed by
 * the service's TSA and the token kept in the event's evidence, or refused with TIMESTAMP_MISSING
 * when no TSA is configured; a TSA that does not answer is a 503; 'basic' accepts B level.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ensureDemoPki, parseCrl, signDetachedCades } from '@atlauja/signatures';
import { startOpensslOcspResponder } from '../../libs/signatures/src/testing/long-term-material';
import { DEMO_REPRESENTATIVE_CODE } from '../../apps/api/src/store/trust-material';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openTimestampAuthority, TimestampAuthority, toolAvailable } from '../../libs/signatures/src/testing/interop-tools';
import { testPki } from '../../libs/signatures/src/testing/test-pki';
import { bearer, draftBody, Harness, MINISTRY, MINISTRY_USER_RIGHTS, signDocument, startHarness } from '../support/api-harness';
import { oldFormatPersonalCode } from '../../libs/signatures/src/testing/personal-codes';

let user = 700;

async function submitted(h: Harness): Promise<{ id: string; document: string }> {
  user += 1;
  const token = h.tokens.representative;
  const body = draftBody({ user: { givenName: 'Ilze', surname: 'Kalniņa', personalCode: oldFormatPersonalCode('101190', 1, user), email: 'ilze@ministrija.gov.lv' } });
  const id: string = (await h.http().post('/applications').set(bearer(token)).send(body).expect(201)).body.applicationId;
  await h.http().put(`/applications/${id}/rights`).set(bearer(token)).send(MINISTRY_USER_RIGHTS).expect(200);
  await h.http().post(`/applications/${id}/submit`).set(bearer(token)).expect(200);
  const document = (await h.http().get(`/applications/${id}/document`).set(bearer(token)).expect(200)).body.contentBase64 as string;
  return { id, document };
}

const sign = (h: Harness, id: string, document: string) =>
  h.http().post(`/applications/${id}/signature`).set(bearer(h.tokens.representative)).send({ signature: signDocument(h.representativeChain, document) });

async function evidenceOf(h: Harness, id: string) {
  const events = await h.http().get(`/applications/${id}/events`).set(bearer(h.tokens.auditor)).expect(200);
  return events.body.events.find((e: { type: string }) => e.type === 'ApplicationSigned').data.evidence.verdict.evidence;
}

describe('latvian (the default) with the service’s TSA', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()), 120_000);
  afterAll(() => h.close());

  it('a B-level signature is completed with a timestamp over its signature value, kept in the evidence', async () => {
    const { id, document } = await submitted(h);
    await sign(h, id, document).expect(200);
    const evidence = await evidenceOf(h, id);
    expect(evidence.policy).toBe('latvian');
    expect(evidence.timestamps).toEqual([expect.objectContaining({ kind: 'service', valid: true, tsa: testPki().tsa.certificate.subject.text })]);
    expect(evidence.provenAt).toBe(evidence.timestamps[0].genTime);
  });
});

describe('local mode on the DEMO PKI: the DEMO TSA completes the demo signer’s B-level signature', () => {
  let h: Harness;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'atlauja-demo-tsa-'));
    h = await startHarness({ trust: undefined, timestampAuthority: undefined }, { DATA_DIR: dataDir });
  }, 120_000);
  afterAll(async () => {
    await h.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('signed as `npm run cli -- demo` signs, accepted under the default policy with a DEMO timestamp', async () => {
    const token = await h.mint({ subject: DEMO_REPRESENTATIVE_CODE, roles: ['representative'], institutions: [MINISTRY] });
    const body = draftBody({ user: { givenName: 'Ilze', surname: 'Kalniņa', personalCode: oldFormatPersonalCode('101190', 1, 900), email: 'ilze@ministrija.gov.lv' } });
    const id: string = (await h.http().post('/applications').set(bearer(token)).send(body).expect(201)).body.applicationId;
    await h.http().put(`/applications/${id}/rights`).set(bearer(token)).send(MINISTRY_USER_RIGHTS).expect(200);
    await h.http().post(`/applications/${id}/submit`).set(bearer(token)).expect(200);
    const document = Buffer.from((await h.http().get(`/applications/${id}/document`).set(bearer(token)).expect(200)).body.contentBase64, 'base64');
    const pki = ensureDemoPki(dataDir, DEMO_REPRESENTATIVE_CODE);
    const signature = signDetachedCades(document, { key: readFileSync(pki.signerKeyPath, 'utf8'), certificate: readFileSync(pki.signerCertificatePath, 'utf8'), signingTime: new Date() });
    await h.http().post(`/applications/${id}/signature`).set(bearer(token)).send({ signature: signature.toString('base64') }).expect(200);
    const events = await h.http().get(`/applications/${id}/events`).set(bearer(h.tokens.auditor)).expect(200);
    const evidence = events.body.events.find((e: { type: string }) => e.type === 'ApplicationSigned').data.evidence.verdict.evidence;
    expect(evidence.policy).toBe('latvian');
    expect(evidence.timestamps).toEqual([expect.objectContaining({ kind: 'service', valid: true, tsa: expect.stringContaining('DEMO laika zīmogs') })]);
  });
});

describe('latvian without a TSA', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness({ timestampAuthority: undefined })), 120_000);
  afterAll(() => h.close());

  it('a B-level signature is refused: 422 naming TIMESTAMP_MISSING, nothing appended', async () => {
    const { id, document } = await submitted(h);
    const refused = await sign(h, id, document).expect(422);
    expect(refused.body.failures).toEqual(['TIMESTAMP_MISSING']);
    expect((await h.http().get(`/applications/${id}`).set(bearer(h.tokens.representative)).expect(200)).body.status).toBe('submitted');
  });
});

describe('basic', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness({ timestampAuthority: undefined }, { SIGNATURE_POLICY: 'basic' })), 120_000);
  afterAll(() => h.close());

  it('accepts a B-level signature and records the policy', async () => {
    const { id, document } = await submitted(h);
    await sign(h, id, document).expect(200);
    const evidence = await evidenceOf(h, id);
    expect(evidence.policy).toBe('basic');
    expect(evidence.timestamps).toBeUndefined();
  });
});

const withOpenssl = toolAvailable('openssl') ? describe : describe.skip;

withOpenssl('latvian with TSA_URL: RFC 3161 over HTTP to `openssl ts -reply` on a loopback port', () => {
  let h: Harness;
  let tsa: TimestampAuthority;
  let server: Server;
  let answering = true;
  beforeAll(async () => {
    const pki = testPki();
    tsa = openTimestampAuthority(pki.tsa, [pki.rsa.root.der]);
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (!answering) return void response.writeHead(503).end();
        writeFileSync(join(tsa.dir, 'http.tsq'), Buffer.concat(chunks));
        execFileSync('openssl', ['ts', '-reply', '-config', 'ts.cnf', '-queryfile', 'http.tsq', '-out', 'http.tsr'], { cwd: tsa.dir, stdio: ['ignore', 'pipe', 'pipe'] });
        response.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(readFileSync(join(tsa.dir, 'http.tsr')));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
    h = await startHarness({ timestampAuthority: undefined }, { TSA_URL: url, TSA_TIMEOUT_MS: '5000' });
  }, 120_000);
  afterAll(async () => {
    await h.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    tsa.close();
  });

  it('a B-level signature is completed by the configured TSA', async () => {
    const { id, document } = await submitted(h);
    await sign(h, id, document).expect(200);
    const evidence = await evidenceOf(h, id);
    expect(evidence.timestamps).toEqual([expect.objectContaining({ kind: 'service', valid: true })]);
  });

  it('a TSA that does not grant is a 503 TIMESTAMP_UNAVAILABLE with Retry-After; the signature may be sent again', async () => {
    const { id, document } = await submitted(h);
    answering = false;
    try {
      const refused = await sign(h, id, document).expect(503);
      expect(refused.body.code).toBe('TIMESTAMP_UNAVAILABLE');
      expect(refused.headers['retry-after']).toBe('30');
    } finally {
      answering = true;
    }
    await sign(h, id, document).expect(200);
  });
});

withOpenssl('live OCSP: OCSP_URL to `openssl ocsp -port`, asked when the issuing CA has no CRL', () => {
  let h: Harness;
  let responder: { url: string; stop(): void };
  beforeAll(async () => {
    const pki = testPki();
    responder = await startOpensslOcspResponder({ certificate: pki.ec.holder, issuer: pki.ec.ica, responder: pki.ec.ocspResponder, status: 'good' });
    // The EC issuing CA's CRL is not configured: only OCSP can give the signer's status.
    const trust = { anchors: [pki.ec.anchor, pki.rsa.anchor], crls: [pki.ec.crls[0], ...pki.rsa.crls].map((der) => parseCrl(der)), demo: false };
    h = await startHarness({ trust }, { OCSP_URL: responder.url, OCSP_TIMEOUT_MS: '5000' });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    responder?.stop();
  });

  it('the responder’s good status stands in for the missing CRL; the response is kept in the evidence', async () => {
    const { id, document } = await submitted(h);
    await sign(h, id, document).expect(200);
    const evidence = await evidenceOf(h, id);
    expect(evidence.ocspResponses).toEqual([expect.objectContaining({ status: 'good', valid: true, serialNumber: testPki().ec.holder.certificate.serialHex })]);
    expect(evidence.timestamps).toEqual([expect.objectContaining({ kind: 'service', valid: true })]);
  });
});

describe('no CRL and no OCSP_URL', () => {
  let h: Harness;
  beforeAll(async () => {
    const pki = testPki();
    h = await startHarness({ trust: { anchors: [pki.ec.anchor], crls: [parseCrl(pki.ec.crls[0])], demo: false } });
  }, 120_000);
  afterAll(() => h.close());

  it('the signer’s status is unknown: refused with REVOCATION_UNKNOWN (fail closed)', async () => {
    const { id, document } = await submitted(h);
    expect((await sign(h, id, document).expect(422)).body.failures).toEqual(['REVOCATION_UNKNOWN']);
  });
});
