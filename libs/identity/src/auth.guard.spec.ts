import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AllowTemporaryPassword, Roles, SessionCheckedByRoute } from '@tocsin/http';
import { describe, expect, it } from 'vitest';
import { AuthGuard, carriesTokenInQuery } from './auth.guard';
import type { AccessTokenService } from './tokens/access-token.service';

describe('carriesTokenInQuery', () => {
  it('spots credentials in a query string', () => {
    expect(carriesTokenInQuery('/api/me?access_token=abc')).toBe(true);
    expect(carriesTokenInQuery('/api/me?TOKEN=abc')).toBe(true);
    expect(carriesTokenInQuery('/api/me?q=eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe(true);
  });

  it('lets ordinary queries through', () => {
    expect(carriesTokenInQuery('/api/me')).toBe(false);
    expect(carriesTokenInQuery('/api/audit?action=auth.login&limit=5')).toBe(false);
  });
});

describe('AuthGuard on a route that checks the session itself', () => {
  const caller = { userId: 'u', sessionId: 's' };
  const accessTokens = { verifySignature: () => caller, verify: () => Promise.reject(new Error()) };
  const guard = (handler: () => void) => {
    const request: Record<string, any> = {
      originalUrl: '/api/alerts',
      headers: { authorization: 'Bearer a.b.c' },
    };
    const context = {
      getType: () => 'http',
      getHandler: () => handler,
      getClass: () => class Controller {},
      switchToHttp: () => ({ getRequest: () => request }),
    } as unknown as ExecutionContext;
    const auth = new AuthGuard(new Reflector(), accessTokens as unknown as AccessTokenService);

    return { request, activate: () => auth.canActivate(context) };
  };

  it('checks only the signature and leaves the caller for the route', async () => {
    class Routes {
      @SessionCheckedByRoute()
      list() {}
    }
    const { request, activate } = guard(Routes.prototype.list);

    await expect(activate()).resolves.toBe(true);
    expect(request.signedCaller).toEqual(caller);
    expect(request.principal).toBeUndefined();
  });

  it('refuses to be combined with roles or a temporary password', async () => {
    class Routes {
      @SessionCheckedByRoute()
      @Roles('admin')
      withRoles() {}

      @SessionCheckedByRoute()
      @AllowTemporaryPassword()
      withTemporary() {}
    }
    for (const handler of [Routes.prototype.withRoles, Routes.prototype.withTemporary]) {
      await expect(guard(handler).activate()).rejects.toThrow(/cannot be combined/);
    }
  });
});
