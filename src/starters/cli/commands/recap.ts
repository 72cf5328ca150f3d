import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Config } from '../../../config';
import { BadInputError, type Delivery, type JobSource, type RecapCohort, type RecapInput } from '../../../domain';
import { compileDetectors } from '../../../detectors';
import { slug } from '../../../deliver';
import { openExport } from '../../../export';
import { assertZone, formatHistoryTable, lastCompletedWeek, listStoredWeeks, loadTrend, parseWeekId, TREND_WEEKS } from '../../../recap';
import { artifactStoreFromConfig, type ArtifactStore } from '../../../store';
import { runUrl } from '../../../temporal';
import {
  backfillRecaps,
  createRecapSchedule,
  deleteRecapSchedule,
  describeRecapSchedule,
  listRecapSchedules,
  parseRecapInput,
  pauseRecapSchedule,
  resumeRecapSchedule,
  startRecap,
  triggerRecapSchedule,
  validateCron,
} from '../../recap-schedules';
import { checkJobSource } from '../../check-source';
import { cliConfig, withClient } from '../context';
import { accountName, checkedExport, outOption } from '../options';
import { copyResultFiles } from '../../copy-results';
import { formatInZone, printRecapResult, printRecapSummary } from '../recap-output';
import type { RegisterCommand } from './index';

/** The default schedule: Monday mornings, when last week is over and people read the group. */
const DEFAULT_CRON = '0 9 * * MON';

interface CohortOptions {
  export?: string;
  chat?: string;
  account?: string;
  tz?: string;
  bot?: string[];
  members?: number;
  detectors?: string;
}

interface DeliveryOptions {
  postTo?: string;
  account?: string;
  out?: string;
}

function positiveInt(max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`a whole number from 1 to ${max}`);
    return n;
  };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function zoneOf(tz: string | undefined): string {
  if (!tz) throw new BadInputError('no time zone given', 'pass --tz with the IANA zone the cohort lives in, e.g. --tz Europe/Berlin');
  assertZone(tz);
  return tz;
}

function weekOf(week: string): string {
  parseWeekId(week);
  return week.trim();
}

function detectorsFile(path: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(resolve(path), 'utf8'));
  } catch (err) {
    throw new BadInputError(`cannot read the detector settings ${path}`, 'pass a JSON file such as {"languages":["en"],"demo":{"hashtags":["#demo"]}}', { cause: err });
  }
  // Checked here, so a typo fails now rather than at the first scheduled run.
  compileDetectors(json);
  return json as Record<string, unknown>;
}

/** The cohort's history: an export (checked whole here, before anything starts) or a live chat. */
async function sourceOf(name: string, opts: CohortOptions): Promise<JobSource> {
  if (opts.export) return { kind: 'export', path: await checkedExport(opts.export, opts.chat), ...(opts.chat ? { chat: opts.chat } : {}) };
  if (opts.account) return { kind: 'telegram', account: accountName(opts.account), chat: opts.chat ?? name };
  throw new BadInputError(`no source for ${name}`, 'pass --export <result.json>, or --account <session> to read the group live');
}

async function cohortOf(name: string, opts: CohortOptions): Promise<RecapCohort> {
  const zone = zoneOf(opts.tz);
  return {
    name,
    source: await sourceOf(name, opts),
    zone,
    ...(opts.bot?.length ? { botIds: opts.bot } : {}),
    ...(opts.members ? { memberCount: opts.members } : {}),
    ...(opts.detectors ? { detectors: detectorsFile(opts.detectors) } : {}),
  };
}

function deliveryOf(config: Config, opts: DeliveryOptions): Delivery {
  if (opts.postTo) {
    if (!opts.account) throw new BadInputError('--post-to needs --account', 'name the account that posts into the group');
    return { kind: 'telegram', account: accountName(opts.account), chat: opts.postTo };
  }
  return { kind: 'files' };
}

/** The cohort id `recap history` reads: a chat id, an export's chat, a name a recap ran under, or a schedule's export. */
async function chatIdOf(config: Config, store: ArtifactStore, target: string): Promise<number> {
  if (/^-?\d+$/.test(target)) return Number(target);
  if (existsSync(target) && statSync(target).isFile()) return (await (await openExport(resolve(target))).info()).id;
  for (const key of await store.list('cohorts')) {
    if (!key.endsWith('/chat.json')) continue;
    const { chat, names } = JSON.parse((await store.get(key)).toString('utf8')) as { chat: { id: number; title: string; username?: string }; names: string[] };
    if (names.some((n) => slug(n) === slug(target)) || slug(chat.title) === slug(target) || chat.username === target.replace(/^@/, '')) return chat.id;
  }
  const schedule = await withClient(config, (client) => describeRecapSchedule(client, target));
  const { source } = schedule.input.cohort;
  if (source.kind === 'export') return (await (await openExport(source.path, source.chat ? { chat: source.chat } : {})).info()).id;
  throw new BadInputError(`no recap of ${target} is stored yet`, `run one first: tgpulse recap run ${target}`);
}

function withCohortOptions(cmd: Command): Command {
  return cmd
    .option('--export <result.json>', 'read the group from a Telegram Desktop export')
    .option('--account <name>', 'read the group live with this logged-in account (and post with it)')
    .option('--chat <name|link>', 'which chat: in a whole-account export, or live when it differs from the cohort name')
    .option('--tz <zone>', 'IANA time zone the cohort lives in; weeks start Monday 00:00 there (e.g. Europe/Berlin)')
    .option('--bot <id>', 'a sender id that is a bot, not counted (repeatable; exports do not flag bots)', collect)
    .option('--members <n>', 'members of the group, for the active share (exports do not say)', positiveInt(1_000_000))
    .option('--detectors <file.json>', 'detector settings: hashtags, phrases and links for demos, blockers, decisions and questions');
}

async function onClient<T>(fn: (client: Client, config: Config) => Promise<T>): Promise<T> {
  const config = cliConfig();
  return withClient(config, (client) => fn(client, config));
}

export const registerRecap: RegisterCommand = (program) => {
  const recap = new Command('recap').description('weekly cohort recaps: numbers, demos, blockers, an infographic; on a Temporal Schedule');

  recap.addCommand(
    withCohortOptions(new Command('schedule'))
      .description('recap a cohort every week (a Temporal Schedule); creating it again replaces it')
      .argument('<cohort>', 'the cohort name (and the chat, when reading live)')
      .option('--cron <expr>', 'when, in --tz: five cron fields', DEFAULT_CRON)
      .option('--post-to <chat>', 'post the recap into this group (with --account)')
      .addOption(outOption('write the recap files here instead'))
      .option('--paused', 'create it paused')
      .action(async (name: string, opts: CohortOptions & DeliveryOptions & { cron: string; paused?: boolean }) => {
        const config = cliConfig();
        if (opts.out !== undefined) throw new BadInputError('--out does not apply to a schedule: its recaps are written by the worker into its OUTPUT_DIR', 'leave --out out (use it with `recap run` or `recap backfill`, which copy the files), or set OUTPUT_DIR on the worker');
        const cron = validateCron(opts.cron);
        const input = parseRecapInput({ cohort: await cohortOf(name, opts), delivery: deliveryOf(config, opts) });
        await withClient(config, async (client) => {
          const { scheduleId, created } = await createRecapSchedule(client, { input, cron, taskQueue: config.TEMPORAL_TASK_QUEUE, ...(opts.paused ? { paused: true } : {}) });
          const { nextRuns } = await describeRecapSchedule(client, name);
          process.stdout.write(`${created ? 'created' : 'replaced'} schedule ${scheduleId}: "${cron}" in ${input.cohort.zone}\n`);
          process.stdout.write(nextRuns.length ? `next run: ${formatInZone(nextRuns[0]!, input.cohort.zone)}\n` : 'paused: no run until `tgpulse recap resume`\n');
        });
      }),
  );

  recap.addCommand(
    new Command('list').description('list recap schedules').action(() =>
      onClient(async (client) => {
        const schedules = await listRecapSchedules(client);
        if (schedules.length === 0) {
          process.stdout.write('no recap schedules: create one with `tgpulse recap schedule <cohort> --export <result.json> --tz <zone>`\n');
          return;
        }
        for (const s of schedules) {
          const next = s.paused ? `PAUSED${s.note ? ` (${s.note})` : ''}` : `next ${s.nextRuns[0] ? formatInZone(s.nextRuns[0], s.zone) : '—'}`;
          process.stdout.write(`${s.name}  "${s.cron}" ${s.zone}  ${next}  last run: ${s.recentRuns.at(-1) ?? 'none yet'}\n`);
        }
      }),
    ),
  );

  for (const [verb, what, fn] of [
    ['pause', 'stop the weekly runs until resumed', pauseRecapSchedule],
    ['resume', 'resume the weekly runs', resumeRecapSchedule],
    ['delete', 'delete the schedule (stored weeks stay)', deleteRecapSchedule],
  ] as const) {
    recap.addCommand(
      new Command(verb)
        .description(what)
        .argument('<cohort>')
        .action((name: string) =>
          onClient(async (client) => {
            await fn(client, name);
            process.stdout.write(`${verb === 'delete' ? 'deleted' : `${verb}d`} the recap schedule of ${name}\n`);
          }),
        ),
    );
  }

  recap.addCommand(
    new Command('trigger')
      .description('run the schedule now (it recaps the last completed week)')
      .argument('<cohort>')
      .action((name: string) =>
        onClient(async (client, config) => {
          // The schedule's export may have changed since it was made: a broken one is refused before the run.
          await checkJobSource((await describeRecapSchedule(client, name)).input.cohort.source);
          const id = await triggerRecapSchedule(client, name);
          if (!id) {
            process.stdout.write(`triggered ${name}; a run is still going, so this one was skipped (overlap policy)\n`);
            return;
          }
          // The link needs the run id: without it the Web UI opens a 400 page.
          const { runId } = await client.workflow.getHandle(id).describe();
          process.stdout.write(`started ${id}\nWeb UI: ${runUrl(config, id, runId)}\n`);
        }),
      ),
  );

  recap.addCommand(
    new Command('backfill')
      .description("recap the cohort's last N completed weeks, oldest first (files only unless --post-to)")
      .argument('<cohort>')
      .requiredOption('--weeks <n>', 'how many weeks', positiveInt(104))
      .option('--post-to [chat]', "post them into this group (with --account), or, with no chat named, where the schedule posts")
      .option('--account <name>', 'the logged-in account that posts (default: the schedule\'s)')
      .addOption(new Option('--post', 'old spelling of --post-to with no chat').hideHelp())
      .addOption(outOption('write the recap files here'))
      .action((name: string, opts: { weeks: number; postTo?: string | true; post?: boolean; account?: string; out?: string }) =>
        onClient(async (client) => {
          if (opts.post) process.stderr.write('warning: --post is deprecated; use --post-to (with no chat: where the schedule posts)\n');
          const postTo = opts.postTo ?? (opts.post ? true : undefined);
          if (postTo !== undefined && opts.out !== undefined) throw new BadInputError('--post-to and --out are mutually exclusive', 'the recaps go either to the group or to files');
          const post = postTo === undefined ? undefined : postTo === true ? ('schedule' as const) : { chat: postTo, ...(opts.account ? { account: accountName(opts.account) } : {}) };
          await backfillRecaps(client, name, opts.weeks, { ...(opts.out !== undefined ? { outDir: opts.out } : {}), ...(post ? { post } : {}), onWeek: printRecapSummary });
        }),
      ),
  );

  recap.addCommand(
    withCohortOptions(new Command('run'))
      .description('recap one week now: of a scheduled cohort, or of an export (result.json)')
      .argument('<cohort-or-export>', 'a scheduled cohort, or the path of a result.json')
      .option('--week <id>', 'the ISO week, e.g. 2026-W46 (default: the last completed week)')
      .option('--post-to <chat>', 'post the recap into this group (with --account)')
      .addOption(outOption('write the recap files here'))
      .addOption(new Option('--no-wait', 'start the run and return at once'))
      .action(async (target: string, opts: CohortOptions & DeliveryOptions & { week?: string; wait: boolean }) => {
        const config = cliConfig();
        const week = opts.week !== undefined ? weekOf(opts.week) : undefined;
        // A path (an existing file, or one named like an export) is an export; anything else names a cohort.
        const isFile = (existsSync(target) && statSync(target).isFile()) || /\.json$/i.test(target);
        if (opts.tz !== undefined) zoneOf(opts.tz);
        await withClient(config, async (client) => {
          let input: RecapInput;
          let taskQueue = config.TEMPORAL_TASK_QUEUE;
          // A scheduled cohort runs with its source and settings (and its delivery unless this run names another);
          // an export, or a live chat with --account that has no schedule, is described by the options.
          const schedule = isFile || opts.export ? null : await describeRecapSchedule(client, target).catch((err: unknown) => {
            if (err instanceof BadInputError && opts.account) return null;
            throw err;
          });
          if (schedule) {
            await checkJobSource(schedule.input.cohort.source);
            const delivery = opts.postTo || opts.out ? deliveryOf(config, opts) : schedule.input.delivery;
            input = parseRecapInput({ ...schedule.input, delivery, ...(week ? { week } : {}) });
            taskQueue = schedule.taskQueue;
          } else {
            const name = isFile ? basename(dirname(resolve(target))) : target;
            input = parseRecapInput({ cohort: await cohortOf(name, { ...opts, ...(isFile ? { export: target } : {}) }), delivery: deliveryOf(config, opts), ...(week ? { week } : {}) });
          }
          const handle = await startRecap(client, taskQueue, { ...input, week: input.week ?? lastCompletedWeek(new Date(), input.cohort.zone) });
          process.stdout.write(`started ${handle.workflowId}\nWeb UI: ${runUrl(config, handle.workflowId, handle.firstExecutionRunId)}\n`);
          if (!opts.wait) return;
          const result = await handle.result();
          printRecapResult(opts.out !== undefined ? { ...result, files: await copyResultFiles(result.files, opts.out) } : result);
        });
      }),
  );

  recap.addCommand(
    new Command('history')
      .description("a cohort's stored weeks, week over week")
      .argument('<cohort>', 'a cohort name, its chat id, or its export (result.json)')
      .option('--weeks <n>', 'how many weeks', positiveInt(104), TREND_WEEKS)
      .action(async (target: string, opts: { weeks: number }) => {
        const config = cliConfig();
        const store = artifactStoreFromConfig(config);
        const chatId = await chatIdOf(config, store, target);
        const newest = (await listStoredWeeks(store, chatId)).at(-1);
        if (!newest) throw new BadInputError(`no week of ${target} is stored yet`, `run one first: tgpulse recap run ${target} --week <YYYY-Www>`);
        process.stdout.write(`${formatHistoryTable(await loadTrend(store, chatId, newest, opts.weeks))}\n`);
      }),
  );

  program.addCommand(recap);
};
