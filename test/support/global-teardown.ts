import type { RunningService } from '../../src/devstack';

export default async function globalTeardown(): Promise<void> {
  const stack = ((globalThis as Record<string, unknown>).__tgpulseStack ?? []) as RunningService[];
  await Promise.all(stack.map((s) => s.stop()));
}
