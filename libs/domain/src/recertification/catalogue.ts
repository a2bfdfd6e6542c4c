/** Each campaign event type, declared once: who acted, when, under which role, by which command, and its replay. */
import { schemaVersionsOf, type CatalogueOf } from '../shared/catalogue-entry';
import type { RecertificationCommand } from './commands';
import type { RecertificationEvent } from './events';

export const RECERTIFICATION_EVENTS: CatalogueOf<RecertificationEvent, RecertificationCommand> = {
  RecertificationOpened: {
    schemaVersion: 1, actorField: 'openedBy', timeField: 'openedAt', roles: ['system', 'admin'], command: 'OpenRecertification',
    replay: ({ data: d }, { id, actor, at }) => ({
      type: 'OpenRecertification', campaignId: id, actor, at, institution: d.institution, deadline: d.deadline, holders: d.holders, institutionStatus: 'active',
    }),
  },
  UserConfirmed: {
    schemaVersion: 1, actorField: 'confirmedBy', timeField: 'confirmedAt', roles: ['representative'], command: 'ConfirmUser',
    replay: ({ data }, { id, actor, at }) => ({ type: 'ConfirmUser', campaignId: id, actor, at, personalCode: data.personalCode }),
  },
  UserDropped: {
    schemaVersion: 1, actorField: 'droppedBy', timeField: 'droppedAt', roles: ['representative'], command: 'DropUser',
    replay: ({ data }, { id, actor, at }) => ({ type: 'DropUser', campaignId: id, actor, at, personalCode: data.personalCode, ...(data.reason !== undefined && { reason: data.reason }) }),
  },
  RecertificationCompleted: {
    schemaVersion: 1, actorField: 'completedBy', timeField: 'completedAt', roles: ['representative'], command: 'CompleteRecertification',
    replay: (_e, { id, actor, at }) => ({ type: 'CompleteRecertification', campaignId: id, actor, at }),
  },
  RecertificationLapsed: {
    schemaVersion: 1, actorField: 'lapsedBy', timeField: 'lapsedAt', roles: ['system'], command: 'CloseRecertificationAtDeadline',
    replay: (_e, { id, actor, at }) => ({ type: 'CloseRecertificationAtDeadline', campaignId: id, actor, at }),
  },
};

export const RECERTIFICATION_EVENT_SCHEMA_VERSION = schemaVersionsOf(RECERTIFICATION_EVENTS);
export const RECERTIFICATION_EVENT_TYPES = Object.keys(RECERTIFICATION_EVENTS) as RecertificationEvent['type'][];
