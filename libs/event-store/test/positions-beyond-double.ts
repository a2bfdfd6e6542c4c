/**
 * Positions are bigint end to end: above 2^53 a JSON number or a float64 would round them
 * (9007199254740993 becomes ...992). Shared by the two postgres drivers.
 */
import type { EventStore } from '@atlauja/event-store';
import { aStream, newEvent } from './event-store-contract';

export interface SqlSubject {
  store: EventStore;
  /** Runs SQL against the store's database; `event_store.` names the store's schema. */
  sql(statement: string): Promise<void>;
  dispose(): Promise<void>;
}

export function describePositionsBeyondDoublePrecision(name: string, open: () => Promise<SqlSubject>): void {
  it(`${name}: positions above 2^53 are exact in append, readAll, readStream, subscribe and headPosition`, async () => {
    const subject = await open();
    try {
      const first = 2n ** 53n + 1n;
      await subject.sql(`alter table event_store.events alter column position restart with ${first}`);
      const stream = aStream();
      const result = await subject.store.append(stream, [newEvent('A'), newEvent('B')], 'any');
      expect(result.position).toBe(first + 1n);
      expect((await subject.store.readAll(first - 1n, 10)).map((e) => e.position)).toEqual([first, first + 1n]);
      expect((await subject.store.readAll(first, 10)).map((e) => e.position)).toEqual([first + 1n]);
      const read = await subject.store.readStream(stream);
      expect(read.found && read.events.map((e) => e.position)).toEqual([first, first + 1n]);
      expect(await subject.store.headPosition()).toBe(first + 1n);
      const controller = new AbortController();
      for await (const event of subject.store.subscribe(first, { signal: controller.signal })) {
        expect(event.position).toBe(first + 1n);
        controller.abort();
      }
    } finally {
      await subject.dispose();
    }
  });
}
