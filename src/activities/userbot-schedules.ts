import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { RecapInput } from '../domain';
import { describeRecapSchedule, listRecapSchedules, pauseRecapSchedule, resumeRecapSchedule, type RecapScheduleDetails } from '../starters/recap-schedules';
import { withFailureMapping } from './failures';

/** Whether a recap reads or posts as `account`: such schedules are the account's users' own. */
function usesAccount(input: RecapInput, account: string): boolean {
  return (input.cohort.source.kind === 'telegram' && input.cohort.source.account === account) || (input.delivery.kind === 'telegram' && input.delivery.account === account);
}

/** A schedule's next run in its own zone, as a person reads it: `Mon 2026-11-30 09:00 Europe/Berlin`. */
export function nextRunText(at: Date | undefined, zone: string): string {
  if (!at) return 'no next run';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `next run ${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${zone}`;
}

/** One schedule on one line. */
export function scheduleLine(s: RecapScheduleDetails): string {
  const state = s.paused ? `PAUSED${s.note ? ` (${s.note})` : ''}` : nextRunText(s.nextRuns[0], s.zone);
  return `• ${s.scheduleId} — "${s.name}", ${s.cron} ${s.zone}: ${state}`;
}

/**
 * The userbot's view of the recap schedules (`src/starters/recap-schedules.ts` through the activity's own Temporal
 * client): the ones that read or post as this account, listed, paused or resumed.
 */
export function createUserbotScheduleActivities(clientOf: () => Client = () => Context.current().client) {
  async function schedulesOf(account: string): Promise<RecapScheduleDetails[]> {
    const client = clientOf();
    const all = await listRecapSchedules(client);
    const details = await Promise.all(all.map((s) => describeRecapSchedule(client, s.name).catch(() => undefined)));
    return details.filter((d): d is RecapScheduleDetails => d !== undefined && usesAccount(d.input, account));
  }

  /** The account's recap schedules, as the answer to `/schedules`. */
  async function listRecapSchedulesOf(input: { account: string }): Promise<{ text: string; ids: string[] }> {
    return withFailureMapping(async () => {
      const mine = await schedulesOf(input.account);
      if (mine.length === 0) return { text: `No recap schedule uses account "${input.account}". Create one with: tgpulse recap schedule <name> --chat <link> --account ${input.account} --cron "0 9 * * MON" --tz <zone>`, ids: [] };
      const text = [`Recap schedules of account "${input.account}":`, ...mine.map(scheduleLine), '/schedules pause <id> or /schedules resume <id> changes one.'].join('\n');
      return { text, ids: mine.map((s) => s.scheduleId) };
    });
  }

  /** Pauses or resumes one of the account's schedules, named by id or cohort name; one line either way. */
  async function setRecapSchedulePaused(input: { account: string; schedule: string; paused: boolean }): Promise<{ text: string; changed: boolean }> {
    return withFailureMapping(async () => {
      const wanted = input.schedule.toLowerCase();
      const found = (await schedulesOf(input.account)).find((s) => s.scheduleId.toLowerCase() === wanted || s.name.toLowerCase() === wanted);
      if (!found) return { text: `No recap schedule "${input.schedule}" uses account "${input.account}": /schedules lists them.`, changed: false };
      if (found.paused === input.paused) return { text: `${found.scheduleId} is already ${input.paused ? 'paused' : 'running'}.`, changed: false };
      const client = clientOf();
      if (input.paused) await pauseRecapSchedule(client, found.name, 'paused from the userbot');
      else await resumeRecapSchedule(client, found.name, 'resumed from the userbot');
      const after = await describeRecapSchedule(client, found.name);
      return { text: input.paused ? `Paused ${found.scheduleId} ("${found.name}"): no recap runs until /schedules resume ${found.scheduleId}.` : `Resumed ${found.scheduleId} ("${found.name}"): ${nextRunText(after.nextRuns[0], after.zone)}.`, changed: true };
    });
  }

  return { listRecapSchedulesOf, setRecapSchedulePaused };
}
