import type { ChatMessage } from '../../../src/domain';
import { fakeMessages } from '../../fakes/fake-telegram';

/**
 * A deterministic live chat: `n` messages (ids 1..n, a minute apart) where every 10th is a question and every 7th
 * replies to the message before it, so the digest has questions, replies and active members to cite.
 */
export function seededChat(n: number, opts: { start?: Date } = {}): ChatMessage[] {
  return fakeMessages(n, opts).map((m) => ({
    ...m,
    ...(m.id % 10 === 0 ? { text: `how do I deploy part ${m.id}?` } : {}),
    ...(m.id % 7 === 0 && m.id > 1 ? { replyToId: m.id - 1 } : {}),
  }));
}
