/**
 * The commands of the model-based test, one class per request a person makes (see step.ts for what
 * each does around its request), and the arbitrary of their sequences, the races included.
 */
import fc from 'fast-check';
import { PERSONS, World } from './real-system';
import { DECIDERS, OK, WORKING, type Decider, type Kind, type Prediction, type RightsModel, type Slot } from './reference-model';
import { RaceApprovalAndMerge, RaceChanges, RaceNewUsers } from './races';
import { expectAnswer, expectMergeReply, pickApp, Step, type Cmd } from './step';

export { executed } from './step';

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

/** The e-service's question agrees with the model: allow with the grant, deny `locked` during a campaign, else deny with why the last grant ended. */
class AskEService extends Step {
  constructor(readonly slot: Slot, readonly person: number) {
    super();
  }
  async act(m: RightsModel, w: World) {
    await w.settle();
    const res = await w.ask(this.slot, this.person);
    const grant = m.grantOf(this.slot, this.person);
    const inst = m.institutions[this.slot];
    const ended = m.lastEnded.get(`${this.slot}|${this.person}`);
    const expected = grant
      ? inst.campaign
        ? { decision: 'deny', reason: 'locked', application: grant }
        : { decision: 'allow', application: grant }
      : ended
        ? { decision: 'deny', reason: ended.reason, application: ended.application }
        : { decision: 'deny', reason: 'not-granted' };
    if (res.status !== 200 || Object.entries(expected).some(([k, v]) => res.body[k] !== v)) {
      throw new Error(`${this}: the model expects ${JSON.stringify(expected)}, the e-service answered ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  toString() {
    return `askEService(${this.slot}, p${this.person})`;
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
