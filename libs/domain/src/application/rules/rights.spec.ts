/** Rights in "Budžets" (seed 002): scopes × groups, checked against the institutions' facts. */
import { AT, CVI, FACTS, MINISTRY, MUNICIPALITY, REP_CODE, SUB_V1, SUB_V3, UNKNOWN_INSTITUTION, commands, historyOf, run } from '../../../test/fixtures';
import { expectRefusal, given } from '../../../test/given';
import type { DomainErrorCode } from '../../shared/errors';
import { normalizeRights, type InstitutionFacts, type RightsScope } from './rights';

const institution = (reg: string, ...groups: string[]) => ({ kind: 'institution', institution: reg, groups }) as RightsScope;
const resort = (reg: string, ...groups: string[]) => ({ kind: 'resort', resort: reg, groups }) as RightsScope;

/** Rights for a user employed by `employer`. */
const check = (employer: string, ...scopes: RightsScope[]) => normalizeRights(scopes, employer, FACTS);
const refused = (code: DomainErrorCode, employer: string, ...scopes: RightsScope[]) => expectRefusal(() => check(employer, ...scopes), code);

describe('rights groups and VIEW', () => {
  it("seed 002's example: the ministry user who oversees the resort and prepares the ministry's own estimate", () => {
    expect(check(MINISTRY, resort(MINISTRY, 'VIEW'), institution(MINISTRY, 'MANAGE'))).toEqual({
      rights: [resort(MINISTRY, 'VIEW'), institution(MINISTRY, 'MANAGE')],
      warnings: [],
    });
  });

  it('VIEW beside another group is redundant: dropped, with a warning naming the scope', () => {
    const { rights, warnings } = check(MINISTRY, institution(MINISTRY, 'VIEW', 'APPROVE'));
    expect(rights).toEqual([institution(MINISTRY, 'APPROVE')]);
    expect(warnings).toEqual([{ code: 'RIGHTS_VIEW_REDUNDANT', field: 'rights[0].groups', message: expect.stringContaining('VIEW') }]);
  });

  it.each(['MANAGE', 'APPROVE', 'SIGN', 'COORDINATE'])('VIEW is implied by %s', (group) => {
    expect(check(SUB_V1, institution(SUB_V1, group, 'VIEW')).rights).toEqual([institution(SUB_V1, group)]);
  });

  it('VIEW is implied by COORDINATE_MIN on a resort', () => {
    expect(check(MINISTRY, resort(MINISTRY, 'VIEW', 'COORDINATE_MIN')).rights).toEqual([resort(MINISTRY, 'COORDINATE_MIN')]);
  });

  it('VIEW alone stays', () => {
    expect(check(SUB_V1, institution(SUB_V1, 'VIEW'))).toEqual({ rights: [institution(SUB_V1, 'VIEW')], warnings: [] });
  });

  it('puts groups in canonical order and keeps a repeated group once, with a warning', () => {
    const { rights, warnings } = check(SUB_V1, institution(SUB_V1, 'SIGN', 'MANAGE', 'SIGN'));
    expect(rights).toEqual([institution(SUB_V1, 'MANAGE', 'SIGN')]);
    expect(warnings.map((w) => w.code)).toEqual(['RIGHTS_GROUP_REPEATED']);
  });

  it('refuses a scope without groups (RIGHTS_GROUPS_EMPTY) and an unknown group (RIGHTS_GROUP_UNKNOWN)', () => {
    refused('RIGHTS_GROUPS_EMPTY', SUB_V1, institution(SUB_V1));
    refused('RIGHTS_GROUPS_EMPTY', SUB_V1, { kind: 'institution', institution: SUB_V1 } as never);
    const error = refused('RIGHTS_GROUP_UNKNOWN', SUB_V1, institution(SUB_V1, 'MANAGE', 'ADMIN'));
    expect(error.field).toBe('rights[0].groups');
  });
});

describe('scopes', () => {
  it('needs at least one scope (RIGHTS_EMPTY)', () => {
    refused('RIGHTS_EMPTY', MINISTRY);
    expectRefusal(() => normalizeRights(undefined, MINISTRY, FACTS), 'RIGHTS_EMPTY');
  });

  it('refuses the same scope twice (RIGHTS_DUPLICATE_SCOPE), naming the second', () => {
    const error = refused('RIGHTS_DUPLICATE_SCOPE', MINISTRY, institution(MINISTRY, 'MANAGE'), institution(MINISTRY, 'VIEW'));
    expect(error.field).toBe('rights[1]');
  });

  it('an institution scope and a resort scope of the same ministry are two scopes', () => {
    expect(check(MINISTRY, institution(MINISTRY, 'VIEW'), resort(MINISTRY, 'VIEW')).rights).toHaveLength(2);
  });

  it.each([
    ['an unknown kind', { kind: 'ministry', institution: MINISTRY, groups: ['VIEW'] }],
    ['a short registration number', { kind: 'institution', institution: '123', groups: ['VIEW'] }],
    ['a resort without its registration number', { kind: 'resort', institution: MINISTRY, groups: ['VIEW'] }],
    ['nothing', null],
  ])('refuses %s (RIGHTS_SCOPE_INVALID)', (_label, scope) => {
    refused('RIGHTS_SCOPE_INVALID', MINISTRY, scope as never);
  });

  it('refuses an institution the facts do not know (RIGHTS_INSTITUTION_UNKNOWN), in a scope or as the employer', () => {
    expect(refused('RIGHTS_INSTITUTION_UNKNOWN', MINISTRY, institution(UNKNOWN_INSTITUTION, 'VIEW')).field).toBe('rights[0].institution');
    expect(refused('RIGHTS_INSTITUTION_UNKNOWN', UNKNOWN_INSTITUTION, institution(MINISTRY, 'VIEW')).field).toBe('institution');
    expectRefusal(() => normalizeRights([institution(MINISTRY, 'VIEW')], MINISTRY), 'RIGHTS_INSTITUTION_UNKNOWN');
  });

  it('allows institution scopes on other known institutions (e.g. a ministry user viewing a subordinate)', () => {
    expect(check(MINISTRY, institution(SUB_V1, 'VIEW')).rights).toEqual([institution(SUB_V1, 'VIEW')]);
  });
});

describe('resort scopes: only VIEW and COORDINATE_MIN, only for users of the resort head', () => {
  it.each([MINISTRY, CVI])('a user of the head %s may get VIEW on its resort', (head) => {
    expect(check(head, resort(head, 'VIEW')).rights).toEqual([resort(head, 'VIEW')]);
  });

  it("refuses a resort scope to a subordinate's user, even on its own resort (RIGHTS_RESORT_SCOPE_NOT_ALLOWED)", () => {
    refused('RIGHTS_RESORT_SCOPE_NOT_ALLOWED', SUB_V1, resort(MINISTRY, 'VIEW'));
  });

  it("refuses a ministry's user a scope on another head's resort", () => {
    refused('RIGHTS_RESORT_SCOPE_NOT_ALLOWED', MINISTRY, resort(CVI, 'VIEW'));
  });

  it('refuses a resort named by an institution that heads none (a subordinate, a municipality)', () => {
    refused('RIGHTS_RESORT_SCOPE_NOT_ALLOWED', SUB_V1, resort(SUB_V1, 'VIEW'));
    // A municipality is its own head in the facts, but it is not a ministry or CVI: no resort.
    refused('RIGHTS_RESORT_SCOPE_NOT_ALLOWED', MUNICIPALITY, resort(MUNICIPALITY, 'VIEW'));
  });

  it.each(['MANAGE', 'APPROVE', 'SIGN', 'COORDINATE'])('refuses %s on a resort (RIGHTS_GROUP_NOT_ALLOWED_ON_RESORT)', (group) => {
    refused('RIGHTS_GROUP_NOT_ALLOWED_ON_RESORT', MINISTRY, resort(MINISTRY, group));
  });
});

describe('COORDINATE_MIN: only on a resort, granted by its head', () => {
  it('a ministry grants COORDINATE_MIN on its resort to its own employee', () => {
    expect(check(MINISTRY, resort(MINISTRY, 'COORDINATE_MIN')).rights).toEqual([resort(MINISTRY, 'COORDINATE_MIN')]);
  });

  it.each([MINISTRY, SUB_V1])('refuses COORDINATE_MIN on the institution %s (RIGHTS_COORDINATE_MIN_NOT_ON_RESORT)', (reg) => {
    refused('RIGHTS_COORDINATE_MIN_NOT_ON_RESORT', MINISTRY, institution(reg, 'COORDINATE_MIN'));
  });
});

describe('the procurement-plan coordination variant', () => {
  const variants = (v: Record<string, 1 | 2 | 3>): InstitutionFacts =>
    Object.fromEntries(Object.entries(FACTS).map(([reg, f]) => [reg, { ...f, coordinationVariant: v[reg] ?? f.coordinationVariant }]));

  it('COORDINATE on an institution with variant 1 or 2 (coordinated in the institution)', () => {
    expect(check(SUB_V1, institution(SUB_V1, 'COORDINATE')).rights).toHaveLength(1);
    expect(check(MINISTRY, institution(MINISTRY, 'COORDINATE')).rights).toHaveLength(1);
  });

  it('refuses COORDINATE on an institution with variant 3, coordinated only higher up (RIGHTS_VARIANT_FORBIDS_COORDINATE)', () => {
    refused('RIGHTS_VARIANT_FORBIDS_COORDINATE', SUB_V3, institution(SUB_V3, 'COORDINATE'));
  });

  it('COORDINATE_MIN on a resort where some institution uses variant 1 or 3, whatever the head uses for its own plan', () => {
    for (const v of [1, 3] as const) {
      const facts = variants({ [SUB_V1]: v, [SUB_V3]: 2, [MINISTRY]: 2 });
      expect(normalizeRights([resort(MINISTRY, 'COORDINATE_MIN')], MINISTRY, facts).rights).toHaveLength(1);
    }
  });

  it('refuses COORDINATE_MIN when every institution of the resort uses variant 2 (RIGHTS_VARIANT_FORBIDS_COORDINATE_MIN)', () => {
    const facts = variants({ [SUB_V1]: 2, [SUB_V3]: 2, [MINISTRY]: 2 });
    expectRefusal(() => normalizeRights([resort(MINISTRY, 'COORDINATE_MIN')], MINISTRY, facts), 'RIGHTS_VARIANT_FORBIDS_COORDINATE_MIN');
    // A CVI whose resort has no other institution in the facts: nothing to coordinate at its level.
    refused('RIGHTS_VARIANT_FORBIDS_COORDINATE_MIN', CVI, resort(CVI, 'COORDINATE_MIN'));
  });
});

describe('setting rights on a draft', () => {
  it('records the normalized rights and the warnings', () => {
    given(historyOf('draft'))
      .when(commands.setRights({ rights: [{ kind: 'institution', institution: MINISTRY, groups: ['MANAGE', 'VIEW'] }] }))
      .then([
        {
          type: 'RightsSet',
          data: {
            rights: [institution(MINISTRY, 'MANAGE')],
            warnings: [{ code: 'RIGHTS_VIEW_REDUNDANT', field: 'rights[0].groups', message: expect.any(String) }],
            setBy: REP_CODE,
            setAt: AT,
          },
        },
      ]);
  });

  it('replaces the whole list each time', () => {
    const events = run(commands.draft(), commands.setRights(), commands.setRights({ rights: [{ kind: 'institution', institution: SUB_V1, groups: ['VIEW'] }] }));
    expect(given(events).when(commands.submit()).outcome().state.rights).toEqual([institution(SUB_V1, 'VIEW')]);
  });

  it("checks them against the applying institution: the draft's, the user's employer", () => {
    const subordinateDraft = run(commands.draft({ institution: SUB_V1 }));
    given(subordinateDraft).when(commands.setRights()).then('RIGHTS_RESORT_SCOPE_NOT_ALLOWED');
  });

  it('checks them again at submission when facts are given (the variant may have changed)', () => {
    const events = run(commands.draft({ institution: SUB_V1 }), commands.setRights({ rights: [{ kind: 'institution', institution: SUB_V1, groups: ['COORDINATE'] }] }));
    const changed = { ...FACTS, [SUB_V1]: { ...FACTS[SUB_V1], coordinationVariant: 3 as const } };
    given(events).when(commands.submit({ facts: changed })).then('RIGHTS_VARIANT_FORBIDS_COORDINATE');
    given(events).when(commands.submit({ facts: FACTS })).outcome();
  });
});
