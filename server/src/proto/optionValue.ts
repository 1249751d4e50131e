// Whether one scalar of a custom option's value (`count: "x"` in `option (my.opt) = { … }`) is of its field's type,
// as buf 1.75 checks it ("mismatched types", "literal out of range for `int32`", "cannot find `K9` in this scope").
// Its text format takes for a bool true, false, True, False, t or f (not 0 or 1); for a float any number, inf or nan,
// and lets other names be; for an integer a decimal, hex or octal literal, or one with a positive exponent (`1e3`),
// in range (`-0` not for an unsigned one); for an enum one of its value names, or any number of int32. Outside an
// aggregate (`option (b) = True;`) buf reads a bool as only true or false and a float's name as only inf or nan.

import type { Range } from './ast';
import { INT_RANGES, integer } from './defaults';

/** The type of a field, as far as its value is checked: an enum's value names where they are known (an enum of the file or an import). */
export type ValueType =
  | { kind: 'scalar'; type: string }
  | { kind: 'enum'; fqn: string; values: readonly string[] | undefined }
  | { kind: 'message'; fqn: string };

const BOOLS = new Set(['true', 'false', 'True', 'False', 't', 'f']);
const INT32: readonly [bigint, bigint] = INT_RANGES.int32!;
/** A float literal, as protoc's tokenizer reads one. */
const FLOAT = /^[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?$/;

/** What `type` is, in a message: `an int32`, `a value of enum my.Kind`. */
export function describe(type: ValueType): string {
  if (type.kind === 'message') return `a message (${type.fqn})`;
  if (type.kind === 'enum') return `a value of enum ${type.fqn}`;
  if (type.type === 'bytes') return 'bytes';
  return `${/^(?:int|sint|sfixed)/.test(type.type) ? 'an' : 'a'} ${type.type}`;
}

/**
 * What is wrong with scalar `text` (as written, a string with its quotes, at `range`) as a value of field `field` of
 * `type`, the option's own value where `bare` (not in an aggregate), and where buf says it; undefined when nothing.
 */
export function scalarProblem(field: string, type: ValueType, text: string, range: Range, bare = false): { message: string; range: Range } | undefined {
  const typed = problemOf(field, type, text);
  const message = typed ?? (bare ? bareProblem(field, type, text) : undefined);
  if (message === undefined) return undefined;
  const floatMismatch = typed !== undefined && type.kind === 'scalar' && (type.type === 'float' || type.type === 'double');
  return { message, range: wrongValueRange(type, text, range, floatMismatch) };
}

/**
 * Where buf marks value `text` (at `range`) that a field of `type` does not take: a signed name (`-K0`; outside an
 * aggregate a float's `-Infinity`) without its sign, but not `-true` or `-false` where the field is no bool (a
 * negated bool to buf), nor one where `whole` (a float field's mismatch), nor `-inf` or `-nan`, which buf reads as
 * one float literal whatever the field's type; a signed string (`-"x"`) without its sign where the field takes a string.
 */
export function wrongValueRange(type: ValueType, text: string, range: Range, whole = false): Range {
  const signed = /^[-+]\s*(\.?[A-Za-z_]\w*|["'][^]*)$/.exec(text);
  if (!signed || range.start.line !== range.end.line) return range;
  const unsigned = signed[1]!;
  const bool = type.kind === 'scalar' && type.type === 'bool';
  const strings = type.kind === 'scalar' && (type.type === 'string' || type.type === 'bytes');
  if (/^["']/.test(unsigned) ? !strings : whole || /^(?:inf|nan)$/.test(unsigned) || (!bool && /^(?:true|false)$/.test(unsigned))) return range;
  return { start: { line: range.end.line, character: range.end.character - unsigned.length }, end: range.end };
}

function problemOf(field: string, type: ValueType, text: string): string | undefined {
  const mismatch = `"${field}" takes ${describe(type)}, not ${text}`;
  const unsigned = text.replace(/^[-+]\s*/, '');
  // buf reads more than one sign (`--1`), a sign with no value after it (`-` of `a: -}`) or before a list or a
  // message as a value, and no field takes it.
  if (!/^["'.\w]/.test(unsigned)) return mismatch;
  const name = /^\.?[A-Za-z_]/.test(unsigned);
  if (/^["']/.test(unsigned)) return unsigned === text && type.kind === 'scalar' && (type.type === 'string' || type.type === 'bytes') ? undefined : mismatch;
  if (type.kind === 'message') return mismatch;
  if (type.kind === 'enum') {
    if (name && unsigned !== text) return mismatch;
    if (name) return type.values && !type.values.includes(text) ? `enum "${type.fqn}" has no value named ${text}` : undefined;
    return integerProblem(field, `enum ${type.fqn}`, INT32, text, mismatch);
  }
  switch (type.type) {
    case 'string': case 'bytes': return mismatch;
    case 'bool': return BOOLS.has(text) ? undefined : mismatch;
    case 'float': case 'double': return unsigned === 'true' || unsigned === 'false' ? mismatch : undefined;
  }
  const range = INT_RANGES[type.type];
  if (!range) return undefined;
  return name ? mismatch : integerProblem(field, type.type, range, text, mismatch);
}

/** What buf refuses outside an aggregate that it takes in one: a bool's True, t and the like, a float's names but inf and nan. */
function bareProblem(field: string, type: ValueType, text: string): string | undefined {
  if (type.kind !== 'scalar') return undefined;
  if (type.type === 'bool' && text !== 'true' && text !== 'false') return `"${field}" takes true or false, not ${text}: True, t and the like only in an aggregate`;
  const name = /^-?\s*(\.?[A-Za-z_][\w.]*)$/.exec(text)?.[1];
  if ((type.type === 'float' || type.type === 'double') && name && name !== 'inf' && name !== 'nan') {
    return `"${field}" takes ${describe(type)}, not ${text}: outside an aggregate its only names are inf and nan`;
  }
  return undefined;
}

/** An integer literal's problem for a field whose values are `range`: not an integer, or out of that range. */
function integerProblem(field: string, what: string, range: readonly [bigint, bigint], text: string, mismatch: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  let v = integer(compact);
  if (v === undefined) {
    // buf takes `1e3` for an integer, but not `1.0` nor `10e-1`; a literal that is not a number at all is the parser's.
    const power = /^([-+]?)(\d+)[eE]\+?(\d+)$/.exec(compact);
    if (power) {
      const digits = BigInt(power[2]!);
      // Past 10^40 no integer type holds it, of either sign (the exponent is not raised further: `1e99999999` is one token).
      const exponent = Math.min(Number(power[3]), 41);
      v = digits * 10n ** BigInt(exponent);
      if (power[1] === '-') v = -v;
    } else return FLOAT.test(compact) ? mismatch : undefined;
  }
  // buf refuses `-0` for an unsigned integer too.
  const out = v < range[0] || v > range[1] || (range[0] === 0n && compact.startsWith('-'));
  return out ? `${text} is out of range for "${field}" (${what}: ${range[0]} to ${range[1]})` : undefined;
}
