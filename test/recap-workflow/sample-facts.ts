import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const SAMPLE = resolve(__dirname, '../../samples/cohort-export/result.json');
export const ZONE = 'Europe/Berlin';
/** The sample's check-in bot: exports do not flag bots, the cohort's settings name it. */
export const BOT_ID = 'user7612093345';
export const BOT_NAME = 'Cohort 7 Bot';

/** The sample's weeks in Europe/Berlin (CET, UTC+1, all of November): Monday 00:00 local is Sunday 23:00 UTC. */
export const WEEKS = {
  '2026-W45': { start: Date.parse('2026-11-01T23:00:00Z'), end: Date.parse('2026-11-08T23:00:00Z') },
  '2026-W46': { start: Date.parse('2026-11-08T23:00:00Z'), end: Date.parse('2026-11-15T23:00:00Z') },
} as const;
export type SampleWeek = keyof typeof WEEKS;

interface RawMessage {
  id: number;
  type: string;
  date_unixtime?: string;
  from_id?: string;
  actor?: string;
  actor_id?: string;
  action?: string;
  members?: string[];
  text?: string | Array<string | { text: string }>;
}

/** What a week of the sample holds, counted straight from the JSON (not through the export parser or the recap library). */
export interface WeekFacts {
  /** Ordinary messages not sent by the bot. */
  messages: number;
  /** Ids of messages with a #demo hashtag. */
  hashtagDemos: number[];
  /** Distinct people who joined by link or were invited (the bot left out). */
  newMembers: number;
  /** Ids of every entry dated in the week. */
  ids: Set<number>;
  /** The plain text of each ordinary message, by id. */
  texts: Map<number, string>;
}

function plain(text: RawMessage['text']): string {
  if (typeof text === 'string') return text;
  return (text ?? []).map((t) => (typeof t === 'string' ? t : t.text)).join('');
}

export function weekFacts(week: SampleWeek): WeekFacts {
  const raw = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { messages: RawMessage[] };
  const { start, end } = WEEKS[week];
  const inWeek = raw.messages.filter((m) => m.date_unixtime !== undefined && Number(m.date_unixtime) * 1000 >= start && Number(m.date_unixtime) * 1000 < end);
  const ordinary = inWeek.filter((m) => m.type === 'message' && m.from_id !== BOT_ID);
  const joined = new Set<string>();
  for (const m of inWeek) {
    if (m.type !== 'service') continue;
    if (m.action === 'join_group_by_link') joined.add(m.actor_id ?? `actor:${m.actor}`);
    if (m.action === 'invite_members') for (const name of m.members ?? []) if (name !== BOT_NAME) joined.add(`name:${name}`);
  }
  return {
    messages: ordinary.length,
    hashtagDemos: ordinary.filter((m) => /#demo\b/i.test(plain(m.text))).map((m) => m.id),
    newMembers: joined.size,
    ids: new Set(inWeek.map((m) => m.id)),
    texts: new Map(ordinary.map((m) => [m.id, plain(m.text)])),
  };
}
