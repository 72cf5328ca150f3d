/**
 * Reading a stored history back (file read + JSON.parse per line + async iteration): messages per second.
 * Tried and measured, no faster here: yielding whole pages instead of messages, and one JSON.parse per page.
 *
 *   npx tsx bench/store/read-history.ts [--messages 500000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HISTORY_PAGE_SIZE, LocalArtifactStore, readHistory, writeHistoryPage } from '../../src/store';
import type { ChatMessage } from '../../src/domain';
import { benchMessage } from './bench-message';

const total = Number(process.argv[process.argv.indexOf('--messages') + 1]) || 500_000;


async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tgpulse-bench-read-'));
  const store = new LocalArtifactStore(dir);
  const pages = Math.ceil(total / HISTORY_PAGE_SIZE);
  for (let p = 0; p < pages; p++) {
    const batch: ChatMessage[] = [];
    for (let i = p * HISTORY_PAGE_SIZE; i < Math.min(total, (p + 1) * HISTORY_PAGE_SIZE); i++) batch.push(benchMessage(i + 1));
    await writeHistoryPage(store, 'h', p, batch);
  }
  const ref = { prefix: 'h', pages, messages: total };
  const time = async (label: string, fn: () => Promise<number>) => {
    const t0 = performance.now();
    const n = await fn();
    const s = (performance.now() - t0) / 1000;
    console.log(`${label.padEnd(44)} ${n} messages in ${s.toFixed(2)} s: ${Math.round(n / s).toLocaleString('en')} messages/s`);
  };
  try {
    for (let round = 0; round < 3; round++) {
      await time('readHistory (one message at a time)', async () => {
        let n = 0;
        for await (const m of readHistory(store, ref)) n += m.id > 0 ? 1 : 0;
        return n;
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
