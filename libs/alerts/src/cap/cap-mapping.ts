import {
  capAreaToGeoJson,
  toCapTime,
  type CapAlert,
  type CapArea,
  type CapInfo,
  type LonLat,
} from '@tocsin/cap';
import type { AlertAreaView } from '@tocsin/contracts';
import type { MultiPolygon } from 'geojson';
import type { AlertRecord } from '../alert-record';
import type { NewAlert } from '../alerts.repository';

/** The language of a native alert's one info block (CAP's default). */
export const NATIVE_LANGUAGE = 'en-US';

/** One stored area of an imported alert; geometry is null for geocode-only areas. */
export interface StoredCapArea {
  areaDesc: string;
  geometry: MultiPolygon | null;
  circle: { center: LonLat; radiusMeters: number } | null;
  geocodes: { valueName: string; value: string }[];
}

/** The alert columns a CAP message sets: its first info block, and the message header. */
export type CapColumns = Omit<
  NewAlert,
  'agencyId' | 'senderUserId' | 'groupIds' | 'escalateAfterSeconds' | 'backupGroupId'
>;

/**
 * Maps a CAP message onto the alert columns. The first info block gives the text and the
 * enumerations (every block is kept whole in `cap_message`); a message without info (a bare
 * Cancel) gets neutral values. The alert expires with its latest info, else after the
 * default lifetime; never before it was sent (the table's check).
 */
export function capColumns(cap: CapAlert, defaultTtlMinutes: number): CapColumns {
  const info: CapInfo | undefined = cap.info[0];
  const sent = new Date(cap.sent.instant);
  const latest = Math.max(...cap.info.map((i) => (i.expires ? Date.parse(i.expires.instant) : 0)));
  const expires = latest > 0 ? latest : sent.getTime() + defaultTtlMinutes * 60_000;

  return {
    identifier: cap.identifier,
    sender: cap.sender,
    sent,
    status: cap.status,
    msgType: cap.msgType,
    scope: cap.scope,
    references: cap.references.map((r) => ({
      sender: r.sender,
      identifier: r.identifier,
      sent: r.sent.instant,
    })),
    event: info?.event ?? `CAP ${cap.msgType}`,
    headline: info?.headline ?? info?.event ?? cap.note ?? `CAP ${cap.msgType} from ${cap.sender}`,
    description: info?.description ?? null,
    instruction: info?.instruction ?? null,
    category: info?.category.length ? info.category : ['Other'],
    severity: info?.severity ?? 'Unknown',
    urgency: info?.urgency ?? 'Unknown',
    certainty: info?.certainty ?? 'Unknown',
    effective: info?.effective ? new Date(info.effective.instant) : sent,
    onset: info?.onset ? new Date(info.onset.instant) : null,
    expires: new Date(Math.max(expires, sent.getTime() + 1000)),
  };
}

/**
 * Every area of every info block, each once (the same area repeated per language is one
 * area). Polygons and circles become one MultiPolygon; a lone circle also keeps its centre
 * and radius, so targeting measures the exact distance. Geocode-only areas have no geometry.
 */
export function capAreas(cap: CapAlert): StoredCapArea[] {
  const seen = new Set<string>();
  const areas: StoredCapArea[] = [];
  for (const area of cap.info.flatMap((info) => info.area)) {
    const key = JSON.stringify([area.polygon, area.circle, area.geocode]);
    if (seen.has(key)) continue;
    seen.add(key);
    const { geometry } = capAreaToGeoJson(area);
    const lone = area.polygon.length === 0 && area.circle.length === 1 ? area.circle[0] : undefined;
    areas.push({
      areaDesc: area.areaDesc,
      geometry,
      circle: lone ? { center: lone.center, radiusMeters: lone.radiusKm * 1000 } : null,
      geocodes: area.geocode.map(({ valueName, value }) => ({ valueName, value })),
    });
  }

  return areas;
}

/**
 * A native alert (or an imported one changed natively since) as a CAP 1.2 message: one info
 * block in en-US from the columns, times in UTC written "-00:00", polygons as their outer
 * rings (CAP polygons have no holes).
 */
export function nativeToCap(record: AlertRecord): CapAlert {
  const info: CapInfo = {
    language: NATIVE_LANGUAGE,
    category: record.category,
    event: record.event,
    responseType: [],
    urgency: record.urgency,
    severity: record.severity,
    certainty: record.certainty,
    eventCode: [],
    effective: toCapTime(record.effective),
    onset: record.onset ? toCapTime(record.onset) : undefined,
    expires: toCapTime(record.expires),
    headline: record.headline,
    description: record.description ?? undefined,
    instruction: record.instruction ?? undefined,
    parameter: [],
    resource: [],
    area: record.areas.map(viewToCapArea),
  };

  return {
    identifier: record.identifier,
    sender: record.sender,
    sent: toCapTime(record.sent),
    status: record.status,
    msgType: record.msgType,
    scope: record.scope,
    // TODO: native Private alerts have no CAP <addresses>; they export with the group ids
    // as addresses until alerts carry an address list of their own.
    addresses: record.scope === 'Private' ? record.groupIds.join(' ') || 'none' : undefined,
    code: [],
    // A Cancel says why in its note; CAP has no element of its own for it.
    note: record.cancelReason ?? undefined,
    references: record.references.map((r) => ({
      sender: r.sender,
      identifier: r.identifier,
      sent: toCapTime(r.sent),
    })),
    info: [info],
    sourceVersion: '1.2',
    signed: false,
  };
}

function viewToCapArea(area: AlertAreaView): CapArea {
  const circle = area.circle
    ? [{ center: area.circle.center, radiusKm: area.circle.radiusMeters / 1000 }]
    : [];
  const polygon =
    area.circle || !area.geometry
      ? []
      : area.geometry.coordinates.map((rings) => rings[0]!.map(([lon, lat]) => [lon!, lat!]));

  return {
    areaDesc: area.areaDesc,
    polygon: polygon as LonLat[][],
    circle,
    geocode: area.geocodes ?? [],
  };
}
