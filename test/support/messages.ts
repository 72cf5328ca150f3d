import type { ChatInfo, ChatMessage } from '../../src/domain';

export const testChat: ChatInfo = { id: 1234567890, title: 'Build Cohort', type: 'private_supergroup' };

const people: Record<string, string> = { user1: 'Ana', user2: 'Boris', user3: 'Chen', user4: 'Dana' };

/** A message for hand-built histories: `msg(5, 'user2', 'hello', { replyToId: 3 })`. */
export function msg(id: number, from: keyof typeof people | string, text: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id,
    chatId: testChat.id,
    date: new Date(Date.UTC(2026, 10, 2, 9, 0, 0) + id * 60_000).toISOString(),
    sender: { id: from, name: people[from] ?? from },
    text,
    reactions: [],
    ...extra,
  };
}

export async function* asAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
