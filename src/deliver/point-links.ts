import type { ChatInfo } from '../domain';
import { messageLink } from '../domain';

export interface RenderOptions {
  /**
   * Ids known to exist in the chat's history. A point's id outside it gets no link (an LLM may cite an id that does
   * not exist); when absent, every id is linked.
   */
  knownIds?: ReadonlySet<number>;
}

/** The `t.me` links of a point's messages; chats without links (basic groups) give none. */
export function pointLinks(chat: Pick<ChatInfo, 'id' | 'type' | 'username'>, ids: readonly number[], options: RenderOptions): string[] {
  return ids.filter((id) => !options.knownIds || options.knownIds.has(id)).flatMap((id) => messageLink(chat, id) ?? []);
}
