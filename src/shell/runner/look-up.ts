import type { LookUpKeys, StoredState } from '../../handlers/handler.js';
import { type RunnerDependencies, need } from './dependencies.js';

/**
 * Reads the parts of the state a decider names, one after another in a fixed order: what is
 * published before the list it was rendered from, the list before the destinations folded into
 * it. A writer racing another then either sees the other's newer parts or loses its conditional
 * write and looks again.
 */
export async function lookUp(
  handler: string,
  keys: Partial<LookUpKeys>,
  deps: RunnerDependencies,
): Promise<Partial<StoredState>> {
  const state: { -readonly [K in keyof StoredState]?: StoredState[K] } = {};
  if (keys.published !== undefined) state.published = await need(deps, handler, 'site').head(keys.published);
  if (keys.recent) state.recent = await need(deps, handler, 'readModels').getRecent();
  if (keys.publications) state.publications = await need(deps, handler, 'readModels').getPublications();
  if (keys.outcome !== undefined) state.outcome = await need(deps, handler, 'eventStore').readOutcome(keys.outcome);
  if (keys.destination !== undefined) {
    state.destination = await need(deps, handler, 'readModels').getDestination(keys.destination);
  }
  if (keys.destinations !== undefined) {
    state.destinations = await need(deps, handler, 'readModels').getDestinations(keys.destinations);
  }
  return state;
}
