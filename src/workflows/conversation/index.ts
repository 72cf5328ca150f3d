export { conversation, conversationMessage, conversationStateQuery } from './conversation';
