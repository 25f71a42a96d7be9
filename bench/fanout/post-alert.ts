/**
 * An authenticated POST /api/alerts, as a dispatcher sends it; fails unless the alert is
 * created, and returns its id.
 */
export async function post(url: string, token: string, body: object): Promise<string> {
  const response = await fetch(`${url}/api/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) {
    throw new Error(`POST /api/alerts: ${response.status} ${await response.text()}`);
  }

  return ((await response.json()) as { id: string }).id;
}

/** A severe alert to one group; `description` pads it to the size a benchmark wants. */
export function alertBody(groupId: string, description: string | undefined) {
  return {
    event: 'Bench',
    headline: 'Fan-out benchmark',
    ...(description ? { description } : {}),
    severity: 'Severe',
    urgency: 'Immediate',
    certainty: 'Observed',
    areas: [{ areaDesc: 'A', circle: { center: [4.84, 45.75], radiusMeters: 1000 } }],
    groupIds: [groupId],
  };
}
