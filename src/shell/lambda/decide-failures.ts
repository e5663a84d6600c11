// Entry point: the decider's on-failure queue → commands recorded as FAILED.
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { createDecideFailuresFunction } from '../functions/decide-failures.js';
import { systemClock } from '../runtime/clock.js';
import { createLogger } from '../runtime/logger.js';
import { stores } from './environment.js';

export const handler = createDecideFailuresFunction({
  eventStore: stores().eventStore,
  streams: new DynamoDBStreamsClient({}),
  clock: systemClock,
  log: createLogger('visitplannr-decide-failures'),
});
