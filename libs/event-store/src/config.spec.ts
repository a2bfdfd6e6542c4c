import { ConfigurationError } from './errors';
import { loadEventStoreConfig } from './config';

describe('event store configuration', () => {
  it('defaults to the embedded store under ./data', () => {
    expect(loadEventStoreConfig({})).toEqual({ kind: 'embedded', dataDir: './data', schema: 'event_store', timeoutMs: 5000 });
  });

  it('reads each kind with its variables', () => {
    expect(loadEventStoreConfig({ EVENT_STORE: 'embedded', DATA_DIR: ':memory:', STORE_TIMEOUT_MS: '250' })).toMatchObject({ kind: 'embedded', dataDir: ':memory:', timeoutMs: 250 });
    expect(loadEventStoreConfig({ EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://app@db:5432/atlauja', EVENT_STORE_SCHEMA: 'es' }))
      .toEqual({ kind: 'postgres', databaseUrl: 'postgres://app@db:5432/atlauja', schema: 'es', timeoutMs: 5000 });
    expect(loadEventStoreConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://localhost:2113?tls=false' }))
      .toEqual({ kind: 'eventstoredb', url: 'esdb://localhost:2113?tls=false', timeoutMs: 5000 });
  });

  const refusal = (env: Record<string, string>): string => {
    try {
      loadEventStoreConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return (error as Error).message;
    }
    throw new Error('the configuration was accepted');
  };

  it('names the variable and the rule', () => {
    expect(refusal({ EVENT_STORE: 'mongo' })).toContain('EVENT_STORE must be one of embedded, postgres, eventstoredb (got "mongo")');
    expect(refusal({ EVENT_STORE: 'postgres' })).toContain('DATABASE_URL is required when EVENT_STORE=postgres');
    expect(refusal({ EVENT_STORE: 'eventstoredb' })).toContain('EVENTSTORE_URL is required when EVENT_STORE=eventstoredb');
    expect(refusal({ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'http://localhost:2113' })).toContain('EVENTSTORE_URL must be a URL starting with esdb://');
    expect(refusal({ STORE_TIMEOUT_MS: '5s' })).toContain('STORE_TIMEOUT_MS must be a whole number of milliseconds from 1 to 600000 (got "5s")');
    expect(refusal({ STORE_TIMEOUT_MS: '0' })).toContain('STORE_TIMEOUT_MS');
    expect(refusal({ EVENT_STORE_SCHEMA: 'Events; drop' })).toContain('EVENT_STORE_SCHEMA must be a lower-case SQL identifier');
  });

  it('reports every problem at once', () => {
    const message = refusal({ EVENT_STORE: 'postgres', STORE_TIMEOUT_MS: '-1' });
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('STORE_TIMEOUT_MS');
  });

  it('never echoes a database password', () => {
    const message = refusal({ EVENT_STORE: 'postgres', DATABASE_URL: 'mysql://app:hunter2-secret@db/atlauja' });
    expect(message).toContain('DATABASE_URL must be a URL starting with postgres:// or postgresql://');
    expect(message).not.toContain('hunter2-secret');
  });
});
