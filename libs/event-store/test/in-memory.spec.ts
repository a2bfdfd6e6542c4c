import { InMemoryEventStore } from '@atlauja/event-store';
import { describeEventStoreContract } from './event-store-contract';

describeEventStoreContract('in-memory', async () => {
  const store = new InMemoryEventStore();
  return { store, dispose: () => store.close() };
});
