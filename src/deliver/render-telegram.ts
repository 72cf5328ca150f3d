import type { ChatInfo, Summary } from '../domain';
import { pointLinks, type RenderOptions } from './point-links';

/**
 * Splits text into parts of at most `limit` characters, preferring blank lines, then line ends, then spaces, and
 * never cutting an emoji (a surrogate pair) in half.
 */
export function splitForTelegram(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let cut = window.lastIndexOf('\n\n');
    if (cut < limit / 2) cut = window.lastIndexOf('\n');
    if (cut < limit / 2) cut = window.lastIndexOf(' ');
    if (cut <= 0) {
      cut = limit;
      if (/[\uD800-\uDBFF]/.test(rest[cut - 1]!)) cut--;
    }
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

/**
 * A summary as Telegram plain text (no parse mode, so nothing in a member's message can break the formatting),
 * split into messages of at most `limit` characters. Links are bare `t.me` URLs, which Telegram shows as links.
 */
export function renderTelegramText(summary: Summary, chat: Pick<ChatInfo, 'id' | 'type' | 'username'>, options: RenderOptions & { limit: number }): string[] {
  const lines = [summary.title];
  for (const section of summary.sections) {
    lines.push('', section.heading.toUpperCase());
    for (const point of section.points) {
      const urls = pointLinks(chat, point.messageIds, options).slice(0, 3);
      lines.push(`• ${point.text}${urls.length ? ` ${urls.join(' ')}` : ''}`);
    }
  }
  if (summary.notes?.length) lines.push('', ...summary.notes);
  return splitForTelegram(lines.join('\n'), options.limit);
}
