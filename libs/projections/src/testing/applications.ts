/**
 * Application events for specs, written the way the API writes them (stream application-<id>,
 * the actor and time in the metadata). Each helper returns the domain event; `LogWriter.append`
 * records it and returns its global position.
 */
import type { ApplicationEvent, ApplicationKind, RightsScope, Term } from '@atlauja/domain';
import { APPLICATION_EVENT_SCHEMA_VERSION } from '@atlauja/domain';
import type { EventStore } from '@atlauja/event-store';
import { oldFormatPersonalCode } from '../../../signatures/src/testing/personal-codes';

export const MINISTRY = '90000000001';
export const SUBORDINATE = '90000000002';

export const REPRESENTATIVE = oldFormatPersonalCode('010180', 1, 101);
export const APPROVER = oldFormatPersonalCode('020275', 1, 202);
export const USER_ANNA = { givenName: 'Anna', surname: 'Bērziņa', personalCode: oldFormatPersonalCode('150390', 1, 303), email: 'anna@example.lv' };
export const USER_JANIS = { givenName: 'Jānis', surname: 'Ozoliņš', personalCode: oldFormatPersonalCode('210785', 1, 404), email: 'janis@example.lv' };

export const UNTIL_2027: Term = { kind: 'until', date: '2027-12-31' };
export const SLIDING: Term = { kind: 'after-last-login', months: 18 };
export const VIEW_MINISTRY: RightsScope[] = [{ kind: 'institution', institution: MINISTRY, groups: ['VIEW'] }];
export const MANAGE_AND_RESORT_VIEW: RightsScope[] = [
  { kind: 'resort', resort: MINISTRY, groups: ['VIEW'] },
  { kind: 'institution', institution: MINISTRY, groups: ['MANAGE'] },
];

/** 2026-03-02 09:00 Riga plus `minutes`. */
export function at(minutes: number): string {
  return new Date(Date.parse('2026-03-02T07:00:00.000Z') + minutes * 60_000).toISOString();
}

export const ev = {
  drafted: (applicationId: string, o: { kind?: ApplicationKind; institution?: string; user?: typeof USER_ANNA; term?: Term; replaces?: string; t?: number } = {}): ApplicationEvent => ({
    type: 'ApplicationDrafted',
    data: {
      applicationId,
      kind: o.kind ?? 'new-user',
      institution: o.institution ?? MINISTRY,
      user: o.user ?? USER_ANNA,
      term: o.term ?? UNTIL_2027,
      justification: 'needs access to the estimate',
      ...(o.replaces ? { replaces: o.replaces } : {}),
      draftedBy: REPRESENTATIVE,
      draftedAt: at(o.t ?? 0),
    },
  }),
  edited: (changes: { user?: typeof USER_ANNA; term?: Term }, t = 1): ApplicationEvent => ({ type: 'DraftEdited', data: { changes, editedBy: REPRESENTATIVE, editedAt: at(t) } }),
  rightsSet: (rights: RightsScope[], t = 1): ApplicationEvent => ({ type: 'RightsSet', data: { rights, warnings: [], setBy: REPRESENTATIVE, setAt: at(t) } }),
  submitted: (t = 2): ApplicationEvent => ({ type: 'ApplicationSubmitted', data: { documentSha256: 'ab'.repeat(32), submittedBy: REPRESENTATIVE, submittedAt: at(t) } }),
  signed: (t = 3): ApplicationEvent => ({
    type: 'ApplicationSigned',
    data: { documentSha256: 'ab'.repeat(32), signerPersonalCode: REPRESENTATIVE, signedBy: REPRESENTATIVE, signedAt: at(t), acceptedAt: at(t) },
  }),
  claimed: (by = APPROVER, t = 4): ApplicationEvent => ({ type: 'ApplicationClaimed', data: { claimedBy: by, claimedAt: at(t) } }),
  released: (by = APPROVER, t = 5): ApplicationEvent => ({ type: 'ClaimReleased', data: { releasedBy: by, releasedAt: at(t) } }),
  approved: (kind: ApplicationKind = 'new-user', replaces?: string, t = 6): ApplicationEvent => ({
    type: 'ApplicationApproved',
    data: { approvedBy: APPROVER, approvedAt: at(t), kind, ...(replaces ? { replaces } : {}) },
  }),
  rejected: (reason: string, t = 6): ApplicationEvent => ({ type: 'ApplicationRejected', data: { rejectedBy: APPROVER, rejectedAt: at(t), reason } }),
  withdrawn: (t = 3): ApplicationEvent => ({ type: 'ApplicationWithdrawn', data: { withdrawnBy: REPRESENTATIVE, withdrawnAt: at(t), reason: 'not needed' } }),
  revoked: (reason: string, t = 10): ApplicationEvent => ({ type: 'ApplicationRevoked', data: { revokedBy: REPRESENTATIVE, revokedAt: at(t), reason } }),
  expired: (t = 20): ApplicationEvent => ({ type: 'ApplicationExpired', data: { expiredBy: 'system:expiry', expiredAt: at(t), reason: 'end-date' } }),
  superseded: (by: string, t = 30): ApplicationEvent => ({ type: 'ApplicationSuperseded', data: { supersededBy: by, supersededAt: at(t), recordedBy: 'system:supersede' } }),
  ended: (t = 40): ApplicationEvent => ({
    type: 'ApplicationEnded',
    data: { cause: 'institution-merged', causeRef: 'institution-90000000002@3', endedBy: 'system:reorganisation', endedAt: at(t) },
  }),
};

/** The actor of an event, as the API records it. */
function actorOf(event: ApplicationEvent): string {
  const d = event.data as Record<string, unknown>;
  for (const key of ['draftedBy', 'editedBy', 'setBy', 'submittedBy', 'signedBy', 'withdrawnBy', 'claimedBy', 'releasedBy', 'approvedBy', 'rejectedBy', 'revokedBy', 'expiredBy', 'recordedBy', 'endedBy']) {
    if (typeof d[key] === 'string') return d[key] as string;
  }
  return 'system:test';
}

function timeOf(event: ApplicationEvent): string {
  const d = event.data as Record<string, unknown>;
  const key = Object.keys(d).find((k) => k.endsWith('At') && typeof d[k] === 'string');
  return key ? (d[key] as string) : at(0);
}

export class LogWriter {
  constructor(private readonly store: EventStore) {}

  /** Appends to application-<id>; returns the global position of the last event. */
  async append(applicationId: string, ...events: ApplicationEvent[]): Promise<bigint> {
    const result = await this.store.append(
      `application-${applicationId}`,
      events.map((event) => ({
        type: event.type,
        data: event.data,
        metadata: { actor: actorOf(event), correlationId: 'spec', occurredAt: timeOf(event), schemaVersion: APPLICATION_EVENT_SCHEMA_VERSION[event.type] },
      })),
      'any',
    );
    return result.position;
  }
}
