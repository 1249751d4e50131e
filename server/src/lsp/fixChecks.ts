// Fixes checked on the text they produce: an edit list with the follow-up fixes of the errors it causes, until
// none is left. An error is an error-level finding or an error-level binder problem (the file no longer
// compiles); a worse error of the same rule and element (another message, fewer fixes) is an error too.

import type { Finding } from '../compat/finding';
import { applyEdits, type Fix, type TextEdit } from '../fixes';
import { elementNamedAt, type NodeKind } from '../fixes/locate';
import type { Problem } from '../proto/binder';
import type { Analysis } from '../service';
import { chooseFixes, type Strategy } from './fixChoice';
import { composeEditRounds } from './editRounds';

/**
 * The errors of an analysis, as counts: error-level findings per rule, element and what they say, and
 * error-level binder problems per code, element and what they say. Binder problems count too: a fix that makes
 * the file invalid (a name that is reserved, a JSON name that clashes, a duplicate number) is worse than the
 * finding it clears, even when no finding says so. Neither key has a range, as an edit above an error moves it
 * without changing it.
 *
 * Rule and element alone are not enough for a finding: a fix can turn an error of an element into a worse one of
 * the same rule and element ("no longer reserves number 3" into "…; "c" now uses it"). What a finding says is its
 * message with the numbers left out (a fix that renumbers a field changes "changed its number from 1 to 5"
 * without making it another error, and so does the next free number a fix takes) and the kinds of its fixes (a
 * finding whose fixes disappear, as that one's "reserve" does, is worse even when its message were the same).
 *
 * A binder problem has no element of its own: it is on the field, enum value or declaration whose name or number
 * is its range, if any. What one on an element says leaves out the names it quotes too: they name the other party
 * (a duplicate number names the field declared first with it), and a fix that moves that one away leaves the same
 * error of the element naming the next ("already used by "pause_on_start"" becomes "… by
 * "supplemental_groups_policy"" for the second of two new fields on a released field's number). Off any element
 * (a syntax error, a type reference, one without a range) the message, names and all, is what there is.
 */
interface ErrorTally {
  findings: Map<string, number>;
  problems: Map<string, number>;
}

const withoutNumbers = (message: string): string => message.replace(/\d+/g, '#');
const findingKey = (f: Finding): string =>
  `${f.rule}\u0000${f.element}\u0000${withoutNumbers(f.message)}\u0000${(f.fixes ?? []).map((x) => x.kind).join(',')}`;

const ELEMENT_KINDS: readonly NodeKind[] = ['message', 'field', 'oneof', 'enum', 'enumValue', 'service', 'rpc'];
const NUMBERED_KINDS: readonly NodeKind[] = ['field', 'enumValue'];

/** The key of a binder problem of an analysis (see `ErrorTally`). */
function problemKeyIn(a: Analysis): (p: Problem) => string {
  const ast = a.bound.ast;
  return (p) => {
    const on = elementNamedAt(ast, p.range, ELEMENT_KINDS) ?? elementNamedAt(ast, p.range, NUMBERED_KINDS, true);
    if (!on) return `${p.code}\u0000\u0000${withoutNumbers(p.message)}`;
    return `${p.code}\u0000${on.kind} ${on.path}\u0000${withoutNumbers(p.message).replace(/"[^"]*"/g, '"…"')}`;
  };
}

function tally<T>(items: readonly T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) {
    const k = key(x);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

/** Items whose key is counted less often (or not at all) in `before`. */
function beyond<T>(before: ReadonlyMap<string, number>, items: readonly T[], key: (x: T) => string): T[] {
  const left = new Map(before);
  const out: T[] = [];
  for (const x of items) {
    const k = key(x);
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    else out.push(x);
  }
  return out;
}

const errorFindings = (a: Analysis): Finding[] => a.findings.filter((f) => f.severity === 'error');
const errorProblems = (a: Analysis): Problem[] => a.bound.problems.filter((p) => p.severity === 'error');

/** Per analysis, once: every fix checked against one snapshot compares with its errors (1,000 diagnostics in a request). */
const tallies = new WeakMap<Analysis, ErrorTally>();
function errorTally(a: Analysis): ErrorTally {
  let t = tallies.get(a);
  if (!t) tallies.set(a, (t = { findings: tally(errorFindings(a), findingKey), problems: tally(errorProblems(a), problemKeyIn(a)) }));
  return t;
}

interface NewErrors {
  findings: Finding[];
  problems: Problem[];
}

/** Errors of `after` that `before` does not have. */
function newErrors(before: ErrorTally, after: Analysis): NewErrors {
  return { findings: beyond(before.findings, errorFindings(after), findingKey), problems: beyond(before.problems, errorProblems(after), problemKeyIn(after)) };
}

const FOLLOW_UP_ROUNDS = 2;

/** A text with its analysis. */
export interface State {
  text: string;
  analysis: Analysis;
}

/** Edits (against the text of a `State`) checked to cause no error, and the text and analysis they produce. */
export interface Checked extends State {
  edits: TextEdit[];
  /** The fixes added to clear the errors the edits caused; empty when they caused none. */
  followUps: Fix[];
}

/** Edits that leave errors: the text (after the follow-ups tried) and its analysis, and the errors left. */
export interface Failed extends State {
  failed: true;
  /** The edit lists applied, each against the text the ones before it produce (the first: the edits checked). */
  rounds: (readonly TextEdit[])[];
  added: NewErrors;
}

/**
 * How many analyses a check may still make: fix-all shares one among its rounds, so that a file where many
 * fixes fail costs a bounded number of analyses. `reanalyze` is only called while `left` is positive.
 */
export interface Budget {
  left: number;
}

/**
 * `edits` (against `start.text`), extended by the fixes of the errors they cause, until none is left; `Failed`
 * (with why) when errors remain, undefined when the budget ran out. An error is a finding or binder problem
 * `start` does not have (see `ErrorTally`). A binder problem has no element whose fixes could be added: one
 * caused together with new findings may go with their fixes, one caused alone stays.
 */
export function checkEdits(start: State, edits: readonly TextEdit[], reanalyze: (text: string) => Analysis, strategy: Strategy, budget?: Budget): Checked | Failed | undefined {
  const analyze = (t: string): Analysis | undefined => {
    if (!budget) return reanalyze(t);
    if (budget.left <= 0) return undefined;
    budget.left--;
    return reanalyze(t);
  };
  // Before anything that reads the whole file: the rest of a request's diagnostics find the budget spent.
  if (budget && budget.left <= 0) return undefined;
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

/** A fix with its follow-ups, as one title: "Give \"workdir_policy\" the next free number 19 and keep \"working_dir\" as deprecated". */
export function compositeTitle(title: string, followUps: readonly Fix[]): string {
  return [title, ...followUps.map((f) => f.clause ?? f.title)].join(' and ');
}
