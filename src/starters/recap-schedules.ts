import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WorkflowIdConflictPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { BadInputError, RecapInput, type Delivery, type RecapResult } from '../domain';
import { slug } from '../deliver';
import { lastCompletedWeek, parseWeekId, shiftWeek } from '../recap';
import type { weeklyRecap } from '../workflows';
import { createLabelledSchedule, startRun, type RunLabels } from '../temporal';
import { checkJobSource } from './check-source';
import { describeIssues } from './input-issues';
import { copyResultFiles } from './copy-results';

export const RECAP_WORKFLOW = 'weeklyRecap';

/**
 * How late a missed weekly recap may still run when Temporal comes back (a server down over Monday morning):
 * a recap a day late is still worth posting, one from last week is not.
 */
export const RECAP_CATCHUP_WINDOW = '1 day';

/** Marks our schedules in the memo, so `recap list` shows only recaps even on a shared namespace. */
const MEMO_KIND = 'tgpulse-recap';

/** The schedule of a cohort: `recap-<slug of its name>`. */
export function recapScheduleId(name: string): string {
  return `recap-${slug(name)}`;
}

/** The run of one cohort week started by hand or by a backfill: `recap-<slug>-<week>`. */
export function recapWorkflowId(name: string, week: string): string {
  return `recap-${slug(name)}-${week}`;
}

/**
 * What a recap run is about, for its search attributes: the same for a run started by hand and by its schedule.
 * The chat is the Telegram chat as the user named it, or an export's chat (else the cohort's name).
 */
export function recapLabels(input: RecapInput): RunLabels {
  const source = input.cohort.source;
  const account = source.kind === 'telegram' ? source.account : input.delivery.kind === 'telegram' ? input.delivery.account : undefined;
  return { kind: 'recap', cohort: input.cohort.name, chat: source.kind === 'telegram' ? source.chat : (source.chat ?? input.cohort.name), chatTitle: input.cohort.name, ...(account ? { account } : {}) };
}

/** Validates a recap's input before anything is started; every problem is named in one BadInputError. */
export function parseRecapInput(raw: unknown): RecapInput {
  const parsed = RecapInput.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new BadInputError(describeIssues(parsed.error.issues));
}

const CRON_MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const CRON_FIELDS: Array<{ name: string; min: number; max: number; names?: string[] }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];
const CRON_HINT = 'write five fields "minute hour day-of-month month day-of-week", e.g. "0 9 * * MON" for Mondays at 09:00, and give the zone with --tz';

/**
 * Checks a cron expression before it reaches Temporal, so a typo gets an error that says which field is wrong.
 * Accepts the five standard fields (numbers, names such as MON or JAN, `*`, ranges, lists and `/steps`) and the
 * `@weekly`-style macros. Returns it trimmed.
 */
export function validateCron(cron: string): string {
  const expr = cron.trim().replace(/\s+/g, ' ');
  if (/^(CRON_)?TZ=/i.test(expr)) throw new BadInputError(`bad cron ${JSON.stringify(cron)}: the zone goes in --tz, not in the expression`, CRON_HINT);
  if (CRON_MACROS.has(expr.toLowerCase())) return expr;
  const fields = expr.split(' ');
  if (fields.length !== 5) throw new BadInputError(`bad cron ${JSON.stringify(cron)}: it has ${expr ? fields.length : 0} field(s), not 5`, CRON_HINT);
  fields.forEach((field, i) => {
    const spec = CRON_FIELDS[i]!;
    const value = (token: string): number => {
      const named = spec.names?.indexOf(token.toUpperCase().slice(0, 3)) ?? -1;
      if (named >= 0 && /^[a-z]{3}$/i.test(token)) return named + (spec.name === 'month' ? 1 : 0);
      if (!/^\d+$/.test(token)) throw new BadInputError(`bad cron ${JSON.stringify(cron)}: ${JSON.stringify(token)} is not a valid ${spec.name}`, CRON_HINT);
      const n = Number(token);
      if (n < spec.min || n > spec.max) {
        throw new BadInputError(`bad cron ${JSON.stringify(cron)}: ${spec.name} ${n} is outside ${spec.min}–${spec.max}`, CRON_HINT);
      }
      return n;
    };
    for (const part of field.split(',')) {
      const m = /^(\*|[^/-]+(?:-[^/-]+)?)(?:\/(\d+))?$/.exec(part);
      if (!m) throw new BadInputError(`bad cron ${JSON.stringify(cron)}: ${JSON.stringify(part)} is not a valid ${spec.name}`, CRON_HINT);
      if (m[2] !== undefined && Number(m[2]) < 1) throw new BadInputError(`bad cron ${JSON.stringify(cron)}: a step must be at least 1`, CRON_HINT);
      if (m[1] === '*') continue;
      const [a, b] = m[1]!.split('-');
      const from = value(a!);
      if (b !== undefined && value(b) < from) throw new BadInputError(`bad cron ${JSON.stringify(cron)}: the range ${m[1]} runs backwards`, CRON_HINT);
    }
  });
  return expr;
}

/** A recap schedule, as `tgpulse recap list` shows it. */
export interface RecapScheduleSummary {
  scheduleId: string;
  name: string;
  cron: string;
  zone: string;
  paused: boolean;
  note?: string;
  nextRuns: Date[];
  /** Workflow ids of the most recent runs, oldest first. */
  recentRuns: string[];
}

/** What a recap schedule does, read back from Temporal. */
export interface RecapScheduleDetails extends RecapScheduleSummary {
  input: RecapInput;
  taskQueue: string;
}

export interface CreateRecapScheduleOptions {
  input: RecapInput;
  cron: string;
  taskQueue: string;
  /** Created paused (tests, or to look before it runs). */
  paused?: boolean;
}

function notFound(name: string, cause: unknown): BadInputError {
  return new BadInputError(`no recap schedule for ${JSON.stringify(name)} (${recapScheduleId(name)})`, 'list them with `tgpulse recap list`, or create one with `tgpulse recap schedule`', { cause });
}

/** Runs a schedule call, turning "there is no such schedule" into a BadInputError that names the cohort. */
async function onSchedule<T>(client: Client, name: string, fn: (handle: ScheduleHandle) => Promise<T>): Promise<T> {
  try {
    return await fn(client.schedule.getHandle(recapScheduleId(name)));
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw notFound(name, err);
    throw err;
  }
}

function spec(cron: string, zone: string) {
  return { cronExpressions: [cron], timezone: zone };
}

const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: RECAP_CATCHUP_WINDOW } as const;

/**
 * Creates the weekly recap schedule of a cohort, or replaces it when it exists (keeping it paused if it was). The
 * action starts `weeklyRecap` without a week: each run recaps the last week completed at its scheduled time.
 * Overlapping runs are skipped; a run missed while Temporal was down is taken if it is at most a day late.
 */
export async function createRecapSchedule(client: Client, opts: CreateRecapScheduleOptions): Promise<{ scheduleId: string; created: boolean }> {
  const input = parseRecapInput({ ...opts.input, week: undefined });
  const cron = validateCron(opts.cron);
  const scheduleId = recapScheduleId(input.cohort.name);
  const action = { type: 'startWorkflow' as const, workflowType: RECAP_WORKFLOW, taskQueue: opts.taskQueue, args: [input] as [RecapInput], workflowId: scheduleId };
  const memo = { kind: MEMO_KIND, name: input.cohort.name, cron, zone: input.cohort.zone };
  // Its runs carry the same search attributes as a recap started by hand, so `tgpulse runs --chat` finds them.
  const create = (paused: boolean) =>
    createLabelledSchedule<typeof weeklyRecap>(
      client,
      { scheduleId, spec: spec(cron, input.cohort.zone), action, policies, memo, state: { paused, note: paused ? 'created paused' : `weekly recap of ${input.cohort.name}` } },
      recapLabels(input),
    );
  try {
    await create(opts.paused ?? false);
    return { scheduleId, created: true };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw rejectedSpec(err, cron, input.cohort.zone);
  }
  // Replaced rather than updated: a schedule's memo (where cron and zone are kept for `list`) cannot be updated. So
  // creating it again is also what gives a schedule made by an older tgpulse its runs' search attributes.
  const existing = client.schedule.getHandle(scheduleId);
  const { state } = await existing.describe();
  await existing.delete();
  try {
    await create(opts.paused ?? state.paused);
  } catch (err) {
    throw rejectedSpec(err, cron, input.cohort.zone);
  }
  return { scheduleId, created: false };
}

/** Temporal's own refusal of a spec (a cron it cannot parse that slipped past `validateCron`) as bad input. */
function rejectedSpec(err: unknown, cron: string, zone: string): unknown {
  const message = err instanceof Error ? err.message : String(err);
  if (/invalid|cron|time ?zone/i.test(message)) return new BadInputError(`Temporal refused the schedule (cron ${JSON.stringify(cron)}, zone ${zone}): ${message}`, CRON_HINT, { cause: err });
  return err;
}

function cohortOf(description: ScheduleDescription): RecapInput {
  return parseRecapInput(description.action.args?.[0]);
}

function summarize(scheduleId: string, memo: Record<string, unknown> | undefined, paused: boolean, note: string | undefined, nextRuns: Date[], recentRuns: string[]): RecapScheduleSummary {
  return {
    scheduleId,
    name: typeof memo?.name === 'string' ? memo.name : scheduleId.replace(/^recap-/, ''),
    cron: typeof memo?.cron === 'string' ? memo.cron : '?',
    zone: typeof memo?.zone === 'string' ? memo.zone : '?',
    paused,
    ...(note ? { note } : {}),
    nextRuns,
    recentRuns,
  };
}

/** Every recap schedule of the namespace, by id. Temporal lists from its visibility store, a moment behind. */
export async function listRecapSchedules(client: Client): Promise<RecapScheduleSummary[]> {
  const out: RecapScheduleSummary[] = [];
  for await (const s of client.schedule.list()) {
    if (s.memo?.kind !== MEMO_KIND) continue;
    out.push(summarize(s.scheduleId, s.memo, s.state.paused, s.state.note, s.info.nextActionTimes, s.info.recentActions.map((a) => a.action.workflow.workflowId)));
  }
  return out.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

/** One cohort's schedule with what it runs. Throws a BadInputError when there is none. */
export async function describeRecapSchedule(client: Client, name: string): Promise<RecapScheduleDetails> {
  return onSchedule(client, name, async (handle) => {
    const d = await handle.describe();
    const input = cohortOf(d);
    const summary = summarize(d.scheduleId, d.memo, d.state.paused, d.state.note, d.info.nextActionTimes, d.info.recentActions.map((a) => a.action.workflow.workflowId));
    return { ...summary, input, taskQueue: d.action.taskQueue };
  });
}

/** Stops a cohort's weekly runs until `resumeRecapSchedule`. */
export function pauseRecapSchedule(client: Client, name: string, note = 'paused with tgpulse recap pause'): Promise<void> {
  return onSchedule(client, name, (h) => h.pause(note));
}

export function resumeRecapSchedule(client: Client, name: string, note = 'resumed with tgpulse recap resume'): Promise<void> {
  return onSchedule(client, name, (h) => h.unpause(note));
}

export function deleteRecapSchedule(client: Client, name: string): Promise<void> {
  return onSchedule(client, name, (h) => h.delete());
}

/**
 * Runs a cohort's schedule now (it recaps the last completed week) and returns the id of the run it started, or
 * undefined when the overlap policy skipped it because a run is still going. A paused schedule runs too.
 */
export async function triggerRecapSchedule(client: Client, name: string, waitMs = 10_000): Promise<string | undefined> {
  return onSchedule(client, name, async (handle) => {
    const before = new Set((await handle.describe()).info.recentActions.map((a) => a.action.workflow.workflowId));
    await handle.trigger();
    // The trigger is asynchronous on the server: the run shows in the schedule's recent actions a moment later.
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      const d = await handle.describe();
      const started = d.info.recentActions.map((a) => a.action.workflow.workflowId).find((id) => !before.has(id));
      if (started) return started;
      if (d.info.numActionsSkippedOverlap > 0 && d.info.runningActions.length > 0) return undefined;
      await new Promise((r) => setTimeout(r, 200));
    }
    return undefined;
  });
}

/**
 * Starts the recap of one cohort week. The id names the cohort and the week: rerunning a week while its run is
 * still going terminates that run and starts over (its stored metrics and files are replaced, its post is not
 * repeated), so two runs of one week never overlap.
 */
export async function startRecap(client: Client, taskQueue: string, raw: RecapInput, now = new Date()): Promise<WorkflowHandleWithFirstExecutionRunId<typeof weeklyRecap>> {
  const input = parseRecapInput(raw);
  const week = input.week ?? lastCompletedWeek(now, input.cohort.zone);
  parseWeekId(week);
  const source = input.cohort.source;
  const to = input.delivery.kind === 'files' ? `files in ${input.delivery.dir}` : `a post to ${input.delivery.chat} as ${input.delivery.account}`;
  return startRun<typeof weeklyRecap>(
    client,
    RECAP_WORKFLOW,
    { taskQueue, workflowId: recapWorkflowId(input.cohort.name, week), workflowIdConflictPolicy: WorkflowIdConflictPolicy.TERMINATE_EXISTING, args: [{ ...input, week }] },
    recapLabels(input),
    { summary: `Recap ${input.cohort.name}, week ${week} (${input.cohort.zone}) from ${source.kind === 'export' ? 'an export' : 'Telegram'} → ${to}` },
  );
}

export interface BackfillOptions {
  /**
   * Post the weeks too: `'schedule'` where the schedule posts, or into `chat` (as `account`, else the schedule's
   * account). By default a backfill writes files only, so a group is not flooded with old recaps.
   */
  post?: 'schedule' | { chat: string; account?: string };
  /** A folder to copy each week's files into (the worker writes them into its OUTPUT_DIR). */
  outDir?: string;
  now?: Date;
  /** Hears each week as it finishes. */
  onWeek?: (result: RecapResult) => void;
}

function backfillDelivery(name: string, scheduled: Delivery, opts: BackfillOptions): Delivery {
  if (opts.post === undefined) return { kind: 'files' };
  if (opts.post === 'schedule') {
    if (scheduled.kind !== 'telegram') throw new BadInputError(`the schedule of ${name} writes files, it posts nowhere`, 'name the group: --post-to <chat> --account <name>');
    return scheduled;
  }
  const account = opts.post.account ?? (scheduled.kind === 'telegram' ? scheduled.account : undefined);
  if (!account) throw new BadInputError('--post-to needs --account', 'name the account that posts into the group');
  return { kind: 'telegram', account, chat: opts.post.chat };
}

/**
 * Recaps a cohort's last `weeks` completed weeks, oldest first, with its schedule's source and settings, one
 * after another so each week's comparison finds the week before it stored. Each week is its own run (see
 * `startRecap`), started explicitly: a Schedule's own backfill cannot pass a week, and with a weekly cron it would
 * replay action times the workflow turns into weeks anyway, but run them under the skip-overlap policy.
 */
export async function backfillRecaps(client: Client, name: string, weeks: number, opts: BackfillOptions): Promise<RecapResult[]> {
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 104) throw new BadInputError(`bad --weeks ${weeks}`, 'give a whole number of weeks from 1 to 104');
  const schedule = await describeRecapSchedule(client, name);
  const last = lastCompletedWeek(opts.now ?? new Date(), schedule.input.cohort.zone);
  const delivery = backfillDelivery(name, schedule.input.delivery, opts);
  // Its export may have changed since the schedule was made: refuse a broken one before the first week starts.
  await checkJobSource(schedule.input.cohort.source);
  const results: RecapResult[] = [];
  for (let i = weeks - 1; i >= 0; i--) {
    const handle = await startRecap(client, schedule.taskQueue, { cohort: schedule.input.cohort, week: shiftWeek(last, i), delivery });
    const done = await handle.result();
    const result = opts.outDir !== undefined ? { ...done, files: await copyResultFiles(done.files, opts.outDir) } : done;
    opts.onWeek?.(result);
    results.push(result);
  }
  return results;
}
