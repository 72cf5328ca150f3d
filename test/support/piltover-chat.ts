import { Api } from 'telegram';
import type { ChatMessage, Peer } from '../../src/domain';
import type { PiltoverUser } from './piltover-users';

/** A user as the domain names a sender: first and last name, @username. */
export function peerOf(user: PiltoverUser): Peer {
  return { id: `user${user.id}`, name: [user.firstName, user.lastName].filter(Boolean).join(' '), username: user.username };
}

/** What a message posted by `user` must come back as, from the message the server answered the post with. */
export function expectedMessage(sent: Api.Message, chatId: number, user: PiltoverUser, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { id: sent.id, chatId, date: new Date(sent.date * 1000).toISOString(), sender: peerOf(user), text: sent.message, reactions: [], ...extra };
}

/**
 * Posts `texts` as `user` into the group, `parallel` at a time (piltover answers a post in ~0.1 s; in parallel the
 * posting of a few hundred messages takes seconds). Returns what the server answered, oldest first.
 */
export async function postMany(user: PiltoverUser, group: string, texts: string[], parallel = 10): Promise<Api.Message[]> {
  const sent: Api.Message[] = [];
  for (let i = 0; i < texts.length; i += parallel) {
    sent.push(...(await Promise.all(texts.slice(i, i + parallel).map((message) => user.client.sendMessage(group, { message })))));
  }
  return sent.sort((a, b) => a.id - b.id);
}

/** Waits until the server's clock has moved to a later second, so posts before and after have different dates. */
export async function nextSecond(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1100));
}
