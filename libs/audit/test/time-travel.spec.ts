/** Time travel: the state at a revision is the fold of that prefix; `at=` picks the last event at or before the instant. */
import fc from 'fast-check';
import { foldApplication } from '@atlauja/domain';
import { PointInTimeError, stateAt } from '@atlauja/audit';
import { generatedHistory } from './support/generated-histories';
import { recorded } from './support/recorded';

const STREAM = 'application-app-0001';

describe('the state of an application at any point', () => {
  it('for generated histories, the state at every revision equals the fold of that prefix', () => {
    fc.assert(
      fc.property(generatedHistory, ({ events, times }) => {
        const log = recorded(STREAM, events, (_e, i) => times[i]);
        for (let r = 0; r < events.length; r++) {
          const at = stateAt(log, { revision: BigInt(r) });
          expect(at.state).toEqual(foldApplication(events.slice(0, r + 1)));
          expect(at.revision).toBe(BigInt(r));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('for generated histories, at= an instant folds exactly the events at or before it (the last of equal times included)', () => {
    fc.assert(
      fc.property(generatedHistory, fc.integer({ min: -2, max: 80 }), ({ events, times }, minutes) => {
        const log = recorded(STREAM, events, (_e, i) => times[i]);
        const instant = new Date(Date.parse('2025-03-01T08:00:00Z') + minutes * 60_000);
        const included = times.filter((t) => Date.parse(t) <= instant.getTime()).length;
        const at = stateAt(log, { at: instant.toISOString() });
        expect(at.state).toEqual(foldApplication(events.slice(0, included)));
        expect(at.revision).toBe(included === 0 ? null : BigInt(included - 1));
        // The next event, if any, is strictly after the instant.
        if (included < times.length) expect(Date.parse(times[included])).toBeGreaterThan(instant.getTime());
      }),
      { numRuns: 150 },
    );
  });

  it('an instant with an offset is the same instant in UTC', () => {
    const log = recorded(STREAM, [], () => '');
    expect(stateAt(log, { at: '2025-03-01T10:00:00+02:00' }).revision).toBeNull();
  });

  it.each([
    ['revision 5 of an empty stream', { revision: 5n }, 'REVISION_BEYOND_HEAD'],
    ['revision -1', { revision: '-1' }, 'REVISION_INVALID'],
    ['revision 1e3', { revision: '1e3' }, 'REVISION_INVALID'],
    ['a local time without a zone', { at: '2025-03-01T10:00:00' }, 'INSTANT_INVALID'],
    ['"yesterday"', { at: 'yesterday' }, 'INSTANT_INVALID'],
  ] as const)('%s is refused with %s', (_label, point, code) => {
    let thrown: unknown;
    try {
      stateAt([], point);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PointInTimeError);
    expect((thrown as PointInTimeError).code).toBe(code);
  });
});
