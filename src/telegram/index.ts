// The port and its domain-shaped types: what the rest of tgpulse uses.
export { HISTORY_PAGE_LIMIT, MAX_MESSAGE_CHARS } from './port';
export type { AccountInfo, ChatKind, ChatRef, HistoryOrder, HistoryPage, HistoryRequest, MemberFilter, MembersQuery, SendFileOptions, SendOptions, TelegramPort } from './port';
export { TelegramHistorySource } from './history-source';
export type { TelegramHistoryOptions } from './history-source';
export { parseChatInput } from './chat-ref';
export type { ChatInput } from './chat-ref';
export { SessionRevokedError, SessionInUseError, TakeoutDelayError } from './telegram-errors';

// Accounts: sessions, the connection lease, opening a live account.
export { SessionStore } from './session-store';
export { AccountLease } from './lease';
export type { LeaseOptions } from './lease';
export { telegramKeys } from './keys';
export type { TelegramKeys } from './keys';
export { accountDepsFromConfig, connectClient, createTelegramClient, openTelegramAccount, loginTelegramAccount, logoutTelegramAccount, telegramCredentials } from './connect';
export { serverKeyFromPem, telegramServer } from './server';
export type { ServerKey, ServerSettings, TelegramServer } from './server';
export type { AccountDeps, LoginPrompts, OpenAccount, TelegramCredentials } from './connect';

// The gramjs adapter, for workers that build it themselves and for tests.
export { GramjsTelegram } from './gramjs-adapter';
export type { GramjsClient, GramjsTelegramOptions } from './gramjs-adapter';
export { PeerCache } from './peer-cache';
export { TakeoutSession } from './takeout';
export type { GuardedInvoke } from './takeout';
export { mapTelegramError } from './map-error';
export type { TelegramCallContext } from './map-error';

// The userbot: the account's own session listening for new messages.
export { openUserbotAccount, toIncoming } from './userbot-account';
export type { IncomingTelegramMessage, UpdatesCursor, UserbotAccount } from './userbot-account';
export { botAccountName, openBotAccount } from './bot-account';
export type { BotAccount } from './bot-account';
