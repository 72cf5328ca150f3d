import type { ChatMessage } from '../domain';
import type { TokenCounter } from './tokens';
import { dayHeader, messageLine, topicHeader } from './transcript';

/** A piece of the transcript small enough for one model call. */
export interface TranscriptChunk {
  /** The transcript lines, headers included, joined with `\n`. */
  text: string;
  /** Tokens of `text`. */
  tokens: number;
  /** Ids of the messages in this chunk, in transcript order. */
  messageIds: number[];
  /** Ids the model may cite for this chunk: its messages and the history messages they reply to. */
  citableIds: number[];
}

/** Where a chunk may end, as a share of its budget: cuts are looked for in the last quarter only. */
const MIN_FILL = 0.75;
/** A pause this long between two messages is a natural place to cut. */
const QUIET_MS = 30 * 60_000;

interface Entry {
  id: number;
  thread: number;
  day: string;
  time: number;
  line: string;
  tokens: number;
  replyTo?: number;
}

/**
 * Cuts a history into chunks of at most `maxTokens` transcript tokens, without dropping or shortening anything.
 *
 * - Forum groups are read topic by topic (topics in order of their first message), so a topic stays together
 *   unless it alone exceeds a chunk.
 * - Within the last quarter of a full chunk, the cut goes where the fewest reply links cross it; ties go to a topic
 *   boundary, then to a quiet half hour, then to the latest place, so a question and its answers stay together.
 * - A message longer than a chunk (possible only with tiny budgets) is split into numbered parts, never cut short.
 */
export function chunkHistory(messages: readonly ChatMessage[], count: TokenCounter, maxTokens: number): TranscriptChunk[] {
  const known = new Set(messages.map((m) => m.id));
  const forum = messages.some((m) => m.threadId !== undefined);
  const topicTitles = new Map<number, string>();
  for (const m of messages) if (m.service?.action === 'topic_created' && m.service.title) topicTitles.set(m.id, m.service.title);

  const ordered = forum ? byTopic(messages) : messages;
  const entries: Entry[] = [];
  const headerCost = new Map<string, number>();
  const costOf = (header: string) => {
    let c = headerCost.get(header);
    if (c === undefined) headerCost.set(header, (c = count(header + '\n')));
    return c;
  };
  // The largest line a chunk can hold once its two headers are in.
  const lineBudget = Math.max(16, maxTokens - 2 * costOf(topicHeader(0, 'x'.repeat(40))));
  for (const m of ordered) {
    const base = {
      id: m.id,
      thread: forum ? (m.threadId ?? 0) : 0,
      day: m.date.slice(0, 10),
      time: Date.parse(m.date),
      replyTo: m.replyToId !== undefined && known.has(m.replyToId) ? m.replyToId : undefined,
    };
    const line = messageLine(m, known);
    const tokens = count(line + '\n');
    if (tokens <= lineBudget) entries.push({ ...base, line, tokens });
    else for (const part of splitLine(line, tokens, lineBudget, count)) entries.push({ ...base, ...part });
  }

  // crossings[p]: reply links from a message at or after p to one before p.
  const firstPos = new Map<number, number>();
  entries.forEach((e, i) => {
    if (!firstPos.has(e.id)) firstPos.set(e.id, i);
  });
  const crossings = new Int32Array(entries.length + 1);
  entries.forEach((e, i) => {
    const j = e.replyTo === undefined ? undefined : firstPos.get(e.replyTo);
    if (j !== undefined && j < i) {
      crossings[j + 1]!++;
      crossings[i + 1]!--;
    }
  });
  for (let p = 1; p <= entries.length; p++) crossings[p]! += crossings[p - 1]!;

  const headersAtStart = (i: number) => costOf(dayHeader(entries[i]!.day)) + (forum ? costOf(topicHeader(entries[i]!.thread, undefined)) : 0);
  const headersBefore = (i: number) => {
    const e = entries[i]!;
    const prev = entries[i - 1]!;
    if (forum && e.thread !== prev.thread) return costOf(topicHeader(e.thread, topicTitles.get(e.thread))) + costOf(dayHeader(e.day));
    return e.day !== prev.day ? costOf(dayHeader(e.day)) : 0;
  };
  const costFrom = (start: number, end: number) => {
    let c = headersAtStart(start) + entries[start]!.tokens;
    for (let k = start + 1; k < end; k++) c += headersBefore(k) + entries[k]!.tokens;
    return c;
  };
  const score = (p: number) => {
    const topicBoundary = forum && entries[p]!.thread !== entries[p - 1]!.thread;
    const quiet = entries[p]!.time - entries[p - 1]!.time >= QUIET_MS;
    return crossings[p]! * 100 - (topicBoundary ? 50 : 0) - (quiet ? 10 : 0);
  };

  const cuts: number[] = [];
  let start = 0;
  let used = 0;
  for (let i = 0; i < entries.length; i++) {
    let add = i === start ? headersAtStart(i) + entries[i]!.tokens : headersBefore(i) + entries[i]!.tokens;
    while (i > start && used + add > maxTokens) {
      const lo = Math.max(start + 1, start + Math.ceil((i - start) * MIN_FILL));
      let best = i;
      for (let p = i - 1; p >= lo; p--) if (score(p) < score(best)) best = p;
      cuts.push(best);
      start = best;
      used = best < i ? costFrom(best, i) : 0;
      add = i === start ? headersAtStart(i) + entries[i]!.tokens : headersBefore(i) + entries[i]!.tokens;
    }
    used += add;
  }

  const bounds = [0, ...cuts, entries.length];
  const chunks: TranscriptChunk[] = [];
  for (let c = 0; c + 1 < bounds.length; c++) {
    const [from, to] = [bounds[c]!, bounds[c + 1]!];
    if (from >= to) continue;
    const lines: string[] = [];
    const ids: number[] = [];
    const citable = new Set<number>();
    for (let k = from; k < to; k++) {
      const e = entries[k]!;
      const prev = k > from ? entries[k - 1] : undefined;
      if (forum && (!prev || prev.thread !== e.thread)) lines.push(topicHeader(e.thread, topicTitles.get(e.thread)));
      if (!prev || prev.day !== e.day || (forum && prev.thread !== e.thread)) lines.push(dayHeader(e.day));
      lines.push(e.line);
      if (ids[ids.length - 1] !== e.id) ids.push(e.id);
      citable.add(e.id);
      if (e.replyTo !== undefined) citable.add(e.replyTo);
    }
    const text = lines.join('\n');
    chunks.push({ text, tokens: count(text + '\n'), messageIds: ids, citableIds: [...citable] });
  }
  return chunks;
}

/** Messages regrouped topic by topic, topics in order of their first message, each topic in time order. */
function byTopic(messages: readonly ChatMessage[]): ChatMessage[] {
  const topics = new Map<number, ChatMessage[]>();
  for (const m of messages) {
    const key = m.threadId ?? 0;
    let list = topics.get(key);
    if (!list) topics.set(key, (list = []));
    list.push(m);
  }
  return [...topics.values()].flat();
}

/** Splits an over-long line into parts that each fit, labelled `#id (part k/n)`, keeping every character. */
function splitLine(line: string, tokens: number, budget: number, count: TokenCounter): { line: string; tokens: number }[] {
  const colon = line.indexOf(': ');
  const head = line.slice(0, colon);
  let body = line.slice(colon + 2);
  const pieces: string[] = [];
  // Characters per token vary with script; start from the line's average and shrink a piece until it fits.
  const label = ' (part 999/999): ';
  const room = budget - count(head + label + '\n');
  const charsPerToken = line.length / tokens;
  while (body.length > 0) {
    let size = Math.max(1, Math.floor(room * charsPerToken));
    while (size > 1 && count(body.slice(0, size)) > room) size = Math.floor(size * 0.9);
    // Never split an emoji (a surrogate pair) in two.
    if (size < body.length && /[\uD800-\uDBFF]/.test(body[size - 1]!)) size = Math.max(1, size - 1);
    pieces.push(body.slice(0, size));
    body = body.slice(size);
  }
  const [id, ...rest] = head.split(' ');
  return pieces.map((piece, k) => {
    const text = `${id} (part ${k + 1}/${pieces.length}) ${rest.join(' ')}: ${piece}`;
    return { line: text, tokens: count(text + '\n') };
  });
}
