import { DataSource } from 'typeorm';
import type { TestApp } from './test-app';

/**
 * Runs SQL on a test app's own database through its connection pool, bypassing the API
 * (works on PostgreSQL and on the embedded database alike).
 */
export async function sql<T = any>(api: TestApp, text: string, params: unknown[] = []) {
  return (await api.app.get(DataSource).query(text, params)) as T[];
}
