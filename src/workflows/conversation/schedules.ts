import type { ConversationCommand } from '../../domain';
import { withFloodWaits } from '../flood-wait';
import type { ConversationContext } from './context';

/**
 * `/schedules`, `/schedules pause <id>`, `/schedules resume <id>`: the recap schedules that use this account, read
 * and changed by activities (a workflow cannot call the Temporal client). A schedule that is not among them gets
 * one line saying so.
 */
export async function handleSchedules(ctx: ConversationContext, messageId: number, command: Extract<ConversationCommand, { kind: 'schedules' }>): Promise<void> {
  const { tg, input } = ctx;
  if (command.action && command.schedule) {
    const { action, schedule } = command;
    const done = await withFloodWaits(() => tg.setRecapSchedulePaused({ account: input.account, schedule, paused: action === 'pause' }));
    return ctx.reply(messageId, done.text);
  }
  const list = await tg.listRecapSchedulesOf({ account: input.account });
  return ctx.reply(messageId, list.text);
}
