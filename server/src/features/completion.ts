// Completion while a declaration is typed. After `=` of a field or an enum value: the number the "next free
// number" fix gives (free in the file, in the baseline and in every release), so that a reused number is not typed
// in the first place, with what takes the numbers below it; before it, the number the name had where the restore
// fixes would give it back, so that a member that comes back gets the same number either way. At a type's place:
// the messages and enums in scope and the scalars. In an option: descriptor.proto's option names and values
// (optionCompletion.ts). The line being typed is incomplete (`  string foo = ` has
// neither number nor `;`), so the place is read from the line's text; the tree gives the message, oneof, enum or
// service around it, which the parser keeps.

import { comparePositions, type EnumNode, type MessageNode, type Position, type ProtoFile, type Range } from '../proto/ast';
import type { BoundFile } from '../proto/binder';
import { lexer, type Token } from '../proto/lexer';
import type { OptionsOf } from '../proto/options';
import { join, lookup, shortestName } from '../proto/lookup';
import { localName, SCALARS, type EnumDef, type FieldLabel, type MessageDef } from '../proto/model';
import type { Baseline, NumberUse } from '../baseline/types';
import { ENUM_NUMBERS, FIELD_NUMBERS, formerNumbers, formerNumberTitle, FreeNumbers, labelsIn, takenNumbers, tagSpan } from '../compat/reuse';
import { TextLines } from '../fixes/text';
import { escapeMarkdown } from '../report/markdown';
import { formatDoc } from './hover';
import { customOptionItems, customValueCompletions, optionCompletions } from './optionCompletion';
import { packageOf } from './positions';
import { CompletionItemKind, type CompletionItem } from './types';

export interface CompletionInput {
  bound: BoundFile;
  /** The baseline the analysis compared with; its history makes the numbers of every release taken. */
  baseline?: Baseline;
}

/** What may follow `=` of a field (in a message or a oneof) and of an enum value: the number, if any, typed so far. */
const FIELD_NUMBER = /^\s*(?:(optional|repeated|required)\s+)?(map\s*<[^>]*>|\.?[A-Za-z_][\w.]*)\s+([A-Za-z_]\w*)\s*=\s*(-?\d*)$/;
const MAP_TYPE = /^map\s*<\s*(\w+)\s*,\s*(\.?[\w.]+)\s*>$/;
const VALUE_NUMBER = /^\s*([A-Za-z_]\w*)\s*=\s*(-?\d*)$/;
/** Statements of a message body that read like a field up to `=` (`option deprecated = `). */
const NOT_A_TYPE = /^\s*(?:option|reserved|extensions|message|enum|oneof|extend)\b/;
/** A type being typed: first on a field's line (after a label), as a map's value, or an RPC's request or response. */
const FIELD_TYPE = /^\s*(?:(?:optional|repeated|required)\s+)?(\.?[\w.]*)$/;
const ONEOF_TYPE = /^\s*(\.?[\w.]*)$/;
const MAP_VALUE = /\bmap\s*<\s*\w+\s*,\s*(\.?[\w.]*)$/;
const RPC_TYPE = /\b(?:rpc\s+\w+|returns)\s*\(\s*(?:stream\s+)?(\.?[\w.]*)$/;

/**
 * Completion items at `pos` of `text`, whose analysis is `input`; none where nothing is offered. `trigger`: the
 * character whose typing asked for them, if any (not for a request the author made, or a word being typed).
 */
export function getCompletions(input: CompletionInput, text: string, pos: Position, trigger?: string): CompletionItem[] {
  // Lines as the lexer and LSP count them, a lone `\r` too.
  const lines = new TextLines(text);
  if (pos.line >= lines.lineCount) return [];
  const line = lines.line(pos.line);
  if (pos.character > line.length) return [];
  if (inCommentOrString(text, lines.offsetAt(pos), pos)) return [];
  // A block comment closed before the cursor (`/* é */ string foo = `) is space between tokens.
  const before = line.slice(0, pos.character).replace(/\/\*.*?\*\//g, ' ');
  if (before.includes('//') || before.includes('/*')) return [];
  // The statement being typed: what follows the last `;`, `{` or `}` of the line.
  const statement = before.slice(Math.max(before.lastIndexOf(';'), before.lastIndexOf('{'), before.lastIndexOf('}')) + 1);
  const scope = scopeAt(input.bound.ast, pos);
  const typed = (word: string): Range => ({ start: { line: pos.line, character: pos.character - word.length }, end: pos });
  const bracketKind = scope?.kind === 'message' || scope?.kind === 'oneof' ? 'field' : scope?.kind === 'enum' ? 'enum value' : undefined;
  // Custom options are looked up from the element they are set on (a field's from its message, as protoc does).
  const optionScope = scope?.fqn ?? packageOf(input.bound.ast);
  const closing = line[pos.character] === ')';
  const custom = (kind: OptionsOf, range: Range): CompletionItem[] => customOptionItems(input.bound, kind, optionScope, range, closing && line[range.start.character] === '(');
  // A custom option's value first: its aggregate's `{` would end `statement` there.
  const values = customValueCompletions(input.bound, before, optionScope, typed);
  if (values) return values;
  const options = optionCompletions(statement, optionsKind(input.bound.ast, scope, pos), bracketKind, typed, input.bound.model.syntax === 'editions', custom);
  if (options) return options;
  if (!scope) return [];
  // `;` comes with the number where nothing follows on the line, as the author would type it next.
  const semicolon = line.slice(pos.character).trim() === '' ? ';' : '';

  if (scope.kind === 'service') {
    const m = RPC_TYPE.exec(statement);
    return m ? typeItems(input.bound, scope.fqn, m[1]!, typed(m[1]!), { scalars: false, enums: false }) : [];
  }
  if (scope.kind === 'enum') {
    const m = VALUE_NUMBER.exec(statement);
    if (!m || m[1] === 'option') return [];
    return numberItems(input, scope.fqn, 'enum', { name: m[1]! }, typed(m[2]!), pos, semicolon);
  }
  if (NOT_A_TYPE.test(statement)) return [];
  const number = FIELD_NUMBER.exec(statement);
  if (number) {
    const [, label, type, name, digits] = number;
    const field = { name: name!, ...typedField(input.bound, scope, label as FieldLabel | undefined, type!) };
    return numberItems(input, scope.fqn, 'message', field, typed(digits!), pos, semicolon);
  }
  const type = MAP_VALUE.exec(statement) ?? (scope.kind === 'oneof' ? ONEOF_TYPE : FIELD_TYPE).exec(statement);
  // A space typed as indentation asks for nothing: only one after a label or in `map<K, ` does.
  if (trigger === ' ' && statement.trim() === '') return [];
  return type ? typeItems(input.bound, scope.fqn, type[1]!, typed(type[1]!), { scalars: true, enums: true }) : [];
}

/**
 * Whether the cursor (at `offset`, `pos`) is inside a comment or a string: a line inside a block comment over several lines reads like a
 * declaration (`   Container state`), and nothing is offered there. Lexed only up to the offset.
 *
 * Lexed, not read from the parsed tree: the tree holds only the comments it attaches to declarations (a comment
 * inside a statement, or one the parser skipped while recovering, is in no node), and only the strings of
 * statements it could read, while the line being typed is half a statement (`option java_package = "com.`, an
 * unterminated string) that the parser reports and recovers from. The lexer sees every comment and string as
 * protoc does, wherever the parser stands.
 */
function inCommentOrString(text: string, offset: number, pos: Position): boolean {
  const next = lexer(text);
  const batch: Token[] = [];
  for (let done = false; !done;) {
    batch.length = 0;
    done = next(batch, 256);
    for (const t of batch) {
      // A `//` comment runs to the end of its line, where the cursor is still in it; a block comment ends before `*/`.
      for (const c of t.pre ?? []) {
        const { start, end } = c.range;
        if (comparePositions(start, pos) < 0 && (c.block ? comparePositions(pos, end) < 0 : comparePositions(pos, end) <= 0)) return true;
      }
      if (t.start >= offset || t.kind === 'eof') return false;
      // A string holds the cursor up to its closing quote; an unterminated one (`"abc` being typed) to its end.
      const open = t.text.length < 2 || !t.text.endsWith(t.text[0]!);
      if (t.kind === 'string' && (offset < t.end || (offset === t.end && open))) return true;
    }
  }
  return false;
}

/**
 * The type and label that the binder will give the field being typed (without its number the model lacks it), to
 * compare with the releases'. Undefined where the line does not tell: a type not found, or an unlabelled field of
 * an editions file, whose features decide its label.
 */
function typedField(bound: BoundFile, scope: Scope, label: FieldLabel | undefined, written: string): { type: string | undefined; label: FieldLabel | undefined } {
  const resolve = (t: string): string | undefined => {
    if (SCALARS.has(t)) return t;
    const d = lookup(t, scope.fqn, bound.names, bound.declarations);
    return d?.kind === 'message' || d?.kind === 'enum' ? d.fqn : undefined;
  };
  const map = MAP_TYPE.exec(written);
  if (map) {
    const value = resolve(map[2]!);
    return { type: value && `map<${map[1]},${value}>`, label: 'repeated' };
  }
  const syntax = bound.model.syntax;
  return { type: resolve(written), label: label ?? (syntax === 'editions' ? undefined : syntax === 'proto3' || scope.kind === 'oneof' ? 'implicit' : 'optional') };
}

/** What an `option` statement at `pos` sets: the options of the file, or of the message, oneof, enum, service or RPC around it. */
function optionsKind(ast: ProtoFile, scope: Scope | undefined, pos: Position): OptionsOf {
  if (!scope) return 'file';
  if (scope.kind !== 'service') return scope.kind;
  const inRpc = ast.services.some((s) => s.rpcs.some((r) => comparePositions(r.nameRange.end, pos) < 0 && comparePositions(pos, r.range.end) < 0));
  return inRpc ? 'method' : 'service';
}

interface Scope {
  kind: 'message' | 'oneof' | 'enum' | 'service';
  /** The full name of the message (also around a oneof), enum or service. */
  fqn: string;
}

/** The innermost message, oneof, enum or service whose body holds `pos`. */
function scopeAt(ast: ProtoFile, pos: Position): Scope | undefined {
  const inside = (r: Range): boolean => comparePositions(r.start, pos) <= 0 && comparePositions(pos, r.end) <= 0;
  let found: Scope | undefined;
  const enumeration = (e: EnumNode, scope: string): void => {
    if (inside(e.bodyRange)) found = { kind: 'enum', fqn: join(scope, e.name) };
  };
  const message = (m: MessageNode, scope: string): void => {
    if (!inside(m.bodyRange)) return;
    const fqn = join(scope, m.name);
    found = { kind: 'message', fqn };
    for (const o of m.oneofs) {
      if (comparePositions(o.nameRange.end, pos) < 0 && comparePositions(pos, o.range.end) < 0) found = { kind: 'oneof', fqn };
    }
    for (const n of m.messages) message(n, fqn);
    for (const e of m.enums) enumeration(e, fqn);
  };
  const pkg = packageOf(ast);
  for (const m of ast.messages) message(m, pkg);
  for (const e of ast.enums) enumeration(e, pkg);
  for (const s of ast.services) if (inside(s.bodyRange)) found = { kind: 'service', fqn: join(pkg, s.name) };
  return found;
}

/** The member being given a number: its name, and a field's type and label where the line tells them. */
interface Typed { name: string; type?: string; label?: FieldLabel }

/**
 * The numbers of message or enum `fqn` for `member`, whose number so far is in `range`: the number its name had
 * where the restore fixes give it back (formerNumber), then the next free number the quick fix gives (takenNumbers,
 * FreeNumbers), then the lowest number free below it where there is one.
 */
function numberItems(input: CompletionInput, fqn: string, kind: 'message' | 'enum', member: Typed, range: Range, pos: Position, semicolon: string): CompletionItem[] {
  const model = input.bound.model;
  // The baseline and its history are of the package the file declares, or say nothing about it (check.ts).
  const baseline = input.baseline?.model.package === model.package ? input.baseline : undefined;
  // The member being typed is in the model once a digit is typed: its number is not taken, it is being chosen.
  const typing = (x: { node?: { numberRange: Range } }): boolean => {
    const r = x.node?.numberRange;
    return !!r && r.start.line === pos.line && comparePositions(r.start, pos) <= 0 && comparePositions(pos, r.end) <= 0;
  };
  let current: MessageDef | EnumDef | undefined;
  let base: MessageDef | EnumDef | undefined;
  let uses: readonly NumberUse[];
  if (kind === 'message') {
    const m = model.messages.find((x) => x.fqn === fqn);
    current = m && { ...m, fields: m.fields.filter((f) => !typing(f)) };
    base = baseline?.model.messages.find((x) => x.fqn === fqn);
    uses = baseline?.history?.fieldUses(fqn) ?? [];
  } else {
    const e = model.enums.find((x) => x.fqn === fqn);
    current = e && { ...e, values: e.values.filter((v) => !typing(v)) };
    base = baseline?.model.enums.find((x) => x.fqn === fqn);
    uses = baseline?.history?.enumValueUses(fqn) ?? [];
  }
  if (!current) return [];
  const space = kind === 'message' ? FIELD_NUMBERS : ENUM_NUMBERS;
  const { inFiles, all } = takenNumbers(current, base, uses);
  const items: CompletionItem[] = [];
  const item = (n: number, detail: string, doc: string): void => {
    items.push({
      label: String(n), kind: CompletionItemKind.Value, detail, documentation: { kind: 'markdown', value: doc },
      sortText: String(items.length), ...(items.length ? {} : { preselect: true }), textEdit: { range, newText: `${n}${semicolon}` },
    });
  };
  const local = localName(fqn, model.package);
  // An open enum's first value must be 0, its default (protoc refuses another); a closed one's need not be.
  const members = 'fields' in current ? current.fields : current.values;
  if (kind === 'enum' && !members.length && model.syntax !== 'proto2' && !(current as EnumDef).closed && !all.some(([a, b]) => a <= 0 && 0 <= b)) {
    item(0, `first value of ${local}`, `The first value of an open enum must be 0: it is the value of a field that is not set. Name it \`${upperSnake(local)}_UNSPECIFIED\` or after what an unset field means.`);
  }
  const what = kind === 'message' ? 'field' : 'value';
  const former = formerNumber(current, base, baseline, fqn, uses, inFiles, member);
  if (former) {
    const where = former.inBaseline ? `the baseline ${baseline!.tag}` : former.releases;
    // A baseline read from a file is named by its path, which may hold markup: escaped in the markdown, as hovers do.
    const shown = former.inBaseline ? `the baseline ${escapeMarkdown(baseline!.tag)}` : former.releases;
    item(former.number, `number of ${member.name} in ${where}`, [
      `**${former.number}** is the number \`${member.name}\` had in ${former.inBaseline && former.releases ? `${shown} (in ${former.releases})` : shown}: the number the quick fix *${former.fix}* gives it back.`,
      `Under another number it is a new ${what} to the peers of ${former.inBaseline ? 'the baseline' : 'those releases'}${what === 'field' ? ', and their JSON is read into it' : ''}.`,
    ].join('\n\n'));
  }
  const next = new FreeNumbers(all, space).next();
  if (next === undefined) return items;
  // Above the highest number taken, unless the numbers there have run out (a reservation `to max`).
  const above = all.every(([a]) => a > space.max || a < next);
  const baseTag = input.baseline && escapeMarkdown(input.baseline.tag);
  item(next, `next free ${what} number of ${local}`, nextDoc(next, above, what, local, current, base, baseTag, uses, member.name));
  // Every number from `next` on taken: FreeNumbers then hands out the lowest number none takes, if it is lower.
  const gap = new FreeNumbers([...all, [next, space.max]], space).next();
  if (gap !== undefined && gap < next) {
    item(gap, `lowest unused ${what} number of ${local} (below the next free ${next})`, [
      `**${gap}** is the lowest number that no ${what} of \`${local}\` has in this file, in the baseline or in a release, and that is not reserved.`,
      `New ${what}s usually take the next free number, **${next}**: a lower number is as safe on the wire, but no longer tells the order in which ${what}s were added.`,
    ].join('\n\n'));
  }
  return items;
}

/**
 * The number the member's name had, where giving it back reuses nothing: the baseline's (the fix *Restore the
 * original number* of FIELD_NUMBER_CHANGED and ENUM_VALUE_NUMBER_CHANGED) where the file's definition leaves it
 * free, else a field's one number in the releases (formerNumbers, the "next free number" fix's choice). `inFiles`:
 * what the file's and the baseline's definitions take.
 */
function formerNumber(
  current: MessageDef | EnumDef, base: MessageDef | EnumDef | undefined, baseline: Baseline | undefined, fqn: string,
  uses: readonly NumberUse[], inFiles: readonly (readonly [number, number])[], member: Typed,
): { number: number; inBaseline: boolean; releases: string; fix: string } | undefined {
  const released = (n: number): string => uses.filter((u) => u.name === member.name && u.number === n).map(tagSpan).join(', ');
  const old = base && ('fields' in base ? base.fields : base.values).find((x) => x.name === member.name);
  if (old) {
    const n = old.number;
    const taken = ('fields' in current ? current.fields : current.values).some((x) => x.number === n) || current.reservedNumbers.some(([a, b]) => a <= n && n <= b);
    return taken ? undefined : { number: n, inBaseline: true, releases: released(n), fix: `Restore the original number ${n}` };
  }
  const history = baseline?.history;
  if (!('fields' in current) || !history || member.type === undefined || member.label === undefined) return undefined;
  const former = formerNumbers(uses, inFiles, labelsIn(history, fqn))({ name: member.name, type: member.type, label: member.label });
  return former && { number: former.number, inBaseline: false, releases: tagSpan(former), fix: formerNumberTitle(member.name, former) };
}

/** Why `n` is the next free number: what takes the numbers below it, in the file, the baseline and the releases. */
function nextDoc(
  n: number, above: boolean, what: 'field' | 'value', local: string, current: MessageDef | EnumDef, base: MessageDef | EnumDef | undefined,
  baseTag: string | undefined, uses: readonly NumberUse[], name: string,
): string {
  const members = (d: MessageDef | EnumDef): { name: string; number: number }[] => ('fields' in d ? d.fields : d.values);
  const here = members(current);
  const inFile = new Set(here.map((x) => x.number));
  const lines = [
    `**${n}** is the next free ${what} number of \`${local}\`, as the quick fix *Give … the next free number* gives it: ${above ? 'above' : 'the lowest number apart from'} every number that a ${what} of \`${local}\` has in this file${base ? `, in the baseline ${baseTag}` : ''}${uses.length ? ' or in any release' : ''}, and every reserved number. A number used before would be read as the old ${what} by the peers of that release.`,
    '',
  ];
  const list = (label: string, entries: string[]): void => {
    if (!entries.length) return;
    const shown = entries.length > MAX_LISTED ? [...entries.slice(0, MAX_LISTED), `and ${entries.length - MAX_LISTED} more`] : entries;
    lines.push(`- ${label}: ${shown.join(', ')}`);
  };
  list('in this file', spans([...inFile].map((k) => [k, k])));
  list('reserved', spans([...current.reservedNumbers, ...(base?.reservedNumbers ?? [])]));
  const inBase = base ? members(base).filter((x) => !inFile.has(x.number)) : [];
  list(`in the baseline ${baseTag}, not in this file`, inBase.sort((a, b) => a.number - b.number).map((x) => `${x.number} \`${x.name}\``));
  // The numbers that only releases took: what the file or the baseline takes is listed above (also where a release
  // named it otherwise).
  const listed = new Set([...here, ...inBase].map((x) => x.number));
  const old = uses.filter((u) => !listed.has(u.number)).sort((a, b) => a.number - b.number);
  list('in releases only', old.map((u) => `${u.number} \`${u.name}\` (${tagSpan(u)})`));
  // A field's name that the releases gave another number: any number but that one reuses the name (the check's
  // FIELD_NAME_REUSED_HISTORY); the field may be one that comes back, whose number is better restored.
  const named = what === 'field' ? uses.filter((u) => u.name === name) : [];
  if (named.length) {
    lines.push('', `Note: \`${name}\` had number ${[...new Set(named.map((u) => u.number))].join(', ')} in ${named.map(tagSpan).join(', ')}; under another number, JSON of those releases is read into this field.`);
  }
  return lines.join('\n');
}

const MAX_LISTED = 12;

/** Inclusive ranges, merged and sorted, as `1–4, 7`. */
function spans(ranges: readonly (readonly [number, number])[]): string[] {
  const merged: [number, number][] = [];
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = merged.at(-1);
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged.map(([a, b]) => (a === b ? String(a) : `${a}–${b}`));
}

/** `ContainerState` → `CONTAINER_STATE`; a nested enum's outer names are left out. */
function upperSnake(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1).replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/**
 * The messages (and `enums`) the file may name from `scope`, each by the shortest name that protoc's lookup finds
 * there, and the scalars: each replaces `range`, `written`, what is typed of the name so far (the client matches it
 * with the name). A qualified name being typed (`runtime.v1.Con`, `.runtime.v1.`, `google.protobuf.`) gets each
 * type by a name with that qualifier, which the client can match, and no scalars.
 */
function typeItems(bound: BoundFile, scope: string, written: string, range: Range, opts: { scalars: boolean; enums: boolean }): CompletionItem[] {
  const items: CompletionItem[] = [];
  const qualifier = written.slice(0, written.lastIndexOf('.') + 1);
  for (const d of bound.declarations.values()) {
    if ((d.kind !== 'message' && (d.kind !== 'enum' || !opts.enums)) || d.local) continue;
    const name = completedName(bound, d.fqn, scope, qualifier);
    if (name === undefined) continue;
    // The file's own types before those of its imports.
    const rank = d.uri === bound.uri ? (d.fqn.startsWith(`${scope}.`) ? 0 : 1) : 3;
    items.push({
      label: name, kind: d.kind === 'message' ? CompletionItemKind.Struct : CompletionItemKind.Enum, detail: `${d.kind} ${d.fqn}`,
      // As hovers show doc comments: markdown that loads nothing (an image would be fetched when the item is selected).
      ...(d.doc ? { documentation: { kind: 'markdown' as const, value: formatDoc(firstParagraph(d.doc)) } } : {}),
      sortText: `${rank}${name}`, textEdit: { range, newText: name },
    });
  }
  if (opts.scalars && !qualifier) for (const s of SCALARS) items.push({ label: s, kind: CompletionItemKind.Keyword, detail: 'scalar type', sortText: `2${s}`, textEdit: { range, newText: s } });
  return items;
}

/**
 * The fewest trailing components of `fqn` that protoc resolves to it from `scope`, else the absolute name; with a
 * `qualifier` (what is typed before the cursor, `runtime.v1.`), of two components or more and starting with it, and
 * undefined where no name of the type starts so. Any number of components, as completion always offered them.
 */
function completedName(bound: BoundFile, fqn: string, scope: string, qualifier?: string): string | undefined {
  const resolves = (c: string): boolean => lookup(c, scope, bound.names, bound.declarations)?.fqn === fqn;
  if (!qualifier) return shortestName(fqn, resolves, Infinity);
  const name = shortestName(fqn, (c) => c.includes('.') && c.startsWith(qualifier) && resolves(c), Infinity);
  return name.startsWith(qualifier) ? name : undefined;
}

/** A doc comment's first paragraph: what the list's side panel has room for. */
function firstParagraph(doc: string): string {
  const k = doc.search(/\n\s*\n/);
  return (k < 0 ? doc : doc.slice(0, k)).trim();
}
