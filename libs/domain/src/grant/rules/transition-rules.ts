/** The conditions the grant's transitions may require, each with its refusal. Never throw. */
import type { Rule } from '../../shared/guarded-machine';
import type { GrantCommand } from '../commands';
import type { GrantState } from '../state';

export const GRANT_RULES = {
  actorIsApprover: {
    code: 'ROLE_NOT_ALLOWED',
    field: 'actor.role',
    message: "a grant is reserved only by the approver's approval",
    holds: (_s, c) => c.actor.role === 'approver',
  },
  actorIsSystem: {
    code: 'ROLE_NOT_ALLOWED',
    field: 'actor.role',
    message: 'a grant is confirmed and ended only by the process that follows its application',
    holds: (_s, c) => c.actor.role === 'system',
  },
  actorIsApproverOrSystem: {
    code: 'ROLE_NOT_ALLOWED',
    field: 'actor.role',
    message: 'a reservation is voided by the approval that took it, or by the process that follows its application',
    holds: (_s, c) => c.actor.role === 'approver' || c.actor.role === 'system',
  },
  reservedForThisApplication: {
    code: 'GRANT_CHANGED',
    field: 'applicationId',
    message: 'the grant is not reserved for this application',
    holds: (s, c) => 'applicationId' in c && s.pending?.applicationId === c.applicationId,
  },
} satisfies Record<string, Rule<GrantState, GrantCommand>>;

export type GrantRuleName = keyof typeof GRANT_RULES;
