/**
 * Levenshtein distance, two rows: for "did you mean" suggestions of mistyped names. With `limit`, a distance
 * past it is returned as `limit + 1` without computing it: at once when the lengths differ by more (the distance
 * is at least that difference), else as soon as a whole row exceeds it (rows never decrease their minimum). A
 * suggestion only needs to know it is too far, and a 20,000-character value against every name would otherwise
 * take seconds.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let least = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (cur[j]! < least) least = cur[j]!;
    }
    if (least > limit) return limit + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}
