import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import * as path from 'node:path';
import { AccessTokenService } from '@tocsin/identity';
import { DataSource } from 'typeorm';
import { serve } from '../harness/child';
import { ROOT } from '../harness/result';
import { startTestApp, type TestApp } from '../../test/support/test-app';

/**
 * The real Tocsin API in a process of its own, seeded for the chat benchmark: one agency,
 * one responder group per room with its group conversation (members follow the group, as
 * `POST /api/conversations {kind: 'group'}` makes them), and an open session and access token
 * per user. Made through SQL and the token service: thousands of argon2 logins and API calls
 * would take minutes and measure nothing of interest.
 */
let app: TestApp | undefined;

export interface ChatSeed {
  url: string;
  /** One per user, in room order. */
  tokens: string[];
  /** Each room's conversation id and its members (indexes into `tokens`). */
  rooms: { id: string; members: number[] }[];
}

async function seed({ sizes }: { sizes: number[] }): Promise<ChatSeed> {
  app = await startTestApp({ ACCESS_TOKEN_TTL_SECONDS: '3600', LOG_LEVEL: 'silent' });
  const db = app.app.get(DataSource);
  const tokens = app.app.get(AccessTokenService);
  const total = sizes.reduce((sum, size) => sum + size, 0);

  const [agency] = await db.query(`INSERT INTO agencies (name) VALUES ('Chat bench') RETURNING id`);
  const users: { id: string }[] = await db.query(
    `INSERT INTO users (agency_id, email, display_name, role)
     SELECT $1, 'c' || i || '@bench.test', 'Responder ' || lpad(i::text, 6, '0'), 'responder'
       FROM generate_series(1, $2::int) i ORDER BY i RETURNING id`,
    [agency.id, total],
  );
  const sessions: { id: string; user_id: string }[] = await db.query(
    `INSERT INTO sessions (user_id, expires_at)
     SELECT id, now() + interval '1 day' FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n)
      ORDER BY n RETURNING id, user_id`,
    [users.map((user) => user.id)],
  );

  const sessionOf = new Map(sessions.map((session) => [session.user_id, session.id]));

  const rooms: ChatSeed['rooms'] = [];
  let next = 0;
  for (const [i, size] of sizes.entries()) {
    const members = Array.from({ length: size }, (_, k) => next + k);
    const memberIds = members.map((k) => users[k].id);
    next += size;
    const [group] = await db.query(
      `INSERT INTO groups (agency_id, name) VALUES ($1, $2) RETURNING id`,
      [agency.id, `Room ${i} (${size})`],
    );
    await db.query(
      `INSERT INTO group_members (group_id, user_id, agency_id, role)
       SELECT $1, id, $2, 'member' FROM unnest($3::uuid[]) AS u(id)`,
      [group.id, agency.id, memberIds],
    );
    const [conversation] = await db.query(
      `INSERT INTO conversations (kind, agency_id, title, group_id, created_by)
       VALUES ('group', $1, $2, $3, $4) RETURNING id`,
      [agency.id, `Room ${i}`, group.id, memberIds[0]],
    );
    await db.query(
      `INSERT INTO conversation_members
              (conversation_id, user_id, agency_id, joined_seq, visible_from_seq)
       SELECT $1, id, $2, 0, 1 FROM unnest($3::uuid[]) AS u(id)`,
      [conversation.id, agency.id, memberIds],
    );
    rooms.push({ id: conversation.id, members });
  }

  return {
    url: app.url,
    tokens: users.map((user) => tokens.issue(user.id, sessionOf.get(user.id)!).token),
    rooms,
  };
}

/**
 * A CPU profile of the measured load only (BENCH_CPU_PROF=chat-load), without the start-up
 * and the connection storm that a whole-process `--cpu-prof` is dominated by.
 */
let session: Session | undefined;
const post = (method: string) =>
  new Promise<unknown>((resolve, reject) => {
    session!.post(method, (error, result) => (error ? reject(error) : resolve(result)));
  });

async function profileStart() {
  session = new Session();
  session.connect();
  await post('Profiler.enable');
  await post('Profiler.start');
}

async function profileStop({ name }: { name: string }) {
  const { profile } = (await post('Profiler.stop')) as { profile: object };
  session?.disconnect();
  session = undefined;
  const dir = path.join(ROOT, 'bench/results/profiles');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));

  return file;
}

serve({
  seed,
  profileStart,
  profileStop,
  stop: async () => {
    await app?.close();
    app = undefined;
  },
});
