/**
 * The DynamoDB read-model store on DynamoDB Local: the ReadModelStore contract (the same assertions the in-memory
 * store passes).
 */
import { describeReadModelStoreContract } from '../contract/read-model-store.contract.js';
import { freshStores } from '../support/stores.js';

describeReadModelStoreContract('DynamoDB (DynamoDB Local)', async () => (await freshStores()).readModels);
