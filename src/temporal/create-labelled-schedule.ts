import { isGrpcServiceError, ServiceError, type Client, type ScheduleHandle, type ScheduleOptions, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import type { SearchAttributePair, Workflow } from '@temporalio/common';
import { runSearchAttributes, type RunLabels } from './search-attributes';
import { searchAttributeCommand } from './start-run';

/** gRPC's INVALID_ARGUMENT: what a namespace answers to a search attribute it does not know. */
const GRPC_INVALID_ARGUMENT = 3;

/**
 * The search attributes of a run `client` starts, by the one rule every starter follows: with a payload codec on,
 * the chat and its title stay out (search attributes are stored in plain text whatever the codec does).
 */
export function runSearchAttributesFor(client: Client, labels: RunLabels): SearchAttributePair[] {
  const encrypted = (client.options.dataConverter?.payloadCodecs?.length ?? 0) > 0;
  return runSearchAttributes(labels, { encrypted });
}

/**
 * Creates a Schedule whose runs carry tgpulse's search attributes (`labels`, as `startRun` gives a run started by
 * hand), so `tgpulse runs --chat` and the Web UI find a cohort's scheduled recaps too. The attributes live in the
 * schedule's action: a schedule created before they were added starts runs without them until it is created again.
 * A namespace that does not know the attributes refuses them at creation: the schedule is then created without
 * them and `warn` says how to register them. Throws what `client.schedule.create` throws otherwise
 * (`ScheduleAlreadyRunning` when the id is taken).
 */
export async function createLabelledSchedule<W extends Workflow>(
  client: Client,
  options: ScheduleOptions<ScheduleOptionsStartWorkflowAction<W>>,
  labels: RunLabels,
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<ScheduleHandle> {
  // Cast as startRun casts: the SDK's conditional args type does not survive a spread of a generic action.
  const labelled = { ...options, action: { ...options.action, typedSearchAttributes: runSearchAttributesFor(client, labels) } } as ScheduleOptions<ScheduleOptionsStartWorkflowAction<W>>;
  try {
    return await client.schedule.create(labelled);
  } catch (err) {
    const grpc = err instanceof ServiceError ? err.cause : err;
    if (!isGrpcServiceError(grpc) || grpc.code !== GRPC_INVALID_ARGUMENT) throw err;
    // Any other invalid argument (a cron the server cannot read) fails again below, with the server's own message.
    const handle = await client.schedule.create(options);
    warn(
      `warning: namespace ${client.options.namespace} does not know tgpulse's search attributes, so the runs of schedule ${options.scheduleId} cannot be found by chat or kind in \`tgpulse runs\` or the Web UI; register them once (${searchAttributeCommand(client.options.namespace)}), then create the schedule again`,
    );
    return handle;
  }
}
