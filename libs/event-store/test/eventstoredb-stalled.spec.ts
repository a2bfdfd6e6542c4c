/**
 * An EventStoreDB that accepts the TCP connection and never answers: the client's own deadlines
 * were measured not to fire within 150 s, so our timeout must, and fail with StoreUnavailable.
 */
import * as net from 'net';
import { EventStoreDbEventStore, StoreUnavailable } from '@atlauja/event-store';
import { newEvent } from './event-store-contract';

const TIMEOUT_MS = 500;

describe('EventStoreDB that never answers', () => {
  const sockets = new Set<net.Socket>();
  let server: net.Server;
  let store: EventStoreDbEventStore;

  beforeAll(async () => {
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    store = await EventStoreDbEventStore.connect(`esdb://127.0.0.1:${port}?tls=false`, { timeoutMs: TIMEOUT_MS });
  });

  afterAll(async () => {
    await store.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  async function failure(call: () => Promise<unknown>): Promise<{ error: unknown; elapsedMs: number }> {
    const started = Date.now();
    const error = await call().then(() => undefined, (e: unknown) => e);
    return { error, elapsedMs: Date.now() - started };
  }

  it(`append fails with StoreUnavailable within the configured ${TIMEOUT_MS} ms`, async () => {
    const { error, elapsedMs } = await failure(() => store.append('application-1', [newEvent('Submitted')], 'no-stream'));
    expect(error).toBeInstanceOf(StoreUnavailable);
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS + 1000);
    expect(sockets.size).toBeGreaterThan(0); // it did reach our silent server
  });

  it('readStream, readAll, headPosition and ping fail the same way', async () => {
    for (const call of [() => store.readStream('application-1'), () => store.readAll(0n, 10), () => store.headPosition(), () => store.ping()]) {
      const { error, elapsedMs } = await failure(call);
      expect(error).toBeInstanceOf(StoreUnavailable);
      expect(elapsedMs).toBeLessThan(TIMEOUT_MS + 1000);
    }
  });
});
