/** Each grant event type, declared once: who acted, when, under which role, by which command, and its replay. */
import { schemaVersionsOf, type CatalogueOf } from '../shared/catalogue-entry';
import type { GrantCommand } from './commands';
import type { GrantEvent } from './events';

export const GRANT_EVENTS: CatalogueOf<GrantEvent, GrantCommand> = {
  GrantReserved: {
    schemaVersion: 1, actorField: 'reservedBy', timeField: 'reservedAt', roles: ['approver'], command: 'ReserveGrant',
    replay: ({ data: d }, { id, actor, at }) => ({
      type: 'ReserveGrant', grantId: id, actor, at, institution: d.institution, applicationId: d.applicationId, kind: d.kind, ...(d.replaces !== undefined && { replaces: d.replaces }),
    }),
  },
  GrantAssigned: {
    schemaVersion: 1, actorField: 'assignedBy', timeField: 'assignedAt', roles: ['system'], command: 'ConfirmGrant',
    replay: ({ data }, { id, actor, at }) => ({ type: 'ConfirmGrant', grantId: id, actor, at, applicationId: data.applicationId }),
  },
  GrantEnded: {
    schemaVersion: 1, actorField: 'endedBy', timeField: 'endedAt', roles: ['system'], command: 'EndGrant',
    replay: ({ data }, { id, actor, at }) => ({ type: 'EndGrant', grantId: id, actor, at, applicationId: data.applicationId, reason: data.reason }),
  },
  GrantReservationVoided: {
    schemaVersion: 1, actorField: 'voidedBy', timeField: 'voidedAt', roles: ['system', 'approver'], command: 'VoidGrantReservation',
    replay: ({ data }, { id, actor, at }) => ({ type: 'VoidGrantReservation', grantId: id, actor, at, applicationId: data.applicationId, reason: data.reason }),
  },
};

export const GRANT_EVENT_SCHEMA_VERSION = schemaVersionsOf(GRANT_EVENTS);
export const GRANT_EVENT_TYPES = Object.keys(GRANT_EVENTS) as GrantEvent['type'][];
