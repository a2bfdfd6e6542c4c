/**
 * Verified tokens, remembered until they expire: a command's token is checked by signature once, not
 * on every request. Keyed by the token's SHA-256 (the token itself is never kept), bounded (least
 * recently used go first), and an entry ends at the token's `exp` plus the clock tolerance the
 * verifier allows, or after `maxAgeMs`, whichever comes first (so a key withdrawn from a JWKS stops
 * being honoured within that bound). Refusals are not remembered.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Principal } from './principal';

export interface VerifiedToken {
  principal: Principal;
  /** The token's `exp` (seconds since the epoch), if it has one. */
  exp?: number;
}

export interface TokenCacheOptions {
  /** Most tokens remembered; 0 remembers none (every request checks the signature). */
  maxEntries?: number;
  /** Longest a verification is trusted, whatever the token's `exp`. */
  maxAgeMs?: number;
}

export const DEFAULT_TOKEN_CACHE: Required<TokenCacheOptions> = { maxEntries: 10_000, maxAgeMs: 5 * 60_000 };

interface Entry {
  principal: Principal;
  /** Milliseconds since the epoch after which the entry is not served. */
  until: number;
}

export class VerifiedTokenCache {
  /** None when no token may be remembered (lru-cache needs a bound of at least one). */
  private readonly entries: LRUCache<string, Entry> | undefined;
  private readonly options: Required<TokenCacheOptions>;

  constructor(
    options: TokenCacheOptions = {},
    private readonly now: () => Date = () => new Date(),
    private readonly clockToleranceMs = 0,
  ) {
    this.options = { ...DEFAULT_TOKEN_CACHE, ...options };
    this.entries = this.options.maxEntries > 0 ? new LRUCache({ max: this.options.maxEntries }) : undefined;
  }

  /** The principal of a token verified before and not expired since; else `verify` runs (and its success is kept). */
  async principalOf(token: string, verify: () => Promise<VerifiedToken>): Promise<Principal> {
    if (!this.entries) return (await verify()).principal;
    const key = createHash('sha256').update(token, 'utf8').digest('base64');
    const at = this.now().getTime();
    // Expiry is checked against the injected clock (the verifier's), not the cache's own timer.
    const known = this.entries.get(key);
    if (known !== undefined && at < known.until) return copyOf(known.principal);
    if (known !== undefined) this.entries.delete(key);
    const verified = await verify();
    const expires = verified.exp === undefined ? Infinity : verified.exp * 1000 + this.clockToleranceMs;
    this.entries.set(key, { principal: copyOf(verified.principal), until: Math.min(expires, at + this.options.maxAgeMs) });
    return verified.principal;
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }
}

/** Callers get their own copy: a principal changed by one request must not leak into the next. */
function copyOf(principal: Principal): Principal {
  return { ...principal, roles: [...principal.roles], institutions: [...principal.institutions] };
}
