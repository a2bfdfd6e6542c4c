/** Who keeps the registry, and the conditions on reactivation and deletion. */
import { LATER, admin, approver, auditor, givenInstitution, importer, institutionCommands as c, institutionHistory, representative, timer } from '../../test/institution-fixtures';
import type { Actor } from '../shared/actor';
import type { DomainError } from '../shared/errors';

describe('roles', () => {
  const everyone: Actor[] = [admin, importer, representative, approver, auditor];
  const cases = [
    ['none', () => c.register(), ['admin', 'system']],
    ['active', () => c.update(), ['admin', 'system']],
    ['active', () => c.suspend(), ['admin', 'system']],
    ['active', () => c.deactivate(), ['admin', 'system']],
    ['active', () => c.addRepresentative({ personalCode: '329876-54321' }), ['admin', 'system']],
    ['active', () => c.removeRepresentative(), ['admin', 'system']],
    ['active', () => c.merge(), ['admin']],
    ['suspended', () => c.reactivate(), ['admin', 'system']],
    ['deactivated', () => c.delete(), ['system']],
  ] as const;

  it.each(cases)('in %s, %p is taken only by %p; anyone else is refused (ROLE_NOT_ALLOWED)', (status, make, allowed) => {
    for (const actor of everyone) {
      const command = { ...make(), actor };
      if ((allowed as readonly string[]).includes(actor.role)) {
        expect(givenInstitution(institutionHistory(status as never)).when(command).outcome().events).toHaveLength(1);
      } else {
        const error = givenInstitution(institutionHistory(status as never)).when(command).then('ROLE_NOT_ALLOWED') as DomainError;
        expect(error.field).toBe('actor.role');
      }
    }
  });
});

describe('deactivation, reactivation and deletion (seed 001)', () => {
  it('deactivation sets the deletion date 6 months ahead; reactivation clears it', () => {
    const { state } = givenInstitution(institutionHistory('active')).when(c.deactivate()).outcome();
    expect(state).toMatchObject({ status: 'deactivated', deletionDue: '2025-09-01', statusReason: 'No longer uses the e-service' });
    const back = givenInstitution(institutionHistory('deactivated')).when(c.reactivate({ at: LATER })).outcome().state;
    expect(back).toMatchObject({ status: 'active', deletionDue: null, statusReason: null });
  });

  it('the deletion is refused before the 6 months are out (DELETION_NOT_DUE) and recorded from that day', () => {
    givenInstitution(institutionHistory('deactivated')).when(c.delete({ at: '2025-08-31T23:59:00+03:00' })).then('DELETION_NOT_DUE');
    const { state } = givenInstitution(institutionHistory('deactivated')).when(c.delete({ at: '2025-09-01T00:00:00+03:00', actor: timer })).outcome();
    expect(state.status).toBe('deleted');
  });

  it('deletion keeps the history: the stream still folds to the institution, its details and representatives', () => {
    const { state } = givenInstitution(institutionHistory('deactivated')).when(c.delete()).outcome();
    expect(state.details?.officialName).toBe('Izdomātā ministrija');
    expect(state.representatives).toHaveLength(1);
  });

  it('a merged institution is never reactivated (INSTITUTION_MERGED), but is deleted in time', () => {
    givenInstitution(institutionHistory('merged')).when(c.reactivate()).then('INSTITUTION_MERGED');
    expect(givenInstitution(institutionHistory('merged')).when(c.delete()).outcome().state.status).toBe('deleted');
  });
});
