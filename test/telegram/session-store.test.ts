import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadInputError } from '../../src/domain';
import { SessionStore } from '../../src/telegram';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('SessionStore', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tgpulse-sessions-'));
  });

  test('creates the file 0600 in a 0700 folder and reads it back', async () => {
    const store = new SessionStore(join(root, 'data', 'sessions'));
    const path = await store.write('work', '1AgAOMTQ5LjE1NC4xNjcuNTEBu0secret');
    expect(path).toBe(join(root, 'data', 'sessions', 'work.session'));
    expect(mode(path)).toBe(0o600);
    expect(mode(join(root, 'data', 'sessions'))).toBe(0o700);
    expect(await store.read('work')).toBe('1AgAOMTQ5LjE1NC4xNjcuNTEBu0secret');
    // Several accounts, each its own file.
    await store.write('home', 'other');
    expect(await store.read('home')).toBe('other');
    expect(await store.read('work')).toBe('1AgAOMTQ5LjE1NC4xNjcuNTEBu0secret');
  });

  test('overwriting keeps 0600 even over a file that was 0644', async () => {
    const store = new SessionStore(root);
    chmodSync(root, 0o700);
    writeFileSync(join(root, 'work.session'), 'old', { mode: 0o644 });
    await store.write('work', 'new');
    expect(mode(join(root, 'work.session'))).toBe(0o600);
    expect(await store.read('work')).toBe('new');
  });

  test('a missing session is undefined, not an error', async () => {
    expect(await new SessionStore(join(root, 'nothing-here')).read('work')).toBeUndefined();
    chmodSync(root, 0o700);
    expect(await new SessionStore(root).read('work')).toBeUndefined();
  });

  test('a world-readable session file is refused with the chmod that fixes it, and without its content', async () => {
    chmodSync(root, 0o700);
    const path = join(root, 'work.session');
    writeFileSync(path, 'the-secret-session', { mode: 0o644 });
    chmodSync(path, 0o644);
    const err = await new SessionStore(root).read('work').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toContain(`can be read by other users (mode 0644)`);
    expect((err as Error).message).toContain(`Fix it with: chmod 600 '${path}'`);
    expect((err as Error).message).not.toContain('the-secret-session');
  });

  test('a folder others can enter is refused, for reading and for writing', async () => {
    const dir = join(root, 'open');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const store = new SessionStore(dir);
    await expect(store.read('work')).rejects.toThrow(`Fix it with: chmod 700 '${dir}'`);
    await expect(store.write('work', 'x')).rejects.toThrow(/session folder .* can be read by other users \(mode 0755\)/);
  });

  test('a group-writable file is called out as changeable', async () => {
    chmodSync(root, 0o700);
    const path = join(root, 'work.session');
    writeFileSync(path, 'x');
    chmodSync(path, 0o620);
    await expect(new SessionStore(root).read('work')).rejects.toThrow(/can be changed by other users \(mode 0620\)/);
  });

  test('session names are checked, so a name cannot escape the folder', async () => {
    const store = new SessionStore(root);
    expect(() => store.pathOf('../etc/passwd')).toThrow(/not a valid session name. Use letters, digits/);
    expect(() => store.pathOf('')).toThrow(BadInputError);
  });

  test('logout removes the file', async () => {
    const store = new SessionStore(join(root, 's'));
    await store.write('work', 'x');
    expect(await store.remove('work')).toBe(true);
    expect(await store.read('work')).toBeUndefined();
    expect(await store.remove('work')).toBe(false);
  });
});
