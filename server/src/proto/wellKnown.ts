// The type names that protobuf's bundled imports declare, so `import "google/protobuf/…"` resolves with no
// include path and no network. Only names are kept (facts), not the upstream files.

const WKT: Record<string, string[]> = {
  'google/protobuf/any.proto': ['Any'],
  'google/protobuf/api.proto': ['Api', 'Method', 'Mixin'],
  'google/protobuf/duration.proto': ['Duration'],
  'google/protobuf/empty.proto': ['Empty'],
  'google/protobuf/field_mask.proto': ['FieldMask'],
  'google/protobuf/source_context.proto': ['SourceContext'],
  'google/protobuf/struct.proto': ['Struct', 'Value', 'ListValue', 'enum:NullValue'],
  'google/protobuf/timestamp.proto': ['Timestamp'],
  'google/protobuf/type.proto': ['Type', 'Field', 'Enum', 'EnumValue', 'Option', 'enum:Syntax', 'enum:Field.Kind', 'enum:Field.Cardinality'],
  'google/protobuf/wrappers.proto': [
    'DoubleValue', 'FloatValue', 'Int64Value', 'UInt64Value', 'Int32Value', 'UInt32Value', 'BoolValue', 'StringValue', 'BytesValue',
  ],
  'google/protobuf/descriptor.proto': [
    'FileDescriptorSet', 'FileDescriptorProto', 'DescriptorProto', 'ExtensionRangeOptions', 'FieldDescriptorProto',
    'OneofDescriptorProto', 'EnumDescriptorProto', 'EnumValueDescriptorProto', 'ServiceDescriptorProto', 'MethodDescriptorProto',
    'FileOptions', 'MessageOptions', 'FieldOptions', 'OneofOptions', 'EnumOptions', 'EnumValueOptions', 'ServiceOptions',
    'MethodOptions', 'UninterpretedOption', 'FeatureSet', 'SourceCodeInfo', 'GeneratedCodeInfo',
  ],
};

export interface WellKnownType {
  fqn: string;
  kind: 'message' | 'enum';
}

export function wellKnownTypes(importPath: string): WellKnownType[] | undefined {
  const names = WKT[importPath];
  return names?.map((n) =>
    n.startsWith('enum:') ? { fqn: `google.protobuf.${n.slice(5)}`, kind: 'enum' as const } : { fqn: `google.protobuf.${n}`, kind: 'message' as const },
  );
}
