/**
 * Level T and LT material added to signatures for tests: a signatureTimeStampToken as a CMS
 * unsigned attribute (CAdES-T),
 * OCSP responses made by `openssl ocsp` from an index file, and XAdES RevocationValues.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Asn1Node, build, parseDer, toDer } from '../asn1';
import { parseSignedData } from '../cms';
import { OID } from '../oids';
import { pem } from './interop-tools';
import { Party } from './test-pki';

/** The bytes a signature timestamp over this CMS covers: its SignerInfo's signature value. */
export function cmsSignatureValue(cms: Buffer): Buffer {
  return parseSignedData(cms).signerInfos[0].signature;
}

/** The CMS with `token` added as a signatureTimeStampToken unsigned attribute of its (first) SignerInfo. */
export function withSignatureTimestamp(cms: Buffer, token: Buffer): Buffer {
  const contentInfo = parseDer(cms, 'ContentInfo');
  const signedData = ((contentInfo.value as Asn1Node[])[1].value as Asn1Node[])[0];
  const fields = signedData.value as Asn1Node[];
  const signerInfo = (fields[fields.length - 1].value as Asn1Node[])[0];
  const attribute = build.sequence([build.oid(OID.signatureTimeStampToken), build.set([build.fromDer(token, 'token')])]);
  (signerInfo.value as Asn1Node[]).push(build.implicitConstructed(1, [attribute]));
  return toDer(contentInfo);
}

/** CAdES-LT: the CMS with these OCSP responses among its revocation info (RFC 5940, `crls [1]`, other format). */
export function withCmsOcspResponses(cms: Buffer, responses: Buffer[]): Buffer {
  const contentInfo = parseDer(cms, 'ContentInfo');
  const signedData = ((contentInfo.value as Asn1Node[])[1].value as Asn1Node[])[0];
  const fields = signedData.value as Asn1Node[];
  const others = responses.map((der) => build.implicitConstructed(1, [build.oid(OID.riOcspResponse), build.fromDer(der, 'OCSPResponse')]));
  // [1] crls comes after [0] certificates, before signerInfos.
  fields.splice(fields.length - 1, 0, build.implicitConstructed(1, others));
  return toDer(contentInfo);
}

export interface OcspCase {
  /** Who the response is about (its serial is what the request asks). */
  certificate: Party;
  issuer: Party;
  /** Who signs the response: the CA, its OCSP responder, or someone else. */
  responder: Party;
  status: 'good' | 'revoked';
  revokedAt?: Date;
}

const indexTime = (date: Date): string => date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';

/** A DER OCSPResponse made by `openssl ocsp` as a responder over an index file (the CA database format). */
export function opensslOcspResponse(ocspCase: OcspCase): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'atlauja-ocsp-'));
  try {
    const write = (name: string, content: string) => writeFileSync(join(dir, name), content);
    write('issuer.pem', pem(ocspCase.issuer.der));
    write('cert.pem', pem(ocspCase.certificate.der));
    write('responder.pem', pem(ocspCase.responder.der));
    write('responder.key', ocspCase.responder.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const certificate = ocspCase.certificate.certificate;
    const revoked = ocspCase.status === 'revoked' ? indexTime(ocspCase.revokedAt ?? new Date()) : '';
    write('index.txt', `${ocspCase.status === 'revoked' ? 'R' : 'V'}\t${indexTime(certificate.notAfter)}\t${revoked}\t${certificate.serialHex}\tunknown\t/CN=holder\n`);
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    run(['ocsp', '-issuer', 'issuer.pem', '-cert', 'cert.pem', '-no_nonce', '-reqout', 'request.der']);
    run(['ocsp', '-index', 'index.txt', '-CA', 'issuer.pem', '-rsigner', 'responder.pem', '-rkey', 'responder.key', '-reqin', 'request.der', '-respout', 'response.der', '-ndays', '1']);
    return readFileSync(join(dir, 'response.der'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `openssl ocsp` as a live responder on a loopback port (started here, stopped by `stop`), answering
 * from an index file for the certificates of `ocspCase` (its `certificate` as good or revoked).
 */
export async function startOpensslOcspResponder(ocspCase: OcspCase): Promise<{ url: string; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'atlauja-ocsp-live-'));
  const write = (name: string, content: string) => writeFileSync(join(dir, name), content);
  write('issuer.pem', pem(ocspCase.issuer.der));
  write('responder.pem', pem(ocspCase.responder.der));
  write('responder.key', ocspCase.responder.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  const certificate = ocspCase.certificate.certificate;
  const revoked = ocspCase.status === 'revoked' ? indexTime(ocspCase.revokedAt ?? new Date()) : '';
  write('index.txt', `${ocspCase.status === 'revoked' ? 'R' : 'V'}\t${indexTime(certificate.notAfter)}\t${revoked}\t${certificate.serialHex}\tunknown\t/CN=holder\n`);
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
  const child: ChildProcess = spawn('openssl', ['ocsp', '-index', 'index.txt', '-port', String(port), '-CA', 'issuer.pem', '-rsigner', 'responder.pem', '-rkey', 'responder.key', '-nmin', '60'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('openssl ocsp did not start listening')), 10_000);
    const ready = (chunk: Buffer) => {
      if (!/waiting for OCSP client connections/i.test(chunk.toString())) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout?.on('data', ready);
    child.stderr?.on('data', ready);
    child.on('exit', (code) => reject(new Error(`openssl ocsp exited (${code})`)));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () => {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** XAdES-LT: xades:CertificateValues and xades:RevocationValues (OCSP) added to the unsigned signature properties of `id`. */
export function withXadesRevocationValues(signatures: Buffer, ocsp: Buffer[], certificates: Buffer[], id = 'S0'): Buffer {
  const text = signatures.toString('utf8');
  const values =
    `<xades:CertificateValues>${certificates.map((der) => `<xades:EncapsulatedX509Certificate>${der.toString('base64')}</xades:EncapsulatedX509Certificate>`).join('')}</xades:CertificateValues>` +
    `<xades:RevocationValues><xades:OCSPValues>${ocsp.map((der) => `<xades:EncapsulatedOCSPValue>${der.toString('base64')}</xades:EncapsulatedOCSPValue>`).join('')}</xades:OCSPValues></xades:RevocationValues>`;
  const signatureAt = text.indexOf(`<ds:Signature Id="${id}"`);
  const at = text.indexOf('</xades:UnsignedSignatureProperties>', signatureAt);
  if (at < 0) throw new Error('add a signature timestamp first: no xades:UnsignedSignatureProperties');
  return Buffer.from(text.slice(0, at) + values + text.slice(at), 'utf8');
}
