export { createGeneralWorker, WORKFLOWS_PATH } from './general-worker';
export { openJobSource } from './sources';
