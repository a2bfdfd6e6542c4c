/** Replaying a stream through evolve and the machine: legal histories pass, every illegal transition is named. */
import fc from 'fast-check';
import type { ApplicationEvent } from '@atlauja/domain';
import { checkTransitions } from '@atlauja/audit';
import { APPROVER_CODE, REP_CODE, historyOf } from '../../domain/test/fixtures';
import { generatedHistory } from './support/generated-histories';
import { recorded } from './support/recorded';

const STREAM = 'application-app-0001';
const AT = '2025-03-01T11:00:00+02:00';
const approved = (by: string): ApplicationEvent => ({ type: 'ApplicationApproved', data: { approvedBy: by, approvedAt: AT, kind: 'new-user' } });
const claimed = (by: string): ApplicationEvent => ({ type: 'ApplicationClaimed', data: { claimedBy: by, claimedAt: AT } });

describe('every stored transition judged by the machine', () => {
  it('finds nothing in histories the domain wrote (generated through decide), whatever state they reach', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(generatedHistory, ({ events, times }) => {
        expect(checkTransitions(STREAM, recorded(STREAM, events, (_e, i) => times[i]))).toEqual([]);
        events.forEach((event) => reached.add(event.type));
      }),
      { numRuns: 200 },
    );
    // The generator must reach the far end of the lifecycle, or this property would prove little:
    // judged on the runs above and on a fixed-seed sample, so a rare draw cannot fail it by chance.
    for (const { events } of fc.sample(generatedHistory, { numRuns: 1000, seed: 20261130 })) events.forEach((event) => reached.add(event.type));
    expect([...reached].sort()).toEqual(expect.arrayContaining(['ApplicationApproved', 'ApplicationRevoked', 'ApplicationSigned', 'ClaimReleased', 'ApplicationSuperseded', 'ApplicationExpired']));
  });

  it('names an approval by the person who drafted and signed it: FOUR_EYES (rule fourEyes)', () => {
    const events = [...historyOf('signed'), claimed(REP_CODE), approved(REP_CODE)];
    expect(checkTransitions(STREAM, recorded(STREAM, events))).toEqual([
      expect.objectContaining({ kind: 'transition', code: 'FOUR_EYES', rule: 'fourEyes', revision: '4', type: 'ApplicationClaimed' }),
      expect.objectContaining({ kind: 'transition', code: 'FOUR_EYES', rule: 'fourEyes', revision: '5', type: 'ApplicationApproved' }),
    ]);
  });

  it('names an approval without a claim: CLAIM_NOT_HELD (rule actorHoldsClaim)', () => {
    const events = [...historyOf('signed'), approved(APPROVER_CODE)];
    expect(checkTransitions(STREAM, recorded(STREAM, events))).toEqual([
      expect.objectContaining({ code: 'CLAIM_NOT_HELD', rule: 'actorHoldsClaim', revision: '4' }),
    ]);
  });

  it('names an approval of a draft (a skipped submission and signature): TRANSITION_NOT_ALLOWED', () => {
    const events = [...historyOf('draft'), approved(APPROVER_CODE)];
    const [finding] = checkTransitions(STREAM, recorded(STREAM, events));
    expect(finding).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', rule: 'transition', revision: '1', type: 'ApplicationApproved' });
    expect(finding.message).toContain('draft');
  });

  it('names anything after a final state', () => {
    const events = [...historyOf('withdrawn'), { type: 'RightsSet', data: { rights: [], warnings: [], setBy: REP_CODE, setAt: AT } } as ApplicationEvent];
    expect(checkTransitions(STREAM, recorded(STREAM, events))).toEqual([expect.objectContaining({ code: 'TRANSITION_NOT_ALLOWED', revision: '2' })]);
  });

  it('names a signature over another document than the one submitted: DOCUMENT_MISMATCH', () => {
    const events = historyOf('signed');
    const signed = events[3] as Extract<ApplicationEvent, { type: 'ApplicationSigned' }>;
    events[3] = { ...signed, data: { ...signed.data, documentSha256: 'c'.repeat(64) } };
    expect(checkTransitions(STREAM, recorded(STREAM, events))).toEqual([expect.objectContaining({ code: 'DOCUMENT_MISMATCH', rule: 'signedDocumentIsSubmitted', revision: '3' })]);
  });

  it("names an envelope whose actor is not the event's: ACTOR_MISMATCH", () => {
    const log = recorded(STREAM, historyOf('approved'));
    log[5] = { ...log[5], metadata: { ...log[5].metadata, actor: REP_CODE } };
    expect(checkTransitions(STREAM, log)).toEqual([expect.objectContaining({ code: 'ACTOR_MISMATCH', revision: '5' })]);
  });

  it('names an event type the machine has no command for', () => {
    const log = recorded(STREAM, [...historyOf('draft'), { type: 'ApplicationTeleported', data: {} } as unknown as ApplicationEvent]);
    expect(checkTransitions(STREAM, log)).toEqual([expect.objectContaining({ code: 'UNKNOWN_EVENT_TYPE', revision: '1' })]);
  });

  it('never puts a personal code into a finding', () => {
    const events = [...historyOf('signed'), claimed(REP_CODE), approved(REP_CODE)];
    const text = JSON.stringify(checkTransitions(STREAM, recorded(STREAM, events)));
    expect(text).not.toContain(REP_CODE);
  });
});
