import type { ChatInfo, Summary } from '../domain';
import { messageLink } from '../domain';

/** Renders a summary as Markdown; every point ends with links to the messages it rests on. */
export function renderMarkdown(summary: Summary, chat: ChatInfo): string {
  const lines: string[] = [`# ${summary.title}`, ''];
  const { stats } = summary;
  const range = stats.firstDate && stats.lastDate ? ` · ${stats.firstDate.slice(0, 10)} → ${stats.lastDate.slice(0, 10)}` : '';
  lines.push(`_${stats.messages} messages · ${stats.participants} people${range} · ${summary.model === 'digest' ? 'no-model digest' : `model ${summary.model}`}_`, '');
  for (const section of summary.sections) {
    lines.push(`## ${section.heading}`, '');
    for (const point of section.points) lines.push(`- ${point.text}${refs(chat, point.messageIds)}`);
    lines.push('');
  }
  if (summary.usage) {
    const u = summary.usage;
    const cost = u.costUsd !== undefined ? ` · $${u.costUsd.toFixed(4)}` : '';
    lines.push(`_LLM usage: ${u.calls} calls · ${u.promptTokens} prompt + ${u.completionTokens} completion tokens${cost}_`, '');
  }
  return lines.join('\n');
}

function refs(chat: ChatInfo, ids: number[]): string {
  if (ids.length === 0) return '';
  const parts = ids.map((id, i) => {
    const link = messageLink(chat, id);
    return link ? `[${i + 1}](${link})` : `#${id}`;
  });
  return ` (${parts.join(', ')})`;
}
