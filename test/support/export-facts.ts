import { readFileSync } from 'node:fs';

/** What a test expects of an export, counted straight from its JSON (independently of the parser under test). */
export interface ExportFacts {
  /** Messages the pipeline stores: ordinary and service messages (`unsupported` ones carry nothing). */
  stored: number;
  /** Ordinary messages, the ones a summary counts. */
  ordinary: number;
  senders: number;
  ids: Set<number>;
}

export function exportFacts(path: string): ExportFacts {
  const root = JSON.parse(readFileSync(path, 'utf8')) as { messages: Array<{ id: number; type: string; from_id?: string }> };
  const kept = root.messages.filter((m) => m.type === 'message' || m.type === 'service');
  const ordinary = kept.filter((m) => m.type === 'message');
  return {
    stored: kept.length,
    ordinary: ordinary.length,
    senders: new Set(ordinary.map((m) => m.from_id ?? 'unknown')).size,
    ids: new Set(kept.map((m) => m.id)),
  };
}
