// "Declare message X" for a type reference that names nothing (the binder's unresolved-type): a KEP author writes
// the new RPC (or field) first and its messages next. The message goes where upstream cri-api put the messages of
// each new RPC (StreamPodSandboxes' after ListPodSandboxResponse, UpdatePodSandboxResources' at the end): at the
// top level, right after the messages of the RPC before it; a field's type right after the top-level message
// that holds the field. A dotted name is declared only where its meaning is plain: with the file's own package
// in front (`runtime.v1.Foo`), at the top level as `Foo`; as `Outer.Inner` with Outer a message of this file, in
// Outer. Pure text edits, as every fix.

import type { Finding } from '../compat/finding';
import type { MessageNode, Position, Range } from '../proto/ast';
import { UNRESOLVED_TYPE, type BoundFile, type Declaration } from '../proto/binder';
import { innermostFirst, join, lookup, type Scoped } from '../proto/lookup';
import { SCALARS, localName, type ApiModel } from '../proto/model';
import { namesInScope } from './containers';
import { findContainer } from './locate';
import { insertAt, pos, type TextEdit, type TextLines } from './text';

/**
 * Words of the proto grammar: a message so named is legal to protoc in places, but never what a reference that
 * names nothing meant.
 */
const KEYWORDS = new Set([
  'syntax', 'edition', 'import', 'package', 'option', 'message', 'enum', 'service', 'rpc', 'returns', 'stream', 'map', 'oneof',
  'reserved', 'extensions', 'extend', 'optional', 'repeated', 'required', 'group', 'to', 'max', 'true', 'false', 'inf', 'nan',
  'weak', 'public',
]);

/**
 * Where a type is referenced, with the name written there and the scope it is resolved from: an RPC's request or
 * response (the RPC's index in its service), or a field's type (a map's value type).
 */
type Site = { written: string; scope: string } & (
  | { kind: 'rpc'; anchors: readonly (MessageNode | undefined)[]; index: number; response: boolean; request?: MessageNode }
  | { kind: 'field'; top: MessageNode });

const rangeKey = (r: Range): string => `${r.start.line}:${r.start.character}:${r.end.line}:${r.end.character}`;

/**
 * The sites of a file's type references, by range, built once per bound file (a hostile file may have thousands of
 * unresolved references). For each service, `anchors[k]`: the message the messages of RPC k + 1 go after: RPC k's
 * response where it is a top-level message of this file (upstream declares it after the request), else its
 * request, else `anchors[k - 1]`.
 */
const siteIndexes = new WeakMap<BoundFile, Map<string, Site>>();
function sitesOf(bound: BoundFile): Map<string, Site> {
  let sites = siteIndexes.get(bound);
  if (sites) return sites;
  siteIndexes.set(bound, (sites = new Map()));
  const { ast } = bound;
  const targets = new Map(bound.references.filter((r) => r.target).map((r) => [rangeKey(r.range), r.target!]));
  const pkg = bound.model.package;
  const tops = new Map(ast.messages.map((m) => [pkg ? `${pkg}.${m.name}` : m.name, m]));
  const localAt = (r: Range): MessageNode | undefined => {
    const t = targets.get(rangeKey(r));
    return t === undefined ? undefined : tops.get(t);
  };
  for (const s of ast.services) {
    const anchors: (MessageNode | undefined)[] = [];
    s.rpcs.forEach((rpc, k) => {
      const request = localAt(rpc.requestTypeRange);
      sites!.set(rangeKey(rpc.requestTypeRange), { written: rpc.requestType, scope: pkg, kind: 'rpc', anchors, index: k, response: false });
      sites!.set(rangeKey(rpc.responseTypeRange), { written: rpc.responseType, scope: pkg, kind: 'rpc', anchors, index: k, response: true, ...(request ? { request } : {}) });
      anchors.push(localAt(rpc.responseTypeRange) ?? request ?? anchors[k - 1]);
    });
  }
  const fieldsOf = (m: MessageNode, top: MessageNode, scope: string): void => {
    for (const f of m.fields) {
      sites!.set(rangeKey(f.mapValueRange ?? f.typeRange), { written: f.type, scope, kind: 'field', top });
      // A group's body is a message of its own, which m.messages does not list.
      if (f.group) fieldsOf(f.group, top, join(scope, f.group.name));
    }
    for (const n of m.messages) fieldsOf(n, top, join(scope, n.name));
  };
  for (const m of ast.messages) fieldsOf(m, m, join(pkg, m.name));
  return sites;
}

/** What an unresolved reference would declare: `name` in the package or, with `outer`, in that message of the file. */
interface Undeclared {
  site: Site;
  name: string;
  outer?: MessageNode;
  /** Its full name. */
  fqn: string;
}

/**
 * What the unresolved reference at `range` (an RPC's or a field's) would declare: the last component of the
 * written name, in the scope the rest names (the package where nothing is in front). Only an identifier that is
 * not a scalar or keyword, free in that scope, and only where the written name would then name it.
 */
function undeclaredAt(bound: BoundFile, range: Range): Undeclared | undefined {
  const site = sitesOf(bound).get(rangeKey(range));
  if (!site) return undefined;
  const pkg = bound.model.package;
  const dot = site.written.lastIndexOf('.');
  const name = site.written.slice(dot + 1);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || SCALARS.has(name) || KEYWORDS.has(name)) return undefined;
  const into: Found | undefined = dot < 0 ? { fqn: pkg, kind: 'package' } : resolve(bound, site.written.slice(0, dot), site.scope);
  let outer: MessageNode | undefined;
  if (into?.kind === 'message' && into.uri === bound.uri) {
    const c = findContainer(bound.ast, into.fqn, false);
    if (c?.kind !== 'message') return undefined;
    outer = c;
  } else if (into?.kind !== 'package' || into.fqn !== pkg) {
    return undefined;
  }
  if (namesInScope(bound, into.fqn).has(name)) return undefined;
  const fqn = join(into.fqn, name);
  if (resolve(bound, site.written, site.scope, fqn)?.fqn !== fqn) return undefined;
  return { site, name, fqn, ...(outer ? { outer } : {}) };
}

type Found = Pick<Declaration, 'fqn' | 'kind' | 'uri'>;

/**
 * Per bound file and message that a fix would declare, the places of its name with it among them: built once, as
 * every reference that lacks it asks (copied for each, they made the findings quadratic in a file where thousands
 * of messages declare the name and thousands of others refer to it).
 */
const placesWith = new WeakMap<BoundFile, Map<string, readonly Scoped[]>>();

/** protoc's lookup (see lookup.ts), with the message `extra` declared too. */
function resolve(bound: BoundFile, written: string, scope: string, extra?: string): Found | undefined {
  if (extra === undefined) return lookup(written, scope, bound.names, bound.declarations);
  const k = extra.lastIndexOf('.');
  const name = extra.slice(k + 1);
  let cache = placesWith.get(bound);
  if (!cache) placesWith.set(bound, (cache = new Map()));
  let places = cache.get(extra);
  if (!places) cache.set(extra, (places = [...(bound.names.get(name) ?? []), { scope: extra.slice(0, Math.max(k, 0)), fqn: extra }].sort(innermostFirst)));
  const names = { get: (n: string) => (n === name ? places : bound.names.get(n)) };
  const declarations = { get: (fqn: string): Found | undefined => (fqn === extra ? { fqn, kind: 'message' } : bound.declarations.get(fqn)) };
  return lookup(written, scope, names, declarations);
}

/**
 * One finding per unresolved type reference whose fix is to declare the message: what fix-all and the light bulb
 * fix, as they fix the binder's duplicate-number. Its element is the message it would declare, so that fix-all
 * declares a name referenced twice once. None for a name that `released` (the baseline) declares as an enum: the
 * reference is to a deleted enum, and a message of its name would make each field of that type length-delimited
 * instead of a varint, which no peer of the release can read. None either for a deleted message that a finding's
 * restore declares again as released (`restorable`, fixes.ts restorableMessages): an empty stub beside it would
 * drop its fields; where the restore cannot be made, Declare stays. Built once per bound file, baseline and set.
 */
const undeclaredLists = new WeakMap<BoundFile, Map<ApiModel | undefined, Map<ReadonlySet<string> | undefined, readonly Finding[]>>>();
export function undeclaredFindings(bound: BoundFile, released?: ApiModel, restorable?: ReadonlySet<string>): readonly Finding[] {
  let lists = undeclaredLists.get(bound);
  if (!lists) undeclaredLists.set(bound, (lists = new Map()));
  let bySet = lists.get(released);
  if (!bySet) lists.set(released, (bySet = new Map()));
  let out = bySet.get(restorable);
  if (out) return out;
  const list: Finding[] = [];
  const pkg = bound.model.package;
  const enums = released?.enums.length ? new Set(released.enums.map((e) => e.fqn)) : undefined;
  for (const p of bound.problems) {
    if (p.code !== UNRESOLVED_TYPE) continue;
    const u = undeclaredAt(bound, p.range);
    if (!u || enums?.has(u.fqn) || restorable?.has(u.fqn)) continue;
    list.push({
      rule: UNRESOLVED_TYPE, category: 'WIRE', severity: 'error', message: p.message, range: p.range,
      element: u.fqn, fixes: [{ kind: 'declareMessage', name: localName(u.fqn, pkg) }],
    });
  }
  bySet.set(restorable, (out = list));
  return out;
}

/**
 * `message <name> {}` with its documentation (`doc`, comment lines without `//`); `name` is the path in the
 * package (`Outer.Inner`). In a message, by `intoBody` (at the end of its body); at the top level after the
 * message its site points at (see the file comment), else at the end of the file, at that message's indentation
 * with a blank line before it.
 */
export function declareMessageEdits(
  L: TextLines, bound: BoundFile, range: Range, name: string, doc: readonly string[],
  intoBody: (outer: MessageNode, lines: string[]) => TextEdit[] | undefined,
): TextEdit[] | undefined {
  const u = undeclaredAt(bound, range);
  if (!u || localName(u.fqn, bound.model.package) !== name || L.slice(range) !== u.site.written) return undefined;
  const { site } = u;
  if (u.outer) return intoBody(u.outer, [...doc.map((l) => `// ${l}`), `message ${u.name} {}`]);
  const anchor = site.kind === 'field' ? site.top : (site.response ? site.request : undefined) ?? site.anchors[site.index - 1];
  const indent = anchor ? L.indentOf(anchor.range.start.line) : '';
  const lines = [...doc.map((l) => `${indent}// ${l}`), `${indent}message ${u.name} {}`];
  const at = anchor && after(L, anchor);
  if (at) {
    // The anchor's line ends the file without a line break: none after the new message either.
    if (at.line + 1 >= L.lineCount) return [insertAt(at, ['', '', ...lines].join(L.eol))];
    return [insertAt(pos(at.line + 1, 0), ['', ...lines, ''].join(L.eol))];
  }
  return endOfFile(L, lines);
}

/** The end of a message and its comment on the same line, where nothing else follows on that line. */
function after(L: TextLines, m: MessageNode): Position | undefined {
  const trailing = m.comments.trailing;
  const end = trailing && trailing.range.start.line === m.range.end.line ? trailing.range.end : m.range.end;
  return L.endsLine(end) ? pos(end.line, L.line(end.line).length) : undefined;
}

/** `lines` after the last line of the file, a blank line between; a final line break where the file had one. */
export function endOfFile(L: TextLines, lines: readonly string[]): TextEdit[] {
  const last = L.lineCount - 1;
  if (!L.isBlank(last)) return [insertAt(pos(last, L.line(last).length), ['', '', ...lines].join(L.eol))];
  // After a blank line (or at the start of an empty file) no other is needed.
  const blankBefore = last === 0 || L.isBlank(last - 1);
  return [insertAt(pos(last, L.line(last).length), [...(blankBefore ? [] : ['']), ...lines, ''].join(L.eol))];
}
