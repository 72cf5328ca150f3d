import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BadInputError } from '../domain';
import { ExportFormatError, formatJsonPath, messageIndexOf } from './export-format-error';
import { JsonScanError } from './json-scanner';

/** Read size: large reads keep the per-chunk overhead (a promise, a stream turn) small against the scanning. */
export const EXPORT_CHUNK_BYTES = 1 << 20;

const HOW_TO_EXPORT = 'In Telegram Desktop open the chat, ⋮ → Export chat history, format "Machine-readable JSON" (or Settings → Advanced → Export Telegram data for all chats), then pass the result.json it writes';

/** An export file found on disk, with what identifies this version of it. */
export interface ExportFile {
  /** Path to read. */
  path: string;
  /** Path as the user gave it, for messages. */
  shown: string;
  size: number;
  mtimeMs: number;
  /** Bytes of a UTF-8 byte-order mark to skip (some editors write one); offsets still count from the file start. */
  bom: number;
}

/**
 * Finds the export the user pointed at: a `result.json`, or the folder Telegram Desktop wrote it into. Refuses, with
 * what to do, a missing path, a folder without `result.json`, an HTML export and an empty file.
 */
export async function locateExport(path: string): Promise<ExportFile> {
  let file = path;
  let info = await statOrExplain(path, path);
  if (info.isDirectory()) {
    file = join(path, 'result.json');
    info = await statOrExplain(file, path, `the folder ${path} has no result.json`);
  }
  if (!info.isFile()) throw new BadInputError(`${path} is not a file`, HOW_TO_EXPORT);
  if (info.size === 0) throw new ExportFormatError({ file: path, byteOffset: 0, truncated: true, expected: 'a Telegram Desktop export (the file is empty)' });
  const head = await readHead(file, 64);
  const bom = head.startsWith('\uFEFF') ? 3 : 0;
  const first = head.replace(/^\uFEFF/, '').trimStart()[0];
  if (first === '<') throw new BadInputError(`${path} is an HTML export (or another HTML page), not a JSON one`, HOW_TO_EXPORT);
  if (first !== '{') {
    throw new BadInputError(`${path} is not a Telegram Desktop export: it does not start with \`{\``, HOW_TO_EXPORT);
  }
  return { path: file, shown: path, size: info.size, mtimeMs: info.mtimeMs, bom };
}

/** Refuses to go on when the file changed since it was surveyed: offsets and counts would no longer hold. */
export async function assertUnchanged(file: ExportFile): Promise<void> {
  const now = await statOrExplain(file.path, file.shown);
  if (now.size !== file.size || now.mtimeMs !== file.mtimeMs) {
    throw new BadInputError(`${file.shown} changed since it was opened (${file.size} → ${now.size} bytes)`, 'Wait until the export or copy has finished, then open it again');
  }
}

/** The error a user should see for a scanner error in `file`; other errors pass through. */
export function explainScanError(err: unknown, file: ExportFile): unknown {
  if (!(err instanceof JsonScanError)) return err;
  return new ExportFormatError(
    {
      file: file.shown,
      byteOffset: err.offset,
      truncated: err.truncated,
      expected: err.expected,
      found: err.found,
      messageIndex: messageIndexOf(err.path),
      jsonPath: err.path.length > 0 ? formatJsonPath(err.path) : undefined,
    },
    { cause: err },
  );
}

/** The guide for a JSON file that is not an export. */
export function notAnExport(file: ExportFile, what: string): BadInputError {
  return new BadInputError(
    `${file.shown} is JSON but not a Telegram Desktop export: ${what}`,
    HOW_TO_EXPORT,
  );
}

async function statOrExplain(path: string, shown: string, missing = `no export at ${shown}`) {
  try {
    return await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new BadInputError(missing, `Check the path. ${HOW_TO_EXPORT}`, { cause: err });
    if (code === 'EACCES' || code === 'EPERM') throw new BadInputError(`${shown} cannot be read (permission denied)`, 'Make the file readable by this user', { cause: err });
    throw err;
  }
}

async function readHead(path: string, bytes: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.toString('utf8', 0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The file's bytes in large chunks, past any byte-order mark. Stops reading when the consumer stops. */
export async function* readChunks(file: ExportFile, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const stream = createReadStream(file.path, { highWaterMark: EXPORT_CHUNK_BYTES, start: file.bom });
  try {
    for await (const chunk of stream) {
      signal?.throwIfAborted();
      yield chunk as Buffer;
    }
  } finally {
    stream.destroy();
  }
}
