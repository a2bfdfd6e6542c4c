/** A user's grant at the ministry: reserved by an approval, confirmed, ended; fictional ids. */
import { decideGrant, foldGrant, type Actor, type GrantCommand, type GrantEvent } from '@atlauja/domain';
import { givenFor } from './given-decider';
import { APP_ID, LATER_APP_ID, MINISTRY, PREVIOUS_APP_ID, approver } from './fixtures';

export const GRANT_ID = `${MINISTRY}-c0ffee0c0ffee0c0ffee0c0ffee0c0ff`;
export const AT = '2025-03-01T10:00:00+02:00';
export const follower: Actor = { id: 'system:grants', role: 'system' };

type Of<T extends GrantCommand['type']> = Extract<GrantCommand, { type: T }>;
type Overrides<T extends GrantCommand['type']> = Partial<Omit<Of<T>, 'type'>>;
const base = { grantId: GRANT_ID, at: AT };

export const grantCommands = {
  reserve: (o: Overrides<'ReserveGrant'> = {}): Of<'ReserveGrant'> => ({ type: 'ReserveGrant', ...base, actor: approver, institution: MINISTRY, applicationId: APP_ID, kind: 'new-user', ...o }),
  change: (o: Overrides<'ReserveGrant'> = {}): Of<'ReserveGrant'> => ({ type: 'ReserveGrant', ...base, actor: approver, institution: MINISTRY, applicationId: LATER_APP_ID, kind: 'change', replaces: APP_ID, ...o }),
  confirm: (o: Overrides<'ConfirmGrant'> = {}): Of<'ConfirmGrant'> => ({ type: 'ConfirmGrant', ...base, actor: follower, applicationId: APP_ID, ...o }),
  end: (o: Overrides<'EndGrant'> = {}): Of<'EndGrant'> => ({ type: 'EndGrant', ...base, actor: follower, applicationId: APP_ID, reason: 'revoked', ...o }),
  void: (o: Overrides<'VoidGrantReservation'> = {}): Of<'VoidGrantReservation'> => ({ type: 'VoidGrantReservation', ...base, actor: follower, applicationId: APP_ID, reason: 'rejected', ...o }),
};

export function runGrant(...cmds: GrantCommand[]): GrantEvent[] {
  const events: GrantEvent[] = [];
  for (const command of cmds) events.push(...decideGrant(command, foldGrant(events)));
  return events;
}

/** APP_ID's grant in force. */
export const held = (): GrantEvent[] => runGrant(grantCommands.reserve(), grantCommands.confirm());
export const givenGrant = givenFor(decideGrant, foldGrant);
export { PREVIOUS_APP_ID };
