// Document symbols (the outline) and workspace symbols (Go to Symbol in Workspace). Both only need the
// syntax tree, so workspace files are parsed, never bound.

import { rangeContains, type FieldNode, type OptionNode, type ProtoFile, type RpcNode } from '../proto/ast';
import { isTrue } from '../proto/aggregate';
import { allElements, fileElements, packageOf, type Element, type ElementKind } from './positions';
import { SymbolKind, SymbolTag, type DocumentSymbol, type SymbolInformation } from './types';

export const SYMBOL_KINDS: Record<ElementKind, SymbolKind> = {
  message: SymbolKind.Struct,
  field: SymbolKind.Field,
  oneof: SymbolKind.Object,
  enum: SymbolKind.Enum,
  enumValue: SymbolKind.EnumMember,
  service: SymbolKind.Interface,
  rpc: SymbolKind.Method,
  extend: SymbolKind.Namespace,
};

const UNNAMED: Record<ElementKind, string> = {
  message: '(unnamed message)', field: '(unnamed field)', oneof: '(unnamed oneof)', enum: '(unnamed enum)',
  enumValue: '(unnamed value)', service: '(unnamed service)', rpc: '(unnamed rpc)', extend: 'extend',
};

/** The outline of a file: messages, fields, oneofs, enums, values, services, rpcs and extend blocks. */
export function getDocumentSymbols(ast: ProtoFile): DocumentSymbol[] {
  return fileElements(ast).map(toDocumentSymbol);
}

function toDocumentSymbol(e: Element): DocumentSymbol {
  const name = e.kind === 'extend' ? `extend ${e.name}` : e.name || UNNAMED[e.kind];
  // Editors reject a selection range outside the full range; recovery can produce one for broken input.
  const selectionRange = rangeContains(e.range, e.nameRange.start) && rangeContains(e.range, e.nameRange.end) ? e.nameRange : e.range;
  const s: DocumentSymbol = { name, kind: SYMBOL_KINDS[e.kind], range: e.range, selectionRange };
  const detail = detailOf(e);
  if (detail) s.detail = detail;
  if (isDeprecated(e)) s.tags = [SymbolTag.Deprecated];
  if (e.children.length) s.children = e.children.map(toDocumentSymbol);
  return s;
}

/** Short description shown beside the name: `repeated string = 3`, `= 1`, `(A) returns (stream B)`. */
export function detailOf(e: Element): string | undefined {
  switch (e.kind) {
    case 'field': {
      const f = e.node as FieldNode;
      return `${fieldTypeText(f)}${f.number !== undefined ? ` = ${f.number}` : ''}`;
    }
    case 'enumValue': {
      const n = (e.node as { number?: number }).number;
      return n !== undefined ? `= ${n}` : undefined;
    }
    case 'rpc': {
      const r = e.node as RpcNode;
      return `(${r.requestStream ? 'stream ' : ''}${r.requestType}) returns (${r.responseStream ? 'stream ' : ''}${r.responseType})`;
    }
    default:
      return undefined;
  }
}

/** A field's label and type as written: `repeated string`, `map<string, string>`, `optional Foo`. */
export function fieldTypeText(f: FieldNode): string {
  const type = f.mapKey !== undefined ? `map<${f.mapKey}, ${f.type}>` : f.group ? 'group' : f.type;
  return f.label ? `${f.label} ${type}` : type;
}

function isDeprecated(e: Element): boolean {
  const opts = (e.node as { options?: OptionNode[] }).options;
  return !!opts?.some((o) => o.name === 'deprecated' && isTrue(o));
}

export interface WorkspaceSymbolOptions {
  /** At most this many results (default 500). */
  limit?: number;
  /** Checked between files; return what was found so far when it says stop. */
  isCancelled?: () => boolean;
}

/**
 * Symbols matching a query over a set of files. A symbol matches when the query's characters appear in
 * its name in order, ignoring case (a query with a dot is matched against the full path instead). Results
 * are ranked: exact name, then prefix, then substring, then the rest; ties keep file and document order.
 */
export function getWorkspaceSymbols(
  files: Iterable<{ uri: string; ast: ProtoFile }>, query: string, options: WorkspaceSymbolOptions = {},
): SymbolInformation[] {
  const limit = options.limit ?? 500;
  const q = (typeof query === 'string' ? query : '').trim().toLowerCase();
  const byPath = q.includes('.');
  const scored: { score: number; order: number; s: SymbolInformation }[] = [];
  let order = 0;
  for (const file of files) {
    if (options.isCancelled?.()) break;
    const pkg = packageOf(file.ast);
    for (const e of allElements(file.ast)) {
      if (!e.name || e.kind === 'extend') continue;
      const score = matchScore(byPath ? e.path.toLowerCase() : e.name.toLowerCase(), q);
      if (score < 0) continue;
      const s: SymbolInformation = { name: e.name, kind: SYMBOL_KINDS[e.kind], location: { uri: file.uri, range: e.nameRange } };
      const container = e.parent && e.parent.kind !== 'extend' ? (e.parent.kind === 'oneof' ? e.parent.parent?.path : e.parent.path) : pkg;
      if (container) s.containerName = container;
      if (isDeprecated(e)) s.tags = [SymbolTag.Deprecated];
      scored.push({ score, order: order++, s });
    }
  }
  scored.sort((a, b) => a.score - b.score || a.order - b.order);
  return scored.slice(0, Math.max(0, limit)).map((x) => x.s);
}

/** 0 exact, 1 prefix, 2 substring, 3 subsequence (or empty query), -1 no match. */
export function matchScore(name: string, q: string): number {
  if (!q) return 3;
  if (name === q) return 0;
  if (name.startsWith(q)) return 1;
  if (name.includes(q)) return 2;
  let k = 0;
  for (let i = 0; i < name.length && k < q.length; i++) if (name[i] === q[k]) k++;
  return k === q.length ? 3 : -1;
}
