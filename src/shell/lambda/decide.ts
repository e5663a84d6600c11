// Entry point: the decider, on the event table's stream (filtered to commands).
import { createDecideFunction } from '../functions/decide.js';
import { flowDependencies } from './environment.js';

export const handler = createDecideFunction(flowDependencies('decide'));
