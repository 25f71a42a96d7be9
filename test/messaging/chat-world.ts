import { randomUUID } from 'node:crypto';
import {
  createAgency,
  createUser,
  identityEnv,
  loginOperator,
  type TestAgency,
  type TestUser,
} from '../support/identity-factory';
import { request, startTestApp, type TestApp } from '../support/test-app';

/** Two agencies, a group of A with three responders, and its conversation. */
export interface ChatWorld {
  api: TestApp;
  operatorToken: string;
  a: TestAgency;
  b: TestAgency;
  groupId: string;
  members: TestUser[];
  conversationId: string;
}

export async function startChatWorld(): Promise<ChatWorld> {
  const api = await startTestApp(identityEnv());
  const operator = await loginOperator(api.url);
  const a = await createAgency(api.url, operator.accessToken, 'Agency A');
  const b = await createAgency(api.url, operator.accessToken, 'Agency B');
  const members = [a.users.responder];
  for (let i = 0; i < 2; i++) {
    members.push(await createUser(api.url, operator.accessToken, a.id, 'responder'));
  }
  const group = await call(api, a.users.admin, 'POST', '/api/groups', { name: 'Engine 4' });
  for (const user of members) {
    const added = await call(api, a.users.admin, 'POST', `/api/groups/${group.body.id}/members`, {
      userId: user.id,
    });
    if (added.status !== 200) throw new Error(`add member: ${JSON.stringify(added.body)}`);
  }
  const conversation = await call(api, members[0], 'POST', '/api/conversations', {
    kind: 'group',
    groupId: group.body.id,
  });
  if (conversation.status !== 201) {
    throw new Error(`conversation: ${conversation.status} ${JSON.stringify(conversation.body)}`);
  }

  return {
    api,
    operatorToken: operator.accessToken,
    a,
    b,
    groupId: group.body.id,
    members,
    conversationId: conversation.body.id,
  };
}

export function call(api: TestApp, user: TestUser, method: string, path: string, body?: unknown) {
  return request(`${api.url}${path}`, { method, token: user.accessToken, body });
}

export function send(api: TestApp, user: TestUser, conversationId: string, body: string) {
  return call(api, user, 'POST', `/api/conversations/${conversationId}/messages`, {
    clientId: randomUUID(),
    body,
  });
}
