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
 * singleton that the first connection creates. `pickPort` (a free loopback port by default) is for tests.
 */
export async function installRuntimeMetrics(opts: { pickPort?: () => Promise<number> } = {}): Promise<void> {
  const pickPort = opts.pickPort ?? freePort;
  // The free port can be taken between asking for it and binding it: the install then throws, and we ask again.
  for (let attempt = 1; ; attempt++) {
    const bindAddress = `127.0.0.1:${await pickPort()}`;
    try {
      Runtime.install({
        telemetryOptions: {
          metrics: { prometheus: { bindAddress, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true } },
        },
      });
    } catch (err) {
      // Not `instanceof Error`: the native module's errors may come from another realm.
      if (attempt < 3 && /address already in use/i.test(String((err as { message?: unknown } | undefined)?.message))) continue;
      throw err;
    }
    addMetricsSource(prometheusEndpointSource('temporal_sdk', `http://${bindAddress}/metrics`));
    return;
  }
}
