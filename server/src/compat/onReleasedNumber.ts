// What a value of a name the baseline's enum lacks is, when it is declared on a number the baseline had: one
// decision, which the comparison reports (ENUM_VALUE_RENAMED, ENUM_VALUE_NUMBER_REUSED, the binder's
// duplicate-number) and the policy hover explains, so that the two cannot drift apart.

import { allowsAliases } from '../proto/ast';
import type { EnumDef, EnumValueDef } from '../proto/model';
import { groupBy } from '../groupBy';

export type EnumValueOnReleasedNumber =
  /** A released name of the number is gone and this value took its place: a rename (ENUM_VALUE_RENAMED). */
  | { kind: 'renamed'; from: EnumValueDef }
  /** A released name still holds the number: this is one more name of that value. */
  | { kind: 'alias'; of: EnumValueDef }
  /**
   * A released name still holds the number, in an enum without `allow_alias`: no second name but the binder's
   * duplicate-number, which protoc refuses too.
   */
  | { kind: 'duplicate'; of: EnumValueDef }
  /**
   * Every released name of the number is declared on another number now (`movedTo`, of `of`): peers built from
   * the baseline read this value as `of` (ENUM_VALUE_NUMBER_REUSED). It is new to every peer.
   */
  | { kind: 'reused'; of: EnumValueDef; movedTo: number };

/** What `enumValueOnReleasedNumber` decides for every value on one number: the same for each of them. */
interface ReleasedNumber {
  /** The released values of the number (more than one where the enum allows aliases), in declaration order. */
  released: EnumValueDef[];
  /** The current values on the number, in declaration order: the first is the name JSON writes. */
  atNumber: EnumValueDef[];
  /** The first released name of the number that `cur` no longer declares at all. */
  gone?: EnumValueDef;
  /** The first released name of the number that `cur` still declares on it. */
  stays?: EnumValueDef;
}

/**
 * Whether an enum may give one number several names. A model without syntax (a release's) passed protoc, so any
 * number it names twice is an alias.
 */
export function aliasesAllowed(e: EnumDef): boolean {
  return !e.node || allowsAliases(e.node);
}

/**
 * For the values of `cur`, the released enum `old`'s value it continues on its number, and how; undefined for a
 * value of a released name or on a number `old` did not use.
 */
export function enumValueOnReleasedNumber(old: EnumDef, cur: EnumDef): (v: EnumValueDef) => EnumValueOnReleasedNumber | undefined {
  const use = onReleasedNumber(old, cur);
  if (aliasesAllowed(cur)) return use;
  return (v) => {
    const u = use(v);
    return u?.kind === 'alias' ? { kind: 'duplicate', of: u.of } : u;
  };
}

/**
 * `enumValueOnReleasedNumber` as if the enum allowed aliases. The lookups are built once, on first use, and what
 * holds for a number once per number: the comparison asks for every value on the number of each released value
 * that moved or was renamed, which, per call, made an alias enum with many names on one number cubic.
 */
function onReleasedNumber(old: EnumDef, cur: EnumDef): (v: EnumValueDef) => EnumValueOnReleasedNumber | undefined {
  let oldNames: Set<string> | undefined;
  let oldByNumber: Map<number, EnumValueDef[]> | undefined;
  let curByNumber: Map<number, EnumValueDef[]> | undefined;
  let curByName: Map<string, EnumValueDef[]> | undefined;
  const numbers = new Map<number, ReleasedNumber | undefined>();
  const releasedNumber = (n: number): ReleasedNumber | undefined => {
    if (numbers.has(n)) return numbers.get(n);
    const released = (oldByNumber ??= groupBy(old.values, (o) => o.number)).get(n);
    let out: ReleasedNumber | undefined;
    if (released) {
      const atNumber = (curByNumber ??= groupBy(cur.values, (c) => c.number)).get(n) ?? [];
      const declared = (curByName ??= groupBy(cur.values, (c) => c.name));
      const namesHere = new Set(atNumber.map((c) => c.name));
      out = { released, atNumber, gone: released.find((o) => !declared.has(o.name)), stays: released.find((o) => namesHere.has(o.name)) };
    }
    numbers.set(n, out);
    return out;
  };
  return (v) => {
    if ((oldNames ??= new Set(old.values.map((o) => o.name))).has(v.name)) return undefined;
    const r = releasedNumber(v.number);
    if (!r) return undefined;
    const { released, atNumber, gone, stays } = r;
    // The value that JSON writes for the number (the first declared) takes a gone name's place, even beside a
    // released alias that stays; a later one is an alias of what stays.
    if (gone && (atNumber[0] === v || !stays)) return { kind: 'renamed', from: gone };
    if (stays) return { kind: 'alias', of: stays };
    const of = released[0]!;
    return { kind: 'reused', of, movedTo: curByName!.get(of.name)![0]!.number };
  };
}
