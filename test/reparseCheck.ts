// Whether a tree that reparse() made for an edited text is the tree a whole parse makes of it, compared as plain data:
// every property and every range, not the offsets that nodes keep (a node kept from the previous tree keeps its
// offsets into the text it was read from). Used by test/reparse.test.ts and `npm run replay-typing -- --trees`.
import * as assert from 'node:assert/strict';
import type { ProtoFile } from '../server/src/proto/ast';
import { parse, parsedTextOf } from '../server/src/proto/parser';
import { reparse } from '../server/src/proto/reparse';

/** The private offsets of the nodes in nodes.ts, and the line index they read them with. */
const OFFSETS = new Set([
  'lines', 'start', 'end', 'nameStart', 'nameEnd', 'typeStart', 'typeEnd', 'numberStart', 'numberEnd', 'labelStart',
  'labelEnd', 'keyStart', 'keyEnd', 'valueStart', 'valueEnd', 'bodyStart', 'bodyEnd',
]);

/** A tree as plain data: own properties and getters (ranges), without the offsets of class instances. */
export function plainTree(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(plainTree);
  if (x === null || typeof x !== 'object') return x;
  const proto = Object.getPrototypeOf(x) as object | null;
  const isNode = proto !== Object.prototype;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) if (!(isNode && OFFSETS.has(k))) out[k] = plainTree(v);
  for (let o = proto; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(o))) {
      if (d.get && !(k in out)) out[k] = plainTree((x as Record<string, unknown>)[k]);
    }
  }
  return out;
}

/** How the texts of an edit session were parsed. */
export interface ReparseTally {
  texts: number;
  /** Trees that kept declarations of the tree before. */
  reused: number;
  compared: number;
}

/**
 * Parses each text with the tree of the one before it (`parse` for the first), as the editor does, and asserts of
 * every `every`-th tree that it is a whole parse's.
 */
export function checkReparses(texts: Iterable<string>, tally: ReparseTally, every = 1, label = ''): void {
  let previous: ProtoFile | undefined;
  for (const text of texts) {
    const tree = reparse(text, previous);
    const reused = (parsedTextOf(tree)?.generation ?? 0) > 0;
    if (reused) tally.reused++;
    if (tally.texts++ % every === 0) {
      tally.compared++;
      assert.deepEqual(plainTree(tree), plainTree(parse(text)), `${label} text ${tally.texts}: the tree reparse() made differs from a whole parse's`);
    }
    previous = tree;
  }
}
