// The edge between the language service's plain data and LSP: binder problems and compatibility findings
// become diagnostics here, and nowhere else. Their messages quote the file, and the Problems panel marks no
// invisible characters, so those are escapes here (visibleText.ts).

import type { Diagnostic, DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { Problem, Severity } from '../proto/binder';
import type { Finding } from '../compat/finding';
import type { Analysis } from '../service';
import { ruleHelpLink } from '../compat/rules';
import { visibleControls } from '../visibleText';

export const SOURCE = 'cri-compat';

/** LSP `DiagnosticSeverity` values. */
const SEVERITY: Record<Severity, 1 | 2 | 3 | 4> = { error: 1, warning: 2, information: 3, hint: 4 };

export function toSeverity(s: Severity | string): 1 | 2 | 3 | 4 {
  return SEVERITY[s as Severity] ?? 2;
}

/** What the client can show, from its `publishDiagnostics` capabilities. */
export interface DiagnosticSupport {
  relatedInformation: boolean;
  codeDescription: boolean;
}

/** `code` links to its page as a finding's does (ruleHelpLink), when the client shows links (`support`). */
export function problemToDiagnostic(p: Problem, support?: DiagnosticSupport): Diagnostic {
  const d: Diagnostic = { range: p.range, severity: toSeverity(p.severity), source: SOURCE, code: p.code, message: visibleControls(p.message) };
  withHelpLink(d, ruleHelpLink(p.code), support);
  return d;
}

/** Sets `codeDescription.href` to `link`, an http(s) page, when the client can show it. */
function withHelpLink(d: Diagnostic, link: string | undefined, support: DiagnosticSupport | undefined): void {
  if (support?.codeDescription && typeof link === 'string' && /^https?:\/\//.test(link)) d.codeDescription = { href: link };
}

/** What diagnostics carry in `data` for code actions: enough to find the finding's fixes again. */
export interface FindingData {
  rule: string;
  element: string;
  fixes?: Finding['fixes'];
}

/**
 * A finding as a diagnostic: `code` is the rule id; `codeDescription.href` is the finding's own link or else
 * its rule's, when the client shows it; `relatedInformation` carries related facts that have a place in the file.
 */
export function findingToDiagnostic(f: Finding & { link?: string }, uri: string, support: DiagnosticSupport): Diagnostic {
  const d: Diagnostic = { range: f.range, severity: toSeverity(f.severity), source: SOURCE, code: f.rule, message: visibleControls(f.message) };
  withHelpLink(d, f.link ?? ruleHelpLink(f.rule), support);
  if (support.relatedInformation && f.related?.length) {
    const related: DiagnosticRelatedInformation[] = [];
    for (const r of f.related) if (r.range) related.push({ location: { uri, range: r.range }, message: visibleControls(r.message) });
    if (related.length) d.relatedInformation = related;
  }
  const data: FindingData = { rule: f.rule, element: f.element };
  if (f.fixes?.length) data.fixes = f.fixes;
  d.data = data;
  return d;
}

/** All diagnostics of an analysis: binder problems first, then findings, at most `max`. */
export function toDiagnostics(analysis: Analysis, uri: string, support: DiagnosticSupport, max = 1000): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of analysis.bound.problems) {
    if (out.length >= max) return out;
    out.push(problemToDiagnostic(p, support));
  }
  for (const f of analysis.findings) {
    if (out.length >= max) return out;
    out.push(findingToDiagnostic(f, uri, support));
  }
  return out;
}
