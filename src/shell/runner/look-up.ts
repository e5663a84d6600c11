import type { LookUpKeys, StoredState } from '../../handlers/handler.js';
import { DESTINATION_KEY_PREFIX, RECENT_DESTINATIONS_KEY } from '../../topology/topology.js';
import type { Carrier } from '../telemetry/index.js';
import { type RunnerDependencies, need } from './dependencies.js';

/** What a look-up read: the state for the decider, and, kept from it, the traces stored with the read models. */
export interface LookedUp {
  readonly state: Partial<StoredState>;
  /** The trace stored with each read-model item read, by the item's key (as the read-model stream names changes). */
  readonly traces: ReadonlyMap<string, Carrier>;
}

/**
 * Reads the parts of the state a decider names, one after another in a fixed order: what is
 * published before the list it was rendered from, the list before the destinations folded into
 * it. A writer racing another then either sees the other's newer parts or loses its conditional
 * write and looks again.
 */
export async function lookUp(handler: string, keys: Partial<LookUpKeys>, deps: RunnerDependencies): Promise<LookedUp> {
  const state: { -readonly [K in keyof StoredState]?: StoredState[K] } = {};
  const traces = new Map<string, Carrier>();
  const keep = (key: string, trace: Carrier | undefined) => {
    if (trace) traces.set(key, trace);
  };
  if (keys.published !== undefined) {
    state.published = (await need(deps, handler, 'site').head(keys.published))?.value ?? null;
  }
  if (keys.recent) {
    const recent = await need(deps, handler, 'readModels').getRecent();
    state.recent = recent.value;
    keep(RECENT_DESTINATIONS_KEY, recent.trace);
  }
  if (keys.publications) state.publications = await need(deps, handler, 'readModels').getPublications();
  if (keys.outcome !== undefined) state.outcome = await need(deps, handler, 'eventStore').readOutcome(keys.outcome);
  if (keys.destination !== undefined) {
    state.destination = await need(deps, handler, 'readModels').getDestination(keys.destination);
  }
  if (keys.destinations !== undefined) {
    const views = await need(deps, handler, 'readModels').getDestinations(keys.destinations);
    // The decider sees the views alone: the list it folds them into carries no per-destination traces.
    state.destinations = views.map(({ value }) => value);
    for (const { value, trace } of views) keep(`${DESTINATION_KEY_PREFIX}${value.id}`, trace);
  }
  return { state, traces };
}
