import { randomBytes } from 'node:crypto';
import { USER_ROLES, type TokenPair, type UserRole } from '@tocsin/contracts';
import { request } from './test-app';

/** The platform operator every test app starts with (see {@link identityEnv}). */
export const OPERATOR = {
  email: 'operator@tocsin.test',
  password: 'operator-password-for-tests',
};

/** Settings that make the first start create {@link OPERATOR}; pass them to startTestApp. */
export function identityEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    TOCSIN_ADMIN_EMAIL: OPERATOR.email,
    TOCSIN_ADMIN_PASSWORD: OPERATOR.password,
    ...extra,
  };
}

export interface TestUser {
  id: string;
  agencyId: string;
  email: string;
  password: string;
  role: UserRole;
  accessToken: string;
  refreshToken: string;
}

export interface TestAgency {
  id: string;
  name: string;
  /** One logged-in user per role. */
  users: Record<UserRole, TestUser>;
}

const unique = () => randomBytes(4).toString('hex');

export async function login(url: string, email: string, password: string): Promise<TokenPair> {
  const response = await request(`${url}/api/auth/login`, {
    method: 'POST',
    body: { email, password },
  });
  if (response.status !== 200) {
    throw new Error(
      `login of ${email} failed: ${response.status} ${JSON.stringify(response.body)}`,
    );
  }

  return response.body as TokenPair;
}

export async function loginOperator(url: string): Promise<TokenPair & { userId: string }> {
  const pair = await login(url, OPERATOR.email, OPERATOR.password);
  const me = await request(`${url}/api/me`, { token: pair.accessToken });

  return { ...pair, userId: me.body.id };
}

/**
 * Creates a user with a password through the API (as `token`) and logs them in. The password an
 * administrator sets is temporary, so the user changes it at once, as the app asks, unless
 * `keepTemporaryPassword` is set.
 */
export async function createUser(
  url: string,
  token: string,
  agencyId: string,
  role: UserRole,
  overrides: {
    email?: string;
    displayName?: string;
    password?: string;
    keepTemporaryPassword?: boolean;
  } = {},
): Promise<TestUser> {
  const email = overrides.email ?? `${role}-${unique()}@agency.test`;
  const temporary = overrides.password ?? `pw-${role}-${unique()}-long-enough`;
  const created = await request(`${url}/api/agencies/${agencyId}/users`, {
    method: 'POST',
    token,
    body: {
      email,
      displayName: overrides.displayName ?? `${role} ${unique()}`,
      role,
      password: temporary,
    },
  });
  if (created.status !== 201) {
    throw new Error(`creating ${email} failed: ${created.status} ${JSON.stringify(created.body)}`);
  }
  let password = temporary;
  let pair = await login(url, email, temporary);
  if (!overrides.keepTemporaryPassword) {
    password = `${temporary}-own`;
    const changed = await request(`${url}/api/me/password`, {
      method: 'PUT',
      token: pair.accessToken,
      body: { currentPassword: temporary, newPassword: password },
    });
    if (changed.status !== 204) throw new Error(`password change of ${email}: ${changed.status}`);
    pair = await login(url, email, password);
  }

  return {
    id: created.body.user.id,
    agencyId,
    email,
    password,
    role,
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
  };
}

/** An agency (created by the operator) with one logged-in user of each role. */
export async function createAgency(
  url: string,
  operatorToken: string,
  name = `Agency ${unique()}`,
): Promise<TestAgency> {
  const created = await request(`${url}/api/agencies`, {
    method: 'POST',
    token: operatorToken,
    body: { name },
  });
  if (created.status !== 201) {
    throw new Error(`creating ${name} failed: ${created.status} ${JSON.stringify(created.body)}`);
  }
  const agencyId = created.body.id as string;
  const users = {} as Record<UserRole, TestUser>;
  for (const role of USER_ROLES) {
    users[role] = await createUser(url, operatorToken, agencyId, role);
  }

  return { id: agencyId, name, users };
}

/** A group of the admin's agency with these members; its id. */
export async function createGroupWith(
  url: string,
  adminToken: string,
  name: string,
  memberIds: string[],
): Promise<string> {
  const group = await request(`${url}/api/groups`, {
    method: 'POST',
    token: adminToken,
    body: { name },
  });
  if (group.status !== 201) throw new Error(`group not created: ${group.status}`);

  for (const userId of memberIds) {
    const added = await request(`${url}/api/groups/${group.body.id}/members`, {
      method: 'POST',
      token: adminToken,
      body: { userId },
    });
    if (added.status >= 300) throw new Error(`member not added: ${added.status}`);
  }

  return group.body.id as string;
}
