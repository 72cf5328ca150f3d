import { writeFileSync } from 'node:fs';
import { Api } from 'telegram';
import type { PiltoverUser } from './piltover-users';
import { prng } from './prng';

/** One message as posted, with what the server answered and what happened to it afterwards. */
export interface PostedMessage {
  sent: Api.Message;
  by: PiltoverUser;
  /** The final text and edit time when it was edited after posting. */
  edited?: Api.Message;
  reactions: { emoji: string; count: number }[];
}

const QUESTIONS = ['How do I deploy the worker to staging?', 'Does anyone know why the CI pipeline times out?', 'Which redis version do we need?', 'Where are the slides from the last call?', 'Is the homework due on Friday?', 'Who can review my PR today?'];
const ANSWERS = ['Use the deploy script in the repo, it does everything', 'Bump the timeout in the CI config', 'Any 7.x works', 'They are pinned in the channel', 'Yes, Friday evening', 'I can, send the link'];
const CHATTER = ['Good morning everyone', 'Pushed the fix', 'Thanks a lot!', 'Standup in five minutes', 'Tests are green again', 'Working on the schema migration'];
const DEMOS = ['#demo my app is live: https://github.com/acme/app/pull/12', 'Shipped a demo of the dashboard https://youtu.be/demo42', '#demo the bot now answers questions https://demo.example/bot'];
const BLOCKERS = ['I am blocked: redis timeout in the worker', 'Stuck on the docker build, it fails on arm64'];

/**
 * Posts a deterministic cohort conversation (seeded): questions, some answered by a reply from someone else and
 * some left open, reply chains, demos with links, blockers, small talk, edits and reactions, by several people.
 * Sequential, as replies need the ids the server gives.
 */
export async function postConversation(users: PiltoverUser[], group: string, opts: { messages: number; seed?: number }): Promise<PostedMessage[]> {
  const rand = prng(opts.seed ?? 7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const posted: PostedMessage[] = [];
  const open: PostedMessage[] = [];
  for (let i = 0; i < opts.messages; i++) {
    const by = pick(users);
    const roll = rand();
    let message: string;
    let replyTo: number | undefined;
    if (roll < 0.18) {
      message = pick(QUESTIONS);
    } else if (roll < 0.4 && open.length > 0) {
      const q = open.splice(Math.floor(rand() * open.length), 1)[0]!;
      message = pick(ANSWERS);
      replyTo = q.sent.id;
    } else if (roll < 0.5 && posted.length > 0) {
      message = pick(CHATTER);
      replyTo = posted[posted.length - 1 - Math.floor(rand() * Math.min(5, posted.length))]!.sent.id;
    } else if (roll < 0.58) {
      message = pick(DEMOS);
    } else if (roll < 0.64) {
      message = pick(BLOCKERS);
    } else {
      message = `${pick(CHATTER)} (${i})`;
    }
    const sent = await by.client.sendMessage(group, { message, ...(replyTo !== undefined ? { replyTo } : {}) });
    const entry: PostedMessage = { sent, by, reactions: [] };
    posted.push(entry);
    if (message.endsWith('?') && rand() < 0.7) open.push(entry);
  }
  // Edits by their authors and reactions by others, after the fact, as in a real group.
  for (const entry of posted) {
    if (rand() < 0.08) entry.edited = await entry.by.client.editMessage(group, { message: entry.sent.id, text: `${entry.sent.message} (edited)` });
    if (rand() < 0.1) {
      const reactor = users.find((u) => u !== entry.by)!;
      await reactor.client.invoke(new Api.messages.SendReaction({ peer: group, msgId: entry.sent.id, reaction: [new Api.ReactionEmoji({ emoticon: '🔥' })] }));
      entry.reactions = [{ emoji: '🔥', count: 1 }];
    }
  }
  return posted;
}

/** Exports write the machine's local time without an offset; this one pretends it ran on UTC. */
const localDate = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 19);
const nameOf = (u: PiltoverUser) => [u.firstName, u.lastName].filter(Boolean).join(' ');

/** Telegram Desktop's text and text_entities of a message, from the entities the server sent with it. */
function exportText(message: Api.Message): { text: unknown; text_entities: unknown[] } {
  const text = message.message;
  const entities = (message.entities ?? []).filter((e) => e instanceof Api.MessageEntityUrl || e instanceof Api.MessageEntityTextUrl || e instanceof Api.MessageEntityHashtag);
  if (entities.length === 0) return { text, text_entities: text === '' ? [] : [{ type: 'plain', text }] };
  const parts: { type: string; text: string; href?: string }[] = [];
  let at = 0;
  for (const e of [...entities].sort((a, b) => a.offset - b.offset)) {
    if (e.offset > at) parts.push({ type: 'plain', text: text.slice(at, e.offset) });
    const slice = text.slice(e.offset, e.offset + e.length);
    parts.push(e instanceof Api.MessageEntityTextUrl ? { type: 'text_link', text: slice, href: e.url } : { type: e instanceof Api.MessageEntityUrl ? 'link' : 'hashtag', text: slice });
    at = e.offset + e.length;
  }
  if (at < text.length) parts.push({ type: 'plain', text: text.slice(at) });
  return { text: parts.map((p) => (p.type === 'plain' ? p.text : p)), text_entities: parts };
}

/**
 * Writes the Telegram Desktop export (`result.json`, single chat) of what was posted: the group's creation service
 * message, then every message with the ids, dates, senders, replies, edits and reactions the server gave it
 * (see ../shared/telegram-export-format.md). Written from the posts, not from tgpulse's own reading of the group.
 */
export function writeConversationExport(path: string, chat: { id: number; title: string; created: Api.MessageService; owner: PiltoverUser }, posted: PostedMessage[]): void {
  const messages: unknown[] = [
    {
      id: chat.created.id,
      type: 'service',
      date: localDate(chat.created.date),
      date_unixtime: String(chat.created.date),
      actor: nameOf(chat.owner),
      actor_id: `user${chat.owner.id}`,
      action: 'create_channel',
      title: chat.title,
      text: '',
      text_entities: [],
    },
  ];
  for (const p of posted) {
    const final = p.edited ?? p.sent;
    const reply = p.sent.replyTo instanceof Api.MessageReplyHeader ? p.sent.replyTo.replyToMsgId : undefined;
    messages.push({
      id: p.sent.id,
      type: 'message',
      date: localDate(p.sent.date),
      date_unixtime: String(p.sent.date),
      ...(p.edited?.editDate ? { edited: localDate(p.edited.editDate), edited_unixtime: String(p.edited.editDate) } : {}),
      from: nameOf(p.by),
      from_id: `user${p.by.id}`,
      ...(reply ? { reply_to_message_id: reply } : {}),
      ...exportText(final),
      ...(p.reactions.length > 0 ? { reactions: p.reactions.map((r) => ({ type: 'emoji', count: r.count, emoji: r.emoji })) } : {}),
    });
  }
  writeFileSync(path, JSON.stringify({ name: chat.title, type: 'public_supergroup', id: chat.id, messages }, null, 1));
}
