import type { ChatMessage } from '../../src/domain';

/** Message `id` of the store benches' chat: a typical message, with a link, some replies and reactions. */
export function benchMessage(id: number): ChatMessage {
  return {
    id,
    chatId: 1987654321,
    date: new Date(Date.UTC(2026, 10, 2) + id * 7000).toISOString(),
    sender: { id: `user${100 + (id % 300)}`, name: `Member ${id % 300}` },
    text: `message ${id}: shipped the onboarding flow, now looking at retries and webhooks? #demo https://example.com/${id}`,
    links: [`https://example.com/${id}`],
    ...(id % 3 === 0 ? { replyToId: id - 2 } : {}),
    reactions: id % 5 === 0 ? [{ emoji: '🔥', count: 3 }] : [],
  };
}
