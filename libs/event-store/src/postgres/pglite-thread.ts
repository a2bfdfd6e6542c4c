/**
 * PGlite in a worker thread, one statement per message, answered in the order sent.
 *
 * The thread's code is the JavaScript source below, started with `eval: true`, and it loads PGlite
 * from the path the main thread resolved. A worker file would have to exist as JavaScript beside the
 * code that starts it, and it does not in every way the code runs: compiled into dist/ (`npm start`),
 * transpiled in memory by ts-node (the CLI, the bench) and by ts-jest (the tests), where only .ts
 * files exist and a worker cannot load them. A source string runs the same in all three.
 *
 * Errors cross as their name, message and primitive fields (the SQLSTATE `code`, `constraint`,
 * `detail`, an errno-style `code` such as ENOSPC), so that callers read them as from PGlite itself.
 * Rows cross by structured clone, which keeps what PGlite parses: objects of jsonb, Dates,
 * Uint8Arrays of bytea, numbers, strings.
 */
import { Worker } from 'node:worker_threads';
import { StoreUnavailable } from '../errors';

const THREAD_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');

function carried(error) {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error ?? 'unknown error'), fields: {} };
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    const primitive = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    if (primitive && key !== 'query') fields[key] = value;
  }
  return { name: error.name, message: error.message, stack: error.stack, fields };
}

function answer(message) {
  try {
    parentPort.postMessage(message);
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: carried(error) });
  }
}

(async () => {
  let db;
  try {
    const { PGlite } = await import(pathToFileURL(workerData.pglite).href);
    const start = { startParams: [...PGlite.defaultStartParams, ...workerData.startParams] };
    db = workerData.dataDir === undefined ? await PGlite.create(start) : await PGlite.create(workerData.dataDir, start);
  } catch (error) {
    parentPort.postMessage({ opened: false, error: carried(error) });
    return;
  }
  let chain = Promise.resolve();
  parentPort.on('message', ({ id, op, sql, params }) => {
    chain = chain.then(async () => {
      try {
        if (op === 'close') {
          if (!db.closed) await db.close();
          answer({ id });
        } else if (op === 'exec') {
          await db.exec(sql);
          answer({ id, rows: [] });
        } else {
          answer({ id, rows: (await db.query(sql, params)).rows });
        }
      } catch (error) {
        answer({ id, error: carried(error) });
      }
    });
  });
  parentPort.postMessage({ opened: true });
})();
`;

interface CarriedError {
  name: string;
  message: string;
  stack?: string;
  fields: Record<string, string | number | boolean>;
}

interface Answer {
  id: number;
  rows?: unknown[];
  error?: CarriedError;
}

interface Pending {
  resolve(rows: unknown[]): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

function revived(carried: CarriedError): Error {
  const error = Object.assign(new Error(carried.message), carried.fields);
  error.name = carried.name;
  if (carried.stack) error.stack = carried.stack;
  return error;
}

/**
 * A message is deserialized in the realm where its port was made: Node's main one. Code run in a vm
 * sandbox (jest runs every test file in one) has other intrinsics, so a row's objects would fail its
 * plain-object and `instanceof Date` checks (canonical JSON refuses them). Only there, seen on the
 * rows' own array, the values are rebuilt in the caller's realm; elsewhere they are passed as they came.
 */
function inThisRealm(rows: unknown[]): unknown[] {
  return Object.getPrototypeOf(rows) === Array.prototype ? rows : (rebuilt(rows) as unknown[]);
}

function rebuilt(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(rebuilt);
  if (ArrayBuffer.isView(value)) return Uint8Array.from(value as Uint8Array);
  if (Object.prototype.toString.call(value) === '[object Date]') return new Date((value as Date).getTime());
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rebuilt(item)]));
}

export class PgliteThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Set once the thread is gone (closed, or stopped by itself): every call fails with it. */
  private stopped?: StoreUnavailable;
  private failure?: Error;

  private constructor(
    private readonly worker: Worker,
    private readonly label: string,
  ) {
    worker.on('message', (answer: Answer) => this.answered(answer));
    worker.on('error', (error) => (this.failure = error));
    worker.on('exit', (code) => {
      const reason = this.failure ? `: ${this.failure.message}` : ` (exit code ${code})`;
      this.stopped ??= new StoreUnavailable(`the embedded database in ${label} stopped${reason}`, { cause: this.failure });
      for (const [id, call] of this.pending) {
        clearTimeout(call.timer);
        call.reject(this.stopped);
        this.pending.delete(id);
      }
    });
    // Idle, the thread does not keep the process alive (a pending call does): as PGlite on the main thread did not.
    worker.unref();
  }

  /** Starts the thread and opens PGlite in it (in memory when `dataDir` is undefined); rejects with PGlite's error. */
  static open(dataDir: string | undefined, startParams: string[]): Promise<PgliteThread> {
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { pglite: require.resolve('@electric-sql/pglite'), dataDir, startParams } });
    return new Promise((resolve, reject) => {
      let failure: Error | undefined;
      const onError = (error: Error) => (failure = error);
      const onExit = (code: number) => reject(failure ?? new Error(`the embedded database's thread exited with code ${code} while opening`));
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.once('message', (message: { opened: boolean; error?: CarriedError }) => {
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (message.opened) {
          resolve(new PgliteThread(worker, dataDir ?? 'memory'));
        } else {
          reject(revived(message.error!));
          void worker.terminate();
        }
      });
    });
  }

  /** Sends one statement (`exec`: PGlite's simple protocol, no rows); rejects with `timedOut()` when no answer comes within timeoutMs. */
  send<Row>(op: 'query' | 'exec', sql: string, params: unknown[] | undefined, timeoutMs: number, timedOut: () => Error): Promise<Row[]> {
    return this.call({ op, sql, params }, timeoutMs, timedOut) as Promise<Row[]>;
  }

  /** Closes PGlite (waiting at most timeoutMs) and ends the thread. */
  async close(timeoutMs: number): Promise<void> {
    if (this.stopped) return;
    await this.call({ op: 'close' }, timeoutMs, () => new StoreUnavailable(`the embedded database in ${this.label} did not close within ${timeoutMs} ms`)).catch(() => undefined);
    this.stopped = new StoreUnavailable('the embedded database is closed');
    await this.worker.terminate();
  }

  private call(message: { op: string; sql?: string; params?: unknown[] }, timeoutMs: number, timedOut: () => Error): Promise<unknown[]> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settled(id);
        reject(timedOut());
      }, timeoutMs);
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject, timer });
      try {
        this.worker.postMessage({ id, ...message });
      } catch (error) {
        // Parameters that cannot be cloned: nothing was sent.
        this.settled(id);
        reject(error);
      }
    });
  }

  private answered(answer: Answer): void {
    const call = this.settled(answer.id);
    if (!call) return; // timed out: its answer is nobody's
    if (answer.error) call.reject(revived(answer.error));
    else call.resolve(inThisRealm(answer.rows ?? []));
  }

  private settled(id: number): Pending | undefined {
    const call = this.pending.get(id);
    if (!call) return undefined;
    clearTimeout(call.timer);
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
    return call;
  }
}
