/** A problem zod found in a run's input: where, and what. */
export interface InputIssue {
  path: PropertyKey[];
  message: string;
}

/** The CLI flag a field of a run's input comes from, so a problem names what the user typed. */
const FLAG_OF: Record<string, string> = {
  prompt: '--prompt',
  since: '--since',
  until: '--until',
  week: '--week',
  path: 'the output file',
  'source.path': '--export',
  'source.chat': '--chat',
  'source.account': '--account',
  'delivery.dir': '--out',
  'delivery.chat': '--post-to',
  'delivery.account': '--account',
  'cohort.name': 'the cohort name',
  'cohort.zone': '--tz',
  'cohort.source.path': '--export',
  'cohort.source.chat': '--chat',
  'cohort.source.account': '--account',
};

/**
 * One line for every problem in a run's input. A message that opens by naming its field ("the prompt is empty: …")
 * stands alone; any other is prefixed with the flag it came from (`--post-to: no chat given`), not a JSON path.
 */
export function describeIssues(issues: readonly InputIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      const field = String(issue.path.at(-1) ?? '');
      if (field && issue.message.toLowerCase().startsWith(`the ${field.toLowerCase()} `)) return issue.message;
      return `${FLAG_OF[path] ?? (path || 'input')}: ${issue.message}`;
    })
    .join('; ');
}
