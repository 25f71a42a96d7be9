import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';

/** The pool option (in TypeORM's `extra`) that turns named statements off. */
export const NAMED_STATEMENTS = 'tocsinNamedStatements';

/** Statement names by SQL text: the same text always gets the same name. */
const names = new Map<string, string>();

/**
 * Runs a hot read as a named prepared statement on the pool behind TypeORM: PostgreSQL parses
 * it once per connection and, after five runs, may keep one generic plan instead of planning
 * every call (planning costs more than running the map viewport query). Write the SQL so that
 * a generic plan stays good (no CASE around an indexed predicate). Inside a transaction it
 * runs on the transaction's connection, named as well: the pooled connections are the same
 * ones, and an alert's update resolves its targets inside one. Errors are pg's.
 */
export async function preparedQuery<Row>(
  manager: EntityManager,
  text: string,
  values: unknown[],
): Promise<Row[]> {
  const pool = poolOf(manager);
  const query = namesStatements(pool)
    ? { name: statementName(text), text, values }
    : { text, values };
  const client: Pick<Pool, 'query'> = manager.queryRunner
    ? ((await manager.queryRunner.connect()) as PoolClient)
    : pool;
  const { rows } = await client.query(query);

  return rows as Row[];
}

/**
 * Whether the pool's connections are sessions of their own. The embedded database serves one
 * PostgreSQL session to every pooled connection, so a name one connection prepared already
 * exists for the next one ("prepared statement … already exists"): there, each call is parsed
 * afresh (see dataSourceOptions).
 */
function namesStatements(pool: Pool): boolean {
  const options = (pool as unknown as { options: Record<string, unknown> }).options;

  return options[NAMED_STATEMENTS] !== false;
}

/**
 * Runs a hot read on the pool behind TypeORM as an unnamed statement: parsed and planned on
 * every call with its values (for SQL whose best plan depends on them), without TypeORM's
 * per-query work (query runner, subscriber broadcasts, result wrapping). Errors are pg's, as
 * for {@link preparedQuery}. Inside a transaction it runs on the transaction's connection.
 */
export async function poolQuery<Row>(
  manager: EntityManager,
  text: string,
  values: unknown[],
): Promise<Row[]> {
  if (manager.queryRunner) return manager.query(text, values);

  const { rows } = await poolOf(manager).query(text, values);

  return rows as Row[];
}

function poolOf(manager: EntityManager): Pool {
  return (manager.connection.driver as unknown as { master: Pool }).master;
}

/** A short name derived from the text, so that two texts never share a name on a connection. */
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `tocsin_${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
    // The texts come from code, not from callers: a handful of variants per query.
    names.set(text, name);
  }

  return name;
}
