/** The registry's content rules, command by command: given events, when a command, then events or a refusal. */
import { AT, MINISTRY, MINISTRY_DETAILS, MUNICIPALITY_A, MUNICIPALITY_B, REP_CODE, SUBORDINATE, admin, givenInstitution, institutionCommands as c, institutionHistory, runInstitution } from '../../test/institution-fixtures';
import { assertAcceptsApplications, institutionFact, isRepresentative } from './facts';
import { foldInstitution } from './evolve';

const SUBORDINATE_DETAILS = { officialName: 'Izdomātā padotības iestāde', type: 'subordinate' as const, resortHead: MINISTRY, coordinationVariant: 1 as const };

describe('registering', () => {
  it('records the details, with the default e-address and an empty short name when none is given', () => {
    givenInstitution().when(c.register({ details: { ...MINISTRY_DETAILS, shortName: undefined, officialName: '  Izdomātā   ministrija ' } })).then([
      {
        type: 'InstitutionRegistered',
        data: {
          registrationNumber: MINISTRY,
          officialName: 'Izdomātā ministrija',
          shortName: '',
          type: 'ministry',
          resortHead: MINISTRY,
          coordinationVariant: 2,
          eAddress: `_DEFAULT@${MINISTRY}`,
          registeredBy: admin.id,
          registeredAt: AT,
        },
      },
    ]);
  });

  it('a subordinate names a registered head of a resort', () => {
    const command = c.register({ registrationNumber: SUBORDINATE, details: SUBORDINATE_DETAILS, resortHead: { type: 'ministry', status: 'active' } });
    expect(givenInstitution().when(command).outcome().state).toMatchObject({ status: 'active', details: { resortHead: MINISTRY } });
    givenInstitution().when({ ...command, resortHead: null }).then('RESORT_HEAD_UNKNOWN');
    givenInstitution().when({ ...command, resortHead: { type: 'subordinate', status: 'active' } }).then('RESORT_HEAD_INVALID');
    givenInstitution().when({ ...command, details: { ...SUBORDINATE_DETAILS, resortHead: SUBORDINATE } }).then('RESORT_HEAD_INVALID');
  });

  it('a ministry, a CVI and a municipality head their own resort (RESORT_HEAD_INVALID otherwise)', () => {
    for (const type of ['ministry', 'cvi', 'municipality'] as const) {
      givenInstitution().when(c.register({ details: { ...MINISTRY_DETAILS, type, resortHead: MUNICIPALITY_A } })).then('RESORT_HEAD_INVALID');
    }
  });

  it.each([
    ['REGISTRATION_NUMBER_INVALID', c.register({ registrationNumber: '9000000001' })],
    ['REGISTRATION_NUMBER_INVALID', c.register({ details: { ...MINISTRY_DETAILS, resortHead: 'LV90000000011' } })],
    ['INSTITUTION_NAME_REQUIRED', c.register({ details: { ...MINISTRY_DETAILS, officialName: ' ' } })],
    ['INSTITUTION_NAME_REQUIRED', c.register({ details: { ...MINISTRY_DETAILS, shortName: 7 as never } })],
    ['TEXT_TOO_LONG', c.register({ details: { ...MINISTRY_DETAILS, shortName: 'x'.repeat(101) } })],
    ['INSTITUTION_TYPE_INVALID', c.register({ details: { ...MINISTRY_DETAILS, type: 'agency' as never } })],
    ['COORDINATION_VARIANT_INVALID', c.register({ details: { ...MINISTRY_DETAILS, coordinationVariant: 4 as never } })],
    ['E_ADDRESS_INVALID', c.register({ details: { ...MINISTRY_DETAILS, eAddress: `_DEFAULT@${MUNICIPALITY_A}` } })],
    ['E_ADDRESS_INVALID', c.register({ details: { ...MINISTRY_DETAILS, eAddress: 'pasts@ministrija.example' } })],
    ['TIME_INVALID', c.register({ at: '2025-03-01' })],
    ['ACTOR_INVALID', c.register({ actor: { id: 'someone', role: 'admin' } })],
  ] as const)('refuses %s', (code, command) => {
    givenInstitution().when(command).then(code);
  });

  it('keeps an e-address of its own box', () => {
    const { state } = givenInstitution().when(c.register({ details: { ...MINISTRY_DETAILS, eAddress: `lietvediba@${MINISTRY}` } })).outcome();
    expect(state.details?.eAddress).toBe(`lietvediba@${MINISTRY}`);
  });

  it('refuses a command for another institution on this stream (REGISTRATION_NUMBER_MISMATCH)', () => {
    givenInstitution(institutionHistory('active')).when(c.update({ registrationNumber: MUNICIPALITY_A })).then('REGISTRATION_NUMBER_MISMATCH');
  });
});

describe('updating', () => {
  it('records only what changed', () => {
    givenInstitution(institutionHistory('active')).when(c.update({ changes: { shortName: 'IzM', officialName: 'Izdomātā ministrija' } })).then([
      { type: 'InstitutionDetailsChanged', data: { changes: { shortName: 'IzM' }, changedBy: admin.id, changedAt: AT } },
    ]);
  });

  it('records nothing when nothing changes (an import may run again)', () => {
    givenInstitution(institutionHistory('active')).when(c.update({ changes: { ...MINISTRY_DETAILS } })).then([]);
  });

  it('checks the changed details as registration does', () => {
    givenInstitution(institutionHistory('active')).when(c.update({ changes: { coordinationVariant: 0 as never } })).then('COORDINATION_VARIANT_INVALID');
    givenInstitution(institutionHistory('active')).when(c.update({ changes: { type: 'subordinate' }, resortHead: null })).then('RESORT_HEAD_INVALID');
  });

  it('the facts the rights rules read follow the update', () => {
    const events = runInstitution(c.register(), c.update({ changes: { coordinationVariant: 1 } }));
    expect(institutionFact(foldInstitution(events))).toEqual({ registrationNumber: MINISTRY, type: 'ministry', resortHead: MINISTRY, coordinationVariant: 1 });
  });
});

describe('suspending and deactivating need a reason', () => {
  it('REASON_REQUIRED', () => {
    givenInstitution(institutionHistory('active')).when(c.suspend({ reason: '' })).then('REASON_REQUIRED');
    givenInstitution(institutionHistory('active')).when(c.deactivate({ reason: '   ' })).then('REASON_REQUIRED');
  });
});

describe('representatives', () => {
  it('are added normalized, once; adding again records nothing', () => {
    const { events, state } = givenInstitution(runInstitution(c.register())).when(c.addRepresentative()).outcome();
    expect(events).toEqual([{ type: 'RepresentativeAdded', data: { personalCode: REP_CODE, addedBy: admin.id, addedAt: AT } }]);
    expect(isRepresentative(state, REP_CODE)).toBe(true);
    givenInstitution(institutionHistory('active')).when(c.addRepresentative({ personalCode: REP_CODE })).then([]);
  });

  it('are removed with an optional reason; removing someone who is not one is refused (REPRESENTATIVE_UNKNOWN)', () => {
    const { events, state } = givenInstitution(institutionHistory('active')).when(c.removeRepresentative({ reason: 'Left the ministry' })).outcome();
    expect(events[0].data).toEqual({ personalCode: REP_CODE, reason: 'Left the ministry', removedBy: admin.id, removedAt: AT });
    expect(isRepresentative(state, REP_CODE)).toBe(false);
    givenInstitution(institutionHistory('active')).when(c.removeRepresentative({ personalCode: '329876-54321' })).then('REPRESENTATIVE_UNKNOWN');
  });

  it('refuses a personal code that is not one (PERSONAL_CODE_*)', () => {
    givenInstitution(institutionHistory('active')).when(c.addRepresentative({ personalCode: '12345' })).then('PERSONAL_CODE_INVALID');
  });
});

describe('merging (seed 003)', () => {
  it('deactivates the institution with the merge as its cause, the legal date and the deletion date', () => {
    const { events, state } = givenInstitution(institutionHistory('active')).when(c.merge({ effectiveDate: '2025-02-28' })).outcome();
    expect(events).toEqual([
      { type: 'InstitutionMerged', data: { into: MUNICIPALITY_B, effectiveDate: '2025-02-28', mergedBy: admin.id, mergedAt: AT, deletionDue: '2025-09-01' } },
    ]);
    expect(state).toMatchObject({ status: 'deactivated', mergedInto: MUNICIPALITY_B, mergeEffectiveDate: '2025-02-28' });
    expect(state.statusReason).toContain(MUNICIPALITY_B);
    expect(institutionFact(state)).toBeNull();
  });

  it.each([
    ['MERGE_INTO_SELF', c.merge({ into: MINISTRY })],
    ['REGISTRATION_NUMBER_INVALID', c.merge({ into: 'B' })],
    ['MERGE_TARGET_NOT_ACTIVE', c.merge({ target: null })],
    ['MERGE_TARGET_NOT_ACTIVE', c.merge({ target: { status: 'suspended' } })],
    ['MERGE_DATE_INVALID', c.merge({ effectiveDate: '2025-03-02' })],
    ['MERGE_DATE_INVALID', c.merge({ effectiveDate: '1 July' })],
  ] as const)('refuses %s', (code, command) => {
    givenInstitution(institutionHistory('active')).when(command).then(code);
  });
});

describe('what the applications read', () => {
  it('only an active institution takes applications (INSTITUTION_NOT_ACTIVE names why)', () => {
    expect(() => assertAcceptsApplications(foldInstitution(institutionHistory('active')))).not.toThrow();
    for (const status of ['suspended', 'deactivated', 'merged', 'deleted', 'none'] as const) {
      expect(() => assertAcceptsApplications(foldInstitution(institutionHistory(status)))).toThrow(expect.objectContaining({ code: 'INSTITUTION_NOT_ACTIVE', field: 'institution' }));
    }
    expect(() => assertAcceptsApplications(foldInstitution(institutionHistory('suspended')))).toThrow(/Access to the module paused/);
  });

  it('facts exist for an active or a suspended institution only', () => {
    expect(institutionFact(foldInstitution(institutionHistory('suspended')))).not.toBeNull();
    expect(institutionFact(foldInstitution(institutionHistory('deactivated')))).toBeNull();
    expect(institutionFact(foldInstitution([]))).toBeNull();
  });

  it('events are plain JSON and fold the same from their JSON form', () => {
    const events = runInstitution(c.register(), c.addRepresentative(), c.update(), c.suspend(), c.reactivate(), c.merge());
    expect(foldInstitution(JSON.parse(JSON.stringify(events)))).toEqual(foldInstitution(events));
    expect(foldInstitution([{ type: 'SomethingNewer', data: {} } as never]).revision).toBe(1);
  });
});
