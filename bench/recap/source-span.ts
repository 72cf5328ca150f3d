/**
 * What knowing an export's extent costs a recap: the `recapSourceSpan` activity over a generated export of N
 * messages (default 200,000), the first time (open: validating pass + one reading pass) and again for the same file
 * (remembered per file version: a backfill of many weeks pays once). The export is generated under the temp folder.
 *
 *   npx tsx bench/recap/source-span.ts [--messages 200000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRecapActivities } from '../../src/activities/recap';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { writeExport } from '../../test/support/export-generator';

async function main(): Promise<void> {
  const at = process.argv.indexOf('--messages');
  const messages = Number(at >= 0 ? process.argv[at + 1] : 200_000);
  const dir = mkdtempSync(join(tmpdir(), 'recap-span-bench-'));
  try {
    const exp = await writeExport(join(dir, 'result.json'), { messages, seed: 42 });
    const store = new LocalArtifactStore(join(dir, 'data'));
    const acts = createRecapActivities({ store, openSource: openJobSource, llm: null } as unknown as Parameters<typeof createRecapActivities>[0]);
    const source = { kind: 'export' as const, path: exp.path };
    let t = performance.now();
    const span = await acts.recapSourceSpan({ source });
    const firstMs = performance.now() - t;
    t = performance.now();
    await acts.recapSourceSpan({ source });
    const againMs = performance.now() - t;
    console.log(`export          ${messages.toLocaleString('en-US')} messages, ${(exp.bytes / 1024 / 1024).toFixed(0)} MiB, ${span.first} → ${span.last}`);
    console.log(`first span      ${(firstMs / 1000).toFixed(2)} s → ${Math.round(messages / (firstMs / 1000)).toLocaleString('en-US')} messages/s (validate + read)`);
    console.log(`same file again ${againMs.toFixed(1)} ms (remembered)`);
    console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.exitCode = 1;
  throw err;
});
