import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

/**
 * The custom search attributes every tgpulse run carries, so runs can be found by chat, account, kind or cohort
 * in the Web UI and with `tgpulse runs --chat`. A namespace must know them first: the dev stack registers them
 * (`temporal server start-dev --search-attribute Name=Type`), production runs
 * `temporal operator search-attribute create` once (docs/operations.md prints the command).
 */
export const RUN_SEARCH_ATTRIBUTES = {
  /** The chat as the user named it: a link, @username, id, or the chat's name in an export. */
  chat: defineSearchAttributeKey('TgpulseChat', SearchAttributeType.KEYWORD),
  /** The chat's title when known at start (an export's chat name or folder), else what the user typed. */
  chatTitle: defineSearchAttributeKey('TgpulseChatTitle', SearchAttributeType.KEYWORD),
  /** The Telegram account that reads or posts; absent for an export-only run. */
  account: defineSearchAttributeKey('TgpulseAccount', SearchAttributeType.KEYWORD),
  /** What the run does: summarize, recap, export-members, export-messages, retention, backup. */
  kind: defineSearchAttributeKey('TgpulseKind', SearchAttributeType.KEYWORD),
  /** The cohort of a weekly recap. */
  cohort: defineSearchAttributeKey('TgpulseCohort', SearchAttributeType.KEYWORD),
} as const;

/** The kinds of run `TgpulseKind` takes. */
export type RunKind = 'summarize' | 'recap' | 'export-members' | 'export-messages' | 'retention' | 'backup';

/** What a run is about, as it is known at start. */
export interface RunLabels {
  kind: RunKind;
  chat?: string;
  chatTitle?: string;
  account?: string;
  cohort?: string;
}

/**
 * The typed search attributes of a run, for `client.workflow.start({ typedSearchAttributes })`; `encrypted` (a
 * payload codec is on) leaves out the chat, which search attributes would otherwise show in plain text.
 */
export function runSearchAttributes(labels: RunLabels, opts: { encrypted?: boolean } = {}): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [{ key: RUN_SEARCH_ATTRIBUTES.kind, value: labels.kind }];
  const add = (key: (typeof RUN_SEARCH_ATTRIBUTES)[Exclude<keyof RunLabels, 'kind'>], value: string | undefined) => {
    if (value !== undefined && value.trim() !== '') pairs.push({ key, value: value.trim() });
  };
  // Search attributes are stored in plain text whatever the payload codec does: with encryption on, the chat's
  // link and title stay out of them (and out of the history), and runs are found by account, kind and cohort.
  if (!opts.encrypted) {
    add(RUN_SEARCH_ATTRIBUTES.chat, labels.chat);
    add(RUN_SEARCH_ATTRIBUTES.chatTitle, labels.chatTitle ?? labels.chat);
  }
  add(RUN_SEARCH_ATTRIBUTES.account, labels.account);
  add(RUN_SEARCH_ATTRIBUTES.cohort, labels.cohort);
  return pairs;
}

/** `Name=Type` for each attribute (all are keywords), as `temporal server start-dev --search-attribute` takes them. */
export function searchAttributeFlags(): string[] {
  return Object.values(RUN_SEARCH_ATTRIBUTES).map((k) => `${k.name}=Keyword`);
}
