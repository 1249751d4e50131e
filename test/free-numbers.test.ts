// The "next free number" allocator: the numbers it hands out, checked against the plain definition (a scan of
// every range from the start, for each number), and without a scan per number in a message of many reuses.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ENUM_NUMBERS, FIELD_NUMBERS, FreeNumbers } from '../server/src/compat/reuse';
import { ENUM_MAX, FIELD_MAX } from '../server/src/proto/parser';

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

test('FreeNumbers: 50,000 numbers for a message of 50,000 fields, without a scan of every range per number', () => {
  const free = new FreeNumbers(Array.from({ length: 50_000 }, (_, k): [number, number] => [k + 1, k + 1]));
  const start = performance.now();
  const got = Array.from({ length: 50_000 }, () => free.next());
  // A scan per number takes tens of seconds here: a loose bound, not a benchmark.
  assert.ok(performance.now() - start < 5_000, `${performance.now() - start} ms`);
  assert.equal(got[0], 50_001);
  assert.equal(got.at(-1), 100_000);
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
