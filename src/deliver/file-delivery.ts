import { mkdir, writeFile, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ChatInfo, Summary } from '../domain';
import { messageLink } from '../domain';
import { renderMarkdown } from './render-markdown';

/** A file name fragment from a chat title: lower case, ASCII letters and digits, dashes. */
export function slug(text: string): string {
  const s = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return s || 'chat';
}

async function writeAtomic(path: string, body: string): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, body);
  await rename(tmp, path);
}

/**
 * Writes a summary to the output folder as Markdown and JSON (with each point's links resolved). Files are named
 * after the job, so delivering the same job again replaces them.
 */
export async function deliverToFiles(opts: { dir: string; jobId: string; chat: ChatInfo; summary: Summary }): Promise<string[]> {
  const dir = resolve(opts.dir);
  await mkdir(dir, { recursive: true });
  const base = join(dir, `${slug(opts.chat.title)}-${slug(opts.jobId)}`);
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
