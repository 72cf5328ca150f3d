import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ChatInfo, Summary } from '../domain';
import { messageLink } from '../domain';
import { renderMarkdown } from './render-markdown';

/** How much of a chat title a slug keeps by default: enough to recognise the chat in a file or run list. */
export const SLUG_CHARS = 40;

/**
 * Longest file name stem we write: well under the 255 bytes file systems allow, with room for `.json.tmp`.
 * Only the title part is cut to fit; the job id, which makes the name unique, is kept whole.
 */
const MAX_STEM_CHARS = 200;

/** A file name fragment from a chat title: lower case, ASCII letters and digits, dashes; at most `max` characters. */
export function slug(text: string, max = SLUG_CHARS): string {
  const s = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return s || 'chat';
}

/**
 * The name (without extension) of a job's files: the chat's title, cut, then the whole job id. Job ids end in what
 * tells runs apart (a workflow id's random suffix), so two runs over one chat, however long its title or the id,
 * never share a file.
 *
 * @example
 * fileStem('Build Cohort #7', 'summarize-build-cohort-7-3f9a1c2e') // 'build-cohort-7-summarize-build-cohort-7-3f9a1c2e'
 */
export function fileStem(title: string, jobId: string): string {
  let id = slug(jobId, Infinity);
  // An id too long for a file name keeps its end: that is where the unique part is.
  if (id.length > MAX_STEM_CHARS - 10) id = id.slice(id.length - (MAX_STEM_CHARS - 10)).replace(/^-+/, '');
  return `${slug(title, Math.min(SLUG_CHARS, MAX_STEM_CHARS - id.length - 1))}-${id}`;
}

/** Result files hold chat text: readable by the worker's user only, like everything else it stores. */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

async function writeAtomic(path: string, body: string): Promise<void> {
  const tmp = `${path}.tmp`;
  // A temporary file left by a crash keeps its old mode on reopen: remove it so the mode below applies.
  await rm(tmp, { force: true });
  await writeFile(tmp, body, { mode: FILE_MODE });
  await rename(tmp, path);
}

/**
 * Writes a summary to the output folder as Markdown and JSON (with each point's links resolved). Files are named
 * after the chat and the whole job id (see {@link fileStem}): delivering the same job again (a retry) replaces them,
 * another run of the same chat writes its own. `dir` is the worker's OUTPUT_DIR, never a run's input: names are
 * slugs, so nothing a run says can place a file outside it. Files are 0600, folders it creates 0700.
 */
export async function deliverToFiles(opts: { dir: string; jobId: string; chat: ChatInfo; summary: Summary }): Promise<string[]> {
  const dir = resolve(opts.dir);
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  const base = join(dir, fileStem(opts.chat.title, opts.jobId));
  const json = {
    chat: opts.chat,
    ...opts.summary,
    sections: opts.summary.sections.map((s) => ({
      ...s,
      points: s.points.map((p) => ({ ...p, links: p.messageIds.map((id) => messageLink(opts.chat, id)).filter(Boolean) })),
    })),
  };
  await writeAtomic(`${base}.md`, renderMarkdown(opts.summary, opts.chat));
  await writeAtomic(`${base}.json`, JSON.stringify(json, null, 2) + '\n');
  return [`${base}.md`, `${base}.json`];
}
