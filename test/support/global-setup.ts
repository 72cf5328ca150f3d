import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startRedis, startTemporal } from '../../src/devstack';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../src/temporal';
import { startPiltover, type PiltoverInfo } from './piltover';
import { STACK_FILE } from './stack';

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * Starts one real redis-server, one real Temporal dev server and one piltover (a real MTProto Telegram server,
 * TGPULSE_TEST_PILTOVER names its JSON) for the whole run. Suites read their addresses
 * from the environment (TGPULSE_TEST_REDIS_URL, TGPULSE_TEST_TEMPORAL_ADDRESS) and isolate themselves with random
 * key prefixes and task queues. The workflows are bundled once here; a suite whose workflows do not bundle fails
 * on its own (the worker bundles them again and reports why) instead of failing the whole run.
 */

export default async function globalSetup(): Promise<void> {
  const logDir = join(tmpdir(), `tgpulse-test-${process.pid}`);
  mkdirSync(logDir, { recursive: true });
  const bundlePath = join(logDir, 'workflow-bundle.js');
  const piltoverFile = join(logDir, 'piltover.json');
  const [redis, temporal, piltover, bundle] = await Promise.all([
    startRedis({ logDir }),
    startTemporal({ logDir }),
    // One real MTProto server for the run's real-server suites. A kit that is missing or fails fails those suites
    // (with its reason), not the whole run.
    startPiltover({ stateDir: join(logDir, 'piltover') }).catch((err: unknown) => ({ error: (err as Error).message })),
    // Bundling the workflows takes seconds: do it once for every suite.
    bundleWorkflowCode({ workflowsPath: join(__dirname, '../../src/workflows'), workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES, logger: quietLogger }).catch(() => null),
  ]);
  if (bundle) {
    writeFileSync(bundlePath, bundle.code);
    process.env.TGPULSE_TEST_WORKFLOW_BUNDLE = bundlePath;
  }
  process.env.TGPULSE_TEST_REDIS_URL = `redis://127.0.0.1:${redis.port}`;
  process.env.TGPULSE_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TGPULSE_TEST_LOG_DIR = logDir;
  writeFileSync(piltoverFile, JSON.stringify(piltover));
  process.env.TGPULSE_TEST_PILTOVER = piltoverFile;
  const piltoverPid = 'pid' in piltover ? [piltover.pid] : [];
  writeFileSync(STACK_FILE, JSON.stringify({ pids: [redis.pid, temporal.pid, ...piltoverPid], logDir }));
  (globalThis as Record<string, unknown>).__tgpulseStack = [redis, temporal];
  (globalThis as Record<string, unknown>).__tgpulsePiltover = 'pid' in piltover ? (piltover as PiltoverInfo) : undefined;
}
