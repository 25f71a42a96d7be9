import type { CapCircle, LonLat } from './cap.types';

/** xs:decimal without exponent, the number form CAP coordinates use. */
const DECIMAL = '[-+]?(?:\\d+\\.?\\d*|\\.\\d+)';
const POINT = new RegExp(`^(${DECIMAL}),(${DECIMAL})$`);
const CIRCLE = new RegExp(`^(${DECIMAL}),(${DECIMAL})\\s+(${DECIMAL})$`);

export type GeometryResult<T> = { value: T } | { error: string };

/**
 * Reads a CAP polygon: whitespace-separated "lat,lon" pairs, at least four, the first equal to
 * the last. Returns the ring in GeoJSON order ([lon, lat]).
 */
export function parseCapPolygon(text: string): GeometryResult<LonLat[]> {
  const tokens = text.split(/\s+/);
  const ring: LonLat[] = [];
  for (const [i, token] of tokens.entries()) {
    const point = parsePoint(token, `point ${i + 1}`);
    if ('error' in point) return point;
    ring.push(point.value);
  }
  if (ring.length < 4) {
    return { error: `a polygon needs at least 4 points, this one has ${ring.length}` };
  }
  const [first, last] = [ring[0]!, ring[ring.length - 1]!];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    return { error: 'ring is not closed (the first point must equal the last)' };
  }

  return { value: ring };
}

/** Reads a CAP circle "lat,lon radius" with the radius in kilometres. */
export function parseCapCircle(text: string): GeometryResult<CapCircle> {
  const match = CIRCLE.exec(text);
  if (!match) return { error: `"${clip(text)}" is not of the form "lat,lon radius"` };
  const point = checkRange(Number(match[1]), Number(match[2]), 'the centre');
  if ('error' in point) return point;
  const radiusKm = Number(match[3]);
  if (radiusKm < 0) return { error: `the radius ${radiusKm} is negative` };

  return { value: { center: point.value, radiusKm } };
}

function parsePoint(token: string, label: string): GeometryResult<LonLat> {
  const match = POINT.exec(token);
  if (!match) return { error: `${label} "${clip(token)}" is not "lat,lon"` };

  return checkRange(Number(match[1]), Number(match[2]), label);
}

function checkRange(lat: number, lon: number, label: string): GeometryResult<LonLat> {
  if (lat < -90 || lat > 90) return { error: `${label}: latitude ${lat} is outside -90..90` };
  if (lon < -180 || lon > 180) return { error: `${label}: longitude ${lon} is outside -180..180` };

  return { value: [lon, lat] };
}

/** CAP text of a polygon ring given in GeoJSON order. */
export function formatCapPolygon(ring: readonly LonLat[]): string {
  return ring.map(([lon, lat]) => `${decimal(lat)},${decimal(lon)}`).join(' ');
}

export function formatCapCircle(circle: CapCircle): string {
  const [lon, lat] = circle.center;

  return `${decimal(lat)},${decimal(lon)} ${decimal(circle.radiusKm)}`;
}

/** A number as xs:decimal: JavaScript's shortest form, never with an exponent. */
export function decimal(n: number): string {
  const text = String(n);
  if (!/e/i.test(text)) return text;

  return n.toFixed(20).replace(/\.?0+$/, '');
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
