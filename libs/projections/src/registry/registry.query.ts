/** Reading the registry read model: the lists, the rights rules' facts, and what the timers find due. */
import type { InstitutionFact, InstitutionState, RecertificationState } from '@atlauja/domain';
import type { SqlExecutor } from '@atlauja/event-store';

/** Every institution the registry holds (any status but none), by registration number. */
export async function readRegistryInstitutions(sql: SqlExecutor, schema: string): Promise<InstitutionState[]> {
  const rows = await sql.query<{ state: InstitutionState }>(`select state from ${schema}.registry_institutions where status <> 'none' order by registration_number`);
  return rows.map((r) => r.state);
}

/** Whether the registry holds any institution (until it does, a fixed list answers for the rules). */
export async function registryHoldsInstitutions(sql: SqlExecutor, schema: string): Promise<boolean> {
  const rows = await sql.query(`select 1 from ${schema}.registry_institutions where status <> 'none' limit 1`);
  return rows.length > 0;
}

/**
 * The facts the rights rules read, for the named institutions and every member of a named resort
 * (a resort scope's rules read its members' variants). Only active and suspended institutions: a
 * deactivated or deleted one is unknown to the rules.
 */
export async function readInstitutionFacts(sql: SqlExecutor, schema: string, named: readonly string[]): Promise<InstitutionFact[]> {
  if (named.length === 0) return [];
  const rows = await sql.query<{ registration_number: string; type: InstitutionFact['type']; resort_head: string; coordination_variant: number }>(
    `select registration_number, type, resort_head, coordination_variant from ${schema}.registry_institutions
      where status in ('active', 'suspended') and type is not null
        and (registration_number = any(array(select jsonb_array_elements_text($1::jsonb)))
             or resort_head = any(array(select jsonb_array_elements_text($1::jsonb))))`,
    [JSON.stringify(named)],
  );
  return rows.map((r) => ({ registrationNumber: r.registration_number, type: r.type, resortHead: r.resort_head, coordinationVariant: r.coordination_variant as InstitutionFact['coordinationVariant'] }));
}

/** Open campaigns, oldest deadline first. */
export async function readOpenCampaigns(sql: SqlExecutor, schema: string): Promise<RecertificationState[]> {
  const rows = await sql.query<{ state: RecertificationState }>(`select state from ${schema}.registry_campaigns where status = 'open' order by deadline, campaign_id`);
  return rows.map((r) => r.state);
}

/** Open campaigns whose deadline day is over by `today` (a Riga date): the timer closes them. */
export async function readCampaignsPastDeadline(sql: SqlExecutor, schema: string, today: string): Promise<string[]> {
  const rows = await sql.query<{ campaign_id: string }>(
    `select campaign_id from ${schema}.registry_campaigns where status = 'open' and deadline < $1::date order by deadline, campaign_id`, [today]);
  return rows.map((r) => r.campaign_id);
}

/** Deactivated institutions whose six months are up by `today`: the timer deletes them. */
export async function readInstitutionsDueForDeletion(sql: SqlExecutor, schema: string, today: string): Promise<string[]> {
  const rows = await sql.query<{ registration_number: string }>(
    `select registration_number from ${schema}.registry_institutions where status = 'deactivated' and deletion_due <= $1::date order by registration_number`, [today]);
  return rows.map((r) => r.registration_number);
}

/**
 * The institutions where the user holds rights in force that a re-certification campaign locks now
 * (seed 000: the institution's users are locked out until it is over). Personal code in, never out.
 */
export async function readLockedEmployers(sql: SqlExecutor, schema: string, personalCode: string): Promise<{ institution: string; campaignId: string; deadline: string }[]> {
  const rows = await sql.query<{ institution: string; campaign_id: string; deadline: string }>(
    `select distinct r.employer as institution, i.campaign_id, i.campaign_deadline::text as deadline
       from ${schema}.user_rights r join ${schema}.registry_institutions i on i.registration_number = r.employer
      where r.personal_code = $1 and r.ended_at is null and i.campaign_id is not null
      order by r.employer`,
    [personalCode],
  );
  return rows.map((r) => ({ institution: r.institution, campaignId: r.campaign_id, deadline: r.deadline }));
}
