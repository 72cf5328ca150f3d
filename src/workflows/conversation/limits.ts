import type { ConversationContext } from './context';

/** `/limits`: the account's quotas left today, when they reset, any pause in force (read from the limiter). */
export async function handleLimits(ctx: ConversationContext, messageId: number): Promise<void> {
  const { text } = await ctx.tg.limitsText({ account: ctx.input.account });
  return ctx.reply(messageId, text);
}
