import { join, resolve } from 'node:path';
import { BadInputError } from '../../src/domain';
import { checkExport, ExportFormatError } from '../../src/export';

const fixture = (name: string) => join(resolve(__dirname, '../fixtures/export'), name);

describe('checkExport: the pre-start check', () => {
  test('a whole export passes and names the chat a run would read', async () => {
    const chat = await checkExport(fixture('account.json'), { chat: '1500000001' });
    expect(chat).toMatchObject({ title: 'Study Group', type: 'private_supergroup' });
  });

  test('a truncated or malformed file is refused with where it breaks; HTML and non-exports with what they are', async () => {
    const truncated = await checkExport(fixture('truncated.json')).catch((e: unknown) => e);
    expect(truncated).toBeInstanceOf(ExportFormatError);
    expect((truncated as ExportFormatError).truncated).toBe(true);
    const malformed = await checkExport(fixture('malformed.json')).catch((e: unknown) => e);
    expect(malformed).toBeInstanceOf(ExportFormatError);
    expect((malformed as ExportFormatError).byteOffset).toBeGreaterThan(0);
    await expect(checkExport(fixture('export.html'))).rejects.toThrow(/is an HTML export/);
    await expect(checkExport(fixture('not-an-export.json'))).rejects.toThrow(/JSON but not a Telegram Desktop export/);
  });

  test('a chat the export does not hold is refused before a run, with the chats it does hold', async () => {
    const err = await checkExport(fixture('account.json'), { chat: 'No Such Group' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(/no chat in .*account\.json is named "No Such Group".*Study Group/);
  });
});
