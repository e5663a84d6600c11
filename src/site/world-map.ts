/**
 * The homepage's world map, drawn at render time as SVG: Natural Earth's land at 1:110m
 * (npm `world-atlas`, shipped in the bundle: no tiles, no other host) projected by d3-geo.
 * The land is the same for every page, so it is drawn once per process; pins are placed
 * per render.
 */
import { geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import land110m from 'world-atlas/land-110m.json' with { type: 'json' };
import { MAP_WIDTH, mapHeight, mapProjection, pinPosition } from './map-projection.js';

export interface MapPin {
  readonly id: string;
  readonly name: string;
  readonly x: number;
  readonly y: number;
}

export interface WorldMap {
  readonly width: number;
  readonly height: number;
  /** SVG path data of the globe's outline and of the land. */
  readonly sphere: string;
  readonly land: string;
  readonly pins: readonly MapPin[];
}

const projection = mapProjection();
// One decimal: at 960 units wide, finer digits add bytes (about a third more) and no visible detail.
const path = geoPath(projection).digits(1);
const topology = land110m as unknown as Topology<{ land: GeometryCollection }>;
const background = {
  width: MAP_WIDTH,
  height: mapHeight(projection),
  sphere: path({ type: 'Sphere' }) ?? '',
  land: path(feature(topology, topology.objects.land)) ?? '',
};

export function worldMap(
  places: readonly { id: string; name: string; latitude: number; longitude: number }[],
): WorldMap {
  return {
    ...background,
    pins: places.map((place) => ({
      id: place.id,
      name: place.name,
      ...pinPosition(projection, place.latitude, place.longitude),
    })),
  };
}
