import type { JobProgress } from '../../src/domain';
import { showWaits } from '../../src/workflows/flood-wait';

test('a wait shows as waiting with its end, and the interrupted step comes back when it is over', () => {
  const progress: JobProgress = { phase: 'delivering', messages: 10 };
  const onWait = showWaits(progress);
  onWait('2026-11-22T09:00:00.000Z');
  expect(progress).toEqual({ phase: 'waiting', messages: 10, resumesAt: '2026-11-22T09:00:00.000Z' });
  onWait('2026-11-22T10:00:00.000Z'); // a second wait right after the first
  onWait(undefined);
  expect(progress).toEqual({ phase: 'delivering', messages: 10 });
});
