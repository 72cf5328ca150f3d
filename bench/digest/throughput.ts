/**
 * Digest throughput and memory: a generated cohort chat of N messages (test/support/cohort-generator.ts, spread over
 * `weeks`) through buildDigest, both passes. The history is generated first and held in memory (it is the input, as
 * a stored history page stream would be); the figure reported is the heap the digest adds on top of it.
 *
 *   npx tsx --expose-gc bench/digest/throughput.ts [--messages 200000] [--weeks 52]
 */
import { buildDigest } from '../../src/digest';
import { generateCohort } from '../../test/support/cohort-generator';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return (i >= 0 ? process.argv[i + 1] : undefined) ?? fallback;
};

async function main() {
  const messages = Number(arg('messages', '200000'));
  const weeks = Number(arg('weeks', '52'));
  const cohort = generateCohort({ seed: 1, messages, weeks });
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
  const t0 = performance.now();
  const summary = await buildDigest(cohort.chat, async function* () {
    yield* cohort.messages;
  });
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  console.log(`${cohort.messages.length} messages: ${(ms / 1000).toFixed(2)} s, ${Math.round(cohort.messages.length / (ms / 1000)).toLocaleString('en')} msgs/s, heap added at peak ${((peak - before) / 2 ** 20).toFixed(0)} MiB${gc ? '' : ' (run with --expose-gc for a clean baseline)'}`);
  console.log(`${summary.sections.length} sections, ${summary.sections.reduce((n, s) => n + s.points.length, 0)} points`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
