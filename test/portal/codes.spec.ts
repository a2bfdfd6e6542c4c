import { DOMAIN_ERROR_CODES } from '@atlauja/domain';
import { CHECK_CODES } from '@atlauja/signatures';
import { CODES } from '@atlauja/problems';

/** The rules a 403 names (libs/auth/src/policy.ts, the registry's access rules, the session's CSRF check). */
const RULE_CODES = ['ROLE_REQUIRED', 'AUDITOR_READ_ONLY', 'NOT_REPRESENTATIVE_OF_INSTITUTION', 'NOT_REPRESENTATIVE_IN_REGISTRY', 'EMPLOYER_REQUIRED', 'PERSON_REQUIRED', 'SERVICE_CREDENTIAL_REQUIRED', 'SUBJECT_NOT_A_PERSON', 'CSRF_TOKEN_INVALID'];

describe("the portal's one table of the API's codes", () => {
  it('says every domain refusal, signature check and authorization rule in Latvian and in English', () => {
    const missing = [...DOMAIN_ERROR_CODES, ...CHECK_CODES, ...RULE_CODES].filter((code) => !CODES[code]?.lv || !CODES[code]?.en);
    expect(missing).toEqual([]);
  });

  it('says them differently in the two languages (nothing left untranslated)', () => {
    const same = Object.entries(CODES).filter(([, text]) => text.lv === text.en).map(([code]) => code);
    expect(same).toEqual([]);
  });
});
