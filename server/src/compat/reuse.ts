// Reuse against the whole release history: numbers and names that any earlier release used in a message
// or enum and that the current file gives to something else without the baseline having seen it.

import { indexModel, type ApiModel, type EnumDef, type MessageDef } from '../proto/model';
import type { History, NumberUse } from '../baseline/types';
import type { Finding } from './finding';
import { getRule } from './rules';
import { ENUM_MAX, FIELD_MAX } from '../proto/parser';
import { compareTags, parseAnyTag } from '../policy/versions';
import { partitionPoint } from '../binarySearch';
import { groupBy } from '../groupBy';

/**
 * `currentTag`: the release the current file is, when known (history replays). Uses that first appear in a
 * later release are not "earlier" uses and are ignored (the history may run past the file being checked).
 *
 * Without it the file may be any edit: of the newest line, of a maintenance line, or of an old release. Every
 * use counts, except where the element is as a release had it (same number, name and type) and the other use
 * came after that release and after the baseline (`baselineTag`, when it is a release): then a later release
 * changed the number (e.g. renamed enum values), and that release's check reported it, not this file's.
 */
export function checkHistoryReuse(current: ApiModel, baseline: ApiModel, history: History, currentTag?: string, baselineTag?: string): Finding[] {
  const out: Finding[] = [];
  const upTo = currentTag && parseAnyTag(currentTag) ? currentTag : undefined;
  // Releases are in version order, so a known tag compares by index; only an unknown one needs parsing. The
  // order is built at the first use of the history: a deferred one is then not loaded when nothing needs it.
  let order: Map<string, number> | undefined;
  let limit: number | undefined;
  const rank = (tag: string): number | undefined => {
    if (!order) {
      order = releaseOrder(history);
      if (upTo !== undefined) limit = order.get(upTo);
    }
    return order.get(tag);
  };
  const notLater = (tag: string): boolean => {
    const i = rank(tag);
    return limit !== undefined && i !== undefined ? i <= limit : compareTags(tag, upTo!) <= 0;
  };
  const earlier = (us: NumberUse[]): NumberUse[] => (upTo ? us.filter((u) => notLater(u.firstTag)) : us);
  /** `others` without the uses that a later release made of an element the file has as released (`x`). */
  const sinceReleased = (x: Numbered & { type?: string }, uses: NumberUse[], others: NumberUse[]): NumberUse[] => {
    if (upTo || !others.length) return others;
    let released = -1;
    for (const u of uses) if (u.number === x.number && u.name === x.name && u.type === x.type) released = Math.max(released, rank(u.lastTag) ?? -1);
    if (released < 0) return others;
    const base = baselineTag === undefined ? undefined : rank(baselineTag);
    return others.filter((u) => {
      const first = rank(u.firstTag) ?? -1;
      return first <= released || (base !== undefined && first <= base);
    });
  };
  const lastUse = (us: NumberUse[]): NumberUse | undefined =>
    us.reduce<NumberUse | undefined>((best, u) => (!best || (rank(u.lastTag) ?? -1) > (rank(best.lastTag) ?? -1) ? u : best), undefined);
  // A use that the newest release still has is not over: "until" the newest release would say it was.
  const period = (u: NumberUse): string => (u.lastTag === history.releases.at(-1)?.tag ? `since ${u.firstTag} (still in ${u.lastTag}, the newest release)` : `until ${u.lastTag}`);
  const base = indexModel(baseline);
  const add = (rule: string, f: Omit<Finding, 'rule' | 'category' | 'severity'>): void => {
    const r = getRule(rule);
    out.push({ rule, category: r.category, severity: r.severity, ...f });
  };

  for (const m of current.messages) {
    const inBase = new InBaseline(base.messages.get(m.fqn)?.fields);
    // Looked up at the first field the baseline lacks: most messages have none, and their history is not needed.
    let uses: NumberUse[] | undefined;
    for (let i = 0; i < m.fields.length; i++) {
      const f = m.fields[i]!;
      // What the baseline had at this number or name is the baseline comparison's business.
      if (inBase.has(i, f)) continue;
      uses ??= earlier(history.fieldUses(m.fqn));
      if (!uses.length) break;
      const byNumber = lastUse(sinceReleased(f, uses, uses.filter((u) => u.number === f.number && (u.name !== f.name || u.type !== f.type))));
      if (byNumber) {
        // The "next free number" fix comes with the baseline's reuses of the message (check.ts): one sequence for both.
        add('FIELD_NUMBER_REUSED_HISTORY', {
          range: f.node?.numberRange ?? f.node?.nameRange ?? zero(),
          element: `${m.fqn}.${f.name}`,
          message: `field number ${f.number} was used by "${byNumber.name}" (${byNumber.type}) ${period(byNumber)}; "${f.name}" must not reuse it`,
          related: [{ message: `${byNumber.firstTag}…${byNumber.lastTag}: ${byNumber.type} ${byNumber.name} = ${byNumber.number}` }],
        });
        continue;
      }
      const byName = lastUse(sinceReleased(f, uses, uses.filter((u) => u.name === f.name && u.number !== f.number)));
      if (byName) {
        add('FIELD_NAME_REUSED_HISTORY', {
          range: f.node?.nameRange ?? zero(),
          element: `${m.fqn}.${f.name}`,
          message: `field name "${f.name}" was used with number ${byName.number} (${byName.type}) ${period(byName)}; JSON from that release would be read into this field`,
          related: [{ message: `${byName.firstTag}…${byName.lastTag}: ${byName.type} ${byName.name} = ${byName.number}` }],
        });
      }
    }
  }

  for (const e of current.enums) {
    const inBase = new InBaseline(base.enums.get(e.fqn)?.values);
    let uses: NumberUse[] | undefined;
    for (let i = 0; i < e.values.length; i++) {
      const v = e.values[i]!;
      if (inBase.has(i, v)) continue;
      uses ??= earlier(history.enumValueUses(e.fqn));
      if (!uses.length) break;
      const prev = lastUse(sinceReleased(v, uses, uses.filter((u) => u.number === v.number && u.name !== v.name)));
      if (prev) {
        add('ENUM_VALUE_NUMBER_REUSED', {
          range: v.node?.numberRange ?? zero(),
          element: `${e.fqn}.${v.name}`,
          message: `enum number ${v.number} was "${prev.name}" ${period(prev)}; "${v.name}" must not reuse it`,
          related: [{ message: `${prev.firstTag}…${prev.lastTag}: ${prev.name} = ${prev.number}` }],
        });
      }
    }
  }
  return out;
}

type Numbered = { number: number; name: string };

/** Whether a baseline message or enum has a number or name: usually at the same position, else in sets built once. */
class InBaseline {
  private numbers?: Set<number>;
  private names?: Set<string>;
  constructor(private readonly items: readonly Numbered[] | undefined) {}

  has(i: number, x: Numbered): boolean {
    const items = this.items;
    if (!items) return false;
    const same = items[i];
    if (same && (same.number === x.number || same.name === x.name)) return true;
    if (!this.numbers) {
      // Sets, not a scan per item: that would be quadratic in the size of the message.
      this.numbers = new Set(items.map((b) => b.number));
      this.names = new Set(items.map((b) => b.name));
    }
    return this.numbers.has(x.number) || this.names!.has(x.name);
  }
}

/** Release tag → position in version order; built once per history, not per check. */
const orders = new WeakMap<History, Map<string, number>>();
function releaseOrder(history: History): Map<string, number> {
  let order = orders.get(history);
  if (!order) orders.set(history, (order = new Map(history.releases.map((r, i) => [r.tag, i]))));
  return order;
}

/** The numbers a definition's members may take: 1 to `max`, but those `excluded`. */
export interface NumberSpace { max: number; excluded: readonly (readonly [number, number])[] }
/** The numbers a message's fields may take: protobuf keeps 19000–19999 for itself. */
export const FIELD_NUMBERS: NumberSpace = { max: FIELD_MAX, excluded: [[19000, 19999]] };
/** An enum's values may take any int32; those handed out are positive, as fields' are. */
export const ENUM_NUMBERS: NumberSpace = { max: ENUM_MAX, excluded: [] };

/**
 * Numbers of one message (or enum) handed out one after the other: each is the smallest number above every number
 * the message uses, ever used, or reserves, and above those handed out before (outside the numbers `space`
 * excludes); when a reservation runs to the end of the range (`reserved 10 to max`), the lowest number that none
 * of them takes. Reserved ranges are stepped over whole: they may span 2^29 numbers.
 */
export class FreeNumbers {
  /** Sorted by start. */
  private readonly taken: [number, number][];
  /** The highest number taken below `limit`: numbers are handed out above it first, then from 1 up to it. */
  private readonly max: number = 0;
  private readonly limit: number;
  /**
   * Where the search goes on: each phase hands out increasing numbers, so the ranges before `cursor` (by start)
   * cannot hold a later one, and each call looks only at the ranges it passes (a scan of all of them per number
   * was quadratic in a message of many reused numbers).
   */
  private from: number;
  private cursor = 0;
  private wrapped = false;

  /** `taken`: inclusive ranges (fields as `[n, n]`), in any order. */
  constructor(taken: Iterable<readonly [number, number]>, space: NumberSpace = FIELD_NUMBERS) {
    this.limit = space.max;
    this.taken = space.excluded.map(([a, b]): [number, number] => [a, b]);
    for (const [a, b] of taken) {
      this.taken.push([a, b]);
      this.max = Math.max(this.max, Math.min(b, this.limit));
    }
    this.taken.sort((x, y) => x[0] - y[0]);
    this.from = this.max + 1;
  }

  /** The next free number; undefined when there is none. */
  next(): number | undefined {
    let n = this.from;
    for (; this.cursor < this.taken.length && this.taken[this.cursor]![0] <= n; this.cursor++) {
      const b = this.taken[this.cursor]![1];
      if (b >= n) n = b + 1;
    }
    // Above the highest number taken, every number up to the limit has been handed out: from 1, below it.
    if (!this.wrapped && n > this.limit) {
      this.wrapped = true;
      this.from = 1;
      this.cursor = 0;
      return this.next();
    }
    // Nothing free: the search stays past the end, so that every later call says so too.
    this.from = n;
    if (n > (this.wrapped ? this.max : this.limit)) return undefined;
    this.from = n + 1;
    return n;
  }
}

/** A released number a field may go back to: its name's one number in the releases, first to last. */
export interface FormerNumber { number: number; firstTag: string; lastTag: string }

/**
 * For the fields of one message (`uses`: its numbers in the releases; `taken`: the file's and the baseline's
 * numbers and reservations; `labelAt`: a field's label in a release): the number a field's name had in the
 * releases, when moving the field there reuses nothing: that name never had another number, and that number
 * never had another name, type or label. Any other number would reuse the name (FIELD_NAME_REUSED_HISTORY), as
 * a field backported to an older release line with a number of its own would. Undefined otherwise, or when
 * `taken` holds it. The lookups are built once per message: a message may have thousands of reused numbers.
 */
export function formerNumbers(
  uses: readonly NumberUse[], taken: readonly (readonly [number, number])[], labelAt: (tag: string, name: string) => string | undefined,
): (f: { name: string; type: string; label: string }) => FormerNumber | undefined {
  const byName = groupBy(uses, (u) => u.name);
  const byNumber = groupBy(uses, (u) => u.number);
  const isTaken = inRanges(taken);
  return (f) => {
    const own = byName.get(f.name);
    const use = own?.[0];
    if (!use || own.some((u) => u.number !== use.number)) return undefined;
    if (byNumber.get(use.number)!.some((u) => u.name !== f.name || u.type !== f.type)) return undefined;
    // The index keeps no label with a use: `repeated` on a number that was singular is a break of its own.
    if (isTaken(use.number) || labelAt(use.firstTag, f.name) !== f.label || labelAt(use.lastTag, f.name) !== f.label) return undefined;
    return { number: use.number, firstTag: use.firstTag, lastTag: use.lastTag };
  };
}

/** The title of the fix that gives a field its former number; completion quotes it. */
export function formerNumberTitle(name: string, former: FormerNumber): string {
  return `Use number ${former.number}, the number of "${name}" in ${tagSpan(former)}`;
}

/** The releases of a use, as `v0.26.0…v0.30.1`, or the one tag. */
export function tagSpan(u: { firstTag: string; lastTag: string }): string {
  return u.firstTag === u.lastTag ? u.firstTag : `${u.firstTag}…${u.lastTag}`;
}

/** A field's label in a release of `history`, by tag and name, for the fields of message `fqn`; each release read once. */
export function labelsIn(history: History, fqn: string): (tag: string, name: string) => string | undefined {
  const byTag = new Map<string, Map<string, string>>();
  return (tag, name) => {
    let labels = byTag.get(tag);
    if (!labels) {
      const m = history.modelAt(tag)?.messages.find((x) => x.fqn === fqn);
      byTag.set(tag, (labels = new Map(m?.fields.map((x) => [x.name, x.label]))));
    }
    return labels.get(name);
  };
}

/** Whether a number lies in one of `ranges` (inclusive, in any order, overlapping or not): merged once, then a binary search. */
function inRanges(ranges: readonly (readonly [number, number])[]): (n: number) => boolean {
  const merged: [number, number][] = [];
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return (n) => {
    const k = partitionPoint(merged.length, (i) => merged[i]![1] < n);
    return k < merged.length && merged[k]![0] <= n;
  };
}

/**
 * What the "next free number" of a message's fields or an enum's values steps over (`all`, for FreeNumbers): the
 * numbers and reservations of the file's definition (`current`) and of the baseline's (`base`, `inFiles` both), and
 * every number the releases gave one of its members (`uses`). The quick fix and the completion of a number read it.
 */
export function takenNumbers(
  current: NumberedDef, base: NumberedDef | undefined, uses: readonly NumberUse[],
): { inFiles: [number, number][]; all: [number, number][] } {
  const inFiles = numbersOf(current);
  if (base) inFiles.push(...numbersOf(base));
  return { inFiles, all: [...inFiles, ...uses.map((u): [number, number] => [u.number, u.number])] };
}

type NumberedDef = Pick<MessageDef, 'fields' | 'reservedNumbers'> | Pick<EnumDef, 'values' | 'reservedNumbers'>;

/** The numbers a message or enum takes: its fields (values) and reservations. */
function numbersOf(m: NumberedDef): [number, number][] {
  const out: [number, number][] = [...m.reservedNumbers];
  for (const f of 'fields' in m ? m.fields : m.values) out.push([f.number, f.number]);
  return out;
}

function zero(): Finding['range'] {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}
