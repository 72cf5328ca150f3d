import { DateTime } from 'luxon';
import type { RecapResult } from '../../domain';
import { printMarkdownFile } from './run-output';

/** One recap week as the CLI prints it: its numbers, what was posted, notes, and the files. */
export function printRecapSummary(result: RecapResult): void {
  process.stdout.write(
    `${result.week} of ${result.chatTitle}: ${result.messages} messages, ${result.demos} demos (${result.model === 'digest' ? 'no-model digest' : result.model})\n` +
      (result.posted.length ? `posted ${result.posted.length} message(s) into the group\n` : '') +
      result.notes.map((n) => `note: ${n}\n`).join('') +
      result.files.map((f) => `  ${f}\n`).join(''),
  );
}

/** A finished recap run: the recap's text (plain), then its summary line and files. */
export function printRecapResult(result: RecapResult): void {
  printMarkdownFile(result.files);
  printRecapSummary(result);
}

/**
 * A schedule's time as its cohort reads it: in the schedule's zone, named, with UTC beside it for whoever compares
 * with logs (`Mon 2026-11-30 09:00 Europe/Berlin (08:00 UTC)`). An unknown zone shows UTC alone.
 */
export function formatInZone(at: Date, zone: string): string {
  const utc = DateTime.fromJSDate(at, { zone: 'utc' });
  const local = DateTime.fromJSDate(at, { zone });
  if (!local.isValid || zone === 'UTC' || zone === 'Etc/UTC') return `${utc.toFormat('ccc yyyy-LL-dd HH:mm')} UTC`;
  const sameDay = local.toISODate() === utc.toISODate();
  return `${local.toFormat('ccc yyyy-LL-dd HH:mm')} ${zone} (${utc.toFormat(sameDay ? 'HH:mm' : 'ccc HH:mm')} UTC)`;
}
