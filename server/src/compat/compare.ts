// Structural comparison of the current model with the baseline model: wire, JSON and Go-source breaks,
// and the list of additions (which the documentation rules and the report use).

import type { OneofNode, OptionNode, Position, Range } from '../proto/ast';
import { comparePositions, declaredInMessage } from '../proto/ast';
import {
  ModelIndex, SCALARS, holdsStrings, indexModel, isClosedEnum, isPackable, jsonNameOf, localName, utf8Verified, type ApiModel, type EnumDef, type EnumValueDef, type FieldDef, type MessageDef, type RpcDef, type ServiceDef,
} from '../proto/model';
import type { Finding, FixData, RestoredLine } from './finding';
import { spanText } from '../proto/reservedText';
import { EDITION_DEFAULTS, ownFeature, resolveFeatures, setsFeature, type Features } from '../proto/features';
import { combineMapParts, compareFieldTypes, mapParts, type TypeChange } from './wireTypes';
import { getRule } from './rules';
import { utf8CheckReason, utf8Checked, utf8Rejection } from '../policy/utf8';
import { ENUM_MAX, FIELD_MAX } from '../proto/parser';
import { partitionPoint } from '../binarySearch';
import { groupBy } from '../groupBy';
import { aliasesAllowed, releasedEnumNumbers, releasedFieldHolding } from './onReleasedNumber';
import { goCamelCase, goEnumConstant } from '../proto/goNames';
import { restorableOptions } from '../proto/declaredOptions';
import { isTrue } from '../proto/aggregate';
import { fingerprintDoc, type DocFingerprint } from '../docs/fingerprint';

export type AdditionKind = 'message' | 'field' | 'enum' | 'enumValue' | 'service' | 'rpc';

export interface Addition {
  kind: AdditionKind;
  element: string;
  range: Range;
  /**
   * A field or enum value that took over a released number (FIELD_NUMBER_REUSED, ENUM_VALUE_NUMBER_REUSED): peers
   * without it misread it, not ignore it.
   */
  onReleasedNumber?: true;
}

export interface Comparison {
  findings: Finding[];
  additions: Addition[];
  /**
   * Fields of a name the baseline's message lacks on a number it had (FIELD_NUMBER_REUSED), and enum values of a
   * name the baseline's enum lacks on the number of a released value that moved (ENUM_VALUE_NUMBER_REUSED). Not
   * additions: they continue the number's released element on the wire, as the report and the hover say; but
   * each is a new name that the documentation rules check as they check additions.
   */
  newOnReleasedNumbers: Addition[];
  /** New fields (enum values) on the number a released one still holds (the binder's duplicate-number), for their fix. */
  duplicates: DuplicateNumber[];
  /** Baseline message/enum → new name, for the types reported as MESSAGE_RENAMED. */
  renamed: Map<string, string>;
  /** Lookups over the current model, for the checks that follow (built once per analysis). */
  currentIndex: ModelIndex;
}

/**
 * A field declared on the number that a released field of its message still holds (an enum value, on one a released
 * value still has, in an enum without aliases): no reuse (the released one did not change), the binder's
 * duplicate-number error, on whichever of the two is declared later. Its fix moves the new one to a free number
 * (check.ts), as FIELD_NUMBER_REUSED's does.
 */
export interface DuplicateNumber {
  /** The new field or enum value. */
  element: string;
  /** Its number, and the released field's: the binder's error is at one of them. */
  range: Range;
  releasedRange: Range;
  fixes?: FixData[];
}

const ORIGIN: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function compareModels(current: ApiModel, baseline: ApiModel, baselineTag: string): Comparison {
  return new Comparer(current, baseline, baselineTag).run();
}

class Comparer {
  private readonly findings: Finding[] = [];
  private readonly additions: Addition[] = [];
  private readonly newOnReleasedNumbers: Addition[] = [];
  private readonly duplicates: DuplicateNumber[] = [];
  private readonly cur: ModelIndex;
  private readonly base: ModelIndex;
  /** Baseline message/enum → its new name, for types detected as renamed (MESSAGE_RENAMED). */
  private readonly renamed = new Map<string, string>();

  constructor(private readonly current: ApiModel, private readonly baseline: ApiModel, private readonly tag: string) {
    this.cur = new ModelIndex(current);
    this.base = indexModel(baseline);
  }

  run(): Comparison {
    if (this.current.package !== this.baseline.package) {
      this.add('PACKAGE_CHANGED', this.packageRange(), this.current.package,
        `package changed from "${this.baseline.package}" to "${this.current.package}" (baseline ${this.tag})`);
      return this.result();
    }
    this.goPackage();
    const reachable = this.base.reachableTypes();
    this.types(reachable);
    // A renamed type is reported as MESSAGE_RENAMED only: it is not a new element to document.
    const renamedTo = new Set(this.renamed.values());
    // A released definition is compared with one current definition of its name, not with each: a second one
    // is the binder's duplicate-name, and does not delete what the released one still has.
    // The index the later checks look names up in (the documentation rules) answers with that one too.
    for (const [fqn, defs] of groupBy(this.current.messages, (m) => m.fqn)) {
      const old = this.base.messages.get(fqn);
      if (old) {
        const m = releasedOf(defs, (d) => sameNumbersAndNames(old.fields, d.fields));
        this.cur.messages.set(fqn, m);
        this.message(old, m);
      } else if (!renamedTo.has(fqn)) for (const m of defs) this.addition('message', fqn, m.node?.nameRange);
    }
    for (const [fqn, defs] of groupBy(this.current.enums, (e) => e.fqn)) {
      const old = this.base.enums.get(fqn);
      if (old) {
        const e = releasedOf(defs, (d) => sameNumbersAndNames(old.values, d.values));
        this.cur.enums.set(fqn, e);
        this.enumDef(old, e);
      } else if (!renamedTo.has(fqn)) for (const e of defs) this.addition('enum', fqn, e.node?.nameRange);
    }
    this.services();
    return this.result();
  }

  private result(): Comparison {
    return { findings: this.findings, additions: this.additions, newOnReleasedNumbers: this.newOnReleasedNumbers, duplicates: this.duplicates, renamed: this.renamed, currentIndex: this.cur };
  }

  private add(rule: string, range: Range, element: string, message: string, fixes?: FixData[], related?: Finding['related']): void {
    const r = getRule(rule);
    const f: Finding = { rule, category: r.category, severity: r.severity, message, range, element };
    if (fixes?.length) f.fixes = fixes;
    if (related?.length) f.related = related;
    this.findings.push(f);
  }

  private addition(kind: AdditionKind, element: string, range: Range | undefined): void {
    this.additions.push({ kind, element, range: range ?? ORIGIN });
  }

  /**
   * GO_PACKAGE_CHANGED. Adding the option where the baseline had none changes nothing that was built; removing
   * it leaves the Go generator without an import path. Old releases give a bare package name ("v1"), newer ones
   * the import path; when either side is bare, only the Go package names are compared.
   */
  private goPackage(): void {
    const was = this.baseline.goPackage;
    const now = this.current.goPackage;
    // A value the parser reported (a string being typed) is its syntax error only, and nothing to compare yet.
    if (was === undefined || this.current.goPackageNode?.unsettled) return;
    if (now === undefined) {
      this.add('GO_PACKAGE_CHANGED', this.packageRange(), this.current.package,
        `go_package "${was}" was removed (baseline ${this.tag}); protoc-gen-go then has no import path for the generated code`);
      return;
    }
    const a = goPackageParts(was);
    const b = goPackageParts(now);
    const same = a.path === undefined || b.path === undefined ? a.name === b.name : a.path === b.path && a.name === b.name;
    if (same) return;
    // A model without syntax nodes has no option node: then check.ts points at the package line.
    this.add('GO_PACKAGE_CHANGED', this.current.goPackageNode?.valueRange ?? this.packageRange(), this.current.package,
      `go_package changed from "${was}" to "${now}" (baseline ${this.tag})`);
  }

  private packageRange(): Range {
    return this.firstNode()?.range ?? ORIGIN;
  }

  private firstNode(): { range: Range } | undefined {
    const m = this.current.messages[0]?.node ?? this.current.services[0]?.node;
    return m ? { range: m.nameRange } : undefined;
  }

  /** Where a deleted element used to be: its parent, if the parent still exists, else the file's first declaration. */
  private whereDeleted(fqn: string): Range {
    let parent = fqn.slice(0, Math.max(0, fqn.lastIndexOf('.')));
    while (parent) {
      const m = this.cur.messages.get(parent)?.node ?? this.cur.services.get(parent)?.node ?? this.cur.enums.get(parent)?.node;
      if (m) return m.nameRange;
      parent = parent.slice(0, Math.max(0, parent.lastIndexOf('.')));
    }
    return this.packageRange();
  }

  /**
   * For a deleted top-level message, enum or service: the declaration of the same kind that followed it in the
   * baseline and still exists (else the one that preceded it), where the deleted one used to be.
   */
  private whereTopLevelWas(old: { fqn: string; name: string }, baseList: readonly { fqn: string; name: string }[]): { range: Range; where: string } | undefined {
    const pkg = this.baseline.package;
    if (old.fqn !== (pkg ? `${pkg}.${old.name}` : old.name)) return undefined; // nested: its parent says where
    const n = this.neighbours(baseList);
    const i = n.index.get(old.fqn);
    if (i === undefined) return undefined;
    const after = n.next[i]!;
    if (after >= 0) return { range: n.ranges[after]!, where: `before "${baseList[after]!.name}"` };
    const before = n.prev[i]!;
    if (before >= 0) return { range: n.ranges[before]!, where: `after "${baseList[before]!.name}"` };
    return undefined;
  }

  /**
   * Per baseline list, once: where each still-declared top-level element is now, and for every position the
   * nearest such element after and before it. A file that deletes most of a large baseline asks for each.
   */
  private readonly neighbourCache = new Map<readonly { fqn: string }[], { index: Map<string, number>; ranges: (Range | undefined)[]; next: number[]; prev: number[] }>();
  private neighbours(baseList: readonly { fqn: string; name: string }[]): { index: Map<string, number>; ranges: (Range | undefined)[]; next: number[]; prev: number[] } {
    let n = this.neighbourCache.get(baseList);
    if (n) return n;
    const pkg = this.baseline.package;
    const index = new Map<string, number>();
    const ranges = baseList.map((d, j) => {
      if (!index.has(d.fqn)) index.set(d.fqn, j);
      if (d.fqn !== (pkg ? `${pkg}.${d.name}` : d.name)) return undefined;
      return this.cur.messages.get(d.fqn)?.node?.nameRange ?? this.cur.enums.get(d.fqn)?.node?.nameRange ?? this.cur.services.get(d.fqn)?.node?.nameRange;
    });
    const next = new Array<number>(baseList.length);
    const prev = new Array<number>(baseList.length);
    for (let j = baseList.length - 1, k = -1; j >= 0; j--) { next[j] = k; if (ranges[j]) k = j; }
    for (let j = 0, k = -1; j < baseList.length; j++) { prev[j] = k; if (ranges[j]) k = j; }
    this.neighbourCache.set(baseList, (n = { index, ranges, next, prev }));
    return n;
  }

  // ---- messages and enums as types -------------------------------------------------------------------

  private types(reachable: Set<string>): void {
    // Shapes are compared only between definitions of equal size, and each is computed once.
    const shapes = new Map<MessageDef | EnumDef, string | undefined>();
    const shape = (d: MessageDef | EnumDef): string | undefined => {
      if (!shapes.has(d)) shapes.set(d, shapeOf(d));
      return shapes.get(d);
    };
    const size = (d: MessageDef | EnumDef): number => ('fields' in d ? d.fields.length : d.values.length);
    // New definitions grouped by kind, parent scope and size: the only candidates a deleted one can have been renamed to.
    const groupKey = (d: MessageDef | EnumDef, scope = parentOf(d.fqn)): string => `${'fields' in d ? 'm' : 'e'}|${scope}|${size(d)}`;
    const candidates = new Map<string, (MessageDef | EnumDef)[]>();
    for (const c of [...this.current.messages, ...this.current.enums]) {
      if (this.base.messages.has(c.fqn) || this.base.enums.has(c.fqn)) continue;
      const k = groupKey(c);
      const list = candidates.get(k);
      if (list) list.push(c);
      else candidates.set(k, [c]);
    }
    // Per group, on first use: its first candidate of each shape. A scan of the group per deleted type was
    // quadratic when many definitions of one size change shape.
    const byShape = new Map<string, Map<string, string>>();
    const renamedTo = (old: MessageDef | EnumDef, scope: string): string | undefined => {
      const sig = shape(old);
      if (!sig) return undefined;
      const k = groupKey(old, scope);
      let firsts = byShape.get(k);
      if (!firsts) {
        byShape.set(k, (firsts = new Map()));
        for (const c of candidates.get(k) ?? []) {
          const cs = shape(c);
          if (cs !== undefined && !firsts.has(cs)) firsts.set(cs, c.fqn);
        }
      }
      return firsts.get(sig);
    };
    // A type moved to another scope (into a message, out of one) keeps its name and fields: protoc-gen-go names
    // it after its new scope (Outer_Inner), while the bytes and the JSON stay the same. Built on first use.
    // What types were renamed or moved to, so that no two go to one.
    const targets = new Set<string>();
    const markRenamed = (from: string, to: string): void => {
      this.renamed.set(from, to);
      targets.add(to);
    };
    // Candidates by kind, name and size; per such group, on first use, by shape, each list taken from the front as
    // types move to them. Shapes are computed only for candidates named like a deleted type.
    let byName: Map<string, (MessageDef | EnumDef)[]> | undefined;
    const twins = new Map<string, Map<string, { list: (MessageDef | EnumDef)[]; next: number }>>();
    const nameKey = (d: MessageDef | EnumDef): string => `${'fields' in d ? 'm' : 'e'}|${d.name}|${size(d)}`;
    const movedTo = (old: MessageDef | EnumDef): string | undefined => {
      const sig = shape(old);
      if (!sig) return undefined;
      if (!byName) {
        byName = new Map();
        for (const list of candidates.values()) {
          for (const c of list) {
            const k = nameKey(c);
            const same = byName.get(k);
            if (same) same.push(c);
            else byName.set(k, [c]);
          }
        }
      }
      const k = nameKey(old);
      let byShape = twins.get(k);
      if (!byShape) {
        twins.set(k, (byShape = new Map()));
        for (const c of byName.get(k) ?? []) {
          const cs = shape(c);
          if (cs === undefined) continue;
          const same = byShape.get(cs);
          if (same) same.list.push(c);
          else byShape.set(cs, { list: [c], next: 0 });
        }
      }
      const same = byShape.get(sig);
      if (!same) return undefined;
      while (same.next < same.list.length && targets.has(same.list[same.next]!.fqn)) same.next++;
      return same.list[same.next]?.fqn;
    };
    const deleted = (old: MessageDef | EnumDef, kind: 'message' | 'enum'): void => {
      // A type nested in a renamed message moved with it (Outer.Inner → Renamed.Inner): the one rename says it.
      const parent = parentOf(old.fqn);
      const movedParent = this.renamed.get(parent);
      if (movedParent !== undefined) {
        const moved = movedParent + old.fqn.slice(parent.length);
        const now = kind === 'message' ? this.cur.messages.get(moved) : this.cur.enums.get(moved);
        if (now && !this.base.messages.has(moved) && !this.base.enums.has(moved) && shape(now) === shape(old)) {
          markRenamed(old.fqn, moved);
          return;
        }
      }
      // Renamed in its scope, or in the scope its renamed parent has now (Outer.Inner → Renamed.Other).
      const to = renamedTo(old, movedParent ?? parent);
      if (to) {
        markRenamed(old.fqn, to);
        this.add('MESSAGE_RENAMED', this.defRange(to), to, `${kind} "${old.name}" of ${this.tag} was renamed to "${to.slice(to.lastIndexOf('.') + 1)}"`,
          [{ kind: 'rename', to: old.name }]);
        return;
      }
      const linked = kind === 'message' && !(old as MessageDef).fields.length ? this.emptyRenamedThroughRpcs(old.fqn, movedParent ?? parent, targets) : undefined;
      if (linked) {
        const { to, rpc, side } = linked;
        markRenamed(old.fqn, to);
        this.add('MESSAGE_RENAMED', this.defRange(to), to,
          `message "${old.name}" of ${this.tag} was renamed to "${to.slice(to.lastIndexOf('.') + 1)}": both are empty, and rpc "${rpc}" now ${side === 'request' ? 'takes it as its request' : 'returns it'}`,
          [{ kind: 'rename', to: old.name }]);
        return;
      }
      const moved = movedTo(old);
      if (moved) {
        // No rename fix: the old name in the new scope would still be another type; the fix moves it back.
        markRenamed(old.fqn, moved);
        const local = (fqn: string): string => localName(fqn, this.baseline.package);
        this.add('MESSAGE_RENAMED', this.defRange(moved), moved,
          `${kind} "${local(old.fqn)}" of ${this.tag} was moved to "${local(moved)}": the bytes and JSON are unchanged, but its Go type ${goCamelCase(local(old.fqn))} is now ${goCamelCase(local(moved))}`,
          [{ kind: 'moveBack', from: old.fqn, ...this.baselineNeighbours(old, kind) }]);
        return;
      }
      const gone = this.whereTopLevelWas(old, kind === 'message' ? this.baseline.messages : this.baseline.enums);
      const range = gone?.range ?? this.whereDeleted(old.fqn);
      const was = gone ? ` (it was declared ${gone.where})` : '';
      const restore = this.restoredType(old, movedParent ?? parent);
      if (reachable.has(old.fqn)) {
        this.add(kind === 'message' ? 'MESSAGE_NO_DELETE' : 'ENUM_NO_DELETE', range, old.fqn,
          `${kind} "${old.fqn}" of ${this.tag} was deleted${was}, but RPCs of ${this.tag} use it`, restore);
      } else {
        this.add('TYPE_NO_DELETE', range, old.fqn, `${kind} "${old.fqn}" of ${this.tag} was deleted${was}`, restore);
      }
    };
    // Outer before inner: a nested type follows its renamed parent.
    const depth = (d: MessageDef | EnumDef): number => d.fqn.split('.').length;
    const gone = this.baseline.messages.filter((m) => !this.cur.messages.has(m.fqn));
    for (const m of gone.length > 1 ? gone.sort((a, b) => depth(a) - depth(b)) : gone) deleted(m, 'message');
    for (const e of this.baseline.enums) if (!this.cur.enums.has(e.fqn)) deleted(e, 'enum');
  }

  /**
   * Per RPC request and response (`Service.Rpc request`), the message of the baseline and of the current model, and
   * each model's slots by message (a scan of every slot per deleted empty message was quadratic); built on first use.
   */
  private rpcSlots?: { base: RpcSlots; cur: RpcSlots };

  /**
   * What an empty message was renamed to, which no fields can tell: the new empty message of its scope that the
   * RPCs that took it take in its place. Only when that is unambiguous: every released RPC that used it and is still
   * there (by service and name) uses the same new message in that place, and every released RPC that uses that
   * message in a place used the old one there. gRPC sends no type names, so the calls are unchanged.
   */
  private emptyRenamedThroughRpcs(old: string, scope: string, taken: ReadonlySet<string>): { to: string; rpc: string; side: 'request' | 'response' } | undefined {
    const slots = (this.rpcSlots ??= { base: rpcSlotsOf(this.baseline), cur: rpcSlotsOf(this.current) });
    let to: string | undefined;
    let via: string | undefined;
    for (const [slot] of slots.base.byType.get(old) ?? []) {
      const now = slots.cur.type.get(slot);
      if (now === undefined) continue; // the RPC is gone or renamed: it links nothing
      if (to !== undefined && now !== to) return undefined;
      to = now;
      via ??= slot;
    }
    const m = to === undefined ? undefined : this.cur.messages.get(to);
    if (!m || !via || m.fields.length || this.base.messages.has(m.fqn) || this.base.enums.has(m.fqn) || parentOf(m.fqn) !== scope || taken.has(m.fqn)) return undefined;
    for (const [slot] of slots.cur.byType.get(m.fqn) ?? []) {
      const was = slots.base.type.get(slot);
      if (was !== undefined && was !== old) return undefined;
    }
    const [rpc, side] = via.split(' ') as [string, 'request' | 'response'];
    return { to: m.fqn, rpc: rpc.slice(rpc.lastIndexOf('.') + 1), side };
  }

  /** A baseline field's or RPC's type with renamed messages/enums replaced by their new names: a rename alone is reported once, as MESSAGE_RENAMED. */
  private renamedType(type: string): string {
    if (!this.renamed.size) return type;
    const m = /^map<([^,]+),(.+)>$/.exec(type);
    if (m) return `map<${m[1]},${this.renamed.get(m[2]!) ?? m[2]}>`;
    return this.renamed.get(type) ?? type;
  }

  private renamedField(f: FieldDef): FieldDef {
    const type = this.renamedType(f.type);
    return type === f.type ? f : { ...f, type };
  }

  /** `encodingSignature`, once per message: many fields can change between the same two large message types. */
  private readonly encodings = new Map<MessageDef, string>();
  private encodingOf(m: MessageDef): string {
    let sig = this.encodings.get(m);
    if (sig === undefined) this.encodings.set(m, (sig = encodingSignature(m)));
    return sig;
  }

  /**
   * What a current message or enum reserves, looked up instead of scanned: a file can delete many fields of a
   * message that reserves many numbers. Built once per definition, on first use.
   */
  private readonly reservedCache = new Map<MessageDef | EnumDef, { number: (n: number) => boolean; name: (s: string) => boolean }>();
  private reservedIn(def: MessageDef | EnumDef): { number: (n: number) => boolean; name: (s: string) => boolean } {
    let r = this.reservedCache.get(def);
    if (!r) {
      const numbers = reservedNumberLookup(def.reservedNumbers);
      let names: Set<string> | undefined;
      r = { number: numbers, name: (s) => (names ??= new Set(def.reservedNames)).has(s) };
      this.reservedCache.set(def, r);
    }
    return r;
  }

  private defRange(fqn: string): Range {
    return this.cur.messages.get(fqn)?.node?.nameRange ?? this.cur.enums.get(fqn)?.node?.nameRange ?? ORIGIN;
  }

  // ---- fields --------------------------------------------------------------------------------------

  private message(old: MessageDef, cur: MessageDef): void {
    const where = cur.node?.nameRange ?? ORIGIN;
    // Most messages keep every field, in order: then each field is compared with its counterpart directly.
    if (sameNumbersAndNames(old.fields, cur.fields)) {
      for (let i = 0; i < old.fields.length; i++) this.field(old, old.fields[i]!, cur.fields[i]!, cur);
      this.reservations(old, cur, where, 'message');
      return;
    }
    // Lists, not single fields: two fields of one number (or name) are a binding error the binder reports on the
    // later one, and keeping only one of them compared a released field that is still there with the other.
    const curByNumber = groupBy(cur.fields, (f) => f.number);
    const curByName = groupBy(cur.fields, (f) => f.name);
    const oldNumbers = new Set(old.fields.map((f) => f.number));
    // A release's names are unique (protoc checked them): each with its number.
    const oldNumberOf = new Map(old.fields.map((f) => [f.name, f.number]));
    const heldBy = releasedFieldHolding(old, cur);

    for (const of of old.fields) {
      const path = `${old.fqn}.${of.name}`;
      const atNumber = curByNumber.get(of.number) ?? [];
      const same = atNumber.find((f) => f.name === of.name);
      const byName = same ?? curByName.get(of.name)?.[0];
      if (same) {
        this.field(old, of, same, cur);
      } else if (byName) {
        // Same name, another number: the number moved.
        const r = byName.node?.numberRange ?? where;
        // Two released fields that swapped numbers: restoring one number alone collides with the other field.
        const swapped = atNumber.find((x) => oldNumberOf.get(x.name) === byName.number);
        this.add('FIELD_NUMBER_CHANGED', r, path, `field "${old.name}.${of.name}" changed its number from ${of.number} to ${byName.number} (baseline ${this.tag})`,
          [swapped
            ? { kind: 'renumber', to: of.number, swap: swapped.name, label: `Swap the numbers back: "${of.name}" = ${of.number}, "${swapped.name}" = ${byName.number}` }
            : { kind: 'renumber', to: of.number, label: `Restore the original number ${of.number}` }]);
        // It is still the same field: a type (or label, oneof…) change is a break of its own, and restoring the
        // number alone would leave it.
        this.field(old, of, byName, cur);
      } else if (!atNumber.length) {
        this.deletedField(old, of, cur, where);
        continue;
      }
      // The released field still holds its number: any other field on it is a duplicate (the binder's error), not a
      // reuse, as an enum's new name beside a released one is not.
      if (same) {
        for (const byNum of atNumber) {
          const held = heldBy(byNum);
          if (held) this.duplicates.push({ element: `${cur.fqn}.${byNum.name}`, range: byNum.node?.numberRange ?? where, releasedRange: held.node?.numberRange ?? where });
        }
        continue;
      }
      // Any other field on the number: the released field renamed (once, when it is gone), or a reuse.
      let continued = byName !== undefined;
      for (const byNum of atNumber) {
        const r = byNum.node?.nameRange ?? where;
        if (!continued && this.typeChange(of, byNum) === 'same' && of.label === byNum.label && !oldNumberOf.has(byNum.name)) {
          continued = true;
          this.add('FIELD_RENAMED', r, `${cur.fqn}.${byNum.name}`,
            `field ${of.number} "${of.name}" was renamed to "${byNum.name}" (baseline ${this.tag}); ${renameEffects(of, byNum)}`,
            [{ kind: 'rename', to: of.name }]);
          continue;
        }
        this.add('FIELD_NUMBER_REUSED', byNum.node?.numberRange ?? where, `${cur.fqn}.${byNum.name}`,
          `field number ${of.number} belonged to "${of.name}" (${of.type}) in ${this.tag}; "${byNum.name}" (${byNum.type}) now uses it`,
          [], [{ message: `${this.tag}: ${of.label === 'repeated' ? 'repeated ' : ''}${of.type} ${of.name} = ${of.number}` }]);
        // A name the baseline's message lacks: new to every peer, it needs documentation like any new field.
        if (!oldNumberOf.has(byNum.name)) this.newOnReleasedNumbers.push({ kind: 'field', element: `${cur.fqn}.${byNum.name}`, range: byNum.node?.nameRange ?? ORIGIN, onReleasedNumber: true });
      }
    }
    for (const f of cur.fields) {
      if (!oldNumbers.has(f.number) && !oldNumberOf.has(f.name)) this.addition('field', `${cur.fqn}.${f.name}`, f.node?.nameRange);
    }
    this.reservations(old, cur, where, 'message');
  }

  private deletedField(old: MessageDef, of: FieldDef, cur: MessageDef, where: Range): void {
    const path = `${old.fqn}.${of.name}`;
    const numberReserved = this.reservedIn(cur).number(of.number);
    const nameReserved = this.reservedIn(cur).name(of.name);
    const declaration = declarationOf(of, this.baseline.syntax, this.current, cur.features);
    const restore: FixData[] = declaration === undefined ? [] : [{
      kind: 'restore', container: cur.fqn, isEnum: false, declaration, number: of.number, name: of.name,
      ...restoredDoc(of), ...(of.oneof ? { oneof: of.oneof } : {}), ...this.fieldNeighbours(old, of, cur),
    }];
    const reserve: FixData = { kind: 'reserve', message: cur.fqn, isEnum: false, numbers: [[of.number, of.number]], names: [of.name] };
    if (!numberReserved) {
      this.add('FIELD_NO_DELETE', where, path, `field "${old.name}.${of.name}" = ${of.number} of ${this.tag} was deleted without reserving its number`,
        [reserve, ...restore]);
    } else if (!nameReserved) {
      this.add('FIELD_NO_DELETE_UNLESS_NAME_RESERVED', where, path,
        `field "${old.name}.${of.name}" = ${of.number} of ${this.tag} was deleted; its number is reserved but its name is not`, [reserve]);
    }
    if (!of.deprecated) {
      this.add('FIELD_REMOVED_WITHOUT_DEPRECATION', where, path,
        `field "${old.name}.${of.name}" of ${this.tag} was removed without first being deprecated`, restore);
    }
  }

  private field(old: MessageDef, of: FieldDef, nf: FieldDef, cur: MessageDef): void {
    // A type that does not resolve (a typo mid-edit, a reference to a type renamed without it) is not compared:
    // what it will be is not known, and the binder's unresolved-type error says what is wrong. A map's value type
    // neither: by its last name it counted as changed where a plain field of that type was skipped.
    const value = nf.typeKind === 'map' ? mapParts(nf.type)?.value : undefined;
    const unresolved = nf.typeKind === 'unresolved' || (value !== undefined && kindOf(value, this.cur) === 'unresolved');
    const change = unresolved ? undefined : this.typeChange(of, nf);
    // Ranges are read only for a finding: fields build them on request (proto/nodes.ts).
    // A scalar is written the same in any scope; a map's finding is on its value type only, so neither side is one.
    // A group's type is its name and body: writing a scalar over the name makes no field. A string written back
    // where the file checks UTF-8 otherwise than the release did (proto2, or NONE in an editions file) would trade
    // the type change for FIELD_UTF8_VALIDATION_CHANGED, as a restore would (declarationOf). Options that only
    // fit the new type stay behind the fix: a `default` (its value may not be one of the released type's),
    // utf8_validation off a string and packing on a string or bytes are what protoc and buf refuse.
    const retype: FixData[] | undefined = (change === 'incompatible' || change === 'compatible') && of.typeKind === 'scalar' && nf.typeKind !== 'map' && !nf.node?.group
      && (of.type !== 'string' || utf8Verified(of, this.baseline.syntax) === this.verifiesStrings(cur))
      && !nf.node?.options.some((o) => o.name === 'default') && (of.type === 'string' || !setsFeature(nf.node?.options ?? [], 'utf8_validation'))
      && (isPackable(of.typeKind, of.type) || !packsItself(nf.node?.options ?? []))
      ? [{ kind: 'retype', to: of.type, ...this.encodingAfterRetype(of, nf, cur) }] : undefined;
    if (change === 'incompatible') {
      const [was, now] = this.typeNames(of, nf);
      this.add('FIELD_TYPE_INCOMPATIBLE', typeRangeOf(nf), fieldPath(old, of), `field "${old.name}.${of.name}" changed type from ${was} to ${now}, which is not wire-compatible (baseline ${this.tag})`, retype);
    } else if (change === 'compatible') {
      const [was, now] = this.typeNames(of, nf);
      this.add('FIELD_TYPE_CHANGED', typeRangeOf(nf), fieldPath(old, of), `field "${old.name}.${of.name}" changed type from ${was} to ${now} (baseline ${this.tag}); ${this.compatibleEffect(of, nf)}`, retype);
    }
    if (cardinality(of.label) !== cardinality(nf.label) && of.typeKind !== 'map' && nf.typeKind !== 'map') {
      this.add('FIELD_LABEL_CHANGED', labelRangeOf(nf), fieldPath(old, of), `field "${old.name}.${of.name}" changed from ${cardinality(of.label)} to ${cardinality(nf.label)} (baseline ${this.tag})`);
    } else if (of.label !== nf.label && !of.oneof && !nf.oneof && cardinality(of.label) === 'singular' && of.typeKind !== 'message' && nf.typeKind !== 'message'
      && of.typeKind !== 'map' && nf.typeKind !== 'map') {
      // Message fields always have explicit presence (and a pointer in Go): `optional` changes nothing for them. A
      // field that became a map (or was one) changed type, which FIELD_TYPE_INCOMPATIBLE says; presence is not at issue.
      this.add('FIELD_PRESENCE_CHANGED', labelRangeOf(nf), fieldPath(old, of),
        `field "${old.name}.${of.name}" changed from ${of.label === 'optional' ? 'explicit (optional)' : 'implicit'} to ${nf.label === 'optional' ? 'explicit (optional)' : 'implicit'} presence (baseline ${this.tag})`,
        [{ kind: 'presence', optional: of.label === 'optional' }]);
    }
    if ((of.oneof ?? '') !== (nf.oneof ?? '')) this.oneofChange(old, of, nf, cur);
    if (of.jsonName !== nf.jsonName && !nf.node?.options.some((o) => o.unsettled && o.name === 'json_name')) {
      this.add('FIELD_JSON_NAME_CHANGED', nf.node?.nameRange ?? ORIGIN, fieldPath(old, of), `field "${old.name}.${of.name}" changed its JSON name from "${of.jsonName}" to "${nf.jsonName}" (baseline ${this.tag})`);
    }
    if (of.label === 'repeated' && nf.label === 'repeated' && isPackable(of.typeKind, of.type) && change === 'same' && packed(of, this.baseline.syntax) !== packed(nf, this.current.syntax)) {
      this.add('FIELD_PACKED_CHANGED', nf.node?.nameRange ?? ORIGIN, fieldPath(old, of), `field "${old.name}.${of.name}" changed its packed encoding (baseline ${this.tag})`);
    }
    // A type change between string and bytes is FIELD_TYPE_CHANGED, which says who checks UTF-8 there.
    if (change === 'same' && holdsStrings(nf)) {
      const was = utf8Verified(of, this.baseline.syntax);
      if (was !== utf8Verified(nf, this.current.syntax)) {
        const [verifier, sender] = was ? [`a peer built from ${this.tag}`, 'one built from this file'] : ['a peer built from this file', `one built from ${this.tag}`];
        this.add('FIELD_UTF8_VALIDATION_CHANGED', nf.node?.nameRange ?? ORIGIN, fieldPath(old, of),
          `field "${old.name}.${of.name}" changed its UTF-8 validation from ${was ? 'VERIFY to NONE' : 'NONE to VERIFY'} (baseline ${this.tag}): ${verifier} rejects a message in which ${of.name} holds bytes that are not valid UTF-8, which ${sender} may send`,
          this.current.syntax === 'editions' ? [{ kind: 'feature', feature: 'utf8_validation', value: was ? 'VERIFY' : 'NONE' }] : undefined);
      }
    }
  }

  /**
   * The released encoding of a repeated field whose released scalar type the retype fix writes back, where the
   * field would not have it with the type alone (a proto2 file packs only where asked, proto3 and editions pack by
   * default): without it, the fix would trade the type change for FIELD_PACKED_CHANGED.
   */
  private encodingAfterRetype(of: FieldDef, nf: FieldDef, cur: MessageDef): { packed?: boolean } {
    if (of.label !== 'repeated' || nf.label !== 'repeated' || !isPackable(of.typeKind, of.type)) return {};
    const released = packed(of, this.baseline.syntax);
    // The field's own encoding is read whatever its type now is: in an editions file, the feature it resolves to.
    const after = this.current.syntax === 'editions'
      ? resolveFeatures(cur.features ?? EDITION_DEFAULTS, nf.node?.options ?? []).repeatedFieldEncoding === 'PACKED'
      : packed(nf, this.current.syntax);
    return released === after ? {} : { packed: released };
  }

  /** Whether a string field declared without options in the current message `m` would have its UTF-8 checked. */
  private verifiesStrings(m: MessageDef): boolean {
    return this.current.syntax === 'editions' ? (m.features ?? EDITION_DEFAULTS).utf8Validation === 'VERIFY' : utf8Verified({}, this.current.syntax);
  }

  /** Per message (of the baseline or the current model), releasedMembers' answer, computed once. */
  private readonly oneofMembers = new Map<MessageDef, Map<string, string>>();

  /**
   * The numbers of each oneof's members (by oneof name, '' for none) that the baseline message `old` has, as a
   * comparable string: computed once per message, as many fields of one message can change their oneof.
   */
  private releasedMembers(old: MessageDef, m: MessageDef): Map<string, string> {
    let out = this.oneofMembers.get(m);
    if (!out) {
      const released = new Set(old.fields.map((f) => f.number));
      const lists = new Map<string, number[]>();
      for (const f of m.fields) {
        if (!released.has(f.number)) continue;
        const list = lists.get(f.oneof ?? '');
        if (list) list.push(f.number);
        else lists.set(f.oneof ?? '', [f.number]);
      }
      this.oneofMembers.set(m, (out = new Map([...lists].map(([o, ns]) => [o, ns.sort((a, b) => a - b).join()]))));
    }
    return out;
  }

  /** Oneofs reported as renamed, once each (message fqn + new name). */
  private readonly renamedOneofs = new Set<string>();

  /** Per message, its oneof names, built once: many fields of one message can change their oneof. */
  private readonly oneofNames = new Map<MessageDef, Set<string>>();
  private hasOneof(m: MessageDef, name: string): boolean {
    let names = this.oneofNames.get(m);
    if (!names) this.oneofNames.set(m, (names = new Set(m.oneofs)));
    return names.has(name);
  }

  /** Per current message, the first oneof declaration of each name, built once (many oneofs can be renamed). */
  private readonly oneofNodes = new Map<MessageDef, Map<string, OneofNode>>();
  private oneofNode(m: MessageDef, name: string): OneofNode | undefined {
    let nodes = this.oneofNodes.get(m);
    if (!nodes) {
      this.oneofNodes.set(m, (nodes = new Map()));
      for (const o of m.node?.oneofs ?? []) if (!nodes.has(o.name)) nodes.set(o.name, o);
    }
    return nodes.get(name);
  }

  /**
   * The names declared next to a type in its baseline scope, for moving it back where it was: the one before it and
   * the one after it. A baseline read from a file has every declaration's position (types, fields, oneofs,
   * services); a model of the bundled index keeps only the order of the messages and of the enums, so there they
   * are the nearest messages (enums) of the scope.
   */
  private baselineNeighbours(old: MessageDef | EnumDef, kind: 'message' | 'enum'): Neighbours {
    return neighboursIn(this.scopeOrder(parentOf(old.fqn), old.node ? undefined : kind), old.name);
  }

  /**
   * The members declared next to a released field in its baseline message (in its oneof, for a member of one) that
   * the current message `cur` still declares, the nearest on each side, for restoring the field where it was:
   * released fields need not be in number order. From a file: fields, oneofs and nested types; a model of the
   * bundled index keeps the order of a message's fields, not where its nested types stand among them, so there
   * they are fields and oneofs.
   */
  private fieldNeighbours(old: MessageDef, of: FieldDef, cur: MessageDef): Neighbours {
    return this.neighboursHere(`${old.fqn}|${of.oneof ?? ''}`, of.name, () => ({
      order: of.oneof === undefined && old.node ? this.scopeOrder(old.fqn) : declarationOrder(fieldOrder(old, of.oneof)),
      here: new Set([...cur.fields.map((f) => f.name), ...cur.oneofs, ...(cur.node ? [...cur.node.messages, ...cur.node.enums].map((d) => d.name) : [])]),
    }));
  }

  /**
   * The fix data that declares a deleted message or enum again as released, in `scope` (its parent, under the name the
   * parent has now), between the declarations the baseline had around it. None where the scope is gone too (a type
   * nested in a deleted one comes back with it), nor into a file of another syntax than the release's, or an editions
   * file: its fields, presence and enums would need saying otherwise (declarationOf says what a field needs).
   */
  private restoredType(old: MessageDef | EnumDef, scope: string): FixData[] | undefined {
    if (this.current.syntax === 'editions' || this.current.syntax !== this.baseline.syntax) return undefined;
    if (scope !== this.current.package && !this.cur.messages.has(scope)) return undefined;
    // Its types under the name the parent has now: the restored type's (renamed types' by their new names).
    const root = scope ? `${scope}.${old.name}` : old.name;
    const types: string[] = [];
    const lines = this.releasedLines(old, 0, (fqn) => (fqn === old.fqn || fqn.startsWith(`${old.fqn}.`) ? root + fqn.slice(old.fqn.length) : this.renamed.get(fqn) ?? fqn), types);
    if (!lines) return undefined;
    const isEnum = 'values' in old;
    // Without positions (a model of the bundled index), the baseline's order is of one kind only (scopeOrder).
    const kind = old.node ? undefined : isEnum ? 'enum' : 'message';
    return [{
      kind: 'restoreType', scope, name: old.name, isEnum, tag: this.tag, lines, types,
      ...this.neighboursHere(`type ${kind ?? '*'}|${scope}`, old.name, () => ({ order: this.scopeOrder(parentOf(old.fqn), kind), here: this.namesIn(scope) })),
    }];
  }

  /**
   * The names declared directly in a scope of the file (as fixes/containers.ts declarationsIn lists them). The
   * types by scope are indexed once: a file can delete types nested in many messages.
   */
  private curTypeNames?: Map<string, string[]>;
  private namesIn(scope: string): Set<string> {
    if (!this.curTypeNames) {
      this.curTypeNames = new Map();
      for (const d of [...this.current.messages, ...this.current.enums]) {
        const list = this.curTypeNames.get(parentOf(d.fqn));
        if (list) list.push(d.name);
        else this.curTypeNames.set(parentOf(d.fqn), [d.name]);
      }
    }
    const m = this.cur.messages.get(scope);
    return new Set<string>([
      ...(m ? [...m.fields.filter((f) => !f.oneof).map((f) => f.name), ...m.oneofs] : this.current.services.map((s) => s.name)),
      ...(this.curTypeNames.get(scope) ?? []),
    ]);
  }

  /**
   * A released message or enum as the restore writes it back, a line each (`depth` units in): documentation,
   * options, reserved ranges, then its members, in the release's order where the baseline has positions, else
   * nested types before fields (as cri-api declares them). Undefined where a field cannot be written as released
   * in this file (declarationOf), or is a group. `restored`: a type's full name as restored; `types` gets those
   * of it and the types in it.
   */
  private releasedLines(def: MessageDef | EnumDef, depth: number, restored: (fqn: string) => string, types: string[]): RestoredLine[] | undefined {
    const inner = depth + 1;
    const fqn = restored(def.fqn);
    types.push(fqn);
    const docOf = (d: { doc?: string; docFingerprint?: DocFingerprint }, at: number): RestoredLine[] => {
      const doc = restoredDoc(d).doc;
      return doc ? [{ depth: at, text: doc, doc: true }] : [];
    };
    const isEnum = 'values' in def;
    const options = restorableOptions(def);
    // A model of the bundled index keeps no options: an enum with aliases needs allow_alias back to compile.
    if (isEnum && new Set(def.values.map((v) => v.number)).size < def.values.length && !options.some((o) => /^allow_alias\b/.test(o))) options.unshift('allow_alias = true');
    if (def.deprecated) options.push('deprecated = true');
    const out: RestoredLine[] = [...docOf(def, depth), { depth, text: `${isEnum ? 'enum' : 'message'} ${def.name} {` }];
    for (const o of options) out.push({ depth: inner, text: `option ${o};` });
    if (def.reservedNumbers.length) out.push({ depth: inner, text: `reserved ${def.reservedNumbers.map((r) => spanText(r, isEnum)).join(', ')};` });
    if (def.reservedNames.length) out.push({ depth: inner, text: `reserved ${def.reservedNames.map((n) => JSON.stringify(n)).join(', ')};` });
    if (isEnum) {
      for (const v of def.values) out.push(...docOf(v, inner), { depth: inner, text: valueDeclaration(v) });
    } else {
      const members: { at?: Position; lines: RestoredLine[] }[] = [];
      const children = this.baseChildrenOf(def.fqn);
      for (const child of [...children.messages, ...children.enums]) {
        const lines = this.releasedLines(child, inner, restored, types);
        if (!lines) return undefined;
        members.push({ at: child.node?.range.start, lines });
      }
      const oneofs = new Map<string, RestoredLine[]>();
      for (const f of def.fields) {
        const value = mapParts(f.type);
        const type = value ? `map<${value.key},${restored(value.value)}>` : restored(f.type);
        // A type the release's file did not resolve (an import the baseline lacked) cannot be written for this one.
        const decl = f.node?.group || f.typeKind === 'unresolved' ? undefined : declarationOf({ ...f, type }, this.baseline.syntax, this.current);
        if (decl === undefined) return undefined;
        let into: RestoredLine[];
        let at = inner;
        if (f.oneof === undefined) members.push({ at: f.node?.range.start, lines: (into = []) });
        else {
          at = inner + 1;
          into = oneofs.get(f.oneof)!;
          if (!into) {
            // A oneof's comment is in the file only (the model and the index keep none).
            const node = this.oneofNode(def, f.oneof);
            oneofs.set(f.oneof, (into = [...docOf({ doc: node?.comments.leading?.text }, inner), { depth: inner, text: `oneof ${f.oneof} {` }]));
            members.push({ at: node?.range.start, lines: into });
          }
        }
        into.push(...docOf(f, at), { depth: at, text: decl, typed: fqn });
      }
      for (const lines of oneofs.values()) lines.push({ depth: inner, text: '}' });
      if (members.every((m) => m.at)) members.sort((a, b) => comparePositions(a.at!, b.at!));
      for (const m of members) out.push(...m.lines);
    }
    out.push({ depth, text: '}' });
    return out;
  }

  /** The fix data that puts a released RPC back into its service, between the RPCs the baseline had around it. */
  private restoredRpc(old: ServiceDef, or: RpcDef, cur: ServiceDef): FixData {
    const side = (stream: boolean, type: string): string => `${stream ? 'stream ' : ''}${this.renamedType(type)}`;
    return {
      kind: 'restoreRpc', service: cur.fqn, name: or.name,
      declaration: `rpc ${or.name}(${side(or.requestStream, or.request)}) returns (${side(or.responseStream, or.response)})`,
      options: [...restorableOptions(or), ...(or.deprecated ? ['deprecated = true'] : [])], ...restoredDoc(or),
      ...this.neighboursHere(`service ${old.fqn}`, or.name, () => ({
        order: declarationOrder(old.rpcs.map((r) => r.name)),
        here: new Set(cur.rpcs.map((r) => r.name)),
      })),
    };
  }

  /** The same for a released enum value: the values declared next to it that the current enum still declares. */
  private enumValueNeighbours(old: EnumDef, ov: EnumValueDef, cur: EnumDef): Neighbours {
    return this.neighboursHere(`enum ${old.fqn}`, ov.name, () => ({
      order: declarationOrder(old.values.map((v) => v.name)),
      here: new Set(cur.values.map((v) => v.name)),
    }));
  }

  /**
   * The names declared next to `name` in a baseline body (`order`) that the current one still declares (`here`),
   * the nearest on each side. Built once per body (`key`): a file can delete many members of one.
   */
  private readonly memberOrders = new Map<string, { order: DeclarationOrder; prev: number[]; next: number[] }>();
  private neighboursHere(key: string, name: string, body: () => { order: DeclarationOrder; here: ReadonlySet<string> }): Neighbours {
    let o = this.memberOrders.get(key);
    if (!o) {
      const { order, here } = body();
      const names = order.names;
      const prev = new Array<number>(names.length);
      const next = new Array<number>(names.length);
      for (let j = 0, k = -1; j < names.length; j++) { prev[j] = k; if (here.has(names[j]!)) k = j; }
      for (let j = names.length - 1, k = -1; j >= 0; j--) { next[j] = k; if (here.has(names[j]!)) k = j; }
      this.memberOrders.set(key, (o = { order, prev, next }));
    }
    const k = o.order.at.get(name);
    if (k === undefined) return {};
    const out: Neighbours = {};
    if (o.prev[k]! >= 0) out.after = o.order.names[o.prev[k]!]!;
    if (o.next[k]! >= 0) out.before = o.order.names[o.next[k]!]!;
    return out;
  }

  /** Per baseline scope, its names in declaration order (of one kind without positions); built on first use. */
  private readonly scopeOrders = new Map<string, DeclarationOrder>();
  private baseChildren?: Map<string, { messages: MessageDef[]; enums: EnumDef[] }>;

  /** The baseline's messages and enums declared directly in a scope (the package or a message), indexed on first use. */
  private baseChildrenOf(scope: string): { messages: MessageDef[]; enums: EnumDef[] } {
    if (!this.baseChildren) {
      this.baseChildren = new Map();
      const of = (p: string): { messages: MessageDef[]; enums: EnumDef[] } => {
        let c = this.baseChildren!.get(p);
        if (!c) this.baseChildren!.set(p, (c = { messages: [], enums: [] }));
        return c;
      };
      for (const m of this.baseline.messages) of(parentOf(m.fqn)).messages.push(m);
      for (const e of this.baseline.enums) of(parentOf(e.fqn)).enums.push(e);
    }
    return this.baseChildren.get(scope) ?? { messages: [], enums: [] };
  }

  private scopeOrder(scope: string, kind?: 'message' | 'enum'): DeclarationOrder {
    const key = `${kind ?? '*'}|${scope}`;
    let order = this.scopeOrders.get(key);
    if (order) return order;
    const children = this.baseChildrenOf(scope);
    let names: string[];
    if (kind) {
      names = (kind === 'message' ? children.messages : children.enums).map((d) => d.name);
    } else {
      const parent = this.base.messages.get(scope)?.node;
      const nodes: { name: string; range: Range }[] = parent
        ? declaredInMessage(parent)
        : [...children.messages, ...children.enums, ...(scope === this.baseline.package ? this.baseline.services : [])].flatMap((d) => (d.node ? [d.node] : []));
      names = nodes.sort((a, b) => comparePositions(a.range.start, b.range.start)).map((n) => n.name);
    }
    this.scopeOrders.set(key, (order = declarationOrder(names)));
    return order;
  }

  /**
   * A field's oneof changed. On the wire and in JSON a oneof member is an ordinary field and oneof names appear
   * nowhere, so two moves change only the Go code (a oneof is one struct field holding a wrapper per member):
   * a single released field into a new oneof (binary compatible, protobuf.dev "Updating A Message Type"), and a
   * oneof renamed with the same released members. Any other move can clear values a peer did not expect to be
   * exclusive.
   */
  private oneofChange(old: MessageDef, of: FieldDef, nf: FieldDef, cur: MessageDef): void {
    const members = (o: string | undefined, m: MessageDef): string => this.releasedMembers(old, m).get(o ?? '') ?? '';
    const newOneof = nf.oneof !== undefined && !this.hasOneof(old, nf.oneof);
    if (newOneof && of.oneof === undefined && members(nf.oneof, cur) === String(nf.number)) {
      this.add('FIELD_ONEOF_GO_CHANGED', nf.node?.nameRange ?? ORIGIN, fieldPath(old, of),
        `field "${old.name}.${of.name}" moved into the new oneof "${nf.oneof}" (baseline ${this.tag}): the bytes and JSON are unchanged, but Go code that uses the field ${goCamelCase(of.name)} directly must go through the oneof ${goCamelCase(nf.oneof!)} and the wrapper ${goCamelCase(localName(cur.fqn, this.current.package))}_${goCamelCase(nf.name)}`, [{ kind: 'leaveOneof' }]);
      return;
    }
    if (newOneof && of.oneof !== undefined && !this.hasOneof(cur, of.oneof)
      && members(nf.oneof, cur) === members(of.oneof, old)) {
      const key = `${cur.fqn}.${nf.oneof}`;
      if (this.renamedOneofs.has(key)) return;
      this.renamedOneofs.add(key);
      const node = this.oneofNode(cur, nf.oneof!);
      const m = localName(cur.fqn, this.current.package);
      this.add('FIELD_ONEOF_GO_CHANGED', node?.nameRange ?? nf.node?.nameRange ?? ORIGIN, key,
        `oneof "${of.oneof}" of "${old.name}" was renamed to "${nf.oneof}" (baseline ${this.tag}): the bytes and JSON are unchanged, but the Go field ${goCamelCase(of.oneof)} and interface is${goCamelCase(m)}_${goCamelCase(of.oneof)} are now ${goCamelCase(nf.oneof!)} and is${goCamelCase(m)}_${goCamelCase(nf.oneof!)}`,
        [{ kind: 'rename', to: of.oneof }]);
      return;
    }
    const desc = (o?: string): string => (o ? `oneof "${o}"` : 'no oneof');
    // Into a oneof, it can go back out; out of one the message still has, or from it into another, back in.
    const back: FixData[] | undefined = of.oneof === undefined ? [{ kind: 'leaveOneof' }]
      : this.hasOneof(cur, of.oneof) ? [{ kind: 'enterOneof', oneof: of.oneof }] : undefined;
    this.add('FIELD_ONEOF_CHANGED', nf.node?.nameRange ?? ORIGIN, fieldPath(old, of), `field "${old.name}.${of.name}" moved from ${desc(of.oneof)} to ${desc(nf.oneof)} (baseline ${this.tag})`, back);
  }

  /**
   * `compareFieldTypes`, plus what only the two models can tell: an embedded message is encoded like bytes; a message
   * moved to another scope with the same fields encodes the same; a map is a repeated entry message { key = 1; value = 2; }.
   */
  private typeChange(of: FieldDef, nf: FieldDef): TypeChange {
    // Two maps change as their keys and their values do, a value as a field of its type would: an enum and a
    // message of one name are not one type, an enum and int32 are both varints, a message and bytes both
    // length-delimited.
    const maps = this.mapValues(of, nf);
    if (maps) {
      const key = compareFieldTypes({ type: maps.keys[0], typeKind: 'scalar' }, { type: maps.keys[1], typeKind: 'scalar' });
      return combineMapParts(key, this.typeChange(...maps.values));
    }
    const change = compareFieldTypes(this.renamedField(of), nf);
    if (change !== 'incompatible') return change;
    if ((of.typeKind === 'message' && nf.type === 'bytes') || (of.type === 'bytes' && nf.typeKind === 'message')) return 'compatible';
    if (of.typeKind === 'message' && nf.typeKind === 'message') {
      const a = this.base.messages.get(of.type);
      const b = this.cur.messages.get(nf.type);
      if (a && b && a.fields.length === b.fields.length && (this.encodingOf(a) === this.encodingOf(b) || fieldTypeChanges(a, b))) return 'compatible';
    }
    const mapVsEntries = (map: FieldDef, list: FieldDef, entry: MessageDef | undefined): boolean => {
      const m = /^map<([^,]+),(.+)>$/.exec(map.type);
      if (!m || list.label !== 'repeated' || !entry || entry.fields.length !== 2) return false;
      const k = entry.fields.find((f) => f.number === 1);
      const v = entry.fields.find((f) => f.number === 2);
      // Same types, or scalars of one wire group (string and bytes are both length-delimited).
      const like = (f: FieldDef, t: string): boolean => f.type === t || (f.typeKind === 'scalar' && compareFieldTypes(f, { type: t, typeKind: 'scalar' }) === 'compatible');
      return !!k && !!v && k.label !== 'repeated' && v.label !== 'repeated' && like(k, m[1]!) && like(v, m[2]!);
    };
    if (of.typeKind === 'map' && nf.typeKind === 'message' && mapVsEntries(of, nf, this.cur.messages.get(nf.type))) return 'compatible';
    if (nf.typeKind === 'map' && of.typeKind === 'message' && mapVsEntries(nf, of, this.base.messages.get(of.type))) return 'compatible';
    return change;
  }

  /**
   * For two map fields, their key types and each as a field of its value type (entry field 2), the value's kind
   * looked up on its side (the baseline's, the file's); undefined unless both are maps.
   */
  private mapValues(of: FieldDef, nf: FieldDef): { keys: [string, string]; values: [FieldDef, FieldDef] } | undefined {
    const a = of.typeKind === 'map' ? mapParts(of.type) : undefined;
    const b = nf.typeKind === 'map' ? mapParts(nf.type) : undefined;
    if (!a || !b) return undefined;
    const asValue = (f: FieldDef, value: string, types: ModelIndex): FieldDef => ({ ...f, type: value, typeKind: kindOf(value, types) });
    return { keys: [a.key, b.key], values: [asValue(of, a.value, this.base), asValue(nf, b.value, this.cur)] };
  }

  /** The two types as a type-change message names them: with their kinds where the name stayed and the kind did not (a map's value's too). */
  private typeNames(of: FieldDef, nf: FieldDef): [string, string] {
    const maps = this.mapValues(of, nf);
    if (!maps) return typeNames(of, nf);
    const [was, now] = typeNames(...maps.values);
    return [`map<${maps.keys[0]},${was}>`, `map<${maps.keys[1]},${now}>`];
  }

  /** What a change `typeChange` finds compatible does, for the FIELD_TYPE_CHANGED message: parsed only where it is. */
  private compatibleEffect(of: FieldDef, nf: FieldDef): string {
    // Per side that rejects bytes that are not UTF-8, the fields (of the pairs, baseline → current) it checks, and
    // why those sides check (their syntaxes); undefined when neither side checks.
    const rejects = (pairs: [FieldDef, FieldDef][]): string | undefined => {
      const checked = pairs.flatMap(([x, y]) => {
        const reader = this.utf8Reader(x, y);
        return reader ? [{ ...reader, name: y.name }] : [];
      });
      if (!checked.length) return undefined;
      const why = utf8CheckReason(new Set(checked.map((c) => c.syntax)));
      return `${[...groupBy(checked, (c) => c.reader)].map(([reader, cs]) => utf8Rejection(reader, cs.map((c) => c.name))).join(', and ')} (${why})`;
    };
    const own = rejects([[of, nf]]);
    if (own) return `the encoding is the same, but ${own}, and JSON and Go types change`;
    // Maps of messages change as their values do.
    const [x, y] = this.mapValues(of, nf)?.values ?? [of, nf];
    const a = x.typeKind === 'message' ? this.base.messages.get(x.type) : undefined;
    const b = y.typeKind === 'message' ? this.cur.messages.get(y.type) : undefined;
    const changes = a && b ? fieldTypeChanges(a, b) : undefined;
    if (!a || !b || !changes) return 'wire-compatible, but values, JSON and Go types change';
    // JSON parsers take the proto name as a key besides the JSON name: either differing changes documents.
    const was = new Map(a.fields.map((f) => [f.number, f]));
    const json = b.fields.some((f) => was.get(f.number)?.name !== f.name || was.get(f.number)?.jsonName !== f.jsonName);
    const rest = json ? 'JSON and the Go type change' : 'the Go type changes';
    if (!changes.length) return `both messages have the same field numbers and types, so the bytes parse as they are, but ${rest}`;
    const list = changes.map(([x, y]) => `${y.name} = ${y.number}: ${x.type} → ${y.type}`).join(', ');
    // A field of them that changed between string and bytes parses only while its bytes are UTF-8, as one of the
    // field's own type does.
    const inner = rejects(changes);
    if (inner) return `both messages have the same field numbers and wire encodings, but ${inner}; values change as their fields' types do (${list}), and ${rest}`;
    return `both messages have the same field numbers and wire encodings, so the bytes parse, but values change as their fields' types do (${list}), and ${rest}`;
  }

  /**
   * Who rejects bytes that are not UTF-8 after a change of a field's type from `was` to `now`: for string ↔ bytes
   * (also as a map's values; its keys cannot be bytes), a peer of the side that reads a string, unless that side
   * does not check strings: proto2, or an editions file where `features.utf8_validation` resolves to NONE.
   */
  private utf8Reader(was: FieldDef, now: FieldDef): { reader: string; syntax: ApiModel['syntax'] } | undefined {
    const value = (t: string): string => /^map<[^,]+,(.+)>$/.exec(t)?.[1] ?? t;
    if (!utf8Checked(value(was.type), value(now.type))) return undefined;
    const [reads, field] = value(now.type) === 'string' ? [this.current, now] : [this.baseline, was];
    if (!utf8Verified(field, reads.syntax)) return undefined;
    return { reader: reads === this.current ? 'a peer built from this file' : `a peer built from ${this.tag}`, syntax: reads.syntax };
  }

  private reservations(old: MessageDef | EnumDef, cur: MessageDef | EnumDef, where: Range, what: string): void {
    // Ranges are compared as intervals: `reserved 10 to 2000` → `10 to 1500` frees 1501–2000, however large the range.
    const users: readonly { number: number; name: string; node?: { numberRange: Range } | undefined }[] = 'fields' in cur ? cur.fields : cur.values;
    const max = 'fields' in cur ? FIELD_MAX : ENUM_MAX;
    // The current ranges sorted once, and the users by number, both on first use: per baseline range they
    // made large messages that reserve many ranges quadratic.
    let gapsIn: ((range: readonly [number, number]) => [number, number][]) | undefined;
    let usersInGaps: ((gaps: readonly (readonly [number, number])[]) => typeof users[number] | undefined) | undefined;
    for (const range of old.reservedNumbers) {
      const gaps = (gapsIn ??= rangeSubtractor(cur.reservedNumbers))(range);
      if (!gaps.length) continue;
      const [x, y] = gaps[0]!;
      const more = gaps.length > 1 ? ` (and ${gaps.length - 1} more range${gaps.length > 2 ? 's' : ''})` : '';
      const desc = x === y ? `number ${x}` : `numbers ${x} to ${y >= max ? 'max' : y}`;
      // The user of the lowest number in a gap (the first declared of that number).
      const inGap = (usersInGaps ??= lowestInRanges(users))(gaps);
      if (!inGap) {
        this.add('RESERVED_REMOVED', where, cur.fqn, `${what} "${cur.name}" no longer reserves ${desc}${more} (reserved in ${this.tag})`,
          [{ kind: 'reserve', message: cur.fqn, isEnum: what === 'enum', numbers: gaps, names: [] }]);
      } else {
        // Worse than a dropped reservation: the number is in use again. No "reserve" fix, it would clash with the user.
        const uses = x === y && !more ? 'it' : String(inGap.number);
        this.add('RESERVED_REMOVED', inGap.node?.numberRange ?? where, cur.fqn,
          `${what} "${cur.name}" no longer reserves ${desc}${more} (reserved in ${this.tag}); "${inGap.name}" now uses ${uses}`);
      }
    }
    let userNames: Set<string> | undefined;
    // A name being typed (`reserved "old_na`) is not known yet, and so not which names are no longer reserved.
    const names = cur.node?.reserved.some((r) => r.unsettled) ? [] : old.reservedNames;
    for (const name of names) {
      if (!this.reservedIn(cur).name(name)) {
        // A name in use again is a field or value of that name: the binder says so, and reserving would clash.
        const inUse = (userNames ??= new Set(users.map((u) => u.name))).has(name);
        this.add('RESERVED_REMOVED', where, cur.fqn, `${what} "${cur.name}" no longer reserves the name "${name}" (reserved in ${this.tag})`,
          inUse ? [] : [{ kind: 'reserve', message: cur.fqn, isEnum: what === 'enum', numbers: [], names: [name] }]);
      }
    }
  }

  // ---- enums ---------------------------------------------------------------------------------------

  private enumDef(old: EnumDef, cur: EnumDef): void {
    const where = cur.node?.nameRange ?? ORIGIN;
    const wasClosed = isClosedEnum(old, this.baseline.syntax);
    if (wasClosed !== isClosedEnum(cur, this.current.syntax)) {
      const [closed, open] = wasClosed ? [this.tag, 'this file'] : ['this file', this.tag];
      this.add('ENUM_OPEN_CLOSED_CHANGED', where, cur.fqn,
        `enum "${cur.name}" changed from ${wasClosed ? 'closed to open' : 'open to closed'} (baseline ${this.tag}): a peer built from ${closed} sets a number it does not know aside as an unknown field, where one built from ${open} keeps it in the field`,
        this.current.syntax === 'editions' ? [{ kind: 'feature', feature: 'enum_type', value: wasClosed ? 'CLOSED' : 'OPEN' }] : undefined);
    }
    if (sameNumbersAndNames(old.values, cur.values)) {
      this.reservations(old, cur, where, 'enum');
      return;
    }
    // Of two values of one name (the binder's duplicate-name), the released one is the one of its number.
    const curByName = groupBy(cur.values, (v) => v.name);
    const curByNumber = new Map<number, typeof cur.values[number]>();
    for (const v of cur.values) if (!curByNumber.has(v.number)) curByNumber.set(v.number, v);
    const oldNames = new Set(old.values.map((v) => v.name));
    const oldNumbers = new Set(old.values.map((v) => v.number));
    // For dropped aliases, built on first use: each baseline name's first position.
    let oldFirstIndex: Map<string, number> | undefined;
    const firstIndexOf = (name: string): number => {
      if (!oldFirstIndex) {
        oldFirstIndex = new Map();
        old.values.forEach((v, i) => { if (!oldFirstIndex!.has(v.name)) oldFirstIndex!.set(v.name, i); });
      }
      return oldFirstIndex.get(name) ?? -1;
    };
    const releasedNumbers = releasedEnumNumbers(old, cur);
    let curAllByNumber: Map<number, EnumValueDef[]> | undefined;
    // Numbers whose values were looked at: what they are depends on the number alone, and many released aliases
    // of one number can move.
    const reportedNumbers = new Set<number>();
    /**
     * The names the baseline lacks on the number of a released value that moved to another number, where every
     * released name of it did: peers built from the baseline read each as that value (FIELD_NUMBER_REUSED for
     * fields). It is no rename, the value is still there, and it is new to every peer, so the documentation
     * rules check it.
     */
    const reusedNumber = (ov: EnumValueDef): void => {
      if (reportedNumbers.has(ov.number)) return;
      reportedNumbers.add(ov.number);
      for (const v of (curAllByNumber ??= groupBy(cur.values, (x) => x.number)).get(ov.number) ?? []) {
        const use = releasedNumbers.valueOn(v);
        if (use?.kind !== 'reused') continue;
        const element = `${cur.fqn}.${v.name}`;
        this.add('ENUM_VALUE_NUMBER_REUSED', v.node?.numberRange ?? where, element,
          `enum number ${use.of.number} belonged to "${use.of.name}" in ${this.tag} (now ${use.movedTo}); "${v.name}" now uses it`,
          [], [{ message: `${this.tag}: ${use.of.name} = ${use.of.number}` }]);
        this.newOnReleasedNumbers.push({ kind: 'enumValue', element, range: v.node?.nameRange ?? ORIGIN, onReleasedNumber: true });
      }
    };
    for (const ov of old.values) {
      const path = `${old.fqn}.${ov.name}`;
      const named = curByName.get(ov.name);
      const byName = named && releasedOf(named, (v) => v.number === ov.number);
      if (byName) {
        if (byName.number !== ov.number) {
          this.add('ENUM_VALUE_NUMBER_CHANGED', byName.node?.numberRange ?? where, path,
            `enum value "${ov.name}" changed its number from ${ov.number} to ${byName.number} (baseline ${this.tag})`,
            [{ kind: 'renumber', to: ov.number, label: `Restore the original number ${ov.number}` }]);
          reusedNumber(ov);
        }
        continue;
      }
      const gone = releasedNumbers.gone(ov);
      if (gone?.kind === 'renamed') {
        const { to } = gone;
        this.add('ENUM_VALUE_RENAMED', to.node?.nameRange ?? where, `${cur.fqn}.${to.name}`,
          `enum value ${ov.number} "${ov.name}" was renamed to "${to.name}" (baseline ${this.tag})`, [{ kind: 'rename', to: ov.name }]);
        continue;
      }
      if (gone?.kind === 'removed') {
        // One name of an alias pair dropped: JSON and Go lose that name although the number stays. The fix puts
        // the name back next to its alias; renaming the alias would only remove the other name.
        const { alias } = gone;
        const first = firstIndexOf(ov.name) < firstIndexOf(alias.name);
        this.add('ENUM_VALUE_RENAMED', alias.node?.nameRange ?? where, path,
          `enum value ${ov.number} "${ov.name}" was removed (baseline ${this.tag}); only its alias "${alias.name}" remains`, [{
            kind: 'restore', container: cur.fqn, isEnum: true, declaration: valueDeclaration(ov), number: ov.number, name: ov.name,
            ...restoredDoc(ov), alias: { name: alias.name, first },
          }]);
        continue;
      }
      if (!curByNumber.has(ov.number)) {
        this.deletedEnumValue(old, ov, cur, where);
        continue;
      }
      // Neither renamed nor beside an alias: only released values of other numbers are on it, moved there. A peer
      // built from the baseline sends this value's number and means it (FIELD_NUMBER_REUSED for a field).
      for (const v of (curAllByNumber ??= groupBy(cur.values, (x) => x.number)).get(ov.number)!) {
        this.add('ENUM_VALUE_NUMBER_REUSED', v.node?.numberRange ?? where, `${cur.fqn}.${v.name}`,
          `enum number ${ov.number} belonged to "${ov.name}" in ${this.tag}; "${v.name}" now uses it`, [], [{ message: `${this.tag}: ${ov.name} = ${ov.number}` }]);
      }
    }
    // A new name on the number a released value still has, where the enum allows no aliases: the binder's
    // duplicate-number, as for a field; its fix moves the new value to a free number.
    if (!aliasesAllowed(cur)) {
      for (const v of cur.values) {
        const use = releasedNumbers.valueOn(v);
        if (use?.kind === 'duplicate') this.duplicates.push({ element: `${cur.fqn}.${v.name}`, range: v.node?.numberRange ?? where, releasedRange: use.of.node?.numberRange ?? where });
      }
    }
    this.firstAliases(old, cur, curByName, curByNumber);
    for (const v of cur.values) {
      if (!oldNames.has(v.name) && !oldNumbers.has(v.number)) this.addition('enumValue', `${cur.fqn}.${v.name}`, v.node?.nameRange);
    }
    this.reservations(old, cur, where, 'enum');
  }

  /** A released enum value whose number no value has now: as `deletedField` for a field. */
  private deletedEnumValue(old: EnumDef, ov: EnumValueDef, cur: EnumDef, where: Range): void {
    const path = `${old.fqn}.${ov.name}`;
    const reserve: FixData = { kind: 'reserve', message: cur.fqn, isEnum: true, numbers: [[ov.number, ov.number]], names: [ov.name] };
    const restore: FixData = {
      kind: 'restore', container: cur.fqn, isEnum: true, declaration: valueDeclaration(ov), number: ov.number, name: ov.name,
      ...restoredDoc(ov), ...this.enumValueNeighbours(old, ov, cur),
    };
    if (!this.reservedIn(cur).number(ov.number)) {
      this.add('ENUM_VALUE_NO_DELETE', where, path, `enum value "${old.name}.${ov.name}" = ${ov.number} of ${this.tag} was deleted without reserving its number`, [reserve, restore]);
    } else if (!this.reservedIn(cur).name(ov.name)) {
      this.add('ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED', where, path,
        `enum value "${old.name}.${ov.name}" = ${ov.number} of ${this.tag} was deleted; its number is reserved but its name is not`, [reserve]);
    }
    // Reserving the number and the name keeps the wire and JSON safe, not the Go constant that programs use.
    if (!ov.deprecated) {
      this.add('ENUM_VALUE_REMOVED_WITHOUT_DEPRECATION', where, path,
        `enum value "${old.name}.${ov.name}" of ${this.tag} was removed without first being deprecated; its Go constant ${goEnumConstant(this.baseline.package, old.fqn, ov.name)} is gone`,
        [restore]);
    }
  }

  /**
   * JSON and the text format write the name declared first for a number. Only where the baseline's first name is
   * still there with its number: a removed or renamed one is ENUM_VALUE_RENAMED already. And only where the enum
   * allows aliases: elsewhere two names of one number are an error of their own (the binder's duplicate number,
   * which protoc and protobufjs refuse too), and declaring one after the other fixes nothing.
   */
  private firstAliases(old: EnumDef, cur: EnumDef, curByName: Map<string, EnumValueDef[]>, curByNumber: Map<number, EnumValueDef>): void {
    if (!aliasesAllowed(cur)) return;
    const seen = new Set<number>();
    for (const ov of old.values) {
      if (seen.has(ov.number)) continue;
      seen.add(ov.number);
      const first = curByNumber.get(ov.number);
      if (!first || first.name === ov.name || !curByName.get(ov.name)?.some((v) => v.number === ov.number)) continue;
      this.add('ENUM_VALUE_JSON_NAME_CHANGED', first.node?.nameRange ?? cur.node?.nameRange ?? ORIGIN, `${cur.fqn}.${first.name}`,
        `JSON now writes enum value ${ov.number} as "${first.name}", declared before "${ov.name}", which ${this.tag} writes and reads; declare "${first.name}" after it`,
        [{ kind: 'declareAfter', container: cur.fqn, name: first.name, after: ov.name }]);
    }
  }

  // ---- services ------------------------------------------------------------------------------------

  private services(): void {
    const renamedServices = new Set<string>();
    // New services by their RPCs, built on first use: the first of each signature is what a deleted one was renamed to.
    let newBySig: Map<string, ServiceDef> | undefined;
    const renamedService = (os: ServiceDef): ServiceDef | undefined => {
      if (!newBySig) {
        newBySig = new Map();
        for (const s of this.current.services) {
          if (this.base.services.has(s.fqn) || !s.rpcs.length) continue;
          const sig = rpcsSignature(s);
          if (!newBySig.has(sig)) newBySig.set(sig, s);
        }
      }
      return newBySig.get(rpcsSignature(os));
    };
    const curServices = groupBy(this.current.services, (s) => s.fqn);
    for (const os of this.baseline.services) {
      const same = curServices.get(os.fqn);
      const cs = same && releasedOf(same, (s) => rpcsSignature(s) === rpcsSignature(os));
      if (cs) this.cur.services.set(os.fqn, cs);
      if (!cs) {
        const renamed = renamedService(os);
        if (renamed) renamedServices.add(renamed.fqn);
        const gone = renamed ? undefined : this.whereTopLevelWas(os, this.baseline.services);
        this.add('SERVICE_NO_DELETE', renamed?.node?.nameRange ?? gone?.range ?? this.whereDeleted(os.fqn), os.fqn,
          renamed ? `service "${os.name}" of ${this.tag} was renamed to "${renamed.name}"`
            : `service "${os.name}" of ${this.tag} was deleted${gone ? ` (it was declared ${gone.where})` : ''}`,
          renamed ? [{ kind: 'rename', to: os.name }] : []);
        continue;
      }
      const curRpcs = groupBy(cs.rpcs, (r) => r.name);
      const oldNames = new Set(os.rpcs.map((r) => r.name));
      // RPCs reported as renamed (RPC_NO_DELETE): a new method on the wire, but not a new API to document.
      const renamedRpcs = new Set<string>();
      // New RPCs by request and response type, in declaration order, built on first use; `next` skips those
      // taken already. What a deleted RPC was renamed to: the first new one of its signature not yet taken
      // (a scan of the service per deleted RPC was quadratic).
      let newBySignature: Map<string, Map<string, { rpcs: RpcDef[]; next: number }>> | undefined;
      const renamedRpc = (request: string, response: string): RpcDef | undefined => {
        if (!newBySignature) {
          newBySignature = new Map();
          for (const r of cs.rpcs) {
            if (oldNames.has(r.name)) continue;
            let byResponse = newBySignature.get(r.request);
            if (!byResponse) newBySignature.set(r.request, (byResponse = new Map()));
            const same = byResponse.get(r.response);
            if (same) same.rpcs.push(r);
            else byResponse.set(r.response, { rpcs: [r], next: 0 });
          }
        }
        const same = newBySignature.get(request)?.get(response);
        if (!same) return undefined;
        while (same.next < same.rpcs.length && renamedRpcs.has(same.rpcs[same.next]!.name)) same.next++;
        return same.rpcs[same.next];
      };
      for (const or of os.rpcs) {
        const path = `${os.fqn}.${or.name}`;
        const named = curRpcs.get(or.name);
        const cr = named && releasedOf(named, (r) => r.request === this.renamedType(or.request) && r.response === this.renamedType(or.response)
          && r.requestStream === or.requestStream && r.responseStream === or.responseStream);
        if (!cr) {
          const renamed = renamedRpc(this.renamedType(or.request), this.renamedType(or.response));
          if (renamed) renamedRpcs.add(renamed.name);
          const restore = this.restoredRpc(os, or, cs);
          this.add('RPC_NO_DELETE', renamed?.node?.nameRange ?? cs.node?.nameRange ?? ORIGIN, path,
            renamed ? `rpc "${or.name}" of ${this.tag} was renamed to "${renamed.name}"; clients calling ${or.name} get Unimplemented`
              : `rpc "${or.name}" of ${this.tag} was deleted; kubelets calling it get Unimplemented`,
            renamed ? [{ kind: 'rename', to: or.name }, restore] : [restore]);
          continue;
        }
        // A type that does not resolve is not compared, as a field's is not (field()): the binder's error says it.
        if (cr.request !== this.renamedType(or.request) && !cr.unresolved?.request) {
          this.add('RPC_SIGNATURE_CHANGED', cr.node?.requestTypeRange ?? ORIGIN, path, `rpc "${or.name}" changed its request from ${or.request} to ${cr.request} (baseline ${this.tag})`);
        }
        if (cr.response !== this.renamedType(or.response) && !cr.unresolved?.response) {
          this.add('RPC_SIGNATURE_CHANGED', cr.node?.responseTypeRange ?? ORIGIN, path, `rpc "${or.name}" changed its response from ${or.response} to ${cr.response} (baseline ${this.tag})`);
        }
        if (cr.requestStream !== or.requestStream || cr.responseStream !== or.responseStream) {
          const d = (s: boolean): string => (s ? 'streaming' : 'unary');
          const what = cr.requestStream !== or.requestStream ? `request from ${d(or.requestStream)} to ${d(cr.requestStream)}` : `response from ${d(or.responseStream)} to ${d(cr.responseStream)}`;
          this.add('RPC_STREAMING_CHANGED', cr.node?.nameRange ?? ORIGIN, path, `rpc "${or.name}" changed its ${what} (baseline ${this.tag})`);
        }
      }
      for (const r of cs.rpcs) if (!oldNames.has(r.name) && !renamedRpcs.has(r.name)) this.addition('rpc', `${cs.fqn}.${r.name}`, r.node?.nameRange);
    }
    for (const s of this.current.services) {
      if (this.base.services.has(s.fqn) || renamedServices.has(s.fqn)) continue;
      // A new service and its RPCs are new; a renamed old one is reported as SERVICE_NO_DELETE only.
      this.addition('service', s.fqn, s.node?.nameRange);
      for (const r of s.rpcs) this.addition('rpc', `${s.fqn}.${r.name}`, r.node?.nameRange);
    }
  }
}


/** The parts of the interval [a, b] that none of `ranges` covers, in ascending order. */
export function subtractRanges([a, b]: readonly [number, number], ranges: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  let from = a;
  for (const [c, d] of [...ranges].sort((p, q) => p[0] - q[0])) {
    if (d < from || c > b) continue;
    if (c > from) out.push([from, c - 1]);
    from = Math.max(from, d + 1);
    if (from > b) return out;
  }
  if (from <= b) out.push([from, b]);
  return out;
}

/**
 * `subtractRanges` against the same `ranges` for many intervals: the ranges are sorted once. When every range
 * is well-formed (start <= end), their union is merged once and each interval costs a binary search plus its
 * gaps; otherwise each interval walks only the ranges that can reach it (as `subtractRanges` does, in its order).
 */
export function rangeSubtractor(ranges: readonly (readonly [number, number])[]): (range: readonly [number, number]) => [number, number][] {
  const sorted = [...ranges].sort((p, q) => p[0] - q[0]);
  if (sorted.every(([c, d]) => c <= d)) {
    // Disjoint, non-adjacent, ascending: what the walk of subtractRanges leaves uncovered between them.
    const starts: number[] = [];
    const ends: number[] = [];
    for (const [c, d] of sorted) {
      if (ends.length && c <= ends[ends.length - 1]! + 1) ends[ends.length - 1] = Math.max(ends[ends.length - 1]!, d);
      else {
        starts.push(c);
        ends.push(d);
      }
    }
    return ([a, b]) => {
      const out: [number, number][] = [];
      let from = a;
      for (let k = firstAtLeast(ends, a); k < ends.length && starts[k]! <= b; k++) {
        if (starts[k]! > from) out.push([from, starts[k]! - 1]);
        from = Math.max(from, ends[k]! + 1);
        if (from > b) return out;
      }
      if (from <= b) out.push([from, b]);
      return out;
    };
  }
  // Ranges before the first whose end (or an earlier one's) reaches `a` end before it: the walk skips them.
  const reach: number[] = [];
  for (const [, d] of sorted) reach.push(Math.max(reach.length ? reach[reach.length - 1]! : -Infinity, d));
  return ([a, b]) => {
    const out: [number, number][] = [];
    let from = a;
    for (let k = firstAtLeast(reach, a); k < sorted.length; k++) {
      const [c, d] = sorted[k]!;
      if (c > b) break; // so are all after it
      if (d < from) continue;
      if (c > from) out.push([from, c - 1]);
      from = Math.max(from, d + 1);
      if (from > b) return out;
    }
    if (from <= b) out.push([from, b]);
    return out;
  };
}

/** The first index of an ascending (non-decreasing) list whose value is at least `x`; the length if none. */
function firstAtLeast(xs: readonly number[], x: number): number {
  return partitionPoint(xs.length, (i) => xs[i]! < x);
}

/**
 * Whether a number is in any of `ranges`, answered by a binary search: the ranges sorted by start, with the
 * largest end so far (a number is reserved when the largest end among ranges starting at or below it reaches it).
 */
function reservedNumberLookup(ranges: readonly (readonly [number, number])[]): (n: number) => boolean {
  if (ranges.length <= 8) return (n) => ranges.some(([a, b]) => n >= a && n <= b);
  const sorted = [...ranges].sort((p, q) => p[0] - q[0]);
  const starts = sorted.map(([c]) => c);
  const reach: number[] = [];
  for (const [, d] of sorted) reach.push(Math.max(reach.length ? reach[reach.length - 1]! : -Infinity, d));
  return (n) => {
    const k = firstAtLeast(starts, n + 1) - 1; // the last range starting at or below n
    return k >= 0 && reach[k]! >= n;
  };
}

/**
 * Of `users`, the one with the lowest number inside any of `ranges`, the first declared among equal numbers
 * (what filtering them and sorting by number picks); users are sorted by number once.
 */
function lowestInRanges<U extends { number: number }>(users: readonly U[]): (ranges: readonly (readonly [number, number])[]) => U | undefined {
  const sorted = [...users].sort((a, b) => a.number - b.number);
  const numbers = sorted.map((u) => u.number);
  return (ranges) => {
    let best: U | undefined;
    for (const [a, b] of ranges) {
      const k = firstAtLeast(numbers, a);
      if (k < sorted.length && numbers[k]! <= b && (!best || numbers[k]! < best.number)) best = sorted[k];
    }
    return best;
  };
}

/**
 * A message's field numbers with their scalar types and labels (nested message types by their last name
 * component): messages with the same are encoded the same.
 */
function encodingSignature(m: MessageDef): string {
  return m.fields.map(fieldEncoding).sort().join('|');
}

/** One field's part of `encodingSignature`. */
function fieldEncoding(f: FieldDef): string {
  return `${f.number}:${f.label ?? ''}:${f.typeKind === 'scalar' ? f.type : f.typeKind === 'enum' ? 'enum' : f.type.slice(f.type.lastIndexOf('.') + 1)}`;
}

/**
 * Where two messages differ only in field types of one wire group (`UInt64Value` → `Int64Value`: value = 1 is a
 * varint in both), so that the bytes of one parse as the other: the field pairs (baseline, current) that differ,
 * none when the encodings are the same. Undefined when a field has no counterpart of its number and label, or one
 * of another encoding (a message field of another name counts as one: its fields are not compared).
 */
function fieldTypeChanges(a: MessageDef, b: MessageDef): [FieldDef, FieldDef][] | undefined {
  if (a.fields.length !== b.fields.length) return undefined;
  const now = new Map(b.fields.map((f) => [f.number, f]));
  const out: [FieldDef, FieldDef][] = [];
  for (const fa of a.fields) {
    const fb = now.get(fa.number);
    if (!fb || fa.label !== fb.label) return undefined;
    if (fieldEncoding(fa) === fieldEncoding(fb)) continue;
    if (fa.typeKind === 'message' || fb.typeKind === 'message' || compareFieldTypes(fa, fb) !== 'compatible') return undefined;
    out.push([fa, fb]);
  }
  return out;
}

/**
 * A message's fields (or an enum's values) as a comparable string, for rename detection; undefined when empty.
 * Types nested in the definition are written without their names, so that a rename of the definition, and of
 * the types nested in it too, keeps the shape (the nested types are matched on their own).
 */
function shapeOf(d: MessageDef | EnumDef): string | undefined {
  const own = `${d.fqn}.`;
  const rel = (t: string): string => t.replace(/^(map<[^,]+,)?(.*?)(>?)$/, (_, map: string | undefined, v: string, end: string) =>
    `${map ?? ''}${v.startsWith(own) ? '~' : v}${end}`);
  const parts = 'fields' in d ? d.fields.map((f) => `${f.number}:${f.name}:${rel(f.type)}:${f.label}`) : d.values.map((v) => `${v.number}:${v.name}`);
  return parts.length ? parts.sort().join('|') : undefined;
}

/** Names in declaration order, and each one's position (the first, for a name declared twice). */
interface DeclarationOrder {
  names: string[];
  at: Map<string, number>;
}

function declarationOrder(names: string[]): DeclarationOrder {
  const at = new Map<string, number>();
  for (let k = names.length - 1; k >= 0; k--) at.set(names[k]!, k);
  return { names, at };
}

/**
 * A baseline message's fields in declaration order, a oneof's members as the oneof's name (`oneof`: that oneof's
 * members).
 */
function fieldOrder(old: MessageDef, oneof: string | undefined): string[] {
  const names = new Set<string>();
  for (const f of old.fields) {
    if (oneof === undefined) names.add(f.oneof ?? f.name);
    else if (f.oneof === oneof) names.add(f.name);
  }
  return [...names];
}

/** The names declared right before and right after `name`. */
type Neighbours = { after?: string; before?: string };

function neighboursIn(order: DeclarationOrder, name: string): Neighbours {
  const k = order.at.get(name);
  if (k === undefined) return {};
  const out: Neighbours = {};
  if (k > 0) out.after = order.names[k - 1]!;
  if (k + 1 < order.names.length) out.before = order.names[k + 1]!;
  return out;
}

function parentOf(fqn: string): string {
  return fqn.slice(0, Math.max(0, fqn.lastIndexOf('.')));
}

/** A model's RPC requests and responses: each slot's message, and each message's slots in declaration order. */
interface RpcSlots {
  /** `Service.Rpc request` (`… response`) → message; the first RPC of a name. */
  type: Map<string, string>;
  /** Message → its slots, as [slot, message] pairs of `type`. */
  byType: Map<string, [string, string][]>;
}

function rpcSlotsOf(model: ApiModel): RpcSlots {
  const type = new Map<string, string>();
  for (const s of model.services) {
    for (const r of s.rpcs) {
      const key = `${s.fqn}.${r.name}`;
      if (!type.has(`${key} request`)) type.set(`${key} request`, r.request).set(`${key} response`, r.response);
    }
  }
  return { type, byType: groupBy([...type], ([, t]) => t) };
}

/** A service's RPCs as a comparable string: a renamed service has the same. */
function rpcsSignature(s: ServiceDef): string {
  return s.rpcs.map((r) => `${r.name}(${r.request})${r.response}`).sort().join('|');
}

/**
 * The declaration of a released field as it would be written back, for the "restore" fix, in what the file it goes
 * into (`into`: its syntax, and in an editions file the features of the message it goes into) accepts, with the
 * released presence, encoding and UTF-8 validation: an editions file refuses the labels `optional` and `required` and
 * the option `packed`, and says them with features (and a string's validation, which proto2 and proto3 imply); a
 * proto2 file packs only where asked. Undefined where the file cannot say what the release did (required in proto3,
 * implicit presence in proto2, a string's validation in either): a restore there would be a change of its own.
 */
export function declarationOf(f: FieldDef, from: ApiModel['syntax'], into: Pick<ApiModel, 'syntax'>, features?: Features): string | undefined {
  const singular = f.label !== 'repeated' && f.typeKind !== 'map';
  let label = f.label === 'repeated' && f.typeKind !== 'map' ? 'repeated ' : f.label === 'optional' || f.label === 'required' ? `${f.label} ` : '';
  const opts: string[] = [];
  const editions = into.syntax === 'editions';
  if (editions) {
    label = f.label === 'repeated' && f.typeKind !== 'map' ? 'repeated ' : '';
    const presence = singular && !f.oneof ? presenceFeature(f, features?.fieldPresence ?? EDITION_DEFAULTS.fieldPresence) : undefined;
    if (presence) opts.push(`features.field_presence = ${presence}`);
  } else if (f.label === 'required' && into.syntax === 'proto3') return undefined;
  // proto3 always verifies UTF-8 and proto2 never does: the restore would be FIELD_UTF8_VALIDATION_CHANGED.
  else if (holdsStrings(f) && utf8Verified(f, from) !== (into.syntax === 'proto3')) return undefined;
  else if (into.syntax === 'proto2' && singular && !f.oneof && f.label === 'implicit') {
    // A message field has presence either way; a scalar or enum without it has no proto2 spelling.
    if (f.typeKind !== 'message') return undefined;
    label = 'optional ';
  }
  const type = f.typeKind === 'map' ? f.type.replace(',', ', ') : f.type;
  // The options the rules compare: leaving them out would turn the restore into a JSON name or encoding change.
  // The model always holds a JSON name; only one that differs from the default was written.
  if (f.jsonName !== jsonNameOf(f.name)) opts.push(`json_name = "${f.jsonName.replace(/[\\"]/g, '\\$&')}"`);
  if (f.label === 'repeated' && isPackable(f.typeKind, f.type)) {
    const released = packed(f, from);
    if (editions) {
      if (released !== ((features ?? EDITION_DEFAULTS).repeatedFieldEncoding === 'PACKED')) opts.push(`features.repeated_field_encoding = ${released ? 'PACKED' : 'EXPANDED'}`);
    } else if (f.packed !== undefined || released !== (into.syntax !== 'proto2')) opts.push(`packed = ${released}`);
  } else if (f.packed !== undefined && !editions) opts.push(`packed = ${f.packed}`);
  if (editions && holdsStrings(f)) {
    const released = utf8Verified(f, from);
    if (released !== ((features ?? EDITION_DEFAULTS).utf8Validation === 'VERIFY')) opts.push(`features.utf8_validation = ${released ? 'VERIFY' : 'NONE'}`);
  }
  // The options no rule compares, such as `debug_redact = true` (without it, Go's generated code prints a secret):
  // the restore gives back the release, not only what the rules would notice. Features are written above, as the
  // file accepts them.
  return `${label}${type} ${f.name} = ${f.number}${optionList([...opts, ...restorableOptions(f)], f)};`;
}

/** A released enum value as the restore writes it back, with its options. */
function valueDeclaration(v: EnumValueDef): string {
  return `${v.name} = ${v.number}${optionList(restorableOptions(v), v)};`;
}

/** ` [a, b, deprecated = true]` of a restored declaration; empty without options. */
function optionList(opts: string[], def: { deprecated?: boolean }): string {
  const all = def.deprecated ? [...opts, 'deprecated = true'] : opts;
  return all.length ? ` [${all.join(', ')}]` : '';
}

/**
 * The `features.field_presence` a singular field outside a oneof needs in an editions file to have its released
 * presence, where it differs from the presence it inherits (`inherited`). A message field has presence either way
 * (the rules compare only required-ness for it); implicit presence is what proto3 gives an unlabelled scalar or enum.
 */
function presenceFeature(f: FieldDef, inherited: Features['fieldPresence']): Features['fieldPresence'] | undefined {
  const wanted = f.label === 'required' ? 'LEGACY_REQUIRED' : f.label === 'optional' || f.typeKind === 'message' ? 'EXPLICIT' : 'IMPLICIT';
  if (f.typeKind === 'message' && wanted !== 'LEGACY_REQUIRED' && inherited !== 'LEGACY_REQUIRED') return undefined;
  return wanted === inherited ? undefined : wanted;
}

/**
 * What a field rename changes besides the proto name, which JSON parsers accept as a key next to the JSON name
 * (protobuf.dev JSON mapping): the JSON name written, and the Go field. `foo_bar` → `fooBar` keeps both.
 */
export function renameEffects(of: FieldDef, nf: FieldDef): string {
  const go = goCamelCase(of.name) !== goCamelCase(nf.name);
  if (of.jsonName !== nf.jsonName && go) return 'JSON keys and Go names change';
  const oldKey = `JSON documents keyed by the old name "${of.name}" no longer parse`;
  if (of.jsonName !== nf.jsonName) return `JSON keys change; the Go field ${goCamelCase(nf.name)} is the same`;
  return go
    ? `${oldKey}, and the Go field ${goCamelCase(of.name)} is now ${goCamelCase(nf.name)} (the JSON name "${nf.jsonName}" is kept)`
    : `${oldKey} (the JSON name "${nf.jsonName}" and the Go field ${goCamelCase(nf.name)} are the same)`;
}

/** Built only for a finding: most fields have none. */
function fieldPath(m: MessageDef, f: FieldDef): string {
  return `${m.fqn}.${f.name}`;
}

function cardinality(l: FieldDef['label']): string {
  return l === 'repeated' ? 'repeated' : l === 'required' ? 'required' : 'singular';
}

/** Whether a field's own options ask for packing: `[packed = true]`, or PACKED as a feature, alone or in an aggregate. */
function packsItself(options: readonly OptionNode[]): boolean {
  return options.some((o) => o.name === 'packed' && isTrue(o)) || ownFeature(options, 'repeated_field_encoding')?.value === 'PACKED';
}

/** Unset means the syntax default: packed in proto3 (and editions), unpacked in proto2. */
function packed(f: FieldDef, syntax: ApiModel['syntax']): boolean {
  return f.packed ?? syntax !== 'proto2';
}

/** The same numbers with the same names, in the same order (fields or enum values). */
function sameNumbersAndNames(a: readonly { number: number; name: string }[], b: readonly { number: number; name: string }[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.number !== b[i]!.number || a[i]!.name !== b[i]!.name) return false;
  return true;
}

/**
 * Of the current elements of one name, the one the released element of that name is compared with: one that
 * `unchanged` accepts, else the first declared. Two of one key are a binding error the binder
 * reports on the later one; the other one, compared too, showed a change of an element that did not change.
 */
function releasedOf<T>(list: readonly T[], unchanged: (x: T) => boolean): T {
  return (list.length > 1 && list.find(unchanged)) || list[0]!;
}


/** A map's key or value type's kind, by its name in `types` (a name it does not declare is unresolved). */
function kindOf(type: string, types: ModelIndex): FieldDef['typeKind'] {
  return SCALARS.has(type) ? 'scalar' : types.messages.has(type) ? 'message' : types.enums.has(type) ? 'enum' : 'unresolved';
}

/** The two types as a type-change message names them: with their kinds where the name stayed and the kind did not. */
function typeNames(of: FieldDef, nf: FieldDef): [string, string] {
  return of.type === nf.type && of.typeKind !== nf.typeKind ? [`${of.typeKind} ${of.type}`, `${nf.typeKind} ${nf.type}`] : [of.type, nf.type];
}

function typeRangeOf(f: FieldDef): Range {
  return f.node?.typeRange ?? f.node?.nameRange ?? ORIGIN;
}

function labelRangeOf(f: FieldDef): Range {
  return f.node?.labelRange ?? f.node?.nameRange ?? ORIGIN;
}

/**
 * A go_package value as the Go import path (undefined for a bare package name, one without '/') and the Go
 * package name: the part after ';' in "path;name", else the last path element.
 */
export function goPackageParts(value: string): { path?: string; name: string } {
  const semi = value.indexOf(';');
  const path = semi >= 0 ? value.slice(0, semi) : value;
  const name = semi >= 0 ? value.slice(semi + 1) : path.slice(path.lastIndexOf('/') + 1);
  return path.includes('/') ? { path, name } : { name };
}

/**
 * The documentation a restore fix puts back: the baseline's text; from the bundled index, which keeps only the
 * words of it that carry meaning, a reminder that lists them. The restored element then says what it said as far
 * as DOC_MEANING_CHANGED can tell (no warning a fix made and cannot fix), and the user sees what to write.
 * And the released text's hash, which both baselines have: the fix finds by it the released comment where a deletion
 * of the declaration alone left it, above the next member, and puts the element back under it instead.
 */
function restoredDoc(d: { doc?: string; docFingerprint?: DocFingerprint }): { doc?: string; docHash?: string } {
  const hash = (d.docFingerprint ?? fingerprintDoc(d.doc))?.hash;
  const withHash = hash ? { docHash: hash } : {};
  if (d.doc) return { doc: d.doc, ...withHash };
  const terms = d.docFingerprint?.terms ?? [];
  return terms.length ? { doc: `TODO: document it again; the release said, in the words that carry meaning: ${terms.join(', ')}.`, ...withHash } : withHash;
}
