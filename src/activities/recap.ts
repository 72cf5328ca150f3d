import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BadInputError, Summary, type ChatInfo, type ChatMessage, type HistoryRef, type JobSource, type WeeklyMetrics } from '../domain';
import { compileDetectors, isBot } from '../detectors';
import { slug } from '../deliver';
import {
  ANSWERS_AFTER_MS,
  buildRecapDigest,
  coverageOf,
  createWeeksAccumulator,
  describeCoverage,
  hasData,
  formatWeekSpan,
  lastCompletedWeek,
  loadTrend,
  loadWeeklyMetrics,
  RECAP_SECTIONS,
  renderInfographicPng,
  renderInfographicSvg,
  saveTrendWeek,
  saveWeeklyMetrics,
  TREND_WEEKS,
  weekMetricsKey,
  weekRange,
  weeksEndingAt,
  type SourceSpan,
} from '../recap';
import { HISTORY_PAGE_SIZE, readHistory, writeHistoryPage } from '../store';
import type { ActivityDeps } from './deps';
import { withFailureMapping } from './failures';
import { withHeartbeats } from './heartbeat';
import { ignoredFolderNotes } from './output-folder';
import { renderMarkdown, renderTelegramText, splitForTelegram } from '../deliver';
import { MAX_MESSAGE_CHARS } from '../telegram';
import { confineJobSource } from './export-source';

/** History read before the week: replies in the week to Sunday-night questions still find what they answer. */
export const CONTEXT_BEFORE_MS = 24 * 3600_000;
/** History read after the week (never past the run's time): answers to the week's questions that came late. */
export { ANSWERS_AFTER_MS };
/** Telegram's limit on a photo or document caption, in characters. */
export const CAPTION_LIMIT = 1024;

/** Where a cohort week's rendered recap lives; rendering the week again replaces each file. */
export const recapKeyPrefix = (chatId: number, week: string) => `cohorts/${chatId}/recaps/${week}`;
/** What tgpulse knows of a cohort's chat (title, the names it was recapped under), for `recap history <name>`. */
export const cohortChatKey = (chatId: number) => `cohorts/${chatId}/chat.json`;

/** Where the extent of an export is remembered, per file version (path, size, modification time, chat). */
export const sourceSpanKey = (fingerprint: string) => `sources/spans/${fingerprint}.json`;

/** Which week a run recaps and which span of history it reads for it. */
export interface RecapPlan {
  week: string;
  /** The weeks computed, oldest first, ending with `week`: the trend's earlier weeks too, when asked for. */
  weeks: string[];
  /** The week's [start, end), ISO 8601 UTC. */
  start: string;
  end: string;
  /** What to extract: from a day before the first week to a little after the last, ISO 8601 UTC. */
  since: string;
  until: string;
}

export interface ComputeRecapWeekInput {
  jobId: string;
  history: HistoryRef;
  chat: ChatInfo;
  /** The cohort's name on the CLI, remembered beside the chat so `recap history <name>` finds it. */
  name: string;
  week: string;
  /**
   * Earlier weeks to compute in the same pass (oldest first; `week` may be among them), so the first recap of an
   * export shows the whole trend. Each is stored unless a stored record holds more of it (see `saveTrendWeek`).
   */
  earlierWeeks?: string[];
  /** What the source holds; a week outside it is "no data", a week partly inside it partial. Open-ended when absent. */
  span?: SourceSpan;
  zone: string;
  detectors?: Record<string, unknown>;
  botIds?: string[];
  memberCount?: number;
  /** Also store the week's own messages as a history, for the LLM to read (the digest does not need it). */
  keepWeekHistory?: boolean;
}

export interface ComputeRecapWeekOutput {
  chatId: number;
  metricsKey: string;
  messages: number;
  demos: number;
  /** Decisions the week recorded. */
  decisions: number;
  questions: number;
  /** The week's messages only; present when `keepWeekHistory` was asked. */
  weekHistory?: HistoryRef;
  /** How much of the week the source holds, and what that means for people (null for a full week). */
  coverage: 'full' | 'partial' | 'none';
  coverageNote: string | null;
  /** Earlier weeks stored by this run for the trend. */
  storedEarlier: string[];
  /** What to ask the LLM for, numbers of the week included. */
  llmPrompt: string;
}

export interface RenderRecapOutput {
  pngKey: string;
  svgKey: string;
  markdownKey: string;
  summaryKey: string;
  /** The recap as Telegram messages (JSON array of strings). */
  textKey: string;
  parts: number;
}

/** A stored chat description of a cohort. */
export interface CohortChat {
  chat: ChatInfo;
  names: string[];
}

/**
 * The activities of a weekly recap: plan the week, compute and store its metrics, render the recap (text and
 * infographic) and write it to files. Everything big stays in the artifact store; they return keys and counts.
 */
export function createRecapActivities(deps: ActivityDeps) {
  const { store } = deps;

  /**
   * Picks the week (the given one, or the last completed one at `at` in the cohort's zone) and the span of history
   * to read: with `trend`, from the first week of the trend, so one pass computes the earlier weeks too (for an
   * export, where reading them costs nothing more than the read the extraction makes anyway). Refuses a bad zone, a
   * bad week id, and a week that has not ended at `at`.
   */
  async function planRecapWeek(input: { zone: string; at: string; week?: string; trend?: boolean }): Promise<RecapPlan> {
    return withFailureMapping(async () => {
      const at = new Date(input.at);
      const week = input.week ?? lastCompletedWeek(at, input.zone);
      const range = weekRange(week, input.zone);
      if (range.end.getTime() > at.getTime()) {
        throw new BadInputError(
          `week ${week} (${formatWeekSpan(week, input.zone)}) is not over yet in ${input.zone}`,
          'recap a week once it has ended; leave --week out for the last completed week',
        );
      }
      const until = Math.min(at.getTime(), range.end.getTime() + ANSWERS_AFTER_MS);
      const weeks = weeksEndingAt(range.week, input.trend ? TREND_WEEKS : 1);
      return {
        week: range.week,
        weeks,
        start: range.start.toISOString(),
        end: range.end.toISOString(),
        since: new Date(weekRange(weeks[0]!, input.zone).start.getTime() - CONTEXT_BEFORE_MS).toISOString(),
        until: new Date(until).toISOString(),
      };
    });
  }

  /** Computes a week's metrics from an extracted history and stores them (replacing an earlier run's). */
  async function computeRecapWeek(input: ComputeRecapWeekInput): Promise<ComputeRecapWeekOutput> {
    return withFailureMapping(async () => {
      const memberCount = input.chat.memberCount || input.memberCount;
      const botIds = await withBotNames(input.history, input.botIds ?? []);
      const weeks = [...new Set([...(input.earlierWeeks ?? []), input.week])];
      const acc = createWeeksAccumulator({
        weeks,
        zone: input.zone,
        chatId: input.chat.id,
        detectors: compileDetectors(input.detectors ?? {}),
        botIds,
        ...(memberCount ? { memberCount } : {}),
        ...(input.span ? { span: input.span } : {}),
      });
      const range = weekRange(input.week, input.zone);
      const startMs = range.start.getTime();
      const endMs = range.end.getTime();
      const weekPrefix = `jobs/${input.jobId}/week-history`;
      let page: ChatMessage[] = [];
      let pages = 0;
      let kept = 0;
      for await (const m of readHistory(store, input.history)) {
        acc.add(m);
        const t = Date.parse(m.date);
        if (input.keepWeekHistory && t >= startMs && t < endMs) {
          page.push(m);
          if (page.length === HISTORY_PAGE_SIZE) {
            await writeHistoryPage(store, weekPrefix, pages++, page);
            kept += page.length;
            page = [];
          }
        }
      }
      if (page.length) {
        await writeHistoryPage(store, weekPrefix, pages++, page);
        kept += page.length;
      }
      const all = acc.finish();
      const metrics = all.find((m) => m.week === range.week)!;
      // The week asked for is stored whatever it holds (a rerun replaces it; "no data" is what the user must see);
      // earlier weeks only add to what is stored.
      const { key } = await saveWeeklyMetrics(store, metrics);
      const storedEarlier: string[] = [];
      for (const m of all) if (m.week !== metrics.week && (await saveTrendWeek(store, m))) storedEarlier.push(m.week);
      await rememberCohort(input.chat, input.name);
      return {
        chatId: metrics.chatId,
        metricsKey: key,
        messages: metrics.messages,
        demos: metrics.demos.length,
        decisions: metrics.decisions?.length ?? 0,
        questions: metrics.questions.asked,
        coverage: coverageOf(metrics),
        coverageNote: describeCoverage(metrics),
        storedEarlier,
        ...(input.keepWeekHistory ? { weekHistory: { prefix: weekPrefix, pages, messages: kept } } : {}),
        llmPrompt: recapPrompt(input.week, input.zone, metrics, describeCoverage(metrics)),
      };
    });
  }

  /**
   * Exports name the members of an invite by name only (`name:<name>`), so a bot invited into the group would count
   * as a new member. A first pass over the history learns the names the known bots post under.
   */
  async function withBotNames(history: HistoryRef, botIds: string[]): Promise<string[]> {
    const known = new Set(botIds);
    const out = new Set(botIds);
    for await (const m of readHistory(store, history)) {
      if (m.sender && (known.has(m.sender.id) || isBot(m.sender))) out.add(`name:${m.sender.name}`);
    }
    return [...out];
  }

  async function rememberCohort(chat: ChatInfo, name: string): Promise<void> {
    const raw = await store.tryGet(cohortChatKey(chat.id));
    const before = raw ? (JSON.parse(raw.toString('utf8')) as CohortChat) : null;
    const names = [...new Set([...(before?.names ?? []), name])];
    await store.put(cohortChatKey(chat.id), JSON.stringify({ chat, names } satisfies CohortChat, null, 2));
  }

  /**
   * Renders a stored week: the recap text (the no-model digest, or the LLM's summary at `summaryKey`) as Markdown
   * and as Telegram messages, and the infographic as SVG and PNG, with the trend of the weeks stored before it.
   */
  async function renderRecap(input: { chatId: number; week: string; chat: ChatInfo; summaryKey?: string }): Promise<RenderRecapOutput> {
    return withFailureMapping(async () => {
      const metrics = await loadWeeklyMetrics(store, input.chatId, input.week);
      if (!metrics) throw new BadInputError(`no metrics stored for ${input.week} (${weekMetricsKey(input.chatId, input.week)})`, 'compute the week first');
      const trend = await loadTrend(store, input.chatId, input.week);
      const earlier = trend.slice(0, -1).map((p) => p.metrics);
      const summary = input.summaryKey
        ? Summary.parse(JSON.parse((await store.get(input.summaryKey)).toString('utf8')))
        : buildRecapDigest(metrics, input.chat, earlier);
      const svg = renderInfographicSvg({ metrics, title: input.chat.title, trend });
      const png = renderInfographicPng(svg);
      const parts = renderTelegramText(summary, input.chat, { limit: MAX_MESSAGE_CHARS });
      const prefix = recapKeyPrefix(input.chatId, input.week);
      const keys = {
        pngKey: `${prefix}/recap.png`,
        svgKey: `${prefix}/recap.svg`,
        markdownKey: `${prefix}/recap.md`,
        summaryKey: `${prefix}/recap.json`,
        textKey: `${prefix}/telegram.json`,
      };
      await store.put(keys.pngKey, png);
      await store.put(keys.svgKey, svg);
      let markdown = renderMarkdown(summary, input.chat);
      // The Markdown's byline counts messages and people; for a week without data "0 messages" would read as a
      // quiet week, so the byline says what the week is instead.
      if (!hasData(metrics)) markdown = markdown.replace(/^_\d+ messages · \d+ people/m, '_no data for this week');
      await store.put(keys.markdownKey, markdown);
      await store.put(keys.summaryKey, JSON.stringify(summary, null, 2));
      await store.put(keys.textKey, JSON.stringify(parts));
      return { ...keys, parts: parts.length };
    });
  }

  /**
   * The posts of a recap: the infographic's caption (the recap's opening, cut where a caption must end, at a blank
   * line or a line end) and the text messages after it, which carry on where the caption stopped.
   */
  async function recapPosts(input: { textKey: string }): Promise<{ caption: string; parts: string[] }> {
    return withFailureMapping(async () => {
      const text = (JSON.parse((await store.get(input.textKey)).toString('utf8')) as string[]).join('\n\n').trim();
      const caption = splitForTelegram(text, CAPTION_LIMIT)[0] ?? '';
      return { caption, parts: splitForTelegram(text.slice(caption.length), MAX_MESSAGE_CHARS) };
    });
  }

  /**
   * Copies a rendered recap into the worker's output folder (OUTPUT_DIR): `<chat>-<week>.png`, `.md` and
   * `-metrics.json`, 0600. The names depend only on the cohort and week, so delivering the week again replaces them.
   * A folder the run names (`dir`, from runs and schedules made before the worker decided) is not used; a note says so.
   */
  async function deliverRecapFiles(input: { chatId: number; week: string; chat: ChatInfo; dir?: string }): Promise<{ files: string[]; notes: string[] }> {
    return withFailureMapping(async () => {
      // The week is part of a file name: a run's input must not smuggle a path in through it.
      const metricsKey = weekMetricsKey(input.chatId, input.week);
      const dir = resolve(deps.outputDir);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const base = join(dir, `recap-${slug(input.chat.title)}-${input.week}`);
      const prefix = recapKeyPrefix(input.chatId, input.week);
      const copies: Array<[string, string]> = [
        [`${prefix}/recap.png`, `${base}.png`],
        [`${prefix}/recap.md`, `${base}.md`],
        [metricsKey, `${base}-metrics.json`],
      ];
      // From the store, which may be a bucket another host wrote the week to; through a temporary name, so a
      // reader never sees half a file; owner-only like the store it comes from.
      for (const [key, path] of copies) await store.copyToFile(key, path);
      return { files: copies.map(([, path]) => path), notes: ignoredFolderNotes(input.dir, deps.outputDir) };
    });
  }

  /** Where a stored recap is (a path on the worker's disk, or an `s3://` address), for a Telegram delivery, which leaves no output files. */
  async function recapPaths(input: { keys: string[] }): Promise<{ files: string[] }> {
    return { files: input.keys.map((k) => store.locationOf(k)) };
  }

  /**
   * What an export holds: the dates of its first and last message (any kind), read in one pass and remembered per
   * file version, so a backfill of many weeks over one export reads it for this once. A live chat is not read here:
   * it holds everything up to now (`{ first: chat.createdAt ?? null, last: null }`).
   */
  async function recapSourceSpan(input: { source: JobSource }): Promise<SourceSpan> {
    return withFailureMapping(async () => {
      if (input.source.kind !== 'export') return { first: null, last: null };
      const confined = await confineJobSource(input.source, deps.exportsDir);
      const key = sourceSpanKey(await exportFingerprint(confined.path, confined.chat));
      const cached = await store.tryGet(key);
      if (cached) return JSON.parse(cached.toString('utf8')) as SourceSpan;
      const source = await deps.openSource(confined);
      let first: string | null = null;
      let last: string | null = null;
      for await (const m of source.messages({})) {
        first ??= m.date;
        last = m.date;
      }
      const span: SourceSpan = first === null ? { first: null, last: null, empty: true } : { first, last };
      await store.put(key, JSON.stringify(span));
      return span;
    });
  }

  // The steps that read a whole history or write files heartbeat, so a dead worker's step is retried within seconds.
  return {
    planRecapWeek,
    recapSourceSpan: beating(recapSourceSpan),
    computeRecapWeek: beating(computeRecapWeek),
    renderRecap: beating(renderRecap),
    recapPosts,
    deliverRecapFiles: beating(deliverRecapFiles),
    recapPaths,
  };
}

/** The activity `fn`, heartbeating while it runs (`withHeartbeats`). */
function beating<I, O>(fn: (input: I) => Promise<O>): (input: I) => Promise<O> {
  return (input) => withHeartbeats(() => fn(input));
}

/** An export file's version: its real path, size and modification time (a folder stands for its result.json). */
async function exportFingerprint(path: string, chat: string | undefined): Promise<string> {
  let file = resolve(path);
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, 'result.json');
    info = await stat(file).catch(() => null);
  }
  const version = info ? `${info.size}:${info.mtimeMs}` : 'missing';
  return createHash('sha256').update(`${file}\n${chat ?? ''}\n${version}`).digest('hex').slice(0, 32);
}

/** The LLM's request for a recap: the same sections as the digest, the week's numbers given so it does not count. */
function recapPrompt(week: string, zone: string, m: WeeklyMetrics, coverage: string | null): string {
  const { messages, activeMembers: active, questions } = m;
  return [
    ...(coverage ? [`The source does not hold the whole week: ${coverage}. Say so first, and do not compare this week with whole weeks.`] : []),
    `Write the weekly recap of this cohort group for ${week} (${formatWeekSpan(week, zone)}), for its members and organizers.`,
    `Use these headings, leaving out any with nothing to say: ${RECAP_SECTIONS.join(', ')}.`,
    'Highlights: what the week was about. Demos: what people shipped or showed, by whom. Blockers: who is stuck on what, and whether they got help.',
    'Decisions: what the group or a builder settled ("we decided", "let\'s go with"), by whom.',
    'Open questions: questions nobody answered, the ones others wanted answered and the longest waiting first. Shout-outs: people who helped others or shipped.',
    `The week's numbers, already counted (use them, do not recount): ${messages} messages from ${active} active members, ${m.demos.length} demos, ${m.blockers.length} blockers, ${m.decisions?.length ?? 0} decisions, ${questions.answered} of ${questions.asked} questions answered.`,
    // The ids the counting found, so the model cites the same messages the numbers rest on.
    ...(m.decisions?.length ? [`Decisions found, heaviest first (message ids): ${m.decisions.slice(0, 20).map((d) => d.messageId).join(', ')}.`] : []),
    ...(questions.open.length ? [`Open questions, heaviest first (message ids): ${questions.open.slice(0, 20).map((q) => q.messageId).join(', ')}.`] : []),
  ].join('\n');
}
