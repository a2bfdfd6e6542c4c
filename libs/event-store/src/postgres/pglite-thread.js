/**
 * The worker thread of pglite-driver.ts: owns the PGlite instance and runs the statements the
 * driver sends, one at a time in the order sent, answering each with its rows or its error. Plain
 * CommonJS requiring only PGlite, so the same file runs under node, ts-node and jest (a thread needs
 * no TypeScript and no --experimental-vm-modules) and is shipped as is into dist/.
 *
 * workerData: { dataDir, inMemory, settings } — `settings` are PostgreSQL start parameters.
 * Messages in: first { pgliteWasmModule, initdbWasmModule } (PGlite's WebAssembly compiled, initdb's
 * only when the database is to be created), then { id, sql, params } or { id, close: true }.
 * Out: { opened } or { openError } once, then { id, rows } or { id, error } per message.
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require('@electric-sql/pglite');

/** An error's own plain fields (PostgreSQL's code, constraint, detail…; a file system's errno code) survive the copy; the object does not. */
function plain(error) {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error === undefined ? 'unknown error' : error) };
  const fields = { name: error.name, message: error.message };
  for (const [key, value] of Object.entries(error)) {
    if (['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  }
  return fields;
}

async function open({ pgliteWasmModule, initdbWasmModule }) {
  const start = {
    startParams: [...PGlite.defaultStartParams, ...workerData.settings.flatMap((setting) => ['-c', setting])],
    // Compiled once per process by the driver and shared: a thread then starts without compiling 9 MB of WebAssembly.
    pgliteWasmModule,
    ...(initdbWasmModule && { initdbWasmModule }),
  };
  return workerData.inMemory ? PGlite.create(start) : PGlite.create(workerData.dataDir, start);
}

parentPort.once('message', (modules) => open(modules).then(
  (db) => {
    let tail = Promise.resolve();
    parentPort.on('message', (message) => {
      // Chained, so a statement the driver stopped waiting for still finishes before the next one starts.
      tail = tail.then(async () => {
        try {
          if (message.close) {
            if (!db.closed) await db.close();
            parentPort.postMessage({ id: message.id, rows: [] });
            return;
          }
          const result = await db.query(message.sql, message.params);
          parentPort.postMessage({ id: message.id, rows: result.rows });
        } catch (error) {
          parentPort.postMessage({ id: message.id, error: plain(error) });
        }
      });
    });
    parentPort.postMessage({ opened: true });
  },
  (error) => parentPort.postMessage({ openError: plain(error) }),
));
