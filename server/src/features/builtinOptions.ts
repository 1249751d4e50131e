// What descriptor.proto's options do, for the hover on their names: in a sentence or two, in our own words, and for
// those that matter to CRI compatibility (deprecated, json_name, packed, the Go package) what changing them means to
// the peers of older releases. The names are those of options.ts's table; one that has no text here gets none.

import { isOptionOf, type OptionsOf } from '../proto/options';

const GENERATED_ONLY = 'It changes only the code generated for that language: nothing on the wire or in JSON.';

/** Texts for every kind of element; `deprecated` differs by kind (see DEPRECATED). */
const TEXTS: Record<string, string> = {
  json_name: 'The name of the field in JSON (proto3 JSON mapping), instead of its lowerCamelCase name. '
    + '**CRI compatibility:** the JSON name is part of the JSON wire format: setting or changing it is a breaking change for '
    + 'every peer that reads or writes this message as JSON (clients and runtimes of older releases no longer see the field). '
    + 'It does not change the binary wire format, which uses the field number.',
  packed: 'Whether a repeated field of numbers, bools or enums is encoded packed (all elements in one length-delimited record). '
    + 'proto3 packs them by default. Parsers accept both encodings, so changing it is safe on the wire for current protobuf '
    + 'libraries, but very old parsers of a peer may not read the packed form.',
  default: 'The value a proto2 field has when it is not set (proto3 has no explicit defaults). Changing it changes what '
    + 'readers see for an unset field, without anything on the wire telling them.',
  ctype: 'How C++ represents a string or bytes field (STRING, CORD, STRING_PIECE). ' + GENERATED_ONLY,
  jstype: 'How JavaScript represents a 64-bit integer field: JS_STRING or JS_NUMBER (which loses precision above 2^53). ' + GENERATED_ONLY,
  lazy: 'Lets the C++ runtime parse a message field only when it is first read. ' + GENERATED_ONLY,
  unverified_lazy: 'As lazy, without checking the bytes when the outer message is parsed. ' + GENERATED_ONLY,
  weak: 'A weak field (Google-internal): its message type need not be linked in. Not for public APIs.',
  debug_redact: 'Hides the field\'s value from debug output and text format printing (for secrets). Nothing on the wire changes.',
  retention: 'Whether an option field is kept in the descriptors of the generated code (RETENTION_RUNTIME) or only while compiling (RETENTION_SOURCE). For fields of custom options.',
  targets: 'The kinds of elements an option field may be set on (TARGET_TYPE_FIELD, …). For fields of custom options.',
  edition_defaults: 'The default of a feature field in each edition. For the fields of feature sets.',
  feature_support: 'The editions in which a feature field (or an enum value of one) is introduced, deprecated and removed.',
  features: 'Editions features of this element (field presence, enum openness, repeated encoding, JSON format, …), overriding those of the scopes around it.',
  java_package: 'The Java package of the generated classes, instead of one derived from the proto package. ' + GENERATED_ONLY,
  java_outer_classname: 'The name of the Java class that holds the generated code of this file. ' + GENERATED_ONLY,
  java_multiple_files: 'Generates one Java file per top-level message, enum and service instead of nesting them in one outer class. ' + GENERATED_ONLY,
  java_generate_equals_and_hash: 'Obsolete: Java code has equals() and hashCode() anyway.',
  java_string_check_utf8: 'Makes Java check that string fields hold valid UTF-8 when parsing and serializing. Not allowed in an editions file.',
  optimize_for: 'What protoc optimizes the generated code for: SPEED (the default), CODE_SIZE or LITE_RUNTIME (the lite library).',
  go_package: 'The import path (and, after `;`, the package name) of the generated Go code. '
    + '**CRI compatibility:** Go programs import the CRI API by this path (`k8s.io/cri-api/pkg/apis/runtime/v1`): changing it moves '
    + 'the generated package, which breaks every Go program that imports it, though nothing on the wire changes.',
  cc_generic_services: 'Generates abstract C++ service classes (the old generic services, not gRPC). ' + GENERATED_ONLY,
  java_generic_services: 'Generates abstract Java service classes (the old generic services, not gRPC). ' + GENERATED_ONLY,
  py_generic_services: 'Generates abstract Python service classes (the old generic services, not gRPC). ' + GENERATED_ONLY,
  cc_enable_arenas: 'Enables arena allocation in the generated C++ code (always on in current protobuf). ' + GENERATED_ONLY,
  objc_class_prefix: 'A prefix for the generated Objective-C class names. ' + GENERATED_ONLY,
  csharp_namespace: 'The C# namespace of the generated code. ' + GENERATED_ONLY,
  swift_prefix: 'A prefix for the generated Swift type names. ' + GENERATED_ONLY,
  php_class_prefix: 'A prefix for the generated PHP class names. ' + GENERATED_ONLY,
  php_namespace: 'The PHP namespace of the generated classes. ' + GENERATED_ONLY,
  php_metadata_namespace: 'The PHP namespace of the generated metadata class. ' + GENERATED_ONLY,
  ruby_package: 'The Ruby module of the generated classes. ' + GENERATED_ONLY,
  message_set_wire_format: 'Encodes the message as a MessageSet (an old Google-internal format of extensions only). Not for new messages.',
  no_standard_descriptor_accessor: 'Leaves out the descriptor() accessor of the generated class. ' + GENERATED_ONLY,
  map_entry: 'Set by protoc on the entry message of a map field; cannot be written in a file.',
  deprecated_legacy_json_field_conflicts: 'Keeps the old, looser check of JSON field name conflicts. A temporary escape hatch, itself deprecated.',
  allow_alias: 'Lets several values of the enum share one number. Removing it again is refused while aliases remain.',
  idempotency_level: 'Whether the method has no side effects (NO_SIDE_EFFECTS, which lets HTTP bindings use GET) or is idempotent (IDEMPOTENT).',
  declaration: 'Declares which extensions may take the numbers of this extension range (full name, type, number).',
  verification: 'Whether extensions of this range must be declared (DECLARATION) or not (UNVERIFIED).',
  uninterpreted_option: 'Filled in by protoc for options it could not interpret yet; cannot be written in a file.',
};

/** `deprecated` by what it is set on: generated code warns of its use, and for CRI the element is on its way out. */
const DEPRECATED_ON: Partial<Record<OptionsOf, string>> = {
  file: 'everything in this file',
  message: 'this message',
  field: 'this field',
  enum: 'this enum',
  'enum value': 'this enum value',
  service: 'this service',
  method: 'this RPC',
};

/**
 * Markdown saying what option `name`, set on an element of kind `of`, does; undefined for a name descriptor.proto's
 * options of that element do not have.
 */
export function builtinOptionDoc(name: string, of: OptionsOf): string | undefined {
  // Those protoc sets itself (map_entry, uninterpreted_option) are options of their element too, but not settable.
  if (!isOptionOf(of, name)) return undefined;
  if (name === 'deprecated') {
    const what = DEPRECATED_ON[of];
    if (!what) return undefined;
    return `Marks ${what} as deprecated: generated code flags its use (Go: a \`Deprecated:\` comment, Java: \`@Deprecated\`). `
      + 'Nothing on the wire or in JSON changes. '
      + '**CRI compatibility:** deprecating is the safe first step before a removal; peers of older releases keep sending and '
      + 'reading it, so it must keep working (and keep its number and name) for as long as those releases are supported.';
  }
  return TEXTS[name];
}
