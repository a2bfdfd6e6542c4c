/**
 * One worker thread running jobs one at a time, in the order asked, off the caller's event loop.
 * The thread starts with the first job and stops after `idleMs` without one, so what it loaded is
 * given back at rest. A job waits at most `deadlineMs`, queued and running together. When the
 * thread dies (an uncaught error, out of memory, a failed load), every job it was to run is refused
 * — a cause that killed it would kill the next thread too, so the queue is not replayed into a
 * restart loop — and the next job starts a new thread.
 */
import { parentPort, ResourceLimits, Worker } from 'node:worker_threads';

export interface WorkerThreadQueueOptions {
  /** How long the thread is kept after its last job: a burst pays one start. */
  idleMs: number;
  /** The longest a job waits for its answer, from the call. */
  deadlineMs: number;
  /** The thread's own heap limits (V8's defaults otherwise). */
  resourceLimits?: ResourceLimits;
}

/** The thread could not answer: it died, or the job's deadline passed. The input was never judged. */
export class WorkerThreadUnavailable extends Error {
  override readonly name = 'WorkerThreadUnavailable';
}

interface Job<I, O> {
  id: number;
  input: I;
  resolve(output: O): void;
  reject(error: Error): void;
  deadline: NodeJS.Timeout;
}

interface Request<I> {
  id: number;
  input: I;
}

type Answer<O> = { id: number; output: O } | { id: number; error: { name: string; message: string } };

export class WorkerThreadQueue<I, O> {
  private thread: Worker | undefined;
  private running: Job<I, O> | undefined;
  private readonly waiting: Job<I, O>[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private lastId = 0;

  constructor(
    private readonly script: string,
    private readonly options: WorkerThreadQueueOptions,
  ) {}

  run(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const job: Job<I, O> = { id: ++this.lastId, input, resolve, reject, deadline: setTimeout(() => this.expire(job), this.options.deadlineMs) };
      this.waiting.push(job);
      this.next();
    });
  }

  private next(): void {
    if (this.running) return;
    const job = this.waiting.shift();
    if (!job) {
      this.idle();
      return;
    }
    clearTimeout(this.idleTimer);
    const thread = this.thread ?? this.start();
    // Held while it works, so a process awaiting a job does not exit under it; let go when idle.
    thread.ref();
    this.running = job;
    try {
      thread.postMessage({ id: job.id, input: job.input } satisfies Request<I>);
    } catch (error) {
      // An input that cannot be copied to the thread (a function, a symbol) is the caller's error, met at once.
      this.running = undefined;
      clearTimeout(job.deadline);
      job.reject(error as Error);
      this.next();
    }
  }

  private start(): Worker {
    // The parent's preloads (path aliases, a bench's instruments) are not the script's business: it loads only its own modules.
    const thread = new Worker(this.script, { execArgv: [], resourceLimits: this.options.resourceLimits });
    let failure: Error | undefined;
    thread.on('message', (answer: Answer<O>) => {
      if (thread === this.thread) this.answered(answer);
    });
    thread.on('error', (error: Error) => {
      failure = error;
    });
    thread.on('exit', (code: number) => {
      if (thread === this.thread) this.died(failure ? `failed: ${failure.message}` : `exited with code ${code}`);
    });
    this.thread = thread;
    return thread;
  }

  private answered(answer: Answer<O>): void {
    const job = this.running;
    if (!job || job.id !== answer.id) return;
    this.running = undefined;
    clearTimeout(job.deadline);
    if ('error' in answer) job.reject(rebuilt(answer.error));
    else job.resolve(answer.output);
    this.next();
  }

  private died(reason: string): void {
    this.thread = undefined;
    clearTimeout(this.idleTimer);
    const jobs = [...(this.running ? [this.running] : []), ...this.waiting.splice(0)];
    this.running = undefined;
    for (const job of jobs) {
      clearTimeout(job.deadline);
      job.reject(new WorkerThreadUnavailable(`the worker thread ${reason} before answering`));
    }
  }

  private expire(job: Job<I, O>): void {
    const error = new WorkerThreadUnavailable(`no answer within ${this.options.deadlineMs} ms`);
    if (job === this.running) {
      // A job past its deadline holds the thread: that thread is let go, the jobs behind go to a new one.
      this.running = undefined;
      this.retire();
      job.reject(error);
      this.next();
      return;
    }
    const at = this.waiting.indexOf(job);
    if (at >= 0) this.waiting.splice(at, 1);
    job.reject(error);
  }

  private idle(): void {
    const thread = this.thread;
    if (!thread) return;
    thread.unref();
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.retire(), this.options.idleMs).unref();
  }

  /** Detached first, so a job asked for while it stops goes to a new thread and its exit refuses nothing. */
  private retire(): void {
    const thread = this.thread;
    this.thread = undefined;
    clearTimeout(this.idleTimer);
    void thread?.terminate();
  }
}

/** The thread's side: answers each job the queue sends with `work`'s output, or the error it threw. */
export function serveJobs<I, O>(work: (input: I) => Promise<O>, transferOf: (output: O) => ArrayBuffer[] = () => []): void {
  if (!parentPort) throw new Error('serveJobs runs in a worker thread');
  const port = parentPort;
  // The queue sends the next job only after this one's answer: no two run at once.
  port.on('message', async ({ id, input }: Request<I>) => {
    try {
      const output = await work(input);
      port.postMessage({ id, output } satisfies Answer<O>, transferOf(output));
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ id, error: { name, message } } satisfies Answer<O>);
    }
  });
}

/** The job's error as the caller would have met it in-process: a TypeError stays a TypeError. */
function rebuilt({ name, message }: { name: string; message: string }): Error {
  const error = name === 'TypeError' ? new TypeError(message) : name === 'RangeError' ? new RangeError(message) : new Error(message);
  if (error.name !== name) error.name = name;
  return error;
}
