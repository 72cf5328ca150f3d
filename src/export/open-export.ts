import { BadInputError, bareChannelId, type ChatInfo, type ChatMessage, type HistoryQuery, type HistorySource } from '../domain';
import { ExportFormatError, formatJsonPath } from './export-format-error';
import { assertUnchanged, explainScanError, locateExport, readChunks, type ExportFile } from './export-file';
import { surveyExport, type ChatLocation, type ExportChat, type SurveyedChat } from './export-survey';
import { flattenBatches } from './flatten-batches';
import { fixHexEscapes, JsonScanner, ScanAction, type JsonPath, type ScanHandler } from './json-scanner';
import { MessageShapeError, normalizeMessage, TopicThreads, type NormalizeContext, type RawExportMessage } from './normalize-message';

export interface OpenExportOptions {
  /** For a full account export: the chat to read, by exact id or by name (case-insensitive). */
  chat?: string;
  signal?: AbortSignal;
  /**
   * Called after each chunk of the validating pass with the bytes read so far and the file size: opening a large
   * export takes seconds, and an activity heartbeats here.
   */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** Counts from the last complete pass of {@link ExportHistorySource.messages}. */
export interface ExportReadStats {
  /** Messages handed out (after filters). */
  messages: number;
  /** `unsupported` entries skipped (content Telegram Desktop could not export). */
  unsupported: number;
}

/** How many candidates an ambiguous or unknown chat name lists before "and N more". */
const LISTED_CANDIDATES = 20;

/**
 * Opens a Telegram Desktop export (`result.json`, or the folder holding it) as a {@link HistorySource}.
 *
 * The whole file is validated first, in one fast pass, so a truncated or malformed export is refused here, with
 * the byte offset and what was expected, before a single message is handed out. Messages are then streamed: memory
 * stays flat whatever the size of the file.
 *
 * A full account export holds many chats: name one with `chat` (its id, or its name in any case). Without it, the
 * export must hold exactly one chat.
 *
 * @example
 * const source = await openExport('ChatExport_2024-05-01/result.json');
 * for await (const m of source.messages({ since: new Date('2024-04-01') })) console.log(m.id, m.text);
 */
export async function openExport(path: string, opts: OpenExportOptions = {}): Promise<ExportHistorySource> {
  const file = await locateExport(path);
  const survey = await surveyExport(file, opts);
  const chosen = chooseChat(file, survey.kind, survey.chats, opts.chat);
  return new ExportHistorySource(file, chosen);
}

/**
 * The chats in an export, with their message counts: several for a full account export (left chats marked
 * `left`), one for a chat export. Validates the file like {@link openExport}.
 */
export async function listExportChats(path: string, opts: Omit<OpenExportOptions, 'chat'> = {}): Promise<ExportChat[]> {
  const file = await locateExport(path);
  const survey = await surveyExport(file, opts);
  return survey.chats.map((c) => c.chat);
}

/** One chat of a Telegram Desktop export, read as a stream of {@link ChatMessage}s, oldest first. */
export class ExportHistorySource implements HistorySource {
  private stats: ExportReadStats | undefined;

  /** @internal use {@link openExport}. */
  constructor(
    private readonly file: ExportFile,
    private readonly chosen: SurveyedChat,
  ) {}

  /** The chat, with its message count. */
  get chat(): ExportChat {
    return this.chosen.chat;
  }

  /** Counts of the last complete pass over the messages; undefined before one finished. */
  get lastRead(): ExportReadStats | undefined {
    return this.stats;
  }

  async info(): Promise<ChatInfo> {
    const { messages: _messages, left: _left, ...info } = this.chosen.chat;
    return info;
  }

  /**
   * The chat's messages, oldest first, filtered by `since` (inclusive), `until` (exclusive) and `afterId`.
   * Topic ids are resolved from the whole history even when a filter skips the topic's first message.
   */
  messages(query: HistoryQuery = {}): AsyncIterableIterator<ChatMessage> {
    return flattenBatches(this.batches(query), query.signal);
  }

  /** The kept messages of each chunk of the file, as the chunks are read. */
  private async *batches(query: HistoryQuery): AsyncGenerator<ChatMessage[]> {
    if (query.since && query.until && query.since.getTime() >= query.until.getTime()) {
      throw new BadInputError(`the date range is empty: since ${query.since.toISOString()} is not before until ${query.until.toISOString()}`, 'Swap or widen the dates');
    }
    await assertUnchanged(this.file);
    const reader = new MessageReader(this.file, this.chosen, query);
    // The survey at open validated every byte: this pass only needs to find where each message ends. Telegram
    // Desktop writes `text_entities` as a copy of `text` (a string when it is one plain part, else the same
    // array), so it is left out of what gets parsed: a third less to decode.
    const scanner = new JsonScanner(reader, { startOffset: this.file.bom, trusted: true, omitKey: 'text_entities', hexEscapes: true });
    reader.scanner = scanner;
    this.stats = undefined;
    try {
      for await (const chunk of readChunks(this.file, query.signal)) {
        scanner.write(chunk);
        const batch = reader.take();
        if (batch.length > 0) yield batch;
        if (scanner.isStopped) break;
      }
      scanner.end();
    } catch (err) {
      throw explainScanError(err, this.file);
    }
    this.stats = { messages: reader.yielded, unsupported: reader.unsupported };
  }
}

/** Follows the chosen chat's `messages` array, parses each message on its own and keeps those the query wants. */
class MessageReader implements ScanHandler {
  scanner: JsonScanner | undefined;
  yielded = 0;
  unsupported = 0;
  private out: ChatMessage[] = [];
  private readonly context: NormalizeContext;
  private readonly since: string | undefined;
  private readonly until: string | undefined;
  private readonly afterId: number;
  private readonly at: ChatLocation;
  private readonly messagesDepth: number;

  constructor(
    private readonly file: ExportFile,
    chosen: SurveyedChat,
    query: HistoryQuery,
  ) {
    this.context = { chatId: chosen.chat.id, threads: new TopicThreads() };
    this.at = chosen.at;
    this.messagesDepth = chosen.at.section === null ? 1 : 4;
    // ISO 8601 UTC strings of one format compare as the instants they name.
    this.since = query.since?.toISOString();
    this.until = query.until?.toISOString();
    this.afterId = query.afterId ?? -Infinity;
  }

  /** Messages completed since the last call. */
  take(): ChatMessage[] {
    const batch = this.out;
    this.out = [];
    return batch;
  }

  enter(path: JsonPath): ScanAction {
    const len = path.length;
    if (len === 0) return ScanAction.descend;
    if (len === this.messagesDepth + 1) return ScanAction.capture;
    const at = this.at;
    if (at.section === null) return len === 1 && path[0] === 'messages' ? ScanAction.descend : ScanAction.skip;
    if (path[0] !== at.section) return ScanAction.skip;
    if (len === 1 || (len === 2 && path[1] === 'list') || (len === 3 && path[2] === at.index)) return ScanAction.descend;
    return len === 4 && path[3] === 'messages' ? ScanAction.descend : ScanAction.skip;
  }

  capture(json: string, offset: number, path: JsonPath): void {
    let m: ChatMessage | undefined;
    try {
      m = normalizeMessage(JSON.parse(fixHexEscapes(json)) as RawExportMessage, this.context);
    } catch (err) {
      // The survey validated the syntax, so a SyntaxError here means the bytes changed under us.
      const [expected, found] =
        err instanceof MessageShapeError ? [err.expected, err.found] : err instanceof SyntaxError ? ['the JSON that was validated when the file was opened (was it changed since?)', err.message] : [];
      if (expected === undefined) throw err;
      throw new ExportFormatError(
        { file: this.file.shown, byteOffset: offset, truncated: false, expected, found, messageIndex: path[path.length - 1] as number, jsonPath: formatJsonPath(path) },
        { cause: err },
      );
    }
    if (m === undefined) {
      this.unsupported++;
      return;
    }
    if (m.id <= this.afterId) return;
    if (this.since !== undefined && m.date < this.since) return;
    if (this.until !== undefined && m.date >= this.until) return;
    this.yielded++;
    this.out.push(m);
  }

  leave(path: JsonPath): void {
    // The chosen chat's messages are over: the rest of the file was validated when it was opened.
    if (path.length === this.messagesDepth && path[path.length - 1] === 'messages') this.scanner?.stop();
  }
}

function chooseChat(file: ExportFile, kind: 'chat' | 'account', chats: SurveyedChat[], wanted: string | undefined): SurveyedChat {
  if (chats.length === 0) {
    throw new BadInputError(`${file.shown} is a full account export with no chats`, 'Export again with the chats ticked (Personal chats, Private groups, Public groups) and format "Machine-readable JSON"');
  }
  if (wanted === undefined || wanted.trim() === '') {
    if (chats.length === 1) return chats[0]!;
    throw new BadInputError(`${file.shown} is a full account export with ${chats.length} chats: say which one to read`, `Name the chat by its name or id: ${candidates(chats)}`);
  }
  const q = wanted.trim();
  let matches: SurveyedChat[] = [];
  if (/^-?\d+$/.test(q)) {
    const bare = bareChannelId(Number(q));
    matches = chats.filter((c) => c.chat.id === Number(q) || bareChannelId(c.chat.id) === bare);
  }
  if (matches.length === 0) {
    const lower = q.toLowerCase();
    matches = chats.filter((c) => c.chat.title.toLowerCase() === lower);
  }
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    const what = kind === 'chat' ? `${file.shown} is the export of ${describeChat(chats[0]!.chat)}, not of "${q}"` : `no chat in ${file.shown} is named "${q}" or has that id`;
    throw new BadInputError(what, kind === 'chat' ? 'Leave the chat out, or pass the export of the chat you mean' : `Choose one of: ${candidates(chats)}`);
  }
  throw new BadInputError(`${matches.length} chats in ${file.shown} are named "${q}"`, `Name it by id instead: ${candidates(matches)}`);
}

function describeChat(c: ExportChat): string {
  return `"${c.title}" (id ${c.id}, ${c.type}, ${c.messages} ${c.messages === 1 ? 'entry' : 'entries'}${c.left ? ', left' : ''})`;
}

function candidates(chats: SurveyedChat[]): string {
  const shown = chats.slice(0, LISTED_CANDIDATES).map((c) => describeChat(c.chat));
  const more = chats.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}
