import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import {
  createAgency,
  identityEnv,
  loginOperator,
  type TestAgency,
} from '../support/identity-factory';
import { request, startTestApp, type TestApp } from '../support/test-app';

/** The site that embeds the widget in these tests (no server needs to answer there). */
export const SITE = 'http://site.test:8080';

export interface LiveHelpWorld {
  api: TestApp;
  operatorToken: string;
  agency: TestAgency;
}

/** The API with one agency whose Live Help allows {@link SITE}. */
export async function startLiveHelpWorld(env: Record<string, string> = {}) {
  const api = await startTestApp(identityEnv(env));
  const operator = await loginOperator(api.url);
  const agency = await createAgency(api.url, operator.accessToken, 'Agency A');
  await configure(api, agency, { allowedOrigins: [SITE], pushPrefixes: [`${SITE}/help/`] });

  return { api, operatorToken: operator.accessToken, agency } satisfies LiveHelpWorld;
}

export async function configure(api: TestApp, agency: TestAgency, settings: object) {
  const saved = await request(`${api.url}/api/livehelp/settings`, {
    method: 'PUT',
    token: agency.users.admin.accessToken,
    body: settings,
  });
  if (saved.status !== 200) throw new Error(`settings: ${JSON.stringify(saved.body)}`);

  return saved.body;
}

/** Starts a visitor chat as a page of `origin` would. */
export function startVisitor(
  api: TestApp,
  agencyId: string,
  body: Record<string, unknown> = {},
  origin: string | null = SITE,
) {
  return request(`${api.url}/api/livehelp/visitors`, {
    method: 'POST',
    body: { agencyId, ...body },
    headers: origin ? { origin } : {},
  });
}

/** A visitor route called with a token, from the site. */
export function asVisitor(
  api: TestApp,
  token: string,
  method: string,
  path: string,
  body?: unknown,
) {
  return request(`${api.url}/api/livehelp/visitor/${path}`, {
    method,
    token,
    body,
    headers: { origin: SITE },
  });
}

export const sendAsVisitor = (api: TestApp, token: string, body: unknown) =>
  asVisitor(api, token, 'POST', 'messages', { clientId: randomUUID(), body });

/** A socket on the `/livehelp` namespace, recording what it receives. */
export function connectLiveHelp(url: string, token: string, origin?: string) {
  const socket = io(`${url}/livehelp`, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: { token },
    reconnection: false,
    forceNew: true,
    extraHeaders: origin ? { origin } : {},
  });
  const received: { event: string; payload: any }[] = [];
  socket.onAny((event: string, payload: unknown) => received.push({ event, payload }));
  const ready = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error: Error) => reject(error));
  });

  const waitFor = async (event: string, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = received.find((entry) => entry.event === event);
      if (found) return found.payload;
      if (Date.now() > deadline) {
        throw new Error(`no ${event}; got ${received.map((entry) => entry.event).join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  return { socket, received, ready, waitFor };
}
