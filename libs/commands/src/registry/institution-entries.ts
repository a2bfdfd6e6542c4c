/** Every command on an institution's stream, declared once. */
import { INSTITUTION_STREAM, type InstitutionCommand, type InstitutionDetails, type InstitutionDetailsInput, type InstitutionEvent, type InstitutionState } from '@atlauja/domain';
import type { CommandEntry } from '../command-entry';
import type { RegistryPorts } from '../ports';
import { resortHeadFact, statusOf } from './institution-reads';

type InstitutionEntry<Input> = CommandEntry<Input, InstitutionState, InstitutionCommand, InstitutionEvent, RegistryPorts>;

const base = (c: { id: string; actor: InstitutionCommand['actor']; at: string }) => ({ registrationNumber: c.id, actor: c.actor, at: c.at });

export const INSTITUTION_COMMANDS = {
  // 'any', not 'new': registering a number twice is the machine's refusal (with its code), not a conflict.
  register: {
    stream: INSTITUTION_STREAM, expect: 'any', capability: 'registry.keep',
    build: async (input: { details: InstitutionDetailsInput }, c, ports) => ({
      type: 'RegisterInstitution', ...base(c), details: input.details, resortHead: await resortHeadFact(ports.store, input.details.resortHead, c.id),
    }),
  } satisfies InstitutionEntry<{ details: InstitutionDetailsInput }>,

  update: {
    stream: INSTITUTION_STREAM, expect: 'existing', capability: 'registry.keep',
    build: async (input: { changes: Partial<InstitutionDetails> }, c, ports) => ({
      type: 'UpdateInstitution', ...base(c), changes: input.changes,
      resortHead: await resortHeadFact(ports.store, input.changes.resortHead ?? c.loaded.state.details?.resortHead, c.id),
    }),
  } satisfies InstitutionEntry<{ changes: Partial<InstitutionDetails> }>,

  suspend: {
    stream: INSTITUTION_STREAM, expect: 'existing', capability: 'registry.keep',
    build: (input: { reason: string }, c) => ({ type: 'SuspendInstitution', ...base(c), reason: input.reason }),
  } satisfies InstitutionEntry<{ reason: string }>,

  reactivate: {
    stream: INSTITUTION_STREAM, expect: 'existing', capability: 'registry.keep',
    build: (_: unknown, c) => ({ type: 'ReactivateInstitution', ...base(c) }),
  } satisfies InstitutionEntry<unknown>,

  deactivate: {
    stream: INSTITUTION_STREAM, expect: 'existing', capability: 'registry.keep',
    build: (input: { reason: string }, c) => ({ type: 'DeactivateInstitution', ...base(c), reason: input.reason }),
  } satisfies InstitutionEntry<{ reason: string }>,

  /** The timer's: six months after deactivation. Decided again on a lost race (it depends on nothing the caller saw). */
  delete: {
    stream: INSTITUTION_STREAM, expect: 'existing', retries: 3,
    build: (_: unknown, c) => ({ type: 'DeleteInstitution', ...base(c) }),
  } satisfies InstitutionEntry<unknown>,

  addRepresentative: {
    stream: INSTITUTION_STREAM, expect: 'existing', capability: 'registry.keep',
    build: (input: { personalCode: string }, c) => ({ type: 'AddRepresentative', ...base(c), personalCode: input.personalCode }),
  } satisfies InstitutionEntry<{ personalCode: string }>,

  removeRepresentative: {
    stream: INSTITUTION_STREAM, expect: 'existing', capability: 'registry.keep',
    build: (input: { personalCode: string; reason?: string }, c) => ({
      type: 'RemoveRepresentative', ...base(c), personalCode: input.personalCode, ...(input.reason !== undefined && { reason: input.reason }),
    }),
  } satisfies InstitutionEntry<{ personalCode: string; reason?: string }>,

  /** Seed 000: the administrator's start of a campaign locks the institution; the campaign's stream follows (a reaction). */
  lockForRecertification: {
    stream: INSTITUTION_STREAM, expect: 'existing', capability: 'campaign.open',
    build: (input: { campaignId: string; deadline: string }, c) => ({ type: 'LockForRecertification', ...base(c), campaignId: input.campaignId, deadline: input.deadline }),
  } satisfies InstitutionEntry<{ campaignId: string; deadline: string }>,

  /** The campaign ended: the process lifts the lock (decided again on a lost race). */
  unlock: {
    stream: INSTITUTION_STREAM, expect: 'existing', retries: 3,
    build: (input: { campaignId: string; outcome: 'completed' | 'lapsed' }, c) => ({ type: 'UnlockAfterRecertification', ...base(c), campaignId: input.campaignId, outcome: input.outcome }),
  } satisfies InstitutionEntry<{ campaignId: string; outcome: 'completed' | 'lapsed' }>,

  merge: {
    stream: INSTITUTION_STREAM, expect: 'existing', capability: 'registry.merge',
    build: async (input: { into: string; effectiveDate: string }, c, ports) => ({
      type: 'MergeInstitution', ...base(c), into: input.into, effectiveDate: input.effectiveDate, target: await statusOf(ports.store, input.into),
    }),
  } satisfies InstitutionEntry<{ into: string; effectiveDate: string }>,
} as const;
