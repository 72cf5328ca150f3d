import { BadInputError, type ChatInfo, type ChatMessage, type Summary, type SummaryPoint, type SummarySection } from '../domain';
import { compileDetectors, EngagementTracker, isBot, rankByWeight, type DetectionKind, type DetectorConfigInput, type Detectors, type RankedCandidate } from '../detectors';
import { excerpt } from './excerpt';
import { LanguageGuess, PhraseBag, phrases, stopSet, WordFrequencies, words } from './keyphrases';
import { duration, plural, rangeText } from './wording';

/** Most active members listed. */
export const DIGEST_TOP = 5;
/** Main threads named, biggest first. */
export const DIGEST_THREADS = 5;
/** Demos, blockers and decisions listed at most each, heaviest first. */
export const DIGEST_ITEMS = 10;
/** Open questions listed at most, heaviest (oldest, most wanted) first. */
export const DIGEST_OPEN_QUESTIONS = 10;

// A thread needs a few messages to be a conversation; a burst is top-level messages no more than BURST_GAP apart.
const MIN_THREAD = 3;
const BURST_GAP = 10 * 60_000;
const BURST_MAX = 3 * 3_600_000;
// Bounds on the words read for topics: the language guess, the chat-wide word frequencies, and each main thread.
const LANGUAGE_SAMPLE = 3_000;
const FREQUENCY_SAMPLE = 20_000;
const THREAD_SAMPLE = 5_000;
const TOPIC_PHRASES = 3;

/** How the digest reads a chat. */
export interface DigestOptions {
  /** The cohort's detector settings (or compiled detectors); the English and Russian defaults when absent. */
  detectors?: DetectorConfigInput | Detectors;
  /** Sender ids known to be bots (exports do not flag bots); see `isBot` for the other signs. */
  botIds?: Iterable<string>;
  /** End of the range (ISO date or ms), for how long a question has waited; the last message's date when absent. */
  now?: string | number;
}

/** A conversation: a reply tree (`t:` + its first message id) or a burst of top-level messages (`b:` + its first id). */
type UnitKey = `t:${number}` | `b:${number}`;

interface Counts {
  messages: number;
  botMessages: number;
  bots: Set<string>;
  joins: number;
  leaves: number;
  firstDate?: string;
  lastDate?: string;
  bySender: Map<string, { name: string; count: number; lastId: number }>;
  replies: number;
  tracker: EngagementTracker;
  /** Messages in each reply tree (its first message included when in range), by the tree's first message id. */
  threadSize: Map<number, number>;
  /** Burst of each top-level message, and how many of a burst's messages are not the start of a thread. */
  burstOf: Map<number, number>;
  burstSize: Map<number, number>;
  languages: LanguageGuess;
}

const KINDS: readonly DetectionKind[] = ['demo', 'blocker', 'decision', 'question'];
// "/streak@cohort7bot": a command to a bot is neither a question nor a topic.
const BOT_COMMAND = /^\/[a-z0-9_]+(@\w+)?(\s|$)/i;

/**
 * The no-model digest: what the chat talked about (each main thread named from its own words), the demos, blockers,
 * decisions and open questions that carry weight (replies, reactions, who asks, how long it waited; never just the
 * newest), and exact counts. It reads the history twice and both passes stream: the first keeps counters per message
 * id, the second reads the words of the main threads and the texts of the messages that made the lists.
 *
 * @example
 * const summary = await buildDigest(chat, () => readHistory(store, ref), { botIds: ['user7612093345'] });
 */
export async function buildDigest(chat: ChatInfo, history: () => AsyncIterable<ChatMessage>, options: DigestOptions = {}): Promise<Summary> {
  const detectors = options.detectors && 'detect' in options.detectors ? options.detectors : compileDetectors(options.detectors ?? {});
  const botIds = new Set(options.botIds ?? []);
  // Checked before the history is read: a wrong end of range should not cost a pass over millions of messages.
  if (options.now !== undefined && !Number.isFinite(typeof options.now === 'number' ? options.now : Date.parse(options.now))) {
    throw new BadInputError(`bad end of range for the digest: ${JSON.stringify(options.now)} is not a date`, 'pass an ISO 8601 date such as 2026-11-15T23:00:00Z, or milliseconds since the epoch');
  }
  const counts = await countPass(history(), detectors, botIds);
  const now = options.now !== undefined ? (typeof options.now === 'number' ? options.now : Date.parse(options.now)) : Date.parse(counts.lastDate ?? '1970-01-01');

  const blockers = rankByWeight('blocker', counts.tracker.candidates('blocker'), { now, limit: DIGEST_ITEMS });
  // "Stuck on deploys, any idea?" is listed once, as a blocker, with whether it is still open.
  const listed = new Set(blockers.map((c) => c.id));
  const ranked = {
    demo: rankByWeight('demo', counts.tracker.candidates('demo'), { now, limit: DIGEST_ITEMS }),
    blocker: blockers,
    decision: rankByWeight('decision', counts.tracker.candidates('decision'), { now, limit: DIGEST_ITEMS }),
    question: rankByWeight('question', counts.tracker.candidates('question').filter((c) => !listed.has(c.id)), { now, limit: DIGEST_OPEN_QUESTIONS, openOnly: true }),
  };
  const units = mainUnits(counts);
  const wanted = new Set(Object.values(ranked).flatMap((list) => list.map((c) => c.id)));
  const read = await readPass(history(), counts, botIds, units, wanted);

  const quote = (id: number) => read.texts.get(id) ?? { text: '', sender: 'someone' };
  const sections: SummarySection[] = [{ heading: 'At a glance', points: glancePoints(counts) }];

  if (units.length > 0) {
    sections.push({
      heading: 'What people talked about',
      points: units.map((u) => {
        const info = read.units.get(u.key)!;
        const topic = info.topic.length ? info.topic.join(' · ') : `“${excerpt(info.opening, 60)}”`;
        const people = info.people.size;
        return {
          text: `${topic}: ${plural(u.size, 'message')} from ${plural(people, 'person', 'people')}, ${when(info.firstAt, info.lastAt)}; started by ${info.starter}: “${excerpt(info.opening, 80)}”`,
          messageIds: [u.linkId],
        };
      }),
    });
  }
  const item = (c: RankedCandidate, status: string) => {
    const q = quote(c.id);
    return { text: `${q.sender}: “${q.text}” (${status})`, messageIds: [c.id] };
  };
  const engagement = (c: RankedCandidate) =>
    [c.reactions ? plural(c.reactions, 'reaction') : '', c.replies ? `${plural(c.replies, 'reply', 'replies')} from ${plural(c.repliers, 'person', 'people')}` : ''].filter(Boolean).join(', ') ||
    'no replies or reactions yet';
  if (ranked.demo.length) sections.push({ heading: 'Demos', points: ranked.demo.map((c) => item(c, engagement(c))) });
  if (ranked.blocker.length) {
    sections.push({
      heading: 'Blockers',
      points: ranked.blocker.map((c) =>
        item(c, c.status === 'open' ? `still open: no reply for ${duration(c.waitedMs)}` : c.status === 'resolved' ? `solved, ${engagement(c)}` : `answered: ${engagement(c)}, not marked solved`),
      ),
    });
  }
  if (ranked.decision.length) sections.push({ heading: 'Decisions', points: ranked.decision.map((c) => item(c, engagement(c))) });
  if (ranked.question.length) {
    sections.push({
      heading: 'Open questions',
      points: ranked.question.map((c) => item(c, `no reply for ${duration(c.waitedMs)}${c.reactions ? `, ${plural(c.reactions, 'reaction')}` : ''}`)),
    });
  }
  const members = [...counts.bySender.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)).slice(0, DIGEST_TOP);
  if (members.length > 0) {
    sections.push({ heading: 'Most active members', points: members.map((s) => ({ text: `${s.name}: ${plural(s.count, 'message')}`, messageIds: [s.lastId] })) });
  }

  return {
    title: `${chat.title}: digest`,
    sections,
    stats: {
      messages: counts.messages,
      participants: counts.bySender.size,
      ...(counts.firstDate ? { firstDate: counts.firstDate } : {}),
      ...(counts.lastDate ? { lastDate: counts.lastDate } : {}),
    },
    model: 'digest',
  };
}

function senderIsBot(m: ChatMessage, botIds: ReadonlySet<string>): boolean {
  return m.sender !== undefined && isBot(m.sender, botIds);
}

async function countPass(history: AsyncIterable<ChatMessage>, detectors: Detectors, botIds: ReadonlySet<string>): Promise<Counts> {
  const c: Counts = {
    messages: 0,
    botMessages: 0,
    bots: new Set(),
    joins: 0,
    leaves: 0,
    bySender: new Map(),
    replies: 0,
    tracker: new EngagementTracker(),
    threadSize: new Map(),
    burstOf: new Map(),
    burstSize: new Map(),
    languages: new LanguageGuess(),
  };
  let burst = { id: 0, start: -Infinity, last: -Infinity };
  let sampled = 0;
  for await (const m of history) {
    c.firstDate ??= m.date;
    c.lastDate = m.date;
    if (m.service) {
      if (/^(join_group_by_link|invite_members|join_group_by_request)$/.test(m.service.action)) c.joins += Math.max(1, m.service.members?.length ?? 1);
      if (m.service.action === 'remove_members') c.leaves += Math.max(1, m.service.members?.length ?? 1);
      continue;
    }
    c.messages++;
    const senderId = m.sender?.id ?? 'unknown';
    // A bot's check-ins, reminders and leaderboards are not a member's activity nor a question someone owes an answer.
    const bot = senderIsBot(m, botIds);
    if (bot) {
      c.botMessages++;
      c.bots.add(senderId);
      c.tracker.observe(m, [], true);
      continue;
    }
    const s = c.bySender.get(senderId);
    if (s) {
      s.count++;
      s.lastId = m.id;
    } else {
      c.bySender.set(senderId, { name: m.sender?.name ?? 'Unknown', count: 1, lastId: m.id });
    }

    const kinds: DetectionKind[] = [];
    const found = BOT_COMMAND.test(m.text) ? undefined : detectors.detect(m.text, m.links);
    // The welcome post that says "post #demo when you ship, #blocker when stuck" is neither a demo nor a blocker.
    if (found && !found.conventions) {
      for (const k of KINDS) {
        // A question inside a thread ("wow, in two weeks?") is conversation; the owner wants the ones asked to the group.
        if (found[k] && !(k === 'question' && m.replyToId !== undefined)) kinds.push(k);
      }
    }
    const at = Date.parse(m.date);
    if (m.replyToId !== undefined) {
      const target = c.tracker.senderOf(m.replyToId);
      if (target !== undefined && target !== senderId) c.replies++;
    }
    c.tracker.observe(m, kinds, false);

    if (m.replyToId !== undefined) {
      const root = c.tracker.rootOf(m.id)!;
      const size = c.threadSize.get(root);
      if (size === undefined) {
        // The first reply turns a top-level message into a thread of its own: it leaves its burst.
        const b = c.burstOf.get(root);
        if (b !== undefined) c.burstSize.set(b, c.burstSize.get(b)! - 1);
        c.threadSize.set(root, (c.burstOf.has(root) ? 2 : 1));
      } else {
        c.threadSize.set(root, size + 1);
      }
    } else {
      if (at - burst.last > BURST_GAP || at - burst.start > BURST_MAX) burst = { id: m.id, start: at, last: at };
      burst.last = at;
      c.burstOf.set(m.id, burst.id);
      c.burstSize.set(burst.id, (c.burstSize.get(burst.id) ?? 0) + 1);
    }
    if (sampled < LANGUAGE_SAMPLE && c.messages % 3 === 0 && m.text.length > 0) {
      sampled++;
      c.languages.add(m.text);
    }
  }
  return c;
}

interface Unit {
  key: UnitKey;
  size: number;
  /** The message a point links to: the thread's first message, or the burst's. */
  linkId: number;
}

function mainUnits(c: Counts): Unit[] {
  const units: Unit[] = [];
  for (const [root, size] of c.threadSize) {
    const sender = c.tracker.senderOf(root);
    // A bot's daily check-in gathers replies every day; it is routine, not a topic.
    if (sender !== undefined && c.tracker.isBotSender(sender)) continue;
    if (size >= MIN_THREAD) units.push({ key: `t:${root}`, size, linkId: root });
  }
  for (const [id, size] of c.burstSize) if (size >= MIN_THREAD) units.push({ key: `b:${id}`, size, linkId: id });
  return units.sort((a, b) => b.size - a.size || a.linkId - b.linkId).slice(0, DIGEST_THREADS);
}

interface UnitRead {
  bag: PhraseBag;
  people: Set<string>;
  seen: number;
  every: number;
  firstAt: string;
  lastAt: string;
  starter: string;
  opening: string;
  topic: string[];
}

async function readPass(history: AsyncIterable<ChatMessage>, c: Counts, botIds: ReadonlySet<string>, units: readonly Unit[], wanted: ReadonlySet<number>) {
  const texts = new Map<number, { text: string; sender: string }>();
  const reads = new Map<UnitKey, UnitRead>(units.map((u) => [u.key, { bag: new PhraseBag(), people: new Set<string>(), seen: 0, every: Math.ceil(u.size / THREAD_SAMPLE), firstAt: '', lastAt: '', starter: '', opening: '', topic: [] }]));
  const names = [...c.bySender.values()].flatMap((s) => words(s.name));
  const stop = stopSet(c.languages.languages(), names);
  const frequencies = new WordFrequencies();
  const every = Math.max(1, Math.ceil((c.messages - c.botMessages) / FREQUENCY_SAMPLE));
  let index = 0;
  for await (const m of history) {
    if (m.service) continue;
    if (wanted.has(m.id)) texts.set(m.id, { text: excerpt(m.text || `[${m.media ?? 'media'}]`), sender: m.sender?.name ?? 'someone' });
    if (senderIsBot(m, botIds) || (reads.size === 0 && !wanted.size)) continue;
    index++;
    const unit = reads.get(unitOf(m, c));
    if (unit) {
      unit.people.add(m.sender?.id ?? 'unknown');
      if (!unit.firstAt) {
        unit.firstAt = m.date;
        unit.starter = m.sender?.name ?? 'someone';
        unit.opening = m.text || `[${m.media ?? 'media'}]`;
      }
      unit.lastAt = m.date;
      if (unit.seen++ % unit.every === 0 && !BOT_COMMAND.test(m.text)) {
        unit.bag.add(phrases(m.text, stop));
        frequencies.add(words(m.text));
      }
    } else if (index % every === 0) {
      frequencies.add(words(m.text));
    }
  }
  for (const unit of reads.values()) unit.topic = unit.bag.top(frequencies, TOPIC_PHRASES);
  return { texts, units: reads };
}

function unitOf(m: ChatMessage, c: Counts): UnitKey {
  if (m.replyToId !== undefined) return `t:${c.tracker.rootOf(m.id) ?? m.replyToId}`;
  if (c.threadSize.has(m.id)) return `t:${m.id}`;
  return `b:${c.burstOf.get(m.id) ?? m.id}`;
}

function when(firstIso: string, lastIso: string): string {
  const first = firstIso.slice(0, 10);
  const last = lastIso.slice(0, 10);
  return first === last ? `on ${first}` : `${first} to ${last}`;
}

function glancePoints(c: Counts): SummaryPoint[] {
  if (c.messages === 0) return [{ text: 'No messages in the requested range.', messageIds: [] }];
  const points: SummaryPoint[] = [];
  const people = plural(c.bySender.size, 'person', 'people');
  const bots = c.bots.size ? ` and ${plural(c.bots.size, 'bot')}` : '';
  points.push({ text: `${plural(c.messages, 'message')} from ${people}${bots} ${rangeText(c.firstDate!, c.lastDate!, c.messages)}`, messageIds: [] });
  const q = c.tracker.tally('question');
  // "0 still without a reply" reads like a warning; say that all of them got one.
  const waiting = (t: { total: number; open: number }) => (t.total === 0 ? '' : t.open === 0 ? (t.total === 1 ? ', answered' : ', all answered') : `, ${t.open} still without a reply`);
  points.push({ text: `${plural(c.replies, 'reply', 'replies')}; ${plural(q.total, 'question')} asked to the group${waiting(q)}`, messageIds: [] });
  const d = c.tracker.tally('demo');
  const b = c.tracker.tally('blocker');
  const k = c.tracker.tally('decision');
  if (d.total || b.total || k.total) {
    points.push({ text: `${plural(d.total, 'demo')}, ${plural(b.total, 'blocker')}${b.total ? ` (${waiting(b).slice(2)})` : ''}, ${plural(k.total, 'decision')}`, messageIds: [] });
  }
  if (c.joins || c.leaves) points.push({ text: `${c.joins} joined, ${c.leaves} left or were removed`, messageIds: [] });
  return points;
}
