export { summarizeChat, progressQuery } from './summarize-chat';
