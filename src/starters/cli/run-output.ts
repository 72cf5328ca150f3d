import { readFileSync } from 'node:fs';
import type { WorkflowHandle } from '@temporalio/client';
import { markdownToTerminal } from '../../deliver';
import { accountTaskQueue, type JobProgress, type JobResult } from '../../domain';
import { livePollers, noWorkerLine, waitForRun, type TemporalService } from '../../temporal';
import { readProgress } from '../jobs';
import type { summarizeChat } from '../../workflows';
import { progressView } from './progress-view';

/**
 * Waits for any run with a progress view on stderr, saying within seconds what holds it up (no worker on its queue
 * or its account, a step retrying and why) and riding out a Temporal restart with one line instead of a stack.
 */
export async function watchAnyRun<T>(handle: WorkflowHandle, unit: string, stream: NodeJS.WriteStream = process.stderr): Promise<T> {
  const view = progressView(stream, unit);
  let troubled = false;
  let lastSeen: string | undefined;
  const resolved = () => {
    if (troubled) stream.write('  resolved: the run is moving again\n');
    troubled = false;
  };
  try {
    const result = await waitForRun<T, JobProgress>(handle, {
      readProgress,
      onProgress: (p) => {
        // New progress after a waiting line is the run moving again, even before the next health reading says so.
        const seen = JSON.stringify(p);
        if (seen !== lastSeen) resolved();
        lastSeen = seen;
        view.update(p);
      },
      onHealth: (health) => {
        if (health.lines.length === 0) return resolved();
        for (const line of health.lines) stream.write(`  waiting: ${line}\n`);
        troubled = true;
      },
      onUnreachable: () => stream.write(`  Temporal unreachable, retrying… (the run itself is kept by the server; Ctrl-C stops only this wait)\n`),
      onReachable: () => stream.write('  Temporal is reachable again; still waiting\n'),
    });
    resolved();
    return result;
  } finally {
    view.stop();
  }
}

/** Waits for a summarize run with a progress view on stderr. */
export function watchRun(handle: WorkflowHandle<typeof summarizeChat>): Promise<JobResult> {
  // The count is of history entries (messages and service notices), not the summary's message count.
  return watchAnyRun<JobResult>(handle, 'entries');
}

/**
 * Before a start: says at once when no worker polls the queue a run would wait on (the general queue, and the
 * queue of the account it reads or posts with). The run is started anyway: a worker started later picks it up.
 */
export async function warnIfNoWorker(client: TemporalService, taskQueue: string, account?: string, stream: NodeJS.WriteStream = process.stderr): Promise<void> {
  const queues: Array<[string, 'workflow' | 'activity']> = [[taskQueue, 'workflow']];
  if (account) queues.push([accountTaskQueue(taskQueue, account), 'activity']);
  for (const [queue, type] of queues) {
    if ((await livePollers(client, queue, type)).length === 0) stream.write(`warning: ${noWorkerLine(taskQueue, queue)}; the run waits until one does\n`);
  }
}

/** Prints a run's Markdown file as plain terminal text (the file itself keeps its Markdown). */
export function printMarkdownFile(files: readonly string[]): void {
  const markdown = files.find((f) => f.endsWith('.md'));
  if (!markdown) return;
  try {
    process.stdout.write(`\n${markdownToTerminal(readFileSync(markdown, 'utf8'))}\n`);
  } catch {
    // The worker may run on another machine: the paths printed after it still say where the files are.
  }
}

/** Prints a finished run: the summary itself, then where its files are. */
export function printResult(result: JobResult): void {
  printMarkdownFile(result.files);
  for (const note of result.notes) process.stdout.write(`note: ${note}\n`);
  if (result.usage) {
    const u = result.usage;
    const cost = u.costUsd !== undefined ? `, $${u.costUsd.toFixed(4)}` : '';
    process.stdout.write(`LLM: ${u.calls} calls, ${u.promptTokens} prompt + ${u.completionTokens} completion tokens${cost}\n`);
  }
  process.stdout.write(`${readCount(result)} (${result.model === 'digest' ? 'no-model digest' : result.model}). Files:\n${result.files.map((f) => `  ${f}`).join('\n')}\n`);
}

/**
 * What the run read, in the summary's own terms. A run reads history entries: messages and service notices (joins,
 * leaves, pins; entries Telegram Desktop could not export are skipped). The summary counts messages only, so the
 * total is split the same way when the summary's JSON file can be read; otherwise it is named for what it is.
 */
function readCount(result: JobResult): string {
  const json = result.files.find((f) => f.endsWith('.json'));
  let messages: number | undefined;
  try {
    if (json) messages = (JSON.parse(readFileSync(json, 'utf8')) as { stats?: { messages?: unknown } }).stats?.messages as number | undefined;
  } catch {
    // On another machine, or not a summary: the plain total below.
  }
  if (typeof messages !== 'number' || messages > result.messages) return `${result.messages} history entries read (messages and service notices)`;
  const notices = result.messages - messages;
  return `${messages} messages${notices ? ` and ${notices} service notice${notices === 1 ? '' : 's'} (joins, leaves, pins)` : ''} read`;
}
