/**
 * Live OCSP (RFC 6960 over HTTP): the port through which the service asks a responder for a
 * certificate's status when the signature carries none, bounded by a timeout, with a cache. The
 * response it returns is judged like an embedded one (signer authorized, CertID, freshness).
 */
import { createHash } from 'node:crypto';
import { Asn1Error, bitStringOf, build, parseDer, sequenceOf, toDer } from './asn1';
import { postBounded } from './bounded-post';
import { Certificate } from './certificate';
import { OID } from './oids';
import { parseOcspResponse } from './ocsp';

export interface OcspResponder {
  /** A DER OCSPResponse about `certificate`, issued by `issuer`. */
  status(certificate: Certificate, issuer: Certificate): Promise<Buffer>;
}

export class OcspUnavailable extends Error {
  constructor(reason: string) {
    super(`the OCSP responder gave no status: ${reason}`);
  }
}

/** An OCSPRequest for one certificate, CertID with SHA-1 (what responders are required to support), no nonce. */
export function ocspRequest(certificate: Certificate, issuer: Certificate): Buffer {
  const spki = sequenceOf(parseDer(issuer.x509.publicKey.export({ type: 'spki', format: 'der' }), 'SPKI'), 'SPKI');
  const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest();
  const certId = build.sequence([
    build.sequence([build.oid(OID.sha1), build.null()]),
    build.octets(sha1(issuer.subject.der)),
    build.octets(sha1(bitStringOf(spki[1], 'subjectPublicKey').bytes)),
    build.integer(certificate.serial),
  ]);
  return toDer(build.sequence([build.sequence([build.sequence([build.sequence([certId])])])]));
}

const MAX_RESPONSE_BYTES = 64 * 1024;
const CACHE_ENTRIES = 1024;

export class HttpOcspResponder implements OcspResponder {
  private readonly cache = new Map<string, { der: Buffer; until: number }>();

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
    /** How long a response is reused (never past its nextUpdate). */
    private readonly cacheSeconds: number,
    private readonly clock: () => Date = () => new Date(),
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async status(certificate: Certificate, issuer: Certificate): Promise<Buffer> {
    const key = `${issuer.sha256}:${certificate.serialHex}`;
    const now = this.clock().getTime();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.der;
    const der = await postBounded(this.fetchImpl, {
      url: this.url,
      contentType: 'application/ocsp-request',
      accept: 'application/ocsp-response',
      body: ocspRequest(certificate, issuer),
      timeoutMs: this.timeoutMs,
      maxResponseBytes: MAX_RESPONSE_BYTES,
    });
    if (!Buffer.isBuffer(der)) throw new OcspUnavailable(der.unavailable);
    let nextUpdate: number | undefined;
    try {
      nextUpdate = parseOcspResponse(der).responses[0]?.nextUpdate?.getTime();
    } catch (error) {
      throw new OcspUnavailable(error instanceof Asn1Error ? error.message : 'an unreadable answer');
    }
    if (this.cache.size >= CACHE_ENTRIES) this.cache.clear();
    this.cache.set(key, { der, until: Math.min(now + this.cacheSeconds * 1000, nextUpdate ?? Number.POSITIVE_INFINITY) });
    return der;
  }
}
