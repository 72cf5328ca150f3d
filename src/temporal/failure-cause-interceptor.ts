/**
 * A workflow interceptor (it runs inside the workflow sandbox: only @temporalio/workflow here). A run that fails
 * because a step or a child failed ends with the step's own cause as its failure, so the Web UI's top line and
 * `tgpulse result` say "Telegram refused: CHAT_ADMIN_REQUIRED" rather than "Activity task failed". The step's own
 * failure stays attached as the cause (which step it was is in the history's events). Cancellations pass through untouched: a cancelled run stays CANCELLED.
 */
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, isCancellation, type WorkflowInboundCallsInterceptor, type WorkflowInterceptors } from '@temporalio/workflow';

/** The failure that says what went wrong: the first application failure in the chain (the step's own), else the innermost. */
function rootCause(err: Error): Error {
  let cause: unknown = err;
  while (cause instanceof Error) {
    if (cause instanceof ApplicationFailure) return cause;
    if (!(cause.cause instanceof Error)) return cause;
    cause = cause.cause;
  }
  return err;
}

class FailureCauseInbound implements WorkflowInboundCallsInterceptor {
  async execute(input: Parameters<NonNullable<WorkflowInboundCallsInterceptor['execute']>>[0], next: Parameters<NonNullable<WorkflowInboundCallsInterceptor['execute']>>[1]): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      if (isCancellation(err) || !(err instanceof ActivityFailure || err instanceof ChildWorkflowFailure)) throw err;
      const root = rootCause(err);
      if (root === err) throw err;
      throw ApplicationFailure.create({
        message: root.message,
        ...(root instanceof ApplicationFailure && root.type ? { type: root.type } : {}),
        nonRetryable: root instanceof ApplicationFailure ? root.nonRetryable === true : false,
        cause: root,
      });
    }
  }
}

/** Picked up by the worker (or `bundleWorkflowCode`'s `workflowInterceptorModules`). */
export const interceptors = (): WorkflowInterceptors => ({ inbound: [new FailureCauseInbound()] });
