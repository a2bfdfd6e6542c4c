/**
 * What the registry says about an institution besides its status and representatives: names, type,
 * resort, coordination variant, e-address. Seed 001 names the official and the short name; seed 004
 * the official e-address; seed 002 the type, the resort and the variant the rights rules read.
 */
import { DomainError } from '../../shared/errors';
import type { CoordinationVariant, InstitutionType } from '../../application/rules/rights';

export const INSTITUTION_TYPES: readonly InstitutionType[] = ['ministry', 'cvi', 'subordinate', 'municipality'];
export const COORDINATION_VARIANTS: readonly CoordinationVariant[] = [1, 2, 3];
/** Types that head a resort of their own: a ministry or a CVI; a municipality heads its own institutions. */
export const RESORT_HEAD_TYPES: readonly InstitutionType[] = ['ministry', 'cvi', 'municipality'];
export const DETAIL_LIMITS = { officialName: 300, shortName: 100, eAddress: 100 } as const;

export interface InstitutionDetails {
  readonly officialName: string;
  /** Empty string when the institution has none. */
  readonly shortName: string;
  readonly type: InstitutionType;
  /** Registration number of the head of its resort; a head names itself. */
  readonly resortHead: string;
  readonly coordinationVariant: CoordinationVariant;
  /** The official e-address (seed 004), `_DEFAULT@<registration number>` unless another is given. */
  readonly eAddress: string;
}

export type InstitutionDetailsInput = Omit<InstitutionDetails, 'shortName' | 'eAddress'> & { readonly shortName?: string; readonly eAddress?: string };

/** What the registry knows of the named resort head when it is another institution (null: not registered). */
export interface ResortHeadFact {
  readonly type: InstitutionType;
  readonly status: string;
}

const REGISTRATION_NUMBER = /^\d{11}$/;
const E_ADDRESS = /^[A-Za-z0-9_.-]+@\d{11}$/;

/**
 * 11 digits, as the Enterprise Register issues them. The register's check digit (weights
 * 9,1,4,8,3,10,2,5,7,6,1, sum ≡ 3 mod 11) is not enforced: the demo and test numbers do not carry it.
 */
export function assertRegistrationNumberFormat(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || !REGISTRATION_NUMBER.test(value)) {
    throw new DomainError('REGISTRATION_NUMBER_INVALID', field, `${field} must be an 11-digit registration number`);
  }
}

export function defaultEAddress(registrationNumber: string): string {
  return `_DEFAULT@${registrationNumber}`;
}

function name(value: unknown, field: string, limit: number, required: boolean): string {
  if (value !== undefined && typeof value !== 'string') throw new DomainError('INSTITUTION_NAME_REQUIRED', field, `${field} must be text`);
  // Names come from forms and CSV files: runs of spaces collapse, so "the same name" is one string.
  const text = typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : '';
  if (required && text === '') throw new DomainError('INSTITUTION_NAME_REQUIRED', field, `${field} is required and must not be blank`);
  if (text.length > limit) throw new DomainError('TEXT_TOO_LONG', field, `${field} may be at most ${limit} characters`);
  return text;
}

/**
 * Validates and normalizes the details of institution `registrationNumber`. `head` is the registry's
 * answer about a resort head other than the institution itself (undefined: not looked up).
 */
export function validateDetails(registrationNumber: string, input: unknown, head?: ResortHeadFact | null, prefix = 'details'): InstitutionDetails {
  const d = (input ?? {}) as Partial<Record<keyof InstitutionDetails, unknown>>;
  const officialName = name(d.officialName, `${prefix}.officialName`, DETAIL_LIMITS.officialName, true);
  const shortName = name(d.shortName, `${prefix}.shortName`, DETAIL_LIMITS.shortName, false);
  if (!INSTITUTION_TYPES.includes(d.type as InstitutionType)) {
    throw new DomainError('INSTITUTION_TYPE_INVALID', `${prefix}.type`, `${prefix}.type must be one of ${INSTITUTION_TYPES.join(', ')}`);
  }
  const type = d.type as InstitutionType;
  if (!COORDINATION_VARIANTS.includes(d.coordinationVariant as CoordinationVariant)) {
    throw new DomainError('COORDINATION_VARIANT_INVALID', `${prefix}.coordinationVariant`, `${prefix}.coordinationVariant must be 1 (in the institution and higher), 2 (only in it) or 3 (only higher)`);
  }
  assertRegistrationNumberFormat(d.resortHead, `${prefix}.resortHead`);
  checkResortHead(registrationNumber, type, d.resortHead, head, `${prefix}.resortHead`);
  const eAddress = d.eAddress === undefined || d.eAddress === '' ? defaultEAddress(registrationNumber) : d.eAddress;
  if (typeof eAddress !== 'string' || !E_ADDRESS.test(eAddress) || eAddress.length > DETAIL_LIMITS.eAddress || !eAddress.endsWith(`@${registrationNumber}`)) {
    throw new DomainError('E_ADDRESS_INVALID', `${prefix}.eAddress`, `${prefix}.eAddress must be the institution's own e-address, <box>@${registrationNumber} (e.g. _DEFAULT@${registrationNumber})`);
  }
  return { officialName, shortName, type, resortHead: d.resortHead, coordinationVariant: d.coordinationVariant as CoordinationVariant, eAddress };
}

/**
 * A ministry or a CVI heads its own resort (seed 002) and so does a municipality; a subordinate
 * institution belongs to the resort of a registered ministry, CVI or municipality.
 */
function checkResortHead(registrationNumber: string, type: InstitutionType, resortHead: string, head: ResortHeadFact | null | undefined, field: string): void {
  if (type !== 'subordinate') {
    if (resortHead !== registrationNumber) {
      throw new DomainError('RESORT_HEAD_INVALID', field, `${field}: a ${type} heads its own resort, so its resortHead is its own registration number ${registrationNumber}`);
    }
    return;
  }
  if (resortHead === registrationNumber) {
    throw new DomainError('RESORT_HEAD_INVALID', field, `${field}: a subordinate institution belongs to another institution's resort, not its own`);
  }
  if (head === null) {
    throw new DomainError('RESORT_HEAD_UNKNOWN', field, `${field}: institution ${resortHead} is not registered; register the resort's head first`);
  }
  if (head && !RESORT_HEAD_TYPES.includes(head.type)) {
    throw new DomainError('RESORT_HEAD_INVALID', field, `${field}: institution ${resortHead} is a ${head.type}; a resort is headed by a ministry, a CVI or a municipality`);
  }
}
