// Whether a field's `[default = …]` is one protoc takes: where a default may be written at all, and whether the
// literal fits the field's type. protoc refuses the others, so a file with one must not pass the binder (nor a
// quick fix that writes one, such as a restore of a proto2 field into proto3).

import type { FieldDef } from './model';

/** The values each integer type holds. */
export const INT_RANGES: Record<string, readonly [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n], sint32: [-(2n ** 31n), 2n ** 31n - 1n], sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n], sint64: [-(2n ** 63n), 2n ** 63n - 1n], sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint32: [0n, 2n ** 32n - 1n], fixed32: [0n, 2n ** 32n - 1n],
  uint64: [0n, 2n ** 64n - 1n], fixed64: [0n, 2n ** 64n - 1n],
};

/** Decimal, hex or octal, as protoc writes integers; undefined for anything else. */
export function integer(text: string): bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|[0-9]+)$/.exec(text);
  if (!m) return undefined;
  const digits = m[2]!;
  // `08` is read as decimal: the lexer reports it, which is all that is wrong with it.
  const v = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  return m[1] === '-' ? -v : v;
}

/** What is wrong with `value` (the option's source text) as the default of a field of `type`; undefined when nothing. */
export function defaultValueProblem(type: string, typeKind: FieldDef['typeKind'], value: string): string | undefined {
  const text = value.replace(/\s+/g, '');
  if (typeKind === 'enum') return /^[A-Za-z_]\w*$/.test(text) ? undefined : `the default of an enum field must be the name of one of its values, not ${value}`;
  if (typeKind !== 'scalar') return undefined;
  if (type === 'string' || type === 'bytes') return /^["']/.test(text) ? undefined : `the default of a ${type} field must be a string, not ${value}`;
  if (type === 'bool') return text === 'true' || text === 'false' ? undefined : `the default of a bool field must be true or false, not ${value}`;
  if (type === 'float' || type === 'double') {
    return /^[-+]?(inf|nan|(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|0[xX][0-9a-fA-F]+)$/.test(text) ? undefined : `the default of a ${type} field must be a number, not ${value}`;
  }
  const range = INT_RANGES[type];
  if (!range) return undefined;
  const v = integer(text);
  if (v === undefined) return `the default of an ${type} field must be an integer, not ${value}`;
  return v < range[0] || v > range[1] ? `the default ${value} is out of range for ${type} (${range[0]} to ${range[1]})` : undefined;
}
