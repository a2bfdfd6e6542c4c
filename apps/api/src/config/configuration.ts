import { resolve } from 'node:path';
import { DEFAULT_READ_MODEL_SCHEMA } from '@atlauja/projections';

/** The service's configuration, read once from the environment and validated at start. */
export interface AppConfig {
  mode: 'local' | 'server';
  host: string;
  port: number;
  dataDir: string;
  /** Raw environment handed to the libraries that read their own variables (event store). */
  env: Record<string, string | undefined>;
  oidc?: { issuer: string; audience: string; jwksUri?: string };
  trustedCaDir?: string;
  crlDir?: string;
  bodyLimitBytes: number;
  readYourWritesTimeoutMs: number;
  /** How often the registry's timers run (campaign deadlines, deletions 6 months after deactivation); 0 = never. */
  registryTimerSeconds: number;
  /** How often the rights-over-time process runs (supersession, expiry, notices); 0 = never. */
  expiryIntervalSeconds: number;
  /** How often trust anchors and CRLs are re-read from their folders. */
  trustRefreshSeconds: number;
  /** PSEUDONYM_KEY (hex, >= 32 bytes): names users' grant streams; required in server mode, a file in DATA_DIR/auth in local mode. */
  pseudonymKey?: string;
  /** The PostgreSQL schema of the read models: READ_MODEL_SCHEMA, default read_models. */
  readModelSchema: string;
  logLevel: string;
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

function integer(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return value;
}

/** Every problem is collected and reported at once, each naming the variable and the rule. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const problems: string[] = [];
  const mode = (env.MODE ?? 'local') as AppConfig['mode'];
  if (mode !== 'local' && mode !== 'server') problems.push(`MODE must be "local" or "server" (got "${env.MODE}")`);
  if (mode === 'local' && env.NODE_ENV === 'production') {
    problems.push('MODE=local refuses NODE_ENV=production: local mode issues its own tokens and trusts a DEMO CA');
  }

  let oidc: AppConfig['oidc'];
  if (mode === 'server') {
    if (!env.OIDC_ISSUER) problems.push('OIDC_ISSUER is required in server mode (the token issuer URL)');
    if (!env.OIDC_AUDIENCE) problems.push('OIDC_AUDIENCE is required in server mode');
    if (!env.TRUSTED_CA_DIR) problems.push('TRUSTED_CA_DIR is required in server mode (qualified CA certificates)');
    if (!env.CRL_DIR) problems.push('CRL_DIR is required in server mode (current CRLs of those CAs)');
    if (!env.PSEUDONYM_KEY) problems.push('PSEUDONYM_KEY is required in server mode (hex, at least 32 bytes; the same for every replica and worker, never changed)');
    if (env.OIDC_ISSUER && env.OIDC_AUDIENCE) oidc = { issuer: env.OIDC_ISSUER, audience: env.OIDC_AUDIENCE, jwksUri: env.OIDC_JWKS_URI };
  }

  const config: AppConfig = {
    mode,
    host: env.HOST ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535, problems),
    dataDir: resolve(env.DATA_DIR ?? './data'),
    env,
    oidc,
    trustedCaDir: env.TRUSTED_CA_DIR,
    crlDir: env.CRL_DIR,
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024, problems),
    readYourWritesTimeoutMs: integer(env, 'READ_YOUR_WRITES_TIMEOUT_MS', 2000, 0, 60000, problems),
    registryTimerSeconds: integer(env, 'REGISTRY_TIMER_SECONDS', 60, 0, 86400, problems),
    expiryIntervalSeconds: integer(env, 'EXPIRY_INTERVAL_SECONDS', 60, 0, 86400, problems),
    trustRefreshSeconds: integer(env, 'TRUST_REFRESH_SECONDS', 300, 1, 86400, problems),
    pseudonymKey: env.PSEUDONYM_KEY?.trim() || undefined,
    readModelSchema: env.READ_MODEL_SCHEMA?.trim() || DEFAULT_READ_MODEL_SCHEMA,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
  // The same rule as the worker's and the CLI's: it is interpolated into SQL as an identifier.
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(config.readModelSchema)) problems.push('READ_MODEL_SCHEMA must be a lower-case SQL identifier of at most 40 characters');
  if (config.pseudonymKey !== undefined && !/^(?:[0-9a-fA-F]{2}){32,}$/.test(config.pseudonymKey)) problems.push('PSEUDONYM_KEY must be hex of at least 32 bytes (64 hex characters)');
  if (problems.length > 0) throw new ConfigurationError(problems);
  return config;
}
