import { z } from 'zod';

/** Kind of media attached to a message, reduced to what summaries and metrics need. */
export const MediaKind = z.enum([
  'photo',
  'video',
  'voice',
  'video_note',
  'audio',
  'sticker',
  'animation',
  'document',
  'poll',
  'location',
  'contact',
  'other',
]);
export type MediaKind = z.infer<typeof MediaKind>;

/**
 * A sender or actor. `id` keeps the peer kind, as Telegram Desktop writes it (`user123`, `channel123`, `chat123`),
 * so a user and a channel with the same number never merge.
 */
export const Peer = z.object({
  id: z.string(),
  name: z.string(),
  username: z.string().optional(),
  /** True when Telegram says the peer is a bot (live source; exports don't say, so it is absent there). */
  bot: z.boolean().optional(),
});
export type Peer = z.infer<typeof Peer>;

export const Reaction = z.object({ emoji: z.string(), count: z.number().int().nonnegative() });
export type Reaction = z.infer<typeof Reaction>;

/** What a service message (join, leave, pin, topic created…) did. */
export const ServiceAction = z.object({
  action: z.string(),
  /** Peers the action names: invited or removed members. */
  members: z.array(Peer).optional(),
  /** Pinned message id, or the like. */
  messageId: z.number().int().optional(),
  title: z.string().optional(),
});
export type ServiceAction = z.infer<typeof ServiceAction>;

/**
 * One message of a chat, the same whether it came from Telegram or from a Desktop export.
 * Dates are ISO 8601 in UTC. Text is plain: formatting entities are flattened.
 */
export const ChatMessage = z.object({
  id: z.number().int(),
  chatId: z.number().int(),
  date: z.string(),
  sender: Peer.optional(),
  text: z.string(),
  /** Links found in the text (text links and bare URLs), kept because demos are often just a link. */
  links: z.array(z.string()).optional(),
  replyToId: z.number().int().optional(),
  /** Forum topic (the id of its `topic_created` message), when known. */
  threadId: z.number().int().optional(),
  forwardedFrom: z.string().optional(),
  media: MediaKind.optional(),
  reactions: z.array(Reaction),
  views: z.number().int().optional(),
  edited: z.string().optional(),
  service: ServiceAction.optional(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;
