/**
 * Every environment variable of the api, the worker and the CLI, declared once: its rule, its
 * default. Values are trimmed and an empty string counts as unset (docker-compose writes `VAR=` for
 * `${VAR:-}`); numbers and booleans are parsed strictly (`abc`, `1.5`, `maybe` are refused, never
 * NaN or ignored). Rules that tie variables together are in rules.ts.
 */
import { z } from 'zod';

/** Variables whose value may hold a password or a private address: never echoed in a report. */
export const SECRET_VARIABLES = new Set(['DATABASE_URL', 'READ_DATABASE_URL', 'EVENTSTORE_URL', 'PSEUDONYM_KEY', 'OIDC_CLIENT_SECRET']);

const unsetWhenBlank = (value: unknown): unknown => (typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim()) : value);

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetWhenBlank, schema.optional());

function wholeNumber(min: number, max: number, unit = '') {
  const rule = `must be a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max}`;
  return optional(
    z.string().refine((text) => /^\d{1,16}$/.test(text) && Number(text) >= min && Number(text) <= max, rule).transform(Number),
  );
}

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  optional(z.enum(values, { error: `must be one of ${values.join(', ')}` }));

const flag = () => optional(z.enum(['true', 'false'], { error: 'must be true or false' }).transform((text) => text === 'true'));

function url(protocols: string[], example: string) {
  const rule = `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')} (e.g. ${example})`;
  return optional(
    z.string().refine((text) => {
      try {
        return protocols.includes(new URL(text).protocol);
      } catch {
        return false;
      }
    }, rule),
  );
}

const identifier = (maxLength: number) =>
  optional(z.string().regex(new RegExp(`^[a-z_][a-z0-9_]{0,${maxLength - 1}}$`), `must be a lower-case SQL identifier (letters, digits, _; at most ${maxLength})`));

const text = () => optional(z.string());

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** The acceptance policies of signatures (as in @atlauja/signatures, which the configuration does not depend on). */
export const SIGNATURE_POLICY_NAMES = ['latvian', 'basic'] as const;
export const EVENT_STORE_KINDS = ['embedded', 'postgres', 'eventstoredb'] as const;

export const variables = {
  MODE: oneOf(['local', 'server'] as const),
  NODE_ENV: text(),
  HOST: text(),
  PORT: wholeNumber(0, 65535),
  DATA_DIR: text(),
  EVENT_STORE: oneOf(EVENT_STORE_KINDS),
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://user@host:5432/database'),
  EVENT_STORE_SCHEMA: identifier(63),
  EVENTSTORE_URL: url(['esdb:', 'esdb+discover:'], 'esdb://host:2113?tls=true'),
  STORE_TIMEOUT_MS: wholeNumber(1, 600_000, 'milliseconds'),
  READ_DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://user@host:5432/database'),
  OIDC_ISSUER: url(['https:', 'http:'], 'https://login.example.lv/realms/atlauja'),
  OIDC_AUDIENCE: text(),
  OIDC_JWKS_URI: url(['https:', 'http:'], 'https://login.example.lv/realms/atlauja/protocol/openid-connect/certs'),
  JWKS_MAX_AGE_SECONDS: wholeNumber(1, 86_400, 'seconds'),
  OIDC_CLIENT_ID: text(),
  OIDC_CLIENT_SECRET: text(),
  OIDC_REDIRECT_URI: url(['https:', 'http:'], 'https://atlauja.example.lv/session/oidc/callback'),
  OIDC_SCOPES: text(),
  PORTAL_DIR: text(),
  TRUSTED_CA_DIR: text(),
  CRL_DIR: text(),
  CRL_ARCHIVE_DIR: text(),
  TRUSTED_LIST_FILE: text(),
  TRUSTED_LIST_SIGNER_CERT: text(),
  TRUST_REFRESH_SECONDS: wholeNumber(1, 86_400, 'seconds'),
  CRL_STALE_POLICY: oneOf(['refuse', 'accept-stale'] as const),
  SIGNATURE_POLICY: oneOf(SIGNATURE_POLICY_NAMES),
  TSA_URL: url(['https:', 'http:'], 'http://tsa.example.lv/tsa'),
  TSA_TIMEOUT_MS: wholeNumber(100, 120_000, 'milliseconds'),
  TSA_TRUSTED_DIR: text(),
  QUALIFIED_TSA_DIR: text(),
  OCSP_MAX_AGE_SECONDS: wholeNumber(0, 30 * 86_400, 'seconds'),
  OCSP_URL: url(['https:', 'http:'], 'http://ocsp.example.lv/responder'),
  OCSP_TIMEOUT_MS: wholeNumber(100, 120_000, 'milliseconds'),
  BODY_LIMIT_BYTES: wholeNumber(1024, 64 * 1024 * 1024, 'bytes'),
  READ_YOUR_WRITES_TIMEOUT_MS: wholeNumber(0, 60_000, 'milliseconds'),
  READ_MODEL_SCHEMA: identifier(40),
  EXPIRY_INTERVAL_SECONDS: wholeNumber(0, 86_400, 'seconds'),
  REGISTRY_TIMER_SECONDS: wholeNumber(0, 86_400, 'seconds'),
  EMBEDDED_MAINTENANCE_SECONDS: wholeNumber(0, 86_400, 'seconds'),
  RUN_PROJECTIONS: flag(),
  READY_MAX_LAG_EVENTS: wholeNumber(0, 1_000_000_000, 'events'),
  READY_MAX_LAG_SECONDS: wholeNumber(0, 86_400, 'seconds'),
  WORKER_HOST: text(),
  WORKER_PORT: wholeNumber(0, 65535),
  METRICS: flag(),
  TRACING: oneOf(['off', 'otlp'] as const),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(['https:', 'http:'], 'http://collector:4318/v1/traces'),
  PSEUDONYM_KEY: optional(z.string().regex(/^(?:[0-9a-fA-F]{2}){32,}$/, 'must be hex of at least 32 bytes (64 hex characters)')),
  LOG_LEVEL: oneOf(LOG_LEVELS),
  API_URL: url(['https:', 'http:'], 'http://127.0.0.1:3000'),
} as const;

export type VariableName = keyof typeof variables;
export type Variables = { [K in VariableName]: z.output<(typeof variables)[K]> };
