/** Bounds on what one alert area may be; anything larger is a mistake or an attack. */
export const GEO_LIMITS = {
  /** Vertices in one area (all rings of all polygons). Real warning polygons stay far below. */
  maxVerticesPerArea: 20_000,
  maxPolygonsPerArea: 500,
  /** A circle larger than this is not an incident area. */
  maxRadiusMeters: 500_000,
  minRadiusMeters: 1,
  /** Vertices of the polygon that stands in for a circle where a polygon is needed. */
  circleSteps: 64,
} as const;
