import type { SummarySection, SummaryStats, WeeklyMetrics } from '../domain';
import { coverageOf, describeCoverage, formatDuration, formatWeekSpan, renderInfographicSvg } from '../recap';
import type { RunSummary } from '../starters/jobs';
import type { CohortSummary, CohortView } from './cohort-view';
import { historyChart } from './history-chart';
import { html, page, trusted, type SafeHtml } from './html';
import type { RunView } from './run-view';

/** A file of a run or recap as a page lists it: its name and a signed link, or why it cannot be downloaded here. */
export interface FileLink {
  name: string;
  bytes?: number;
  href: string | null;
}

const TYPE_NAMES: Record<string, string> = {
  summarizeChat: 'Summary',
  weeklyRecap: 'Weekly recap',
  exportMembers: 'Members export',
  exportMessages: 'Messages export',
};

const when = (d: Date | undefined) => (d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—');

function size(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  return bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1048576).toFixed(1)} MiB`;
}

function fileList(files: readonly FileLink[]): SafeHtml {
  if (!files.length) return html`<p class="muted">No files.</p>`;
  return html`<table class="files"><tr><th>File</th><th>Size</th><th></th></tr>${files.map(
    (f) =>
      html`<tr><td>${f.name}</td><td class="n">${size(f.bytes)}</td><td>${
        f.href ? html`<a href="${f.href}" download>Download</a>` : html`<span class="muted">not on this host</span>`
      }</td></tr>`,
  )}</table>`;
}

/** The phase to show: the workflow's own while it runs, else what its status says. */
function phaseOf(run: RunView): string {
  if (run.progress) return run.progress.phase;
  if (run.status === 'COMPLETED') return 'done';
  if (run.status === 'RUNNING') return 'starting';
  return run.status.toLowerCase().replace(/_/g, ' ');
}

/** A summary run's own result: its digest or LLM summary, from its JSON file when this host can read it. */
export interface SummaryDoc {
  title: string;
  stats?: SummaryStats;
  model?: string;
  sections: SummarySection[];
}

/** The page of one run: phase, progress, result (or failure), files. Refreshes itself while the run is moving. */
export function runPage(run: RunView, opts: { files: FileLink[]; summary: SummaryDoc | null; uiUrl: string }): string {
  const r = run.result;
  const title = run.title ?? run.workflowId;
  const progress = run.progress;
  const counts: SafeHtml[] = [];
  if (progress && run.status === 'RUNNING') counts.push(html`<dt>Progress</dt><dd>${progress.messages} history entries read so far${progress.resumesAt ? ` (waiting for Telegram until ${progress.resumesAt})` : ''}</dd>`);
  if (r && typeof r.messages === 'number') {
    const stats = opts.summary?.stats;
    const people = stats ? `, ${stats.participants} people` : '';
    const read = stats && stats.messages <= r.messages ? `${stats.messages} messages${people} (${r.messages} history entries read)` : `${r.messages} history entries read`;
    counts.push(html`<dt>Read</dt><dd>${read}</dd>`);
  }
  if (r && typeof r.members === 'number') counts.push(html`<dt>Members</dt><dd>${r.members}</dd>`);
  if (r && typeof r.week === 'string') {
    counts.push(html`<dt>Week</dt><dd>${r.week}${typeof r.chatId === 'number' ? html` · <a href="/cohorts/${r.chatId}">cohort history</a>` : ''}</dd>`);
    if (typeof r.demos === 'number') counts.push(html`<dt>Demos</dt><dd>${r.demos}</dd>`);
    if (typeof r.coverage === 'string' && r.coverage !== 'full') counts.push(html`<dt>Coverage</dt><dd>${r.coverage === 'none' ? 'no data for this week' : 'partial week'}</dd>`);
  }
  if (r && typeof r.model === 'string') counts.push(html`<dt>Model</dt><dd>${r.model === 'digest' ? 'no-model digest' : r.model}</dd>`);
  const notes = r && Array.isArray(r.notes) ? (r.notes as unknown[]).filter((n): n is string => typeof n === 'string') : [];
  const body = html`
<h1>${title}</h1>
<p><span class="status ${run.status}">${run.status.toLowerCase()}</span> <span class="muted">${TYPE_NAMES[run.type] ?? run.type}</span></p>
<dl>
<dt>Phase</dt><dd class="phase">${phaseOf(run)}</dd>
${counts}
<dt>Started</dt><dd>${when(run.startTime)}</dd>
<dt>Finished</dt><dd>${when(run.closeTime)}</dd>
<dt>Run</dt><dd>${run.workflowId} · <a href="${opts.uiUrl}">Temporal Web UI</a></dd>
</dl>
${run.failure ? html`<h2>Failure</h2><div class="error"><p class="failure">${run.failure}</p><p class="muted">Start it again with <code>tgpulse rerun ${run.workflowId}</code> once the cause is fixed.</p></div>` : ''}
${notes.length ? html`<h2>Notes</h2><ul>${notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}
${run.status === 'COMPLETED' || opts.files.length ? html`<h2>Files</h2>${fileList(opts.files)}` : ''}
${opts.summary ? summaryHtml(opts.summary) : ''}`;
  return page({ title, body, ...(run.status === 'RUNNING' ? { refreshSeconds: 5 } : {}) });
}

function summaryHtml(doc: SummaryDoc): SafeHtml {
  return html`<h2>${doc.title}</h2>${doc.sections.map(
    (s) => html`<h3>${s.heading}</h3><ul>${s.points.map((p) => html`<li>${p.text}</li>`)}</ul>`,
  )}`;
}

function weekRow(m: WeeklyMetrics, previous: WeeklyMetrics | undefined): SafeHtml {
  const status = coverageOf(m);
  if (status === 'none') return html`<tr><td>${m.week}</td><td>${formatWeekSpan(m.week, m.zone)}</td><td colspan="7" class="muted">no data: the source does not hold this week</td></tr>`;
  const change = previous && coverageOf(previous) === 'full' && status === 'full' && previous.messages ? Math.round(((m.messages - previous.messages) / previous.messages) * 100) : null;
  return html`<tr><td>${m.week}</td><td>${formatWeekSpan(m.week, m.zone)}${status === 'partial' ? html`<br><span class="muted">${describeCoverage(m) ?? 'partial week'}</span>` : ''}</td>
<td class="n">${m.messages}${change !== null ? html` <span class="muted">(${change > 0 ? '+' : change < 0 ? '−' : '±'}${Math.abs(change)}%)</span>` : ''}</td>
<td class="n">${m.activeMembers}</td><td class="n">${m.newMembers}</td><td class="n">${m.questions.answered} / ${m.questions.asked}</td>
<td class="n">${formatDuration(m.medianFirstReplySeconds)}</td><td class="n">${m.demos.length}</td><td class="n">${m.blockers.length}</td></tr>`;
}

/** The page of a cohort: every stored week (a table and a chart), the newest week's infographic and recap files. */
export function cohortPage(view: CohortView, files: FileLink[]): string {
  const latest = view.latest;
  const body = html`
<h1>${view.title}</h1>
<p class="muted">Cohort ${view.chatId}${view.names.length ? html` · recapped as ${view.names.join(', ')}` : ''} · ${view.weeks.length} week(s) stored</p>
<h2>Recap history</h2>
<figure class="history-chart">${historyChart(view.weeks)}</figure>
<table class="history"><tr><th>Week</th><th>Dates</th><th>Messages</th><th>Active</th><th>New members</th><th>Questions answered</th><th>Median first reply</th><th>Demos</th><th>Blockers</th></tr>
${view.weeks.map((m, i) => weekRow(m, view.weeks[i - 1]))}</table>
${
  latest
    ? html`<h2>Latest recap: ${latest.metrics.week}</h2>
<figure class="infographic">${trusted(renderInfographicSvg({ metrics: latest.metrics, title: view.title, trend: latest.trend, allScripts: true }))}</figure>
<h2>Files of ${latest.metrics.week}</h2>${fileList(files)}`
    : html`<p class="muted">No week is stored yet.</p>`
}`;
  return page({ title: view.title, body });
}

/** The start page: recent runs (or why they cannot be listed) and the cohorts with stored recaps. */
export function indexPage(runs: RunSummary[] | { error: string }, cohorts: CohortSummary[]): string {
  const runList = Array.isArray(runs)
    ? runs.length
      ? html`<table><tr><th>Run</th><th>Type</th><th>Status</th><th>Started</th></tr>${runs.map(
          (r) => html`<tr><td><a href="/runs/${encodeURIComponent(r.workflowId)}">${r.workflowId}</a></td><td>${TYPE_NAMES[r.type] ?? r.type}</td><td><span class="status ${r.status}">${r.status.toLowerCase()}</span></td><td>${when(r.startTime)}</td></tr>`,
        )}</table>`
      : html`<p class="muted">No runs yet: start one with <code>tgpulse summarize</code>.</p>`
    : html`<div class="error">${runs.error}</div>`;
  const cohortList = cohorts.length
    ? html`<ul>${cohorts.map((c) => html`<li><a href="/cohorts/${c.chatId}">${c.title}</a> <span class="muted">${c.weeks} week(s)${c.newest ? `, newest ${c.newest}` : ''}</span></li>`)}</ul>`
    : html`<p class="muted">No recap stored yet: run one with <code>tgpulse recap run</code>.</p>`;
  return page({ title: 'Runs and cohorts', body: html`<h1>Runs and cohorts</h1><h2>Recent runs</h2>${runList}<h2>Cohorts</h2>${cohortList}` });
}

/** A page that says what went wrong and what to do, never a stack. */
export function messagePage(title: string, message: string, hint?: string): string {
  return page({ title, body: html`<h1>${title}</h1><div class="error"><p class="message">${message}</p>${hint ? html`<p class="muted">${hint}</p>` : ''}</div>` });
}
