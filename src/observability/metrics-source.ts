import { Gauge } from 'prom-client';
import { metricsRegistry } from './metrics';

/**
 * Prometheus text served by another exporter of this process (the Temporal Core SDK runtime serves its own), to be
 * appended to the worker's `/metrics` so that one scrape target shows everything.
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

/** A source that reads a Prometheus endpoint, given up on after `timeoutMs` (a scrape must answer fast). */
export function prometheusEndpointSource(name: string, url: string, timeoutMs = 2000): MetricsSource {
  return {
    name,
    async scrape() {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw new Error(`${url} answered ${res.status}`);
      return res.text();
    },
  };
}

/**
 * Scrapes every source, records whether it worked, and returns their texts joined. A failing source is left out
 * (and shows as `metrics_source_up 0`) rather than failing the whole scrape.
 */
export async function scrapeSources(sources: readonly MetricsSource[]): Promise<string> {
  const texts = await Promise.all(
    sources.map(async (s) => {
      try {
        const text = await s.scrape();
        metricsSourceUp.set({ source: s.name }, 1);
        return text.endsWith('\n') || text === '' ? text : `${text}\n`;
      } catch {
        metricsSourceUp.set({ source: s.name }, 0);
        return '';
      }
    }),
  );
  return texts.join('');
}
