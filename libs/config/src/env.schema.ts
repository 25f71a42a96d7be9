import { z } from 'zod';

/**
 * Every environment variable Tocsin reads, with its default. The README's configuration
 * table mirrors this file; keep the two in step.
 */
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const commaList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => ['true', '1', 'yes'].includes(value));

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), {
    message: 'expected a postgres:// or postgresql:// URL',
  });

const redisUrl = z
  .string()
  .trim()
  .refine((value) => /^rediss?:\/\//.test(value), {
    message: 'expected a redis:// or rediss:// URL',
  });

/** A base64url value (no padding) that decodes to `bytes` bytes, optionally starting 0x04. */
const base64urlKey = (bytes: number, uncompressedPoint: boolean) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        if (!/^[A-Za-z0-9_-]+$/.test(value)) return false;
        const decoded = Buffer.from(value, 'base64url');

        return decoded.length === bytes && (!uncompressedPoint || decoded[0] === 4);
      },
      {
        message: `expected base64url of ${bytes} bytes (as printed by npx web-push generate-vapid-keys)`,
      },
    );

const pushSubject = z
  .string()
  .trim()
  .refine((value) => /^mailto:[^@\s]+@[^@\s]+$/.test(value) || /^https:\/\/[^\s/]+/.test(value), {
    message: 'expected a mailto: address or an https: URL',
  });

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    TRUST_PROXY: z.string().trim().default('false'),
    CORS_ORIGINS: commaList,
    BODY_LIMIT: z
      .string()
      .trim()
      .regex(/^\d+(b|kb|mb)$/i, 'expected a size such as 100kb or 1mb')
      .default('1mb'),
    WEB_DIST_DIR: optionalText,
    TILE_URL: z
      .string()
      .trim()
      .refine((value) => /^https?:\/\/[^\s]+\{z\}[^\s]*$/.test(value), {
        message: 'expected an http(s) XYZ URL template with {z}, {x} and {y}',
      })
      .default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
    TILE_ATTRIBUTION: z.string().trim().min(1).max(300).default('© OpenStreetMap contributors'),

    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),

    DATABASE_URL: postgresUrl.optional().or(z.literal('').transform(() => undefined)),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    DATABASE_CONNECT_RETRIES: z.coerce.number().int().min(0).max(100).default(5),
    DATABASE_RETRY_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
    DATABASE_SSL: booleanFlag.default(false),
    DATA_DIR: z.string().trim().min(1).default('./data'),

    REDIS_URL: redisUrl.optional().or(z.literal('').transform(() => undefined)),

    VAPID_PUBLIC_KEY: base64urlKey(65, true).optional(),
    VAPID_PRIVATE_KEY: base64urlKey(32, false).optional(),
    VAPID_SUBJECT: pushSubject.optional(),
    PUSH_ALLOWED_HOSTS: commaList,
    PUSH_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
    PUSH_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
    PUSH_RETRY_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
    PUSH_MAX_RETRY_DELAY_MS: z.coerce.number().int().min(0).max(86_400_000).default(900_000),
    PUSH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    PUSH_WORKER: z.enum(['in-process', 'off']).default('in-process'),

    ALERT_DEFAULT_TTL_MINUTES: z.coerce.number().int().min(5).max(525_600).default(1440),
    LOCATION_MAX_AGE_MINUTES: z.coerce.number().int().min(1).max(10_080).default(30),
    MESSAGE_RETENTION_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),

    CAP_PENDING_CANCEL_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
    FEED_ALLOWED_HOSTS: commaList,
    FEED_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
    FEED_MAX_BACKOFF_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),

    LIVEHELP_DIST_DIR: z.string().trim().min(1).optional(),
    LIVEHELP_VISITOR_TOKEN_TTL_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
    LIVEHELP_MESSAGE_MAX_LENGTH: z.coerce.number().int().min(1).max(4000).default(2000),
    LIVEHELP_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
    LIVEHELP_REQUESTS_PER_MINUTE_PER_ADDRESS: z.coerce
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(120),
    LIVEHELP_SESSIONS_PER_HOUR_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(10),
    LIVEHELP_BLOCK_MINUTES: z.coerce.number().int().min(1).max(525_600).default(1440),

    /** Fault injection for crash tests; refused in production. */
    TOCSIN_FAILPOINTS: commaList,

    TOCSIN_ADMIN_EMAIL: z.email().trim().toLowerCase().default('admin@tocsin.local'),
    TOCSIN_ADMIN_PASSWORD: optionalText.pipe(
      z.string().min(12, 'expected at least 12 characters').max(256).optional(),
    ),
    JWT_ISSUER: optionalText,
    JWT_AUDIENCE: z.string().trim().min(1).default('tocsin-api'),
    JWT_PRIVATE_KEY: optionalText.pipe(
      z
        .string()
        .refine((value) => value.includes('PRIVATE KEY-----'), {
          message: 'expected a PEM private key (P-256, for ES256)',
        })
        .optional(),
    ),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(5).max(3600).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    INVITATION_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(72),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(10),
    LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(50),
    LOGIN_THROTTLE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  })
  .superRefine((env, context) => {
    if (Boolean(env.VAPID_PUBLIC_KEY) !== Boolean(env.VAPID_PRIVATE_KEY)) {
      context.addIssue({
        code: 'custom',
        path: [env.VAPID_PUBLIC_KEY ? 'VAPID_PRIVATE_KEY' : 'VAPID_PUBLIC_KEY'],
        message: 'set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY together, or neither',
      });
    }
    // Without Redis the queue lives in this process: no other process could take its jobs.
    if (env.PUSH_WORKER === 'off' && !env.REDIS_URL) {
      context.addIssue({
        code: 'custom',
        path: ['PUSH_WORKER'],
        message:
          'off needs REDIS_URL: without Redis the push queue is in-process and only this ' +
          'process can send (set REDIS_URL and run `npm run worker`, or leave it in-process)',
      });
    }
  });

export type RawEnv = z.infer<typeof envSchema>;
