/**
 * Every handler named in the topology, bound to its flow. The `satisfies` makes a
 * route without a function (or the reverse) a type error.
 */
import type { AnyRecord, DestinationEvent, DestinationProposed } from '../../domain/messages.js';
import { isDestinationEvent } from '../../domain/messages.js';
import type { BusHandlerName } from '../../topology/topology.js';
import type { FlowDependencies } from '../flows/dependencies.js';
import { runProject } from '../flows/project.js';
import { runValidateGeolocation } from '../flows/validate-geolocation.js';
import { type BusEvent, createBusFunction } from './bus-handler.js';

const isDestinationProposed = (record: AnyRecord): record is DestinationProposed => record.type === 'DestinationProposed';

export const busFunctionFactories = {
  'validate-geolocation': (deps: FlowDependencies) => createBusFunction('validate-geolocation', deps, isDestinationProposed, runValidateGeolocation),
  project: (deps: FlowDependencies) => createBusFunction<DestinationEvent>('project', deps, isDestinationEvent, runProject),
} satisfies Record<BusHandlerName, (deps: FlowDependencies) => (event: BusEvent) => Promise<void>>;
