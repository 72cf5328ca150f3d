import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BadInputError } from '../domain';

const SESSION_NAME = /^[A-Za-z0-9_-]+$/;
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;
const quote = (path: string) => `'${path.replace(/'/g, `'\\''`)}'`;

/**
 * Session files of the Telegram accounts: `<dir>/<name>.session`, mode 0600 in a 0700 folder. A session string is
 * the account's login: anyone who reads it can act as the account, so looser modes are refused (with the command
 * that fixes them) and the string is never logged or put in an error.
 */
export class SessionStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** The file of a session name (letters, digits, `_` and `-`). */
  pathOf(name: string): string {
    if (!SESSION_NAME.test(name)) throw new BadInputError(`"${name}" is not a valid session name`, 'Use letters, digits, _ and -, like "work" or "alice_2"');
    return join(this.dir, `${name}.session`);
  }

  /** The session string, or undefined when there is no session of that name. Refuses files others can read. */
  async read(name: string): Promise<string | undefined> {
    const path = this.pathOf(name);
    const dirStat = await stat(this.dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (!dirStat) return undefined;
    this.checkMode(this.dir, dirStat.mode, dirStat.uid, DIR_MODE, 'folder');
    const fileStat = await stat(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (!fileStat) return undefined;
    this.checkMode(path, fileStat.mode, fileStat.uid, FILE_MODE, 'file');
    const text = (await readFile(path, 'utf8')).trim();
    if (text === '') throw new BadInputError(`The session file ${path} is empty`, `Log in again with \`tgpulse login --account ${name}\``);
    return text;
  }

  /** Stores a session atomically: written to a 0600 temporary file, then renamed over the old one. */
  async write(name: string, session: string): Promise<string> {
    const path = this.pathOf(name);
    await this.ensureDir();
    const tmp = `${path}.${process.pid}.tmp`;
    const handle = await open(tmp, 'w', FILE_MODE);
    try {
      await handle.writeFile(session, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // open() honours the umask only to narrow the mode; chmod makes 0600 exact even if the file already existed.
    await chmod(tmp, FILE_MODE);
    await rename(tmp, path);
    return path;
  }

  /** Deletes a session file; false when there was none. */
  async remove(name: string): Promise<boolean> {
    const path = this.pathOf(name);
    const existed = await stat(path).then(
      () => true,
      () => false,
    );
    await rm(path, { force: true });
    return existed;
  }

  private async ensureDir(): Promise<void> {
    const existing = await stat(this.dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (existing) {
      this.checkMode(this.dir, existing.mode, existing.uid, DIR_MODE, 'folder');
      return;
    }
    await mkdir(this.dir, { recursive: true, mode: DIR_MODE });
    await chmod(this.dir, DIR_MODE);
  }

  private checkMode(path: string, mode: number, uid: number, wanted: number, what: 'file' | 'folder'): void {
    if (typeof process.getuid === 'function' && uid !== process.getuid()) {
      throw new BadInputError(`The session ${what} ${path} belongs to another user (uid ${uid})`, `Run tgpulse as its owner, or fix it with: chown "$(id -u)" ${quote(path)}`);
    }
    if ((mode & 0o077) !== 0) {
      throw new BadInputError(
        `The session ${what} ${path} can be ${mode & 0o022 ? 'changed' : 'read'} by other users (mode ${octal(mode)}), and a session is the account's login`,
        `Fix it with: chmod ${octal(wanted).slice(1)} ${quote(path)}`,
      );
    }
  }
}
