import type { ActivityDeps } from './deps';
import { createDeliverActivities } from './deliver';
import { createDigestActivities } from './digest';
import { createExtractActivities } from './extract';

export type { ActivityDeps } from './deps';
export type { ExtractInput, ExtractOutput, ExtractHeartbeat } from './extract';
export { historyPrefix } from './extract';
export { summaryKey } from './digest';

/** Every activity of the general worker, built over its dependencies. Workflows import this type only. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createExtractActivities(deps),
    ...createDigestActivities(deps),
    ...createDeliverActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
