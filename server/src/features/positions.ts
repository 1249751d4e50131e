// What is at a position: the element tree of a file (with the element paths findings use) and the lookup
// from an LSP position to a type reference, a declaration name, an import or the package statement.

import {
  comparePositions, rangeContains,
  type EnumNode, type EnumValueNode, type ExtendNode, type FieldNode, type ImportNode, type MessageNode, type OneofNode,
  type Position, type ProtoFile, type Range, type RpcNode, type ServiceNode,
} from '../proto/ast';
import type { BoundFile, TypeReference } from '../proto/binder';
import { partitionPoint } from '../binarySearch';
import { perObject } from '../perObject';

export type ElementKind = 'message' | 'field' | 'oneof' | 'enum' | 'enumValue' | 'service' | 'rpc' | 'extend';

export type ElementNode = MessageNode | FieldNode | OneofNode | EnumNode | EnumValueNode | ServiceNode | RpcNode | ExtendNode;

export interface Element {
  kind: ElementKind;
  /** Name as declared; for `extend` blocks the extendee as written. */
  name: string;
  /**
   * Element path as findings and the release history use it: `runtime.v1.ContainerConfig` (message, enum,
   * service), `runtime.v1.ContainerConfig.cdi_devices` (field, also inside a oneof), `runtime.v1.Protocol.TCP`
   * (enum value), `runtime.v1.RuntimeService.Version` (rpc), `runtime.v1.Msg.choice` (oneof). An `extend`
   * block has the path of its scope; its fields are paths in that scope.
   */
  path: string;
  node: ElementNode;
  nameRange: Range;
  range: Range;
  parent?: Element;
  children: Element[];
}

export function isValidPosition(p: unknown): p is Position {
  if (!p || typeof p !== 'object') return false;
  const { line, character } = p as Position;
  return Number.isInteger(line) && Number.isInteger(character) && line >= 0 && character >= 0;
}

function join(scope: string, name: string): string {
  return scope ? `${scope}.${name}` : name;
}

export function packageOf(ast: ProtoFile): string {
  return ast.package?.name.replace(/^\./, '') ?? '';
}

/** Top-level elements of a file in document order, each with its children (cached per syntax tree). */
export const fileElements = perObject(buildElements);

function buildElements(ast: ProtoFile): Element[] {
  const pkg = packageOf(ast);
  const make = (kind: ElementKind, name: string, path: string, node: ElementNode, nameRange: Range, parent?: Element): Element => {
    const e: Element = { kind, name, path, node, nameRange, range: node.range, children: [] };
    if (parent) e.parent = parent;
    return e;
  };
  const sort = (es: Element[]): Element[] => es.sort((a, b) => comparePositions(a.range.start, b.range.start));

  const field = (f: FieldNode, scope: string, parent: Element): Element => {
    const e = make('field', f.name, join(scope, f.name), f, f.nameRange, parent);
    if (f.group) e.children.push(message(f.group, scope, e));
    return e;
  };
  const enumEl = (en: EnumNode, scope: string, parent?: Element): Element => {
    const path = join(scope, en.name);
    const e = make('enum', en.name, path, en, en.nameRange, parent);
    for (const v of en.values) e.children.push(make('enumValue', v.name, join(path, v.name), v, v.nameRange, e));
    return e;
  };
  const extend = (x: ExtendNode, scope: string, parent?: Element): Element => {
    const e = make('extend', x.extendee, scope, x, x.extendeeRange, parent);
    for (const f of x.fields) e.children.push(field(f, scope, e));
    return e;
  };
  function message(m: MessageNode, scope: string, parent?: Element): Element {
    const path = join(scope, m.name);
    const e = make('message', m.name, path, m, m.nameRange, parent);
    const inOneof = new Set<FieldNode>();
    for (const o of m.oneofs) {
      const oe = make('oneof', o.name, join(path, o.name), o, o.nameRange, e);
      for (const f of o.fields) {
        inOneof.add(f);
        oe.children.push(field(f, path, oe));
      }
      e.children.push(oe);
    }
    for (const f of m.fields) if (!inOneof.has(f)) e.children.push(field(f, path, e));
    for (const n of m.messages) e.children.push(message(n, path, e));
    for (const n of m.enums) e.children.push(enumEl(n, path, e));
    for (const x of m.extends) e.children.push(extend(x, path, e));
    sort(e.children);
    return e;
  }
  const service = (s: ServiceNode): Element => {
    const path = join(pkg, s.name);
    const e = make('service', s.name, path, s, s.nameRange);
    for (const r of s.rpcs) e.children.push(make('rpc', r.name, join(path, r.name), r, r.nameRange, e));
    return e;
  };

  const top: Element[] = [];
  for (const m of ast.messages) top.push(message(m, pkg));
  for (const en of ast.enums) top.push(enumEl(en, pkg));
  for (const s of ast.services) top.push(service(s));
  for (const x of ast.extends) top.push(extend(x, pkg));
  return sort(top);
}

/** Every element of the file, depth first in document order. */
export function* allElements(ast: ProtoFile): Generator<Element> {
  const stack = [...fileElements(ast)].reverse();
  while (stack.length) {
    const e = stack.pop()!;
    yield e;
    for (let k = e.children.length - 1; k >= 0; k--) stack.push(e.children[k]!);
  }
}

/** The elements whose range contains the position, outermost first (empty outside every element). */
export function elementChainAt(ast: ProtoFile, pos: Position): Element[] {
  if (!isValidPosition(pos)) return [];
  const chain: Element[] = [];
  let level = fileElements(ast);
  for (;;) {
    // A level is sorted by start, so its first element containing the position is also the first in order.
    const hit = spansOf(level, (e) => e.range).first(pos);
    if (!hit) return chain;
    chain.push(hit);
    level = hit.children;
  }
}

/** The element with the given path (first one, if a name is declared twice). */
export function findElement(ast: ProtoFile, path: string, kind?: ElementKind): Element | undefined {
  for (const e of allElements(ast)) if (e.path === path && (!kind || e.kind === kind) && e.kind !== 'extend') return e;
  return undefined;
}

export type Target =
  /** On a type reference (field type, map value type, rpc request/response, extendee). */
  | { kind: 'reference'; reference: TypeReference; range: Range }
  /** On the name of a declaration. */
  | { kind: 'declaration'; element: Element; range: Range }
  /** On the path string of an import. */
  | { kind: 'import'; node: ImportNode; range: Range }
  /** On the package name; `name` is the package prefix up to and including the component under the cursor. */
  | { kind: 'package'; name: string; range: Range };

/** What a position points at, or undefined (whitespace, keywords, numbers, positions past the end). */
export function targetAt(bound: BoundFile, pos: Position): Target | undefined {
  if (!isValidPosition(pos)) return undefined;
  const ref = spansOf(bound.references, (r) => r.range).first(pos);
  if (ref) return { kind: 'reference', reference: ref, range: ref.range };
  const chain = elementChainAt(bound.ast, pos);
  for (let k = chain.length - 1; k >= 0; k--) {
    const e = chain[k]!;
    if (e.kind !== 'extend' && e.name && rangeContains(e.nameRange, pos)) return { kind: 'declaration', element: e, range: e.nameRange };
  }
  const imp = spansOf(bound.ast.imports, (i) => i.pathRange).first(pos);
  if (imp) return { kind: 'import', node: imp, range: imp.pathRange };
  const p = bound.ast.package;
  if (p && rangeContains(p.nameRange, pos)) {
    // `runtime.v1`: the cursor on `runtime` means the package `runtime`.
    const offset = p.nameRange.start.line === pos.line ? pos.character - p.nameRange.start.character : p.name.length;
    const dot = p.name.indexOf('.', Math.max(0, offset));
    const name = (dot < 0 ? p.name : p.name.slice(0, dot)).replace(/^\./, '');
    return { kind: 'package', name, range: p.nameRange };
  }
  return undefined;
}

// ---- the position index --------------------------------------------------------------------------------

/**
 * Spans (references, imports, the elements of one level) sorted by start, for finding the first of them — in
 * their original order — that contains a position, as a walk over them in that order would, in O(log n):
 * a hover on a file of 40,000 RPCs walked every reference and every RPC (5 ms a hover). Built once per array
 * (see spansOf), that is once per analysis, since every analysis makes new arrays.
 */
export class SpanIndex<T> {
  /** How many items the array had when indexed. */
  readonly size: number;
  private readonly items: T[];
  /** Each sorted item's index in the original array: of several spans that contain a position, the first wins. */
  private readonly order: Int32Array;
  /** Start and end of each sorted item as line, character pairs (typed arrays: 80,000 references index in a few ms). */
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  /**
   * The greatest end among the sorted items up to each one: a scan back from the last span starting at or
   * before a position stops where nothing earlier reaches it. Spans of one kind do not nest (tokens, or
   * siblings), so the scan looks at one or two; nested spans would still be found, only more slowly.
   */
  private readonly maxEnds: Float64Array;

  constructor(source: readonly T[], rangeOf: (t: T) => Range) {
    const n = (this.size = source.length);
    const ranges: Range[] = new Array(n);
    for (let k = 0; k < n; k++) ranges[k] = rangeOf(source[k]!);
    const byStart = new Int32Array(n);
    let sorted = true;
    for (let k = 0; k < n; k++) {
      byStart[k] = k;
      if (k > 0 && sorted) sorted = comparePositions(ranges[k - 1]!.start, ranges[k]!.start) <= 0;
    }
    // Most arrays are in document order already (element levels always are): sort only those that are not.
    if (!sorted) byStart.sort((a, b) => comparePositions(ranges[a]!.start, ranges[b]!.start) || a - b);
    this.order = byStart;
    this.items = new Array(n);
    this.starts = new Float64Array(2 * n);
    this.ends = new Float64Array(2 * n);
    this.maxEnds = new Float64Array(2 * n);
    for (let j = 0; j < n; j++) {
      const k = byStart[j]!;
      const r = ranges[k]!;
      this.items[j] = source[k]!;
      this.starts[2 * j] = r.start.line;
      this.starts[2 * j + 1] = r.start.character;
      this.ends[2 * j] = r.end.line;
      this.ends[2 * j + 1] = r.end.character;
      const keep = j > 0 && compare(this.maxEnds, j - 1, r.end.line, r.end.character) >= 0;
      this.maxEnds[2 * j] = keep ? this.maxEnds[2 * j - 2]! : r.end.line;
      this.maxEnds[2 * j + 1] = keep ? this.maxEnds[2 * j - 1]! : r.end.character;
    }
  }

  /** The first item (in the original order) whose range contains `pos` as rangeContains decides, or undefined. */
  first(pos: Position): T | undefined {
    // rangeContains(r, p) is start <= p <= end, compared by line, then character.
    const { line, character } = pos;
    const lo = partitionPoint(this.size, (i) => compare(this.starts, i, line, character) <= 0);
    let best = -1;
    for (let j = lo - 1; j >= 0 && compare(this.maxEnds, j, line, character) >= 0; j--) {
      if (compare(this.ends, j, line, character) >= 0 && (best < 0 || this.order[j]! < this.order[best]!)) best = j;
    }
    return best < 0 ? undefined : this.items[best];
  }
}

/** The position at pair `j` of `pairs` compared with (line, character), as comparePositions. */
function compare(pairs: Float64Array, j: number, line: number, character: number): number {
  return pairs[2 * j]! - line || pairs[2 * j + 1]! - character;
}

const spanIndexes = new WeakMap<readonly object[], SpanIndex<object>>();

/**
 * The span index of an array, built on first use and kept while the array lives: a syntax tree's and a bound
 * file's arrays are made once per analysis and not changed after, so the index lives as long as the analysis.
 * An array that grew since (not done, but cheap to check) gets a new index. Each array is indexed by one kind
 * of range (references and elements by `range`, imports by `pathRange`).
 */
export function spansOf<T extends object>(items: readonly T[], rangeOf: (t: T) => Range): SpanIndex<T> {
  let ix = spanIndexes.get(items) as SpanIndex<T> | undefined;
  if (!ix || ix.size !== items.length) {
    ix = new SpanIndex(items, rangeOf);
    spanIndexes.set(items, ix as SpanIndex<object>);
  }
  return ix;
}
