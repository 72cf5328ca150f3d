export * from './chat-message';
export * from './chat-info';
export * from './participant';
export * from './summary';
export * from './job';
export * from './errors';
export * from './history-source';
export * from './links';
