/**
 * The homepage map's projection, shared by the renderer (land and pins, at render time) and
 * the page's script (a pin added in place, and a click turned back into coordinates): the
 * same function on both sides, so a click lands where the renderer would draw that point.
 * Equal Earth: equal-area, so no region looks bigger than it is.
 */
import { type GeoProjection, geoEqualEarth, geoPath } from 'd3-geo';

export const MAP_WIDTH = 960;
const SPHERE = { type: 'Sphere' } as const;

export function mapProjection(): GeoProjection {
  return geoEqualEarth().fitWidth(MAP_WIDTH, SPHERE);
}

/** The map's height for MAP_WIDTH: the sphere's projected extent, rounded up. */
export const mapHeight = (projection: GeoProjection): number => Math.ceil(geoPath(projection).bounds(SPHERE)[1][1]);

/** Where a place sits on the map, to a tenth of a unit (about 40 km at this width: a pin's size). */
export function pinPosition(projection: GeoProjection, latitude: number, longitude: number): { x: number; y: number } {
  const [x = 0, y = 0] = projection([longitude, latitude]) ?? [];
  return { x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10 };
}

/** The coordinates under a point of the map, or null outside the globe's outline. */
export function pointToCoordinates(
  projection: GeoProjection,
  x: number,
  y: number,
): { latitude: number; longitude: number } | null {
  const inverted = projection.invert?.([x, y]);
  if (!inverted) return null;
  const [longitude, latitude] = inverted;
  if (!Number.isFinite(longitude) || !Number.isFinite(latitude) || Math.abs(longitude) > 180 || Math.abs(latitude) > 90)
    return null;
  // Equal Earth's inverse answers for points beyond the outline too: a point is on the globe
  // only if projecting its answer comes back to it.
  const [backX = Number.NaN, backY = Number.NaN] = projection([longitude, latitude]) ?? [];
  if (Math.hypot(backX - x, backY - y) > 0.5) return null;
  return { latitude, longitude };
}
