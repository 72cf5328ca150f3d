import type { ChatInfo, Summary } from '../domain';
import { pointLinks, type RenderOptions } from './point-links';

/** Member text goes into Markdown as text: `[x](y)` or `*x*` in a message must not become formatting. */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

/**
 * Renders a summary as Markdown; every point ends with links to the messages it rests on (message numbers where
 * the chat has no links).
 */
export function renderMarkdown(summary: Summary, chat: Pick<ChatInfo, 'id' | 'type' | 'username'>, options: RenderOptions = {}): string {
  const lines: string[] = [`# ${escapeMarkdown(summary.title)}`, ''];
  const { stats } = summary;
  const range = stats.firstDate && stats.lastDate ? ` · ${stats.firstDate.slice(0, 10)} → ${stats.lastDate.slice(0, 10)}` : '';
  lines.push(`_${stats.messages} messages · ${stats.participants} people${range} · ${summary.model === 'digest' ? 'no-model digest' : `model ${escapeMarkdown(summary.model)}`}_`, '');
  for (const section of summary.sections) {
    lines.push(`## ${escapeMarkdown(section.heading)}`, '');
    for (const point of section.points) lines.push(`- ${escapeMarkdown(point.text)}${refs(chat, point.messageIds, options)}`);
    lines.push('');
  }
  if (summary.usage) {
    const u = summary.usage;
    const cost = u.costUsd !== undefined ? ` · $${u.costUsd.toFixed(4)}` : '';
    lines.push(`_LLM usage: ${u.calls} calls · ${u.promptTokens} prompt + ${u.completionTokens} completion tokens${cost}_`, '');
  }
  // How the merge went and which cited ids were dropped: a reader should see what the points may not cover.
  for (const note of summary.notes ?? []) lines.push(`_${escapeMarkdown(note)}_`, '');
  return lines.join('\n');
}

function refs(chat: Pick<ChatInfo, 'id' | 'type' | 'username'>, ids: number[], options: RenderOptions): string {
  const known = ids.filter((id) => !options.knownIds || options.knownIds.has(id));
  if (known.length === 0) return '';
  const urls = pointLinks(chat, known, {});
  if (urls.length === 0) return ` (${known.map((id) => `#${id}`).join(', ')})`;
  return ` (${urls.map((url, i) => `[${urls.length === 1 ? 'link' : i + 1}](${url})`).join(', ')})`;
}
