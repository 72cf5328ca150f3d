import type { MetricsSource } from './metrics';

/**
 * A source that reads a Prometheus endpoint of this process, given up on after `timeoutMs` (a scrape must answer
 * fast). Add it with `addMetricsSource`.
 */
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
