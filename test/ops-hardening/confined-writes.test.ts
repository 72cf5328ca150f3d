import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exportFilePath } from '../../src/activities/telegram';
import type { JobInput, JobResult } from '../../src/domain';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { startTestWorker, type TestWorker } from '../support/worker';
import { uniqueName } from '../support/stack';

const SAMPLE = resolve(__dirname, '../../samples/cohort-export/result.json');

/** Every file and folder under `root` with its permission bits. */
function modes(root: string): Array<{ path: string; dir: boolean; mode: number }> {
  const out: Array<{ path: string; dir: boolean; mode: number }> = [{ path: root, dir: true, mode: statSync(root).mode & 0o777 }];
  for (const e of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const path = join(e.parentPath, e.name);
    out.push({ path, dir: e.isDirectory(), mode: statSync(path).mode & 0o777 });
  }
  return out;
}

describe('workers write only into their own folders', () => {
  let dir: string;
  let tw: TestWorker;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tgpulse-confined-'));
    tw = await startTestWorker({ store: new LocalArtifactStore(join(dir, 'data')), outputDir: join(dir, 'out'), openSource: openJobSource, llm: null });
  });
  afterAll(async () => {
    await tw?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (input: unknown, workflowId = uniqueName('confined')) =>
    tw.client.workflow.start('summarizeChat', { taskQueue: tw.taskQueue, workflowId, args: [input], workflowExecutionTimeout: '2 minutes' });

  test('a client naming an output folder (absolute or with ..) gets the files in OUTPUT_DIR and a note saying so', async () => {
    const elsewhere = join(dir, 'elsewhere');
    for (const named of [elsewhere, '../../escape']) {
      const input: JobInput = { source: { kind: 'export', path: SAMPLE }, delivery: { kind: 'files', dir: named } };
      const result = (await (await start(input)).result()) as JobResult;
      for (const f of result.files) {
        expect(f.startsWith(join(dir, 'out') + '/')).toBe(true);
        expect(existsSync(f)).toBe(true);
      }
      expect(result.notes.join('\n')).toContain(`named the folder ${JSON.stringify(named)}`);
      expect(result.notes.join('\n')).toContain(join(dir, 'out'));
    }
    expect(existsSync(elsewhere)).toBe(false);
    expect(existsSync(resolve(process.cwd(), '../../escape'))).toBe(false);
  });

  test('a run id that would climb out of the data folder is refused with a clear error and writes nothing', async () => {
    const handle = await start({ source: { kind: 'export', path: SAMPLE }, delivery: { kind: 'files' } }, `../../${uniqueName('escape')}`);
    const err = await handle.result().then(() => undefined, (e: unknown) => e);
    // The run's failure names the cause, wherever Temporal's wrappers put it.
    const messages: string[] = [];
    for (let e = err as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) messages.push(e.message ?? '');
    expect(messages.join(' | ')).toContain('invalid artifact key');
    expect(readdirSync(dir).sort()).toEqual(['data', 'out']);
  });

  test('chat data on disk is its owner\'s only: files 0600, folders 0700', async () => {
    const result = (await (await start({ source: { kind: 'export', path: SAMPLE }, delivery: { kind: 'files' } })).result()) as JobResult;
    expect(result.files.length).toBe(2);
    const all = [...modes(join(dir, 'data')), ...modes(join(dir, 'out'))];
    expect(all.filter((e) => !e.dir).length).toBeGreaterThan(4);
    const open = all.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600)).map((e) => `${e.path} ${e.mode.toString(8)}`);
    expect(open).toEqual([]);
  });

  test('an export file is written only inside OUTPUT_DIR: a bare name goes there, any other folder is refused', () => {
    const out = join(dir, 'out');
    expect(exportFilePath(out, 'members.csv')).toBe(join(out, 'members.csv'));
    expect(exportFilePath(out, join(out, 'members.csv'))).toBe(join(out, 'members.csv'));
    for (const bad of ['/etc/cron.d/x', '../members.csv', 'sub/members.csv', join(out, '..', 'x.csv'), out, '..', '.']) {
      expect(() => exportFilePath(out, bad)).toThrow(/outside this worker's output folder/);
    }
  });
});
