import type { RunningService } from '../../src/devstack';
import { stopPiltover, type PiltoverInfo } from './piltover';

export default async function globalTeardown(): Promise<void> {
  const stack = ((globalThis as Record<string, unknown>).__tgpulseStack ?? []) as RunningService[];
  const piltover = (globalThis as Record<string, unknown>).__tgpulsePiltover as PiltoverInfo | undefined;
  await Promise.all([...stack.map((s) => s.stop()), piltover ? stopPiltover(piltover) : undefined]);
}
