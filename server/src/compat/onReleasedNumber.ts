// What a new enum value declared on a number the baseline had is (a rename, an alias, a duplicate, a reuse), what
// became of a released value whose name is gone, and which new fields duplicate a released field's number: one
// decision each, which the comparison reports (ENUM_VALUE_RENAMED, ENUM_VALUE_NUMBER_REUSED, the binder's
// duplicate-number) and the policy hover explains, so that the two cannot drift apart.

import { allowsAliases } from '../proto/ast';
import type { EnumDef, EnumValueDef, FieldDef, MessageDef } from '../proto/model';
import { groupBy } from '../groupBy';

export type EnumValueOnReleasedNumber =
  /** A released name of the number is gone and this value took its place: a rename (ENUM_VALUE_RENAMED). */
  | { kind: 'renamed'; from: EnumValueDef }
  /**
   * One more name of a released value: of `of`, which still holds the number, or, where `renamedTo` is set, of
   * the value that `of` (gone) was renamed to.
   */
  | { kind: 'alias'; of: EnumValueDef; renamedTo?: EnumValueDef }
  /**
   * `of` (the current declaration) still holds the number, in an enum without `allow_alias`: no second name but the
   * binder's duplicate-number, which protoc refuses too.
   */
  | { kind: 'duplicate'; of: EnumValueDef }
  /**
   * Every released name of the number is declared on another number now (`movedTo`, of `of`): peers built from
   * the baseline read this value as `of` (ENUM_VALUE_NUMBER_REUSED). It is new to every peer.
   */
  | { kind: 'reused'; of: EnumValueDef; movedTo: number };

/** A released value whose name the enum no longer declares, on a number it still declares. */
export type GoneEnumValue =
  /** `to`, a new name on the number, took its place (ENUM_VALUE_RENAMED). */
  | { kind: 'renamed'; to: EnumValueDef }
  /** The name alone is gone: `alias` still holds the number (ENUM_VALUE_RENAMED, restoring the name beside it). */
  | { kind: 'removed'; alias: EnumValueDef };

export interface ReleasedEnumNumbers {
  /** What a value of a name the baseline's enum lacks is on its number; undefined on a number the baseline did not use. */
  valueOn(v: EnumValueDef): EnumValueOnReleasedNumber | undefined;
  /** What became of a released value whose name is gone; undefined while the name is declared, or the number is not. */
  gone(ov: EnumValueDef): GoneEnumValue | undefined;
}

/** What holds for one released number, decided once for every value on it. */
interface ReleasedNumber {
  /** The released values of the number (more than one where the enum allows aliases), in declaration order. */
  released: EnumValueDef[];
  /** The first released name of the number that `cur` still declares on it. */
  stays?: EnumValueDef;
  /** The first value declared on the number under a released name of it: what a new name beside it duplicates. */
  held?: EnumValueDef;
  /** Each new name that took a gone released name's place → that name, and back. */
  renamedFrom: Map<EnumValueDef, EnumValueDef>;
  renamedTo: Map<EnumValueDef, EnumValueDef>;
  /** The first of those new names: further new names are aliases of it, and further gone names were removed beside it. */
  successor?: EnumValueDef;
}

/**
 * Whether an enum may give one number several names. A model without syntax (a release's) passed protoc, so any
 * number it names twice is an alias.
 */
export function aliasesAllowed(e: EnumDef): boolean {
  return !e.node || allowsAliases(e.node);
}

/**
 * For the enum `cur` against its released version `old`: what its values on released numbers are, and what became
 * of released names that are gone. The lookups are built once, on first use, and what holds for a number once per
 * number: the comparison asks for every value on the number of each released value that moved or was renamed,
 * which, per call, made an alias enum with many names on one number cubic.
 */
export function releasedEnumNumbers(old: EnumDef, cur: EnumDef): ReleasedEnumNumbers {
  const aliases = aliasesAllowed(cur);
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
      const releasedNames = new Set(released.map((o) => o.name));
      const stays = released.find((o) => namesHere.has(o.name));
      const known = (oldNames ??= new Set(old.values.map((o) => o.name)));
      const newNames = atNumber.filter((c) => !known.has(c.name));
      // Beside a released name that keeps the number, only the name JSON writes for it (the first declared) takes a
      // gone name's place, and only where the enum allows aliases (elsewhere the two are a duplicate number); with
      // none left, the new names take the gone ones' places one to one, in declaration order, or only the first
      // where the enum allows no second name.
      const successors = stays ? (aliases && newNames[0] === atNumber[0] ? newNames.slice(0, 1) : []) : aliases ? newNames : newNames.slice(0, 1);
      const gone = released.filter((o) => !declared.has(o.name));
      const renamedFrom = new Map<EnumValueDef, EnumValueDef>();
      const renamedTo = new Map<EnumValueDef, EnumValueDef>();
      for (let i = 0; i < Math.min(gone.length, successors.length); i++) {
        renamedFrom.set(successors[i]!, gone[i]!);
        renamedTo.set(gone[i]!, successors[i]!);
      }
      out = { released, stays, renamedFrom, renamedTo };
      if (stays) out.held = atNumber.find((c) => releasedNames.has(c.name));
      if (renamedFrom.size) out.successor = successors[0];
    }
    numbers.set(n, out);
    return out;
  };
  return {
    valueOn(v) {
      if ((oldNames ??= new Set(old.values.map((o) => o.name))).has(v.name)) return undefined;
      const r = releasedNumber(v.number);
      if (!r) return undefined;
      const from = r.renamedFrom.get(v);
      if (from) return { kind: 'renamed', from };
      if (r.stays) return aliases ? { kind: 'alias', of: r.stays } : { kind: 'duplicate', of: r.held! };
      if (r.successor) return aliases ? { kind: 'alias', of: r.renamedFrom.get(r.successor)!, renamedTo: r.successor } : { kind: 'duplicate', of: r.successor };
      const of = r.released[0]!;
      return { kind: 'reused', of, movedTo: curByName!.get(of.name)![0]!.number };
    },
    gone(ov) {
      const r = releasedNumber(ov.number);
      if (!r || curByName!.has(ov.name)) return undefined;
      const to = r.renamedTo.get(ov);
      if (to) return { kind: 'renamed', to };
      const alias = r.held ?? r.successor;
      return alias ? { kind: 'removed', alias } : undefined;
    },
  };
}

/**
 * For the fields of `cur`, the current declaration of the released field (of `old`) that still holds the field's
 * number, where the field's name is one `old` lacks: no reuse (the released field did not change) but the binder's
 * duplicate-number, on whichever of the two is declared later. Undefined for any other field.
 */
export function releasedFieldHolding(old: MessageDef, cur: MessageDef): (f: FieldDef) => FieldDef | undefined {
  let oldNames: Set<string> | undefined;
  let oldByNumber: Map<number, FieldDef> | undefined;
  let curByNumberAndName: Map<string, FieldDef> | undefined;
  const key = (f: FieldDef): string => `${f.number} ${f.name}`;
  return (f) => {
    if ((oldNames ??= new Set(old.fields.map((o) => o.name))).has(f.name)) return undefined;
    if (!oldByNumber) {
      // A release's numbers are unique (protoc checked them); of a broken file baseline's, the first.
      oldByNumber = new Map();
      for (const o of old.fields) if (!oldByNumber.has(o.number)) oldByNumber.set(o.number, o);
    }
    const of = oldByNumber.get(f.number);
    if (!of) return undefined;
    if (!curByNumberAndName) {
      curByNumberAndName = new Map();
      for (const c of cur.fields) if (!curByNumberAndName.has(key(c))) curByNumberAndName.set(key(c), c);
    }
    return curByNumberAndName.get(key(of));
  };
}
