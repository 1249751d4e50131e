// Which fix each element gets when several are fixed at once (fix-all, follow-ups): per element, the fix that
// clears the most of its findings, or its errors' preferred fixes, never a suppression; and the candidates
// fix-all falls back to when a fix fails.

import type { Finding } from '../compat/finding';
import { RULES } from '../compat/rules';
import { computeFixes, fixAll, mergeEditLists, restorableMessages, suppressionTitle, undeclaredFindings, type Fix, type TextEdit } from '../fixes';
import { DUPLICATE_NUMBER } from '../proto/binder';
import type { Analysis } from '../service';

/**
 * How a fix is chosen for an element with several findings: `best`, the fix that clears the most of them
 * (a deleted field: "deprecate instead of deleting" clears FIELD_NO_DELETE and
 * FIELD_REMOVED_WITHOUT_DEPRECATION, reserving only the first); `errors`, the preferred fix of its first
 * error-level finding.
 */
export type Strategy = 'best' | 'errors';

export interface Pick {
  element: string;
  fix: Fix;
  /** A finding whose preferred fix is `fix` (so that fix-all can merge reservations), if any. */
  finding?: Finding;
}

/**
 * One finding for each new field (enum value) of an analysis on the number a released one still has, in the order
 * of `duplicates`: no finding, only the binder's duplicate-number, whose fix (the next free number) they carry.
 * Built once per analysis.
 */
const duplicateLists = new WeakMap<Analysis, readonly Finding[]>();
export function duplicateFindings(a: Analysis): readonly Finding[] {
  if (!a.duplicates?.length) return [];
  let out = duplicateLists.get(a);
  if (!out) {
    out = a.duplicates.map((d): Finding => ({
      rule: DUPLICATE_NUMBER, category: 'WIRE', severity: 'error', message: '', range: d.range, element: d.element, ...(d.fixes ? { fixes: d.fixes } : {}),
    }));
    duplicateLists.set(a, out);
  }
  return out;
}

/** The findings of types the file uses and does not declare, less the messages a restore fix brings back: the light bulb's and fix-all's. */
export function undeclaredOf(a: Analysis): readonly Finding[] {
  return undeclaredFindings(a.bound, a.baseline?.model, restorableMessages(a.bound, a.findings));
}

/** The findings of an analysis with those of its duplicate numbers and undeclared types: what fix-all fixes. */
export function fixableFindings(a: Analysis): readonly Finding[] {
  const undeclared = undeclaredOf(a);
  return a.duplicates?.length || undeclared.length ? [...a.findings, ...duplicateFindings(a), ...undeclared] : a.findings;
}

const RULE_ORDER = new Map(RULES.map((r, k) => [r.id, k]));
const ruleRank = (rule: string): number => RULE_ORDER.get(rule) ?? RULES.length;

/** Findings per element, each element's in rule order, the elements in the rule order of their first finding. */
export function byElement(findings: readonly Finding[]): Finding[][] {
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
export function chooseFixes(text: string, bound: Analysis['bound'], findings: readonly Finding[], strategy: Strategy): { edits: TextEdit[]; picks: Pick[] } {
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
export function mergePicks(text: string, bound: Analysis['bound'], picks: readonly Pick[]): TextEdit[] {
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
export interface Candidate {
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
export function candidatesOf(text: string, bound: Analysis['bound'], fs: readonly Finding[]): Candidate[] {
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
