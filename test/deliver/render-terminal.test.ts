import { markdownToTerminal, renderMarkdown } from '../../src/deliver';
import type { Summary } from '../../src/domain';

const summary: Summary = {
  title: 'dev_chat: digest',
  sections: [
    {
      heading: 'Most replied-to messages',
      points: [
        { text: 'Ana_B: “is `snake_case` *really* [required]? 2 < 3 | x”', messageIds: [5] },
        { text: 'Two links', messageIds: [6, 7] },
      ],
    },
  ],
  stats: { messages: 3, participants: 1, firstDate: '2026-11-02T09:00:00Z', lastDate: '2026-11-03T09:00:00Z' },
  model: 'digest',
};

test('terminal text shows member text as written: no Markdown escapes, no emphasis marks, links as addresses', () => {
  const md = renderMarkdown(summary, { id: 1, type: 'public_supergroup', username: 'dev_chat' });
  // The file keeps its escapes: they are what keeps member text from turning into formatting.
  expect(md).toContain('Ana\\_B: “is \\`snake\\_case\\` \\*really\\* \\[required\\]? 2 \\< 3 \\| x”');
  const text = markdownToTerminal(md);
  expect(text).toContain('# dev_chat: digest');
  expect(text).toContain('3 messages · 1 people · 2026-11-02 → 2026-11-03 · no-model digest\n');
  expect(text).toContain('- Ana_B: “is `snake_case` *really* [required]? 2 < 3 | x” (https://t.me/dev_chat/5)');
  expect(text).toContain('- Two links (https://t.me/dev_chat/6, https://t.me/dev_chat/7)');
  expect(text).not.toMatch(/\\[\\_*[\]`<>|]/);
});

test('a labelled link keeps its label; an image shows its address', () => {
  expect(markdownToTerminal('see [the docs](https://example.org/a_b) and ![chart](recap.png)')).toBe('see the docs (https://example.org/a_b) and chart (recap.png)');
});
