/**
 * Local mode's initial import: the demo institutions and the demo representative, once, so that
 * `npm run demo` passes the registry's checks; the gate then admits that representative only.
 */
import { InMemoryEventStore } from '@atlauja/event-store';
import type { Principal } from '@atlauja/auth';
import { DEMO_REPRESENTATIVE_CODE } from '../store/trust-material';
import { RegistryApplicationGate } from './application-gate';
import { DemoRegistrySeed, demoInstitutionList } from './demo-registry';
import { DEMO_INSTITUTIONS, RegistryInstitutionDirectory, StaticInstitutionDirectory } from './institution-directory';
import { RegistryIndex } from './registry-index';
import type { RegistrySources } from './registry-sources';
import { RegistryStreams } from './registry-streams';

const MINISTRY = DEMO_INSTITUTIONS[0].registrationNumber;

function build(seedDemo = true) {
  const store = new InMemoryEventStore();
  const sources = { store, clock: { now: () => new Date('2025-03-01T08:00:00Z') } } as unknown as RegistrySources;
  const index = new RegistryIndex(sources);
  const streams = new RegistryStreams(sources);
  return { store, index, seed: new DemoRegistrySeed({ seedDemo }, sources, index, streams), gate: new RegistryApplicationGate(index) };
}

const representative = (subject: string): Principal => ({ subject, roles: ['representative'], institutions: [MINISTRY] });

describe('the initial import of local mode', () => {
  it('registers the demo institutions with their facts and the demo representative, once', async () => {
    const { store, index, seed } = build();
    await seed.onApplicationBootstrap();
    const directory = new RegistryInstitutionDirectory(index, new StaticInstitutionDirectory([]));
    expect(Object.values(await directory.facts(DEMO_INSTITUTIONS.map((f) => f.registrationNumber))).sort((a, b) => a.registrationNumber.localeCompare(b.registrationNumber))).toEqual(DEMO_INSTITUTIONS);
    expect(index.institution(MINISTRY)?.representatives).toEqual([DEMO_REPRESENTATIVE_CODE]);
    const head = await store.headPosition();
    await seed.onApplicationBootstrap();
    expect(await store.headPosition()).toBe(head);
  });

  it('admits the demo representative and refuses another holding the same token claim', async () => {
    const { seed, gate } = build();
    await seed.onApplicationBootstrap();
    await expect(gate.admit({ capability: 'application.draft', startsStream: true, institution: MINISTRY, principal: representative(DEMO_REPRESENTATIVE_CODE) })).resolves.toBeUndefined();
    await expect(gate.admit({ capability: 'application.draft', startsStream: true, institution: MINISTRY, principal: representative('329999-00077') })).rejects.toMatchObject({ rule: 'NOT_REPRESENTATIVE_IN_REGISTRY' });
    // An institution the registry does not hold is left to the token.
    await expect(gate.admit({ capability: 'application.draft', startsStream: true, institution: '90000000999', principal: representative('329999-00077') })).resolves.toBeUndefined();
  });

  it('does nothing outside local mode, and the directory then answers from the fixed list', async () => {
    const { index, seed } = build(false);
    await seed.onApplicationBootstrap();
    expect(index.hasInstitutions).toBe(false);
    const directory = new RegistryInstitutionDirectory(index, new StaticInstitutionDirectory(DEMO_INSTITUTIONS));
    expect(await directory.get(MINISTRY)).toEqual(DEMO_INSTITUTIONS[0]);
  });

  it('writes the demo list in the import’s CSV shape', () => {
    expect(demoInstitutionList().split('\n')[0]).toBe('registration_number;name;type;higher_institution;coordination_variant');
  });
});
