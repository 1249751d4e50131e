// Code actions from the fixes of findings. The diagnostics in a request only say which finding the user
// means (`data: { rule, element }`, or, from a client that does not keep `data`, the rule id in `code` and
// the range); fixes are always computed again from the analysis of the text the edits will apply to, and the
// edit carries that text's version, so an edit made for other text is never offered.
//
// With `reanalyze` (the server passes it), fixes are also checked on the text they produce (fixChecks.ts): a
// preferred fix must not turn one error into another: when it does (moving a reused field number away leaves
// the old field deleted), it is extended by the fixes of the errors it causes, or loses "preferred". "Fix
// all" runs to a fixed point (fixAll.ts).

import type { CodeAction, Command, Diagnostic, TextEdit as LspTextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { rangeContains } from '../proto/ast';
import { DUPLICATE_NUMBER, duplicateNumberHolder } from '../proto/binder';
import type { Finding } from '../compat/finding';
import { computeFixes, fixAll, type Fix, type TextEdit } from '../fixes';
import type { Analysis } from '../service';
import { SOURCE } from './convert';
import { type Budget, checkEdits, compositeTitle } from './fixChecks';
import { type Strategy, duplicateFindings, fixableFindings, fixEverything, undeclaredOf } from './fixChoice';
import { fixToFixedPoint } from './fixAll';

export const QUICKFIX_KIND = 'quickfix';
/** "Fix all" on save (`editor.codeActionsOnSave: { "source.fixAll.criCompat": "explicit" }`). */
export const FIX_ALL_KIND = 'source.fixAll.criCompat';
/**
 * The command a client without `codeActionLiteralSupport` gets instead of a code action: the server sends
 * its edit back with `workspace/applyEdit`. Arguments: one `ApplyFixArguments`.
 */
export const APPLY_FIX_COMMAND = 'criCompat.applyFix';

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
  /**
   * The analysis of another text with the options (baseline, imports, severity settings) of the snapshot's.
   * Without it fix-all is a single round and preferred fixes are not checked.
   */
  reanalyze?: (text: string) => Analysis;
}

/** Does a requested `only` kind include `kind` (equal, or a parent kind such as `source` of `source.fixAll.x`)? */
export function kindRequested(only: readonly string[] | undefined, kind: string, includeByDefault: boolean): boolean {
  if (!only || !only.length) return includeByDefault;
  return only.some((k) => k === kind || kind.startsWith(k + '.'));
}

function dataOf(d: Diagnostic): { rule: string; element: string; fixes?: unknown } | undefined {
  const data = d.data as { rule?: unknown; element?: unknown; fixes?: unknown } | undefined;
  if (!data || typeof data.rule !== 'string' || typeof data.element !== 'string') return undefined;
  return { rule: data.rule, element: data.element, fixes: data.fixes };
}

/**
 * The current finding a diagnostic stands for: same rule and element; if several, the one at the same range,
 * then the one with the same fix data, then the one with the same message. Several findings of one rule can
 * share element and range (a deleted `reserved 7, 9 to 11;` no longer reserves 7, nor 9 to 11): taking the
 * first would offer one finding's fixes for the other. A diagnostic that matches none of them exactly (it was
 * published for an older text) still gets the first candidate: its fixes are computed for the current text.
 * A client without `publishDiagnostics.dataSupport` sends the diagnostic back without `data`: then the rule id
 * (its `code`) and the range identify the finding, and the message tells apart findings of one rule at one
 * range (two deleted fields of a message); still ambiguous, none.
 */
export function findingFor(analysis: Analysis, d: Diagnostic): Finding | undefined {
  if (!d || (d.source !== undefined && d.source !== SOURCE)) return undefined;
  const index = findingsOf(analysis);
  const at = rangeKey(d.range);
  // LSP 3.18 allows markup, which no finding's message is.
  const message = typeof d.message === 'string' ? d.message : undefined;
  const key = dataOf(d);
  if (key) {
    const candidates = index.get(`${key.rule}\0${key.element}`);
    if (!candidates || candidates.length <= 1) return candidates?.[0];
    return chooserOf(candidates)(at, JSON.stringify(key.fixes ?? []), message);
  }
  if (typeof d.code !== 'string' || at === undefined) return undefined;
  const candidates = index.get(`${d.code}\0\0${at}`);
  if (!candidates || candidates.length <= 1) return candidates?.[0];
  if (d.code === DUPLICATE_NUMBER) return duplicateAt(candidates, message);
  return chooserOf(candidates)(undefined, undefined, message, true);
}

/**
 * Of the new fields on one released field's number, the one its duplicate-number diagnostic is about: the field the
 * binder names as holding the number (declared before the released field). The others' diagnostics are at their own
 * numbers; a diagnostic naming none of them (a released field renumbered onto the number) has no such fix.
 */
function duplicateAt(candidates: readonly Finding[], message: string | undefined): Finding | undefined {
  const holder = message === undefined ? undefined : duplicateNumberHolder(message);
  return holder === undefined ? undefined : candidates.find((f) => f.element.endsWith(`.${holder}`));
}

function rangeKey(r: Diagnostic['range'] | undefined): string | undefined {
  const nums = [r?.start?.line, r?.start?.character, r?.end?.line, r?.end?.character];
  return nums.every((n) => typeof n === 'number') ? nums.join(':') : undefined;
}

/**
 * An analysis's findings by rule, by rule and element, and by rule and range, built once: a request with every
 * diagnostic of the file (select all, then the light bulb) looked each one up in all findings. A new field on the
 * number of a released field still there is no finding, only the binder's duplicate-number, at whichever of the two
 * comes later: by that code and either range, it is a finding whose fix moves the new field to a free number. An
 * unknown type (the binder's unresolved-type) is, by its range, a finding whose fix declares the message.
 */
const findingIndexes = new WeakMap<Analysis, Map<string, Finding[]>>();
function findingsOf(analysis: Analysis): Map<string, Finding[]> {
  let index = findingIndexes.get(analysis);
  if (!index) {
    const add = (key: string, f: Finding): void => {
      const list = index!.get(key);
      if (list) list.push(f);
      else index!.set(key, [f]);
    };
    findingIndexes.set(analysis, (index = new Map()));
    for (const f of analysis.findings) {
      for (const key of [f.rule, `${f.rule}\0${f.element}`, `${f.rule}\0\0${rangeKey(f.range)}`]) add(key, f);
    }
    const duplicates = duplicateFindings(analysis);
    (analysis.duplicates ?? []).forEach((d, k) => {
      for (const r of [d.range, d.releasedRange]) add(`${DUPLICATE_NUMBER}\0\0${rangeKey(r)}`, duplicates[k]!);
    });
    for (const f of undeclaredOf(analysis)) add(`${f.rule}\0\0${rangeKey(f.range)}`, f);
  }
  return index;
}

/**
 * Among candidates, the one at the range, then with the fix data, then with the message, where each test
 * leaves at least one (tie-breaks, most telling first); the first of those left. `exact`: the message must
 * match. Each candidate list gets its lookups once: filtering it per diagnostic was quadratic on a hostile
 * file with thousands of findings of one rule on one element and range (deleted reservations of a message).
 */
type Chooser = (range: string | undefined, fixes: string | undefined, message: string | undefined, exact?: boolean) => Finding | undefined;
const choosers = new WeakMap<readonly Finding[], Chooser>();
function chooserOf(candidates: readonly Finding[]): Chooser {
  let choose = choosers.get(candidates);
  if (choose) return choose;
  // Values as small ids (the first finding with each), combinations of them ('' where not tested) as keys.
  const ids = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  const idOf = (k: number, v: string | undefined, add: boolean): string | undefined => {
    if (v === undefined) return undefined;
    let id = ids[k]!.get(v);
    if (id === undefined && add) ids[k]!.set(v, (id = ids[k]!.size));
    return id === undefined ? undefined : String(id);
  };
  const first = new Map<string, Finding>();
  for (const f of candidates) {
    const values = [idOf(0, rangeKey(f.range), true), idOf(1, JSON.stringify(f.fixes ?? []), true), idOf(2, f.message, true)];
    for (let mask = 0; mask < 8; mask++) {
      const key = values.map((v, k) => (mask & (1 << k) ? v : '')).join('/');
      if (!first.has(key)) first.set(key, f);
    }
  }
  choose = (range, fixes, message, exact) => {
    const tested = ['', '', ''];
    [range, fixes, message].forEach((value, k) => {
      const id = idOf(k, value, false);
      if (id === undefined) return;
      const narrowed = tested.map((t, j) => (j === k ? id : t));
      if (first.has(narrowed.join('/'))) tested[k] = id;
    });
    if (exact && tested[2] === '') return undefined;
    return first.get(tested.join('/'));
  };
  choosers.set(candidates, choose);
  return choose;
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

  // Checking fixes takes analyses of the texts they produce; one request makes at most this many, however many
  // diagnostics it names. What the budget cannot check is offered without being preferred.
  const budget: Budget = { left: REQUEST_ANALYSES };
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
      for (const fix of quickFixes(snap, f, q.reanalyze, budget)) {
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
    // "Fix all RULE in this file", where the file has more than one finding of the rule; with the fixes of the
    // errors it would cause, and not at all when those remain.
    for (const [rule, ds] of rules) {
      if ((findingsOf(snap.analysis).get(rule)?.length ?? 0) < 2) continue;
      const all = fixAll(snap.text, bound, findings, rule);
      if (!all.applied || !all.edits.length) continue;
      const checked = q.reanalyze ? memo(snap, `all ${rule}`, () => checkedEdits(snap, all.edits, q.reanalyze!, 'best', budget)) : { edits: all.edits, followUps: [] };
      if (!checked || checked === UNCHECKED) continue;
      out.push({ title: all.title, kind: QUICKFIX_KIND, diagnostics: ds, edit: workspaceEdit(snap, checked.edits, q.documentChanges) });
    }
  }

  if (kindRequested(q.only, FIX_ALL_KIND, false)) {
    const edits = q.reanalyze ? memo(snap, 'fix all', () => fixToFixedPoint(snap, q.reanalyze!)) : fixEverything(snap.text, bound, fixableFindings(snap.analysis));
    if (edits.length) out.push({ title: 'Fix all CRI compatibility findings', kind: FIX_ALL_KIND, edit: workspaceEdit(snap, edits, q.documentChanges) });
  }
  return out;
}

// ---- clients without code action literals --------------------------------------------------------------

export interface ApplyFixArguments {
  /** The fix's title (the label of the applied edit, e.g. for undo). */
  title?: string;
  uri: string;
  /** The version of the text the edit was computed for. */
  version: number;
  edit: WorkspaceEdit;
}

/**
 * Code actions as `Command`s, for a client without `codeActionLiteralSupport` (LSP: it takes `Command[]`
 * only). Each applies its edit through `APPLY_FIX_COMMAND`; kinds and "preferred" cannot be expressed, so
 * the preferred fix comes first.
 */
export function asCommands(snap: Snapshot, actions: readonly CodeAction[]): Command[] {
  const ordered = [...actions.filter((a) => a.isPreferred), ...actions.filter((a) => !a.isPreferred)];
  return ordered
    .filter((a) => a.edit)
    .map((a) => ({ title: a.title, command: APPLY_FIX_COMMAND, arguments: [{ title: a.title, uri: snap.uri, version: snap.version, edit: a.edit! } satisfies ApplyFixArguments] }));
}

/** The arguments of an `APPLY_FIX_COMMAND` request, checked; undefined when malformed. */
export function applyFixArguments(args: unknown): ApplyFixArguments | undefined {
  const a = (Array.isArray(args) ? args[0] : undefined) as Partial<ApplyFixArguments> | undefined;
  if (!a || typeof a !== 'object' || typeof a.uri !== 'string' || typeof a.version !== 'number') return undefined;
  const edit = a.edit as WorkspaceEdit | undefined;
  if (!edit || typeof edit !== 'object') return undefined;
  // Only edits of the document the fix was made for.
  const changes = edit.changes && typeof edit.changes === 'object' ? Object.keys(edit.changes) : [];
  const docs = Array.isArray(edit.documentChanges) ? edit.documentChanges : [];
  if (changes.some((u) => u !== a.uri)) return undefined;
  if (docs.some((d) => !d || !('textDocument' in d) || d.textDocument.uri !== a.uri || !Array.isArray(d.edits))) return undefined;
  if (!changes.length && !docs.length) return undefined;
  return { ...(typeof a.title === 'string' ? { title: a.title } : {}), uri: a.uri, version: a.version, edit };
}

// ---- checked quick fixes -------------------------------------------------------------------------------

/**
 * The fixes of a finding, the preferred one checked on the text it produces. A preferred fix that causes new
 * errors is extended by the fixes of those errors (per element, the fix that clears all of its findings, e.g.
 * "deprecate instead of deleting"), offered next to the alternative that only clears the errors (e.g. reserve
 * the number and name); the fix alone is then no longer offered. When the errors cannot be fixed, no fix is
 * preferred.
 */
function quickFixes(snap: Snapshot, f: Finding, reanalyze: CodeActionQuery['reanalyze'], budget: Budget): Fix[] {
  const fixes = computeFixes(snap.text, snap.analysis.bound, f);
  const k = fixes.findIndex((x) => x.isPreferred);
  if (!reanalyze || k < 0) return fixes;
  const preferred = fixes[k]!;
  // Everything computeFixes reads of the finding: two findings of one rule, element and range (a deleted
  // `reserved 7, 9 to 11;`) differ only in message and fix data, and must not share a result.
  const key = `fix ${JSON.stringify([f.rule, f.element, f.range, f.message, f.fixes])}`;
  const best = memo(snap, `${key} best`, () => checkedEdits(snap, preferred.edits, reanalyze, 'best', budget));
  if (!best || best === UNCHECKED) return fixes.map((x) => (x === preferred ? { ...x, isPreferred: false } : x));
  if (!best.followUps.length) return fixes;
  const composite: Fix = { ...preferred, title: compositeTitle(preferred.title, best.followUps), edits: best.edits, isPreferred: true };
  const errorsOnly = memo(snap, `${key} errors`, () => checkedEdits(snap, preferred.edits, reanalyze, 'errors', budget));
  const alternative: Fix[] = errorsOnly && errorsOnly !== UNCHECKED && JSON.stringify(errorsOnly.edits) !== JSON.stringify(best.edits)
    ? [{ ...preferred, title: compositeTitle(preferred.title, errorsOnly.followUps), edits: errorsOnly.edits, isPreferred: false }]
    : [];
  return [composite, ...alternative, ...fixes.filter((x) => x !== preferred)];
}


/** At most this many analyses per code action request (see `codeActions`). */
export const REQUEST_ANALYSES = 32;

/** A check the request's budget could not pay for: neither a pass nor a failure, and not kept. */
const UNCHECKED = Symbol('unchecked');

/**
 * `checkEdits` for the light bulb, without the analyses it made (its result is kept per snapshot); undefined
 * when the edits leave errors, UNCHECKED when the budget ran out first.
 */
function checkedEdits(snap: Snapshot, edits: readonly TextEdit[], reanalyze: (text: string) => Analysis, strategy: Strategy, budget: Budget): { edits: TextEdit[]; followUps: Fix[] } | undefined | typeof UNCHECKED {
  const c = checkEdits(snap, edits, reanalyze, strategy, budget);
  if (!c) return UNCHECKED;
  return 'failed' in c ? undefined : { edits: c.edits, followUps: c.followUps };
}

/** Per snapshot, results computed once: the light bulb asks again for every cursor move. UNCHECKED is not kept. */
const memos = new WeakMap<Analysis, Map<string, unknown>>();
function memo<T>(snap: Snapshot, key: string, compute: () => T): T {
  let m = memos.get(snap.analysis);
  if (!m) memos.set(snap.analysis, (m = new Map()));
  if (m.has(key)) return m.get(key) as T;
  const value = compute();
  if (value !== UNCHECKED) m.set(key, value);
  return value;
}

/** Findings whose range contains the position (for hovers). */
export function findingsAt(analysis: Analysis, pos: { line: number; character: number }): Finding[] {
  return analysis.findings.filter((f) => rangeContains(f.range, pos));
}
