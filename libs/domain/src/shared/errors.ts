/**
 * Every refusal of the domain is a DomainError with a stable `code` (the API maps codes to HTTP
 * statuses and clients switch on them, so codes never change meaning) and the `field` it concerns
 * (a path into the command, e.g. `rights[1].groups`, so a form can put the message beside the input).
 */
export const DOMAIN_ERROR_CODES = [
  // The command as a whole
  'APPLICATION_ID_REQUIRED',
  'APPLICATION_ID_MISMATCH',
  'ACTOR_INVALID',
  'TIME_INVALID',
  // The lifecycle (the machine's transition table and its guards)
  'TRANSITION_NOT_ALLOWED',
  'ROLE_NOT_ALLOWED',
  'FOUR_EYES',
  'CLAIMED_BY_ANOTHER',
  'CLAIM_NOT_HELD',
  'SIGNATURE_INVALID',
  'SIGNER_MISMATCH',
  'DOCUMENT_MISMATCH',
  'RIGHTS_NOT_SET',
  'RIGHTS_NOT_FOR_TERMINATION',
  'REVOCATION_NOT_CONFIRMED',
  // The application's content
  'KIND_INVALID',
  'REGISTRATION_NUMBER_INVALID',
  'INSTITUTION_UNKNOWN',
  'REPLACES_REQUIRED',
  'REPLACES_FORBIDDEN',
  'USER_NAME_REQUIRED',
  'EMAIL_INVALID',
  'PERSONAL_CODE_INVALID',
  'PERSONAL_CODE_CHECKSUM',
  'PERSONAL_CODE_BIRTH_DATE',
  'JUSTIFICATION_REQUIRED',
  'REASON_REQUIRED',
  'TEXT_TOO_LONG',
  'EDIT_EMPTY',
  'DOCUMENT_HASH_INVALID',
  'SUPERSEDING_APPLICATION_REQUIRED',
  'EXPIRY_REASON_INVALID',
  'EXPIRY_PREMATURE',
  // The term
  'TERM_INVALID',
  'TERM_IN_PAST',
  'TERM_TOO_LONG',
  // The rights
  'RIGHTS_EMPTY',
  'RIGHTS_SCOPE_INVALID',
  'RIGHTS_DUPLICATE_SCOPE',
  'RIGHTS_GROUPS_EMPTY',
  'RIGHTS_GROUP_UNKNOWN',
  'RIGHTS_INSTITUTION_UNKNOWN',
  'RIGHTS_RESORT_SCOPE_NOT_ALLOWED',
  'RIGHTS_GROUP_NOT_ALLOWED_ON_RESORT',
  'RIGHTS_COORDINATE_MIN_NOT_ON_RESORT',
  'RIGHTS_VARIANT_FORBIDS_COORDINATE',
  'RIGHTS_VARIANT_FORBIDS_COORDINATE_MIN',
  // Rights ended by an institution's change (merge, re-certification)
  'END_CAUSE_INVALID',
  'END_CAUSE_REF_REQUIRED',
  // The institution registry (libs/domain/src/institution)
  'REGISTRATION_NUMBER_MISMATCH',
  'INSTITUTION_NAME_REQUIRED',
  'INSTITUTION_TYPE_INVALID',
  'COORDINATION_VARIANT_INVALID',
  'RESORT_HEAD_INVALID',
  'RESORT_HEAD_UNKNOWN',
  'E_ADDRESS_INVALID',
  'REPRESENTATIVE_UNKNOWN',
  'MERGE_INTO_SELF',
  'MERGE_TARGET_NOT_ACTIVE',
  'MERGE_DATE_INVALID',
  'INSTITUTION_MERGED',
  'DELETION_NOT_DUE',
  'INSTITUTION_NOT_ACTIVE',
  'CAMPAIGN_ALREADY_OPEN',
  'CAMPAIGN_NOT_OPEN',
  // The re-certification campaign (libs/domain/src/recertification)
  'CAMPAIGN_ID_REQUIRED',
  'CAMPAIGN_ID_MISMATCH',
  'CAMPAIGN_DEADLINE_INVALID',
  'CAMPAIGN_DEADLINE_PASSED',
  'CAMPAIGN_DEADLINE_NOT_REACHED',
  'CAMPAIGN_HOLDERS_INVALID',
  'CAMPAIGN_USER_UNKNOWN',
  // One grant in force per user per institution (libs/domain/src/grant)
  'GRANT_ID_REQUIRED',
  'GRANT_IN_FORCE',
  'GRANT_CHANGED',
  'GRANT_NOT_IN_FORCE',
  'REPLACES_NOT_IN_FORCE',
  'REPLACES_OTHER_INSTITUTION',
  'REPLACES_OTHER_USER',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    /** Path of the offending input in the command; '' when the command as a whole is refused. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }

  /** A plain object for HTTP problem bodies and logs (no stack, no personal data beyond the message). */
  toJSON(): { code: DomainErrorCode; field: string; message: string } {
    return { code: this.code, field: this.field, message: this.message };
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

