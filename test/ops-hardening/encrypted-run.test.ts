import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { CodecKeyError } from '../../src/codec';
import { startSummarize } from '../../src/starters/jobs';
import { LocalArtifactStore } from '../../src/store';
import { dataConverterFromConfig, decodePayload } from '../../src/temporal';
import { createGeneralWorker, openJobSource } from '../../src/workers';
import type { JobResult } from '../../src/domain';
import { testStack, uniqueName } from '../support/stack';
import { quietSdkLogs } from '../support/temporal-test-env';

const SAMPLE = resolve(__dirname, '../../samples/cohort-export/result.json');
const TITLE = 'Build Cohort #7';
const PROMPT = 'Which blockers about the OAuth callback are still open?';

describe('a run with payload encryption on', () => {
  const keys = { k1: randomBytes(32).toString('base64'), k2: randomBytes(32).toString('base64') };
  const config = { TEMPORAL_CODEC_KEYS: `k1:${keys.k1}` };
  let dir: string;
  let connection: Connection;
  let native: NativeConnection;
  const workers: Array<{ worker: Worker; running: Promise<void> }> = [];

  const client = (codecKeys?: string) => {
    const dataConverter = codecKeys ? dataConverterFromConfig({ TEMPORAL_CODEC_KEYS: codecKeys }) : undefined;
    return new Client({ connection, namespace: 'default', ...(dataConverter ? { dataConverter } : {}) });
  };
  const startWorker = async (codecKeys: string | undefined) => {
    const taskQueue = uniqueName('tq');
    const dataConverter = codecKeys ? dataConverterFromConfig({ TEMPORAL_CODEC_KEYS: codecKeys }) : undefined;
    const bundlePath = process.env.TGPULSE_TEST_WORKFLOW_BUNDLE;
    const worker = await createGeneralWorker({
      connection: native,
      namespace: 'default',
      taskQueue,
      deps: { store: new LocalArtifactStore(join(dir, 'data')), outputDir: join(dir, 'out'), openSource: openJobSource, llm: null },
      ...(dataConverter ? { dataConverter } : {}),
      ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : {}),
    });
    workers.push({ worker, running: worker.run() });
    return taskQueue;
  };
  const historyBytes = async (c: Client, workflowId: string) => Buffer.from(temporal.api.history.v1.History.encode(await c.workflow.getHandle(workflowId).fetchHistory()).finish());

  beforeAll(async () => {
    quietSdkLogs();
    dir = mkdtempSync(join(tmpdir(), 'tgpulse-codec-'));
    connection = await Connection.connect({ address: testStack().temporalAddress });
    native = await NativeConnection.connect({ address: testStack().temporalAddress });
  });
  afterAll(async () => {
    for (const w of workers) w.worker.shutdown();
    await Promise.all(workers.map((w) => w.running));
    await native?.close();
    await connection?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('history read without the codec holds no chat title and no prompt; with the codec the run reads as usual', async () => {
    const input = { source: { kind: 'export' as const, path: SAMPLE }, prompt: PROMPT, delivery: { kind: 'files' as const } };
    // The control: the same run without encryption shows both in its history, so the search below can fail.
    const plainQueue = await startWorker(undefined);
    const plainRun = await startSummarize(client(), { TEMPORAL_TASK_QUEUE: plainQueue }, input, 'plain');
    await plainRun.result();
    const plainHistory = await historyBytes(client(), plainRun.workflowId);
    expect(plainHistory.includes(TITLE)).toBe(true);
    expect(plainHistory.includes(PROMPT)).toBe(true);

    const queue = await startWorker(config.TEMPORAL_CODEC_KEYS);
    const handle = await startSummarize(client(config.TEMPORAL_CODEC_KEYS), { TEMPORAL_TASK_QUEUE: queue }, input, 'secret');
    const result = await handle.result();
    expect(result.chat.title).toBe(TITLE);
    expect(result.files.length).toBe(2);

    const sealed = await historyBytes(client(), handle.workflowId);
    expect(sealed.includes(TITLE)).toBe(false);
    expect(sealed.includes(PROMPT)).toBe(false);
    expect(sealed.includes('binary/encrypted')).toBe(true);

    // A plain client sees only encrypted payloads; the codec reads them.
    const history = await client().workflow.getHandle(handle.workflowId).fetchHistory();
    const started = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const withCodec = client(config.TEMPORAL_CODEC_KEYS);
    expect(await decodePayload<{ prompt: string }>(withCodec, started)).toMatchObject({ prompt: PROMPT });
    await expect(client().workflow.getHandle<() => Promise<JobResult>>(handle.workflowId).result()).rejects.toThrow();

    // After a rotation the old runs still read; with the old key dropped they fail naming it.
    expect(await decodePayload<{ prompt: string }>(client(`k2:${keys.k2},k1:${keys.k1}`), started)).toMatchObject({ prompt: PROMPT });
    const rotatedOut = decodePayload(client(`k2:${keys.k2}`), started);
    await expect(rotatedOut).rejects.toThrow(CodecKeyError);
    await expect(decodePayload(client(`k2:${keys.k2}`), started)).rejects.toThrow(/key "k1", which is not among TEMPORAL_CODEC_KEYS/);
  });
});
