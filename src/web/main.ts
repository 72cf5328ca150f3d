import { loadConfig, loadDotenv } from '../config';
import { describeError } from '../domain';
import { collectProcessMetrics } from '../observability';
import { openArtifactStore } from '../store';
import { codecHandlerFromConfig } from '../temporal';
import { createWebServer } from './web-server';

/**
 * `npm run web`: the web pages (runs, cohorts, signed downloads, /healthz, /metrics) until SIGINT or SIGTERM.
 * Bound to WEB_HOST (127.0.0.1 by default): reaching it from elsewhere needs a reverse proxy with authentication.
 */
async function main(): Promise<void> {
  loadDotenv();
  const config = loadConfig();
  // The codec endpoint checks its own token, and the Web UI's CORS preflight carries none: public to WEB_TOKEN.
  const codec = { prefix: '/codec', handle: codecHandlerFromConfig(config), public: true };
  const web = createWebServer({ config, store: await openArtifactStore(config), routes: [codec] });
  const { url } = await web.listen();
  collectProcessMetrics();
  process.stdout.write(`tgpulse web pages on ${url} (runs from Temporal at ${config.TEMPORAL_ADDRESS}, files from ${config.OUTPUT_DIR} and ${config.DATA_DIR})\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await web.close();
}

main().catch((err: unknown) => {
  const { message, exitCode } = describeError(err);
  process.stderr.write(`${message}\n`);
  process.exitCode = exitCode;
});
