import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { Context } from '@temporalio/activity';
import { BadInputError, type ChatInfo, type Delivery, type HistoryQuery, type HistoryRef, type HistorySource, type JobSource, type Summary } from '../domain';
import { renderTelegramText, splitForTelegram } from '../deliver';
import { readHistory, readHistoryPage, type ArtifactStore } from '../store';
import { MAX_MESSAGE_CHARS, TelegramHistorySource, type ChatRef, type TelegramPort } from '../telegram';
import { createExtractActivities, type ExtractHeartbeat, type ExtractInput, type ExtractOutput } from './extract';
import { csvRow } from './csv';
import { withFailureMapping, type FailureMappingOptions } from './failures';
import { withHeartbeats } from './heartbeat';

/** What the Telegram activities of one account need. The account worker builds them over the live port. */
export interface TelegramActivityDeps {
  /** The account whose session `telegram` is: the activities refuse work meant for another. */
  account: string;
  /** The account's port, every call already passing its limiter. */
  telegram: TelegramPort;
  /** The artifact store the general worker reads too (history pages, summaries, delivery records). */
  store: ArtifactStore;
  /** The only folder exports are written to (config OUTPUT_DIR): a run names a file, never where it goes. */
  outputDir: string;
  /** Flood waits up to this many seconds are retried by Temporal, longer ones slept by the workflow. */
  floodTimerThresholdSeconds?: number;
  /** How often a running extraction heartbeats, in ms. */
  heartbeatEveryMs?: number;
  /** Epoch ms, for the trailing window of an incremental sync. */
  now?: () => number;
}

/** How far back an incremental sync reads again, before its cursor, to catch recent edits. */
export const SYNC_TRAILING_WINDOW_MS = 48 * 3_600_000;

/** Where an incremental sync of a chat stopped: the newest message stored. */
export interface SyncCursor {
  lastId: number;
  /** Date of that message, ISO 8601. */
  lastDate: string;
  /** When the sync that set it finished, ISO 8601. */
  syncedAt: string;
}

/** The store key of a chat's sync cursor (per account: message ids are per chat, access is per account). */
export const syncCursorKey = (account: string, chatId: number) => `chats/${account}/${chatId}/sync-cursor.json`;

/** The cursor an incremental sync of the chat left, or null before the first. */
export async function readSyncCursor(store: ArtifactStore, account: string, chatId: number): Promise<SyncCursor | null> {
  const raw = await store.tryGet(syncCursorKey(account, chatId));
  return raw ? (JSON.parse(raw.toString('utf8')) as SyncCursor) : null;
}

/**
 * The history query of an incremental sync: messages after the cursor, and every message of the trailing window
 * (edits show up there). Ids grow with time, so when the cursor is older than the window the cursor alone bounds
 * it. A resumed attempt's own checkpoint (`afterId`) and a user's `since` narrow it further.
 */
export function syncQuery(query: HistoryQuery, cursor: SyncCursor, windowStartMs: number): HistoryQuery {
  if (Date.parse(cursor.lastDate) < windowStartMs) return { ...query, afterId: Math.max(query.afterId ?? -Infinity, cursor.lastId) };
  const since = Math.max(query.since?.getTime() ?? -Infinity, windowStartMs);
  return { ...query, since: new Date(since) };
}

/** What `postToChat` posts. */
export interface PostToChatInput {
  /** The chat as a user would type it: link, @username or id. */
  chat: string;
  /** Text messages, in order; each is split at 4096 characters. */
  parts: string[];
  /** Files from the artifact store, sent as documents after the text. */
  files?: Array<{ key: string; caption?: string }>;
  /** Names this delivery: a retry with the same key posts only what was not posted yet. */
  deliveryKey: string;
}

/** What a delivery record holds: the ids of what was posted, in order. Written after each message. */
interface DeliveryRecord {
  chat: string;
  sent: number[];
}

/** The store key of a record; keys a store cannot hold (`:` and the like) are hashed. */
function recordKey(folder: string, deliveryKey: string): string {
  if (deliveryKey.trim() === '') throw new BadInputError('The delivery key is empty', 'Name each delivery, e.g. after its workflow id');
  const safe = /^[A-Za-z0-9._-]{1,120}$/.test(deliveryKey) && !deliveryKey.startsWith('.') ? deliveryKey : createHash('sha256').update(deliveryKey).digest('hex');
  return `${folder}/${safe}.json`;
}

/**
 * Where an export named `path` is written: a bare file name goes into the worker's output folder; a path is taken
 * only when it already lies inside that folder. Anything else (another folder, `..`) is refused: a client of the
 * namespace must not be able to make the worker write where it likes.
 */
export function exportFilePath(outputDir: string, path: string): string {
  const root = resolve(outputDir);
  const target = isAbsolute(path) ? resolve(path) : resolve(root, path);
  const inside = relative(root, target);
  const plainName = !isAbsolute(path) && basename(path) === path && path !== '.' && path !== '..';
  if ((plainName || isAbsolute(path)) && inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)) return target;
  throw new BadInputError(
    `The export file ${JSON.stringify(path)} is outside this worker's output folder (${root})`,
    'Name a file (members.csv): the worker writes it into its OUTPUT_DIR, and the CLI copies it where you asked',
  );
}

/** Writes lines to `path` through a temporary file renamed into place: a retry replaces, a crash leaves no half file. */
async function writeLines(path: string, lines: AsyncIterable<string>): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${randomUUID().slice(0, 8)}.tmp`;
  // Members and messages are chat data: the owner's only.
  const out = createWriteStream(tmp, { mode: 0o600 });
  try {
    for await (const line of lines) if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
    out.end();
    await finished(out);
    await rename(tmp, path);
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
}

/** A heartbeat when running as an activity; nothing when called directly (a unit test). */
function heartbeat(details: ExtractHeartbeat | { sent: number }): void {
  try {
    Context.current().heartbeat(details);
  } catch (err) {
    // Outside an activity there is no one to tell; anything else is a real failure.
    if (!(err instanceof Error && /activity context/i.test(err.message))) throw err;
  }
}

function cancellation(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    // Called outside an activity (a unit test): nothing cancels it.
    return undefined;
  }
}

/**
 * The activities that need an account's live session. They run on the account's own task queue
 * (`accountTaskQueue`), served only by the worker holding its lease, so one process speaks for the account.
 *
 * Extraction is the very code the export source uses (`createExtractActivities`), over a
 * {@link TelegramHistorySource}: pages of 100 through the limiter, a stored checkpoint, resume after a retry.
 */
export function createTelegramActivities(deps: TelegramActivityDeps) {
  const { telegram, store, account } = deps;
  const now = deps.now ?? Date.now;
  const failureOptions: FailureMappingOptions = deps.floodTimerThresholdSeconds !== undefined ? { floodTimerThresholdSeconds: deps.floodTimerThresholdSeconds } : {};

  function ownSource(source: JobSource): Extract<JobSource, { kind: 'telegram' }> {
    if (source.kind !== 'telegram') throw new BadInputError(`The worker of account "${account}" reads Telegram chats, not ${source.kind} sources`);
    if (source.account !== account) throw new BadInputError(`This worker holds account "${account}", not "${source.account}"`, `Start the worker of "${source.account}"`);
    return source;
  }

  const resolveChat = (chat: string): Promise<ChatRef> => telegram.resolveChat(chat, { signal: cancellation() });

  async function openSource(jobSource: JobSource): Promise<HistorySource> {
    const source = ownSource(jobSource);
    const ref = await resolveChat(source.chat);
    const live = new TelegramHistorySource(telegram, ref, { takeout: source.takeout === true });
    if (!source.sync) return live;
    const cursor = await readSyncCursor(store, account, ref.id);
    if (!cursor) return live;
    const windowStart = now() - SYNC_TRAILING_WINDOW_MS;
    return { info: () => live.info(), messages: (query) => live.messages(syncQuery(query, cursor, windowStart)) };
  }

  const base = createExtractActivities({
    store,
    outputDir: deps.outputDir,
    openSource,
    llm: null,
    ...(deps.floodTimerThresholdSeconds !== undefined ? { floodTimerThresholdSeconds: deps.floodTimerThresholdSeconds } : {}),
    ...(deps.heartbeatEveryMs !== undefined ? { heartbeatEveryMs: deps.heartbeatEveryMs } : {}),
  });

  /** Moves a synced chat's cursor to the newest message the extraction stored. */
  async function advanceCursor(chat: ChatInfo, history: HistoryRef): Promise<void> {
    const previous = await readSyncCursor(store, account, chat.id);
    const last = history.pages > 0 ? (await readHistoryPage(store, history.prefix, history.pages - 1)).at(-1) : undefined;
    const cursor: SyncCursor =
      last && (!previous || last.id >= previous.lastId)
        ? { lastId: last.id, lastDate: last.date, syncedAt: new Date(now()).toISOString() }
        : previous
          ? { ...previous, syncedAt: new Date(now()).toISOString() }
          : { lastId: 0, lastDate: new Date(0).toISOString(), syncedAt: new Date(now()).toISOString() };
    await store.put(syncCursorKey(account, chat.id), JSON.stringify(cursor));
  }

  /**
   * Extracts a chat on live Telegram into the artifact store (see `extractHistory` of the general worker: same
   * code, same checkpoint). With `source.sync`, reads only past the chat's cursor plus the trailing window, and
   * moves the cursor when done.
   */
  async function extractHistory(input: ExtractInput): Promise<ExtractOutput> {
    const out = await base.extractHistory(input);
    if (input.source.kind === 'telegram' && input.source.sync) await withFailureMapping(() => advanceCursor(out.chat, out.history), failureOptions);
    return out;
  }

  /**
   * Posts text parts (each split at 4096 characters) and then files from the artifact store to a chat. After each
   * message it records the ids posted so far under `deliveryKey`, so a retry (after a crash, a flood wait) goes on
   * with the next one and never posts a part twice. A crash between Telegram's answer and the record is the one
   * window left: that one message may be posted again.
   */
  async function postToChat(input: PostToChatInput): Promise<{ messageIds: number[] }> {
    return withFailureMapping(async () => {
      const texts = input.parts.flatMap((p) => splitForTelegram(p, MAX_MESSAGE_CHARS)).filter((p) => p.trim() !== '');
      const files = input.files ?? [];
      if (texts.length === 0 && files.length === 0) throw new BadInputError('Nothing to post: every part is empty and there are no files');
      const key = recordKey('deliveries', input.deliveryKey);
      const record: DeliveryRecord = (await readRecord(key)) ?? { chat: input.chat, sent: [] };
      const total = texts.length + files.length;
      if (record.sent.length >= total) return { messageIds: record.sent };
      const signal = cancellation();
      const chat = await resolveChat(input.chat);
      for (let i = record.sent.length; i < total; i++) {
        const file = i >= texts.length ? files[i - texts.length]! : undefined;
        const id = file ? await sendStoredFile(chat, file, signal) : await telegram.send(chat, texts[i]!, signal ? { signal } : {});
        record.sent.push(id);
        await store.put(key, JSON.stringify(record));
        heartbeat({ sent: record.sent.length });
      }
      return { messageIds: record.sent };
    }, failureOptions);
  }

  /**
   * Sends a file of the artifact store as a document. The store may be a bucket another host wrote to, so the file
   * is copied to this worker's temporary folder for the upload and removed after it.
   */
  async function sendStoredFile(chat: ChatRef, file: { key: string; caption?: string }, signal: AbortSignal | undefined): Promise<number> {
    const dir = await mkdtemp(join(tmpdir(), 'tgpulse-send-'));
    try {
      const path = join(dir, basename(file.key));
      await store.copyToFile(file.key, path);
      return await telegram.sendFile(chat, { path, fileName: basename(file.key), ...(file.caption !== undefined ? { caption: file.caption } : {}), ...(signal ? { signal } : {}) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async function readRecord(key: string): Promise<DeliveryRecord | null> {
    const raw = await store.tryGet(key);
    return raw ? (JSON.parse(raw.toString('utf8')) as DeliveryRecord) : null;
  }

  /**
   * A status message edited in place: the first call under `statusKey` posts it, later calls edit it. A job shows
   * where it is in one message instead of a trail of them.
   */
  async function postStatus(input: { chat: string; statusKey: string; text: string }): Promise<{ messageId: number }> {
    return withFailureMapping(async () => {
      const key = recordKey('status', input.statusKey);
      const chat = await resolveChat(input.chat);
      const signal = cancellation();
      const record = await readRecord(key);
      const existing = record?.sent[0];
      if (existing !== undefined) {
        await telegram.edit(chat, existing, input.text, signal ? { signal } : {});
        return { messageId: existing };
      }
      const messageId = await telegram.send(chat, input.text, { silent: true, ...(signal ? { signal } : {}) });
      await store.put(key, JSON.stringify({ chat: input.chat, sent: [messageId] } satisfies DeliveryRecord));
      return { messageId };
    }, failureOptions);
  }

  /** Posts a stored summary to the chat a job's delivery names, through {@link postToChat} (same record, same retries). */
  async function deliverSummaryToChat(input: { jobId: string; chat: ChatInfo; summaryKey: string; delivery: Delivery }): Promise<{ messageIds: number[] }> {
    return withFailureMapping(async () => {
      const delivery = input.delivery;
      if (delivery.kind !== 'telegram') throw new BadInputError(`deliverSummaryToChat posts to Telegram, not to ${delivery.kind}`);
      const summary = JSON.parse((await store.get(input.summaryKey)).toString('utf8')) as Summary;
      return postToChat({ chat: delivery.chat, parts: renderTelegramText(summary, input.chat, { limit: MAX_MESSAGE_CHARS }), deliveryKey: `summary-${input.jobId}` });
    }, failureOptions);
  }

  /**
   * Writes a chat's members to a CSV file (`path`, absolute, on this worker's machine). Phone numbers only with
   * `includePhone`, and only those Telegram shows this account. Heartbeats the count for the progress view.
   */
  async function exportMembersCsv(input: { account: string; chat: string; path: string; includePhone?: boolean }): Promise<{ members: number; path: string; chat: ChatInfo }> {
    return withFailureMapping(async () => {
      ownSource({ kind: 'telegram', account: input.account, chat: input.chat });
      const path = exportFilePath(deps.outputDir, input.path);
      const ref = await resolveChat(input.chat);
      const chat = await telegram.chatInfo(ref, { signal: cancellation() });
      const includePhone = input.includePhone === true;
      let members = 0;
      const signal = cancellation();
      // On a timer too: the limiter may hold a page back (pauses every few thousand members, short flood waits).
      const timer = setInterval(() => heartbeat({ pages: 0, messages: members }), deps.heartbeatEveryMs ?? 2000);
      async function* lines(): AsyncIterable<string> {
        yield csvRow(['id', 'username', 'first_name', 'last_name', 'admin', 'bot', 'premium', 'verified', ...(includePhone ? ['phone'] : [])]);
        for await (const m of telegram.members(ref, { includePhone, ...(signal ? { signal } : {}) })) {
          yield csvRow([m.id, m.username, m.firstName, m.lastName, m.admin ?? false, m.bot, m.premium, m.verified, ...(includePhone ? [m.phone] : [])]);
          members++;
        }
      }
      try {
        await writeLines(path, lines());
      } finally {
        clearInterval(timer);
      }
      return { members, path, chat };
    }, failureOptions);
  }

  /** Writes a stored history to a JSONL file (`path`, absolute, on this worker's machine), one message a line. */
  async function writeHistoryFile(input: { history: HistoryRef; path: string }): Promise<{ messages: number; path: string }> {
    return withFailureMapping(async () => {
      const path = exportFilePath(deps.outputDir, input.path);
      let messages = 0;
      async function* lines(): AsyncIterable<string> {
        for await (const m of readHistory(store, input.history)) {
          messages++;
          yield `${JSON.stringify(m)}\n`;
        }
      }
      await writeLines(path, lines());
      return { messages, path };
    }, failureOptions);
  }

  // Posting waits on the limiter and on Telegram: heartbeats on a timer keep a live post from timing out and let a
  // dead worker's post be retried (it resumes from its record) within seconds. Extraction and the members export
  // heartbeat their own progress.
  return {
    extractHistory,
    postToChat: (input: PostToChatInput) => withHeartbeats(() => postToChat(input)),
    postStatus: (input: Parameters<typeof postStatus>[0]) => withHeartbeats(() => postStatus(input)),
    deliverSummaryToChat: (input: Parameters<typeof deliverSummaryToChat>[0]) => withHeartbeats(() => deliverSummaryToChat(input)),
    exportMembersCsv,
    writeHistoryFile: (input: Parameters<typeof writeHistoryFile>[0]) => withHeartbeats(() => writeHistoryFile(input)),
  };
}

/** The activities of an account worker. Workflows import this type only. */
export type TelegramActivities = ReturnType<typeof createTelegramActivities>;
