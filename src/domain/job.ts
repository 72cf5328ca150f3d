import { z } from 'zod';
import { ChatInfo } from './chat-info';
import { TokenUsage } from './summary';

/** Upper bound of a user prompt, in characters: beyond it the prompt is refused, not cut. */
export const MAX_PROMPT_CHARS = 4000;

const IsoDate = z.iso.datetime({ offset: true }).or(z.iso.date());

export const ExportSource = z.object({
  kind: z.literal('export'),
  /** Absolute path of a Telegram Desktop `result.json`. */
  path: z.string().min(1),
  /** Chat name or id, for full-account exports. */
  chat: z.string().optional(),
});

/** A Telegram account name: the session file's name (config SESSION_NAME). */
const AccountName = z.string().regex(/^[A-Za-z0-9_-]+$/, 'an account name holds only letters, digits, _ and -');

export const TelegramSource = z.object({
  kind: z.literal('telegram'),
  /** The account whose session reads the chat; its worker serves the account's task queue. */
  account: AccountName,
  /** The chat as the user typed it: link, @username or id (checked with `parseChatInput` before a run starts). */
  chat: z.string().trim().min(1, 'no chat given'),
  /**
   * Incremental sync: fetch only what is newer than the chat's stored cursor, plus a trailing window that catches
   * recent edits, and move the cursor on when done.
   */
  sync: z.boolean().optional(),
  /**
   * Read through a Telegram data-export (takeout) session: higher limits for a large backfill. Telegram may hold
   * the first export back until the user confirms it (often a day); the job waits for that as a durable timer.
   */
  takeout: z.boolean().optional(),
});

export const JobSource = z.discriminatedUnion('kind', [ExportSource, TelegramSource]);
export type JobSource = z.infer<typeof JobSource>;

export const Delivery = z.discriminatedUnion('kind', [
  /**
   * Markdown and JSON files in the worker's OUTPUT_DIR: the worker decides where it writes. `dir` is what runs and
   * schedules made before that carried; it is not used (the run's notes say where the files went).
   */
  z.object({ kind: z.literal('files'), dir: z.string().min(1).optional() }),
  /** Posted to a Telegram chat by `account` (split at 4096 characters, a status message edited in place). */
  z.object({ kind: z.literal('telegram'), account: AccountName, chat: z.string().trim().min(1, 'no chat given') }),
]);
export type Delivery = z.infer<typeof Delivery>;

/** Everything a `summarizeChat` run needs. It travels through Temporal history, so it holds no secret. */
export const JobInput = z.object({
  source: JobSource,
  since: IsoDate.optional(),
  until: IsoDate.optional(),
  prompt: z
    .string()
    .trim()
    .min(1, 'the prompt is empty: say what you want to know, or leave --prompt out for the digest')
    .max(MAX_PROMPT_CHARS, `the prompt is longer than ${MAX_PROMPT_CHARS} characters: shorten it`)
    .optional(),
  delivery: Delivery,
});
export type JobInput = z.infer<typeof JobInput>;

/** A pointer to something in the artifact store. */
export const ArtifactRef = z.object({ key: z.string(), bytes: z.number().int().nonnegative() });
export type ArtifactRef = z.infer<typeof ArtifactRef>;

/** Where an extracted history lives: its pages, in order, under one prefix. */
export const HistoryRef = z.object({
  prefix: z.string(),
  pages: z.number().int().nonnegative(),
  messages: z.number().int().nonnegative(),
});
export type HistoryRef = z.infer<typeof HistoryRef>;

export const JobResult = z.object({
  jobId: z.string(),
  chat: ChatInfo,
  messages: z.number().int().nonnegative(),
  model: z.string(),
  usage: TokenUsage.optional(),
  /** Files written for the user (Markdown, JSON), absolute paths. */
  files: z.array(z.string()),
  /** Things the user should know about the run, e.g. that a prompt was ignored because no LLM is configured. */
  notes: z.array(z.string()),
});
export type JobResult = z.infer<typeof JobResult>;

export const JobPhase = z.enum(['starting', 'extracting', 'waiting', 'summarizing', 'delivering', 'done', 'failed']);
export type JobPhase = z.infer<typeof JobPhase>;

export interface JobProgress {
  phase: JobPhase;
  messages: number;
  /** Set while the job sleeps through a Telegram flood wait. */
  resumesAt?: string;
}
