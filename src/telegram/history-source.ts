import type { ChatInfo, ChatMessage, HistoryQuery, HistorySource } from '../domain';
import type { ChatRef, TelegramPort } from './port';

/** Options of a {@link TelegramHistorySource}. */
export interface TelegramHistoryOptions {
  /** Read inside a data-export (takeout) session, for large backfills (see `HistoryRequest.takeout`). */
  takeout?: boolean;
}

/**
 * A live chat as a {@link HistorySource}: pages of 100, oldest first, resuming after `afterId` (the checkpoint of
 * an interrupted extraction). Every page is one guarded request of the port.
 */
export class TelegramHistorySource implements HistorySource {
  constructor(
    private readonly telegram: TelegramPort,
    private readonly chat: ChatRef,
    private readonly options: TelegramHistoryOptions = {},
  ) {}

  info(): Promise<ChatInfo> {
    return this.telegram.chatInfo(this.chat);
  }

  async *messages(query: HistoryQuery): AsyncIterable<ChatMessage> {
    const pages = this.telegram.history({ chat: this.chat, afterId: query.afterId, since: query.since, until: query.until, order: 'oldest', signal: query.signal, ...(this.options.takeout ? { takeout: true } : {}) });
    for await (const page of pages) yield* page.messages;
  }
}
