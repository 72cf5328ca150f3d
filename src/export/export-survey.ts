import type { ChatInfo, ChatType } from '../domain';
import { ChatType as ChatTypeSchema } from '../domain';
import { ExportFormatError, formatJsonPath } from './export-format-error';
import { explainScanError, notAnExport, readChunks, type ExportFile } from './export-file';
import { JsonScanner, ScanAction, type JsonPath, type ScanHandler } from './json-scanner';

/** A chat found in an export, with how many entries its `messages` array holds. */
export type ExportChat = ChatInfo & {
  /** Entries in the chat's `messages` array (unsupported ones included). */
  messages: number;
  /** True for a chat under `left_chats` in a full account export. */
  left: boolean;
};

/** Where a chat's messages sit in the file: the root (chat export) or `<section>.list[index]` (account export). */
export type ChatLocation = { section: null } | { section: 'chats' | 'left_chats'; index: number };

export interface SurveyedChat {
  chat: ExportChat;
  at: ChatLocation;
}

/** What one validating pass over an export found. */
export interface ExportSurvey {
  kind: 'chat' | 'account';
  chats: SurveyedChat[];
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const SECTIONS = new Set(['chats', 'left_chats']);
const TYPE_TITLES: Partial<Record<ChatType, string>> = {
  saved_messages: 'Saved Messages',
  replies: 'Replies',
  verification_codes: 'Verification Codes',
  personal_chat: 'Deleted Account',
};

interface ChatFields {
  name?: unknown;
  type?: unknown;
  id?: unknown;
  messages: number;
}

/**
 * Reads the whole export once, validating every byte, and lists its chats with their message counts. Nothing is
 * parsed into objects but a few names and ids, so this is fast; and because it runs before any message is handed
 * out, a truncated or broken file is refused before anything is written from it.
 */
export async function surveyExport(
  file: ExportFile,
  opts: { signal?: AbortSignal; onProgress?: (bytesRead: number, totalBytes: number) => void } = {},
): Promise<ExportSurvey> {
  const handler = new SurveyHandler(file);
  const scanner = new JsonScanner(handler, { startOffset: file.bom, hexEscapes: true });
  try {
    for await (const chunk of readChunks(file, opts.signal)) {
      scanner.write(chunk);
      opts.onProgress?.(scanner.offset, file.size);
    }
    scanner.end();
  } catch (err) {
    throw explainScanError(err, file);
  }
  return handler.result();
}

class SurveyHandler implements ScanHandler {
  private root: ChatFields = { messages: 0 };
  private hasMessages = false;
  private hasList = false;
  private readonly listed: Array<{ fields: ChatFields; at: ChatLocation }> = [];

  constructor(private readonly file: ExportFile) {}

  enter(path: JsonPath, c: number, offset: number): ScanAction {
    switch (path.length) {
      case 0:
        if (c !== OPEN_BRACE) throw notAnExport(this.file, 'its top level is not an object');
        return ScanAction.descend;
      case 1: {
        const key = path[0];
        if (key === 'messages' && c === OPEN_BRACKET) {
          this.hasMessages = true;
          return ScanAction.descend;
        }
        if (key === 'name' || key === 'type' || key === 'id') return ScanAction.capture;
        return SECTIONS.has(key as string) && c === OPEN_BRACE ? ScanAction.descend : ScanAction.skip;
      }
      case 2:
        if (path[0] === 'messages') {
          this.countMessage(this.root, c, offset, path);
          return ScanAction.skip;
        }
        if (path[1] === 'list' && c === OPEN_BRACKET) {
          this.hasList = true;
          return ScanAction.descend;
        }
        return ScanAction.skip;
      case 3:
        if (c !== OPEN_BRACE) return ScanAction.skip;
        this.listed.push({ fields: { messages: 0 }, at: { section: path[0] as 'chats' | 'left_chats', index: path[2] as number } });
        return ScanAction.descend;
      case 4: {
        const key = path[3];
        if (key === 'name' || key === 'type' || key === 'id') return ScanAction.capture;
        return key === 'messages' && c === OPEN_BRACKET ? ScanAction.descend : ScanAction.skip;
      }
      case 5:
        this.countMessage(this.listed[this.listed.length - 1]!.fields, c, offset, path);
        return ScanAction.skip;
      default:
        return ScanAction.skip;
    }
  }

  capture(json: string, _offset: number, path: JsonPath): void {
    const target = path.length === 1 ? this.root : this.listed[this.listed.length - 1]!.fields;
    target[path[path.length - 1] as 'name' | 'type' | 'id'] = JSON.parse(json);
  }

  leave(): void {}

  result(): ExportSurvey {
    if (this.hasMessages) {
      return { kind: 'chat', chats: [{ chat: chatOf(this.root, false), at: { section: null } }] };
    }
    if (this.hasList) {
      return { kind: 'account', chats: this.listed.map(({ fields, at }) => ({ chat: chatOf(fields, at.section === 'left_chats'), at })) };
    }
    throw notAnExport(this.file, 'it has neither `messages` (a chat export) nor `chats.list` (a full account export) at the top level');
  }

  private countMessage(fields: ChatFields, c: number, offset: number, path: JsonPath): void {
    if (c !== OPEN_BRACE) {
      const index = path[path.length - 1] as number;
      throw new ExportFormatError({
        file: this.file.shown,
        byteOffset: offset,
        truncated: false,
        expected: 'a message object `{`',
        found: `\`${String.fromCharCode(c)}\``,
        messageIndex: index,
        jsonPath: formatJsonPath(path),
      });
    }
    fields.messages++;
  }
}

function chatOf(fields: ChatFields, left: boolean): ExportChat {
  const parsed = ChatTypeSchema.safeParse(fields.type);
  const type: ChatType = parsed.success ? parsed.data : 'unknown';
  const id = typeof fields.id === 'number' && Number.isInteger(fields.id) ? fields.id : 0;
  const title = typeof fields.name === 'string' && fields.name !== '' ? fields.name : (TYPE_TITLES[type] ?? `Chat ${id}`);
  return { id, title, type, messages: fields.messages, left };
}
