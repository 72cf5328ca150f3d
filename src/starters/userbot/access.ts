import { Counter } from 'prom-client';
import { allowlistEntryProblem, badAllowlistEntries, ConfigError } from '../../config';
import { metricsRegistry } from '../../observability';
import type { IncomingTelegramMessage } from '../../telegram';

/** Who may drive the userbot besides the owner: user ids or usernames (with or without `@`, any case). */
export interface Allowlist {
  ids: ReadonlySet<string>;
  usernames: ReadonlySet<string>;
}

/**
 * Reads an allowlist (config USERBOT_ALLOWLIST): user ids and usernames, comma-separated: `12345, @alice, bob`.
 * Throws a {@link ConfigError} naming every entry that is neither.
 */
export function parseAllowlist(text: string | undefined): Allowlist {
  const bad = badAllowlistEntries(text ?? '');
  if (bad.length > 0) throw new ConfigError(bad.map((entry) => `USERBOT_ALLOWLIST: ${allowlistEntryProblem(entry)}`));
  const ids = new Set<string>();
  const usernames = new Set<string>();
  for (const item of (text ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    if (/^\d+$/.test(item)) ids.add(item);
    else usernames.add(item.replace(/^@/, '').toLowerCase());
  }
  return { ids, usernames };
}

/** Why a message is acted on, or why not. */
export type Access = { kind: 'owner' } | { kind: 'allowed' } | { kind: 'ignored'; reason: 'stranger' | 'not-a-command-chat' };

/**
 * Who a message is from, as far as the userbot cares. The owner talks in their own Saved Messages (their outgoing
 * messages there, from any device); allowlisted users in a direct message to the account. Everything else is
 * ignored: messages the owner sends to others, groups, strangers.
 */
export function accessOf(message: IncomingTelegramMessage, selfId: string, allowlist: Allowlist): Access {
  if (message.chatUserId === undefined) return { kind: 'ignored', reason: 'not-a-command-chat' };
  if (message.chatUserId === selfId) return message.out ? { kind: 'owner' } : { kind: 'ignored', reason: 'not-a-command-chat' };
  if (message.out) return { kind: 'ignored', reason: 'not-a-command-chat' };
  const username = message.senderUsername?.toLowerCase();
  if (allowlist.ids.has(message.senderId) || (username !== undefined && allowlist.usernames.has(username))) return { kind: 'allowed' };
  return { kind: 'ignored', reason: 'stranger' };
}

/**
 * Bot mode: who a direct message to the bot is from. The owner (by id, USERBOT_OWNER_ID) and allowlisted users are
 * obeyed; anyone else is a stranger. A bot has no Saved Messages, and groups are not command chats.
 */
export function botAccessOf(message: IncomingTelegramMessage, ownerId: string, allowlist: Allowlist): Access {
  if (message.chatUserId === undefined || message.out) return { kind: 'ignored', reason: 'not-a-command-chat' };
  if (message.senderId === ownerId) return { kind: 'owner' };
  const username = message.senderUsername?.toLowerCase();
  if (allowlist.ids.has(message.senderId) || (username !== undefined && allowlist.usernames.has(username))) return { kind: 'allowed' };
  return { kind: 'ignored', reason: 'stranger' };
}

/** Messages the userbot ignored, by reason: strangers show up here and nowhere else. */
export const userbotIgnoredMessages = new Counter({
  name: 'userbot_ignored_messages_total',
  help: 'Messages the userbot ignored (strangers, chats it does not take commands in)',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});
