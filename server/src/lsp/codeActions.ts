// Code actions from the fixes of findings. The diagnostics in a request only say which finding the user
// means (`data: { rule, element }`, or, from a client that does not keep `data`, the rule id in `code` and
// the range); fixes are always computed again from the analysis of the text the edits will apply to, and the
// edit carries that text's version, so an edit made for other text is never offered.
//
// With `reanalyze` (the server passes it), fixes are also checked on the text they produce:
// - a preferred fix must not turn one error into another: when it does (moving a reused field number away
//   leaves the old field deleted), it is extended by the fixes of the errors it causes, or loses "preferred";
// - "fix all" (source.fixAll.criCompat) runs to a fixed point: it fixes, analyzes the result and fixes what
//   is left, so that fixing all again offers nothing; each round is checked like a preferred fix, an element
//   whose fix would leave an error gets its next fix (or waits for the next round), and the analyses it makes
//   are bounded (FIX_ALL_ANALYSES).
// An error here is an error-level finding or an error-level binder problem (the file no longer compiles); a
// worse error of the same rule and element (another message, fewer fixes) is an error too.

import type { CodeAction, Command, Diagnostic, TextEdit as LspTextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { rangeContains } from '../proto/ast';
import type { Finding } from '../compat/finding';
import { computeFixes, fixAll, mergeEditLists, applyEdits, suppressionTitle, type Fix, type TextEdit } from '../fixes';
import { TextLines } from '../fixes/text';
import type { Analysis } from '../service';
import type { Problem } from '../proto/binder';
import { SOURCE } from './convert';
import { RULES } from '../compat/rules';

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

function sameRange(a: Diagnostic['range'] | undefined, b: Finding['range']): boolean {
  return !!a && !!a.start && !!a.end &&
    a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** The candidates that pass each test in turn, where a test leaves at least one (tie-breaks, most telling first). */
function narrow(candidates: readonly Finding[], tests: readonly ((f: Finding) => boolean)[]): readonly Finding[] {
  let pool = candidates;
  for (const t of tests) {
    if (pool.length <= 1) break;
    const passing = pool.filter(t);
    if (passing.length) pool = passing;
  }
  return pool;
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
  const key = dataOf(d);
  if (key) {
    const candidates = analysis.findings.filter((f) => f.rule === key.rule && f.element === key.element);
    // findingToDiagnostic leaves out `fixes` when there are none.
    const fixes = JSON.stringify(key.fixes ?? []);
    return narrow(candidates, [
      (f) => sameRange(d.range, f.range),
      (f) => JSON.stringify(f.fixes ?? []) === fixes,
      (f) => f.message === d.message,
    ])[0];
  }
  if (typeof d.code !== 'string') return undefined;
  const candidates = analysis.findings.filter((f) => f.rule === d.code && sameRange(d.range, f.range));
  if (candidates.length <= 1) return candidates[0];
  return candidates.find((f) => f.message === d.message);
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
      for (const fix of quickFixes(snap, f, q.reanalyze)) {
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
      if (findings.filter((f) => f.rule === rule).length < 2) continue;
      const all = fixAll(snap.text, bound, findings, rule);
      if (!all.applied || !all.edits.length) continue;
      const checked = q.reanalyze ? memo(snap, `all ${rule}`, () => checkedEdits(snap, all.edits, q.reanalyze!, 'best')) : { edits: all.edits, followUps: [] };
      if (!checked) continue;
      out.push({ title: all.title, kind: QUICKFIX_KIND, diagnostics: ds, edit: workspaceEdit(snap, checked.edits, q.documentChanges) });
    }
  }

  if (kindRequested(q.only, FIX_ALL_KIND, false)) {
    const edits = q.reanalyze ? memo(snap, 'fix all', () => fixToFixedPoint(snap, q.reanalyze!)) : fixEverything(snap.text, bound, findings);
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
function quickFixes(snap: Snapshot, f: Finding, reanalyze: CodeActionQuery['reanalyze']): Fix[] {
  const fixes = computeFixes(snap.text, snap.analysis.bound, f);
  const k = fixes.findIndex((x) => x.isPreferred);
  if (!reanalyze || k < 0) return fixes;
  const preferred = fixes[k]!;
  // Everything computeFixes reads of the finding: two findings of one rule, element and range (a deleted
  // `reserved 7, 9 to 11;`) differ only in message and fix data, and must not share a result.
  const key = `fix ${JSON.stringify([f.rule, f.element, f.range, f.message, f.fixes])}`;
  const best = memo(snap, `${key} best`, () => checkedEdits(snap, preferred.edits, reanalyze, 'best'));
  if (!best) return fixes.map((x) => (x === preferred ? { ...x, isPreferred: false } : x));
  if (!best.followUps.length) return fixes;
  const composite: Fix = { ...preferred, title: compositeTitle(preferred.title, best.followUps), edits: best.edits, isPreferred: true };
  const errorsOnly = memo(snap, `${key} errors`, () => checkedEdits(snap, preferred.edits, reanalyze, 'errors'));
  const alternative: Fix[] = errorsOnly && JSON.stringify(errorsOnly.edits) !== JSON.stringify(best.edits)
    ? [{ ...preferred, title: compositeTitle(preferred.title, errorsOnly.followUps), edits: errorsOnly.edits, isPreferred: false }]
    : [];
  return [composite, ...alternative, ...fixes.filter((x) => x !== preferred)];
}

function compositeTitle(title: string, followUps: readonly Fix[]): string {
  return [title, ...followUps.map((f) => f.clause ?? f.title)].join(' and ');
}

/**
 * The errors of an analysis, as counts: error-level findings per rule, element and what they say, and
 * error-level binder problems per code and message. Binder problems count too: a fix that makes the file
 * invalid (a name that is reserved, a JSON name that clashes, a duplicate number) is worse than the finding it
 * clears, even when no finding says so. Neither key has a range, as an edit above an error moves it without
 * changing it.
 *
 * Rule and element alone are not enough: a fix can turn an error of an element into a worse one of the same
 * rule and element ("no longer reserves number 3" into "…; "c" now uses it"). What a finding says is its
 * message with the numbers left out (a fix that renumbers a field changes "changed its number from 1 to 5"
 * without making it another error, and so does the next free number a fix takes) and the kinds of its fixes (a
 * finding whose fixes disappear, as that one's "reserve" does, is worse even when its message were the same).
 */
interface ErrorTally {
  findings: Map<string, number>;
  problems: Map<string, number>;
}

const withoutNumbers = (message: string): string => message.replace(/\d+/g, '#');
const findingKey = (f: Finding): string =>
  `${f.rule}\u0000${f.element}\u0000${withoutNumbers(f.message)}\u0000${(f.fixes ?? []).map((x) => x.kind).join(',')}`;
const problemKey = (p: Problem): string => `${p.code}\u0000${withoutNumbers(p.message)}`;

function tally<T>(items: readonly T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}

/** Items whose key is counted less often (or not at all) in `before`. */
function beyond<T>(before: ReadonlyMap<string, number>, items: readonly T[], key: (x: T) => string): T[] {
  const left = new Map(before);
  const out: T[] = [];
  for (const x of items) {
    const n = left.get(key(x)) ?? 0;
    if (n > 0) left.set(key(x), n - 1);
    else out.push(x);
  }
  return out;
}

const errorFindings = (a: Analysis): Finding[] => a.findings.filter((f) => f.severity === 'error');
const errorProblems = (a: Analysis): Problem[] => a.bound.problems.filter((p) => p.severity === 'error');

function errorTally(a: Analysis): ErrorTally {
  return { findings: tally(errorFindings(a), findingKey), problems: tally(errorProblems(a), problemKey) };
}

interface NewErrors {
  findings: Finding[];
  problems: Problem[];
}

/** Errors of `after` that `before` does not have. */
function newErrors(before: ErrorTally, after: Analysis): NewErrors {
  return { findings: beyond(before.findings, errorFindings(after), findingKey), problems: beyond(before.problems, errorProblems(after), problemKey) };
}

const FOLLOW_UP_ROUNDS = 2;

/** A text with its analysis. */
interface State {
  text: string;
  analysis: Analysis;
}

/** Edits (against the text of a `State`) checked to cause no error, and the text and analysis they produce. */
interface Checked extends State {
  edits: TextEdit[];
  /** The fixes added to clear the errors the edits caused; empty when they caused none. */
  followUps: Fix[];
}

/** Edits that leave errors: the text (after the follow-ups tried) and its analysis, and the errors left. */
interface Failed extends State {
  failed: true;
  /** The edit lists applied, each against the text the ones before it produce (the first: the edits checked). */
  rounds: (readonly TextEdit[])[];
  added: NewErrors;
}

/**
 * How many analyses a check may still make: fix-all shares one among its rounds, so that a file where many
 * fixes fail costs a bounded number of analyses. `reanalyze` is only called while `left` is positive.
 */
interface Budget {
  left: number;
}

/**
 * `edits` (against `start.text`), extended by the fixes of the errors they cause, until none is left;
 * undefined when errors remain. An error is a finding or binder problem `start` does not have (see
 * `ErrorTally`). A binder problem has no element whose fixes could be added: one caused together with new
 * findings may go with their fixes, one caused alone stays.
 */
function withFollowUps(start: State, edits: readonly TextEdit[], reanalyze: (text: string) => Analysis, strategy: Strategy): Checked | undefined {
  const c = checkEdits(start, edits, reanalyze, strategy);
  return c && !('failed' in c) ? c : undefined;
}

/**
 * `withFollowUps`, telling why edits failed (`Failed`); undefined when the budget ran out or there was nothing
 * to check.
 */
function checkEdits(start: State, edits: readonly TextEdit[], reanalyze: (text: string) => Analysis, strategy: Strategy, budget?: Budget): Checked | Failed | undefined {
  const analyze = (t: string): Analysis | undefined => {
    if (!budget) return reanalyze(t);
    if (budget.left <= 0) return undefined;
    budget.left--;
    return reanalyze(t);
  };
  const before = errorTally(start.analysis);
  const rounds: (readonly TextEdit[])[] = [edits];
  const followUps: Fix[] = [];
  let text = applyEdits(start.text, edits);
  let analysis = analyze(text);
  if (!analysis) return undefined;
  for (let round = 0; ; round++) {
    const added = newErrors(before, analysis);
    if (!added.findings.length && !added.problems.length) {
      return { edits: rounds.length === 1 ? [...edits] : composeEditRounds(start.text, rounds), followUps, text, analysis };
    }
    const failed: Failed = { failed: true, text, analysis, rounds, added };
    if (!added.findings.length || round === FOLLOW_UP_ROUNDS) return failed;
    const elements = new Set(added.findings.map((f) => f.element));
    const chosen = chooseFixes(text, analysis.bound, analysis.findings.filter((f) => elements.has(f.element)), strategy);
    if (!chosen.edits.length) return failed;
    const next = applyEdits(text, chosen.edits);
    const nextAnalysis = analyze(next);
    if (!nextAnalysis) return undefined;
    for (const p of chosen.picks) followUps.push(p.fix);
    rounds.push(chosen.edits);
    text = next;
    analysis = nextAnalysis;
  }
}

/** `withFollowUps` for the light bulb: its results are kept per snapshot, without the analyses they produce. */
function checkedEdits(snap: Snapshot, edits: readonly TextEdit[], reanalyze: (text: string) => Analysis, strategy: Strategy): { edits: TextEdit[]; followUps: Fix[] } | undefined {
  const c = withFollowUps(snap, edits, reanalyze, strategy);
  return c && { edits: c.edits, followUps: c.followUps };
}

/** Per snapshot, results computed once: the light bulb asks again for every cursor move. */
const memos = new WeakMap<Analysis, Map<string, unknown>>();
function memo<T>(snap: Snapshot, key: string, compute: () => T): T {
  let m = memos.get(snap.analysis);
  if (!m) memos.set(snap.analysis, (m = new Map()));
  if (!m.has(key)) m.set(key, compute());
  return m.get(key) as T;
}

// ---- fix all -------------------------------------------------------------------------------------------

/**
 * How a fix is chosen for an element with several findings: `best`, the fix that clears the most of them
 * (a deleted field: "deprecate instead of deleting" clears FIELD_NO_DELETE and
 * FIELD_REMOVED_WITHOUT_DEPRECATION, reserving only the first); `errors`, the preferred fix of its first
 * error-level finding.
 */
type Strategy = 'best' | 'errors';

interface Pick {
  element: string;
  fix: Fix;
  /** A finding whose preferred fix is `fix` (so that fix-all can merge reservations), if any. */
  finding?: Finding;
}

const RULE_ORDER = new Map(RULES.map((r, k) => [r.id, k]));
const ruleRank = (rule: string): number => RULE_ORDER.get(rule) ?? RULES.length;

/** Findings per element, each element's in rule order, the elements in the rule order of their first finding. */
function byElement(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    let list = groups.get(f.element);
    if (!list) groups.set(f.element, (list = []));
    list.push(f);
  }
  const out = [...groups.values()].map((fs) => fs.sort((a, b) => ruleRank(a.rule) - ruleRank(b.rule)));
  // Where fixes of two elements conflict, the one of the more important rule is kept.
  return out.sort((a, b) => ruleRank(a[0]!.rule) - ruleRank(b[0]!.rule));
}

/** One fix per element (never a suppression), merged into one edit list; a fix that conflicts is left out. */
function chooseFixes(text: string, bound: Analysis['bound'], findings: readonly Finding[], strategy: Strategy): { edits: TextEdit[]; picks: Pick[] } {
  const picks: Pick[] = [];
  for (const fs of byElement(findings)) {
    const p = strategy === 'best' ? bestFix(text, bound, fs) : errorFix(text, bound, fs);
    if (p) picks.push(p);
  }
  return { edits: mergePicks(text, bound, picks), picks };
}

/**
 * Picks as one edit list, in their order where they conflict. Picks that are some finding's preferred fix go
 * through fixAll per rule, which reserves several numbers of one message in one statement; the others are
 * taken as they are.
 */
function mergePicks(text: string, bound: Analysis['bound'], picks: readonly Pick[]): TextEdit[] {
  const viaRule = new Map<string, Finding[]>();
  const lists: TextEdit[][] = [];
  for (const p of picks) {
    if (!p.finding) {
      lists.push(p.fix.edits);
      continue;
    }
    let list = viaRule.get(p.finding.rule);
    if (!list) viaRule.set(p.finding.rule, (list = []));
    list.push(p.finding);
  }
  for (const [rule, fs] of viaRule) {
    const r = fixAll(text, bound, fs, rule);
    if (r.applied && r.edits.length) lists.push(r.edits);
  }
  return lists.length ? mergeEditLists(text, lists).edits : [];
}

function isSuppression(fix: Fix, f: Finding): boolean {
  return fix.title === suppressionTitle(f.rule);
}

interface Option {
  fix: Fix;
  /** How many of the element's findings offer it. */
  offeredBy: number;
  /** The first finding (in rule order) whose preferred fix it is. */
  preferredBy?: Finding;
  order: number;
}

/**
 * The fixes of an element's findings but suppressions, best first: offered by the most findings, then some
 * finding's preferred fix, of the most important rule, then in the order offered; and each finding's preferred
 * one. None when no finding of the element has a preferred fix (a finding only offers non-preferred fixes when
 * it has a preferred one: such an element is left alone).
 */
function optionsOf(text: string, bound: Analysis['bound'], fs: readonly Finding[]): { ranked: Option[]; preferred: Map<Finding, Option> } {
  const options = new Map<string, Option>();
  const preferred = new Map<Finding, Option>();
  for (const f of fs) {
    for (const fix of computeFixes(text, bound, f)) {
      if (isSuppression(fix, f) || !fix.edits.length) continue;
      const key = `${fix.title}\u0000${JSON.stringify(fix.edits)}`;
      let o = options.get(key);
      if (!o) options.set(key, (o = { fix, offeredBy: 0, order: options.size }));
      o.offeredBy++;
      if (fix.isPreferred) {
        o.preferredBy ??= f;
        preferred.set(f, o);
      }
    }
  }
  if (!preferred.size) return { ranked: [], preferred };
  const ranked = [...options.values()].sort((a, b) =>
    b.offeredBy - a.offeredBy ||
    Number(!!b.preferredBy) - Number(!!a.preferredBy) ||
    (a.preferredBy && b.preferredBy ? ruleRank(a.preferredBy.rule) - ruleRank(b.preferredBy.rule) : 0) ||
    a.order - b.order);
  return { ranked, preferred };
}

function bestFix(text: string, bound: Analysis['bound'], fs: readonly Finding[]): Pick | undefined {
  const best = optionsOf(text, bound, fs).ranked[0];
  return best && { element: fs[0]!.element, fix: best.fix, ...(best.preferredBy ? { finding: best.preferredBy } : {}) };
}

function errorFix(text: string, bound: Analysis['bound'], fs: readonly Finding[]): Pick | undefined {
  for (const f of fs) {
    if (f.severity !== 'error') continue;
    const fix = computeFixes(text, bound, f).find((x) => x.isPreferred);
    if (fix) return { element: f.element, fix, finding: f };
  }
  return undefined;
}

/**
 * The fixes of all findings in one round, one per element (see `Strategy`): what "fix all" applies when the
 * result cannot be analyzed again.
 */
export function fixEverything(text: string, bound: Analysis['bound'], findings: readonly Finding[]): TextEdit[] {
  return chooseFixes(text, bound, findings, 'best').edits;
}

/** A fix fix-all may take for an element, with how the errors it causes are fixed. */
interface Candidate {
  /**
   * Element, strategy, title and inserted text: the same fix in a later round (where its edits may have moved)
   * has the same key.
   */
  key: string;
  pick: Pick;
  /**
   * 'best': taken with the others of its round, whose errors get the 'best' follow-ups; 'errors': checked on
   * its own first with the 'errors' follow-ups (`pick` then becomes the fix with them).
   */
  strategy: Strategy;
  /** Checked on its own (with its follow-ups, which `pick` then includes): it added no error. */
  alone?: boolean;
}

/**
 * What fix-all tries for an element, in turn, while the ones before fail: the best fix (`bestFix`), the
 * preferred fix of each of its error-level findings, the first of them with the 'errors' follow-ups, then the
 * element's other fixes, best first. A deleted field whose restoring clashes ("Deprecate instead of deleting"
 * gives two fields one JSON name) is then reserved instead ("Reserve number 2 and name "foo_bar"").
 */
function candidatesOf(text: string, bound: Analysis['bound'], fs: readonly Finding[]): Candidate[] {
  const element = fs[0]!.element;
  const { ranked, preferred } = optionsOf(text, bound, fs);
  const out: Candidate[] = [];
  const add = (o: Option, strategy: Strategy, finding = o.preferredBy): void => {
    const key = [strategy, element, o.fix.title, ...o.fix.edits.map((e) => e.newText)].join('\u0000');
    if (out.some((c) => c.key === key)) return;
    out.push({ key, strategy, pick: { element, fix: o.fix, ...(finding ? { finding } : {}) } });
  };
  if (!ranked.length) return out;
  add(ranked[0]!, 'best');
  const errors = fs.filter((f) => f.severity === 'error' && preferred.has(f));
  for (const f of errors) add(preferred.get(f)!, 'best', f);
  if (errors.length) add(preferred.get(errors[0]!)!, 'errors', errors[0]);
  for (const o of ranked.slice(1)) add(o, 'best');
  return out;
}

const FIX_ALL_ROUNDS = 4;
/**
 * The analyses one fix-all may make, all rounds together: a round where all is well takes one (a few with
 * follow-ups); the rest goes to finding the fixes that fail. What is not fixed when they are spent is left to
 * the user (fixing all again goes on from there).
 */
export const FIX_ALL_ANALYSES = 5 * FIX_ALL_ROUNDS;

/** What the rounds of one fix-all share. */
interface FixAllContext {
  reanalyze: (text: string) => Analysis;
  budget: Budget;
  /** Keys of candidates whose fix fails on its own (checked alone): not tried again in later rounds. */
  bad: Set<string>;
}

/**
 * Fix-all to a fixed point: fix every element, analyze the result, fix what that shows (e.g. a field moved
 * to a free number is new and needs its documentation stub), until nothing is left to fix; the edits of all
 * rounds as one edit list against the snapshot's text. Stops early when a round would return to an earlier
 * text (fixes that undo each other), after FIX_ALL_ROUNDS rounds, and when FIX_ALL_ANALYSES analyses are made.
 *
 * Every round is checked as the light bulb checks a preferred fix (`withFollowUps`): it adds no error, so the
 * result never has an error the text did not have. A fix the light bulb no longer prefers because it causes an
 * error (restoring a field's number that now goes with an incompatible type) is left out of fix-all too, and
 * the element gets its next fix (`candidatesOf`).
 */
export function fixToFixedPoint(snap: Snapshot, reanalyze: (text: string) => Analysis): TextEdit[] {
  let cur: State = snap;
  const rounds: TextEdit[][] = [];
  const seen = new Set([snap.text]);
  const ctx: FixAllContext = { reanalyze, budget: { left: FIX_ALL_ANALYSES }, bad: new Set() };
  while (rounds.length < FIX_ALL_ROUNDS && ctx.budget.left > 0) {
    const next = checkedRound(cur, ctx);
    if (!next || seen.has(next.text)) break;
    seen.add(next.text);
    rounds.push(next.edits);
    cur = next;
  }
  // One round: its edits as they are.
  return rounds.length <= 1 ? rounds[0] ?? [] : composeEditRounds(snap.text, rounds);
}

/**
 * One round of fix-all: a fix for every element (its first candidate) with the follow-ups of the errors they
 * cause; undefined when there is nothing to fix without adding an error.
 *
 * When the fixes together add an error, the elements that caused it are found, where possible, from the
 * failed text alone (`attribute`: the fix whose edits or whose message the error is in) and get their next
 * candidate, one analysis for all of them. Errors no fix explains split the elements in halves, recursively.
 * An element whose fix fails together with the kept ones is checked alone: when it fails alone, that fix is
 * bad for the rest of fix-all (`FixAllContext.bad`); when it fails only in company (two fields given one free
 * number), it waits for the next round, which tries it again from its first candidate, as does an element
 * whose candidates all failed in company.
 */
function checkedRound(cur: State, ctx: FixAllContext): Checked | undefined {
  const bound = cur.analysis.bound;
  const options = new Map<string, Candidate[]>();
  for (const fs of byElement(cur.analysis.findings)) {
    const cs = candidatesOf(cur.text, bound, fs).filter((c) => !ctx.bad.has(c.key));
    if (cs.length) options.set(fs[0]!.element, cs);
  }
  const order = new Map([...options.keys()].map((e, k) => [e, k]));
  const at = new Map([...options.keys()].map((e) => [e, 0]));
  const current = (e: string): Candidate => options.get(e)![at.get(e)!]!;
  /** To the element's next candidate; false when it has none left. */
  const advance = (e: string): boolean => {
    at.set(e, at.get(e)! + 1);
    return at.get(e)! < options.get(e)!.length;
  };
  /** Its current candidate fails on its own: to the next one that is not known to (false when none is). */
  const fails = (e: string): boolean => {
    ctx.bad.add(current(e).key);
    while (advance(e)) if (!ctx.bad.has(current(e).key)) return true;
    return false;
  };
  const attempt = (els: readonly string[]): Checked | Failed | undefined => {
    const picks = [...els].sort((a, b) => order.get(a)! - order.get(b)!).map((e) => current(e).pick);
    const edits = mergePicks(cur.text, bound, picks);
    return edits.length ? checkEdits(cur, edits, ctx.reanalyze, 'best', ctx.budget) : undefined;
  };
  /**
   * Whether the element's current candidate can go with the others: an 'errors' one is checked alone first
   * (and the element moves on while its candidates fail). False when it has none left, or no analyses.
   */
  const ready = (e: string): boolean => {
    for (;;) {
      const c = current(e);
      if (c.strategy !== 'errors' || c.alone) return true;
      const r = checkEdits(cur, c.pick.fix.edits, ctx.reanalyze, 'errors', ctx.budget);
      if (!r) return false;
      if (!('failed' in r)) {
        const fix: Fix = { ...c.pick.fix, title: compositeTitle(c.pick.fix.title, r.followUps), edits: r.edits };
        options.get(e)![at.get(e)!] = { ...c, pick: { element: e, fix }, alone: true };
        return true;
      }
      if (!fails(e)) return false;
    }
  };

  let kept: string[] = [];
  let result: Checked | undefined;
  const keepClean = (elements: readonly string[]): void => {
    let more = elements.filter(ready);
    while (more.length) {
      const r = attempt([...kept, ...more]);
      if (!r) return;
      if (!('failed' in r)) {
        kept = [...kept, ...more];
        result = r;
        return;
      }
      if (!kept.length && more.length === 1) {
        more = fails(more[0]!) && ready(more[0]!) ? more : [];
        continue;
      }
      const blame = attribute(cur, r, more.map((e) => current(e).pick));
      if (blame.culprits.size) {
        // Their next candidates, all in one analysis; one without any waits for the next round.
        more = more.filter((e) => !blame.culprits.has(e) || (advance(e) && ready(e)));
        continue;
      }
      if (more.length === 1) {
        const e = more[0]!;
        const alone = attempt([e]);
        if (!alone) return;
        // Failing only with the kept fixes, it waits for the next round.
        if (!('failed' in alone)) return;
        more = fails(e) && ready(e) ? more : [];
        continue;
      }
      const suspects = blame.suspects;
      if (suspects && suspects.size && suspects.size < more.length) {
        keepClean(more.filter((e) => !suspects.has(e)));
        keepClean(more.filter((e) => suspects.has(e)));
        return;
      }
      const half = Math.ceil(more.length / 2);
      keepClean(more.slice(0, half));
      keepClean(more.slice(half));
      return;
    }
  };
  if (options.size) keepClean([...options.keys()]);
  return result;
}

/**
 * The elements whose fixes (`picks`, with the edits against `start.text`) caused the errors a check left, from
 * the failed text alone. An error about an element being fixed is its fix's; otherwise the error's range,
 * traced back through the edits, is in the edits of some fixes; else in the message or enum of some fixes;
 * where several, for a binder problem those that change more than comments, then those whose name the error
 * quotes. `culprits`: elements that alone explain an error; `suspects`: the elements among which an error's
 * cause is, undefined when some error none explains.
 */
function attribute(start: State, failed: Failed, picks: readonly Pick[]): { culprits: Set<string>; suspects: Set<string> | undefined } {
  const culprits = new Set<string>();
  const suspects = new Set<string>();
  let unexplained = false;
  const fixed = new Set(picks.map((p) => p.element));
  const back = origins(start.text, failed.rounds);
  const startLines = new TextLines(start.text);
  const endLines = new TextLines(failed.text);
  const comments = /\/\/[^\r\n]*|\/\*[\s\S]*?\*\//g;
  const isCode = (t: string): boolean => t.replace(comments, '').trim() !== '';
  const edits = new Intervals<string>();
  const changesCode = new Map<string, boolean>();
  for (const p of picks) {
    let code = false;
    for (const e of p.fix.edits) {
      const s = startLines.offsetAt(e.range.start);
      const t = startLines.offsetAt(e.range.end);
      edits.add(s, t, p.element);
      code ||= isCode(e.newText) || isCode(start.text.slice(s, t));
    }
    changesCode.set(p.element, code);
  }
  const parent = (element: string): string => element.slice(0, Math.max(0, element.lastIndexOf('.')));
  const name = (element: string): string => element.slice(element.lastIndexOf('.') + 1);
  const model = failed.analysis.bound.model;
  const containers = new Intervals<string>();
  for (const d of [...model.messages, ...model.enums]) {
    if (d.node) containers.add(endLines.offsetAt(d.node.range.start), endLines.offsetAt(d.node.range.end), d.fqn);
  }
  const inContainer = new Map<string, string[]>();
  for (const p of picks) {
    for (const c of new Set([p.element, parent(p.element)])) {
      let list = inContainer.get(c);
      if (!list) inContainer.set(c, (list = []));
      list.push(p.element);
    }
  }
  const explain = (range: Finding['range'], message: string, element?: string): void => {
    let who: string[];
    if (element !== undefined && fixed.has(element)) who = [element];
    else {
      const from = endLines.offsetAt(range.start);
      const [a, b] = back(from, endLines.offsetAt(range.end));
      who = [...new Set(edits.touching(a, b))];
      if (who.length !== 1) {
        if (!who.length) {
          // The innermost message or enum the error is in: the one that starts last.
          const c = containers.touching(from, from).pop();
          who = c === undefined ? [] : inContainer.get(c) ?? [];
        }
        // A binder problem is not caused by a fix that only writes comments (a documentation stub next to it).
        const code = element === undefined ? who.filter((e) => changesCode.get(e)) : [];
        if (code.length) who = code;
        const named = who.filter((e) => message.includes(`"${name(e)}"`));
        if (named.length) who = named;
      }
    }
    if (who.length === 1) culprits.add(who[0]!);
    else if (who.length) for (const e of who) suspects.add(e);
    else unexplained = true;
  };
  for (const f of failed.added.findings) explain(f.range, f.message, f.element);
  for (const p of failed.added.problems) explain(p.range, p.message);
  return { culprits, suspects: unexplained ? undefined : suspects };
}

/** Ranges (offsets, ends included) with values, to find the ones that touch a range. */
class Intervals<T> {
  private items: { s: number; e: number; value: T }[] = [];
  private sorted = true;
  private longest = 0;

  add(s: number, e: number, value: T): void {
    if (this.items.length && s < this.items[this.items.length - 1]!.s) this.sorted = false;
    this.items.push({ s, e, value });
    this.longest = Math.max(this.longest, e - s);
  }

  /** The values of the ranges that touch `[a, b]`, by start. */
  touching(a: number, b: number): T[] {
    if (!this.sorted) {
      this.items.sort((x, y) => x.s - y.s);
      this.sorted = true;
    }
    // Past the last range that starts at or before b, back to the first that could reach a.
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid]!.s <= b) lo = mid + 1;
      else hi = mid;
    }
    const out: T[] = [];
    for (let k = lo - 1; k >= 0 && this.items[k]!.s >= a - this.longest; k--) {
      if (this.items[k]!.e >= a) out.push(this.items[k]!.value);
    }
    return out.reverse();
  }
}

/**
 * For the text the edit rounds produce from `text`, where a range `[a, b]` of it comes from in `text`: a
 * position inside what an edit inserted stands for the whole range the edit replaced.
 */
function origins(text: string, rounds: readonly (readonly TextEdit[])[]): (a: number, b: number) => [number, number] {
  const spans = composeSpans(text, rounds);
  // Where each span's text starts in the result.
  const at: number[] = [];
  let shift = 0;
  for (const sp of spans) {
    at.push(sp.start + shift);
    shift += sp.text.length - (sp.end - sp.start);
  }
  /** The last span whose text starts at or before `p` (-1 if none). */
  const last = (p: number): number => {
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at[mid]! <= p) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  };
  const map = (p: number, end: boolean): number => {
    const k = last(p);
    if (k < 0) return p;
    const sp = spans[k]!;
    if (p <= at[k]! + sp.text.length) return end ? sp.end : sp.start;
    return sp.end + (p - at[k]! - sp.text.length);
  };
  return (a, b) => [map(a, false), map(b, true)];
}

// ---- composing edit lists ------------------------------------------------------------------------------

/** Replace `[start, end)` of a text with `text` (offsets). */
interface Span {
  start: number;
  end: number;
  text: string;
}

/**
 * Successive edit lists, each against the text the ones before it produce, as one edit list against `text`
 * (edits that touch become one; what a later list undoes is left out).
 */
export function composeEditRounds(text: string, rounds: readonly (readonly TextEdit[])[]): TextEdit[] {
  return spansToEdits(text, composeSpans(text, rounds));
}

/** `composeEditRounds` as spans of `text`, sorted (spans that change nothing too). */
function composeSpans(text: string, rounds: readonly (readonly TextEdit[])[]): Span[] {
  let cur = text;
  let net: Span[] = [];
  for (const edits of rounds) {
    net = compose(cur, net, toSpans(cur, edits));
    cur = applyEdits(cur, edits);
  }
  return net;
}

/** Non-overlapping edits of `text` as spans, sorted; insertions at one position keep their order. */
function toSpans(text: string, edits: readonly TextEdit[]): Span[] {
  const lines = new TextLines(text);
  return edits
    .map((e, k) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText, k }))
    .sort((a, b) => a.start - b.start || (a.end - a.start) - (b.end - b.start) || a.k - b.k)
    .map(({ start, end, text: t }) => ({ start, end, text: t }));
}

/**
 * `net` turns T0 into `t1`; `next` (spans of `t1`) turns `t1` into T2: the spans that turn T0 into T2. Spans of
 * both that touch in `t1` become one span.
 */
function compose(t1: string, net: readonly Span[], next: readonly Span[]): Span[] {
  interface Item { s: number; e: number; base?: Span; next?: Span; k: number }
  const items: Item[] = [];
  let shift = 0;
  for (const b of net) {
    const s = b.start + shift;
    items.push({ s, e: s + b.text.length, base: b, k: items.length });
    shift += b.text.length - (b.end - b.start);
  }
  for (const n of next) items.push({ s: n.start, e: n.end, next: n, k: items.length });
  items.sort((a, b) => a.s - b.s || a.k - b.k);
  const out: Span[] = [];
  let before = 0; // shift of the base spans in earlier clusters
  for (let i = 0; i < items.length;) {
    const S = items[i]!.s;
    let E = items[i]!.e;
    let j = i + 1;
    while (j < items.length && items[j]!.s <= E) E = Math.max(E, items[j++]!.e);
    const cluster = items.slice(i, j);
    let own = 0;
    for (const c of cluster) if (c.base) own += c.base.text.length - (c.base.end - c.base.start);
    // The cluster's text in t1 with its `next` spans applied (they keep their order).
    let text = '';
    let at = S;
    for (const c of cluster.filter((x) => x.next).sort((a, b) => a.k - b.k)) {
      text += t1.slice(at, c.s) + c.next!.text;
      at = c.e;
    }
    text += t1.slice(at, E);
    out.push({ start: S - before, end: E - before - own, text });
    before += own;
    i = j;
  }
  return out;
}

/** Spans of `t0` as LSP edits; spans that change nothing (a fix undone by a later round) are dropped. */
function spansToEdits(t0: string, spans: readonly Span[]): TextEdit[] {
  const lines = new TextLines(t0);
  return spans
    .filter((sp) => t0.slice(sp.start, sp.end) !== sp.text)
    .map((sp) => ({ range: { start: lines.positionAt(sp.start), end: lines.positionAt(sp.end) }, newText: sp.text }));
}

/** Findings whose range contains the position (for hovers). */
export function findingsAt(analysis: Analysis, pos: { line: number; character: number }): Finding[] {
  return analysis.findings.filter((f) => rangeContains(f.range, pos));
}
