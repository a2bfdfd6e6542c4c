import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { decideInstitution, type Actor } from '@atlauja/domain';
import { DEMO_REPRESENTATIVE_CODE } from '../store/trust-material';
import { importInstitutionList } from './institution-import';
import { DEMO_INSTITUTIONS } from './institution-directory';
import { RegistryIndex } from './registry-index';
import { RegistrySources } from './registry-sources';
import { institutionStream, RegistryStreams } from './registry-streams';
import { rigaInstant } from '../store/riga-time';

export const REGISTRY_OPTIONS = Symbol('REGISTRY_OPTIONS');
export interface RegistryOptions {
  /** Local mode on its own data folder: start the registry with the demo institutions. */
  seedDemo: boolean;
  /** How often the registry's timers tick (campaign deadlines, deletions); 0: only when called (tests). */
  timerSeconds?: number;
}

const DEMO_NAMES: Record<string, string> = {
  '90000000001': 'Demo ministrija',
  '90000000002': 'Demo ministrijas padotības iestāde',
  '90000000003': 'Demo centrālā valsts iestāde',
  '90000000004': 'Demo CVI padotības iestāde',
  '90000000005': 'Demo novada pašvaldība',
};
const TYPE_WORDS = { ministry: 'Ministrija', cvi: 'Centrālā valsts iestāde', subordinate: 'Padotības iestāde', municipality: 'Pašvaldība' } as const;

/** The demo list in the import's own CSV shape: the initial import of local mode goes the import's way. */
export function demoInstitutionList(): string {
  const rows = DEMO_INSTITUTIONS.map((f) =>
    [f.registrationNumber, DEMO_NAMES[f.registrationNumber] ?? `Demo ${f.registrationNumber}`, TYPE_WORDS[f.type], f.type === 'subordinate' ? f.resortHead : '', String(f.coordinationVariant)].join(';'),
  );
  return ['registration_number;name;type;higher_institution;coordination_variant', ...rows].join('\n');
}

/**
 * Local mode starts with the demo institutions (and the demo representative at the ministry) as an
 * initial import when the registry is empty, so `npm run demo` works against the registry.
 */
@Injectable()
export class DemoRegistrySeed implements OnApplicationBootstrap {
  constructor(
    @Inject(REGISTRY_OPTIONS) private readonly options: RegistryOptions,
    private readonly sources: RegistrySources,
    private readonly index: RegistryIndex,
    private readonly streams: RegistryStreams,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.seedDemo) return;
    // One stream read, not a fold of the whole log: a data folder with a long history must not
    // hold the start-up for it. The demo ministry's stream exists once the demo was imported.
    const ministryStream = await this.sources.store.readStream(institutionStream(DEMO_INSTITUTIONS[0].registrationNumber), { maxCount: 1 });
    if (ministryStream.found) return;
    await this.index.refresh();
    if (this.index.hasInstitutions) return;
    const actor: Actor = { id: 'system:initial-import', role: 'system' };
    const at = rigaInstant(this.sources.clock.now());
    await importInstitutionList(demoInstitutionList(), this.index, this.streams, { actor, at, correlationId: 'initial-import' });
    const ministry = DEMO_INSTITUTIONS[0].registrationNumber;
    const loaded = await this.streams.loadInstitution(ministry);
    const events = decideInstitution({ type: 'AddRepresentative', registrationNumber: ministry, actor, at, personalCode: DEMO_REPRESENTATIVE_CODE }, loaded.state);
    await this.streams.appendInstitution(ministry, events, loaded.revision, { actor: actor.id, correlationId: 'initial-import', occurredAt: at });
  }
}
