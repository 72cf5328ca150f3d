import type { ChatMessage } from '../../../src/domain';
import type { HistoryRequest, TelegramPort } from '../../../src/telegram';

/** Reads a whole history through a port: the size of each page and every message, checking each page's `lastId`. */
export async function collectHistory(port: TelegramPort, request: HistoryRequest): Promise<{ pages: number[]; messages: ChatMessage[] }> {
  const pages: number[] = [];
  const messages: ChatMessage[] = [];
  for await (const page of port.history(request)) {
    pages.push(page.messages.length);
    expect(page.lastId).toBe(page.messages.at(-1)?.id);
    messages.push(...page.messages);
  }
  return { pages, messages };
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

export const ids = (messages: ChatMessage[]): number[] => messages.map((m) => m.id);
