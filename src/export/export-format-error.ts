import { BadInputError } from '../domain';

/** Where and how an export file is broken. */
export interface ExportFormatProblem {
  /** The file, as the user named it. */
  file: string;
  /** Byte offset of the problem; for a truncated file, its size. */
  byteOffset: number;
  /** The file ends before the JSON document does. */
  truncated: boolean;
  /** What should have been there, in words: "`,` or `}`", "a numeric `id`". */
  expected: string;
  /** What was there instead (absent when truncated). */
  found?: string;
  /** Index of the message (in its chat's `messages` array, from 0) around the problem. */
  messageIndex?: number;
  /** JSON path around the problem, e.g. `chats.list[2].messages[678]`. */
  jsonPath?: string;
}

/**
 * A Telegram Desktop export that is truncated or malformed. Says where (byte offset, message index) and what was
 * expected, so the user can tell an interrupted download from a hand-edited file.
 */
export class ExportFormatError extends BadInputError {
  readonly file: string;
  readonly byteOffset: number;
  readonly truncated: boolean;
  readonly expected: string;
  readonly found: string | undefined;
  readonly messageIndex: number | undefined;
  readonly jsonPath: string | undefined;

  constructor(problem: ExportFormatProblem, options?: { cause?: unknown }) {
    const where =
      problem.messageIndex !== undefined
        ? `, in message #${problem.messageIndex} (${problem.jsonPath})`
        : problem.jsonPath
          ? ` (in ${problem.jsonPath})`
          : '';
    const message = problem.truncated
      ? `${problem.file} is truncated at byte ${problem.byteOffset}${where}: expected ${problem.expected}`
      : `${problem.file} is malformed at byte ${problem.byteOffset}${where}: expected ${problem.expected}${problem.found ? `, found ${problem.found}` : ''}`;
    const hint = problem.truncated
      ? 'The file is incomplete (an interrupted export, download or copy): export the chat again from Telegram Desktop (format: Machine-readable JSON) and wait for it to finish'
      : 'The file was damaged or edited after the export: export the chat again from Telegram Desktop (format: Machine-readable JSON)';
    super(message, hint, options);
    this.name = 'ExportFormatError';
    this.file = problem.file;
    this.byteOffset = problem.byteOffset;
    this.truncated = problem.truncated;
    this.expected = problem.expected;
    this.found = problem.found;
    this.messageIndex = problem.messageIndex;
    this.jsonPath = problem.jsonPath;
  }
}

/** `['chats', 'list', 2, 'messages', 7]` → `chats.list[2].messages[7]`. */
export function formatJsonPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

/** The message index in a path like `…messages[7]…`, if the path goes through a message. */
export function messageIndexOf(path: ReadonlyArray<string | number>): number | undefined {
  for (let k = path.length - 2; k >= 0; k--) {
    const next = path[k + 1];
    if (path[k] === 'messages' && typeof next === 'number') return next;
  }
  return undefined;
}
