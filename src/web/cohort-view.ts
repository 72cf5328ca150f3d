import { cohortChatKey, recapKeyPrefix, type CohortChat } from '../activities';
import type { WeeklyMetrics } from '../domain';
import { listStoredWeeks, loadTrend, loadWeeklyMetrics, type TrendPoint } from '../recap';
import type { ArtifactStore } from '../store';

/** A cohort as the index lists it. */
export interface CohortSummary {
  chatId: number;
  title: string;
  names: string[];
  weeks: number;
  newest: string | null;
}

/** What the cohort page shows: every stored week, and the newest week's trend and recap files. */
export interface CohortView {
  chatId: number;
  title: string;
  names: string[];
  /** Every stored week, oldest first. */
  weeks: WeeklyMetrics[];
  /** The newest stored week and the trend ending at it (for the infographic); null when none is stored. */
  latest: { metrics: WeeklyMetrics; trend: TrendPoint[]; files: { png: boolean; svg: boolean; md: boolean } } | null;
}

async function readChat(store: ArtifactStore, chatId: number): Promise<CohortChat | null> {
  const raw = await store.tryGet(cohortChatKey(chatId));
  return raw ? (JSON.parse(raw.toString('utf8')) as CohortChat) : null;
}

/** The cohorts the store holds recaps of (those a recap ran for: each has a `chat.json`), by title. */
export async function listCohorts(store: ArtifactStore): Promise<CohortSummary[]> {
  const out: CohortSummary[] = [];
  for (const key of await store.list('cohorts')) {
    const m = /^cohorts\/(-?\d+)\/chat\.json$/.exec(key);
    if (!m) continue;
    const chatId = Number(m[1]);
    const chat = await readChat(store, chatId);
    const weeks = await listStoredWeeks(store, chatId);
    out.push({ chatId, title: chat?.chat.title ?? String(chatId), names: chat?.names ?? [], weeks: weeks.length, newest: weeks.at(-1) ?? null });
  }
  return out.sort((a, b) => a.title.localeCompare(b.title));
}

/** A cohort's stored weeks and newest recap; null when nothing is stored for that chat id. */
export async function loadCohort(store: ArtifactStore, chatId: number): Promise<CohortView | null> {
  const chat = await readChat(store, chatId);
  const ids = await listStoredWeeks(store, chatId);
  if (!chat && !ids.length) return null;
  const weeks = (await Promise.all(ids.map((w) => loadWeeklyMetrics(store, chatId, w)))).filter((m): m is WeeklyMetrics => m !== null);
  const newest = weeks.at(-1);
  let latest: CohortView['latest'] = null;
  if (newest) {
    const prefix = recapKeyPrefix(chatId, newest.week);
    const [png, svg, md] = await Promise.all(['png', 'svg', 'md'].map((ext) => store.exists(`${prefix}/recap.${ext}`)));
    latest = { metrics: newest, trend: await loadTrend(store, chatId, newest.week), files: { png: png!, svg: svg!, md: md! } };
  }
  return { chatId, title: chat?.chat.title ?? String(chatId), names: chat?.names ?? [], weeks, latest };
}
