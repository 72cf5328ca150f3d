import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { startExport } from '../../src/starters/export-jobs';
import { parseJobInput, startSummarize } from '../../src/starters/jobs';
import { LocalArtifactStore } from '../../src/store';
import { RUN_SEARCH_ATTRIBUTES } from '../../src/temporal';
import { openJobSource } from '../../src/workers';
import { runCli } from '../support/cli';
import { testStack, uniqueName } from '../support/stack';
import { eventually, startQueueWorker, testClient } from './support/ops';

jest.setTimeout(180_000);

const SAMPLE = resolve(__dirname, '../../samples/cohort-export/result.json');

let dir: string;
let client: Client;
let env: Record<string, string>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-find-'));
  client = await testClient(testStack().temporalAddress);
  env = { TEMPORAL_ADDRESS: testStack().temporalAddress, TEMPORAL_UI_URL: 'http://127.0.0.1:8233' };
});
afterAll(async () => {
  await client?.connection.close();
  rmSync(dir, { recursive: true, force: true });
});

test('runs carry their chat, account and kind, a summary for the Web UI, and runs --chat/--kind/--status find them', async () => {
  const queue = uniqueName('nobody');
  const chat = uniqueName('Cohort');
  const summary = await startSummarize(client, { TEMPORAL_TASK_QUEUE: queue }, parseJobInput({ source: { kind: 'export', path: SAMPLE, chat }, delivery: { kind: 'files', dir: join(dir, 'out') } }), chat);
  const exported = await startExport(client, queue, 'members', { account: 'acct1', chat: `@${chat.toLowerCase().replace(/-/g, '_')}`, path: join(dir, 'members.csv') });
  const other = await startSummarize(client, { TEMPORAL_TASK_QUEUE: queue }, parseJobInput({ source: { kind: 'export', path: SAMPLE }, delivery: { kind: 'files', dir: join(dir, 'out') } }), uniqueName('elsewhere'));
  try {
    const d = await summary.describe();
    expect(d.typedSearchAttributes.get(RUN_SEARCH_ATTRIBUTES.chat)).toBe(chat);
    expect(d.typedSearchAttributes.get(RUN_SEARCH_ATTRIBUTES.kind)).toBe('summarize');
    expect(await d.staticSummary()).toBe(`Summarize "${chat}" from an export → files in ${join(dir, 'out')}`);
    expect(await d.staticDetails()).toContain(`- **Reads:** the export ${SAMPLE}`);
    const e = await exported.describe();
    expect(e.typedSearchAttributes.get(RUN_SEARCH_ATTRIBUTES.account)).toBe('acct1');
    expect(e.typedSearchAttributes.get(RUN_SEARCH_ATTRIBUTES.kind)).toBe('export-members');

    // The list is eventually consistent: wait until the server's visibility has the runs.
    const byChat = await eventually('runs --chat', async () => {
      const r = await runCli(['runs', '--chat', chat], env, dir);
      return r.stdout.includes(summary.workflowId) ? r : undefined;
    });
    expect(byChat.code).toBe(0);
    const lines = byChat.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STARTED\s+STATUS\s+TOOK\s+KIND\s+CHAT\s+RUN$/);
    expect(lines[1]).toMatch(new RegExp(`^\\S+Z\\s+RUNNING\\s+summarize\\s+${chat}\\s+${summary.workflowId}$`));
    expect(lines[2]).toBe(`    http://127.0.0.1:8233/namespaces/default/workflows/${summary.workflowId}/${summary.firstExecutionRunId}/history`);
    expect(byChat.stdout).not.toContain(other.workflowId);

    const byKind = await eventually('runs --kind export-members', async () => {
      const r = await runCli(['runs', '--kind', 'export-members', '--limit', '200'], env, dir);
      return r.stdout.includes(exported.workflowId) ? r : undefined;
    });
    expect(byKind.stdout).not.toContain(summary.workflowId);
    expect(byKind.stdout).toMatch(new RegExp(`RUNNING\\s+export-members\\s+@\\S+\\s+${exported.workflowId}`));

    await other.terminate('test over');
    const byStatus = await eventually('runs --status terminated', async () => {
      const r = await runCli(['runs', '--status', 'terminated', '--limit', '200'], env, dir);
      return r.stdout.includes(other.workflowId) ? r : undefined;
    });
    expect(byStatus.stdout).not.toContain(summary.workflowId);

    const none = await runCli(['runs', '--chat', uniqueName('no-such-chat')], env, dir);
    expect({ code: none.code, stdout: none.stdout }).toEqual({ code: 0, stdout: 'no runs match these filters\n' });
    const badKind = await runCli(['runs', '--kind', 'sumarize'], env, dir);
    expect(badKind.code).not.toBe(0);
    expect(badKind.stderr).toMatch(/Allowed choices are summarize, recap, export-members, export-messages, conversation/);
  } finally {
    for (const h of [summary, exported, other]) await h.terminate('test over').catch(() => undefined);
  }
});

test('result prints a link that names the run id (a link without it opens a 400 page in the Web UI), and what holds the run up', async () => {
  const queue = uniqueName('nobody');
  const handle = await startSummarize(client, { TEMPORAL_TASK_QUEUE: queue }, parseJobInput({ source: { kind: 'export', path: SAMPLE }, delivery: { kind: 'files', dir: join(dir, 'out') } }), 'cohort');
  try {
    const r = await runCli(['result', handle.workflowId], env, dir);
    expect(r.stdout).toContain(`Web UI: http://127.0.0.1:8233/namespaces/default/workflows/${handle.workflowId}/${handle.firstExecutionRunId}/history\n`);
    expect(r.stdout).toContain(`waiting: no worker polls task queue ${queue}: start one with \`npm run worker\``);
  } finally {
    await handle.terminate('test over');
  }
});

test('a failed run ends with its real cause, which the Web UI shows as its top line and the CLI prints', async () => {
  const queue = uniqueName('fail');
  const worker = await startQueueWorker(testStack().temporalAddress, queue, { store: new LocalArtifactStore(join(dir, 'data')), outputDir: join(dir, 'out'), openSource: openJobSource, llm: null });
  try {
    // An export that went missing after the CLI checked it: the run itself finds out.
    const missing = join(dir, 'gone', 'result.json');
    const handle = await startSummarize(client, { TEMPORAL_TASK_QUEUE: queue }, parseJobInput({ source: { kind: 'export', path: missing }, delivery: { kind: 'files', dir: join(dir, 'out') } }), 'gone');
    await expect(handle.result()).rejects.toThrow();
    const { events } = await handle.fetchHistory();
    const failure = events?.at(-1)?.workflowExecutionFailedEventAttributes?.failure;
    expect(failure?.message).toContain(missing);
    expect(failure?.message).not.toMatch(/Activity task failed/);
    // Below it, the step's own failure; which step it was is in the history's events.
    expect(failure?.cause?.message).toContain(missing);
    const step = events?.find((e) => e.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes?.failure;
    expect(step?.message).toContain(missing);
    const r = await runCli(['result', handle.workflowId], env, dir);
    expect(r.stderr).toContain(`error: the run failed: `);
    expect(r.stderr).toContain(missing);
  } finally {
    await worker.stop();
  }
});
