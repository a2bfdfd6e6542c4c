/** The conditions the registry's transitions may require, each with its refusal. Never throw. */
import type { Rule } from '../../shared/guarded-machine';
import { dateOfInstant } from '../../shared/time';
import type { InstitutionCommand } from '../commands';
import type { InstitutionState } from '../state';

export const INSTITUTION_RULES = {
  actorIsRegistrar: {
    code: 'ROLE_NOT_ALLOWED',
    field: 'actor.role',
    message: 'only an administrator (access manager, seed 001) or the registry import keeps the registry',
    holds: (_s, c) => c.actor.role === 'admin' || c.actor.role === 'system',
  },
  actorIsAdmin: {
    code: 'ROLE_NOT_ALLOWED',
    field: 'actor.role',
    message: 'a merge is a legal act recorded by an administrator',
    holds: (_s, c) => c.actor.role === 'admin',
  },
  actorIsSystem: {
    code: 'ROLE_NOT_ALLOWED',
    field: 'actor.role',
    message: 'the deletion 6 months after deactivation is recorded only by a system process',
    holds: (_s, c) => c.actor.role === 'system',
  },
  notMerged: {
    code: 'INSTITUTION_MERGED',
    field: 'registrationNumber',
    message: 'the institution was merged into another and has ceased to exist; it is not reactivated',
    holds: (s) => s.mergedInto === null,
  },
  notLocked: {
    code: 'CAMPAIGN_ALREADY_OPEN',
    field: 'institution',
    message: 'a re-certification campaign is already open at this institution; one at a time (seed 000)',
    holds: (s) => s.recertification === null,
  },
  lockedByThisCampaign: {
    code: 'CAMPAIGN_NOT_OPEN',
    field: 'campaignId',
    message: 'the institution is not locked by this campaign',
    holds: (s, c) => c.type === 'UnlockAfterRecertification' && s.recertification?.campaignId === c.campaignId,
  },
  deletionDue: {
    code: 'DELETION_NOT_DUE',
    field: 'at',
    message: 'a deactivated institution is deleted only 6 months after its deactivation, unless reactivated',
    holds: (s, c) => s.deletionDue !== null && dateOfInstant(c.at) >= s.deletionDue,
  },
} satisfies Record<string, Rule<InstitutionState, InstitutionCommand>>;

export type InstitutionRuleName = keyof typeof INSTITUTION_RULES;
