import { describe, expect, it } from 'vitest';
import { alertAreaUnion, CAP_CIRCLE_STEPS, capAreaToGeoJson } from './cap-geojson';
import type { CapAlert, CapArea, CapInfo } from './cap.types';

const RING: [number, number][] = [
  [-120.14, 38.47],
  [-119.95, 38.34],
  [-119.74, 38.52],
  [-120.14, 38.47],
];

function area(parts: Partial<CapArea>): CapArea {
  return { areaDesc: 'zone', polygon: [], circle: [], geocode: [], ...parts };
}

describe('capAreaToGeoJson', () => {
  it('returns polygons as a MultiPolygon in lon,lat order', () => {
    const { geometry, circles } = capAreaToGeoJson(area({ polygon: [RING, RING.slice()] }));

    expect(geometry).toEqual({ type: 'MultiPolygon', coordinates: [[RING]] });
    expect(circles).toEqual([]);
  });

  it('approximates circles with 64 segments and keeps the original circle', () => {
    const circle = { center: [151.2, -33.5] as [number, number], radiusKm: 25 };
    const { geometry, circles } = capAreaToGeoJson(area({ circle: [circle] }));
    const ring = geometry!.coordinates[0]![0]!;

    expect(ring).toHaveLength(CAP_CIRCLE_STEPS + 1);
    expect(ring[0]).toEqual(ring.at(-1));
    const [lon, lat] = ring[0]!;
    const km = Math.hypot(
      (lon! - 151.2) * 111.32 * Math.cos((33.5 * Math.PI) / 180),
      (lat! + 33.5) * 110.57,
    );
    expect(km).toBeGreaterThan(24.5);
    expect(km).toBeLessThan(25.5);
    expect(circles).toEqual([circle]);
  });

  it('keeps a zero-radius circle as a point only, and gives null without geometry', () => {
    const point = { center: [-115.55, 32.95] as [number, number], radiusKm: 0 };

    expect(capAreaToGeoJson(area({ circle: [point] }))).toEqual({
      geometry: null,
      circles: [point],
    });
    expect(capAreaToGeoJson(area({ geocode: [{ valueName: 'SAME', value: '006109' }] }))).toEqual({
      geometry: null,
      circles: [],
    });
  });
});

describe('alertAreaUnion', () => {
  it('unites every area of every info, each shape once', () => {
    const other: [number, number][] = RING.map(([lon, lat]) => [lon + 1, lat]);
    const info = (areas: CapArea[]): CapInfo => ({ area: areas }) as unknown as CapInfo;
    const alert = {
      info: [info([area({ polygon: [RING] })]), info([area({ polygon: [RING, other] })])],
    } as unknown as CapAlert;

    expect(alertAreaUnion(alert).geometry?.coordinates).toEqual([[RING], [other]]);
  });
});
