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
  if (a.type === b.type) return 'same';
  // Unresolved names (a missing import) are compared by their last component, not flagged.
  if (a.typeKind === 'unresolved' || b.typeKind === 'unresolved') {
    return a.type.split('.').pop() === b.type.split('.').pop() ? 'same' : 'incompatible';
  }
  const ga = groupOf(a);
  const gb = groupOf(b);
  if (ga === 'map' || gb === 'map') return 'incompatible';
  return ga === gb && ga !== 'message' && ga !== 'unknown' ? 'compatible' : 'incompatible';
}
