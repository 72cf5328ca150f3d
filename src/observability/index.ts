export {
  collectProcessMetrics,
  floodWaitEvents,
  limiterRedisErrors,
  metricsRegistry,
  metricsText,
  quotaLimit,
  quotaUsed,
  rateLimitRequests,
  rateLimitThrottled,
  teleCallLatency,
} from './metrics';
export { startOpsServer, serveOps, listenOn } from './ops-server';
export type { HealthCheck, OpsServer } from './ops-server';
export { redisCheck, workerCheck, diskCheck } from './health-checks';
export { addMetricsSource, metricsSourceUp } from './metrics';
export type { MetricsSource } from './metrics';
export { prometheusEndpointSource } from './metrics-source';
