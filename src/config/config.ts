import { config as readDotenv } from 'dotenv';
import { z } from 'zod';
import { parseCodecKeys } from '../codec';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const num = (def: number, min = 0) => z.coerce.number().min(min).default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optional = () =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/**
 * Every setting tgpulse reads from the environment. `.env.example` documents each one; keep the two in step.
 */
export const ConfigSchema = z.object({
  // Temporal
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('tgpulse'),
  TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
  TEMPORAL_API_KEY: optional(),
  TEMPORAL_TLS: bool(false),
  // Redis
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).default('redis://127.0.0.1:6379'),
  REDIS_KEY_PREFIX: z.string().default('tgpulse:'),
  // Files
  DATA_DIR: z.string().default('data'),
  OUTPUT_DIR: z.string().default('out'),
  /** With it, workers read Telegram Desktop exports only from under this folder; unset, from any path they can read. */
  EXPORTS_DIR: optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Anti-spam
  RATE_RPS: num(4, 0.01),
  RATE_BURST: int(4, 1),
  MAX_DM_PER_DAY: int(20),
  MAX_JOINS_PER_DAY: int(20),
  MAX_GROUPS: int(200),
  PAUSE_MEMBERS_EVERY: int(5000, 1),
  PAUSE_MEMBERS_SECONDS: num(1),
  PAUSE_DM_EVERY: int(20, 1),
  PAUSE_DM_SECONDS: num(60),
  PAUSE_JOIN_SECONDS: num(3),
  FLOOD_WAIT_TIMER_THRESHOLD_SECONDS: int(60, 1),
  // LLM (unset OPENAI_BASE_URL and OPENAI_API_KEY: the no-model digest)
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_API_KEY: optional(),
  LLM_MODEL: z.string().default('gpt-4o-mini'),
  LLM_CONTEXT_TOKENS: int(128_000, 1024),
  LLM_MAX_OUTPUT_TOKENS: int(2048, 64),
  LLM_PRICE_INPUT_PER_MTOK: num(0),
  LLM_PRICE_OUTPUT_PER_MTOK: num(0),
  LLM_CONCURRENCY: int(4, 1),
  MAX_TOKENS_PER_JOB: int(2_000_000, 1),
  // Telegram
  TG_API_ID: z.coerce.number().int().positive().optional(),
  TG_API_HASH: z.string().regex(/^[0-9a-f]{32}$/, 'must be the 32 hex characters shown at my.telegram.org').optional(),
  SESSION_DIR: z.string().default('data/sessions'),
  SESSION_NAME: z.string().regex(/^[A-Za-z0-9_-]+$/, 'may hold only letters, digits, _ and -').default('default'),
  /** `host:port` of an MTProto server other than Telegram's production DCs (Telegram's test DCs, a local piltover). */
  TELEGRAM_SERVER: optional(),
  /** That server's RSA public key (PEM); required with TELEGRAM_SERVER. */
  TELEGRAM_SERVER_KEY_FILE: optional(),
  /** The DC id the server answers as (Telegram's test DC 2 is at 149.154.167.40:443). */
  TELEGRAM_DC_ID: int(2, 1),
  /** Seconds one connection attempt may take; tgpulse gives up after 2 attempts with one clear error. */
  TELEGRAM_CONNECT_TIMEOUT_SECONDS: int(10, 1),
  /** Seconds to wait for one answer before the call fails and is retried on a rebuilt connection. */
  TELEGRAM_REQUEST_TIMEOUT_SECONDS: int(60, 1),
  // Operations
  /** `/metrics` and `/healthz` of a worker; 0 turns them off. */
  METRICS_PORT: int(9464),
  METRICS_HOST: z.string().default('127.0.0.1'),
  /** The account worker's own `/metrics` (the limiter's figures live there) and `/healthz`; 0 turns them off. */
  ACCOUNT_METRICS_PORT: int(9465),
  // Web pages (`npm run web`)
  /** Where the web service listens; anything but localhost needs a reverse proxy with authentication in front. */
  WEB_HOST: z.string().default('127.0.0.1'),
  WEB_PORT: int(8080),
  /** The HMAC key of download links; required by `npm run web` (at least 32 characters), never logged. */
  WEB_SIGNING_KEY: optional(),
  /** How long a download link works, in seconds. */
  WEB_LINK_TTL_SECONDS: int(3600, 1),
  /** When set, pages need it (as `Authorization: Bearer …`, or once as `?token=…`, which sets a cookie). */
  WEB_TOKEN: optional(),
  // Retention and backups
  /** Job artifacts and output files older than this many days are deleted by the daily retention run. */
  RETENTION_DAYS: int(30, 1),
  /** Where the worker writes backups (a 0700 folder of 0600 archives). */
  BACKUP_DIR: z.string().default('data/backups'),
  /** How many backups to keep; older ones are deleted after each new one. */
  BACKUP_KEEP: int(7, 1),
  /** 32 random bytes, base64 (`openssl rand -base64 32`): the AES-256-GCM key of the backups. Never logged. */
  BACKUP_KEY: optional(),
  // Payload encryption
  /**
   * AES-256-GCM keys of the payload codec, `id:<base64 of 32 bytes>` separated by commas; the first encrypts, all
   * decrypt (rotation). Unset: payloads are stored in Temporal as they are.
   */
  TEMPORAL_CODEC_KEYS: optional().superRefine((v, ctx) => {
    if (v !== undefined) for (const problem of parseCodecKeys(v).problems) ctx.addIssue({ code: 'custom', message: problem });
  }),
  /** Bearer token the codec endpoint (`/codec/decode`, for the Web UI) requires; unset turns the endpoint off. */
  CODEC_AUTH_TOKEN: optional(),
  // Artifact store (history pages, checkpoints, summaries, delivery records): a local folder (DATA_DIR, one host)
  // or an S3-compatible bucket that workers on several hosts share.
  ARTIFACT_STORE: z.enum(['local', 's3']).default('local'),
  /** Unset: AWS S3 itself. MinIO, R2, SeaweedFS: their URL (`http://minio:9000`). */
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: optional(),
  /** Keys go under this prefix, so one bucket can serve several deployments. */
  S3_PREFIX: z.string().regex(/^[A-Za-z0-9._/-]*$/, 'may hold only letters, digits, . _ - and /').default('tgpulse'),
  /** Unset (both): the AWS SDK's default credential chain (environment, profile, instance role). */
  S3_ACCESS_KEY_ID: optional(),
  S3_SECRET_ACCESS_KEY: optional(),
  /** The bucket in the URL path rather than the host name: MinIO, SeaweedFS and most self-hosted servers need it. */
  S3_FORCE_PATH_STYLE: bool(false),
  // Userbot
  /** Who besides the owner may talk to the userbot: user ids or @usernames, comma-separated. */
  USERBOT_ALLOWLIST: z
    .string()
    .default('')
    .superRefine((text, ctx) => {
      for (const entry of badAllowlistEntries(text)) ctx.addIssue({ code: 'custom', message: allowlistEntryProblem(entry) });
    }),
  /** Bot mode: the Telegram user id of the owner (a bot has no Saved Messages; the owner talks to it in a DM). */
  USERBOT_OWNER_ID: z.string().regex(/^\d{1,20}$/, 'must be a Telegram user id (digits): ask @userinfobot, or see `tgpulse whoami`').optional(),
  /** Bot mode: the token @BotFather gave (or --bot-token-file). Never logged. */
  USERBOT_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must be the token @BotFather gave (digits, a colon, then letters)').optional(),
  /** Jobs one user may start in any hour. */
  USERBOT_JOBS_PER_HOUR: int(10, 1),
  /** Jobs one user may have running at once. */
  USERBOT_JOBS_AT_ONCE: int(1, 1),
  /** Jobs running at once across all users (they share the account's rate limit and the worker's cores). */
  USERBOT_GLOBAL_JOBS_AT_ONCE: int(4, 1),
  /** How often the userbot catches up with Telegram (`updates.getDifference`); /healthz fails after 3 periods without one. */
  USERBOT_WATCHDOG_SECONDS: int(30, 1),
});

/** What is wrong with one bad USERBOT_ALLOWLIST entry, and what to write instead. */
export function allowlistEntryProblem(entry: string): string {
  return `${JSON.stringify(entry)} is neither a user id (digits) nor a @username (letters, digits and _, starting with a letter): list ids or usernames, comma-separated, e.g. 12345,@alice`;
}

/** Entries of a USERBOT_ALLOWLIST that are neither a user id nor a @username. */
export function badAllowlistEntries(text: string): string[] {
  return text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && !/^\d{1,20}$/.test(e) && !/^@?[A-Za-z][A-Za-z0-9_]{3,31}$/.test(e));
}
export type Config = z.infer<typeof ConfigSchema>;

/** A setting that is missing or wrong. The message lists every problem, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`tgpulse cannot start: the configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every setting.`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration. Throws {@link ConfigError} listing every bad or missing value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // `KEY=` in .env means "not set": the default applies.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = ConfigSchema.safeParse(given);
  if (parsed.success) {
    if (parsed.data.ARTIFACT_STORE === 's3' && !parsed.data.S3_BUCKET) throw new ConfigError(['S3_BUCKET (unset): required with ARTIFACT_STORE=s3']);
    return parsed.data;
  }
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path.join('.');
    const value = env[key];
    const shown = value === undefined ? 'unset' : /KEY|HASH|TOKEN|SECRET|PASSWORD/.test(key) ? 'set (hidden)' : JSON.stringify(value);
    return `${key} (${shown}): ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** Loads `.env` from the working folder into the environment, without overriding what is already set. */
export function loadDotenv(): void {
  readDotenv({ quiet: true });
}
