export { renderMarkdown } from './render-markdown';
export { renderTelegramText, splitForTelegram } from './render-telegram';
export type { RenderOptions } from './point-links';
export { deliverToFiles, slug } from './file-delivery';
