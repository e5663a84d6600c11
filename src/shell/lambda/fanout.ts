// Entry point: the event table's stream → the EventBridge bus.
import { topology } from '../../topology/topology.js';
import { createFanoutFunction } from '../functions/fanout.js';
import { createLogger } from '../runtime/logger.js';
import { eventBridge, required } from './environment.js';

export const handler = createFanoutFunction({
  eventBridge: eventBridge(),
  eventBusName: required('EVENT_BUS_NAME'),
  routes: topology,
  retry: { attempts: 3, baseDelayMs: 100 },
  log: createLogger('visitplannr-fanout'),
});
