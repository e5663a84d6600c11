// Entry point for every handler behind an EventBridge rule; HANDLER_NAME picks which.
import type { BusHandlerName } from '../../topology/topology.js';
import { busFunctionFactories } from '../functions/handlers.js';
import { flowDependencies, required } from './environment.js';

const name = required('HANDLER_NAME');
if (!(name in busFunctionFactories)) throw new Error(`HANDLER_NAME ${name} is not a bus handler in the topology`);
export const handler = busFunctionFactories[name as BusHandlerName](flowDependencies(name));
