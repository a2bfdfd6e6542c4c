/**
 * The event store's configuration from the environment, validated at start. Messages name the
 * variable and the rule, and never echo a URL's password.
 */
import { ConfigurationError } from './errors';
import { DEFAULT_SCHEMA } from './postgres/schema';

export type EventStoreConfig =
  | { kind: 'embedded'; dataDir: string; schema: string; timeoutMs: number }
  | { kind: 'postgres'; databaseUrl: string; schema: string; timeoutMs: number }
  | { kind: 'eventstoredb'; url: string; timeoutMs: number }
  /** Not selectable from the environment: for tests that build a store directly. */
  | { kind: 'in-memory' };

export const EVENT_STORE_KINDS = ['embedded', 'postgres', 'eventstoredb'] as const;
export const DEFAULT_DATA_DIR = './data';
export const DEFAULT_TIMEOUT_MS = 5000;
const MAX_TIMEOUT_MS = 600_000;

type Env = Record<string, string | undefined>;

export function loadEventStoreConfig(env: Env = process.env): EventStoreConfig {
  const problems: string[] = [];
  const kind = value(env.EVENT_STORE) ?? 'embedded';
  const timeoutMs = parseTimeout(value(env.STORE_TIMEOUT_MS), problems);
  const schema = value(env.EVENT_STORE_SCHEMA) ?? DEFAULT_SCHEMA;
  const checkSchema = (): void => {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) problems.push(`EVENT_STORE_SCHEMA must be a lower-case SQL identifier (letters, digits, _; at most 63) (got "${schema}")`);
  };
  let config: EventStoreConfig | undefined;
  switch (kind) {
    case 'embedded': {
      checkSchema();
      config = { kind, dataDir: value(env.DATA_DIR) ?? DEFAULT_DATA_DIR, schema, timeoutMs };
      break;
    }
    case 'postgres': {
      checkSchema();
      const databaseUrl = value(env.DATABASE_URL);
      if (databaseUrl === undefined) problems.push('DATABASE_URL is required when EVENT_STORE=postgres (postgres://user@host:5432/database)');
      else if (!hasProtocol(databaseUrl, ['postgres:', 'postgresql:'])) problems.push('DATABASE_URL must be a URL starting with postgres:// or postgresql://');
      config = { kind, databaseUrl: databaseUrl ?? '', schema, timeoutMs };
      break;
    }
    case 'eventstoredb': {
      const url = value(env.EVENTSTORE_URL);
      if (url === undefined) problems.push('EVENTSTORE_URL is required when EVENT_STORE=eventstoredb (esdb://localhost:2113?tls=false)');
      else if (!hasProtocol(url, ['esdb:', 'esdb+discover:'])) problems.push('EVENTSTORE_URL must be a URL starting with esdb:// or esdb+discover://');
      config = { kind, url: url ?? '', timeoutMs };
      break;
    }
    default:
      problems.push(`EVENT_STORE must be one of ${EVENT_STORE_KINDS.join(', ')} (got "${kind}")`);
  }
  if (problems.length > 0 || config === undefined) throw new ConfigurationError(`Invalid event store configuration:\n- ${problems.join('\n- ')}`);
  return config;
}

/** An empty variable counts as unset (docker-compose writes `VAR=` for unset values). */
function value(raw: string | undefined): string | undefined {
  const trimmed = raw?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function parseTimeout(raw: string | undefined, problems: string[]): number {
  if (raw === undefined) return DEFAULT_TIMEOUT_MS;
  const ms = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(ms >= 1 && ms <= MAX_TIMEOUT_MS)) {
    problems.push(`STORE_TIMEOUT_MS must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (got "${raw}")`);
    return DEFAULT_TIMEOUT_MS;
  }
  return ms;
}

/** Checks the scheme without ever putting the URL (which may carry a password) into a message. */
function hasProtocol(url: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(url).protocol);
  } catch {
    return false;
  }
}
