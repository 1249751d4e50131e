// Text plumbing for quick fixes: LSP positions ↔ string offsets, the file's line ending, indentation, and
// applying, checking and merging edit lists. Pure functions; nothing here knows about LSP or VS Code.

import type { Position, Range } from '../proto/ast';

/** An LSP-shaped text edit: replace `range` of the text the fix was computed for with `newText`. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** Line starts of a text, counted the way LSP and the lexer count lines (`\r\n`, `\n` or a lone `\r`). */
export class TextLines {
  /** Offset of the first character of each line. */
  readonly starts: number[] = [0];
  /** Offset just past the content of each line (before its line break). */
  readonly ends: number[] = [];
  /** The file's line ending, from its first line break; `\n` when there is none. */
  readonly eol: string;

  constructor(readonly text: string) {
    let eol: string | undefined;
    // A scan rather than matchAll: no match object per line.
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c !== 10 && c !== 13) continue;
      const crlf = c === 13 && text.charCodeAt(k + 1) === 10;
      eol ??= crlf ? '\r\n' : c === 13 ? '\r' : '\n';
      this.ends.push(k);
      if (crlf) k++;
      this.starts.push(k + 1);
    }
    this.ends.push(text.length);
    this.eol = eol ?? '\n';
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Content of a line without its line break ('' past the end). */
  line(n: number): string {
    if (n < 0 || n >= this.starts.length) return '';
    return this.text.slice(this.starts[n], this.ends[n]);
  }

  /** Offset of a position; the character is clamped to the line's content, the line to the text. */
  offsetAt(p: Position): number {
    if (p.line < 0) return 0;
    if (p.line >= this.starts.length) return this.text.length;
    const start = this.starts[p.line]!;
    return Math.min(start + Math.max(0, p.character), this.ends[p.line]!);
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: Math.min(o, this.ends[lo]!) - this.starts[lo]! };
  }

  /** Source text of a range. */
  slice(r: Range): string {
    return this.text.slice(this.offsetAt(r.start), this.offsetAt(r.end));
  }

  // The four below read the text in place: fixing every finding of a huge file asks them hundreds of thousands
  // of times, and a copy of the line (and a match array) each time was a good part of its garbage.

  /** Leading whitespace (spaces and tabs) of a line. */
  indentOf(line: number): string {
    if (line < 0 || line >= this.starts.length) return '';
    const start = this.starts[line]!;
    return this.text.slice(start, this.blankUpTo(start, this.ends[line]!));
  }

  /** Is only whitespace before `p` on its line? (A negative character counts from the line's end, as `slice` does.) */
  startsLine(p: Position): boolean {
    if (p.line < 0 || p.line >= this.starts.length) return true;
    const start = this.starts[p.line]!;
    const end = start + sliceIndex(p.character, this.ends[p.line]! - start);
    return this.blankUpTo(start, end) === end;
  }

  /** Is only whitespace (or nothing) after `p` on its line? */
  endsLine(p: Position): boolean {
    if (p.line < 0 || p.line >= this.starts.length) return true;
    const start = this.starts[p.line]!;
    const end = this.ends[p.line]!;
    return this.blankUpTo(start + sliceIndex(p.character, end - start), end) === end;
  }

  /**
   * How many spaces and tabs are right before `p` on its line (a negative character counts from the line's end, as
   * `slice` does), scanned back from `p`: a regular expression anchored at the end of the line before it tries every
   * start of that line, once per member of a body written on one line (75,000 fields: minutes).
   */
  blanksBefore(p: Position): number {
    if (p.line < 0 || p.line >= this.starts.length) return 0;
    const start = this.starts[p.line]!;
    const end = start + sliceIndex(p.character, this.ends[p.line]! - start);
    let k = end;
    while (k > start) {
      const c = this.text.charCodeAt(k - 1);
      if (c !== 32 && c !== 9) break;
      k--;
    }
    return end - k;
  }

  isBlank(line: number): boolean {
    if (line < 0 || line >= this.starts.length) return true;
    return this.blankUpTo(this.starts[line]!, this.ends[line]!) === this.ends[line]!;
  }

  /** The offset of the first character from `from` on that is not a space or tab, or `to`. */
  private blankUpTo(from: number, to: number): number {
    let k = from;
    while (k < to) {
      const c = this.text.charCodeAt(k);
      if (c !== 32 && c !== 9) break;
      k++;
    }
    return k;
  }
}

/** Where `slice(k)` of a string of `length` starts (or `slice(0, k)` ends). */
function sliceIndex(k: number, length: number): number {
  return k < 0 ? Math.max(length + k, 0) : Math.min(k, length);
}

let cached: TextLines | undefined;

/** `TextLines` of a text, reusing the last one (fix-all computes many fixes against one text). */
export function linesOf(text: string): TextLines {
  if (cached?.text !== text) cached = new TextLines(text);
  // An equal text in another string (the same file analyzed again) keeps the lines but now holds this string:
  // comparing two equal strings reads both to the end, on every call (a 3 MB file, once per finding), while a
  // string compared with itself is equal at once.
  else (cached as { text: string }).text = text;
  return cached;
}

export function pos(line: number, character: number): Position {
  return { line, character };
}

export function insertAt(p: Position, newText: string): TextEdit {
  return { range: { start: p, end: p }, newText };
}

/** Edits of one text as offsets, sorted by start; at equal starts insertions come first (stable otherwise). */
function toOffsets(lines: TextLines, edits: readonly TextEdit[]): { start: number; end: number; newText: string; index: number }[] {
  const out = edits.map((e, index) => {
    const start = lines.offsetAt(e.range.start);
    const end = lines.offsetAt(e.range.end);
    if (end < start) throw new Error(`edit ${index} ends before it starts (${fmt(e.range)})`);
    return { start, end, newText: e.newText, index };
  });
  out.sort((a, b) => a.start - b.start || (a.end - a.start) - (b.end - b.start) || a.index - b.index);
  return out;
}

/** Throws when two edits overlap. Insertions at one position do not overlap (they apply in list order). */
export function checkNonOverlapping(text: string, edits: readonly TextEdit[]): void {
  const lines = linesOf(text);
  // Most fixes are one edit: nothing to sort (toOffsets below throws for one that ends before it starts).
  if (edits.length === 1 && lines.offsetAt(edits[0]!.range.start) <= lines.offsetAt(edits[0]!.range.end)) return;
  // Two that are fine need no sort either (the first in toOffsets' order ends where or before the other starts);
  // the sort below finds what is wrong with them and says so.
  if (edits.length === 2) {
    const s0 = lines.offsetAt(edits[0]!.range.start);
    const e0 = lines.offsetAt(edits[0]!.range.end);
    const s1 = lines.offsetAt(edits[1]!.range.start);
    const e1 = lines.offsetAt(edits[1]!.range.end);
    const secondFirst = s1 < s0 || (s1 === s0 && e1 - s1 < e0 - s0);
    if (s0 <= e0 && s1 <= e1 && (secondFirst ? e1 <= s0 : e0 <= s1)) return;
  }
  const sorted = toOffsets(lines, edits);
  for (let k = 1; k < sorted.length; k++) {
    const a = sorted[k - 1]!;
    const b = sorted[k]!;
    if (a.end > b.start) {
      throw new Error(`overlapping edits: ${fmt(edits[a.index]!.range)} and ${fmt(edits[b.index]!.range)}`);
    }
  }
}

/**
 * Applies edits computed against `text`. They may come in any order; they must not overlap (throws
 * otherwise). Several insertions at one position are applied in list order.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  if (!edits.length) return text;
  const sorted = toOffsets(linesOf(text), edits);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at ${fmt(edits[e.index]!.range)}`);
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/**
 * A fix computed for one document version must not be applied to another (its ranges would point at
 * other text). True when the versions differ; `undefined` and `null` count as "no version" (the CLI).
 */
export function isStale(fixVersion: number | null | undefined, currentVersion: number | null | undefined): boolean {
  return (fixVersion ?? undefined) !== (currentVersion ?? undefined);
}

/**
 * Merges the edit lists of several fixes into one non-overlapping list. A fix is taken whole or not at all:
 * when one of its edits overlaps an edit already taken, the whole fix is skipped. Insertions at the same
 * position are combined (in fix order); an edit identical to one already taken is dropped. `taken[k]` tells
 * whether list k made it.
 */
export function mergeEditLists(text: string, lists: readonly (readonly TextEdit[])[]): { edits: TextEdit[]; taken: boolean[] } {
  const lines = linesOf(text);
  /**
   * `first` and `more`: the insertions combined into `edit`, to recognize a duplicate of any of them (a set once
   * there are several: fix-all combines tens of thousands at one position on a hostile file, each checked
   * against those before it; most edits are never combined, and a set for each was much of fix-all's garbage).
   */
  interface Taken { start: number; end: number; edit: TextEdit; first: string; more?: Set<string> }
  const took: boolean[] = [];
  // Indexes instead of scans, so that fixing every finding of a huge file stays n log n: the edits taken at
  // each start offset, and counts of the replaced spans' starts and ends and of the insertion points, by offset.
  // (Sorted arrays that took each new edit in its place moved half of their elements per edit when the fixes do
  // not come in file order: 200,000 doc stubs of 100,000 messages declared twice, test/fuzz: messages-100k.)
  const at = new Map<number, Taken[]>();
  const offsets = offsetIndex(lines, lists);
  const spanStarts = new MarkCounts(offsets.size);
  const spanEnds = new MarkCounts(offsets.size);
  const points = new MarkCounts(offsets.size);
  const none: Taken[] = [];
  const clashes = (start: number, end: number): boolean => {
    const s = offsets.get(start)!;
    const e = offsets.get(end)!;
    // A taken span [a, b) with a < end and b > start (one with b <= start also has a < end). For an insertion
    // (start = end) that is a span it is strictly inside.
    if (spanStarts.below(e) - spanEnds.below(s + 1) > 0) return true;
    // An insertion strictly inside this span.
    return start < end && points.below(e) - points.below(s + 1) > 0;
  };
  for (const list of lists) {
    const plan: { kind: 'new' | 'combine' | 'dup'; start: number; end: number; edit: TextEdit; target?: Taken }[] = [];
    let ok = true;
    for (const e of list) {
      const start = lines.offsetAt(e.range.start);
      const end = lines.offsetAt(e.range.end);
      // The first edit taken with the same span, and whether any taken with it already holds this text.
      let same: Taken | undefined;
      let dup = false;
      for (const x of at.get(start) ?? none) {
        if (x.end !== end) continue;
        same ??= x;
        if (x.first === e.newText || x.more?.has(e.newText)) {
          dup = true;
          break;
        }
      }
      if (dup) {
        plan.push({ kind: 'dup', start, end, edit: e });
        continue;
      }
      if (start === end && same) {
        plan.push({ kind: 'combine', start, end, edit: e, target: same });
        continue;
      }
      if (clashes(start, end)) {
        ok = false;
        break;
      }
      plan.push({ kind: 'new', start, end, edit: e });
    }
    took.push(ok);
    if (!ok) continue;
    for (const p of plan) {
      if (p.kind === 'new') {
        const t: Taken = { start: p.start, end: p.end, edit: { range: p.edit.range, newText: p.edit.newText }, first: p.edit.newText };
        const list = at.get(t.start);
        if (list) list.push(t);
        else at.set(t.start, [t]);
        if (t.start === t.end) points.add(offsets.get(t.start)!);
        else {
          spanStarts.add(offsets.get(t.start)!);
          spanEnds.add(offsets.get(t.end)!);
        }
      } else if (p.kind === 'combine') {
        const target = p.target!;
        target.edit.newText += p.edit.newText;
        (target.more ??= new Set()).add(p.edit.newText);
      }
    }
  }
  // In file order: by start (the offsets' index lists them ascending), then by end, each in the order taken, as a
  // stable sort of them all gives, without its comparator call per comparison (millions for 200,000 doc stubs).
  const edits: TextEdit[] = [];
  for (const start of offsets.keys()) {
    const same = at.get(start);
    if (!same) continue;
    if (same.length > 1) same.sort((a, b) => a.end - b.end);
    for (const t of same) edits.push(t.edit);
  }
  return { edits, taken: took };
}

/** Every offset an edit of `lists` starts or ends at, to its rank among them (the index of MarkCounts), ascending. */
function offsetIndex(lines: TextLines, lists: readonly (readonly TextEdit[])[]): Map<number, number> {
  let n = 0;
  for (const list of lists) n += list.length;
  // A typed array sorts numbers without a comparator call per comparison (fix-all of 200,000 stubs: 400,000).
  const all = new Float64Array(2 * n);
  let k = 0;
  for (const list of lists) {
    for (const e of list) {
      all[k++] = lines.offsetAt(e.range.start);
      all[k++] = lines.offsetAt(e.range.end);
    }
  }
  all.sort();
  const rank = new Map<number, number>();
  for (const o of all) if (!rank.has(o)) rank.set(o, rank.size);
  return rank;
}

/**
 * How many marks there are at indexes 0..n-1, marks added one at a time (a Fenwick tree): both a mark added and
 * the marks below an index counted in log n steps.
 */
class MarkCounts {
  private readonly tree: Int32Array;

  constructor(n: number) {
    this.tree = new Int32Array(n + 1);
  }

  add(i: number): void {
    for (let k = i + 1; k < this.tree.length; k += k & -k) this.tree[k] = this.tree[k]! + 1;
  }

  /** Marks at indexes below `i`. */
  below(i: number): number {
    let n = 0;
    for (let k = i; k > 0; k -= k & -k) n += this.tree[k]!;
    return n;
  }
}

/** `text` in lines of at most `width` characters, broken between words; a longer word gets a line of its own. */
export function wrapWords(text: string, width: number): string[] {
  // Most stub lines fit: returned as they are instead of split into words and joined again (fix-all of 200,000
  // stubs spent a tenth of its time there). The loop below gives the same for them: it breaks no line that fits,
  // and drops only spaces in front of the first word, so a line starting with one takes the loop.
  if (text.length <= width && text.charCodeAt(0) !== 32) return [text];
  return wrapEachWord(text, width);
}

/** wrapWords word by word, every line split and joined again (what its shortcut must match: the tests compare them). */
export function wrapEachWord(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  out.push(line);
  return out;
}

function fmt(r: Range): string {
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}
