export { connectClient, connectWorker, runUrl } from './connect';
