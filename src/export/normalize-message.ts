import type { ChatMessage, MediaKind, Peer, Reaction, ServiceAction } from '../domain';

/** One entry of an export's `messages` array, as `JSON.parse` gives it. Fields are checked where they are read. */
export type RawExportMessage = Record<string, unknown>;

/** A message the export describes in a way we cannot use (no id, no date). */
export class MessageShapeError extends Error {
  constructor(
    readonly expected: string,
    readonly found: string,
  ) {
    super(`expected ${expected}, found ${found}`);
    this.name = 'MessageShapeError';
  }
}

/**
 * Resolves forum topics. A topic's id is the id of its `topic_created` service message, and a message of the
 * topic replies to that id or to another message of the topic; so a message's topic is found by following its
 * reply to a message whose topic is known. Only messages inside topics are remembered, at most `limit` of them
 * (oldest forgotten first), so memory stays bounded however long the chat is; topic ids themselves are always kept.
 */
export class TopicThreads {
  private readonly topics = new Set<number>();
  private readonly byMessage = new Map<number, number>();

  constructor(private readonly limit = 200_000) {}

  /** The topic of message `id`, or undefined outside topics (including the forum's General topic). */
  resolve(id: number, replyToId: number | undefined, createsTopic: boolean): number | undefined {
    if (createsTopic) {
      this.topics.add(id);
      return id;
    }
    if (replyToId === undefined || this.topics.size === 0) return undefined;
    const topic = this.topics.has(replyToId) ? replyToId : this.byMessage.get(replyToId);
    if (topic === undefined) return undefined;
    this.byMessage.set(id, topic);
    if (this.byMessage.size > this.limit) this.byMessage.delete(this.byMessage.keys().next().value!);
    return topic;
  }
}

/** What normalization needs to know beyond the message itself. */
export interface NormalizeContext {
  chatId: number;
  threads: TopicThreads;
}

const MEDIA_TYPES: Record<string, MediaKind> = {
  sticker: 'sticker',
  voice_message: 'voice',
  video_message: 'video_note',
  animation: 'animation',
  video_file: 'video',
  audio_file: 'audio',
};

/**
 * Turns one export message into a {@link ChatMessage}, or undefined for an `unsupported` one (Telegram Desktop
 * writes those for content it could not export; they carry only id and type).
 *
 * Dates: `date_unixtime` (seconds) when present; older exports only have `date`, the exporting machine's local
 * time without an offset, which is read as UTC (the export does not say which zone it was).
 */
export function normalizeMessage(raw: RawExportMessage, ctx: NormalizeContext): ChatMessage | undefined {
  const type = raw.type;
  if (type === 'unsupported') return undefined;
  const id = raw.id;
  if (typeof id !== 'number' || !Number.isInteger(id)) throw new MessageShapeError('a numeric `id`', describe(id));
  const isService = type === 'service';

  const date = exportDate(raw.date_unixtime, raw.date);
  if (date === undefined) {
    throw new MessageShapeError('`date_unixtime` (seconds) or `date` (like 2024-01-31T12:00:00)', describe(raw.date_unixtime ?? raw.date));
  }

  const sender = isService ? peerOf(raw.actor_id, raw.actor) : peerOf(raw.from_id, raw.from);
  const replyToId = typeof raw.reply_to_message_id === 'number' && raw.reply_to_peer_id === undefined ? raw.reply_to_message_id : undefined;

  let text = '';
  let links: string[] | undefined;
  const entities = Array.isArray(raw.text_entities) ? (raw.text_entities as unknown[]) : undefined;
  if (typeof raw.text === 'string') {
    text = raw.text;
    if (entities) links = linksOf(entities);
  } else {
    const parts = entities ?? (Array.isArray(raw.text) ? (raw.text as unknown[]) : undefined);
    if (parts) {
      for (const part of parts) {
        if (typeof part === 'string') text += part;
        else if (part !== null && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') text += (part as { text: string }).text;
      }
      links = linksOf(parts);
    }
  }

  let service: ServiceAction | undefined;
  let createsTopic = false;
  if (isService) {
    service = serviceOf(raw, sender);
    createsTopic = service.action === 'topic_created';
    if (text === '' && typeof raw.information_text === 'string') text = raw.information_text;
  }

  let forwardedFrom: string | undefined;
  if (raw.forwarded_from !== undefined) forwardedFrom = typeof raw.forwarded_from === 'string' ? raw.forwarded_from : 'Unknown sender';
  else if (typeof raw.saved_from === 'string') forwardedFrom = raw.saved_from;

  return {
    id,
    chatId: ctx.chatId,
    date,
    sender,
    text,
    links,
    replyToId,
    threadId: ctx.threads.resolve(id, replyToId, createsTopic),
    forwardedFrom,
    media: isService ? undefined : mediaOf(raw),
    reactions: Array.isArray(raw.reactions) ? reactionsOf(raw.reactions as unknown[]) : [],
    views: typeof raw.views === 'number' ? raw.views : undefined,
    edited: raw.edited_unixtime !== undefined || raw.edited !== undefined ? exportDate(raw.edited_unixtime, raw.edited) : undefined,
    service,
  };
}

/** ISO 8601 UTC from an export's unixtime string (or number) and local-time fallback. */
export function exportDate(unixtime: unknown, local: unknown): string | undefined {
  let ms = NaN;
  if (typeof unixtime === 'string' && unixtime !== '') ms = Number(unixtime) * 1000;
  else if (typeof unixtime === 'number') ms = unixtime * 1000;
  if (ms >= 0 && ms <= MAX_FAST_MS && ms % 1000 === 0) return isoFromSeconds(ms / 1000);
  if (Number.isNaN(ms) && typeof local === 'string' && local !== '') {
    ms = Date.parse(/(?:[zZ]|[+-]\d\d:?\d\d)$/.test(local) ? local : `${local}Z`);
  }
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Up to the last second of year 9999: beyond it ISO strings take a six-digit year. */
const MAX_FAST_MS = 253402300799000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, k) => String(k).padStart(2, '0'));
let cachedDay = NaN;
let cachedDayPrefix = '';

/**
 * `toISOString` of whole seconds, without building a Date for each message: messages of a chat come in date order,
 * so the day part is almost always the previous message's. Same output as `new Date(s * 1000).toISOString()`.
 */
function isoFromSeconds(seconds: number): string {
  const day = Math.floor(seconds / 86400);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  let rest = seconds - day * 86400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  return `${cachedDayPrefix}${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[rest - m * 60]}.000Z`;
}

/**
 * A sender or actor from an export's id and display name. Ids are `user123`, `channel123` or `chat123`; exports
 * from before 2020 write a bare number, which is a user. A deleted account has a null name.
 */
function peerOf(rawId: unknown, rawName: unknown): Peer | undefined {
  const name = typeof rawName === 'string' && rawName !== '' ? rawName : undefined;
  let id: string;
  if (typeof rawId === 'string' && rawId !== '') id = rawId;
  else if (typeof rawId === 'number') id = `user${rawId}`;
  else if (name !== undefined) return { id: `name:${name}`, name };
  else return undefined;
  return { id, name: name ?? deletedName(id) };
}

function deletedName(id: string): string {
  if (id.startsWith('channel')) return 'Deleted channel';
  if (id.startsWith('chat')) return 'Deleted group';
  return 'Deleted Account';
}

function linksOf(parts: readonly unknown[]): string[] | undefined {
  let links: string[] | undefined;
  for (const part of parts) {
    if (part === null || typeof part !== 'object') continue;
    const e = part as { type?: unknown; text?: unknown; href?: unknown };
    const href = e.type === 'link' ? e.text : e.type === 'text_link' ? e.href : undefined;
    if (typeof href === 'string' && href !== '') {
      links ??= [];
      if (!links.includes(href)) links.push(href);
    }
  }
  return links;
}

function mediaOf(raw: RawExportMessage): MediaKind | undefined {
  if (typeof raw.media_type === 'string') return MEDIA_TYPES[raw.media_type] ?? 'other';
  if (raw.photo !== undefined) return 'photo';
  if (raw.poll !== undefined) return 'poll';
  if (raw.location_information !== undefined || raw.place_name !== undefined) return 'location';
  if (raw.contact_information !== undefined || raw.contact_vcard !== undefined) return 'contact';
  if (raw.file !== undefined) return 'document';
  if (raw.game_title !== undefined || raw.invoice_information !== undefined || raw.todo_list !== undefined) return 'other';
  return undefined;
}

/** Emoji as themselves; custom emoji as `custom:<document id>` (the export has no picture of it); paid as ⭐. */
function reactionsOf(list: readonly unknown[]): Reaction[] {
  const out: Reaction[] = [];
  for (const item of list) {
    if (item === null || typeof item !== 'object') continue;
    const r = item as { type?: unknown; count?: unknown; emoji?: unknown; document_id?: unknown };
    let emoji: string;
    if (r.type === 'paid') emoji = '⭐';
    else if (r.type === 'custom_emoji') emoji = r.document_id !== undefined && r.document_id !== null ? `custom:${String(r.document_id)}` : 'custom';
    else if (typeof r.emoji === 'string') emoji = r.emoji;
    else continue;
    const count = typeof r.count === 'number' && Number.isInteger(r.count) && r.count >= 0 ? r.count : 1;
    out.push({ emoji, count });
  }
  return out;
}

/**
 * A service message's action. `members` are names only in exports; a member's id is known only when the member is
 * the actor (someone joining by link, or adding themselves), otherwise it is `name:<name>`.
 */
function serviceOf(raw: RawExportMessage, actor: Peer | undefined): ServiceAction {
  const action = typeof raw.action === 'string' ? raw.action : typeof raw.information_text === 'string' ? 'custom' : 'unknown';
  let members: Peer[] | undefined;
  if (Array.isArray(raw.members)) {
    members = (raw.members as unknown[]).map((m) => {
      const name = typeof m === 'string' && m !== '' ? m : 'Deleted Account';
      return actor && actor.name === name ? actor : { id: `name:${name}`, name };
    });
  } else if ((action === 'join_group_by_link' || action === 'join_group_by_request') && actor) {
    members = [actor];
  }
  const title = typeof raw.title === 'string' ? raw.title : typeof raw.new_title === 'string' ? raw.new_title : undefined;
  return {
    action,
    members,
    messageId: typeof raw.message_id === 'number' ? raw.message_id : undefined,
    title,
  };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 40)}…` : json;
}
