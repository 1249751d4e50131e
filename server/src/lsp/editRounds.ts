// Successive edit lists, each against the text the ones before it produce, composed into one list against
// the first text: what a fix with its follow-ups, or the rounds of fix-all, hand to the editor.

import { applyEdits, type TextEdit } from '../fixes';
import { TextLines } from '../fixes/text';

/** Replace `[start, end)` of a text with `text` (offsets). */
interface Span {
  start: number;
  end: number;
  text: string;
}

/**
 * Successive edit lists, each against the text the ones before it produce, as one edit list against `text`
 * (edits that touch become one; what a later list undoes is left out).
 */
export function composeEditRounds(text: string, rounds: readonly (readonly TextEdit[])[]): TextEdit[] {
  return spansToEdits(text, composeSpans(text, rounds));
}

/** `composeEditRounds` as spans of `text`, sorted (spans that change nothing too). */
export function composeSpans(text: string, rounds: readonly (readonly TextEdit[])[]): Span[] {
  let cur = text;
  let net: Span[] = [];
  for (const edits of rounds) {
    net = compose(cur, net, toSpans(cur, edits));
    cur = applyEdits(cur, edits);
  }
  return net;
}

/** Non-overlapping edits of `text` as spans, sorted; insertions at one position keep their order. */
function toSpans(text: string, edits: readonly TextEdit[]): Span[] {
  const lines = new TextLines(text);
  return edits
    .map((e, k) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText, k }))
    .sort((a, b) => a.start - b.start || (a.end - a.start) - (b.end - b.start) || a.k - b.k)
    .map(({ start, end, text: t }) => ({ start, end, text: t }));
}

/**
 * `net` turns T0 into `t1`; `next` (spans of `t1`) turns `t1` into T2: the spans that turn T0 into T2. Spans of
 * both that touch in `t1` become one span.
 */
function compose(t1: string, net: readonly Span[], next: readonly Span[]): Span[] {
  interface Item { s: number; e: number; base?: Span; next?: Span; k: number }
  const items: Item[] = [];
  let shift = 0;
  for (const b of net) {
    const s = b.start + shift;
    items.push({ s, e: s + b.text.length, base: b, k: items.length });
    shift += b.text.length - (b.end - b.start);
  }
  for (const n of next) items.push({ s: n.start, e: n.end, next: n, k: items.length });
  items.sort((a, b) => a.s - b.s || a.k - b.k);
  const out: Span[] = [];
  let before = 0; // shift of the base spans in earlier clusters
  for (let i = 0; i < items.length;) {
    const S = items[i]!.s;
    let E = items[i]!.e;
    let j = i + 1;
    while (j < items.length && items[j]!.s <= E) E = Math.max(E, items[j++]!.e);
    const cluster = items.slice(i, j);
    let own = 0;
    for (const c of cluster) if (c.base) own += c.base.text.length - (c.base.end - c.base.start);
    // The cluster's text in t1 with its `next` spans applied (they keep their order).
    let text = '';
    let at = S;
    for (const c of cluster.filter((x) => x.next).sort((a, b) => a.k - b.k)) {
      text += t1.slice(at, c.s) + c.next!.text;
      at = c.e;
    }
    text += t1.slice(at, E);
    out.push({ start: S - before, end: E - before - own, text });
    before += own;
    i = j;
  }
  return out;
}

/** Spans of `t0` as LSP edits; spans that change nothing (a fix undone by a later round) are dropped. */
function spansToEdits(t0: string, spans: readonly Span[]): TextEdit[] {
  const lines = new TextLines(t0);
  return spans
    .filter((sp) => t0.slice(sp.start, sp.end) !== sp.text)
    .map((sp) => ({ range: { start: lines.positionAt(sp.start), end: lines.positionAt(sp.end) }, newText: sp.text }));
}
