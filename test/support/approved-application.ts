/** Rights holders for registry tests: applications taken to approval by the domain itself and written straight to the store. */
import { randomUUID } from 'node:crypto';
import {
  APPLICATION_EVENT_SCHEMA_VERSION,
  decide,
  foldApplication,
  type ApplicationCommand,
  type ApplicationEvent,
  type InstitutionFacts,
} from '@atlauja/domain';
import type { Harness } from './api-harness';

/** The representative who drafts them (a fictional new-format code) and the approver. */
export const REP_A = '329999-20001';
const APPROVER = { id: '329999-20002', role: 'approver' } as const;

/** An approved application written straight to the store (the domain decides each step), as a rights holder to end. */
export async function approvedApplication(h: Harness, institution: string, personalCode: string, status: 'approved' | 'draft' = 'approved', at = new Date().toISOString()): Promise<string> {
  const id = randomUUID();
  const rep = { id: REP_A, role: 'representative' } as const;
  const facts: InstitutionFacts = { [institution]: { registrationNumber: institution, type: 'municipality', resortHead: institution, coordinationVariant: 2 } };
  const base = { applicationId: id, at };
  const steps: ApplicationCommand[] = [
    { type: 'DraftApplication', ...base, actor: rep, kind: 'new-user', institution, user: { givenName: 'Jānis', surname: 'Izdomātais', personalCode, email: 'janis@example.lv' }, term: { kind: 'after-last-login', months: 18 }, justification: 'Keeps the estimate', facts },
    { type: 'SetRights', ...base, actor: rep, rights: [{ kind: 'institution', institution, groups: ['MANAGE'] }], facts },
    { type: 'SubmitApplication', ...base, actor: rep, documentSha256: 'a'.repeat(64) },
    { type: 'SignApplication', ...base, actor: rep, signature: { valid: true, documentSha256: 'a'.repeat(64), signerPersonalCode: REP_A, signedAt: at } },
    { type: 'ClaimApplication', ...base, actor: APPROVER },
    { type: 'ApproveApplication', ...base, actor: APPROVER },
  ];
  const events: ApplicationEvent[] = [];
  for (const command of status === 'draft' ? steps.slice(0, 1) : steps) events.push(...decide(command, foldApplication(events)));
  await h.store.append(
    `application-${id}`,
    events.map((e) => ({ type: e.type, data: e.data, metadata: { actor: REP_A, occurredAt: at, schemaVersion: APPLICATION_EVENT_SCHEMA_VERSION[e.type] } })),
    'no-stream',
  );
  return id;
}

