/**
 * The commands of the model-based test. Each one sends the real request(s) through the harness,
 * asserts the real answer against the model's prediction (success, or the refusal's status and
 * code), records the outcome in the model, and then checks the invariants on the real state.
 * The races fire two conflicting requests at once and accept whichever wins, as long as the
 * invariants hold and the loser is refused with a named code.
 */
import fc from 'fast-check';
import type { Response } from 'supertest';
import { assertInvariants } from './invariants';
import { PERSONS, World } from './real-system';
import { DECIDERS, OK, WORKING, type Decider, type Kind, type ModelApplication, type Prediction, type RightsModel, type Slot } from './reference-model';

type Cmd = fc.AsyncCommand<RightsModel, World>;

/** How many commands ran (past their precondition), by kind, for the report. */
export const executed = { count: 0, byKind: new Map<string, number>() };

/** The real answer is the predicted one; otherwise the failure names the command and both answers. */
function expectAnswer(res: Response, predicted: Prediction, what: string): void {
  const matches = predicted.ok ? res.status >= 200 && res.status < 300 : res.status === predicted.status && res.body?.code === predicted.code;
  if (!matches) {
    const wanted = predicted.ok ? 'success' : `${predicted.status} ${predicted.code}`;
    throw new Error(`${what}: the model predicts ${wanted}, the application answered ${res.status} ${res.body?.code ?? ''} ${res.body?.detail ?? ''}`);
  }
}

/** The merge's reply lists exactly the rights it ended and the undecided applications it closed (omitted when none). */
function expectMergeReply(res: Response, expected: { ended: string[]; closed: string[] }, what: string): void {
  const real = { ended: [...(res.body.rightsEnded?.ended ?? [])].sort(), closed: [...(res.body.applicationsClosed ?? [])].sort() };
  if (JSON.stringify(real) !== JSON.stringify(expected)) throw new Error(`${what}: the merge reply says ${JSON.stringify(real)}, the model ${JSON.stringify(expected)}`);
}

/** Picks an application: among those in `focus` states when asked to and there are some, else among all. */
function pickApp(m: RightsModel, n: number, focus: boolean, statuses: readonly string[]): ModelApplication | undefined {
  return (focus && m.pick(n, (a) => statuses.includes(a.status))) || m.pick(n);
}

abstract class Step implements Cmd {
  check(_m: Readonly<RightsModel>): boolean {
    return true;
  }
  async run(m: RightsModel, w: World): Promise<void> {
    executed.count += 1;
    executed.byKind.set(this.constructor.name, (executed.byKind.get(this.constructor.name) ?? 0) + 1);
    await this.act(m, w);
    await assertInvariants(m, w);
  }
  protected abstract act(m: RightsModel, w: World): Promise<void>;
  abstract toString(): string;
}

class DraftNewUser extends Step {
  constructor(readonly slot: Slot, readonly person: number) {
    super();
  }
  async act(m: RightsModel, w: World) {
    const predicted = m.predictNewUser(this.slot, this.person);
    const res = await w.draft(this.slot, this.person, 'new-user');
    expectAnswer(res, predicted, this.toString());
    if (predicted.ok) m.drafted({ id: res.body.applicationId, kind: 'new-user', institution: this.slot, person: this.person, replaces: null });
  }
  toString() {
    return `draftNewUser(${this.slot}, p${this.person})`;
  }
}

/** A change or termination drafted at `slot` naming an application (perhaps another institution's, another person's, not in force). */
class DraftReplacement extends Step {
  constructor(readonly kind: Exclude<Kind, 'new-user'>, readonly n: number, readonly slot: Slot | 'own', readonly otherPerson: number | null) {
    super();
  }
  override check(m: Readonly<RightsModel>) {
    return m.applications.length > 0;
  }
  async act(m: RightsModel, w: World) {
    const replaced = pickApp(m, this.n, true, ['approved'])!;
    const slot = this.slot === 'own' ? replaced.institution : this.slot;
    const person = this.otherPerson ?? replaced.person;
    const predicted = m.predictReplacement(slot, person, replaced);
    const res = await w.draft(slot, person, this.kind, replaced.id);
    expectAnswer(res, predicted, `${this} naming ${replaced.kind} at ${replaced.institution} for p${replaced.person} (${replaced.status})`);
    if (predicted.ok) m.drafted({ id: res.body.applicationId, kind: this.kind, institution: slot, person, replaces: replaced.id });
  }
  toString() {
    return `draft${this.kind === 'change' ? 'Change' : 'Termination'}(#${this.n}, at ${this.slot}${this.otherPerson === null ? '' : `, for p${this.otherPerson}`})`;
  }
}

class SetRights extends Step {
  constructor(readonly n: number, readonly who: 'drafter' | 'editor') {
    super();
  }
  override check(m: Readonly<RightsModel>) {
    return m.applications.length > 0;
  }
  async act(m: RightsModel, w: World) {
    const app = pickApp(m, this.n, true, ['draft'])!;
    const predicted = m.predictSetRights(app);
    expectAnswer(await w.setRights(app.id, app.institution, this.who), predicted, this.toString());
    if (predicted.ok) {
      app.rightsSet = true;
      app.touched.add(this.who);
    }
  }
  toString() {
    return `setRights(#${this.n}, by ${this.who})`;
  }
}

class Submit extends Step {
  constructor(readonly n: number) {
    super();
  }
  override check(m: Readonly<RightsModel>) {
    return m.applications.length > 0;
  }
  async act(m: RightsModel, w: World) {
    const app = pickApp(m, this.n, true, ['draft'])!;
    const predicted = m.predictSubmit(app);
    expectAnswer(await w.submit(app.id), predicted, this.toString());
    if (predicted.ok) app.status = 'submitted';
  }
  toString() {
    return `submit(#${this.n})`;
  }
}

class Sign extends Step {
  constructor(readonly n: number) {
    super();
  }
  override check(m: Readonly<RightsModel>) {
    return m.applications.length > 0;
  }
  async act(m: RightsModel, w: World) {
    const app = pickApp(m, this.n, true, ['submitted'])!;
    const predicted = m.predictSign(app);
    expectAnswer(await w.sign(app.id), predicted, this.toString());
    if (predicted.ok) app.status = 'signed';
  }
  toString() {
    return `sign(#${this.n})`;
  }
}

/** Claim, then approve or reject, by an approver, the editor or the drafter (both also approvers). */
class Decide extends Step {
  constructor(readonly n: number, readonly who: Decider, readonly decision: 'approve' | 'reject') {
    super();
  }
  override check(m: Readonly<RightsModel>) {
    return m.applications.length > 0;
  }
  async act(m: RightsModel, w: World) {
    const app = pickApp(m, this.n, true, ['signed'])!;
    const what = `${this} of a ${app.kind} at ${app.institution} for p${app.person}`;
    const claim = m.predictClaim(app, this.who);
    expectAnswer(await w.claim(app.id, this.who), claim, `${what}: the claim`);
    if (!claim.ok) return;
    app.claimedBy = this.who;
    const predicted = this.decision === 'approve' ? m.predictApproveAfterClaim(app) : OK;
    const res = this.decision === 'approve' ? await w.approve(app.id, this.who) : await w.reject(app.id, this.who);
    expectAnswer(res, predicted, what);
    if (!predicted.ok) return;
    if (this.decision === 'approve') m.approved(app);
    else {
      app.status = 'rejected';
      app.claimedBy = null;
    }
  }
  toString() {
    return `${this.decision}(#${this.n}, by ${this.who})`;
  }
}

class Revoke extends Step {
  constructor(readonly n: number) {
    super();
  }
  override check(m: Readonly<RightsModel>) {
    return m.applications.length > 0;
  }
  async act(m: RightsModel, w: World) {
    const app = pickApp(m, this.n, true, ['approved'])!;
    const predicted = m.predictRevoke(app);
    expectAnswer(await w.revoke(app.id), predicted, `${this} of a ${app.kind} at ${app.institution} for p${app.person} (${app.status})`);
    if (predicted.ok) m.revoked(app);
  }
  toString() {
    return `revoke(#${this.n})`;
  }
}

class Merge extends Step {
  constructor(readonly slot: Slot) {
    super();
  }
  async act(m: RightsModel, w: World) {
    if (m.institutions[this.slot].merged) {
      expectAnswer(await w.merge(this.slot, 'T'), { ok: false, status: 422, code: 'TRANSITION_NOT_ALLOWED' }, this.toString());
      return;
    }
    const res = await w.merge(this.slot, 'T');
    expectAnswer(res, OK, this.toString());
    // The reply names exactly what the merge ended and closed.
    expectMergeReply(res, m.merged(this.slot), this.toString());
  }
  toString() {
    return `merge(${this.slot} into T)`;
  }
}

class OpenCampaign extends Step {
  constructor(readonly slot: Slot) {
    super();
  }
  async act(m: RightsModel, w: World) {
    const inst = m.institutions[this.slot];
    const predicted: Prediction = inst.merged ? { ok: false, status: 422, code: 'TRANSITION_NOT_ALLOWED' } : inst.campaign ? { ok: false, status: 422, code: 'CAMPAIGN_ALREADY_OPEN' } : OK;
    const res = await w.openCampaign(this.slot);
    expectAnswer(res, predicted, this.toString());
    if (predicted.ok) m.campaignOpened(this.slot, res.body.campaignId);
  }
  toString() {
    return `openCampaign(${this.slot})`;
  }
}

/** The representative confirms some of the holders and completes a campaign open somewhere: the others lose their rights, the lock lifts. */
class CompleteCampaign extends Step {
  constructor(readonly n: number, readonly confirm: readonly boolean[]) {
    super();
  }
  private slotOf(m: Readonly<RightsModel>): Slot | undefined {
    const open = WORKING.filter((s) => m.institutions[s].campaign !== null);
    return open.length === 0 ? undefined : open[this.n % open.length];
  }
  override check(m: Readonly<RightsModel>) {
    return this.slotOf(m) !== undefined;
  }
  async act(m: RightsModel, w: World) {
    const slot = this.slotOf(m)!;
    const inst = m.institutions[slot];
    const campaign = inst.campaign!;
    const confirmed = new Set([...inst.holders.keys()].filter((p) => this.confirm[p]));
    // Its representatives stay listed after a merge: a campaign open at the merge still completes and lifts the lock.
    for (const person of confirmed) expectAnswer(await w.confirm(campaign, person), OK, `${this} at ${slot}: confirming p${person}`);
    expectAnswer(await w.complete(campaign), OK, `${this} at ${slot}`);
    m.campaignCompleted(slot, confirmed);
  }
  toString() {
    return `completeCampaign(#${this.n}, confirming ${this.confirm.map((c, i) => (c ? `p${i}` : '')).filter(Boolean).join(' ') || 'nobody'})`;
  }
}

/** The e-service's question agrees with the model: allow with the grant, deny `locked` during a campaign, deny otherwise. */
class AskEService extends Step {
  constructor(readonly slot: Slot, readonly person: number) {
    super();
  }
  async act(m: RightsModel, w: World) {
    await w.settle();
    const res = await w.ask(this.slot, this.person);
    const grant = m.grantOf(this.slot, this.person);
    const inst = m.institutions[this.slot];
    const expected = grant
      ? inst.campaign
        ? { decision: 'deny', reason: 'locked', application: grant }
        : { decision: 'allow', application: grant }
      : m.everGranted.has(`${this.slot}|${this.person}`)
        ? { decision: 'deny' }
        : { decision: 'deny', reason: 'not-granted' };
    if (res.status !== 200 || Object.entries(expected).some(([k, v]) => res.body[k] !== v)) {
      throw new Error(`${this}: the model expects ${JSON.stringify(expected)}, the e-service answered ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  toString() {
    return `askEService(${this.slot}, p${this.person})`;
  }
}

// ---- interleavings: two conflicting commands at once ----

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
class RaceNewUsers extends Step {
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
class RaceChanges extends Step {
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
class RaceApprovalAndMerge extends Step {
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


// ---- the arbitrary ----

const slot = fc.constantFrom<Slot>(...WORKING);
const anySlot = fc.constantFrom<Slot>('A', 'B', 'T');
const person = fc.nat({ max: PERSONS.length - 1 });
const n = fc.nat({ max: 50 });

export function rightsCommands(maxCommands: number): fc.Arbitrary<Iterable<Cmd>> {
  // The steps of an application's way come three times: sequences go deep enough to reach approvals, changes and their conflicts.
  const lifecycle = [
    fc.tuple(slot, person).map(([s, p]) => new DraftNewUser(s, p)),
    fc.tuple(n, fc.constantFrom<'drafter' | 'editor'>('drafter', 'editor')).map(([i, who]) => new SetRights(i, who)),
    n.map((i) => new Submit(i)),
    n.map((i) => new Sign(i)),
    fc.tuple(n, fc.constantFrom<Decider>(...DECIDERS), fc.constantFrom<'approve' | 'reject'>('approve', 'approve', 'reject')).map(([i, who, d]) => new Decide(i, who, d)),
  ];
  return fc.commands(
    [
      ...lifecycle,
      ...lifecycle,
      ...lifecycle,
      fc.tuple(fc.constantFrom<'change' | 'termination'>('change', 'termination'), n, fc.oneof(fc.constant<'own'>('own'), anySlot), fc.option(person, { freq: 3 })).map(
        ([k, i, s, p]) => new DraftReplacement(k, i, s, p),
      ),
      n.map((i) => new Revoke(i)),
      slot.map((s) => new Merge(s)),
      slot.map((s) => new OpenCampaign(s)),
      fc.tuple(n, fc.array(fc.boolean(), { minLength: PERSONS.length, maxLength: PERSONS.length })).map(([i, c]) => new CompleteCampaign(i, c)),
      fc.tuple(n, fc.array(fc.boolean(), { minLength: PERSONS.length, maxLength: PERSONS.length })).map(([i, c]) => new CompleteCampaign(i, c)),
      fc.tuple(anySlot, person).map(([s, p]) => new AskEService(s, p)),
      fc.tuple(slot, person).map(([s, p]) => new RaceNewUsers(s, p)),
      n.map((i) => new RaceChanges(i)),
      n.map((i) => new RaceChanges(i)),
      fc.tuple(slot, person).map(([s, p]) => new RaceApprovalAndMerge(s, p)),
    ],
    { maxCommands, size: 'max' },
  );
}
