/**
 * The lifecycle of DOMAIN.md, as a table written here independently of the machine, checked for
 * every state × every command: the legal ones record their event and land in their target state,
 * every other one is refused with TRANSITION_NOT_ALLOWED.
 */
import { commands, historyOf } from '../../test/fixtures';
import { given } from '../../test/given';
import { APPLICATION_COMMAND_TYPES, type ApplicationCommand, type ApplicationCommandType } from './commands';
import { listTransitions } from './diagram';
import type { ApplicationEventType } from './events';
import { FINAL_STATUSES } from './machine';
import { APPLICATION_STATUSES, type ApplicationStatus } from './state';

const LIFECYCLE: Record<ApplicationStatus, Partial<Record<ApplicationCommandType, ApplicationStatus>>> = {
  none: { DraftApplication: 'draft' },
  draft: { EditDraft: 'draft', SetRights: 'draft', SubmitApplication: 'submitted', WithdrawApplication: 'withdrawn', CloseApplication: 'closed' },
  submitted: { SignApplication: 'signed', WithdrawApplication: 'withdrawn', CloseApplication: 'closed' },
  signed: { ClaimApplication: 'signed', ReleaseClaim: 'signed', ApproveApplication: 'approved', RejectApplication: 'rejected', CloseApplication: 'closed' },
  approved: { RevokeApplication: 'revoked', ExpireApplication: 'expired', SupersedeApplication: 'superseded', EndApplication: 'ended' },
  rejected: {},
  withdrawn: {},
  revoked: {},
  expired: {},
  superseded: {},
  ended: {},
  closed: {},
};

const RECORDED_AS: Record<ApplicationCommandType, ApplicationEventType> = {
  DraftApplication: 'ApplicationDrafted',
  EditDraft: 'DraftEdited',
  SetRights: 'RightsSet',
  SubmitApplication: 'ApplicationSubmitted',
  SignApplication: 'ApplicationSigned',
  WithdrawApplication: 'ApplicationWithdrawn',
  ClaimApplication: 'ApplicationClaimed',
  ReleaseClaim: 'ClaimReleased',
  ApproveApplication: 'ApplicationApproved',
  RejectApplication: 'ApplicationRejected',
  RevokeApplication: 'ApplicationRevoked',
  ExpireApplication: 'ApplicationExpired',
  SupersedeApplication: 'ApplicationSuperseded',
  EndApplication: 'ApplicationEnded',
  CloseApplication: 'ApplicationClosed',
};

/** A command of each type that meets every guard where the type is legal (right actor, valid content). */
const COMMAND_OF: Record<ApplicationCommandType, () => ApplicationCommand> = {
  DraftApplication: () => commands.draft(),
  EditDraft: () => commands.edit(),
  SetRights: () => commands.setRights(),
  SubmitApplication: () => commands.submit(),
  SignApplication: () => commands.sign(),
  WithdrawApplication: () => commands.withdraw(),
  ClaimApplication: () => commands.claim(),
  ReleaseClaim: () => commands.release(),
  ApproveApplication: () => commands.approve(),
  RejectApplication: () => commands.reject(),
  RevokeApplication: () => commands.revoke(),
  ExpireApplication: () => commands.expire(),
  SupersedeApplication: () => commands.supersede(),
  EndApplication: () => commands.end(),
  CloseApplication: () => commands.close(),
};

/** Release, approve and reject need the claim held; submitting needs rights. */
function historyFor(status: ApplicationStatus, type: ApplicationCommandType) {
  if (status === 'signed' && ['ReleaseClaim', 'ApproveApplication', 'RejectApplication'].includes(type)) return historyOf('claimed');
  if (status === 'draft' && type === 'SubmitApplication') return [...historyOf('draft'), ...given(historyOf('draft')).when(commands.setRights()).outcome().events];
  return historyOf(status);
}

const cases = APPLICATION_STATUSES.flatMap((status) => APPLICATION_COMMAND_TYPES.map((type) => [status, type, LIFECYCLE[status][type]] as const));

describe('the lifecycle: every state × every command', () => {
  it.each(cases.filter(([, , to]) => to !== undefined))('%s + %s → %s', (status, type, to) => {
    const { events, state } = given(historyFor(status, type)).when(COMMAND_OF[type]()).outcome();
    expect(events.map((e) => e.type)).toEqual([RECORDED_AS[type]]);
    expect(state.status).toBe(to);
  });

  it.each(cases.filter(([, , to]) => to === undefined))('%s + %s is refused (TRANSITION_NOT_ALLOWED)', (status, type) => {
    given(historyFor(status, type)).when(COMMAND_OF[type]()).then('TRANSITION_NOT_ALLOWED');
  });

  it('the machine holds exactly these transitions, no more', () => {
    const machine = listTransitions().map((t) => `${t.from} + ${t.command} → ${t.to}`).sort();
    const spec = cases.filter(([, , to]) => to !== undefined).map(([from, command, to]) => `${from} + ${command} → ${to}`).sort();
    expect(machine).toEqual(spec);
  });

  it('rejected, withdrawn, revoked, expired, superseded, ended and closed are final', () => {
    expect([...FINAL_STATUSES].sort()).toEqual(['closed', 'ended', 'expired', 'rejected', 'revoked', 'superseded', 'withdrawn']);
  });

  it('names the state and the commands it allows when refusing', () => {
    const error = given(historyOf('signed')).when(commands.edit()).then('TRANSITION_NOT_ALLOWED') as Error;
    expect(error.message).toContain('signed');
    expect(error.message).toContain('ApproveApplication');
    const final = given(historyOf('revoked')).when(commands.revoke()).then('TRANSITION_NOT_ALLOWED') as Error;
    expect(final.message).toContain('final');
  });
});
