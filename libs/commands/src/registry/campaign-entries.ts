/** Every command on a re-certification campaign's stream, declared once. */
import { RECERTIFICATION_STREAM, type RecertificationCommand, type RecertificationEvent, type RecertificationState } from '@atlauja/domain';
import type { CommandEntry } from '../command-entry';
import type { RegistryPorts } from '../ports';
import { statusOf } from './institution-reads';

type CampaignEntry<Input> = CommandEntry<Input, RecertificationState, RecertificationCommand, RecertificationEvent, RegistryPorts>;

const base = (c: { id: string; actor: RecertificationCommand['actor']; at: string }) => ({ campaignId: c.id, actor: c.actor, at: c.at });

export const CAMPAIGN_COMMANDS = {
  /** Carried out by the process reacting to the institution's lock: the holders as the log stood at the lock. */
  open: {
    stream: RECERTIFICATION_STREAM, expect: 'new',
    build: async (input: { institution: string; deadline: string; holdersAsOf: bigint }, c, ports) => ({
      type: 'OpenRecertification', ...base(c), institution: input.institution, deadline: input.deadline,
      holders: await ports.holdersAt(input.institution, input.holdersAsOf),
      institutionStatus: (await statusOf(ports.store, input.institution))?.status ?? 'not registered',
    }),
  } satisfies CampaignEntry<{ institution: string; deadline: string; holdersAsOf: bigint }>,

  confirm: {
    stream: RECERTIFICATION_STREAM, expect: 'existing', capability: 'campaign.work',
    build: (input: { personalCode: string }, c) => ({ type: 'ConfirmUser', ...base(c), personalCode: input.personalCode }),
  } satisfies CampaignEntry<{ personalCode: string }>,

  drop: {
    stream: RECERTIFICATION_STREAM, expect: 'existing', capability: 'campaign.work',
    build: (input: { personalCode: string; reason?: string }, c) => ({
      type: 'DropUser', ...base(c), personalCode: input.personalCode, ...(input.reason !== undefined && { reason: input.reason }),
    }),
  } satisfies CampaignEntry<{ personalCode: string; reason?: string }>,

  complete: {
    stream: RECERTIFICATION_STREAM, expect: 'existing', capability: 'campaign.work',
    build: (_: unknown, c) => ({ type: 'CompleteRecertification', ...base(c) }),
  } satisfies CampaignEntry<unknown>,

  /** The deadline timer's step; decided again on a lost race (the deadline is all it depends on). */
  closeAtDeadline: {
    stream: RECERTIFICATION_STREAM, expect: 'existing', retries: 3,
    build: (_: unknown, c) => ({ type: 'CloseRecertificationAtDeadline', ...base(c) }),
  } satisfies CampaignEntry<unknown>,
} as const;
