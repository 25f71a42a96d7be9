import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC } from '@tocsin/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestApp, type TestApp } from '../support/test-app';

interface Operation {
  responses: Record<string, { description?: string; content?: Record<string, any> }>;
}

type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

/** `GET /api/alerts/{id}` and the like, for every operation the description lists. */
function operations(document: OpenApiDocument): Map<string, Operation> {
  const found = new Map<string, Operation>();
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      found.set(`${method.toUpperCase()} ${path}`, operation);
    }
  }

  return found;
}

/**
 * The routes that the global guard protects, read from the running app: `@Public()` is not in
 * the OpenAPI description, so the test asks Nest which handlers lack it.
 */
function authenticatedRoutes(api: TestApp): string[] {
  const routes: string[] = [];
  for (const module of api.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!type || Reflect.getMetadata(IS_PUBLIC, type) === true) continue;
      routes.push(
        ...handlerRoutes(type)
          .filter((route) => !route.isPublic)
          .map((r) => r.key),
      );
    }
  }

  return routes;
}

function handlerRoutes(type: new (...args: never[]) => object) {
  const prefix = String(Reflect.getMetadata(PATH_METADATA, type) ?? '');
  const prototype = type.prototype as Record<string, unknown>;

  return Object.getOwnPropertyNames(prototype).flatMap((name) => {
    const handler = prototype[name];
    if (typeof handler !== 'function') return [];
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
    if (method === undefined || path === undefined) return [];
    const full = ['/api', prefix, path].join('/').replace(/\/+/g, '/').replace(/\/$/, '');
    const key = `${RequestMethod[method]} ${full.replace(/:(\w+)/g, '{$1}')}`;

    return [{ key, isPublic: Reflect.getMetadata(IS_PUBLIC, handler) === true }];
  });
}

describe('the OpenAPI description', () => {
  let api: TestApp;
  let described: Map<string, Operation>;

  beforeAll(async () => {
    api = await startTestApp();
    const { body } = await request(`${api.url}/api/docs-json`);
    described = operations(body as OpenApiDocument);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('says what every operation answers when it succeeds', () => {
    const undocumented = [...described]
      .filter(([, operation]) => {
        const success = Object.keys(operation.responses).filter((status) => /^[23]/.test(status));

        return !success.some((status) => operation.responses[status].description);
      })
      .map(([key]) => key);

    expect(described.size).toBeGreaterThan(80);
    expect(undocumented).toEqual([]);
  });

  it('documents 401 on every operation that needs a token', () => {
    const routes = authenticatedRoutes(api);
    const missing = routes.filter((key) => !described.get(key)?.responses['401']);

    expect(routes.length).toBeGreaterThan(60);
    expect(routes.filter((key) => !described.has(key))).toEqual([]);
    expect(missing).toEqual([]);
  });

  it('gives every documented client error the common error body', () => {
    const loose = [...described].flatMap(([key, operation]) =>
      Object.entries(operation.responses)
        .filter(([status]) => /^4/.test(status))
        .filter(([, response]) => {
          const schema = response.content?.['application/json']?.schema;

          return schema?.$ref !== '#/components/schemas/ErrorBodyView';
        })
        .map(([status]) => `${key} ${status}`),
    );

    expect(loose).toEqual([]);
  });
});
