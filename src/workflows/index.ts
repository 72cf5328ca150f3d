export { summarizeChat, progressQuery } from './summarize-chat';
export { weeklyRecap, recapProgressQuery, recapDeliveryKey } from './weekly-recap';
export { exportMembers } from './export-members';
export type { ExportMembersInput, ExportMembersResult } from './export-members';
export { exportMessages } from './export-messages';
export type { ExportMessagesInput, ExportMessagesResult } from './export-messages';
export { askChat } from './ask-chat';
export type { AskChatInput, AskChatResult } from './ask-chat';
export { conversation, conversationMessage, conversationStateQuery } from './conversation';
