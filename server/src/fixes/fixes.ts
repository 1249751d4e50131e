// Quick fixes: a finding's fix data turned into minimal text edits against the exact text the finding was
// computed for. Pure functions over (text, bound file, finding); the LSP server maps the result to code
// actions and the CLI applies it with `applyEdits`. Every fix only inserts whole lines or replaces a name or
// number in place (in a body written on one line: inserts statements on that line, or turns the blanks around
// its members into line breaks), so the rest of the file stays byte-identical, in the file's own line ending.

import type { Finding, FixData } from '../compat/finding';
import { SUPPRESSION_MARKER, findSuppressions } from '../compat/suppress';
import { RULES_BY_ID } from '../compat/rules';
import { spanText } from '../proto/reservedText';
import { FALLBACK, docOf, ownDoc, statesCallOrder, statesIgnoredBehaviour, statesUnsetMeaning } from '../docs/docRules';
import { leadingRunHashes } from '../docs/fingerprint';
import type {
  Comment, EnumNode, EnumValueNode, FieldNode, MessageNode, OneofNode, OptionNode, Position, ProtoFile, Range, ReservedNode, RpcNode, ServiceNode,
} from '../proto/ast';
import { comparePositions, rangeContains } from '../proto/ast';
import { parse } from '../proto/parser';
import type { BoundFile, Declaration, TypeReference } from '../proto/binder';
import { innermostFirst, lookup, shortestName, type Scoped } from '../proto/lookup';
import { indexModel, localName, rpcNames } from '../proto/model';
import {
  bodyMembers, elementNamedAt, elementsOf, fieldLabeledAt, findAt, findContainer, type Container, type Located, type NodeKind,
} from './locate';
import { checkNonOverlapping, insertAt, linesOf, mergeEditLists, pos, wrapWords, type TextEdit, type TextLines } from './text';
import { containerIndex, declarationsIn, entriesOf, firstNumberEntryAbove, namesInScope, oneofsOf, reservationsOf, rpcsIn, type Declared, type Reservation } from './containers';
import { partitionPoint } from '../binarySearch';
import { declareMessageEdits, endOfFile } from './declare';
import { addFieldOption, dropFieldOption, featureEdits, setFieldOption, type FixedFeature } from './options';
import { EDITION_DEFAULTS, resolveFeatures, type Features } from '../proto/features';

/** The title of the fix that suppresses a finding of `rule` on its line (fix-all never picks it). */
export function suppressionTitle(rule: string): string {
  return `Ignore ${rule} here`;
}

export interface Fix {
  title: string;
  /** How the fix reads after another one in a combined title ("… and keep "x" as deprecated"). */
  clause?: string;
  kind: 'quickfix';
  /** At most one fix per finding is preferred; it is what "fix all" applies. */
  isPreferred?: boolean;
  edits: TextEdit[];
  /** Rule id of the finding the fix is for. */
  rule: string;
}

export interface FixAllResult extends Fix {
  /** Findings whose preferred fix is in `edits`. */
  applied: number;
  /** Findings of the rule whose preferred fix conflicted with another one, or that have none. */
  skipped: number;
}

/** The note the "Deprecate instead of deleting" fix adds above the restored member (see deprecationNote). */
export const DEPRECATION_NOTE = 'Deprecated: kept for the version skew window; do not use in new code.';
/** The narrowest width doc stubs are wrapped at (commentWidth): the deprecation note fits it at any indentation. */
const NOTE_WIDTH = 80;

/** DEPRECATION_NOTE as `//` lines (without `indent`) that fit NOTE_WIDTH columns at `indent`. */
function deprecationNote(indent: string): string[] {
  return wrapWords(DEPRECATION_NOTE, NOTE_WIDTH - indent.length - 3).map((l) => `// ${l}`);
}

/** What the suppression fix writes after the rule id; the user replaces it with the actual reason. */
export const SUPPRESSION_REASON_PLACEHOLDER = 'reason: TODO';

/** Rules whose findings are about suppression comments themselves: they cannot be suppressed. */
const UNSUPPRESSIBLE = new Set(['SUPPRESSION_UNUSED', 'SUPPRESSION_WITHOUT_REASON']);

interface ReserveRequest {
  container: string;
  isEnum: boolean;
  /** Inclusive ranges. */
  numbers: [number, number][];
  names: string[];
}

interface Planned {
  fix: Fix;
  /** Set for reserve fixes, so that fix-all can reserve several numbers of one message in one statement. */
  reserve?: ReserveRequest;
}

/** Every applicable fix of a finding, preferred one first, the suppression last. */
export function computeFixes(text: string, bound: BoundFile, finding: Finding): Fix[] {
  return plan(text, bound, finding).map((p) => p.fix);
}

/**
 * The preferred fix of every finding of `rule`, merged into one edit list: insertions at one position are
 * combined, reservations in one message or enum go into one statement, and a fix whose edits would overlap
 * edits already taken is skipped whole.
 */
export function fixAll(text: string, bound: BoundFile, findings: readonly Finding[], rule: string): FixAllResult {
  const L = linesOf(text);
  const lists: { edits: TextEdit[]; count: number }[] = [];
  const groups = new Map<string, { req: ReserveRequest; count: number; slot: number }>();
  let skipped = 0;
  const emptied = new Map<OneofNode, number>();
  // Indexed: called once per rule over every finding of a file, often too few times for V8 to optimize away a
  // `for…of` iterator's result object per finding.
  for (let k = 0; k < findings.length; k++) {
    const f = findings[k]!;
    if (f.rule !== rule) continue;
    const preferred = plan(text, bound, f, true)[0];
    if (!preferred || emptiesOneof(bound, f, preferred.fix, emptied)) {
      skipped++;
      continue;
    }
    if (preferred.reserve) {
      const key = `${preferred.reserve.isEnum ? 'enum' : 'message'} ${preferred.reserve.container}`;
      let g = groups.get(key);
      if (!g) {
        // A placeholder keeps the group at the position of its first finding.
        g = { req: { ...preferred.reserve, numbers: [], names: [] }, count: 0, slot: lists.length };
        groups.set(key, g);
        lists.push({ edits: [], count: 0 });
      }
      g.req.numbers.push(...preferred.reserve.numbers);
      g.req.names.push(...preferred.reserve.names);
      g.count++;
    } else {
      lists.push({ edits: preferred.fix.edits, count: 1 });
    }
  }
  for (const g of groups.values()) {
    const edits = reserveEdits(L, bound.ast, g.req);
    if (edits) lists[g.slot] = { edits, count: g.count };
    else skipped += g.count;
  }
  const used = lists.filter((l) => l.edits.length);
  const merged = mergeEditLists(text, used.map((l) => l.edits));
  const applied = used.reduce((n, l, k) => n + (merged.taken[k] ? l.count : 0), 0);
  skipped += used.reduce((n, l, k) => n + (merged.taken[k] ? 0 : l.count), 0);
  return { title: `Fix all ${rule} in this file`, kind: 'quickfix', rule, edits: merged.edits, applied, skipped };
}

/**
 * Whether a fix that moves a field out of its oneof (into another, or out of any) would, with those fix-all took
 * before it (`taken`, per oneof), leave the oneof empty: protoc refuses an empty oneof. Each such fix keeps the
 * oneof's other members; the last one is left for the next round, whose fix takes the oneof with it.
 */
function emptiesOneof(bound: BoundFile, finding: Finding, fix: Fix, taken: Map<OneofNode, number>): boolean {
  if (finding.rule !== 'FIELD_ONEOF_CHANGED' || !fix.title.startsWith('Move the field ')) return false;
  const loc = elementNamedAt(bound.ast, finding.range, ['field']);
  const o = loc?.parent?.kind === 'message' ? oneofsOf(loc.parent).byMember.get(loc.node as FieldNode) : undefined;
  if (!o || o.fields.length < 2) return false;
  const n = (taken.get(o) ?? 0) + 1;
  if (n >= o.fields.length) return true;
  taken.set(o, n);
  return false;
}

// ---- planning ----------------------------------------------------------------------------------------

/** `preferredOnly`: just the preferred fix (or none), without computing the fixes after it or the suppression. */
function plan(text: string, bound: BoundFile, finding: Finding, preferredOnly = false): Planned[] {
  const L = linesOf(text);
  // Fixes are computed against the exact text the bound file was parsed from; a mismatch means stale input.
  if (!matches(bound.ast, L)) return [];
  const out: Planned[] = [];
  let checked = 0;
  const name = finding.element.slice(finding.element.lastIndexOf('.') + 1);
  const push = (title: string, edits: TextEdit[] | undefined, reserve?: ReserveRequest, clause = `${title.charAt(0).toLowerCase()}${title.slice(1)} (${name})`): void => {
    if (!edits?.length) return;
    const p: Planned = { fix: { title, clause, kind: 'quickfix', edits: sortEdits(L, edits), rule: finding.rule } };
    if (reserve) p.reserve = reserve;
    out.push(p);
  };
  for (const fd of finding.fixes ?? []) {
    switch (fd.kind) {
      case 'reserve': {
        const req: ReserveRequest = { container: fd.message, isEnum: fd.isEnum, numbers: fd.numbers, names: fd.names };
        const c = findContainer(bound.ast, fd.message, fd.isEnum);
        const todo = c ? unreserved(c, req) : undefined;
        // An open enum's first value must be 0: reserving 0 is a compile error, only restoring the value fixes it.
        if (todo && !(fd.isEnum && todo.numbers.some(([a, b]) => a <= 0 && b >= 0) && isOpenEnum(bound, fd.message))) {
          const title = reserveTitle(todo.numbers, todo.names, fd.isEnum);
          push(title, reserveEdits(L, bound.ast, req), req, `r${title.slice(1)}`);
        }
        break;
      }
      case 'restore': {
        // Named: the findings of several members deleted from one message or enum sit on its name, and the editor
        // lists all their fixes in one menu.
        const title = `${fd.alias ? 'Restore the alias' : fd.isEnum ? 'Restore the enum value' : 'Restore the field'} "${fd.name}"`;
        const restore = (): void => push(title, restoreEdits(L, bound, fd, false), undefined, `restore "${name}"`);
        const deprecate = (): void => {
          if (!fd.alias) push(`Deprecate "${fd.name}" instead of deleting`, restoreEdits(L, bound, fd, true), undefined, `keep "${name}" as deprecated`);
        };
        // Removal without deprecation asks for exactly the deprecated field (or value) back.
        if (finding.rule === 'FIELD_REMOVED_WITHOUT_DEPRECATION' || finding.rule === 'ENUM_VALUE_REMOVED_WITHOUT_DEPRECATION') {
          deprecate();
          restore();
        } else {
          restore();
          deprecate();
        }
        break;
      }
      case 'restoreRpc':
        // As a deleted field's: the RPC as released first, then kept but deprecated.
        push(`Restore the RPC "${fd.name}"`, restoreRpcEdits(L, bound, fd, false), undefined, `restore "${fd.name}"`);
        push(`Deprecate "${fd.name}" instead of deleting`, restoreRpcEdits(L, bound, fd, true), undefined, `keep "${fd.name}" as deprecated`);
        break;
      case 'renumber':
        push(fd.label, renumberEdits(L, bound.ast, finding, fd));
        break;
      case 'rename':
        push(`Restore the original name "${fd.to}"`, renameEdits(L, bound, finding, fd));
        break;
      case 'moveBack': {
        const scope = parentPath(fd.from);
        const where = scope === bound.model.package ? 'the top level' : `"${localName(scope, bound.model.package)}"`;
        push(`Move the type back to ${where}`, moveBackEdits(L, bound, finding, fd));
        break;
      }
      case 'restoreType':
        push(`Restore ${fd.isEnum ? 'enum' : 'message'} "${fd.name}" as released in ${fd.tag}`, restoreTypeEdits(L, bound, fd), undefined, `restore "${fd.name}"`);
        break;
      case 'retype':
        push(`Restore the released type "${fd.to}"`, retypeEdits(L, bound, finding, fd));
        break;
      case 'feature':
        push(fd.feature === 'enum_type' ? `Make the enum ${fd.value === 'OPEN' ? 'open' : 'closed'} again` : 'Restore the released UTF-8 validation',
          fd.feature === 'enum_type' ? enumTypeEdits(L, bound, finding, fd.value) : utf8Edits(L, bound, finding, fd.value));
        break;
      case 'presence':
        push(fd.optional ? 'Restore "optional" (explicit presence)' : 'Make the field implicit again (no "optional")', presenceEdits(L, bound.ast, finding, fd));
        break;
      case 'leaveOneof':
        push('Move the field out of the oneof', leaveOneofEdits(L, bound.ast, finding));
        break;
      case 'enterOneof':
        push(`Move the field back into oneof "${fd.oneof}"`, enterOneofEdits(L, bound.ast, finding, fd));
        break;
      case 'docStub': {
        const stub = docStubEdits(L, bound, finding, fd);
        if (stub) push(STUB_TITLES[stub.fix], stub.edits);
        break;
      }
      case 'declareAfter':
        push(`Declare "${fd.name}" after "${fd.after}"`, declareAfterEdits(L, bound, fd));
        break;
      case 'declareMessage': {
        // The documentation stub of a new message, as the doc-stub fix writes it.
        const doc = stubLines({ kind: 'docStub', element: 'message', name: fd.name.slice(fd.name.lastIndexOf('.') + 1) }, undefined);
        push(`Declare message "${fd.name}"`, declareMessageEdits(L, bound, finding.range, fd.name, doc, (outer, lines) => appendToBody(L, outer, lines)));
        break;
      }
    }
    // The preferred fix is the first applicable one of a title not seen before (as below).
    for (; preferredOnly && checked < out.length; checked++) {
      const p = out[checked]!;
      if (out.findIndex((q) => q.fix.title === p.fix.title) < checked || !applicable(L, p.fix)) continue;
      p.fix.isPreferred = true;
      return [p];
    }
  }
  if (preferredOnly) return [];
  // One fix per title: the same fix data can come twice (e.g. restore for two rules of one deletion).
  let unique = out;
  if (out.length > 1) {
    const seen = new Set<string>();
    unique = out.filter((p) => !seen.has(p.fix.title) && !!seen.add(p.fix.title));
  }
  const suppress = suppressEdits(L, finding);
  if (suppress) unique.push({ fix: { title: suppressionTitle(finding.rule), kind: 'quickfix', edits: suppress, rule: finding.rule } });
  const valid = unique.filter((p) => applicable(L, p.fix));
  // The first real fix is preferred; a suppression never is.
  const first = valid[0];
  if (first && first.fix.edits !== suppress) first.fix.isPreferred = true;
  return valid;
}

/** Never hand out edits that cannot be applied (a bug here must not become a broken document). */
function applicable(L: TextLines, fix: Fix): boolean {
  try {
    checkNonOverlapping(L.text, fix.edits);
    return true;
  } catch {
    return false;
  }
}

/**
 * Does the tree end where the text does? Checked once per tree and text (the text of `TextLines` never
 * changes), not once per finding.
 */
const matchedLines = new WeakMap<ProtoFile, TextLines>();
function matches(ast: ProtoFile, L: TextLines): boolean {
  if (matchedLines.get(ast) === L) return true;
  if (comparePositions(ast.range.end, L.positionAt(L.text.length)) !== 0) return false;
  matchedLines.set(ast, L);
  return true;
}

function sortEdits(L: TextLines, edits: TextEdit[]): TextEdit[] {
  if (edits.length < 2) return edits.slice();
  // Two edits (a stub above a member of a one-line body and the `}` moved, for each of a huge file's): compared
  // as the sort below would, without the sort's work arrays and a record per edit.
  if (edits.length === 2) return L.offsetAt(edits[1]!.range.start) < L.offsetAt(edits[0]!.range.start) ? [edits[1]!, edits[0]!] : edits.slice();
  return edits
    .map((e, k) => ({ e, k, o: L.offsetAt(e.range.start) }))
    .sort((a, b) => a.o - b.o || a.k - b.k)
    .map((x) => x.e);
}

// ---- reserve -----------------------------------------------------------------------------------------

function reserveTitle(numbers: [number, number][], names: string[], isEnum: boolean): string {
  const many = numbers.length > 1 || numbers.some(([a, b]) => a !== b);
  const n = numbers.length ? `number${many ? 's' : ''} ${numbers.map((r) => spanText(r, isEnum)).join(', ')}` : '';
  const s = names.length ? `name${names.length > 1 ? 's' : ''} ${names.map((x) => `"${x}"`).join(', ')}` : '';
  return `Reserve ${[n, s].filter(Boolean).join(' and ')}`;
}

/**
 * The numbers and names of a request that the container does not reserve yet; undefined when none. Numbers
 * that a range reserves in part come back as the parts it does not: protoc refuses overlapping reservations.
 */
function unreserved(c: Container, req: ReserveRequest): { numbers: [number, number][]; names: string[] } | undefined {
  const { reservedNumbers, reservedNames } = containerIndex(c);
  const seen = new Set<string>();
  const numbers: [number, number][] = [];
  for (const span of req.numbers) {
    if (seen.has(`${span[0]} ${span[1]}`)) continue;
    seen.add(`${span[0]} ${span[1]}`);
    numbers.push(...reservedNumbers.outside(span[0], span[1]));
  }
  const names = [...new Set(req.names.filter(Boolean))].filter((n) => !reservedNames.has(n));
  return numbers.length || names.length ? { numbers, names } : undefined;
}

/**
 * Reserves numbers and names in a message or enum: appended to the last existing `reserved` statement of
 * numbers (names) before its `;`, else as a new statement after the existing one of the other kind, else at
 * the top of the body.
 */
function reserveEdits(L: TextLines, ast: ProtoFile, req: ReserveRequest): TextEdit[] | undefined {
  const c = findContainer(ast, req.container, req.isEnum);
  if (!c) return undefined;
  const todo = unreserved(c, req);
  if (!todo) return undefined;
  const { numberStatement: numStmt, nameStatement: nameStmt } = containerIndex(c);
  const quote = nameStmt ? quoteOf(L, nameStmt) : identifierNames(ast) ? '' : '"';
  const edits: TextEdit[] = [];
  const appends = new Map<string, { at: Position; text: string }>();
  const insert = (at: Position, text: string): void => {
    const key = `${at.line}:${at.character}`;
    appends.set(key, { at, text: (appends.get(key)?.text ?? '') + text });
  };
  const appendTo = (stmt: ReservedNode, items: string[]): void => insert(entriesOf(stmt).lastEnd, items.map((x) => `, ${x}`).join(''));
  const newStatements: string[] = [];
  if (todo.numbers.length) {
    // In ascending order, as protoc and buf write them and readers look for them: a new number goes before the
    // first entry of the statement that starts above it (`reserved 4, 11 to 15;`, not `reserved 11 to 15, 4;`).
    // Neighbouring ranges stay apart (`4, 5`): neither buf format nor protoc merges them.
    const spans = [...todo.numbers].sort((a, b) => a[0] - b[0]);
    if (numStmt) {
      const after: string[] = [];
      for (const span of spans) {
        const above = firstNumberEntryAbove(numStmt, span[0]);
        if (above) insert(above.range.start, `${spanText(span, req.isEnum)}, `);
        else after.push(spanText(span, req.isEnum));
      }
      if (after.length) appendTo(numStmt, after);
    } else newStatements.push(`reserved ${spans.map((r) => spanText(r, req.isEnum)).join(', ')};`);
  }
  if (todo.names.length) {
    const names = todo.names.map((n) => `${quote}${n}${quote}`);
    if (nameStmt) appendTo(nameStmt, names);
    else newStatements.push(`reserved ${names.join(', ')};`);
  }
  for (const a of appends.values()) edits.push(insertAt(a.at, a.text));
  if (newStatements.length) {
    const sibling = numStmt ?? nameStmt;
    const at = sibling && lineAfter(L, sibling);
    if (sibling && at) edits.push(insertAt(at, newStatements.map((s) => `${L.indentOf(sibling.range.start.line)}${s}${L.eol}`).join('')));
    else edits.push(insertAtTop(L, bodyOf(c), newStatements));
  }
  return edits;
}

function last<T>(xs: T[]): T | undefined {
  return xs[xs.length - 1];
}

/** The quote an existing names statement uses ('' for editions-style identifiers). */
function quoteOf(L: TextLines, stmt: ReservedNode): string {
  const first = L.slice(stmt.names[0]!.range).charAt(0);
  return first === '"' || first === "'" ? first : '';
}

/** Edition 2024 writes reserved names as identifiers. */
function identifierNames(ast: ProtoFile): boolean {
  const e = ast.edition?.value.replace(/^["']|["']$/g, '');
  return !!e && /^\d+$/.test(e) && Number(e) >= 2024;
}

/** Start of the line after a statement that has its lines to itself (only a comment may follow it). */
function lineAfter(L: TextLines, stmt: { range: Range }): Position | undefined {
  const end = stmt.range.end;
  const rest = L.line(end.line).slice(end.character);
  if (!/^\s*(\/\/.*)?$/.test(rest) || !L.startsLine(stmt.range.start) || end.line + 1 >= L.lineCount) return undefined;
  return pos(end.line + 1, 0);
}

/** A direct member of a body, with the leading comment that goes with it. */
type Member = { range: Range; comments?: { leading?: { range: Range } } };

/** A body fixes insert into: a message's or enum's, or a oneof's inside its message. */
interface Body {
  /** Direct members, in source order. */
  members: Member[];
  /** Members with numbers, in source order: fields (a oneof by its lowest number) or enum values. */
  numbered: { node: Member; number: number | undefined }[];
  /** Right after `{` to right before `}`. */
  bodyRange: Range;
  /** The declaration's first line: a `}` moved to a line of its own gets its indentation. */
  line: number;
}

/** Bodies are built once per syntax tree: each restore into a container would sort its members again. */
const bodies = new WeakMap<Container | OneofNode, Body | undefined>();

function bodyOf(c: Container): Body {
  let b = bodies.get(c);
  if (!b) bodies.set(c, (b = newBody(c)));
  return b;
}

function oneofBodyOf(L: TextLines, o: OneofNode): Body | undefined {
  if (!bodies.has(o)) bodies.set(o, oneofBody(L, o));
  return bodies.get(o);
}

function newBody(c: Container): Body {
  const numbered: Body['numbered'] = c.kind === 'message'
    ? [
        ...c.fields.filter((f) => !f.oneof).map((f) => ({ node: f, number: f.number })),
        ...c.oneofs.map((o) => ({ node: o, number: minOf(o.fields.map((f) => f.number)) })),
      ]
    : c.values.map((v) => ({ node: v, number: v.number }));
  numbered.sort((a, b) => comparePositions(a.node.range.start, b.node.range.start));
  return { members: bodyMembers(c), numbered, bodyRange: c.bodyRange, line: c.range.start.line };
}

/** A oneof's body; undefined when its braces are not where they belong (the syntax tree keeps no body range for it). */
function oneofBody(L: TextLines, o: OneofNode): Body | undefined {
  const open = /[ \t\r\n]*\{/y;
  open.lastIndex = L.offsetAt(o.nameRange.end);
  const end = L.offsetAt(o.range.end);
  if (!open.exec(L.text) || open.lastIndex >= end || L.text.charAt(end - 1) !== '}') return undefined;
  const members: Member[] = [...o.fields, ...o.options].sort((a, b) => comparePositions(a.range.start, b.range.start));
  return {
    members,
    numbered: o.fields.map((f) => ({ node: f, number: f.number })),
    bodyRange: { start: L.positionAt(open.lastIndex), end: L.positionAt(end - 1) },
    line: o.range.start.line,
  };
}

/** Indentation of a body's members: the first member that starts a line, else the container's plus two spaces. */
const bodyIndents = new WeakMap<Body, string>();
function bodyIndent(L: TextLines, b: Body): string {
  let indent = bodyIndents.get(b);
  if (indent === undefined) bodyIndents.set(b, (indent = newBodyIndent(L, b)));
  return indent;
}

function newBodyIndent(L: TextLines, b: Body): string {
  const m = b.members.find((x) => L.startsLine(x.range.start));
  if (m) return L.indentOf(m.range.start.line);
  // No members left: a comment inside the body shows the indentation, else the file's own unit.
  for (let line = b.bodyRange.start.line + 1; line < b.bodyRange.end.line; line++) {
    if (/\S/.test(L.line(line))) return L.indentOf(line);
  }
  return L.indentOf(b.line) + indentUnit(L);
}

/** The file's indentation step: the indentation of its first indented line (two spaces if none). */
const indentUnits = new WeakMap<TextLines, string>();
function indentUnit(L: TextLines): string {
  let unit = indentUnits.get(L);
  if (unit === undefined) indentUnits.set(L, (unit = newIndentUnit(L)));
  return unit;
}

function newIndentUnit(L: TextLines): string {
  for (let line = 0; line < L.lineCount; line++) {
    const indent = L.indentOf(line);
    if (indent && /\S/.test(L.line(line))) return indent;
  }
  return '  ';
}

/** Inserts statements as the first lines of a body (above the first member and its leading comment). */
function insertAtTop(L: TextLines, b: Body, statements: string[]): TextEdit {
  const indent = bodyIndent(L, b);
  const first = b.members[0];
  if (first) {
    const p = first.comments?.leading?.range.start ?? first.range.start;
    if (L.startsLine(p) && L.startsLine(first.range.start)) return insertAt(pos(p.line, 0), statements.map((s) => `${indent}${s}${L.eol}`).join(''));
    // The first member shares the line of `{` (a one-line body): the statements go in front of it, on that line.
    if (p.line === first.range.start.line) return insertAt(p, statements.map((s) => `${s} `).join(''));
  }
  const close = b.bodyRange.end;
  if (!first && close.line === b.bodyRange.start.line) return breakBeforeClose(L, b, indent, statements)[0]!;
  if (!first && L.startsLine(close)) return insertAt(pos(close.line, 0), statements.map((s) => `${indent}${s}${L.eol}`).join(''));
  // The first member, or `}`, follows a comment on its line: open a line after `{`.
  return insertAt(b.bodyRange.start, statements.map((s) => `${L.eol}${indent}${s}`).join(''));
}

/** `lines` as text to insert, each at `indent` and ended by the file's line break. */
function linesAt(L: TextLines, lines: readonly string[], indent: string): string {
  return lines.map((l) => `${indent}${l}${L.eol}`).join('');
}

/**
 * A restored member's lines, to be written at `indent`: its released doc comment unless the one left behind is
 * reused (`orphaned`), the deprecation note wrapped for `indent`, then its declaration.
 */
function restoredLines(doc: string | undefined, orphaned: boolean, deprecate: boolean, decl: readonly string[]): (indent: string) => string[] {
  return (indent) => [...(orphaned ? [] : commentLines(doc)), ...(deprecate ? deprecationNote(indent) : []), ...decl];
}

/**
 * Lines before a `}` that shares its line with code (`message A { }`, `{ int32 x = 1; }`): the blanks in front of
 * `}` become the line break, so that no line ends in blanks, and `}` gets a line of its own. A one-line body
 * opens a line after `{` too, so that its members and the new lines line up.
 */
function breakBeforeClose(L: TextLines, b: Body, indent: string, lines: string[]): TextEdit[] {
  const { start: open, end: close } = b.bodyRange;
  const before = L.line(close.line).slice(0, close.character);
  const blanks = L.blanksBefore(close);
  const text = L.eol + linesAt(L, lines, indent) + L.indentOf(b.line);
  const edits: TextEdit[] = [{ range: { start: pos(close.line, close.character - blanks), end: close }, newText: text }];
  if (open.line === close.line && /\S/.test(before.slice(open.character))) {
    const after = /^[ \t]*/.exec(before.slice(open.character))![0].length;
    edits.unshift({ range: { start: open, end: pos(open.line, open.character + after) }, newText: L.eol + indent });
  }
  return edits;
}

function appendToBody(L: TextLines, c: MessageNode, lines: string[]): TextEdit[] {
  return appendLines(L, bodyOf(c), lines);
}

/** Lines at the end of a body, at its members' indentation; after a member, a blank line before them. */
function appendLines(L: TextLines, b: Body, lines: string[]): TextEdit[] {
  const indent = bodyIndent(L, b);
  const close = b.bodyRange.end;
  if (!L.startsLine(close) || close.line === b.bodyRange.start.line) return breakBeforeClose(L, b, indent, lines);
  const blank = b.members.length > 0 && !L.isBlank(close.line - 1) ? L.eol : '';
  return [insertAt(pos(close.line, 0), blank + linesAt(L, lines, indent))];
}

// ---- restore / deprecate -----------------------------------------------------------------------------

type RestoreData = Extract<FixData, { kind: 'restore' }>;

function restoreEdits(L: TextLines, bound: BoundFile, fd: RestoreData, deprecate: boolean): TextEdit[] | undefined {
  const c = findContainer(bound.ast, fd.container, fd.isEnum);
  if (!c) return undefined;
  // Something else took the name or number meanwhile: restoring would collide. An alias shares its number by design.
  const members = containerIndex(c);
  if (members.byName.has(fd.name) || (!fd.alias && members.numbers.has(fd.number))) return undefined;
  // A field shares its message's scope with the nested types and oneofs; an enum value the scope around its enum.
  if (declaredIn(bound, fd.isEnum ? parentPath(fd.container) : fd.container, fd.name)) return undefined;
  let decl = fd.isEnum ? fd.declaration : shortenTypes(fd.declaration, fd.container, bound);
  if (decl === undefined) return undefined; // its type is gone too: restoring would not compile
  if (deprecate) {
    const d = withDeprecated(decl);
    if (!d) return undefined; // already deprecated: plain restore is the same fix
    decl = d;
  }
  let body: Body | undefined = bodyOf(c);
  // What opens the body: a comment on the lines after its `{` trails it.
  let opener: Container | OneofNode = c;
  if (fd.oneof) {
    // Back into its oneof: outside it, the field would have left the oneof (a break of its own). When the oneof
    // is gone, nothing restores the field as it was.
    const o = c.kind === 'message' ? oneofsOf(c).byName.get(fd.oneof) : undefined;
    body = o && oneofBodyOf(L, o);
    if (!o || !body) return undefined;
    opener = o;
  }
  // A reservation of the number or name (a deletion done right, but without deprecation) is taken back.
  const unreserve = unreserveEdits(L, c, fd.alias ? undefined : fd.number, fd.name);
  if (!unreserve) return undefined;
  // The value 0 of an open enum must come first, also before negative values (and before values added since).
  const first = fd.isEnum && fd.number === 0 && isOpenEnum(bound, fd.container);
  // A field or value goes back between the members the baseline declared around it, where the file still has them.
  const neighbours = first ? undefined : fd.isEnum || fd.oneof ? numberedByName(body) : declarationsIn(bound, fd.container);
  const prev = fd.after === undefined ? undefined : neighbours?.get(fd.after);
  const following = fd.before === undefined ? undefined : neighbours?.get(fd.before);
  const next = following ?? (prev ? undefined : firstAbove(body, fd.number)?.node);
  // The comment the user left behind when deleting only the declaration: the field goes back under it, not with a
  // second copy of it (or the index's TODO) above.
  const orphan = fd.alias ? undefined : orphanedDoc(L, fd.docHash, {
    trailing: prev ? trailingBelow(prev) : fd.after === undefined ? opener.comments.trailing : undefined,
    next, follows: fd.before !== undefined && (next as { name?: string } | undefined)?.name === fd.before,
    closing: next ? undefined : commentAboveClose(L, body),
  });
  const block = restoredLines(fd.doc, orphan !== undefined, deprecate, [decl]);
  if (fd.alias) {
    const edits = aliasEdits(L, c, body, fd.alias, block(bodyIndent(L, body)));
    return edits && [...unreserve, ...edits];
  }
  if (orphan) return [...unreserve, insertAt(pos(orphan.line, 0), linesAt(L, block(orphan.indent), orphan.indent))];
  // Above the member that followed it first: what the user left where the field was (the comment of a reservation
  // that replaced it) stays with it.
  const spot = (following && beforeDeclaration(L, following, false)) ?? (prev && afterDeclaration(L, prev, false));
  if (spot) return [...unreserve, insertAt(spot.at, spot.wrap(linesAt(L, block(spot.indent), spot.indent)))];
  return [...unreserve, ...insertByNumber(L, body, fd.number, block(bodyIndent(L, body)), first)];
}

/**
 * A released RPC back into its service: after the RPC the baseline declared before it, else before the one after
 * it, else at the end of the service, with its options in a body of its own and its released documentation.
 */
function restoreRpcEdits(L: TextLines, bound: BoundFile, fd: Extract<FixData, { kind: 'restoreRpc' }>, deprecate: boolean): TextEdit[] | undefined {
  const s = indexModel(bound.model).services.get(fd.service)?.node;
  if (!s) return undefined;
  const rpcs = rpcsIn(s);
  if (rpcs.has(fd.name)) return undefined;
  const head = shortenTypes(fd.declaration, fd.service, bound);
  if (head === undefined) return undefined; // a message it takes or returns is gone too: restoring would not compile
  let options = fd.options;
  if (deprecate) {
    if (options.includes('deprecated = true')) return undefined; // already deprecated: plain restore is the same fix
    options = [...options, 'deprecated = true'];
  }
  const unit = indentUnit(L);
  const decl = options.length ? [`${head} {`, ...options.map((o) => `${unit}option ${o};`), '}'] : [`${head} {}`];
  const prev = fd.after === undefined ? undefined : rpcs.get(fd.after);
  const next = fd.before === undefined ? undefined : rpcs.get(fd.before);
  // As a field's: where only the declaration was deleted, it goes back under the comment left behind, which now
  // leads the next RPC or, after a blank line or `}`, stands between them (protoc keeps a comment after an RPC's
  // `}` with nothing: the syntax tree has it nowhere).
  const orphan = orphanedDoc(L, fd.docHash, { next, follows: next !== undefined })
    ?? docBetween(L, fd.docHash, prev?.range.end.line ?? s.bodyRange.start.line, next ? (next.comments.leading?.range ?? next.range).start.line : s.bodyRange.end.line);
  const block = restoredLines(fd.doc, orphan !== undefined, deprecate, decl);
  if (orphan) return [insertAt(pos(orphan.line, 0), linesAt(L, block(orphan.indent), orphan.indent))];
  const spot = (prev && afterDeclaration(L, prev, false)) ?? (next && beforeDeclaration(L, next, false));
  if (spot) return [insertAt(spot.at, spot.wrap(linesAt(L, block(spot.indent), spot.indent)))];
  const body = serviceBody(s);
  return appendLines(L, body, block(bodyIndent(L, body)));
}

/**
 * A service's body, built once per service: a fix-all that restores thousands of RPCs whose neighbours are all gone
 * appends each at the end, and sorting the members for each one took minutes (the fuzz's 30,000 deleted RPCs).
 */
const serviceBodies = new WeakMap<ServiceNode, Body>();
function serviceBody(s: ServiceNode): Body {
  let b = serviceBodies.get(s);
  if (!b) {
    const members: Member[] = [...s.rpcs, ...s.options].sort((x, y) => comparePositions(x.range.start, y.range.start));
    serviceBodies.set(s, (b = { members, numbered: [], bodyRange: s.bodyRange, line: s.range.start.line }));
  }
  return b;
}

/** The numbered members of a oneof's or an enum's body by name (its fields, its values), the first of each; once per body. */
const numberedMaps = new WeakMap<Body, Map<string, Declared>>();
function numberedByName(b: Body): ReadonlyMap<string, Declared> {
  let m = numberedMaps.get(b);
  if (!m) {
    numberedMaps.set(b, (m = new Map()));
    for (const { node } of b.numbered) {
      const x = node as FieldNode | EnumValueNode;
      if (!m.has(x.name)) m.set(x.name, x);
    }
  }
  return m;
}

/** A comment's `//` lines: the first line's number and each line's text. */
interface CommentRun { line: number; lines: string[] }

/**
 * Where a deleted member's documentation still stands, known by its fingerprint hash `docHash` (which the bundled index
 * has too, without the text), where protoc now attaches it:
 * - the first lines of the leading comment of the member it stood above (`next`), followed by that member's own
 *   lines; the whole comment only above the member the release declared after it (`follows`): above another, a
 *   comment equal to the deleted one's is that member's own;
 * - where a blank line or `}` followed the deleted member: the comment `trailing` what stood above it (the member
 *   before it, or the `{` that opens the body), or, where that one has a comment on its own line, the comment
 *   detached above the next member; after the body's last member, the comment right above `}` (`closing`).
 * The line after the comment, and its indentation.
 */
function orphanedDoc(
  L: TextLines, docHash: string | undefined, around: { trailing?: Comment; next?: Member; follows: boolean; closing?: CommentRun },
): { line: number; indent: string } | undefined {
  if (docHash === undefined) return undefined;
  const { trailing, next, follows, closing } = around;
  const after = (c: CommentRun, lines: number): { line: number; indent: string } => ({ line: c.line + lines, indent: L.indentOf(c.line) });
  const nextComments = (next as { comments?: { leading?: Comment; detached?: Comment[] } } | undefined)?.comments;
  const lead = commentRunOf(L, nextComments?.leading);
  if (lead) {
    const n = leadingRunHashes(lead.lines).findIndex((h, i) => h === docHash && (follows || i < lead.lines.length - 1));
    if (n >= 0) return after(lead, n + 1);
  }
  for (const c of [commentRunOf(L, trailing), commentRunOf(L, nextComments?.detached?.at(-1)), closing]) {
    if (c && leadingRunHashes(c.lines).at(-1) === docHash) return after(c, c.lines.length);
  }
  return undefined;
}

/** How many blank lines may stand between a neighbour (or the service's brace) and the comment docBetween looks at. */
const MAX_DOC_GAP_BLANKS = 3;
/** The longest comment docBetween reads: a longer run of `//` lines is no RPC's documentation left behind. */
const MAX_DOC_LINES = 200;

/**
 * The line after the run of `//` lines that is the documentation of hash `docHash`, and its indentation: the run
 * nearest below line `from` or nearest above line `to`, a few blank lines at most away, where a deleted RPC's comment
 * stands when only its declaration went. Only those two: a fix-all restoring thousands of RPCs into one gap would be
 * quadratic if each fix scanned the gap.
 */
function docBetween(L: TextLines, docHash: string | undefined, from: number, to: number): { line: number; indent: string } | undefined {
  if (docHash === undefined) return undefined;
  const inside = (k: number): boolean => k > from && k < to;
  const comment = (k: number): boolean => inside(k) && /^\s*\/\//.test(L.line(k));
  for (const step of [1, -1]) {
    let near = step > 0 ? from + 1 : to - 1;
    for (let blanks = 0; blanks < MAX_DOC_GAP_BLANKS && inside(near) && !/\S/.test(L.line(near)); blanks++) near += step;
    if (!comment(near)) continue;
    let far = near;
    while (comment(far + step) && Math.abs(far + step - near) < MAX_DOC_LINES) far += step;
    if (comment(far + step)) continue;
    const first = Math.min(near, far);
    const last = Math.max(near, far);
    const lines: string[] = [];
    for (let k = first; k <= last; k++) lines.push(L.line(k).replace(/^\s*\/\//, ''));
    if (leadingRunHashes(lines).at(-1) === docHash) return { line: last + 1, indent: L.indentOf(first) };
  }
  return undefined;
}

/** A `//` comment that starts its line, one comment line per line (so that a run of them ends on a line). */
function commentRunOf(L: TextLines, c: Comment | undefined): CommentRun | undefined {
  if (!c || c.block || !L.startsLine(c.range.start)) return undefined;
  const lines = c.text.split('\n');
  return lines.length === c.range.end.line - c.range.start.line + 1 ? { line: c.range.start.line, lines } : undefined;
}

/**
 * The `//` lines right above a body's `}` on its own line, below its last member: a comment protoc attaches to no
 * declaration (after a blank line), so the syntax tree does not keep it.
 */
function commentAboveClose(L: TextLines, b: Body): CommentRun | undefined {
  const close = b.bodyRange.end;
  if (!L.startsLine(close)) return undefined;
  const below = last(b.members)?.range.end.line ?? b.bodyRange.start.line;
  let line = close.line;
  while (line - 1 > below && /^\s*\/\//.test(L.line(line - 1))) line--;
  if (line === close.line) return undefined;
  const lines: string[] = [];
  for (let k = line; k < close.line; k++) lines.push(L.line(k).replace(/^\s*\/\//, ''));
  return { line, lines };
}

/**
 * The comment trailing a member on the lines below it. A message's, enum's or oneof's trailing comment follows its
 * `{`, inside it: none below it.
 */
function trailingBelow(m: Declared): Comment | undefined {
  const t = (m.comments as { trailing?: Comment } | undefined)?.trailing;
  return t && t.range.start.line > m.range.end.line ? t : undefined;
}

/**
 * Whether the file's enum `fqn` is open, so that its first value must be 0 (the default): a proto3 file's, and an
 * editions file's unless `features.enum_type` closes it; a proto2 file's are closed.
 */
function isOpenEnum(bound: BoundFile, fqn: string): boolean {
  if (bound.ast.syntax?.value === 'proto3') return true;
  const e = indexModel(bound.model).enums.get(fqn);
  // Not as the model says: protoc and buf check an enum type of none of its values as open.
  return bound.ast.edition !== undefined && (!e?.node || resolveFeatures(inheritedFeatures(bound, parentPath(fqn)), e.node.options).enumType !== 'CLOSED');
}

/**
 * A name of an alias pair goes back next to the name that remains: before it when the baseline declared it first
 * (JSON writes the first name of a number), else after it. The enum must allow aliases: the option is added
 * when it is missing, and nothing is offered when it is set to false.
 */
function aliasEdits(L: TextLines, c: Container, b: Body, alias: { name: string; first: boolean }, block: string[]): TextEdit[] | undefined {
  if (c.kind !== 'enum') return undefined;
  const { byName, allowAlias: option } = containerIndex(c);
  const other = byName.get(alias.name) as EnumValueNode | undefined;
  if (!other || (option && option.value !== 'true')) return undefined;
  const edits: TextEdit[] = option ? [] : [insertAtTop(L, b, ['option allow_alias = true;'])];
  const indent = L.indentOf(other.range.start.line);
  const lines = linesAt(L, block, indent);
  const p = other.comments.leading?.range.start ?? other.range.start;
  const ownLine = L.startsLine(p) && L.startsLine(other.range.start);
  const rest = L.line(other.range.end.line).slice(other.range.end.character);
  if (alias.first && ownLine) edits.push(insertAt(pos(p.line, 0), lines));
  else if (!alias.first && ownLine && /^\s*(\/\/.*)?$/.test(rest) && other.range.end.line + 1 < L.lineCount) edits.push(insertAt(pos(other.range.end.line + 1, 0), lines));
  else if (block.length === 1) edits.push(alias.first ? insertAt(other.range.start, `${block[0]} `) : insertAt(other.range.end, ` ${block[0]}`));
  else return undefined;
  return edits;
}

/** Inserts lines into a body before the first member with a higher number (`first`: before the first member), else at the end. */
function insertByNumber(L: TextLines, b: Body, number: number, block: string[], first = false): TextEdit[] {
  const next = first ? b.numbered[0] : firstAbove(b, number);
  if (next) {
    const p = next.node.comments?.leading?.range.start ?? next.node.range.start;
    if (L.startsLine(p) && L.startsLine(next.node.range.start)) {
      const indent = L.indentOf(next.node.range.start.line);
      return [insertAt(pos(p.line, 0), linesAt(L, block, indent))];
    }
    // It shares its line with code before it (a one-line body): a declaration alone goes in front of it.
    if (block.length === 1 && p.line === next.node.range.start.line) return [insertAt(p, `${block[0]} `)];
  }
  const indent = bodyIndent(L, b);
  const close = b.bodyRange.end;
  if (L.startsLine(close) && close.line > b.bodyRange.start.line) {
    // A comment right above `}` (trailing the last member, or detached) must not merge with our doc lines.
    const lastMember = last(b.members);
    const lastLine = lastMember ? lastMember.range.end.line : b.bodyRange.start.line;
    const separate = close.line - 1 > lastLine && !L.isBlank(close.line - 1);
    return [insertAt(pos(close.line, 0), (separate ? L.eol : '') + linesAt(L, block, indent))];
  }
  // `}` shares its line with code. A declaration alone joins the members on that line; doc lines (which end
  // their line), or a first member of an empty body, get lines of their own.
  if (block.length === 1 && b.members.length) {
    const blankBefore = /[ \t]$/.test(L.line(close.line).slice(0, close.character));
    return [insertAt(close, blankBefore ? `${block[0]} ` : ` ${block[0]}`)];
  }
  return breakBeforeClose(L, b, indent, block);
}

/**
 * The first numbered member (in source order) with a number above `number`: the first whose running maximum
 * of numbers is above it, found by binary search (the running maxima only grow).
 */
function firstAbove(b: Body, number: number): Body['numbered'][number] | undefined {
  const maxima = runningMaximaOf(b);
  return b.numbered[partitionPoint(maxima.length, (i) => maxima[i]! <= number)];
}

/** Per body, the largest number among its numbered members up to each one; built on first use. */
const runningMaxima = new WeakMap<Body, number[]>();

function runningMaximaOf(b: Body): number[] {
  let maxima = runningMaxima.get(b);
  if (!maxima) {
    let max = -Infinity;
    maxima = b.numbered.map((m) => (max = m.number !== undefined && m.number > max ? m.number : max));
    runningMaxima.set(b, maxima);
  }
  return maxima;
}

function minOf(ns: (number | undefined)[]): number | undefined {
  const xs = ns.filter((n): n is number => n !== undefined);
  return xs.length ? Math.min(...xs) : undefined;
}

/** `//` lines for a doc comment as the binder stores it (each line keeps the space after `//`). */
function commentLines(doc: string | undefined): string[] {
  if (doc === undefined || !doc.trim()) return [];
  return doc.split(/\r\n|\r|\n/).map((l) => (l === '' ? '//' : /^[ \t]/.test(l) ? `//${l}` : `// ${l}`));
}

/** `[deprecated = true]` added to (or merged into) a declaration; undefined when it already has it. */
export function withDeprecated(decl: string): string | undefined {
  // From the first `[` (a name, type or number has none) to the last `]`: an aggregate value may hold brackets.
  const m = /^([^[]*)\[(.*)\]\s*;\s*$/s.exec(decl);
  if (m) {
    const opts = m[2]!;
    if (/\bdeprecated\s*=\s*true\b/.test(opts)) return undefined;
    const merged = /\bdeprecated\s*=\s*false\b/.test(opts)
      ? opts.replace(/\bdeprecated\s*=\s*false\b/, 'deprecated = true')
      : `${opts.trim()}${opts.trim() ? ', ' : ''}deprecated = true`;
    return `${m[1]}[${merged}];`;
  }
  return decl.replace(/\s*;\s*$/, ' [deprecated = true];');
}

/**
 * Shortens fully-qualified type names in a declaration to the shortest name that resolves to the same type
 * from the container's scope (`runtime.v1.IDMapping` → `IDMapping` inside package runtime.v1). Undefined
 * when a type is not declared in the current file or its imports.
 */
export function shortenTypes(decl: string, scope: string, bound: BoundFile, restored?: RestoredScope): string | undefined {
  let missing = false;
  // Only the type, before the options: `features.field_presence` there is an option's name, not a type.
  const options = decl.indexOf('[');
  const head = options < 0 ? decl : decl.slice(0, options);
  const out = head.replace(/(?<![\w.])\.?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+/g, (written) => {
    const fqn = written.replace(/^\./, '');
    // A type the restore brings back with it: the shortest name that the restored types resolve to it.
    if (restored?.types.has(fqn)) return shortestName(fqn, (candidate) => restored.resolve(candidate) === fqn);
    const d = bound.declarations.get(fqn);
    if (!d || (d.kind !== 'message' && d.kind !== 'enum')) {
      missing = true;
      return written;
    }
    // Inside a restored type, a name that starts with one of the types it declares resolves to that one first.
    return shortestName(fqn, (candidate) => (restored ? restored.resolve(candidate) === undefined : true)
      && lookup(candidate, scope, bound.names, bound.declarations)?.fqn === fqn);
  });
  return missing ? undefined : out + decl.slice(head.length);
}

/**
 * The types a restore declares again (their full names), and what a name written in one of them resolves to among
 * them: protoc looks the name's first component up from the field's message outwards (lookup.ts), so the
 * restored types shadow the file's until the scope the restored one goes into; undefined when none of them declares it.
 */
interface RestoredScope {
  types: ReadonlySet<string>;
  resolve: (written: string) => string | undefined;
}

function restoredScope(types: readonly string[], from: string, into: string): RestoredScope {
  const set = new Set(types);
  return {
    types: set,
    resolve: (written) => {
      const first = written.split('.')[0]!;
      for (let s = from; ; s = parentPath(s)) {
        if (set.has(s ? `${s}.${first}` : first)) return s ? `${s}.${written}` : written;
        if (s === into || !s) return undefined;
      }
    },
  };
}

/**
 * Edits that take back the reservation of a number (if given) and/or a name: the entry with its comma, or the
 * whole statement when it is the only entry. Undefined when the number is part of a wider range.
 */
function unreserveEdits(L: TextLines, c: Container, number: number | undefined, name: string): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  const removeEntry = (stmt: ReservedNode, entry: { range: Range }): void => {
    const { ranges: entries, indexOf } = entriesOf(stmt);
    const k = indexOf.get(entry)!;
    if (entries.length === 1) {
      edits.push(removeStatement(L, stmt));
    } else if (k < entries.length - 1) {
      edits.push({ range: { start: entries[k]!.start, end: entries[k + 1]!.start }, newText: '' });
    } else {
      edits.push({ range: { start: entries[k - 1]!.end, end: entries[k]!.end }, newText: '' });
    }
  };
  const index = reservationsOf(c);
  const numbers = number === undefined ? [] : index.holding(number);
  if (!numbers) return undefined;
  // Statement by statement, its number before its name.
  const hits: Reservation[] = [...numbers, ...index.named(name)].sort((a, b) => a.order - b.order);
  for (const h of hits) removeEntry(h.stmt, h.entry);
  try {
    checkNonOverlapping(L.text, edits);
  } catch {
    return undefined;
  }
  return edits;
}

/**
 * Removes a statement: its whole line when it has the line to itself. Else only the statement and the blanks
 * that set it apart, so that a comment trailing it stays (`reserved 2; // b` leaves `// b`) and no line ends in
 * blanks: the blanks after it when more follows on the line, else those before it.
 */
function removeStatement(L: TextLines, stmt: ReservedNode): TextEdit {
  const { start, end } = stmt.range;
  const after = L.line(end.line).slice(end.character);
  if (L.startsLine(start) && /^[ \t]*$/.test(after)) {
    const to = end.line + 1 < L.lineCount ? pos(end.line + 1, 0) : pos(end.line, L.line(end.line).length);
    return { range: { start: pos(start.line, 0), end: to }, newText: '' };
  }
  if (!/^[ \t]*(\}|$)/.test(after)) {
    return { range: { start, end: pos(end.line, end.character + /^[ \t]*/.exec(after)![0].length) }, newText: '' };
  }
  return { range: { start: pos(start.line, start.character - L.blanksBefore(start)), end }, newText: '' };
}

// ---- renumber / rename -------------------------------------------------------------------------------

function renumberEdits(L: TextLines, ast: ProtoFile, finding: Finding, fd: Extract<FixData, { kind: 'renumber' }>): TextEdit[] | undefined {
  const loc = elementNamedAt(ast, finding.range, ['field', 'enumValue'], true) ?? findAt(ast, finding.range, ['field', 'enumValue']);
  if (!loc) return undefined;
  const node = loc.node as FieldNode | EnumValueNode;
  if (node.number === undefined || node.number === fd.to) return undefined;
  if (!/^-?\s*(0[xX][0-9a-fA-F]+|\d+)$/.test(L.slice(node.numberRange))) return undefined;
  const parent = loc.parent as Container | undefined;
  const edits: TextEdit[] = [{ range: node.numberRange, newText: String(fd.to) }];
  if (parent) {
    // The node's own number is not fd.to.
    const { numbers, reservedNumbers, byName } = containerIndex(parent);
    if (reservedNumbers.has(fd.to)) return undefined;
    const other = fd.swap !== undefined ? (byName.get(fd.swap) as FieldNode | EnumValueNode | undefined) : undefined;
    if (other && other.number === fd.to && /^\d+$/.test(L.slice(other.numberRange))) edits.push({ range: other.numberRange, newText: String(node.number) });
    else if (numbers.has(fd.to)) return undefined;
  }
  return edits;
}

function renameEdits(L: TextLines, bound: BoundFile, finding: Finding, fd: Extract<FixData, { kind: 'rename' }>): TextEdit[] | undefined {
  const current = L.slice(finding.range);
  if (!/^[A-Za-z_]\w*$/.test(current) || current === fd.to || !/^[A-Za-z_]\w*$/.test(fd.to)) return undefined;
  const loc = elementNamedAt(bound.ast, finding.range, ['message', 'enum', 'field', 'enumValue', 'service', 'rpc', 'oneof']);
  if (!loc || loc.node.name !== current || nameTaken(bound, loc, fd.to)) return undefined;
  const edits: TextEdit[] = [{ range: finding.range, newText: fd.to }];
  if (loc.kind === 'field' || loc.kind === 'enumValue') {
    // A reserved name comes back with its reservation taken back, as restore does: else it is a compile error.
    const unreserve = unreserveEdits(L, loc.parent as Container, undefined, fd.to);
    if (!unreserve) return undefined;
    edits.push(...unreserve);
  }
  if (loc.kind === 'message' || loc.kind === 'enum') {
    const scope = parentPath(loc.path);
    const refs = referenceEdits(L, bound, loc.path, scope ? `${scope}.${fd.to}` : fd.to);
    if (!refs) return undefined;
    edits.push(...refs);
  }
  return edits;
}

// ---- presence, oneofs, moved types --------------------------------------------------------------------

/**
 * The released scalar type written over the field's type, which is where the finding is, and the released encoding
 * where the field would not have it with the type alone: `packed`, or in an editions file the feature.
 */
function retypeEdits(L: TextLines, bound: BoundFile, finding: Finding, fd: Extract<FixData, { kind: 'retype' }>): TextEdit[] | undefined {
  const loc = findAt(bound.ast, finding.range, ['field']);
  const f = loc?.node as FieldNode | undefined;
  // Stale or unexpected input (a map's value type, a range that is not the type): no fix rather than a wrong one.
  if (!loc || !f || f.mapKey !== undefined || comparePositions(f.typeRange.start, finding.range.start) !== 0
    || comparePositions(f.typeRange.end, finding.range.end) !== 0) return undefined;
  const type: TextEdit = { range: finding.range, newText: fd.to };
  if (fd.packed === undefined) return [type];
  const encoding = bound.ast.edition
    ? fieldFeatureEdits(L, bound, loc, 'repeated_field_encoding', fd.packed ? 'PACKED' : 'EXPANDED')
    : setFieldOption(f, 'packed', String(fd.packed));
  return encoding && [type, ...encoding];
}

// ---- features ------------------------------------------------------------------------------------------

/** The features a field of the message `scope`, or an enum declared in `scope` (a message, or the package), inherits. */
function inheritedFeatures(bound: BoundFile, scope: string): Features {
  return indexModel(bound.model).messages.get(scope)?.features ?? resolveFeatures(EDITION_DEFAULTS, bound.ast.options);
}

/** An editions file's field `loc` made to resolve `feature` to `value`, by the smallest edit of its options. */
function fieldFeatureEdits(L: TextLines, bound: BoundFile, loc: Located, feature: FixedFeature, value: string): TextEdit[] | undefined {
  const f = loc.node as FieldNode;
  return featureEdits(f.options, inheritedFeatures(bound, parentPath(loc.path)), feature, value, (own) => dropFieldOption(L, f, own), (o) => addFieldOption(f, o));
}

/** The released UTF-8 validation on the field of the finding, in an editions file (proto2 and proto3 imply theirs). */
function utf8Edits(L: TextLines, bound: BoundFile, finding: Finding, value: string): TextEdit[] | undefined {
  const loc = elementNamedAt(bound.ast, finding.range, ['field']);
  return loc && bound.ast.edition ? fieldFeatureEdits(L, bound, loc, 'utf8_validation', value) : undefined;
}

/**
 * The released enum type on the enum of the finding, in an editions file: on the enum (protoc takes the feature on
 * the file or an enum), so that the other enums keep theirs. Not where that does not compile: an open enum's first
 * value must be 0, and no field of implicit presence may hold a closed enum.
 */
function enumTypeEdits(L: TextLines, bound: BoundFile, finding: Finding, value: string): TextEdit[] | undefined {
  const loc = elementNamedAt(bound.ast, finding.range, ['enum']);
  const e = loc?.node as EnumNode | undefined;
  if (!loc || !e || !bound.ast.edition) return undefined;
  if (value === 'OPEN' ? e.values[0]?.number !== 0 : bound.needOpen.has(loc.path)) return undefined;
  // The statement goes with its line; one with a comment above (which would document the first value) is turned.
  const dropLine = (own: OptionNode): TextEdit[] | undefined => {
    const line = own.range.start.line;
    if (!/^\s*option\s+features\.enum_type\s*=\s*\w+\s*;\s*$/.test(L.line(line)) || /^\s*(\/\/|\*)/.test(L.line(line - 1))) return undefined;
    return [{ range: { start: pos(line, 0), end: pos(line + 1, 0) }, newText: '' }];
  };
  return featureEdits(e.options, inheritedFeatures(bound, parentPath(loc.path)), 'enum_type', value, dropLine, (o) => [insertAtTop(L, bodyOf(e), [`option ${o};`])]);
}

/** `optional` put back in front of the type, or taken out with the blanks after it. */
function presenceEdits(L: TextLines, ast: ProtoFile, finding: Finding, fd: Extract<FixData, { kind: 'presence' }>): TextEdit[] | undefined {
  // The finding is at the field's label when it has one, else at its name.
  const loc = fd.optional ? elementNamedAt(ast, finding.range, ['field']) : fieldLabeledAt(ast, finding.range);
  const f = loc?.node as FieldNode | undefined;
  // An editions file says presence with `features.field_presence`, where the label `optional` is an error.
  if (!f || ast.edition) return undefined;
  if (fd.optional) return f.label === undefined ? [insertAt(f.typeRange.start, 'optional ')] : undefined;
  if (f.label !== 'optional' || !f.labelRange || f.labelRange.end.line !== f.typeRange.start.line) return undefined;
  return [{ range: { start: f.labelRange.start, end: f.typeRange.start }, newText: '' }];
}

/**
 * The whole lines of a declaration with its leading comment, and a comment trailing it on its last line;
 * undefined unless it has them to itself.
 */
function ownLines(L: TextLines, node: { range: Range; comments: { leading?: { range: Range } } }): { from: number; to: number } | undefined {
  // Read once: fields and messages build a new Range on every read.
  const range = node.range;
  const start = node.comments.leading?.range.start ?? range.start;
  if (!L.startsLine(start) || !L.startsLine(range.start)) return undefined;
  if (!/^\s*(\/\/.*)?$/.test(L.line(range.end.line).slice(range.end.character))) return undefined;
  if (range.end.line + 1 >= L.lineCount) return undefined;
  return { from: start.line, to: range.end.line + 1 };
}

/** Lines with the indentation `to` in place of `from`; undefined when a line that is not blank lacks `from`. */
function reindented(text: string, from: string, to: string): string | undefined {
  const lines = text.split(/(?<=\r\n|\n|\r(?!\n))/);
  const out: string[] = [];
  for (const l of lines) {
    if (/^[ \t]*(\r?\n|\r)?$/.test(l)) out.push(l);
    else if (l.startsWith(from)) out.push(to + l.slice(from.length));
    else return undefined;
  }
  return out.join('');
}

/**
 * A released field moved into a oneof goes back out at the oneof's indentation: right after the oneof when it is
 * the oneof's last member, else right before it (above its comment); a oneof left without members (protoc refuses
 * an empty one) is replaced by the field, which takes the oneof's comments along. So fields that leave one after
 * the other in their source order, or together (fix-all, which leaves a oneof's last member for a round of its
 * own), come out in that order (after the oneof, each went above the one before it), and a field put into a oneof
 * at its start or end goes back to that side. However the oneof is laid out (one line, a member on the line of a
 * brace): the field's text is built from its pieces, not moved as whole lines.
 */
function leaveOneofEdits(L: TextLines, ast: ProtoFile, finding: Finding): TextEdit[] | undefined {
  const loc = elementNamedAt(ast, finding.range, ['field']);
  const f = loc?.node as FieldNode | undefined;
  const m = loc?.parent;
  if (!loc || !f?.oneof || m?.kind !== 'message') return undefined;
  const o = oneofsOf(m).byMember.get(f);
  if (!o) return undefined;
  if (o.fields.length === 1) {
    const dissolved = dissolvedOneof(L, o, f);
    return dissolved && [dissolved];
  }
  const lines = o.fields[o.fields.length - 1] === f ? undefined : ownLines(L, o);
  // Where the oneof's comment shares its line with code, after the oneof: the order is lost, not the fix.
  const at = lines ? pos(lines.from, 0) : lineAfter(L, o);
  return at && [{ range: cutOf(L, f), newText: '' }, insertAt(at, fieldText(L, f, L.indentOf(o.range.start.line)) + L.eol)];
}

/**
 * The oneof `o`, whose one member `f` leaves it, replaced by that member at the oneof's indentation: protoc
 * refuses an empty oneof. The oneof's comments are often the field's documentation (`// ID of the container to
 * stop.` above `oneof target {`), so they go above the field, the leading one and then the trailing one (after
 * `{`), without blank lines, where protoc attaches them, with the field's own leading comment below them, to the
 * field as one comment; a comment after `}`, which protoc attaches to nothing, is kept as the field's trailing one.
 * The oneof's options go with it. Undefined where the comments would not make one comment (a block comment among
 * others) or anything else is in the oneof.
 */
function dissolvedOneof(L: TextLines, o: OneofNode, f: FieldNode): TextEdit | undefined {
  const { leading, trailing } = o.comments;
  const whole = onlyMemberLines(L, o, f);
  const comments = [leading, trailing, f.comments.leading].filter((c) => c !== undefined);
  if (!whole || (comments.length > 1 && comments.some((c) => c.block))) return undefined;
  const close = o.range.end;
  const afterClose = L.line(close.line).slice(close.character).trimEnd();
  // The field's own trailing comment and that one on one line: protoc would take neither.
  if (afterClose && comparePositions(fieldSpan(f).end, f.range.end) !== 0) return undefined;
  const indent = L.indentOf(o.range.start.line);
  let text = L.slice({ start: pos(whole.from, 0), end: pos(o.range.start.line, 0) });
  if (trailing) text += indentedText(L, trailing.range, indent) + L.eol;
  text += fieldText(L, f, indent) + afterClose + L.eol;
  return { range: { start: pos(whole.from, 0), end: pos(whole.to, 0) }, newText: text };
}

/**
 * The whole lines of a oneof (with its leading comment and a `//` comment after `}`) that holds nothing but its
 * one member `f` with its comments, the oneof's trailing comment and options, and blanks, however they are laid
 * out (`oneof c { int32 x = 1; }` too); undefined otherwise.
 */
function onlyMemberLines(L: TextLines, o: OneofNode, f: FieldNode): { from: number; to: number } | undefined {
  const whole = ownLines(L, o);
  const body = oneofBodyOf(L, o);
  if (!whole || !body) return undefined;
  const parts = [o.comments.trailing?.range, f.comments.leading?.range, fieldSpan(f), ...o.options.map((x) => x.range)]
    .filter((r) => r !== undefined)
    .sort((a, b) => comparePositions(a.start, b.start));
  let at = L.offsetAt(body.bodyRange.start);
  for (const r of [...parts, { start: body.bodyRange.end, end: body.bodyRange.end }]) {
    if (/\S/.test(L.text.slice(at, L.offsetAt(r.start)))) return undefined;
    at = L.offsetAt(r.end);
  }
  return whole;
}

/**
 * What taking a field out of its body removes: the field with its leading comment and a comment trailing it on its
 * line, as whole lines where it has them to itself, else with the blanks before it on its line (after it, where it
 * starts its line), so that what shares its line stays as written (`oneof c { int32 x = 1; int32 y = 2; }`).
 */
function cutOf(L: TextLines, f: FieldNode): Range {
  const start = (f.comments.leading ?? f).range.start;
  const end = fieldSpan(f).end;
  const ownStart = L.startsLine(start);
  if (ownStart && L.endsLine(end)) return { start: pos(start.line, 0), end: pos(end.line + 1, 0) };
  if (!ownStart) return { start: pos(start.line, L.line(start.line).slice(0, start.character).trimEnd().length), end };
  const rest = L.line(end.line).slice(end.character);
  return { start, end: pos(end.line, end.character + rest.length - rest.trimStart().length) };
}

/** A field with the comment trailing it on its last line, if any (one trailing it below stays where it is). */
function fieldSpan(f: FieldNode): Range {
  const range = f.range;
  const t = f.comments.trailing;
  return t && t.range.start.line === range.end.line ? { start: range.start, end: t.range.end } : range;
}

/** A field with its leading comment and a comment trailing it on its line, as lines at `indent` (no line break after the last). */
function fieldText(L: TextLines, f: FieldNode, indent: string): string {
  const field = indentedText(L, fieldSpan(f), indent);
  const leading = f.comments.leading;
  return leading ? indentedText(L, leading.range, indent) + L.eol + field : field;
}

/**
 * The text of `r` at `indent`, its further lines re-indented alike (from the indentation of the line `r` starts
 * on; kept as they are where they lack it).
 */
function indentedText(L: TextLines, r: Range, indent: string): string {
  const from = L.indentOf(r.start.line);
  const text = L.slice(r);
  return reindented(from + text, from, indent) ?? indent + text;
}

/**
 * A released field moved out of a oneof, or into another one, goes back in, as its last member, at its members'
 * indentation. The oneof it leaves goes too (with its comments) when the field was all it held, however that one
 * is laid out: protoc refuses an empty oneof. Otherwise the field is taken out of its place (see `cutOf`); a field
 * protoc would refuse in a oneof (a label, a map) is left alone.
 */
function enterOneofEdits(L: TextLines, ast: ProtoFile, finding: Finding, fd: Extract<FixData, { kind: 'enterOneof' }>): TextEdit[] | undefined {
  const loc = elementNamedAt(ast, finding.range, ['field']);
  const f = loc?.node as FieldNode | undefined;
  const m = loc?.parent;
  if (!loc || !f || f.label || f.mapKey !== undefined || m?.kind !== 'message') return undefined;
  const o = oneofsOf(m).byName.get(fd.oneof);
  const member = o?.fields[0];
  if (!o || !member || !L.startsLine(pos(o.range.end.line, o.range.end.character - 1))) return undefined;
  const now = f.oneof === undefined ? undefined : oneofsOf(m).byMember.get(f);
  if (f.oneof !== undefined && (!now || now === o)) return undefined;
  const whole = now?.fields.length === 1 ? withoutBlankAfter(L, onlyMemberLines(L, now, f)) : undefined;
  const out = now?.fields.length === 1 ? whole && { start: pos(whole.from, 0), end: pos(whole.to, 0) } : cutOf(L, f);
  const block = fieldText(L, f, L.indentOf(member.range.start.line)) + L.eol;
  return out && [{ range: out, newText: '' }, insertAt(pos(o.range.end.line, 0), block)];
}

/** Lines to remove, with the blank line after them when one precedes them too: no two blank lines where they were. */
function withoutBlankAfter(L: TextLines, lines: { from: number; to: number } | undefined): { from: number; to: number } | undefined {
  if (!lines) return undefined;
  const blankAround = lines.from > 0 && L.isBlank(lines.from - 1) && lines.to < L.lineCount - 1 && L.isBlank(lines.to);
  return blankAround ? { from: lines.from, to: lines.to + 1 } : lines;
}

/**
 * A message or enum moved to another scope goes back to its baseline scope, where it was there: after the
 * declaration the baseline had before it, else before the one it had after it (where the scope still has them),
 * else at the end of that message's body, or, for the top level, after the top-level message it is in now; with
 * its comments, re-indented like its new neighbours, and with the type references that would resolve differently
 * qualified (also those inside the type, whose scope changes).
 */
function moveBackEdits(L: TextLines, bound: BoundFile, finding: Finding, fd: Extract<FixData, { kind: 'moveBack' }>): TextEdit[] | undefined {
  const loc = elementNamedAt(bound.ast, finding.range, ['message', 'enum']);
  if (!loc || loc.path !== finding.element) return undefined;
  const node = loc.node as MessageNode | EnumNode;
  const scope = parentPath(fd.from);
  if (fd.from.slice(scope.length + 1) !== node.name || declaredIn(bound, scope, node.name)) return undefined;
  const lines = ownLines(L, node);
  if (!lines) return undefined;
  const dest = scope === bound.model.package ? undefined : findContainer(bound.ast, scope, false);
  if (scope !== bound.model.package && (!dest || rangeContains(loc.range, dest.range.start))) return undefined;
  const top = scope === bound.model.package;
  const spot = besideNeighbour(L, declarationsIn(bound, scope), fd, top) ?? (dest ? atEndOf(L, dest) : afterEnclosingTop(L, bound, loc));
  if (!spot) return undefined;
  const refs = referenceEdits(L, bound, loc.path, fd.from, loc.range);
  if (!refs) return undefined;
  // References inside the type move with it: their edits go into the moved text (last first, by offset).
  const from = L.offsetAt(pos(lines.from, 0));
  const to = L.offsetAt(pos(lines.to, 0));
  const inside: { a: number; b: number; text: string }[] = [];
  const outside: TextEdit[] = [];
  for (const e of refs) {
    const a = L.offsetAt(e.range.start);
    if (a >= from && a < to) inside.push({ a: a - from, b: L.offsetAt(e.range.end) - from, text: e.newText });
    else outside.push(e);
  }
  let moved = L.text.slice(from, to);
  for (const e of inside.sort((x, y) => y.a - x.a)) moved = moved.slice(0, e.a) + e.text + moved.slice(e.b);
  const block = reindented(moved, L.indentOf(loc.range.start.line), spot.indent);
  if (block === undefined) return undefined;
  const cut = withoutBlankAfter(L, lines)!;
  return [...outside, { range: { start: pos(cut.from, 0), end: pos(cut.to, 0) }, newText: '' }, insertAt(spot.at, spot.wrap(block))];
}

type RestoreTypeData = Extract<FixData, { kind: 'restoreType' }>;

/**
 * The text of each line of a restored message or enum (a doc line's as it is, a field's with its types as short as
 * they resolve), or undefined where the restore cannot be made: its scope is gone, the name is taken there, or a type
 * of a field in it is declared neither in the file nor in it.
 */
function restoredTypeTexts(bound: BoundFile, fd: RestoreTypeData): string[] | undefined {
  if (fd.scope !== bound.model.package && findContainer(bound.ast, fd.scope, false)?.kind !== 'message') return undefined;
  if (declaredIn(bound, fd.scope, fd.name)) return undefined;
  const out: string[] = [];
  for (const l of fd.lines) {
    const text = l.typed === undefined ? l.text : shortenTypes(l.text, fd.scope, bound, restoredScope(fd.types, l.typed, fd.scope));
    if (text === undefined) return undefined;
    out.push(text);
  }
  return out;
}

/**
 * The full names of the deleted messages that a finding's "Restore message … as released" can declare again in
 * this file: a reference to one gets no "Declare message" (an empty stub beside the restore that brings its fields
 * back). Once per list of findings.
 */
const restorableLists = new WeakMap<readonly Finding[], ReadonlySet<string>>();
export function restorableMessages(bound: BoundFile, findings: readonly Finding[]): ReadonlySet<string> {
  let out = restorableLists.get(findings);
  if (out) return out;
  const set = new Set<string>();
  for (const f of findings) {
    for (const fd of f.fixes ?? []) {
      if (fd.kind === 'restoreType' && !fd.isEnum && restoredTypeTexts(bound, fd)) set.add(fd.scope ? `${fd.scope}.${fd.name}` : fd.name);
    }
  }
  restorableLists.set(findings, (out = set));
  return out;
}

/**
 * A deleted message or enum declared again as released (FixData `restoreType`): after the declaration the baseline
 * had before it, else before the one it had after it, where the scope still has them, else at the end of the
 * message it was nested in, or of the file; its lines at the file's indentation, types as short as they resolve.
 * None while the name is taken in the scope, or a type of a field in it is declared neither in the file nor in it.
 */
function restoreTypeEdits(L: TextLines, bound: BoundFile, fd: RestoreTypeData): TextEdit[] | undefined {
  const texts = restoredTypeTexts(bound, fd);
  if (!texts) return undefined;
  const dest = fd.scope === bound.model.package ? undefined : findContainer(bound.ast, fd.scope, false);
  const top = !dest;
  const unit = indentUnit(L);
  const block = (indent: string): string[] => {
    const out: string[] = [];
    fd.lines.forEach((l, k) => {
      const at = indent + unit.repeat(l.depth);
      if (l.doc) out.push(...commentLines(l.text).map((c) => at + c));
      else out.push(at + texts[k]!);
    });
    return out;
  };
  const spot = besideNeighbour(L, declarationsIn(bound, fd.scope), fd, top) ?? (dest ? atEndOf(L, dest) : undefined);
  if (spot) {
    return [insertAt(spot.at, spot.wrap(block(spot.indent).map((l) => l + L.eol).join('')))];
  }
  // Relative lines: appendLines indents them as the body's members.
  const lines = block('');
  return dest ? appendLines(L, bodyOf(dest), lines) : endOfFile(L, lines);
}

/** Where a moved type goes back: the line it is inserted at, its indentation, and the blank lines around it. */
interface Spot {
  at: Position;
  indent: string;
  wrap: (block: string) => string;
}

/**
 * Where a moved type goes back to: after the declaration the baseline had before it, else before the one it had
 * after it, where the scope's declarations (`declared`, by name) still have them; at the top level (`top`) with a
 * blank line between them, as top-level declarations are written.
 */
function besideNeighbour(L: TextLines, declared: ReadonlyMap<string, Declared>, fd: { after?: string; before?: string }, top: boolean): Spot | undefined {
  const prev = fd.after === undefined ? undefined : declared.get(fd.after);
  const next = fd.before === undefined ? undefined : declared.get(fd.before);
  return (prev && afterDeclaration(L, prev, top)) ?? (next && beforeDeclaration(L, next, top));
}

/** Below a declaration and its trailing comment, at its indentation; undefined unless it has its lines to itself. */
function afterDeclaration(L: TextLines, prev: Declared, top: boolean): Spot | undefined {
  if (!L.startsLine(prev.range.start)) return undefined;
  const trailing = prev.comments?.trailing?.range.end;
  const end = trailing && comparePositions(trailing, prev.range.end) > 0 ? trailing : prev.range.end;
  if (!/^\s*(\/\/.*)?$/.test(L.line(end.line).slice(end.character)) || end.line + 1 >= L.lineCount) return undefined;
  // A trailing comment below the declaration trails it only while a blank line follows it (protoc): without
  // one, it would lead the type put under it.
  const below = trailing !== undefined && prev.comments!.trailing!.range.start.line > prev.range.end.line;
  return { at: pos(end.line + 1, 0), indent: L.indentOf(prev.range.start.line), wrap: (b) => (top || below ? L.eol + b : b) };
}

/** Above a declaration and its leading comment, at its indentation; undefined unless they start their lines. */
function beforeDeclaration(L: TextLines, next: Declared, top: boolean): Spot | undefined {
  const p = next.comments?.leading?.range.start ?? next.range.start;
  if (!L.startsLine(p) || !L.startsLine(next.range.start)) return undefined;
  return { at: pos(p.line, 0), indent: L.indentOf(next.range.start.line), wrap: (b) => (top ? b + L.eol : b) };
}

/** The end of a message's body, at its members' indentation; undefined when `}` shares its line with code. */
function atEndOf(L: TextLines, dest: Container): Spot | undefined {
  const b = bodyOf(dest);
  const close = b.bodyRange.end;
  if (!L.startsLine(close) || close.line <= b.bodyRange.start.line) return undefined;
  return { at: pos(close.line, 0), indent: bodyIndent(L, b), wrap: (x) => x };
}

/** After the top-level message the type is in now, with a blank line between them. */
function afterEnclosingTop(L: TextLines, bound: BoundFile, loc: Located): Spot | undefined {
  const pkg = bound.model.package;
  const first = localName(loc.path, pkg).split('.')[0]!;
  const top = findContainer(bound.ast, pkg ? `${pkg}.${first}` : first, false);
  const range = top?.range;
  if (!top || !range || top === loc.node || !L.endsLine(range.end) || range.end.line + 1 >= L.lineCount) return undefined;
  return { at: pos(range.end.line + 1, 0), indent: L.indentOf(range.start.line), wrap: (b) => L.eol + b };
}

/** The path of the scope around an element path (`a.b.C` → `a.b`). */
function parentPath(path: string): string {
  return path.slice(0, Math.max(0, path.lastIndexOf('.')));
}

/**
 * The edits that make the type references of a file follow a message or enum renamed or moved from `oldPath` to
 * `newPath`, undefined when one cannot be made. A reference to the type (or to a type nested in it) gets, after a
 * rename, the new name in place of the old one, or, when that would resolve to another type from where it is (a
 * nested type of that name on the way out), the shortest qualified name that resolves to it. A reference to
 * another type that the new name would shadow is qualified the same way, and so, after a move, is a reference
 * inside the type (`inside`, its range) that its new scope would resolve differently.
 */
function referenceEdits(L: TextLines, bound: BoundFile, oldPath: string, newPath: string, inside?: Range): TextEdit[] | undefined {
  const current = oldPath.slice(oldPath.lastIndexOf('.') + 1);
  const to = newPath.slice(newPath.lastIndexOf('.') + 1);
  const moved = parentPath(oldPath) !== parentPath(newPath);
  const under = (fqn: string, root: string): boolean => fqn === root || (fqn.length > root.length && fqn.startsWith(root) && fqn.charAt(root.length) === '.');
  /** A full name after the rename. */
  const renamed = (fqn: string): string => (under(fqn, oldPath) ? newPath + fqn.slice(oldPath.length) : fqn);
  // The declarations as they will be: the renamed type and its nested types under the new name, not the old.
  const after = {
    get: (fqn: string): Declaration | undefined => {
      if (under(fqn, newPath)) return bound.declarations.get(oldPath + fqn.slice(newPath.length));
      return under(fqn, oldPath) ? undefined : bound.declarations.get(fqn);
    },
  };
  // And where each name will be declared. A package's components (`.name`, see NameIndex) stay where they are.
  // Each name's places are built once: a lookup per reference, each copying the places of a name that thousands
  // of messages declare, was quadratic.
  const placesAfter = new Map<string, readonly Scoped[]>();
  const namesAfter = {
    get: (name: string): readonly Scoped[] | undefined => {
      if (name.startsWith('.')) return bound.names.get(name);
      let out = placesAfter.get(name);
      if (!out) {
        const places = (bound.names.get(name) ?? []).flatMap((p) => (p.fqn === oldPath ? [] : [{ scope: renamed(p.scope), fqn: renamed(p.fqn) }]));
        if (name === to) places.push({ scope: parentPath(newPath), fqn: newPath });
        placesAfter.set(name, out = places.sort(innermostFirst));
      }
      return out;
    },
  };
  const resolvesTo = (written: string, from: string, target: string): boolean => {
    const d = lookup(written, from, namesAfter, after);
    return !!d && renamed(d.fqn) === target;
  };
  const edits: TextEdit[] = [];
  const depth = oldPath.split('.').length - 1;
  for (const ref of referencesThatMayChange(bound, oldPath, to, moved ? inside : undefined)) {
    if (!ref.target) continue;
    const lead = ref.written.startsWith('.') ? 1 : 0;
    const wsegs = ref.written.slice(lead).split('.');
    const follows = under(ref.target, oldPath);
    // Only these can resolve differently: the others name neither the old nor the new name first, and, but
    // after a move, are looked up from the same scopes.
    const scope = follows || (!lead && wsegs[0] === to) || moved ? referenceScope(bound, ref.range.start) : undefined;
    if (scope === undefined || (!follows && (lead || wsegs[0] !== to) && !under(scope, oldPath))) continue;
    const span = writtenSpan(L, ref);
    if (!span) return undefined;
    const target = renamed(ref.target);
    const from = renamed(scope);
    let written = ref.written;
    let segment: { at: number; text: string } | undefined;
    if (follows && !moved) {
      const k = depth - (ref.target.split('.').length - wsegs.length);
      if (k >= 0) {
        // written relative to the type itself (e.g. `Inner` inside it) when k < 0
        if (wsegs[k] !== current) return undefined;
        const at = span.start + lead + wsegs.slice(0, k).reduce((n, x) => n + x.length + 1, 0);
        segment = { at, text: to };
        written = `${ref.written.slice(0, lead)}${[...wsegs.slice(0, k), to, ...wsegs.slice(k + 1)].join('.')}`;
      }
    }
    if (resolvesTo(written, from, target)) {
      if (segment) edits.push({ range: { start: L.positionAt(segment.at), end: L.positionAt(segment.at + current.length) }, newText: segment.text });
      continue;
    }
    const qualified = shortestName(target, (candidate) => resolvesTo(candidate, from, target));
    edits.push({ range: { start: L.positionAt(span.start), end: L.positionAt(span.end) }, newText: qualified });
  }
  return edits;
}

/** A file's type references by target, by first written name, and in document order; its types by parent. */
interface ReferenceIndex {
  byTarget: Map<string, TypeReference[]>;
  byFirst: Map<string, TypeReference[]>;
  ordered: TypeReference[];
  children: Map<string, string[]>;
}

const referenceIndexes = new WeakMap<BoundFile, ReferenceIndex>();

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/**
 * The references a rename or move of `oldPath` (to the name `to`) can concern: those to the type or a type nested
 * in it, those whose written name starts with `to`, and those inside `inside`. Found through an index built once
 * per file: a scan of every reference for every type fixed made fixing all renamed types of a file quadratic.
 */
function referencesThatMayChange(bound: BoundFile, oldPath: string, to: string, inside?: Range): TypeReference[] {
  let ix = referenceIndexes.get(bound);
  if (!ix) {
    ix = { byTarget: new Map(), byFirst: new Map(), ordered: [], children: new Map() };
    for (const r of bound.references) {
      if (r.target) push(ix.byTarget, r.target, r);
      if (!r.written.startsWith('.')) push(ix.byFirst, r.written.split('.', 1)[0]!, r);
    }
    ix.ordered = [...bound.references].sort((a, b) => comparePositions(a.range.start, b.range.start));
    for (const d of bound.declarations.values()) if (d.kind === 'message' || d.kind === 'enum') push(ix.children, parentPath(d.fqn), d.fqn);
    referenceIndexes.set(bound, ix);
  }
  const out = new Set<TypeReference>();
  for (const stack = [oldPath]; stack.length;) {
    const p = stack.pop()!;
    for (const r of ix.byTarget.get(p) ?? []) out.add(r);
    for (const c of ix.children.get(p) ?? []) stack.push(c);
  }
  for (const r of ix.byFirst.get(to) ?? []) out.add(r);
  if (inside) {
    const refs = ix.ordered;
    const lo = partitionPoint(refs.length, (i) => comparePositions(refs[i]!.range.start, inside.start) < 0);
    for (let k = lo; k < refs.length && rangeContains(inside, refs[k]!.range.start); k++) out.add(refs[k]!);
  }
  return [...out];
}

/**
 * Where a reference's written name is in the text (offsets): its range, or the name inside it (the range may be
 * wider than the name, e.g. the whole `map<…>` for a map's value type). Undefined when it is not there.
 */
function writtenSpan(L: TextLines, ref: { range: Range; written: string }): { start: number; end: number } | undefined {
  const start = L.offsetAt(ref.range.start);
  const end = L.offsetAt(ref.range.end);
  const text = L.text.slice(start, end);
  if (text === ref.written) return { start, end };
  // The last occurrence delimited as a name: a map's value type comes after its key.
  const re = new RegExp(`(?<![\\w.])${ref.written.replace(/[.]/g, '\\.')}(?![\\w.])`, 'g');
  let found: number | undefined;
  for (const m of text.matchAll(re)) found = m.index;
  return found === undefined ? undefined : { start: start + found, end: start + found + ref.written.length };
}

/** The messages of a file in document order, and each one's entry by node (for its enclosing message). */
const messageIndexes = new WeakMap<ProtoFile, { messages: Located[]; byNode: Map<object, Located> }>();

/** The scope a type reference at a position is resolved from: the innermost message around it, else the package. */
function referenceScope(bound: BoundFile, p: Position): string {
  let index = messageIndexes.get(bound.ast);
  if (!index) {
    const messages = elementsOf(bound.ast).filter((e) => e.kind === 'message').sort((a, b) => comparePositions(a.range.start, b.range.start));
    messageIndexes.set(bound.ast, (index = { messages, byNode: new Map(messages.map((m) => [m.node, m])) }));
  }
  const { messages, byNode } = index;
  // The last message that starts before the position, then out through the messages around it.
  const lo = partitionPoint(messages.length, (i) => comparePositions(messages[i]!.range.start, p) <= 0);
  for (let m: Located | undefined = messages[lo - 1]; m; m = m.parent && byNode.get(m.parent)) {
    if (rangeContains(m.range, p)) return m.path;
  }
  return bound.model.package;
}

/**
 * Makes JSON write a number's name as the baseline does again: the baseline's first name (`fd.after`) moves, with
 * its comments, up to just before the name now declared first for that number (`fd.name`), which is then declared
 * after it. Moving that one up, not `fd.name` down, keeps a proto3 enum's first value (0 comes first either way)
 * and puts the baseline's name first even when more aliases precede it. Whole lines move where both have lines of
 * their own; a value without comments also moves within a line (`enum E { A = 0; C = 1; B = 1; }`). Nothing is
 * offered where comments would not stay with their values.
 */
function declareAfterEdits(L: TextLines, bound: BoundFile, fd: Extract<FixData, { kind: 'declareAfter' }>): TextEdit[] | undefined {
  const c = findContainer(bound.ast, fd.container, true);
  if (c?.kind !== 'enum') return undefined;
  const { byName } = containerIndex(c);
  const first = byName.get(fd.name) as EnumValueNode | undefined;
  const moved = byName.get(fd.after) as EnumValueNode | undefined;
  if (!first || !moved || comparePositions(first.range.start, moved.range.start) >= 0) return undefined;
  const cut = cutValue(L, c, moved);
  if (!cut) return undefined;
  // Before `first`, above its leading comment.
  const lead = first.comments.leading?.range.start;
  let paste: TextEdit | undefined;
  if (L.startsLine(lead ?? first.range.start) && L.startsLine(first.range.start)) {
    const at = pos((lead ?? first.range.start).line, 0);
    if (cut.lines !== undefined) paste = insertAt(at, cut.lines);
    else if (cut.inline !== undefined) paste = insertAt(at, `${L.indentOf(first.range.start.line)}${cut.inline}${L.eol}`);
  } else if (!lead && cut.inline !== undefined) {
    paste = insertAt(first.range.start, `${cut.inline} `);
  }
  if (!paste) return undefined;
  const edits = [paste, ...cut.remove];
  return movedCleanly(L, c, edits, moved.name, first.name) ? edits : undefined;
}

/**
 * How an enum value can be taken out: `lines`, its whole lines with its leading and trailing comments (and the
 * blank line that keeps a trailing comment on the line below it its own), or `inline`, the value alone when it
 * has no comments; `remove`, the edits that take it out.
 */
function cutValue(L: TextLines, c: EnumNode, v: EnumValueNode): { lines?: string; inline?: string; remove: TextEdit[] } | undefined {
  const { leading, trailing } = v.comments;
  // Without comments, a value on one line can also go in front of another within a line.
  const inline = leading || trailing || v.range.start.line !== v.range.end.line ? undefined : L.slice(v.range);
  const start = leading?.range.start ?? v.range.start;
  const end = trailing && comparePositions(trailing.range.end, v.range.end) > 0 ? trailing.range.end : v.range.end;
  if (L.startsLine(start) && L.startsLine(v.range.start) && L.endsLine(end) && end.line + 1 < L.lineCount) {
    const from = pos(start.line, 0);
    let to = end.line + 1;
    let lines = L.slice({ start: from, end: pos(to, 0) });
    const blankAfter = L.isBlank(to) && to + 1 < L.lineCount;
    if (trailing && trailing.range.start.line > v.range.end.line) {
      // A comment on the line below is the value's only while a blank line (or `}`) follows it: the blank goes along.
      if (blankAfter) lines = L.slice({ start: from, end: pos(++to, 0) });
      else lines += L.eol;
    } else if (blankAfter && start.line > 0 && L.isBlank(start.line - 1)) {
      to++; // no two blank lines where it was
    }
    return { lines, ...(inline === undefined ? {} : { inline }), remove: [{ range: { start: from, end: pos(to, 0) }, newText: '' }] };
  }
  if (inline === undefined) return undefined;
  const line = L.line(v.range.end.line);
  const after = /^[ \t]*/.exec(line.slice(v.range.end.character))![0].length;
  const rest = line.slice(v.range.end.character + after);
  const behind = pos(v.range.end.line, v.range.end.character + after);
  // `  B = 1; }`: the `}` keeps its line, at the enum's indentation.
  if (L.startsLine(v.range.start) && rest.startsWith('}')) return { inline, remove: [{ range: { start: pos(v.range.start.line, 0), end: behind }, newText: L.indentOf(c.range.start.line) }] };
  // Code follows on the line: the value goes with the blanks after it.
  if (rest && !rest.startsWith('//') && !rest.startsWith('/*')) return { inline, remove: [{ range: { start: v.range.start, end: behind }, newText: '' }] };
  if (L.startsLine(v.range.start)) return undefined;
  // The last on its line: the value goes with the blanks before it.
  const before = /[ \t]*$/.exec(line.slice(0, v.range.start.character))![0].length;
  return { inline, remove: [{ range: { start: pos(v.range.start.line, v.range.start.character - before), end: v.range.end }, newText: '' }] };
}

/**
 * Whether moving `moved` before `first` does what it should: the enum, parsed again, has its values in the old
 * order but for `moved`, now right before `first`, and every value keeps its leading and trailing comments.
 */
function movedCleanly(L: TextLines, c: EnumNode, edits: TextEdit[], moved: string, first: string): boolean {
  const from = L.offsetAt(c.range.start);
  const to = L.offsetAt(c.range.end);
  const sorted = edits.map((e) => ({ a: L.offsetAt(e.range.start), b: L.offsetAt(e.range.end), t: e.newText, e })).sort((x, y) => x.a - y.a || x.b - y.b);
  let at = from;
  for (const e of sorted) {
    if (e.a < at || e.b > to) return false;
    at = e.b;
  }
  const layout = enumLayout(L, c);
  if (!layout) return reparsedCleanly(L, c, sorted, moved, first);
  return windowsOf(L, c, layout, sorted).every((w) => windowCleanly(L, c, layout, w, sorted, moved, first));
}

type OffsetEdit = { a: number; b: number; t: string; e: TextEdit };

/** The check on the whole enum, edited and parsed again: for enums whose text has errors or repeats a name. */
function reparsedCleanly(L: TextLines, c: EnumNode, sorted: OffsetEdit[], moved: string, first: string): boolean {
  const to = L.offsetAt(c.range.end);
  let text = '';
  let at = L.offsetAt(c.range.start);
  for (const e of sorted) {
    text += L.text.slice(at, e.a) + e.t;
    at = e.b;
  }
  text += L.text.slice(at, to);
  const ast = parse(text);
  const e = ast.enums[0];
  if (ast.errors.length || ast.enums.length !== 1 || !e) return false;
  const names = c.values.map((v) => v.name).filter((n) => n !== moved);
  names.splice(names.indexOf(first), 0, moved);
  if (e.values.map((v) => v.name).join(' ') !== names.join(' ')) return false;
  const was = new Map(c.values.map((v) => [v.name, valueComments(v)]));
  return e.values.every((v) => was.get(v.name) === valueComments(v));
}

function valueComments(v: EnumValueNode): string {
  return JSON.stringify([v.comments.leading?.text, v.comments.trailing?.text]);
}

/**
 * An enum's statements (values, options, reservations) by offset, for checking a move near its edits only:
 * parsing the whole enum again for every "Declare X after Y" made fixing all swapped aliases of a large enum
 * quadratic. Undefined where only the whole enum can tell: its text alone has errors, or repeats a value's name.
 */
interface EnumLayout {
  starts: number[];
  ends: number[];
  /** The value each statement is, if it is one. */
  values: (EnumValueNode | undefined)[];
}

/**
 * Per text as well as per enum: a tree of an edited text may keep the enum's node (see reparse.ts), and the layout
 * holds offsets into the text it was made for.
 */
const enumLayouts = new WeakMap<EnumNode, { L: TextLines; layout: EnumLayout | undefined }>();

function enumLayout(L: TextLines, c: EnumNode): EnumLayout | undefined {
  let made = enumLayouts.get(c);
  if (made?.L !== L) enumLayouts.set(c, (made = { L, layout: newEnumLayout(L, c) }));
  return made.layout;
}

function newEnumLayout(L: TextLines, c: EnumNode): EnumLayout | undefined {
  const alone = parse(L.slice(c.range));
  const e = alone.enums[0];
  if (alone.errors.length || alone.enums.length !== 1 || !e || e.values.length !== c.values.length) return undefined;
  // The enum alone reads its values as the file does (comments attach within the enum), so a part of it, parsed
  // alone, does too.
  if (new Set(c.values.map((v) => v.name)).size !== c.values.length) return undefined;
  if (e.values.some((v, k) => v.name !== c.values[k]!.name || valueComments(v) !== valueComments(c.values[k]!))) return undefined;
  const members = [...c.values, ...c.reserved, ...c.options].sort((x, y) => comparePositions(x.range.start, y.range.start));
  const isValue = new Set<object>(c.values);
  return {
    starts: members.map((m) => L.offsetAt(m.range.start)),
    ends: members.map((m) => L.offsetAt(m.range.end)),
    values: members.map((m) => (isValue.has(m) ? (m as EnumValueNode) : undefined)),
  };
}

/**
 * A part of an enum to parse again: statements `left` to `right` (-1 and the statement count: the enum's own
 * `{` and `}`) and the edits between them.
 */
interface EnumWindow {
  left: number;
  right: number;
  edits: OffsetEdit[];
}

/**
 * The parts of an enum whose reading an edit can change, merged where they overlap. An edit changes the comments
 * of the statements it touches and of the statement on either side (a comment attaches by the tokens around it),
 * and nothing else of an enum without errors: it moves whole tokens, and each statement parses alone. Each part
 * has one more statement on either side, so that those statements are read with the tokens around them.
 */
function windowsOf(L: TextLines, c: EnumNode, layout: EnumLayout, sorted: OffsetEdit[]): EnumWindow[] {
  const { starts, ends } = layout;
  const out: EnumWindow[] = [];
  for (const e of sorted) {
    const w: EnumWindow = { left: Math.max(-1, countAtMost(ends, e.a) - 2), right: Math.min(starts.length, countBelow(starts, e.b) + 1), edits: [e] };
    const prev = out[out.length - 1];
    if (prev && windowStart(L, c, layout, w) < windowEnd(L, c, layout, prev)) {
      prev.right = Math.max(prev.right, w.right);
      prev.edits.push(e);
    } else {
      out.push(w);
    }
  }
  return out;
}

function windowStart(L: TextLines, c: EnumNode, layout: EnumLayout, w: EnumWindow): number {
  return w.left >= 0 ? layout.starts[w.left]! : L.offsetAt(c.range.start);
}

function windowEnd(L: TextLines, c: EnumNode, layout: EnumLayout, w: EnumWindow): number {
  return w.right < layout.starts.length ? layout.ends[w.right]! : L.offsetAt(c.range.end);
}

/** How many of the sorted numbers are at most `x`. */
function countAtMost(xs: number[], x: number): number {
  return partitionPoint(xs.length, (i) => xs[i]! <= x);
}

/** How many of the sorted numbers are below `x`. */
function countBelow(xs: number[], x: number): number {
  return countAtMost(xs, x - 1);
}

/**
 * `movedCleanly` for one part of an enum: the part, edited, parsed alone (inside `enum E { … }` where it does not
 * reach the enum's braces), has the values it should, and those between its outer statements their comments.
 */
function windowCleanly(L: TextLines, c: EnumNode, layout: EnumLayout, w: EnumWindow, all: OffsetEdit[], moved: string, first: string): boolean {
  const count = layout.starts.length;
  const lo = windowStart(L, c, layout, w);
  const hi = windowEnd(L, c, layout, w);
  // A statement on the line of `{` stays there (`syntax = 1;` there is a value, on a line below a declaration).
  let text = w.left < 0 ? '' : `enum E {${onOpenLine(L, c, lo, all) ? ' ' : L.eol}`;
  let at = lo;
  for (const e of w.edits) {
    text += L.text.slice(at, e.a) + e.t;
    at = e.b;
  }
  text += L.text.slice(at, hi) + (w.right < count ? `${L.eol}}` : '');
  const ast = parse(text);
  const e = ast.enums[0];
  if (ast.errors.length || ast.enums.length !== 1 || !e) return false;
  const names: string[] = [];
  for (let k = Math.max(0, w.left); k <= Math.min(count - 1, w.right); k++) {
    const v = layout.values[k];
    if (v && v.name !== moved) names.push(v.name);
  }
  const firstAt = names.indexOf(first);
  if (firstAt >= 0) names.splice(firstAt, 0, moved);
  if (e.values.length !== names.length || e.values.some((v, k) => v.name !== names[k])) return false;
  // The outer statements are read without what precedes (follows) them: their comments are the file's anyway.
  const from = w.left >= 0 && layout.values[w.left] ? 1 : 0;
  const to = w.right < count && layout.values[w.right] ? e.values.length - 1 : e.values.length;
  const { byName } = containerIndex(c);
  for (let k = from; k < to; k++) {
    if (valueComments(e.values[k]!) !== valueComments(byName.get(e.values[k]!.name) as EnumValueNode)) return false;
  }
  return true;
}

/** Whether the text at `offset` is, after the edits, on the line of the enum's `{`. */
function onOpenLine(L: TextLines, c: EnumNode, offset: number, edits: OffsetEdit[]): boolean {
  let line = L.positionAt(offset).line;
  for (const e of edits) {
    if (e.b > offset) break;
    line += lineBreaks(e.t) - (e.e.range.end.line - e.e.range.start.line);
  }
  return line === c.bodyRange.start.line;
}

function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}
function nameTaken(bound: BoundFile, loc: Located, name: string): boolean {
  switch (loc.kind) {
    case 'rpc':
      return rpcsIn(loc.parent as ServiceNode).has(name);
    case 'enumValue':
      // Enum values are siblings of their enum (C++ scoping): `E.E_A` collides with `F.E_A` and with a type `E_A`.
      return declaredIn(bound, parentPath(parentPath(loc.path)), name);
    default:
      return declaredIn(bound, parentPath(loc.path), name);
  }
}

/**
 * Whether a name is declared in a scope (a message's path or the package): by a type or service, or, in a message,
 * by a field or oneof, or by a value of an enum declared in the scope (protobuf gives enum values the scope of
 * their enum, as C++ does). protoc and buf refuse a name declared twice in one scope.
 */
function declaredIn(bound: BoundFile, scope: string, name: string): boolean {
  const d = bound.declarations.get(scope ? `${scope}.${name}` : name);
  if (d && d.kind !== 'package') return true;
  return namesInScope(bound, scope).has(name);
}

// ---- documentation stubs -----------------------------------------------------------------------------

// The questions the documentation rules ask (mirroring docs/docRules.ts), so that a stub asks only what the
// existing comment does not answer yet, and a stub once inserted answers the rule's keyword check.
const CONTRACT = /\bmust\b|\bguarantee|\bexpects?\b|\bidempotent\b/i;
const CRITEST = /\bcritest\b|\bcri-tools\b/i;

const STUB_KINDS: Record<Extract<FixData, { kind: 'docStub' }>['element'], NodeKind> = {
  rpc: 'rpc', message: 'message', field: 'field', enum: 'enum', enumValue: 'enumValue', service: 'service',
};

/** The titles of the documentation stub, by what it does with the element's leading comment. */
const STUB_TITLES = {
  insert: 'Insert a documentation stub',
  extend: 'Add the missing documentation to the comment',
  replace: 'Replace the comment with a documentation stub',
};

function docStubEdits(L: TextLines, bound: BoundFile, finding: Finding, fd: Extract<FixData, { kind: 'docStub' }>): { edits: TextEdit[]; fix: keyof typeof STUB_TITLES } | undefined {
  const kind = STUB_KINDS[fd.element];
  const loc = findAt(bound.ast, finding.range, [kind]);
  if (!loc || loc.node.name !== fd.name) return undefined;
  const node = loc.node as MessageNode | FieldNode | EnumNode | EnumValueNode | ServiceNode | RpcNode;
  // The element's range as built once, not the node's (a new Range, two searches of the line starts, per read).
  // A member of a body written on one line (`message R { string x = 1; }`) gets a line of its own.
  const inline = L.startsLine(loc.range.start) ? undefined : inlineMemberOf(L, loc);
  if (!L.startsLine(loc.range.start) && !inline) return undefined;
  const line = loc.range.start.line;
  const indent = inline ? bodyIndent(L, inline.body) : L.indentOf(line);
  const suppressed = suppressedOn(L, loc.nameRange.start.line);
  const rpcs = fd.element === 'rpc' ? rpcNamesOf(bound) : undefined;
  const width = commentWidth(L);
  // Loops, not flatMap and map: an array less per stub line and per stub, for each of a huge file's elements.
  const stub = (doc: string | undefined): string => {
    const lines: string[] = [];
    for (const l of stubLines(fd, doc, rpcs, suppressed)) for (const w of wrapWords(l, width - indent.length - 3)) lines.push(`${indent}// ${w}${L.eol}`);
    return lines.join('');
  };
  // A comment that documents nothing (a placeholder, the name restated, another RPC's comment) answers none of
  // the stub's questions: it gets the whole stub. It stays, as the author wrote it.
  const doc = fd.documentsNothing ? undefined : ownDoc(node, fd.name);
  const text = stub(doc);
  if (!text) return undefined;
  const lead = node.comments.leading;
  if (inline) return { edits: breakBefore(L, inline, loc.range, text, indent), fix: 'insert' };
  if (lead?.block) {
    // `//` lines would detach a block comment above instead of extending it: one that documents nothing, alone on
    // its lines right above the element, is replaced.
    if (doc !== undefined || !L.startsLine(lead.range.start) || lead.range.end.line + 1 !== line || lead.text.includes(SUPPRESSION_MARKER)) return undefined;
    return { edits: [{ range: { start: pos(lead.range.start.line, 0), end: pos(line, 0) }, newText: text }], fix: 'replace' };
  }
  // Directly above the element: below its leading comment (which ends on the line above), so the
  // stub extends that comment instead of starting a second one.
  return { edits: [insertAt(pos(line, 0), text)], fix: lead && docOf(node) !== undefined ? 'extend' : 'insert' };
}

/**
 * Where the element shares its line with the `{` of its body or with the member before it, with only blanks in
 * between and no comment before it (`message R { string x = 1; }`, `enum E { A = 0; B = 1; }`): its body and where
 * the blanks in front of it start; else undefined.
 */
function inlineMemberOf(L: TextLines, loc: Located): { body: Body; from: Position } | undefined {
  const parent = loc.parent;
  if (!parent || (loc.node as Member).comments?.leading) return undefined;
  const body = parent.kind === 'service' ? serviceBody(parent) : bodyOf(parent);
  // Members are in source order: found by position, not by a scan of them all, which made fix-all quadratic over a
  // body of many members (75,000 fields on one line).
  const node = loc.node as Member;
  const k = partitionPoint(body.members.length, (i) => comparePositions(body.members[i]!.range.start, node.range.start) < 0);
  if (body.members[k] !== node) return undefined;
  const from = k === 0 ? body.bodyRange.start : body.members[k - 1]!.range.end;
  if (from.line !== loc.range.start.line || !/^[ \t]*$/.test(L.slice({ start: from, end: loc.range.start }))) return undefined;
  return { body, from };
}

/**
 * `lines` (whole lines, at `indent`) above a member that shares its line (inlineMemberOf), which moves to a line of
 * its own after them, and the body's `}` to a line of its own where it follows on that line: the blanks in front of
 * each become the line break, so that no line ends in blanks.
 */
function breakBefore(L: TextLines, at: { body: Body; from: Position }, member: Range, lines: string, indent: string): TextEdit[] {
  const edits: TextEdit[] = [{ range: { start: at.from, end: member.start }, newText: L.eol + lines + indent }];
  const close = at.body.bodyRange.end;
  if (close.line === member.start.line) {
    edits.push({ range: { start: pos(close.line, close.character - L.blanksBefore(close)), end: close }, newText: L.eol + L.indentOf(at.body.line) });
  }
  return edits;
}

/**
 * The RPC names of a file (an RPC stub's call order may name any of them), listed once per file: listing
 * them for every stub made fixing all of a huge file's stubs quadratic.
 */
const rpcNamesByFile = new WeakMap<BoundFile, string[]>();
function rpcNamesOf(bound: BoundFile): string[] {
  let names = rpcNamesByFile.get(bound);
  if (!names) rpcNamesByFile.set(bound, (names = rpcNames(bound.model)));
  return names;
}

/**
 * The width the file wraps its `//` comments at, indentation included: what 95 of 100 of its comment lines fit in
 * (92 columns in api.proto, whose few longest lines run to 130: a maximum would copy those), kept within 80-120. A file
 * with under 20 comment lines says too little: 100. Measured once per text, as fixing all stubs asks per element.
 */
const commentWidthByText = new WeakMap<TextLines, number>();
function commentWidth(L: TextLines): number {
  let width = commentWidthByText.get(L);
  if (width === undefined) {
    const lengths: number[] = [];
    for (let i = 0; i < L.lineCount; i++) {
      const line = L.line(i);
      if (/^\s*\/\//.test(line)) lengths.push(line.trimEnd().length);
    }
    lengths.sort((a, b) => a - b);
    width = lengths.length < 20 ? 100 : Math.min(120, Math.max(80, lengths[Math.floor(lengths.length * 0.95)]!));
    commentWidthByText.set(L, width);
  }
  return width;
}

/**
 * The rules suppressed on a line by `cri-compat:ignore` comments. Found once per text: fixing all stubs of a
 * huge file asks for every element.
 */
const suppressionsByText = new WeakMap<TextLines, Map<number, Set<string>>>();
function suppressedOn(L: TextLines, line: number): ReadonlySet<string> {
  let byLine = suppressionsByText.get(L);
  if (!byLine) {
    byLine = new Map();
    for (const s of findSuppressions(L.text)) {
      const rules = byLine.get(s.targetLine) ?? new Set<string>();
      for (const r of s.rules) rules.add(r);
      byLine.set(s.targetLine, rules);
    }
    suppressionsByText.set(L, byLine);
  }
  return byLine.get(line) ?? NO_RULES;
}

const NO_RULES: ReadonlySet<string> = new Set();

/**
 * The stub lines an element still needs, given its current documentation (undefined: none). A line that would
 * answer a rule suppressed on the element is left out: answering it leaves the suppression unused. What an
 * older runtime does is asked only of an element that one meets (`reachesOlderRuntimes`), as the rules ask it.
 */
function stubLines(fd: Extract<FixData, { kind: 'docStub' }>, doc: string | undefined, allRpcNames: readonly string[] = [], suppressed: ReadonlySet<string> = new Set()): string[] {
  const { element, name, reachesOlderRuntimes } = fd;
  const has = doc !== undefined;
  // Any line is documentation.
  if (!has && suppressed.has('DOC_MISSING')) return [];
  const out: string[] = [];
  switch (element) {
    case 'rpc': {
      const ordered = has && statesCallOrder(doc, allRpcNames, name);
      if (!has) out.push(`${name} TODO: what it does and what it returns.`);
      if (!ordered && !suppressed.has('RPC_CALL_SEQUENCE_UNDOCUMENTED')) out.push(`Call order: TODO: the RPCs the kubelet calls before and after ${name}, or state that it has no ordering constraint.`);
      if (!has || !CONTRACT.test(doc)) out.push('Runtime contract: TODO: what the runtime may expect from the kubelet, and what it must guarantee in return.');
      if ((!has || !FALLBACK.test(doc)) && !suppressed.has('RPC_FALLBACK_UNDOCUMENTED')) out.push(`Older runtimes: TODO: a runtime that does not implement ${name} answers Unimplemented; say whether the kubelet fails fast or falls back.`);
      if (!has || !CRITEST.test(doc)) out.push(`Tested by: TODO: the critest case that covers ${name}.`);
      break;
    }
    case 'field': {
      if (!has) out.push(`${name} TODO: what it means, and the format and units of its value.`);
      // Both the unset and the older-runtime answer say how a runtime degrades (docs/docRules.ts statesDegradation);
      // what the field left out means is worth saying of any field, but no runtime that predates a field of a new
      // message (or a response field, which older runtimes never set) ever ignores it.
      const degradation = !suppressed.has('FIELD_DEGRADATION_UNDOCUMENTED');
      if ((!has || !statesUnsetMeaning(doc, name)) && degradation) out.push(`Unset: TODO: what it means when ${name} is unset or empty, and what the receiver (runtime or kubelet) does then.`);
      if ((!has || !statesIgnoredBehaviour(doc)) && degradation && reachesOlderRuntimes) out.push(`Older runtimes: TODO: what happens when a runtime that predates ${name} ignores it, and how the kubelet detects support.`);
      break;
    }
    case 'enumValue':
      if (!has) out.push(`${name} TODO: what this value means.`);
      if ((!has || !statesIgnoredBehaviour(doc)) && !suppressed.has('ENUM_VALUE_DEGRADATION_UNDOCUMENTED') && reachesOlderRuntimes) {
        out.push(`Older runtimes: TODO: what a runtime that predates ${name} does when it receives it, and how the kubelet detects support.`);
      }
      break;
    default:
      if (!has) out.push(`${name} TODO: its purpose.`);
  }
  return out;
}

// ---- suppression -------------------------------------------------------------------------------------

/**
 * `// cri-compat:ignore RULE reason: TODO` on its own line above the finding's line and its doc comment, at that
 * line's indentation, with a blank line after it and, unless there is one, before it. protoc would otherwise
 * take it into the element's leading comment, or (right below the element before) into that one's trailing
 * comment, and protoc-gen-go copies both into the generated Go code; alone between blank lines it is a detached
 * comment, which protoc-gen-go drops. Inside an element (a finding on a continuation line) no comment is
 * attached to anything: the line goes right above.
 */
function suppressEdits(L: TextLines, finding: Finding): TextEdit[] | undefined {
  // Nor can a binder problem (the duplicate-number a renumber fix is for): a comment does not make the file compile.
  if (UNSUPPRESSIBLE.has(finding.rule) || !RULES_BY_ID.has(finding.rule)) return undefined;
  // Anchored at 0:0, the finding has no element (the file's only declaration was deleted): it stays at 0:0, out
  // of reach of a comment above, and moves to the first declaration the file gets.
  const { start, end } = finding.range;
  if (start.line === 0 && start.character === 0 && end.line === 0 && end.character === 0) return undefined;
  const line = start.line;
  if (line < 0 || line >= L.lineCount) return undefined;
  const text = L.line(line);
  // The suppression applies to the next line holding code; a finding on a comment line cannot be reached.
  if (/^\s*$/.test(text) || /^\s*(\/\/|\/\*|\*)/.test(text)) return undefined;
  const comment = `${L.indentOf(line)}// ${SUPPRESSION_MARKER} ${finding.rule} ${SUPPRESSION_REASON_PLACEHOLDER}${L.eol}`;
  const top = leadingCommentStart(L, line);
  const above = top > 0 ? L.line(top - 1) : '';
  const blank = /^\s*$/.test(above);
  const declarationStarts = blank || /^\s*(\/\/|\/\*|\*)/.test(above) || /(?:[;{}]\s*(\/\/.*)?|\*\/\s*)$/.test(above);
  if (!declarationStarts) return [insertAt(pos(line, 0), comment)];
  return [insertAt(pos(top, 0), `${blank ? '' : L.eol}${comment}${L.eol}`)];
}

/**
 * The first line of the comment protoc takes as the leading comment of the code on `line`: the `//` lines right
 * above it, or a block comment ending right above it that starts a line; `line` when there is none.
 */
function leadingCommentStart(L: TextLines, line: number): number {
  if (line > 0 && /\*\/\s*$/.test(L.line(line - 1))) {
    for (let k = line - 1; k >= 0; k--) {
      const open = L.line(k).lastIndexOf('/*');
      if (open >= 0) return L.line(k).slice(0, open).trim() === '' ? k : line;
    }
    return line;
  }
  let top = line;
  while (top > 0 && /^\s*\/\//.test(L.line(top - 1))) top--;
  return top;
}
