// Offsets to LSP positions, for the nodes that keep offsets instead of ranges (see nodes.ts).

import type { Position, Range } from './ast';

/** Where each line of one text starts (UTF-16 offsets), filled in by the lexer as it reads the text. */
export class LineIndex {
  /** Line `k` starts at `starts[k]`. The lexer counts `\n`, `\r\n` and a lone `\r` as one line break each. */
  constructor(readonly starts: number[] = [0]) {}

  position(offset: number): Position {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - s[lo]! };
  }

  /** A new Range on every call, so that whoever keeps one owns it. */
  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
}
