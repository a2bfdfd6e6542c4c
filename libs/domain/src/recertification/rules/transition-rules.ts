/** The conditions the campaign's transitions may require, each with its refusal. Never throw. */
import type { Rule } from '../../shared/guarded-machine';
import { dateOfInstant } from '../../shared/time';
import type { RecertificationCommand } from '../commands';
import type { RecertificationState } from '../state';

const today = (c: RecertificationCommand) => dateOfInstant(c.at);

export const RECERTIFICATION_RULES = {
  actorOpens: {
    code: 'ROLE_NOT_ALLOWED',
    field: 'actor.role',
    message: "a campaign is opened by an administrator, or by the process that carries out the administrator's lock of the institution",
    holds: (_s, c) => c.actor.role === 'admin' || c.actor.role === 'system',
  },
  actorIsRepresentative: {
    code: 'ROLE_NOT_ALLOWED',
    field: 'actor.role',
    message: "only the institution's representative confirms or drops its users and completes the campaign (seed 000)",
    holds: (_s, c) => c.actor.role === 'representative',
  },
  actorIsSystem: {
    code: 'ROLE_NOT_ALLOWED',
    field: 'actor.role',
    message: 'closing a campaign at its deadline is recorded only by a system process',
    holds: (_s, c) => c.actor.role === 'system',
  },
  deadlineNotPassed: {
    code: 'CAMPAIGN_DEADLINE_PASSED',
    field: 'at',
    message: 'the deadline has passed: the campaign closes and the unconfirmed users lose their rights',
    holds: (s, c) => s.deadline !== null && today(c) <= s.deadline,
  },
  deadlinePassed: {
    code: 'CAMPAIGN_DEADLINE_NOT_REACHED',
    field: 'at',
    message: 'the campaign is closed by the timer only after its deadline (the deadline day itself still belongs to the representative)',
    holds: (s, c) => s.deadline !== null && today(c) > s.deadline,
  },
} satisfies Record<string, Rule<RecertificationState, RecertificationCommand>>;

export type RecertificationRuleName = keyof typeof RECERTIFICATION_RULES;
