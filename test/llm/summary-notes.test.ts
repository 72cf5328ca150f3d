import { summaryNotes } from '../../src/activities/llm';

const merge = { parts: 12, findings: 40, inSummary: 40, leftOut: 0, mergeCalls: 3, rounds: 2 };

test('a merge that kept everything says so', () => {
  expect(summaryNotes(merge, { invented: 0, outOfRange: 0 })).toEqual([
    'Merged 40 findings from 12 parts of the chat in 3 merge calls (2 rounds); every one is cited above, and all are in the JSON result ("findings").',
  ]);
});

test('findings left out for room are counted, and where they are is said', () => {
  expect(summaryNotes({ ...merge, inSummary: 39, leftOut: 1, mergeCalls: 1, rounds: 1 }, { invented: 0, outOfRange: 0 })[0]).toBe(
    'Merged 40 findings from 12 parts of the chat in 1 merge call (1 round); 1 finding did not fit and is left out of the points above, but kept with its message ids in the JSON result ("findings").',
  );
});

test('invented ids and real ids outside the part are told apart', () => {
  const one = { parts: 1, findings: 3, inSummary: 3, leftOut: 0, mergeCalls: 0, rounds: 0 };
  expect(summaryNotes(one, { invented: 2, outOfRange: 0 })).toEqual(['Dropped 2 message ids the model invented (no such message in the history): never linked.']);
  expect(summaryNotes(one, { invented: 0, outOfRange: 1 })).toEqual(['Dropped 1 real message id outside the part of the chat the model was given: never linked.']);
  // A single part needs no merge, and nothing dropped needs no note.
  expect(summaryNotes(one, { invented: 0, outOfRange: 0 })).toEqual([]);
});
