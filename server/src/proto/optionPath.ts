// The path of a custom option's name into its value (`option (my.opt).inner.count = 1;`), with where each part is
// written: protoc refuses a part that is no field of the message before it, or that follows a field which is no
// singular message, and reports it there. The parser keeps the path's tokens beside the option, as it keeps an
// aggregate value's (aggregate.ts); the name itself is kept without the spaces between its tokens.

import type { OptionNode, Range } from './ast';
import type { Token } from './lexer';

export interface OptionPathPart {
  readonly name: string;
  /** From the `.` before the name to its end: where buf reports a name that is not a field. */
  readonly range: Range;
  /** The name alone: where buf reports a field that a path cannot go through. */
  readonly nameRange: Range;
}

const tokensOf = new WeakMap<OptionNode, readonly Token[]>();

/** The tokens after `(ext)`: `.`, `inner`, `.`, `count`. */
export function keepOptionPathTokens(o: OptionNode, tokens: readonly Token[]): void {
  tokensOf.set(o, tokens);
}

/**
 * The parts after `(ext)` of a custom option's name; undefined for another name, and for one with an extension after
 * `(ext)` (`(a).(b).c`), which is not followed here.
 */
export function optionPath(o: OptionNode): OptionPathPart[] | undefined {
  const tokens = tokensOf.get(o);
  if (!tokens) return undefined;
  const parts: OptionPathPart[] = [];
  let k = 0;
  for (; k + 1 < tokens.length; k += 2) {
    const dot = tokens[k]!;
    const name = tokens[k + 1]!;
    if (dot.text !== '.' || name.kind !== 'ident') return undefined;
    parts.push({ name: name.text, range: { start: dot.startPos, end: name.endPos }, nameRange: name.range });
  }
  return k === tokens.length ? parts : undefined;
}
