/**
 * The port through which the service obtains a timestamp itself (a B-level signature completed to
 * T level), and its adapter: RFC 3161 over HTTP (`application/timestamp-query`), bounded by a
 * timeout. The token it returns is checked like any other before it counts.
 */
import { Asn1Error } from './asn1';
import { postBounded } from './bounded-post';
import { parseTimestampToken, timestampRequest, tokenFromResponse } from './timestamp-token';

export interface TimestampAuthority {
  /** A TimeStampToken (DER) over the SHA-256 of `covered`. */
  timestamp(covered: Buffer): Promise<Buffer>;
}

export class TimestampUnavailable extends Error {
  constructor(reason: string) {
    super(`the time-stamping authority gave no token: ${reason}`);
  }
}

/** Responses are small (a few kB); a larger one is not a TimeStampResp. */
const MAX_RESPONSE_BYTES = 256 * 1024;

export class HttpTimestampAuthority implements TimestampAuthority {
  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async timestamp(covered: Buffer): Promise<Buffer> {
    const request = timestampRequest(covered);
    const body = await postBounded(this.fetchImpl, {
      url: this.url,
      contentType: 'application/timestamp-query',
      accept: 'application/timestamp-reply',
      body: request.der,
      timeoutMs: this.timeoutMs,
      maxResponseBytes: MAX_RESPONSE_BYTES,
    });
    if (!Buffer.isBuffer(body)) throw new TimestampUnavailable(body.unavailable);
    let token: Buffer;
    try {
      token = tokenFromResponse(body);
      const nonce = parseTimestampToken(token).info.nonce;
      if (!nonce || BigInt(`0x${nonce.toString('hex')}`) !== BigInt(`0x${request.nonce.toString('hex')}`)) throw new Asn1Error('the token does not carry the nonce of the request');
    } catch (error) {
      throw new TimestampUnavailable(error instanceof Asn1Error ? error.message : 'an unreadable answer');
    }
    return token;
  }
}
