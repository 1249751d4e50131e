// Custom options checked as protoc checks them. The option itself: an extension that this file or an import declares
// (protoc: "Option "(x)" unknown", buf: "cannot find `x` in this scope"). An aggregate value (`option (my.opt) = { a: 1, inner { s: "x" } };`):
// every key a field of the message it is in ("Message type "my.Opt" has no field named "b"", buf: "cannot resolve
// message field name"), or an extension of that message (`[my.ext]`). A path into the option
// (`option (my.opt).inner.s = "x";`): every part a field of the message before it (buf: "cannot find message field"),
// and every part but the last a singular message to go into (buf: "expected singular message"); a part in
// parentheses (`(my.opt).(my.ext).s`) an extension of that message, looked up as the option's name is (buf: "expected
// `my.Opt` extension"). Every value, in an aggregate or the option's own, of its field's type (buf: "mismatched
// types", see optionValue.ts). Known where the option's type, and each message a key or a part leads into, is a
// message of this file or a small well-known type whose fields are bundled; a message of an imported file is not
// read (the binder keeps only its name).

import type { EnumNode, FieldNode, MessageNode, OptionNode, ProtoFile, Range } from './ast';
import { aggregateOf, type AggregateElement, type AggregateEntry } from './aggregate';
import { join } from './lookup';
import { SCALARS } from './model';
import { optionPath, type OptionPathPart } from './optionPath';
import { describe, scalarProblem, type ValueType } from './optionValue';
import { WELL_KNOWN_FIELDS } from './wellKnown';

/** A custom option to check, with the scope its name is looked up from (the element's). */
export interface PendingOption {
  option: OptionNode;
  scope: string;
}

export interface AggregateProblem {
  /** A name that is no extension or field; a value that is not of its field's type; an Any's type another file does not export. */
  code: 'unknown-option' | 'invalid-option-value' | 'not-exported';
  message: string;
  range: Range;
}

/** What the binder answers: a type name as protoc resolves it, and whether an import may declare an extension. */
export interface AggregateContext {
  /** A message's or an enum's full name; undefined for a scalar, or a name that is not found. */
  resolveType(written: string, scope: string): { kind: 'message' | 'enum'; fqn: string } | undefined;
  /** Whether an extension of this full name may be declared outside this file (an import declares it, or one is not found). */
  declaredElsewhere(fqn: string): boolean;
  /** Why this file cannot use the type of this full name (an import's that it does not export); undefined where it can. */
  hidden(fqn: string): string | undefined;
}

interface Extension {
  field: FieldNode;
  /** Where it is declared: its type is resolved from there. */
  scope: string;
  /** The message it extends, resolved; undefined where it is not found. */
  extendee: string | undefined;
}

/** The problems of `pending`, all options of one file; its messages and extensions are indexed only here. */
export function customOptionProblems(pending: readonly PendingOption[], ast: ProtoFile, pkg: string, context: AggregateContext): AggregateProblem[] {
  return new Checker(ast, pkg, context).run(pending);
}

class Checker {
  private readonly messages = new Map<string, MessageNode>();
  /** The value names of each enum of the file. */
  private readonly enums = new Map<string, string[]>();
  private readonly extensions = new Map<string, Extension>();
  private readonly out: AggregateProblem[] = [];

  constructor(ast: ProtoFile, pkg: string, private readonly context: AggregateContext) {
    const extensions = (fields: readonly FieldNode[], written: string, scope: string): void => {
      const extendee = this.message(written, scope);
      for (const f of fields) if (f.name) this.extensions.set(join(scope, f.name), { field: f, scope, extendee });
    };
    const enums = (list: readonly EnumNode[], scope: string): void => {
      for (const e of list) if (e.name) this.enums.set(join(scope, e.name), e.values.map((v) => v.name));
    };
    const walk = (m: MessageNode, scope: string): void => {
      if (!m.name) return;
      const fqn = join(scope, m.name);
      this.messages.set(fqn, m);
      enums(m.enums, fqn);
      for (const n of m.messages) walk(n, fqn);
      for (const f of m.fields) if (f.group) walk(f.group, fqn);
      for (const x of m.extends) {
        extensions(x.fields, x.extendee, fqn);
        for (const f of x.fields) if (f.group) walk(f.group, fqn);
      }
    };
    for (const m of ast.messages) walk(m, pkg);
    enums(ast.enums, pkg);
    for (const x of ast.extends) {
      extensions(x.fields, x.extendee, pkg);
      for (const f of x.fields) if (f.group) walk(f.group, pkg);
    }
  }

  run(pending: readonly PendingOption[]): AggregateProblem[] {
    for (const { option, scope } of pending) {
      const target = this.optionField(option, scope);
      if (!target || !option.value) continue;
      const entries = aggregateOf(option);
      // An aggregate that is not text format is not what is checked here.
      if (!entries && option.value.startsWith('{')) continue;
      const value: AggregateEntry = {
        name: option.name, extension: false, range: option.nameRange, valueRange: option.valueRange,
        scalar: entries ? undefined : option.value, messages: entries ? [entries] : [],
      };
      this.fieldValue(value, target.field, target.owner, target.name);
    }
    return this.out;
  }

  private message(written: string, scope: string): string | undefined {
    const t = this.context.resolveType(written, scope);
    return t?.kind === 'message' ? t.fqn : undefined;
  }

  /**
   * The field that `(ext).a.b` (or `(ext).(other).b`) sets (`b` of its message `owner`, `name` its full name) looked up
   * from `scope`, where this file declares the extensions, with the problems of its path; else undefined.
   */
  private optionField(option: OptionNode, scope: string): { field: FieldNode; owner: string; name: string } | undefined {
    const name = /^\((\.?[\w.]+)\)(\.)?/.exec(option.name);
    if (!name) return undefined;
    // The name inside `(…)`, where buf marks it; written without spaces, as nearly always.
    const start = { line: option.nameRange.start.line, character: option.nameRange.start.character + 1 };
    const ext = this.extension(name[1]!, scope, { start, end: { line: start.line, character: start.character + name[1]!.length } }, 'option ');
    if (!ext) return undefined;
    let field = ext.field;
    let owner = ext.scope;
    if (!name[2]) return { field, owner, name: join(owner, field.name) };
    const parts = optionPath(option);
    if (!parts) return undefined;
    let written = `(${name[1]})`;
    for (const [k, part] of parts.entries()) {
      const type = this.through(field, owner, written, part);
      if (type === undefined) return undefined;
      if (part.extension) {
        const other = this.extension(part.name, scope, part.innerRange);
        if (!other) return undefined;
        if (other.extendee !== undefined && other.extendee !== type) {
          this.unknown(`"${join(other.scope, other.field.name)}" is an extension of "${other.extendee}", not of "${type}"`, part.range);
          return undefined;
        }
        field = other.field;
        owner = other.scope;
        written += `.(${part.name})`;
        continue;
      }
      const m = this.messages.get(type);
      const wellKnown = m ? undefined : WELL_KNOWN_FIELDS.get(type);
      const next = m?.fields.find((f) => f.name === part.name);
      if (m ? !next : wellKnown && !wellKnown.includes(part.name)) {
        this.unknown(`message type "${type}" has no field named "${part.name}"`, part.range);
        return undefined;
      }
      if (!next) {
        // A small well-known type's fields are all scalars; of an imported message, nothing is known.
        if (wellKnown && k + 1 < parts.length) this.refuse(`${written}.${part.name}`, 'a scalar', parts[k + 1]!);
        return undefined;
      }
      field = next;
      owner = type;
      written += `.${part.name}`;
    }
    return { field, owner, name: join(owner, field.name) };
  }

  /**
   * The extension `written` (in parentheses) names from `scope`, as protoc looks it up: in `scope`, then in each scope
   * around it; undefined where this file declares none, with the problem at `range` unless an import may declare it.
   */
  private extension(written: string, scope: string, range: Range, what = ''): Extension | undefined {
    const candidates = this.scopesOf(written, scope);
    const ext = candidates.map((fqn) => this.extensions.get(fqn)).find((x) => x !== undefined);
    if (!ext && !candidates.some((fqn) => this.context.declaredElsewhere(fqn))) {
      const shown = written.length > 80 ? `${written.slice(0, 80)}…` : written;
      this.unknown(`${what}"(${shown})" is unknown: no extension of that name is declared in this file or its imports`, range);
    }
    return ext;
  }

  /**
   * The message type of field `f` of `owner`, which the path goes into with `part`; undefined, with the problem,
   * where a path cannot go into it, and where its type is not known.
   */
  private through(f: FieldNode, owner: string, written: string, part: OptionPathPart): string | undefined {
    const key = part.extension ? `[${part.name}]` : part.name;
    if (f.label === 'repeated' || f.mapKey !== undefined) return this.refuse(written, 'repeated', part, ` (set its messages with an aggregate value: ${written} = { ${key}: … })`);
    if (f.group) return join(owner, f.group.name);
    if (SCALARS.has(f.type)) return this.refuse(written, `a scalar (${f.type})`, part);
    const t = this.context.resolveType(f.type, owner);
    if (t?.kind === 'enum') return this.refuse(written, `an enum (${t.fqn})`, part);
    return t?.fqn;
  }

  /** `part` follows `written`, which is `what`: protoc goes into a singular message only. */
  private refuse(written: string, what: string, part: OptionPathPart, hint = ''): undefined {
    this.unknown(`"${written}" is ${what}, not a singular message: "${part.extension ? `(${part.name})` : part.name}" cannot follow it${hint}`, part.nameRange);
    return undefined;
  }

  /** The full names `written` may mean from `scope`, innermost first; `.a.b` is full. */
  private scopesOf(written: string, scope: string): string[] {
    if (written.startsWith('.')) return [written.slice(1)];
    const out: string[] = [];
    for (let s = scope; ; s = s.slice(0, Math.max(s.lastIndexOf('.'), 0))) {
      out.push(join(s, written));
      if (!s) return out;
    }
  }

  /** Checks the keys of one message value of type `type` (a full name). */
  private entries(entries: readonly AggregateEntry[], type: string): void {
    const m = this.messages.get(type);
    const wellKnown = m ? undefined : WELL_KNOWN_FIELDS.get(type);
    if (!m && !wellKnown) return;
    for (const e of entries) {
      if (e.extension) {
        this.extensionEntry(e, type);
        continue;
      }
      if (wellKnown) {
        if (!wellKnown.includes(e.name)) this.unknownField(e, type);
        continue;
      }
      // protoc's text format names a group by its field (`grp`) or, as in the .proto file, by its type (`Grp`).
      const f = m!.fields.find((x) => x.name === e.name || (x.group !== undefined && x.group.name === e.name));
      if (!f) this.unknownField(e, type);
      else this.fieldValue(e, f, type, join(type, f.name));
    }
  }

  /** The value of `e`, field `f` of `owner` (`name` in messages). */
  private fieldValue(e: AggregateEntry, f: FieldNode, owner: string, name: string): void {
    if (f.mapKey === undefined) {
      const type = f.group ? { kind: 'message' as const, fqn: join(owner, f.group.name) } : this.valueType(f.type, owner);
      this.value(e, name, type, f.label === 'repeated');
      return;
    }
    // A map's entries are messages of two fields, `key` and `value`; protoc names their message for the field:
    // `labels` → LabelsEntry.
    const entryType = join(owner, `${f.name.replace(/(?:^|_)([a-z])/g, (_m, c: string) => c.toUpperCase()).replace(/_/g, '')}Entry`);
    this.value(e, name, { kind: 'message', fqn: entryType }, true, (entry) => {
      for (const k of entry) {
        if (k.extension || (k.name !== 'key' && k.name !== 'value')) this.unknownField(k, entryType);
        else if (k.name === 'key') this.value(k, join(entryType, 'key'), { kind: 'scalar', type: f.mapKey! }, false);
        else this.value(k, join(entryType, 'value'), this.valueType(f.type, owner), false);
      }
    });
  }

  /**
   * Checks a value of field `name`, of `type` where it is known: a list only if the field is repeated, and each
   * value of the type; the entries of a message value by `inner`, else as those of a message `type`.
   */
  private value(e: AggregateEntry, name: string, type: ValueType | undefined, repeated: boolean, inner?: (entries: readonly AggregateEntry[]) => void): void {
    if (e.list && !repeated) {
      this.invalid(`"${name}" is not repeated: it takes one value, not a list`, e.valueRange);
      return;
    }
    const values: readonly AggregateElement[] = e.list ?? [{ scalar: e.scalar, entries: e.messages[0], range: e.valueRange }];
    for (const v of values) {
      if (v.entries) {
        if (type && type.kind !== 'message') this.invalid(`"${name}" takes ${describe(type)}, not a message`, v.range);
        else if (inner) inner(v.entries);
        else if (type) this.entries(v.entries, type.fqn);
      } else if (type) {
        const wrong = scalarProblem(name, type, v.scalar!, v.range);
        if (wrong) this.invalid(wrong.message, wrong.range);
      }
    }
  }

  /** The type of a value of type `written` in `scope`; undefined where it is not known. */
  private valueType(written: string, scope: string): ValueType | undefined {
    if (SCALARS.has(written)) return { kind: 'scalar', type: written };
    const t = this.context.resolveType(written, scope);
    if (t?.kind === 'enum') return { kind: 'enum', fqn: t.fqn, values: this.enums.get(t.fqn) };
    return t && { kind: 'message', fqn: t.fqn };
  }

  private extensionEntry(e: AggregateEntry, type: string): void {
    // An Any's `[type.googleapis.com/pkg.Msg]` names a type (by its full name), not an extension.
    if (e.name.includes('/')) {
      this.anyType(e);
      return;
    }
    const ext = this.extensions.get(e.name);
    if (!ext) {
      if (!this.context.declaredElsewhere(e.name)) this.unknown(`message type "${type}" has no extension named "${e.name}"`, e.range);
      return;
    }
    if (ext.extendee !== undefined && ext.extendee !== type) {
      this.unknown(`"${e.name}" is an extension of "${ext.extendee}", not of "${type}"`, e.range);
      return;
    }
    this.fieldValue(e, ext.field, ext.scope, e.name);
  }

  /** The type an Any's key names, which another file must export, as buf checks it (on the name, written without spaces). */
  private anyType(e: AggregateEntry): void {
    const name = e.name.slice(e.name.lastIndexOf('/') + 1);
    const t = this.context.resolveType(`.${name}`, '');
    const hidden = t && this.context.hidden(t.fqn);
    if (!hidden) return;
    const { start, end } = e.range;
    const range = start.line === end.line ? { start: { line: end.line, character: end.character - 1 - name.length }, end: { line: end.line, character: end.character - 1 } } : e.range;
    this.out.push({ code: 'not-exported', message: hidden, range });
  }

  private unknownField(e: AggregateEntry, type: string): void {
    this.unknown(`message type "${type}" has no field named "${e.name}"`, e.range);
  }

  private unknown(message: string, range: Range): void {
    this.out.push({ code: 'unknown-option', message, range });
  }

  private invalid(message: string, range: Range): void {
    this.out.push({ code: 'invalid-option-value', message, range });
  }
}
