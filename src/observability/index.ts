export {
  collectProcessMetrics,
  floodWaitEvents,
  jobEvents,
  limiterRedisErrors,
  metricsRegistry,
  metricsText,
  quotaLimit,
  quotaUsed,
  rateLimitRequests,
  rateLimitThrottled,
  teleCallLatency,
} from './metrics';
