import { Api } from 'telegram';
import type { ChatInfo, ChatType } from '../domain';
import type { ChatKind, ChatRef } from './port';
import { present, toNumber, userName, usernameOf } from './map-user';

/** A chat or user Telegram described, reduced to what the port returns. */
export type ChatEntity = Api.Channel | Api.ChannelForbidden | Api.Chat | Api.ChatForbidden | Api.User;

export function isChatEntity(value: unknown): value is ChatEntity {
  return value instanceof Api.Channel || value instanceof Api.ChannelForbidden || value instanceof Api.Chat || value instanceof Api.ChatForbidden || value instanceof Api.User;
}

export function kindOf(entity: ChatEntity): ChatKind {
  if (entity instanceof Api.User) return 'user';
  if (entity instanceof Api.Channel || entity instanceof Api.ChannelForbidden) return 'channel';
  return 'group';
}

export function refOf(entity: ChatEntity): ChatRef {
  return { id: toNumber(entity.id), kind: kindOf(entity) };
}

function chatType(entity: ChatEntity): ChatType {
  if (entity instanceof Api.User) return entity.self ? 'saved_messages' : entity.bot ? 'bot_chat' : 'personal_chat';
  if (entity instanceof Api.Channel) {
    const isPublic = usernameOf(entity) !== undefined;
    if (entity.broadcast) return isPublic ? 'public_channel' : 'private_channel';
    return isPublic ? 'public_supergroup' : 'private_supergroup';
  }
  if (entity instanceof Api.ChannelForbidden) return entity.broadcast ? 'private_channel' : 'private_supergroup';
  return 'private_group';
}

/**
 * The domain's {@link ChatInfo} of a chat. `memberCount` comes from the full chat when fetched; `createdAt` is
 * Telegram's `date` of a channel the account is not in (for members it is the join date, so it is left out).
 */
export function chatInfoOf(entity: ChatEntity, memberCount?: number | null): ChatInfo {
  const base = { id: toNumber(entity.id), type: chatType(entity) };
  if (entity instanceof Api.User) return { ...base, title: userName(entity), username: usernameOf(entity) };
  if (entity instanceof Api.Channel) {
    return {
      ...base,
      title: entity.title,
      username: usernameOf(entity),
      memberCount: memberCount ?? present(entity.participantsCount),
      createdAt: entity.left && entity.date ? new Date(entity.date * 1000).toISOString() : undefined,
    };
  }
  if (entity instanceof Api.Chat) return { ...base, title: entity.title, memberCount: memberCount ?? present(entity.participantsCount) };
  return { ...base, title: entity.title };
}
