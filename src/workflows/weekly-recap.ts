import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities, TelegramActivities } from '../activities';
import type { JobSource, RecapInput, RecapProgress, RecapResult } from '../domain';
import { accountTaskQueue } from '../domain';
import { extractChat, NON_RETRYABLE } from './extract-chat';
import { showWaits, withFloodWaits } from './flood-wait';
import { droppedIdsNote, llmSummarize } from './llm-summary';
import { HEARTBEAT_TIMEOUT } from './heartbeat-timeout';

/** Where a recap is; the same query name as `summarizeChat`'s, so `tgpulse` reads both alike. */
export const recapProgressQuery = defineQuery<RecapProgress>('progress');

/** Set by Temporal on runs a Schedule starts: the time the action was due (for a backfill, the past time). */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

const steps = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE },
});

/**
 * The `postToChat` idempotency key of a cohort week (the image and the text are posted under it with `-image` and
 * `-text`). One per week, not per run: a retried activity, a retried or repeated run, a manual trigger on top of the
 * schedule — the group gets the week's recap once.
 */
export function recapDeliveryKey(chatId: number, week: string): string {
  return `recap-${chatId}-${week}`;
}

/**
 * One cohort week: sync the week's history (plus a day before it for reply context and a little after it for late
 * answers), compute and store its metrics (replacing an earlier run's), write the recap (the no-model digest, or
 * the LLM when one is configured), render the infographic, and deliver: files, or the image and text posted into
 * the group through the account's worker. Without `input.week`, the week is the last one completed in the cohort's
 * zone at the time the run was scheduled for (a Schedule's action time, else the start of the run).
 */
export async function weeklyRecap(input: RecapInput): Promise<RecapResult> {
  const info = workflowInfo();
  const progress: RecapProgress = { phase: 'starting', messages: 0 };
  setHandler(recapProgressQuery, () => progress);
  // Stable across continue-as-new (the first run's id), unique per run otherwise: a rerun re-reads the source.
  const jobId = `recap-${info.firstExecutionRunId}`;
  const { cohort } = input;

  const at = info.typedSearchAttributes.get(SCHEDULED_START) ?? info.startTime;
  // An export is read whole by every extraction anyway: its trend weeks come in the same pass. A live chat reads
  // its one week (more would cost Telegram requests); its earlier weeks come from the store.
  const fromExport = cohort.source.kind === 'export';
  const plan = await steps.planRecapWeek({ zone: cohort.zone, at: at.toISOString(), trend: fromExport, ...(input.week ? { week: input.week } : {}) });
  progress.week = plan.week;

  progress.phase = 'extracting';
  const onWait = showWaits(progress);
  // The week's span bounds the read, live or not. An incremental sync's cursor would skip what an earlier run of the
  // week already read (it lives under that run's id), and would move the cursor `summarize` syncs from.
  const source: JobSource = cohort.source.kind === 'telegram' ? { kind: 'telegram', account: cohort.source.account, chat: cohort.source.chat } : cohort.source;
  // What the export holds (its first and last message), read beside the extraction: weeks outside it are "no data".
  // (Behind a patch: a run started before coverage existed replays without this activity, as a live chat.)
  const exportSpan = fromExport && patched('recap-source-span') ? steps.recapSourceSpan({ source }) : null;
  // Handled here so a failure while the extraction still runs is not an unhandled rejection; awaited below.
  exportSpan?.catch(() => undefined);
  const { history, chat } = await extractChat(
    { jobId, source, since: plan.since, until: plan.until },
    // Pinned to the week: a continued run must not pick another one.
    { workflow: weeklyRecap, args: [{ ...input, week: plan.week }] },
    onWait,
  );

  progress.phase = 'computing';
  // A live chat holds everything from its creation (when known) up to now.
  const span = exportSpan ? await exportSpan : { first: chat.createdAt ?? null, last: null };
  const summarizer = await steps.summarizer();
  const computed = await steps.computeRecapWeek({
    jobId,
    history,
    chat,
    name: cohort.name,
    week: plan.week,
    earlierWeeks: plan.weeks.slice(0, -1),
    span,
    zone: cohort.zone,
    keepWeekHistory: summarizer.kind === 'llm',
    ...(cohort.detectors ? { detectors: cohort.detectors } : {}),
    ...(cohort.botIds ? { botIds: cohort.botIds } : {}),
    ...(cohort.memberCount ? { memberCount: cohort.memberCount } : {}),
  });
  progress.messages = computed.messages;

  const notes: string[] = [];
  if (computed.coverageNote) notes.push(`${plan.week}: ${computed.coverageNote}.`);
  if (computed.storedEarlier.length) notes.push(`Also stored for the trend, from the same source: ${computed.storedEarlier.join(', ')}.`);
  let summaryKey: string | undefined;
  if (summarizer.kind === 'llm' && computed.weekHistory && computed.weekHistory.messages > 0) {
    progress.phase = 'summarizing';
    const llm = await llmSummarize({ jobId, history: computed.weekHistory, chat, prompt: computed.llmPrompt });
    summaryKey = llm.summaryKey;
    const dropped = droppedIdsNote(llm.dropped, 'the week');
    if (dropped) notes.push(dropped);
  }

  progress.phase = 'rendering';
  const rendered = await steps.renderRecap({ chatId: computed.chatId, week: plan.week, chat, ...(summaryKey ? { summaryKey } : {}) });

  progress.phase = 'delivering';
  let files: string[];
  let posted: number[] = [];
  const { delivery } = input;
  if (delivery.kind === 'telegram') {
    const telegram = proxyActivities<Pick<TelegramActivities, 'postToChat'>>({
      taskQueue: accountTaskQueue(info.taskQueue, delivery.account),
      startToCloseTimeout: '10 minutes',
      heartbeatTimeout: HEARTBEAT_TIMEOUT,
      retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE },
    });
    const posts = await steps.recapPosts({ textKey: rendered.textKey });
    const key = recapDeliveryKey(computed.chatId, plan.week);
    // Two deliveries, each idempotent on its own key: `postToChat` posts text before files, the recap leads with the picture.
    const image = await withFloodWaits(() => telegram.postToChat({ chat: delivery.chat, parts: [], files: [{ key: rendered.pngKey, caption: posts.caption }], deliveryKey: `${key}-image` }), onWait);
    const text = posts.parts.length ? await withFloodWaits(() => telegram.postToChat({ chat: delivery.chat, parts: posts.parts, deliveryKey: `${key}-text` }), onWait) : { messageIds: [] };
    posted = [...image.messageIds, ...text.messageIds];
    files = (await steps.recapPaths({ keys: [rendered.pngKey, rendered.markdownKey] })).files;
  } else {
    // The worker writes into its own OUTPUT_DIR; a folder the input names only earns a note.
    const delivered = await steps.deliverRecapFiles({ chatId: computed.chatId, week: plan.week, chat, ...(delivery.dir ? { dir: delivery.dir } : {}) });
    files = delivered.files;
    notes.push(...(delivered.notes ?? []));
  }

  progress.phase = 'done';
  return {
    week: plan.week,
    chatId: computed.chatId,
    chatTitle: chat.title,
    messages: computed.messages,
    demos: computed.demos,
    model: summaryKey ? summarizer.model : 'digest',
    metricsKey: computed.metricsKey,
    pngKey: rendered.pngKey,
    markdownKey: rendered.markdownKey,
    files,
    posted,
    notes,
    coverage: computed.coverage,
  };
}
