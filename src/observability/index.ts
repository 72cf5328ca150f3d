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
export { startOpsServer } from './ops-server';
export type { HealthCheck, OpsServer } from './ops-server';
export { redisCheck, workerCheck, diskCheck } from './health-checks';
export { metricsSourceUp, prometheusEndpointSource, scrapeSources } from './metrics-source';
export type { MetricsSource } from './metrics-source';
