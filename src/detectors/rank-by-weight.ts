import type { DetectionKind } from './detectors';

/**
 * What the chat did with one detected message: counters only, never its text, so a caller streaming millions of
 * messages keeps a few numbers per candidate.
 */
export interface WeighedCandidate {
  id: number;
  /** When it was posted, ms since the epoch. */
  at: number;
  senderId: string;
  /** Replies from people other than its sender: direct ones and, for a thread's first message, the whole thread. */
  replies: number;
  /** Distinct people other than the sender among those replies. */
  repliers: number;
  /** Reactions, summed over emoji. */
  reactions: number;
  /** Length of its text: a one-line "anyone here?" carries less than a described problem. */
  chars: number;
  /** Messages its sender wrote in the whole range: an active member's ask weighs more than a drive-by. */
  senderMessages: number;
  /** Its sender said in the thread that it is sorted ("fixed", "works now", "заработало", ✅). */
  resolved?: boolean;
  /** A hash of its text (see `textFingerprint`): of messages with the same text only the heaviest is ranked. */
  fingerprint?: number;
}

/** Whether a question or blocker still waits: no reply from anyone else (`open`), replies (`answered`), or the asker said it is sorted (`resolved`). */
export type CandidateStatus = 'open' | 'answered' | 'resolved';

export interface RankedCandidate extends WeighedCandidate {
  /** The ranking score; only its order means something. */
  weight: number;
  status: CandidateStatus;
  /** How long it has been waiting at `now` (ms); 0 once answered or resolved. */
  waitedMs: number;
}

export interface RankOptions {
  /** The end of the range the candidates come from (ms): a question waits until then. Never the wall clock, so a digest of last year reads the same today. */
  now: number;
  /** How many to return, heaviest first (all when absent). */
  limit?: number;
  /** Only those still open (no reply from anyone else). */
  openOnly?: boolean;
}

const DAY = 86_400_000;
// Past this length more text says nothing more about substance.
const FULL_CHARS = 140;

/**
 * Ranks detected messages of one kind by weight, not by recency: replies from others and how many people replied,
 * reactions, how much the message says, how active its sender is in the chat, and, for questions and blockers still
 * open, how long they have waited. Pure: the same candidates and `now` give the same order (ties go to the older
 * message), so a digest or recap can call it on counters it collected in a streaming pass.
 *
 * Each factor is taken on a log scale so that no single one dominates: a question 30 people reacted to outranks a
 * bare "anyone here?" from the most active member, and an old unanswered question with a real problem in it outranks
 * yesterday's filler.
 *
 * @example
 * const open = rankByWeight('question', candidates, { now: Date.parse(lastMessage.date), openOnly: true, limit: 10 });
 * for (const q of open) console.log(q.id, q.status, Math.round(q.waitedMs / 86_400_000), 'days waiting');
 */
export function rankByWeight(kind: DetectionKind, candidates: Iterable<WeighedCandidate>, options: RankOptions): RankedCandidate[] {
  const ranked: RankedCandidate[] = [];
  for (const c of candidates) {
    const status: CandidateStatus = c.resolved ? 'resolved' : c.replies > 0 ? 'answered' : 'open';
    if (options.openOnly && status !== 'open') continue;
    const waitedMs = status === 'open' ? Math.max(0, options.now - c.at) : 0;
    // Object.assign, not a spread: on Node 20 the spread copies a candidate about 10× slower, and a week can hold 80k.
    ranked.push(Object.assign({}, c, { status, waitedMs, weight: weightOf(kind, c, status, waitedMs) }));
  }
  ranked.sort((a, b) => b.weight - a.weight || a.at - b.at || a.id - b.id);
  // The same words posted again ("not working lol" every other day, a copy-pasted ask) make one point, not five.
  const seen = new Set<number>();
  const distinct = ranked.filter((c) => c.fingerprint === undefined || (!seen.has(c.fingerprint) && seen.add(c.fingerprint)));
  return options.limit === undefined ? distinct : distinct.slice(0, options.limit);
}

/** A 32-bit FNV-1a hash of a text with case and spacing folded, so a repeated message is recognised without keeping it. */
export function textFingerprint(text: string): number {
  const folded = text.toLocaleLowerCase().replace(/\s+/g, ' ').trim();
  let h = 0x811c9dc5;
  for (let i = 0; i < folded.length; i++) {
    h ^= folded.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function weightOf(kind: DetectionKind, c: WeighedCandidate, status: CandidateStatus, waitedMs: number): number {
  const engagement = Math.log1p(c.replies) + 1.5 * Math.log1p(c.repliers) + 1.2 * Math.log1p(c.reactions);
  // A square root, not a log: "wifi is not working lol" (36 characters) says much less than a described problem.
  const substance = 0.3 + 0.7 * Math.sqrt(Math.min(1, c.chars / FULL_CHARS));
  const standing = 1 + 0.25 * Math.log1p(c.senderMessages);
  const waiting = 0.8 * Math.log1p(waitedMs / DAY);
  switch (kind) {
    case 'question':
      // An open question has no replies by definition: its weight is who asks, what it says, who +1'd it, how long it waited.
      return (1 + engagement + (status === 'open' ? waiting : 0)) * substance * standing;
    case 'blocker':
      // Someone stuck and unheard is the first thing an organizer wants to see.
      return (1 + engagement + (status === 'open' ? 2 + waiting : 0)) * substance * standing;
    default:
      return (1 + engagement) * substance * standing;
  }
}
