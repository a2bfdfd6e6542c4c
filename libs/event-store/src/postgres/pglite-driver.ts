/**
 * The embedded driver: PGlite (PostgreSQL compiled to WebAssembly) on a local data directory, or in
 * memory. PGlite runs each statement synchronously, so on the caller's event loop every request
 * would wait behind every statement (a loop delay of hundreds of milliseconds under load); it runs
 * instead in one worker thread of its own (pglite-thread.js), for the store's whole life, and this
 * side only posts statements and receives rows. One connection in one process: every use goes
 * through a SerialQueue so that transactions never interleave; a transaction's BEGIN, statements and
 * COMMIT / ROLLBACK are sent from here, its work runs here. PGlite never fsyncs: data survive a
 * process crash, not an OS crash.
 *
 * Every call is bounded (timeoutMs): a call that cannot start within it (the queue is held by a long
 * transaction) is dropped from the queue and fails with StoreUnavailable, and so does a statement
 * that does not finish within it. A full or read-only data directory is StorageFull / StorageReadOnly
 * naming the directory. The thread dying (an uncaught error, out of memory) fails every pending and
 * later call with StoreUnavailable: it is not restarted, the process is to be.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { StoreUnavailable, storageFailure } from '../errors';
import { SerialQueue } from './serial-queue';
import type { SqlDriver, SqlExecutor } from './sql-driver';

export const IN_MEMORY = ':memory:';

/**
 * PostgreSQL's memory inside PGlite's WebAssembly heap, sized for one process's database: with the
 * defaults (128 MB of shared buffers, 64 MB for maintenance) the heap grew to ~200 MB, which a
 * WebAssembly memory never gives back; the server's RSS at rest on 100k events went from ~360 MB
 * (64 MB of buffers) and ~290 MB (32 MB) to ~265 MB (16 MB). Pages beyond the buffers are read from
 * the OS page cache. Passed as start parameters, so nothing is written into the data directory.
 */
const MEMORY_SETTINGS = ['shared_buffers=16MB', 'work_mem=4MB', 'maintenance_work_mem=16MB', 'temp_buffers=2MB', 'wal_buffers=1MB'];

/** Plain JavaScript beside this file, here and in dist/ alike. */
const THREAD_SCRIPT = join(__dirname, 'pglite-thread.js');

/**
 * The thread's JavaScript garbage is short-lived (a statement's messages and rows), and V8 keeps a
 * young generation of up to 48 MB resident between statements; PGlite's own memory is WebAssembly's,
 * outside these limits.
 */
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 8 };

export interface PgliteDriverOptions {
  /** Bound of the wait for the connection and of each statement. Default 5000. */
  timeoutMs?: number;
}

/** An error as the thread sent it: its name, message and own plain fields (code, constraint, detail, errno…). */
type ThreadError = { name: string; message: string } & Record<string, string | number | boolean>;
type Answer = { id: number; rows: unknown[] } | { id: number; error: ThreadError };
type Opening = { opened: true } | { openError: ThreadError };

/** WebAssembly.Module: the project's lib settings declare no WebAssembly, and this file only passes modules on. */
type CompiledWasm = object;
declare const WebAssembly: { compile(bytes: Uint8Array): Promise<CompiledWasm> };

const compiled = new Map<string, Promise<CompiledWasm>>();

/**
 * One of PGlite's WebAssembly files, compiled once per process (off the event loop: V8 compiles in
 * the background) and handed to each thread, which would otherwise compile it again at every start —
 * about half a second of CPU per store opened, which tests opening a store each would pay.
 */
function compiledWasm(file: 'pglite.wasm' | 'initdb.wasm'): Promise<CompiledWasm> {
  let module = compiled.get(file);
  if (!module) {
    // The package's entry is dist/index.cjs; its WebAssembly sits beside it. Resolved, not loaded: PGlite's JavaScript runs only in the thread.
    const path = join(dirname(require.resolve('@electric-sql/pglite')), file);
    module = readFile(path).then((bytes) => WebAssembly.compile(bytes));
    module.catch(() => compiled.delete(file));
    compiled.set(file, module);
  }
  return module;
}

/** Whether `dataDir` holds a database already; else initdb (compiled only then) creates one. */
function holdsDatabase(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

export async function openPgliteDriver(dataDir: string, options: PgliteDriverOptions = {}): Promise<SqlDriver> {
  const inMemory = dataDir === IN_MEMORY;
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!inMemory && !holdsDatabase(dataDir)) {
    // A thread that created its database keeps what that took of WebAssembly memory, which is never
    // given back: the server's RSS stayed at ~810 MB after its first start, against ~290 MB after
    // any later one. So the database is created by a thread that then ends, and opened by another.
    await new PgliteDriver(await openThread(dataDir, false, true), dataDir, timeoutMs).close();
  }
  return new PgliteDriver(await openThread(dataDir, inMemory, inMemory), dataDir, timeoutMs);
}

/** A thread holding PGlite opened on `dataDir` (created first with `withInitdb`). */
async function openThread(dataDir: string, inMemory: boolean, withInitdb: boolean): Promise<Worker> {
  const wasm = Promise.all([compiledWasm('pglite.wasm'), withInitdb ? compiledWasm('initdb.wasm') : undefined]);
  // Started at once: the thread loads PGlite's JavaScript while the WebAssembly compiles, and opens
  // the database when the compiled modules arrive (its first message).
  // The parent's preloads (path aliases, a bench's instruments) are not the thread's business.
  const thread = new Worker(THREAD_SCRIPT, {
    execArgv: [],
    workerData: { dataDir, inMemory, settings: MEMORY_SETTINGS },
    resourceLimits: THREAD_LIMITS,
  });
  const listeners: Record<string, (...args: any[]) => void> = {};
  try {
    await new Promise<void>((resolve, reject) => {
      listeners.message = (opening: Opening) => ('opened' in opening ? resolve() : reject(rebuilt(opening.openError)));
      listeners.error = reject;
      listeners.exit = (code: number) => reject(new Error(`the thread exited with code ${code}`));
      for (const [event, listener] of Object.entries(listeners)) thread.on(event, listener);
      wasm.then(
        ([pgliteWasmModule, initdbWasmModule]) => thread.postMessage({ pgliteWasmModule, initdbWasmModule }),
        (error: unknown) => reject(new StoreUnavailable(`cannot open the embedded database in ${dataDir}: PGlite's WebAssembly did not load (${(error as Error).message})`, { cause: error })),
      );
    });
  } catch (error) {
    await thread.terminate();
    if (error instanceof StoreUnavailable) throw error;
    const storage = storageFailure(error, dataDir);
    if (storage) throw storage;
    // PGlite sometimes rejects with a bare WebAssembly abort or a non-Error; say what we know.
    const reason = error instanceof Error && error.message ? error.message : String(error ?? 'unknown error');
    throw new StoreUnavailable(`cannot open the embedded database in ${dataDir}: ${reason}`, { cause: error });
  } finally {
    // Each taken off by name: the Worker's own listeners (which start its message port) must stay.
    for (const [event, listener] of Object.entries(listeners)) thread.off(event, listener);
  }
  return thread;
}

class PgliteDriver implements SqlDriver {
  private readonly queue = new SerialQueue();
  private readonly pending = new Map<number, { resolve(rows: unknown[]): void; reject(error: Error): void }>();
  private lastId = 0;
  /** Settles when the thread has answered every message sent so far (it runs them in order), or died. */
  private lastAnswer: Promise<unknown> = Promise.resolve();
  /** Why no statement can be sent any more: closed, or the thread died. */
  private gone: string | undefined;

  constructor(
    private readonly thread: Worker,
    private readonly dataDir: string,
    private readonly timeoutMs: number,
  ) {
    let failure: Error | undefined;
    thread.on('message', (answer: Answer) => this.answered(answer));
    thread.on('error', (error: Error) => {
      failure = error;
    });
    thread.on('exit', (code: number) => this.died(failure ? `failed: ${failure.message}` : `exited with code ${code}`));
    // Held only while a statement is out, as PGlite in-process held nothing: a process does not stay up for an idle store.
    thread.unref();
  }

  query<Row>(sql: string, params?: unknown[]): Promise<Row[]> {
    return this.bounded('query', () => this.statement<Row>(sql, params));
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.bounded('transaction', async () => {
      await this.statement('BEGIN');
      let result: T;
      try {
        result = await work({ query: <Row>(sql: string, params?: unknown[]) => this.statement<Row>(sql, params) });
      } catch (error) {
        // Sent even after a statement gave up: the thread runs it after that statement, before anything else.
        await this.statement('ROLLBACK').catch(() => undefined);
        throw error;
      }
      await this.statement('COMMIT');
      return result;
    });
  }

  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.gone) return;
      try {
        await this.send({ close: true });
      } finally {
        this.gone = 'the embedded database is closed';
        await this.thread.terminate();
      }
    });
  }

  /** Waits at most timeoutMs for its turn and a free thread (else it never runs), then runs `task`. */
  private async bounded<T>(what: string, task: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    let gaveUp = false;
    const started = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        gaveUp = true;
        reject(new StoreUnavailable(`the embedded database in ${this.dataDir} was busy: the ${what} did not start within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    const run = this.queue.run(async () => {
      // A statement given up on still runs in the thread: a call starts only once the thread is free, within the same bound.
      await this.lastAnswer;
      if (gaveUp) throw new StoreUnavailable('abandoned');
      clearTimeout(timer);
      if (this.gone) throw new StoreUnavailable(this.gone);
      try {
        return await task();
      } catch (error) {
        throw storageFailure(error, this.dataDir) ?? error;
      }
    });
    try {
      return await Promise.race([run, started]);
    } finally {
      clearTimeout(timer);
      run.catch(() => undefined); // after a give-up its rejection is nobody's
    }
  }

  /** A statement that does not answer within timeoutMs fails; the thread runs it on, and the next call waits for it (bounded()). */
  private statement<Row>(sql: string, params?: unknown[]): Promise<Row[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StoreUnavailable(`the embedded database in ${this.dataDir} did not answer within ${this.timeoutMs} ms (${sql.slice(0, 40)})`)),
        this.timeoutMs,
      );
    });
    const answer = this.send({ sql, params }) as Promise<Row[]>;
    answer.catch(() => undefined); // after a timeout its rejection is nobody's
    return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
  }

  private send(message: { sql: string; params?: unknown[] } | { close: true }): Promise<unknown[]> {
    if (this.gone) return Promise.reject(new StoreUnavailable(this.gone));
    const answer = new Promise<unknown[]>((resolve, reject) => {
      const id = ++this.lastId;
      // A parameter that cannot be copied to the thread (a function, a symbol) is the caller's error, met here.
      this.thread.postMessage({ id, ...message });
      this.pending.set(id, { resolve, reject });
      this.thread.ref();
    });
    this.lastAnswer = answer.catch(() => undefined);
    return answer;
  }

  private answered(answer: Answer): void {
    const call = this.pending.get(answer.id);
    if (!call) return;
    this.pending.delete(answer.id);
    if (this.pending.size === 0) this.thread.unref();
    if ('error' in answer) call.reject(rebuilt(answer.error));
    else call.resolve(answer.rows);
  }

  private died(reason: string): void {
    this.gone ??= `the embedded database in ${this.dataDir} is unavailable: its thread ${reason}`;
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.reject(new StoreUnavailable(this.gone));
  }
}

/** The error as PGlite threw it in the thread, as far as callers look: name, message, code, constraint, detail, errno… */
function rebuilt({ name, message, ...fields }: ThreadError): Error {
  const error = Object.assign(new Error(message), fields);
  if (error.name !== name) error.name = name;
  return error;
}
