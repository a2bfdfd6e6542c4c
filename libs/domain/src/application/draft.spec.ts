/** Drafting and editing: what an application must say before it can be submitted. */
import { AT, FACTS, MINISTRY, PREVIOUS_APP_ID, REP_CODE, UNKNOWN_INSTITUTION, USER, USER_CODE, commands, historyOf } from '../../test/fixtures';
import { given } from '../../test/given';
import type { DomainError } from '../shared/errors';

describe('drafting an application', () => {
  it('records the drafted content, normalized, with who drafted it and when', () => {
    given([])
      .when(commands.draft({ user: { ...USER, personalCode: USER_CODE.replace('-', ''), givenName: '  Anna ' } }))
      .then([
        {
          type: 'ApplicationDrafted',
          data: {
            applicationId: 'app-0001',
            kind: 'new-user',
            institution: MINISTRY,
            user: { ...USER, personalCode: USER_CODE },
            term: { kind: 'after-last-login', months: 18 },
            justification: 'Prepares the ministry estimate',
            draftedBy: REP_CODE,
            draftedAt: AT,
          },
        },
      ]);
  });

  it('opens a draft holding the content', () => {
    const { state } = given([]).when(commands.draft()).outcome();
    expect(state).toMatchObject({ status: 'draft', kind: 'new-user', institution: MINISTRY, user: USER, draftedBy: REP_CODE, rights: [], revision: 1 });
  });

  describe('kinds: a change or a termination names the application in force for the user', () => {
    it.each(['change', 'termination'] as const)('a %s carries replaces', (kind) => {
      const { state } = given([]).when(commands.draft({ kind, replaces: PREVIOUS_APP_ID })).outcome();
      expect(state.replaces).toBe(PREVIOUS_APP_ID);
    });

    it.each(['change', 'termination'] as const)('a %s without replaces is refused (REPLACES_REQUIRED)', (kind) => {
      given([]).when(commands.draft({ kind })).then('REPLACES_REQUIRED');
      given([]).when(commands.draft({ kind, replaces: ' ' })).then('REPLACES_REQUIRED');
    });

    it('a new-user application may say replaces: null (as JSON clients do) and replaces nothing', () => {
      expect(given([]).when(commands.draft({ replaces: null as never })).outcome().state.replaces).toBeNull();
    });

    it('a new-user application replaces nothing (REPLACES_FORBIDDEN)', () => {
      given([]).when(commands.draft({ replaces: PREVIOUS_APP_ID })).then('REPLACES_FORBIDDEN');
    });

    it('an application cannot replace itself (REPLACES_FORBIDDEN)', () => {
      given([]).when(commands.draft({ kind: 'change', replaces: 'app-0001' })).then('REPLACES_FORBIDDEN');
    });

    it('an unknown kind is refused (KIND_INVALID)', () => {
      given([]).when(commands.draft({ kind: 'promotion' as never })).then('KIND_INVALID');
    });
  });

  describe('the institution', () => {
    it('must be an 11-digit registration number (REGISTRATION_NUMBER_INVALID)', () => {
      for (const bad of ['9000000001', '9000000001X', '', '900000000111']) {
        given([]).when(commands.draft({ institution: bad })).then('REGISTRATION_NUMBER_INVALID');
      }
    });

    it('must be among the known institutions when facts are given (INSTITUTION_UNKNOWN)', () => {
      given([]).when(commands.draft({ institution: UNKNOWN_INSTITUTION })).then('INSTITUTION_UNKNOWN');
      const { state } = given([]).when(commands.draft({ institution: UNKNOWN_INSTITUTION, facts: undefined })).outcome();
      expect(state.institution).toBe(UNKNOWN_INSTITUTION);
    });
  });

  describe('the user', () => {
    it.each([
      ['givenName', { givenName: ' ' }, 'USER_NAME_REQUIRED'],
      ['surname', { surname: '' }, 'USER_NAME_REQUIRED'],
      ['surname', { surname: 'x'.repeat(101) }, 'TEXT_TOO_LONG'],
      ['email', { email: 'anna' }, 'EMAIL_INVALID'],
      ['email', { email: 'anna@lv' }, 'EMAIL_INVALID'],
      ['email', { email: `${'a'.repeat(250)}@x.lv` }, 'EMAIL_INVALID'],
      ['personalCode', { personalCode: '123' }, 'PERSONAL_CODE_INVALID'],
    ] as const)('user.%s %p is refused (%s), naming the field', (field, change, code) => {
      const error = given([]).when(commands.draft({ user: { ...USER, ...change } })).then(code) as DomainError;
      expect(error.field).toBe(`user.${field}`);
    });

    it('refuses a missing user', () => {
      given([]).when(commands.draft({ user: undefined as never })).then('USER_NAME_REQUIRED');
    });
  });

  describe('the justification', () => {
    it('is mandatory (JUSTIFICATION_REQUIRED)', () => {
      given([]).when(commands.draft({ justification: '   ' })).then('JUSTIFICATION_REQUIRED');
      given([]).when(commands.draft({ justification: undefined as never })).then('JUSTIFICATION_REQUIRED');
    });

    it('is bounded to 2000 characters (TEXT_TOO_LONG)', () => {
      given([]).when(commands.draft({ justification: 'x'.repeat(2001) })).then('TEXT_TOO_LONG');
      expect(given([]).when(commands.draft({ justification: 'x'.repeat(2000) })).outcome().events).toHaveLength(1);
    });
  });

  it('checks the term (TERM_IN_PAST)', () => {
    given([]).when(commands.draft({ term: { kind: 'until', date: '2025-02-28' } })).then('TERM_IN_PAST');
  });
});

describe('editing a draft', () => {
  it('records only what changed', () => {
    given(historyOf('draft'))
      .when(commands.edit({ justification: 'New reason', term: { kind: 'until', date: '2026-01-31' } }))
      .then([
        {
          type: 'DraftEdited',
          data: { changes: { term: { kind: 'until', date: '2026-01-31' }, justification: 'New reason' }, editedBy: REP_CODE, editedAt: AT },
        },
      ]);
  });

  it('changes the content and keeps the rest', () => {
    const { state } = given(historyOf('draft')).when(commands.edit({ justification: undefined, user: { ...USER, email: 'anna@fm.gov.lv' } })).outcome();
    expect(state.user?.email).toBe('anna@fm.gov.lv');
    expect(state.justification).toBe('Prepares the ministry estimate');
    expect(state.lastEditedAt).toBe(AT);
  });

  it('refuses an edit that changes nothing (EDIT_EMPTY)', () => {
    given(historyOf('draft')).when(commands.edit({ justification: undefined })).then('EDIT_EMPTY');
  });

  it('applies the same rules as drafting', () => {
    given(historyOf('draft')).when(commands.edit({ user: { ...USER, personalCode: '320000-0000' } })).then('PERSONAL_CODE_INVALID');
    given(historyOf('draft')).when(commands.edit({ term: { kind: 'until', date: '2031-01-01' } })).then('TERM_TOO_LONG');
    given(historyOf('draft')).when(commands.edit({ term: { kind: 'until', date: '2031-01-01' }, policy: { maxTermMonths: 72 } })).outcome();
  });

  it('is refused once the application is submitted: content freezes (TRANSITION_NOT_ALLOWED)', () => {
    given(historyOf('submitted')).when(commands.edit()).then('TRANSITION_NOT_ALLOWED');
    given(historyOf('submitted')).when(commands.setRights({ facts: FACTS })).then('TRANSITION_NOT_ALLOWED');
  });
});
