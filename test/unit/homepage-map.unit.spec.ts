/**
 * The homepage's map, as the pure renderer draws it: land from the bundled dataset, one pin
 * per listed destination, placed by the shared projection, named as text and linked to its
 * entry in the list; a point of the map turns back into the coordinates drawn there.
 */
import { placeAt } from '../support/destinations.js';
import { describe, expect, it } from 'vitest';
import { homepageHtml } from '../../src/handlers/render-homepage.js';
import { mapProjection, pinPosition, pointToCoordinates } from '../../src/site/map-projection.js';
import { worldMap } from '../../src/site/world-map.js';

const place = placeAt;

describe('the homepage map', () => {
  it('given no destinations, then it draws the globe and the land, and no pin', () => {
    const map = worldMap([]);
    expect(map.width).toBe(960);
    expect(map.height).toBeGreaterThan(400);
    expect(map.height).toBeLessThan(500);
    expect(map.sphere).toMatch(/^M/);
    // Natural Earth 1:110m land: many rings, each a closed path.
    expect(map.land.match(/Z/g)?.length ?? 0).toBeGreaterThan(50);
    expect(map.pins).toEqual([]);
  });

  it('given places, then the pins sit where the projection puts them: 0°,0° in the middle, north up, east right', () => {
    const map = worldMap([
      place('a', 'Null Island', 0, 0),
      place('b', 'Ghent', 51.05, 3.72),
      place('c', 'Quito', -0.18, -78.47),
    ]);
    const [nullIsland, ghent, quito] = map.pins;
    expect(nullIsland).toMatchObject({ x: map.width / 2, y: expect.closeTo(map.height / 2, 0) });
    expect(ghent!.y).toBeLessThan(nullIsland!.y);
    expect(ghent!.x).toBeGreaterThan(nullIsland!.x);
    expect(quito!.x).toBeLessThan(nullIsland!.x);
  });

  it('given a point of the map, then the inverse projection gives back the coordinates drawn there, and null off the globe', () => {
    const projection = mapProjection();
    const { x, y } = pinPosition(projection, 51.05, 3.72);
    const back = pointToCoordinates(projection, x, y);
    // A pin is placed to a tenth of a unit: about 0.05° at this scale.
    expect(back?.latitude).toBeCloseTo(51.05, 0);
    expect(back?.longitude).toBeCloseTo(3.72, 0);
    expect(pointToCoordinates(projection, 2, 2)).toBeNull();
  });

  it('given a hostile name, then its pin names it as escaped text, and the pin links to its entry in the list', () => {
    const name = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';
    const html = homepageHtml({ version: 1, entries: [place('d-1', name, 50.85, 4.35)] });
    const pin = /<a class="pin" href="#destination-d-1" data-id="d-1" tabindex="-1">(.*?)<\/a>/.exec(html)?.[1] ?? '';
    const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;';
    expect(pin).toContain(`<title>${escaped}</title>`);
    expect(pin).toMatch(
      new RegExp(`<text class="pin-label"[^>]*>${escaped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</text>`),
    );
    expect(html).toContain('<li class="destination" data-id="d-1" id="destination-d-1">');
    expect(html).not.toContain('<img');
    expect(html.match(/<script/g)).toHaveLength(1);
  });
});
