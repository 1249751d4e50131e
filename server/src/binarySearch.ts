// The one binary search the language service uses over its sorted indexes (positions, offsets, numbers, spans).

/**
 * The first index in 0..length where `before` stops holding, given that it holds for a prefix of the indexes
 * and for none after (e.g. "element i is at most x" over an ascending list): so also how many hold.
 */
export function partitionPoint(length: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
