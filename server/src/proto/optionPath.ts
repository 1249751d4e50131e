// The path of a custom option's name into its value (`option (my.opt).inner.count = 1;`, `(my.opt).(my.ext).s`), with
// where each part is written: protoc refuses a part that is no field of the message before it, an extension that is
// not one of that message, or a part that follows a field which is no singular message, and reports it there. The
// parser keeps the path's tokens beside the option, as it keeps an aggregate value's (aggregate.ts); the name itself
// is kept without the spaces between its tokens.

import type { OptionNode, Range } from './ast';
import type { Token } from './lexer';

export interface OptionPathPart {
  /** A field's name; an extension's as written in its parentheses (`my.ext`, `.my.ext`). */
  readonly name: string;
  /** `(my.ext)`: an extension of the message before it, looked up from the option's scope. */
  readonly extension: boolean;
  /** From the `.` before the part to its end: where buf reports a name that is not a field, or not an extension of the message. */
  readonly range: Range;
  /** The part alone (an extension's with its parentheses): where buf reports one that a path cannot go through. */
  readonly nameRange: Range;
  /** An extension's name inside its parentheses, where buf reports one that is not found; a field's name. */
  readonly innerRange: Range;
}

const tokensOf = new WeakMap<OptionNode, readonly Token[]>();

/** The tokens after `(ext)`: `.`, `inner`, `.`, `(`, `my`, `.`, `ext`, `)`. */
export function keepOptionPathTokens(o: OptionNode, tokens: readonly Token[]): void {
  tokensOf.set(o, tokens);
}

/** The parts after `(ext)` of a custom option's name; undefined for another name, and for one the parser did not read whole. */
export function optionPath(o: OptionNode): OptionPathPart[] | undefined {
  const tokens = tokensOf.get(o);
  if (!tokens) return undefined;
  const parts: OptionPathPart[] = [];
  for (let k = 0; k < tokens.length;) {
    const dot = tokens[k]!;
    const first = tokens[k + 1];
    if (dot.text !== '.' || !first) return undefined;
    if (first.kind === 'ident') {
      parts.push({ name: first.text, extension: false, range: { start: dot.startPos, end: first.endPos }, nameRange: first.range, innerRange: first.range });
      k += 2;
      continue;
    }
    if (first.text !== '(') return undefined;
    let name = '';
    let j = k + 2;
    for (; j < tokens.length && tokens[j]!.text !== ')'; j++) name += tokens[j]!.text;
    const close = tokens[j];
    if (!close || j === k + 2) return undefined;
    const inner = { start: tokens[k + 2]!.startPos, end: tokens[j - 1]!.endPos };
    parts.push({ name, extension: true, range: { start: dot.startPos, end: close.endPos }, nameRange: { start: first.startPos, end: close.endPos }, innerRange: inner });
    k = j + 1;
  }
  return parts;
}

/**
 * Where `length` characters of `o.name` from `from` are written, where buf marks a part of the name: exact where the
 * name is written on one line without spaces, as nearly always; else the whole name, which is kept without them.
 */
export function namePartRange(o: OptionNode, from: number, length: number): Range {
  const { start, end } = o.nameRange;
  if (start.line !== end.line || end.character - start.character !== o.name.length) return o.nameRange;
  return { start: { line: start.line, character: start.character + from }, end: { line: start.line, character: start.character + from + length } };
}
