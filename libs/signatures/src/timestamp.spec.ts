/**
 * RFC 3161 timestamps on CAdES signatures under the acceptance policy: tokens from `openssl ts`
 * (an independent TSA) signing with the test PKI's TSA certificate, and crafted tokens from the
 * in-process authority for each way a timestamp can fail.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AcceptancePolicy, acceptancePolicyCheck } from './acceptance-policy';
import { parseCrl } from './crl';
import { reverifyFromEvidence } from './evidence';
import { toPem } from './certificate';
import { sampleDocument, signAs, signingTimeOf, verifyAgainst } from './testing/scenario';
import { TestChain, testPki } from './testing/test-pki';
import { openTimestampAuthority, pem, timestampToken, toolAvailable, TimestampAuthority as OpensslTsa } from './testing/interop-tools';
import { cmsSignatureValue, opensslOcspResponse, startOpensslOcspResponder, withCmsOcspResponses, withSignatureTimestamp } from './testing/long-term-material';
import { HttpOcspResponder, OcspUnavailable } from './ocsp-client';
import { issueTimestampToken } from './testing/timestamp-authority';
import { trustAnchorFrom } from './trust-store';
import { HttpTimestampAuthority, TimestampUnavailable } from './tsa-client';
import { Verdict } from './verdict';
import { VerifyOptions } from './verify';

const HAS_OPENSSL = toolAvailable('openssl');
if (!HAS_OPENSSL) console.warn('openssl is not installed: the openssl ts timestamp tests are skipped');
const withOpenssl = HAS_OPENSSL ? describe : describe.skip;

const pki = testPki();
const latvian: AcceptancePolicy = { name: 'latvian', tsaAnchors: [pki.rsa.anchor] };
const underPolicy = (policy: AcceptancePolicy, extra: Partial<VerifyOptions> = {}): Partial<VerifyOptions> => ({ longTerm: acceptancePolicyCheck(policy), ...extra });
const failing = (verdict: Verdict) => verdict.checks.filter((check) => !check.ok).map((check) => `${check.code}: ${check.detail}`);
/** Just after the reference time: a token issued then is not in the future. */
const stampedAt = () => new Date(pki.now.getTime() - 30_000);

describe('the acceptance policy over a B-level CAdES signature', () => {
  const signature = signAs(pki, pki.ec);

  it('latvian: refused with TIMESTAMP_MISSING, naming the bytes a timestamp must cover', () => {
    const verdict = verifyAgainst(pki, pki.ec, signature, underPolicy(latvian));
    expect(verdict.failures).toEqual(['TIMESTAMP_MISSING']);
    expect(verdict.untimestamped).toEqual([cmsSignatureValue(signature)]);
    expect(verdict.evidence.policy).toBe('latvian');
  });

  it('basic: accepted, the policy recorded, no proven time', () => {
    const verdict = verifyAgainst(pki, pki.ec, signature, underPolicy({ ...latvian, name: 'basic' }));
    expect(verdict.failures).toEqual([]);
    expect(verdict.evidence.policy).toBe('basic');
    expect(verdict.provenAt).toBeUndefined();
    expect(verdict.untimestamped).toBeUndefined();
  });

  it('latvian: completed by a token the service obtained over the signature value, kept in the evidence', () => {
    const token = issueTimestampToken(pki.tsa, cmsSignatureValue(signature), { genTime: stampedAt });
    const verdict = verifyAgainst(pki, pki.ec, signature, underPolicy(latvian, { serviceTimestamps: [token] }));
    expect(failing(verdict)).toEqual([]);
    expect(verdict.provenAt).toBe(stampedAt().toISOString());
    expect(verdict.evidence.provenAt).toBe(verdict.provenAt);
    expect(verdict.evidence.timestamps).toEqual([expect.objectContaining({ kind: 'service', valid: true, tokenB64: token.toString('base64'), genTime: verdict.provenAt })]);
  });

  it('re-verification from the evidence judges the kept service token again, with the same proven time', () => {
    const token = issueTimestampToken(pki.tsa, cmsSignatureValue(signature), { genTime: stampedAt });
    const original = verifyAgainst(pki, pki.ec, signature, underPolicy(latvian, { serviceTimestamps: [token] }));
    const options = { trustAnchors: [pki.ec.anchor], crls: pki.ec.crls, expectedPersonalCode: pki.ec.personalCode };
    const again = reverifyFromEvidence(original.evidence, sampleDocument(), { ...options, longTerm: acceptancePolicyCheck(latvian) });
    expect(again.failures).toEqual([]);
    expect(again.provenAt).toBe(original.provenAt);
    expect(again.evidence.timestamps).toEqual(original.evidence.timestamps);
    // A token swapped in the stored evidence no longer covers the signature: the policy finds none.
    const forged = { ...original.evidence, timestamps: [{ ...original.evidence.timestamps![0], tokenB64: issueTimestampToken(pki.tsa, Buffer.from('x')).toString('base64') }] };
    expect(reverifyFromEvidence(forged, sampleDocument(), { ...options, longTerm: acceptancePolicyCheck(latvian) }).failures).toEqual(['TIMESTAMP_MISSING']);
  });

  it('ignores a service token over another signature (its imprint names other bytes): still TIMESTAMP_MISSING', () => {
    const token = issueTimestampToken(pki.tsa, Buffer.from('another signature value'), { genTime: stampedAt });
    expect(verifyAgainst(pki, pki.ec, signature, underPolicy(latvian, { serviceTimestamps: [token] })).failures).toEqual(['TIMESTAMP_MISSING']);
  });
});

describe('a CAdES-T signature: each way its timestamp can fail has its code', () => {
  const signature = signAs(pki, pki.ec);
  const stamped = (token: Buffer) => withSignatureTimestamp(signature, token);
  const verify = (token: Buffer, policy: AcceptancePolicy = latvian, chain: TestChain = pki.ec) => verifyAgainst(pki, chain, stamped(token), underPolicy(policy));

  it('is accepted with a valid token: genTime becomes the proven time', () => {
    const verdict = verify(issueTimestampToken(pki.tsa, cmsSignatureValue(signature), { genTime: stampedAt }));
    expect(failing(verdict)).toEqual([]);
    expect(verdict.provenAt).toBe(stampedAt().toISOString());
    expect(verdict.evidence.timestamps?.[0]).toEqual(expect.objectContaining({ kind: 'signature', valid: true, tsa: pki.tsa.certificate.subject.text }));
    expect(verdict.checks.find((check) => check.code === 'CERT_NOT_VALID_AT_TIMESTAMP')?.ok).toBe(true);
  });

  it('TIMESTAMP_IMPRINT_MISMATCH: the token stamps other bytes', () => {
    expect(verify(issueTimestampToken(pki.tsa, cmsSignatureValue(signature), { genTime: stampedAt, imprintOf: Buffer.from('x') })).failures).toEqual(['TIMESTAMP_IMPRINT_MISMATCH']);
  });

  it("TIMESTAMP_INVALID: the TSA's signature does not verify (one bit of it flipped)", () => {
    const token = issueTimestampToken(pki.tsa, cmsSignatureValue(signature), { genTime: stampedAt });
    token[token.length - 1] ^= 1;
    expect(verify(token).failures).toEqual(['TIMESTAMP_INVALID']);
  });

  it('TIMESTAMP_INVALID: not a time-stamp token at all', () => {
    expect(verify(signAs(pki, pki.rsa)).failures).toEqual(['TIMESTAMP_INVALID']);
  });

  it('TIMESTAMP_INVALID: genTime before the claimed signing time', () => {
    const early = () => new Date(signingTimeOf(pki).getTime() - 3600_000);
    expect(verify(issueTimestampToken(pki.tsa, cmsSignatureValue(signature), { genTime: early })).failures).toEqual(['TIMESTAMP_INVALID']);
  });

  it('TSA_NOT_TRUSTED: the TSA chains to no TSA anchor', () => {
    expect(verify(issueTimestampToken(pki.tsa, cmsSignatureValue(signature), { genTime: stampedAt }), { ...latvian, tsaAnchors: [pki.ec.anchor] }).failures).toEqual(['TSA_NOT_TRUSTED']);
  });

  it('TSA_NOT_TRUSTED: a trusted CA that is not a time-stamping authority (no timeStamping EKU)', () => {
    const token = issueTimestampToken(pki.rsa.ica, cmsSignatureValue(signature), { genTime: stampedAt });
    const verdict = verify(token);
    expect(verdict.failures).toEqual(['TSA_NOT_TRUSTED']);
    expect(failing(verdict)[0]).toMatch(/not a time-stamping certificate/);
  });

  it('TSA_NOT_QUALIFIED: trusted, but not among the configured qualified TSAs; accepted once it is', () => {
    const token = issueTimestampToken(pki.tsa, cmsSignatureValue(signature), { genTime: stampedAt });
    expect(verify(token, { ...latvian, qualifiedTsas: [pki.ec.anchor] }).failures).toEqual(['TSA_NOT_QUALIFIED']);
    expect(verify(token, { ...latvian, qualifiedTsas: [trustAnchorFrom(pki.tsa.der)] }).failures).toEqual([]);
  });

  it('CERT_NOT_VALID_AT_TIMESTAMP: the signer certificate expired between the signing and the timestamp', () => {
    const holder = pki.ec.issueHolder({ notAfter: new Date(pki.now.getTime() - 45_000) });
    const short = signAs(pki, pki.ec, holder);
    const token = issueTimestampToken(pki.tsa, cmsSignatureValue(short), { genTime: stampedAt });
    const verdict = verifyAgainst(pki, pki.ec, withSignatureTimestamp(short, token), underPolicy(latvian));
    expect(verdict.failures).toEqual(['CERT_NOT_VALID_AT_TIMESTAMP']);
  });

  it('CERT_NOT_VALID_AT_TIMESTAMP: the signer was revoked before the timestamp (beside CERT_REVOKED)', () => {
    const token = issueTimestampToken(pki.tsa, cmsSignatureValue(signature), { genTime: stampedAt });
    const crl = pki.ec.icaCrl({ revoked: [{ serial: pki.ec.holder.certificate.serial, revokedAt: new Date(pki.now.getTime() - 40_000) }] });
    const verdict = verifyAgainst(pki, pki.ec, stamped(token), underPolicy(latvian, { crls: [pki.ec.crls[0], crl] }));
    expect(verdict.failures).toEqual(['CERT_NOT_VALID_AT_TIMESTAMP', 'CERT_REVOKED']);
    expect(parseCrl(crl).revoked.size).toBe(1);
  });
});

withOpenssl('timestamps from `openssl ts` (an independent TSA)', () => {
  let tsa: OpensslTsa;
  beforeAll(() => {
    tsa = openTimestampAuthority(pki.tsa, [pki.rsa.root.der]);
  });
  afterAll(() => tsa.close());
  const now = () => new Date(Date.now() + 5_000);

  it('CAdES-T: our signature with an openssl ts token over its signature value is accepted; openssl ts -verify agrees', () => {
    const signature = signAs(pki, pki.ec);
    const token = timestampToken(tsa, cmsSignatureValue(signature));
    const verdict = verifyAgainst(pki, pki.ec, withSignatureTimestamp(signature, token), underPolicy(latvian, { now: now() }));
    expect(failing(verdict)).toEqual([]);
    expect(verdict.provenAt).toBeDefined();
    writeFileSync(join(tsa.dir, 'root.pem'), pem(pki.rsa.root.der));
    writeFileSync(join(tsa.dir, 'stamped.bin'), cmsSignatureValue(signature));
    writeFileSync(join(tsa.dir, 'evidence-token.der'), Buffer.from(verdict.evidence.timestamps?.[0].tokenB64 ?? '', 'base64'));
    const out = execFileSync('openssl', ['ts', '-verify', '-data', 'stamped.bin', '-in', 'evidence-token.der', '-token_in', '-CAfile', 'root.pem', '-untrusted', 'tsa.crt'], { cwd: tsa.dir, encoding: 'utf8' });
    expect(out).toMatch(/Verification: OK/);
  });

  it('CAdES-T made by OpenSSL: `openssl cms -sign -cades`, then an openssl ts token added as signatureTimeStampToken', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlauja-cades-t-'));
    try {
      writeFileSync(join(dir, 'document.json'), sampleDocument());
      writeFileSync(join(dir, 'holder.pem'), toPem(pki.ec.holder.der, 'CERTIFICATE'));
      writeFileSync(join(dir, 'holder.key'), pki.ec.holder.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
      writeFileSync(join(dir, 'ica.pem'), toPem(pki.ec.ica.der, 'CERTIFICATE'));
      execFileSync('openssl', ['cms', '-sign', '-binary', '-cades', '-md', 'sha256', '-in', 'document.json', '-signer', 'holder.pem', '-inkey', 'holder.key', '-certfile', 'ica.pem', '-outform', 'DER', '-out', 'signature.p7s'], { cwd: dir });
      const signature = readFileSync(join(dir, 'signature.p7s'));
      const stamped = withSignatureTimestamp(signature, timestampToken(tsa, cmsSignatureValue(signature)));
      expect(verifyAgainst(pki, pki.ec, signature, underPolicy(latvian, { now: now() })).failures).toEqual(['TIMESTAMP_MISSING']);
      const verdict = verifyAgainst(pki, pki.ec, stamped, underPolicy(latvian, { now: now() }));
      expect(failing(verdict)).toEqual([]);
      expect(verdict.provenAt).toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('CAdES-LT: an `openssl ocsp` response among the CMS revocation info (RFC 5940) is checked and kept', () => {
    const signature = signAs(pki, pki.ec);
    const token = timestampToken(tsa, cmsSignatureValue(signature));
    const good = opensslOcspResponse({ certificate: pki.ec.holder, issuer: pki.ec.ica, responder: pki.ec.ocspResponder, status: 'good' });
    const verdict = verifyAgainst(pki, pki.ec, withCmsOcspResponses(withSignatureTimestamp(signature, token), [good]), underPolicy(latvian, { now: now() }));
    expect(failing(verdict)).toEqual([]);
    expect(verdict.evidence.ocspResponses).toEqual([expect.objectContaining({ status: 'good', valid: true, responseB64: good.toString('base64') })]);
    const other = opensslOcspResponse({ certificate: pki.ec.issueHolder(), issuer: pki.ec.ica, responder: pki.ec.ocspResponder, status: 'good' });
    expect(verifyAgainst(pki, pki.ec, withCmsOcspResponses(withSignatureTimestamp(signature, token), [other]), underPolicy(latvian, { now: now() })).failures).toEqual(['OCSP_FOR_OTHER_CERT']);
  });

  it('an authorized OCSP response stands in for a missing CRL; without either the status is unknown (fail closed)', () => {
    const stamped = (extra: Buffer[]) => {
      const plain = signAs(pki, pki.ec);
      return withCmsOcspResponses(withSignatureTimestamp(plain, timestampToken(tsa, cmsSignatureValue(plain))), extra);
    };
    const onlyRootCrl = { crls: [pki.ec.crls[0]] };
    const good = opensslOcspResponse({ certificate: pki.ec.holder, issuer: pki.ec.ica, responder: pki.ec.ocspResponder, status: 'good' });
    const withOcsp = verifyAgainst(pki, pki.ec, stamped([good]), underPolicy(latvian, { now: now(), ...onlyRootCrl }));
    expect(failing(withOcsp)).toEqual([]);
    expect(withOcsp.checks.find((check) => check.code === 'REVOCATION_UNKNOWN' && check.detail.includes('OCSP'))?.ok).toBe(true);
    expect(verifyAgainst(pki, pki.ec, stamped([]), underPolicy(latvian, { now: now(), ...onlyRootCrl })).failures).toEqual(['REVOCATION_UNKNOWN']);
    const revoked = opensslOcspResponse({ certificate: pki.ec.holder, issuer: pki.ec.ica, responder: pki.ec.ocspResponder, status: 'revoked', revokedAt: new Date(pki.now.getTime() - 3600_000) });
    expect(verifyAgainst(pki, pki.ec, stamped([revoked]), underPolicy(latvian, { now: now(), ...onlyRootCrl })).failures).toEqual(['CERT_REVOKED']);
    // A response from a responder the CA did not authorize gives no status.
    const foreign = opensslOcspResponse({ certificate: pki.ec.holder, issuer: pki.ec.ica, responder: pki.rsa.ocspResponder, status: 'good' });
    expect(verifyAgainst(pki, pki.ec, stamped([foreign]), underPolicy(latvian, { now: now(), ...onlyRootCrl })).failures).toEqual(['OCSP_NOT_AUTHORIZED', 'REVOCATION_UNKNOWN']);
  });

  it('live OCSP: `openssl ocsp -port` asked over HTTP; its answer gives the status where no CRL does, and is cached', async () => {
    const responder = await startOpensslOcspResponder({ certificate: pki.ec.holder, issuer: pki.ec.ica, responder: pki.ec.ocspResponder, status: 'good' });
    let client: HttpOcspResponder;
    try {
      client = new HttpOcspResponder(responder.url, 5_000, 300);
      const plain = signAs(pki, pki.ec);
      const stamped = withSignatureTimestamp(plain, timestampToken(tsa, cmsSignatureValue(plain)));
      const fetched = await client.status(pki.ec.holder.certificate, pki.ec.ica.certificate);
      const verdict = verifyAgainst(pki, pki.ec, stamped, underPolicy(latvian, { now: now(), crls: [pki.ec.crls[0]], fetchedOcspResponses: [fetched] }));
      expect(failing(verdict)).toEqual([]);
      expect(verdict.evidence.ocspResponses).toEqual([expect.objectContaining({ status: 'good', valid: true, responder: pki.ec.ocspResponder.certificate.subject.text })]);
    } finally {
      responder.stop();
    }
    // The responder is gone: the cached answer is still given, a new question is not answered.
    await expect(client.status(pki.ec.holder.certificate, pki.ec.ica.certificate)).resolves.toBeInstanceOf(Buffer);
    await expect(client.status(pki.ec.issueHolder().certificate, pki.ec.ica.certificate)).rejects.toThrow(OcspUnavailable);
  });

  it('TSA_NOT_TRUSTED: a self-signed openssl TSA nobody configured', () => {
    const stranger = openTimestampAuthority();
    try {
      const signature = signAs(pki, pki.ec);
      const verdict = verifyAgainst(pki, pki.ec, withSignatureTimestamp(signature, timestampToken(stranger, cmsSignatureValue(signature))), underPolicy(latvian, { now: now() }));
      expect(verdict.failures).toEqual(['TSA_NOT_TRUSTED']);
    } finally {
      stranger.close();
    }
  });

  describe('the service obtaining a timestamp over HTTP (RFC 3161 over HTTP, openssl ts -reply behind a loopback server)', () => {
    let server: Server;
    let url: string;
    let delayMs = 0;
    const pending = new Set<NodeJS.Timeout>();
    beforeAll(async () => {
      server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          if (request.url === '/garbage') return void response.writeHead(200).end('not a TimeStampResp');
          const timer = setTimeout(() => {
            pending.delete(timer);
            writeFileSync(join(tsa.dir, 'http.tsq'), Buffer.concat(chunks));
            execFileSync('openssl', ['ts', '-reply', '-config', 'ts.cnf', '-queryfile', 'http.tsq', '-out', 'http.tsr'], { cwd: tsa.dir, stdio: ['ignore', 'pipe', 'pipe'] });
            response.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(readFileSync(join(tsa.dir, 'http.tsr')));
          }, delayMs);
          pending.add(timer);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
    });
    afterAll(async () => {
      for (const timer of pending) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('a B-level signature completed with the token the TSA returned is accepted under the latvian policy', async () => {
      const signature = signAs(pki, pki.ec);
      const first = verifyAgainst(pki, pki.ec, signature, underPolicy(latvian, { now: now() }));
      const tokens = await Promise.all((first.untimestamped ?? []).map((bytes) => new HttpTimestampAuthority(url, 5_000).timestamp(bytes)));
      const verdict = verifyAgainst(pki, pki.ec, signature, underPolicy(latvian, { now: now(), serviceTimestamps: tokens }));
      expect(failing(verdict)).toEqual([]);
      expect(verdict.evidence.timestamps).toEqual([expect.objectContaining({ kind: 'service', valid: true })]);
    });

    it('gives up after its timeout with TimestampUnavailable', async () => {
      delayMs = 1_500;
      try {
        await expect(new HttpTimestampAuthority(url, 100).timestamp(Buffer.from('x'))).rejects.toThrow(TimestampUnavailable);
      } finally {
        delayMs = 0;
      }
    });

    it('refuses an answer that is not a TimeStampResp, and a refused connection', async () => {
      await expect(new HttpTimestampAuthority(url.replace('/tsa', '/garbage'), 1_000).timestamp(Buffer.from('x'))).rejects.toThrow(/TimeStampResp/);
      await expect(new HttpTimestampAuthority('http://127.0.0.1:9/tsa', 1_000).timestamp(Buffer.from('x'))).rejects.toThrow(TimestampUnavailable);
    });
  });
});
