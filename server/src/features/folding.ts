// Folding ranges: blocks (messages, enums, services, oneofs, rpc option bodies, extend), comment blocks
// (runs of `//` lines and multi-line `/* */`) and runs of import statements.

import type { ProtoFile, Range } from '../proto/ast';
import { tokenize } from '../proto/lexer';
import { allElements } from './positions';
import type { FoldingRange } from './types';

export interface FoldingOptions {
  /** Drop ranges beyond this many (the client's `rangeLimit`), keeping the outermost first. */
  rangeLimit?: number;
}

/**
 * Folding ranges of a file. A block folds from the line of its keyword to the line before its closing
 * brace, so the `}` stays visible; a block that closes on its own first line or the next does not fold.
 */
export function getFoldingRanges(ast: ProtoFile, text: string, options: FoldingOptions = {}): FoldingRange[] {
  const out: FoldingRange[] = [];
  const block = (r: Range, bodyEndLine = r.end.line): void => {
    const endLine = bodyEndLine - 1;
    if (endLine > r.start.line) out.push({ startLine: r.start.line, endLine });
  };
  for (const e of allElements(ast)) {
    switch (e.kind) {
      case 'message':
      case 'enum':
      case 'service':
      case 'oneof':
      case 'extend':
        block(e.range);
        break;
      case 'rpc':
        // `rpc X(A) returns (B) { option … }` folds its option body; `{}` on one line does not.
        if (e.range.end.line > e.nameRange.start.line) block(e.range);
        break;
    }
  }

  // Imports: each run of consecutive import statements (blank lines and comments between them allowed).
  let run: Range | undefined;
  const flush = (): void => {
    if (run && run.end.line > run.start.line) out.push({ startLine: run.start.line, endLine: run.end.line, kind: 'imports' });
    run = undefined;
  };
  const imports = [...ast.imports].sort((a, b) => a.range.start.line - b.range.start.line);
  const statements = statementStarts(ast);
  for (const imp of imports) {
    if (run && statements.some((l) => l > run!.end.line && l < imp.range.start.line)) flush();
    run = run ? { start: run.start, end: imp.range.end } : imp.range;
  }
  flush();

  // Comments: runs of line comments on consecutive lines, and block comments over several lines. All the
  // comments before a token are in its `pre` list, so a token always ends a run.
  const starts = lineStarts(text);
  const codeBefore = (r: Range): boolean => {
    const from = starts[r.start.line] ?? 0;
    return text.slice(from, from + r.start.character).trim() !== '';
  };
  let group: { start: number; end: number } | undefined;
  const flushComment = (): void => {
    if (group && group.end > group.start) out.push({ startLine: group.start, endLine: group.end, kind: 'comment' });
    group = undefined;
  };
  for (const t of tokenize(text)) {
    for (const c of t.pre ?? []) {
      if (c.block) {
        flushComment();
        if (c.range.end.line > c.range.start.line) out.push({ startLine: c.range.start.line, endLine: c.range.end.line, kind: 'comment' });
        continue;
      }
      // A trailing comment (`int32 x = 1; // …`) neither starts nor continues a comment block.
      const trailing = codeBefore(c.range);
      if (group && !trailing && c.range.start.line === group.end + 1) {
        group.end = c.range.start.line;
      } else {
        flushComment();
        if (!trailing) group = { start: c.range.start.line, end: c.range.start.line };
      }
    }
    flushComment();
  }

  out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  const unique = out.filter((r, k) => k === 0 || r.startLine !== out[k - 1]!.startLine || r.endLine !== out[k - 1]!.endLine);
  if (options.rangeLimit !== undefined && unique.length > options.rangeLimit) {
    // Keep the outermost: larger ranges first, then restore document order.
    return [...unique].sort((a, b) => b.endLine - b.startLine - (a.endLine - a.startLine)).slice(0, Math.max(0, options.rangeLimit))
      .sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  }
  return unique;
}

/** Lines where top-level statements other than imports start (these end an import run). */
function statementStarts(ast: ProtoFile): number[] {
  const lines: number[] = [];
  if (ast.syntax) lines.push(ast.syntax.range.start.line);
  if (ast.edition) lines.push(ast.edition.range.start.line);
  if (ast.package) lines.push(ast.package.range.start.line);
  for (const o of ast.options) lines.push(o.range.start.line);
  for (const x of [...ast.messages, ...ast.enums, ...ast.services, ...ast.extends]) lines.push(x.range.start.line);
  return lines;
}

/** Offsets where each line starts (\n, \r\n and \r end lines, as LSP counts them). */
function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (c === 10 || c === 13) out.push(i + 1);
  }
  return out;
}
