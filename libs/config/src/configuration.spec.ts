/** The one configuration: every bad variable at once, in one format, strict numbers and booleans. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigurationError } from './configuration-error';
import { loadConfiguration, type ProcessRole } from './configuration';
import { environment } from './environment';
import { loadEventStoreConfig } from './event-store-config';

function problemsOf(env: Record<string, string | undefined>, role: ProcessRole = 'api'): string[] {
  try {
    loadConfiguration(env, role);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems.map((p) => `${p.variable} ${p.rule}`);
    throw error;
  }
  return [];
}

const PSEUDONYM_KEY = 'ab'.repeat(32);
const SERVER_API = { MODE: 'server', EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://u@db:5432/atlauja', OIDC_ISSUER: 'https://login.example.lv', OIDC_AUDIENCE: 'atlauja', TRUSTED_CA_DIR: '/trust/ca', CRL_DIR: '/trust/crl', PSEUDONYM_KEY };

describe('the configuration', () => {
  it('has the documented defaults in local mode', () => {
    const config = loadConfiguration({}, 'api');
    expect(config).toMatchObject({
      mode: 'local', host: '127.0.0.1', port: 3000, dataDir: resolve('./data'),
      store: { kind: 'embedded', dataDir: resolve('./data'), schema: 'event_store', timeoutMs: 5000 },
      readModelSchema: 'read_models', trustRefreshSeconds: 300, crlStalePolicy: 'refuse', bodyLimitBytes: 1048576, readYourWritesTimeoutMs: 2000,
      expiryIntervalSeconds: 60, registryTimerSeconds: 60, runProjections: true, logLevel: 'info', crlArchiveDir: resolve('./data/trust-archive'),
      worker: { host: '127.0.0.1', port: 3001 }, metrics: true, tracing: { exporter: 'off' }, apiUrl: 'http://127.0.0.1:3000',
    });
  });

  it('reports eight bad variables at once, in one format, each naming the variable and the rule', () => {
    const env = {
      MODE: 'server', PORT: '70000', LOG_LEVEL: 'loud', RUN_PROJECTIONS: 'maybe', STORE_TIMEOUT_MS: '5s', BODY_LIMIT_BYTES: '1.5',
      READ_MODEL_SCHEMA: 'Read-Models', DATABASE_URL: 'mysql://root:hunter2@db/x', EXPIRY_INTERVAL_SECONDS: 'abc',
    };
    let error: unknown;
    try {
      loadConfiguration(env, 'api');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    const lines = message.split('\n');
    expect(lines[0]).toBe(`invalid configuration (${lines.length - 1} problems):`);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}- [A-Z_]+ (must|is required)/);
    expect(problemsOf(env)).toEqual(expect.arrayContaining([
      'PORT must be a whole number from 0 to 65535 (got "70000")',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'RUN_PROJECTIONS must be true or false (got "maybe")',
      'STORE_TIMEOUT_MS must be a whole number of milliseconds from 1 to 600000 (got "5s")',
      'BODY_LIMIT_BYTES must be a whole number of bytes from 1024 to 67108864 (got "1.5")',
      expect.stringMatching(/^READ_MODEL_SCHEMA must be a lower-case SQL identifier/),
      'DATABASE_URL must be a URL starting with postgres:// or postgresql:// (e.g. postgres://user@host:5432/database) (the value is not shown: it may hold a password)',
      'EXPIRY_INTERVAL_SECONDS must be a whole number of seconds from 0 to 86400 (got "abc")',
      expect.stringMatching(/^EVENT_STORE is required in server mode/),
      expect.stringMatching(/^OIDC_ISSUER is required in server mode/),
      expect.stringMatching(/^OIDC_AUDIENCE is required in server mode/),
      expect.stringMatching(/^TRUSTED_CA_DIR is required in server mode/),
      expect.stringMatching(/^CRL_DIR is required in server mode/),
    ]));
    // The password in the URL is never echoed.
    expect(message).not.toContain('hunter2');
  });

  it('parses numbers and booleans strictly: no NaN, no silent ignore', () => {
    expect(problemsOf({ EXPIRY_INTERVAL_SECONDS: 'abc' }, 'worker')).toEqual(['EXPIRY_INTERVAL_SECONDS must be a whole number of seconds from 0 to 86400 (got "abc")']);
    expect(problemsOf({ PORT: '3000.0' })).toHaveLength(1);
    expect(problemsOf({ PORT: '-1' })).toHaveLength(1);
    expect(problemsOf({ PORT: '0x10' })).toHaveLength(1);
    expect(problemsOf({ RUN_PROJECTIONS: 'yes' })).toEqual(['RUN_PROJECTIONS must be true or false (got "yes")']);
    expect(problemsOf({ METRICS: '1' })).toEqual(['METRICS must be true or false (got "1")']);
    expect(loadConfiguration({ RUN_PROJECTIONS: 'false', EXPIRY_INTERVAL_SECONDS: '0', PORT: ' 8080 ' }, 'api')).toMatchObject({ runProjections: false, expiryIntervalSeconds: 0, port: 8080 });
  });

  it('takes the stale-CRL policy from CRL_STALE_POLICY, and nothing but its two values', () => {
    expect(loadConfiguration({ CRL_STALE_POLICY: 'accept-stale' }, 'api').crlStalePolicy).toBe('accept-stale');
    expect(problemsOf({ CRL_STALE_POLICY: 'ignore' })).toEqual(['CRL_STALE_POLICY must be one of refuse, accept-stale (got "ignore")']);
  });

  it('takes trust from a trusted list only with the certificate it must be signed by; with a list, TRUSTED_CA_DIR is optional', () => {
    const { TRUSTED_CA_DIR: _folder, ...withoutFolder } = SERVER_API;
    const config = loadConfiguration({ ...withoutFolder, TRUSTED_LIST_FILE: '/trust/lv-tsl.xml', TRUSTED_LIST_SIGNER_CERT: '/trust/lv-tsl-signer.pem' }, 'api');
    expect(config.trustedList).toEqual({ file: resolve('/trust/lv-tsl.xml'), signerCert: resolve('/trust/lv-tsl-signer.pem') });
    expect(config.trustedCaDir).toBeUndefined();
    expect(problemsOf({ ...withoutFolder, TRUSTED_LIST_FILE: '/trust/lv-tsl.xml' })).toEqual([expect.stringMatching(/^TRUSTED_LIST_SIGNER_CERT is required when TRUSTED_LIST_FILE is set/)]);
    expect(problemsOf({ ...SERVER_API, TRUSTED_LIST_SIGNER_CERT: '/trust/lv-tsl-signer.pem' })).toEqual([expect.stringMatching(/^TRUSTED_LIST_FILE is required when TRUSTED_LIST_SIGNER_CERT is set/)]);
    expect(problemsOf(withoutFolder)).toEqual([expect.stringMatching(/^TRUSTED_CA_DIR is required in server mode unless TRUSTED_LIST_FILE is set/)]);
  });

  it('takes an empty variable as unset (what ${VAR:-} gives in docker-compose)', () => {
    const config = loadConfiguration({ ...SERVER_API, OIDC_JWKS_URI: '', READ_DATABASE_URL: '', LOG_LEVEL: '', PORT: '   ' }, 'api');
    expect(config.oidc).toEqual({ issuer: 'https://login.example.lv', audience: 'atlauja', maxAgeSeconds: 600 });
    expect(config.readDatabaseUrl).toBeUndefined();
    expect(config.logLevel).toBe('info');
    expect(config.port).toBe(3000);
    expect(problemsOf({ ...SERVER_API, OIDC_ISSUER: '' })).toEqual([expect.stringMatching(/^OIDC_ISSUER is required in server mode/)]);
  });

  it('requires an explicit store in server mode, for every process, and never falls back to an embedded one', () => {
    for (const role of ['api', 'worker', 'cli'] as const) {
      expect(problemsOf({ ...SERVER_API, EVENT_STORE: undefined, DATABASE_URL: undefined }, role)).toContainEqual(expect.stringMatching(/^EVENT_STORE is required in server mode/));
    }
    expect(loadConfiguration(SERVER_API, 'worker').store).toEqual({ kind: 'postgres', databaseUrl: 'postgres://u@db:5432/atlauja', schema: 'event_store', timeoutMs: 5000 });
  });

  it('asks each process for what it uses: the worker and the CLI need no token issuer; the worker always runs the projections', () => {
    const worker = { MODE: 'server', EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://u@db/atlauja', PSEUDONYM_KEY };
    expect(problemsOf(worker, 'worker')).toEqual([]);
    // The grant streams are named with the key: a server's worker needs the api's, the CLI does not.
    expect(problemsOf({ ...worker, PSEUDONYM_KEY: undefined }, 'worker')).toEqual([expect.stringMatching(/^PSEUDONYM_KEY is required in server mode/)]);
    expect(problemsOf({ ...worker, PSEUDONYM_KEY: 'not-hex' }, 'worker')[0]).not.toContain('not-hex');
    expect(problemsOf(worker, 'cli')).toEqual([]);
    expect(loadConfiguration({ ...worker, RUN_PROJECTIONS: 'false' }, 'worker').runProjections).toBe(true);
    expect(problemsOf({ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://es:2113?tls=false' }, 'worker')).toEqual([expect.stringMatching(/^READ_DATABASE_URL is required when EVENT_STORE=eventstoredb/)]);
    expect(problemsOf({ EVENT_STORE: 'postgres' }, 'cli')).toEqual([expect.stringMatching(/^DATABASE_URL is required when EVENT_STORE=postgres/)]);
  });

  it('refuses local mode in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^MODE must be server with NODE_ENV=production/)]);
  });

  it('gives the event store part alone to tools that only open a store', () => {
    expect(loadEventStoreConfig({ EVENT_STORE: 'embedded', DATA_DIR: ':memory:', STORE_TIMEOUT_MS: '250' })).toEqual({ kind: 'embedded', dataDir: ':memory:', schema: 'event_store', timeoutMs: 250 });
    expect(() => loadEventStoreConfig({ EVENT_STORE: 'mysql' })).toThrow(/EVENT_STORE must be one of embedded, postgres, eventstoredb \(got "mysql"\)/);
  });
});

describe('.env', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlauja-dotenv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is read in local mode, under the process environment', () => {
    writeFileSync(join(dir, '.env'), 'PORT=4000\nLOG_LEVEL=debug\n# a comment\nDATA_DIR=./elsewhere\n');
    const env = environment({ LOG_LEVEL: 'warn' }, dir);
    expect(loadConfiguration(env, 'api')).toMatchObject({ port: 4000, logLevel: 'warn' });
  });

  it('is not read in server mode, and cannot switch a process to server mode', () => {
    writeFileSync(join(dir, '.env'), 'PORT=4000\n');
    expect(environment({ MODE: 'server' }, dir).PORT).toBeUndefined();
    writeFileSync(join(dir, '.env'), 'MODE=server\n');
    expect(() => environment({}, dir)).toThrow(/MODE must not be server in .*\.env/);
  });
});
