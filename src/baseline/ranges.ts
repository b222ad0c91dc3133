// Address ranges written on a channel: inclusive [first, last] pairs kept sorted and merged, and
// bounded. When a space holds more than its cap, the two neighbours with the smallest hole between
// them are joined, so the set widens a little instead of growing without limit (a monitor runs
// for days; a client that writes every other register must not grow the baseline by one entry each).

export type Range = readonly [number, number];

/** Most ranges kept per address space of one channel. */
export const MAX_RANGES_PER_SPACE = 64;

/** Adds [first, last] to sorted, merged `ranges` and returns the new sorted, merged, capped list. */
export function addRange(
  ranges: readonly Range[],
  first: number,
  last: number,
  cap = MAX_RANGES_PER_SPACE,
): Range[] {
  return mergeRanges([...ranges, [first, last]], cap);
}

/** Sorts, joins overlapping and adjacent ranges (10-12 and 13-15 become 10-15), then caps. */
export function mergeRanges(ranges: readonly Range[], cap = MAX_RANGES_PER_SPACE): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [first, last] of sorted) {
    const prev = out[out.length - 1];
    if (prev !== undefined && first <= prev[1] + 1) prev[1] = Math.max(prev[1], last);
    else out.push([first, last]);
  }
  while (out.length > cap) joinClosest(out);
  return out;
}

function joinClosest(ranges: [number, number][]): void {
  let best = 1;
  for (let i = 2; i < ranges.length; i++) {
    if (ranges[i][0] - ranges[i - 1][1] < ranges[best][0] - ranges[best - 1][1]) best = i;
  }
  ranges[best - 1][1] = ranges[best][1];
  ranges.splice(best, 1);
}
