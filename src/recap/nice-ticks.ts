/**
 * Axis ticks people read at a glance: 0 and steps of 1, 2 or 5 × 10ⁿ, the last tick at or above `max`, at most
 * `maxTicks` intervals. Counts never get fractional steps (no 62.5 messages).
 *
 * @example niceTicks(470) // [0, 100, 200, 300, 400, 500]
 * @example niceTicks(3)   // [0, 1, 2, 3]
 */
export function niceTicks(max: number, maxTicks = 5, integers = true): number[] {
  const top = Math.max(max, integers ? 1 : Number.MIN_VALUE);
  const raw = top / maxTicks;
  let magnitude = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= raw)!;
  if (integers && step < 1) {
    step = 1;
    magnitude = 1;
  }
  const count = Math.ceil(top / step - 1e-9);
  // Multiplying (not adding) keeps 0.1-type steps free of float drift.
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}
