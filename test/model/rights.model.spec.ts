/**
 * Model-based test of the rights that span streams (docs/commands.md, "Model-based test"): random
 * sequences of commands (drafts of new users, changes and terminations naming any application,
 * rights set by a colleague, submissions, signatures, approvals and rejections by anyone including
 * who touched it or whom it grants, merges, re-certification campaigns, the e-service's question,
 * and races of conflicting approvals) run against the real application over HTTP, on the embedded
 * store and on PostgreSQL (DATABASE_URL), each answer checked against a small reference model and
 * the invariants checked on the real state after every command. MODEL_RUNS raises the number of runs;
 * MODEL_SEED (and MODEL_PATH) replay a reported failure.
 */
import fc from 'fast-check';
import { createPgDriver, PostgresEventStore } from '@atlauja/event-store';
import { dropSchema, uniqueSchema } from '../../bench/support/stores';
import { Harness, startHarness } from '../support/api-harness';
import { executed, rightsCommands } from './support/commands';
import { APPROVER_PERSON, PERSONS, shared, World } from './support/real-system';
import { RightsModel } from './support/reference-model';

const RUNS = Number(process.env.MODEL_RUNS ?? 30);
const MAX_COMMANDS = Number(process.env.MODEL_MAX_COMMANDS ?? 20);
const DATABASE_URL = process.env.DATABASE_URL || undefined;
const ENV = { EXPIRY_INTERVAL_SECONDS: '0', REGISTRY_TIMER_SECONDS: '0' };

interface StoreCase {
  name: string;
  /** Distinguishes the stores' registration numbers. */
  prefix: string;
  start(): Promise<{ h: Harness; cleanup(): Promise<void> }>;
}

const embedded: StoreCase = {
  name: 'the embedded store (PGlite)',
  prefix: '1',
  start: async () => {
    const h = await startHarness({}, ENV);
    return { h, cleanup: () => h.close() };
  },
};

const postgres: StoreCase = {
  name: 'PostgreSQL',
  prefix: '2',
  start: async () => {
    // The log and the read models each in a schema of their own, dropped after: nothing is left for the next run to trip on.
    const schema = uniqueSchema('model');
    const readModels = uniqueSchema('model_rm');
    const store = await PostgresEventStore.open(createPgDriver({ connectionString: DATABASE_URL!, connectionTimeoutMs: 5000, max: 10 }), { schema });
    const h = await startHarness({ eventStore: store }, { ...ENV, READ_MODEL_SCHEMA: readModels });
    return {
      h,
      cleanup: async () => {
        await h.close();
        await dropSchema(schema);
        await dropSchema(readModels);
      },
    };
  },
};

describe.each(DATABASE_URL ? [embedded, postgres] : [embedded])('the rights as one truth, model-based, on $name', (store) => {
  let started: { h: Harness; cleanup(): Promise<void> };

  beforeAll(async () => {
    started = await store.start();
  }, 180_000);
  afterAll(() => started?.cleanup());

  it(`no sequence of commands breaks the invariants (${RUNS} runs of up to ${MAX_COMMANDS} commands)`, async () => {
    const s = await shared(started.h, store.prefix);
    const before = executed.count;
    executed.byKind.clear();
    await fc.assert(
      fc.asyncProperty(rightsCommands(MAX_COMMANDS), async (commands) => {
        const world = await World.open(s);
        await fc.asyncModelRun(() => ({ model: new RightsModel(PERSONS.length, APPROVER_PERSON), real: world }), commands);
      }),
      {
        numRuns: RUNS,
        endOnFailure: process.env.MODEL_SHRINK === '0',
        // A failure reports its seed and path: MODEL_SEED and MODEL_PATH replay it.
        ...(process.env.MODEL_SEED && { seed: Number(process.env.MODEL_SEED), ...(process.env.MODEL_PATH && { path: process.env.MODEL_PATH }) }),
      },
    );
    // A run whose every command was skipped by its precondition would prove nothing.
    const ran = executed.count - before;
    expect(ran).toBeGreaterThan(RUNS);
    process.stdout.write(`model-based test on ${store.name}: ${RUNS} runs, ${ran} commands run (by kind: ${[...executed.byKind].map(([k, c]) => `${k} ${c}`).join(', ')})\n`);
    // Minutes, not the suites' default seconds: every command is real HTTP on a real store.
  }, Math.max(600_000, RUNS * MAX_COMMANDS * 3_000));
});
