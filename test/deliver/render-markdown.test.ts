import { renderMarkdown } from '../../src/deliver';
import type { Summary } from '../../src/domain';

const summary: Summary = {
  title: 'Cohort: digest',
  sections: [{ heading: 'Demos', points: [{ text: 'Ana shipped', messageIds: [5, 9] }, { text: 'no source', messageIds: [] }] }],
  stats: { messages: 10, participants: 3, firstDate: '2026-11-02T09:00:00Z', lastDate: '2026-11-08T09:00:00Z' },
  model: 'digest',
};

test('private supergroups link as t.me/c/<id>/<msg>, public chats by username', () => {
  const priv = renderMarkdown(summary, { id: 1234567890, title: 'C', type: 'private_supergroup' });
  expect(priv).toContain('- Ana shipped ([1](https://t.me/c/1234567890/5), [2](https://t.me/c/1234567890/9))');
  expect(priv).toContain('- no source\n');
  expect(priv).toContain('2026-11-02 → 2026-11-08');
  const pub = renderMarkdown(summary, { id: 1, title: 'C', type: 'public_supergroup', username: 'buildcohort' });
  expect(pub).toContain('[1](https://t.me/buildcohort/5)');
});

test('chats without t.me links (basic groups) show message numbers instead of dead links', () => {
  const md = renderMarkdown(summary, { id: 42, title: 'C', type: 'private_group' });
  expect(md).toContain('- Ana shipped (#5, #9)');
  expect(md).not.toContain('t.me');
});
