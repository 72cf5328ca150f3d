import { BadInputError, type ChatMessage, type Peer, type RecapItem, type WeeklyMetrics } from '../domain';
import {
  compileDetectors,
  EngagementTracker,
  isBot,
  rankByWeight,
  textFingerprint,
  type DetectionKind,
  type DetectorConfigInput,
  type Detectors,
  type RankedCandidate,
  type WeighedCandidate,
} from '../detectors';
import { weekCoverage, type SourceSpan } from './coverage';
import { weekRange, type WeekRange } from './week';

/** Service actions that bring a member in; the members are the action's `members`, else its actor. */
export const JOIN_ACTIONS: ReadonlySet<string> = new Set(['join_group_by_link', 'join_group_by_request', 'invite_members', 'chat_add_user', 'chat_joined_by_link', 'chat_joined_by_request']);
/** Service actions that take a member out (removed by an admin, or left: then the actor removes themself). */
export const LEAVE_ACTIONS: ReadonlySet<string> = new Set(['remove_members', 'chat_delete_user', 'leave_group']);

export interface WeekAccumulatorOptions {
  /** ISO week id, `2026-W46`. */
  week: string;
  /** IANA time zone of the cohort. */
  zone: string;
  /** Compiled detectors, or a cohort's detector config (defaults when absent). */
  detectors?: Detectors | DetectorConfigInput;
  /** Members of the group (e.g. `ChatInfo.memberCount`); without it `activeShare` is null. */
  memberCount?: number;
  /** The chat's id; else taken from the first message. */
  chatId?: number;
  /** Sender ids known to be bots (from the member list); see `isBot` for the other signs. */
  botIds?: Iterable<string>;
  /** Length of `topContributors`, `helpers` and `mostReacted`. Default 5. */
  topN?: number;
  /**
   * Most unanswered questions kept with their text in `questions.open`, the heaviest by `rankByWeight` (all ids are
   * kept in `unansweredIds`). Default 30.
   */
  maxOpenQuestions?: number;
  /**
   * The time (ms) open questions and blockers are said to have waited until: the week's end when absent or later.
   * Never the wall clock, so a week recapped again later reads the same.
   */
  now?: number;
  /**
   * What the source holds (see `SourceSpan`), so the week says whether it is covered in full, in part or not at
   * all. Without it the week is taken as fully covered.
   */
  span?: SourceSpan;
}

/**
 * Consumes one week's messages, oldest first, and yields its `WeeklyMetrics`. Feed it a whole history: messages
 * outside the week are skipped, except that replies sent after the week still mark a week's question answered
 * (a Monday recap that reads up to "now" credits Sunday night's answers).
 */
export interface WeekAccumulator {
  readonly range: WeekRange;
  /** Adds a message; `ms` is its date in epoch milliseconds when the caller already parsed it. */
  add(message: ChatMessage, ms?: number): void;
  finish(): WeeklyMetrics;
}


const F_QUESTION = 1;
const F_ROOT = 2;
const F_BLOCKER = 4;
const F_REPLIED = 8;
const F_ANSWERED = 16;

const TEXT_MAX = 200;

/** A message on one line, cut at a word (not inside one) when longer than `TEXT_MAX`. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= TEXT_MAX) return flat;
  const head = flat.slice(0, TEXT_MAX - 1);
  const space = head.lastIndexOf(' ');
  return `${(flat[TEXT_MAX - 1] === ' ' || space < TEXT_MAX / 2 ? head : head.slice(0, space)).replace(/[\s,;:.\-–—]+$/u, '')}…`;
}

function firstLink(m: ChatMessage): string | undefined {
  if (m.links?.length) return m.links[0];
  return /https?:\/\/[^\s<>"')\]]+/i.exec(m.text)?.[0];
}

/** A link as people mean it: no scheme, no `www.`, no fragment, no trailing slash, host in lower case. */
function linkKey(url: string): string {
  const bare = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^www\./i, '').replace(/#.*$/, '').replace(/\/+$/, '');
  const slash = bare.search(/[/?]/);
  return slash < 0 ? bare.toLowerCase() : bare.slice(0, slash).toLowerCase() + bare.slice(slash);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

/**
 * Creates the accumulator of one cohort week. What each number of the result means:
 *
 * - A **counted message** is a message sent within [start, end) of the week in `zone` that is not a service message
 *   and whose sender is not a bot. Only counted messages are activity.
 * - `messages`: counted messages. `perDay`: counted messages per local day, Monday first.
 * - `activeMembers`: distinct senders of counted messages. `activeShare`: activeMembers / memberCount (at most 1).
 * - `newMembers` / `departedMembers`: distinct non-bot peers named by join actions (`JOIN_ACTIONS`: joined by link or
 *   request, invited) or leave actions (`LEAVE_ACTIONS`: removed, or left) during the week.
 * - `replies`: counted messages that reply to another message (in or before the week). In a forum, a message
 *   whose reply target is only its topic's root is a topic post, not a reply.
 * - `threadsStarted`: counted messages that are not replies and got a direct reply from another member.
 * - `questions`: counted messages that are not replies and that the detectors call questions (the same rule as the
 *   digest's). A question is **answered** when another (non-bot)
 *   member replies to it directly, whenever that reply comes. `unansweredIds` are the others; `open` lists the
 *   heaviest of them (at most `maxOpenQuestions`, by `rankByWeight`, with how long each has waited), never just
 *   the newest, so an old question others reacted to is not pushed out by filler.
 * - `medianFirstReplySeconds`: over the week's questions and non-reply messages that got a direct reply from another
 *   member, the median time from the message to the first such reply; null when none got one.
 * - `demos` / `blockers` / `decisions`: counted messages the detectors call so, each with its id; a blocker is
 *   `replied` when someone else replied to it directly, and has a `status` (open, answered, or resolved by its
 *   sender in the thread). Blockers and decisions come heaviest first (`rankByWeight`: replies from others,
 *   reactions, who posted, what it says, and for an open blocker how long it has waited until the week's end or
 *   `now`). A post that names the hashtags of two kinds explains the group's conventions and is no decision. A demo
 *   whose message id, link, or sender and text an earlier demo of the week already had is the same demo seen again (a source repeating a message, a repost) and is not counted twice.
 * - `botMessages`: messages of bots (configured `botIds`, or senders flagged or named as bots), left out of all counts.
 * - `coverage`: which days of the week the source holds (`span`); a week the source does not hold has `none`.
 * - `topContributors`: members with the most counted messages. `helpers`: members who gave the first answer to the
 *   most questions. `mostReacted`: counted messages with the most reactions (all emoji summed).
 *
 * Memory grows with the week's message count by a few numbers per message (to find reply targets and weigh
 * engagement) plus the text of still-unanswered questions, demos, blockers and decisions; the rest of each message
 * is dropped as soon as it is counted.
 */
export function createWeekAccumulator(options: WeekAccumulatorOptions): WeekAccumulator {
  const range = weekRange(options.week, options.zone);
  const detectors = options.detectors && 'detect' in options.detectors ? options.detectors : compileDetectors(options.detectors ?? {});
  const botIds = new Set(options.botIds ?? []);
  const topN = options.topN ?? 5;
  const maxOpen = options.maxOpenQuestions ?? 30;
  const startMs = range.start.getTime();
  const endMs = range.end.getTime();
  const waitsUntil = Math.min(options.now ?? endMs, endMs);
  if (!Number.isFinite(waitsUntil)) throw new BadInputError(`bad time for the week's waits: ${String(options.now)}`, 'pass milliseconds since the epoch, or leave `now` out for the end of the week');
  const dayMs = range.dayStarts.map((d) => d.getTime());
  let chatId = options.chatId;

  // Senders, interned: per message we keep an index, not a string.
  const senderIndex = new Map<string, number>();
  const senders: Peer[] = [];
  const senderBot: boolean[] = [];
  const senderMessages: number[] = [];
  const senderAnswers: number[] = [];

  // Counted messages, as parallel arrays of small numbers (ids arrive in increasing order: binary search finds a
  // reply's target; a byId map is built only if they don't).
  const ids: number[] = [];
  const sec: number[] = [];
  const senderOf: number[] = [];
  const flags: number[] = [];
  const firstReply: number[] = [];
  let byId: Map<number, number> | null = null;
  // Replies whose target has not been seen (yet): sources are oldest first, but not always strictly so.
  const pending = new Map<number, { from: number; t: number }[]>();

  // Texts of the week's questions until they are answered (an answered one is never listed) with what weighs them,
  // and the texts of every blocker and decision.
  const questionItems = new Map<number, { item: RecapItem; reactions: number; chars: number }>();
  const demos: { index: number; item: RecapItem }[] = [];
  const blockers = new Map<number, { index: number; item: RecapItem }>();
  const decisions = new Map<number, RecapItem>();
  // Blockers and decisions are weighed by the tracker (replies anywhere in their threads, the sender's "fixed it").
  // It sees only them and the replies in their threads (`inThreads`), so its maps stay small in a busy week.
  const tracker = new EngagementTracker();
  const inThreads = new Set<number>();
  const topReacted: (RecapItem & { reactions: number })[] = [];
  const demoKeys = new Set<string>();
  const perDay = [0, 0, 0, 0, 0, 0, 0];
  let botMessages = 0;
  const joined = new Set<string>();
  const departed = new Set<string>();
  let messages = 0;
  let replies = 0;

  function internSender(peer: Peer): number {
    let i = senderIndex.get(peer.id);
    if (i === undefined) {
      i = senders.length;
      senderIndex.set(peer.id, i);
      senders.push(peer);
      senderBot.push(isBot(peer, botIds));
      senderMessages.push(0);
      senderAnswers.push(0);
    }
    return i;
  }

  function indexOf(id: number): number {
    if (byId) return byId.get(id) ?? -1;
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = ids[mid]!;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  function item(m: ChatMessage, replied = false): RecapItem {
    return { messageId: m.id, sender: m.sender, date: m.date, text: oneLine(m.text), link: firstLink(m), replied };
  }

  /** A reply from `from` (sender index, -1 if unknown) at `t` seconds into the week, to message `target`. */
  function creditReply(target: number, from: number, t: number): void {
    if (from < 0 || from === senderOf[target] || senderBot[from]) return;
    const f = flags[target]!;
    if (!(f & F_REPLIED)) {
      flags[target] = f | F_REPLIED;
      firstReply[target] = Math.max(0, t - sec[target]!);
    }
    if (f & F_QUESTION && !(f & F_ANSWERED)) {
      flags[target]! |= F_ANSWERED;
      senderAnswers[from]!++;
      questionItems.delete(target);
    }
  }

  function replyTo(targetId: number, from: number, t: number): void {
    const target = indexOf(targetId);
    if (target >= 0) return creditReply(target, from, t);
    const waiting = pending.get(targetId);
    if (waiting) waiting.push({ from, t });
    else pending.set(targetId, [{ from, t }]);
  }

  /** Feeds the tracker a reply inside the thread of a blocker or decision (the only threads it weighs). */
  function observeReply(m: ChatMessage, bot: boolean): void {
    if (m.replyToId === undefined || !inThreads.has(m.replyToId)) return;
    inThreads.add(m.id);
    tracker.observe(m, [], bot);
  }

  function countService(m: ChatMessage): void {
    const action = m.service!.action;
    const target = JOIN_ACTIONS.has(action) ? joined : LEAVE_ACTIONS.has(action) ? departed : null;
    if (!target) return;
    const peers = m.service!.members?.length ? m.service!.members : m.sender ? [m.sender] : [];
    for (const p of peers) if (!isBot(p, botIds)) target.add(p.id);
  }

  return {
    range,
    add(m, parsed) {
      const ms = parsed ?? Date.parse(m.date);
      if (!(ms >= startMs)) return; // before the week, or an unparsable date
      chatId ??= m.chatId;
      if (ms >= endMs) {
        // After the week: only a reply that answers one of the week's messages matters.
        if (m.replyToId !== undefined && m.sender && !m.service) {
          const from = internSender(m.sender);
          replyTo(m.replyToId, from, (ms - startMs) / 1000);
          // Late replies are engagement too, and the asker's "fixed it" marks a blocker solved.
          observeReply(m, senderBot[from]!);
        }
        return;
      }
      if (m.service) {
        countService(m);
        return;
      }
      const from = m.sender ? internSender(m.sender) : -1;
      if (from >= 0 && senderBot[from]) {
        botMessages++;
        // A bot's reply still links its thread (it never counts as engagement).
        observeReply(m, true);
        return;
      }

      messages++;
      // A day is 23-25 h around DST: guess by 24 h, then correct against the true local midnights.
      let day = Math.min(6, Math.floor((ms - startMs) / 86_400_000));
      while (day > 0 && ms < dayMs[day]!) day--;
      while (day < 6 && ms >= dayMs[day + 1]!) day++;
      perDay[day]!++;
      if (from >= 0) senderMessages[from]!++;

      const t = (ms - startMs) / 1000;
      const isReply = m.replyToId !== undefined && m.replyToId !== m.threadId;
      if (isReply) {
        replies++;
        replyTo(m.replyToId!, from, t);
      }

      const found = detectors.detect(m.text, m.links);
      // A question inside a thread ("wow, in two weeks?") is conversation: the ones that count are asked to the group.
      const question = found.question && !isReply;
      const index = ids.length;
      if (!byId && index > 0 && m.id <= ids[index - 1]!) {
        byId = new Map();
        for (let i = 0; i < index; i++) byId.set(ids[i]!, i);
      }
      byId?.set(m.id, index);
      ids.push(m.id);
      sec.push(t);
      senderOf.push(from);
      flags.push((question ? F_QUESTION : 0) | (isReply ? 0 : F_ROOT) | (found.blocker ? F_BLOCKER : 0));
      firstReply.push(-1);
      const early = pending.get(m.id);
      if (early) {
        pending.delete(m.id);
        for (const r of early) creditReply(index, r.from, r.t);
      }

      // The welcome post naming "#demo … #decision" explains conventions; it decides nothing.
      const decision = found.decision && !found.conventions;
      if (found.blocker || decision) {
        tracker.observe(m, found.blocker && decision ? ['blocker', 'decision'] : [found.blocker ? 'blocker' : 'decision'], false);
        inThreads.add(m.id);
      } else {
        observeReply(m, false);
      }

      if (question) {
        let reactions = 0;
        for (const r of m.reactions) reactions += r.count;
        questionItems.set(index, { item: item(m), reactions, chars: m.text.length });
      }
      if (decision) decisions.set(m.id, item(m));
      if (found.demo) {
        const it = item(m);
        const keys = [`id:${m.id}`, `text:${m.sender?.id ?? ''}:${it.text.toLowerCase()}`, ...(it.link ? [`link:${linkKey(it.link)}`] : [])];
        if (!keys.some((k) => demoKeys.has(k))) demos.push({ index, item: it });
        for (const k of keys) demoKeys.add(k);
      }
      if (found.blocker) blockers.set(m.id, { index, item: item(m) });

      let reactions = 0;
      for (const r of m.reactions) reactions += r.count;
      if (reactions > 0 && (topReacted.length < topN || reactions > topReacted[topReacted.length - 1]!.reactions)) {
        // Ties keep the earlier message: insert after every entry with as many reactions.
        let at = topReacted.length;
        while (at > 0 && topReacted[at - 1]!.reactions < reactions) at--;
        topReacted.splice(at, 0, { ...item(m), reactions });
        if (topReacted.length > topN) topReacted.pop();
      }
    },

    finish() {
      let threadsStarted = 0;
      const delays: number[] = [];
      const questionIds: number[] = [];
      const unansweredIds: number[] = [];
      let answered = 0;
      for (let i = 0; i < ids.length; i++) {
        const f = flags[i]!;
        if (f & F_ROOT && f & F_REPLIED) threadsStarted++;
        if (f & (F_ROOT | F_QUESTION) && f & F_REPLIED) delays.push(firstReply[i]!);
        if (f & F_QUESTION) {
          questionIds.push(ids[i]!);
          if (f & F_ANSWERED) answered++;
          else unansweredIds.push(ids[i]!);
        }
      }
      const ranked = (counts: number[]) =>
        counts
          .map((n, i) => ({ i, n }))
          .filter(({ i, n }) => n > 0 && !senderBot[i])
          .sort((a, b) => b.n - a.n || a.i - b.i)
          .slice(0, topN);
      const waited = (c: RankedCandidate) => (c.status === 'open' ? { waitedSeconds: Math.round(c.waitedMs / 1000) } : {});
      // Every blocker and decision is kept (they are the week's counts); only their order comes from the weights, so
      // a repeated text is not folded into one here. How active a sender is comes from every counted message of the
      // week, not only from those the tracker saw.
      const all = (kind: DetectionKind) =>
        rankByWeight(
          kind,
          tracker.candidates(kind).map(({ fingerprint: _, ...c }) => ({ ...c, senderMessages: senderMessages[senderIndex.get(c.senderId) ?? -1] ?? 0 })),
          { now: waitsUntil },
        );
      const blockerItems = all('blocker').flatMap((c) => {
        const b = blockers.get(c.id);
        return b ? [{ ...b.item, replied: (flags[b.index]! & F_REPLIED) !== 0, status: c.status, ...waited(c) }] : [];
      });
      // Open questions by weight, not recency: an old question others +1'd outranks yesterday's filler. One raised
      // as a blocker is listed there, with its status. Unanswered means no direct reply from anyone else (the same rule as `answered`), so the counters are the
      // question's own: its reactions (the +1s), its words, who asked, and the wait. The same question asked again is
      // listed once: it is recognised by its kept text (whitespace folded, cut at 200 characters), hashed only for
      // the questions still open, as most of a week's are answered.
      const unanswered: WeighedCandidate[] = [];
      const byCandidate = new Map<number, RecapItem>();
      for (const [i, q] of questionItems) {
        if (flags[i]! & F_BLOCKER) continue;
        const from = senderOf[i]!;
        unanswered.push({ id: i, at: startMs + sec[i]! * 1000, senderId: q.item.sender?.id ?? 'unknown', replies: 0, repliers: 0, reactions: q.reactions, chars: q.chars, senderMessages: from >= 0 ? senderMessages[from]! : 0, fingerprint: textFingerprint(q.item.text) });
        byCandidate.set(i, q.item);
      }
      const open = rankByWeight('question', unanswered, { now: waitsUntil, openOnly: true, limit: maxOpen }).map((c) => ({ ...byCandidate.get(c.id)!, status: c.status, ...waited(c) }));
      const active = senderMessages.reduce((n, c, i) => (c > 0 && !senderBot[i] ? n + 1 : n), 0);
      const memberCount = options.memberCount ?? null;
      return {
        chatId: chatId ?? 0,
        week: range.week,
        zone: range.zone,
        start: range.start.toISOString(),
        end: range.end.toISOString(),
        messages,
        activeMembers: active,
        memberCount,
        activeShare: memberCount ? Math.min(1, active / memberCount) : null,
        newMembers: joined.size,
        departedMembers: departed.size,
        replies,
        threadsStarted,
        questions: { asked: questionIds.length, answered, ids: questionIds, unansweredIds, open },
        medianFirstReplySeconds: median(delays),
        demos: demos.map((d) => ({ ...d.item, replied: (flags[d.index]! & F_REPLIED) !== 0 })),
        blockers: blockerItems,
        decisions: all('decision').flatMap((c) => {
          const d = decisions.get(c.id);
          return d ? [{ ...d, replied: c.replies > 0 }] : [];
        }),
        topContributors: ranked(senderMessages).map(({ i, n }) => ({ peer: senders[i]!, messages: n })),
        helpers: ranked(senderAnswers).map(({ i, n }) => ({ peer: senders[i]!, answered: n })),
        mostReacted: topReacted.map((r) => ({ ...r, replied: (flags[indexOf(r.messageId)]! & F_REPLIED) !== 0 })),
        perDay,
        coverage: weekCoverage(range, options.span ?? { first: null, last: null }),
        botMessages,
      };
    },
  };
}

export interface WeeksAccumulatorOptions extends Omit<WeekAccumulatorOptions, 'week'> {
  /** The ISO weeks to compute, e.g. the eight of a trend; any order, no duplicates needed. */
  weeks: readonly string[];
  /**
   * How long after its end a week still hears replies that answer its questions, in ms: the same bound whether the
   * week is computed alone or beside later weeks, so a week's numbers do not depend on which run computed it.
   * Default `ANSWERS_AFTER_MS`.
   */
  answersAfterMs?: number;
}

/** History read after a week for late answers to its questions (never past the run's time): two days. */
export const ANSWERS_AFTER_MS = 2 * 24 * 3600_000;

/**
 * Consumes a history once, oldest first, and yields the metrics of several weeks: each message is dated once and
 * handed to the accumulator of its week, and a reply also to the earlier weeks whose answer window it falls in. Cost
 * per message is one date parse and one week lookup more than a single week's, whatever the number of weeks.
 */
export interface WeeksAccumulator {
  readonly ranges: readonly WeekRange[];
  add(message: ChatMessage): void;
  /** The weeks' metrics, oldest first. */
  finish(): WeeklyMetrics[];
}

export function createWeeksAccumulator(options: WeeksAccumulatorOptions): WeeksAccumulator {
  const { weeks, answersAfterMs = ANSWERS_AFTER_MS, ...shared } = options;
  const detectors = shared.detectors && 'detect' in shared.detectors ? shared.detectors : compileDetectors(shared.detectors ?? {});
  const accs = [...new Set(weeks.map((w) => weekRange(w, shared.zone).week))]
    .sort()
    .map((week) => createWeekAccumulator({ ...shared, week, detectors }));
  const starts = accs.map((a) => a.range.start.getTime());
  const ends = accs.map((a) => a.range.end.getTime());
  const first = starts[0] ?? Infinity;
  const lastAnswer = (ends[ends.length - 1] ?? -Infinity) + answersAfterMs;
  let k = 0;
  return {
    ranges: accs.map((a) => a.range),
    add(m) {
      const ms = Date.parse(m.date);
      if (!(ms >= first) || ms >= lastAnswer) return;
      // Histories come oldest first: the week of the last message is the best first guess.
      while (k > 0 && ms < starts[k]!) k--;
      while (k < accs.length - 1 && ms >= starts[k + 1]!) k++;
      if (ms < ends[k]!) accs[k]!.add(m, ms);
      if (m.replyToId === undefined || m.service || !m.sender) return;
      // A late answer to an earlier week's question.
      for (let j = ms < ends[k]! ? k - 1 : k; j >= 0 && ms < ends[j]! + answersAfterMs; j--) accs[j]!.add(m, ms);
    },
    finish: () => accs.map((a) => a.finish()),
  };
}

/** Computes a week's metrics from a stream of messages (e.g. `readHistory(store, ref)`), oldest first. */
export async function computeWeeklyMetrics(messages: AsyncIterable<ChatMessage> | Iterable<ChatMessage>, options: WeekAccumulatorOptions): Promise<WeeklyMetrics> {
  const acc = createWeekAccumulator(options);
  for await (const m of messages) acc.add(m);
  return acc.finish();
}
