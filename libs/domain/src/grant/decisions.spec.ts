/**
 * One grant in force per user per institution, as the grant's stream decides it: given its events,
 * when an approval reserves it (or a process confirms, ends or voids), then these events or this
 * refusal. The store's expected revision makes each answer final: two approvals cannot both pass.
 */
import { APP_ID, LATER_APP_ID, MINISTRY, approver } from '../../test/fixtures';
import { givenGrant, grantCommands as g, held, runGrant } from '../../test/grant-fixtures';

describe('the grant of a user at an institution', () => {
  it('a new user’s approval reserves it; the confirmation puts the grant in force', () => {
    const { state } = givenGrant().when(g.reserve()).then([
      { type: 'GrantReserved', data: { institution: MINISTRY, applicationId: APP_ID, kind: 'new-user', reservedBy: approver.id, reservedAt: g.reserve().at } },
    ]) as { state: { status: string } };
    expect(state.status).toBe('reserved');
    const after = givenGrant(runGrant(g.reserve())).when(g.confirm()).outcome();
    expect(after.state).toMatchObject({ status: 'held', inForce: APP_ID, pending: null });
  });

  it('a second new-user approval for the same person is refused, naming the grant in force (and one in flight)', () => {
    const inForce = givenGrant(held()).when(g.reserve({ applicationId: 'app-0009' })).then('GRANT_IN_FORCE') as Error;
    expect(inForce.message).toContain(APP_ID);
    const inFlight = givenGrant(runGrant(g.reserve())).when(g.reserve({ applicationId: 'app-0009' })).then('GRANT_IN_FORCE') as Error;
    expect(inFlight.message).toContain(APP_ID);
  });

  it('a change must replace the grant in force: the first of two changes from one grant wins, the second gets GRANT_CHANGED', () => {
    const first = runGrant(g.reserve(), g.confirm(), g.change());
    expect(givenGrant(first).when(g.change({ applicationId: 'app-0003' })).then('GRANT_CHANGED')).toBeTruthy();
    const confirmed = [...first, ...runGrant(g.reserve(), g.confirm(), g.change(), g.confirm({ applicationId: LATER_APP_ID })).slice(3)];
    expect(givenGrant(confirmed).before).toMatchObject({ status: 'held', inForce: LATER_APP_ID });
    givenGrant(confirmed).when(g.change({ applicationId: 'app-0003' })).then('GRANT_CHANGED');
  });

  it('a change or termination with nothing in force is refused (GRANT_NOT_IN_FORCE)', () => {
    givenGrant().when(g.change()).then('GRANT_NOT_IN_FORCE');
    givenGrant(runGrant(g.reserve(), g.confirm(), g.end())).when(g.change({ kind: 'termination' })).then('GRANT_NOT_IN_FORCE');
  });

  it('a termination’s confirmation leaves nothing in force; a new user may then be approved again', () => {
    const events = runGrant(g.reserve(), g.confirm(), g.change({ kind: 'termination' }), g.confirm({ applicationId: LATER_APP_ID }));
    expect(givenGrant(events).before).toMatchObject({ status: 'vacant', inForce: null });
    expect(givenGrant(events).when(g.reserve({ applicationId: 'app-0005' })).outcome().events).toHaveLength(1);
  });

  it('a voided reservation gives the grant back to the one in force', () => {
    const events = runGrant(g.reserve(), g.confirm(), g.change(), g.void({ applicationId: LATER_APP_ID }));
    expect(givenGrant(events).before).toMatchObject({ status: 'held', inForce: APP_ID, pending: null });
  });

  it('what is already so records nothing: the same reservation, a second confirmation, ending what is not in force', () => {
    givenGrant(runGrant(g.reserve())).when(g.reserve()).then([]);
    givenGrant(held()).when(g.confirm()).then([]);
    givenGrant(held()).when(g.end({ applicationId: 'app-0009' })).then([]);
    givenGrant(held()).when(g.void()).then([]);
  });

  it('only an approver reserves, only a process confirms and ends', () => {
    givenGrant().when(g.reserve({ actor: { id: 'system:grants', role: 'system' } })).then('ROLE_NOT_ALLOWED');
    givenGrant(runGrant(g.reserve())).when(g.confirm({ actor: approver })).then('ROLE_NOT_ALLOWED');
  });
});
