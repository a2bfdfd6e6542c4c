import type { ExpectedRevision } from './event-store';

/** An optimistic-concurrency conflict: the API turns it into 409 (or 412 on a stale If-Match). */
export class WrongExpectedRevision extends Error {
  override readonly name = 'WrongExpectedRevision';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The revision of the stream's last event when the append was refused. */
    readonly actual: bigint | 'no-stream',
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

/**
 * The store could not be reached or did not answer in time. For an append the outcome is unknown:
 * it may have been written; a retry with the same expected revision resolves it (conflict or success).
 */
export class StoreUnavailable extends Error {
  override readonly name: string = 'StoreUnavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The storage under the store is full (ENOSPC, EDQUOT, PostgreSQL 53100): nothing was written.
 * `path` names where: a data directory, or the PostgreSQL database. Retried later it may succeed.
 */
export class StorageFull extends StoreUnavailable {
  override readonly name: string = 'StorageFull';
  constructor(readonly path: string, options?: { cause?: unknown }) {
    super(`no space left on the storage of ${path}`, options);
  }
}

/** The storage under the store is read-only (EROFS, EACCES on a data file, PostgreSQL 25006): nothing was written. */
export class StorageReadOnly extends StoreUnavailable {
  override readonly name: string = 'StorageReadOnly';
  constructor(readonly path: string, options?: { cause?: unknown }) {
    super(`the storage of ${path} is read-only`, options);
  }
}

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);
const READ_ONLY_CODES = new Set(['EROFS']);

/**
 * A file-system error (Node's errno codes) or a PostgreSQL one (SQLSTATE) as a storage failure naming
 * `path`; undefined when it is neither full nor read-only storage.
 */
export function storageFailure(error: unknown, path: string): StorageFull | StorageReadOnly | undefined {
  if (error instanceof StorageFull || error instanceof StorageReadOnly) return error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if ((typeof code === 'string' && (FULL_CODES.has(code) || code === '53100')) || /ENOSPC|no space left on device|could not extend file/i.test(message)) {
    return new StorageFull(path, { cause: error });
  }
  if ((typeof code === 'string' && (READ_ONLY_CODES.has(code) || code === '25006')) || /EROFS|read-only file system/i.test(message)) {
    return new StorageReadOnly(path, { cause: error });
  }
  return undefined;
}
