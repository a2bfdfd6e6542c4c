/**
 * Rights in the e-service "Budžets" (seed 002): a list of scopes, each one institution or one
 * whole resort, each with one or more rights groups.
 */
import { DomainError } from '../../shared/errors';

/** In the order the seed lists them; normalized groups follow this order. */
export const RIGHTS_GROUPS = ['MANAGE', 'APPROVE', 'SIGN', 'VIEW', 'COORDINATE', 'COORDINATE_MIN'] as const;
export type RightsGroup = (typeof RIGHTS_GROUPS)[number];

/** Groups allowed on a resort scope (seed 002: VIEW "kopumā uz resoru", COORDINATE_MIN "tikai uz resoru"). */
export const RESORT_GROUPS: readonly RightsGroup[] = ['VIEW', 'COORDINATE_MIN'];

export type RightsScope =
  | { readonly kind: 'institution'; readonly institution: string; readonly groups: readonly RightsGroup[] }
  | { readonly kind: 'resort'; readonly resort: string; readonly groups: readonly RightsGroup[] };

export type InstitutionType = 'ministry' | 'cvi' | 'subordinate' | 'municipality';
export type CoordinationVariant = 1 | 2 | 3;

/** What the rules need to know about an institution; supplied by the caller (the registry is elsewhere). */
export interface InstitutionFact {
  readonly registrationNumber: string;
  readonly type: InstitutionType;
  /** Registration number of the head of its resort; a head (ministry or CVI) is its own. */
  readonly resortHead: string;
  /** Procurement-plan coordination: 1 = in the institution and at the higher one, 2 = only in it, 3 = only higher. */
  readonly coordinationVariant: CoordinationVariant;
}

/** Keyed by registration number. */
export type InstitutionFacts = Readonly<Record<string, InstitutionFact>>;

export interface RightsWarning {
  readonly code: 'RIGHTS_VIEW_REDUNDANT' | 'RIGHTS_GROUP_REPEATED';
  readonly field: string;
  readonly message: string;
}

export interface NormalizedRights {
  readonly rights: RightsScope[];
  readonly warnings: RightsWarning[];
}

const REGISTRATION_NUMBER = /^\d{11}$/;

function isHead(fact: InstitutionFact): boolean {
  return (fact.type === 'ministry' || fact.type === 'cvi') && fact.resortHead === fact.registrationNumber;
}

/**
 * Validates the requested scopes for a user employed by `applyingInstitution` and returns them
 * normalized (groups deduplicated, in canonical order, VIEW dropped beside any other group),
 * with a warning for each redundancy removed. Throws the first rule broken.
 */
export function normalizeRights(
  scopes: unknown,
  applyingInstitution: string,
  facts: InstitutionFacts = {},
): NormalizedRights {
  if (!Array.isArray(scopes) || scopes.length === 0) {
    throw new DomainError('RIGHTS_EMPTY', 'rights', 'rights must list at least one scope (an institution or a resort with its groups)');
  }
  const employer = facts[applyingInstitution];
  if (!employer) {
    throw new DomainError('RIGHTS_INSTITUTION_UNKNOWN', 'institution', `institution ${applyingInstitution} is not among the known institutions, so its rights cannot be checked`);
  }
  const seen = new Set<string>();
  const warnings: RightsWarning[] = [];
  const rights = scopes.map((raw, i): RightsScope => {
    const field = `rights[${i}]`;
    const scope = raw as Partial<{ kind: string; institution: string; resort: string; groups: unknown }>;
    const kind = scope?.kind;
    const target = kind === 'institution' ? scope.institution : kind === 'resort' ? scope.resort : undefined;
    if (typeof target !== 'string' || !REGISTRATION_NUMBER.test(target)) {
      throw new DomainError('RIGHTS_SCOPE_INVALID', field, `${field} must be { kind: 'institution', institution } or { kind: 'resort', resort } with an 11-digit registration number`);
    }
    const key = `${kind}:${target}`;
    if (seen.has(key)) {
      throw new DomainError('RIGHTS_DUPLICATE_SCOPE', field, `${field}: the ${kind} ${target} is listed twice; give each scope once with all its groups`);
    }
    seen.add(key);
    const groups = normalizeGroups(scope.groups, `${field}.groups`, warnings);
    const fact = facts[target];
    if (!fact) {
      throw new DomainError('RIGHTS_INSTITUTION_UNKNOWN', `${field}.${kind}`, `${field}: institution ${target} is not among the known institutions`);
    }
    if (kind === 'resort') {
      checkResortScope(fact, employer, groups, field, facts);
      return { kind: 'resort', resort: target, groups };
    }
    checkInstitutionScope(fact, groups, field);
    return { kind: 'institution', institution: target, groups };
  });
  return { rights, warnings };
}

function normalizeGroups(groups: unknown, field: string, warnings: RightsWarning[]): RightsGroup[] {
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new DomainError('RIGHTS_GROUPS_EMPTY', field, `${field} must name at least one rights group (${RIGHTS_GROUPS.join(', ')})`);
  }
  const unknown = groups.find((g) => !RIGHTS_GROUPS.includes(g as RightsGroup));
  if (unknown !== undefined) {
    throw new DomainError('RIGHTS_GROUP_UNKNOWN', field, `${field}: ${JSON.stringify(unknown)} is not a rights group (${RIGHTS_GROUPS.join(', ')})`);
  }
  const set = new Set(groups as RightsGroup[]);
  if (set.size !== groups.length) {
    warnings.push({ code: 'RIGHTS_GROUP_REPEATED', field, message: `${field}: a group was listed more than once; kept once` });
  }
  if (set.has('VIEW') && set.size > 1) {
    // Seed 002: every other group includes VIEW ("tās nav papildus jānorāda").
    set.delete('VIEW');
    warnings.push({ code: 'RIGHTS_VIEW_REDUNDANT', field, message: `${field}: VIEW is included in every other group; dropped` });
  }
  return RIGHTS_GROUPS.filter((g) => set.has(g));
}

function checkResortScope(
  resortHead: InstitutionFact,
  employer: InstitutionFact,
  groups: RightsGroup[],
  field: string,
  facts: InstitutionFacts,
): void {
  if (!isHead(resortHead)) {
    throw new DomainError('RIGHTS_RESORT_SCOPE_NOT_ALLOWED', `${field}.resort`, `${field}: ${resortHead.registrationNumber} does not head a resort (a resort is named by its ministry or CVI)`);
  }
  if (employer.registrationNumber !== resortHead.registrationNumber) {
    // Seed 002: a resort scope is "for a user of the ministry or CVI", and COORDINATE_MIN is granted
    // "by the higher institution to its own employee": only the head applies for its resort.
    throw new DomainError('RIGHTS_RESORT_SCOPE_NOT_ALLOWED', `${field}.resort`, `${field}: a resort scope is only for users of the institution heading that resort (${resortHead.registrationNumber})`);
  }
  const outside = groups.find((g) => !RESORT_GROUPS.includes(g));
  if (outside) {
    throw new DomainError('RIGHTS_GROUP_NOT_ALLOWED_ON_RESORT', `${field}.groups`, `${field}: ${outside} cannot be granted on a whole resort; a resort scope carries only VIEW and COORDINATE_MIN`);
  }
  if (groups.includes('COORDINATE_MIN')) {
    // The variant belongs to the institution whose procurement plan is coordinated. COORDINATE_MIN
    // on a resort coordinates the plans of the resort's institutions at the head, so it fits when
    // at least one institution of the resort uses coordination at the higher institution (1 or 3).
    // The head's own variant alone would not do: seed 002 recommends variant 2 for a ministry's own plan.
    const members = Object.values(facts).filter((f) => f.resortHead === resortHead.registrationNumber);
    if (!members.some((f) => f.coordinationVariant === 1 || f.coordinationVariant === 3)) {
      throw new DomainError('RIGHTS_VARIANT_FORBIDS_COORDINATE_MIN', `${field}.groups`, `${field}: COORDINATE_MIN needs an institution of the resort with coordination variant 1 or 3; none of the known ones has`);
    }
  }
}

function checkInstitutionScope(institution: InstitutionFact, groups: RightsGroup[], field: string): void {
  if (groups.includes('COORDINATE_MIN')) {
    throw new DomainError('RIGHTS_COORDINATE_MIN_NOT_ON_RESORT', `${field}.groups`, `${field}: COORDINATE_MIN is granted only on a resort scope, by the resort's head institution`);
  }
  // COORDINATE agrees the plan inside the scoped institution: its own variant decides (1 or 2).
  if (groups.includes('COORDINATE') && institution.coordinationVariant === 3) {
    throw new DomainError('RIGHTS_VARIANT_FORBIDS_COORDINATE', `${field}.groups`, `${field}: institution ${institution.registrationNumber} uses coordination variant 3 (only at the higher institution), so COORDINATE cannot be granted on it`);
  }
}
