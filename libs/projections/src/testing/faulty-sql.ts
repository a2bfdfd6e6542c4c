/**
 * A read-model connection that fails on purpose. `crashAt(k)`: the k-th point inside a transaction
 * (every statement, just before COMMIT, just after COMMIT) throws, and from then on nothing reaches
 * the database, as when the process dies; the database rolls back what was not committed.
 */
import { StoreUnavailable, type SqlDriver, type SqlExecutor } from '@atlauja/event-store';

export class FaultySql implements SqlDriver {
  points = 0;
  crashed = false;
  private crashPoint = Number.POSITIVE_INFINITY;
  private failuresLeft = 0;

  constructor(private readonly inner: SqlDriver) {}

  /** The k-th point from now crashes the "process". */
  crashAt(k: number): this {
    this.crashPoint = this.points + k;
    return this;
  }

  /** The next `n` transactions fail as if the database were unreachable; then it recovers. */
  failNextTransactions(n: number): this {
    this.failuresLeft = n;
    return this;
  }

  private point(): void {
    if (this.crashed) throw new StoreUnavailable('crashed: the process is gone');
    this.points += 1;
    if (this.points >= this.crashPoint) {
      this.crashed = true;
      throw new StoreUnavailable(`crash injected at point ${this.points}`);
    }
  }

  query<Row>(sql: string, params?: unknown[]): Promise<Row[]> {
    if (this.crashed) return Promise.reject(new StoreUnavailable('crashed: the process is gone'));
    return this.inner.query<Row>(sql, params);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new StoreUnavailable('read-model database unreachable (injected)');
    }
    this.point();
    const result = await this.inner.transaction(async (tx) => {
      const value = await work({
        query: async <Row>(sql: string, params?: unknown[]) => {
          this.point();
          return tx.query<Row>(sql, params);
        },
      });
      this.point(); // just before COMMIT
      return value;
    });
    this.point(); // committed, but the process dies before it learns so
    return result;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
