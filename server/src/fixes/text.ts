// Text plumbing for quick fixes: LSP positions ↔ string offsets, the file's line ending, indentation, and
// applying, checking and merging edit lists. Pure functions; nothing here knows about LSP or VS Code.

import type { Position, Range } from '../proto/ast';

/** An LSP-shaped text edit: replace `range` of the text the fix was computed for with `newText`. */
export interface TextEdit {
  range: Range;
  newText: string;
}

const LINE_BREAK = /\r\n|\r|\n/g;

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
    for (const m of text.matchAll(LINE_BREAK)) {
      eol ??= m[0];
      this.ends.push(m.index!);
      this.starts.push(m.index! + m[0].length);
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

  /** Leading whitespace of a line. */
  indentOf(line: number): string {
    return /^[ \t]*/.exec(this.line(line))![0];
  }

  /** Is only whitespace before `p` on its line? */
  startsLine(p: Position): boolean {
    return /^[ \t]*$/.test(this.line(p.line).slice(0, p.character));
  }

  /** Is only whitespace (or nothing) after `p` on its line? */
  endsLine(p: Position): boolean {
    return /^[ \t]*$/.test(this.line(p.line).slice(p.character));
  }

  isBlank(line: number): boolean {
    return /^[ \t]*$/.test(this.line(line));
  }
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
  const sorted = toOffsets(linesOf(text), edits);
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
   * `parts`: the insertions combined into `edit`, to recognize a duplicate of any of them (a set: fix-all
   * combines tens of thousands at one position on a hostile file, each checked against those before it).
   */
  interface Taken { start: number; end: number; edit: TextEdit; parts: Set<string> }
  const taken: Taken[] = [];
  const took: boolean[] = [];
  // Indexes instead of scans, so that fixing every finding of a huge file stays n log n: the edits taken at
  // each exact position, the replaced spans (disjoint, sorted by start) and the insertion points (sorted).
  const at = new Map<string, Taken[]>();
  const spans: Taken[] = [];
  const points: number[] = [];
  /** Index of the last element whose key is below `v` (-1 if none). */
  const lastBelow = <T>(xs: T[], keyOf: (x: T) => number, v: number): number => {
    let lo = 0;
    let hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keyOf(xs[mid]!) < v) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  };
  const clashes = (t: Taken): boolean => {
    if (t.start === t.end) {
      // An insertion inside a replaced span.
      const k = lastBelow(spans, (x) => x.start, t.start);
      return k >= 0 && spans[k]!.end > t.start;
    }
    const k = lastBelow(spans, (x) => x.start, t.end);
    if (k >= 0 && spans[k]!.end > t.start) return true;
    // An insertion strictly inside this span.
    const p = lastBelow(points, (x) => x, t.start + 1) + 1;
    return p < points.length && points[p]! < t.end;
  };
  for (const list of lists) {
    const plan: { kind: 'new' | 'combine' | 'dup'; t: Taken; target?: Taken }[] = [];
    let ok = true;
    for (const e of list) {
      const t: Taken = { start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), edit: e, parts: new Set([e.newText]) };
      const same = at.get(`${t.start}:${t.end}`);
      if (same?.some((x) => x.parts.has(e.newText))) {
        plan.push({ kind: 'dup', t });
        continue;
      }
      const combineWith = t.start === t.end ? same?.[0] : undefined;
      if (combineWith) {
        plan.push({ kind: 'combine', t, target: combineWith });
        continue;
      }
      if (clashes(t)) {
        ok = false;
        break;
      }
      plan.push({ kind: 'new', t });
    }
    took.push(ok);
    if (!ok) continue;
    for (const p of plan) {
      if (p.kind === 'new') {
        const t: Taken = { ...p.t, edit: { range: p.t.edit.range, newText: p.t.edit.newText } };
        taken.push(t);
        const k = `${t.start}:${t.end}`;
        const list = at.get(k);
        if (list) list.push(t);
        else at.set(k, [t]);
        if (t.start === t.end) points.splice(lastBelow(points, (x) => x, t.start) + 1, 0, t.start);
        else spans.splice(lastBelow(spans, (x) => x.start, t.start) + 1, 0, t);
      } else if (p.kind === 'combine') {
        p.target!.edit.newText += p.t.edit.newText;
        p.target!.parts.add(p.t.edit.newText);
      }
    }
  }
  taken.sort((a, b) => a.start - b.start || a.end - b.end);
  return { edits: taken.map((t) => t.edit), taken: took };
}

function fmt(r: Range): string {
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}
