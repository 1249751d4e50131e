// The count at the end of `cri-compat pairs`, the same in every format (text and GitHub on stderr, SARIF in a
// notification, JSON as `summary`). It keeps compatibility findings apart from problems of the files themselves
// (syntax, an import or a type not found): a series of old releases, whose files import gogo.proto, has an
// unresolved-import warning in every pair, and a count of "pairs with findings" then said nothing about
// compatibility. An import not found gets a note that says how --proto-path would find it.

import { comparePositions } from '../proto/ast';
import type { Analysis } from '../service';
import { counted, plural } from '../plural';

/** Why a pair was not compared: its old file has syntax errors, or its new file is an earlier release. */
export type SkipReason = 'syntax-errors' | 'out-of-order';

/** `pairs --format json`'s `summary`: what text's last line says, as numbers. */
export interface PairsSummary {
  /** Pairs made, compared or skipped. */
  pairs: number;
  skipped: number;
  /** Compared pairs with a finding of either kind below, and those findings. */
  withFindings: number;
  findings: number;
  /** Findings of a rule (`rules`): what changed between the two files. */
  compatibility: { pairs: number; findings: number };
  /** Syntax and binding problems of the new files (`syntax`, `unresolved-import`, …), by that name. */
  fileProblems: { pairs: number; findings: number; byRule: Record<string, number> };
  /** The import paths that were not resolved, in the order first met: what --proto-path would have to find. */
  unresolvedImports: string[];
}

/** How many import paths the note names before "and N more". */
const NOTE_IMPORTS = 3;

export class PairsTally {
  readonly summary: PairsSummary = {
    pairs: 0, skipped: 0, withFindings: 0, findings: 0,
    compatibility: { pairs: 0, findings: 0 },
    fileProblems: { pairs: 0, findings: 0, byRule: Object.create(null) as Record<string, number> },
    unresolvedImports: [],
  };
  /** Compared pairs with an unresolved import: the note's count. */
  private importPairs = 0;

  skipped(): void {
    this.summary.pairs++;
    this.summary.skipped++;
  }

  /** A compared pair: `analysis` of its new file against its old one. */
  compared(analysis: Analysis): void {
    const s = this.summary;
    s.pairs++;
    const problems = analysis.bound.problems;
    const findings = analysis.findings.length + problems.length;
    s.findings += findings;
    if (findings) s.withFindings++;
    s.compatibility.findings += analysis.findings.length;
    if (analysis.findings.length) s.compatibility.pairs++;
    s.fileProblems.findings += problems.length;
    if (problems.length) s.fileProblems.pairs++;
    for (const p of problems) s.fileProblems.byRule[p.code] = (s.fileProblems.byRule[p.code] ?? 0) + 1;
    // The binder reports an import it could not resolve at the import's path string: its range names the import.
    const unresolved = problems.filter((p) => p.code === 'unresolved-import');
    if (!unresolved.length) return;
    this.importPairs++;
    for (const imp of analysis.bound.ast.imports) {
      if (unresolved.some((p) => comparePositions(p.range.start, imp.pathRange.start) === 0) && !s.unresolvedImports.includes(imp.path)) s.unresolvedImports.push(imp.path);
    }
  }

  /**
   * "462 pairs, 425 with findings, 588 findings", and when the files have problems of their own, how the findings
   * split: ": 172 compatibility findings in 40 pairs, 416 file problems in 416 pairs (416 unresolved-import)".
   * The first part is as it was, for scripts that read it.
   */
  text(): string {
    const s = this.summary;
    const head = `${counted(s.pairs, 'pair')}, ${s.skipped ? `${s.skipped} skipped, ` : ''}${s.withFindings} with findings, ${counted(s.findings, 'finding')}`;
    if (!s.fileProblems.findings) return head;
    const byRule = Object.entries(s.fileProblems.byRule).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([rule, n]) => `${n} ${rule}`).join(', ');
    return `${head}: ${counted(s.compatibility.findings, 'compatibility finding')} in ${counted(s.compatibility.pairs, 'pair')}, `
      + `${counted(s.fileProblems.findings, 'file problem')} in ${counted(s.fileProblems.pairs, 'pair')} (${byRule})`;
  }

  /** What to do about imports not found, or undefined when every import was found. */
  importNote(): string | undefined {
    const paths = this.summary.unresolvedImports;
    if (!paths.length) return undefined;
    const named = paths.slice(0, NOTE_IMPORTS).join(', ') + (paths.length > NOTE_IMPORTS ? ` and ${paths.length - NOTE_IMPORTS} more` : '');
    return `${counted(this.importPairs, 'pair')} ${this.importPairs === 1 ? 'has' : 'have'} ${plural(paths.length, 'an import', 'imports')} that ${paths.length === 1 ? 'was' : 'were'} not found (${named}), `
      + `so types from ${paths.length === 1 ? 'it are' : 'them are'} not checked: --proto-path DIR looks for an import at DIR/<its path>, such as DIR/${paths[0]}`;
  }
}
