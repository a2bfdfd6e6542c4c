/**
 * The real side of the model-based test: one application (the harness) per store, and per run a
 * "world" of fresh institutions, so runs sharing the application are independent. Its helpers send
 * the real HTTP requests a command needs and read the real state the invariants are checked on.
 */
import type { Response } from 'supertest';
import { oldFormatPersonalCode } from '../../../libs/signatures/src/testing/personal-codes';
import { ProcessesHost } from '../../../apps/api/src/processes/processes.host';
import { ReadModelsHost } from '../../../apps/api/src/read-models/read-models.host';
import { bearer, Harness, signDocument } from '../../support/api-harness';
import type { Decider, Slot, Who } from './reference-model';

/** The harness approver's own code (the approver deciding their own rights). */
export const APPROVER_CODE = oldFormatPersonalCode('020290', 1, 101);
/** The person pool: three users and, last, the approver (so self-approval is tried). */
export const PERSONS = [oldFormatPersonalCode('110581', 1, 711), oldFormatPersonalCode('120682', 2, 722), oldFormatPersonalCode('130783', 1, 733), APPROVER_CODE];
export const APPROVER_PERSON = PERSONS.length - 1;

export interface Shared {
  h: Harness;
  eService: string;
  /** Distinguishes the registration numbers of runs on one application. */
  nextRun(): number;
}

export async function shared(h: Harness, prefix: string): Promise<Shared> {
  const eService = await h.mint({ subject: 'budzets', roles: [], institutions: [], service: 'budzets' });
  let run = 0;
  return { h, eService, nextRun: () => Number(`${prefix}${String(++run).padStart(7, '0')}`) };
}

/** One run's institutions and tokens on the shared application. */
export class World {
  readonly regs: Record<Slot, string>;
  private tokens!: Record<Who, string>;

  private constructor(readonly s: Shared, run: number) {
    const base = `9${String(run).padStart(8, '0')}`;
    this.regs = { A: `${base}01`, B: `${base}02`, T: `${base}03` };
  }

  static async open(s: Shared): Promise<World> {
    const world = new World(s, s.nextRun());
    await world.register();
    return world;
  }

  get h(): Harness {
    return this.s.h;
  }

  private async register(): Promise<void> {
    const { h } = this;
    const admin = bearer(h.tokens.admin);
    const regs = Object.values(this.regs);
    for (const reg of regs) {
      await h.http().post('/institutions').set(admin).send({ registrationNumber: reg, officialName: `Modeļa pašvaldība ${reg.slice(-4)}`, type: 'municipality', coordinationVariant: 2 }).expect(201);
      for (const code of [h.representativeChain.personalCode, h.otherPersonChain.personalCode]) {
        await h.http().post(`/institutions/${reg}/representatives`).set(admin).send({ personalCode: code }).expect(200);
      }
    }
    // Both representatives also hold the approver role: the drafter signs everything, the editor only edits and sets rights.
    this.tokens = {
      drafter: await h.mint({ subject: h.representativeChain.personalCode, roles: ['representative', 'approver'], institutions: regs }),
      editor: await h.mint({ subject: h.otherPersonChain.personalCode, roles: ['representative', 'approver'], institutions: regs }),
      approver: h.tokens.approver,
      secondApprover: h.tokens.secondApprover,
      admin: h.tokens.admin,
    };
  }

  as(who: Who) {
    return bearer(this.tokens[who]);
  }

  rightsAt(slot: Slot) {
    return { rights: [{ kind: 'institution', institution: this.regs[slot], groups: ['MANAGE'] }] };
  }

  draft(slot: Slot, person: number, kind: string, replaces?: string): Promise<Response> {
    return this.h.http().post('/applications').set(this.as('drafter')).send({
      kind,
      institution: this.regs[slot],
      user: { givenName: 'Pēteris', surname: `Modelis ${person}`, personalCode: PERSONS[person], email: `p${person}@modelis.example` },
      term: { kind: 'after-last-login', months: 18 },
      justification: 'Kārto iestādes budžetu.',
      ...(replaces !== undefined && { replaces }),
    });
  }

  setRights(id: string, slot: Slot, who: 'drafter' | 'editor'): Promise<Response> {
    return this.h.http().put(`/applications/${id}/rights`).set(this.as(who)).send(this.rightsAt(slot));
  }

  submit(id: string): Promise<Response> {
    return this.h.http().post(`/applications/${id}/submit`).set(this.as('drafter'));
  }

  /** Signs the submitted document as the drafter; when it is not submitted, sends a signature over nothing (refused before verification). */
  async sign(id: string): Promise<Response> {
    const doc = await this.h.http().get(`/applications/${id}/document`).set(this.as('drafter'));
    const signature = doc.status === 200 ? signDocument(this.h.representativeChain, doc.body.contentBase64) : Buffer.from('not a signature').toString('base64');
    return this.h.http().post(`/applications/${id}/signature`).set(this.as('drafter')).send({ signature });
  }

  claim(id: string, who: Decider): Promise<Response> {
    return this.h.http().post(`/applications/${id}/claim`).set(this.as(who));
  }

  approve(id: string, who: Decider): Promise<Response> {
    return this.h.http().post(`/applications/${id}/approve`).set(this.as(who));
  }

  reject(id: string, who: Decider): Promise<Response> {
    return this.h.http().post(`/applications/${id}/reject`).set(this.as(who)).send({ reason: 'Nepietiekams pamatojums.' });
  }

  revoke(id: string): Promise<Response> {
    return this.h.http().post(`/applications/${id}/revoke`).set(this.as('drafter')).send({ reason: 'Pārtrauca darba attiecības.', confirmed: true });
  }

  merge(slot: Slot, into: Slot): Promise<Response> {
    return this.h.http().post(`/institutions/${this.regs[slot]}/merge`).set(this.as('admin')).send({ into: this.regs[into], effectiveDate: new Date().toISOString().slice(0, 10) });
  }

  openCampaign(slot: Slot): Promise<Response> {
    const deadline = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    return this.h.http().post('/recertifications').set(this.as('admin')).send({ institution: this.regs[slot], deadline });
  }

  confirm(campaign: string, person: number): Promise<Response> {
    return this.h.http().post(`/recertifications/${campaign}/confirm`).set(this.as('drafter')).send({ personalCode: PERSONS[person] });
  }

  complete(campaign: string): Promise<Response> {
    return this.h.http().post(`/recertifications/${campaign}/complete`).set(this.as('drafter'));
  }

  ask(slot: Slot, person: number): Promise<Response> {
    return this.h.http().post('/e-service/authorizations').set(bearer(this.s.eService)).send({ personalCode: PERSONS[person], group: 'MANAGE', scope: { kind: 'institution', id: this.regs[slot] } });
  }

  /** The rights register at an institution: person index → the applications whose rights are in force. */
  async rightsHeld(slot: Slot): Promise<Map<number, string[]>> {
    const res = await this.h.http().post('/rights/search').set(bearer(this.h.tokens.auditor)).send({ employer: this.regs[slot], limit: 200 });
    if (res.status !== 200) throw new Error(`rights search answered ${res.status}: ${JSON.stringify(res.body)}`);
    const held = new Map<number, string[]>();
    for (const item of res.body.items as { user: { personalCode: string }; grantedBy: { applicationId: string } }[]) {
      const person = PERSONS.indexOf(item.user.personalCode);
      const ids = held.get(person) ?? [];
      if (!ids.includes(item.grantedBy.applicationId)) ids.push(item.grantedBy.applicationId);
      held.set(person, ids);
    }
    return held;
  }

  /**
   * Waits until the log's consequences are all carried out (the reactor) and the read models hold
   * them; the reactor's own appends move the head, so until the head stands still.
   */
  async settle(): Promise<void> {
    const { app, store } = this.h;
    const reactor = app.get(ProcessesHost).processes.reactor;
    const progress = app.get(ReadModelsHost).progress;
    for (let round = 0; round < 1000; round++) {
      const head = await store.headPosition();
      if (reactor.position < head) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      if ((await progress.waitForPosition(head, 30_000)) !== 'reached') throw new Error('the read models did not reach the head');
      if ((await store.headPosition()) === head) return;
    }
    throw new Error('the log did not settle');
  }
}
