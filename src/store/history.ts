import type { ChatMessage, HistoryRef } from '../domain';
import type { ArtifactStore } from './artifact-store';

/** Messages per history page: big enough to keep file counts low, small enough to hold in memory. */
export const HISTORY_PAGE_SIZE = 5000;

/** The key of page `index` (0-based) of a history. Fixed width, so keys sort in page order. */
export function historyPageKey(prefix: string, index: number): string {
  return `${prefix}/page-${String(index).padStart(6, '0')}.jsonl`;
}

/** Writes one page of a history as JSONL. Writing the same page again replaces it. */
export function writeHistoryPage(store: ArtifactStore, prefix: string, index: number, messages: readonly ChatMessage[]) {
  let body = '';
  for (const m of messages) body += JSON.stringify(m) + '\n';
  return store.put(historyPageKey(prefix, index), body);
}

/** Reads one page of a history. */
export async function readHistoryPage(store: ArtifactStore, prefix: string, index: number): Promise<ChatMessage[]> {
  const text = (await store.get(historyPageKey(prefix, index))).toString('utf8');
  const out: ChatMessage[] = [];
  for (const line of text.split('\n')) if (line) out.push(JSON.parse(line) as ChatMessage);
  return out;
}

/** Streams a stored history, page by page, oldest first. Memory holds one page at a time. */
export async function* readHistory(store: ArtifactStore, ref: HistoryRef): AsyncGenerator<ChatMessage> {
  for (let page = 0; page < ref.pages; page++) yield* await readHistoryPage(store, ref.prefix, page);
}
