/**
 * Local mode's initial import: the demo institutions and the demo representative, once, so that
 * `npm run demo` passes the registry's checks; the gate then admits that representative only.
 */
import { InMemoryEventStore } from '@atlauja/event-store';
import type { Principal } from '@atlauja/auth';
import { institutionState } from '@atlauja/commands';
import { institutionFact } from '@atlauja/domain';
import { DEMO_REPRESENTATIVE_CODE } from '../store/trust-material';
import { Startup } from '../health/startup';
import { DemoRegistrySeed, demoInstitutionList } from './demo-registry';
import { DEMO_INSTITUTIONS } from './institution-directory';
import { RegistryGate } from './registry-gate';
import { RegistryWrites } from './registry-writes';

const MINISTRY = DEMO_INSTITUTIONS[0].registrationNumber;

function build(seedDemo = true) {
  const store = new InMemoryEventStore();
  const clock = { now: () => new Date('2025-03-01T08:00:00Z') };
  const startup = new Startup();
  const seed = new DemoRegistrySeed({ seedDemo }, store, clock, new RegistryWrites(), startup);
  // As the api's bootstrap does: the seed starts, and the start is over when it has finished.
  const bootstrap = () => {
    seed.onApplicationBootstrap();
    return startup.done;
  };
  return { store, bootstrap, gate: new RegistryGate(store) };
}

const representative = (subject: string): Principal => ({ subject, roles: ['representative'], institutions: [MINISTRY] });

describe('the initial import of local mode', () => {
  it('registers the demo institutions with their facts and the demo representative, once', async () => {
    const { store, bootstrap } = build();
    await bootstrap();
    const facts = await Promise.all(DEMO_INSTITUTIONS.map(async (f) => institutionFact(await institutionState(store, f.registrationNumber))));
    expect(facts).toEqual(DEMO_INSTITUTIONS);
    expect((await institutionState(store, MINISTRY)).representatives).toEqual([DEMO_REPRESENTATIVE_CODE]);
    const head = await store.headPosition();
    await bootstrap();
    expect(await store.headPosition()).toBe(head);
  });

  it('admits the demo representative and refuses another holding the same token claim', async () => {
    const { bootstrap, gate } = build();
    await bootstrap();
    await expect(gate.admitApplication('application.draft', MINISTRY, representative(DEMO_REPRESENTATIVE_CODE))).resolves.toBeUndefined();
    await expect(gate.admitApplication('application.draft', MINISTRY, representative('329999-00077'))).rejects.toMatchObject({ rule: 'NOT_REPRESENTATIVE_IN_REGISTRY' });
    // An institution the registry does not hold is left to the token.
    await expect(gate.admitApplication('application.draft', '90000000999', representative('329999-00077'))).resolves.toBeUndefined();
  });

  it('does nothing outside local mode', async () => {
    const { store, bootstrap } = build(false);
    await bootstrap();
    expect(await store.headPosition()).toBe(0n);
  });

  it('writes the demo list in the import’s CSV shape', () => {
    expect(demoInstitutionList().split('\n')[0]).toBe('registration_number;name;type;higher_institution;coordination_variant');
  });
});
