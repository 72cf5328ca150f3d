import type { WorkerOptions } from '@temporalio/worker';

/**
 * The workflow interceptor modules every tgpulse worker loads (a failed run names its real cause). A prebuilt
 * workflow bundle must be built with them: `bundleWorkflowCode({ workflowInterceptorModules })`.
 */
export const WORKFLOW_INTERCEPTOR_MODULES: string[] = [require.resolve('./failure-cause-interceptor')];

/**
 * Worker options that make `tgpulse cancel` prompt. An activity learns of a cancellation only from the answer to a
 * heartbeat it sends, and the SDK sends them at most every 0.8 × heartbeat timeout (30 s without one): 2 s caps
 * how long a cancelled Telegram read or LLM call goes on.
 */
export function runWorkerOptions(opts: { prebuiltBundle: boolean }): Pick<WorkerOptions, 'maxHeartbeatThrottleInterval' | 'defaultHeartbeatThrottleInterval' | 'interceptors'> {
  return {
    maxHeartbeatThrottleInterval: '2 seconds',
    defaultHeartbeatThrottleInterval: '2 seconds',
    // A prebuilt bundle carries its interceptors already; naming them again only makes the SDK warn.
    ...(opts.prebuiltBundle ? {} : { interceptors: { workflowModules: WORKFLOW_INTERCEPTOR_MODULES } }),
  };
}
