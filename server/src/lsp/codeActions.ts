// Code actions from the fixes of findings. The diagnostics in a request only say which finding the user
// means (`data: { rule, element }`); fixes are always computed again from the analysis of the text the edits
// will apply to, and the edit carries that text's version, so an edit made for other text is never offered.

import type { CodeAction, Diagnostic, TextEdit as LspTextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { rangeContains } from '../proto/ast';
import type { Finding } from '../compat/finding';
import { computeFixes, fixAll, mergeEditLists, type TextEdit } from '../fixes';
import type { Analysis } from '../service';
import { SOURCE } from './convert';
import { RULES } from '../compat/rules';

export const QUICKFIX_KIND = 'quickfix';
/** "Fix all" on save (`editor.codeActionsOnSave: { "source.fixAll.criCompat": "explicit" }`). */
export const FIX_ALL_KIND = 'source.fixAll.criCompat';

/** An analysis together with the exact text and version it was computed from. */
export interface Snapshot {
  uri: string;
  version: number;
  text: string;
  analysis: Analysis;
}

export interface CodeActionQuery {
  diagnostics: Diagnostic[];
  only?: string[];
  /** Client applies `documentChanges` (versioned edits). */
  documentChanges: boolean;
}

/** Does a requested `only` kind include `kind` (equal, or a parent kind such as `source` of `source.fixAll.x`)? */
export function kindRequested(only: readonly string[] | undefined, kind: string, includeByDefault: boolean): boolean {
  if (!only || !only.length) return includeByDefault;
  return only.some((k) => k === kind || kind.startsWith(k + '.'));
}

function dataOf(d: Diagnostic): { rule: string; element: string } | undefined {
  const data = d.data as { rule?: unknown; element?: unknown } | undefined;
  if (d.source !== undefined && d.source !== SOURCE) return undefined;
  if (!data || typeof data.rule !== 'string' || typeof data.element !== 'string') return undefined;
  return { rule: data.rule, element: data.element };
}

function sameRange(a: Diagnostic['range'] | undefined, b: Finding['range']): boolean {
  return !!a && a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** The current finding a diagnostic stands for: same rule and element, the one at the same range if several. */
export function findingFor(analysis: Analysis, d: Diagnostic): Finding | undefined {
  const key = dataOf(d);
  if (!key) return undefined;
  const candidates = analysis.findings.filter((f) => f.rule === key.rule && f.element === key.element);
  return candidates.find((f) => sameRange(d.range, f.range)) ?? candidates[0];
}

function workspaceEdit(snap: Snapshot, edits: readonly TextEdit[], documentChanges: boolean): WorkspaceEdit {
  const lsp: LspTextEdit[] = edits.map((e) => ({ range: e.range, newText: e.newText }));
  if (documentChanges) return { documentChanges: [{ textDocument: { uri: snap.uri, version: snap.version }, edits: lsp }] };
  return { changes: { [snap.uri]: lsp } };
}

export function codeActions(snap: Snapshot, q: CodeActionQuery): CodeAction[] {
  const out: CodeAction[] = [];
  const { bound, findings } = snap.analysis;
  const diagnostics = Array.isArray(q.diagnostics) ? q.diagnostics : [];

  if (kindRequested(q.only, QUICKFIX_KIND, true)) {
    const seen = new Set<Finding>();
    const offered = new Map<string, CodeAction>();
    const rules = new Map<string, Diagnostic[]>();
    for (const d of diagnostics) {
      const f = findingFor(snap.analysis, d);
      if (!f || seen.has(f)) continue;
      seen.add(f);
      let list = rules.get(f.rule);
      if (!list) rules.set(f.rule, (list = []));
      list.push(d);
      for (const fix of computeFixes(snap.text, bound, f)) {
        if (!fix.edits.length) continue;
        // Two findings on one element (e.g. FIELD_NO_DELETE and FIELD_REMOVED_WITHOUT_DEPRECATION) offer the
        // same restore: list it once, for both diagnostics.
        const key = `${fix.title}\u0000${JSON.stringify(fix.edits)}`;
        const same = offered.get(key);
        if (same) {
          same.diagnostics!.push(d);
          if (fix.isPreferred) same.isPreferred = true;
          continue;
        }
        const a: CodeAction = { title: fix.title, kind: QUICKFIX_KIND, diagnostics: [d], edit: workspaceEdit(snap, fix.edits, q.documentChanges) };
        if (fix.isPreferred) a.isPreferred = true;
        offered.set(key, a);
        out.push(a);
      }
    }
    // "Fix all RULE in this file", where the file has more than one finding of the rule.
    for (const [rule, ds] of rules) {
      if (findings.filter((f) => f.rule === rule).length < 2) continue;
      const all = fixAll(snap.text, bound, findings, rule);
      if (!all.applied || !all.edits.length) continue;
      out.push({ title: all.title, kind: QUICKFIX_KIND, diagnostics: ds, edit: workspaceEdit(snap, all.edits, q.documentChanges) });
    }
  }

  if (kindRequested(q.only, FIX_ALL_KIND, false)) {
    const edits = fixEverything(snap.text, bound, findings);
    if (edits.length) out.push({ title: 'Fix all CRI compatibility findings', kind: FIX_ALL_KIND, edit: workspaceEdit(snap, edits, q.documentChanges) });
  }
  return out;
}

/**
 * The preferred fixes of all findings, one per element: findings of one element can want contradicting fixes
 * (a deleted field: reserve its number, or restore it deprecated), so the rule listed first in RULES wins.
 */
export function fixEverything(text: string, bound: Analysis['bound'], findings: readonly Finding[]): TextEdit[] {
  const order = new Map(RULES.map((r, k) => [r.id, k]));
  const sorted = [...findings].sort((a, b) => (order.get(a.rule) ?? RULES.length) - (order.get(b.rule) ?? RULES.length));
  const claimed = new Set<string>();
  const chosen: Finding[] = [];
  for (const f of sorted) {
    if (claimed.has(f.element) || !computeFixes(text, bound, f).some((x) => x.isPreferred)) continue;
    claimed.add(f.element);
    chosen.push(f);
  }
  const lists = [...new Set(chosen.map((f) => f.rule))]
    .map((rule) => fixAll(text, bound, chosen, rule))
    .filter((r) => r.applied && r.edits.length)
    .map((r) => r.edits);
  return lists.length ? mergeEditLists(text, lists).edits : [];
}

/** Findings whose range contains the position (for hovers). */
export function findingsAt(analysis: Analysis, pos: { line: number; character: number }): Finding[] {
  return analysis.findings.filter((f) => rangeContains(f.range, pos));
}
