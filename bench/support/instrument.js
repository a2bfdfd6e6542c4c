/**
 * Preloaded (`node -r`) into the api process by the bench, never by the product: counts the SQL
 * statements the process sends through its drivers (pg, and the messages to PGlite's thread), split into those issued while
 * handling an HTTP request and the rest (the projection runner, timers), and measures the event
 * loop's delay. On SIGWINCH (which Node ignores by default and Nest's shutdown hooks do not take, unlike
 * SIGUSR2) it writes the counts and the delay percentiles since the last SIGWINCH to
 * BENCH_INSTRUMENT_FILE and starts again. Plain JavaScript: it runs before the compiled app loads.
 */
'use strict';
const { AsyncLocalStorage } = require('node:async_hooks');
const { renameSync, writeFileSync } = require('node:fs');
const http = require('node:http');
const Module = require('node:module');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const inRequest = new AsyncLocalStorage();
const counts = { request: 0, background: 0, requests: 0 };
const count = (n = 1) => {
  if (inRequest.getStore()) counts.request += n;
  else counts.background += n;
};

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  if (event !== 'request') return emit.call(this, event, ...args);
  counts.requests += 1;
  return inRequest.run(true, () => emit.call(this, event, ...args));
};

function instrumentPg(pg) {
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (...args) {
    count();
    return query.apply(this, args);
  };
}

// The embedded driver runs PGlite in a worker thread and posts it one message per statement (BEGIN,
// COMMIT and ROLLBACK included), each with its SQL text: counted as it is posted, in the caller's context.
const { Worker } = require('node:worker_threads');
const postMessage = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (message, ...rest) {
  if (message && typeof message.sql === 'string') count();
  return postMessage.call(this, message, ...rest);
};

// The drivers are instrumented when the app first loads them, not loaded here: the app loads only
// the driver its store needs, and the start-up and memory figures must not carry the other one.
const instrumenters = { pg: instrumentPg };
const instrumented = new Set();
const load = Module._load;
Module._load = function (request, ...rest) {
  const loaded = load.call(this, request, ...rest);
  const instrument = instrumenters[request];
  if (instrument && !instrumented.has(request)) {
    instrumented.add(request);
    instrument(loaded);
  }
  return loaded;
};

const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();

process.on('SIGWINCH', () => {
  const file = process.env.BENCH_INSTRUMENT_FILE;
  if (!file) return;
  // Written aside and renamed: the bench reads the file as soon as it exists, never half-written.
  writeFileSync(`${file}.tmp`, JSON.stringify({
    ...counts,
    eventLoopDelayMs: { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
  }));
  renameSync(`${file}.tmp`, file);
  counts.request = 0;
  counts.background = 0;
  counts.requests = 0;
  delay.reset();
});
