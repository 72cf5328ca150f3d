import { Api } from 'telegram';
import type { Participant, Peer } from '../domain';

type BigLike = { toString(): string };

/**
 * An optional field of a gramjs object as the domain wants it: gramjs sets every absent optional field of an object
 * read from the wire to null (objects built in code leave it undefined). Both become undefined.
 */
export function present<T>(value: T | null | undefined): T | undefined {
  return value ?? undefined;
}

/** A Telegram `long` id as a JS number. Telegram ids stay below 2^53, so no precision is lost. */
export function toNumber(value: BigLike | number): number {
  return typeof value === 'number' ? value : Number(value.toString());
}

/** Chats and users a response carries, by peer key (`user123`, `chat123`, `channel123`). */
export type EntityIndex = Map<string, Api.TypeUser | Api.TypeChat>;

/** Indexes the `users` and `chats` of a Telegram response so messages can name their senders. */
export function indexEntities(users: readonly Api.TypeUser[] = [], chats: readonly Api.TypeChat[] = []): EntityIndex {
  const index: EntityIndex = new Map();
  for (const user of users) index.set(`user${toNumber(user.id)}`, user);
  for (const chat of chats) {
    const kind = chat instanceof Api.Channel || chat instanceof Api.ChannelForbidden ? 'channel' : 'chat';
    index.set(`${kind}${toNumber(chat.id)}`, chat);
  }
  return index;
}

/** `user123`, `channel123` or `chat123`: the peer key Telegram Desktop exports use. */
export function peerKey(peer: Api.TypePeer): string {
  if (peer instanceof Api.PeerUser) return `user${toNumber(peer.userId)}`;
  if (peer instanceof Api.PeerChannel) return `channel${toNumber(peer.channelId)}`;
  return `chat${toNumber(peer.chatId)}`;
}

/** The name a person sees: first and last name, else the username, else Telegram's "Deleted Account". */
export function userName(user: Api.User): string {
  const name = [user.firstName, user.lastName].filter((p) => typeof p === 'string' && p !== '').join(' ');
  const username = usernameOf(user);
  return name || (username ? `@${username}` : user.deleted ? 'Deleted Account' : `user${toNumber(user.id)}`);
}

/** The first public username of a user or channel (they may have several collectible ones). */
export function usernameOf(entity: { username?: string | null; usernames?: Api.TypeUsername[] | null }): string | undefined {
  return present(entity.username) || present(entity.usernames?.find((u) => u.active)?.username) || undefined;
}

/** A sender or actor in the domain's shape; the name falls back to the peer key when the response lacks it. */
export function peerFrom(key: string, index: EntityIndex): Peer {
  const entity = index.get(key);
  if (entity instanceof Api.User) return { id: key, name: userName(entity), username: usernameOf(entity), ...(entity.bot ? { bot: true } : {}) };
  if (entity instanceof Api.Channel) return { id: key, name: entity.title, username: usernameOf(entity) };
  if (entity && 'title' in entity && typeof entity.title === 'string') return { id: key, name: entity.title };
  return { id: key, name: key };
}

/** A group member in the domain's shape. The phone number is copied only when asked for. */
export function mapParticipant(user: Api.User, opts: { admin?: boolean; includePhone?: boolean } = {}): Participant {
  return {
    id: `user${toNumber(user.id)}`,
    username: usernameOf(user),
    firstName: user.firstName || undefined,
    lastName: user.lastName || undefined,
    bot: user.bot === true,
    premium: user.premium === true,
    verified: user.verified === true,
    admin: opts.admin,
    phone: opts.includePhone && user.phone ? `+${user.phone.replace(/^\+/, '')}` : undefined,
  };
}
