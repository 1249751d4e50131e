// Options as targets of the editor features: the name of a custom option (`[(my.opt) = 1]`, `option (my.opt).a = 1;`,
// an extension in its path `(a).(b)`) leads to its `extend` field, in the file or an import (the binder's
// `extensions`), and an extend field's references are the options that name it; a field of its path or a key of its
// aggregate value leads to the field of the option's message (optionFields.ts); the name of a built-in option
// (`deprecated`, `json_name`, `go_package`) is hovered with what it does (builtinOptions.ts). Each option is placed as
// the binder checks it: what it sets (a field's, a file's options) and the scope its custom names are looked up from.

import { comparePositions, rangeContains, type EnumNode, type FieldNode, type MessageNode, type OptionNode, type Position, type ProtoFile, type Range } from '../proto/ast';
import type { BoundFile, ExtensionDeclaration } from '../proto/binder';
import { candidateNames, join } from '../proto/lookup';
import { namePartRange, optionPath, type OptionPathPart } from '../proto/optionPath';
import { partitionPoint } from '../binarySearch';
import { entryTargetAt, extensionType, pathSteps, type OptionFieldDeclaration, type PathStep } from './optionFields';
import type { OptionsOf } from '../proto/options';
import { isValidPosition, packageOf, spansOf, targetAt, type Target } from './positions';
import type { Location } from './types';
import { perObject } from '../perObject';

/** An option with what it sets and the scope its custom names are looked up from (as the binder's checkOptions). */
export interface PlacedOption {
  option: OptionNode;
  of: OptionsOf;
  scope: string;
}

export type OptionTarget =
  /** On the extension a custom option names (its name in parentheses); `extension` where the file or an import declares it. */
  | { kind: 'custom option'; written: string; extension: ExtensionDeclaration | undefined; range: Range }
  /** On a field of a custom option's message: a part of its path (`.level`), a key of its aggregate value (`level:`). */
  | { kind: 'option field'; field: OptionFieldDeclaration; range: Range }
  /** On the name of one of descriptor.proto's options (the first part of `features.x`). */
  | { kind: 'option'; name: string; of: OptionsOf; range: Range };

/** What a position points at: a type, a declaration, an import, the package (targetAt), else an option's name or key. */
export function targetOrOptionAt(bound: BoundFile, pos: Position): Target | OptionTarget | undefined {
  return targetAt(bound, pos) ?? optionTargetAt(bound, pos);
}

/** The option name part or aggregate key at the position, or undefined (an option's value, a part not found). */
export function optionTargetAt(bound: BoundFile, pos: Position): OptionTarget | undefined {
  if (!isValidPosition(pos)) return undefined;
  const placed = spansOf(placedOptions(bound.ast), (p) => p.option.nameRange).first(pos);
  if (placed) return nameTarget(bound, placed, pos);
  if (!bound.ast.setsCustomOptions) return undefined;
  const valued = spansOf(aggregateOptions(bound.ast), (p) => p.option.valueRange).first(pos);
  if (!valued) return undefined;
  const e = entryTargetAt(bound, valued.option, valueType(bound, valued), pos);
  if (e?.kind === 'field') return { kind: 'option field', field: e.field, range: e.range };
  return e && { kind: 'custom option', written: e.written, extension: bound.extensions.get(e.written), range: e.range };
}

/** The part of an option's name at the position: its extension, an extension or a field of its path, a built-in name. */
function nameTarget(bound: BoundFile, placed: PlacedOption, pos: Position): OptionTarget | undefined {
  const o = placed.option;
  const head = headName(o);
  if (head) {
    // The path only after the head: most hovers on a custom option are on its name.
    if (rangeContains(head.range, pos)) return customOption(bound, head.written, placed.scope, head.range);
    const parts = pathOf(o);
    // The last part that starts at or before the position (parts are in order): a binary search, for a path of a megabyte.
    const k = partitionPoint(parts.length, (i) => comparePositions(parts[i]!.range.start, pos) <= 0) - 1;
    const part = parts[k];
    if (!part || !rangeContains(part.innerRange, pos)) return undefined;
    if (part.extension) return customOption(bound, part.name, placed.scope, part.innerRange);
    const field = resolvedPath(bound, placed)[k]?.field;
    return field && { kind: 'option field', field, range: part.innerRange };
  }
  if (o.name.startsWith('(')) return undefined;
  const dot = o.name.indexOf('.');
  const name = dot < 0 ? o.name : o.name.slice(0, dot);
  const range = namePartRange(o, 0, name.length);
  return rangeContains(range, pos) ? { kind: 'option', name, of: placed.of, range } : undefined;
}

function customOption(bound: BoundFile, written: string, scope: string, range: Range): OptionTarget {
  return { kind: 'custom option', written, extension: resolveExtension(bound, written, scope), range };
}

/** The message an option's value is: its extension's type, then along its path. */
function valueType(bound: BoundFile, placed: PlacedOption): string | undefined {
  const head = headName(placed.option);
  if (!head) return undefined;
  const parts = pathOf(placed.option);
  if (!parts.length) return extensionType(bound, resolveExtension(bound, head.written, placed.scope));
  const steps = resolvedPath(bound, placed);
  return steps.length === parts.length ? steps[steps.length - 1]!.type : undefined;
}

const stepsCache = new WeakMap<OptionNode, { bound: BoundFile; steps: PathStep[] }>();

/** What each part of the option's path leads into (pathSteps), kept per option and binding: read once, not per hover. */
function resolvedPath(bound: BoundFile, placed: PlacedOption): PathStep[] {
  const o = placed.option;
  const cached = stepsCache.get(o);
  if (cached?.bound === bound) return cached.steps;
  const head = headName(o);
  const resolve = (written: string): ExtensionDeclaration | undefined => resolveExtension(bound, written, placed.scope);
  const steps = head ? pathSteps(bound, extensionType(bound, resolve(head.written)), pathOf(o), resolve) : [];
  stepsCache.set(o, { bound, steps });
  return steps;
}

/** The custom options of the file whose value is an aggregate (`{ … }`), placed (cached per syntax tree). */
const aggregateOptions = perObject((ast: ProtoFile): PlacedOption[] =>
  placedOptions(ast).filter((p) => p.option.name.startsWith('(') && p.option.value.startsWith('{')));

/** The extension `written` (a custom option's name, without parentheses) names from `scope`, as protoc looks it up. */
export function resolveExtension(bound: BoundFile, written: string, scope: string): ExtensionDeclaration | undefined {
  for (const fqn of candidateNames(written, scope)) {
    const x = bound.extensions.get(fqn);
    if (x) return x;
  }
  return undefined;
}

/** Every place in `files` where an option names the extension `fqn`, in file order, then document order. */
export function optionUses(files: readonly BoundFile[], fqn: string): Location[] {
  const out: Location[] = [];
  for (const bound of files) {
    if (!bound.ast.setsCustomOptions) continue;
    for (const { option, scope } of placedOptions(bound.ast)) {
      for (const use of extensionNames(option)) {
        if (resolveExtension(bound, use.written, scope)?.fqn === fqn) out.push({ uri: bound.uri, range: use.range });
      }
    }
  }
  return out;
}

interface ExtensionName {
  written: string;
  range: Range;
}

/** The extensions an option's name writes in parentheses: `(a.b)` first, then those of its path (`(a).(c)`). */
function extensionNames(o: OptionNode): ExtensionName[] {
  const head = headName(o);
  if (!head) return [];
  const out = [head];
  for (const part of pathOf(o)) if (part.extension) out.push({ written: part.name, range: part.innerRange });
  return out;
}

/**
 * The extension a custom option's name starts with, inside its parentheses; undefined for a built-in option. Where
 * buf marks an unknown one; written with spaces (`( my.opt ) . level`), from the name's start to its path's first
 * `.`, so that the parts after it stay where the parser read them.
 */
function headName(o: OptionNode): ExtensionName | undefined {
  const head = o.name.startsWith('(') ? /^\((\.?[\w.]+)\)/.exec(o.name) : null;
  if (!head) return undefined;
  const written = head[1]!;
  const exact = namePartRange(o, 1, written.length);
  const first = pathOf(o)[0];
  if (!first || exact !== o.nameRange) return { written, range: exact };
  const start = o.nameRange.start;
  const end = first.range.start;
  // The head without spaces, right before its path's `.` (the spaces are further on: `(my.opt).level . x`).
  const range = comparePositions(end, { line: start.line, character: start.character + written.length + 2 }) === 0
    ? { start: { line: start.line, character: start.character + 1 }, end: { line: start.line, character: start.character + 1 + written.length } }
    : { start, end };
  return { written, range };
}

/**
 * The parts of a custom option's path (`.inner`, `.(c)`), kept per option: the path is read from its tokens, and a
 * hover on each position of a name of a megabyte read them all again.
 */
const pathOf = perObject((o: OptionNode): readonly OptionPathPart[] => optionPath(o) ?? []);

/** Every option of the file, placed (cached per syntax tree). */
export const placedOptions = perObject(placeOptions);

function placeOptions(ast: ProtoFile): PlacedOption[] {
  const out: PlacedOption[] = [];
  const add = (options: readonly OptionNode[], of: OptionsOf, scope: string): void => {
    for (const option of options) out.push({ option, of, scope });
  };
  const fields = (fs: readonly FieldNode[], scope: string): void => {
    for (const f of fs) {
      add(f.options, 'field', scope);
      // A group's message is declared where its field is.
      if (f.group) message(f.group, scope);
    }
  };
  const enumeration = (e: EnumNode, scope: string): void => {
    const fqn = join(scope, e.name);
    add(e.options, 'enum', fqn);
    for (const v of e.values) add(v.options, 'enum value', fqn);
  };
  const extend = (m: Pick<MessageNode, 'extends'>, scope: string): void => {
    for (const x of m.extends) fields(x.fields, scope);
  };
  function message(m: MessageNode, scope: string): void {
    const fqn = join(scope, m.name);
    add(m.options, 'message', fqn);
    for (const o of m.oneofs) add(o.options, 'oneof', fqn);
    for (const e of m.extensions) add(e.options, 'extension range', fqn);
    fields(m.fields, fqn);
    for (const n of m.messages) message(n, fqn);
    for (const e of m.enums) enumeration(e, fqn);
    extend(m, fqn);
  }
  const pkg = packageOf(ast);
  add(ast.options, 'file', pkg);
  for (const m of ast.messages) message(m, pkg);
  for (const e of ast.enums) enumeration(e, pkg);
  for (const s of ast.services) {
    add(s.options, 'service', join(pkg, s.name));
    // The binder looks an RPC's options up from the package, as protoc finds the same extensions there.
    for (const r of s.rpcs) add(r.options, 'method', pkg);
  }
  extend(ast, pkg);
  return out;
}
