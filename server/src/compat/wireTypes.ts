// Protobuf's compatible-type groups (protobuf.dev, "Updating A Message Type"): types inside one group
// share a wire encoding, so changing between them parses but may change values.

import type { FieldDef } from '../proto/model';

const GROUP: Record<string, string> = {
  int32: 'varint', int64: 'varint', uint32: 'varint', uint64: 'varint', bool: 'varint',
  sint32: 'zigzag', sint64: 'zigzag',
  fixed32: 'fixed32', sfixed32: 'fixed32',
  fixed64: 'fixed64', sfixed64: 'fixed64',
  float: 'float', double: 'double',
  string: 'bytes', bytes: 'bytes',
};

function groupOf(f: Pick<FieldDef, 'type' | 'typeKind'>): string {
  if (f.typeKind === 'enum') return 'varint';
  if (f.typeKind === 'message') return 'message';
  if (f.typeKind === 'map') return 'map';
  return GROUP[f.type] ?? 'unknown';
}

export type TypeChange = 'same' | 'compatible' | 'incompatible';

export function compareFieldTypes(a: Pick<FieldDef, 'type' | 'typeKind'>, b: Pick<FieldDef, 'type' | 'typeKind'>): TypeChange {
  // One name is one type only if it is of one kind: a released enum deleted and a message declared by its name (or
  // the reverse) changes the encoding (varint vs length-delimited), the JSON and the Go type under the same name.
  if (a.type === b.type && a.typeKind === b.typeKind) return 'same';
  // Unresolved names (a missing import) are compared by their last component, not flagged.
  if (a.typeKind === 'unresolved' || b.typeKind === 'unresolved') {
    return a.type.split('.').pop() === b.type.split('.').pop() ? 'same' : 'incompatible';
  }
  const ga = groupOf(a);
  const gb = groupOf(b);
  if (ga === 'map' && gb === 'map') return compareMaps(a.type, b.type);
  if (ga === 'map' || gb === 'map') return 'incompatible';
  return ga === gb && ga !== 'message' && ga !== 'unknown' ? 'compatible' : 'incompatible';
}

/** A map type as FieldDef.type writes it (`map<K,V>`): its key and value types; undefined for any other type. */
export function mapParts(type: string): { key: string; value: string } | undefined {
  const m = /^map<([^,]+),(.+)>$/.exec(type);
  return m ? { key: m[1]!, value: m[2]! } : undefined;
}

/**
 * A map is a repeated entry message { key = 1; value = 2; }, so two maps are as compatible as their keys and
 * values. Message and enum values are only known by name here: a different name counts as incompatible (the
 * comparison of two models, compare.ts, looks their kinds up and compares the values as fields).
 */
function compareMaps(a: string, b: string): TypeChange {
  const ma = mapParts(a);
  const mb = mapParts(b);
  if (!ma || !mb) return 'incompatible';
  const key = compareScalars(ma.key, mb.key);
  const value = compareScalars(ma.value, mb.value);
  return combineMapParts(key, value);
}

/** Two types of a map's key or value by name alone: the same name, or scalars of one wire group. */
function compareScalars(x: string, y: string): TypeChange {
  if (x === y) return 'same';
  const gx = GROUP[x];
  return gx && gx === GROUP[y] ? 'compatible' : 'incompatible';
}

/** A map's change from its key's and its value's. */
export function combineMapParts(key: TypeChange, value: TypeChange): TypeChange {
  return key === 'incompatible' || value === 'incompatible' ? 'incompatible' : key === 'same' && value === 'same' ? 'same' : 'compatible';
}
