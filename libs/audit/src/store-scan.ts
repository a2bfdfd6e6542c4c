/**
 * Which streams a question is about, found by reading the global log once in pages: those with an
 * event in a period, those of an institution, those whose user is a given person. Only stream names
 * are kept while scanning; each stream is then read whole (its chain needs every event).
 */
import { tryNormalizePersonalCode } from '@atlauja/domain';
import { institutionNamedBy } from '@atlauja/projections';
import type { EventStore, RecordedEvent } from '@atlauja/event-store';
import { instantMillis } from './time-check';

export interface StreamSelection {
  readonly stream?: string;
  /** Registration number: the institution's own stream, its campaigns, its applications (every stream placed at it, as the audit log places them). */
  readonly institution?: string;
  /** Streams with at least one event in [from, to] (by metadata.occurredAt). */
  readonly from?: Date;
  readonly to?: Date;
}

const PAGE = 1000;

/** Every event of the log, page by page. */
export async function* readLog(store: EventStore, pageSize = PAGE): AsyncGenerator<RecordedEvent> {
  let position = 0n;
  for (;;) {
    const page = await store.readAll(position, pageSize);
    for (const event of page) yield event;
    if (page.length < pageSize) return;
    position = page[page.length - 1].position;
  }
}

/** Stream names meeting every criterion given, in the order they first appear in the log. */
export async function selectStreams(store: EventStore, selection: StreamSelection = {}): Promise<string[]> {
  if (selection.stream) return [selection.stream];
  const from = selection.from?.getTime() ?? -Infinity;
  const to = selection.to?.getTime() ?? Infinity;
  const seen = new Set<string>();
  const placed = new Map<string, string>();
  const inPeriod = new Set<string>();
  for await (const event of readLog(store)) {
    seen.add(event.stream);
    if (!placed.has(event.stream)) {
      const institution = institutionNamedBy(event);
      if (institution !== null) placed.set(event.stream, institution);
    }
    // An event whose time cannot be read may be in any period: its stream is chosen, and its audit names the time.
    const at = instantMillis(event.metadata.occurredAt);
    if (at === null || (at >= from && at <= to)) inPeriod.add(event.stream);
  }
  return [...seen].filter((stream) => (selection.institution === undefined || placed.get(stream) === selection.institution) && inPeriod.has(stream));
}

/**
 * Application streams whose user is (or, before an edit, was) this person. The code is compared
 * in its normalized form; it is never logged or returned by this function.
 */
export async function streamsOfUser(store: EventStore, personalCode: string): Promise<string[]> {
  const wanted = tryNormalizePersonalCode(personalCode);
  if (!wanted) return [];
  const chosen = new Set<string>();
  for await (const event of readLog(store)) {
    const user = userOf(event);
    if (user && tryNormalizePersonalCode(user) === wanted) chosen.add(event.stream);
  }
  return [...chosen];
}

function userOf(event: RecordedEvent): string | undefined {
  const data = event.data as { user?: { personalCode?: unknown }; changes?: { user?: { personalCode?: unknown } } } | null;
  const code = event.type === 'ApplicationDrafted' ? data?.user?.personalCode : event.type === 'DraftEdited' ? data?.changes?.user?.personalCode : undefined;
  return typeof code === 'string' ? code : undefined;
}
