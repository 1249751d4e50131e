// The fields of a custom option's message as targets of the editor features: `.level` in `[(my.opt).level = 2]` and
// the keys of an aggregate value (`option (my.opt) = { level: 2, inner { s: "x" } };`) lead to the field of the
// message they are in, declared in the file or an import, as the binder's checks (aggregateOptions.ts) read them:
// the extension's type, then each part's or key's field type, looked up from where its message is declared. Where a
// step is not found (an unknown extension, no such field, a scalar) there is no target, and the binder says why.

import { rangeContains, type FieldNode, type MessageNode, type OptionNode, type Position, type ProtoFile, type Range } from '../proto/ast';
import { aggregateOf, type AggregateEntry } from '../proto/aggregate';
import type { BoundFile, ExtensionDeclaration } from '../proto/binder';
import { join, lookup } from '../proto/lookup';
import { SCALARS } from '../proto/model';
import type { OptionPathPart } from '../proto/optionPath';
import { OptionTypes } from '../proto/optionTypes';
import { perObject } from '../perObject';

/** A field of a message that an option's path or aggregate value sets or goes through. */
export interface OptionFieldDeclaration {
  /** The field's full name (its message's, then its name). */
  readonly fqn: string;
  /** Its message's full name: its type is looked up from there. */
  readonly owner: string;
  readonly node: FieldNode;
  /** The file that declares it. */
  readonly uri: string;
}

/** A key of an aggregate value: the field it names, or the extension of `[pkg.ext]` (a full name). */
export type EntryTarget =
  | { kind: 'field'; field: OptionFieldDeclaration; range: Range }
  | { kind: 'extension'; written: string; range: Range };

/** What each part of an option's path leads into: the field it names (none for an extension) and the message it is of. */
export interface PathStep {
  readonly field?: OptionFieldDeclaration;
  /** The message the part's value is; undefined for a scalar, an enum, a map, or a type not found. */
  readonly type?: string;
}

/**
 * A file's messages and enums by full name, built on first use per syntax tree: the imports' trees outlive an edit
 * of the file (the server keeps them), so their indexes are built once, not per binding.
 */
const typesOf = perObject((ast: ProtoFile) => new OptionTypes([ast]));

/** What `get` finds first in the file's types, then in its imports', with the file that declares it. */
function findType<T>(bound: BoundFile, get: (types: OptionTypes) => T | undefined): { found: T; uri: string } | undefined {
  const own = get(typesOf(bound.ast));
  if (own !== undefined) return { found: own, uri: bound.uri };
  for (const { uri, ast } of bound.importedTrees) {
    const found = get(typesOf(ast));
    if (found !== undefined) return { found, uri };
  }
  return undefined;
}

/** The message of full name `fqn` that the file or an import declares, with its file. */
function messageOf(bound: BoundFile, fqn: string): { node: MessageNode; uri: string } | undefined {
  const m = findType(bound, (t) => t.messages.get(fqn));
  return m && { node: m.found, uri: m.uri };
}

/** The values a field of type `written` (looked up from `scope`) takes where they are a few names: an enum's values, a bool's true and false. */
export function valueNames(bound: BoundFile, written: string, scope: string): readonly string[] | undefined {
  if (written === 'bool') return ['true', 'false'];
  if (SCALARS.has(written)) return undefined;
  const d = lookup(written, scope, bound.names, bound.declarations);
  return d?.kind === 'enum' ? findType(bound, (t) => t.enums.get(d.fqn))?.found : undefined;
}

/** The message `written` names from `scope`, as the binder resolves it; undefined for a scalar, an enum, or none. */
function messageType(bound: BoundFile, written: string, scope: string): string | undefined {
  if (SCALARS.has(written)) return undefined;
  const d = lookup(written, scope, bound.names, bound.declarations);
  return d?.kind === 'message' ? d.fqn : undefined;
}

/** The message an extension's value is (its type looked up from where its `extend` is). */
export function extensionType(bound: BoundFile, x: ExtensionDeclaration | undefined): string | undefined {
  return x && messageType(bound, x.type, x.scope);
}

/** The message a field's value is: its group's, or its type's; none for a map (its entries are no message written). */
export function fieldType(bound: BoundFile, f: OptionFieldDeclaration): string | undefined {
  if (f.node.group) return join(f.owner, f.node.group.name);
  return f.node.mapKey === undefined ? messageType(bound, f.node.type, f.owner) : undefined;
}

/** The fields of message `type`, where the file or an import declares it. */
export function messageFields(bound: BoundFile, type: string): readonly FieldNode[] {
  return messageOf(bound, type)?.node.fields ?? [];
}

/** The field `name` of message `type` (a group's field by its type's name too, as protoc's text format takes it). */
export function fieldOf(bound: BoundFile, type: string | undefined, name: string): OptionFieldDeclaration | undefined {
  const m = type === undefined ? undefined : messageOf(bound, type);
  const node = m?.node.fields.find((f) => f.name === name || f.group?.name === name);
  return node && { fqn: join(type!, node.name), owner: type!, node, uri: m!.uri };
}

/**
 * What each part of `parts` (an option's path after its extension, whose message is `type`) leads into, up to the
 * first that leads nowhere (a field not found, a part after a scalar). `resolve` finds an extension part's
 * declaration, as the option's own name is looked up.
 */
export function pathSteps(
  bound: BoundFile, type: string | undefined, parts: readonly OptionPathPart[], resolve: (written: string) => ExtensionDeclaration | undefined,
): PathStep[] {
  const steps: PathStep[] = [];
  let into = type;
  for (const part of parts) {
    if (into === undefined) break;
    if (part.extension) {
      into = extensionType(bound, resolve(part.name));
      steps.push({ type: into });
      continue;
    }
    const field = fieldOf(bound, into, part.name);
    if (!field) break;
    into = fieldType(bound, field);
    steps.push({ field, type: into });
  }
  return steps;
}

/**
 * The key at `pos` of option `o`'s aggregate value, whose message is `type`: the field it names, or the extension it
 * names in brackets; undefined elsewhere (a value, a key that names nothing known). Each message value is searched
 * once, down to the key.
 */
export function entryTargetAt(bound: BoundFile, o: OptionNode, type: string | undefined, pos: Position): EntryTarget | undefined {
  let entries = aggregateOf(o);
  let into = type;
  while (entries && into !== undefined) {
    const e = entries.find((x) => rangeContains(x.range, pos) || rangeContains(x.valueRange, pos));
    if (!e) return undefined;
    if (e.extension) {
      // An Any's `[type.googleapis.com/pkg.Msg]` names a message, not an extension.
      if (e.name.includes('/')) return undefined;
      const x = bound.extensions.get(e.name);
      if (rangeContains(e.range, pos)) return { kind: 'extension', written: e.name, range: e.range };
      into = extensionType(bound, x);
    } else {
      const field = fieldOf(bound, into, e.name);
      if (rangeContains(e.range, pos)) return field && { kind: 'field', field, range: e.range };
      into = field && fieldType(bound, field);
    }
    entries = messageAt(e, pos);
  }
  return undefined;
}

/** The entries of the message value of `e` that holds `pos` (one of a list's). */
function messageAt(e: AggregateEntry, pos: Position): readonly AggregateEntry[] | undefined {
  if (e.messages.length <= 1) return e.messages[0];
  const k = e.list?.findIndex((v) => v.entries && rangeContains(v.range, pos)) ?? -1;
  return k < 0 ? undefined : e.list![k]!.entries;
}
