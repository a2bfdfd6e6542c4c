/** The fold: state from events, pure and total. */
import { historyOf } from '../../test/fixtures';
import type { ApplicationEvent } from './events';
import { APPLICATION_EVENT_SCHEMA_VERSION, APPLICATION_EVENT_TYPES } from './catalogue';
import { evolve, foldApplication } from './evolve';
import { initialApplicationState } from './state';

/** True when `value` survives JSON unchanged and has no undefined-valued key anywhere. */
function isPlainJson(value: unknown): boolean {
  if (value === null || ['string', 'boolean'].includes(typeof value)) return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value as object).every((v) => v !== undefined && isPlainJson(v));
  }
  return false;
}

describe('evolve', () => {
  it('counts every event folded as the revision', () => {
    const events = historyOf('approved');
    expect(foldApplication(events).revision).toBe(events.length);
    expect(initialApplicationState.revision).toBe(0);
  });

  it('an event type it does not know (a newer writer) only advances the revision', () => {
    const drafted = foldApplication(historyOf('draft'));
    const next = evolve(drafted, { type: 'SomethingNew', data: {} } as unknown as ApplicationEvent);
    expect(next).toEqual({ ...drafted, revision: drafted.revision + 1 });
  });

  it('does not touch the state it is given', () => {
    const before = foldApplication(historyOf('signed'));
    const copy = JSON.parse(JSON.stringify(before));
    foldApplication(historyOf('approved').slice(before.revision), before);
    expect(before).toEqual(copy);
  });

  it('a state that folded to a status shows who did each step', () => {
    const state = foldApplication(historyOf('approved'));
    expect(state).toMatchObject({ status: 'approved', draftedBy: expect.any(String), submittedBy: expect.any(String), signedBy: expect.any(String), decidedBy: expect.any(String) });
    expect(state.documentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(state.signatureEvidenceRef).toBe('evidence/app-0001/1');
  });
});

describe('events', () => {
  const all = (['withdrawn', 'rejected', 'revoked', 'expired', 'superseded', 'ended'] as const).flatMap((s) => historyOf(s));

  it('are plain JSON: no Dates, no bigint, no undefined-valued keys', () => {
    for (const event of all) {
      expect(isPlainJson(event)).toBe(true);
      expect(JSON.parse(JSON.stringify(event))).toEqual(event);
    }
  });

  it('every event type has a schema version, 1 for now', () => {
    expect(APPLICATION_EVENT_TYPES).toHaveLength(15);
    expect(new Set(Object.values(APPLICATION_EVENT_SCHEMA_VERSION))).toEqual(new Set([1]));
    const seen = new Set([...all, ...historyOf('claimed')].map((e) => e.type));
    // ClaimReleased and DraftEdited are produced by their own specs; the histories show the rest.
    for (const type of seen) expect(APPLICATION_EVENT_TYPES).toContain(type);
  });

  it('fold the same way from their JSON form as from memory (a store round trip changes nothing)', () => {
    for (const status of ['approved', 'superseded'] as const) {
      const events = historyOf(status);
      expect(foldApplication(JSON.parse(JSON.stringify(events)))).toEqual(foldApplication(events));
    }
  });
});
