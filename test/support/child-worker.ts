import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { testStack } from './stack';

const ROOT = resolve(__dirname, '../..');

/** Runs the real worker entry point (`src/workers/main.ts`) as its own OS process, so a test can SIGKILL it. */
export function spawnWorker(env: Record<string, string>, logName: string): ChildProcess {
  const { temporalAddress, logDir } = testStack();
  const log = openSync(join(logDir, `${logName}.log`), 'a');
  return spawn(process.execPath, ['-r', 'tsx/cjs', join(ROOT, 'src/workers/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, TEMPORAL_ADDRESS: temporalAddress, REDIS_URL: testStack().redisUrl, METRICS_PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', log, log],
  });
}

/** Resolves when the process has exited. */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}
