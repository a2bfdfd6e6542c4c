/** Each registry event type, declared once: who acted, when, under which role, by which command, and its replay. */
import { schemaVersionsOf, type CatalogueOf } from '../shared/catalogue-entry';
import type { InstitutionCommand } from './commands';
import type { InstitutionEvent } from './events';

export const INSTITUTION_EVENTS: CatalogueOf<InstitutionEvent, InstitutionCommand> = {
  InstitutionRegistered: {
    schemaVersion: 1, actorField: 'registeredBy', timeField: 'registeredAt', roles: ['admin', 'system'], command: 'RegisterInstitution',
    replay: ({ data: d }, { id, actor, at }) => ({
      type: 'RegisterInstitution', registrationNumber: id, actor, at,
      details: { officialName: d.officialName, shortName: d.shortName, type: d.type, resortHead: d.resortHead, coordinationVariant: d.coordinationVariant, eAddress: d.eAddress },
    }),
  },
  InstitutionDetailsChanged: {
    schemaVersion: 1, actorField: 'changedBy', timeField: 'changedAt', roles: ['admin', 'system'], command: 'UpdateInstitution',
    replay: ({ data }, { id, actor, at }) => ({ type: 'UpdateInstitution', registrationNumber: id, actor, at, changes: data.changes }),
  },
  InstitutionSuspended: {
    schemaVersion: 1, actorField: 'suspendedBy', timeField: 'suspendedAt', roles: ['admin', 'system'], command: 'SuspendInstitution',
    replay: ({ data }, { id, actor, at }) => ({ type: 'SuspendInstitution', registrationNumber: id, actor, at, reason: data.reason }),
  },
  InstitutionReactivated: {
    schemaVersion: 1, actorField: 'reactivatedBy', timeField: 'reactivatedAt', roles: ['admin', 'system'], command: 'ReactivateInstitution',
    replay: (_e, { id, actor, at }) => ({ type: 'ReactivateInstitution', registrationNumber: id, actor, at }),
  },
  InstitutionDeactivated: {
    schemaVersion: 1, actorField: 'deactivatedBy', timeField: 'deactivatedAt', roles: ['admin', 'system'], command: 'DeactivateInstitution',
    replay: ({ data }, { id, actor, at }) => ({ type: 'DeactivateInstitution', registrationNumber: id, actor, at, reason: data.reason }),
  },
  InstitutionMerged: {
    schemaVersion: 1, actorField: 'mergedBy', timeField: 'mergedAt', roles: ['admin'], command: 'MergeInstitution',
    // The target's status was the registry's answer at the time; the machine judges the transition, not the target.
    replay: ({ data }, { id, actor, at }) => ({ type: 'MergeInstitution', registrationNumber: id, actor, at, into: data.into, effectiveDate: data.effectiveDate, target: { status: 'active' } }),
  },
  InstitutionDeleted: {
    schemaVersion: 1, actorField: 'deletedBy', timeField: 'deletedAt', roles: ['system'], command: 'DeleteInstitution',
    replay: (_e, { id, actor, at }) => ({ type: 'DeleteInstitution', registrationNumber: id, actor, at }),
  },
  RepresentativeAdded: {
    schemaVersion: 1, actorField: 'addedBy', timeField: 'addedAt', roles: ['admin', 'system'], command: 'AddRepresentative',
    replay: ({ data }, { id, actor, at }) => ({ type: 'AddRepresentative', registrationNumber: id, actor, at, personalCode: data.personalCode }),
  },
  InstitutionLockedForRecertification: {
    schemaVersion: 1, actorField: 'lockedBy', timeField: 'lockedAt', roles: ['admin'], command: 'LockForRecertification',
    replay: ({ data }, { id, actor, at }) => ({ type: 'LockForRecertification', registrationNumber: id, actor, at, campaignId: data.campaignId, deadline: data.deadline }),
  },
  InstitutionUnlocked: {
    schemaVersion: 1, actorField: 'unlockedBy', timeField: 'unlockedAt', roles: ['system'], command: 'UnlockAfterRecertification',
    replay: ({ data }, { id, actor, at }) => ({ type: 'UnlockAfterRecertification', registrationNumber: id, actor, at, campaignId: data.campaignId, outcome: data.outcome }),
  },
  RepresentativeRemoved: {
    schemaVersion: 1, actorField: 'removedBy', timeField: 'removedAt', roles: ['admin', 'system'], command: 'RemoveRepresentative',
    replay: ({ data }, { id, actor, at }) => ({ type: 'RemoveRepresentative', registrationNumber: id, actor, at, personalCode: data.personalCode, ...(data.reason !== undefined && { reason: data.reason }) }),
  },
};

export const INSTITUTION_EVENT_SCHEMA_VERSION = schemaVersionsOf(INSTITUTION_EVENTS);
export const INSTITUTION_EVENT_TYPES = Object.keys(INSTITUTION_EVENTS) as InstitutionEvent['type'][];
