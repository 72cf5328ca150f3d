import { Command, InvalidArgumentError, Option } from 'commander';
import { runUrl } from '../../../temporal';
import { listRuns, RUN_KINDS, RUN_STATUSES, type RunFilters, type RunSummary } from '../../jobs';
import { cliConfig, withClient } from '../context';
import type { RegisterCommand } from './index';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('a whole number from 1 to 1000');
  return n;
}

/** The kind a workflow type is listed as (its own name when tgpulse does not start it). */
const KIND_OF = new Map<string, string>(Object.entries(RUN_KINDS).map(([kind, type]) => [type, kind]));

function took(r: RunSummary): string {
  return r.closeTime ? `${((r.closeTime.getTime() - r.startTime.getTime()) / 1000).toFixed(1)} s` : '';
}

/** One row per run under a header, each followed by its Web UI link. Columns fit the widest value. */
export function formatRuns(runs: RunSummary[], link: (r: RunSummary) => string): string {
  const rows = runs.map((r) => [r.startTime.toISOString().replace(/\.\d+Z$/, 'Z'), r.status, took(r), KIND_OF.get(r.type) ?? r.type, r.chat ?? '-', r.workflowId]);
  const header = ['STARTED', 'STATUS', 'TOOK', 'KIND', 'CHAT', 'RUN'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.flatMap((row, i) => [line(row), `    ${link(runs[i]!)}`])].join('\n') + '\n';
}

export const registerRuns: RegisterCommand = (program) => {
  program.addCommand(
    new Command('runs')
      .description('list recent runs of every kind (summaries, recaps, exports, userbot dialogs) with their status and Web UI links')
      .option('--limit <n>', 'how many', positiveInt, 20)
      .addOption(new Option('--status <status>', 'only runs in this state').choices(Object.keys(RUN_STATUSES)))
      .addOption(new Option('--kind <kind>', 'only runs of this kind').choices(Object.keys(RUN_KINDS)))
      .option('--chat <chat>', 'only runs about this chat: as it was named at start (link, @username, id) or its title')
      .action(async (opts: RunFilters & { limit: number }) => {
        const config = cliConfig();
        const filters: RunFilters = { ...(opts.status ? { status: opts.status } : {}), ...(opts.kind ? { kind: opts.kind } : {}), ...(opts.chat !== undefined ? { chat: opts.chat } : {}) };
        await withClient(config, async (client) => {
          const runs = await listRuns(client, opts.limit, filters);
          if (runs.length === 0) {
            const filtered = Object.keys(filters).length > 0;
            process.stdout.write(filtered ? 'no runs match these filters\n' : 'no runs yet: start one with `tgpulse summarize --export <result.json>`\n');
            return;
          }
          process.stdout.write(formatRuns(runs, (r) => runUrl(config, r.workflowId, r.runId)));
        });
      }),
  );
};
