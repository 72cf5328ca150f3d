import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort } from '../../src/devstack';
import { exited, spawnWorker } from '../support/child-worker';
import { testStack, uniqueName } from '../support/stack';

jest.setTimeout(180_000);

let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited(child);
  }
  child = undefined;
});

/** GETs /metrics until `done` accepts its text; fails with the worker's log when the deadline passes. */
async function scrapeUntil(port: number, logName: string, done: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + 150_000;
  let last = '';
  while (Date.now() < deadline) {
    if (child?.exitCode !== null && child?.exitCode !== undefined) break;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      last = await res.text();
      if (res.ok && done(last)) return last;
    } catch {
      // not listening yet: the worker bundles its workflows first
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const log = readFileSync(join(testStack().logDir, `${logName}.log`), 'utf8');
  throw new Error(`no such /metrics before the deadline; last scrape:\n${last.slice(0, 2000)}\nworker log:\n${log}`);
}

test("a running worker's /metrics shows the Temporal SDK runtime's series beside our own", async () => {
  const port = await freePort();
  const logName = uniqueName('runtime-metrics-worker');
  child = spawnWorker({ METRICS_PORT: String(port), TEMPORAL_TASK_QUEUE: uniqueName('runtime-metrics'), DATA_DIR: join(testStack().logDir, logName) }, logName);

  const text = await scrapeUntil(port, logName, (t) => /^temporal_worker_task_slots_available\{/m.test(t));

  // The SDK's worker and poller series, labelled with this worker's task queue, in Prometheus naming.
  expect(text).toMatch(/^temporal_worker_task_slots_available\{[^}]*worker_type="WorkflowWorker"[^}]*\} \d+/m);
  expect(text).toMatch(/^temporal_worker_task_slots_available\{[^}]*worker_type="ActivityWorker"[^}]*\} \d+/m);
  expect(text).toMatch(/^temporal_num_pollers\{[^}]*poller_type="workflow_task"[^}]*\} \d+/m);
  // Our own registry is still there, and says the SDK source was read.
  expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
  expect(text).toMatch(/^metrics_source_up\{source="temporal_sdk"\} 1$/m);
  // One exposition: no series is declared twice (a scraper rejects duplicate TYPE lines).
  const types = text.split('\n').filter((l) => l.startsWith('# TYPE '));
  expect(new Set(types).size).toBe(types.length);
});
