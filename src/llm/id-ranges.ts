/**
 * A set of message ids stored as sorted `[first, last]` runs. Ids of a chat's history are mostly consecutive, so
 * the set of a 100,000-message history is a few hundred numbers: small enough to store in a job's plan and read in
 * every activity, to tell an id the model invented from a real one outside the part it was given.
 */
export class IdRanges {
  private constructor(readonly runs: readonly (readonly [number, number])[]) {}

  /** The runs of some ids, in any order, duplicates allowed. */
  static of(ids: Iterable<number>): IdRanges {
    const sorted = [...new Set(ids)].sort((a, b) => a - b);
    const runs: [number, number][] = [];
    for (const id of sorted) {
      const last = runs[runs.length - 1];
      if (last && id === last[1] + 1) last[1] = id;
      else runs.push([id, id]);
    }
    return new IdRanges(runs);
  }

  /** From runs as stored (`toJSON`). */
  static fromRuns(runs: readonly (readonly [number, number])[]): IdRanges {
    return new IdRanges(runs);
  }

  has(id: number): boolean {
    let lo = 0;
    let hi = this.runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [first, last] = this.runs[mid]!;
      if (id < first) hi = mid - 1;
      else if (id > last) lo = mid + 1;
      else return true;
    }
    return false;
  }

  toJSON(): readonly (readonly [number, number])[] {
    return this.runs;
  }
}
