// "Fix all" (source.fixAll.criCompat) to a fixed point: it fixes, analyzes the result and fixes what is left,
// so that fixing all again offers nothing; each round is checked as a preferred fix is (fixChecks), an element
// whose fix would leave an error gets its next fix (or waits for the next round), and the analyses it makes
// are bounded (FIX_ALL_ANALYSES).

import type { Finding } from '../compat/finding';
import type { Fix, TextEdit } from '../fixes';
import { TextLines } from '../fixes/text';
import type { Analysis } from '../service';
import type { Snapshot } from './codeActions';
import { checkEdits, compositeTitle, type Budget, type Checked, type Failed, type State } from './fixChecks';
import { byElement, candidatesOf, fixableFindings, mergePicks, type Candidate, type Pick } from './fixChoice';
import { composeEditRounds, composeSpans } from './editRounds';
import { partitionPoint } from '../binarySearch';

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
 * Every round is checked as the light bulb checks a preferred fix (`checkEdits`): it adds no error, so the
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
  for (const fs of byElement(fixableFindings(cur.analysis))) {
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
    const lo = partitionPoint(this.items.length, (i) => this.items[i]!.s <= b);
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
  const last = (p: number): number => partitionPoint(spans.length, (i) => at[i]! <= p) - 1;
  const map = (p: number, end: boolean): number => {
    const k = last(p);
    if (k < 0) return p;
    const sp = spans[k]!;
    if (p <= at[k]! + sp.text.length) return end ? sp.end : sp.start;
    return sp.end + (p - at[k]! - sp.text.length);
  };
  return (a, b) => [map(a, false), map(b, true)];
}
