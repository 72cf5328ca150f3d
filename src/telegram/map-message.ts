import { Api } from 'telegram';
import { ChatMessage, type MediaKind, type Reaction, type ServiceAction } from '../domain';
import { type EntityIndex, peerFrom, peerKey, present, toNumber } from './map-user';
import { LiveMessageShapeError } from './telegram-errors';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Links of a message: text links carry their URL, bare URLs are a slice of the text (UTF-16 offsets, as JS). */
function linksOf(text: string, entities: readonly Api.TypeMessageEntity[] | null | undefined): string[] | undefined {
  const links: string[] = [];
  for (const entity of entities ?? []) {
    if (entity instanceof Api.MessageEntityTextUrl) links.push(entity.url);
    else if (entity instanceof Api.MessageEntityUrl) links.push(text.slice(entity.offset, entity.offset + entity.length));
  }
  return links.length > 0 ? links : undefined;
}

function documentKind(doc: Api.TypeDocument | null | undefined, media: Api.MessageMediaDocument): MediaKind {
  if (media.voice) return 'voice';
  if (media.round) return 'video_note';
  if (!(doc instanceof Api.Document)) return 'document';
  const attrs = doc.attributes;
  if (attrs.some((a) => a instanceof Api.DocumentAttributeSticker)) return 'sticker';
  if (attrs.some((a) => a instanceof Api.DocumentAttributeAnimated)) return 'animation';
  const video = attrs.find((a): a is Api.DocumentAttributeVideo => a instanceof Api.DocumentAttributeVideo);
  if (video) return video.roundMessage ? 'video_note' : 'video';
  const audio = attrs.find((a): a is Api.DocumentAttributeAudio => a instanceof Api.DocumentAttributeAudio);
  if (audio) return audio.voice ? 'voice' : 'audio';
  return media.video ? 'video' : 'document';
}

/**
 * The media kind, or undefined for none. A link preview is not media: the link is in `links`. gramjs gives an absent
 * `media` as null (from the wire) or undefined (built by hand): both are none.
 */
export function mediaKind(media: Api.TypeMessageMedia | null | undefined): MediaKind | undefined {
  if (media === undefined || media === null || media instanceof Api.MessageMediaEmpty || media instanceof Api.MessageMediaWebPage) return undefined;
  if (media instanceof Api.MessageMediaPhoto) return 'photo';
  if (media instanceof Api.MessageMediaDocument) return documentKind(media.document, media);
  if (media instanceof Api.MessageMediaPoll) return 'poll';
  if (media instanceof Api.MessageMediaGeo || media instanceof Api.MessageMediaGeoLive || media instanceof Api.MessageMediaVenue) return 'location';
  if (media instanceof Api.MessageMediaContact) return 'contact';
  return 'other';
}

/** Reactions as `{emoji, count}`: custom emoji as `custom:<document id>`, paid stars as ⭐. */
export function mapReactions(reactions: Api.MessageReactions | null | undefined): Reaction[] {
  return (reactions?.results ?? []).map((r) => {
    const reaction = r.reaction;
    const emoji =
      reaction instanceof Api.ReactionEmoji ? reaction.emoticon : reaction instanceof Api.ReactionCustomEmoji ? `custom:${reaction.documentId.toString()}` : '⭐';
    return { emoji, count: r.count };
  });
}

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** A service message's action, named as Telegram Desktop exports name it. */
export function mapAction(action: Api.TypeMessageAction, msg: Api.MessageService, index: EntityIndex): ServiceAction {
  const users = (ids: readonly { toString(): string }[]) => ids.map((id) => peerFrom(`user${toNumber(id)}`, index));
  if (action instanceof Api.MessageActionChatCreate) return { action: 'create_group', title: action.title, members: users(action.users ?? []) };
  if (action instanceof Api.MessageActionChannelCreate) return { action: 'create_channel', title: action.title };
  if (action instanceof Api.MessageActionChatAddUser) return { action: 'invite_members', members: users(action.users ?? []) };
  if (action instanceof Api.MessageActionChatDeleteUser) return { action: 'remove_members', members: users([action.userId]) };
  if (action instanceof Api.MessageActionChatJoinedByLink) return { action: 'join_group_by_link' };
  if (action instanceof Api.MessageActionChatJoinedByRequest) return { action: 'join_group_by_request' };
  if (action instanceof Api.MessageActionPinMessage) return { action: 'pin_message', messageId: msg.replyTo instanceof Api.MessageReplyHeader ? present(msg.replyTo.replyToMsgId) : undefined };
  if (action instanceof Api.MessageActionChatEditTitle) return { action: 'edit_group_title', title: action.title };
  if (action instanceof Api.MessageActionChatEditPhoto) return { action: 'edit_group_photo' };
  if (action instanceof Api.MessageActionChannelMigrateFrom) return { action: 'migrate_from_group', title: action.title };
  if (action instanceof Api.MessageActionChatMigrateTo) return { action: 'migrate_to_supergroup' };
  if (action instanceof Api.MessageActionTopicCreate) return { action: 'topic_created', title: action.title };
  if (action instanceof Api.MessageActionTopicEdit) return { action: 'topic_edit', title: present(action.title) };
  return { action: snake(action.className.replace(/^MessageAction/, '')) };
}

/**
 * Reply and topic of a message. In a forum, a message outside any reply points at its topic only. A reply to a
 * message of another chat (`replyToPeerId` set) or a quote without a message id is not a reply within this chat.
 */
function threading(replyTo: Api.TypeMessageReplyHeader | null | undefined): { replyToId?: number; threadId?: number } {
  if (!(replyTo instanceof Api.MessageReplyHeader) || present(replyTo.replyToPeerId) !== undefined) return {};
  const msgId = present(replyTo.replyToMsgId);
  const topId = present(replyTo.replyToTopId);
  if (replyTo.forumTopic) {
    if (topId !== undefined) return { replyToId: msgId, threadId: topId };
    return { threadId: msgId };
  }
  return msgId === undefined ? {} : { replyToId: msgId };
}

function forwardedFrom(fwd: Api.TypeMessageFwdHeader | null | undefined, index: EntityIndex): string | undefined {
  if (!(fwd instanceof Api.MessageFwdHeader)) return undefined;
  if (fwd.fromName) return fwd.fromName;
  return fwd.fromId ? peerFrom(peerKey(fwd.fromId), index).name : 'Hidden';
}

/**
 * One Telegram message in the domain's shape, checked against the domain's `ChatMessage` schema: a message that
 * does not fit throws {@link LiveMessageShapeError} naming the field and its raw value, so nothing malformed is
 * stored. The same shape as the export parser gives. Text is Telegram's plain text
 * (entities are offsets into it, so it is already flat). Channel posts without a sender are attributed to the
 * channel, as Telegram Desktop does. `MessageEmpty` (deleted) gives undefined.
 */
export function mapMessage(msg: Api.TypeMessage, chatId: number, index: EntityIndex): ChatMessage | undefined {
  const mapped = mapUnchecked(msg, chatId, index);
  if (mapped === undefined) return undefined;
  const checked = ChatMessage.safeParse(mapped);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0]!;
  let raw: unknown = mapped;
  for (const key of issue.path) raw = raw === null || raw === undefined ? raw : (raw as Record<PropertyKey, unknown>)[key as PropertyKey];
  throw new LiveMessageShapeError(mapped.id, chatId, issue.path.join('.') || '(message)', raw, issue.message);
}

function mapUnchecked(msg: Api.TypeMessage, chatId: number, index: EntityIndex): ChatMessage | undefined {
  if (!(msg instanceof Api.Message) && !(msg instanceof Api.MessageService)) return undefined;
  const sender = peerFrom(peerKey(msg.fromId ?? msg.peerId), index);
  if (msg instanceof Api.MessageService) {
    return {
      id: msg.id,
      chatId,
      date: iso(msg.date),
      sender,
      text: '',
      ...threading(msg.replyTo),
      reactions: mapReactions(msg.reactions),
      service: mapAction(msg.action, msg, index),
    };
  }
  const text = msg.message ?? '';
  return {
    id: msg.id,
    chatId,
    date: iso(msg.date),
    sender,
    text,
    links: linksOf(text, msg.entities),
    ...threading(msg.replyTo),
    forwardedFrom: forwardedFrom(msg.fwdFrom, index),
    media: mediaKind(msg.media),
    reactions: mapReactions(msg.reactions),
    views: present(msg.views),
    edited: msg.editDate && !msg.editHide ? iso(msg.editDate) : undefined,
  };
}
