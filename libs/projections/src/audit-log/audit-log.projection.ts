/**
 * The audit log: every event of the log, flattened into one row (time, actor, stream, type,
 * institution, summary), keyed by its global position. Events of any stream are kept, so a stream
 * type added later appears here without a change.
 *
 * The actor id is kept for filtering ("what did this person do") and shown masked. Summaries are
 * short and carry no personal code (free-text reasons are redacted).
 */
import { streamIdOf, type ApplicationEvent } from '@atlauja/domain';
import type { RecordedEvent, SqlExecutor } from '@atlauja/event-store';
import { applicationIdOf, asApplicationEvent } from '../application-events';
import { maskActor, redactPersonalCodes } from '../personal-data';
import type { Projection } from '../projection';
import { POSITION_SQL_TYPE } from '../positions';
import { createTable, loadRowsWhere, upsertRows, type RowTable } from '../rows';

const AUDIT_LOG_TABLE: RowTable = {
  table: 'audit_log',
  key: ['position'],
  columns: [
    { name: 'position', type: POSITION_SQL_TYPE, notNull: true },
    { name: 'event_id', type: 'text', notNull: true },
    { name: 'stream', type: 'text', notNull: true },
    { name: 'revision', type: POSITION_SQL_TYPE, notNull: true },
    { name: 'type', type: 'text', notNull: true },
    { name: 'occurred_at', type: 'timestamptz', notNull: true },
    { name: 'actor', type: 'text', notNull: true },
    { name: 'actor_masked', type: 'text', notNull: true },
    { name: 'application_id', type: 'text' },
    { name: 'institution', type: 'text' },
    { name: 'summary', type: 'text', notNull: true },
  ],
};

/** Which institution a stream belongs to: only its first event says so. */
const STREAM_TABLE: RowTable = {
  table: 'audit_log_streams',
  key: ['stream'],
  columns: [
    { name: 'stream', type: 'text', notNull: true },
    { name: 'institution', type: 'text', notNull: true },
  ],
};

function ddl(schema: string): string[] {
  return [
    createTable(schema, AUDIT_LOG_TABLE),
    createTable(schema, STREAM_TABLE),
  ];
}

function queryIndexes(schema: string): string[] {
  return [
    `create index if not exists audit_log_stream on ${schema}.audit_log (stream, position)`,
    `create index if not exists audit_log_actor on ${schema}.audit_log (actor, position)`,
    `create index if not exists audit_log_institution on ${schema}.audit_log (institution, position)`,
    `create index if not exists audit_log_type on ${schema}.audit_log (type, position)`,
    `create index if not exists audit_log_occurred_at on ${schema}.audit_log (occurred_at)`,
  ];
}

/** One line a person reads; no personal code. */
export function summarize(event: ApplicationEvent): string {
  switch (event.type) {
    case 'ApplicationDrafted':
      return `${event.data.kind} application drafted at ${event.data.institution} for ${event.data.user.givenName} ${event.data.user.surname}${event.data.replaces ? `, replacing ${event.data.replaces}` : ''}`;
    case 'DraftEdited':
      return `draft edited: ${Object.keys(event.data.changes).sort().join(', ') || 'nothing'}`;
    case 'RightsSet':
      return `rights set: ${event.data.rights.map((s) => `${s.kind === 'institution' ? s.institution : `resort ${s.resort}`} ${s.groups.join('+')}`).join('; ')}`;
    case 'ApplicationSubmitted':
      return `submitted; document sha256 ${event.data.documentSha256.slice(0, 12)}…`;
    case 'ApplicationSigned':
      return `signed at ${event.data.signedAt}; signature accepted`;
    case 'ApplicationWithdrawn':
      return `withdrawn${event.data.reason ? `: ${event.data.reason}` : ''}`;
    case 'ApplicationClaimed':
      return 'claimed for a decision';
    case 'ClaimReleased':
      return 'claim released';
    case 'ApplicationApproved':
      return `approved (${event.data.kind}${event.data.replaces ? `, replaces ${event.data.replaces}` : ''})`;
    case 'ApplicationRejected':
      return `rejected: ${event.data.reason}`;
    case 'ApplicationRevoked':
      return `revoked: ${event.data.reason}`;
    case 'ApplicationExpired':
      return `expired: ${event.data.reason}`;
    case 'ApplicationSuperseded':
      return `superseded by ${event.data.supersededBy}`;
    case 'ApplicationEnded':
      return `ended: ${event.data.cause} (${event.data.causeRef})`;
    default:
      return (event as { type: string }).type;
  }
}

function institutionIn(data: unknown): string | null {
  const institution = (data as { institution?: unknown } | null)?.institution;
  return typeof institution === 'string' ? institution : null;
}

/**
 * The institution an event places its stream at: the one its data names (an application's draft,
 * a campaign's opening), or, for an institution's own stream, that institution (registry events
 * name none). A stream belongs to the institution its first such event names: the audit log and
 * the auditor's institution history read it the same way.
 */
export function institutionNamedBy(event: Pick<RecordedEvent, 'stream' | 'data'>): string | null {
  return institutionIn(event.data) ?? streamIdOf(event.stream, 'institution');
}

export const auditLog: Projection = {
  name: 'audit_log',
  tables: ['audit_log', 'audit_log_streams'],
  ddl,
  queryIndexes,
  async applyBatch(tx: SqlExecutor, schema: string, events: readonly RecordedEvent[]): Promise<void> {
    const institutions = new Map<string, string>();
    const streams = [...new Set(events.map((e) => e.stream))];
    for (const row of await loadRowsWhere<{ stream: string; institution: string }>(tx, schema, STREAM_TABLE, 'stream', streams)) institutions.set(row.stream, row.institution);
    const newStreams: { stream: string; institution: string }[] = [];
    const rows = events.map((recorded) => {
      // An institution's own stream is its history too (registry events name no `institution`).
      const own = institutionNamedBy(recorded);
      if (own !== null && !institutions.has(recorded.stream)) {
        institutions.set(recorded.stream, own);
        newStreams.push({ stream: recorded.stream, institution: own });
      }
      const application = asApplicationEvent(recorded);
      return {
        position: recorded.position.toString(),
        event_id: recorded.id,
        stream: recorded.stream,
        revision: recorded.revision.toString(),
        type: recorded.type,
        occurred_at: recorded.metadata.occurredAt,
        actor: recorded.metadata.actor,
        actor_masked: maskActor(recorded.metadata.actor) ?? '',
        application_id: applicationIdOf(recorded.stream),
        institution: own ?? institutions.get(recorded.stream) ?? null,
        summary: redactPersonalCodes(application === null ? recorded.type : summarize(application.event)),
      };
    });
    await upsertRows(tx, schema, STREAM_TABLE, newStreams);
    await upsertRows(tx, schema, AUDIT_LOG_TABLE, rows);
  },
};
