import { Command } from 'commander';
import { BadInputError } from '../../../domain';
import type { LimiterStats } from '../../../limiter';
import { cliConfig } from '../context';
import { limiter as limiterModule } from '../lazy-modules';
import { accountName } from '../options';
import type { RegisterCommand } from './index';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows.map((r) => r.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ')).join('\n');
}

/** `getStats` as `tgpulse limits` prints it: calls and waits per kind of call, pauses, quotas. */
export function formatStats(stats: LimiterStats): string {
  const lines = [`account ${stats.account}, today (${stats.day} UTC)`, ''];
  lines.push(table([['call', 'calls', 'waited'], ...stats.operations.map((o) => [o.op, String(o.calls), String(o.throttled)]), ['total', String(stats.calls), String(stats.throttled)]]));
  lines.push('', `flood waits today: ${stats.floodWaits}`);
  lines.push(stats.pausedUntil ? `PAUSED until ${stats.pausedUntil} (flood wait): no call goes out before then` : 'not paused');
  for (const p of stats.groupPauses) lines.push(`${p.group} calls paused until ${p.until}`);
  lines.push('', table([['quota', 'used', 'limit', 'resets at'], ...stats.quotas.map((q) => [q.quota, String(q.used), String(q.limit), q.resetsAt ?? 'on leave'])]));
  return `${lines.join('\n')}\n`;
}

export const registerLimits: RegisterCommand = (program) => {
  program.addCommand(
    new Command('limits')
      .description("show an account's calls, waits, flood waits and quotas today (all accounts when none is named)")
      .option('--account <name>', 'the account (default: every account that made a call)')
      .argument('[account]', 'old spelling of --account')
      .action(async (positional: string | undefined, flags: { account?: string }) => {
        if (positional !== undefined) process.stderr.write(`warning: naming the account without --account is deprecated; use tgpulse limits --account ${positional}\n`);
        if (positional !== undefined && flags.account !== undefined && positional !== flags.account) throw new BadInputError('two different accounts named', 'use --account alone');
        const named = flags.account ?? positional;
        const account = named !== undefined ? accountName(named) : undefined;
        const config = cliConfig();
        const { createLimiter, createLimiterRedis, limiterOptionsFromConfig } = limiterModule();
        const redis = createLimiterRedis(config.REDIS_URL);
        try {
          const limiter = createLimiter({ redis, ...limiterOptionsFromConfig(config) });
          const accounts = account ? [account] : await limiter.listAccounts();
          if (accounts.length === 0) {
            process.stdout.write('no account has made a Telegram call yet\n');
            return;
          }
          const all = await Promise.all(accounts.map((a) => limiter.getStats(a)));
          process.stdout.write(all.map(formatStats).join('\n'));
        } finally {
          redis.disconnect();
        }
      }),
  );
};
