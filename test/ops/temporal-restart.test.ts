import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startTemporal, type TemporalDevServer } from '../../src/devstack';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { uniqueName } from '../support/stack';
import { spawnLive, startQueueWorker } from './support/ops';

jest.setTimeout(300_000);

const SAMPLE = resolve(__dirname, '../../samples/cohort-export/result.json');

let dir: string;
let server: TemporalDevServer | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-restart-'));
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('Temporal restarts under a waiting CLI: one "unreachable, retrying" line, then the run finishes; no stack trace', async () => {
  // A dev server of this test's own, on its own ports and SQLite file, so it can stop and come back with its runs.
  const dbFile = join(dir, 'temporal.db');
  const port = await freePort();
  server = await startTemporal({ logDir: dir, dbFile, port });
  const taskQueue = uniqueName('restart');
  const cli = spawnLive(['summarize', '--export', SAMPLE], { TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: taskQueue, OUTPUT_DIR: join(dir, 'out') }, undefined, dir);
  try {
    const started = await cli.waitFor(/started (summarize-\S+)/);
    const runId = /started (summarize-\S+)/.exec(started)![1];
    await cli.waitFor(/waiting: no worker polls task queue/);

    await server.stop();
    await cli.waitFor(/Temporal unreachable, retrying…/);
    server = await startTemporal({ logDir: dir, dbFile, port });
    await cli.waitFor(/Temporal is reachable again; still waiting/, 180_000);

    // The run survived the restart: a worker started now finishes it, and the waiting CLI prints it.
    const worker = await startQueueWorker(server.address, taskQueue, { store: new LocalArtifactStore(join(dir, 'data')), outputDir: join(dir, 'out'), openSource: openJobSource, llm: null });
    try {
      expect(await cli.exited).toBe(0);
    } finally {
      await worker.stop();
    }
    expect(cli.stdout).toContain(`started ${runId}`);
    expect(cli.stdout).toMatch(/## Most active members/);
    expect(cli.stderr.match(/Temporal unreachable, retrying…/g)).toHaveLength(1);
    expect(cli.stderr).not.toMatch(/\n\s+at /);
  } finally {
    cli.child.kill('SIGKILL');
  }
});
