/**
 * Every error code the domain exports is triggered by at least one command here, and carries the
 * field it concerns. (The rule-by-rule specs live beside each rule; this is the inventory.)
 */
import { CVI, FACTS, MINISTRY, OTHER_DOC, SUB_V1, SUB_V3, UNKNOWN_INSTITUTION, USER, approver2, auditor, commands, historyOf, repAsApprover, run } from '../../test/fixtures';
import { expectRefusal } from '../../test/given';
import { givenGrant, grantCommands } from '../../test/grant-fixtures';
import { withWrongCheckDigit, oldFormatCode } from '../../test/personal-codes';
import { MUNICIPALITY_A, campaignCommands, campaignHistory, givenCampaign, givenInstitution, institutionCommands, institutionHistory, MINISTRY_DETAILS, SUBORDINATE } from '../../test/institution-fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMAIN_ERROR_CODES, type DomainErrorCode } from '../shared/errors';
import type { ApplicationCommand } from './commands';
import { decide } from './decide';
import { foldApplication } from './evolve';
import type { ApplicationEvent } from './events';
import { assertAcceptsApplications } from '../institution/facts';
import { foldInstitution } from '../institution/evolve';
import { decideInstitution } from '../institution/decide';

const draftAt = (status: Parameters<typeof historyOf>[0]) => historyOf(status);
const rightsOn = (scope: object) => commands.setRights({ rights: [scope as never] });
const terminationDraft = () => run(commands.draft({ kind: 'termination', replaces: 'app-0000' }));

const APPLICATION_TRIGGERS: Partial<Record<DomainErrorCode, [ApplicationEvent[], ApplicationCommand]>> = {
  APPLICATION_ID_REQUIRED: [[], commands.draft({ applicationId: '' })],
  APPLICATION_ID_MISMATCH: [draftAt('draft'), commands.edit({ applicationId: 'other' })],
  ACTOR_INVALID: [[], commands.draft({ actor: { id: 'nobody', role: 'representative' } })],
  TIME_INVALID: [[], commands.draft({ at: 'tomorrow' })],
  TRANSITION_NOT_ALLOWED: [draftAt('approved'), commands.edit()],
  ROLE_NOT_ALLOWED: [draftAt('claimed'), commands.approve({ actor: auditor })],
  FOUR_EYES: [draftAt('signed'), commands.claim({ actor: repAsApprover })],
  CLAIMED_BY_ANOTHER: [draftAt('claimed'), commands.claim({ actor: approver2 })],
  CLAIM_NOT_HELD: [draftAt('signed'), commands.approve()],
  SIGNATURE_INVALID: [draftAt('submitted'), commands.sign({ signature: { valid: false } })],
  SIGNER_MISMATCH: [draftAt('submitted'), commands.sign({ signature: { signerPersonalCode: approver2.id } })],
  DOCUMENT_MISMATCH: [draftAt('submitted'), commands.sign({ signature: { documentSha256: OTHER_DOC } })],
  RIGHTS_NOT_SET: [draftAt('draft'), commands.submit()],
  RIGHTS_NOT_FOR_TERMINATION: [terminationDraft(), commands.setRights()],
  REVOCATION_NOT_CONFIRMED: [draftAt('approved'), commands.revoke({ confirmed: false })],
  KIND_INVALID: [[], commands.draft({ kind: 'other' as never })],
  REGISTRATION_NUMBER_INVALID: [[], commands.draft({ institution: 'LV900000' })],
  INSTITUTION_UNKNOWN: [[], commands.draft({ institution: UNKNOWN_INSTITUTION })],
  REPLACES_REQUIRED: [[], commands.draft({ kind: 'change' })],
  REPLACES_FORBIDDEN: [[], commands.draft({ replaces: 'app-0000' })],
  USER_NAME_REQUIRED: [[], commands.draft({ user: { ...USER, givenName: '' } })],
  EMAIL_INVALID: [[], commands.draft({ user: { ...USER, email: 'not-an-address' } })],
  PERSONAL_CODE_INVALID: [[], commands.draft({ user: { ...USER, personalCode: '12345' } })],
  PERSONAL_CODE_CHECKSUM: [[], commands.draft({ user: { ...USER, personalCode: withWrongCheckDigit(oldFormatCode('1985-03-14')) } })],
  PERSONAL_CODE_BIRTH_DATE: [[], commands.draft({ user: { ...USER, personalCode: '300285-10000' } })],
  JUSTIFICATION_REQUIRED: [[], commands.draft({ justification: '' })],
  REASON_REQUIRED: [draftAt('claimed'), commands.reject({ reason: '' })],
  TEXT_TOO_LONG: [[], commands.draft({ justification: 'x'.repeat(5000) })],
  EDIT_EMPTY: [draftAt('draft'), commands.edit({ justification: undefined })],
  DOCUMENT_HASH_INVALID: [run(commands.draft(), commands.setRights()), commands.submit({ documentSha256: 'abc' })],
  SUPERSEDING_APPLICATION_REQUIRED: [draftAt('approved'), commands.supersede({ supersededBy: '' })],
  EXPIRY_REASON_INVALID: [draftAt('approved'), commands.expire({ reason: 'end-date' })],
  EXPIRY_PREMATURE: [
    run(commands.draft({ term: { kind: 'until', date: '2026-01-01' } }), commands.setRights(), commands.submit(), commands.sign(), commands.claim(), commands.approve()),
    commands.expire({ reason: 'end-date' }),
  ],
  TERM_INVALID: [[], commands.draft({ term: { kind: 'after-last-login', months: 12 as never } })],
  TERM_IN_PAST: [[], commands.draft({ term: { kind: 'until', date: '2020-01-01' } })],
  TERM_TOO_LONG: [[], commands.draft({ term: { kind: 'until', date: '2099-01-01' } })],
  RIGHTS_EMPTY: [draftAt('draft'), commands.setRights({ rights: [] })],
  RIGHTS_SCOPE_INVALID: [draftAt('draft'), rightsOn({ kind: 'everything', groups: ['VIEW'] })],
  RIGHTS_DUPLICATE_SCOPE: [draftAt('draft'), commands.setRights({ rights: [{ kind: 'institution', institution: MINISTRY, groups: ['VIEW'] }, { kind: 'institution', institution: MINISTRY, groups: ['SIGN'] }] })],
  RIGHTS_GROUPS_EMPTY: [draftAt('draft'), rightsOn({ kind: 'institution', institution: MINISTRY, groups: [] })],
  RIGHTS_GROUP_UNKNOWN: [draftAt('draft'), rightsOn({ kind: 'institution', institution: MINISTRY, groups: ['DELETE'] })],
  RIGHTS_INSTITUTION_UNKNOWN: [draftAt('draft'), rightsOn({ kind: 'institution', institution: UNKNOWN_INSTITUTION, groups: ['VIEW'] })],
  RIGHTS_RESORT_SCOPE_NOT_ALLOWED: [draftAt('draft'), rightsOn({ kind: 'resort', resort: CVI, groups: ['VIEW'] })],
  RIGHTS_GROUP_NOT_ALLOWED_ON_RESORT: [draftAt('draft'), rightsOn({ kind: 'resort', resort: MINISTRY, groups: ['MANAGE'] })],
  RIGHTS_COORDINATE_MIN_NOT_ON_RESORT: [draftAt('draft'), rightsOn({ kind: 'institution', institution: SUB_V1, groups: ['COORDINATE_MIN'] })],
  RIGHTS_VARIANT_FORBIDS_COORDINATE: [draftAt('draft'), rightsOn({ kind: 'institution', institution: SUB_V3, groups: ['COORDINATE'] })],
  RIGHTS_VARIANT_FORBIDS_COORDINATE_MIN: [
    draftAt('draft'),
    commands.setRights({
      rights: [{ kind: 'resort', resort: MINISTRY, groups: ['COORDINATE_MIN'] }],
      facts: Object.fromEntries(Object.entries(FACTS).map(([reg, f]) => [reg, { ...f, coordinationVariant: 2 as const }])),
    }),
  ],
  END_CAUSE_INVALID: [draftAt('approved'), commands.end({ cause: 'other' as never })],
  END_CAUSE_REF_REQUIRED: [draftAt('approved'), commands.end({ causeRef: '' })],
  GRANT_IN_FORCE: [[], commands.draft({ grant: { inForce: 'app-0009', pending: null } })],
  GRANT_CHANGED: [[], commands.draft({ kind: 'change', replaces: 'app-0000', replaced: { status: 'approved', kind: 'new-user', institution: MINISTRY, personalCode: USER.personalCode }, grant: { inForce: 'app-0009', pending: null } })],
  REPLACES_NOT_IN_FORCE: [[], commands.draft({ kind: 'change', replaces: 'app-0000', replaced: null })],
  REPLACES_OTHER_INSTITUTION: [[], commands.draft({ kind: 'termination', replaces: 'app-0000', replaced: { status: 'approved', kind: 'new-user', institution: CVI, personalCode: USER.personalCode } })],
  REPLACES_OTHER_USER: [[], commands.draft({ kind: 'change', replaces: 'app-0000', replaced: { status: 'approved', kind: 'new-user', institution: MINISTRY, personalCode: '329876-54321' } })],
};

const inst = institutionCommands;
const subordinate = { officialName: 'Izdomāta iestāde', type: 'subordinate' as const, resortHead: MUNICIPALITY_A, coordinationVariant: 1 as const };
/** The registry's and the campaign's codes, each from its own decider (or, for drafting, the fact the API checks). */
const OTHER_TRIGGERS: Partial<Record<DomainErrorCode, () => unknown>> = {
  REGISTRATION_NUMBER_MISMATCH: () => givenInstitution(institutionHistory('active')).when(inst.suspend({ registrationNumber: MUNICIPALITY_A })).outcome(),
  INSTITUTION_NAME_REQUIRED: () => givenInstitution().when(inst.register({ details: { ...MINISTRY_DETAILS, officialName: '' } })).outcome(),
  INSTITUTION_TYPE_INVALID: () => givenInstitution().when(inst.register({ details: { ...MINISTRY_DETAILS, type: 'bank' as never } })).outcome(),
  COORDINATION_VARIANT_INVALID: () => givenInstitution().when(inst.register({ details: { ...MINISTRY_DETAILS, coordinationVariant: 9 as never } })).outcome(),
  RESORT_HEAD_INVALID: () => givenInstitution().when(inst.register({ registrationNumber: SUBORDINATE, details: subordinate, resortHead: { type: 'subordinate', status: 'active' } })).outcome(),
  RESORT_HEAD_UNKNOWN: () => givenInstitution().when(inst.register({ registrationNumber: SUBORDINATE, details: subordinate, resortHead: null })).outcome(),
  E_ADDRESS_INVALID: () => givenInstitution().when(inst.register({ details: { ...MINISTRY_DETAILS, eAddress: 'x' } })).outcome(),
  REPRESENTATIVE_UNKNOWN: () => givenInstitution(institutionHistory('active')).when(inst.removeRepresentative({ personalCode: '329876-54321' })).outcome(),
  MERGE_INTO_SELF: () => givenInstitution(institutionHistory('active')).when(inst.merge({ into: institutionCommands.merge().registrationNumber })).outcome(),
  MERGE_TARGET_NOT_ACTIVE: () => givenInstitution(institutionHistory('active')).when(inst.merge({ target: null })).outcome(),
  MERGE_DATE_INVALID: () => givenInstitution(institutionHistory('active')).when(inst.merge({ effectiveDate: '2099-07-01' })).outcome(),
  INSTITUTION_MERGED: () => givenInstitution(institutionHistory('merged')).when(inst.reactivate()).outcome(),
  DELETION_NOT_DUE: () => givenInstitution(institutionHistory('deactivated')).when(inst.delete({ at: '2025-03-02T10:00:00+02:00' })).outcome(),
  INSTITUTION_NOT_ACTIVE: () => assertAcceptsApplications(foldInstitution(institutionHistory('suspended'))),
  CAMPAIGN_ID_REQUIRED: () => givenCampaign().when(campaignCommands.open({ campaignId: ' ' })).outcome(),
  CAMPAIGN_ID_MISMATCH: () => givenCampaign(campaignHistory('open')).when(campaignCommands.complete({ campaignId: 'other' })).outcome(),
  CAMPAIGN_DEADLINE_INVALID: () => givenCampaign().when(campaignCommands.open({ deadline: '2020-01-01' })).outcome(),
  CAMPAIGN_DEADLINE_PASSED: () => givenCampaign(campaignHistory('open')).when(campaignCommands.drop({ at: '2025-04-02T10:00:00+03:00' })).outcome(),
  CAMPAIGN_DEADLINE_NOT_REACHED: () => givenCampaign(campaignHistory('open')).when(campaignCommands.close({ at: '2025-03-02T10:00:00+02:00' })).outcome(),
  CAMPAIGN_HOLDERS_INVALID: () => givenCampaign().when(campaignCommands.open({ holders: [{ personalCode: 'x', applications: [] }] })).outcome(),
  CAMPAIGN_ALREADY_OPEN: () => givenInstitution([...institutionHistory('active'), ...decideInstitution(institutionCommands.lock(), foldInstitution(institutionHistory('active')))]).when(institutionCommands.lock({ campaignId: 'campaign-0002' })).outcome(),
  CAMPAIGN_NOT_OPEN: () => givenInstitution(institutionHistory('active')).when(institutionCommands.unlock()).outcome(),
  GRANT_ID_REQUIRED: () => givenGrant().when(grantCommands.reserve({ grantId: '' })).outcome(),
  GRANT_NOT_IN_FORCE: () => givenGrant().when(grantCommands.change()).outcome(),
  CAMPAIGN_USER_UNKNOWN: () => givenCampaign(campaignHistory('open')).when(campaignCommands.confirm({ personalCode: '329876-54321' })).outcome(),
};

const TRIGGERS: Partial<Record<DomainErrorCode, () => unknown>> = {
  ...Object.fromEntries(Object.entries(APPLICATION_TRIGGERS).map(([code, [history, command]]) => [code, () => decide(command, foldApplication(history))])),
  ...OTHER_TRIGGERS,
};

describe('every error code is triggered by some command', () => {
  it('the inventory covers exactly the exported codes, each once', () => {
    expect(Object.keys(APPLICATION_TRIGGERS).filter((code) => code in OTHER_TRIGGERS)).toEqual([]);
    expect(Object.keys(TRIGGERS).sort()).toEqual([...DOMAIN_ERROR_CODES].sort());
  });

  it.each(DOMAIN_ERROR_CODES.map((code) => [code]))('%s', (code) => {
    const error = expectRefusal(TRIGGERS[code] as () => unknown, code);
    expect(error.toJSON()).toEqual({ code, field: error.field, message: error.message });
  });
});

describe('docs/domain.md', () => {
  it('lists every error code in its table', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'domain.md'), 'utf8');
    expect(DOMAIN_ERROR_CODES.filter((code) => !doc.includes(`| \`${code}\` |`))).toEqual([]);
  });
});
