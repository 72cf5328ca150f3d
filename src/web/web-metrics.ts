import { Counter } from 'prom-client';
import { metricsRegistry } from '../observability';

/** Requests the web service answered, by route and status code (a forged or expired link shows as files 403/410). */
export const webRequests = new Counter({
  name: 'web_requests_total',
  help: 'HTTP requests answered by the web service, by route and status',
  labelNames: ['route', 'status'] as const,
  registers: [metricsRegistry],
});
