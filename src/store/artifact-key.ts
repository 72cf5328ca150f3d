import { BadInputError } from '../domain';

const KEY = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/**
 * Checks an artifact key: relative, `/`-separated parts of letters, digits, `.`, `_` and `-`, none of them `.` or
 * `..`. The same rule as the local store's, so a key that works on one store works on the other.
 */
export function assertArtifactKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((part) => part === '.' || part === '..')) {
    throw new BadInputError(`invalid artifact key ${JSON.stringify(key)}`, 'keys are relative paths of letters, digits, . _ -');
  }
}
