import type { ChatMessage } from '../domain';

/** The tags that delimit data in a prompt. Text from the chat may never open or close one. */
export const DATA_TAGS = ['chat_messages', 'partial_summaries', 'request'] as const;

// An opening bracket (ASCII, full-width, small form) and invisible format characters (zero-width space, joiners,
// BOM) or spaces before the tag name: a model reads all of them as the tag.
const TAG_LOOKALIKE = new RegExp(`[<\\uFF1C\\uFE64]([\\s\\p{Cf}]*/?[\\s\\p{Cf}]*)(${DATA_TAGS.join('|')})`, 'giu');

/**
 * Makes text safe to place inside a delimited block: a message that writes `</chat_messages>` must not end the
 * data and smuggle instructions after it. The angle bracket becomes a look-alike, so the text still reads the same
 * to a human and to the model.
 */
export function neutralizeTags(text: string): string {
  return text.replace(TAG_LOOKALIKE, '‹$1$2');
}

/**
 * Everything a model or a line-oriented parser may take for the end of a line: CR LF, LF, a lone CR, vertical tab,
 * form feed, the file/group/record separators, NEL (U+0085), and the Unicode line and paragraph separators.
 */
const LINE_BREAKS = /\r\n|[\n\r\v\f\u001C-\u001E\u0085\u2028\u2029]/g;

/**
 * One line of text, so that text from the chat (or written by the model) can never pose as another line: every
 * kind of line break becomes ` ¶ `, which also stops a message from starting a fake `#id` line of its own.
 */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ¶ ').replace(/\s+$/, '');
}

function hhmm(iso: string): string {
  return iso.slice(11, 16);
}

/**
 * The transcript line of a message, without its date (days come as `== YYYY-MM-DD ==` headers):
 * `#<id> <HH:MM> <sender>[ ↩<id>][ (fwd <from>)][ [<media>]][ [+<reactions>]]: <text>`.
 * `knownIds` says which reply targets are in the history; a reply to an earlier message is marked `↩earlier`, so the
 * model is never shown an id it could cite but we could not link.
 */
export function messageLine(m: ChatMessage, knownIds: ReadonlySet<number>): string {
  let head = `#${m.id} ${hhmm(m.date)} ${oneLine(m.sender?.name || 'someone')}`;
  if (m.replyToId !== undefined) head += knownIds.has(m.replyToId) ? ` ↩${m.replyToId}` : ' ↩earlier';
  if (m.forwardedFrom) head += ` (fwd ${oneLine(m.forwardedFrom)})`;
  if (m.media) head += ` [${m.media}]`;
  const reactions = m.reactions.reduce((sum, r) => sum + r.count, 0);
  if (reactions > 0) head += ` [+${reactions}]`;
  let body = m.text;
  if (m.service) {
    const who = m.service.members?.map((p) => p.name).join(', ');
    body = `[${m.service.action}${who ? ` ${who}` : ''}${m.service.title ? ` "${m.service.title}"` : ''}]${body ? ` ${body}` : ''}`;
  }
  const extraLinks = (m.links ?? []).filter((l) => !body.includes(l));
  if (extraLinks.length) body += ` ${extraLinks.join(' ')}`;
  return neutralizeTags(`${head}: ${oneLine(body)}`);
}

/** The day header placed before the first message of each day (and at the start of every chunk). */
export function dayHeader(iso: string): string {
  return `== ${iso.slice(0, 10)} ==`;
}

/** The topic header of forum groups, placed where the topic changes (and at the start of every chunk). */
export function topicHeader(threadId: number, title: string | undefined): string {
  return neutralizeTags(threadId === 0 ? '== topic: General ==' : `== topic #${threadId}${title ? `: ${oneLine(title)}` : ''} ==`);
}
