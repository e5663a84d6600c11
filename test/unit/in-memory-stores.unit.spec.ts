/**
 * The in-memory stores pass the same contract suites as the DynamoDB and S3 adapters do in
 * test/int: that run is what makes them faithful stand-ins for the logic tests.
 */
import { createInMemoryEventStore } from '../../src/shell/memory/event-store.js';
import { createInMemoryReadModelStore } from '../../src/shell/memory/read-model-store.js';
import { createInMemorySiteBucket } from '../../src/shell/memory/site-bucket.js';
import { describeEventStoreContract } from '../contract/event-store.contract.js';
import { describeReadModelStoreContract } from '../contract/read-model-store.contract.js';
import { describeSiteBucketContract } from '../contract/site-bucket.contract.js';

describeEventStoreContract('in memory', () => {
  const readModels = createInMemoryReadModelStore();
  return Promise.resolve({ eventStore: createInMemoryEventStore({ readModels }), readModels });
});

describeReadModelStoreContract('in memory', () => Promise.resolve(createInMemoryReadModelStore()));

describeSiteBucketContract('in memory', () => Promise.resolve(createInMemorySiteBucket()));
