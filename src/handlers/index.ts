/**
 * Every handler of the topology, by its route's name. The `satisfies` makes a route without
 * a decider (or a decider without a route) a type error.
 */
import type { HandlerName } from '../topology/topology.js';
import { decide } from './decide.js';
import type { AnyHandler } from './handler.js';
import { invalidateCdn } from './invalidate-cdn.js';
import { projectRecent } from './project-recent.js';
import { renderHomepage } from './render-homepage.js';
import { validateGeolocation } from './validate-geolocation.js';

export const handlers = {
  decide,
  'validate-geolocation': validateGeolocation,
  'project-recent': projectRecent,
  'render-homepage': renderHomepage,
  'invalidate-cdn': invalidateCdn,
} as const satisfies Record<HandlerName, AnyHandler>;

/** The decider of a route, or a clear error when the registry lacks it. */
export function handlerOf(name: string): AnyHandler {
  const handler: AnyHandler | undefined = (handlers as Record<string, AnyHandler>)[name];
  if (!handler) throw new Error(`no handler named ${name} in src/handlers`);
  return handler;
}
