// `// cri-compat:ignore RULE_ID[,RULE_ID] reason` suppresses those rules on the element that follows
// the comment (the next line holding code, past blank lines and the element's doc comment), or on its own line
// when it trails code.

import type { Range } from '../proto/ast';
import type { Finding } from './finding';
import { getRule, meantRuleId, RULES_BY_ID } from './rules';

export const SUPPRESSION_MARKER = 'cri-compat:ignore';

export interface Suppression {
  rules: string[];
  reason: string;
  /** The comment itself. */
  range: Range;
  /** The line whose findings it suppresses. */
  targetLine: number;
}

// Rule ids are separated by commas, optionally with blanks around them ("A,B" or "A, B"); the reason follows
// the last id after a blank.
const PATTERN = /\/\/\s*cri-compat:ignore\b[ \t]*([A-Z0-9_]+(?:[ \t]*,[ \t]*[A-Z0-9_]+)*,?)?(?:[ \t]+(.*))?$/;

export function findSuppressions(text: string): Suppression[] {
  if (!text.includes(SUPPRESSION_MARKER)) return [];
  const lines = text.split(/\r\n|\r|\n/);
  const out: Suppression[] = [];
  lines.forEach((line, i) => {
    const k = line.indexOf(SUPPRESSION_MARKER);
    if (k < 0) return;
    const start = line.lastIndexOf('//', k);
    if (start < 0) return;
    const m = PATTERN.exec(line.slice(start));
    if (!m) return;
    const rules = (m[1] ?? '').split(/[,\s]+/).filter(Boolean);
    const codeBefore = line.slice(0, start).trim() !== '';
    let target = i;
    if (!codeBefore) target = nextCodeLine(lines, i + 1);
    out.push({
      rules, reason: (m[2] ?? '').trim(), targetLine: target,
      range: { start: { line: i, character: start }, end: { line: i, character: line.length } },
    });
  });
  return out;
}

/**
 * The first line from `from` on that holds code: blank lines and comments, `//` or block (the element's doc
 * comment, which the suppression stays apart from), are skipped.
 */
function nextCodeLine(lines: string[], from: number): number {
  let k = from;
  while (k < lines.length) {
    const line = lines[k]!;
    if (/^\s*(\/\/.*)?$/.test(line)) {
      k++;
      continue;
    }
    const open = /^\s*\/\*/.exec(line);
    if (!open) return k;
    let end = k;
    let close = line.indexOf('*/', open[0].length);
    while (close < 0 && ++end < lines.length) close = lines[end]!.indexOf('*/');
    if (close < 0) return lines.length;
    // Code after the comment's end on its last line is the element.
    if (!/^\s*(\/\/.*)?$/.test(lines[end]!.slice(close + 2))) return end;
    k = end + 1;
  }
  return k;
}

/** Removes suppressed findings and adds findings about the suppressions themselves. */
export function applySuppressions(findings: Finding[], suppressions: Suppression[]): Finding[] {
  if (!suppressions.length) return findings;
  const used = new Set<Suppression>();
  const kept = findings.filter((f) => {
    const s = suppressions.find((x) => x.rules.includes(f.rule) && x.targetLine === f.range.start.line);
    if (s) used.add(s);
    return !s;
  });
  for (const s of suppressions) {
    const element = `line ${s.targetLine + 1}`;
    if (!s.rules.length) {
      kept.push(meta('SUPPRESSION_UNUSED', s.range, element, 'cri-compat:ignore names no rule id (write e.g. "// cri-compat:ignore FIELD_NO_DELETE reason")'));
      continue;
    }
    if (!s.reason) kept.push(meta('SUPPRESSION_WITHOUT_REASON', s.range, element, `cri-compat:ignore ${s.rules.join(',')} gives no reason`));
    else if (isPlaceholderReason(s.reason)) {
      kept.push(meta('SUPPRESSION_WITHOUT_REASON', s.range, element,
        `cri-compat:ignore ${s.rules.join(',')} gives no reason: replace "${s.reason}" with why the finding is acceptable`));
    }
    const unknown = s.rules.filter((r) => !RULES_BY_ID.has(r));
    if (unknown.length) {
      const named = unknown.map((r) => {
        const guess = meantRuleId(r);
        return guess ? `${r} (did you mean ${guess}?)` : r;
      });
      kept.push(meta('SUPPRESSION_UNUSED', s.range, element, `cri-compat:ignore names unknown rule ${named.join(', ')}`));
    } else if (!used.has(s)) kept.push(meta('SUPPRESSION_UNUSED', s.range, element, `cri-compat:ignore ${s.rules.join(',')} suppresses nothing on line ${s.targetLine + 1}`));
  }
  return kept;
}

/**
 * A reason that says nothing: only the placeholder the suppression quick fix writes (`reason: TODO`, also
 * FIXME, TBD or XXX, with or without the `reason:` label), or only punctuation. Any other word counts.
 */
export function isPlaceholderReason(reason: string): boolean {
  const rest = reason.replace(/^\s*reason\b\s*:?/i, '').replace(/\b(?:TODO|FIXME|TBD|XXX)\b/gi, '');
  return !/[\p{L}\p{N}]/u.test(rest);
}

function meta(rule: string, range: Range, element: string, message: string): Finding {
  const r = getRule(rule);
  return { rule, category: r.category, severity: r.severity, range, element, message };
}
