import { DomainError } from '@tocsin/common';

/** A map viewport. `west > east` means the box crosses the antimeridian. */
export interface BoundingBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** Plain decimal degrees: no spaces, exponents, hexadecimal or other forms Number() reads. */
const DECIMAL = /^-?[0-9]{1,3}(\.[0-9]{1,20})?$/;

/** Parses `w,s,e,n` in degrees, as `?bbox=` carries it. */
export function parseBbox(text: string): BoundingBox {
  const parts = text.split(',');
  const numbers = parts.map(Number);
  if (parts.length !== 4 || !parts.every((part) => DECIMAL.test(part))) {
    throw badBbox(
      'must be four numbers: west,south,east,north, in plain decimal degrees ' +
        '(at most 20 decimals)',
    );
  }

  const [west, south, east, north] = numbers;
  if ([west, east].some((lon) => Math.abs(lon) > 180)) {
    throw badBbox('longitudes must be within -180..180');
  }
  if ([south, north].some((lat) => Math.abs(lat) > 90)) {
    throw badBbox('latitudes must be within -90..90');
  }
  if (south > north) throw badBbox('south must not be greater than north');

  return { west, south, east, north };
}

function badBbox(message: string): DomainError {
  return new DomainError('invalid', 'geo.invalid_bbox', `bbox ${message}`);
}
