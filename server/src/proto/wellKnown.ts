// The type names that protobuf's bundled imports declare, so `import "google/protobuf/…"` resolves with no
// include path and no network. Only names (and the fields of a few small messages) are kept (facts), not the upstream
// files.

import type { OptionField, OptionMessage } from './optionTypes';

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

/**
 * The languages' features of editions (`[pb.java] { … }`, `features.(pb.cpp).string_type`), in package pb: buf
 * bundles these three, so a file that sets them imports them with no include path.
 */
const LANGUAGE_FEATURES: Record<string, string[]> = {
  'google/protobuf/cpp_features.proto': ['CppFeatures', 'enum:CppFeatures.StringType', 'enum:CppFeatures.RepeatedType'],
  'google/protobuf/java_features.proto': [
    'JavaFeatures', 'JavaFeatures.NestInFileClassFeature', 'enum:JavaFeatures.NestInFileClassFeature.NestInFileClass', 'enum:JavaFeatures.Utf8Validation',
  ],
  'google/protobuf/go_features.proto': [
    'GoFeatures', 'GoFeatures.OptimizeModeFeature', 'enum:GoFeatures.OptimizeModeFeature.OptimizeMode', 'enum:GoFeatures.APILevel', 'enum:GoFeatures.StripEnumPrefix',
  ],
};

/** An element that may carry a feature (descriptor.proto's FieldOptions.OptionTargetType, TARGET_TYPE_ left off). */
export type FeatureTargetName = 'file' | 'message' | 'field' | 'oneof' | 'enum' | 'enum value' | 'service';

/**
 * descriptor.proto's `feature_support` of a feature: the first edition that takes it and, where one does, the first that
 * no longer does (protoc and buf: "`large_enum` is not supported in Edition 2023"). Infinity is EDITION_UNSTABLE, which
 * no released edition is.
 */
export interface FeatureSupport {
  readonly introduced: number;
  readonly removed?: number;
}

/**
 * A language's feature: its type, the elements it may be set on (its `targets`), and the editions that take it. Its
 * type is a bool, or an enum: its full name and its value names (their numbers do not matter, as buf takes any int32).
 */
export interface LanguageFeature extends FeatureSupport {
  readonly targets: readonly FeatureTargetName[];
  readonly enum?: { readonly fqn: string; readonly values: readonly string[] };
}

/**
 * The features each of those files declares, by the extension of FeatureSet that holds them (`pb.java`): its message,
 * and each feature with its type, targets and support. buf reads these from the files it bundles, which are not on disk
 * and which this repository may not copy: the facts are theirs, as buf 1.75 bundles them (`buf build -o -#format=json`
 * of a file that imports them prints them).
 */
export const LANGUAGE_FEATURE_SETS: ReadonlyMap<string, { file: string; message: string; features: ReadonlyMap<string, LanguageFeature> }> = new Map([
  ['pb.cpp', {
    file: 'google/protobuf/cpp_features.proto',
    message: 'pb.CppFeatures',
    features: new Map<string, LanguageFeature>([
      ['legacy_closed_enum', { targets: ['file', 'field'], introduced: 2023 }],
      ['string_type', { enum: { fqn: 'pb.CppFeatures.StringType', values: ['STRING_TYPE_UNKNOWN', 'VIEW', 'CORD', 'STRING'] }, targets: ['file', 'field'], introduced: 2023 }],
      ['enum_name_uses_string_view', { targets: ['file', 'enum'], introduced: 2024 }],
      ['repeated_type', { enum: { fqn: 'pb.CppFeatures.RepeatedType', values: ['REPEATED_TYPE_UNKNOWN', 'LEGACY', 'PROXY'] }, targets: ['file', 'field'], introduced: Infinity }],
    ]),
  }],
  ['pb.java', {
    file: 'google/protobuf/java_features.proto',
    message: 'pb.JavaFeatures',
    features: new Map<string, LanguageFeature>([
      ['legacy_closed_enum', { targets: ['file', 'field'], introduced: 2023 }],
      ['utf8_validation', { enum: { fqn: 'pb.JavaFeatures.Utf8Validation', values: ['UTF8_VALIDATION_UNKNOWN', 'DEFAULT', 'VERIFY'] }, targets: ['file', 'field'], introduced: 2023 }],
      ['large_enum', { targets: ['file', 'enum'], introduced: 2024 }],
      // Read by protoc for the outer class name's default; no edition lets a file set it.
      ['use_old_outer_classname_default', { targets: ['file'], introduced: 2024, removed: 2024 }],
      ['nest_in_file_class', {
        enum: { fqn: 'pb.JavaFeatures.NestInFileClassFeature.NestInFileClass', values: ['NEST_IN_FILE_CLASS_UNKNOWN', 'NO', 'YES', 'LEGACY'] }, targets: ['message', 'enum', 'service'], introduced: 2024,
      }],
    ]),
  }],
  ['pb.go', {
    file: 'google/protobuf/go_features.proto',
    message: 'pb.GoFeatures',
    features: new Map<string, LanguageFeature>([
      ['legacy_unmarshal_json_enum', { targets: ['file', 'enum'], introduced: 2023 }],
      ['api_level', { enum: { fqn: 'pb.GoFeatures.APILevel', values: ['API_LEVEL_UNSPECIFIED', 'API_OPEN', 'API_HYBRID', 'API_OPAQUE'] }, targets: ['file', 'message'], introduced: 2023 }],
      ['strip_enum_prefix', {
        enum: { fqn: 'pb.GoFeatures.StripEnumPrefix', values: ['STRIP_ENUM_PREFIX_UNSPECIFIED', 'STRIP_ENUM_PREFIX_KEEP', 'STRIP_ENUM_PREFIX_GENERATE_BOTH', 'STRIP_ENUM_PREFIX_STRIP'] },
        targets: ['file', 'enum', 'enum value'], introduced: 2024,
      }],
      ['optimize_mode', { enum: { fqn: 'pb.GoFeatures.OptimizeModeFeature.OptimizeMode', values: ['OPTIMIZE_MODE_UNSPECIFIED', 'SPEED', 'CODE_SIZE'] }, targets: ['file', 'message'], introduced: 2024 }],
    ]),
  }],
]);

/** A field of a well-known message: optional, or repeated. */
const scalar = (name: string, type: string, label?: 'repeated'): OptionField => (label ? { name, type, label } : { name, type });

/** Duration's and Timestamp's fields. */
const SECONDS_NANOS: OptionMessage = { fields: [scalar('seconds', 'int64'), scalar('nanos', 'int32')] };

/** wrappers.proto's messages: each has one field, `value`, of its type. */
const WRAPPED: Record<string, string> = {
  DoubleValue: 'double', FloatValue: 'float', Int64Value: 'int64', UInt64Value: 'uint64', Int32Value: 'int32', UInt32Value: 'uint32',
  BoolValue: 'bool', StringValue: 'string', BytesValue: 'bytes',
};

/**
 * The well-known messages whose fields are all scalars, by full name, with their fields: what a custom option of
 * such a type may set, and of which type (`option (timeout) = { seconds: 5 };`).
 */
export const WELL_KNOWN_FIELDS: ReadonlyMap<string, OptionMessage> = new Map<string, OptionMessage>([
  ['google.protobuf.Duration', SECONDS_NANOS],
  ['google.protobuf.Timestamp', SECONDS_NANOS],
  ...Object.entries(WRAPPED).map(([n, type]): [string, OptionMessage] => [`google.protobuf.${n}`, { fields: [scalar('value', type)] }]),
  ['google.protobuf.Empty', { fields: [] }],
  ['google.protobuf.FieldMask', { fields: [scalar('paths', 'string', 'repeated')] }],
  ['google.protobuf.Any', { fields: [scalar('type_url', 'string'), scalar('value', 'bytes')] }],
  ['google.protobuf.SourceContext', { fields: [scalar('file_name', 'string')] }],
]);

export interface WellKnownType {
  fqn: string;
  kind: 'message' | 'enum';
}

/** By import path: a Map, as a path such as "constructor" is a property of every object. */
const BUNDLED = new Map<string, { pkg: string; names: string[] }>([
  ...Object.entries(WKT).map(([path, names]) => [path, { pkg: 'google.protobuf', names }] as const),
  ...Object.entries(LANGUAGE_FEATURES).map(([path, names]) => [path, { pkg: 'pb', names }] as const),
]);

/** The package and types of a bundled import; undefined for any other path. */
export function wellKnownTypes(importPath: string): { pkg: string; types: WellKnownType[] } | undefined {
  const bundled = BUNDLED.get(importPath);
  return bundled && {
    pkg: bundled.pkg,
    types: bundled.names.map((n) => (n.startsWith('enum:') ? { fqn: `${bundled.pkg}.${n.slice(5)}`, kind: 'enum' as const } : { fqn: `${bundled.pkg}.${n}`, kind: 'message' as const })),
  };
}
