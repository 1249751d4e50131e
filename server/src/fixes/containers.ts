// What the fixes look up in a message or enum, and in a scope, built once per syntax tree: fixing every
// finding of a huge file asks the same container again for each finding, and a scan of it per finding was
// quadratic (25,000 alias restores in one enum, deleted fields of a message with 50,000 reservations, renames
// of 50,000 services or RPCs).

import type { EnumValueNode, FieldNode, MessageNode, OneofNode, OptionNode, Position, Range, ReservedNode, RpcNode, ServiceNode } from '../proto/ast';
import { comparePositions, declaredInMessage } from '../proto/ast';
import { NumberSpans, type BoundFile } from '../proto/binder';
import { findContainer, type Container } from './locate';
import { partitionPoint } from '../binarySearch';

type Member = FieldNode | EnumValueNode;
type Entry = { range: Range };

/** One container's members and reservations, indexed. */
export interface ContainerIndex {
  /** The first field (enum value) of each name. */
  byName: Map<string, Member>;
  /** The numbers of its fields (enum values). */
  numbers: Set<number>;
  /** The numbers its `reserved` statements reserve, and the names. */
  reservedNumbers: NumberSpans;
  reservedNames: Set<string>;
  /** The last `reserved` statement of numbers, and of names. */
  numberStatement?: ReservedNode;
  nameStatement?: ReservedNode;
  /** The first `option allow_alias` (enums). */
  allowAlias?: OptionNode;
}

const containerIndexes = new WeakMap<Container, ContainerIndex>();

export function containerIndex(c: Container): ContainerIndex {
  let x = containerIndexes.get(c);
  if (x) return x;
  const members: Member[] = c.kind === 'message' ? c.fields : c.values;
  const byName = new Map<string, Member>();
  for (const m of members) if (!byName.has(m.name)) byName.set(m.name, m);
  const numbers = new Set<number>();
  for (const m of members) if (m.number !== undefined) numbers.add(m.number);
  const ranges: [number, number][] = [];
  const reservedNames = new Set<string>();
  let numberStatement: ReservedNode | undefined;
  let nameStatement: ReservedNode | undefined;
  for (const r of c.reserved) {
    for (const x of r.ranges) ranges.push([x.start, x.end]);
    for (const n of r.names) reservedNames.add(n.name);
    if (r.ranges.length) numberStatement = r;
    if (r.names.length) nameStatement = r;
  }
  x = { byName, numbers, reservedNumbers: new NumberSpans(ranges), reservedNames };
  if (numberStatement) x.numberStatement = numberStatement;
  if (nameStatement) x.nameStatement = nameStatement;
  const allowAlias = c.kind === 'enum' ? c.options.find((o) => o.name === 'allow_alias') : undefined;
  if (allowAlias) x.allowAlias = allowAlias;
  containerIndexes.set(c, x);
  return x;
}

/** The entries of a `reserved` statement (number ranges and names) in source order, and each one's index. */
export interface StatementEntries {
  ranges: Range[];
  indexOf: Map<Entry, number>;
  /** The end of its last entry: where `, N` goes. */
  lastEnd: Position;
}

const statementEntries = new WeakMap<ReservedNode, StatementEntries>();

export function entriesOf(stmt: ReservedNode): StatementEntries {
  let x = statementEntries.get(stmt);
  if (!x) {
    const entries: Entry[] = [...stmt.ranges, ...stmt.names].sort((a, b) => comparePositions(a.range.start, b.range.start));
    const ends = entries.map((e) => e.range.end).sort(comparePositions);
    x = { ranges: entries.map((e) => e.range), indexOf: new Map(entries.map((e, k) => [e, k])), lastEnd: ends[ends.length - 1]! };
    statementEntries.set(stmt, x);
  }
  return x;
}

type NumberEntry = ReservedNode['ranges'][number];

/** A statement's number entries in source order, and the largest start among them up to each one. */
interface NumberEntries {
  entries: NumberEntry[];
  maxStarts: number[];
}

const numberEntries = new WeakMap<ReservedNode, NumberEntries>();

/**
 * The first number entry of a `reserved` statement (in source order) that starts above `n`: the first whose
 * running maximum of starts is above it, found by binary search (the running maxima only grow). Sorted and
 * indexed once per statement: fix-all reserving the numbers of 10,000 deleted fields sorted the statement's
 * 10,000 entries and scanned them again for each (test/fuzz: fields-10k-deleted-from-message-reserving-10k-others).
 */
export function firstNumberEntryAbove(stmt: ReservedNode, n: number): NumberEntry | undefined {
  let x = numberEntries.get(stmt);
  if (!x) {
    const entries = [...stmt.ranges].sort((a, b) => comparePositions(a.range.start, b.range.start));
    let max = -Infinity;
    // As `>` compares (a start that is not a number is never above anything).
    x = { entries, maxStarts: entries.map((e) => (max = e.start > max ? e.start : max)) };
    numberEntries.set(stmt, x);
  }
  const { entries, maxStarts } = x;
  return entries[partitionPoint(maxStarts.length, (i) => maxStarts[i]! <= n)];
}

/**
 * For taking back reservations: per number, the first single-number entry of each statement that holds it, or
 * that a range of more than one number holds it (it cannot be taken back alone); per name, the first entry of
 * each statement. Both are lookups, whatever the ranges: a scan of every statement per number was quadratic
 * on a hostile file whose reservations overlap.
 */
export interface ReservationsIndex {
  /** Undefined when a range of several numbers holds `n`; else the entries `n` (the first of each statement), in statement order. */
  holding(n: number): Reservation[] | undefined;
  named(name: string): Reservation[];
}

/** An entry of a `reserved` statement; `order`: the statement's among the container's. */
export interface Reservation {
  stmt: ReservedNode;
  order: number;
  entry: Entry;
}

const reservationIndexes = new WeakMap<Container, ReservationsIndex>();

export function reservationsOf(c: Container): ReservationsIndex {
  let x = reservationIndexes.get(c);
  if (x) return x;
  const wide: [number, number][] = [];
  const single = new Map<number, Reservation[]>();
  const named = new Map<string, Reservation[]>();
  const firstOfStatement = <K>(map: Map<K, Reservation[]>, key: K, r: Reservation): void => {
    const list = map.get(key);
    if (!list) map.set(key, [r]);
    else if (list[list.length - 1]!.stmt !== r.stmt) list.push(r);
  };
  c.reserved.forEach((stmt, order) => {
    for (const entry of stmt.ranges) {
      if (entry.start < entry.end) wide.push([entry.start, entry.end]);
      else if (entry.start === entry.end) firstOfStatement(single, entry.start, { stmt, order, entry });
    }
    for (const entry of stmt.names) firstOfStatement(named, entry.name, { stmt, order, entry });
  });
  const wideSpans = new NumberSpans(wide);
  x = {
    holding: (n) => (wideSpans.has(n) ? undefined : single.get(n) ?? []),
    named: (name) => named.get(name) ?? [],
  };
  reservationIndexes.set(c, x);
  return x;
}

/**
 * The names declared in a scope (a message's path or the package) besides types and services, which are
 * declarations: in a message, its fields, oneofs, nested types and the values of its enums (protobuf gives enum
 * values the scope of their enum, as C++ does); in the package, its top-level types, services and enum values.
 */
const scopeNameSets = new WeakMap<BoundFile, Map<string, Set<string>>>();

export function namesInScope(bound: BoundFile, scope: string): ReadonlySet<string> {
  let byScope = scopeNameSets.get(bound);
  if (!byScope) scopeNameSets.set(bound, (byScope = new Map()));
  let names = byScope.get(scope);
  if (names) return names;
  names = new Set();
  const add = (xs: readonly { name: string }[]): void => {
    for (const x of xs) names!.add(x.name);
  };
  const m = scope === bound.model.package ? undefined : findContainer(bound.ast, scope, false);
  if (m?.kind === 'message') {
    add(m.fields);
    add(m.oneofs);
    add(m.messages);
    add(m.enums);
    for (const e of m.enums) add(e.values);
  } else if (scope === bound.model.package) {
    add(bound.ast.messages);
    add(bound.ast.services);
    add(bound.ast.enums);
    for (const e of bound.ast.enums) add(e.values);
  }
  byScope.set(scope, names);
  return names;
}

/** A declaration of a scope, with the comments that go with it. */
export interface Declared {
  range: Range;
  comments?: { leading?: { range: Range }; trailing?: { range: Range } };
}

/**
 * The declarations written directly in a scope (a message's path or the package), by name, the first of each: in a
 * message, its fields outside oneofs, its oneofs and nested types; in the package, its top-level types and services.
 */
const scopeDeclarations = new WeakMap<BoundFile, Map<string, Map<string, Declared>>>();

export function declarationsIn(bound: BoundFile, scope: string): ReadonlyMap<string, Declared> {
  let byScope = scopeDeclarations.get(bound);
  if (!byScope) scopeDeclarations.set(bound, (byScope = new Map()));
  let declared = byScope.get(scope);
  if (declared) return declared;
  declared = new Map();
  const m = scope === bound.model.package ? undefined : findContainer(bound.ast, scope, false);
  const all: (Declared & { name: string })[] = m?.kind === 'message'
    ? declaredInMessage(m)
    : scope === bound.model.package ? [...bound.ast.messages, ...bound.ast.enums, ...bound.ast.services] : [];
  for (const d of all) if (!declared.has(d.name)) declared.set(d.name, d);
  byScope.set(scope, declared);
  return declared;
}

/** A service's RPCs by name, the first of each. */
const rpcMaps = new WeakMap<ServiceNode, Map<string, RpcNode>>();

export function rpcsIn(s: ServiceNode): ReadonlyMap<string, RpcNode> {
  let rpcs = rpcMaps.get(s);
  if (!rpcs) {
    rpcMaps.set(s, (rpcs = new Map()));
    for (const r of s.rpcs) if (!rpcs.has(r.name)) rpcs.set(r.name, r);
  }
  return rpcs;
}

/** A message's oneofs by member and by name (the first of a name). */
export interface OneofIndex {
  byMember: Map<FieldNode, OneofNode>;
  byName: Map<string, OneofNode>;
}

const oneofIndexes = new WeakMap<MessageNode, OneofIndex>();

export function oneofsOf(m: MessageNode): OneofIndex {
  let x = oneofIndexes.get(m);
  if (!x) {
    x = { byMember: new Map(), byName: new Map() };
    for (const o of m.oneofs) {
      for (const f of o.fields) x.byMember.set(f, o);
      if (!x.byName.has(o.name)) x.byName.set(o.name, o);
    }
    oneofIndexes.set(m, x);
  }
  return x;
}
