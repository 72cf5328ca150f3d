import { JobInput } from '../../src/domain';
import { describeIssues } from '../../src/starters/input-issues';

const problems = (raw: unknown) => {
  const parsed = JobInput.safeParse(raw);
  if (parsed.success) throw new Error('expected problems');
  return describeIssues(parsed.error.issues);
};

test('a problem names the flag the user typed, not a JSON path; a message naming its field stands alone', () => {
  const files = { kind: 'files', dir: '/out' };
  expect(problems({ source: { kind: 'export', path: '/r.json' }, prompt: '  ', delivery: files })).toBe('the prompt is empty: say what you want to know, or leave --prompt out for the digest');
  expect(problems({ source: { kind: 'export', path: '/r.json' }, delivery: { kind: 'telegram', account: 'a', chat: ' ' } })).toBe('--post-to: no chat given');
  expect(problems({ source: { kind: 'export', path: '/r.json' }, since: 'soon', delivery: files })).toMatch(/^--since: /);
});
