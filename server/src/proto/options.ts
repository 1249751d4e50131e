// The options of descriptor.proto's *Options messages (and protoc's `default` and `json_name` on a field) as protoc
// checks them: a name the element's *Options message has, set once (unless repeated), a value of the option's type,
// and on a field, lazy and jstype only where they apply. One table for every kind of element: protoc reads them all
// the same way ("cannot find message field `foo` in `google.protobuf.MessageOptions`", buf says).
// Custom options (`(name)`) and features are checked elsewhere, or not at all.

import type { FieldNode, OptionNode, Range } from './ast';
import { aggregateOf, entrySpan, isTrue, listOf, settingOf } from './aggregate';
import { namePartRange } from './optionPath';
import { wrongValueRange, type ValueType } from './optionValue';
import type { FieldDef } from './model';

/** The elements that take options, each with its descriptor.proto message. */
export type OptionsOf = 'file' | 'message' | 'extension range' | 'field' | 'oneof' | 'enum' | 'enum value' | 'service' | 'method';

/** An option's values: the names of an enum or bool, 'string', or undefined where any value is left to protoc. */
type Values = readonly string[] | 'string' | undefined;

const BOOL = ['true', 'false'];
const JSTYPES = ['JS_NORMAL', 'JS_STRING', 'JS_NUMBER'];

/** What every *Options message has. */
const COMMON: [string, Values][] = [['features', undefined], ['uninterpreted_option', undefined]];

const OPTIONS: Record<OptionsOf, { message: string; options: Map<string, Values> }> = {
  file: of('FileOptions', [
    ['java_package', 'string'], ['java_outer_classname', 'string'], ['java_multiple_files', BOOL], ['java_generate_equals_and_hash', BOOL],
    ['java_string_check_utf8', BOOL], ['optimize_for', ['SPEED', 'CODE_SIZE', 'LITE_RUNTIME']], ['go_package', 'string'],
    ['cc_generic_services', BOOL], ['java_generic_services', BOOL], ['py_generic_services', BOOL], ['deprecated', BOOL],
    ['cc_enable_arenas', BOOL], ['objc_class_prefix', 'string'], ['csharp_namespace', 'string'], ['swift_prefix', 'string'],
    ['php_class_prefix', 'string'], ['php_namespace', 'string'], ['php_metadata_namespace', 'string'], ['ruby_package', 'string'],
  ]),
  message: of('MessageOptions', [
    ['message_set_wire_format', BOOL], ['no_standard_descriptor_accessor', BOOL], ['deprecated', BOOL], ['map_entry', BOOL],
    ['deprecated_legacy_json_field_conflicts', BOOL],
  ]),
  // `declaration` is a list of messages, left to protoc as `targets` is.
  'extension range': of('ExtensionRangeOptions', [['declaration', undefined], ['verification', ['DECLARATION', 'UNVERIFIED']]]),
  field: of('FieldOptions', [
    ['ctype', ['STRING', 'CORD', 'STRING_PIECE']], ['packed', BOOL], ['jstype', JSTYPES],
    ['lazy', BOOL], ['unverified_lazy', BOOL], ['deprecated', BOOL], ['weak', BOOL], ['debug_redact', BOOL],
    ['retention', ['RETENTION_UNKNOWN', 'RETENTION_RUNTIME', 'RETENTION_SOURCE']], ['targets', undefined],
    ['edition_defaults', undefined], ['feature_support', undefined], ['default', undefined], ['json_name', 'string'],
  ]),
  oneof: of('OneofOptions', []),
  enum: of('EnumOptions', [['allow_alias', BOOL], ['deprecated', BOOL], ['deprecated_legacy_json_field_conflicts', BOOL]]),
  'enum value': of('EnumValueOptions', [['deprecated', BOOL], ['debug_redact', BOOL], ['feature_support', undefined]]),
  service: of('ServiceOptions', [['deprecated', BOOL]]),
  method: of('MethodOptions', [['deprecated', BOOL], ['idempotency_level', ['IDEMPOTENCY_UNKNOWN', 'NO_SIDE_EFFECTS', 'IDEMPOTENT']]]),
};

/**
 * The options of descriptor.proto that an element of kind `kind` may set, each with its values where they are a few
 * names (an enum's, or true and false), else undefined: what completion offers. Not `uninterpreted_option`, which
 * protoc fills in itself, nor `map_entry`, which protoc refuses in a file (it sets it on a map's entry message).
 */
export function settableOptions(kind: OptionsOf): [string, readonly string[] | undefined][] {
  return [...OPTIONS[kind].options].filter(([name]) => name !== 'uninterpreted_option' && name !== 'map_entry').map(([name, values]) => [name, values === 'string' ? undefined : values]);
}

/** Whether descriptor.proto gives the options of an element of kind `kind` one named `name` (protoc's own included). */
export function isOptionOf(kind: OptionsOf, name: string): boolean {
  return OPTIONS[kind].options.has(name);
}

/** The full name of the descriptor.proto message that holds the options of an element of kind `kind` (its custom options extend it). */
export function optionsMessage(kind: OptionsOf): string {
  return OPTIONS[kind].message;
}

function of(message: string, options: [string, Values][]): { message: string; options: Map<string, Values> } {
  return { message: `google.protobuf.${message}`, options: new Map([...options, ...COMMON]) };
}

/** The options whose value is one of descriptor.proto's messages of scalar fields, with its name and its fields. */
const MESSAGE_VALUED = new Map<string, { type: string; fields: readonly string[] }>([
  ['edition_defaults', { type: 'google.protobuf.FieldOptions.EditionDefault', fields: ['edition', 'value'] }],
  ['declaration', { type: 'google.protobuf.ExtensionRangeOptions.Declaration', fields: ['number', 'full_name', 'type', 'reserved', 'repeated'] }],
  ['feature_support', {
    type: 'google.protobuf.FieldOptions.FeatureSupport',
    fields: ['edition_introduced', 'edition_deprecated', 'deprecation_warning', 'edition_removed', 'removal_error'],
  }],
]);

/** The repeated fields of the *Options messages: each setting adds an element, so protoc takes them more than once. */
const REPEATED = new Set(['targets', 'edition_defaults', 'declaration', 'uninterpreted_option']);

const INT64S = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

export interface OptionProblem {
  code: 'unknown-option' | 'duplicate-option' | 'invalid-option-value' | 'option-target';
  message: string;
  range: Range;
}

/** What protoc refuses in the options of an element of kind `kind` (nothing for a field's targets: see fieldOptionProblems). */
export function optionProblems(options: readonly OptionNode[], kind: OptionsOf): OptionProblem[] {
  const out: OptionProblem[] = [];
  const { message, options: known } = OPTIONS[kind];
  const seen = new Set<string>();
  for (const o of options) {
    // `features = { … }` after `features.x = …` sets it again (buf: "set multiple times"; before them, it is merged).
    if (o.name.startsWith('features.')) seen.add('features.');
    // A custom option, or a part of one or of features (`(x).y`, `features.z`): not this table's.
    if (o.name.startsWith('(') || o.name.startsWith('features.')) continue;
    const dot = o.name.indexOf('.');
    if (dot >= 0) {
      // A path into a message of descriptor.proto (`feature_support.edition_introduced`) is taken.
      const first = o.name.slice(0, dot);
      if (MESSAGE_VALUED.has(first)) continue;
      const part = o.name.slice(dot + 1).split('.')[0]!;
      // buf marks the name that is wrong.
      if (!known.has(first)) out.push({ code: 'unknown-option', message: `"${first}" is not an option of ${message} (descriptor.proto), nor a custom option in parentheses`, range: namePartRange(o, 0, first.length) });
      else out.push({ code: 'unknown-option', message: `"${first}" is not a message: "${part}" cannot follow it`, range: namePartRange(o, dot + 1, part.length) });
      continue;
    }
    if (!known.has(o.name)) {
      out.push({ code: 'unknown-option', message: `"${o.name}" is not an option of ${message} (descriptor.proto), nor a custom option in parentheses`, range: o.nameRange });
      continue;
    }
    // protoc sets these itself (for options it cannot interpret yet, for a map's entry message); written, refused.
    if (o.name === 'uninterpreted_option' || o.name === 'map_entry') {
      out.push({ code: 'unknown-option', message: `"${o.name}" cannot be set explicitly${o.name === 'map_entry' ? ': declare a map<K, V> field' : ''}`, range: o.nameRange });
      continue;
    }
    if (seen.has(o.name) && !REPEATED.has(o.name)) out.push({ code: 'duplicate-option', message: `the option "${o.name}" is set twice`, range: o.nameRange });
    else if (o.name === 'features' && seen.has('features.')) out.push({ code: 'duplicate-option', message: 'the option "features" is set twice: whole here, in parts (features.…) before', range: o.nameRange });
    seen.add(o.name);
    const values = known.get(o.name);
    const valueType = MESSAGE_VALUED.get(o.name);
    const messageType = o.name === 'features' ? 'google.protobuf.FeatureSet' : valueType?.type;
    // A list, which buf refuses (the parser's error) but reads as an aggregate's `key: [ … ]`; a default's is defaults.ts's.
    const list = o.name === 'default' ? undefined : listOf(o);
    if (list) {
      if (!REPEATED.has(o.name)) out.push({ code: 'invalid-option-value', message: `"${o.name}" is not repeated: it takes one value, not a list`, range: o.valueRange });
      for (const v of list) {
        const problem = valueProblem(o.name, values, messageType, v.entries ? '{…}' : v.scalar!, v.range);
        if (problem) out.push(problem);
      }
      continue;
    }
    const problem = valueProblem(o.name, values, messageType, o.value, o.valueRange);
    if (problem) out.push(problem);
    else if (valueType) {
      // protoc: "Message type "…EditionDefault" has no field named "valu"" (an aggregate's key; see aggregate.ts).
      for (const e of aggregateOf(o) ?? []) {
        if (e.extension || !valueType.fields.includes(e.name)) out.push({ code: 'unknown-option', message: `message type "${valueType.type}" has no field named "${e.name}"`, range: entrySpan(e) });
      }
    }
  }
  return out;
}

/**
 * Why option `name`, of `values` or a message of `messageType`, takes no `written` (at `range`), buf's "mismatched
 * types"; undefined where it does. An aggregate the parser could not read is its syntax error.
 */
function valueProblem(name: string, values: Values, messageType: string | undefined, written: string, range: Range): OptionProblem | undefined {
  let takes: string | undefined;
  if (messageType) takes = written.startsWith('{') ? undefined : `a message (${messageType})`;
  else if (values === 'string') takes = /^["']/.test(written) ? undefined : 'a string';
  else if (values && !values.includes(written)) takes = values.join(', ');
  if (takes === undefined) return undefined;
  // A signed name is marked as buf marks it (`-true` of deprecated at `true`); a message's value is no name.
  const type: ValueType | undefined = messageType ? undefined : values === 'string' ? STRING : values === BOOL ? BOOL_TYPE : values && { kind: 'enum', fqn: name, values };
  return { code: 'invalid-option-value', message: `"${name}" takes ${takes}, not ${written}`, range: type ? wrongValueRange(type, written, range) : range };
}

const STRING: ValueType = { kind: 'scalar', type: 'string' };
const BOOL_TYPE: ValueType = { kind: 'scalar', type: 'bool' };

/** What protoc refuses in the options of field `f` of `typeKind` and `type`. */
export function fieldOptionProblems(f: FieldNode, typeKind: FieldDef['typeKind'], type: string): OptionProblem[] {
  const out = optionProblems(f.options, 'field');
  if (typeKind !== 'unresolved') for (const o of f.options) out.push(...targetProblems(o, f, typeKind, type));
  return out;
}

/**
 * lazy and jstype set (to a value of their type) where they do not apply, marked where buf 1.75 marks them: the field's
 * type, and for lazy on a group the whole field.
 */
function targetProblems(o: OptionNode, f: FieldNode, typeKind: FieldDef['typeKind'], type: string): OptionProblem[] {
  // A map is a repeated message field (its entries) to protoc, which takes lazy on it; a group is of another type.
  if ((o.name === 'lazy' || o.name === 'unverified_lazy') && isTrue(o) && ((typeKind !== 'message' && typeKind !== 'map') || f.group)) {
    return [{ code: 'option-target', message: `[${o.name} = true] applies to a message field only`, range: f.group ? f.range : f.typeRange }];
  }
  // JS_NORMAL, the default, is taken anywhere (protoc: "Illegal jstype for ... field" for the others).
  const jstype = o.name === 'jstype' ? settingOf(o, isJsType) : undefined;
  if (jstype && jstype !== 'JS_NORMAL' && isJsType(jstype) && !(typeKind === 'scalar' && INT64S.has(type))) {
    return [{ code: 'option-target', message: `jstype = ${jstype} applies to int64, uint64, sint64, fixed64 and sfixed64 fields only`, range: f.typeRange }];
  }
  return [];
}

const isJsType = (v: string): boolean => JSTYPES.includes(v);
