import type { ChatInfo } from './chat-info';
import type { ChatMessage } from './chat-message';

export interface HistoryQuery {
  /** Only messages sent at or after this instant. */
  since?: Date;
  /** Only messages sent before this instant. */
  until?: Date;
  /**
   * Resume point: only messages with a greater id. Ids grow with time within a chat (migrated basic-group ids,
   * shifted below zero, come first), so this is the checkpoint of an interrupted extraction.
   */
  afterId?: number;
  signal?: AbortSignal;
}

/**
 * Where a chat's history comes from: a Telegram Desktop export or live Telegram. Messages come oldest first.
 */
export interface HistorySource {
  info(): Promise<ChatInfo>;
  messages(query: HistoryQuery): AsyncIterable<ChatMessage>;
}
