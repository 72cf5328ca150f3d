import { NewMessage, type NewMessageEvent } from 'telegram/events';
import type { PiltoverUser } from '../../support/piltover-users';
import { waitFor } from './userbot-stack';

/** Creates a bot with @BotFather from `user`'s client (`/newbot`, a name, `username`); its token. */
export async function newBot(user: PiltoverUser, username: string): Promise<string> {
  const replies: string[] = [];
  const handler = (ev: NewMessageEvent) => {
    if (!ev.message.out) replies.push(ev.message.message);
  };
  user.client.addEventHandler(handler, new NewMessage({}));
  try {
    for (const text of ['/newbot', 'Pulse Test', username]) {
      const seen = replies.length;
      await user.client.sendMessage('@BotFather', { message: text });
      await waitFor(`@BotFather's answer to ${text}`, async () => (replies.length > seen ? true : undefined));
    }
    const found = /(\d+:[A-Za-z0-9_-]{20,})/.exec(replies.join('\n'));
    if (!found) throw new Error(`@BotFather gave no token: ${replies.join(' | ')}`);
    return found[1]!;
  } finally {
    user.client.removeEventHandler(handler, new NewMessage({}));
  }
}
