/**
 * What every command of the model-based test shares: it runs its real request(s), asserts the real
 * answer against the model's prediction (success, or the refusal's status and code), records the
 * outcome in the model, and then checks the invariants on the real state.
 */
import type fc from 'fast-check';
import type { Response } from 'supertest';
import { assertInvariants } from './invariants';
import type { World } from './real-system';
import type { ModelApplication, Prediction, RightsModel } from './reference-model';

export type Cmd = fc.AsyncCommand<RightsModel, World>;

/** How many commands ran (past their precondition), by kind, for the report. */
export const executed = { count: 0, byKind: new Map<string, number>() };

/** The real answer is the predicted one; otherwise the failure names the command and both answers. */
export function expectAnswer(res: Response, predicted: Prediction, what: string): void {
  const matches = predicted.ok ? res.status >= 200 && res.status < 300 : res.status === predicted.status && res.body?.code === predicted.code;
  if (!matches) {
    const wanted = predicted.ok ? 'success' : `${predicted.status} ${predicted.code}`;
    throw new Error(`${what}: the model predicts ${wanted}, the application answered ${res.status} ${res.body?.code ?? ''} ${res.body?.detail ?? ''}`);
  }
}

/** The merge's reply lists exactly the rights it ended and the undecided applications it closed (omitted when none). */
export function expectMergeReply(res: Response, expected: { ended: string[]; closed: string[] }, what: string): void {
  const real = { ended: [...(res.body.rightsEnded?.ended ?? [])].sort(), closed: [...(res.body.applicationsClosed ?? [])].sort() };
  if (JSON.stringify(real) !== JSON.stringify(expected)) throw new Error(`${what}: the merge reply says ${JSON.stringify(real)}, the model ${JSON.stringify(expected)}`);
}

/** Picks an application: among those in `focus` states when asked to and there are some, else among all. */
export function pickApp(m: RightsModel, n: number, focus: boolean, statuses: readonly string[]): ModelApplication | undefined {
  return (focus && m.pick(n, (a) => statuses.includes(a.status))) || m.pick(n);
}

export abstract class Step implements Cmd {
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

