import { isGrpcServiceError, ServiceError, type Client, type WorkflowHandleWithFirstExecutionRunId, type WorkflowStartOptions } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { runSearchAttributes, searchAttributeFlags, type RunLabels } from './search-attributes';

/** gRPC's INVALID_ARGUMENT: what a namespace answers to a search attribute it does not know. */
const GRPC_INVALID_ARGUMENT = 3;

/** What a run says about itself in the Web UI: a one-line summary and Markdown details, fixed at start. */
export interface RunDescription {
  summary: string;
  details?: string;
}

/** The one command that registers tgpulse's search attributes on a namespace (docs and warnings print it). */
export function searchAttributeCommand(namespace: string): string {
  return `temporal operator search-attribute create --namespace ${namespace} ${searchAttributeFlags()
    .map((f) => f.split('='))
    .map(([name, type]) => `--name ${name} --type ${type}`)
    .join(' ')}`;
}

/**
 * Starts a run labelled for finding it: its search attributes (chat, account, kind, cohort) and a summary and
 * details the Web UI shows as sentences. A namespace that does not know the search attributes (a server nobody
 * registered them on) still gets the run, without them, and `warn` says how to register them.
 */
export async function startRun<T extends Workflow>(
  client: Client,
  workflowType: string,
  options: WorkflowStartOptions<T>,
  labels: RunLabels,
  description: RunDescription,
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<WorkflowHandleWithFirstExecutionRunId<T>> {
  const encrypted = (client.options.dataConverter?.payloadCodecs?.length ?? 0) > 0;
  const described = { ...options, staticSummary: description.summary, ...(description.details ? { staticDetails: description.details } : {}) };
  try {
    return await client.workflow.start<T>(workflowType, { ...described, typedSearchAttributes: runSearchAttributes(labels, { encrypted }) } as WorkflowStartOptions<T>);
  } catch (err) {
    const grpc = err instanceof ServiceError ? err.cause : err;
    if (!isGrpcServiceError(grpc) || grpc.code !== GRPC_INVALID_ARGUMENT) throw err;
    // Any other invalid argument fails again below, with the server's own message.
    const handle = await client.workflow.start<T>(workflowType, described as WorkflowStartOptions<T>);
    warn(`warning: namespace ${client.options.namespace} does not know tgpulse's search attributes, so \`tgpulse runs --chat\` and the Web UI cannot filter this run; register them once: ${searchAttributeCommand(client.options.namespace)}`);
    return handle;
  }
}
