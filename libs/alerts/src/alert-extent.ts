/**
 * The box the map viewport query tests an alert against (`alerts.extent`, GiST indexed), as
 * one SQL statement over the alert's stored areas (`$1` the alert id).
 *
 * The areas are geography: their edges are great-circle arcs, and an area may cross the
 * antimeridian (Fiji, the Aleutians). A planar envelope of the raw vertices would be wrong
 * both ways there: too small where an arc bulges past its end points, and the wrong side of
 * the globe for an area across 180°. So the arcs are first cut into pieces of at most 10 km,
 * which puts vertices along the true edges, and a box more than 180° wide (an area across
 * the antimeridian, or one truly that wide) becomes every longitude of its latitude band: a
 * superset, never a miss. The list query then checks such wrapped alerts exactly
 * ({@link WRAPPED_EXTENT_CHECK}). A hair of padding keeps a very thin area a box, not a line.
 */
export const UPDATE_ALERT_EXTENT = `
  UPDATE alerts SET extent = (
    SELECT CASE WHEN ST_XMax(box) - ST_XMin(box) > 180
                THEN ST_MakeEnvelope(-180, ST_YMin(box), 180, ST_YMax(box), 4326)
                ELSE box END
      FROM (SELECT ST_Envelope(ST_Expand(ST_Collect(ST_Segmentize(geom, 10000)::geometry),
                                         1e-9)) AS box
              FROM alert_areas WHERE alert_id = $1 AND geom IS NOT NULL) b
     WHERE box IS NOT NULL)
   WHERE id = $1`;

/**
 * For an alert whose extent wraps the globe, whether one of its areas really meets the
 * viewport `w, s, e, n` (SQL expressions; `w > e` crosses the antimeridian). Each area is
 * densified as for its extent; one that crosses the antimeridian is narrower with its
 * longitudes shifted into 0..360 (where it is one piece) and is tested there, against the
 * viewport drawn in the same space; one truly wider than 180° is tested as it is. Other
 * alerts pass: their extent test is exact.
 */
export function wrappedExtentCheck(w: string, s: string, e: string, n: string): string {
  const crosses = `(${w} > ${e})`;
  const box = (west: string, east: string) => `ST_MakeEnvelope(${west}, ${s}, ${east}, ${n}, 4326)`;
  const plain =
    `ST_Intersects(d.g, ${box(w, `CASE WHEN ${crosses} THEN 180 ELSE ${e} END`)})` +
    ` OR (${crosses} AND ST_Intersects(d.g, ${box('-180', e)}))`;
  const shifted =
    `ST_Intersects(d.shifted, ${box(w, `CASE WHEN ${crosses} THEN ${e} + 360 ELSE ${e} END`)})` +
    ` OR ST_Intersects(d.shifted, ${box(`${w} + 360`, `${e} + 360`)})`;
  const width = (g: string) => `(ST_XMax(${g}) - ST_XMin(${g}))`;

  return `(${width('a.extent')} < 360 OR EXISTS (
      SELECT 1
        FROM alert_areas ar,
             LATERAL (SELECT g, ST_ShiftLongitude(g) AS shifted
                        FROM (SELECT ST_Segmentize(ar.geom, 10000)::geometry AS g) x) d
       WHERE ar.alert_id = a.id AND ar.geom IS NOT NULL
         AND CASE WHEN ${width('d.shifted')} < ${width('d.g')} THEN ${shifted}
                  ELSE ${plain} END))`;
}
