/**
 * Workflow overhead of summarizeChat: wall time for an empty chat (the cost of Temporal itself: scheduling three
 * activities and their round trips), and history event counts for 1k and 100k messages (constant, because message
 * data never enters the workflow).
 *
 *   npx tsx bench/workflow/overhead.ts [--runs 20]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startTemporal } from '../../src/devstack';
import type { JobInput } from '../../src/domain';
import { startSummarize } from '../../src/starters/jobs';
import { LocalArtifactStore } from '../../src/store';
import { createGeneralWorker, openJobSource } from '../../src/workers';
import { writeExport } from '../../test/support/export-generator';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 20;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dir = mkdtempSync(join(tmpdir(), 'tgpulse-bench-wf-'));
  mkdirSync(join(dir, 'logs'));
  const temporal = await startTemporal({ logDir: join(dir, 'logs') });
  const native = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const taskQueue = 'bench-overhead';
  const worker = await createGeneralWorker({
    connection: native,
    namespace: 'default',
    taskQueue,
    deps: { store: new LocalArtifactStore(join(dir, 'data')), outputDir: join(dir, 'out'), openSource: openJobSource, llm: null },
  });
  try {
    await worker.runUntil(async () => {
      const run = async (path: string) => {
        const input: JobInput = { source: { kind: 'export', path }, delivery: { kind: 'files', dir: join(dir, 'out') } };
        const t0 = performance.now();
        const handle = await startSummarize(client, { TEMPORAL_TASK_QUEUE: taskQueue }, input, 'bench');
        const result = await handle.result();
        const ms = performance.now() - t0;
        const history = (await handle.fetchHistory()).events ?? [];
        const at = (i: number) => {
          const t = history[i]?.eventTime;
          return Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
        };
        // As the server recorded it: from the start event to the completion event.
        const serverMs = at(history.length - 1) - at(0);
        return { ms, serverMs, events: history.length, messages: result.messages };
      };

      const empty = join(dir, 'empty.json');
      await writeExport(empty, { messages: 0, seed: 1 });
      await run(empty); // warm-up: the first run also waits for the worker's first poll
      const times: number[] = [];
      const server: number[] = [];
      let emptyEvents = 0;
      for (let i = 0; i < runs; i++) {
        const r = await run(empty);
        times.push(r.ms);
        server.push(r.serverMs);
        emptyEvents = r.events;
      }
      times.sort((a, b) => a - b);
      server.sort((a, b) => a - b);
      console.log(`empty chat, ${runs} runs, start to result at the client: p50 ${percentile(times, 50).toFixed(0)} ms, p90 ${percentile(times, 90).toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms`);
      console.log(`  first to last history event on the server: p50 ${percentile(server, 50).toFixed(0)} ms, p90 ${percentile(server, 90).toFixed(0)} ms; ${emptyEvents} history events`);

      for (const n of [1_000, 100_000]) {
        const path = join(dir, `chat-${n}.json`);
        await writeExport(path, { messages: n, seed: 2 });
        const r = await run(path);
        console.log(`${n.toLocaleString('en')} messages: ${r.messages} stored, ${r.events} history events, ${(r.ms / 1000).toFixed(2)} s end to end`);
      }
    });
  } finally {
    await connection.close();
    await native.close();
    await temporal.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
