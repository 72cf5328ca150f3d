/**
 * The web service (`npm run web`): server-rendered pages of runs and cohorts, signed expiring download links,
 * `/healthz` and `/metrics`, and extra handlers mounted by path prefix.
 */
export { createWebServer } from './web-server';
export type { WebServer, WebServerOptions, WebRoute, WebConfig } from './web-server';
export { createLinkSigner, signingKeyOf, MIN_SIGNING_KEY_CHARS } from './signed-links';
export type { LinkSigner, LinkCheck } from './signed-links';
export { fileId, parseFileId, resolveUnder } from './file-ids';
export type { FileRef } from './file-ids';
export { escapeHtml, html, trusted } from './html';
