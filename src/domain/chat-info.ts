import { z } from 'zod';

export const ChatType = z.enum([
  'personal_chat',
  'bot_chat',
  'private_group',
  'private_supergroup',
  'public_supergroup',
  'private_channel',
  'public_channel',
  'saved_messages',
  'replies',
  'verification_codes',
  'unknown',
]);
export type ChatType = z.infer<typeof ChatType>;

/** What we know of a chat: enough to title a summary and build `t.me` links. */
export const ChatInfo = z.object({
  id: z.number().int(),
  title: z.string(),
  type: ChatType,
  username: z.string().optional(),
  memberCount: z.number().int().optional(),
  createdAt: z.string().optional(),
});
export type ChatInfo = z.infer<typeof ChatInfo>;
