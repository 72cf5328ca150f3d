import { z } from 'zod';
import { neutralizeTags, oneLine } from './transcript';

/**
 * A message id as a model writes it: `123`, `"123"` or `"#123"`. Anything else becomes null and is counted as
 * dropped, not fatal: one bad id should not cost the whole reply.
 */
const ModelId = z.union([z.number(), z.string()]).transform((v): number | null => {
  const n = typeof v === 'number' ? v : Number(v.trim().replace(/^#/, ''));
  return Number.isSafeInteger(n) ? n : null;
});

/** What the model is asked to return: the model-written part of a `Summary`. */
export const ModelSummary = z.object({
  title: z.string(),
  sections: z.array(
    z.object({
      heading: z.string(),
      points: z.array(z.object({ text: z.string(), messageIds: z.array(ModelId) })),
    }),
  ),
});
export type ModelSummary = z.output<typeof ModelSummary>;

/** A validated reply: ids are numbers, points without text or ids are gone. */
export interface SummaryDraft {
  title: string;
  sections: { heading: string; points: { text: string; messageIds: number[] }[] }[];
}

/**
 * The same shape as JSON Schema, for `response_format: json_schema`. Written by hand so it stays within the subset
 * that OpenAI's strict mode, vLLM's guided decoding and llama.cpp's grammar conversion all accept.
 */
export const MODEL_SUMMARY_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'sections'],
  properties: {
    title: { type: 'string' },
    sections: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['heading', 'points'],
        properties: {
          heading: { type: 'string' },
          points: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['text', 'messageIds'],
              properties: { text: { type: 'string' }, messageIds: { type: 'array', items: { type: 'integer' } } },
            },
          },
        },
      },
    },
  },
} as const;

/** The shape, as the instructions spell it for endpoints without JSON-schema output. */
export const MODEL_SUMMARY_EXAMPLE = '{"title": string, "sections": [{"heading": string, "points": [{"text": string, "messageIds": [integer, ...]}]}]}';

export type ParseResult = { ok: true; draft: SummaryDraft; unreadableIds: number } | { ok: false; problem: string };

/**
 * Reads a model reply as a summary: tolerates a Markdown code fence and text around the JSON object (models add
 * both when they cannot be forced to JSON), then validates the shape.
 */
export function parseModelSummary(content: string): ParseResult {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) return { ok: false, problem: 'the reply holds no JSON object' };
  let json: unknown;
  try {
    json = JSON.parse(content.slice(start, end + 1));
  } catch (err) {
    return { ok: false, problem: `the reply is not valid JSON (${(err as Error).message})` };
  }
  const parsed = ModelSummary.safeParse(json);
  if (!parsed.success) {
    return { ok: false, problem: `the JSON does not have the summary shape: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  }
  let unreadableIds = 0;
  const sections = parsed.data.sections.map((s) => ({
    heading: s.heading.trim(),
    points: s.points
      .filter((p) => p.text.trim())
      .map((p) => {
        const ids = p.messageIds.filter((id): id is number => id !== null);
        unreadableIds += p.messageIds.length - ids.length;
        return { text: p.text.trim(), messageIds: ids };
      }),
  }));
  return { ok: true, draft: { title: parsed.data.title.trim(), sections }, unreadableIds };
}

/** Ids a check dropped, told apart by why. */
export interface DroppedIds {
  /** Ids that are no message of the history at all: the model made them up (or misread one). */
  invented: number;
  /** Real messages of the history, but outside the part the model was given: it cannot have read them there. */
  outOfRange: number;
}

export const NO_DROPPED: DroppedIds = { invented: 0, outOfRange: 0 };

export function addDropped(a: DroppedIds, b: DroppedIds): DroppedIds {
  return { invented: a.invented + b.invented, outOfRange: a.outOfRange + b.outOfRange };
}

/**
 * Keeps only ids in `allowed` (the messages the model was shown), drops points left without any, and counts what
 * was dropped: ids `inHistory` knows are out of range, the others invented. Duplicate ids within a point collapse.
 */
export function keepKnownIds(
  draft: SummaryDraft,
  allowed: ReadonlySet<number>,
  inHistory: (id: number) => boolean = () => false,
): { draft: SummaryDraft; droppedIds: number; dropped: DroppedIds; droppedPoints: number } {
  const dropped = { invented: 0, outOfRange: 0 };
  let droppedPoints = 0;
  const sections = draft.sections
    .map((s) => ({
      heading: s.heading,
      points: s.points.flatMap((p) => {
        const unique = [...new Set(p.messageIds)];
        const ids = unique.filter((id) => allowed.has(id));
        for (const id of unique) if (!allowed.has(id)) dropped[inHistory(id) ? 'outOfRange' : 'invented']++;
        if (ids.length === 0) {
          droppedPoints++;
          return [];
        }
        return [{ text: p.text, messageIds: ids }];
      }),
    }))
    .filter((s) => s.points.length > 0);
  return { draft: { title: draft.title, sections }, droppedIds: dropped.invented + dropped.outOfRange, dropped, droppedPoints };
}

/**
 * Model-written text (a title, a heading, a point) as one line of merge input. The model may have copied it from a
 * hostile message: it must not break the line (a fake `- point [ids: …]` or `### heading` line), close the data
 * block, or carry an `[ids: …]` of its own that a merge could take for the point's citations.
 */
export function inputLine(text: string): string {
  return neutralizeTags(oneLine(text.trim())).replace(/\[(\s*ids\s*:)/gi, '($1');
}

/** A summary written back as reduce input: `## title`, `### heading` and `- point [ids: 1, 2]` lines. */
export function renderDraft(draft: SummaryDraft): string {
  const lines: string[] = [];
  if (draft.title) lines.push(`## ${inputLine(draft.title)}`);
  for (const s of draft.sections) {
    lines.push(`### ${inputLine(s.heading)}`);
    for (const p of s.points) lines.push(`- ${inputLine(p.text)} [ids: ${p.messageIds.join(', ')}]`);
  }
  return lines.join('\n');
}
