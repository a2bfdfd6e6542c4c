/**
 * What opens a store: the kind and its connection. Read from the environment by @atlauja/config
 * (the one configuration of every process); tests may build one directly.
 */
export type EventStoreConfig =
  | { kind: 'embedded'; dataDir: string; schema: string; timeoutMs: number }
  | { kind: 'postgres'; databaseUrl: string; schema: string; timeoutMs: number }
  | { kind: 'eventstoredb'; url: string; timeoutMs: number }
  /** Not selectable from the environment: for tests that build a store directly. */
  | { kind: 'in-memory' };

export const DEFAULT_DATA_DIR = './data';
export const DEFAULT_TIMEOUT_MS = 5000;
