import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { basename } from 'node:path';
import type { Config } from '../config';
import { BadInputError, TransportError } from '../domain';
import { listenOn, serveOps, type HealthCheck } from '../observability';
import { recapKeyPrefix } from '../activities';
import type { ArtifactStore } from '../store';
import { runUrl } from '../temporal';
import { listCohorts, loadCohort } from './cohort-view';
import { accessCookie, hasAccess } from './access-token';
import { fileId, parseFileId, RECAP_FILES, recapFileName, resolveUnder, type FileRef } from './file-ids';
import { downloadHeaders, HttpError, PAGE_HEADERS } from './http-responses';
import { cohortPage, indexPage, messagePage, runPage, type FileLink, type SummaryDoc } from './pages';
import { listRecentRuns, loadRun, resultFiles, type RunView } from './run-view';
import { createLinkSigner, signingKeyOf, type LinkSigner } from './signed-links';
import { createTemporalAccess, type TemporalAccess } from './temporal-access';
import { webRequests } from './web-metrics';

/**
 * An extra handler mounted at a path prefix (`/codec` answers `/codec` and `/codec/...`). It sees the request
 * before the service's own routes and owns the response. Behind `WEB_TOKEN` like the pages unless `public`.
 */
export interface WebRoute {
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
  public?: boolean;
}

/** The settings the web service reads. */
export type WebConfig = Pick<
  Config,
  | 'TEMPORAL_ADDRESS'
  | 'TEMPORAL_NAMESPACE'
  | 'TEMPORAL_API_KEY'
  | 'TEMPORAL_CODEC_KEYS'
  | 'TEMPORAL_TLS'
  | 'TEMPORAL_TASK_QUEUE'
  | 'TEMPORAL_UI_URL'
  | 'DATA_DIR'
  | 'OUTPUT_DIR'
  | 'WEB_HOST'
  | 'WEB_PORT'
  | 'WEB_SIGNING_KEY'
  | 'WEB_LINK_TTL_SECONDS'
  | 'WEB_TOKEN'
>;

export interface WebServerOptions {
  config: WebConfig;
  /** Extra handlers by path prefix (the payload codec endpoint, say). */
  routes?: WebRoute[];
  /** The clock download links are signed and checked with, ms since the epoch. */
  now?: () => number;
  /** Where cohorts' weeks and recap files are read (the workers' artifact store). */
  store: ArtifactStore;
  /** Where an unexpected error is reported (its stack stays out of the page). */
  log?: (line: string) => void;
}

export interface WebServer {
  server: Server;
  /** Listens on WEB_HOST:WEB_PORT; resolves with the address. A busy port is a one-line BadInputError. */
  listen(): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
}

/** Runs the start page lists. */
const RECENT_RUNS = 30;

/**
 * The web service: a page per run (`/runs/<workflow id>`), a page per cohort (`/cohorts/<chat id>`), an index (`/`),
 * downloads by signed expiring link (`/files/<id>?exp=…&sig=…`), `/healthz` and `/metrics`, and any extra `routes`.
 * Runs come from Temporal, cohorts from the artifact store; files are served only from OUTPUT_DIR and DATA_DIR.
 * Throws a ConfigError when WEB_SIGNING_KEY is missing or short.
 *
 * @example
 * // The codec endpoint checks its own token and answers the Web UI's CORS preflight: public.
 * const web = createWebServer({ config, store, routes: [{ prefix: '/codec', handle: codecHandler, public: true }] });
 * const { url } = await web.listen();
 */
export function createWebServer(opts: WebServerOptions): WebServer {
  const { config } = opts;
  const signer: LinkSigner = createLinkSigner({ key: signingKeyOf(config), ttlSeconds: config.WEB_LINK_TTL_SECONDS, ...(opts.now ? { now: opts.now } : {}) });
  const { store } = opts;
  const roots = [config.OUTPUT_DIR, config.DATA_DIR];
  const temporal: TemporalAccess = createTemporalAccess(config);
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const checks: HealthCheck[] = [{ name: 'temporal', check: () => temporal.use((c) => c.connection.workflowService.getSystemInfo({}).then(() => undefined)) }];

  const sendPage = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, PAGE_HEADERS).end(body);
  };

  async function fileLinks(refs: FileRef[], paths: (string | null)[]): Promise<FileLink[]> {
    return Promise.all(
      refs.map(async (ref, i) => {
        const path = paths[i] ?? null;
        const real = path ? await resolveUnder(roots, path) : null;
        const bytes = real ? (await stat(real)).size : undefined;
        return { name: path ? basename(path) : '', ...(bytes !== undefined ? { bytes } : {}), href: real ? signer.link(fileId(ref)) : null };
      }),
    );
  }

  async function readSummary(run: RunView): Promise<SummaryDoc | null> {
    if (run.type !== 'summarizeChat') return null;
    const json = resultFiles(run.result).find((f) => f.endsWith('.json'));
    const real = json ? await resolveUnder(roots, json) : null;
    if (!real) return null;
    try {
      const doc = JSON.parse(await readFile(real, 'utf8')) as SummaryDoc;
      return Array.isArray(doc.sections) ? doc : null;
    } catch {
      // A file being rewritten or not ours: the page shows the run without it.
      return null;
    }
  }

  async function runRoute(res: ServerResponse, workflowId: string) {
    let run: RunView;
    try {
      run = await temporal.use((client) => loadRun(client, workflowId));
    } catch (err) {
      if (err instanceof BadInputError) throw new HttpError(404, 'No such run', `There is no run ${workflowId}.`, 'The start page lists recent runs; `tgpulse runs` lists them too.');
      throw err;
    }
    const paths = resultFiles(run.result);
    const files = await fileLinks(
      paths.map((_, index) => ({ kind: 'run', workflowId, index })),
      paths,
    );
    sendPage(res, 200, runPage(run, { files, summary: await readSummary(run), uiUrl: runUrl(config, workflowId, run.runId) }));
  }

  async function cohortRoute(res: ServerResponse, id: string) {
    const view = /^-?\d{1,20}$/.test(id) ? await loadCohort(store, Number(id)) : null;
    if (!view) throw new HttpError(404, 'No such cohort', `No recap of cohort ${id} is stored here.`, 'Run one with `tgpulse recap run`; the start page lists the cohorts stored.');
    const week = view.latest?.metrics.week;
    // Recap files are read through the store (a folder or a bucket), by key: no path is involved.
    const files: FileLink[] = week
      ? RECAP_FILES.filter((file) => view.latest!.files[file]).map((file) => {
          const ref: FileRef = { kind: 'recap', chatId: view.chatId, week, file };
          return { name: recapFileName(ref), href: signer.link(fileId(ref)) };
        })
      : [];
    sendPage(res, 200, cohortPage(view, files));
  }

  async function indexRoute(res: ServerResponse) {
    const runs = await temporal.use((client) => listRecentRuns(client, config.TEMPORAL_TASK_QUEUE, RECENT_RUNS)).catch((err: unknown) => {
      if (err instanceof TransportError) return { error: err.message };
      throw err;
    });
    sendPage(res, 200, indexPage(runs, await listCohorts(store)));
  }

  async function filesRoute(res: ServerResponse, id: string, url: URL) {
    const verdict = signer.check(id, url.searchParams.get('exp'), url.searchParams.get('sig'));
    if (verdict === 'forged') throw new HttpError(403, 'Link not valid', 'This download link is not valid: it was changed or was not made by this server.', 'Open the page the file is listed on for a working link.');
    if (verdict === 'expired') throw new HttpError(410, 'Link expired', 'This download link has expired.', 'Open the page the file is listed on again for a fresh link.');
    const ref = parseFileId(id);
    if (ref?.kind === 'recap') {
      const body = await store.tryGet(`${recapKeyPrefix(ref.chatId, ref.week)}/recap.${ref.file}`);
      if (!body) throw new HttpError(404, 'File not found', 'That recap file is not stored (any more).');
      res.writeHead(200, downloadHeaders(recapFileName(ref), body.length)).end(body);
      return;
    }
    let path: string | null = null;
    if (ref?.kind === 'run') {
      const run = await temporal.use((client) => loadRun(client, ref.workflowId)).catch((err: unknown) => {
        if (err instanceof BadInputError) return null;
        throw err;
      });
      path = run ? (resultFiles(run.result)[ref.index] ?? null) : null;
    }
    const real = path ? await resolveUnder(roots, path) : null;
    if (!real) throw new HttpError(404, 'File not found', 'That file is not here: it was removed, or it was written on another host.');
    res.writeHead(200, downloadHeaders(basename(real), (await stat(real)).size));
    await new Promise<void>((resolve, reject) => createReadStream(real).on('error', reject).on('end', resolve).pipe(res));
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<string> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/healthz') {
      if (!serveOps(req, res, checks)) throw new HttpError(405, 'Not allowed', 'Only GET is served here.');
      return 'healthz';
    }
    const extra = opts.routes?.find((r) => path === r.prefix || path.startsWith(`${r.prefix.replace(/\/+$/, '')}/`));
    const isFile = path.startsWith('/files/');
    if (config.WEB_TOKEN && !isFile && !extra?.public) {
      if (!hasAccess(req, url, config.WEB_TOKEN)) throw new HttpError(401, 'Sign in', 'This page needs the access token.', 'Open it once with ?token=<WEB_TOKEN>, or send Authorization: Bearer <WEB_TOKEN>.');
      if (url.searchParams.get('token') === config.WEB_TOKEN) {
        // Once is enough: the cookie carries it from now on, and the token leaves the address bar.
        url.searchParams.delete('token');
        res.writeHead(303, { location: url.pathname + url.search, 'set-cookie': accessCookie(config.WEB_TOKEN) }).end();
        return 'login';
      }
    }
    if (extra) {
      await extra.handle(req, res);
      return extra.prefix;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'Not allowed', `${req.method ?? ''} is not served here: these pages are read-only.`);
    if (path === '/metrics') {
      if (!serveOps(req, res, checks)) throw new HttpError(405, 'Not allowed', 'Only GET is served here.');
      return 'metrics';
    }
    if (path === '/') {
      await indexRoute(res);
      return 'index';
    }
    let m = /^\/runs\/([^/]+)$/.exec(path);
    if (m) {
      await runRoute(res, decodeURIComponent(m[1]!));
      return 'run';
    }
    m = /^\/cohorts\/([^/]+)$/.exec(path);
    if (m) {
      await cohortRoute(res, decodeURIComponent(m[1]!));
      return 'cohort';
    }
    m = /^\/files\/([^/]+)$/.exec(path);
    if (m) {
      await filesRoute(res, decodeURIComponent(m[1]!), url);
      return 'files';
    }
    throw new HttpError(404, 'Not found', `Nothing is served at ${path}.`, 'The start page lists runs and cohorts.');
  }

  const server = createServer((req, res) => {
    const done = (name: string) => res.once('finish', () => webRequests.inc({ route: name, status: String(res.statusCode) }));
    route(req, res).then(done, (err: unknown) => {
      let routeName = 'other';
      if (err instanceof HttpError) {
        if (!res.headersSent) sendPage(res, err.status, messagePage(err.title, err.message, err.hint));
        // A bounded set of labels, whatever paths people try.
        const first = (req.url ?? '/').split(/[/?]/)[1] ?? '';
        routeName = ({ '': 'index', runs: 'run', cohorts: 'cohort', files: 'files', healthz: 'healthz', metrics: 'metrics' } as Record<string, string>)[first] ?? 'other';
      } else if (err instanceof TransportError) {
        if (!res.headersSent) sendPage(res, 503, messagePage('Temporal is unreachable', err.message, 'Runs are read from Temporal; cohort pages work without it.'));
      } else {
        log(`tgpulse web: ${req.method ?? ''} ${(req.url ?? '').split('?')[0]} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        if (!res.headersSent) sendPage(res, 500, messagePage('Something went wrong', 'The page could not be made; the service log says why.'));
        else res.destroy();
      }
      done(routeName);
    });
  });

  return {
    server,
    async listen() {
      const port = await listenOn(server, {
        port: config.WEB_PORT,
        host: config.WEB_HOST,
        portSetting: 'WEB_PORT',
        hint: 'Stop what listens there, or set WEB_PORT to a free port',
      });
      const host = config.WEB_HOST.includes(':') ? `[${config.WEB_HOST}]` : config.WEB_HOST;
      return { port, url: `http://${host}:${port}` };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await temporal.close();
    },
  };
}
