// Binder tests on crafted inputs: where a map's value type is referenced, and the names protoc keeps in one
// table per scope (enum values next to their enum, fields next to nested types), which it reports as
// "already defined" (buf: "declared multiple times"). The protoc verdicts were checked with buf 1.75.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from '../server/src/proto/parser';
import { bind, type BoundFile, type ImportResolver } from '../server/src/proto/binder';
import type { Position, Range } from '../server/src/proto/ast';
import { findDefinition, findReferences } from '../server/src/features/navigation';
import { computeFixes } from '../server/src/fixes/fixes';
import { applyEdits } from '../server/src/fixes/text';
import type { Finding } from '../server/src/compat/finding';
import { NEEDS_CORPUS, corpusText, newestCorpusText, replaceOnce } from './corpusText';
import { FsImportResolver } from '../server/src/lsp/importResolver';
import { Corpus, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';

const P = (line: number, character: number): Position => ({ line, character });
const R = (l1: number, c1: number, l2: number, c2: number): Range => ({ start: P(l1, c1), end: P(l2, c2) });
const lines = (...ls: string[]): string => ls.join('\n');
const URI = 'file:///test.proto';

/** Range of `needle` inside the first occurrence of `context` (which holds it; both on one line). */
function within(text: string, context: string, needle: string = context): Range {
  const c = text.indexOf(context);
  if (c < 0) throw new Error(`"${context}" not in text`);
  const k = context.indexOf(needle);
  if (k < 0) throw new Error(`"${needle}" not in "${context}"`);
  const i = c + k;
  const before = text.slice(0, i).split('\n');
  const line = before.length - 1;
  const character = before[line]!.length;
  return R(line, character, line, character + needle.length);
}

function bindText(text: string, resolver?: ImportResolver): BoundFile {
  return bind(parse(text), URI, resolver);
}

const problems = (b: BoundFile) => b.problems.map((p) => [p.code, p.message, p.range, p.severity]);

describe('binder: map value type references', () => {
  const text = lines(
    'syntax = "proto3";',
    'package p;',
    'message V {}',
    'message M {',
    '  map<string, V> a = 1;',
    '  map<string, p.V> b = 2;',
    '  map< string , V > c = 3;',
    '  map<int32, .p.V> d = 4;',
    '  map<string,',
    '      V> e = 5;',
    '  map<string, Gone> f = 6;',
    '  V g = 7;',
    '}',
  );

  test('the reference covers the value type as written: plain, qualified, with spaces, on its own line', () => {
    const b = bindText(text);
    assert.deepEqual(b.references.map((r) => [r.written, r.target, r.range]), [
      ['V', 'p.V', within(text, 'map<string, V>', 'V')],
      ['p.V', 'p.V', within(text, 'map<string, p.V>', 'p.V')],
      ['V', 'p.V', within(text, 'map< string , V >', 'V')],
      ['.p.V', 'p.V', within(text, 'map<int32, .p.V>', '.p.V')],
      ['V', 'p.V', within(text, '      V> e', 'V')],
      ['Gone', undefined, within(text, 'Gone')],
      ['V', 'p.V', within(text, 'V g', 'V')],
    ]);
    // An unknown value type is reported where it is written; the field's type range stays the whole map.
    assert.deepEqual(problems(b), [['unresolved-type', 'unknown type "Gone"', within(text, 'Gone'), 'error']]);
    const f = b.ast.messages[1]!.fields[0]!;
    assert.deepEqual(f.typeRange, within(text, 'map<string, V>'));
    assert.deepEqual(f.mapValueRange, within(text, 'map<string, V>', 'V'));
    assert.equal(b.ast.messages[1]!.fields[6]!.mapValueRange, undefined);
    assert.deepEqual(b.model.messages[1]!.fields.map((x) => x.type).slice(0, 2), ['map<string,p.V>', 'map<string,p.V>']);
  });

  test('a map missing its value type has an empty value range where the type should be', () => {
    const t = 'syntax = "proto3";\nmessage M { map<string, > a = 1; }';
    const f = parse(t).messages[0]!.fields[0]!;
    assert.equal(f.type, '');
    assert.deepEqual(f.mapValueRange, within(t, '> a', ''));
  });

  test('find references and go to definition on a map value type', () => {
    const b = bindText(text);
    const decl = { uri: URI, range: within(text, 'message V', 'V') };
    const refs = [
      within(text, 'map<string, V>', 'V'), within(text, 'map<string, p.V>', 'p.V'), within(text, 'map< string , V >', 'V'),
      within(text, 'map<int32, .p.V>', '.p.V'), within(text, '      V> e', 'V'), within(text, 'V g', 'V'),
    ].map((range) => ({ uri: URI, range }));
    for (const options of [{}]) {
      const onV = within(text, 'map< string , V >', 'V').start;
      assert.deepEqual(findDefinition(b, onV, options), decl);
      assert.deepEqual(findReferences(b, onV, { ...options, includeDeclaration: true }), [decl, ...refs]);
      // The value type on its own line, after the map's first line.
      assert.deepEqual(findDefinition(b, within(text, '      V> e', 'V').start, options), decl);
      // `map`, the key type and the brackets are not the value type.
      for (const at of [within(text, 'map<string, V>', 'map').start, within(text, 'map<string, V>', 'string').start, within(text, 'map< string , V >', ' >').end]) {
        assert.equal(findDefinition(b, at, options), null, JSON.stringify(at));
        assert.deepEqual(findReferences(b, at, options), [], JSON.stringify(at));
      }
    }
  });

  test('restoring a renamed message renames its map value references too', () => {
    const t = lines(
      'syntax = "proto3";',
      'package p;',
      'message Renamed {}',
      'message M {',
      '  map<string, Renamed> a = 1;',
      '  map< int64 , p.Renamed > b = 2;',
      '  Renamed c = 3;',
      '}',
    );
    const b = bindText(t);
    const finding: Finding = {
      rule: 'MESSAGE_RENAMED', category: 'WIRE', severity: 'error', message: 'renamed', range: within(t, 'message Renamed', 'Renamed'),
      element: 'p.Renamed', fixes: [{ kind: 'rename', to: 'Original' }],
    };
    const fix = computeFixes(t, b, finding).find((f) => f.title === 'Restore the original name "Original"');
    assert.ok(fix, 'the rename fix is offered');
    assert.equal(applyEdits(t, fix.edits), t.replace(/Renamed/g, 'Original'));
  });
});

describe('binder: names in one scope (protoc "already defined")', () => {
  const NOTE_P = '; enum values are siblings of their enum (C++ scoping), so their names must be unique in "p"';

  test('enum values of two enums of one scope collide: they are declared next to their enum', () => {
    const text = lines(
      'syntax = "proto3";',
      'package p;',
      'enum E { E_UNKNOWN = 0; E_A = 1; }',
      'enum F { F_UNKNOWN = 0; E_A = 1; }',
      'message M {',
      '  enum G { G0 = 0; X = 1; }',
      '  enum H { H0 = 0; X = 1; }',
      '}',
    );
    assert.deepEqual(problems(bindText(text)), [
      ['duplicate-name', `"p.E_A" is already defined by the enum value "E_A" of "E"${NOTE_P}`, within(text, 'F_UNKNOWN = 0; E_A', 'E_A'), 'error'],
      ['duplicate-name', '"p.M.X" is already defined by the enum value "X" of "G"; enum values are siblings of their enum (C++ scoping), so their names must be unique in "p.M"',
        within(text, 'H0 = 0; X', 'X'), 'error'],
    ]);
    // Without a package, the scope is the top level.
    const top = 'syntax = "proto3";\nenum E { A = 0; }\nenum F { B = 0; A = 1; }';
    assert.deepEqual(problems(bindText(top)), [
      ['duplicate-name', '"A" is already defined by the enum value "A" of "E"; enum values are siblings of their enum (C++ scoping), so their names must be unique at the top level',
        within(top, 'B = 0; A', 'A'), 'error'],
    ]);
  });

  test('an enum value collides with a message, enum, service or field of its scope, whichever comes first', () => {
    const text = lines(
      'syntax = "proto3";',
      'package p;',
      'message X {}',
      'enum E { E0 = 0; X = 1; Y = 2; S = 3; E = 4; }',
      'message Y {}',
      'service S {}',
      'message M { enum K { K0 = 0; f = 1; } int32 f = 1; }',
    );
    assert.deepEqual(problems(bindText(text)), [
      ['duplicate-name', `"p.X" is already defined by the message "X"${NOTE_P}`, within(text, 'E0 = 0; X', 'X'), 'error'],
      ['duplicate-name', `"p.Y" is already defined by the enum value "Y" of "E"${NOTE_P}`, within(text, 'message Y', 'Y'), 'error'],
      ['duplicate-name', `"p.E" is already defined by the enum "E"${NOTE_P}`, within(text, 'E = 4', 'E'), 'error'],
      ['duplicate-name', `"p.S" is already defined by the enum value "S" of "E"${NOTE_P}`, within(text, 'service S', 'S'), 'error'],
      ['duplicate-name', '"p.M.f" is already defined by the enum value "f" of "K"; enum values are siblings of their enum (C++ scoping), so their names must be unique in "p.M"',
        within(text, 'int32 f', 'f'), 'error'],
    ]);
  });

  test('a nested type and a field of one message may not share a name', () => {
    const text = lines(
      'syntax = "proto3";',
      'package p;',
      'message O { message In {} int32 In = 2; }',
      'message P { int32 Out = 1; enum Out { O0 = 0; } }',
    );
    assert.deepEqual(problems(bindText(text)), [
      ['duplicate-name', '"p.O.In" is already defined by the message "In"', within(text, 'int32 In', 'In'), 'error'],
      ['duplicate-name', '"p.P.Out" is already defined by the field "Out" of "P"', within(text, 'enum Out', 'Out'), 'error'],
    ]);
  });

  test('oneofs and extensions take a name in their scope too', () => {
    const text = lines(
      'syntax = "proto2";',
      'package p;',
      'message Foo { extensions 100 to 200; }',
      'message O {',
      '  oneof x { int32 a = 1; }',
      '  optional int32 x = 2;',
      '  oneof y { int32 y = 3; }',
      '  extend Foo { optional int32 bar = 100; }',
      '  optional int32 bar = 4;',
      '}',
      'extend Foo { optional int32 O = 101; }',
    );
    assert.deepEqual(problems(bindText(text)), [
      ['duplicate-name', '"p.O" is already defined by the message "O"', within(text, 'int32 O', 'O'), 'error'],
      ['duplicate-name', '"p.O.x" is already defined by the oneof "x"', within(text, 'int32 x', 'x'), 'error'],
      ['duplicate-name', '"p.O.y" is already defined by the oneof "y"', within(text, 'int32 y', 'y'), 'error'],
      ['duplicate-name', '"p.O.bar" is already defined by the extension "bar"', within(text, 'int32 bar = 4', 'bar'), 'error'],
    ]);
  });

  test('a declaration is reported once, by the check that covers it', () => {
    const text = lines(
      'syntax = "proto3";',
      'enum Z { V = 0; }',
      'message V {}',
      'enum V { V0 = 0; }',
      'message O { int32 In = 1; message In {} int32 In = 2; }',
    );
    assert.deepEqual(problems(bindText(text)), [
      ['duplicate-name', '"V" is already defined', within(text, 'enum V', 'V'), 'error'],
      ['duplicate-name', 'field "In" is already defined in "O"', within(text, 'int32 In = 2', 'In'), 'error'],
      ['duplicate-name', '"V" is already defined by the enum value "V" of "Z"; enum values are siblings of their enum (C++ scoping), so their names must be unique at the top level',
        within(text, 'message V', 'V'), 'error'],
      ['duplicate-name', '"O.In" is already defined by the field "In" of "O"', within(text, 'message In', 'In'), 'error'],
    ]);
  });

  test('names of the package clash with enum values, extensions and types of an imported file of the same package', () => {
    const imported = lines(
      'syntax = "proto2";',
      'package p;',
      'enum G { UNKNOWN = 0; }',
      'message Y { extensions 100 to 200; }',
      'extend Y { optional int32 ext = 100; }',
    );
    const text = lines(
      'syntax = "proto2";',
      'package p;',
      'import "b.proto";',
      'enum E { E0 = 0; UNKNOWN = 1; Y = 2; }',
      'message ext {}',
      'message Other { enum G { UNKNOWN = 0; } }',
    );
    const resolver: ImportResolver = { resolve: () => ({ uri: 'file:///b.proto', text: imported }) };
    assert.deepEqual(problems(bindText(text, resolver)), [
      ['duplicate-name', '"p.ext" is already defined by an extension in "b.proto"', within(text, 'message ext', 'ext'), 'error'],
      ['duplicate-name', `"p.UNKNOWN" is already defined by an enum value in "b.proto"${NOTE_P}`, within(text, 'UNKNOWN'), 'error'],
      ['duplicate-name', `"p.Y" is already defined by the message "p.Y" in "b.proto"${NOTE_P}`, within(text, 'Y = 2', 'Y'), 'error'],
    ]);
    // Another package: no clash.
    assert.deepEqual(problems(bindText(text.replace('package p;', 'package q;'), resolver)), []);
  });

  test('what protoc accepts: one name in different scopes, a group and its field, a field named like its message', () => {
    const text = lines(
      'syntax = "proto2";',
      'package p;',
      'enum X { X_UNSPECIFIED = 0; A = 1; }',
      'message In { optional int32 In = 1; enum E { X = 0; A = 1; } }',
      'message P { enum E { X = 0; A = 1; } optional int32 P = 1; optional group Result = 2 { optional int32 result = 1; } }',
      'message Q { oneof choice { int32 one = 1; } message Choice {} optional int32 x_unspecified = 2; }',
    );
    assert.deepEqual(problems(bindText(text)), []);
  });
});

// Files protoc (and buf 1.x) compiles without an error, each chosen at an edge of a binding check: every one must
// bind with no problem, or the editor marks a valid file at every keystroke. Checked with `buf build`.
describe('binder: valid files at the edges of the checks protoc makes', () => {
  const valid: [what: string, text: string][] = [
    ['proto2: groups, extension ranges to max, reserved, defaults of every form, options, a message set', lines(
      'syntax = "proto2";',
      'package t;',
      'import "google/protobuf/descriptor.proto";',
      'message M {',
      '  optional group Result = 1 { optional string url = 2; }',
      '  repeated group Item = 3 [deprecated = true] { required int32 id = 4; }',
      '  oneof choice { group G = 43 { optional int32 a = 1; } string os = 46; }',
      '  extensions 100 to max;',
      '  extensions 20 to 30, 40 [verification = UNVERIFIED];',
      '  reserved 50 to 60, 70;',
      '  reserved "foo", "bar";',
      '  optional int32 a = 5 [default = -0x10];',
      '  optional int32 b = 6 [default = 017];',
      '  optional double c = 7 [default = inf];',
      '  optional double d = 8 [default = -inf];',
      '  optional float e = 9 [default = nan];',
      '  optional string f = 10 [default = "a" "b"];',
      '  optional bytes g2 = 11 [default = "\\x00\\001\\377"];',
      '  optional E h = 12 [default = NEG];',
      '  optional uint64 i = 13 [default = 18446744073709551615];',
      '  optional int64 j = 14 [default = -9223372036854775808];',
      '  optional int32 k = 15 [json_name = "kk"];',
      '  optional bool l = 16 [default = true];',
      '  optional float m = 17 [default = 1e10];',
      '  optional double n = 18 [default = -1.5e-3];',
      '  optional uint32 o = 19 [default = 0xFFFFFFFF];',
      '  optional float p = 31 [default = 5];',
      '  optional double q = 32 [default = .5];',
      '  optional sint32 r = 33 [default = -2147483648];',
      "  optional string t = 35 [default = 'single'];",
      '  repeated int32 u = 36 [packed = true];',
      '  optional int64 v = 37 [jstype = JS_STRING];',
      '  optional M w = 38 [lazy = true];',
      '  optional Inner.Kind x = 39 [default = KB];',
      '  optional string y = 41 [ctype = CORD, debug_redact = true];',
      '  optional int32 foo_bar = 42;',
      '  optional int32 fooBar = 44;',
      '  optional int32 z = 45 [retention = RETENTION_SOURCE, targets = TARGET_TYPE_FIELD, targets = TARGET_TYPE_FILE];',
      '  optional int32 z2 = 47 [edition_defaults = { edition: EDITION_PROTO2, value: "1" }, edition_defaults = { edition: EDITION_2023, value: "2" }];',
      '  map<int32, M> lazy_map = 71 [lazy = true];',
      '  optional string not_packed = 72 [packed = false];',
      '  repeated string strings = 73 [packed = false];',
      '  optional M eager = 74 [lazy = false, unverified_lazy = false];',
      '  message Inner { enum Kind { KA = 0; KB = 1; } extend M { optional int32 nested_ext = 101; } }',
      '}',
      'enum E { NEG = -1; POS = 1; reserved -5 to -2, 2147483647; reserved "GONE"; }',
      'extend M { optional int32 ext = 102; optional int32 top = 536870911; }',
      'extend M { repeated group Extg = 103 { optional int32 q = 1; } }',
      'extend google.protobuf.FieldOptions { optional string my_opt = 50000; }',
      'message N { message O { oneof o { int32 a = 1; string b = 2; } } map<string, E> m = 1; optional int32 x = 2 [(my_opt) = "hi"]; }',
      'message MS { option message_set_wire_format = true; extensions 4 to max; }',
      'message MS2 { option message_set_wire_format = true; extensions 4 to 2147483646; }',
      'extend MS { optional M big = 2000000000; }',
    )],
    ['proto3: custom options, aliases, negative values, reserved to max, presence, packed, jstype', lines(
      'syntax = "proto3";',
      'package t3;',
      'import "google/protobuf/descriptor.proto";',
      'extend google.protobuf.FieldOptions { string my_opt = 50000; repeated int32 rep = 50001; }',
      'extend .google.protobuf.MessageOptions { optional bool flag = 50002; }',
      'enum E { option allow_alias = true; ZERO = 0; NEG = -1; ALIAS = 0; }',
      'enum F { reserved 1 to max; reserved "X"; F0 = 0; }',
      'message M {',
      '  option (flag) = true;',
      '  reserved 1, 2, 5 to 10, 100 to max;',
      '  reserved "gone", "old";',
      '  string s = 3 [(my_opt) = "x", (rep) = 1, (rep) = 2, json_name = "ss"];',
      '  map<string, E> m = 4;',
      '  message Inner { oneof o { int32 a = 1; Inner b = 2; } }',
      '  repeated int32 p = 11 [packed = false];',
      '  repeated int64 q = 12 [packed = true, jstype = JS_NUMBER];',
      '  optional string os = 13;',
      '  M mm = 15 [lazy = true];',
      '  repeated E es = 16 [packed = true];',
      '  int32 Foo = 17;',
      '  int32 foo = 18;',
      '}',
    )],
    ['edition 2023: file features, features where protoc takes them, defaults with explicit presence', lines(
      'edition = "2023";',
      'package te;',
      'option features.field_presence = IMPLICIT;',
      'option features.enum_type = CLOSED;',
      'option features.repeated_field_encoding = EXPANDED;',
      'option features.utf8_validation = NONE;',
      'option features.json_format = LEGACY_BEST_EFFORT;',
      'enum E { option features.enum_type = OPEN; Z = 0; NEG = -1; }',
      'enum C { A = 1; B = 2; }',
      'message M {',
      '  reserved foo, bar;',
      '  reserved 500 to max;',
      '  string s = 1 [features.utf8_validation = VERIFY];',
      '  repeated int32 r = 2 [features.repeated_field_encoding = PACKED];',
      '  int32 x = 3 [features.field_presence = EXPLICIT, default = 7];',
      '  M child = 4 [features.message_encoding = DELIMITED];',
      '  oneof o { int32 a = 6; string b = 7 [features.utf8_validation = VERIFY]; }',
      '  map<string, E> m = 8;',
      '  map<string, string> ms = 10 [features.utf8_validation = VERIFY];',
      '  int32 fooBar = 11;',
      '  int32 foo_bar = 12;',
      '  C c = 13 [features.field_presence = EXPLICIT];',
      '}',
      'message N {',
      '  extensions 100 to 200;',
      '  message Inner { int32 k = 1 [features.field_presence = LEGACY_REQUIRED]; }',
      '}',
      'extend N { int32 ext = 100; repeated int32 rext = 101 [features.repeated_field_encoding = PACKED]; }',
      'message P {',
      '  repeated string rs = 1 [features.repeated_field_encoding = EXPANDED];',
      '  repeated M rm = 2 [features.repeated_field_encoding = EXPANDED];',
      '  map<string, int32> mp = 3 [features.utf8_validation = NONE];',
      '  oneof o { string os = 4 [features.utf8_validation = NONE]; }',
      '  repeated M dm = 5 [features.message_encoding = DELIMITED];',
      '  int32 req = 6 [features.field_presence = LEGACY_REQUIRED];',
      '  repeated int32 pk = 7 [features = { repeated_field_encoding: EXPANDED }];',
      '}',
      'enum Closed { option features = { enum_type: CLOSED }; CA = 1; }',
      'message Q { Closed e = 1 [features.field_presence = EXPLICIT]; }',
    )],
    // protoc and buf: an extension has presence, so the file's IMPLICIT default does not refuse its default.
    ['edition 2023, implicit presence by default: an extension with a default', lines(
      'edition = "2023";',
      'package tx;',
      'option features.field_presence = IMPLICIT;',
      'message Base { extensions 100 to 200; }',
      'extend Base {',
      '  int32 with_default = 100 [default = 5];',
      '}',
    )],
    ['edition 2024: a message or enum exported or kept local to its file, an import for options only', lines(
      'edition = "2024";',
      'package t24;',
      'import option "google/protobuf/descriptor.proto";',
      'export message Foo { local message Bar {} local enum K { K0 = 0; } Bar bar = 1; K k = 2; }',
      'local enum E { E0 = 0; }',
      'message UsesE { E e = 1; Foo.Bar b = 2; }',
    )],
    ['proto2: custom options with aggregate values, every key a field or an extension of its message', lines(
      'syntax = "proto2";',
      'package agg;',
      'import "google/protobuf/descriptor.proto";',
      'import "google/protobuf/any.proto";',
      'message Opt { optional int32 a = 1; optional Opt inner = 2; optional group Grp = 3 { optional int32 x = 1; } oneof o { string c = 4; } extensions 100 to 200; }',
      'message Scoped { extend Opt { optional Opt scoped = 101; } }',
      'extend Opt { optional int32 top = 100; }',
      'extend google.protobuf.MessageOptions { optional Opt opt = 50000; repeated Opt opts = 50001; optional google.protobuf.Any any = 50002; }',
      'extend google.protobuf.FieldOptions { optional Opt field_opt = 50000; }',
      'message M {',
      '  option (opt) = { a: 1 c: "x" grp { x: 1 } [agg.top]: 2 [agg.Scoped.scoped] { inner { [agg.top]: 3 } } };',
      '  option (opts) = { a: 1 }; option (opts) = { inner: { a: 2 }; };',
      '  option (any) = { [type.googleapis.com/agg.Opt] { a: 1 } };',
      '  message Inner { option (agg.opt) = { inner < a: 1 > }; optional int32 f = 1 [(field_opt) = { a: 1 }, (.agg.field_opt).inner = { a: 2 }]; }',
      '}',
    )],
  ];
  for (const [what, text] of valid) {
    test(what, () => {
      assert.deepEqual(parse(text).errors, []);
      assert.deepEqual(problems(bindText(text)), []);
    });
  }
});

test('the documentation of an exported or local message or enum (edition 2024) is the comment above its modifier', () => {
  const b = bindText(lines(
    'edition = "2024";',
    'package t24;',
    '// Foo is exported.',
    'export message Foo {',
    '  // Bar is local.',
    '  local enum Bar { B0 = 0; }',
    '}',
  ));
  assert.deepEqual(b.model.messages.map((m) => [m.name, m.doc]), [['Foo', ' Foo is exported.']]);
  assert.deepEqual(b.model.enums.map((e) => [e.name, e.doc]), [['Bar', ' Bar is local.']]);
});

// buf 1.75: "expected length-prefixed field" over the whole group, and "expected 64-bit integer type, found message type"
// on its name for jstype.
test('[lazy = true] on a group is a binding error: protoc takes it on a message field only, and a group is not one', () => {
  const text = lines(
    'syntax = "proto2";',
    'package t;',
    'message M {',
    '  optional group Result = 1 [lazy = true] { optional string url = 2; }',
    '  optional M sub = 3 [lazy = true];',
    '  optional group Other = 4 [jstype = JS_STRING] { }',
    '}',
  );
  assert.deepEqual(bindText(text).problems.map((p) => [p.code, p.range]), [
    ['option-target', within(text, 'optional group Result = 1 [lazy = true] { optional string url = 2; }')],
    ['option-target', within(text, 'group Other', 'Other')],
  ]);
});

test('an extension number outside the extension ranges of an imported message, or below 1000 for an options message of descriptor.proto, is a binding error, and one an imported extension has a warning, as protoc says', () => {
  const imported = lines('syntax = "proto2";', 'package dep;', 'message Ext { extensions 100 to 200; }', 'message None {}', 'extend Ext { optional int32 taken = 150; }');
  const resolver: ImportResolver = { resolve: () => ({ uri: 'file:///dep.proto', text: imported }) };
  const text = lines(
    'syntax = "proto2";',
    'package p;',
    'import "dep.proto";',
    'import "google/protobuf/descriptor.proto";',
    'extend dep.Ext { optional int32 out = 300; optional int32 in = 120; }',
    'extend dep.None { optional int32 none = 5; }',
    'extend google.protobuf.FileOptions { optional int32 low = 50; optional int32 high = 50000; }',
    // protoc only warns of a number another file gives to an extension of the same message (buf refuses it).
    'extend dep.Ext { optional int32 again = 150; }',
  );
  const message = (n: number, m: string): string => `extension number ${n} is not in an extension range of "${m}"`;
  assert.deepEqual(problems(bindText(text, resolver)), [
    ['invalid-extension', message(300, 'dep.Ext'), within(text, 'out = 300', '300'), 'error'],
    ['duplicate-number', 'extension number 150 of "dep.Ext" is already used by "taken" in "dep.proto"', within(text, 'again = 150', '150'), 'warning'],
    ['invalid-extension', message(5, 'dep.None'), within(text, 'none = 5', '5'), 'error'],
    ['invalid-extension', message(50, 'google.protobuf.FileOptions'), within(text, 'low = 50', '50'), 'error'],
  ]);
});

// protoc: "Message type "agg.Opt" has no field named "b"" (buf: "cannot resolve message field name for `agg.Opt`"), at
// the key, where the option's type is a message of the file: in nested values, lists, a map's entries, an extension's
// value, a path into the option (`(opt).inner`), and a small well-known type. Checked with buf 1.75, key for key.
describe('binder: the keys of a custom option\'s aggregate value', () => {
  const text = lines(
    'syntax = "proto2";',
    'package agg;',
    'import "google/protobuf/descriptor.proto";',
    'import "google/protobuf/duration.proto";',
    'message Opt { optional int32 a = 1; optional Inner inner = 2; repeated Inner list = 3; map<string, Inner> m = 4; optional group Grp = 5 { optional int32 x = 1; } extensions 100 to 200; }',
    'message Inner { optional string s = 1; extensions 100 to 200; }',
    'extend Inner { optional int32 other = 100; }',
    'message Scoped { extend Opt { optional Inner scoped_ext = 101; } }',
    'extend google.protobuf.MessageOptions { optional Opt opt = 50000; repeated Opt opts = 50001; }',
    'extend google.protobuf.FieldOptions { optional google.protobuf.Duration dur = 50002; }',
    'message M1 { option (opt) = { no_such_field: 1 }; }',
    'message M2 { option (opt) = { inner { nope: "x" } }; }',
    'message M3 { option (opt) = { list: [{ s: "a" }, { zz: "b" }] }; }',
    'message M4 { option (opt) = { m { key: "k" value { q: 1 } } }; }',
    'message M5 { option (opt) = { m: [{ key: "a" value { s: "b" } }, { key: "c" valu { s: "d" } }] }; }',
    'message M6 { option (opt) = { [agg.nope]: 1 }; }',
    'message M7 { option (opt) = { [agg.other]: 1 }; }',
    'message M8 { option (opt) = { [agg.Scoped.scoped_ext] { t: "x" } }; }',
    'message M9 { option (opt) = { grp { y: 1 } }; }',
    'message M10 { option (opts) = { a: 1 }; option (opts) = { b: 1 }; }',
    'message M11 { option (opt).inner = { bad: 1 }; }',
    'message M12 { optional int32 f = 1 [(dur) = { seconds: 1, nanoz: 1 }]; }',
  );

  // buf 1.75, line and column of each: "cannot resolve message field name" over the key and its value, "mismatched
  // types" over the key of an extension of another message.
  test('an unknown key is unknown-option on the key and its value, naming the message it is not a field of', () => {
    const unknown = (message: string, context: string, key: string) => ['unknown-option', message, within(text, context, key), 'error'];
    const noField = (type: string, key: string, context: string, field = context) => unknown(`message type "${type}" has no field named "${key}"`, context, field);
    assert.deepEqual(problems(bindText(text)), [
      noField('agg.Opt', 'no_such_field', 'no_such_field: 1'),
      noField('agg.Inner', 'nope', 'nope: "x"'),
      noField('agg.Inner', 'zz', 'zz: "b"'),
      noField('agg.Inner', 'q', 'q: 1'),
      noField('agg.Opt.MEntry', 'valu', 'valu { s: "d" }'),
      unknown('message type "agg.Opt" has no extension named "agg.nope"', '[agg.nope]: 1', '[agg.nope]: 1'),
      unknown('"agg.other" is an extension of "agg.Inner", not of "agg.Opt"', '[agg.other]: 1', '[agg.other]'),
      noField('agg.Inner', 't', 't: "x"'),
      noField('agg.Opt.Grp', 'y', '{ y: 1 }', 'y: 1'),
      noField('agg.Opt', 'b', '{ b: 1 }', 'b: 1'),
      noField('agg.Inner', 'bad', 'bad: 1'),
      noField('google.protobuf.Duration', 'nanoz', 'nanoz: 1'),
    ]);
  });

  // protoc reads a group's key in text format by its field's name or, since 27.0, by its type's; buf 1.75 refuses the
  // type's ("cannot resolve message field name"): protoc is followed.
  test('a group\'s key is its field\'s name or its type\'s, as protoc takes both', () => {
    const groups = lines(text.slice(0, text.indexOf('message M1 {')), 'message G1 { option (opt) = { grp { x: 1 } }; }', 'message G2 { option (opt) = { Grp { x: 1 } }; }');
    assert.deepEqual(problems(bindText(groups)), []);
    assert.deepEqual(problems(bindText(groups.replace('Grp { x', 'GRP { x'))).map((p) => p[1]), ['message type "agg.Opt" has no field named "GRP"']);
  });

  test('so is one of descriptor.proto\'s options of a message type, edition_defaults and feature_support', () => {
    const descriptorOptions = lines(
      'syntax = "proto2";',
      'package d;',
      'message M {',
      '  optional int32 z2 = 47 [edition_defaults = { edition: EDITION_PROTO2, valu: "1" }];',
      '  optional int32 z3 = 48 [feature_support = { edition_introduced: EDITION_2023, edition_gone: EDITION_2024 }];',
      '  optional int32 z4 = 49 [feature_support = { edition_introduced: EDITION_2023, deprecation_warning: "x", edition_deprecated: EDITION_2023, edition_removed: EDITION_2024, removal_error: "y" }];',
      '}',
      'enum E { A = 0 [feature_support = { edition_introducd: EDITION_2023 }]; }',
    );
    const noField = (type: string, key: string, value: string) => ['unknown-option', `message type "google.protobuf.FieldOptions.${type}" has no field named "${key}"`, within(descriptorOptions, `${key}: ${value}`), 'error'];
    assert.deepEqual(problems(bindText(descriptorOptions)), [
      noField('EditionDefault', 'valu', '"1"'),
      noField('FeatureSupport', 'edition_gone', 'EDITION_2024'),
      noField('FeatureSupport', 'edition_introducd', 'EDITION_2023'),
    ]);
  });

  test('an option whose type this file does not declare, or an extension an import may declare, is not checked', () => {
    const imported = lines(
      'syntax = "proto2";',
      'package agg;',
      'import "other.proto";',
      'import "google/protobuf/descriptor.proto";',
      'message Opt { optional int32 a = 1; extensions 100 to 200; }',
      'extend google.protobuf.MessageOptions { optional Opt opt = 50000; }',
      'message M { option (other.opt) = { anything: 1 }; option (opt) = { [other.ext]: 1 }; }',
    );
    assert.deepEqual(bindText(imported).problems.map((p) => p.code), ['unresolved-import']);
  });

  test('on a released api.proto with options of its own: what buf refuses, and what it builds', NEEDS_CORPUS, () => {
    const GO_PACKAGE = 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1";\n';
    const declared = replaceOnce(corpusText('v0.36.3'), GO_PACKAGE, GO_PACKAGE + lines(
      'import "google/protobuf/descriptor.proto";',
      'import "google/protobuf/duration.proto";',
      'message Limits { int64 max = 1; Limits inner = 2; repeated Limits list = 3; map<string, Limits> by_name = 4; }',
      'extend google.protobuf.MessageOptions { Limits limits = 50000; google.protobuf.Duration timeout = 50001; }\n',
    ));
    const MESSAGE = 'message VersionRequest {\n';
    const withOption = (option: string): string => replaceOnce(declared, MESSAGE, `${MESSAGE}    ${option}\n`);
    const spots = (option: string): [string, string, Range][] => bindText(withOption(option)).problems.map((p) => [p.code, p.message, p.range]);
    const refused = (option: string, type: string, field: string): void => {
      const key = field.slice(0, field.indexOf(':'));
      assert.deepEqual(spots(option), [['unknown-option', `message type "${type}" has no field named "${key}"`, within(withOption(option), `    ${option}`, field)]], option);
    };
    refused('option (limits) = { maximum: 1 };', 'runtime.v1.Limits', 'maximum: 1');
    refused('option (runtime.v1.limits) = { inner { inner { nope: 1 } } };', 'runtime.v1.Limits', 'nope: 1');
    refused('option (limits) = { by_name { ky: "a" } };', 'runtime.v1.Limits.ByNameEntry', 'ky: "a"');
    refused('option (.runtime.v1.timeout) = { secs: 1 };', 'google.protobuf.Duration', 'secs: 1');
    assert.deepEqual(spots('option (limits) = {\n        max: 1, inner { max: 2 }\n        list: [{ max: 3 }, { inner { max: 4 } }];\n        by_name { key: "a" value { max: 5 } }\n    };'), []);
    assert.deepEqual(spots('option (timeout) = { seconds: 1 nanos: 2 };'), []);
    assert.deepEqual(spots('option (limits).inner = { max: 1 };'), []);
  });
});

// buf 1.75: "mismatched types", "literal out of range for `int32`", "cannot find `K9` in this scope", at the value (a
// list's `[ … ]` for a field that is not repeated, a message's `{ … }` for one that is no message; a signed name, `-K1`,
// without its sign), in an aggregate and as an option's own value. Checked with buf, line and column for each.
describe('binder: the values of a custom option', () => {
  const text = lines(
    'syntax = "proto2";',
    'package val;',
    'import "google/protobuf/descriptor.proto";',
    'enum Kind { K0 = 0; K1 = 1; }',
    'message Inner { optional string s = 1; }',
    'message Opt {',
    '  optional int32 count = 1; optional bool flag = 2; optional Kind kind = 3; optional Inner inner = 4;',
    '  optional uint32 u = 5; optional uint64 u64 = 6; optional double d = 7; optional string str = 8;',
    '  repeated int32 reps = 9; map<string, int32> m = 10; extensions 100 to 200;',
    '}',
    'extend Opt { optional int64 ext = 100; }',
    'extend google.protobuf.MessageOptions { optional Opt opt = 50000; optional int32 iopt = 50001; optional Kind k = 50002; }',
    'message A { option (opt) = { count: "x" flag: 3 kind: K9 inner: 1 str: abc d: "1" }; }',
    'message B { option (opt) = { count: [1, 2] inner: "x" u: -1 u64: 18446744073709551616 reps: 1.5 }; }',
    'message C { option (opt) = { reps: [1, "x"] m { key: 1 value: "y" } [val.ext]: 9223372036854775808 }; }',
    'message D { option (opt) = { count { } kind: -K1 flag: 1 }; }',
    'message E { option (opt).count = "x"; option (iopt) = { }; option (k) = K9; }',
    'message P { option (opt) = { count: -1e400 }; }',
  );
  const INT32 = '(int32: -2147483648 to 2147483647)';

  test('a value not of its field\'s type is invalid-option-value where buf reports it', () => {
    const at = (message: string, context: string, needle: string) => ['invalid-option-value', message, within(text, context, needle), 'error'];
    const takes = (field: string, what: string, value: string, context: string, needle = value) => at(`"${field}" takes ${what}, not ${value}`, context, needle);
    assert.deepEqual(problems(bindText(text)), [
      takes('val.Opt.count', 'an int32', '"x"', 'count: "x"'),
      takes('val.Opt.flag', 'a bool', '3', 'flag: 3'),
      at('enum "val.Kind" has no value named K9', 'kind: K9', 'K9'),
      takes('val.Opt.inner', 'a message (val.Inner)', '1', 'inner: 1'),
      takes('val.Opt.str', 'a string', 'abc', 'str: abc'),
      takes('val.Opt.d', 'a double', '"1"', 'd: "1"'),
      at('"val.Opt.count" is not repeated: it takes one value, not a list', 'count: [1, 2]', '[1, 2]'),
      takes('val.Opt.inner', 'a message (val.Inner)', '"x"', 'inner: "x"'),
      at('-1 is out of range for "val.Opt.u" (uint32: 0 to 4294967295)', 'u: -1', '-1'),
      at('18446744073709551616 is out of range for "val.Opt.u64" (uint64: 0 to 18446744073709551615)', 'u64: 18446744073709551616', '18446744073709551616'),
      takes('val.Opt.reps', 'an int32', '1.5', 'reps: 1.5'),
      takes('val.Opt.reps', 'an int32', '"x"', '[1, "x"]'),
      takes('val.Opt.MEntry.key', 'a string', '1', 'key: 1'),
      takes('val.Opt.MEntry.value', 'an int32', '"y"', 'value: "y"'),
      at('9223372036854775808 is out of range for "val.ext" (int64: -9223372036854775808 to 9223372036854775807)', '[val.ext]: 9223372036854775808', '9223372036854775808'),
      takes('val.Opt.count', 'an int32', 'a message', 'count { }', '{ }'),
      takes('val.Opt.kind', 'a value of enum val.Kind', '-K1', 'kind: -K1', 'K1'),
      takes('val.Opt.flag', 'a bool', '1', 'flag: 1'),
      takes('val.Opt.count', 'an int32', '"x"', '(opt).count = "x"', '"x"'),
      takes('val.iopt', 'an int32', 'a message', '(iopt) = { }', '{ }'),
      at('enum "val.Kind" has no value named K9', '(k) = K9', 'K9'),
      at(`-1e400 is out of range for "val.Opt.count" ${INT32}`, 'count: -1e400', '-1e400'),
    ]);
  });

  // buf 1.75 reads `-inf` and `-nan` (only these spellings) as one float literal, for a field of any type: "mismatched
  // types" on the sign too, where another signed name (`-Inf`, `-K1`) is marked without it.
  test('-inf and -nan are one value, marked with their sign, whatever the field\'s type', () => {
    const signed = lines(
      text.slice(0, text.indexOf('message A {')),
      'message Q { option (opt) = { flag: -inf kind: -nan count: -inf }; option (k) = -inf; }',
      'message R { option (k) = -Inf; }',
    );
    const at = (message: string, context: string, needle: string) => ['invalid-option-value', message, within(signed, context, needle), 'error'];
    assert.deepEqual(problems(bindText(signed)), [
      at('"val.Opt.flag" takes a bool, not -inf', 'flag: -inf', '-inf'),
      at('"val.Opt.kind" takes a value of enum val.Kind, not -nan', 'kind: -nan', '-nan'),
      at('"val.Opt.count" takes an int32, not -inf', 'count: -inf', '-inf'),
      at('"val.k" takes a value of enum val.Kind, not -inf', '(k) = -inf', '-inf'),
      at('"val.k" takes a value of enum val.Kind, not -Inf', '(k) = -Inf', 'Inf'),
    ]);
  });

  // buf 1.75: "non-canonical `bool` literal outside of message expression", "non-canonical floating-point literal outside
  // of message expression", on the value without its sign; in an aggregate it takes True, t, Infinity and other names.
  test('outside an aggregate a bool is true or false, a float\'s name inf or nan', () => {
    const bare = lines(
      text.slice(0, text.indexOf('message A {')),
      'extend google.protobuf.MessageOptions { optional bool b = 50003; optional float f = 50004; repeated bool rb = 50005; }',
      'message S { option (b) = True; option (rb) = t; option (opt).flag = False; }',
      'message T { option (f) = -Infinity; }',
      'message U { option (f) = - NAN; }',
      'message V { option (f) = foo; }',
      'message W { option (f) = - inf; option (opt).d = nan; }',
      'message X { option (opt) = { flag: True d: -Infinity }; }',
    );
    const at = (field: string, value: string, context: string, needle: string, why: string) =>
      ['invalid-option-value', `"${field}" takes ${value}: ${why}`, within(bare, context, needle), 'error'];
    const bool = (field: string, value: string, context: string) => at(field, `true or false, not ${value}`, context, value, 'True, t and the like only in an aggregate');
    const float = (value: string, context: string, needle: string) => at('val.f', `a float, not ${value}`, context, needle, 'outside an aggregate its only names are inf and nan');
    assert.deepEqual(problems(bindText(bare)), [
      bool('val.b', 'True', '(b) = True'),
      bool('val.rb', 't', '(rb) = t'),
      bool('val.Opt.flag', 'False', '(opt).flag = False'),
      float('-Infinity', '(f) = -Infinity', 'Infinity'),
      float('- NAN', '(f) = - NAN', 'NAN'),
      float('foo', '(f) = foo', 'foo'),
    ]);
  });

  // buf 1.75: "cannot find `.VIEW` in this scope" over the name, without its sign, and no syntax error.
  test('a value name with a leading dot is read whole, and no value of its field', () => {
    const dotted = lines(
      text.slice(0, text.indexOf('message A {')),
      'extend google.protobuf.MessageOptions { optional float f = 50003; }',
      'message S { option (k) = .K1; }',
      'message T { option (k) = -.K1; option (f) = .inf; }',
    );
    const file = parse(dotted);
    assert.deepEqual(file.errors, []);
    const at = (message: string, context: string, needle: string) => ['invalid-option-value', message, within(dotted, context, needle), 'error'];
    assert.deepEqual(problems(bind(file, URI)), [
      at('enum "val.Kind" has no value named .K1', '(k) = .K1', '.K1'),
      at('"val.k" takes a value of enum val.Kind, not -.K1', '(k) = -.K1', '.K1'),
      at('"val.f" takes a float, not .inf: outside an aggregate its only names are inf and nan', '(f) = .inf', '.inf'),
    ]);
  });

  test('values buf takes are error-free: bounds, hex, t and f, an enum\'s number, inf, adjacent strings, an exponent', () => {
    const valid = lines(
      text.slice(0, text.indexOf('message A {')),
      'message F { option (opt) = { count: 0x7fffffff u: 0 u64: 18446744073709551615 flag: t kind: 1 d: -inf str: "a" \'b\' reps: [1, 2] inner { s: "x" } m: [{ key: "a" value: 1 }] [val.ext]: -9223372036854775808 }; }',
      'message G { option (opt) = { count: -2e9 d: 1 kind: K1 flag: False reps: [] }; option (iopt) = - 5; option (k) = K1; }',
    );
    assert.deepEqual(problems(bindText(valid)), []);
    assert.deepEqual(problems(bindText(valid.replace('count: 0x7fffffff', 'count: 0x80000000'))), [
      ['invalid-option-value', `0x80000000 is out of range for "val.Opt.count" ${INT32}`, within(valid.replace('count: 0x7fffffff', 'count: 0x80000000'), '0x80000000'), 'error'],
    ]);
  });

  test('a small well-known type\'s field, through a path or in an aggregate, is of its type and set once', () => {
    // buf 1.75: "mismatched types", "message field `google.protobuf.Duration.seconds` set multiple times" (on the
    // name up to the field set again), "message extension `p.d` set multiple times".
    const wellKnown = lines(
      'syntax = "proto2";',
      'package p;',
      'import "google/protobuf/descriptor.proto";',
      'import "google/protobuf/duration.proto";',
      'import "google/protobuf/wrappers.proto";',
      'import "google/protobuf/field_mask.proto";',
      'extend google.protobuf.MessageOptions { optional google.protobuf.Duration d = 50001; optional google.protobuf.BoolValue b = 50002; optional google.protobuf.FieldMask fm = 50003; }',
      'message M1 { option (d).seconds = 1; option (d).seconds = 2; }',
      'message M2 { option (d) = { seconds: "x" nanos: 1.5 }; }',
      'message M3 { option (b).value = 3; option (fm).paths = "a"; option (fm).paths = "b"; }',
      'message M4 { option (d) = { seconds: 1 }; option (d).seconds = 2; }',
      'message M5 { option (d).nanos = 1; option (d) = { seconds: 1 }; }',
      'message M6 { option (d) = { seconds: 1 seconds: 2 }; }',
    );
    const at = (code: string, message: string, context: string, needle: string) => [code, message, within(wellKnown, context, needle), 'error'];
    const twice = (name: string, context: string, needle: string, hint = '') => at('duplicate-option', `"${name}" is set twice: it is not repeated${hint}`, context, needle);
    const pathFirst = ' (a path set its fields before it; set it whole first, then the path)';
    assert.deepEqual(problems(bindText(wellKnown)), [
      twice('google.protobuf.Duration.seconds', '= 1; option (d).seconds = 2', '(d).seconds'),
      at('invalid-option-value', '"google.protobuf.Duration.seconds" takes an int64, not "x"', 'seconds: "x"', '"x"'),
      at('invalid-option-value', '"google.protobuf.Duration.nanos" takes an int32, not 1.5', 'nanos: 1.5', '1.5'),
      at('invalid-option-value', '"google.protobuf.BoolValue.value" takes a bool, not 3', '(b).value = 3', '3'),
      twice('google.protobuf.Duration.seconds', '}; option (d).seconds = 2', '(d).seconds'),
      twice('p.d', 'option (d) = { seconds: 1 }; }', '(d)', pathFirst),
      twice('google.protobuf.Duration.seconds', 'seconds: 2 }', 'seconds'),
    ]);
  });

  test('several problems in one aggregate and in the options of one element: those buf reports, and no more', () => {
    // buf 1.75: a field set again is refused, in an aggregate with its value checked, by another option without; a field
    // whose value is not of its type is not set, so setting it again is no error; a list's values are checked too.
    const several = lines(
      'syntax = "proto2";',
      'package p;',
      'import "google/protobuf/descriptor.proto";',
      'enum K { K0 = 0; }',
      'message Opt { optional int32 a = 1; optional int32 b = 2; optional Opt o = 3; oneof c { int32 x = 4; int32 y = 5; } optional K k = 7; optional uint32 u = 8; optional string s = 9; }',
      'extend google.protobuf.MessageOptions { optional Opt opt = 50000; optional int32 i = 50001; }',
      'message A { option (opt) = { a: 1 a: "y" }; }',
      'message B { option (opt) = { x: 1 y: "s" }; }',
      'message C { option (opt) = { x: "s" y: "t" k: K9 k: K0 u: -1 u: 1 }; }',
      'message D { option (opt) = { a: [1] a: 2 s: [4] o: 1 o { a: 1 } }; }',
      'message E { option (opt) = { o { a: 1 } o { zz: 1 b: "x" } }; }',
      'message F { option (opt) = { a: 1 }; option (opt) = { zz: 1 }; }',
      'message G { option (opt).a = "x"; option (opt).a = 2; option (opt).b = 1; option (opt).b = "y"; }',
      'message H { option (i) = "x"; option (i) = 2; option (i) = "z"; }',
      'message I { option (opt) = { o { a: "x" } }; option (opt).o.a = 2; option (opt).o.a = 3; }',
      'message J { option (opt) = { a: 1 b: "q" }; option (opt).a = "x"; option (opt).b = 2; }',
    );
    const spots = (b: BoundFile) => b.problems.map((p) => `${p.range.start.line + 1}:${p.range.start.character + 1} ${p.code} ${p.message}`);
    assert.deepEqual(spots(bindText(several)), [
      '7:35 duplicate-option "p.Opt.a" is set twice: it is not repeated',
      '7:38 invalid-option-value "p.Opt.a" takes an int32, not "y"',
      '8:35 duplicate-option "p.Opt.y" cannot be set: "p.Opt.x" of the same oneof "p.Opt.c" is set already',
      '8:38 invalid-option-value "p.Opt.y" takes an int32, not "s"',
      '9:33 invalid-option-value "p.Opt.x" takes an int32, not "s"',
      '9:40 invalid-option-value "p.Opt.y" takes an int32, not "t"',
      '9:47 invalid-option-value enum "p.K" has no value named K9',
      '9:59 invalid-option-value -1 is out of range for "p.Opt.u" (uint32: 0 to 4294967295)',
      '10:33 invalid-option-value "p.Opt.a" is not repeated: it takes one value, not a list',
      '10:37 duplicate-option "p.Opt.a" is set twice: it is not repeated',
      '10:45 invalid-option-value "p.Opt.s" is not repeated: it takes one value, not a list',
      '10:46 invalid-option-value "p.Opt.s" takes a string, not 4',
      '10:52 invalid-option-value "p.Opt.o" takes a message (p.Opt), not 1',
      '11:45 unknown-option message type "p.Opt" has no field named "zz"',
      '11:54 invalid-option-value "p.Opt.b" takes an int32, not "x"',
      '12:45 duplicate-option "p.opt" is set twice: it is not repeated',
      '13:30 invalid-option-value "p.Opt.a" takes an int32, not "x"',
      '13:82 duplicate-option "p.Opt.b" is set twice: it is not repeated',
      '14:26 invalid-option-value "p.i" takes an int32, not "x"',
      '14:54 duplicate-option "p.i" is set twice: it is not repeated',
      '15:37 invalid-option-value "p.Opt.a" takes an int32, not "x"',
      '15:75 duplicate-option "p.Opt.a" is set twice: it is not repeated',
      '16:38 invalid-option-value "p.Opt.b" takes an int32, not "q"',
      '16:52 duplicate-option "p.Opt.a" is set twice: it is not repeated',
    ]);
  });

  test('several signs (`--1`, `- -inf`) are one value of no type, refused from the first sign, and the values after it are checked too', () => {
    // buf 1.75: "mismatched types" on the whole value, in an aggregate, as an option's own value and as a default (the
    // binder checks custom options last).
    const signs = lines(
      'syntax = "proto2";',
      'package p;',
      'import "google/protobuf/descriptor.proto";',
      'option java_multiple_files = --1;',
      'message Opt { optional int32 a = 1; optional int32 b = 2; optional double d = 3; optional string s = 4; }',
      'extend google.protobuf.MessageOptions { optional Opt opt = 50000; optional int32 i = 50001; }',
      'message A { option (opt) = {a: -1 b: --2 d: - -inf s: --x}; }',
      'message B { option (opt).a = --1; option (i) = ---1; }',
      'message C { optional int32 f = 1 [default = --1]; }',
    );
    const at = (code: string, message: string, context: string, needle: string) => [code, message, within(signs, context, needle), 'error'];
    assert.deepEqual(problems(bindText(signs)), [
      at('invalid-option-value', '"java_multiple_files" takes true, false, not --1', 'java_multiple_files = --1', '--1'),
      at('invalid-default', 'the default of an int32 field must be an integer, not --1', 'default = --1', '--1'),
      at('invalid-option-value', '"p.Opt.b" takes an int32, not --2', 'b: --2', '--2'),
      at('invalid-option-value', '"p.Opt.d" takes a double, not --inf', 'd: - -inf', '- -inf'),
      at('invalid-option-value', '"p.Opt.s" takes a string, not --x', 's: --x', '--x'),
      at('invalid-option-value', '"p.Opt.a" takes an int32, not --1', '(opt).a = --1', '--1'),
      at('invalid-option-value', '"p.i" takes an int32, not ---1', '(i) = ---1', '---1'),
    ]);
  });

  test('a sign before a string, a list or a message, or before no value, is a value of no type in an aggregate', () => {
    // buf 1.75: "mismatched types" on the value, a signed string's without its sign where the field takes strings; a
    // sign before no value (`a: -}`) is one too, beside the syntax error at the `}`. The sign was dropped from a string.
    const signed = lines(
      'syntax = "proto2";',
      'package p;',
      'import "google/protobuf/descriptor.proto";',
      'message Opt { optional int32 a = 1; optional string s = 2; optional bytes y = 3; repeated int32 r = 4; optional Opt o = 5; }',
      'extend google.protobuf.MessageOptions { optional Opt opt = 50000; }',
      'message A { option (opt) = {s: -"x" y: - "z" a: -"x"}; }',
      'message B { option (opt) = {r: -[1] o: -{} a: -}; }',
    );
    const at = (code: string, message: string, context: string, needle: string) => [code, message, within(signed, context, needle), 'error'];
    assert.deepEqual(problems(bindText(signed)), [
      at('syntax', 'expected a value for "a", found \'}\'', 'a: -}', '}'),
      at('invalid-option-value', '"p.Opt.s" takes a string, not -"x"', 's: -"x"', '"x"'),
      at('invalid-option-value', '"p.Opt.y" takes bytes, not -"z"', 'y: - "z"', '"z"'),
      at('invalid-option-value', '"p.Opt.a" takes an int32, not -"x"', 'a: -"x"', '-"x"'),
      at('invalid-option-value', '"p.Opt.r" takes an int32, not -[…]', 'r: -[1]', '-[1]'),
      at('invalid-option-value', '"p.Opt.o" takes a message (p.Opt), not -{…}', 'o: -{}', '-{}'),
      at('invalid-option-value', '"p.Opt.a" takes an int32, not -', 'a: -}', '-'),
    ]);
  });

  test('on a released api.proto with options of its own', NEEDS_CORPUS, () => {
    const GO_PACKAGE = 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1";\n';
    const declared = replaceOnce(corpusText('v0.36.3'), GO_PACKAGE, GO_PACKAGE + lines(
      'import "google/protobuf/descriptor.proto";',
      'message Limits { int32 max = 1; Protocol protocol = 2; repeated Limits list = 3; }',
      'extend google.protobuf.MessageOptions { Limits limits = 50000; }\n',
    ));
    const MESSAGE = 'message VersionRequest {\n';
    const withOption = (option: string): string => replaceOnce(declared, MESSAGE, `${MESSAGE}    ${option}\n`);
    const spots = (option: string): [string, string, Range][] => bindText(withOption(option)).problems.map((p) => [p.code, p.message, p.range]);
    const refused = (option: string, message: string, value: string): void => {
      assert.deepEqual(spots(option), [['invalid-option-value', message, within(withOption(option), `    ${option}`, value)]], option);
    };
    refused('option (limits) = { max: "ten" };', '"runtime.v1.Limits.max" takes an int32, not "ten"', '"ten"');
    refused('option (limits) = { protocol: SCTTP };', 'enum "runtime.v1.Protocol" has no value named SCTTP', 'SCTTP');
    refused('option (limits) = { list: [{ max: 4294967296 }] };', `4294967296 is out of range for "runtime.v1.Limits.max" ${INT32}`, '4294967296');
    refused('option (limits).protocol = { };', '"runtime.v1.Limits.protocol" takes a value of enum runtime.v1.Protocol, not a message', '{ }');
    assert.deepEqual(spots('option (limits) = { max: 1 protocol: SCTP list: [{ protocol: 0 }, { max: -1 }] };'), []);
  });
});

// A custom option whose extension, or a message or an enum its value goes into, an imported file declares (and a file
// that file imports publicly), in files on disk found by the import resolver: checked as if the file declared them.
// Every problem starts where buf 1.75 reports one, with the layout below as a buf module (`buf build`).
describe('binder: a custom option of types an import declares', () => {
  const DEP = lines(
    'syntax = "proto2";',
    'package dep;',
    'import "google/protobuf/descriptor.proto";',
    'import public "dep/more.proto";',
    'enum Color { RED = 0; BLUE = 1; }',
    'message Ext {',
    '  optional int32 n = 1; optional Color color = 2; optional Ext inner = 3; repeated Ext list = 4; map<string, Ext> m = 5;',
    '  oneof choice { string a = 6; string b = 7; }',
    '  optional group Grp = 8 { optional int32 x = 1; }',
    '  extensions 100 to 200;',
    '}',
    'extend Ext { optional int32 dep_ext = 100; }',
    'extend google.protobuf.MessageOptions { optional Ext dopt = 50100; optional int32 dint = 50101; }',
  );
  const MORE = lines(
    'syntax = "proto3";',
    'package dep;',
    'import "google/protobuf/descriptor.proto";',
    'message More { int32 k = 1; Kind kind = 2; enum Kind { KIND_UNSPECIFIED = 0; } }',
    'extend google.protobuf.FieldOptions { More more = 50102; }',
  );
  const HEAD = lines(
    'syntax = "proto2";',
    'package val;',
    'import "dep/dep.proto";',
    'import "google/protobuf/descriptor.proto";',
    'message Opt { optional dep.Ext msg = 1; optional dep.Color color = 2; }',
    'extend google.protobuf.MessageOptions { optional Opt opt = 50000; optional dep.Ext ext = 50001; }',
  );

  /** The problems of `text`, importing DEP and MORE from a directory of imports, as `line:character code message`. */
  function importing(text: string): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'cri-option-imports-'));
    try {
      mkdirSync(join(dir, 'include', 'dep'), { recursive: true });
      writeFileSync(join(dir, 'include', 'dep', 'dep.proto'), DEP);
      writeFileSync(join(dir, 'include', 'dep', 'more.proto'), MORE);
      const resolver = new FsImportResolver({ roots: [join(dir, 'include')] });
      return bind(parse(text), pathToFileURL(join(dir, 'a.proto')).href, resolver).problems.map((p) => `${p.range.start.line + 1}:${p.range.start.character + 1} ${p.code} ${p.message}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  test('keys, paths and values into an imported message, an imported enum\'s names, and an imported extension are checked as a local one\'s', () => {
    const text = lines(
      HEAD,
      'message A { option (opt) = { msg { n: "x" zz: 1 } color: GREEN }; }',
      'message B { option (ext).inner.n = 1; option (ext).nope = 1; option (ext).n.x = 1; }',
      'message C { option (dep.dopt) = { inner { color: PURPLE } list: [{ q: 1 }] m { key: "a" value { n: "y" } } }; }',
      'message D { option (dep.dopt) = { a: "1" b: "2" }; }',
      'message E { option (dep.dopt).n = 1; option (dep.dopt).n = 2; option (dep.dint) = "s"; }',
      'message F { option (dep.dopt) = { [dep.dep_ext]: "x" grp { y: 1 } }; }',
      'message G { option (ext).(dep.dep_ext) = 1; option (ext).color = GREEN; option (ext).(dep.dint) = 1; }',
      'message H { optional int32 f = 1 [(dep.more) = { k: "x" kind: KIND_NONE }]; optional int32 g = 2 [(dep.more).k = 1, (dep.more).k = 2]; }',
    );
    assert.deepEqual(importing(text), [
      '7:39 invalid-option-value "dep.Ext.n" takes an int32, not "x"',
      '7:43 unknown-option message type "dep.Ext" has no field named "zz"',
      '7:58 invalid-option-value enum "dep.Color" has no value named GREEN',
      '8:51 unknown-option message type "dep.Ext" has no field named "nope"',
      '8:77 unknown-option "(ext).n" is a scalar (int32), not a singular message: "x" cannot follow it',
      '9:50 invalid-option-value enum "dep.Color" has no value named PURPLE',
      '9:68 unknown-option message type "dep.Ext" has no field named "q"',
      '9:100 invalid-option-value "dep.Ext.n" takes an int32, not "y"',
      '10:42 duplicate-option "dep.Ext.b" cannot be set: "dep.Ext.a" of the same oneof "dep.Ext.choice" is set already',
      '11:45 duplicate-option "dep.Ext.n" is set twice: it is not repeated',
      '11:83 invalid-option-value "dep.dint" takes an int32, not "s"',
      '12:50 invalid-option-value "dep.dep_ext" takes an int32, not "x"',
      '12:60 unknown-option message type "dep.Ext.Grp" has no field named "y"',
      '13:66 invalid-option-value enum "dep.Color" has no value named GREEN',
      '13:85 unknown-option "dep.dint" is an extension of "google.protobuf.MessageOptions", not of "dep.Ext"',
      '14:53 invalid-option-value "dep.More.k" takes an int32, not "x"',
      '14:63 invalid-option-value enum "dep.More.Kind" has no value named KIND_NONE',
      '14:117 duplicate-option "dep.More.k" is set twice: it is not repeated',
    ]);
  });

  test('what buf builds is error-free: every kind of field of an imported message, an imported extension of it, a path through it', () => {
    assert.deepEqual(importing(lines(
      HEAD,
      'message Z { option (dep.dopt) = { n: 1 color: BLUE inner { inner { n: 2 } } list: [{ a: "x" }, { b: "y" }] m { key: "k" value { grp { x: 1 } } } [dep.dep_ext]: 3 }; }',
      'message Y { option (ext).inner.inner.n = 1; option (ext).(dep.dep_ext) = 2; option (opt).msg.color = RED; optional int32 f = 1 [(dep.more).kind = KIND_UNSPECIFIED]; }',
      'message X { option (opt) = { msg { n: 1 } color: 0 }; option (dep.dint) = -5; }',
    )), []);
  });

  test('an option that a public import of an import may declare is not unknown while that file is not found', () => {
    // buf refuses the import that is not found; the options it may declare are not guessed at.
    const dep = lines('syntax = "proto3";', 'package dep;', 'import public "dep/missing.proto";', 'message Known { int32 n = 1; }');
    const resolver: ImportResolver = { resolve: (path) => (path === 'dep/dep.proto' ? { uri: 'file:///dep/dep.proto', text: dep } : { tried: ['/include'] }) };
    const text = lines('syntax = "proto3";', 'package val;', 'import "dep/dep.proto";', 'message A { option (dep.missing_opt) = { n: 1 }; option (dep.other).k = 2; }');
    assert.deepEqual(problems(bindText(text, resolver)), []);
  });

  test('only a file that sets a custom option has its imports\' trees kept: the newest api.proto sets none', NEEDS_CORPUS, () => {
    assert.equal(parse(newestCorpusText()).setsCustomOptions, undefined);
    const gogo = replaceOnce(newestCorpusText(), 'package runtime.v1;\n', 'package runtime.v1;\noption (gogoproto.sizer_all) = true;\n');
    assert.equal(parse(gogo).setsCustomOptions, true);
  });

  test('every released api.proto, with a gogo.proto that declares its options, has no error', NEEDS_CORPUS, () => {
    // The options the released files set, all bools (as buf-agreement's stub declares them); buf builds each file so.
    const corpus = new Corpus(findCorpusDir(findRepoRoot(__dirname))!);
    const texts = corpus.blobs().map((b) => corpus.text(b));
    assert.ok(texts.length >= 63);
    const options = (pattern: RegExp): string[] => [...new Set(texts.flatMap((t) => [...t.matchAll(pattern)].map((m) => m[1]!)))];
    const declare = (extendee: string, names: string[], from: number): string => `extend google.protobuf.${extendee} {\n${names.map((n, k) => `  optional bool ${n} = ${from + k};\n`).join('')}}\n`;
    const gogo = `syntax = "proto2";\npackage gogoproto;\nimport "google/protobuf/descriptor.proto";\n${declare('FileOptions', options(/^\s*option\s+\(gogoproto\.(\w+)\)/gm), 63001)}${declare('FieldOptions', options(/[[,]\s*\(gogoproto\.(\w+)\)/g), 65001)}`;
    const resolver: ImportResolver = { resolve: (path) => (path.endsWith('gogo.proto') ? { uri: 'file:///gogo.proto', text: gogo } : { tried: [] }) };
    assert.ok(texts.some((t) => t.includes('(gogoproto.')));
    for (const [k, text] of texts.entries()) assert.deepEqual(problems(bindText(text, resolver)), [], `blob ${k}`);
  });
});

// buf 1.75 on an Any written as its type URL and message (`[type.googleapis.com/p.Opt] { … }`): "cannot find `p.Nope` in
// this scope", "expected message type, found enum type", "partly-qualified name in `Any` type URL" (each on the name),
// "unsupported domain `example.com` in `Any` type URL" (on the domain; a name that is not full, the value is checked
// against the message it finds), "unexpected field in `Any` expression" (on a
// key beside the type URL; a second type URL with its value), "unexpected `Any` type URL" (in a message that is no Any,
// with its value), and the fields and values of the message against the type named. Checked with buf, key for key.
describe('binder: an Any\'s type URL in a custom option', () => {
  const head = lines(
    'syntax = "proto2";',
    'package p;',
    'import "google/protobuf/descriptor.proto";',
    'import "google/protobuf/any.proto";',
    'enum Kind { K0 = 0; }',
    'message Opt { optional int32 a = 1; optional google.protobuf.Any any = 2; message In {} optional Opt n = 3; extensions 100 to 200; }',
    'extend Opt { optional int32 x = 100; }',
    'extend google.protobuf.MessageOptions { optional google.protobuf.Any any = 50000; optional Opt o = 50001; }',
  );
  /** Each option with what buf marks in ⟨ ⟩, and our problem there. */
  const refused: [option: string, code: string, message: string][] = [
    ['(any) = {[type.googleapis.com/⟨p.Nope⟩] {}}', 'unknown-option', 'unknown type "p.Nope" in a type URL: no message of that full name is declared in this file or its imports'],
    ['(any) = {[type.googleapis.com/⟨p.Kind⟩] {}}', 'invalid-option-value', '"p.Kind" is an enum: a type URL names a message'],
    ['(any) = {[⟨example.com⟩/p.Opt] {}}', 'invalid-option-value', 'unsupported domain "example.com" in a type URL: buf takes type.googleapis.com and type.googleprod.com'],
    ['(any) = {[type.googleapis.com/⟨Opt.In⟩] {}}', 'invalid-option-value', '"Opt.In" is not a full name: a type URL names its message by its full name, "p.Opt.In"'],
    ['(any) = {[type.googleapis.com/⟨p.Opt.a⟩] {}}', 'unknown-option', 'unknown type "p.Opt.a" in a type URL: no message of that full name is declared in this file or its imports'],
    ['(any) = {[type.googleapis.com/⟨google.protobuf.Duration⟩] {}}', 'unknown-option', 'unknown type "google.protobuf.Duration" in a type URL: no message of that full name is declared in this file or its imports'],
    ['(any) = {[type.googleapis.com/p.Opt] { ⟨zz: 1⟩ }}', 'unknown-option', 'message type "p.Opt" has no field named "zz"'],
    ['(any) = {[type.googleapis.com/p.Opt] { a: ⟨"x"⟩ }}', 'invalid-option-value', '"p.Opt.a" takes an int32, not "x"'],
    ['(any) = {[type.googleapis.com/p.Opt]: ⟨1⟩}', 'invalid-option-value', '"type.googleapis.com/p.Opt" takes a message (p.Opt), not 1'],
    ['(any) = {[type.googleapis.com/p.Opt] {} ⟨[type.googleapis.com/p.Opt] {}⟩}', 'invalid-option-value', 'a google.protobuf.Any holds one message: a second type URL cannot follow the first'],
    ['(any) = {⟨type_url⟩: "x" [type.googleapis.com/p.Opt] {}}', 'invalid-option-value', 'a google.protobuf.Any written as a type URL and its message takes no "type_url" beside them'],
    ['(o) = {any {[type.googleapis.com/p.Opt] {any {[⟨example.com⟩/p.Opt] {}}}}}', 'invalid-option-value', 'unsupported domain "example.com" in a type URL: buf takes type.googleapis.com and type.googleprod.com'],
    ['(o) = {n {⟨[type.googleapis.com/p.Opt] {}⟩}}', 'invalid-option-value', 'a type URL names the message of a google.protobuf.Any, and "p.Opt" is none'],
  ];

  test('an unknown type, an enum, a name that is not full, another domain, and what the message does not have are errors where buf reports them', () => {
    const text = lines(head, ...refused.map(([o], k) => `message M${k} { option ${o.replace(/[⟨⟩]/g, '')}; }`));
    assert.deepEqual(problems(bindText(text)), refused.map(([o, code, message], k) => {
      const start = `message M${k} { option `.length + o.indexOf('⟨');
      return [code, message, R(8 + k, start, 8 + k, start + o.indexOf('⟩') - o.indexOf('⟨') - 1), 'error'];
    }));
  });

  test('what buf builds: Google\'s other domain, spaces in the URL, a nested type, the Any\'s own fields, an extension of the type; and an import not found may declare the type', () => {
    const taken = [
      '(any) = {[type.googleprod.com/p.Opt] { a: 1 [p.x]: 2 }}', '(any) = {[ type.googleapis.com / p.Opt ] {}}', '(any) = {[type.googleapis.com/p.Opt.In] {}}',
      '(any) = {[type.googleapis.com/p.Opt]: < n { a: 1 } >}', '(any) = {type_url: "x" value: "y"}', '(any) = {[type.googleapis.com/google.protobuf.Any] {}}',
    ];
    assert.deepEqual(problems(bindText(lines(head, ...taken.map((o, k) => `message M${k} { option ${o}; }`)))), []);
    const missing = lines(head, 'import "missing.proto";', 'message M { option (any) = {[type.googleapis.com/dep.Msg] {}}; }');
    assert.deepEqual(bindText(missing).problems.map((p) => p.code), ['unresolved-import']);
  });

  test('on a released api.proto: its messages by full name, as buf takes them', NEEDS_CORPUS, () => {
    const GO_PACKAGE = 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1";\n';
    const declared = replaceOnce(corpusText('v0.36.3'), GO_PACKAGE, GO_PACKAGE + lines(
      'import "google/protobuf/any.proto";',
      'import "google/protobuf/descriptor.proto";',
      'extend google.protobuf.MessageOptions { google.protobuf.Any example = 50000; }\n',
    ));
    const MESSAGE = 'message VersionRequest {\n';
    const withOption = (option: string): string => replaceOnce(declared, MESSAGE, `${MESSAGE}    ${option}\n`);
    const spots = (option: string): [string, string, Range][] => bindText(withOption(option)).problems.map((p) => [p.code, p.message, p.range]);
    assert.deepEqual(spots('option (example) = { [type.googleapis.com/runtime.v1.VersionRequest] { version: "0.1.0" } };'), []);
    const option = 'option (example) = { [type.googleapis.com/VersionRequest] { version: 1 } };';
    assert.deepEqual(spots(option), [
      ['invalid-option-value', '"VersionRequest" is not a full name: a type URL names its message by its full name, "runtime.v1.VersionRequest"', within(withOption(option), `/VersionRequest]`, 'VersionRequest')],
      ['invalid-option-value', '"runtime.v1.VersionRequest.version" takes a string, not 1', within(withOption(option), 'version: 1', '1')],
    ]);
    const wrong = 'option (example) = { [type.googleapis.com/runtime.v1.VersionRequest] { version: 1 } };';
    assert.deepEqual(spots(wrong), [['invalid-option-value', '"runtime.v1.VersionRequest.version" takes a string, not 1', within(withOption(wrong), 'version: 1', '1')]]);
  });
});

// buf 1.75: "message field `p.Opt.a` set multiple times" (message extension, oneof), on an aggregate's key, or on an
// option's name up to the part that sets the field again. buf merges the options of one element into one message:
// a path may go into a message that an aggregate or another path set, a repeated field takes more values, and an
// aggregate may write a message field twice (the first is kept). Checked with buf, line and column for each.
describe('binder: a custom option that sets a field twice', () => {
  const head = lines(
    'syntax = "proto2";',
    'package p;',
    'import "google/protobuf/descriptor.proto";',
    'import "google/protobuf/duration.proto";',
    'message Inner { optional int32 x = 1; optional int32 y = 2; optional Inner n = 3; extensions 100 to 200; }',
    'extend Inner { optional int32 e = 100; }',
    'message Opt {',
    '  optional int32 a = 1; optional int32 b = 2; repeated int32 r = 3; optional Inner in = 4; repeated Inner rin = 5;',
    '  oneof k { int32 k1 = 6; Inner km = 7; } map<string, int32> m = 9;',
    '}',
    'extend google.protobuf.MessageOptions { optional Opt o = 50000; optional int32 i = 50001; repeated int32 ri = 50002; optional google.protobuf.Duration dur = 50003; }',
    'extend google.protobuf.FieldOptions { optional Opt fo = 50000; }',
  );

  test('a field that is not repeated, set again in an aggregate or by another option, is duplicate-option where buf says', () => {
    const text = lines(
      head,
      'message A { option (o) = { a: 1 b: 2 a: 3 }; }',
      'message B { option (o) = { in { x: 1 [p.e]: 2 x: 3 [p.e]: 4 } }; }',
      'message C { option (o) = { k1: 1 km { } }; }',
      'message D { option (o) = { m { key: "a" key: "b" } }; }',
      'message E { option (dur) = { seconds: 1 seconds: 2 }; }',
      'message F { option (o) = { a: 1 }; option (o).a = 2; }',
      'message G { option (i) = 1; option (p.i) = 2; }',
      'message H { option (o).a = 1; option (o).a = 3; }',
      'message I { option (o).a = 1; option (o) = { b: 2 }; }',
      'message J { option (o).in.y = 2; option (o).in = { x: 1 }; }',
      'message K { option (o).in = { x: 1 }; option (o).in.x = 2; }',
      'message L { option (o).k1 = 1; option (o).km.x = 2; }',
      'message M { optional int32 f = 1 [(fo).a = 1, (fo).a = 2]; }',
    );
    const at = (message: string, context: string, needle: string) => ['duplicate-option', message, within(text, context, needle), 'error'];
    const twice = (name: string, context: string, needle: string) => at(`"${name}" is set twice: it is not repeated`, context, needle);
    const afterPath = (name: string, context: string, needle: string) =>
      at(`"${name}" is set twice: it is not repeated (a path set its fields before it; set it whole first, then the path)`, context, needle);
    const oneof = (name: string, other: string, context: string, needle: string) =>
      at(`"${name}" cannot be set: "${other}" of the same oneof "p.Opt.k" is set already`, context, needle);
    assert.deepEqual(problems(bindText(text)), [
      twice('p.Opt.a', 'a: 3', 'a'),
      twice('p.Inner.x', 'x: 3', 'x'),
      twice('p.e', '[p.e]: 4', '[p.e]'),
      oneof('p.Opt.km', 'p.Opt.k1', 'km { }', 'km'),
      twice('p.Opt.MEntry.key', 'key: "b"', 'key'),
      twice('google.protobuf.Duration.seconds', 'seconds: 2', 'seconds'),
      twice('p.Opt.a', '(o).a = 2', '(o).a'),
      twice('p.i', '(p.i) = 2', '(p.i)'),
      twice('p.Opt.a', '(o).a = 3', '(o).a'),
      afterPath('p.o', '(o) = { b: 2 }', '(o)'),
      afterPath('p.Opt.in', '(o).in = { x: 1 }; }', '(o).in'),
      twice('p.Inner.x', '(o).in.x = 2', '(o).in.x'),
      oneof('p.Opt.km', 'p.Opt.k1', '(o).km.x = 2', '(o).km'),
      twice('p.Opt.a', '(fo).a = 2', '(fo).a'),
    ]);
  });

  test('what buf builds: repeated fields, other fields, a path into a message set before, a message twice in an aggregate', () => {
    const text = lines(
      head,
      'message V1 { option (o) = { r: 1 r: [2, 3] in { x: 1 } in { x: 2 } rin { x: 1 } rin { x: 1 } km { x: 1 } km { y: 1 } m { key: "a" } m { key: "a" } }; }',
      'message V2 { option (o).a = 1; option (o).b = 2; option (o).r = 1; option (o).r = 2; option (ri) = 1; option (ri) = 2; option (i) = 1; }',
      'message V3 { option (o).in = { x: 1 }; option (o).in.y = 2; option (o).in.n.x = 1; option (o).km.x = 1; option (o).km.y = 2; option (i) = 1; }',
      'message V4 { option (o) = { in { x: 1 } in { y: 2 } }; option (o).in.y = 3; option (dur).seconds = 1; option (dur).nanos = 1; }',
      'message V5 { optional int32 f = 1 [(fo).a = 1, (fo).b = 2]; optional int32 g = 2 [(fo).a = 1]; }',
    );
    assert.deepEqual(problems(bindText(text)), []);
  });

  // buf 1.75 on each line: "mismatched types" on a list for a field that is not repeated (and on each value of it not
  // of the field's type), and "set multiple times" only on `a: 2` of N2 and `b: 4` of N3 and on the second `x` of N7.
  test('a list for a field that is not repeated sets it where one of its values is of its type; a message field written again is never set twice', () => {
    const text = lines(
      head,
      'message N1 { option (o) = { a: [] a: 2 }; }',
      'message N2 { option (o) = { a: [1, "x"] a: 2 }; }',
      'message N3 { option (o) = { a: ["x"] a: 2 b: ["y", 3] b: 4 }; }',
      'message N4 { option (o) = { in { x: 1 } in: [] in: [{ x: 2 }] in: 1 }; }',
      'message N5 { option (o) = { k1: [] km { } }; }',
      'message N6 { option (o) = { km: [] k1: 1 }; }',
      'message N7 { option (o) = { in: [] in { x: 1 x: 2 } }; }',
    );
    const twice = (name: string, context: string, needle: string) => ['duplicate-option', `"${name}" is set twice: it is not repeated`, within(text, context, needle), 'error'];
    assert.deepEqual(problems(bindText(text)).filter((p) => p[0] === 'duplicate-option'), [
      twice('p.Opt.a', '"x"] a: 2', 'a'),
      twice('p.Opt.b', 'b: 4', 'b'),
      twice('p.Inner.x', 'x: 2 } }', 'x'),
    ]);
  });

  // buf 1.75 says nothing of `(o).a = 2` after `(o) = [{ a: 1 }]`, where after `(o) = { a: 1 }` it says "set multiple
  // times"; nor of anything after it in the file (Z's "mismatched types", Y's lazy): its check of options stops there.
  // A field that a list's message set is set twice by a path as by anything else, and the rest of the file is checked.
  test('a path into a message that a list set sets its field twice, and what follows is checked, where buf stops checking', () => {
    const text = lines(
      head,
      'message L1 { option (o) = [{ a: 1 }]; option (o).a = 2; }',
      'message Z { option (i) = "s"; }',
      'message Y { optional int32 f = 1 [lazy = true]; }',
    );
    assert.deepEqual(problems(bindText(text)).map((p) => [p[0], p[2]]), [
      ['syntax', within(text, '[{ a: 1 }]')],
      ['option-target', within(text, 'int32 f', 'int32')],
      ['invalid-option-value', within(text, '[{ a: 1 }]')],
      ['duplicate-option', within(text, '(o).a = 2', '(o).a')],
      ['invalid-option-value', within(text, '"s"')],
    ]);
  });

  test('on a released api.proto with options of its own', NEEDS_CORPUS, () => {
    const GO_PACKAGE = 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1";\n';
    const declared = replaceOnce(corpusText('v0.36.3'), GO_PACKAGE, GO_PACKAGE + lines(
      'import "google/protobuf/descriptor.proto";',
      'message Limits { int32 max = 1; Protocol protocol = 2; repeated Limits list = 3; Limits inner = 4; }',
      'extend google.protobuf.MessageOptions { Limits limits = 50000; }\n',
    ));
    const MESSAGE = 'message VersionRequest {\n';
    const withOptions = (options: string): string => replaceOnce(declared, MESSAGE, `${MESSAGE}    ${options}\n`);
    const spots = (options: string): [string, string, Range][] => bindText(withOptions(options)).problems.map((p) => [p.code, p.message, p.range]);
    const refused = (options: string, message: string, context: string, needle: string): void => {
      assert.deepEqual(spots(options), [['duplicate-option', message, within(withOptions(options), context, needle)]], options);
    };
    refused('option (limits) = { max: 1 protocol: TCP max: 2 };', '"runtime.v1.Limits.max" is set twice: it is not repeated', 'max: 2', 'max');
    refused('option (limits).inner = { max: 1 }; option (limits).inner.max = 2;', '"runtime.v1.Limits.max" is set twice: it is not repeated', '(limits).inner.max = 2', '(limits).inner.max');
    assert.deepEqual(spots('option (limits) = { max: 1 list { max: 1 } }; option (limits).protocol = SCTP; option (limits).list = { max: 2 }; option (limits).inner.max = 3;'), []);
  });
});

// buf 1.75: "expected `google.protobuf.MessageOptions` extension, found message extension in
// `google.protobuf.FileOptions`", over the option's name with its parentheses; protoc does not find the name among the
// element's own options ("Option "(file_flag)" unknown").
test('a custom option that extends the options of another kind of element is unknown-option where it is set', NEEDS_CORPUS, () => {
  const GO_PACKAGE = 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1";\n';
  const declared = replaceOnce(corpusText('v0.36.3'), GO_PACKAGE, GO_PACKAGE + lines(
    'import "google/protobuf/descriptor.proto";',
    'option (file_flag) = true;',
    'option (message_flag) = true;',
    'extend google.protobuf.FileOptions { bool file_flag = 50000; }',
    'extend google.protobuf.MessageOptions { bool message_flag = 50000; }',
    'extend google.protobuf.FieldOptions { bool field_flag = 50000; }\n',
  ));
  const MESSAGE = 'message VersionRequest {\n';
  const withMessage = replaceOnce(declared, MESSAGE, `${MESSAGE}    option (file_flag) = true;\n    option (message_flag) = true;\n`);
  const text = replaceOnce(withMessage, 'string runtime_name = 2;', 'string runtime_name = 2 [(field_flag) = true, (runtime.v1.message_flag) = true];');
  const wrong = (name: string, of: string, not: string, context: string, needle = context) =>
    ['unknown-option', `"runtime.v1.${name}" is an extension of "google.protobuf.${of}", not of "google.protobuf.${not}"`, within(text, context, needle), 'error'];
  assert.deepEqual(problems(bindText(text)), [
    wrong('message_flag', 'MessageOptions', 'FileOptions', 'option (message_flag) = true;\nextend', '(message_flag)'),
    wrong('file_flag', 'FileOptions', 'MessageOptions', '    option (file_flag) = true;\n    option (message_flag)', '(file_flag)'),
    wrong('message_flag', 'MessageOptions', 'FieldOptions', '(runtime.v1.message_flag)'),
  ]);
});

// protoc: "Option field "(opt).nope" is not a field or extension of message "Opt"", "Option "(opt).count.x" is an
// atomic type, not a message"; buf: "cannot find message field `nope` in `my.Opt`" at the `.` before the name, and
// "expected singular message, found scalar type `int32`" (enum type, repeated) at the name that follows. Checked with
// buf 1.75, line and column for each.
describe('binder: the path of a custom option into its value', () => {
  const text = lines(
    'syntax = "proto2";',
    'package my;',
    'import "google/protobuf/descriptor.proto";',
    'import "google/protobuf/duration.proto";',
    'enum Kind { K0 = 0; }',
    'message Opt {',
    '  optional Kind kind = 1;',
    '  optional group Grp = 2 { optional int32 x = 1; }',
    '  optional google.protobuf.Duration d = 3;',
    '  optional int32 count = 4;',
    '  optional Opt inner = 5;',
    '  repeated Opt rep = 6;',
    '  map<string, Opt> m = 7;',
    '}',
    'extend google.protobuf.MessageOptions {',
    '  optional Opt opt = 50000;',
    '  optional google.protobuf.Duration dur = 50001;',
    '  optional Kind k = 50002;',
    '}',
    'message A { option (my.opt).nope = 1; }',
    'message B { option (my.opt) . inner .  nope = 1; }',
    'message C { option (opt).count.x = 1; }',
    'message D { option (opt).kind.x = 1; }',
    'message E { option (k).x = 1; }',
    'message F { option (opt).rep.count = 1; }',
    'message G { option (opt).m.key = "a"; }',
    'message H { option (opt).Grp.x = 1; option (opt).grp.y = 1; }',
    'message I { option (dur).nope = 1; option (opt).d.seconds.x = 1; }',
    'message J { optional int32 f = 1 [(opt).inner.inner.nope = 1]; }',
  );

  test('a part that is no field of its message, or that follows one that is no singular message, is unknown-option where buf says', () => {
    const at = (message: string, context: string, needle: string) => ['unknown-option', message, within(text, context, needle), 'error'];
    const noField = (type: string, context: string, needle: string, key: string) => at(`message type "${type}" has no field named "${key}"`, context, needle);
    const cannotFollow = (written: string, what: string, context: string, key: string, hint = '') =>
      at(`"${written}" is ${what}, not a singular message: "${key}" cannot follow it${hint}`, context, key);
    assert.deepEqual(problems(bindText(text)), [
      noField('my.Opt', '(my.opt).nope', '.nope', 'nope'),
      noField('my.Opt', '. inner .  nope', '.  nope', 'nope'),
      cannotFollow('(opt).count', 'a scalar (int32)', '(opt).count.x', 'x'),
      cannotFollow('(opt).kind', 'an enum (my.Kind)', '(opt).kind.x', 'x'),
      cannotFollow('(k)', 'an enum (my.Kind)', '(k).x', 'x'),
      cannotFollow('(opt).rep', 'repeated', '(opt).rep.count', 'count', ' (set its messages with an aggregate value: (opt).rep = { count: … })'),
      cannotFollow('(opt).m', 'repeated', '(opt).m.key', 'key', ' (set its messages with an aggregate value: (opt).m = { key: … })'),
      noField('my.Opt', '(opt).Grp.x', '.Grp', 'Grp'),
      noField('my.Opt.Grp', '(opt).grp.y', '.y', 'y'),
      noField('google.protobuf.Duration', '(dur).nope', '.nope', 'nope'),
      cannotFollow('(opt).d.seconds', 'a scalar (int64)', '(opt).d.seconds.x', 'x'),
      // A field's option that extends MessageOptions: buf says so, before anything of its path.
      at('"my.opt" is an extension of "google.protobuf.MessageOptions", not of "google.protobuf.FieldOptions"', '[(opt).inner.inner.nope', '(opt)'),
    ]);
  });

  test('a path through singular messages, groups and well-known types is error-free, as buf builds it', () => {
    const valid = lines(
      text.slice(0, text.indexOf('message A {')),
      'message Z { option (opt).inner.inner.count = 1; option (opt).grp.x = 2; option (opt).d.seconds = 1; option (dur).nanos = 1;',
      '  option (opt).rep = { count: 1 }; option (opt).kind = K0; option (.my.opt).inner.d = { seconds: 1 }; }',
    );
    assert.deepEqual(problems(bindText(valid)), []);
  });

  test('on a released api.proto with an option of its own', NEEDS_CORPUS, () => {
    const GO_PACKAGE = 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1";\n';
    const declared = replaceOnce(corpusText('v0.36.3'), GO_PACKAGE, GO_PACKAGE + lines(
      'import "google/protobuf/descriptor.proto";',
      'message Limits { int64 max = 1; Limits inner = 2; }',
      'extend google.protobuf.FieldOptions { Limits limits = 50000; }\n',
    ));
    const FIELD = 'message VersionRequest {\n    // Version of the kubelet runtime API.\n    string version = 1;';
    const withOption = (option: string): string => replaceOnce(declared, FIELD, FIELD.replace(';', ` [${option}];`));
    const spots = (option: string): [string, string, Range][] => bindText(withOption(option)).problems.map((p) => [p.code, p.message, p.range]);
    assert.deepEqual(spots('(limits).inner.maximum = 1'), [['unknown-option', 'message type "runtime.v1.Limits" has no field named "maximum"', within(withOption('(limits).inner.maximum = 1'), '.maximum')]]);
    assert.deepEqual(spots('(limits).max.value = 1'), [['unknown-option', '"(limits).max" is a scalar (int64), not a singular message: "value" cannot follow it', within(withOption('(limits).max.value = 1'), 'value = 1', 'value')]]);
    assert.deepEqual(spots('(limits).inner.max = 1, (runtime.v1.limits).max = 2'), []);
  });
});

// buf 1.75: "cannot find `nope` in this scope" at the name in the parentheses, "expected `my.Opt` extension, found
// message extension in `my.Inner`" from the `.` before the parentheses to their end, "expected singular message" at
// the part in parentheses, or at the part after it. Checked with buf, line and column for each.
describe('binder: an extension in the path of a custom option, `(my.opt).(my.ext).s`', () => {
  const text = lines(
    'syntax = "proto2";',
    'package my;',
    'import "google/protobuf/descriptor.proto";',
    'message Opt { optional int32 count = 1; optional Inner inner = 2; extensions 100 to 200; }',
    'message Inner { optional string s = 1; extensions 100 to 200; }',
    'extend Opt { optional Inner ext = 100; optional int32 iext = 101; repeated Inner rext = 102; }',
    'extend Inner { optional int32 in_ext = 100; }',
    'message Holder { extend Opt { optional Inner held = 110; } }',
    'extend google.protobuf.MessageOptions { optional Opt opt = 50000; }',
    'message B { option (opt).(nope).s = "x"; }',
    'message C { option (opt).(in_ext) = 1; }',
    'message D { option (opt).(ext).nope = 1; }',
    'message F { option (opt).count.(ext) = 1; }',
    'message H { option (opt).(held).s = "y"; }',
    'message I { option (opt).(iext).x = 1; }',
    'message J { option (opt).(rext).s = "x"; }',
    'message L { option (opt).(iext) = "x"; }',
    'message M { option (opt).(.my.ext) = { s: 1 }; }',
    'message O { option (opt).(Opt) = 1; }',
  );

  test('one that is not found, or extends another message, and a path that cannot go on, are refused where buf says', () => {
    const at = (code: string, message: string, context: string, needle: string) => [code, message, within(text, context, needle), 'error'];
    const unknown = (name: string, context: string) => at('unknown-option', `"(${name})" is unknown: no extension of that name is declared in this file or its imports`, context, name);
    const cannotFollow = (written: string, what: string, context: string, key: string, hint = '') =>
      at('unknown-option', `"${written}" is ${what}, not a singular message: "${key}" cannot follow it${hint}`, context, key);
    assert.deepEqual(problems(bindText(text)), [
      unknown('nope', '(opt).(nope)'),
      at('unknown-option', '"my.in_ext" is an extension of "my.Inner", not of "my.Opt"', '(opt).(in_ext)', '.(in_ext)'),
      at('unknown-option', 'message type "my.Inner" has no field named "nope"', '(opt).(ext).nope', '.nope'),
      cannotFollow('(opt).count', 'a scalar (int32)', '(opt).count.(ext)', '(ext)'),
      unknown('held', '(opt).(held)'),
      cannotFollow('(opt).(iext)', 'a scalar (int32)', '.x = 1', 'x'),
      cannotFollow('(opt).(rext)', 'repeated', '(opt).(rext).s', 's', ' (set its messages with an aggregate value: (opt).(rext) = { s: … })'),
      at('invalid-option-value', '"my.iext" takes an int32, not "x"', '(opt).(iext) = "x"', '"x"'),
      at('invalid-option-value', '"my.Inner.s" takes a string, not 1', '{ s: 1 }', '1'),
      unknown('Opt', '(opt).(Opt)'),
    ]);
  });

  test('one of the message before it, from the option\'s scope, qualified or not, with spaces, is followed as buf follows it', () => {
    const valid = lines(
      text.slice(0, text.indexOf('message B {')),
      'message Z { option (opt).(ext).s = "x"; option (opt).(Holder.held).s = "y"; option (opt).( my.ext ).(in_ext) = 2;',
      '  option (opt).inner.(in_ext) = 1; option (opt).(.my.iext) = 3; }',
      'message Z2 { option (opt).(ext) = { s: "z" }; }',
      'message Holder2 { extend Opt { optional Inner held2 = 111; } message N { option (opt).(held2).s = "w"; } }',
    );
    assert.deepEqual(problems(bindText(valid)), []);
  });

  test('on a released api.proto with options of its own', NEEDS_CORPUS, () => {
    const GO_PACKAGE = 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1";\n';
    const declared = replaceOnce(corpusText('v0.36.3'), GO_PACKAGE, GO_PACKAGE + lines(
      'import "google/protobuf/descriptor.proto";',
      'extend google.protobuf.MessageOptions { google.protobuf.FieldOptions field_defaults = 50000; int32 level = 50001; }',
      'extend google.protobuf.FieldOptions { int32 weight = 50002; }\n',
    ));
    const MESSAGE = 'message VersionRequest {\n';
    const withOption = (option: string): string => replaceOnce(declared, MESSAGE, `${MESSAGE}    ${option}\n`);
    const spots = (option: string): [string, string, Range][] => bindText(withOption(option)).problems.map((p) => [p.code, p.message, p.range]);
    const refused = (option: string, code: string, message: string, needle: string): void => {
      assert.deepEqual(spots(option), [[code, message, within(withOption(option), `    ${option}`, needle)]], option);
    };
    refused('option (field_defaults).(level) = 1;', 'unknown-option', '"runtime.v1.level" is an extension of "google.protobuf.MessageOptions", not of "google.protobuf.FieldOptions"', '.(level)');
    refused('option (field_defaults).(wieght) = 1;', 'unknown-option', '"(wieght)" is unknown: no extension of that name is declared in this file or its imports', 'wieght');
    refused('option (field_defaults).(weight) = "heavy";', 'invalid-option-value', '"runtime.v1.weight" takes an int32, not "heavy"', '"heavy"');
    assert.deepEqual(spots('option (field_defaults).(runtime.v1.weight) = 1;'), []);
  });
});

describe('binder: a custom option names an extension', () => {
  const unknown = (text: string, context: string, name: string) =>
    ['unknown-option', `option "(${name})" is unknown: no extension of that name is declared in this file or its imports`, within(text, context, name), 'error'];

  test('one that neither the file nor an import declares is unknown-option on its name, where buf marks it', () => {
    // buf 1.75: 4:9, 6:11 and 7:17 "cannot find `…` in this scope".
    const text = lines(
      'syntax = "proto3";',
      'package p;',
      'import "google/protobuf/descriptor.proto";',
      'option (nope.ext) = 1;',
      'message M {',
      '  option (other) = true;',
      '  int32 x = 1 [(f.g) = 2];',
      '}',
    );
    assert.deepEqual(problems(bindText(text)), [
      unknown(text, 'option (nope.ext)', 'nope.ext'),
      unknown(text, 'option (other)', 'other'),
      unknown(text, '[(f.g)', 'f.g'),
    ]);
  });

  test('one the file declares, in any scope around the option, or an import declares, or one an import not found may, is not', () => {
    const declared = lines(
      'syntax = "proto3";',
      'package p.q;',
      'import "google/protobuf/descriptor.proto";',
      'extend google.protobuf.FileOptions { int32 file_level = 50000; int32 other_level = 50003; }',
      'message Holder { extend google.protobuf.FieldOptions { int32 nested = 50001; } }',
      'option (file_level) = 1;',
      'option (.p.q.other_level) = 2;',
      'message M { int32 x = 1 [(Holder.nested) = 2]; }',
    );
    assert.deepEqual(problems(bindText(declared)), []);
    const imported = lines('syntax = "proto3";', 'package dep;', 'import "google/protobuf/descriptor.proto";', 'extend google.protobuf.MessageOptions { bool marked = 50002; }');
    const user = lines('syntax = "proto3";', 'package p;', 'import "dep.proto";', 'message M { option (dep.marked) = true; }');
    assert.deepEqual(problems(bindText(user, { resolve: () => ({ uri: 'file:///dep.proto', text: imported }) })), []);
    // A released api.proto of the v1alpha2 era imports gogo.proto, which is not there: its options may be declared in it.
    const gogo = lines('syntax = "proto3";', 'package p;', 'import "github.com/gogo/protobuf/gogoproto/gogo.proto";', 'option (gogoproto.goproto_getters_all) = false;');
    assert.deepEqual(problems(bindText(gogo)).map((p) => p[0]), ['unresolved-import']);
  });
});

// An extension range's options are ExtensionRangeOptions: the same checks as any element's, where buf 1.75 makes them
// ("cannot find `nope` in this scope", "mismatched types", "expected `google.protobuf.ExtensionRangeOptions`
// extension, found message extension in `google.protobuf.FieldOptions`", "cannot find message field `deprecated` in
// `google.protobuf.ExtensionRangeOptions`"), line and column of each checked with buf.
test('the options of an extension range are checked as ExtensionRangeOptions, as buf checks them', () => {
  const text = lines(
    'syntax = "proto2";',
    'package t;',
    'import "google/protobuf/descriptor.proto";',
    'extend google.protobuf.ExtensionRangeOptions { optional int32 my_opt = 50000; }',
    'extend google.protobuf.FieldOptions { optional int32 f_opt = 50000; }',
    'message M {',
    '  extensions 100 to 199 [(my_opt) = 1, verification = UNVERIFIED, declaration = { number: 150 full_name: ".t.x" type: "int32" }];',
    '  extensions 200 to 299 [(nope) = 1];',
    '  extensions 300 to 399 [(my_opt) = "x"];',
    '  extensions 400 to 499 [(f_opt) = 1];',
    '  extensions 600 to 699 [verification = FOO];',
    '  extensions 700 to 799 [deprecated = true];',
    '  extensions 800 to 899 [(my_opt) = 1, (my_opt) = 2];',
    '  extensions 900 to 999 [declaration = { numbr: 900 }, features.field_presence = EXPLICIT];',
    '}',
  );
  const at = (code: string, message: string, context: string, needle: string) => [code, message, within(text, context, needle), 'error'];
  assert.deepEqual(problems(bindText(text)), [
    at('features-outside-editions', 'features are set only in an editions file (edition = "2023"), not in proto2', 'features.field_presence', 'features.field_presence'),
    at('invalid-option-value', '"verification" takes DECLARATION, UNVERIFIED, not FOO', 'verification = FOO', 'FOO'),
    at('unknown-option', '"deprecated" is not an option of google.protobuf.ExtensionRangeOptions (descriptor.proto), nor a custom option in parentheses', 'deprecated = true', 'deprecated'),
    at('unknown-option', 'message type "google.protobuf.ExtensionRangeOptions.Declaration" has no field named "numbr"', 'numbr: 900', 'numbr: 900'),
    at('unknown-option', 'option "(nope)" is unknown: no extension of that name is declared in this file or its imports', '(nope)', 'nope'),
    at('invalid-option-value', '"t.my_opt" takes an int32, not "x"', '(my_opt) = "x"', '"x"'),
    at('unknown-option', '"t.f_opt" is an extension of "google.protobuf.FieldOptions", not of "google.protobuf.ExtensionRangeOptions"', '(f_opt)', '(f_opt)'),
    at('duplicate-option', '"t.my_opt" is set twice: it is not repeated', ', (my_opt) = 2', '(my_opt)'),
  ]);
});

test('in an editions file, an extension range\'s features are checked for their edition and name, not their target, as buf checks them', () => {
  const text = lines(
    'edition = "2023";',
    'package t;',
    'message M {',
    '  extensions 100 to 199 [features.field_presence = EXPLICIT];',
    '  extensions 200 to 299 [features.enforce_naming_style = STYLE2024];',
    '  extensions 300 to 399 [features.nope = 1];',
    '}',
  );
  assert.deepEqual(problems(bindText(text)), [
    ['feature-edition', 'features.enforce_naming_style is not supported in edition 2023: edition 2024 introduced it', within(text, 'features.enforce_naming_style'), 'error'],
    ['unknown-option', '"nope" is not a feature of google.protobuf.FeatureSet', within(text, 'features.nope', '.nope'), 'error'],
  ]);
});

// buf 1.75 reads `-true` and `-false` as a negated bool: "mismatched types" over the whole where the field is no bool,
// at the name where it is one (a bool takes no sign), as it marks other signed names (`-K0`, "cannot find `foo`").
test('a custom option set to -true or -false is marked whole where the field is no bool, as buf marks it', () => {
  const text = lines(
    'syntax = "proto2";',
    'package t;',
    'import "google/protobuf/descriptor.proto";',
    'message O { optional int32 i = 1; optional bool b = 2; }',
    'extend google.protobuf.FieldOptions { optional int32 i = 50000; optional string s = 50001; optional bool b = 50002; optional O o = 50003; }',
    'message M {',
    '  optional int32 a1 = 1 [(i) = -true];',
    '  optional int32 a2 = 2 [(s) = -false];',
    '  optional int32 a3 = 3 [(b) = -true];',
    '  optional int32 a4 = 4 [(o) = { i: -false b: -true }];',
    '}',
  );
  assert.deepEqual(problems(bindText(text)).map(([, , range]) => range), [
    within(text, '(i) = -true', '-true'),
    within(text, '(s) = -false', '-false'),
    within(text, '(b) = -true', 'true'),
    within(text, 'i: -false', '-false'),
    within(text, 'b: -true', 'true'),
  ]);
});
