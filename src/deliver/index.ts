export { renderMarkdown } from './render-markdown';
export { markdownToTerminal } from './render-terminal';
export { renderTelegramText, splitForTelegram } from './render-telegram';
export type { RenderOptions } from './point-links';
export { deliverToFiles, fileStem, slug, SLUG_CHARS } from './file-delivery';
