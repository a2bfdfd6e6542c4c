import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { importInstitutionList, INSTITUTION_COMMANDS, runEntry } from '@atlauja/commands';
import { institutionStream, type Actor } from '@atlauja/domain';
import type { EventStore } from '@atlauja/event-store';
import { rigaInstant } from '../store/riga-time';
import { CLOCK, EVENT_STORE, type Clock } from '../store/tokens';
import { DEMO_REPRESENTATIVE_CODE } from '../store/trust-material';
import { DEMO_INSTITUTIONS } from './institution-directory';
import { RegistryWrites } from './registry-writes';
import { Startup } from '../health/startup';

export const REGISTRY_OPTIONS = Symbol('REGISTRY_OPTIONS');
export interface RegistryOptions {
  /** Local mode on its own data folder: start the registry with the demo institutions. */
  seedDemo: boolean;
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

/** Who records the initial import: a process, not a person. */
const INITIAL_IMPORT: Actor = { id: 'system:initial-import', role: 'system' };

/**
 * Local mode starts with the demo institutions (and the demo representative at the ministry) as an
 * initial import when the registry is empty, so `npm run demo` works against the registry. Both go
 * the commands' one way (the import's entries, then AddRepresentative).
 */
@Injectable()
export class DemoRegistrySeed implements OnApplicationBootstrap {
  constructor(
    @Inject(REGISTRY_OPTIONS) private readonly options: RegistryOptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly writes: RegistryWrites,
    private readonly startup: Startup,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.seedDemo) this.startup.run(() => this.seed());
  }

  private async seed(): Promise<void> {
    // One stream read, not a fold of the whole log: a data folder with a long history must not hold
    // the start-up for it. The demo ministry's stream exists once the demo was imported.
    const ministry = DEMO_INSTITUTIONS[0].registrationNumber;
    if ((await this.store.readStream(institutionStream(ministry), { maxCount: 1 })).found) return;
    const now = this.clock.now();
    const options = { actor: INITIAL_IMPORT, now, at: rigaInstant(now), correlationId: 'initial-import' };
    const ports = { store: this.store, holdersAt: async () => [] };
    await importInstitutionList(demoInstitutionList(), ports, options);
    const added = await runEntry(this.store, INSTITUTION_COMMANDS.addRepresentative, ministry, { personalCode: DEMO_REPRESENTATIVE_CODE }, options, ports);
    this.writes.recorded(added.position);
  }
}
