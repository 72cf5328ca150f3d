import { readFileSync } from 'node:fs';
import type { WorkflowHandle } from '@temporalio/client';
import { markdownToTerminal } from '../../deliver';
import type { JobResult } from '../../domain';
import { waitForResult } from '../jobs';
import type { summarizeChat } from '../../workflows';
import { progressView } from './progress-view';

/** Waits for a run with a progress view on stderr. */
export async function watchRun(handle: WorkflowHandle<typeof summarizeChat>): Promise<JobResult> {
  const view = progressView();
  try {
    return await waitForResult(handle, (p) => view.update(p));
  } finally {
    view.stop();
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
  process.stdout.write(`${result.messages} messages read (${result.model === 'digest' ? 'no-model digest' : result.model}). Files:\n${result.files.map((f) => `  ${f}`).join('\n')}\n`);
}
