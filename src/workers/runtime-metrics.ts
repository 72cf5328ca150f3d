import { Runtime } from '@temporalio/worker';
import { freePort } from '../devstack';
import { addMetricsSource, prometheusEndpointSource } from '../observability';

/**
 * Installs the Temporal SDK runtime with its Prometheus exporter on a free loopback port, and adds that exporter to
 * this process's `/metrics`: one scrape target shows our metrics and the SDK's (`temporal_` series: task slots,
 * pollers, schedule-to-start latency, sticky cache, request latency).
 *
 * Names follow Prometheus conventions (`_total` counters, `_seconds` histograms), as Temporal's own SDK dashboard
 * expects. Call it once per process, before the first connection to Temporal: the runtime is a process-wide
 * singleton that the first connection creates.
 */
export async function installRuntimeMetrics(): Promise<void> {
  const port = await freePort();
  const bindAddress = `127.0.0.1:${port}`;
  Runtime.install({
    telemetryOptions: {
      metrics: { prometheus: { bindAddress, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true } },
    },
  });
  addMetricsSource(prometheusEndpointSource('temporal_sdk', `http://${bindAddress}/metrics`));
}
