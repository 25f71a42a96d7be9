import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertBody } from '../support/alert-factory';
import {
  createAgency,
  identityEnv,
  loginOperator,
  type TestAgency,
} from '../support/identity-factory';
import { request, startTestApp, type TestApp } from '../support/test-app';

/** A field that may be left out is never erased by sending null: 400, and nothing changes. */
describe('null where a value is required', () => {
  let api: TestApp;
  let agency: TestAgency;
  let alertId: string;

  beforeAll(async () => {
    api = await startTestApp(identityEnv());
    agency = await createAgency(api.url, (await loginOperator(api.url)).accessToken);
    const sent = await request(`${api.url}/api/alerts`, {
      method: 'POST',
      token: agency.users.dispatcher.accessToken,
      body: alertBody(),
    });
    alertId = sent.body.id;
  });

  afterAll(async () => {
    await api?.close();
  });

  it.each([
    [
      'PATCH',
      (): string => `/api/users/${agency.users.responder.id}`,
      { displayName: null },
      'admin',
    ],
    ['PATCH', (): string => `/api/users/${agency.users.responder.id}`, { role: null }, 'admin'],
    ['PUT', (): string => '/api/messaging/policy', { allowDirect: null }, 'admin'],
    ['PUT', (): string => '/api/messaging/policy', { newMembersSeeHistory: null }, 'admin'],
    ['POST', (): string => `/api/alerts/${alertId}/update`, { headline: null }, 'dispatcher'],
    ['POST', (): string => `/api/alerts/${alertId}/update`, { severity: null }, 'dispatcher'],
    ['POST', (): string => `/api/alerts/${alertId}/update`, {}, 'dispatcher'],
  ] as const)('%s %s with %j is refused with 400', async (method, path, body, role) => {
    const { status } = await request(`${api.url}${path()}`, {
      method,
      token: agency.users[role].accessToken,
      body,
    });

    expect(status).toBe(400);
  });

  it('left the alert at its first version', async () => {
    const { body } = await request(`${api.url}/api/alerts/${alertId}`, {
      token: agency.users.dispatcher.accessToken,
    });

    expect(body.version).toBe(1);
  });
});
