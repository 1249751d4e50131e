// The options of descriptor.proto's FieldOptions (and protoc's `default` and `json_name`) as protoc checks them on
// a field: a name it knows, set once (unless repeated), a value of the option's type, and lazy and jstype only
// where they apply.
// Custom options (`(name)`) and features are checked elsewhere, or not at all.

import type { FieldNode, OptionNode, Range } from './ast';
import type { FieldDef } from './model';

const BOOL = ['true', 'false'];

/** FieldOptions by name: the values of an enum or bool option; undefined where any value is left to protoc. */
const FIELD_OPTIONS = new Map<string, readonly string[] | undefined>([
  ['ctype', ['STRING', 'CORD', 'STRING_PIECE']], ['packed', BOOL], ['jstype', ['JS_NORMAL', 'JS_STRING', 'JS_NUMBER']],
  ['lazy', BOOL], ['unverified_lazy', BOOL], ['deprecated', BOOL], ['weak', BOOL], ['debug_redact', BOOL],
  ['retention', ['RETENTION_UNKNOWN', 'RETENTION_RUNTIME', 'RETENTION_SOURCE']], ['targets', undefined],
  ['edition_defaults', undefined], ['feature_support', undefined], ['features', undefined], ['uninterpreted_option', undefined],
  ['default', undefined], ['json_name', undefined],
]);

const INT64S = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

/** The repeated fields of FieldOptions: each setting adds an element, so protoc takes them more than once. */
const REPEATED = new Set(['targets', 'edition_defaults', 'uninterpreted_option']);

export interface OptionProblem {
  code: 'unknown-option' | 'duplicate-option' | 'invalid-option-value' | 'option-target';
  message: string;
  range: Range;
}

/** What protoc refuses in the options of field `f` of `typeKind` and `type`. */
export function fieldOptionProblems(f: FieldNode, typeKind: FieldDef['typeKind'], type: string): OptionProblem[] {
  const out: OptionProblem[] = [];
  const seen = new Set<string>();
  for (const o of f.options) {
    // A custom option, or a part of one or of features (`(x).y`, `features.z`): not this table's.
    if (o.name.startsWith('(') || o.name.includes('.')) continue;
    if (!FIELD_OPTIONS.has(o.name)) {
      out.push({ code: 'unknown-option', message: `"${o.name}" is not a field option of descriptor.proto`, range: o.nameRange });
      continue;
    }
    if (seen.has(o.name) && !REPEATED.has(o.name)) out.push({ code: 'duplicate-option', message: `the option "${o.name}" is set twice`, range: o.nameRange });
    seen.add(o.name);
    const values = FIELD_OPTIONS.get(o.name);
    if (values && !values.includes(o.value)) out.push({ code: 'invalid-option-value', message: `"${o.name}" takes ${values.join(', ')}, not ${o.value}`, range: o.valueRange });
    if (o.name === 'json_name' && !/^["']/.test(o.value)) out.push({ code: 'invalid-option-value', message: `"json_name" takes a string, not ${o.value}`, range: o.valueRange });
    if (typeKind !== 'unresolved') out.push(...targetProblems(o, typeKind, type, f.group !== undefined));
  }
  return out;
}

function targetProblems(o: OptionNode, typeKind: FieldDef['typeKind'], type: string, group: boolean): OptionProblem[] {
  // A map is a repeated message field (its entries) to protoc, which takes lazy on it; a group is of another type.
  if ((o.name === 'lazy' || o.name === 'unverified_lazy') && o.value === 'true' && ((typeKind !== 'message' && typeKind !== 'map') || group)) {
    return [{ code: 'option-target', message: `[${o.name} = true] applies to a message field only`, range: o.nameRange }];
  }
  // JS_NORMAL, the default, is taken anywhere (protoc: "Illegal jstype for ... field" for the others).
  if (o.name === 'jstype' && o.value !== 'JS_NORMAL' && !(typeKind === 'scalar' && INT64S.has(type))) {
    return [{ code: 'option-target', message: `jstype = ${o.value} applies to int64, uint64, sint64, fixed64 and sfixed64 fields only`, range: o.nameRange }];
  }
  return [];
}
