/**
 * History pages written and read back through the artifact store, local folder against S3 (a SeaweedFS server
 * started here, on this machine, as the tests start it): pages/s, MB/s and messages/s, plus the latency of a
 * checkpoint-sized write (what an extraction does after every page).
 *
 *   npx tsx bench/store/page-throughput.ts [--pages 40] [--rounds 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HISTORY_PAGE_SIZE, LocalArtifactStore, S3ArtifactStore, readHistoryPage, writeHistoryPage, type ArtifactStore } from '../../src/store';
import { startS3Server } from '../../test/support/s3-server';
import { benchMessage } from './bench-message';

const arg = (name: string, def: number) => Number(process.argv[process.argv.indexOf(name) + 1]) || def;
const pages = arg('--pages', 40);
const rounds = arg('--rounds', 3);


const page = Array.from({ length: HISTORY_PAGE_SIZE }, (_, i) => benchMessage(i + 1));

async function measure(label: string, store: ArtifactStore, round: number): Promise<void> {
  const prefix = `bench/r${round}`;
  let bytes = 0;
  let t0 = performance.now();
  for (let p = 0; p < pages; p++) bytes += (await writeHistoryPage(store, prefix, p, page)).bytes;
  const writeS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  let n = 0;
  for (let p = 0; p < pages; p++) n += (await readHistoryPage(store, prefix, p)).length;
  const readS = (performance.now() - t0) / 1000;
  const lat: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await store.put(`${prefix}/checkpoint.json`, JSON.stringify({ pages: i, messages: i * HISTORY_PAGE_SIZE, lastId: i, done: false }));
    lat.push(performance.now() - t);
  }
  lat.sort((a, b) => a - b);
  await store.remove(prefix);
  const mb = bytes / 1e6;
  const fmt = (x: number) => Math.round(x).toLocaleString('en');
  console.log(
    `${label.padEnd(6)} round ${round + 1}: ${pages} pages (${mb.toFixed(0)} MB) write ${(pages / writeS).toFixed(1)} pages/s ${(mb / writeS).toFixed(0)} MB/s; ` +
      `read ${(pages / readS).toFixed(1)} pages/s ${(mb / readS).toFixed(0)} MB/s ${fmt(n / readS)} msgs/s; checkpoint put p50 ${lat[25]!.toFixed(1)} ms p95 ${lat[47]!.toFixed(1)} ms`,
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tgpulse-bench-store-'));
  const server = await startS3Server({ dir: join(dir, 'weed') });
  const s3 = new S3ArtifactStore(server.settings('bench', { prefix: 'bench' }));
  try {
    await server.createBucket('bench');
    const local = new LocalArtifactStore(join(dir, 'local'));
    for (let r = 0; r < rounds; r++) {
      await measure('local', local, r);
      await measure('s3', s3, r);
    }
  } finally {
    s3.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
