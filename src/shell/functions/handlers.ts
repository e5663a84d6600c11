/**
 * Every bus handler named in the topology, bound to its flow. The `satisfies` makes a
 * route without a function (or the reverse) a type error.
 */
import type { AnyRecord, DestinationProposed } from '../../domain/messages.js';
import type { BusHandlerName } from '../../topology/topology.js';
import type { FlowDependencies } from '../flows/dependencies.js';
import { runValidateGeolocation } from '../flows/validate-geolocation.js';
import { type BusEvent, createBusFunction } from './bus-handler.js';

const isDestinationProposed = (record: AnyRecord): record is DestinationProposed =>
  record.type === 'DestinationProposed';

export const busFunctionFactories = {
  'validate-geolocation': (deps: FlowDependencies) =>
    createBusFunction('validate-geolocation', deps, isDestinationProposed, runValidateGeolocation),
} satisfies Record<BusHandlerName, (deps: FlowDependencies) => (event: BusEvent) => Promise<void>>;
