/**
 * The reference model of the rights: a few institutions, the applications drafted at them, and the
 * grant in force per (institution, person). Each command of the model-based test asks it what the
 * real application must answer (success, or the refusal with its code) and then records the outcome.
 * It is deliberately small and sequential: the rules as a reader of docs/commands.md states them.
 */

/** Who acts: the representatives (who may also hold the approver role), the two approvers, the administrator. */
export type Who = 'drafter' | 'editor' | 'approver' | 'secondApprover' | 'admin';
export const DECIDERS = ['approver', 'secondApprover', 'editor', 'drafter'] as const;
export type Decider = (typeof DECIDERS)[number];

export type Slot = 'A' | 'B' | 'T';
/** A and B are where applications are drafted; T is the institution that takes the others over. */
export const WORKING: readonly Slot[] = ['A', 'B'];

export type Kind = 'new-user' | 'change' | 'termination';
export type Status = 'draft' | 'submitted' | 'signed' | 'approved' | 'rejected' | 'closed' | 'ended' | 'revoked';

export interface ModelInstitution {
  merged: boolean;
  /** The open campaign's id, or null. */
  campaign: string | null;
  /** The holders when the campaign opened (person → application), to be confirmed or lose their rights. */
  holders: Map<number, string>;
}

export interface ModelApplication {
  id: string;
  kind: Kind;
  institution: Slot;
  /** Index into the person pool. */
  person: number;
  replaces: string | null;
  status: Status;
  rightsSet: boolean;
  /** Who drafted, edited, set rights, submitted or signed it (four eyes). */
  touched: Set<Who>;
  claimedBy: Decider | null;
}

/** The outcome the model predicts for a request: success, or the HTTP status and stable code of the refusal. */
export type Prediction = { ok: true } | { ok: false; status: number; code: string };
export const OK: Prediction = { ok: true };
export const refused = (status: number, code: string): Prediction => ({ ok: false, status, code });

export class RightsModel {
  readonly institutions: Record<Slot, ModelInstitution> = {
    A: { merged: false, campaign: null, holders: new Map() },
    B: { merged: false, campaign: null, holders: new Map() },
    T: { merged: false, campaign: null, holders: new Map() },
  };
  readonly applications: ModelApplication[] = [];
  /** `${slot}|${person}` → the application in force. */
  readonly grants = new Map<string, string>();
  /**
   * `${slot}|${person}` → the grant that ended last and the e-service's reason for it: `revoked`,
   * `ended` (a merge, a campaign), `not-granted` (replaced by a change or ended by a termination).
   */
  readonly lastEnded = new Map<string, { application: string; reason: 'revoked' | 'ended' | 'not-granted' }>();

  constructor(
    /** The person pool's size; the approver's own code is the last one (self-approval). */
    readonly persons: number,
    readonly approverPerson: number,
  ) {}

  grantOf(slot: Slot, person: number): string | undefined {
    return this.grants.get(`${slot}|${person}`);
  }

  application(id: string): ModelApplication {
    const found = this.applications.find((a) => a.id === id);
    if (!found) throw new Error(`the model holds no application ${id}`);
    return found;
  }

  pick(n: number, filter: (a: ModelApplication) => boolean = () => true): ModelApplication | undefined {
    const candidates = this.applications.filter(filter);
    return candidates.length === 0 ? undefined : candidates[n % candidates.length];
  }

  /**
   * The registry's gate, before any rule of the application (its representatives stay listed after a
   * merge): a locked institution runs no application command; drafting, signing and deciding need
   * it active.
   */
  gate(slot: Slot, needsActive: boolean): Prediction | null {
    const inst = this.institutions[slot];
    if (inst.campaign) return refused(423, 'INSTITUTION_LOCKED_FOR_RECERTIFICATION');
    if (inst.merged && needsActive) return refused(422, 'INSTITUTION_NOT_ACTIVE');
    return null;
  }

  predictNewUser(slot: Slot, person: number): Prediction {
    return this.gate(slot, true) ?? (this.grantOf(slot, person) ? refused(422, 'GRANT_IN_FORCE') : OK);
  }

  /** A change or termination drafted at `slot` for `person`, naming `replaced`. */
  predictReplacement(slot: Slot, person: number, replaced: ModelApplication): Prediction {
    const gate = this.gate(slot, true);
    if (gate) return gate;
    // Approved on its stream: in force, or replaced by a later change or termination (the stream stays approved).
    if (replaced.status !== 'approved' || replaced.kind === 'termination') return refused(422, 'REPLACES_NOT_IN_FORCE');
    if (replaced.institution !== slot) return refused(422, 'REPLACES_OTHER_INSTITUTION');
    if (replaced.person !== person) return refused(422, 'REPLACES_OTHER_USER');
    if (this.grantOf(slot, person) !== replaced.id) return refused(422, 'GRANT_CHANGED');
    return OK;
  }

  predictSetRights(app: ModelApplication): Prediction {
    const gate = this.gate(app.institution, false);
    if (gate) return gate;
    if (app.status !== 'draft') return refused(422, 'TRANSITION_NOT_ALLOWED');
    if (app.kind === 'termination') return refused(422, 'RIGHTS_NOT_FOR_TERMINATION');
    return OK;
  }

  predictSubmit(app: ModelApplication): Prediction {
    const gate = this.gate(app.institution, false);
    if (gate) return gate;
    if (app.status !== 'draft') return refused(422, 'TRANSITION_NOT_ALLOWED');
    if (app.kind !== 'termination' && !app.rightsSet) return refused(422, 'RIGHTS_NOT_SET');
    return OK;
  }

  predictSign(app: ModelApplication): Prediction {
    const gate = this.gate(app.institution, true);
    if (gate) return gate;
    return app.status === 'submitted' ? OK : refused(422, 'TRANSITION_NOT_ALLOWED');
  }

  /** Four eyes, whole: nobody who touched it, nobody deciding their own rights. */
  fourEyes(app: ModelApplication, who: Decider): boolean {
    return !app.touched.has(who) && !(who === 'approver' && app.person === this.approverPerson);
  }

  predictClaim(app: ModelApplication, who: Decider): Prediction {
    const gate = this.gate(app.institution, true);
    if (gate) return gate;
    if (app.status !== 'signed') return refused(422, 'TRANSITION_NOT_ALLOWED');
    if (!this.fourEyes(app, who)) return refused(422, 'FOUR_EYES');
    if (app.claimedBy !== null && app.claimedBy !== who) return refused(422, 'CLAIMED_BY_ANOTHER');
    return OK;
  }

  /** The approval once claimed: the grant's reservation decides between competing approvals. */
  predictApproveAfterClaim(app: ModelApplication): Prediction {
    const held = this.grantOf(app.institution, app.person);
    if (app.kind === 'new-user') return held ? refused(422, 'GRANT_IN_FORCE') : OK;
    if (!held) return refused(422, 'GRANT_NOT_IN_FORCE');
    return held === app.replaces ? OK : refused(422, 'GRANT_CHANGED');
  }

  /** The representative revokes: any application approved on its stream (a replaced one too: its stream stays approved). */
  predictRevoke(app: ModelApplication): Prediction {
    return this.gate(app.institution, false) ?? (app.status === 'approved' ? OK : refused(422, 'TRANSITION_NOT_ALLOWED'));
  }

  // ---- what an accepted command changes ----

  revoked(app: ModelApplication): void {
    app.status = 'revoked';
    const key = `${app.institution}|${app.person}`;
    if (this.grants.get(key) === app.id) this.endGrant(key, 'revoked');
  }


  drafted(app: Omit<ModelApplication, 'status' | 'rightsSet' | 'touched' | 'claimedBy'>): void {
    this.applications.push({ ...app, status: 'draft', rightsSet: false, touched: new Set(['drafter']), claimedBy: null });
  }

  approved(app: ModelApplication): void {
    app.status = 'approved';
    app.claimedBy = null;
    const key = `${app.institution}|${app.person}`;
    if (this.grants.has(key)) this.endGrant(key, 'not-granted');
    if (app.kind !== 'termination') this.grants.set(key, app.id);
  }

  private endGrant(key: string, reason: 'revoked' | 'ended' | 'not-granted'): void {
    this.lastEnded.set(key, { application: this.grants.get(key)!, reason });
    this.grants.delete(key);
  }

  /** A merge ends every grant in force there and closes every undecided application. */
  merged(slot: Slot): { ended: string[]; closed: string[] } {
    this.institutions[slot].merged = true;
    const ended: string[] = [];
    for (const [key, id] of [...this.grants]) {
      if (key.startsWith(`${slot}|`)) {
        ended.push(id);
        this.endGrant(key, 'ended');
        this.application(id).status = 'ended';
      }
    }
    const closed: string[] = [];
    for (const app of this.applications) {
      if (app.institution === slot && ['draft', 'submitted', 'signed'].includes(app.status)) {
        closed.push(app.id);
        app.status = 'closed';
        app.claimedBy = null;
      }
    }
    return { ended: ended.sort(), closed: closed.sort() };
  }

  campaignOpened(slot: Slot, campaignId: string): void {
    const inst = this.institutions[slot];
    inst.campaign = campaignId;
    inst.holders = new Map([...this.grants].filter(([key]) => key.startsWith(`${slot}|`)).map(([key, id]) => [Number(key.split('|')[1]), id]));
  }

  /** The campaign completes: the unconfirmed holders' grants end, the lock lifts. */
  campaignCompleted(slot: Slot, confirmed: ReadonlySet<number>): string[] {
    const inst = this.institutions[slot];
    const ended: string[] = [];
    for (const [person, id] of inst.holders) {
      if (confirmed.has(person)) continue;
      ended.push(id);
      if (this.grantOf(slot, person) === id) this.endGrant(`${slot}|${person}`, 'ended');
      this.application(id).status = 'ended';
    }
    inst.campaign = null;
    inst.holders = new Map();
    return ended.sort();
  }
}
