import { Injectable } from '@nestjs/common';
import { DomainError } from '@tocsin/common';
import { DataSource } from 'typeorm';
import type { Area } from './area';
import { crossesAntimeridian } from './antimeridian';

interface InvalidRow {
  area_index: number;
  polygon_index: number;
  reason: string;
  location: string | null;
}

/**
 * Finds edges that cross each other, with GEOS inside PostGIS: its sweep stays fast on rings
 * of thousands of vertices, where a JavaScript check grows quadratically. Polygons across the
 * antimeridian are checked with their western longitudes shifted by 360°.
 */
@Injectable()
export class GeometryChecker {
  constructor(private readonly dataSource: DataSource) {}

  async assertSimple(areas: Area[], path = 'areas'): Promise<void> {
    const polygons = areas.flatMap((area, areaIndex) =>
      area.geometry.coordinates.map((rings, polygonIndex) => ({
        areaIndex,
        polygonIndex,
        json: JSON.stringify({ type: 'Polygon', coordinates: rings }),
        shift: rings.some(crossesAntimeridian),
      })),
    );
    if (polygons.length === 0) return;

    const rows: InvalidRow[] = await this.dataSource.query(
      `SELECT p.area_index, p.polygon_index, d.reason, ST_AsText(d.location) AS location
         FROM jsonb_to_recordset($1::jsonb)
              AS p(area_index int, polygon_index int, json text, shift boolean)
        CROSS JOIN LATERAL ST_IsValidDetail(
              CASE WHEN p.shift THEN ST_ShiftLongitude(ST_GeomFromGeoJSON(p.json))
                   ELSE ST_GeomFromGeoJSON(p.json) END) AS d
        WHERE NOT d.valid
        ORDER BY p.area_index, p.polygon_index`,
      [
        JSON.stringify(
          polygons.map((p) => ({
            area_index: p.areaIndex,
            polygon_index: p.polygonIndex,
            json: p.json,
            shift: p.shift,
          })),
        ),
      ],
    );
    if (rows.length === 0) return;

    const problems = rows.map((row) => ({
      path: `${path}[${row.area_index}].geometry.coordinates[${row.polygon_index}]`,
      message: `is not a valid polygon: ${row.reason}${row.location ? ` at ${row.location}` : ''}`,
    }));
    throw new DomainError(
      'invalid',
      'geo.invalid_area',
      problems.map((p) => `${p.path}: ${p.message}`).join('; '),
      { problems },
    );
  }
}
