/**
 * A seeded generator of large, valid CAP 1.2 messages: many areas, each a detailed polygon,
 * the shape of real county-level alerts that approach a megabyte.
 */

/** mulberry32: small, fast, deterministic. */
function random(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function polygon(next: () => number, points: number): string {
  const [lat0, lon0] = [25 + next() * 20, -120 + next() * 40];
  const ring: string[] = [];
  for (let i = 0; i < points - 1; i += 1) {
    const angle = (2 * Math.PI * i) / (points - 1);
    const r = 0.2 + next() * 0.3;
    const lat = (lat0 + r * Math.sin(angle)).toFixed(6);
    const lon = (lon0 + r * Math.cos(angle)).toFixed(6);
    ring.push(`${lat},${lon}`);
  }
  ring.push(ring[0]!);

  return ring.join(' ');
}

export function generateCapMessage(seed: number, areas: number, pointsPerPolygon: number): string {
  const next = random(seed);
  const areaXml = Array.from(
    { length: areas },
    (_, i) =>
      `<area><areaDesc>Zone ${i}</areaDesc><polygon>${polygon(next, pointsPerPolygon)}</polygon>` +
      `<geocode><valueName>SAME</valueName><value>0${String(6000 + i)}</value></geocode></area>`,
  ).join('\n');

  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
<identifier>BENCH-${seed}</identifier><sender>bench@tocsin.example</sender>
<sent>2024-05-01T10:00:00-05:00</sent><status>Actual</status><msgType>Alert</msgType>
<scope>Public</scope>
<info><category>Met</category><event>Flood Warning</event><urgency>Immediate</urgency>
<severity>Severe</severity><certainty>Observed</certainty>
<expires>2024-05-01T18:00:00-05:00</expires><headline>Flood warning</headline>
${areaXml}
</info>
</alert>
`;
}
