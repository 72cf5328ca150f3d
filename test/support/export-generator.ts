import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { prng } from './prng';

/** What {@link writeExport} writes. */
export interface ExportSpec {
  /** Entries in the `messages` array (ordinary, service and a rare `unsupported` one). */
  messages: number;
  /** Same seed, same file, byte for byte. Default 1. */
  seed?: number;
  chatName?: string;
  /** Bare chat id, as exports write it. Default 1987654321. */
  chatId?: number;
  /** Chat type, e.g. `private_supergroup` (default) or `public_supergroup`. */
  type?: string;
  /** Date of the first message. Default 2024-01-08T09:00:00Z. */
  start?: Date;
}

/** What was written. */
export interface GeneratedExport {
  path: string;
  messages: number;
  bytes: number;
  firstId: number;
  lastId: number;
}

/** Flush to the file in pieces of about this many characters. */
const FLUSH_CHARS = 1 << 20;

const FIRST = ['Anna', 'Boris', 'Chen', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ivan', 'Julia', 'Kofi', 'Lena', 'Mateo', 'Nadia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sergei', 'Tanya', 'Uma', 'Viktor', 'Wen', 'Yusuf', 'Zoë', 'Алексей', 'Мария', 'José', 'Søren', '🦊 Fox'];
const LAST = ['Ivanova', 'Smith', 'Kowalski', 'Nguyen', 'Müller', 'Petrov', 'García', 'Tanaka', 'Okafor', 'Rossi', 'Kim', 'Schmidt', 'Соколов', 'Haddad', '', ''];
const WORDS = (
  'the a to and of we it is in for on my this that with deploy demo tests build review PR branch merge bug fix ' +
  'blocked stuck error timeout docker redis temporal worker queue api schema migration prod staging ci pipeline ' +
  'works now again today tomorrow week sprint cohort lesson homework deadline question answer help thanks idea ' +
  'maybe please check link shared slides notes call meeting standup done started finished pushed failed passed'
).split(' ');
const RUSSIAN = ['привет всем', 'спасибо большое', 'у меня не работает', 'кто может помочь', 'сделал демо', 'завтра созвон'];
const EMOJI = ['👍', '❤', '🔥', '😁', '🎉', '🤔', '👏', '🙏', '💯', '😢'];
const TAGS = ['#demo', '#blocker', '#question', '#homework', '#week3'];
const SITES = ['https://github.com/acme/app/pull/', 'https://docs.example.com/guide/', 'https://youtu.be/demo', 'example.org/slides/'];


interface User {
  id: string;
  name: string | null;
}

type Entity = { type: string; text: string; href?: string; user_id?: number };

/**
 * Writes a realistic Telegram Desktop single-chat export of `spec.messages` messages to `path`, as a stream, so
 * memory stays flat even for millions of messages. The content is deterministic for a seed: users with skewed
 * activity (some deleted), replies, questions, formatted text as arrays with `text_entities`, links, mentions,
 * hashtags, photos, stickers, voice notes, reactions (emoji, custom, paid), edits, forwards, joins, invites, pins,
 * migrated-looking gaps in ids, a rare `unsupported` entry, non-ASCII text and `\/`-escaped paths like the app writes.
 *
 * @example
 * await writeExport('/tmp/big.json', { messages: 1_000_000, seed: 42 });
 */
export async function writeExport(path: string, spec: ExportSpec): Promise<GeneratedExport> {
  const rnd = prng(spec.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const chatName = spec.chatName ?? 'Cohort 7 — Backend';
  const chatId = spec.chatId ?? 1987654321;

  const userCount = Math.max(12, Math.min(3000, Math.round(spec.messages / 40)));
  const users: User[] = [];
  for (let k = 0; k < userCount; k++) {
    const deleted = rnd() < 0.02;
    const last = pick(LAST);
    users.push({ id: `user${100000000 + Math.floor(rnd() * 899999999)}`, name: deleted ? null : last ? `${pick(FIRST)} ${last}` : pick(FIRST) });
  }
  // Skewed activity: a few people write most messages, as in every real group.
  const speaker = () => users[Math.floor(userCount * rnd() ** 2.5)]!;
  let joined = Math.min(userCount, 8);

  const out = createWriteStream(path);
  let buf = `{\n "name": ${JSON.stringify(chatName)},\n "type": ${JSON.stringify(spec.type ?? 'private_supergroup')},\n "id": ${chatId},\n "messages": [`;
  let bytes = 0;
  const flush = async () => {
    bytes += Buffer.byteLength(buf);
    if (!out.write(buf)) await once(out, 'drain');
    buf = '';
  };

  let t = Math.floor((spec.start ?? new Date('2024-01-08T09:00:00Z')).getTime() / 1000);
  let id = 0;
  let firstId = 0;
  const recent: number[] = [];
  for (let n = 0; n < spec.messages; n++) {
    id += rnd() < 0.05 ? 2 + Math.floor(rnd() * 4) : 1;
    if (n === 0) firstId = id;
    t += 1 + Math.floor(-Math.log(1 - rnd()) * 90);
    const msg: Record<string, unknown> = { id, type: 'message', date: localDate(t), date_unixtime: String(t) };
    const roll = rnd();
    if (roll < 0.001) {
      buf += (n ? ',' : '') + `\n  {\n   "id": ${id},\n   "type": "unsupported"\n  }`;
      continue;
    } else if (roll < 0.03) {
      const actor = joined < userCount && rnd() < 0.7 ? users[joined++]! : speaker();
      msg.type = 'service';
      msg.actor = actor.name;
      msg.actor_id = actor.id;
      const kind = rnd();
      if (kind < 0.6) {
        msg.action = 'join_group_by_link';
        msg.inviter = 'Group';
      } else if (kind < 0.8) {
        msg.action = 'invite_members';
        msg.members = [speaker().name, ...(rnd() < 0.3 ? [speaker().name] : [])];
      } else if (kind < 0.95 && recent.length > 0) {
        msg.action = 'pin_message';
        msg.message_id = pick(recent);
      } else {
        msg.action = 'remove_members';
        msg.members = [speaker().name];
      }
      msg.text = '';
      msg.text_entities = [];
    } else {
      const from = speaker();
      msg.from = from.name;
      msg.from_id = from.id;
      if (recent.length > 0 && rnd() < 0.25) msg.reply_to_message_id = recent[Math.floor(rnd() * recent.length)];
      if (rnd() < 0.02) msg.forwarded_from = rnd() < 0.2 ? null : pick(users).name ?? 'Tech News';
      if (rnd() < 0.05) {
        msg.edited = localDate(t + 120);
        msg.edited_unixtime = String(t + 120);
      }
      const media = rnd();
      if (media < 0.08) {
        msg.photo = `photos/photo_${n + 1}@${fileDate(t)}.jpg`;
        msg.width = 1280;
        msg.height = 960;
      } else if (media < 0.11) {
        msg.file = `stickers/sticker (${(n % 40) + 1}).webp`;
        msg.thumbnail = `stickers/sticker (${(n % 40) + 1}).webp_thumb.jpg`;
        msg.media_type = 'sticker';
        msg.sticker_emoji = pick(EMOJI);
        msg.width = 512;
        msg.height = 512;
      } else if (media < 0.13) {
        msg.file = '(File not included. Change data exporting settings to download.)';
        msg.media_type = 'voice_message';
        msg.mime_type = 'audio/ogg';
        msg.duration_seconds = 3 + Math.floor(rnd() * 60);
      } else if (media < 0.14) {
        msg.file = `files/report_${n}.pdf`;
        msg.mime_type = 'application/pdf';
      }
      const entities = msg.media_type === 'sticker' || msg.media_type === 'voice_message' ? [] : sentence(rnd, pick, users);
      const formatted = entities.some((e) => e.type !== 'plain');
      msg.text = formatted ? entities.map((e) => (e.type === 'plain' ? e.text : e)) : (entities[0]?.text ?? '');
      msg.text_entities = entities;
      if (rnd() < 0.12) msg.reactions = reactions(rnd, pick, users);
      recent.push(id);
      if (recent.length > 50) recent.shift();
    }
    // Telegram Desktop indents by one space per level and escapes `/`; JSON has `/` only inside strings.
    buf += (n ? ',' : '') + '\n  ' + JSON.stringify(msg, null, 1).replace(/\n/g, '\n  ').replace(/\//g, '\\/');
    if (buf.length >= FLUSH_CHARS) await flush();
  }
  buf += '\n ]\n}\n';
  await flush();
  out.end();
  await finished(out);
  return { path, messages: spec.messages, bytes, firstId, lastId: id };
}

function sentence(rnd: () => number, pick: <T>(l: readonly T[]) => T, users: readonly User[]): Entity[] {
  const parts: Entity[] = [];
  let plain = '';
  const words = 3 + Math.floor(rnd() * 22);
  if (rnd() < 0.08) plain += pick(RUSSIAN) + ' ';
  for (let w = 0; w < words; w++) {
    const r = rnd();
    if (r < 0.015 || (r < 0.03 && w === words - 1)) {
      if (plain) parts.push({ type: 'plain', text: `${plain} ` });
      plain = ' ';
      const kind = rnd();
      if (kind < 0.3) parts.push({ type: 'link', text: `${pick(SITES)}${Math.floor(rnd() * 900)}` });
      else if (kind < 0.45) parts.push({ type: 'text_link', text: 'these notes', href: `${pick(SITES)}${Math.floor(rnd() * 900)}` });
      else if (kind < 0.6) parts.push({ type: 'hashtag', text: pick(TAGS) });
      else if (kind < 0.75) {
        const u = pick(users);
        parts.push(u.name ? { type: 'mention_name', text: u.name, user_id: Number(u.id.slice(4)) } : { type: 'mention', text: '@someone' });
      } else if (kind < 0.9) parts.push({ type: 'bold', text: pick(WORDS) });
      else parts.push({ type: 'code', text: `npm run ${pick(WORDS)}` });
    } else {
      plain += (plain && !plain.endsWith(' ') ? ' ' : '') + pick(WORDS);
    }
  }
  if (rnd() < 0.15) plain += '?';
  else if (rnd() < 0.1) plain += ' ' + pick(EMOJI);
  if (plain.trim()) parts.push({ type: 'plain', text: plain });
  return parts;
}

function reactions(rnd: () => number, pick: <T>(l: readonly T[]) => T, users: readonly User[]): unknown[] {
  const list: unknown[] = [];
  const kinds = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < kinds; k++) {
    const count = 1 + Math.floor(rnd() ** 3 * 12);
    const r = rnd();
    const reaction: Record<string, unknown> =
      r < 0.85 ? { type: 'emoji', count, emoji: EMOJI[k * 3] } : r < 0.97 ? { type: 'custom_emoji', count, document_id: `${5368324170671202286n + BigInt(k)}` } : { type: 'paid', count };
    if (count <= 3) reaction.recent = Array.from({ length: count }, () => ({ from: pick(users).name, from_id: pick(users).id, date: '2024-01-08T10:00:00' }));
    list.push(reaction);
  }
  return list;
}

/** Exports write the exporting machine's local time without an offset; the generator pretends it ran on UTC. */
function localDate(unix: number): string {
  return new Date(unix * 1000).toISOString().slice(0, 19);
}

function fileDate(unix: number): string {
  const iso = new Date(unix * 1000).toISOString();
  return `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}_${iso.slice(11, 19).replace(/:/g, '-')}`;
}
