export { connectClient, connectWorker, runUrl } from './connect';
export { codecHandlerFromConfig, dataConverterFromConfig } from './data-converter';
export { decodePayload } from './decode-payload';
