import * as path from 'node:path';
import { envSchema, type RawEnv } from './env.schema';

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolSize: number; ssl: boolean }
  | { kind: 'embedded'; dataDir: string; poolSize: number };

/** The whole configuration, read once at start; nothing else reads process.env. */
export interface AppConfig {
  env: RawEnv['NODE_ENV'];
  http: {
    host: string;
    port: number;
    publicUrl: string | undefined;
    trustProxy: boolean | number | string;
    corsOrigins: string[];
    bodyLimit: string;
    webDistDir: string;
  };
  log: { level: RawEnv['LOG_LEVEL']; format: RawEnv['LOG_FORMAT'] };
  database: DatabaseConfig & { connectRetries: number; retryDelayMs: number };
  dataDir: string;
  redis: { url: string } | undefined;
  alerts: { defaultTtlMinutes: number; locationMaxAgeMinutes: number };
  /** The map tiles the PWA shows: an XYZ URL template and its attribution (plain text). */
  map: { tileUrl: string; tileAttribution: string };
  cap: CapConfig;
  /** How often the chat retention job runs. */
  messaging: { retentionIntervalMinutes: number };
  livehelp: LiveHelpConfig;
  /** Named crash points that tests switch on; always empty in production. */
  failpoints: string[];
  push: PushConfig;
  identity: IdentityConfig;
}

/** Live Help: the public widget's limits (see the README's Live Help section). */
export interface LiveHelpConfig {
  /** Folder of the built widget and representative console, served at `/livehelp/`. */
  distDir: string;
  visitorTokenTtlSeconds: number;
  messageMaxLength: number;
  messagesPerMinute: number;
  requestsPerMinutePerAddress: number;
  sessionsPerHourPerAddress: number;
  blockMinutes: number;
}

export interface IdentityConfig {
  /** The platform operator created on the first start with an empty database. */
  admin: { email: string; password: string | undefined };
  jwt: {
    issuer: string;
    audience: string;
    /** PEM, P-256; when unset a key is generated at first start and kept in the database. */
    privateKey: string | undefined;
    accessTokenTtlSeconds: number;
  };
  refreshTokenTtlDays: number;
  invitationTtlHours: number;
  loginThrottle: { perAccount: number; perAddress: number; windowSeconds: number };
}

export interface CapConfig {
  /** How long a Cancel whose original is unknown waits for that original. */
  pendingCancelMinutes: number;
  feeds: {
    /** FEED_ALLOWED_HOSTS: hosts fetched even over http or at private addresses (tests). */
    allowedHosts: string[];
    timeoutMs: number;
    /** Longest pause between polls of a failing feed. */
    maxBackoffMinutes: number;
  };
}

export interface PushConfig {
  /**
   * From VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY; undefined: generated once and kept in the database.
   */
  vapidKeys: { publicKey: string; privateKey: string } | undefined;
  /** The VAPID `sub` claim: a mailto: address or an https: URL. */
  subject: string;
  /** Whether VAPID_SUBJECT was set (a default subject is fine for development only). */
  subjectConfigured: boolean;
  /** PUSH_ALLOWED_HOSTS; empty means the well-known push services. */
  allowedHosts: string[];
  concurrency: number;
  attempts: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  timeoutMs: number;
  /**
   * PUSH_WORKER: `in-process` sends from this process; `off` only queues (on Redis) for a
   * worker process (`npm run worker`), keeping the sending off the API's event loop.
   */
  worker: 'in-process' | 'off';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/**
 * Validates the environment and returns the typed configuration, or throws listing every problem.
 */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`,
    );
    throw new ConfigError(problems);
  }
  const raw = parsed.data;
  if (raw.NODE_ENV === 'production' && raw.TOCSIN_FAILPOINTS.length > 0) {
    throw new ConfigError(['TOCSIN_FAILPOINTS: fault injection is refused in production']);
  }
  const dataDir = path.resolve(cwd, raw.DATA_DIR);

  return {
    env: raw.NODE_ENV,
    http: {
      host: raw.HOST,
      port: raw.PORT,
      publicUrl: raw.PUBLIC_URL?.replace(/\/+$/, ''),
      trustProxy: parseTrustProxy(raw.TRUST_PROXY),
      corsOrigins: raw.CORS_ORIGINS,
      bodyLimit: raw.BODY_LIMIT,
      webDistDir: path.resolve(cwd, raw.WEB_DIST_DIR ?? 'apps/web/dist'),
    },
    log: { level: raw.LOG_LEVEL, format: raw.LOG_FORMAT },
    database: {
      ...(raw.DATABASE_URL
        ? {
            kind: 'postgres' as const,
            url: raw.DATABASE_URL,
            poolSize: raw.DATABASE_POOL_SIZE,
            ssl: raw.DATABASE_SSL,
          }
        : // The embedded server is one PostgreSQL session: two pooled connections would
          // interleave their transactions in it, so it gets exactly one.
          { kind: 'embedded' as const, dataDir, poolSize: 1 }),
      connectRetries: raw.DATABASE_CONNECT_RETRIES,
      retryDelayMs: raw.DATABASE_RETRY_DELAY_MS,
    },
    dataDir,
    redis: raw.REDIS_URL ? { url: raw.REDIS_URL } : undefined,
    alerts: {
      defaultTtlMinutes: raw.ALERT_DEFAULT_TTL_MINUTES,
      locationMaxAgeMinutes: raw.LOCATION_MAX_AGE_MINUTES,
    },
    map: { tileUrl: raw.TILE_URL, tileAttribution: raw.TILE_ATTRIBUTION },
    cap: {
      pendingCancelMinutes: raw.CAP_PENDING_CANCEL_MINUTES,
      feeds: {
        allowedHosts: raw.FEED_ALLOWED_HOSTS,
        timeoutMs: raw.FEED_TIMEOUT_MS,
        maxBackoffMinutes: raw.FEED_MAX_BACKOFF_MINUTES,
      },
    },
    messaging: { retentionIntervalMinutes: raw.MESSAGE_RETENTION_INTERVAL_MINUTES },
    livehelp: {
      distDir: path.resolve(cwd, raw.LIVEHELP_DIST_DIR ?? 'apps/livehelp/dist'),
      visitorTokenTtlSeconds: raw.LIVEHELP_VISITOR_TOKEN_TTL_MINUTES * 60,
      messageMaxLength: raw.LIVEHELP_MESSAGE_MAX_LENGTH,
      messagesPerMinute: raw.LIVEHELP_MESSAGES_PER_MINUTE,
      requestsPerMinutePerAddress: raw.LIVEHELP_REQUESTS_PER_MINUTE_PER_ADDRESS,
      sessionsPerHourPerAddress: raw.LIVEHELP_SESSIONS_PER_HOUR_PER_ADDRESS,
      blockMinutes: raw.LIVEHELP_BLOCK_MINUTES,
    },
    failpoints: raw.TOCSIN_FAILPOINTS,
    push: pushConfig(raw),
    identity: {
      admin: { email: raw.TOCSIN_ADMIN_EMAIL, password: raw.TOCSIN_ADMIN_PASSWORD },
      jwt: {
        issuer: raw.JWT_ISSUER ?? raw.PUBLIC_URL?.replace(/\/+$/, '') ?? 'tocsin',
        audience: raw.JWT_AUDIENCE,
        privateKey: raw.JWT_PRIVATE_KEY?.replace(/\\n/g, '\n'),
        accessTokenTtlSeconds: raw.ACCESS_TOKEN_TTL_SECONDS,
      },
      refreshTokenTtlDays: raw.REFRESH_TOKEN_TTL_DAYS,
      invitationTtlHours: raw.INVITATION_TTL_HOURS,
      loginThrottle: {
        perAccount: raw.LOGIN_MAX_FAILURES_PER_ACCOUNT,
        perAddress: raw.LOGIN_MAX_FAILURES_PER_ADDRESS,
        windowSeconds: raw.LOGIN_THROTTLE_WINDOW_SECONDS,
      },
    },
  };
}

function pushConfig(raw: RawEnv): PushConfig {
  const publicUrl = raw.PUBLIC_URL?.replace(/\/+$/, '');

  return {
    vapidKeys:
      raw.VAPID_PUBLIC_KEY && raw.VAPID_PRIVATE_KEY
        ? { publicKey: raw.VAPID_PUBLIC_KEY, privateKey: raw.VAPID_PRIVATE_KEY }
        : undefined,
    subject:
      raw.VAPID_SUBJECT ??
      (publicUrl?.startsWith('https://') ? publicUrl : 'mailto:push@tocsin.invalid'),
    subjectConfigured: raw.VAPID_SUBJECT !== undefined,
    allowedHosts: raw.PUSH_ALLOWED_HOSTS,
    concurrency: raw.PUSH_CONCURRENCY,
    attempts: raw.PUSH_ATTEMPTS,
    retryDelayMs: raw.PUSH_RETRY_DELAY_MS,
    maxRetryDelayMs: raw.PUSH_MAX_RETRY_DELAY_MS,
    timeoutMs: raw.PUSH_TIMEOUT_MS,
    worker: raw.PUSH_WORKER,
  };
}

/** Accepts what Express accepts for "trust proxy": a boolean, a hop count or a list of ranges. */
function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false' || value === '') return false;
  if (/^\d+$/.test(value)) return Number(value);

  return value;
}
