import { renderMarkdown, renderTelegramText } from '../../src/deliver';
import type { ChatInfo, Summary } from '../../src/domain';

const chat = (c: Omit<ChatInfo, 'title'>): ChatInfo => ({ title: 'C', ...c });

const summary: Summary = {
  title: 'Cohort: digest',
  sections: [{ heading: 'Demos', points: [{ text: 'Ana shipped', messageIds: [5, 9] }, { text: 'no source', messageIds: [] }] }],
  stats: { messages: 10, participants: 3, firstDate: '2026-11-02T09:00:00Z', lastDate: '2026-11-08T09:00:00Z' },
  model: 'digest',
};

test('private supergroups link as t.me/c/<id>/<msg>, public chats by username', () => {
  const priv = renderMarkdown(summary, chat({ id: 1234567890, type: 'private_supergroup' }));
  expect(priv).toContain('- Ana shipped ([1](https://t.me/c/1234567890/5), [2](https://t.me/c/1234567890/9))');
  expect(priv).toContain('- no source\n');
  expect(priv).toContain('2026-11-02 → 2026-11-08');
  const pub = renderMarkdown(summary, chat({ id: 1, type: 'public_supergroup', username: 'buildcohort' }));
  expect(pub).toContain('[1](https://t.me/buildcohort/5)');
  const one = renderMarkdown({ ...summary, sections: [{ heading: 'H', points: [{ text: 'x', messageIds: [7] }] }] }, chat({ id: 1, type: 'public_supergroup', username: 'b' }));
  expect(one).toContain('- x ([link](https://t.me/b/7))');
});

test('chats without t.me links (basic groups) show message numbers instead of dead links', () => {
  const md = renderMarkdown(summary, chat({ id: 42, type: 'private_group' }));
  expect(md).toContain('- Ana shipped (#5, #9)');
  expect(md).not.toContain('t.me');
});

test('the notes of a summary (what was merged, which cited ids were dropped) reach the reader in Markdown and in Telegram', () => {
  const notes = ['Merged 300 findings from 29 parts of the chat in 11 merge calls (3 rounds); 12 findings did not fit.', 'Dropped 2 message ids the model invented (no such message in the history): never linked.'];
  const withNotes = { ...summary, notes };
  const md = renderMarkdown(withNotes, chat({ id: 1, type: 'public_supergroup', username: 'b' }));
  expect(md).toContain('_Merged 300 findings from 29 parts of the chat in 11 merge calls (3 rounds); 12 findings did not fit._');
  expect(md).toContain('_Dropped 2 message ids the model invented (no such message in the history): never linked._');
  const tg = renderTelegramText(withNotes, chat({ id: 1, type: 'public_supergroup', username: 'b' }), { limit: 4096 }).join('\n');
  expect(tg.endsWith(notes.join('\n'))).toBe(true);
  expect(renderMarkdown(summary, chat({ id: 1, type: 'public_supergroup', username: 'b' }))).not.toContain('Merged');
});
