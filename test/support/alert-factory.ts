import { request } from './test-app';

/** Builders for alert requests: sensible defaults, overridden per test. */

export const LYON_SQUARE = {
  type: 'Polygon',
  coordinates: [
    [
      [4.8, 45.72],
      [4.88, 45.72],
      [4.88, 45.78],
      [4.8, 45.78],
      [4.8, 45.72],
    ],
  ],
};

export const INSIDE_LYON = { lat: 45.75, lon: 4.84, accuracy: 15 };
export const IN_PARIS = { lat: 48.85, lon: 2.35, accuracy: 15 };

export function alertBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event: 'Chemical spill',
    headline: 'Tanker leak on the ring road',
    description: 'A tanker is leaking near exit 4.',
    instruction: 'Approach from upwind. Full protective equipment.',
    category: ['CBRNE'],
    severity: 'Severe',
    urgency: 'Immediate',
    certainty: 'Observed',
    areas: [{ areaDesc: 'Ring road, exit 4', geometry: LYON_SQUARE }],
    ...overrides,
  };
}

/** Sends an alert to one group as this dispatcher; its id (the test fails unless 201). */
export async function sendAlertToGroup(
  url: string,
  token: string,
  groupId: string,
  headline: string,
): Promise<string> {
  const sent = await request(`${url}/api/alerts`, {
    method: 'POST',
    token,
    body: alertBody({ groupIds: [groupId], headline }),
  });
  if (sent.status !== 201) throw new Error(`alert not sent: ${sent.status}`);

  return sent.body.id as string;
}
