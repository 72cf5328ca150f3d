import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * What a download link points at, never a path: a file a run's result lists (by position), or a file of a cohort
 * week's stored recap. The server alone turns it into a file, under its own configured folders.
 */
export type FileRef = { kind: 'run'; workflowId: string; index: number } | { kind: 'recap'; chatId: number; week: string; file: RecapFile };

/** The files of a stored recap a link may name. */
export const RECAP_FILES = ['png', 'svg', 'md'] as const;
export type RecapFile = (typeof RECAP_FILES)[number];

/** The name a stored recap file downloads under. */
export function recapFileName(ref: Extract<FileRef, { kind: 'recap' }>): string {
  return `recap-${ref.chatId}-${ref.week}.${ref.file}`;
}

/** The opaque id of a file in a download link (`/files/<id>`). */
export function fileId(ref: FileRef): string {
  return ref.kind === 'run' ? `run.${Buffer.from(ref.workflowId).toString('base64url')}.${ref.index}` : `recap.${ref.chatId}.${ref.week}.${ref.file}`;
}

/** The file an id names, or null for anything that is not an id this server made (a path, `..`, garbage). */
export function parseFileId(id: string): FileRef | null {
  let m = /^run\.([A-Za-z0-9_-]{1,400})\.(\d{1,4})$/.exec(id);
  if (m) {
    const workflowId = Buffer.from(m[1]!, 'base64url').toString('utf8');
    return workflowId ? { kind: 'run', workflowId, index: Number(m[2]) } : null;
  }
  m = /^recap\.(-?\d{1,20})\.(\d{4}-W\d{2})\.(png|svg|md)$/.exec(id);
  if (m) return { kind: 'recap', chatId: Number(m[1]), week: m[2]!, file: m[3] as RecapFile };
  return null;
}

/**
 * The real path of `path` when it is a file inside one of `roots` (symbolic links resolved on both sides), else
 * null. A run's result lists absolute paths written by a worker: one that points anywhere else (a worker with
 * other folders, a tampered history) is not served.
 */
export async function resolveUnder(roots: readonly string[], path: string): Promise<string | null> {
  if (!isAbsolute(path)) return null;
  let real: string;
  try {
    real = await realpath(resolve(path));
  } catch {
    // Gone, or never on this host.
    return null;
  }
  for (const root of roots) {
    const realRoot = await realpath(resolve(root)).catch(() => null);
    if (!realRoot) continue;
    const rel = relative(realRoot, real);
    if (rel && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)) return real;
  }
  return null;
}
