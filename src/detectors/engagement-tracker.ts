import type { ChatMessage } from '../domain';
import type { DetectionKind } from './detectors';
import { textFingerprint, type WeighedCandidate } from './rank-by-weight';

// The asker saying it is sorted, in a reply inside the thread.
const RESOLVED = /✅|(?<![\p{L}])(?:fixed|solved|sorted|works now|working now|got it working|figured it out|that was it|заработал\p{L}*|починил\p{L}*|разобрал\p{L}*)(?![\p{L}])/iu;
// Enough distinct repliers to tell "one person" from "a crowd"; past it the count stops growing, memory stays flat.
const MAX_REPLIERS = 32;

interface Tracked {
  id: number;
  at: number;
  senderId: string;
  kinds: Set<DetectionKind>;
  replies: number;
  repliers: Set<string>;
  reactions: number;
  chars: number;
  fingerprint: number;
  resolved: boolean;
}

/**
 * Streaming counters for `rankByWeight`: feed every message once, in history order, with the kinds a detector found
 * in it; read the candidates of a kind at the end. Memory is a sender and a thread root per message id, and a few
 * counters per candidate; texts are never kept, so it fits histories of millions of messages.
 *
 * Replies and repliers count only people other than the candidate's sender, and never bots. A reply anywhere in a
 * thread counts for the thread's first message too (a demo's thread of congratulations is its engagement).
 *
 * @example
 * const tracker = new EngagementTracker();
 * for await (const m of history) tracker.observe(m, kindsOf(detectors.detect(m.text, m.links)), isBot(m.sender));
 * const open = rankByWeight('question', tracker.candidates('question'), { now, openOnly: true });
 */
export class EngagementTracker {
  private readonly senders = new Map<number, string>();
  private readonly roots = new Map<number, number>();
  private readonly tracked = new Map<number, Tracked>();
  private readonly counts = new Map<string, number>();
  private readonly bots = new Set<string>();

  /** Feeds one message. `kinds` are the kinds to rank it under (none for most messages); a bot's message is never a candidate. */
  observe(m: ChatMessage, kinds: readonly DetectionKind[], bot: boolean): void {
    if (m.service) return;
    const senderId = m.sender?.id ?? 'unknown';
    this.senders.set(m.id, senderId);
    if (bot) this.bots.add(senderId);
    else this.counts.set(senderId, (this.counts.get(senderId) ?? 0) + 1);
    if (m.replyToId !== undefined) {
      const root = this.roots.get(m.replyToId) ?? m.replyToId;
      this.roots.set(m.id, root);
      if (!bot) {
        this.credit(m.replyToId, senderId, m.text);
        if (root !== m.replyToId) this.credit(root, senderId, m.text);
      }
    }
    if (bot || kinds.length === 0) return;
    const reactions = m.reactions.reduce((sum, r) => sum + r.count, 0);
    this.tracked.set(m.id, { id: m.id, at: Date.parse(m.date), senderId, kinds: new Set(kinds), replies: 0, repliers: new Set(), reactions, chars: m.text.length, fingerprint: textFingerprint(m.text), resolved: false });
  }

  private credit(targetId: number, senderId: string, text: string): void {
    const t = this.tracked.get(targetId);
    if (!t) return;
    if (t.senderId === senderId) {
      if (RESOLVED.test(text)) t.resolved = true;
      return;
    }
    t.replies++;
    if (t.repliers.size < MAX_REPLIERS) t.repliers.add(senderId);
  }

  /** The candidates of one kind, ready for `rankByWeight`. */
  candidates(kind: DetectionKind): WeighedCandidate[] {
    const out: WeighedCandidate[] = [];
    for (const t of this.tracked.values()) {
      if (!t.kinds.has(kind)) continue;
      out.push({
        id: t.id,
        at: t.at,
        senderId: t.senderId,
        replies: t.replies,
        repliers: t.repliers.size,
        reactions: t.reactions,
        chars: t.chars,
        senderMessages: this.counts.get(t.senderId) ?? 0,
        fingerprint: t.fingerprint,
        ...(t.resolved ? { resolved: true } : {}),
      });
    }
    return out;
  }

  /** How many candidates of a kind were seen, and how many of them nobody else replied to. */
  tally(kind: DetectionKind): { total: number; open: number } {
    let total = 0;
    let open = 0;
    for (const t of this.tracked.values()) {
      if (!t.kinds.has(kind)) continue;
      total++;
      if (t.replies === 0 && !t.resolved) open++;
    }
    return { total, open };
  }

  /** The first message of the thread a reply belongs to (the reply chain followed up as far as the history goes). */
  rootOf(id: number): number | undefined {
    return this.roots.get(id);
  }

  /** Who sent a message, when it was seen. */
  senderOf(id: number): string | undefined {
    return this.senders.get(id);
  }

  /** Whether a sender was seen posting as a bot. */
  isBotSender(senderId: string): boolean {
    return this.bots.has(senderId);
  }

  /** Messages a (human) sender wrote. */
  messagesBy(senderId: string): number {
    return this.counts.get(senderId) ?? 0;
  }
}
