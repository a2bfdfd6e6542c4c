/**
 * The realistic command mix: one application walked from draft to approved over HTTP: draft, set
 * rights, submit, (read the document to sign), sign, claim, approve. Six commands and one query.
 * Several workers each walk applications one after another; every command's latency is recorded,
 * and every 2xx command's answer (stream, revision, position) is reported to `onAck`, which the
 * crash test uses to prove that an acknowledged command is never lost.
 */
import { Actors, draftBody, freshApplicantCode, MINISTRY_USER_RIGHTS } from './actors';
import { HttpClient, Response } from './http-client';

export const COMMANDS_PER_APPLICATION = 6;

export interface Ack {
  applicationId: string;
  command: string;
  revision: bigint;
  position: bigint;
}

export interface LoadOptions {
  client: HttpClient;
  actors: Actors;
  workers: number;
  /** Stop starting new commands after this long. */
  durationMs: number;
  /** Stop after this many applications in all (bounds the run when the server is fast). */
  maxApplications?: number;
  /** Wait this long between commands, per worker (the soak's pacing); 0 by default. */
  pauseMs?: () => number;
  onAck?: (ack: Ack) => void;
  /** Ends the load at once (a crash test's kill). Requests in flight then fail: not errors of the load. */
  signal?: AbortSignal;
}

export interface LoadResult {
  commands: number;
  queries: number;
  applications: number;
  errors: number;
  /** The first few unexpected answers, for the report. */
  errorSamples: string[];
  latenciesMs: number[];
  elapsedMs: number;
}

class CommandFailed extends Error {}

export async function runLifecycleLoad(options: LoadOptions): Promise<LoadResult> {
  const { client, actors } = options;
  const result: LoadResult = { commands: 0, queries: 0, applications: 0, errors: 0, errorSamples: [], latenciesMs: [], elapsedMs: 0 };
  const started = performance.now();
  const deadline = started + options.durationMs;
  let applicationsStarted = 0;
  const rep = { authorization: `Bearer ${actors.tokens.representative}` };

  const timed = async (command: string, method: string, path: string, headers: Record<string, string>, body: unknown, isCommand: boolean): Promise<Response> => {
    const t0 = performance.now();
    const res = await client.send(method, path, { headers, body });
    const ms = performance.now() - t0;
    if (res.status >= 200 && res.status < 300) {
      if (isCommand) {
        result.commands += 1;
        result.latenciesMs.push(ms);
        const answer = res.json as { applicationId: string; revision: string; position: string };
        options.onAck?.({ applicationId: answer.applicationId, command, revision: BigInt(answer.revision), position: BigInt(answer.position) });
      } else {
        result.queries += 1;
      }
      return res;
    }
    result.errors += 1;
    if (result.errorSamples.length < 5) result.errorSamples.push(`${command}: ${res.status} ${res.text.slice(0, 300)}`);
    throw new CommandFailed(command);
  };

  const worker = async (index: number): Promise<void> => {
    const approver = { authorization: `Bearer ${actors.tokens.approvers[index % actors.tokens.approvers.length]}` };
    const pause = async () => {
      const ms = options.pauseMs?.() ?? 0;
      if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    };
    while (performance.now() < deadline && !options.signal?.aborted && applicationsStarted < (options.maxApplications ?? Infinity)) {
      applicationsStarted += 1;
      try {
        const applicant = freshApplicantCode();
        actors.personalCodes.push(applicant);
        const drafted = await timed('draft', 'POST', '/applications', rep, draftBody(applicant), true);
        const id = (drafted.json as { applicationId: string }).applicationId;
        await pause();
        await timed('setRights', 'PUT', `/applications/${id}/rights`, rep, MINISTRY_USER_RIGHTS, true);
        await pause();
        await timed('submit', 'POST', `/applications/${id}/submit`, rep, undefined, true);
        const document = await timed('document', 'GET', `/applications/${id}/document`, rep, undefined, false);
        const signature = actors.sign((document.json as { contentBase64: string }).contentBase64);
        await pause();
        await timed('sign', 'POST', `/applications/${id}/signature`, rep, { signature }, true);
        await pause();
        await timed('claim', 'POST', `/applications/${id}/claim`, approver, undefined, true);
        await pause();
        await timed('approve', 'POST', `/applications/${id}/approve`, approver, undefined, true);
        result.applications += 1;
      } catch (error) {
        if (options.signal?.aborted) return;
        if (!(error instanceof CommandFailed)) {
          result.errors += 1;
          if (result.errorSamples.length < 5) result.errorSamples.push(String(error));
        }
        await pause();
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers }, (_, i) => worker(i)));
  result.elapsedMs = performance.now() - started;
  return result;
}
