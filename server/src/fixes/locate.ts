// Finding syntax nodes again from a finding: containers by element path, elements by the range a finding
// points at. Walks the syntax tree of the exact text the fixes are computed for.

import {
  comparePositions, rangeContains,
  type EnumNode, type EnumValueNode, type FieldNode, type MessageNode, type OneofNode, type ProtoFile, type Range,
  type RpcNode, type ServiceNode,
} from '../proto/ast';
import { allElements as elementTree, type Element } from '../features/positions';
import { perObject } from '../perObject';

export type NodeKind = 'message' | 'field' | 'oneof' | 'enum' | 'enumValue' | 'service' | 'rpc';
export type AnyNode = MessageNode | FieldNode | OneofNode | EnumNode | EnumValueNode | ServiceNode | RpcNode;
export type Container = MessageNode | EnumNode;

export interface Located {
  kind: NodeKind;
  node: AnyNode;
  /** The node's range and its name's, built once (nodes build theirs on every read, see proto/nodes.ts). */
  range: Range;
  nameRange: Range;
  /** Element path as findings use it (`runtime.v1.Mount.readonly`). */
  path: string;
  /** Enclosing message, enum or service (undefined at the top level). */
  parent?: MessageNode | EnumNode | ServiceNode;
}

/**
 * Every named element of a file but `extend` blocks and their fields, in document order: the element tree
 * of features/positions, with each element's enclosing message, enum or service as its parent.
 */
function locatedElements(ast: ProtoFile): Located[] {
  const out: Located[] = [];
  for (const e of elementTree(ast)) {
    if (e.kind === 'extend' || ancestor(e, (p) => p.kind === 'extend')) continue;
    // A oneof's fields, and a group's message, belong to the enclosing message.
    const parent = ancestor(e, (p) => p.kind === 'message' || p.kind === 'enum' || p.kind === 'service')?.node as Located['parent'];
    out.push({ kind: e.kind, node: e.node as AnyNode, range: e.range, nameRange: e.nameRange, path: e.path, ...(parent ? { parent } : {}) });
  }
  return out;
}

function ancestor(e: Element, test: (p: Element) => boolean): Element | undefined {
  for (let p = e.parent; p; p = p.parent) if (test(p)) return p;
  return undefined;
}

export const elementsOf = perObject(locatedElements);

// Elements by where their name (or, for fields and enum values, their number; for fields, their label) starts: each finding's
// element is found without scanning the file, so fixing every finding of a huge file stays linear. A position
// holds one element, or a list when several start there (a list for each was two more objects per lookup).
// The key is a number, not a `line:character` string (building and hashing one per element and per finding was
// a tenth of fixing a 100,000-message file). Positions may share a key past 4,096 characters; lookups compare
// the exact range, so that only adds candidates.
const startIndexes = new WeakMap<ProtoFile, Map<number, Located | Located[]>>();
const key = (r: Range): number => r.start.line * 4096 + r.start.character;

function startIndex(ast: ProtoFile): Map<number, Located | Located[]> {
  let index = startIndexes.get(ast);
  if (!index) {
    index = new Map();
    const add = (r: Range | undefined, e: Located): void => {
      if (!r) return;
      const k = key(r);
      const had = index!.get(k);
      if (had === undefined) index!.set(k, e);
      else if (Array.isArray(had)) had.push(e);
      else index!.set(k, [had, e]);
    };
    for (const e of elementsOf(ast)) {
      add(e.nameRange, e);
      if (e.kind === 'field' || e.kind === 'enumValue') add((e.node as { numberRange?: Range }).numberRange, e);
      if (e.kind === 'field') add((e.node as FieldNode).labelRange, e);
    }
    startIndexes.set(ast, index);
  }
  return index;
}

/** The first element starting at `range`'s start that passes `test`. */
function startingAt(ast: ProtoFile, range: Range, test: (e: Located) => boolean): Located | undefined {
  const hit = startIndex(ast).get(key(range));
  if (hit === undefined) return undefined;
  if (Array.isArray(hit)) return hit.find(test);
  return test(hit) ? hit : undefined;
}

/** The element of one of `kinds` whose name range (or number range, with `byNumber`) is exactly `range`. */
export function elementNamedAt(ast: ProtoFile, range: Range, kinds: readonly NodeKind[], byNumber = false): Located | undefined {
  return startingAt(ast, range, (e) => kinds.includes(e.kind)
    && sameRange(byNumber ? (e.node as { numberRange: Range }).numberRange : e.nameRange, range));
}

/** The field whose label (`optional`, `repeated`) is exactly at `range`. */
export function fieldLabeledAt(ast: ProtoFile, range: Range): Located | undefined {
  return startingAt(ast, range, (e) => e.kind === 'field' && !!(e.node as FieldNode).labelRange && sameRange((e.node as FieldNode).labelRange!, range));
}

export function sameRange(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.start) === 0 && comparePositions(a.end, b.end) === 0;
}

/** The message or enum with this element path. */
export function findContainer(ast: ProtoFile, path: string, isEnum: boolean): Container | undefined {
  const kind: NodeKind = isEnum ? 'enum' : 'message';
  let byPath = containerIndexes.get(ast);
  if (!byPath) {
    byPath = new Map();
    for (const e of elementsOf(ast)) if ((e.kind === 'message' || e.kind === 'enum') && !byPath.has(`${e.kind}:${e.path}`)) byPath.set(`${e.kind}:${e.path}`, e);
    containerIndexes.set(ast, byPath);
  }
  return byPath.get(`${kind}:${path}`)?.node as Container | undefined;
}

const containerIndexes = new WeakMap<ProtoFile, Map<string, Located>>();

/**
 * The element a finding range points at: the one whose name range is exactly that range, else the
 * innermost element of the wanted kinds whose whole range contains the range's start.
 */
export function findAt(ast: ProtoFile, range: Range, kinds: readonly NodeKind[]): Located | undefined {
  const exact = elementNamedAt(ast, range, kinds);
  if (exact) return exact;
  let best: Located | undefined;
  for (const e of elementsOf(ast)) {
    if (!kinds.includes(e.kind)) continue;
    if (!rangeContains(e.range, range.start)) continue;
    if (!best || comparePositions(e.range.start, best.range.start) >= 0) best = e;
  }
  return best;
}

/** Direct members of a message or enum body (not the fields inside its oneofs), in source order. */
export function bodyMembers(c: Container): { range: Range; comments?: { leading?: { range: Range } } }[] {
  const members: { range: Range; comments?: { leading?: { range: Range } } }[] = c.kind === 'message'
    ? [...c.fields.filter((f) => !f.oneof), ...c.oneofs, ...c.messages, ...c.enums, ...c.extends, ...c.reserved, ...c.extensions, ...c.options]
    : [...c.values, ...c.reserved, ...c.options];
  return members.sort((a, b) => comparePositions(a.range.start, b.range.start));
}
