/**
 * A reproducible log of many applications on every path of the lifecycle (including changes and
 * terminations of approved ones), for the crash and rebuild specs.
 */
import type { ApplicationEvent } from '@atlauja/domain';
import { ev, LogWriter, MANAGE_AND_RESORT_VIEW, SUBORDINATE, USER_ANNA, USER_JANIS, VIEW_MINISTRY } from './applications';

/** mulberry32: a small seeded PRNG, so a failing seed can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Appends `applications` applications; returns the number of events. */
export async function writeRandomLog(log: LogWriter, seed: number, applications: number, prefix = 'app'): Promise<number> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const approved: string[] = [];
  let count = 0;
  const append = async (id: string, ...events: ApplicationEvent[]) => {
    count += events.length;
    await log.append(id, ...events);
  };
  for (let i = 0; i < applications; i++) {
    const id = `${prefix}-${i}`;
    const user = pick([USER_ANNA, USER_JANIS]);
    const replaces = approved.length > 0 && random() < 0.3 ? approved.splice(Math.floor(random() * approved.length), 1)[0] : undefined;
    const kind = replaces ? pick(['change', 'termination'] as const) : 'new-user';
    const institution = random() < 0.2 ? SUBORDINATE : undefined;
    const rights = institution ? [{ kind: 'institution' as const, institution, groups: ['VIEW' as const] }] : pick([VIEW_MINISTRY, MANAGE_AND_RESORT_VIEW]);
    await append(id, ev.drafted(id, { kind, user, institution, replaces, t: i }), ev.rightsSet(rights, i));
    const path = random();
    if (path < 0.1) continue;
    if (path < 0.2) {
      await append(id, ev.withdrawn(i + 1));
      continue;
    }
    await append(id, ev.submitted(i + 1), ev.signed(i + 2), ev.claimed(undefined, i + 3));
    if (path < 0.35) continue;
    if (path < 0.45) {
      await append(id, ev.rejected('incomplete', i + 4));
      continue;
    }
    await append(id, ev.approved(kind, replaces, i + 5));
    if (replaces && kind === 'change') await append(replaces, ev.superseded(id, i + 6));
    const after = random();
    if (after < 0.15) await append(id, ev.revoked('left', i + 7));
    else if (after < 0.25) await append(id, ev.expired(i + 8));
    else if (kind !== 'termination') approved.push(id);
  }
  return count;
}
