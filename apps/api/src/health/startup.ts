import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { problem } from '../http/problem';
import { sendProblem } from '../http/problem-reply';

/**
 * What the api finishes after it listens: the embedded store's open, the read models' and the
 * processes' start, the demo registry's seed. Bootstrap hooks hand their work here instead of
 * holding the listen, so liveness answers within the time the modules take to load, whatever the
 * store's size or speed to open.
 */
@Injectable()
export class Startup implements OnModuleDestroy {
  private readonly tasks: Promise<void>[] = [];
  private finished = false;
  private stopping = false;

  /** Starts `task` now; its failure is the start's (reported by whoever awaits `done`). */
  run(task: () => Promise<void>): void {
    const running = task();
    running.catch(() => undefined);
    this.tasks.push(running);
  }

  /** Resolves when every task handed in so far has (all of them once the bootstrap is over); rejects with the first failure. */
  get done(): Promise<void> {
    return Promise.all(this.tasks).then(() => {
      this.finished = true;
    });
  }

  get isDone(): boolean {
    return this.finished;
  }

  /**
   * Whether the application is shutting down: a start it cut short (the store closed under the read
   * models' start) is no failure to report. Set in the first of Nest's shutdown phases; the store
   * closes in the last (StoreLifecycle, on application shutdown), so a task that fails for the
   * shutdown fails after this is set.
   */
  get isStopping(): boolean {
    return this.stopping;
  }

  onModuleDestroy(): void {
    this.stopping = true;
  }
}

/**
 * Every request but liveness waits for the start (a client sees a slower first answer, never a
 * different one); readiness says 503 until then, for a balancer must not send traffic yet.
 */
export function holdRequestsUntilStarted(fastify: FastifyInstance, startup: Startup): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (startup.isDone) return;
    const route = request.routeOptions.url;
    if (route === '/health') return;
    const notReady = (detail: string) => sendProblem(reply, request, problem(503, 'Not ready', { code: 'NOT_READY', detail }), { 'retry-after': '1' });
    if (route === '/ready') return notReady('starting: the store is opening and the read models are starting');
    try {
      await startup.done;
    } catch {
      return notReady('the service could not start; its log says why');
    }
  });
}
