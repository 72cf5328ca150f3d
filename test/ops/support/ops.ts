import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../../../src/activities';
import { createGeneralWorker } from '../../../src/workers/general-worker';
import { quietSdkLogs } from '../../support/temporal-test-env';

const ROOT = resolve(__dirname, '../../..');

/** A process whose output a test reads while it runs: the CLI waiting on a run, a worker starting. */
export interface LiveProcess {
  child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves with the output once `pattern` appears in stdout or stderr; rejects after `timeoutMs` or on exit. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** The exit code (null on a signal), once the process has ended. */
  exited: Promise<number | null>;
}

/** Starts a tgpulse entry point (`src/starters/cli/main.ts` by default) with a clean environment plus `env`. */
export function spawnLive(args: string[], env: Record<string, string>, entry = 'src/starters/cli/main.ts', cwd = ROOT): LiveProcess {
  const child = spawn(process.execPath, ['-r', require.resolve('tsx/cjs'), join(ROOT, entry), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());
  child.stdout!.on('data', (d: Buffer) => ((stdout += d.toString()), changed()));
  child.stderr!.on('data', (d: Buffer) => ((stderr += d.toString()), changed()));
  const exited = new Promise<number | null>((r) => child.once('close', (code) => (changed(), r(code))));
  let closed = false;
  void exited.then(() => (closed = true));
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    waitFor(pattern, timeoutMs = 90_000) {
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          const all = `${stdout}\n${stderr}`;
          if (pattern.test(all)) return done(() => resolvePromise(all));
          if (closed) done(() => reject(new Error(`exited before ${pattern}; stdout:\n${stdout}\nstderr:\n${stderr}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`))), timeoutMs);
        const done = (fn: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          fn();
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** A general worker on a task queue the test names (so it can come after the CLI), on the given server. */
export async function startQueueWorker(address: string, taskQueue: string, deps: ActivityDeps): Promise<{ worker: Worker; stop(): Promise<void> }> {
  quietSdkLogs();
  const connection = await NativeConnection.connect({ address });
  const bundlePath = process.env.TGPULSE_TEST_WORKFLOW_BUNDLE;
  const worker = await createGeneralWorker({ connection, namespace: 'default', taskQueue, deps, ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : {}) });
  const running = worker.run();
  return {
    worker,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** A client on the given server. */
export async function testClient(address: string): Promise<Client> {
  return new Client({ connection: await Connection.connect({ address }), namespace: 'default' });
}

/** Polls `probe` until it returns something, or fails after `timeoutMs` naming `what`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}`);
}
