// The CAP library's test-only fixture builder: not part of its public surface, so no alias.
// eslint-disable-next-line no-restricted-imports
import { capXml, type CapFixture } from '../../libs/cap/test-fixtures/cap-builder';
import { request } from './test-app';

/** POSTs a CAP document to /api/cap as `application/cap+xml` (or another type). */
export async function postCap(
  url: string,
  token: string | undefined,
  xml: string | Buffer,
  type = 'application/cap+xml',
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': type };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${url}/api/cap`, {
    method: 'POST',
    headers,
    body: typeof xml === 'string' ? xml : new Uint8Array(xml),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text.
  }

  return { status: response.status, body, headers: response.headers };
}

/** Fetches an alert's CAP export as text. */
export async function getCap(url: string, path: string, token?: string) {
  const response = await request(`${url}${path}`, { token });

  return { ...response, xml: response.body as string };
}

/** A CAP time `minutes` from now, with a +02:00 offset (an explicit one, never "Z"). */
export function capTimeIn(minutes: number): string {
  const date = new Date(Math.floor(Date.now() / 1000) * 1000 + minutes * 60_000);
  const local = new Date(date.getTime() + 120 * 60_000).toISOString().slice(0, 19);

  return `${local}+02:00`;
}

/** A square around central Lyon, as CAP writes polygons ("lat,lon" pairs). */
export const LYON_CAP_POLYGON = '45.72,4.8 45.72,4.88 45.78,4.88 45.78,4.8 45.72,4.8';

/** A current CAP alert over Lyon; `id` makes the identifier. */
export function lyonCap(id: string, fixture: CapFixture = {}): string {
  return capXml({
    ...fixture,
    alert: {
      identifier: id,
      sender: 'warnings@meteo.example',
      sent: capTimeIn(0),
      ...fixture.alert,
    },
    info:
      fixture.info === null
        ? null
        : {
            language: 'en-GB',
            expires: capTimeIn(120),
            headline: `Flood warning ${id}`,
            ...fixture.info,
          },
    areas:
      fixture.areas ??
      `<area><areaDesc>Lyon centre</areaDesc><polygon>${LYON_CAP_POLYGON}</polygon></area>`,
  });
}

/** A `<references>` value naming one message. */
export function ref(id: string, sent: string, sender = 'warnings@meteo.example'): string {
  return `${sender},${id},${sent}`;
}
