// Custom options checked as protoc checks them. The option itself: an extension that this file or an import declares
// (protoc: "Option "(x)" unknown", buf: "cannot find `x` in this scope"). An aggregate value (`option (my.opt) = { a: 1, inner { s: "x" } };`):
// every key a field of the message it is in ("Message type "my.Opt" has no field named "b"", buf: "cannot resolve
// message field name"), or an extension of that message (`[my.ext]`). A path into the option
// (`option (my.opt).inner.s = "x";`): every part a field of the message before it (buf: "cannot find message field"),
// and every part but the last a singular message to go into (buf: "expected singular message"); a part in
// parentheses (`(my.opt).(my.ext).s`) an extension of that message, looked up as the option's name is (buf: "expected
// `my.Opt` extension"). Every value, in an aggregate or the option's own, of its field's type (buf: "mismatched
// types", see optionValue.ts). A field that is not repeated set once, and one field of a oneof (buf: "set multiple
// times"): buf merges the options of one element into one message, so a path may go into a message set before, but
// a field set again, in an aggregate or by another option, is refused. Known where the extension, the option's type,
// and each message a key or a part leads into, are declared in this file or an import (see optionTypes.ts), or are a
// small well-known type whose fields are bundled; not where an import is not found. An Any written as its type URL and
// message (`[type.googleapis.com/pkg.Msg] { … }`), as buf checks it: only in an Any, with nothing beside it, one of
// Google's domains, a message by its full name, and its value against that message.

import type { OptionNode, ProtoFile, Range } from './ast';
import { aggregateOf, entrySpan, ownValueEntry, type AggregateElement, type AggregateEntry } from './aggregate';
import { candidateNames, join } from './lookup';
import { SCALARS, mapEntryName } from './model';
import { optionPath, type OptionPathPart } from './optionPath';
import { OptionTypes, type OptionExtension, type OptionField, type OptionMessage } from './optionTypes';
import { describe, scalarProblem, type ValueType } from './optionValue';
import { WELL_KNOWN_FIELDS } from './wellKnown';

const ANY = 'google.protobuf.Any';
/** The domains of an Any's type URL that buf takes. */
const ANY_DOMAINS = ['type.googleapis.com', 'type.googleprod.com'];

/** `[type.googleapis.com/pkg.Msg]`, the key of an Any written as its type and message. */
const isTypeUrl = (e: AggregateEntry): boolean => e.extension && e.name.includes('/');

/**
 * The options of one element, whose custom options are checked, with the scope their names are looked up from (the
 * element's), and the full name of the *Options message of descriptor.proto that they extend.
 */
export interface PendingOption {
  options: readonly OptionNode[];
  scope: string;
  extendee: string;
}

export interface AggregateProblem {
  /** A name that is no extension or field; a value that is not of its field's type; a field set again; an Any's type another file does not export. */
  code: 'unknown-option' | 'invalid-option-value' | 'duplicate-option' | 'not-exported';
  message: string;
  range: Range;
}

/** What the binder answers: a type name as protoc resolves it, whether an import may declare an extension, and the imports. */
export interface AggregateContext {
  /** A message's or an enum's full name; undefined for a scalar, or a name that is not found. */
  resolveType(written: string, scope: string): { kind: 'message' | 'enum'; fqn: string } | undefined;
  /** Whether an extension of this full name may be declared outside this file (an import declares it, or one is not found). */
  declaredElsewhere(fqn: string): boolean;
  /** Why this file cannot use the type of this full name (an import's that it does not export); undefined where it can. */
  hidden(fqn: string): string | undefined;
  /** The imported files whose types this file sees (its imports, and their public imports), read for what this file does not declare. */
  importedFiles(): readonly ProtoFile[];
}

/**
 * What the options of one element set, as buf merges them: each field (by name; an extension by its full name in
 * parentheses) with what is set in it, and each oneof (by full name) with the full name of the field that is set.
 */
class Setting {
  readonly fields = new Map<string, Setting>();
  readonly oneofs = new Map<string, string>();
  /** Created by a path into it (`(my.opt).inner.s`), not set as a whole. */
  constructor(readonly byPath = false) {}
}

/** What a value sets, where it is a message; whether none of it (no value of a list) is of its field's type (buf then does not set the field). */
interface Checked {
  set?: Setting;
  wrong?: true;
}

/** One field that an option's name sets or goes into: the extension, then each part of its path. */
interface Step {
  readonly key: string;
  readonly field: OptionField;
  /** Where it is declared: a message's full name, or an extension's scope; its type is resolved from there. */
  readonly owner: string;
  /** The field's full name, as problems name it. */
  readonly name: string;
  /** The full name of its oneof. */
  readonly oneof: string | undefined;
  /** Where the name up to this field ends: buf reports a field set again on the name up to it. */
  readonly end: Range['end'];
}

/** The problems of `pending`, all options of one file; its messages and extensions are indexed only here. */
export function customOptionProblems(pending: readonly PendingOption[], ast: ProtoFile, context: AggregateContext): AggregateProblem[] {
  return new Checker(ast, context).run(pending);
}

class Checker {
  private readonly local: OptionTypes;
  /** The imports' types: indexed for the first name this file does not declare. */
  private imported: OptionTypes | undefined;
  private readonly out: AggregateProblem[] = [];
  /** The scope of the option being checked: an Any's type URL that names a type from it is no full name. */
  private scope = '';

  constructor(ast: ProtoFile, private readonly context: AggregateContext) {
    this.local = new OptionTypes([ast]);
  }

  /** The message of this full name: of this file, a small well-known one, or an import's. */
  private messageOf(fqn: string): OptionMessage | undefined {
    return this.local.messages.get(fqn) ?? WELL_KNOWN_FIELDS.get(fqn) ?? this.imports().messages.get(fqn);
  }

  private extensionOf(fqn: string): OptionExtension | undefined {
    return this.local.extensions.get(fqn) ?? this.imports().extensions.get(fqn);
  }

  private imports(): OptionTypes {
    return (this.imported ??= new OptionTypes(this.context.importedFiles()));
  }

  run(pending: readonly PendingOption[]): AggregateProblem[] {
    for (const { options, scope, extendee } of pending) {
      const set = new Setting();
      for (const option of options) if (option.name.startsWith('(')) this.option(option, scope, extendee, set);
    }
    return this.out;
  }

  /** Checks `option`, and records what it sets in `set`, what the element's options before it set. */
  private option(option: OptionNode, scope: string, extendee: string, set: Setting): void {
    this.scope = scope;
    const steps = this.optionSteps(option, scope, extendee);
    if (!steps || !option.value) return;
    const entries = aggregateOf(option);
    // An aggregate that is not text format is a syntax error, which the parser reports.
    if (!entries && option.value.startsWith('{')) return;
    // A list, which buf refuses (the parser's error), is read as an aggregate's `key: [ … ]`.
    const value = ownValueEntry(option, entries);
    // Into each message of the path, creating what is not set yet (nothing is set where another field of a oneof is).
    const target = steps[steps.length - 1]!;
    let at: Setting | undefined = set;
    for (const step of steps) {
      if (!this.oneofFree(at, step, { start: option.nameRange.start, end: step.end })) {
        at = undefined;
        break;
      }
      if (step !== target) at = at.fields.get(step.key) ?? this.put(at, step, new Setting(true));
    }
    const single = target.field.label !== 'repeated' && target.field.mapKey === undefined;
    const there = at?.fields.get(target.key);
    if (single && there) {
      // buf does not check the value of an option that sets a field again (in an aggregate, it does).
      this.setTwice(target.name, { start: option.nameRange.start, end: target.end }, there.byPath ? ' (a path set its fields before it; set it whole first, then the path)' : '');
      return;
    }
    const checked = this.fieldValue(value, target.field, target.owner, target.name, !entries);
    if (at && single && !checked.wrong) this.put(at, target, checked.set ?? new Setting());
  }

  /** Records that `step` is set in `set`, with what is set in it. */
  private put(set: Setting, step: Pick<Step, 'key' | 'name' | 'oneof'>, value: Setting): Setting {
    set.fields.set(step.key, value);
    if (step.oneof !== undefined) set.oneofs.set(step.oneof, step.name);
    return value;
  }

  /** Whether `step`'s oneof, if it is in one, has no other field set in `set`; else the problem, at `range`. */
  private oneofFree(set: Setting, step: Pick<Step, 'name' | 'oneof'>, range: Range): boolean {
    const other = step.oneof === undefined ? undefined : set.oneofs.get(step.oneof);
    if (other === undefined || other === step.name) return true;
    this.out.push({ code: 'duplicate-option', message: `"${step.name}" cannot be set: "${other}" of the same oneof "${step.oneof}" is set already`, range });
    return false;
  }

  private setTwice(name: string, range: Range, hint = ''): void {
    this.out.push({ code: 'duplicate-option', message: `"${name}" is set twice: it is not repeated${hint}`, range });
  }

  private message(written: string, scope: string): string | undefined {
    const t = this.context.resolveType(written, scope);
    return t?.kind === 'message' ? t.fqn : undefined;
  }

  /**
   * The fields that `(ext).a.b` (or `(ext).(other).b`) goes through and sets, looked up from `scope`, where this file
   * declares the extensions, with the problems of its path; else undefined.
   */
  private optionSteps(option: OptionNode, scope: string, extendee: string): Step[] | undefined {
    const name = /^\((\.?[\w.]+)\)(\.)?/.exec(option.name);
    if (!name) return undefined;
    // The name inside `(…)`, where buf marks it; written without spaces, as nearly always.
    const start = { line: option.nameRange.start.line, character: option.nameRange.start.character + 1 };
    const end = { line: start.line, character: start.character + name[1]!.length };
    const ext = this.extension(name[1]!, scope, { start, end }, 'option ');
    // An extension of another element's options (a file's option on a message), with its parentheses, as buf marks it.
    if (!ext || !this.extends(ext, extendee, join(ext.scope, ext.field.name), { start: option.nameRange.start, end: { line: end.line, character: end.character + 1 } })) return undefined;
    const steps = [this.extensionStep(ext, name[2] ? { line: end.line, character: end.character + 1 } : option.nameRange.end)];
    if (!name[2]) return steps;
    const parts = optionPath(option);
    if (!parts) return undefined;
    let written = `(${name[1]})`;
    for (const part of parts) {
      const { field, owner } = steps[steps.length - 1]!;
      const type = this.through(field, owner, written, part);
      if (type === undefined) return undefined;
      if (part.extension) {
        const other = this.extension(part.name, scope, part.innerRange);
        if (!other) return undefined;
        if (!this.extends(other, type, join(other.scope, other.field.name), part.range)) return undefined;
        steps.push(this.extensionStep(other, part.nameRange.end));
        written += `.(${part.name})`;
        continue;
      }
      const m = this.messageOf(type);
      if (!m) return undefined;
      const next = m.fields.find((f) => f.name === part.name);
      if (!next) {
        this.unknown(`message type "${type}" has no field named "${part.name}"`, part.range);
        return undefined;
      }
      steps.push({ key: next.name, field: next, owner: type, name: join(type, next.name), oneof: next.oneof && join(type, next.oneof), end: part.nameRange.end });
      written += `.${part.name}`;
    }
    return steps;
  }

  private extensionStep(ext: OptionExtension, end: Range['end']): Step {
    const name = join(ext.scope, ext.field.name);
    return { key: `(${name})`, field: ext.field, owner: ext.scope, name, oneof: undefined, end };
  }

  /**
   * The extension `written` (in parentheses) names from `scope`, as protoc looks it up: in `scope`, then in each scope
   * around it; undefined where neither this file nor an import declares one, with the problem at `range` unless an
   * import that is not found may declare it.
   */
  private extension(written: string, scope: string, range: Range, what = ''): OptionExtension | undefined {
    const candidates = candidateNames(written, scope);
    const ext = candidates.map((fqn) => this.extensionOf(fqn)).find((x) => x !== undefined);
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
  private through(f: OptionField, owner: string, written: string, part: OptionPathPart): string | undefined {
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

  /** Checks the keys of one message value of type `type` (a full name); what it sets. */
  private entries(entries: readonly AggregateEntry[], type: string): Setting {
    const set = new Setting();
    const m = this.messageOf(type);
    if (!m) return set;
    if (type === ANY && entries.some(isTypeUrl)) {
      this.any(entries);
      return set;
    }
    for (const e of entries) {
      if (isTypeUrl(e)) {
        this.invalid(`a type URL names the message of a google.protobuf.Any, and "${type}" is none`, entrySpan(e));
        continue;
      }
      if (e.extension) {
        const ext = this.extensionEntry(e, type);
        if (ext) this.entry(set, e, { key: `(${e.name})`, field: ext.field, owner: ext.scope, name: e.name, oneof: undefined });
        continue;
      }
      // protoc's text format names a group by its field (`grp`) or, as in the .proto file, by its type (`Grp`).
      const f = m.fields.find((x) => x.name === e.name || (x.group !== undefined && x.group.name === e.name));
      // buf: "message extension `p.x` referenced incorrectly" where a key names an extension without its brackets.
      const ext = e.name.replace(/^\./, '');
      if (!f && this.extensionOf(ext)) this.unknown(`"${ext}" is an extension: its key is written [${ext}]`, e.range);
      else if (!f) this.unknownField(e, type);
      else this.entry(set, e, { key: f.name, field: f, owner: type, name: join(type, f.name), oneof: f.oneof && join(type, f.oneof) });
    }
    return set;
  }

  /**
   * Checks the value of `e`, which sets `step`, and records in `set` that it is set, unless the field is repeated, as
   * buf does: a field set again, whatever its value, or another field of a set oneof, is refused (a message field
   * written again is not, whatever its value: the first is kept), and a field whose value is not of its type (a list
   * none of whose values is, an empty one too) is not set.
   */
  private entry(set: Setting, e: AggregateEntry, step: Omit<Step, 'end'>): void {
    const single = step.field.label !== 'repeated' && step.field.mapKey === undefined;
    const free = this.oneofFree(set, step, e.range);
    const there = set.fields.has(step.key);
    if (single && free && there && !step.field.group && this.valueType(step.field.type, step.owner)?.kind !== 'message') this.setTwice(step.name, e.range);
    const checked = this.fieldValue(e, step.field, step.owner, step.name);
    if (single && free && !there && !checked.wrong) this.put(set, step, checked.set ?? new Setting());
  }

  /**
   * The value of `e`, field `f` of `owner` (`name` in messages), the option's own where `bare` (not in an aggregate):
   * what is set in it, where it is a message, or whether it is wrong.
   */
  private fieldValue(e: AggregateEntry, f: OptionField, owner: string, name: string, bare = false): Checked {
    if (f.mapKey === undefined) {
      const type = f.group ? { kind: 'message' as const, fqn: join(owner, f.group.name) } : this.valueType(f.type, owner);
      return this.value(e, name, type, f.label === 'repeated', undefined, bare);
    }
    // A map's entries are messages of two fields, `key` and `value`, which protoc names for the field.
    const entryType = join(owner, mapEntryName(f.name));
    return this.value(e, name, { kind: 'message', fqn: entryType }, true, (entry) => {
      const set = new Setting();
      for (const k of entry) {
        if (k.extension || (k.name !== 'key' && k.name !== 'value')) {
          this.unknownField(k, entryType);
          continue;
        }
        const field = k.name === 'key' ? { name: k.name, type: f.mapKey! } : { name: k.name, type: f.type };
        this.entry(set, k, { key: k.name, field, owner, name: join(entryType, k.name), oneof: undefined });
      }
      return set;
    });
  }

  /**
   * Checks a value of field `name`, of `type` where it is known: a list only if the field is repeated, and each
   * value of the type; the entries of a message value by `inner`, else as those of a message `type`. What is set in
   * its first message value; wrong where no value is of the type.
   */
  private value(e: AggregateEntry, name: string, type: ValueType | undefined, repeated: boolean, inner?: (entries: readonly AggregateEntry[]) => Setting, bare = false): Checked {
    // buf checks the values of a list that the field does not take too, and sets the field where one is of its type.
    if (e.list && !repeated) this.invalid(`"${name}" is not repeated: it takes one value, not a list`, e.valueRange);
    const values: readonly AggregateElement[] = e.list ?? [{ scalar: e.scalar, entries: e.messages[0], range: e.valueRange }];
    const checked: Checked = {};
    let taken = false;
    for (const v of values) {
      let wrong: { message: string; range: Range } | undefined;
      if (v.entries) {
        if (type && type.kind !== 'message') wrong = { message: `"${name}" takes ${describe(type)}, not a message`, range: v.range };
        else {
          // Every message of a list is checked; the first is what is set.
          const set = inner ? inner(v.entries) : type ? this.entries(v.entries, type.fqn) : new Setting();
          checked.set ??= set;
        }
      } else if (type) wrong = scalarProblem(name, type, v.scalar!, v.range, bare);
      if (wrong) this.invalid(wrong.message, wrong.range);
      else taken = true;
    }
    if (!taken) checked.wrong = true;
    return checked;
  }

  /** The type of a value of type `written` in `scope`; undefined where it is not known. */
  private valueType(written: string, scope: string): ValueType | undefined {
    if (SCALARS.has(written)) return { kind: 'scalar', type: written };
    const t = this.context.resolveType(written, scope);
    if (t?.kind === 'enum') return { kind: 'enum', fqn: t.fqn, values: this.local.enums.get(t.fqn) ?? this.imports().enums.get(t.fqn) };
    return t && { kind: 'message', fqn: t.fqn };
  }

  /** The extension that key `e` of a message of `type` names, where this file or an import declares it for that message; else undefined, with the problem. */
  private extensionEntry(e: AggregateEntry, type: string): OptionExtension | undefined {
    const ext = this.extensionOf(e.name);
    if (!ext) {
      if (!this.context.declaredElsewhere(e.name)) this.unknown(`message type "${type}" has no extension named "${e.name}"`, entrySpan(e));
      return undefined;
    }
    return this.extends(ext, type, e.name, e.range) ? ext : undefined;
  }

  /** Whether `ext` (of full name `name`) extends `type`; else the problem, at `range`. One whose extendee is not found may. */
  private extends(ext: OptionExtension, type: string, name: string, range: Range): boolean {
    const extendee = this.message(ext.extendee, ext.scope);
    if (extendee === undefined || extendee === type) return true;
    this.unknown(`"${name}" is an extension of "${extendee}", not of "${type}"`, range);
    return false;
  }

  /** An Any written as its type URL and its message (`[type.googleapis.com/pkg.Msg] { … }`): buf takes nothing beside them. */
  private any(entries: readonly AggregateEntry[]): void {
    const url = entries.find(isTypeUrl)!;
    for (const e of entries) {
      if (e === url) this.anyValue(e);
      else if (isTypeUrl(e)) this.invalid('a google.protobuf.Any holds one message: a second type URL cannot follow the first', entrySpan(e));
      else this.invalid(`a google.protobuf.Any written as a type URL and its message takes no "${e.extension ? `[${e.name}]` : e.name}" beside them`, e.range);
    }
  }

  /**
   * The type URL `e` of an Any, as buf checks it: one of Google's domains, then a message by its full name, which
   * another file must export; and its value, a message of that type.
   */
  private anyValue(e: AggregateEntry): void {
    const slash = e.name.lastIndexOf('/');
    const domain = e.name.slice(0, slash);
    const name = e.name.slice(slash + 1);
    if (!domain || !name) {
      this.invalid(`a type URL is a domain, a '/' and a message's full name: "${e.name}" lacks ${domain ? 'the name' : 'the domain'}`, e.range);
      return;
    }
    if (!ANY_DOMAINS.includes(domain)) {
      const extra = domain.includes('/') ? ' (a type URL has one \'/\')' : '';
      this.invalid(`unsupported domain "${domain}" in a type URL${extra}: buf takes ${ANY_DOMAINS.join(' and ')}`, this.keyPart(e, 0, domain.length));
      return;
    }
    const at = this.keyPart(e, slash + 1, name.length);
    let t = this.context.resolveType(`.${name}`, '');
    if (!t) {
      // buf checks the value against the message a name that is not full finds.
      t = this.context.resolveType(name, this.scope);
      if (t?.kind === 'message') this.invalid(`"${name}" is not a full name: a type URL names its message by its full name, "${t.fqn}"`, at);
      else {
        if (!this.context.declaredElsewhere(name)) this.unknown(`unknown type "${name}" in a type URL: no message of that full name is declared in this file or its imports`, at);
        return;
      }
    }
    if (t.kind === 'enum') {
      this.invalid(`"${name}" is an enum: a type URL names a message`, at);
      return;
    }
    const hidden = this.context.hidden(t.fqn);
    if (hidden) this.out.push({ code: 'not-exported', message: hidden, range: at });
    this.value(e, e.name, { kind: 'message', fqn: t.fqn }, false);
  }

  /** Where `length` characters of key `e`'s name from `offset` are written: the key's range where it is written with spaces. */
  private keyPart(e: AggregateEntry, offset: number, length: number): Range {
    const { start, end } = e.range;
    if (start.line !== end.line || end.character - start.character !== e.name.length + 2) return e.range;
    return { start: { line: start.line, character: start.character + 1 + offset }, end: { line: start.line, character: start.character + 1 + offset + length } };
  }

  private unknownField(e: AggregateEntry, type: string): void {
    this.unknown(`message type "${type}" has no field named "${e.name}"`, entrySpan(e));
  }

  private unknown(message: string, range: Range): void {
    this.out.push({ code: 'unknown-option', message, range });
  }

  private invalid(message: string, range: Range): void {
    this.out.push({ code: 'invalid-option-value', message, range });
  }
}
