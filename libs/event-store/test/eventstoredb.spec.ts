/** Runs only where an EventStoreDB is reachable: `EVENTSTORE_URL=esdb://localhost:2113?tls=false npm run test:esdb`. */
import { describeEventStoreContract } from './event-store-contract';
import { EVENTSTORE_URL, describeWhen, eventStoreDbSubject } from './subjects';

describeWhen(EVENTSTORE_URL, 'EventStoreDB contract suite: EVENTSTORE_URL is unset (docker compose up -d eventstoredb)')('EventStoreDB', () => {
  describeEventStoreContract('eventstoredb', async () => eventStoreDbSubject(EVENTSTORE_URL as string));
});
