/**
 * The token check per request: LocalTokenIssuer.verify of the same token again and again (verified by
 * signature once, then served from the cache until it expires) beside the same verification without
 * the cache (maxEntries 0: every request checks the ES256 signature), in verifications/s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalTokenIssuer } from '@atlauja/auth';
import { round } from './support/stats';

export interface TokenRow {
  case: string;
  verificationsPerSecond: number;
}

async function rate(issuer: LocalTokenIssuer, token: string, ms: number): Promise<number> {
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < ms) {
    await issuer.verify(token);
    n += 1;
  }
  return (n * 1000) / (performance.now() - started);
}

export async function runTokenBench(ms = 1000): Promise<TokenRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'atlauja-tokens-'));
  try {
    const cached = await LocalTokenIssuer.open(dir);
    const uncached = await LocalTokenIssuer.open(dir, { cache: { maxEntries: 0 } });
    const token = await cached.mint({ subject: '010190-12345', roles: ['representative'], institutions: ['90000000001'] });
    const withCache = await rate(cached, token, ms);
    const without = await rate(uncached, token, ms);
    return [
      { case: 'cached (verified once per token)', verificationsPerSecond: round(withCache) },
      { case: 'signature checked on every request', verificationsPerSecond: round(without) },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
