/**
 * The institution registry as a read model: every institution (names, type, resort, variant,
 * status, representatives, the campaign locking it) and every re-certification campaign. Each row
 * keeps its stream's folded state (the domain's own `evolve`), so the columns are exactly what the
 * registry's streams say; a batch loads the rows it touches at once, folds in memory, and upserts.
 * It serves the registry's lists, the rights rules' facts and the timers; commands that must be
 * exact read the institution's stream instead.
 */
import {
  evolveInstitution,
  evolveRecertification,
  initialInstitutionState,
  initialRecertificationState,
  streamIdOf,
  type InstitutionEvent,
  type InstitutionState,
  type RecertificationEvent,
  type RecertificationState,
} from '@atlauja/domain';
import type { RecordedEvent, SqlExecutor } from '@atlauja/event-store';
import { POSITION_SQL_TYPE } from '../positions';
import type { Projection } from '../projection';
import { createTable, loadRowsWhere, upsertRows, type RowTable } from '../rows';

export interface RegistryInstitutionRow {
  [column: string]: unknown;
  registration_number: string;
  official_name: string | null;
  short_name: string | null;
  type: string | null;
  resort_head: string | null;
  coordination_variant: number | null;
  e_address: string | null;
  status: string;
  status_reason: string | null;
  deletion_due: string | null;
  merged_into: string | null;
  representatives: string[];
  campaign_id: string | null;
  campaign_deadline: string | null;
  state: InstitutionState;
  last_position: string;
}

export interface RegistryCampaignRow {
  [column: string]: unknown;
  campaign_id: string;
  institution: string | null;
  status: string;
  deadline: string | null;
  opened_at: string | null;
  closed_at: string | null;
  state: RecertificationState;
  last_position: string;
}

export const REGISTRY_INSTITUTIONS_TABLE: RowTable = {
  table: 'registry_institutions',
  key: ['registration_number'],
  columns: [
    { name: 'registration_number', type: 'text', notNull: true },
    { name: 'official_name', type: 'text' },
    { name: 'short_name', type: 'text' },
    { name: 'type', type: 'text' },
    { name: 'resort_head', type: 'text' },
    { name: 'coordination_variant', type: 'int' },
    { name: 'e_address', type: 'text' },
    { name: 'status', type: 'text', notNull: true },
    { name: 'status_reason', type: 'text' },
    { name: 'deletion_due', type: 'date' },
    { name: 'merged_into', type: 'text' },
    { name: 'representatives', type: 'text[]', notNull: true },
    { name: 'campaign_id', type: 'text' },
    { name: 'campaign_deadline', type: 'date' },
    { name: 'state', type: 'jsonb', notNull: true },
    { name: 'last_position', type: POSITION_SQL_TYPE, notNull: true },
  ],
};

export const REGISTRY_CAMPAIGNS_TABLE: RowTable = {
  table: 'registry_campaigns',
  key: ['campaign_id'],
  columns: [
    { name: 'campaign_id', type: 'text', notNull: true },
    { name: 'institution', type: 'text' },
    { name: 'status', type: 'text', notNull: true },
    { name: 'deadline', type: 'date' },
    { name: 'opened_at', type: 'timestamptz' },
    { name: 'closed_at', type: 'timestamptz' },
    { name: 'state', type: 'jsonb', notNull: true },
    { name: 'last_position', type: POSITION_SQL_TYPE, notNull: true },
  ],
};

function institutionRow(registrationNumber: string, state: InstitutionState, position: string): RegistryInstitutionRow {
  const d = state.details;
  return {
    registration_number: registrationNumber,
    official_name: d?.officialName ?? null,
    short_name: d?.shortName ?? null,
    type: d?.type ?? null,
    resort_head: d?.resortHead ?? null,
    coordination_variant: d?.coordinationVariant ?? null,
    e_address: d?.eAddress ?? null,
    status: state.status,
    status_reason: state.statusReason,
    deletion_due: state.deletionDue,
    merged_into: state.mergedInto,
    representatives: [...state.representatives],
    campaign_id: state.recertification?.campaignId ?? null,
    campaign_deadline: state.recertification?.deadline ?? null,
    state,
    last_position: position,
  };
}

function campaignRow(campaignId: string, state: RecertificationState, position: string): RegistryCampaignRow {
  return {
    campaign_id: campaignId,
    institution: state.institution,
    status: state.status,
    deadline: state.deadline,
    opened_at: state.openedAt,
    closed_at: state.closedAt,
    state,
    last_position: position,
  };
}

/** Folds a batch's events of one stream type into the rows it touches, loaded at once. */
async function foldRows<State, Row extends { state: State }>(
  tx: SqlExecutor,
  schema: string,
  table: RowTable,
  idOf: (recorded: RecordedEvent) => string | null,
  events: readonly RecordedEvent[],
  initial: State,
  evolve: (state: State, event: RecordedEvent) => State,
  toRow: (id: string, state: State, position: string) => Row,
): Promise<void> {
  const mine = events.flatMap((recorded) => {
    const id = idOf(recorded);
    return id === null ? [] : [{ id, recorded }];
  });
  if (mine.length === 0) return;
  const ids = [...new Set(mine.map((m) => m.id))];
  const states = new Map<string, State>();
  for (const row of await loadRowsWhere<Row & Record<string, unknown>>(tx, schema, table, table.key[0], ids)) states.set(String(row[table.key[0]]), row.state);
  const touched = new Map<string, Row>();
  for (const { id, recorded } of mine) {
    const state = evolve(states.get(id) ?? initial, recorded);
    states.set(id, state);
    touched.set(id, toRow(id, state, recorded.position.toString()));
  }
  await upsertRows(tx, schema, table, [...touched.values()]);
}

export const registry: Projection = {
  name: 'registry',
  tables: ['registry_institutions', 'registry_campaigns'],
  ddl: (schema) => [
    createTable(schema, REGISTRY_INSTITUTIONS_TABLE),
    createTable(schema, REGISTRY_CAMPAIGNS_TABLE),
  ],
  queryIndexes: (schema) => [
    `create index if not exists registry_institutions_resort on ${schema}.registry_institutions (resort_head)`,
    `create index if not exists registry_campaigns_open on ${schema}.registry_campaigns (deadline) where status = 'open'`,
  ],
  async applyBatch(tx, schema, events) {
    await foldRows<InstitutionState, RegistryInstitutionRow>(
      tx, schema, REGISTRY_INSTITUTIONS_TABLE, (r) => streamIdOf(r.stream, 'institution'), events, initialInstitutionState,
      (state, r) => evolveInstitution(state, { type: r.type, data: r.data } as InstitutionEvent), institutionRow,
    );
    await foldRows<RecertificationState, RegistryCampaignRow>(
      tx, schema, REGISTRY_CAMPAIGNS_TABLE, (r) => streamIdOf(r.stream, 'recertification'), events, initialRecertificationState,
      (state, r) => evolveRecertification(state, { type: r.type, data: r.data } as RecertificationEvent), campaignRow,
    );
  },
};
