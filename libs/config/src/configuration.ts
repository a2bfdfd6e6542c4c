/**
 * The one configuration of the api, the worker and the CLI, read from the environment and checked at
 * start. Every problem is collected and reported at once, each naming the variable and the rule
 * (ConfigurationError). A URL that may carry a password is never echoed.
 */
import { resolve } from 'node:path';
import { DEFAULT_SCHEMA, type EventStoreConfig } from '@atlauja/event-store';
import { ConfigurationError, type ConfigProblem } from './configuration-error';
import { SECRET_VARIABLES, variables, type VariableName, type Variables } from './variables';

/** Which process reads the configuration: each requires what it uses. */
export type ProcessRole = 'api' | 'worker' | 'cli';

export type LogLevel = NonNullable<Variables['LOG_LEVEL']>;

export interface Configuration {
  mode: 'local' | 'server';
  nodeEnv?: string;
  host: string;
  port: number;
  /** Absolute, or ':memory:'. */
  dataDir: string;
  store: EventStoreConfig;
  /** PostgreSQL of the read models and idempotency keys; unset: the store's own database. */
  readDatabaseUrl?: string;
  readModelSchema: string;
  oidc?: { issuer: string; audience: string; jwksUri?: string; maxAgeSeconds: number };
  trustedCaDir?: string;
  /**
   * A trusted list (ETSI TS 119 612 XML) and the certificate(s) it must be signed by: its CA/QC
   * services are trust anchors and its TSA/QTST services qualified TSAs, judged at the signing time.
   */
  trustedList?: { file: string; signerCert: string };
  crlDir?: string;
  crlArchiveDir: string;
  trustRefreshSeconds: number;
  /** A CRL past its nextUpdate: 'refuse' (default, fail closed) or 'accept-stale' (applied, and the evidence says so). */
  crlStalePolicy: 'refuse' | 'accept-stale';
  /**
   * What a signature must carry to be accepted, and how the service completes it: 'latvian'
   * (default) requires a qualified timestamp, which the service obtains from `tsaUrl` when the
   * signature has none; 'basic' accepts B level.
   */
  signatures: {
    policy: 'latvian' | 'basic';
    tsaUrl?: string;
    tsaTimeoutMs: number;
    /** Anchors of TSA certificates; unset: the signing trust anchors. */
    tsaTrustedDir?: string;
    /** When set, a timestamp's TSA must be one of these (qualified TSAs). */
    qualifiedTsaDir?: string;
    ocspMaxAgeSeconds: number;
    /** Live OCSP: asked when a certificate of the path has neither a CRL nor an embedded response. */
    ocspUrl?: string;
    ocspTimeoutMs: number;
  };
  bodyLimitBytes: number;
  readYourWritesTimeoutMs: number;
  expiryIntervalSeconds: number;
  registryTimerSeconds: number;
  /** How often the embedded database is vacuumed and analyzed where autovacuum would (0: never). */
  embeddedMaintenanceSeconds: number;
  /** Whether this process runs the projection runner (api: local mode by default; the worker always). */
  runProjections: boolean;
  /** What /ready tolerates of the projections before it says not ready (0: no bound). */
  readiness: { maxLagEvents: number; maxLagSeconds: number };
  worker: { host: string; port: number };
  metrics: boolean;
  tracing: { exporter: 'off' | 'otlp'; endpoint?: string };
  logLevel: LogLevel;
  /** Names users' grant streams (hex); unset in local mode: a key file in DATA_DIR/auth. */
  pseudonymKey?: string;
  /** The api the CLI talks to (demo, import --url). */
  apiUrl: string;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 3000,
  dataDir: './data',
  storeTimeoutMs: 5000,
  readModelSchema: 'read_models',
  workerPort: 3001,
} as const;

export const IN_MEMORY_DATA_DIR = ':memory:';

/** Reads and checks the configuration for `role`; throws ConfigurationError listing every problem. */
export function loadConfiguration(env: Record<string, string | undefined>, role: ProcessRole): Configuration {
  const problems: ConfigProblem[] = [];
  const v = parseVariables(env, problems);
  const invalid = new Set(problems.map((p) => p.variable));
  const require = (name: VariableName, why: string): void => {
    if (v[name] === undefined && !invalid.has(name)) problems.push({ variable: name, rule: `is required ${why}` });
  };

  const mode = v.MODE ?? 'local';
  if (mode === 'local' && v.NODE_ENV === 'production') {
    problems.push({ variable: 'MODE', rule: 'must be server with NODE_ENV=production: local mode issues its own tokens and trusts a DEMO CA' });
  }
  if (mode === 'server') require('EVENT_STORE', 'in server mode (embedded, postgres or eventstoredb): a server never falls back to an embedded store');
  const storeKind = v.EVENT_STORE ?? 'embedded';
  if (storeKind === 'postgres') require('DATABASE_URL', 'when EVENT_STORE=postgres (postgres://user@host:5432/database)');
  if (storeKind === 'eventstoredb') require('EVENTSTORE_URL', 'when EVENT_STORE=eventstoredb (esdb://host:2113?tls=true)');
  if (role !== 'cli' && storeKind === 'eventstoredb' && !invalid.has('EVENT_STORE')) {
    require('READ_DATABASE_URL', 'when EVENT_STORE=eventstoredb (the read models live in PostgreSQL)');
  }
  if (role === 'api' && mode === 'server') {
    require('OIDC_ISSUER', 'in server mode (the token issuer URL)');
    require('OIDC_AUDIENCE', 'in server mode (the audience of our tokens)');
    if (v.TRUSTED_LIST_FILE === undefined) require('TRUSTED_CA_DIR', 'in server mode unless TRUSTED_LIST_FILE is set (the qualified CA certificates)');
    require('CRL_DIR', 'in server mode (the current CRLs of those CAs)');
  }
  // A list is trusted only for the signature of a certificate configured beside it, never its own.
  if (v.TRUSTED_LIST_FILE !== undefined) require('TRUSTED_LIST_SIGNER_CERT', 'when TRUSTED_LIST_FILE is set (the certificate(s) the list must be signed by, PEM or DER)');
  if (v.TRUSTED_LIST_SIGNER_CERT !== undefined) require('TRUSTED_LIST_FILE', 'when TRUSTED_LIST_SIGNER_CERT is set (the trusted list it signs)');
  if (role !== 'cli' && mode === 'server') require('PSEUDONYM_KEY', 'in server mode (hex, at least 32 bytes; the same for every replica and worker, never changed: it names the grant streams)');
  if (v.TRACING === 'otlp') require('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'when TRACING=otlp (http://collector:4318/v1/traces)');
  if (problems.length > 0) throw new ConfigurationError(problems);

  const dataDirText = v.DATA_DIR ?? DEFAULTS.dataDir;
  const dataDir = dataDirText === IN_MEMORY_DATA_DIR ? dataDirText : resolve(dataDirText);
  const timeoutMs = v.STORE_TIMEOUT_MS ?? DEFAULTS.storeTimeoutMs;
  const storeSchema = v.EVENT_STORE_SCHEMA ?? DEFAULT_SCHEMA;
  const store: EventStoreConfig =
    storeKind === 'postgres'
      ? { kind: 'postgres', databaseUrl: v.DATABASE_URL!, schema: storeSchema, timeoutMs }
      : storeKind === 'eventstoredb'
        ? { kind: 'eventstoredb', url: v.EVENTSTORE_URL!, timeoutMs }
        : { kind: 'embedded', dataDir, schema: storeSchema, timeoutMs };
  const host = v.HOST ?? DEFAULTS.host;
  const port = v.PORT ?? DEFAULTS.port;
  return {
    mode,
    ...(v.NODE_ENV !== undefined && { nodeEnv: v.NODE_ENV }),
    host,
    port,
    dataDir,
    store,
    ...(v.READ_DATABASE_URL !== undefined && { readDatabaseUrl: v.READ_DATABASE_URL }),
    readModelSchema: v.READ_MODEL_SCHEMA ?? DEFAULTS.readModelSchema,
    ...(v.OIDC_ISSUER !== undefined &&
      v.OIDC_AUDIENCE !== undefined && {
        oidc: { issuer: v.OIDC_ISSUER, audience: v.OIDC_AUDIENCE, ...(v.OIDC_JWKS_URI !== undefined && { jwksUri: v.OIDC_JWKS_URI }), maxAgeSeconds: v.JWKS_MAX_AGE_SECONDS ?? 600 },
      }),
    ...(v.TRUSTED_CA_DIR !== undefined && { trustedCaDir: resolve(v.TRUSTED_CA_DIR) }),
    ...(v.TRUSTED_LIST_FILE !== undefined && v.TRUSTED_LIST_SIGNER_CERT !== undefined && { trustedList: { file: resolve(v.TRUSTED_LIST_FILE), signerCert: resolve(v.TRUSTED_LIST_SIGNER_CERT) } }),
    ...(v.CRL_DIR !== undefined && { crlDir: resolve(v.CRL_DIR) }),
    crlArchiveDir: resolve(v.CRL_ARCHIVE_DIR ?? (dataDir === IN_MEMORY_DATA_DIR ? DEFAULTS.dataDir : dataDir), ...(v.CRL_ARCHIVE_DIR ? [] : ['trust-archive'])),
    trustRefreshSeconds: v.TRUST_REFRESH_SECONDS ?? 300,
    crlStalePolicy: v.CRL_STALE_POLICY ?? 'refuse',
    signatures: {
      policy: v.SIGNATURE_POLICY ?? 'latvian',
      ...(v.TSA_URL !== undefined && { tsaUrl: v.TSA_URL }),
      tsaTimeoutMs: v.TSA_TIMEOUT_MS ?? 10_000,
      ...(v.TSA_TRUSTED_DIR !== undefined && { tsaTrustedDir: resolve(v.TSA_TRUSTED_DIR) }),
      ...(v.QUALIFIED_TSA_DIR !== undefined && { qualifiedTsaDir: resolve(v.QUALIFIED_TSA_DIR) }),
      ocspMaxAgeSeconds: v.OCSP_MAX_AGE_SECONDS ?? 86_400,
      ...(v.OCSP_URL !== undefined && { ocspUrl: v.OCSP_URL }),
      ocspTimeoutMs: v.OCSP_TIMEOUT_MS ?? 5_000,
    },
    bodyLimitBytes: v.BODY_LIMIT_BYTES ?? 1024 * 1024,
    readYourWritesTimeoutMs: v.READ_YOUR_WRITES_TIMEOUT_MS ?? 2000,
    expiryIntervalSeconds: v.EXPIRY_INTERVAL_SECONDS ?? 60,
    registryTimerSeconds: v.REGISTRY_TIMER_SECONDS ?? 60,
    embeddedMaintenanceSeconds: v.EMBEDDED_MAINTENANCE_SECONDS ?? 600,
    runProjections: role === 'worker' ? true : (v.RUN_PROJECTIONS ?? mode === 'local'),
    readiness: { maxLagEvents: v.READY_MAX_LAG_EVENTS ?? 10_000, maxLagSeconds: v.READY_MAX_LAG_SECONDS ?? 300 },
    worker: { host: v.WORKER_HOST ?? host, port: v.WORKER_PORT ?? DEFAULTS.workerPort },
    metrics: v.METRICS ?? true,
    tracing: { exporter: v.TRACING ?? 'off', ...(v.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined && { endpoint: v.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT }) },
    logLevel: v.LOG_LEVEL ?? 'info',
    ...(v.PSEUDONYM_KEY !== undefined && { pseudonymKey: v.PSEUDONYM_KEY }),
    apiUrl: v.API_URL ?? `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`,
  };
}

/** Each variable through its rule; the invalid ones become problems (the value echoed unless it may be secret). */
function parseVariables(env: Record<string, string | undefined>, problems: ConfigProblem[]): Partial<Variables> {
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(variables) as [VariableName, (typeof variables)[VariableName]][]) {
    const parsed = schema.safeParse(env[name]);
    if (parsed.success) {
      values[name] = parsed.data;
      continue;
    }
    const raw = (env[name] ?? '').trim();
    const got = SECRET_VARIABLES.has(name) ? 'the value is not shown: it may hold a password' : `got "${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw}"`;
    problems.push({ variable: name, rule: `${parsed.error.issues[0]?.message ?? 'is invalid'} (${got})` });
  }
  return values as Partial<Variables>;
}
