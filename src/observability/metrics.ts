import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The one Prometheus registry of a tgpulse process. Every metric of our code is registered here (not in
 * prom-client's global registry), so a test or a second registry never sees duplicates.
 */
export const metricsRegistry = new Registry();

/** Telegram calls asked of the limiter (granted or not), by account and operation. */
export const rateLimitRequests = new Counter({
  name: 'rate_limit_requests_total',
  help: 'Telegram calls that asked the limiter for a token',
  labelNames: ['account', 'operation'] as const,
  registers: [metricsRegistry],
});

/** Calls that had to wait: no token yet, or the account or its pause group was paused. */
export const rateLimitThrottled = new Counter({
  name: 'rate_limit_throttled_total',
  help: 'Telegram calls that waited for a token or for a pause to end',
  labelNames: ['account', 'operation', 'reason'] as const,
  registers: [metricsRegistry],
});

/** FLOOD_WAIT / SLOWMODE_WAIT answers from Telegram: each pauses the whole account. */
export const floodWaitEvents = new Counter({
  name: 'flood_wait_events_total',
  help: 'FLOOD_WAIT and SLOWMODE_WAIT answers from Telegram',
  labelNames: ['account', 'operation'] as const,
  registers: [metricsRegistry],
});

/** How long one Telegram call took once it had its token (the wait is not included). */
export const teleCallLatency = new Histogram({
  name: 'tele_call_latency_seconds',
  help: 'Latency of Telegram calls, from after the token to the answer',
  labelNames: ['account', 'operation', 'outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

/** Quota used today (ceilings such as groups: in total), as last seen by this process. */
export const quotaUsed = new Gauge({
  name: 'rate_limit_quota_used',
  help: 'Quota used: daily quotas since 00:00 UTC, ceilings in total',
  labelNames: ['account', 'quota'] as const,
  registers: [metricsRegistry],
});

/** The configured limit of each quota, so a dashboard can show used / limit. */
export const quotaLimit = new Gauge({
  name: 'rate_limit_quota_limit',
  help: 'Configured limit of each quota',
  labelNames: ['account', 'quota'] as const,
  registers: [metricsRegistry],
});

/** Redis failures of the limiter: before a call (it was not made) or after it (its bookkeeping was lost). */
export const limiterRedisErrors = new Counter({
  name: 'rate_limit_redis_errors_total',
  help: 'Redis failures seen by the limiter; stage=before means no Telegram call was made',
  labelNames: ['stage'] as const,
  registers: [metricsRegistry],
});

let defaultsOn = false;

/** Adds Node's process metrics (CPU, memory, event loop lag) to the registry. Call once per process. */
export function collectProcessMetrics(): void {
  if (defaultsOn) return;
  collectDefaultMetrics({ register: metricsRegistry });
  defaultsOn = true;
}

/**
 * Prometheus text served by another exporter of this process (the Temporal SDK runtime serves its own), appended to
 * `/metrics` so that one scrape target shows everything.
 */
export interface MetricsSource {
  /** Names the source in `metrics_source_up`. */
  name: string;
  /** The source's metrics in Prometheus text format; rejects when it cannot be read. */
  scrape(): Promise<string>;
}

/** Whether the last scrape of each extra source worked: a missing `temporal_` series then says why. */
export const metricsSourceUp = new Gauge({
  name: 'metrics_source_up',
  help: 'Whether the last scrape of an in-process metrics source (1) worked or (0) failed',
  labelNames: ['source'] as const,
  registers: [metricsRegistry],
});

const sources = new Set<MetricsSource>();

/** Appends a source's metrics to every later `/metrics` of this process. Returns the function that removes it. */
export function addMetricsSource(source: MetricsSource): () => void {
  sources.add(source);
  return () => {
    sources.delete(source);
    metricsSourceUp.remove({ source: source.name });
  };
}

/** Scrapes one source: its text, or '' (and `metrics_source_up 0`) when it fails, so the whole scrape never does. */
async function scrapeSource(source: MetricsSource): Promise<string> {
  try {
    const text = await source.scrape();
    metricsSourceUp.set({ source: source.name }, 1);
    return text === '' || text.endsWith('\n') ? text : `${text}\n`;
  } catch {
    metricsSourceUp.set({ source: source.name }, 0);
    return '';
  }
}

/** The registry in Prometheus text format, then every added source's, with the content type, for `/metrics`. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  // The sources first: whether each was read is part of our own text.
  const extra = await Promise.all([...sources].map(scrapeSource));
  return { contentType: metricsRegistry.contentType, body: (await metricsRegistry.metrics()) + extra.join('') };
}
