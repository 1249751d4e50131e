// Options as targets of the editor features: the name of a custom option (`[(my.opt) = 1]`, `option (my.opt).a = 1;`,
// an extension in its path `(a).(b)`) leads to its `extend` field, in the file or an import (the binder's
// `extensions`), and an extend field's references are the options that name it; the name of a built-in option
// (`deprecated`, `json_name`, `go_package`) is hovered with what it does (builtinOptions.ts). Each option is placed as
// the binder checks it: what it sets (a field's, a file's options) and the scope its custom names are looked up from.

import { rangeContains, type EnumNode, type FieldNode, type MessageNode, type OptionNode, type Position, type ProtoFile, type Range } from '../proto/ast';
import type { BoundFile, ExtensionDeclaration } from '../proto/binder';
import { candidateNames, join } from '../proto/lookup';
import { namePartRange, optionPath } from '../proto/optionPath';
import type { OptionsOf } from '../proto/options';
import { isValidPosition, packageOf, spansOf, targetAt, type Target } from './positions';
import type { Location } from './types';

/** An option with what it sets and the scope its custom names are looked up from (as the binder's checkOptions). */
export interface PlacedOption {
  option: OptionNode;
  of: OptionsOf;
  scope: string;
}

export type OptionTarget =
  /** On the extension a custom option names (its name in parentheses); `extension` where the file or an import declares it. */
  | { kind: 'custom option'; written: string; extension: ExtensionDeclaration | undefined; range: Range }
  /** On the name of one of descriptor.proto's options (the first part of `features.x`). */
  | { kind: 'option'; name: string; of: OptionsOf; range: Range };

/** What a position points at: a type, a declaration, an import, the package (targetAt), else an option's name. */
export function targetOrOptionAt(bound: BoundFile, pos: Position): Target | OptionTarget | undefined {
  return targetAt(bound, pos) ?? optionTargetAt(bound, pos);
}

/** The option name part at the position, or undefined (an option's value, a field of a custom option's path). */
export function optionTargetAt(bound: BoundFile, pos: Position): OptionTarget | undefined {
  if (!isValidPosition(pos)) return undefined;
  const placed = spansOf(placedOptions(bound.ast), (p) => p.option.nameRange).first(pos);
  if (!placed) return undefined;
  const o = placed.option;
  const head = headName(o);
  // The path only after the head: most hovers on a custom option are on its name.
  const use = head && (rangeContains(head.range, pos) ? head : pathNames(o).find((p) => rangeContains(p.range, pos)));
  if (use) return { kind: 'custom option', written: use.written, extension: resolveExtension(bound, use.written, placed.scope), range: use.range };
  if (o.name.startsWith('(')) return undefined;
  const dot = o.name.indexOf('.');
  const name = dot < 0 ? o.name : o.name.slice(0, dot);
  const range = namePartRange(o, 0, name.length);
  return rangeContains(range, pos) ? { kind: 'option', name, of: placed.of, range } : undefined;
}

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
  return head ? [head, ...pathNames(o)] : [];
}

/** The extension a custom option's name starts with, inside its parentheses; undefined for a built-in option. */
function headName(o: OptionNode): ExtensionName | undefined {
  const head = o.name.startsWith('(') ? /^\((\.?[\w.]+)\)/.exec(o.name) : null;
  // Where buf marks an unknown one; the whole name where it is written with spaces.
  return head ? { written: head[1]!, range: namePartRange(o, 1, head[1]!.length) } : undefined;
}

const pathCache = new WeakMap<OptionNode, ExtensionName[]>();

/**
 * The extensions of a custom option's path (`(a).(c)`), kept per option: the path is read from its tokens, and a
 * hover on each position of a name of a megabyte read them all again.
 */
function pathNames(o: OptionNode): ExtensionName[] {
  let out = pathCache.get(o);
  if (!out) {
    out = [];
    for (const part of optionPath(o) ?? []) if (part.extension) out.push({ written: part.name, range: part.innerRange });
    pathCache.set(o, out);
  }
  return out;
}

const placedCache = new WeakMap<ProtoFile, PlacedOption[]>();

/** Every option of the file, placed (cached per syntax tree). */
export function placedOptions(ast: ProtoFile): PlacedOption[] {
  let out = placedCache.get(ast);
  if (!out) {
    out = placeOptions(ast);
    placedCache.set(ast, out);
  }
  return out;
}

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
