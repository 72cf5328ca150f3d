/**
 * Planted-fact recall of the no-model digest: generated cohort chats (test/support/cohort-generator.ts) with known
 * demos, blockers, decisions and open questions, run through buildDigest; prints the share of planted facts whose
 * message id some point of the digest cites, per kind, for a few seeds and sizes, and the time per digest.
 *
 *   npx tsx bench/digest/planted-facts.ts [--seeds 1,2,3,4,5] [--sizes 300,600,1200]
 */
import { buildDigest } from '../../src/digest';
import { generateCohort, type FactKind } from '../../test/support/cohort-generator';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return (i >= 0 ? process.argv[i + 1] : undefined) ?? fallback;
};
const seeds = arg('seeds', '1,2,3,4,5').split(',').map(Number);
const sizes = arg('sizes', '300,600,1200').split(',').map(Number);
const KINDS: FactKind[] = ['demo', 'blocker', 'decision', 'question'];

async function main() {
  console.log('| messages | seed | demos | blockers | decisions | open questions | all | ms |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const size of sizes) {
    const sum = { cited: 0, planted: 0 };
    for (const seed of seeds) {
      const cohort = generateCohort({ seed, messages: size });
      const t0 = performance.now();
      const summary = await buildDigest(cohort.chat, async function* () {
        yield* cohort.messages;
      });
      const ms = performance.now() - t0;
      const cited = new Set(summary.sections.flatMap((s) => s.points.flatMap((p) => p.messageIds)));
      const cells = KINDS.map((k) => {
        const hit = cohort.facts[k].filter((id) => cited.has(id)).length;
        sum.cited += hit;
        sum.planted += cohort.facts[k].length;
        return `${hit}/${cohort.facts[k].length}`;
      });
      const all = KINDS.reduce((n, k) => n + cohort.facts[k].filter((id) => cited.has(id)).length, 0);
      const planted = KINDS.reduce((n, k) => n + cohort.facts[k].length, 0);
      console.log(`| ${cohort.messages.length} | ${seed} | ${cells.join(' | ')} | ${Math.round((100 * all) / planted)} % | ${ms.toFixed(0)} |`);
    }
    console.log(`| **${size}, all seeds** | | | | | | **${Math.round((100 * sum.cited) / sum.planted)} %** (${sum.cited}/${sum.planted}) | |`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
