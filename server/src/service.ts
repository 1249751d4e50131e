// The language service facade: text in, everything the front ends show out. The LSP server, the CLI,
// the benchmarks and the tests all call these functions; nothing here knows about LSP or VS Code.

import { bind, type BoundFile, type ImportResolver } from './proto/binder';
import { reparse } from './proto/reparse';
import type { ProtoFile } from './proto/ast';
import type { Finding } from './compat/finding';
import type { Baseline } from './baseline/types';
import { checkCompatibility, type CheckOptions } from './compat/check';
import type { Addition, DuplicateNumber } from './compat/compare';

export interface Analysis {
  bound: BoundFile;
  /** Compatibility, reuse, documentation and policy findings (empty without a baseline). */
  findings: Finding[];
  /** Non-breaking additions since the baseline (for the report). */
  additions: Addition[];
  /** New fields on the number of a released field still there: the fix of the binder's duplicate-number. */
  duplicates?: DuplicateNumber[];
  baseline?: Baseline;
}

export interface AnalyzeOptions extends CheckOptions {
  uri: string;
  /** The tree of an earlier version of the text: the parse reads only the declarations an edit changed (reparse.ts). */
  previous?: ProtoFile;
  imports?: ImportResolver;
  baseline?: Baseline;
}

export function analyze(text: string, options: AnalyzeOptions): Analysis {
  return analyzeBound(text, bind(reparse(text, options.previous), options.uri, options.imports), options);
}

/**
 * The checks of `text` once bound: for a caller that decides on the baseline by what the file declares (the
 * editor compares only the CRI API), and so would otherwise parse and bind it twice.
 */
export function analyzeBound(text: string, bound: BoundFile, options: CheckOptions & { baseline?: Baseline }): Analysis {
  if (!options.baseline) return { bound, findings: [], additions: [] };
  const { findings, additions, duplicates } = checkCompatibility(text, bound, options.baseline, options);
  return { bound, findings, additions, ...(duplicates.length ? { duplicates } : {}), baseline: options.baseline };
}
