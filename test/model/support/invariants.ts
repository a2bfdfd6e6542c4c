/**
 * The invariants that span streams, checked on the real state after a command: the rights register
 * (through the API, as an auditor) and the streams themselves (the log is the truth the register is
 * built from). They hold whatever the model says; the last check is that the register equals the model.
 */
import type { RecordedEvent } from '@atlauja/event-store';
import { PERSONS, World } from './real-system';
import type { RightsModel, Slot } from './reference-model';

const TOUCHING = ['ApplicationDrafted', 'DraftEdited', 'RightsSet', 'ApplicationSubmitted', 'ApplicationSigned'];
const DECIDING = ['ApplicationClaimed', 'ApplicationApproved', 'ApplicationRejected'];
const SLOTS: Slot[] = ['A', 'B', 'T'];

async function events(world: World, stream: string): Promise<RecordedEvent[]> {
  const read = await world.h.store.readStream(stream);
  return read.found ? read.events : [];
}

export async function assertInvariants(model: RightsModel, world: World): Promise<void> {
  await world.settle();
  const problems: string[] = [];

  // At most one grant in force per person per institution; none at a merged institution; and the register is the model's.
  for (const slot of SLOTS) {
    const held = await world.rightsHeld(slot);
    for (const [person, ids] of held) {
      if (ids.length > 1) problems.push(`two grants in force for person ${person} at ${slot}: ${ids.join(', ')}`);
      if (model.institutions[slot].merged) problems.push(`a right in force at the merged institution ${slot}: ${ids.join(', ')}`);
    }
    for (let person = 0; person < PERSONS.length; person++) {
      const real = held.get(person) ?? [];
      const expected = model.grantOf(slot, person);
      if (JSON.stringify(real) !== JSON.stringify(expected ? [expected] : [])) {
        problems.push(`register at ${slot} for person ${person}: ${JSON.stringify(real)}, the model says ${JSON.stringify(expected ?? null)}`);
      }
    }
  }

  // The lock windows of each institution, by log position: [locked, unlocked).
  const windows = new Map<string, [bigint, bigint][]>();
  for (const slot of SLOTS) {
    const reg = world.regs[slot];
    const list: [bigint, bigint][] = [];
    for (const e of await events(world, `institution-${reg}`)) {
      if (e.type === 'InstitutionLockedForRecertification') list.push([e.position, BigInt(Number.MAX_SAFE_INTEGER) * 1000n]);
      if (e.type === 'InstitutionUnlocked' && list.length > 0) list[list.length - 1][1] = e.position;
    }
    windows.set(reg, list);
  }

  const streams = new Map<string, RecordedEvent[]>();
  for (const app of model.applications) streams.set(app.id, await events(world, `application-${app.id}`));
  for (const [id, stream] of streams) {
    const drafted = stream.find((e) => e.type === 'ApplicationDrafted');
    if (!drafted) continue;
    const data = drafted.data as { institution: string; user: { personalCode: string }; kind: string; replaces?: string };
    const touched = new Set(stream.filter((e) => TOUCHING.includes(e.type)).map((e) => e.metadata.actor));
    for (const e of stream) {
      // Four eyes: nothing claimed or decided by who touched it, nor by its own user.
      if (DECIDING.includes(e.type) && (touched.has(e.metadata.actor) || e.metadata.actor === data.user.personalCode)) {
        problems.push(`${e.type} of ${id} by ${e.metadata.role} who touched it or is its user`);
      }
      // The lockout: during a campaign only the system and the administrator act on the institution's applications.
      const locked = (windows.get(data.institution) ?? []).some(([from, to]) => e.position > from && e.position < to);
      if (locked && e.metadata.role !== 'system' && e.metadata.role !== 'admin') problems.push(`${e.type} of ${id} by a ${e.metadata.role} while ${data.institution} was locked`);
    }
    // A change or termination, once approved, replaced a grant of the same institution and the same person.
    if (data.replaces && stream.some((e) => e.type === 'ApplicationApproved')) {
      const replaced = (streams.get(data.replaces) ?? (await events(world, `application-${data.replaces}`))).find((e) => e.type === 'ApplicationDrafted');
      const r = replaced?.data as { institution: string; user: { personalCode: string } } | undefined;
      if (!r || r.institution !== data.institution || r.user.personalCode !== data.user.personalCode) {
        problems.push(`the ${data.kind} ${id} at ${data.institution} replaced ${data.replaces}, a grant of ${r?.institution ?? 'nothing'} for another person or institution`);
      }
    }
  }
  if (problems.length > 0) throw new Error(`invariants broken:\n- ${problems.join('\n- ')}`);
}
