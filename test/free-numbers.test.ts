// The "next free number" allocator: the numbers it hands out, checked against the plain definition (a scan of
// every range from the start, for each number), and without a scan per number in a message of many reuses.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ENUM_NUMBERS, FIELD_NUMBERS, FreeNumbers } from '../server/src/compat/reuse';
import { ENUM_MAX, FIELD_MAX } from '../server/src/proto/parser';
import { isolated, runIsolated } from './isolated';

/** The definition: above the highest number taken first, then from 1; every number handed out is taken. */
function reference(taken: [number, number][], count: number): (number | undefined)[] {
  const all: [number, number][] = [[19000, 19999], ...taken];
  let max = 0;
  for (const [, b] of taken) max = Math.max(max, Math.min(b, FIELD_MAX));
  const firstFree = (from: number): number => {
    let n = from;
    for (const [a, b] of [...all].sort((x, y) => x[0] - y[0])) {
      if (a > n) break;
      if (b >= n) n = b + 1;
    }
    return n;
  };
  const out: (number | undefined)[] = [];
  for (let i = 0; i < count; i++) {
    const above = firstFree(max + 1);
    const free = above <= FIELD_MAX ? above : firstFree(1);
    if (free > FIELD_MAX) {
      out.push(undefined);
      continue;
    }
    max = Math.max(max, free);
    all.push([free, free]);
    out.push(free);
  }
  return out;
}

test('FreeNumbers hands out what the definition does: above the numbers taken, then from 1 under "to max"', () => {
  let seed = 7;
  const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let round = 0; round < 300; round++) {
    const taken: [number, number][] = [];
    for (let k = rnd(12); k > 0; k--) {
      const a = 1 + rnd(40);
      taken.push([a, rnd(4) === 0 ? FIELD_MAX : a + rnd(5)]);
    }
    const count = 1 + rnd(60);
    const free = new FreeNumbers(taken);
    assert.deepEqual(Array.from({ length: count }, () => free.next()), reference(taken, count), JSON.stringify(taken));
  }
});

const MANY = 'FreeNumbers: 200,000 numbers for a message of 200,000 fields, without a scan of every range per number';
test(MANY, async () => {
  // A scan per number needs minutes here and the code a fraction of a second: run alone, stopped at a deadline
  // (a hang guard, not a timing).
  if (!isolated(MANY)) return runIsolated(__filename, MANY, 60_000);
  const n = 200_000;
  const free = new FreeNumbers(Array.from({ length: n }, (_, k): [number, number] => [k + 1, k + 1]));
  const got = Array.from({ length: n }, () => free.next());
  assert.equal(got[0], n + 1);
  assert.equal(got.at(-1), 2 * n);
  assert.ok(got.every((x, k) => x === n + 1 + k));
});

test('FreeNumbers for enum values: 19000–19999 are theirs to use, and "to max" runs to the int32 maximum', () => {
  const fieldNext = new FreeNumbers([[18999, 18999]], FIELD_NUMBERS);
  assert.equal(fieldNext.next(), 20000);
  const enumNext = new FreeNumbers([[18999, 18999]], ENUM_NUMBERS);
  assert.deepEqual([enumNext.next(), enumNext.next()], [19000, 19001]);
  // A reservation to the field maximum leaves the enum numbers above it free; one to the enum maximum, none above.
  assert.equal(new FreeNumbers([[0, 2], [5, FIELD_MAX]], ENUM_NUMBERS).next(), FIELD_MAX + 1);
  assert.equal(new FreeNumbers([[0, 2], [5, ENUM_MAX]], ENUM_NUMBERS).next(), 3);
});
