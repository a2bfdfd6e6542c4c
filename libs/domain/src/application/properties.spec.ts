/**
 * Properties over any sequence of commands (fast-check): the decider and the fold agree with the
 * machine, never record an illegal transition, and fold deterministically.
 */
import fc from 'fast-check';
import { transition } from 'xstate';
import {
  CVI,
  OTHER_DOC,
  PREVIOUS_APP_ID,
  REP2_CODE,
  admin,
  approver,
  approver2,
  auditor,
  commands,
  repAsApprover,
  representative,
  representative2,
  system,
} from '../../test/fixtures';
import { DomainError, type DomainErrorCode } from '../shared/errors';
import type { ApplicationCommand } from './commands';
import { decide } from './decide';
import type { ApplicationEvent } from './events';
import { foldApplication } from './evolve';
import { applicationMachine, resolveApplicationSnapshot } from './machine';
import { TRANSITION_RULES } from './rules/transition-rules';
import { APPLICATION_STATUSES, initialApplicationState, type ApplicationState, type ApplicationStatus } from './state';

/** Codes that say "not now / not you": the machine's refusals and the checks made before asking it. */
const REFUSALS_BEFORE_CONTENT = new Set<DomainErrorCode>([
  'TRANSITION_NOT_ALLOWED',
  'APPLICATION_ID_REQUIRED',
  'APPLICATION_ID_MISMATCH',
  'ACTOR_INVALID',
  'TIME_INVALID',
  ...Object.values(TRANSITION_RULES).map((r) => r.code),
]);

// Mostly valid commands of every type, plus the usual mistakes, so that runs reach every state.
const anyCommand: fc.Arbitrary<ApplicationCommand> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(commands.draft()) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      commands.draft({ kind: 'termination', replaces: PREVIOUS_APP_ID }),
      commands.draft({ kind: 'change', replaces: PREVIOUS_APP_ID, term: { kind: 'until', date: '2025-12-31' } }),
      commands.draft({ kind: 'change' }),
      commands.draft({ justification: '' }),
    ),
  },
  { weight: 2, arbitrary: fc.constantFrom(commands.edit(), commands.edit({ justification: undefined })) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      commands.setRights(),
      commands.setRights({ rights: [] }),
      commands.setRights({ rights: [{ kind: 'resort', resort: CVI, groups: ['VIEW'] }] }),
    ),
  },
  { weight: 3, arbitrary: fc.constantFrom(commands.submit(), commands.submit({ documentSha256: 'nope' })) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      commands.sign(),
      commands.sign({ signature: { valid: false } }),
      commands.sign({ signature: { documentSha256: OTHER_DOC } }),
      commands.sign({ actor: representative2, signature: { signerPersonalCode: REP2_CODE } }),
      commands.sign({ actor: representative2 }),
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(commands.withdraw(), commands.withdraw({ reason: 'not needed' })) },
  { weight: 3, arbitrary: fc.constantFrom(commands.claim(), commands.claim({ actor: approver2 }), commands.claim({ actor: repAsApprover })) },
  { weight: 1, arbitrary: fc.constantFrom(commands.release(), commands.release({ actor: approver2 })) },
  { weight: 3, arbitrary: fc.constantFrom(commands.approve(), commands.approve({ actor: approver2 })) },
  { weight: 2, arbitrary: fc.constantFrom(commands.reject(), commands.reject({ reason: '' }), commands.reject({ actor: approver2 })) },
  { weight: 2, arbitrary: fc.constantFrom(commands.revoke(), commands.revoke({ confirmed: false }), commands.revoke({ actor: admin })) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      commands.expire(),
      commands.expire({ reason: 'end-date', at: '2026-01-05T00:00:00+02:00' }),
      commands.supersede(),
      commands.supersede({ supersededBy: '' }),
      commands.end(),
      commands.end({ causeRef: '' }),
      commands.close(),
    ),
  },
);

// Now and then the same command from the wrong person.
const anyActor = fc.constantFrom(representative, representative2, approver, approver2, admin, auditor, system, repAsApprover);
const anyCommandFromAnyone = fc
  .tuple(anyCommand, fc.option(anyActor, { freq: 6 }))
  .map(([command, actor]) => (actor ? { ...command, actor } : command));

/**
 * A step forward on the happy path from wherever the application is (`choice` picks a branch),
 * mixed into the random commands so that runs get past the early states often.
 */
type Step = { readonly forward: number } | ApplicationCommand;
function forward(state: ApplicationState, choice: number): ApplicationCommand {
  const pick = (...options: ApplicationCommand[]) => options[choice % options.length];
  switch (state.status) {
    case 'none':
      return pick(commands.draft(), commands.draft({ kind: 'termination', replaces: PREVIOUS_APP_ID }));
    case 'draft':
      return state.rights.length === 0 && state.kind !== 'termination' ? commands.setRights() : pick(commands.submit(), commands.submit(), commands.submit(), commands.withdraw());
    case 'submitted':
      return pick(commands.sign(), commands.sign(), commands.sign(), commands.withdraw());
    case 'signed':
      return state.claimedBy === null ? pick(commands.claim(), commands.claim(), commands.claim(), commands.close()) : pick(commands.approve(), commands.reject(), commands.release());
    default:
      return pick(commands.revoke(), commands.expire(), commands.supersede(), commands.end({ cause: 'not-recertified' }));
  }
}
const anyStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.nat(11).map((n) => ({ forward: n })) },
  { weight: 2, arbitrary: anyCommandFromAnyone },
);

describe('for any sequence of commands', () => {
  const reached = new Set<ApplicationStatus>();

  it('folding the produced events lands where the machine says; nothing illegal is recorded; folding is deterministic', () => {
    fc.assert(
      fc.property(fc.array(anyStep, { minLength: 1, maxLength: 40, size: 'max' }), (sequence) => {
        let state = initialApplicationState;
        const log: ApplicationEvent[] = [];
        for (const step of sequence) {
          const command = 'forward' in step ? forward(state, step.forward) : step;
          const snapshot = resolveApplicationSnapshot(state);
          const legal = snapshot.can(command);
          let events: ApplicationEvent[] | null = null;
          try {
            events = decide(command, state);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            const code = (error as DomainError).code;
            // A refusal for a legal transition is about content; for an illegal one, about the transition.
            expect(REFUSALS_BEFORE_CONTENT.has(code)).toBe(!legal || ['ACTOR_INVALID', 'TIME_INVALID'].includes(code));
          }
          if (!legal) expect(events).toBeNull();
          if (events === null) continue;
          const next = foldApplication(events, state);
          const [machineNext] = transition(applicationMachine, snapshot, command);
          expect(next.status).toBe(machineNext.value);
          expect(next.revision).toBe(state.revision + events.length);
          state = next;
          log.push(...events);
          reached.add(state.status);
        }
        expect(foldApplication(log)).toEqual(state);
        expect(foldApplication(JSON.parse(JSON.stringify(log)))).toEqual(foldApplication(log));
      }),
      { numRuns: 400 },
    );
  });

  it('the generated runs reached every state (so the property above was tested everywhere)', () => {
    expect([...reached].sort()).toEqual(APPLICATION_STATUSES.filter((s) => s !== 'none').sort());
  });
});
