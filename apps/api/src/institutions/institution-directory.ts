import type { InstitutionFact, InstitutionFacts } from '@atlauja/domain';

export const INSTITUTION_DIRECTORY = Symbol('INSTITUTION_DIRECTORY');

/** What the application rules need to know about institutions (type, resort, coordination variant). */
export interface InstitutionDirectory {
  get(registrationNumber: string): Promise<InstitutionFact | undefined>;
  /**
   * Facts about every named institution that is known (unknown ones are left out; the rules refuse
   * them), and about every member of a resort whose head is named: a resort scope's rules (the
   * COORDINATE_MIN variant) read the variants of the resort's institutions.
   */
  facts(registrationNumbers: Iterable<string>): Promise<InstitutionFacts>;
}

/**
 * A fixed list of institutions. Local mode starts with the demo list below; a deployment that
 * has no registry yet passes its own list (INSTITUTIONS_FILE, JSON array of facts).
 */
export class StaticInstitutionDirectory implements InstitutionDirectory {
  private readonly byNumber: Map<string, InstitutionFact>;

  constructor(facts: InstitutionFact[]) {
    this.byNumber = new Map(facts.map((f) => [f.registrationNumber, f]));
  }

  async get(registrationNumber: string): Promise<InstitutionFact | undefined> {
    return this.byNumber.get(registrationNumber);
  }

  async facts(registrationNumbers: Iterable<string>): Promise<InstitutionFacts> {
    const named = new Set(registrationNumbers);
    const out: Record<string, InstitutionFact> = {};
    for (const fact of this.byNumber.values()) {
      if (named.has(fact.registrationNumber) || named.has(fact.resortHead)) out[fact.registrationNumber] = fact;
    }
    return out;
  }
}

/** Demo institutions of local mode: a ministry with a subordinate, a CVI, a municipality. */
export const DEMO_INSTITUTIONS: InstitutionFact[] = [
  { registrationNumber: '90000000001', type: 'ministry', resortHead: '90000000001', coordinationVariant: 1 },
  { registrationNumber: '90000000002', type: 'subordinate', resortHead: '90000000001', coordinationVariant: 1 },
  { registrationNumber: '90000000003', type: 'cvi', resortHead: '90000000003', coordinationVariant: 2 },
  { registrationNumber: '90000000004', type: 'subordinate', resortHead: '90000000003', coordinationVariant: 3 },
  { registrationNumber: '90000000005', type: 'municipality', resortHead: '90000000005', coordinationVariant: 2 },
];
