import { formatNoModelAnswer } from '../../src/activities/ask';
import { bestMatches } from '../../src/digest';
import type { ChatInfo, ChatMessage } from '../../src/domain';

const chat: ChatInfo = { id: -1001234, title: 'Cohort', type: 'public_supergroup', username: 'cohort' };
let next = 1;
const msg = (text: string, date = '2026-11-20T10:00:00Z'): ChatMessage => ({ id: next++, chatId: chat.id, date, sender: { id: 'user1', name: 'Ana' }, text, reactions: [] });
const from = (list: ChatMessage[]) => async function* () {
  yield* list;
};

describe('the no-model answer to /ask: messages ranked by the question words', () => {
  test('rarer words weigh more, word forms match, ties go to the newer message', async () => {
    const history = [
      msg('the deploy is done'),
      msg('deployment of the worker failed on staging'),
      msg('lunch?'),
      msg('staging is green again', '2026-11-21T10:00:00Z'),
      msg('staging is green', '2026-11-19T10:00:00Z'),
    ];
    const found = await bestMatches(from(history), 'Why did the worker deploy fail?', 3);
    expect(found.terms).toEqual(['worker', 'deploy', 'fail']);
    expect(found.matches.map((m) => m.message.text)).toEqual(['deployment of the worker failed on staging', 'the deploy is done']);
    const staging = await bestMatches(from(history), 'staging', 5);
    expect(staging.matches.map((m) => m.message.text)).toEqual(['staging is green again', 'deployment of the worker failed on staging', 'staging is green']);
  });

  test('works in other languages and scripts', async () => {
    const history = [msg('Сервер упал ночью'), msg('Кто починил сервер?'), msg('Всем привет')];
    const found = await bestMatches(from(history), 'Почему упал сервер?', 5);
    expect(found.matches.map((m) => m.message.text)).toEqual(['Сервер упал ночью', 'Кто починил сервер?']);
    // The chat's own language tells the question's stop words ("quién", "el") from the words to look for.
    const spanish = [msg('El servidor se cayó otra vez'), msg('Lo arregló Ana, era el disco'), msg('¿Quién tiene el enlace de la reunión?'), msg('Hola a todos')];
    const es = await bestMatches(from(spanish), '¿Quién arregló el servidor?', 5);
    expect(es.terms).toEqual(['arregló', 'servidor']);
    expect(es.matches.map((m) => m.message.text).sort()).toEqual(['El servidor se cayó otra vez', 'Lo arregló Ana, era el disco']);
  });

  test('the text links every message, says it is a no-model answer, and says so when nothing matches', async () => {
    const history = [msg('Fixed staging, it was the disk'), msg('hello')];
    const text = formatNoModelAnswer(chat, 'who fixed staging?', await bestMatches(from(history), 'who fixed staging?', 5));
    expect(text.split('\n')[0]).toMatch(/^No-model answer \(no LLM endpoint is configured/);
    expect(text.split('\n')[1]).toBe(`1. Ana, 2026-11-20: “Fixed staging, it was the disk” https://t.me/cohort/${history[0]!.id}`);
    expect(text.split('\n')).toHaveLength(2);
    expect(formatNoModelAnswer(chat, 'zebras', await bestMatches(from(history), 'zebras', 5))).toBe('No-model answer: none of the 2 messages of "Cohort" uses the words of “zebras” (zebras). Try other words, or /summarize the chat.');
    expect(formatNoModelAnswer(chat, 'who is it?', await bestMatches(from(history), 'who is it?', 5))).toMatch(/has no word to look for/);
  });
});
