import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerThreadQueue, WorkerThreadUnavailable } from './worker-thread-queue';

/** A job as the test thread reads it: answer after `ms`, or throw outside any job, or spin forever, or refuse the input. */
interface TestJob {
  n?: number;
  ms?: number;
  crash?: boolean;
  spin?: boolean;
  refuse?: boolean;
}
interface TestAnswer {
  n?: number;
  threadId: number;
}

// Plain JavaScript: a thread cannot load TypeScript. It speaks the queue's messages: { id, input } in, { id, output | error } out.
const THREAD = `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', ({ id, input }) => {
  if (input.crash) setImmediate(() => { throw new Error('the renderer broke'); });
  else if (input.spin) for (;;);
  else if (input.refuse) parentPort.postMessage({ id, error: { name: 'TypeError', message: 'submittedAt must be an ISO instant' } });
  else setTimeout(() => parentPort.postMessage({ id, output: { n: input.n, threadId } }), input.ms ?? 0);
});
`;

const dir = mkdtempSync(join(tmpdir(), 'atlauja-thread-'));
const script = join(dir, 'thread.js');
writeFileSync(script, THREAD);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const queueOf = (options: Partial<{ idleMs: number; deadlineMs: number }> = {}) =>
  new WorkerThreadQueue<TestJob, TestAnswer>(script, { idleMs: 200, deadlineMs: 5_000, ...options });

describe('one worker thread running jobs off the event loop', () => {
  it('answers jobs asked at once in the order asked, on one thread started by the first', async () => {
    const queue = queueOf();
    const answers = await Promise.all([30, 0, 10, 0].map((ms, n) => queue.run({ n, ms })));
    expect(answers.map((a) => a.n)).toEqual([0, 1, 2, 3]);
    expect(new Set(answers.map((a) => a.threadId)).size).toBe(1);
  });

  it("gives a job's error back as the caller would meet it in-process, and goes on", async () => {
    const queue = queueOf();
    const refused = queue.run({ refuse: true });
    await expect(refused).rejects.toThrow(TypeError);
    await expect(refused).rejects.toThrow('submittedAt must be an ISO instant');
    await expect(queue.run({ n: 1 })).resolves.toMatchObject({ n: 1 });
  });

  it('refuses at once an input that cannot be copied to the thread, and goes on', async () => {
    const queue = queueOf();
    await expect(queue.run({ n: 0, ms: (() => 0) as unknown as number })).rejects.toThrow(/could not be cloned/);
    await expect(queue.run({ n: 1 })).resolves.toMatchObject({ n: 1 });
  });

  it('refuses the job running and the jobs waiting when the thread dies, saying so; the next job starts a new thread', async () => {
    const queue = queueOf();
    const before = queue.run({ n: 0, ms: 20 });
    const crashing = queue.run({ crash: true });
    const behind = queue.run({ n: 2 });
    const first = await before;
    await expect(crashing).rejects.toThrow(WorkerThreadUnavailable);
    await expect(crashing).rejects.toThrow('the worker thread failed: the renderer broke before answering');
    await expect(behind).rejects.toThrow(WorkerThreadUnavailable);
    const after = await queue.run({ n: 3 });
    expect(after.n).toBe(3);
    expect(after.threadId).not.toBe(first.threadId);
  });

  it('refuses a job past its deadline and lets go of the thread it held; a job asked meanwhile runs on a new thread', async () => {
    const queue = queueOf({ deadlineMs: 400 });
    const stuck = queue.run({ spin: true });
    const stuckFailed = expect(stuck).rejects.toThrow('no answer within 400 ms');
    await sleep(250);
    const behind = queue.run({ n: 1 });
    await stuckFailed;
    await expect(stuck).rejects.toThrow(WorkerThreadUnavailable);
    await expect(behind).resolves.toMatchObject({ n: 1 });
  });

  it('stops the thread after the idle period, and the next job starts another', async () => {
    const queue = queueOf({ idleMs: 100 });
    const first = await queue.run({ n: 0 });
    const soon = await queue.run({ n: 1 });
    expect(soon.threadId).toBe(first.threadId);
    await sleep(400);
    const later = await queue.run({ n: 2 });
    expect(later.threadId).not.toBe(first.threadId);
  });
});
