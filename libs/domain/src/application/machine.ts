/**
 * The lifecycle of an application: the one table of legal transitions and their guards.
 * Its events are the commands themselves, its context the folded ApplicationState. It is used
 * purely (`resolveState`, `can`, `transition`): no actor is started, no timer runs.
 * `decide` asks it; the diagram in docs/lifecycle.md is drawn from it; an auditor replays with it.
 */
import { setup } from 'xstate';
import type { DomainError } from '../shared/errors';
import { explainRefusalOf, holdsAll, rulesGuard, type RulesGuardOf } from '../shared/guarded-machine';
import type { ApplicationCommand } from './commands';
import { TRANSITION_RULES, type TransitionRuleName } from './rules/transition-rules';
import { initialApplicationState, type ApplicationState, type ApplicationStatus } from './state';

/** A transition's guard: every named rule must hold. Kept as data so a refusal can name the rule. */
export type RulesGuard = RulesGuardOf<TransitionRuleName>;

const when = (...rules: TransitionRuleName[]): RulesGuard => rulesGuard(...rules);

export const applicationMachine = setup({
  types: {
    context: {} as ApplicationState,
    events: {} as ApplicationCommand,
  },
  guards: { rules: holdsAll(TRANSITION_RULES) },
}).createMachine({
  id: 'application',
  initial: 'none',
  context: initialApplicationState,
  states: {
    none: {
      description: 'No application yet',
      on: {
        DraftApplication: { target: 'draft', guard: when('actorIsRepresentative') },
      },
    },
    draft: {
      description: 'Sagatave: the representative prepares it',
      on: {
        EditDraft: { target: 'draft', guard: when('actorIsRepresentative') },
        SetRights: { target: 'draft', guard: when('actorIsRepresentative', 'kindCarriesRights') },
        SubmitApplication: { target: 'submitted', guard: when('actorIsRepresentative', 'rightsSetUnlessTermination') },
        WithdrawApplication: { target: 'withdrawn', guard: when('actorIsRepresentative') },
        CloseApplication: { target: 'closed', guard: when('actorIsSystem') },
      },
    },
    submitted: {
      description: 'Content frozen; the document to sign is fixed',
      on: {
        SignApplication: {
          target: 'signed',
          guard: when('actorIsRepresentative', 'signatureValid', 'signedDocumentIsSubmitted', 'signerIsActor'),
        },
        WithdrawApplication: { target: 'withdrawn', guard: when('actorIsRepresentative') },
        CloseApplication: { target: 'closed', guard: when('actorIsSystem') },
      },
    },
    signed: {
      description: "In the approvers' queue",
      on: {
        ClaimApplication: { target: 'signed', guard: when('actorIsApprover', 'fourEyes', 'notOwnRights', 'notClaimedByAnother') },
        ReleaseClaim: { target: 'signed', guard: when('actorIsApprover', 'actorHoldsClaim') },
        ApproveApplication: { target: 'approved', guard: when('actorIsApprover', 'fourEyes', 'notOwnRights', 'actorHoldsClaim') },
        RejectApplication: { target: 'rejected', guard: when('actorIsApprover', 'fourEyes', 'notOwnRights', 'actorHoldsClaim') },
        CloseApplication: { target: 'closed', guard: when('actorIsSystem') },
      },
    },
    approved: {
      description: 'The rights are in force',
      on: {
        RevokeApplication: { target: 'revoked', guard: when('actorMayRevoke', 'revocationConfirmed') },
        ExpireApplication: { target: 'expired', guard: when('actorIsSystem') },
        SupersedeApplication: { target: 'superseded', guard: when('actorIsSystem') },
        EndApplication: { target: 'ended', guard: when('actorIsSystem') },
      },
    },
    rejected: { type: 'final', description: 'Noraidīts' },
    withdrawn: { type: 'final', description: 'Withdrawn by the representative before it was signed' },
    revoked: { type: 'final', description: 'Atcelts' },
    expired: { type: 'final', description: 'End date passed, or 18 months without a login' },
    superseded: { type: 'final', description: 'A later approved change replaced it' },
    ended: { type: 'final', description: 'Its institution was merged away, or a re-certification did not confirm the user' },
    closed: { type: 'final', description: 'Undecided when its institution was merged away' },
  },
});

export type ApplicationMachine = typeof applicationMachine;

/** The machine's snapshot for a folded application. */
export function resolveApplicationSnapshot(state: ApplicationState) {
  return applicationMachine.resolveState({ value: state.status, context: state });
}

/** The statuses the machine marks final: nothing moves them again. */
export const FINAL_STATUSES: readonly ApplicationStatus[] = Object.entries(applicationMachine.config.states ?? {})
  .filter(([, node]) => node?.type === 'final')
  .map(([name]) => name as ApplicationStatus);

/**
 * Why the machine refuses `command` in `state`: TRANSITION_NOT_ALLOWED when the state has no
 * transition for it, otherwise the first rule of its guard that fails; null when it allows it.
 */
export function explainRefusal(state: ApplicationState, command: ApplicationCommand): DomainError | null {
  return explainRefusalOf(applicationMachine, TRANSITION_RULES, state, command, 'application');
}
