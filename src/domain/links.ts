import type { ChatInfo } from './chat-info';

/**
 * The `t.me` link of a message, or undefined where Telegram has none (basic groups, personal chats).
 * Public chats: `t.me/<username>/<id>`; private supergroups and channels: `t.me/c/<id>/<id>`.
 */
export function messageLink(chat: Pick<ChatInfo, 'id' | 'type' | 'username'>, messageId: number): string | undefined {
  if (messageId <= 0) return undefined;
  if (chat.username) return `https://t.me/${chat.username}/${messageId}`;
  if (chat.type === 'private_supergroup' || chat.type === 'private_channel' || chat.type === 'public_supergroup' || chat.type === 'public_channel') {
    return `https://t.me/c/${bareChannelId(chat.id)}/${messageId}`;
  }
  return undefined;
}

/** `-1001234` (Bot API form) and `1234` (export form) both give `1234`. */
export function bareChannelId(id: number): number {
  const abs = Math.abs(id);
  return abs > 1_000_000_000_000 ? abs - 1_000_000_000_000 : abs;
}
