import type { ChatInfo, Peer, RecapItem, Summary, SummaryPoint, WeeklyMetrics } from '../domain';
import { describeCoverage, hasData } from './coverage';
import { compareWeeks, formatDuration, formatPercent, type MetricChange } from './history';
import { formatWeekSpan } from './week';

/** Points shown per recap section before "…and N more". */
export const MAX_POINTS_PER_SECTION = 8;

/** Section headings of a recap, in order. An LLM recap should use the same so both render alike. */
export const RECAP_SECTIONS = ['Highlights', 'Demos', 'Blockers', 'Decisions', 'Open questions', 'Shout-outs'] as const;

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function who(peer: Peer | undefined): string {
  return peer ? peer.name || (peer.username ? `@${peer.username}` : 'someone') : 'someone';
}

function vsLastWeek(change: MetricChange | undefined): string {
  if (change?.notCompared === 'previous week had no data') return ' (last week had no data)';
  if (change?.notCompared === 'previous week was partial') return ' (last week was a partial week, not compared)';
  if (!change || change.delta === null) return '';
  const pct = formatPercent(change);
  return pct ? ` (${pct} vs last week)` : '';
}

/** Where a blocker stands; a record from before statuses were stored knows only whether someone replied. */
function blockerStatus(b: RecapItem): string {
  const status = b.status ?? (b.replied ? 'answered' : 'open');
  if (status === 'resolved') return 'solved';
  if (status === 'answered') return 'answered, not marked solved';
  return b.waitedSeconds !== undefined ? `still open: no reply for ${formatDuration(b.waitedSeconds)}` : 'no reply yet';
}

function isStuck(b: RecapItem): boolean {
  return (b.status ?? (b.replied ? 'answered' : 'open')) === 'open';
}

function itemPoints(items: readonly RecapItem[], describe: (item: RecapItem) => string): SummaryPoint[] {
  const shown = items.slice(0, MAX_POINTS_PER_SECTION).map((item) => ({ text: describe(item), messageIds: [item.messageId] }));
  if (items.length > MAX_POINTS_PER_SECTION) {
    const rest = items.slice(MAX_POINTS_PER_SECTION);
    shown.push({ text: `…and ${rest.length} more`, messageIds: rest.slice(0, 20).map((i) => i.messageId) });
  }
  return shown;
}

/**
 * The no-model recap of a week: highlights (with week-over-week changes), demos, blockers (heaviest first, with
 * where each stands), decisions, open questions (heaviest first, with how long each has waited) and shout-outs,
 * every point carrying the ids of its messages. `earlier` is the trend before this week, oldest first,
 * ending with the previous week (see `loadTrend`). Sections with nothing to say are left out.
 *
 * A week the source does not hold says so and nothing else (its zeros are not a quiet week); a partial week says
 * which days it holds first, and is not compared with whole weeks.
 */
export function buildRecapDigest(metrics: WeeklyMetrics, chat: Pick<ChatInfo, 'title'>, earlier: readonly (WeeklyMetrics | null)[] = []): Summary {
  const changes = new Map(compareWeeks(metrics, earlier).map((c) => [c.key, c]));
  const m = metrics;
  const highlights: SummaryPoint[] = [];
  const title = `Weekly recap · ${chat.title} · ${m.week} (${formatWeekSpan(m.week, m.zone)})`;
  const coverage = describeCoverage(m);
  if (!hasData(m)) {
    const text = `${coverage![0]!.toUpperCase()}${coverage!.slice(1)}: nothing is known about this week, so there are no numbers and no comparison. Recap a week the source holds, or a newer export.`;
    return { title, sections: [{ heading: 'Highlights', points: [{ text, messageIds: [] }] }], stats: { messages: 0, participants: 0, firstDate: m.start, lastDate: m.end }, model: 'digest' };
  }
  if (coverage) highlights.push({ text: `${coverage[0]!.toUpperCase()}${coverage.slice(1)}: the numbers cover those days only and are not compared with whole weeks.`, messageIds: [] });

  const share = m.activeShare !== null ? ` (${Math.round(m.activeShare * 100)}% of ${m.memberCount})` : '';
  highlights.push({
    text: `${plural(m.messages, 'message')}${vsLastWeek(changes.get('messages'))} from ${plural(m.activeMembers, 'active member')}${share}.`,
    messageIds: [],
  });
  if (m.demos.length) highlights.push({ text: `${plural(m.demos.length, 'demo')} shipped${vsLastWeek(changes.get('demos'))}.`, messageIds: m.demos.slice(0, 5).map((d) => d.messageId) });
  if (m.questions.asked) {
    const reply = m.medianFirstReplySeconds !== null ? `; median first reply ${formatDuration(m.medianFirstReplySeconds)}` : '';
    highlights.push({ text: `${m.questions.answered} of ${plural(m.questions.asked, 'question')} answered${reply}.`, messageIds: [] });
  } else if (m.medianFirstReplySeconds !== null) {
    highlights.push({ text: `Median first reply ${formatDuration(m.medianFirstReplySeconds)}.`, messageIds: [] });
  }
  const stuck = m.blockers.filter(isStuck).length;
  if (m.blockers.length) highlights.push({ text: `${plural(m.blockers.length, 'blocker')} raised${stuck ? `, ${stuck} still without a reply` : ', all got a reply'}.`, messageIds: [] });
  // A week stored before decisions were detected says nothing about them; a week with none says so only if the
  // week before had some (the change is the news).
  const decisions = m.decisions;
  const decisionChange = changes.get('decisions');
  if (decisions && (decisions.length || decisionChange?.previous)) {
    highlights.push({ text: `${plural(decisions.length, 'decision')} made${vsLastWeek(decisionChange)}.`, messageIds: decisions.slice(0, 5).map((d) => d.messageId) });
  }
  if (m.newMembers || m.departedMembers) {
    const parts = [m.newMembers ? `${plural(m.newMembers, 'new member')} joined` : '', m.departedMembers ? `${m.newMembers ? m.departedMembers : plural(m.departedMembers, 'member')} left` : ''].filter(Boolean);
    highlights.push({ text: `${parts.join(', ')}.`, messageIds: [] });
  }
  const busiest = m.perDay.reduce((best, n, i) => (n > m.perDay[best]! ? i : best), 0);
  if (m.messages) highlights.push({ text: `Busiest day: ${DAY_NAMES[busiest]} (${plural(m.perDay[busiest]!, 'message')}).`, messageIds: [] });
  const top = m.mostReacted[0];
  if (top) highlights.push({ text: `Most reacted: ${who(top.sender)} — “${top.text}” (${plural(top.reactions, 'reaction')}).`, messageIds: [top.messageId] });

  const sections = [{ heading: 'Highlights', points: highlights }];
  if (m.demos.length) sections.push({ heading: 'Demos', points: itemPoints(m.demos, (d) => `${who(d.sender)}: ${d.text}`) });
  if (m.blockers.length) {
    // Who is still stuck comes first (heaviest first within each group): those are the ones an organizer should act on.
    const ordered = [...m.blockers.filter(isStuck), ...m.blockers.filter((b) => !isStuck(b))];
    sections.push({ heading: 'Blockers', points: itemPoints(ordered, (b) => `${who(b.sender)}: ${b.text} (${blockerStatus(b)})`) });
  }
  if (decisions?.length) sections.push({ heading: 'Decisions', points: itemPoints(decisions, (d) => `${who(d.sender)}: ${d.text}`) });
  if (m.questions.open.length) {
    const waited = (q: RecapItem) => (q.waitedSeconds !== undefined ? ` (no reply for ${formatDuration(q.waitedSeconds)})` : '');
    sections.push({ heading: 'Open questions', points: itemPoints(m.questions.open, (q) => `${who(q.sender)}: ${q.text}${waited(q)}`) });
  }

  const shoutOuts: SummaryPoint[] = [];
  if (m.topContributors.length) {
    shoutOuts.push({ text: `Most active: ${m.topContributors.slice(0, 3).map((c) => `${who(c.peer)} (${c.messages})`).join(', ')}.`, messageIds: [] });
  }
  for (const h of m.helpers.slice(0, 3)) shoutOuts.push({ text: `${who(h.peer)} answered ${plural(h.answered, 'question')}.`, messageIds: [] });
  const shippers = [...new Set(m.demos.map((d) => who(d.sender)))];
  if (shippers.length) shoutOuts.push({ text: `Shipped a demo: ${shippers.slice(0, 6).join(', ')}${shippers.length > 6 ? ` and ${shippers.length - 6} more` : ''}.`, messageIds: [] });
  if (shoutOuts.length) sections.push({ heading: 'Shout-outs', points: shoutOuts });

  return {
    title,
    sections,
    stats: { messages: m.messages, participants: m.activeMembers, firstDate: m.start, lastDate: m.end },
    model: 'digest',
  };
}
