import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { confineJobSource } from '../../src/activities/export-source';
import type { JobInput, JobResult } from '../../src/domain';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { uniqueName } from '../support/stack';
import { startTestWorker, type TestWorker } from '../support/worker';

/**
 * With EXPORTS_DIR set, a worker reads Telegram Desktop exports only from under it: a run's input cannot make it
 * read a file of its choosing. The refusal is one line naming the setting, and nothing is read.
 */

const SAMPLE = resolve(__dirname, '../../samples/cohort-export/result.json');

let dir: string;
let exportsDir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-confined-reads-'));
  exportsDir = join(dir, 'exports');
  mkdirSync(join(exportsDir, 'cohort'), { recursive: true });
  copyFileSync(SAMPLE, join(exportsDir, 'cohort', 'result.json'));
  mkdirSync(join(dir, 'secrets'));
  writeFileSync(join(dir, 'secrets', 'result.json'), '{"name":"not yours","type":"private_group","id":1,"messages":[]}');
  // A link inside the folder that points out of it.
  symlinkSync(join(dir, 'secrets'), join(exportsDir, 'escape'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('confineJobSource', () => {
  const exp = (path: string) => ({ kind: 'export' as const, path });

  test('an export under EXPORTS_DIR is read from its real path', async () => {
    await expect(confineJobSource(exp(join(exportsDir, 'cohort', 'result.json')), exportsDir)).resolves.toEqual(exp(join(exportsDir, 'cohort', 'result.json')));
    await expect(confineJobSource(exp(join(exportsDir, 'cohort')), exportsDir)).resolves.toEqual(exp(join(exportsDir, 'cohort')));
  });

  test.each([
    ['a path elsewhere', () => join(dir, 'secrets', 'result.json')],
    ['a path that climbs out with ..', () => join(exportsDir, '..', 'secrets', 'result.json')],
    ['a symlink inside that points out', () => join(exportsDir, 'escape', 'result.json')],
    ['a path that does not exist, elsewhere', () => join(dir, 'nowhere', 'result.json')],
  ])('%s is refused, naming EXPORTS_DIR', async (_, path) => {
    await expect(confineJobSource(exp(path()), exportsDir)).rejects.toThrow(/is outside this worker's EXPORTS_DIR/);
  });

  test('without EXPORTS_DIR any path goes (one user on one machine); a live chat is never touched', async () => {
    await expect(confineJobSource(exp(join(dir, 'secrets', 'result.json')), undefined)).resolves.toEqual(exp(join(dir, 'secrets', 'result.json')));
    const live = { kind: 'telegram' as const, account: 'pulse', chat: '@cohort' };
    await expect(confineJobSource(live, exportsDir)).resolves.toBe(live);
  });
});

describe('a worker with EXPORTS_DIR', () => {
  let tw: TestWorker;
  beforeAll(async () => {
    tw = await startTestWorker({ store: new LocalArtifactStore(join(dir, 'data')), outputDir: join(dir, 'out'), exportsDir, openSource: openJobSource, llm: null });
  });
  afterAll(() => tw?.stop());

  const run = (path: string) =>
    tw.client.workflow.start('summarizeChat', { taskQueue: tw.taskQueue, workflowId: uniqueName('reads'), args: [{ source: { kind: 'export', path }, delivery: { kind: 'files' } } satisfies JobInput], workflowExecutionTimeout: '2 minutes' });

  test('summarizes an export under it', async () => {
    const result = (await (await run(join(exportsDir, 'cohort', 'result.json'))).result()) as JobResult;
    expect(result.chat.title).toBe('Build Cohort #7');
  });

  test('fails a run naming an export outside it, with the reason, and reads nothing of it', async () => {
    const err = await (await run(join(dir, 'secrets', 'result.json'))).result().then(() => undefined, (e: unknown) => e);
    const messages: string[] = [];
    for (let e = err as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) messages.push(e.message ?? '');
    expect(messages.join(' | ')).toContain(`The export ${join(dir, 'secrets', 'result.json')} is outside this worker's EXPORTS_DIR`);
    expect(messages.join(' | ')).not.toContain('not yours');
  });
});
