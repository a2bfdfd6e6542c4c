/**
 * Runs async tasks one at a time, in call order. PGlite is a single connection: a query issued while
 * another caller's transaction is open would run inside that transaction.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
