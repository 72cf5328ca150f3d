import type { ChatInfo, ChatMessage, Summary, SummaryPoint, SummarySection } from '../domain';
import { excerpt } from './excerpt';
import { compileDetectors, isBot } from '../detectors';

/** How many entries each ranked section shows. */
export const DIGEST_TOP = 5;
/** Unanswered questions listed at most (the most recent ones). */
export const DIGEST_OPEN_QUESTIONS = 10;

interface Counts {
  messages: number;
  services: number;
  joins: number;
  leaves: number;
  firstDate?: string;
  lastDate?: string;
  bySender: Map<string, { name: string; count: number; lastId: number }>;
  /** Replies each message received (from anyone but its own sender). */
  repliesTo: Map<number, number>;
  senderOf: Map<number, string>;
  /** Question id → sender; deleted once someone else replies. */
  openQuestions: Map<number, string>;
  reactionsOf: Array<{ id: number; total: number }>;
}

/**
 * The no-model digest. It reads the history twice (both passes stream, memory holds counters, not messages):
 * the first counts, the second picks the texts of the messages that made the lists.
 *
 * @example
 * const summary = await buildDigest(chat, () => readHistory(store, ref));
 */
export async function buildDigest(chat: ChatInfo, history: () => AsyncIterable<ChatMessage>): Promise<Summary> {
  const counts = await countPass(history());
  const repliedIds = topBy(counts.repliesTo, DIGEST_TOP);
  const reactedIds = counts.reactionsOf
    .sort((a, b) => b.total - a.total || a.id - b.id)
    .slice(0, DIGEST_TOP)
    .map((r) => r.id);
  const openIds = [...counts.openQuestions.keys()].sort((a, b) => b - a).slice(0, DIGEST_OPEN_QUESTIONS);
  const wanted = new Set([...repliedIds, ...reactedIds, ...openIds]);
  const texts = new Map<number, { text: string; sender: string; reactions: number }>();
  if (wanted.size > 0) {
    for await (const m of history()) {
      if (!wanted.has(m.id)) continue;
      const reactions = m.reactions.reduce((s, r) => s + r.count, 0);
      texts.set(m.id, { text: excerpt(m.text || `[${m.media ?? 'media'}]`), sender: m.sender?.name ?? 'someone', reactions });
    }
  }
  const quote = (id: number) => texts.get(id) ?? { text: '', sender: 'someone', reactions: 0 };

  const sections: SummarySection[] = [];
  sections.push({ heading: 'At a glance', points: glancePoints(counts) });

  const members = [...counts.bySender.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)).slice(0, DIGEST_TOP);
  if (members.length > 0) {
    sections.push({
      heading: 'Most active members',
      points: members.map((s) => ({ text: `${s.name}: ${s.count} message${s.count === 1 ? '' : 's'}`, messageIds: [s.lastId] })),
    });
  }
  if (repliedIds.length > 0) {
    sections.push({
      heading: 'Most replied-to messages',
      points: repliedIds.map((id) => {
        const q = quote(id);
        const n = counts.repliesTo.get(id) ?? 0;
        return { text: `${q.sender}: “${q.text}” (${n} repl${n === 1 ? 'y' : 'ies'})`, messageIds: [id] };
      }),
    });
  }
  if (reactedIds.length > 0) {
    sections.push({
      heading: 'Most reacted messages',
      points: reactedIds.map((id) => {
        const q = quote(id);
        return { text: `${q.sender}: “${q.text}” (${q.reactions} reaction${q.reactions === 1 ? '' : 's'})`, messageIds: [id] };
      }),
    });
  }
  if (openIds.length > 0) {
    sections.push({
      heading: 'Questions without a reply',
      points: openIds.map((id) => {
        const q = quote(id);
        return { text: `${q.sender}: “${q.text}”`, messageIds: [id] };
      }),
    });
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

async function countPass(history: AsyncIterable<ChatMessage>): Promise<Counts> {
  const detectors = compileDetectors();
  const c: Counts = {
    messages: 0,
    services: 0,
    joins: 0,
    leaves: 0,
    bySender: new Map(),
    repliesTo: new Map(),
    senderOf: new Map(),
    openQuestions: new Map(),
    reactionsOf: [],
  };
  for await (const m of history) {
    c.firstDate ??= m.date;
    c.lastDate = m.date;
    if (m.service) {
      c.services++;
      if (/^(join_group_by_link|invite_members|join_group_by_request)$/.test(m.service.action)) c.joins += Math.max(1, m.service.members?.length ?? 1);
      if (m.service.action === 'remove_members') c.leaves += Math.max(1, m.service.members?.length ?? 1);
      continue;
    }
    c.messages++;
    const senderId = m.sender?.id ?? 'unknown';
    // A bot's check-ins and reminders are not a member's activity nor a question someone owes an answer.
    if (m.sender && isBot(m.sender)) continue;
    const s = c.bySender.get(senderId);
    if (s) {
      s.count++;
      s.lastId = m.id;
    } else {
      c.bySender.set(senderId, { name: m.sender?.name ?? 'Unknown', count: 1, lastId: m.id });
    }
    c.senderOf.set(m.id, senderId);
    if (m.replyToId !== undefined) {
      const to = c.senderOf.get(m.replyToId);
      if (to !== undefined && to !== senderId) {
        c.repliesTo.set(m.replyToId, (c.repliesTo.get(m.replyToId) ?? 0) + 1);
        c.openQuestions.delete(m.replyToId);
      }
    }
    // A question inside a thread ("wow, in two weeks?") is conversation; the owner wants the ones asked to the group.
    if (m.replyToId === undefined && detectors.detect(m.text, m.links).question) c.openQuestions.set(m.id, senderId);
    const total = m.reactions.reduce((sum, r) => sum + r.count, 0);
    if (total > 0) keepTop(c.reactionsOf, { id: m.id, total }, DIGEST_TOP);
  }
  return c;
}

function glancePoints(c: Counts): SummaryPoint[] {
  const points: SummaryPoint[] = [];
  if (c.messages === 0) return [{ text: 'No messages in the requested range.', messageIds: [] }];
  const days = c.firstDate && c.lastDate ? Math.max(1, Math.ceil((Date.parse(c.lastDate) - Date.parse(c.firstDate)) / 86_400_000)) : 1;
  points.push({
    text: `${c.messages} messages from ${c.bySender.size} people between ${c.firstDate?.slice(0, 10)} and ${c.lastDate?.slice(0, 10)} (about ${Math.round(c.messages / days)} a day)`,
    messageIds: [],
  });
  const replies = [...c.repliesTo.values()].reduce((a, b) => a + b, 0);
  points.push({ text: `${replies} replies; ${c.openQuestions.size} question${c.openQuestions.size === 1 ? '' : 's'} still without a reply`, messageIds: [] });
  if (c.joins || c.leaves) points.push({ text: `${c.joins} joined, ${c.leaves} left or were removed`, messageIds: [] });
  return points;
}

function topBy(map: Map<number, number>, n: number): number[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, n)
    .map(([id]) => id);
}

/** Keeps the `n` largest entries in a small array: O(n) per insert, n is tiny. */
function keepTop(top: Array<{ id: number; total: number }>, entry: { id: number; total: number }, n: number): void {
  if (top.length < n) {
    top.push(entry);
    return;
  }
  let min = 0;
  for (let i = 1; i < top.length; i++) if (top[i]!.total < top[min]!.total) min = i;
  if (entry.total > top[min]!.total) top[min] = entry;
}
