import type { InstitutionFact, InstitutionFacts } from '@atlauja/domain';
import { readInstitutionFacts, registryHoldsInstitutions } from '@atlauja/projections';
import type { ReadModelsHost } from '../read-models/read-models.host';
import type { RegistryWrites } from './registry-writes';

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

/**
 * The registry's facts, from the registry read model (active and suspended institutions; a
 * deactivated or deleted one is unknown to the rules), caught up with this process's own registry
 * writes. Until the registry holds any institution, the fixed list answers, so a deployment without
 * a registry keeps working.
 */
export class RegistryInstitutionDirectory implements InstitutionDirectory {
  constructor(private readonly readModels: ReadModelsHost, private readonly writes: RegistryWrites, private readonly fallback: InstitutionDirectory) {}

  async get(registrationNumber: string): Promise<InstitutionFact | undefined> {
    return (await this.facts([registrationNumber]))[registrationNumber];
  }

  async facts(registrationNumbers: Iterable<string>): Promise<InstitutionFacts> {
    if (!this.readModels.available) return this.fallback.facts(registrationNumbers);
    await this.readModels.awaitPosition(this.writes.latest > 0n ? this.writes.latest.toString() : undefined, ['registry']);
    const { sql, schema } = this.readModels;
    const facts = await readInstitutionFacts(sql, schema, [...new Set(registrationNumbers)]);
    // Found facts say the registry holds institutions; only when none is found does it matter whether it holds any.
    if (facts.length === 0 && !(await registryHoldsInstitutions(sql, schema))) return this.fallback.facts(registrationNumbers);
    return Object.fromEntries(facts.map((f) => [f.registrationNumber, f]));
  }
}
