import { Context } from '@temporalio/activity';
import { NativeConnection } from '@temporalio/worker';
import { LocalArtifactStore, type ArtifactStore } from '../../../src/store';
import { createGeneralWorker, openJobSource } from '../../../src/workers';

/**
 * A general worker (as `src/workers/main.ts` builds it) whose artifact store is slow on the first attempt of a step:
 * a `get` of a key matching STALL_KEYS waits STALL_MS, as a slow disk or bucket would, while the step heartbeats.
 * Later attempts wait STALL_RETRY_MS. A test kills this process with SIGKILL in the middle of that wait. Sends "ready" over IPC once it polls.
 */
async function main(): Promise<void> {
  const env = (name: string) => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set`);
    return v;
  };
  const stall = new RegExp(env('STALL_KEYS'));
  const stallMs = Number(env('STALL_MS'));
  const real = new LocalArtifactStore(env('DATA_DIR'));
  const store: ArtifactStore = Object.assign(Object.create(real) as LocalArtifactStore, {
    async get(key: string) {
      // The retry is slowed a little too (STALL_RETRY_MS), so a test can see it running and why the first attempt failed.
      if (stall.test(key)) await new Promise((r) => setTimeout(r, Context.current().info.attempt === 1 ? stallMs : Number(process.env.STALL_RETRY_MS ?? 0)));
      return real.get(key);
    },
  });
  const connection = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
  const bundlePath = process.env.TGPULSE_TEST_WORKFLOW_BUNDLE;
  const worker = await createGeneralWorker({
    connection,
    namespace: 'default',
    taskQueue: env('TEMPORAL_TASK_QUEUE'),
    deps: { store, outputDir: env('OUTPUT_DIR'), openSource: openJobSource, llm: null },
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : {}),
  });
  await worker.runUntil(async () => {
    process.send?.('ready');
    await new Promise(() => undefined);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
