import { Context } from '@temporalio/activity';
import type { ChatInfo, ChatMessage, HistoryRef, JobSource } from '../domain';
import { HISTORY_PAGE_SIZE, historyPageKey, writeHistoryPage } from '../store';
import type { ActivityDeps } from './deps';
import { readCheckpoint, writeCheckpoint, type ExtractionCheckpoint } from './checkpoint';
import { withFailureMapping } from './failures';
import { confineJobSource } from './export-source';

export interface ExtractInput {
  jobId: string;
  source: JobSource;
  since?: string;
  until?: string;
}

export interface ExtractOutput {
  history: HistoryRef;
  chat: ChatInfo;
}

/** Progress an extraction reports in its heartbeats (the CLI's progress bar reads it). */
export interface ExtractHeartbeat {
  pages: number;
  messages: number;
}

export const historyPrefix = (jobId: string) => `jobs/${jobId}/history`;

export function createExtractActivities(deps: ActivityDeps) {
  const { store } = deps;
  const heartbeatEveryMs = deps.heartbeatEveryMs ?? 2000;
  const failureOptions = deps.floodTimerThresholdSeconds !== undefined ? { floodTimerThresholdSeconds: deps.floodTimerThresholdSeconds } : {};

  /**
   * Streams a chat's history into the artifact store, a page at a time. After each page it records a checkpoint
   * (last id), so a retry — on this worker or another, after a crash or a flood wait — goes on from there: pages
   * are rewritten whole under the same key, never appended, and every message is stored exactly once.
   */
  async function extractHistory(input: ExtractInput): Promise<ExtractOutput> {
    return withFailureMapping(async () => {
      const ctx = Context.current();
      const prefix = historyPrefix(input.jobId);
      const source = await deps.openSource(await confineJobSource(input.source, deps.exportsDir));
      const chat = await source.info();
      const start = await readCheckpoint(store, prefix);
      if (start?.done) return { history: { prefix, pages: start.pages, messages: start.messages }, chat };

      const cp: ExtractionCheckpoint = { pages: start?.pages ?? 0, messages: start?.messages ?? 0, done: false, chat };
      if (start?.lastId !== undefined) cp.lastId = start.lastId;
      let page: ChatMessage[] = [];
      // Heartbeat on a timer too: a source may be slow between pages (rate limits, short flood waits).
      const beat = () => ctx.heartbeat({ pages: cp.pages, messages: cp.messages + page.length } satisfies ExtractHeartbeat);
      const timer = setInterval(beat, heartbeatEveryMs);
      try {
        const flush = async () => {
          await writeHistoryPage(store, prefix, cp.pages, page);
          cp.pages++;
          cp.messages += page.length;
          cp.lastId = page[page.length - 1]!.id;
          page = [];
          await writeCheckpoint(store, prefix, cp);
          beat();
        };
        const query = {
          ...(input.since ? { since: new Date(input.since) } : {}),
          ...(input.until ? { until: new Date(input.until) } : {}),
          ...(cp.lastId !== undefined ? { afterId: cp.lastId } : {}),
          signal: ctx.cancellationSignal,
        };
        for await (const message of source.messages(query)) {
          page.push(message);
          if (page.length === HISTORY_PAGE_SIZE) await flush();
        }
        if (page.length > 0) await flush();
      } finally {
        clearInterval(timer);
      }
      await removePagesFrom(cp.pages);
      cp.done = true;
      await writeCheckpoint(store, prefix, cp);
      return { history: { prefix, pages: cp.pages, messages: cp.messages }, chat };

      /** Pages an interrupted attempt wrote past what this one stored would otherwise linger. */
      async function removePagesFrom(first: number): Promise<void> {
        const keep = new Set(Array.from({ length: first }, (_, i) => historyPageKey(prefix, i)));
        for (const k of await store.list(prefix)) if (k.endsWith('.jsonl') && !keep.has(k)) await store.remove(k);
      }
    }, failureOptions);
  }

  return { extractHistory };
}
