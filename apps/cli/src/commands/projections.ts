/**
 * `npm run cli -- projections <rebuild [name...] | status | resume <name>>`: the read models from
 * the command line, against the store and read-model database the environment configures (the
 * same variables as the api: EVENT_STORE, DATA_DIR, DATABASE_URL, READ_DATABASE_URL).
 */
import { Command } from 'commander';
import { createEventStore, readModelConnection, type EventStore, type SqlDriver } from '@atlauja/event-store';
import {
  DEFAULT_READ_MODEL_SCHEMA,
  READ_MODEL_NAMES,
  READ_MODELS,
  readModelsNamed,
  rebuildReadModels,
  ensureProcessExecutorTables,
  resumeProjection,
  StoredProgress,
  type RebuildProgress,
} from '@atlauja/projections';
import { CliError, cliConfiguration, command, exitWith, runProgram, type CliIo } from '../cli';

interface Connections {
  store: EventStore;
  sql: SqlDriver;
  schema: string;
  close(): Promise<void>;
}

async function connect(io: CliIo): Promise<Connections> {
  const config = cliConfiguration(io);
  // A rebuild's statements (a page of rows, an index over a whole table) may run longer than a
  // request's: on the embedded store, whose statements run in a thread the bound really stops, they
  // get the same minute as on a server below.
  const store = await createEventStore(config.store.kind === 'embedded' ? { ...config.store, timeoutMs: Math.max(config.store.timeoutMs, 60_000) } : config.store);
  const readModels = readModelConnection(store, config.store, config.readDatabaseUrl, 60_000);
  if (readModels === null) {
    await store.close();
    throw new CliError('READ_DATABASE_URL is required when the event store is not PostgreSQL');
  }
  return {
    store,
    sql: readModels.sql,
    schema: config.readModelSchema,
    close: async () => {
      await readModels.release();
      await store.close();
    },
  };
}

const number = (n: number | bigint): string => n.toLocaleString('en-US');

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
}

/** `[#####-----]  52%  52,000 events  8,300 events/s  ETA 6s`, by position against the head at the start. */
export function progressLine(p: RebuildProgress, width = 30): string {
  const fraction = p.head === 0n ? 1 : Math.min(1, Number((p.position * 10_000n) / p.head) / 10_000);
  const filled = Math.round(fraction * width);
  const perSecond = p.elapsedMs > 0 ? (p.events * 1000) / p.elapsedMs : 0;
  const positionsPerMs = p.elapsedMs > 0 ? Number(p.position) / p.elapsedMs : 0;
  const eta = positionsPerMs > 0 ? Number(p.head > p.position ? p.head - p.position : 0n) / positionsPerMs / 1000 : Number.POSITIVE_INFINITY;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${number(p.events)} events  ${number(Math.round(perSecond))} events/s  ETA ${fraction >= 1 ? '0s' : duration(eta)}`;
}

/** Redrawn in place on a terminal; on a pipe (CI, logs) a line every 2 s. */
function progressBar(stream: NodeJS.WriteStream): { update(p: RebuildProgress): void; done(p: RebuildProgress | null): void } {
  let lastLine = 0;
  return {
    update(p) {
      if (stream.isTTY) stream.write(`\r${progressLine(p)}`);
      else if (Date.now() - lastLine >= 2000) {
        lastLine = Date.now();
        stream.write(`${progressLine(p)}\n`);
      }
    },
    done(p) {
      if (p) stream.write(`${stream.isTTY ? '\r' : ''}${progressLine(p)}\n`);
    },
  };
}

async function rebuild(names: string[], io: CliIo): Promise<number> {
  const projections = readModelsNamed(names);
  const connections = await connect(io);
  const bar = progressBar(io.err as NodeJS.WriteStream);
  let last: RebuildProgress | null = null;
  try {
    io.err.write(`rebuilding ${projections.map((p) => p.name).join(', ')} in ${connections.schema}\n`);
    // The executor's bookkeeping lives beside the rebuilt tables; on a schema from before it had its
    // own tables, carry it across first, or a rebuild would forget which notices went out.
    await ensureProcessExecutorTables(connections.sql, connections.schema);
    const result = await rebuildReadModels({
      store: connections.store,
      sql: connections.sql,
      schema: connections.schema,
      projections,
      onProgress: (p) => {
        last = p;
        bar.update(p);
      },
    });
    bar.done(last);
    const seconds = result.elapsedMs / 1000;
    io.out.write(`rebuilt ${projections.map((p) => p.name).join(', ')}: ${number(result.events)} events to position ${result.position} in ${seconds.toFixed(1)} s (${number(Math.round(result.events / Math.max(seconds, 0.001)))} events/s); swapped in\n`);
    return 0;
  } finally {
    await connections.close();
  }
}

async function status(io: CliIo): Promise<number> {
  const connections = await connect(io);
  try {
    const rows = await new StoredProgress(connections.sql, connections.store, READ_MODELS.map((p) => p.name), connections.schema).status();
    for (const row of rows) {
      io.out.write(`${row.name.padEnd(26)} ${row.state.padEnd(12)} checkpoint ${row.checkpoint.padStart(10)}  lag ${row.lag}${row.state === 'failed' ? `  failed at ${row.failedPosition}: ${row.error}` : ''}\n`);
    }
    return rows.some((r) => r.state === 'failed') ? 1 : 0;
  } finally {
    await connections.close();
  }
}

async function resume(name: string, io: CliIo): Promise<number> {
  if (!READ_MODEL_NAMES.includes(name)) throw new CliError(`resume needs one read model: ${READ_MODEL_NAMES.join(', ')} (got "${name}")`, 2);
  const connections = await connect(io);
  try {
    const resumed = await resumeProjection(connections.sql, connections.schema, name);
    io.out.write(resumed ? `${name} resumed: the runner retries from its checkpoint\n` : `${name} had not failed: nothing to resume\n`);
    return 0;
  } finally {
    await connections.close();
  }
}

export function projectionsCommand(io: CliIo): Command {
  const projections = command('projections', io)
    .description('the read models, against the store and read-model database the environment configures')
    .addHelpText(
      'after',
      `
The store and read-model database come from the environment, as for the api:
  EVENT_STORE=embedded (default) with DATA_DIR, EVENT_STORE=postgres with DATABASE_URL, or
  EVENT_STORE=eventstoredb with EVENTSTORE_URL; READ_DATABASE_URL for the read models (else the
  store's own PostgreSQL). READ_MODEL_SCHEMA (default ${DEFAULT_READ_MODEL_SCHEMA}).

With the embedded store the api process owns the PGlite data directory (a lock refuses a second
process): stop the api first, or run this against PostgreSQL, where the api and worker may keep
running during a rebuild.`,
    );
  projections
    .command('rebuild')
    .description(`replay the log from position 0 into fresh tables and swap them in at once, while the old ones keep serving; all read models unless named (${READ_MODEL_NAMES.join(', ')}); a progress bar (events/s, ETA) goes to stderr`)
    .argument('[name...]', 'read models to rebuild')
    .action(async (names: string[], _options: unknown, cmd: Command) => exitWith(cmd, await rebuild(names, io)));
  projections
    .command('status')
    .description("each read model's checkpoint, lag and state (a failed one with its position and error); exits 1 when one has failed")
    .action(async (_options: unknown, cmd: Command) => exitWith(cmd, await status(io)));
  projections
    .command('resume')
    .description('let a failed read model try again from its checkpoint (after fixing the cause)')
    .argument('<name>', READ_MODEL_NAMES.join(' | '))
    .action(async (name: string, _options: unknown, cmd: Command) => exitWith(cmd, await resume(name, io)));
  return projections;
}

export function run(args: string[], io: CliIo = { env: process.env, out: process.stdout, err: process.stderr }): Promise<number> {
  return runProgram(projectionsCommand(io), args, io);
}
