/**
 * The port through which the service obtains a timestamp itself (a B-level signature completed to
 * T level), and its adapter: RFC 3161 over HTTP (`application/timestamp-query`), bounded by a
 * timeout. The token it returns is checked like any other before it counts.
 */
import { Asn1Error } from './asn1';
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
    let response: Response;
    try {
      response = await this.fetchImpl(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
        body: request.der,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      throw new TimestampUnavailable(name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : `the request failed (${name})`);
    }
    if (!response.ok) throw new TimestampUnavailable(`HTTP ${response.status}`);
    const body = Buffer.from(await response.arrayBuffer());
    if (body.length > MAX_RESPONSE_BYTES) throw new TimestampUnavailable(`a ${body.length}-byte answer`);
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
