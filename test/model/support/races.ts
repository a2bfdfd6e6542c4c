/**
 * Interleavings: two conflicting requests fired at once on the real application. Whichever wins,
 * the invariants must hold and the loser must be refused with a named code (or the store's
 * expected revision, 409); the model records the real winner.
 */
import type { Response } from 'supertest';
import type { World } from './real-system';
import { OK, type Decider, type ModelApplication, type RightsModel, type Slot } from './reference-model';
import { expectAnswer, expectMergeReply, Step } from './step';

/** Takes a fresh new-user application for `person` at `slot` to signed; the model records it. */
async function signedNewUser(m: RightsModel, w: World, slot: Slot, person: number): Promise<ModelApplication> {
  const res = await w.draft(slot, person, 'new-user');
  expectAnswer(res, OK, `drafting for a race at ${slot}`);
  m.drafted({ id: res.body.applicationId, kind: 'new-user', institution: slot, person, replaces: null });
  return signedFrom(m, w, res.body.applicationId);
}

async function signedFrom(m: RightsModel, w: World, id: string): Promise<ModelApplication> {
  const app = m.application(id);
  if (app.kind !== 'termination') {
    expectAnswer(await w.setRights(id, app.institution, 'drafter'), OK, 'setting rights for a race');
    app.rightsSet = true;
  }
  expectAnswer(await w.submit(id), OK, 'submitting for a race');
  expectAnswer(await w.sign(id), OK, 'signing for a race');
  app.status = 'signed';
  return app;
}

async function claimed(m: RightsModel, w: World, app: ModelApplication, who: Decider): Promise<void> {
  expectAnswer(await w.claim(app.id, who), OK, `claiming ${app.id} for a race`);
  app.claimedBy = who;
}

/** A lost approval: refused by the grant's reservation, or by the store's expected revision. */
function expectLost(res: Response, codes: readonly string[], what: string): void {
  const lost = (res.status === 422 && codes.includes(res.body?.code)) || (res.status === 409 && res.body?.code === 'CONCURRENT_CHANGE');
  if (!lost) throw new Error(`${what}: the loser answered ${res.status} ${res.body?.code ?? ''} ${res.body?.detail ?? ''}, not a named refusal`);
}

const canDecideAt = (m: Readonly<RightsModel>, slot: Slot) => !m.institutions[slot].merged && m.institutions[slot].campaign === null;

/** Two new-user applications for one person, approved at once by two approvers: one grant. */
export class RaceNewUsers extends Step {
  constructor(readonly slot: Slot, readonly person: number) {
    super();
  }
  override check(m: Readonly<RightsModel>) {
    return canDecideAt(m, this.slot) && !m.grantOf(this.slot, this.person) && this.person !== m.approverPerson;
  }
  async act(m: RightsModel, w: World) {
    const first = await signedNewUser(m, w, this.slot, this.person);
    const second = await signedNewUser(m, w, this.slot, this.person);
    await claimed(m, w, first, 'approver');
    await claimed(m, w, second, 'secondApprover');
    const answers = await Promise.all([w.approve(first.id, 'approver'), w.approve(second.id, 'secondApprover')]);
    const won = answers.map((r) => r.status === 200);
    if (won.filter(Boolean).length !== 1) throw new Error(`${this}: ${answers.map((r) => `${r.status} ${r.body?.code ?? ''}`).join(' and ')}; exactly one approval must win`);
    const [winner, loser] = won[0] ? [first, second] : [second, first];
    expectLost(answers[won[0] ? 1 : 0], ['GRANT_IN_FORCE'], this.toString());
    m.approved(winner);
    void loser; // stays signed, claimed by its approver
  }
  toString() {
    return `raceNewUsers(${this.slot}, p${this.person})`;
  }
}

/** Two changes drafted from one grant, approved at once: the first reservation wins, the other is GRANT_CHANGED. */
export class RaceChanges extends Step {
  constructor(readonly n: number) {
    super();
  }
  override check(m: Readonly<RightsModel>) {
    return [...m.grants.values()].some((id) => {
      const a = m.applications.find((x) => x.id === id);
      return a !== undefined && canDecideAt(m, a.institution) && a.person !== m.approverPerson;
    });
  }
  async act(m: RightsModel, w: World) {
    const grants = [...m.grants.values()].map((id) => m.application(id)).filter((a) => canDecideAt(m, a.institution) && a.person !== m.approverPerson);
    const grant = grants[this.n % grants.length];
    const changes: ModelApplication[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await w.draft(grant.institution, grant.person, 'change', grant.id);
      expectAnswer(res, OK, `${this}: drafting change ${i}`);
      m.drafted({ id: res.body.applicationId, kind: 'change', institution: grant.institution, person: grant.person, replaces: grant.id });
      changes.push(await signedFrom(m, w, res.body.applicationId));
    }
    await claimed(m, w, changes[0], 'approver');
    await claimed(m, w, changes[1], 'secondApprover');
    const answers = await Promise.all([w.approve(changes[0].id, 'approver'), w.approve(changes[1].id, 'secondApprover')]);
    const won = answers.map((r) => r.status === 200);
    if (won.filter(Boolean).length !== 1) throw new Error(`${this}: ${answers.map((r) => `${r.status} ${r.body?.code ?? ''}`).join(' and ')}; exactly one change must win`);
    expectLost(answers[won[0] ? 1 : 0], ['GRANT_CHANGED'], this.toString());
    m.approved(changes[won[0] ? 0 : 1]);
  }
  toString() {
    return `raceChanges(#${this.n})`;
  }
}

/** An approval and the merge of its institution at once: either the approval is ended by the merge, or it is refused and the application closed. */
export class RaceApprovalAndMerge extends Step {
  constructor(readonly slot: Slot, readonly person: number) {
    super();
  }
  override check(m: Readonly<RightsModel>) {
    return canDecideAt(m, this.slot) && !m.grantOf(this.slot, this.person) && this.person !== m.approverPerson;
  }
  async act(m: RightsModel, w: World) {
    const app = await signedNewUser(m, w, this.slot, this.person);
    await claimed(m, w, app, 'approver');
    const [approval, merge] = await Promise.all([w.approve(app.id, 'approver'), w.merge(this.slot, 'T')]);
    expectAnswer(merge, OK, `${this}: the merge`);
    if (approval.status === 200) {
      m.approved(app);
    } else {
      expectLost(approval, ['INSTITUTION_NOT_ACTIVE', 'TRANSITION_NOT_ALLOWED'], this.toString());
    }
    expectMergeReply(merge, m.merged(this.slot), `${this} (the approval answered ${approval.status})`);
  }
  toString() {
    return `raceApprovalAndMerge(${this.slot}, p${this.person})`;
  }
}


