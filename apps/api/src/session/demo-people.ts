import type { Principal } from '@atlauja/auth';
import { DEMO_REPRESENTATIVE_CODE } from '../store/trust-material';

/**
 * Local mode's people: one of each kind the portal serves. New-format personal codes (no birth
 * date), so none can be a real person's old-format code. The representative is the one the demo
 * registry lists at the demo ministry and the demo PKI's signer.
 */
export interface DemoPerson {
  id: string;
  givenName: string;
  surname: string;
  principal: Principal;
}

export const DEMO_MINISTRY = '90000000001';

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { id: 'representative', givenName: 'Anna', surname: 'Kalniņa', principal: { subject: DEMO_REPRESENTATIVE_CODE, roles: ['representative'], institutions: [DEMO_MINISTRY] } },
  { id: 'approver-1', givenName: 'Jānis', surname: 'Bērziņš', principal: { subject: '329999-00002', roles: ['approver'], institutions: [] } },
  { id: 'approver-2', givenName: 'Marta', surname: 'Liepiņa', principal: { subject: '329999-00004', roles: ['approver'], institutions: [] } },
  { id: 'auditor', givenName: 'Pēteris', surname: 'Ozols', principal: { subject: '329999-00005', roles: ['auditor'], institutions: [] } },
  { id: 'admin', givenName: 'Inese', surname: 'Kļava', principal: { subject: '329999-00006', roles: ['admin'], institutions: [] } },
];

export function demoPerson(id: string): DemoPerson | undefined {
  return DEMO_PEOPLE.find((p) => p.id === id);
}
