export { renderMarkdown } from './render-markdown';
export { deliverToFiles, slug } from './file-delivery';
