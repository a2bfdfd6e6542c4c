/**
 * The reactor on a backlog (a start after downtime, in local mode beside the requests): it gives the
 * event loop turns while it catches up, and still carries the consequences out in the log's order,
 * retrying a failed one before its checkpoint passes it.
 */
import { openEmbeddedEventStore, type NewEvent, type PostgresEventStore } from '@atlauja/event-store';
import type { ReactionPorts } from '@atlauja/commands';
import { copyEmbeddedTemplate } from '../../event-store/src/testing';
import { Reactor } from './reactor';

const SCHEMA = 'read_models';
const at = (n: number): NewEvent => ({ type: 'Noted', data: { n }, metadata: { actor: 'test', occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 } });
const merged: NewEvent = { type: 'InstitutionMerged', data: {}, metadata: { actor: 'test', occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 } };

/** Ports whose only effect is to say which merge the reactor is carrying out; a merge ends no rights here. */
function recordingPorts(store: PostgresEventStore, failOnce: Set<bigint>): { ports: ReactionPorts; reached: bigint[] } {
  const reached: bigint[] = [];
  const ports = {
    store,
    now: () => new Date('2026-01-01T00:00:00Z'),
    rigaInstant: (now: Date) => now.toISOString(),
    holdersAt: async () => [],
    undecidedAt: async () => [],
    async readModelsReach(position: bigint) {
      reached.push(position);
      if (failOnce.delete(position)) throw new Error('the read model is unreachable');
    },
  } as unknown as ReactionPorts;
  return { ports, reached };
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('reactor on a backlog', () => {
  let store: PostgresEventStore;
  let remove: () => void;
  const reactors: Reactor[] = [];

  beforeEach(async () => {
    const copy = await copyEmbeddedTemplate();
    remove = copy.remove;
    store = await openEmbeddedEventStore(copy.dataDir);
  });
  afterEach(async () => {
    await Promise.all(reactors.splice(0).map((r) => r.stop()));
    await store.close();
    remove();
  });

  const reactor = (ports: ReactionPorts): Reactor => {
    const created = new Reactor({ store, sql: () => store.sql, schema: SCHEMA, ports });
    reactors.push(created);
    return created;
  };

  /** `chunks` appends of 100 events without consequences to one stream, a merge after each `mergeEvery` chunks; returns the merges' positions. */
  async function backlog(chunks: number, mergeEvery: number): Promise<bigint[]> {
    const merges: bigint[] = [];
    for (let i = 0; i < chunks; i++) {
      await store.append('noise-1', Array.from({ length: 100 }, (_, j) => at(i * 100 + j)), 'any');
      if ((i + 1) % mergeEvery === 0) merges.push((await store.append(`institution-9000000000${merges.length + 1}`, [merged], 'any')).position);
    }
    return merges;
  }

  it('lets a timer run while it catches up on thousands of events', async () => {
    await backlog(50, Number.POSITIVE_INFINITY);
    const head = await store.headPosition();
    const live = reactor(recordingPorts(store, new Set()).ports);
    const seen: bigint[] = [];
    const timer = setInterval(() => seen.push(live.position), 1);
    try {
      await live.start();
      await until(() => live.position >= head);
    } finally {
      clearInterval(timer);
    }
    expect(seen.some((position) => position > 0n && position < head)).toBe(true);
  });

  it('carries the consequences out in the log order, a failed one again before the next, and never again after its checkpoint', async () => {
    const merges = await backlog(30, 10);
    expect(merges).toHaveLength(3);
    const head = await store.headPosition();
    const first = recordingPorts(store, new Set([merges[1]]));
    const live = reactor(first.ports);
    await live.start();
    await until(() => live.position >= head);
    expect(first.reached).toEqual([merges[0], merges[1], merges[1], merges[2]]);
    await live.stop();

    const next = recordingPorts(store, new Set());
    const restarted = reactor(next.ports);
    await restarted.start();
    await store.append('noise-1', [at(-1)], 'any');
    await until(() => restarted.position > head);
    expect(next.reached).toEqual([]);
  });
});
