// Edition features on the released v0.36.3 api.proto migrated to `edition = "2023"`: presence and packed encoding
// come from `features.field_presence` and `features.repeated_field_encoding`, resolved file → message → field as
// protoc resolves them, so a migration that keeps proto3's behaviour (the way protobuf's own migration does it)
// changes nothing, and one that does not is reported field by field. Found by differential testing against buf.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkCompatibility } from '../server/src/compat/check';
import type { Baseline } from '../server/src/baseline/types';
import { bind, type BoundFile } from '../server/src/proto/binder';
import type { ApiModel, FieldDef, MessageDef } from '../server/src/proto/model';
import { parse } from '../server/src/proto/parser';
import { applyEdits, computeFixes } from '../server/src/fixes';
import { insertAt } from '../server/src/fixes/text';
import { FsImportResolver } from '../server/src/lsp/importResolver';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertValidProto } from './validProto';
import { NEEDS_CORPUS, corpusText, replaceOnce } from './corpusText';
import { withoutMemberName } from './fixTitles';

const TAG = 'v0.36.3';
const GO_PACKAGE = 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1";\n';

/** v0.36.3 as an editions file, with `fileOptions` (statements) after its go_package option. */
function migrated(fileOptions: string[] = [], edition = '2023', text = corpusText(TAG)): string {
  const editions = replaceOnce(text, 'syntax = "proto3";', `edition = "${edition}";`);
  return replaceOnce(editions, GO_PACKAGE, GO_PACKAGE + fileOptions.map((o) => `${o}\n`).join(''));
}

const released = (): ApiModel => bind(parse(corpusText(TAG)), 'file:///old/api.proto').model;

/** The field `field` of the message named `message` in the model of `text`. */
const fieldOf = (text: string, message: string, field: string): FieldDef => bound(text).model.messages.find((m) => m.name === message)!.fields.find((f) => f.name === field)!;

function bound(text: string): BoundFile {
  return bind(parse(text), 'file:///new/api.proto');
}

/** `RULE Message.field` of every finding of `text` against v0.36.3. */
function findings(text: string): string[] {
  const baseline: Baseline = { tag: TAG, source: 'path', origin: 'test', model: released() };
  const b = bound(text);
  assert.deepEqual(b.problems.map((p) => p.message), []);
  return checkCompatibility(text, b, baseline).findings.map((f) => `${f.rule} ${f.element.replace(/^runtime\.v1\./, '')}`).sort();
}

/** The released fields for which `which` holds, as `RULE Message.field`. */
function fieldsWhere(rule: string, which: (f: FieldDef, m: MessageDef) => boolean): string[] {
  return released().messages.flatMap((m) => m.fields.filter((f) => which(f, m)).map((f) => `${rule} ${m.name}.${f.name}`)).sort();
}

/** Singular scalar and enum fields outside oneofs: the fields whose presence `optional` (or the feature) decides. */
const hasPresenceChoice = (f: FieldDef): boolean => f.label === 'implicit' && !f.oneof && (f.typeKind === 'scalar' || f.typeKind === 'enum');

test('a proto3 → edition 2023 migration with file-level field_presence = IMPLICIT changes nothing', NEEDS_CORPUS, () => {
  assert.deepEqual(findings(migrated(['option features.field_presence = IMPLICIT;'])), []);
  // The same feature set as an aggregate, and in edition 2024 (same defaults for these features; CRI's names need the
  // legacy style there).
  assert.deepEqual(findings(migrated(['option features = { field_presence: IMPLICIT };'])), []);
  assert.deepEqual(findings(migrated(['option features.field_presence = IMPLICIT;', 'option features.enforce_naming_style = STYLE_LEGACY;'], '2024')), []);
});

test('without IMPLICIT, every field whose presence proto3 left implicit gains explicit presence', NEEDS_CORPUS, () => {
  const expected = fieldsWhere('FIELD_PRESENCE_CHANGED', hasPresenceChoice);
  assert.ok(expected.length > 200, 'v0.36.3 has many singular scalar fields');
  assert.deepEqual(findings(migrated()), expected);
  // Explicitly EXPLICIT is the same.
  assert.deepEqual(findings(migrated(['option features.field_presence = EXPLICIT;'])), expected);
});

test('field-level field_presence = IMPLICIT keeps that field as it was', NEEDS_CORPUS, () => {
  const text = migrated().replace(/string version = 1;/g, 'string version = 1 [features.field_presence = IMPLICIT];');
  const expected = fieldsWhere('FIELD_PRESENCE_CHANGED', (f) => hasPresenceChoice(f) && f.name !== 'version');
  assert.deepEqual(findings(text), expected);
  assert.equal(fieldsWhere('FIELD_PRESENCE_CHANGED', hasPresenceChoice).length - expected.length, 2, 'VersionRequest.version and VersionResponse.version');
});

test('a feature set on a message or oneof (or enum_type on a field, a field feature on an enum) is a binding error, as protoc says', NEEDS_CORPUS, () => {
  // protoc: "unsupported option target"; only the file and the feature's own element (a field, an enum) take it.
  const problems = (text: string): string[] => bound(text).problems.map((p) => `${p.code} ${p.message}`);
  const onMessage = (option: string): string => replaceOnce(migrated([IMPLICIT]), 'message VersionResponse {\n', `message VersionResponse {\n    ${option}\n`);
  const onAMessage = (feature: string, own: string): string => `feature-target features.${feature} cannot be set on a message: protoc takes it on the file or ${own}`;
  assert.deepEqual(problems(onMessage('option features.field_presence = EXPLICIT;')), [onAMessage('field_presence', 'a field')]);
  assert.deepEqual(problems(onMessage('option features.utf8_validation = NONE;')), [onAMessage('utf8_validation', 'a field')]);
  assert.deepEqual(problems(onMessage('option features.repeated_field_encoding = EXPANDED;')), [onAMessage('repeated_field_encoding', 'a field')]);
  assert.deepEqual(problems(onMessage('option features.enum_type = CLOSED;')), [onAMessage('enum_type', 'an enum')]);
  assert.deepEqual(problems(onMessage('option features = { utf8_validation: NONE, enum_type: CLOSED };')), [onAMessage('utf8_validation', 'a field'), onAMessage('enum_type', 'an enum')]);
  // In a oneof, on a field, on an enum (here the nested SecurityProfile.ProfileType).
  const oneof = onMessage('oneof choice {\n        option features.utf8_validation = NONE;\n        string chosen = 100;\n    }');
  assert.deepEqual(problems(oneof), ['feature-target features.utf8_validation cannot be set on a oneof: protoc takes it on the file or a field']);
  assert.deepEqual(problems(replaceOnce(migrated([IMPLICIT]), 'string runtime_name = 2;', 'string runtime_name = 2 [features.enum_type = OPEN];')),
    ['feature-target features.enum_type cannot be set on a field: protoc takes it on the file or an enum']);
  assert.deepEqual(problems(replaceOnce(migrated([IMPLICIT]), 'enum ProfileType {\n', 'enum ProfileType {\n        option features.utf8_validation = NONE;\n')),
    ['feature-target features.utf8_validation cannot be set on an enum: protoc takes it on the file or a field']);
  // Where protoc takes them: none.
  assert.deepEqual(problems(replaceOnce(replaceOnce(migrated([IMPLICIT, 'option features.utf8_validation = NONE;', 'option features.enum_type = CLOSED;', 'option features.repeated_field_encoding = EXPANDED;']),
    'string runtime_name = 2;', 'string runtime_name = 2 [features.utf8_validation = VERIFY, features.field_presence = EXPLICIT];'),
  'enum ProfileType {\n', 'enum ProfileType {\n        option features.enum_type = OPEN;\n')).filter((p) => p.startsWith('feature-target')), []);
});

test('an aggregate\'s nested language features (`[pb.java] { utf8_validation: … }`) are not FeatureSet\'s', NEEDS_CORPUS, () => {
  // buf builds all of these: pb.JavaFeatures has a utf8_validation of its own (DEFAULT, VERIFY), which buf does not
  // read as FeatureSet's, in either text form (`[ext] { … }`, `[ext]: { … }`).
  const JAVA = 'import "google/protobuf/java_features.proto";';
  const errors = (text: string): string[] => bound(text).problems.filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.message}`);
  const onPort = (options: string): string => replaceOnce(migrated([JAVA, IMPLICIT]), 'int32 container_port = 2;', `int32 container_port = 2 [${options}];`);
  assert.deepEqual(errors(onPort('features = { [pb.java] { utf8_validation: DEFAULT } }')), []);
  assert.deepEqual(errors(onPort('features = { [pb.java]: { utf8_validation: VERIFY }, field_presence: EXPLICIT }')), []);
  // The field's own setting beside it is still read (buf: "expected `string`, found scalar type `int32`").
  assert.deepEqual(errors(onPort('features = { [pb.java] { utf8_validation: DEFAULT }, utf8_validation: NONE }')),
    ['feature-target only a string field (or a map with strings) can set features.utf8_validation, not an int32 field']);
  const onMask = replaceOnce(migrated([IMPLICIT]), 'uint64 cpu_mask = 1;', 'uint64 cpu_mask = 1 [features.utf8_validation = NONE];');
  assert.deepEqual(errors(onMask), ['feature-target only a string field (or a map with strings) can set features.utf8_validation, not a uint64 field']);
  // The file's NONE stays NONE after a nested VERIFY: every string field is unchecked.
  const file = migrated([JAVA, 'option features = { field_presence: IMPLICIT, utf8_validation: NONE, [pb.java] { utf8_validation: VERIFY } };']);
  const runtimeName = bound(file).model.messages.find((m) => m.name === 'VersionResponse')!.fields.find((f) => f.name === 'runtime_name')!;
  assert.equal(runtimeName.utf8Unchecked, true);
});

test('features set whole after being set in parts is set twice, as buf says; whole before parts is merged', NEEDS_CORPUS, () => {
  const errors = (text: string): string[] => bound(text).problems.filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.message}`);
  const twice = ['duplicate-option the option "features" is set twice: whole here, in parts (features.…) before'];
  // buf: "option `features` set multiple times", on the file, a field, and after a language's part.
  assert.deepEqual(errors(migrated([IMPLICIT, 'option features = { utf8_validation: NONE };'])), twice);
  assert.deepEqual(errors(migrated(['import "google/protobuf/java_features.proto";', 'option features.(pb.java).utf8_validation = VERIFY;', 'option features = { field_presence: IMPLICIT };'])), twice);
  assert.deepEqual(errors(replaceOnce(migrated([IMPLICIT]), 'string runtime_name = 2;', 'string runtime_name = 2 [features.utf8_validation = VERIFY, features = { field_presence: EXPLICIT }];')), twice);
  // Nothing else is said of it, what it sets buf does not read: no feature it lacks, no value, no target, no edition.
  const all = (options: string): string => replaceOnce(migrated([IMPLICIT]), 'message VersionRequest {\n', `message VersionRequest {\n  option features.json_format = ALLOW;\n  option features = { ${options} };\n`);
  assert.deepEqual(errors(all('nope: 1, json_format: JSON_FORMAT_UNKNOWN, enum_type: OPEN, utf8_validation: NOPE, enforce_naming_style: STYLE2024')), twice);
  assert.deepEqual(errors(all('[pb.java] { utf8_validation: DEFAULT }')), twice);
  // buf builds these.
  assert.deepEqual(errors(migrated(['option features = { utf8_validation: NONE };', IMPLICIT])), []);
  assert.deepEqual(errors(replaceOnce(migrated([IMPLICIT]), 'string runtime_name = 2;', 'string runtime_name = 2 [features = { field_presence: EXPLICIT }, features.utf8_validation = VERIFY];')), []);
});

test('a feature set twice on one element is a binding error where buf says "set multiple times", at buf\'s line and column', NEEDS_CORPUS, () => {
  const CPP = 'import "google/protobuf/cpp_features.proto";';
  /** The duplicate-option errors of `options` on VersionResponse.runtime_name, as `column: message`, the column counted from the options' `[`. */
  const onField = (options: string): string[] => {
    const text = replaceOnce(migrated([CPP, IMPLICIT]), 'string runtime_name = 2;', `string runtime_name = 2 [${options}];`);
    return bound(text).problems.filter((p) => p.code === 'duplicate-option')
      .map((p) => `${p.range.start.character - text.split('\n').find((l) => l.includes('runtime_name = 2 ['))!.indexOf('[')}: ${p.message}`);
  };
  const FEATURE = (at: number): string => `${at}: the feature "utf8_validation" is set twice`;
  const STRING_TYPE = (at: number): string => `${at}: the feature "string_type" of pb.CppFeatures is set twice`;
  const SET = (at: number): string => `${at}: the feature set "(pb.cpp)" is set twice: whole here, set before`;
  // buf 1.75, at the same column from the `[`: "message field `google.protobuf.FeatureSet.utf8_validation` set multiple times".
  assert.deepEqual(onField('features.utf8_validation = NONE, features.utf8_validation = VERIFY'), [FEATURE(34)]);
  assert.deepEqual(onField('features = { utf8_validation: NONE, utf8_validation: VERIFY }'), [FEATURE(37)]);
  assert.deepEqual(onField('features = { utf8_validation: NONE }, features.utf8_validation = NONE'), [FEATURE(39)]);
  // `features = { … }` after another setting of features is set twice itself, all buf says of it (options.ts).
  assert.deepEqual(onField('features.field_presence = EXPLICIT, features = { utf8_validation: NONE, utf8_validation: VERIFY }'), [
    '37: the option "features" is set twice: whole here, in parts (features.…) before',
  ]);
  // An _UNKNOWN value is set (buf also says it "must resolve to a known value"), a value buf refuses is not.
  assert.deepEqual(onField('features.utf8_validation = UTF8_VALIDATION_UNKNOWN, features.utf8_validation = NONE'), [FEATURE(53)]);
  assert.deepEqual(onField('features.utf8_validation = FOO, features.utf8_validation = NONE'), []);
  assert.deepEqual(onField('features = { utf8_validation: FOO, utf8_validation: NONE }'), []);
  // A list sets the feature to its first value of the feature's type (buf also says "mismatched types" of the list); an
  // empty list sets nothing. A feature set again is set twice whatever the second value; of an option, buf says only that.
  assert.deepEqual(onField('features = { utf8_validation: [NONE], utf8_validation: VERIFY }'), [FEATURE(39)]);
  assert.deepEqual(onField('features = { utf8_validation: [FOO, NONE] }, features.utf8_validation = NONE'), [FEATURE(46)]);
  assert.deepEqual(onField('features = { utf8_validation: [], utf8_validation: VERIFY }'), []);
  assert.deepEqual(onField('features = { utf8_validation: NONE, utf8_validation: FOO }'), [FEATURE(37)]);
  assert.deepEqual(onField('features.utf8_validation = NONE, features.utf8_validation = FOO'), [FEATURE(34)]);
  const codes = (options: string): string[] => bound(replaceOnce(migrated([CPP, IMPLICIT]), 'string runtime_name = 2;', `string runtime_name = 2 [${options}];`)).problems.map((p) => p.code);
  assert.deepEqual(codes('features.utf8_validation = NONE, features.utf8_validation = FOO'), ['duplicate-option']);
  assert.deepEqual(codes('features = { utf8_validation: NONE, utf8_validation: FOO }'), ['invalid-option-value', 'duplicate-option']);
  // A language's feature: "message field `pb.CppFeatures.string_type` set multiple times".
  assert.deepEqual(onField('features.(pb.cpp).string_type = VIEW, features.(pb.cpp).string_type = CORD'), [STRING_TYPE(39)]);
  assert.deepEqual(onField('features.(pb.cpp) = { string_type: CORD }, features.(pb.cpp).string_type = VIEW'), [STRING_TYPE(44)]);
  assert.deepEqual(onField('features = { [pb.cpp] { string_type: VIEW, string_type: CORD } }'), [STRING_TYPE(44)]);
  // The set whole after anything named it, even a value refused or an empty block: "message extension `pb.cpp` set multiple times".
  assert.deepEqual(onField('features.(pb.cpp).legacy_closed_enum = true, features.(pb.cpp) = { string_type: VIEW }'), [SET(46)]);
  assert.deepEqual(onField('features = { [pb.cpp] { } }, features.(pb.cpp) = { legacy_closed_enum: true }'), [SET(30)]);
  assert.deepEqual(onField('features.(pb.cpp) = { string_type: CORD }, features.(pb.cpp) = { legacy_closed_enum: true }'), [SET(44)]);
  // buf builds these: two blocks of one aggregate merge; different features merge.
  assert.deepEqual(onField('features = { [pb.cpp] { string_type: VIEW } [pb.cpp] { string_type: CORD } }'), []);
  assert.deepEqual(onField('features = { utf8_validation: NONE }, features.(pb.cpp).string_type = VIEW, features.(pb.cpp).legacy_closed_enum = true'), []);
  // Of the second setting, buf says only that it is one: not that edition 2023 lacks the feature, nor that a message
  // does (columns from 0; buf's are 30 and 73, 19 and 50).
  const errors = (text: string): string[] => bound(text).problems.filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.range.start.character}`);
  const field = replaceOnce(migrated([CPP, IMPLICIT]), 'string runtime_name = 2;', 'string runtime_name = 2 [features.enforce_naming_style = STYLE2024, features.enforce_naming_style = STYLE2024];');
  assert.deepEqual(errors(field), ['feature-edition 29', 'duplicate-option 72']);
  const message = replaceOnce(migrated([CPP, IMPLICIT]), 'message VersionRequest {\n', 'message VersionRequest {\n  option features.utf8_validation = NONE; option features.utf8_validation = NONE;\n');
  assert.deepEqual(errors(message), ['feature-target 18', 'duplicate-option 49']);
  // On the file (buf: column 8, from 1).
  const file = bound(migrated([IMPLICIT, 'option features.field_presence = EXPLICIT;'])).problems.filter((p) => p.code === 'duplicate-option');
  assert.deepEqual(file.map((p) => [p.message, p.range.start.character]), [['the feature "field_presence" is set twice', 7]]);
});

// buf refuses FeatureSet's _UNKNOWN value ("must resolve to a known value") only where the feature ends with it: the
// value a key sets first (buf keeps the first; of a key that sets it again, buf says only that, unless its value is of
// no type the feature takes), and of a list, over the whole list, its first value of the feature's type, which buf
// keeps. Each problem is where buf 1.75 reports it (its column less one), on a line of its own in VersionRequest.
test('a feature\'s _UNKNOWN value is refused where the feature is set to it, not where an aggregate sets it again', NEEDS_CORPUS, () => {
  const spots = (value: string): string[] => {
    const text = replaceOnce(migrated([IMPLICIT]), 'message VersionRequest {\n', `message VersionRequest {\n  option features = ${value};\n`);
    return bound(text).problems.map((p) => `${p.code} ${p.range.start.character}-${p.range.end.character}`).sort();
  };
  assert.deepEqual(spots('{ json_format: JSON_FORMAT_UNKNOWN json_format: JSON_FORMAT_UNKNOWN }'), ['duplicate-option 55-66', 'invalid-option-value 35-54']);
  assert.deepEqual(spots('{ json_format: ALLOW json_format: JSON_FORMAT_UNKNOWN }'), ['duplicate-option 41-52']);
  assert.deepEqual(spots('{ json_format: ALLOW json_format: 0 }'), ['duplicate-option 41-52']);
  assert.deepEqual(spots('{ json_format: ALLOW json_format: [JSON_FORMAT_UNKNOWN] }'), ['duplicate-option 41-52', 'invalid-option-value 54-75']);
  // A value of no type the feature takes is said wherever it is, and sets nothing.
  assert.deepEqual(spots('{ json_format: ALLOW json_format: NOPE }'), ['duplicate-option 41-52', 'invalid-option-value 54-58']);
  assert.deepEqual(spots('{ json_format: NOPE json_format: JSON_FORMAT_UNKNOWN }'), ['invalid-option-value 35-39', 'invalid-option-value 53-72']);
  // A list: that it is one, and its first value of the type where that is the _UNKNOWN one, once.
  assert.deepEqual(spots('{ json_format: [JSON_FORMAT_UNKNOWN, ALLOW] }'), ['invalid-option-value 35-63', 'invalid-option-value 35-63']);
  assert.deepEqual(spots('{ json_format: [ALLOW, JSON_FORMAT_UNKNOWN] }'), ['invalid-option-value 35-63']);
  assert.deepEqual(spots('{ json_format: [0, 0] }'), ['invalid-option-value 35-41', 'invalid-option-value 35-41']);
  // The model reads what buf keeps: the list's first value of the feature's type, the _UNKNOWN one too (no presence).
  const label = (value: string): string => fieldOf(replaceOnce(migrated([IMPLICIT]), 'string runtime_name = 2;', `string runtime_name = 2 [features = { field_presence: ${value} }];`), 'VersionResponse', 'runtime_name').label;
  assert.equal(label('[NOPE, EXPLICIT, IMPLICIT]'), 'optional');
  assert.equal(label('[FIELD_PRESENCE_UNKNOWN, EXPLICIT]'), 'implicit');
});

// buf reads a list written as a feature's value (`option features.json_format = [ALLOW];`), which it refuses ("unexpected
// array expression", "mismatched types"), as an aggregate's `json_format: [ALLOW]`: it sets the feature to the list's
// first value of its type, which a second setting then sets again. Columns where buf 1.75 reports them, less one.
test('a feature set one at a time to a list is set as buf sets it, to the list\'s first value of its type', NEEDS_CORPUS, () => {
  const spots = (option: string): string[] => {
    const text = replaceOnce(migrated([IMPLICIT]), 'message VersionRequest {\n', `message VersionRequest {\n  ${option}\n  string a_b = 9; string aB = 10;\n`);
    return bound(text).problems.map((p) => `${p.code} ${p.range.start.character}-${p.range.end.character}`).sort();
  };
  // JSON names that clash ("aB") are an error unless json_format is LEGACY_BEST_EFFORT (or the _UNKNOWN value).
  const CLASH = 'duplicate-json-name 25-27';
  assert.deepEqual(spots('option features.json_format = [ALLOW]; option features.json_format = ALLOW;'), [CLASH, 'duplicate-option 48-68', 'invalid-option-value 32-39', 'syntax 32-39']);
  assert.deepEqual(spots('option features.json_format = [NOPE]; option features.json_format = ALLOW;'), [CLASH, 'invalid-option-value 32-38', 'invalid-option-value 33-37', 'syntax 32-38']);
  assert.deepEqual(spots('option features.json_format = [JSON_FORMAT_UNKNOWN, ALLOW];'), ['invalid-option-value 32-60', 'invalid-option-value 32-60', 'syntax 32-60']);
  assert.deepEqual(spots('option features.json_format = [LEGACY_BEST_EFFORT];'), ['invalid-option-value 32-52', 'syntax 32-52']);
});

test('the languages\' features files that buf bundles (java, cpp, go) are imported with no include path', NEEDS_CORPUS, () => {
  const imports = ['java', 'cpp', 'go'].map((l) => `import "google/protobuf/${l}_features.proto";`);
  const problems = (text: string): string[] => bound(text).problems.map((p) => `${p.code} ${p.message}`);
  assert.deepEqual(problems(migrated([...imports, IMPLICIT, 'option features.(pb.java).utf8_validation = VERIFY;'])), []);
  // Their types, nested ones included, resolve in package pb (buf builds this), and only those.
  const typed = (type: string): string => replaceOnce(migrated([...imports, IMPLICIT]), 'string runtime_name = 2;', `${type} runtime_name = 2;`);
  assert.deepEqual(problems(typed('pb.GoFeatures.OptimizeModeFeature.OptimizeMode')), []);
  assert.deepEqual(problems(typed('pb.CppFeatures.Nope')), ['unresolved-type unknown type "pb.CppFeatures.Nope"']);
  // A path that names a property of every object is no bundled file (it threw "map is not a function").
  assert.deepEqual(problems(migrated(['import "constructor";', IMPLICIT])),
    ['unresolved-import import "constructor" was not found (no import paths are configured); types from it are not checked']);
  // Not imported, a language's features are unknown, and nothing else is said of them: buf 1.75, "cannot find `pb.cpp`
  // in this scope" on the name in parentheses, "cannot resolve message field name for `google.protobuf.FeatureSet`"
  // over an aggregate's block; protoc, "Option "(pb.cpp)" unknown".
  const java = migrated([imports[0]!, IMPLICIT]);
  const FIELD = 'string runtime_name = 2';
  assertWithOptions(java, FIELD, 'features.(pb.cpp).string_type = NOPE', [['unknown-option', 'pb.cpp']]);
  assertWithOptions(java, FIELD, 'features.(pb.cpp) = { string_type: VIEW }', [['unknown-option', 'pb.cpp']]);
  assertWithOptions(java, FIELD, 'features = { utf8_validation: NONE, [pb.cpp] { string_type: VIEW } }', [['unknown-option', '[pb.cpp] { string_type: VIEW }']]);
  assertWithOptions(java, 'int32 container_port = 2', 'features.(pb.cpp).string_type = VIEW', [['unknown-option', 'pb.cpp']]);
  assert.deepEqual(problems(replaceOnce(java, `${FIELD};`, `${FIELD} [features = { [pb.cpp] {} }, features.(pb.cpp).string_type = VIEW];`)), [
    'unknown-option "[pb.cpp]" is unknown: import "google/protobuf/cpp_features.proto", which declares it',
    'unknown-option "(pb.cpp)" is unknown: import "google/protobuf/cpp_features.proto", which declares it',
  ]);
  // At the edge: imported, and an import not found, which may import it publicly.
  assertWithOptions(migrated([...imports, IMPLICIT]), FIELD, 'features.(pb.cpp).string_type = VIEW', []);
  assert.deepEqual(problems(replaceOnce(migrated(['import "missing.proto";', IMPLICIT]), `${FIELD};`, `${FIELD} [features.(pb.cpp).string_type = VIEW];`)).map((p) => p.split(' ')[0]), ['unresolved-import']);
  // Imported publicly by an import, as buf builds it; not by an import that imports it privately.
  const dir = mkdtempSync(join(tmpdir(), 'cri-compat-language-features-'));
  try {
    const uri = pathToFileURL(join(dir, 'api.proto')).href;
    const codes = (modifier: string): string[] => {
      writeFileSync(join(dir, 'dep.proto'), `edition = "2023";\npackage dep;\nimport ${modifier}"google/protobuf/cpp_features.proto";\n`);
      const text = replaceOnce(migrated(['import "dep.proto";', IMPLICIT]), `${FIELD};`, `${FIELD} [features.(pb.cpp).string_type = VIEW];`);
      return bind(parse(text), uri, new FsImportResolver({ roots: [dir] })).problems.map((p) => p.code);
    };
    assert.deepEqual(codes('public '), []);
    assert.deepEqual(codes(''), ['unknown-option']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a language\'s feature set on an element its targets do not name is a binding error, as buf says ("unsupported option target")', NEEDS_CORPUS, () => {
  // The targets are those java_features.proto, cpp_features.proto and go_features.proto declare.
  const LANGUAGES = ['java', 'cpp', 'go'].map((l) => `import "google/protobuf/${l}_features.proto";`);
  const text = migrated([...LANGUAGES, IMPLICIT]);
  const MESSAGE = 'message VersionResponse {\n';
  assertInserted(text, MESSAGE, 'option features.(pb.java).utf8_validation = VERIFY;', [['feature-target', 'utf8_validation']]);
  assertInserted(text, MESSAGE, 'option features = { [pb.java] { utf8_validation: VERIFY } };', [['feature-target', 'utf8_validation']]);
  assertWithOptions(text, 'string runtime_name = 2', 'features.(pb.go).api_level = API_OPEN', [['feature-target', 'api_level']]);
  assertWithOptions(text, '    TCP = 0', 'features.(pb.cpp).string_type = VIEW', [['feature-target', 'string_type']]);
  assertInserted(text, 'enum Protocol {\n', 'option features.(pb.cpp).string_type = VIEW;', [['feature-target', 'string_type']]);
  // The file is a target too, which one of edition 2024's does not name.
  const onFile = migrated([...LANGUAGES, IMPLICIT, 'option features.enforce_naming_style = STYLE_LEGACY;', 'option features.(pb.java).nest_in_file_class = YES;'], '2024');
  assert.deepEqual(bound(onFile).problems.map((p) => `${p.code} ${p.message}`),
    ['feature-target features.(pb.java).nest_in_file_class cannot be set on the file: protoc takes it on a message or an enum or a service']);
  assert.deepEqual(bound(replaceOnce(text, MESSAGE, `${MESSAGE}option features.(pb.go).api_level = API_OPEN;\n`)).problems, []);
  assert.deepEqual(bound(replaceOnce(text, 'string runtime_name = 2;', 'string runtime_name = 2 [features.(pb.go).api_level = API_OPEN];')).problems.map((p) => p.message),
    ['features.(pb.go).api_level cannot be set on a field: protoc takes it on the file or a message']);
  // At the edge, as buf builds them: each where its targets name the element, a service (buf checks none there).
  assertWithOptions(text, 'string runtime_name = 2', 'features = { [pb.java]: { legacy_closed_enum: true } }, features.(pb.cpp).string_type = VIEW', []);
  assertInserted(text, MESSAGE, 'option features = { [pb.go] { api_level: API_OPEN } };', []);
  assertInserted(text, 'enum Protocol {\n', 'option features.(pb.go).legacy_unmarshal_json_enum = true;', []);
  assertInserted(text, 'service RuntimeService {\n', 'option features.(pb.cpp).string_type = VIEW;', []);
  const in2024 = migrated([...LANGUAGES, IMPLICIT, 'option features.enforce_naming_style = STYLE_LEGACY;', 'option features.(pb.go).api_level = API_OPEN;'], '2024');
  assertInserted(in2024, MESSAGE, 'option features.(pb.java).nest_in_file_class = YES;', []);
  assertWithOptions(in2024, '    TCP = 0', 'features.(pb.go).strip_enum_prefix = STRIP_ENUM_PREFIX_KEEP', []);
});

// buf 1.75: "`large_enum` is not supported in Edition 2023", where the feature is set (the option's name, an aggregate's
// key), on every element a feature may be set on, a service and a method too; checked with buf, line and column.
test('a feature the file\'s edition does not take is a binding error (feature-edition), as buf says', NEEDS_CORPUS, () => {
  const LANGUAGES = ['java', 'cpp', 'go'].map((l) => `import "google/protobuf/${l}_features.proto";`);
  const in2023 = migrated([...LANGUAGES, IMPLICIT]);
  // Edition 2024 checks names by STYLE2024 by default, which CRI's do not all follow (`uidMappings`, `Merge`): buf
  // builds the file with the legacy style only.
  const in2024 = migrated([...LANGUAGES, IMPLICIT, 'option features.enforce_naming_style = STYLE_LEGACY;'], '2024');
  const MESSAGE = 'message VersionResponse {\n';
  const edition = (needle: string): [string, string] => ['feature-edition', needle];
  // Edition 2024's own, FeatureSet's and the languages', in edition 2023.
  // (STYLE2024 would check CRI's names too, as buf does: see below.)
  assertInserted(in2023, GO_PACKAGE, 'option features.enforce_naming_style = STYLE_LEGACY;', [edition('features.enforce_naming_style')]);
  assertInserted(in2023, GO_PACKAGE, 'option features = { default_symbol_visibility: EXPORT_ALL };', [edition('default_symbol_visibility')]);
  assertInserted(in2023, MESSAGE, 'option features.(pb.java).nest_in_file_class = YES;', [edition('features.(pb.java).nest_in_file_class')]);
  assertInserted(in2023, 'enum Protocol {\n', 'option features = { [pb.java] { large_enum: true } };', [edition('large_enum')]);
  assertWithOptions(in2023, '    TCP = 0', 'features.(pb.go).strip_enum_prefix = STRIP_ENUM_PREFIX_KEEP', [edition('features.(pb.go).strip_enum_prefix')]);
  assertInserted(in2023, 'service RuntimeService {\n', 'option features.enforce_naming_style = STYLE2024;', [edition('features.enforce_naming_style')]);
  // Both where the element is no target either, as buf says both.
  assertInserted(in2023, GO_PACKAGE, 'option features.(pb.java).nest_in_file_class = YES;', [edition('features.(pb.java).nest_in_file_class'), ['feature-target', 'nest_in_file_class']]);
  // One that no edition takes: removed in the edition that introduced it, or introduced in the unstable one.
  assertInserted(in2024, GO_PACKAGE, 'option features.(pb.java).use_old_outer_classname_default = true;', [edition('features.(pb.java).use_old_outer_classname_default')]);
  assertWithOptions(in2024, 'repeated string servers = 1', 'features.(pb.cpp).repeated_type = PROXY', [edition('features.(pb.cpp).repeated_type')]);
  const messages = (text: string): string[] => bound(text).problems.map((p) => p.message);
  assert.deepEqual(messages(replaceOnce(in2023, GO_PACKAGE, `${GO_PACKAGE}option features.(pb.go).optimize_mode = SPEED;\n`)),
    ['features.(pb.go).optimize_mode is not supported in edition 2023: edition 2024 introduced it']);
  assert.deepEqual(messages(replaceOnce(in2024, GO_PACKAGE, `${GO_PACKAGE}option features.(pb.java).use_old_outer_classname_default = true;\n`)),
    ['features.(pb.java).use_old_outer_classname_default is not supported in edition 2024: no edition takes it (edition 2024 introduced and removed it)']);
  assert.deepEqual(messages(replaceOnce(in2023, 'string runtime_name = 2;', 'string runtime_name = 2 [features.(pb.cpp).repeated_type = PROXY];')),
    ['features.(pb.cpp).repeated_type is not supported in edition 2023: no edition takes it yet (only the unstable one)']);
  // At the edge, as buf builds them: edition 2023's features in both editions, edition 2024's in 2024.
  // An aggregate before the features set one at a time, which buf merges into it.
  const languages2023 = '[pb.cpp] { legacy_closed_enum: false, string_type: STRING } [pb.java] { legacy_closed_enum: false, utf8_validation: DEFAULT }';
  const languages2024 = '[pb.cpp] { enum_name_uses_string_view: true } [pb.java] { large_enum: false } [pb.go] { strip_enum_prefix: STRIP_ENUM_PREFIX_KEEP optimize_mode: SPEED }';
  const features2023 = [
    'option features.enum_type = OPEN;', 'option features.repeated_field_encoding = PACKED;', 'option features.utf8_validation = VERIFY;',
    'option features.message_encoding = LENGTH_PREFIXED;', 'option features.json_format = ALLOW;',
    'option features.(pb.go).legacy_unmarshal_json_enum = false;', 'option features.(pb.go).api_level = API_OPEN;',
  ];
  const features2024 = ['option features.default_symbol_visibility = EXPORT_ALL;'];
  for (const [text, options] of [
    [in2023, [`option features = { ${languages2023} };`, ...features2023]],
    [in2024, [`option features = { ${languages2023} ${languages2024} };`, ...features2023, ...features2024]],
  ] as const) {
    assert.deepEqual(messages(replaceOnce(text, GO_PACKAGE, `${GO_PACKAGE}${options.join('\n')}\n`)), []);
  }
  assertInserted(in2024, MESSAGE, 'option features.(pb.java).nest_in_file_class = YES;', []);
  assertWithOptions(in2024, '    TCP = 0', 'features.(pb.go).strip_enum_prefix = STRIP_ENUM_PREFIX_KEEP', []);
});

// buf 1.75 checks a language's feature's value against the feature's type, in java_features.proto, cpp_features.proto
// and go_features.proto: "cannot find `NOPE` in this scope" for a name its enum lacks, "mismatched types" for a value
// of another type (a number or a string for a bool, `True` set one at a time: "non-canonical `bool` literal"), "literal
// out of range" past int32, each on the value. Unlike FeatureSet's, an enum's _UNKNOWN (or _UNSPECIFIED) value is taken,
// and so is any int32. Checked with buf, line and column.
test('a language\'s feature set to a value its type does not take is a binding error, as buf says', NEEDS_CORPUS, () => {
  const LANGUAGES = ['java', 'cpp', 'go'].map((l) => `import "google/protobuf/${l}_features.proto";`);
  const text = migrated([...LANGUAGES, IMPLICIT]);
  const FIELD = 'string runtime_name = 2';
  const refused = (options: string, ...needles: string[]): void => assertWithOptions(text, FIELD, options, needles.map((n) => ['invalid-option-value', n]));
  refused('features.(pb.java).utf8_validation = NOPE', 'NOPE');
  refused('features.(pb.cpp).legacy_closed_enum = 3', '3');
  refused('features.(pb.cpp).legacy_closed_enum = 1', '1');
  refused('features.(pb.cpp).legacy_closed_enum = True', 'True');
  refused('features.(pb.cpp).legacy_closed_enum = TRUE', 'TRUE');
  refused('features.(pb.cpp).string_type = "VIEW"', '"VIEW"');
  refused('features.(pb.cpp).string_type = true', 'true');
  refused('features.(pb.cpp).string_type = 1.5', '1.5');
  refused('features.(pb.cpp).string_type = -VIEW', 'VIEW');
  refused('features.(pb.cpp).string_type = 2147483648', '2147483648');
  refused('features.(pb.cpp).string_type = { a: 1 }', '{ a: 1 }');
  // In an aggregate, where a bool may also be True, t or f; a list (each of its values checked too) or a message is of no
  // feature's type.
  refused('features = { [pb.cpp] { string_type: NOPE } }', 'NOPE');
  refused('features = { [pb.cpp] { legacy_closed_enum: 1 } }', '1');
  refused('features = { [pb.java]: { legacy_closed_enum: "true" } }', '"true"');
  refused('features = { [pb.cpp] { string_type: [VIEW] } }', '[VIEW]');
  refused('features = { [pb.cpp] { string_type: [NOPE] } }', '[NOPE]', 'NOPE');
  refused('features = { [pb.java]: { utf8_validation { } } }', '{ }');
  const messages = (edited: string): string[] => bound(edited).problems.map((p) => p.message);
  assert.deepEqual(messages(replaceOnce(text, `${FIELD};`, `${FIELD} [features.(pb.cpp).string_type = NOPE, features.(pb.cpp).legacy_closed_enum = 3];`)),
    ['enum "pb.CppFeatures.StringType" has no value named NOPE', '"features.(pb.cpp).legacy_closed_enum" takes a bool, not 3']);
  assert.deepEqual(messages(replaceOnce(text, `${FIELD};`, `${FIELD} [features.(pb.cpp).legacy_closed_enum = True];`)),
    ['"features.(pb.cpp).legacy_closed_enum" takes true or false, not True: True, t and the like only in an aggregate']);
  // At the edge, as buf builds them: the _UNKNOWN value, a number of none (buf keeps it), text format's bools.
  for (const options of [
    'features.(pb.cpp).string_type = STRING_TYPE_UNKNOWN', 'features.(pb.cpp).string_type = 0', 'features.(pb.cpp).string_type = 7',
    'features.(pb.cpp).string_type = -1', 'features.(pb.cpp).string_type = 0x2', 'features.(pb.cpp).legacy_closed_enum = false',
    'features.(pb.java).utf8_validation = UTF8_VALIDATION_UNKNOWN', 'features = { [pb.cpp] { legacy_closed_enum: t, string_type: -2 } }',
    'features = { [pb.java] { legacy_closed_enum: False, utf8_validation: DEFAULT } }',
  ]) assertWithOptions(text, FIELD, options, []);
  const MESSAGE = 'message VersionResponse {\n';
  assertInserted(text, MESSAGE, 'option features.(pb.go).api_level = API_LEVEL_UNSPECIFIED;', []);
  assertInserted(text, MESSAGE, 'option features = { [pb.go] { api_level: API_NOPE } };', [['invalid-option-value', 'API_NOPE']]);
});

// buf 1.75 says only that a value is refused, not that the edition does not take the feature or that the element cannot
// set it; a value it takes (the _UNKNOWN one, any int32, one value of a list) is checked for both.
test('a language\'s feature set to a value it refuses is not checked for its edition or its target, as buf says', NEEDS_CORPUS, () => {
  const LANGUAGES = ['java', 'cpp', 'go'].map((l) => `import "google/protobuf/${l}_features.proto";`);
  const text = migrated([...LANGUAGES, IMPLICIT]);
  const MESSAGE = 'message VersionResponse {\n';
  const invalid = (needle: string): [string, string] => ['invalid-option-value', needle];
  assertInserted(text, MESSAGE, 'option features.(pb.cpp).string_type = NOPE;', [invalid('NOPE')]);
  assertInserted(text, MESSAGE, 'option features.(pb.java).nest_in_file_class = NOPE;', [invalid('NOPE')]);
  assertInserted(text, MESSAGE, 'option features.(pb.java).large_enum = 3;', [invalid('3')]);
  assertInserted(text, MESSAGE, 'option features = { [pb.java] { nest_in_file_class: "x" } };', [invalid('"x"')]);
  assertInserted(text, MESSAGE, 'option features = { [pb.cpp] { string_type: [NOPE] } };', [invalid('[NOPE]'), invalid('NOPE')]);
  // At the edge: values buf takes, and a list with one.
  assertInserted(text, MESSAGE, 'option features.(pb.cpp).string_type = 0;', [['feature-target', 'string_type']]);
  assertInserted(text, MESSAGE, 'option features.(pb.java).nest_in_file_class = 7;', [['feature-edition', 'features.(pb.java).nest_in_file_class']]);
  assertInserted(text, MESSAGE, 'option features = { [pb.java] { large_enum: [true] } };',
    [['feature-edition', 'large_enum'], ['feature-target', 'large_enum'], invalid('[true]')]);
});

// buf 1.75 checks the features of `features.(pb.cpp) = { … }` as those of `features = { [pb.cpp] { … } }`.
test('a language\'s features set whole (`features.(pb.cpp) = { … }`) are checked as in an aggregate, as buf says', NEEDS_CORPUS, () => {
  const LANGUAGES = ['java', 'cpp', 'go'].map((l) => `import "google/protobuf/${l}_features.proto";`);
  const text = migrated([...LANGUAGES, IMPLICIT]);
  const MESSAGE = 'message VersionResponse {\n';
  const FIELD = 'string runtime_name = 2';
  assertInserted(text, MESSAGE, 'option features.(pb.cpp) = { string_type: VIEW };', [['feature-target', 'string_type']]);
  assertInserted(text, MESSAGE, 'option features.(pb.java) = { large_enum: true, nope: 1 };',
    [['feature-edition', 'large_enum'], ['feature-target', 'large_enum'], ['unknown-option', 'nope: 1']]);
  assertWithOptions(text, FIELD, 'features.(pb.cpp) = { string_type: NOPE }', [['invalid-option-value', 'NOPE']]);
  assertWithOptions(text, FIELD, 'features.(pb.java) = 3', [['invalid-option-value', '3']]);
  // At the edge, as buf builds it: text format's bool.
  assertWithOptions(text, FIELD, 'features.(pb.java) = { utf8_validation: VERIFY, legacy_closed_enum: True }', []);
});

/** v0.36.3 in edition 2024, named by its legacy style (CRI's names do not all follow STYLE2024), proto3's presence kept. */
function in2024(fileOptions: string[] = []): string {
  return migrated([IMPLICIT, 'option features.enforce_naming_style = STYLE_LEGACY;', ...fileOptions], '2024');
}

// buf 1.75: "unsupported option target for `default_symbol_visibility`" on the feature's own name on any element but
// the file (a service and a method, which buf does not check, take it); "cannot find `NOPE` in this scope" and "must
// resolve to a known value" on a value of none of its names. Checked with buf, line and column.
test('edition 2024\'s default_symbol_visibility is set on the file only, to one of its four values, as buf says', NEEDS_CORPUS, () => {
  const text = in2024();
  const MESSAGE = 'message VersionResponse {\n';
  const target: [string, string] = ['feature-target', 'default_symbol_visibility'];
  assertInserted(text, MESSAGE, 'option features.default_symbol_visibility = EXPORT_ALL;', [target]);
  assertInserted(text, MESSAGE, 'oneof choice { option features.default_symbol_visibility = EXPORT_ALL; int32 pick = 9; }', [target]);
  assertInserted(text, 'enum Protocol {\n', 'option features = { default_symbol_visibility: LOCAL_ALL };', [target]);
  assertWithOptions(text, 'string runtime_name = 2', 'features.default_symbol_visibility = STRICT', [target]);
  assertWithOptions(text, '    TCP = 0', 'features.default_symbol_visibility = EXPORT_TOP_LEVEL', [target]);
  assert.deepEqual(bound(replaceOnce(text, MESSAGE, `${MESSAGE}option features.default_symbol_visibility = EXPORT_ALL;\n`)).problems.map((p) => p.message),
    ['features.default_symbol_visibility cannot be set on a message: protoc takes it on the file']);
  assertInserted(text, GO_PACKAGE, 'option features.default_symbol_visibility = NOPE;', [['invalid-option-value', 'NOPE']]);
  assertInserted(text, GO_PACKAGE, 'option features.default_symbol_visibility = DEFAULT_SYMBOL_VISIBILITY_UNKNOWN;', [['invalid-option-value', 'DEFAULT_SYMBOL_VISIBILITY_UNKNOWN']]);
  // In an aggregate too ("cannot find `NOPE` in this scope" on the value), as a feature of edition 2023's is.
  const aggregate = migrated(['option features = { field_presence: IMPLICIT, enforce_naming_style: STYLE_LEGACY, default_symbol_visibility: NOPE };'], '2024');
  assert.deepEqual(problemSpots(aggregate), [spot('invalid-option-value', aggregate, 'default_symbol_visibility: NOPE', 'NOPE')]);
  assert.deepEqual(bound(aggregate).problems.map((p) => p.message), ['features.default_symbol_visibility takes no value NOPE']);
  assertInserted(text, MESSAGE, 'option features = { enforce_naming_style: NOPE };', [['invalid-option-value', 'NOPE']]);
  assertWithOptions(text, 'string runtime_name = 2', 'features = { utf8_validation: NOPE, field_presence: IMPLICIT }', [['invalid-option-value', 'NOPE']]);
  // At the edge: each value on the file, and on a service and a method.
  for (const value of ['EXPORT_ALL', 'EXPORT_TOP_LEVEL', 'LOCAL_ALL', 'STRICT']) assertInserted(text, GO_PACKAGE, `option features.default_symbol_visibility = ${value};`, []);
  assertInserted(text, 'service RuntimeService {\n', 'option features.default_symbol_visibility = STRICT;', []);
  assertInserted(text, '    rpc Version(VersionRequest) returns (VersionResponse) {', 'option features.default_symbol_visibility = STRICT;', []);
});

// buf 1.75: its targets are every element, so it is nowhere "unsupported option target"; "cannot find `NOPE` in this
// scope" and "must resolve to a known value" on a value of none of its names.
test('edition 2024\'s enforce_naming_style is taken on every element, with one of its three values, as buf says', NEEDS_CORPUS, () => {
  const text = in2024();
  const MESSAGE = 'message VersionResponse {\n';
  assertInserted(text, MESSAGE, 'option features.enforce_naming_style = NOPE;', [['invalid-option-value', 'NOPE']]);
  assertInserted(text, MESSAGE, 'option features.enforce_naming_style = ENFORCE_NAMING_STYLE_UNKNOWN;', [['invalid-option-value', 'ENFORCE_NAMING_STYLE_UNKNOWN']]);
  // At the edge: each value (STYLE2026, edition 2026's default, buf takes in 2024), and every element.
  for (const value of ['STYLE2024', 'STYLE_LEGACY', 'STYLE2026']) assertInserted(text, MESSAGE, `option features.enforce_naming_style = ${value};`, []);
  assertInserted(text, MESSAGE, 'oneof choice { option features = { enforce_naming_style: STYLE_LEGACY }; int32 pick = 9; }', []);
  assertInserted(text, 'enum Protocol {\n', 'option features.enforce_naming_style = STYLE_LEGACY;', []);
  assertWithOptions(text, 'string runtime_name = 2', 'features.enforce_naming_style = STYLE_LEGACY', []);
  assertWithOptions(text, '    TCP = 0', 'features.enforce_naming_style = STYLE_LEGACY', []);
  assertInserted(text, 'service RuntimeService {\n', 'option features.enforce_naming_style = STYLE_LEGACY;', []);
  assertInserted(text, '    rpc Version(VersionRequest) returns (VersionResponse) {', 'option features.enforce_naming_style = STYLE_LEGACY;', []);
});

// buf 1.75's descriptor.proto declares enforce_proto_limits, introduced in edition 2026 and set on a message, a field, a
// oneof or an enum: "`enforce_proto_limits` is not supported in Edition 2024" where it is set (the option's name, an
// aggregate's key), on the file and an enum value also "unsupported option target" on the feature's name.
test('enforce_proto_limits is edition 2026\'s, which no edition this file may have takes, as buf says', NEEDS_CORPUS, () => {
  const edition = (needle: string): [string, string] => ['feature-edition', needle];
  const target: [string, string] = ['feature-target', 'enforce_proto_limits'];
  const SET = 'option features.enforce_proto_limits = LEGACY_NO_EXPLICIT_LIMITS;';
  for (const text of [in2024(), migrated([IMPLICIT])]) {
    assertInserted(text, 'message VersionResponse {\n', SET, [edition('features.enforce_proto_limits')]);
    assertWithOptions(text, 'string runtime_name = 2', 'features = { enforce_proto_limits: PROTO_LIMITS2026 }', [edition('enforce_proto_limits')]);
    assertInserted(text, 'service RuntimeService {\n', SET, [edition('features.enforce_proto_limits')]);
    assertInserted(text, GO_PACKAGE, SET, [edition('features.enforce_proto_limits'), target]);
  }
  assertWithOptions(in2024(), '    TCP = 0', 'features.enforce_proto_limits = PROTO_LIMITS2026', [edition('features.enforce_proto_limits'), target]);
  assert.deepEqual(bound(replaceOnce(in2024(), GO_PACKAGE, `${GO_PACKAGE}${SET}\n`)).problems.map((p) => p.message), [
    'features.enforce_proto_limits is not supported in edition 2024: edition 2026 introduced it',
    'features.enforce_proto_limits cannot be set on the file: protoc takes it on a message or a field or a oneof or an enum',
  ]);
});

/** The naming-style problems of `text` as buf prints them (line:column, one-based, in order), with the name. */
function named(text: string): string[] {
  return bound(text).problems.filter((p) => p.code === 'naming-style')
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character).map((p) => {
      const line = text.split('\n')[p.range.start.line]!;
      return `${p.range.start.line + 1}:${p.range.start.character + 1} ${line.slice(p.range.start.character, p.range.end.character)}`;
    });
}

/** The released names of v0.36.3 that STYLE2024 refuses, where buf 1.75 reports them in the file with one file option after go_package. */
const REFUSED_NAMES = [
  '333:24 uidMappings', '335:24 gidMappings', '444:5 Merge', '448:5 Strict', '507:9 RuntimeDefault', '509:9 Unconfined', '511:9 Localhost',
  '1293:24 CDI_devices', '2037:10 Full', '2039:10 Some', '2046:9 Total', '2048:9 Avg10', '2050:9 Avg60', '2052:9 Avg300',
];

/** REFUSED_NAMES with `lines` more file options before them. */
const refusedAfter = (lines: number): string[] => REFUSED_NAMES.map((r) => r.replace(/^\d+/, (n) => `${Number(n) + lines}`));

// buf 1.75 enforces STYLE2024, edition 2024's default: "field name should be snake_case", "enum value name should be
// SCREAMING_SNAKE_CASE", …, on the name, each by the style its own element resolves to. Checked with buf, line and column.
test('edition 2024 checks names by its naming style, STYLE2024, as buf does, where the element\'s own style is not STYLE_LEGACY', NEEDS_CORPUS, () => {
  // STYLE2026 (edition 2026's default) as STYLE2024.
  const refused = REFUSED_NAMES;
  assert.deepEqual(named(migrated([IMPLICIT], '2024')), refused);
  assert.deepEqual(named(migrated([IMPLICIT, 'option features.enforce_naming_style = STYLE2026;'], '2024')), refusedAfter(1));
  assert.deepEqual(named(replaceOnce(migrated([IMPLICIT], '2024'), 'package runtime.v1;', 'package runtime.V1;')), ['20:9 runtime.V1', ...refused]);
  assert.equal(bound(migrated([IMPLICIT], '2024')).problems[0]!.message,
    'field "uidMappings" is not snake_case, as edition 2024\'s naming style (features.enforce_naming_style = STYLE2024) requires');
  // In a file of the legacy style, elements that set STYLE2024 themselves, and what inherits it from them.
  const REQUEST = 'message VersionRequest {';
  const declarations = [
    'message Names { option features.enforce_naming_style = STYLE2024; int32 badName = 1; oneof Pick { int32 x = 2; } oneof Legacy { option features.enforce_naming_style = STYLE_LEGACY; int32 InOneof = 3; } }',
    'enum colour { option features.enforce_naming_style = STYLE2024; red = 0; }',
    'service my_service { option features.enforce_naming_style = STYLE2024; rpc get_version(VersionRequest) returns (VersionResponse); }',
    'message Host { option features.enforce_naming_style = STYLE2024; extensions 100 to 200; extend Host { int32 Bad_ext = 100; } }',
  ];
  assert.deepEqual(named(replaceOnce(in2024(), REQUEST, `${declarations.join('\n')}\n${REQUEST}`)),
    ['251:73 badName', '251:92 Pick', '252:6 colour', '252:65 red', '253:9 my_service', '253:76 get_version', '254:109 Bad_ext']);
  // At the edge: STYLE2024's names, the legacy style on the element itself, and edition 2023, which checks none.
  assert.deepEqual(named(replaceOnce(in2024(), REQUEST, 'message XMLNames2 { int32 a1_b = 1; int32 x = 2; }\nenum Kind { KIND_1A = 0; }\n' + REQUEST)), []);
  assert.deepEqual(named(replaceOnce(migrated([IMPLICIT], '2024'), '    repeated IDMapping uidMappings = 6;', '    repeated IDMapping uidMappings = 6 [features.enforce_naming_style = STYLE_LEGACY];')), refused.slice(1));
  assert.deepEqual(named(replaceOnce(migrated([IMPLICIT]), REQUEST, `message foo_bar { int32 Bad = 1; }\n${REQUEST}`)), []);
});

// buf 1.75 names no style; ours names the one that applies: the edition's default, or what the element or its parents set.
test('a naming-style problem names the style that applies, STYLE2026 where that is set', NEEDS_CORPUS, () => {
  const messages = (text: string): string[] => bound(text).problems.filter((p) => p.code === 'naming-style').map((p) => p.message);
  assert.equal(messages(migrated([IMPLICIT, 'option features.enforce_naming_style = STYLE2026;'], '2024'))[0],
    'field "uidMappings" is not snake_case, as its naming style (features.enforce_naming_style = STYLE2026) requires');
  const REQUEST = 'message VersionRequest {';
  assert.deepEqual(messages(replaceOnce(in2024(), REQUEST, `message Names { option features.enforce_naming_style = STYLE2026; int32 badName = 1; }\n${REQUEST}`)),
    ['field "badName" is not snake_case, as its naming style (features.enforce_naming_style = STYLE2026) requires']);
  // At the edge: the edition's own default says so.
  assert.equal(messages(migrated([IMPLICIT], '2024'))[0],
    'field "uidMappings" is not snake_case, as edition 2024\'s naming style (features.enforce_naming_style = STYLE2024) requires');
});

// buf 1.75, line and column: a value the feature lacks is all it says of it ("cannot find `NOPE` in this scope"), not
// that the edition does not take the feature nor that the element cannot set it, and the element resolves the feature
// as though it were not set; its _UNKNOWN value ("must resolve to a known value") still is no target of the element,
// but is not reported for the edition either, and a naming style that resolves to it checks no name.
test('a feature set to a value it lacks, or to its _UNKNOWN value, is reported for the value only, as buf says', NEEDS_CORPUS, () => {
  const value: [string, string] = ['invalid-option-value', 'NOPE'];
  const text = migrated([IMPLICIT]);
  const MESSAGE = 'message VersionResponse {\n';
  assertInserted(text, GO_PACKAGE, 'option features.enforce_naming_style = NOPE;', [value]);
  assertInserted(text, GO_PACKAGE, 'option features.enforce_naming_style = ENFORCE_NAMING_STYLE_UNKNOWN;', [['invalid-option-value', 'ENFORCE_NAMING_STYLE_UNKNOWN']]);
  assertInserted(text, MESSAGE, 'option features = { enforce_naming_style: NOPE };', [value]);
  assertInserted(text, MESSAGE, 'option features.enum_type = NOPE;', [value]);
  assertInserted(text, MESSAGE, 'option features.enum_type = ENUM_TYPE_UNKNOWN;', [['feature-target', 'enum_type'], ['invalid-option-value', 'ENUM_TYPE_UNKNOWN']]);
  assertInserted(text, 'enum Protocol {\n', 'option features.default_symbol_visibility = NOPE;', [value]);
  assertInserted(text, 'enum Protocol {\n', 'option features.default_symbol_visibility = DEFAULT_SYMBOL_VISIBILITY_UNKNOWN;',
    [['feature-target', 'default_symbol_visibility'], ['invalid-option-value', 'DEFAULT_SYMBOL_VISIBILITY_UNKNOWN']]);
  // Edition 2024: a value it lacks leaves the edition's STYLE2024, its _UNKNOWN value checks no name, on the file or
  // on an element (and what the element holds), while an element under it that sets STYLE2024 is checked.
  assert.deepEqual(named(migrated([IMPLICIT, 'option features.enforce_naming_style = NOPE;'], '2024')), refusedAfter(1));
  const unknown = migrated([IMPLICIT, 'option features.enforce_naming_style = ENFORCE_NAMING_STYLE_UNKNOWN;'], '2024');
  assert.deepEqual(problemSpots(unknown), [spot('invalid-option-value', unknown, 'enforce_naming_style = ENFORCE_NAMING_STYLE_UNKNOWN', 'ENFORCE_NAMING_STYLE_UNKNOWN')]);
  const REQUEST = 'message VersionRequest {';
  const inner = 'message Names { option features.enforce_naming_style = ENFORCE_NAMING_STYLE_UNKNOWN; int32 badName = 1; message Inner { int32 BadToo = 1 [features.enforce_naming_style = STYLE2024]; } }';
  assert.deepEqual(named(replaceOnce(migrated([IMPLICIT], '2024'), REQUEST, `${inner}\n${REQUEST}`)), ['250:127 BadToo', ...refusedAfter(1)]);
  // Other checks see the _UNKNOWN value as buf does: presence not IMPLICIT, an enum not CLOSED, JSON names not ALLOW.
  const closed = replaceOnce(text, 'enum Protocol {\n', 'enum Protocol {\noption features.enum_type = CLOSED;\n');
  assertWithOptions(closed, '    Protocol protocol = 1', 'features.field_presence = FIELD_PRESENCE_UNKNOWN', [['invalid-option-value', 'FIELD_PRESENCE_UNKNOWN']]);
  const opened = replaceOnce(migrated(['option features.enum_type = CLOSED;']), 'enum Protocol {\n    TCP = 0;', 'enum Protocol {\noption features.enum_type = ENUM_TYPE_UNKNOWN;\n    TCP = 3;');
  assert.deepEqual(problemSpots(opened), [spot('invalid-option-value', opened, 'ENUM_TYPE_UNKNOWN', 'ENUM_TYPE_UNKNOWN'), spot('enum-first-not-zero', opened, '    TCP = 3', '3')]);
  assertInserted(text, MESSAGE, 'option features.json_format = JSON_FORMAT_UNKNOWN; int32 runtimeName = 9;', [['invalid-option-value', 'JSON_FORMAT_UNKNOWN']]);
  // At the edge: a value it has is still reported for the edition and the target.
  assertInserted(text, 'enum Protocol {\n', 'option features.default_symbol_visibility = LOCAL_ALL;',
    [['feature-edition', 'features.default_symbol_visibility'], ['feature-target', 'default_symbol_visibility']]);
});

// buf 1.75: "mismatched types" for a string, a list or a message in an aggregate (each of a list's values checked too),
// on the value; a list with a value the feature has is still checked for the element, as that value is.
test('a string, a list or a message as a feature\'s value in an aggregate is refused on the value, as buf says', NEEDS_CORPUS, () => {
  const text = migrated([IMPLICIT]);
  const FIELD = 'string runtime_name = 2';
  const invalid = (needle: string): [string, string] => ['invalid-option-value', needle];
  assertWithOptions(text, FIELD, 'features = { field_presence: "x" }', [invalid('"x"')]);
  assertWithOptions(text, FIELD, 'features = { field_presence { } }', [invalid('{ }')]);
  assertWithOptions(text, FIELD, 'features = { field_presence: [NOPE] }', [invalid('[NOPE]'), invalid('NOPE')]);
  assertWithOptions(text, FIELD, 'features = { utf8_validation: [] }', [invalid('[]')]);
  const MESSAGE = 'message VersionResponse {\n';
  assertInserted(text, MESSAGE, 'option features = { enum_type: "x" };', [invalid('"x"')]);
  assertInserted(text, MESSAGE, 'option features = { field_presence: [EXPLICIT] };', [['feature-target', 'field_presence'], invalid('[EXPLICIT]')]);
  assert.deepEqual(bound(replaceOnce(text, `${FIELD};`, `${FIELD} [features = { field_presence: "x", utf8_validation: [VERIFY] }];`)).problems.map((p) => p.message),
    ['features.field_presence takes no value "x"', 'features.utf8_validation takes one value, not a list']);
});

// buf 1.75 checks the names an element of an edition 2023 file sets STYLE2024 for, besides refusing the feature there.
test('edition 2023 checks the names of what sets STYLE2024 itself, as buf does, besides refusing the feature', NEEDS_CORPUS, () => {
  const text = migrated([IMPLICIT, 'option features.enforce_naming_style = STYLE2024;']);
  assert.deepEqual(named(text), refusedAfter(1));
  assert.deepEqual(bound(text).problems.filter((p) => p.code !== 'naming-style').map((p) => p.code), ['feature-edition']);
  // At the edge: edition 2023's default, the legacy style, checks none.
  assert.deepEqual(named(migrated([IMPLICIT])), []);
});

// buf 1.75 takes a FeatureSet value by its number (`features.field_presence = 2` is IMPLICIT), one at a time and in an
// aggregate; protoc refuses one set at a time ("Value must be identifier for enum-valued option"). 0 is the _UNKNOWN
// value ("must resolve to a known value"); a number of no value (7), which buf takes too, is the next test's.
test('a feature set to the number of one of its values is that value, as buf takes it', NEEDS_CORPUS, () => {
  const text = migrated();
  const FIELD = 'string runtime_name = 2';
  const labelOf = (edited: string): string | undefined => bound(edited).model.messages.find((m) => m.name === 'VersionResponse')!.fields.find((f) => f.name === 'runtime_name')!.label;
  for (const options of ['features.field_presence = 2', 'features.field_presence = 0x2', 'features = { field_presence: 2 }']) {
    assertWithOptions(text, FIELD, options, []);
    assert.equal(labelOf(replaceOnce(text, `${FIELD};`, `${FIELD} [${options}];`)), 'implicit', options);
  }
  // A closed enum (2) may start at another value than 0, an open one (1) may not; STYLE_LEGACY (2) checks no name.
  const startsAt3 = replaceOnce(text, '    TCP = 0;', '    TCP = 3;');
  assertInserted(startsAt3, 'enum Protocol {\n', 'option features.enum_type = 2;', []);
  const open = replaceOnce(startsAt3, 'enum Protocol {\n', 'enum Protocol {\noption features.enum_type = 1;\n');
  assert.deepEqual(problemSpots(open), [spot('enum-first-not-zero', open, '    TCP = 3;', '3')]);
  assert.deepEqual(named(migrated([IMPLICIT, 'option features.enforce_naming_style = 2;'], '2024')), []);
  // At the edge: 0, the _UNKNOWN value, one at a time and in an aggregate.
  assertWithOptions(text, FIELD, 'features.field_presence = 0', [['invalid-option-value', '0']]);
  assertWithOptions(text, FIELD, 'features = { field_presence: 0 }', [['invalid-option-value', '0']]);
});

// buf 1.75 takes any int32 as a feature's value (`features.field_presence = 7`, -1, 1 for utf8_validation's reserved
// number) and keeps it (`buf build` writes `fieldPresence: 7`): the element has that number, not its parent's value.
// Its checks ask whether a value is the one they look for, so the number is none of them: a field of a closed enum may
// have it (not IMPLICIT), an enum must start at 0 (not CLOSED), JSON names may clash (not ALLOW), a repeated string may
// have it (not PACKED), and protobuf-go, which reads buf's descriptors (and so does buf breaking), neither packs
// (IsPacked) nor validates UTF-8 (IsUTF8Validated) under it, gives no presence (`buf breaking`'s FILE rules: "changed
// cardinality from optional with implicit presence" to EXPLICIT, nothing to IMPLICIT) and closes an enum ("changed
// from open to closed"). A naming style set to it checks names ("field name should be snake_case"), a default
// visibility hides nothing (the next test but one). Unlike a name the feature lacks, it is checked for its edition and
// its targets ("not supported in Edition 2023", "unsupported option target"). Checked with buf, line and column.
test('a feature set to a number of none of its values is taken and checked as buf checks it', NEEDS_CORPUS, () => {
  const text = migrated([IMPLICIT]);
  const FIELD = 'string runtime_name = 2';
  for (const options of ['features.field_presence = 7', 'features = { field_presence: 7 }', 'features.field_presence = -1', 'features.field_presence = -2147483648', 'features.utf8_validation = 1']) {
    assertWithOptions(text, FIELD, options, []);
  }
  // For the checks not IMPLICIT: a closed enum's field may have it, which implicit presence refuses. For the model no presence.
  assert.equal(fieldOf(replaceOnce(migrated(), `${FIELD};`, `${FIELD} [features.field_presence = 7];`), 'VersionResponse', 'runtime_name').label, 'implicit');
  const closed = replaceOnce(text, 'enum Protocol {\n', 'enum Protocol {\noption features.enum_type = CLOSED;\n');
  assertWithOptions(closed, '    Protocol protocol = 1', 'features.field_presence = 7', []);
  // For the checks not the file's CLOSED: an open enum, which starts at 0. For the model a closed one.
  const opened = replaceOnce(migrated(['option features.enum_type = CLOSED;']), 'enum Protocol {\n    TCP = 0;', 'enum Protocol {\noption features.enum_type = 7;\n    TCP = 3;');
  assert.deepEqual(problemSpots(opened), [spot('enum-first-not-zero', opened, '    TCP = 3', '3')]);
  assert.equal(bound(opened).model.enums.find((e) => e.name === 'Protocol')!.closed, true);
  // So buf breaking finds no change of presence from proto3's implicit, and an enum closed.
  assert.deepEqual(findings(migrated(['option features.field_presence = 7;'])), []);
  assert.deepEqual(findings(replaceOnce(text, 'enum Protocol {\n', 'enum Protocol {\noption features.enum_type = 7;\n')), ['ENUM_OPEN_CLOSED_CHANGED Protocol']);
  const MESSAGE = 'message VersionResponse {\n';
  assertInserted(text, MESSAGE, 'option features.json_format = 7; int32 runtimeName = 9;', []);
  // Neither packed nor validated, where the file packs and validates.
  const PORT = '    repeated int32 port = 2';
  assertWithOptions(text, PORT, 'features.repeated_field_encoding = 7', []);
  assertWithOptions(text, '    repeated string servers = 1', 'features.repeated_field_encoding = 7', []);
  assert.equal(fieldOf(replaceOnce(text, `${PORT};`, `${PORT} [features.repeated_field_encoding = 7];`), 'PortForwardRequest', 'port').packed, false);
  assert.equal(fieldOf(replaceOnce(text, `${FIELD};`, `${FIELD} [features.utf8_validation = 7];`), 'VersionResponse', 'runtime_name').utf8Unchecked, true);
  // Its edition and its targets, as for a value it has.
  assertInserted(text, MESSAGE, 'option features.enum_type = 7;', [['feature-target', 'enum_type']]);
  assertInserted(text, MESSAGE, 'option features.enforce_naming_style = 7;', [['feature-edition', 'features.enforce_naming_style']]);
  // A naming style of 7 checks names, under a file of the legacy style.
  const REQUEST = 'message VersionRequest {';
  const names = replaceOnce(in2024(), REQUEST, `message Names { option features.enforce_naming_style = 7; int32 badName = 1; }\n${REQUEST}`);
  assert.deepEqual(named(names), ['251:65 badName']);
  assert.equal(bound(names).problems[0]!.message, 'field "badName" is not snake_case, as its naming style (features.enforce_naming_style = 7) requires');
  // At the edge: out of the int32 range ("literal out of range"), and each check's own value still is what it was.
  assertWithOptions(text, FIELD, 'features.field_presence = 2147483648', [['invalid-option-value', '2147483648']]);
  assertWithOptions(text, FIELD, 'features = { field_presence: -2147483649 }', [['invalid-option-value', '-2147483649']]);
  assertWithOptions(closed, '    Protocol protocol = 1', 'features.field_presence = IMPLICIT', [['closed-enum-implicit-presence', 'Protocol']]);
  const allowed = replaceOnce(text, MESSAGE, `${MESSAGE}option features.json_format = ALLOW; int32 runtimeName = 9;\n`);
  assert.deepEqual(problemSpots(allowed), [spot('duplicate-json-name', allowed, 'string runtime_name = 2', 'runtime_name')]);
  assert.equal(fieldOf(text, 'PortForwardRequest', 'port').packed, undefined);
});

// buf 1.75 refuses REPEATED_FIELD_ENCODING_UNKNOWN and UTF8_VALIDATION_UNKNOWN on the value ("feature field
// `utf8_validation` must resolve to a known value") and goes on checking, as it does the other _UNKNOWN values; as
// those are none of the values buf's checks ask for, these are none of those protobuf-go asks for (IsPacked: PACKED,
// IsUTF8Validated: VERIFY), so the field does not take the file's PACKED or VERIFY.
test('REPEATED_FIELD_ENCODING_UNKNOWN and UTF8_VALIDATION_UNKNOWN are refused on the value, and neither pack nor validate', NEEDS_CORPUS, () => {
  const text = migrated([IMPLICIT]);
  const PORT = '    repeated int32 port = 2';
  const FIELD = 'string runtime_name = 2';
  const ENCODING = 'REPEATED_FIELD_ENCODING_UNKNOWN';
  const UTF8 = 'UTF8_VALIDATION_UNKNOWN';
  assertWithOptions(text, PORT, `features.repeated_field_encoding = ${ENCODING}`, [['invalid-option-value', ENCODING]]);
  assertWithOptions(text, '    repeated string servers = 1', `features = { repeated_field_encoding: ${ENCODING} }`, [['invalid-option-value', ENCODING]]);
  assertWithOptions(text, FIELD, `features.utf8_validation = ${UTF8}`, [['invalid-option-value', UTF8]]);
  assert.equal(fieldOf(replaceOnce(text, `${PORT};`, `${PORT} [features.repeated_field_encoding = ${ENCODING}];`), 'PortForwardRequest', 'port').packed, false);
  assert.equal(fieldOf(replaceOnce(text, `${FIELD};`, `${FIELD} [features.utf8_validation = ${UTF8}];`), 'VersionResponse', 'runtime_name').utf8Unchecked, true);
  // Set on the file, for every field.
  const onFile = migrated([IMPLICIT, `option features = { repeated_field_encoding: ${ENCODING}, utf8_validation: ${UTF8} };`]);
  assert.equal(fieldOf(onFile, 'PortForwardRequest', 'port').packed, false);
  assert.equal(fieldOf(onFile, 'VersionResponse', 'runtime_name').utf8Unchecked, true);
  // At the edge: the file's own PACKED and VERIFY, and the values set.
  assert.equal(fieldOf(text, 'PortForwardRequest', 'port').packed, undefined);
  assert.equal(fieldOf(text, 'VersionResponse', 'runtime_name').utf8Unchecked, undefined);
  assert.equal(fieldOf(replaceOnce(text, `${FIELD};`, `${FIELD} [features.utf8_validation = NONE];`), 'VersionResponse', 'runtime_name').utf8Unchecked, true);
});

// buf 1.75, line and column: "`export` is not supported in Edition 2023" (or "proto3") on the word; under STRICT,
// "nested message type marked as exported", "message type `runtime.v1.X` does not reserve all field numbers" and
// "expected exactly one reserved range" on `export`; "found unexported message type `dep.Loc`" on the type written.
test('edition 2024\'s export and local are checked as buf checks them: the edition, STRICT\'s nested exports, the types of another file', NEEDS_CORPUS, () => {
  const REQUEST = 'message VersionRequest {';
  const PROFILE = '    enum ProfileType {';
  for (const [text, file] of [[corpusText(TAG), 'proto3'], [migrated([IMPLICIT]), 'edition 2023']] as const) {
    const edited = replaceOnce(replaceOnce(text, REQUEST, `local ${REQUEST}`), PROFILE, '    export enum ProfileType {');
    assert.deepEqual(problemSpots(edited), [spot('visibility', edited, `local ${REQUEST}`, 'local'), spot('visibility', edited, 'export enum', 'export')]);
    assert.deepEqual(bound(edited).problems.map((p) => p.message), [`"local" is allowed from edition 2024 on, not in ${file}`, `"export" is allowed from edition 2024 on, not in ${file}`]);
  }
  const visibility: [string, string] = ['visibility', 'export'];
  const strict = in2024(['option features.default_symbol_visibility = STRICT;']);
  const exportedProfile = replaceOnce(strict, PROFILE, '    export enum ProfileType {');
  assert.deepEqual(problemSpots(exportedProfile), [spot('visibility', exportedProfile, 'export enum', 'export')]);
  assert.deepEqual(bound(exportedProfile).problems.map((p) => p.message),
    ['nested enum "ProfileType" cannot be exported under default_symbol_visibility = STRICT: "SecurityProfile" does not reserve every field number (reserved 1 to max)']);
  assertInserted(strict, 'message VersionResponse {\n', 'export message Nested {}', [visibility]);
  assertInserted(strict, GO_PACKAGE, 'message Names { reserved 1 to 100; export enum Kind { KIND_UNSPECIFIED = 0; } }', [visibility]);
  assertInserted(strict, GO_PACKAGE, 'message Names { reserved 1 to 10; reserved 11 to max; export enum Kind { KIND_UNSPECIFIED = 0; } }', [visibility]);
  assertInserted(strict, GO_PACKAGE, 'message Names { message Inner { reserved 1 to max; export enum Kind { KIND_UNSPECIFIED = 0; } } }', [visibility]);
  // At the edge: the message that only names enums (to max or its number), `local` anywhere, and the other defaults.
  assertInserted(strict, GO_PACKAGE, 'message Names { reserved 1 to max; export enum Kind { KIND_UNSPECIFIED = 0; } local message Inner {} }', []);
  assertInserted(strict, GO_PACKAGE, 'message Names { reserved 1 to 536870911; export enum Kind { KIND_UNSPECIFIED = 0; } }', []);
  assert.deepEqual(problemSpots(replaceOnce(strict, REQUEST, `local ${REQUEST}`)), []);
  for (const options of [[], ['option features.default_symbol_visibility = LOCAL_ALL;']]) {
    assertInserted(in2024(options), 'message VersionResponse {\n', 'export message Nested {}', []);
  }

  // Another file's types: top-level ones are exported by default, nested ones are not; `export` and `local` say otherwise.
  const dir = mkdtempSync(join(tmpdir(), 'cri-visibility-'));
  try {
    const resolver = new FsImportResolver({ roots: [dir] });
    const uri = pathToFileURL(join(dir, 'api.proto')).href;
    const spots = (text: string): string[] => bind(parse(text), uri, resolver).problems.map((p) => `${p.code} ${p.range.start.line}:${p.range.start.character}-${p.range.end.character}`);
    const importing = in2024(['import "dep.proto";']);
    const typed = (edits: [from: string, to: string][]): string => edits.reduce((t, [from, to]) => replaceOnce(t, from, to), importing);
    writeFileSync(join(dir, 'dep.proto'), 'edition = "2024";\npackage dep;\nmessage Top {\n  message Nested {}\n  export message Exported {}\n  enum Kind {\n    KIND_UNSPECIFIED = 0;\n  }\n}\nlocal message Loc {}\n');
    const refused = typed([['    Protocol protocol = 1;', '    dep.Loc protocol = 1;'], ['    int32 container_port = 2;', '    dep.Top.Kind container_port = 2;'],
      ['    int32 host_port = 3;', '    dep.Top.Nested host_port = 3;'], ['rpc Version(VersionRequest)', 'rpc Version(dep.Loc)']]);
    assert.deepEqual(spots(refused), [
      spot('not-exported', refused, 'dep.Loc protocol', 'dep.Loc'), spot('not-exported', refused, 'dep.Top.Kind container_port', 'dep.Top.Kind'),
      spot('not-exported', refused, 'dep.Top.Nested host_port', 'dep.Top.Nested'), spot('not-exported', refused, 'rpc Version(dep.Loc)', 'dep.Loc'),
    ]);
    assert.equal(bind(parse(refused), uri, resolver).problems[0]!.message, 'message "dep.Loc" is not exported by "dep.proto": another file cannot use it');
    const exported = typed([['    Protocol protocol = 1;', '    dep.Top protocol = 1;'], ['    int32 host_port = 3;', '    dep.Top.Exported host_port = 3;']]);
    assert.deepEqual(spots(exported), []);
    // Before edition 2024, a file exports every type.
    writeFileSync(join(dir, 'dep.proto'), 'edition = "2023";\npackage dep;\nmessage Top {\n  message Nested {}\n}\n');
    assert.deepEqual(spots(typed([['    int32 host_port = 3;', '    dep.Top.Nested host_port = 3;']])), []);
    // An Any's type in a custom option's aggregate (`[type.googleapis.com/dep.Loc]`) is a type used too: buf 1.75, "found
    // unexported message type `dep.Loc`" on the type's name. The option's own type is checked where the extension is declared.
    writeFileSync(join(dir, 'dep.proto'), 'edition = "2024";\npackage dep;\nmessage Top {\n  message Nested {}\n}\nlocal message Loc {}\n');
    const ANY = ['import "google/protobuf/any.proto";', 'import "google/protobuf/descriptor.proto";', 'extend google.protobuf.MessageOptions { google.protobuf.Any any_opt = 50101; }'];
    const anyOption = (type: string): string => replaceOnce(in2024(['import "dep.proto";', ...ANY]), 'message VersionRequest {\n', `message VersionRequest {\n    option (any_opt) = { [type.googleapis.com/${type}] {} };\n`);
    for (const type of ['dep.Loc', 'dep.Top.Nested']) {
      const used = anyOption(type);
      assert.deepEqual(spots(used), [spot('not-exported', used, `/${type}]`, type)], type);
    }
    assert.equal(bind(parse(anyOption('dep.Loc')), uri, resolver).problems[0]!.message, 'message "dep.Loc" is not exported by "dep.proto": another file cannot use it');
    // At the edge: an exported type, and the file's own types, top-level and nested (a local one too: this file uses it).
    assert.deepEqual(spots(anyOption('dep.Top')), []);
    assert.deepEqual(spots(anyOption('runtime.v1.AuthConfig')), []);
    assert.deepEqual(spots(replaceOnce(anyOption('runtime.v1.VersionRequest.Inner'), 'message VersionRequest {\n', 'message VersionRequest {\n    local message Inner {}\n')), []);
    // A default set to its _UNKNOWN value (that file's error) hides no type from buf but those that say `local`.
    writeFileSync(join(dir, 'dep.proto'), 'edition = "2024";\npackage dep;\noption features.default_symbol_visibility = DEFAULT_SYMBOL_VISIBILITY_UNKNOWN;\nmessage Top {\n  message Nested {}\n}\nlocal message Loc {}\n');
    const underUnknown = typed([['    Protocol protocol = 1;', '    dep.Loc protocol = 1;'], ['    int32 host_port = 3;', '    dep.Top.Nested host_port = 3;']]);
    assert.deepEqual(spots(underUnknown), [spot('not-exported', underUnknown, 'dep.Loc protocol', 'dep.Loc')]);
    // So does a number of none of its values, which buf takes.
    writeFileSync(join(dir, 'dep.proto'), 'edition = "2024";\npackage dep;\noption features.default_symbol_visibility = 7;\nmessage Top {\n  message Nested {}\n}\nlocal message Loc {}\n');
    assert.deepEqual(spots(underUnknown), [spot('not-exported', underUnknown, 'dep.Loc protocol', 'dep.Loc')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// buf 1.75: "unexpected `export` modifier on service definition" (service method, message extension block, oneof
// definition, message field) on the word; an enum value's ("unexpected message field within enum definition") starts
// there too. What follows the word parses as it would without it.
test('export or local before anything but a message or an enum is a syntax error on the word, and what follows still parses', NEEDS_CORPUS, () => {
  const text = in2024();
  const shape = (t: string): string[] => {
    const { model } = bound(t);
    return [...model.messages.map((m) => `${m.name}(${m.fields.map((f) => f.name).join(',')})`), ...model.enums.map((e) => `${e.name}(${e.values.map((v) => v.name).join(',')})`),
      ...model.services.map((s) => `${s.name}(${s.rpcs.map((r) => r.name).join(',')})`)];
  };
  const HOST = 'message Host { extensions 100 to 200; export extend Host { int32 inner_ext = 100; } export oneof choice { int32 pick = 1; } }\nlocal extend Host { int32 outer_ext = 101; }\n';
  const edits: [from: string, to: string, word: string, what: string][] = [
    ['service RuntimeService {', 'export service RuntimeService {', 'export', 'a service'],
    ['    rpc Version(VersionRequest) returns (VersionResponse) {}', '    local rpc Version(VersionRequest) returns (VersionResponse) {}', 'local', 'an RPC'],
    ['    string runtime_name = 2;', '    local string runtime_name = 2;', 'local', 'a field'],
    ['    map<string, string> sysctls = 3;', '    export map<string, string> sysctls = 3;', 'export', 'a field'],
    ['    int32 container_port = 2;', '    local option deprecated = true;\n    int32 container_port = 2;', 'local', 'an option'],
    ['    TCP = 0;', '    local TCP = 0;', 'local', 'an enum value'],
  ];
  const host = (t: string): string => replaceOnce(t, 'message VersionRequest {', `${HOST}message VersionRequest {`);
  for (const [from, to, word, what] of edits) {
    const edited = host(replaceOnce(text, from, to));
    assert.deepEqual(problemSpots(edited).sort(), [
      spot('syntax', edited, 'export extend Host', 'export'), spot('syntax', edited, 'export oneof', 'export'), spot('syntax', edited, 'local extend Host', 'local'),
      spot('syntax', edited, to.split('\n')[0]!, word),
    ].sort(), to);
    assert.deepEqual(bound(edited).problems.find((p) => p.range.start.line === edited.slice(0, edited.indexOf(to)).split('\n').length - 1)?.message,
      `unexpected '${word}' before ${what}: only a message or an enum is marked export or local`);
    assert.deepEqual(shape(edited), shape(host(text)), to);
  }
  const hosted = bound(host(text)).model.messages.find((m) => m.name === 'Host')!;
  assert.deepEqual(hosted.oneofs, ['choice']);
  // At the edge: a field whose type is named `local` or `export`, and the words before a message or an enum.
  assertInserted(text, 'message VersionRequest {\n', 'message local { message Nested {} }\nmessage export {}\nmessage Uses { local a = 1; export b = 2; local.Nested c = 3; }', []);
  assertInserted(text, 'message VersionRequest {\n', 'export message Outer { local message Inner {} export enum Kind { KIND_UNSPECIFIED = 0; } }', []);
});

test('a feature its feature set lacks is a binding error, set one at a time or in an aggregate, as buf says', NEEDS_CORPUS, () => {
  const text = migrated(['import "google/protobuf/java_features.proto";', IMPLICIT]);
  const FIELD = 'string runtime_name = 2';
  // buf: "cannot resolve message field name for `google.protobuf.FeatureSet`" (or `pb.JavaFeatures`), on the key and its value.
  assertWithOptions(text, FIELD, 'features = { nope: EXPLICIT }', [['unknown-option', 'nope: EXPLICIT']]);
  assertWithOptions(text, FIELD, 'features = { field_presence: EXPLICIT, [pb.java] { nope: true } }', [['unknown-option', 'nope: true']]);
  assertWithOptions(text, FIELD, 'features = { [pb.nope] { legacy_closed_enum: true } }', [['unknown-option', '[pb.nope] { legacy_closed_enum: true }']]);
  // buf: "cannot find message field `nope` in `pb.JavaFeatures`", from the `.` before it.
  assertWithOptions(text, FIELD, 'features.(pb.java).nope = true', [['unknown-option', '.nope']]);
  assertWithOptions(text, FIELD, 'features.nope.x = 1', [['unknown-option', '.nope']]);
  // A name on past a feature: buf, "expected singular message, found enum type `…`" (or "scalar type `bool`"), on the next part.
  const past = (options: string): string[] => bound(replaceOnce(text, `${FIELD};`, `${FIELD} [${options}];`)).problems.map((p) => p.message);
  assertWithOptions(text, FIELD, 'features.utf8_validation.x.y = NONE', [['unknown-option', 'x']]);
  assert.deepEqual(past('features.utf8_validation.x.y = NONE'), ['"features.utf8_validation" is an enum, not a singular message: "x" cannot follow it']);
  assertWithOptions(text, FIELD, 'features.(pb.java).utf8_validation.z = DEFAULT', [['unknown-option', 'z']]);
  assert.deepEqual(past('features.(pb.java).legacy_closed_enum.z = true'),
    ['"features.(pb.java).legacy_closed_enum" is a scalar (bool), not a singular message: "z" cannot follow it']);
  // A value that is no message: buf, "mismatched types" (a name: "cannot find `IMPLICIT` in this scope"), on it.
  assertWithOptions(text, FIELD, 'features = 1', [['invalid-option-value', '1']]);
  assertWithOptions(text, FIELD, 'features = IMPLICIT, feature_support = EDITION_2023, edition_defaults = "x"',
    [['invalid-option-value', 'IMPLICIT'], ['invalid-option-value', 'EDITION_2023'], ['invalid-option-value', '"x"']]);
  assert.deepEqual(bound(replaceOnce(text, `${FIELD};`, `${FIELD} [features = 1];`)).problems.map((p) => p.message),
    ['"features" takes a message (google.protobuf.FeatureSet), not 1']);
  assert.deepEqual(bound(replaceOnce(text, `${FIELD};`, `${FIELD} [features = { [pb.java] { nope: true } }];`)).problems.map((p) => p.message),
    ['"nope" is not a feature of pb.JavaFeatures']);
  // At the edge: every key a feature of its set, over lines, with `;` and `,` between them.
  assertWithOptions(text, FIELD, 'features = {\n        utf8_validation: NONE;\n        [pb.java]: { legacy_closed_enum: true, utf8_validation: DEFAULT }\n    }', []);
});

test('a field feature set on the file applies to the fields of nested messages, and a field overrides it', NEEDS_CORPUS, () => {
  const nested = replaceOnce(migrated([IMPLICIT]), '    string runtime_api_version = 4;\n', '    string runtime_api_version = 4;\n' +
    '    message Inner {\n        string inherited = 1;\n        int32 own = 2 [features.field_presence = EXPLICIT];\n' +
    '        message Deeper {\n            string reset = 1 [features.field_presence = EXPLICIT];\n            repeated int32 list = 2;\n            Inner message_field = 3;\n        }\n    }\n');
  assert.deepEqual(bound(nested).problems, []);
  const labels = new Map(bound(nested).model.messages.flatMap((m) => m.fields.map((f) => [`${m.name}.${f.name}`, f.label])));
  assert.deepEqual(
    ['Inner.inherited', 'Inner.own', 'Deeper.reset', 'Deeper.list', 'Deeper.message_field'].map((n) => labels.get(n)),
    ['implicit', 'optional', 'optional', 'repeated', 'implicit'],
  );
});

test('repeated_field_encoding = EXPANDED is reported as [packed = false] is', NEEDS_CORPUS, () => {
  const implicit = 'option features.field_presence = IMPLICIT;';
  const packable = (f: FieldDef): boolean => f.label === 'repeated' && (f.typeKind === 'enum' || (f.typeKind === 'scalar' && f.type !== 'string' && f.type !== 'bytes'));
  const expected = fieldsWhere('FIELD_PACKED_CHANGED', packable);
  assert.ok(expected.length > 0, 'v0.36.3 has repeated integer fields');
  // The same findings as proto3 with [packed = false] on each of them.
  const unpacked = corpusText(TAG).replace(/(repeated (?:int32|int64) \w+ = \d+);/g, '$1 [packed = false];');
  assert.deepEqual(findings(unpacked), expected);
  assert.deepEqual(findings(migrated([implicit, 'option features.repeated_field_encoding = EXPANDED;'])), expected);
  // On one field, and PACKED (the default) changes nothing.
  const one = replaceOnce(migrated([implicit]), 'repeated int32 port = 2;', 'repeated int32 port = 2 [features.repeated_field_encoding = EXPANDED];');
  assert.deepEqual(findings(one), expected.filter((f) => f.endsWith('.port')));
  assert.equal(expected.filter((f) => f.endsWith('.port')).length, 1);
  assert.deepEqual(findings(migrated([implicit, 'option features.repeated_field_encoding = PACKED;'])), []);
});

test('a closed enum in an implicit-presence field is a binding error, as protoc and buf say', NEEDS_CORPUS, () => {
  const problems = (text: string): string[] => bound(text).problems.map((p) => `${p.code} ${p.message}`);
  const implicitEnumFields = released().messages.flatMap((m) => m.fields.filter((f) => hasPresenceChoice(f) && f.typeKind === 'enum'));
  assert.ok(implicitEnumFields.length > 10);
  assert.deepEqual(problems(migrated(['option features.field_presence = IMPLICIT;', 'option features.enum_type = CLOSED;'])),
    implicitEnumFields.map((f) => `closed-enum-implicit-presence closed enum "${f.type}" cannot be used in an implicit-presence field`));
  // Only where the enum is closed (here the nested one itself) and the field has implicit presence.
  const nestedClosed = replaceOnce(migrated(['option features.field_presence = IMPLICIT;']), 'enum ProfileType {\n',
    'enum ProfileType {\n        option features.enum_type = CLOSED;\n');
  const onProfileType = implicitEnumFields.filter((f) => f.type === 'runtime.v1.SecurityProfile.ProfileType');
  assert.equal(onProfileType.length, 1);
  const error = ['closed-enum-implicit-presence closed enum "runtime.v1.SecurityProfile.ProfileType" cannot be used in an implicit-presence field'];
  assert.deepEqual(problems(nestedClosed), error);
  assert.deepEqual(problems(replaceOnce(nestedClosed, 'ProfileType profile_type = 1;', 'ProfileType profile_type = 1 [features.field_presence = EXPLICIT];')), []);
  assert.deepEqual(problems(migrated(['option features.enum_type = CLOSED;'])), [], 'explicit presence (the 2023 default) may hold a closed enum');
  // An extension takes its presence from where it is declared (here the file), as buf says.
  const extension = replaceOnce(replaceOnce(nestedClosed, 'message VersionRequest {\n', 'message VersionRequest {\n    extensions 100 to 199;\n'),
    'message VersionResponse {\n', 'extend VersionRequest {\n    SecurityProfile.ProfileType profile = 100;\n}\n\nmessage VersionResponse {\n');
  assert.deepEqual(problems(extension), [...error, ...error]);
});

test('in an editions file the presence fix does not write the label `optional`, which editions refuse', NEEDS_CORPUS, () => {
  // Released with explicit presence (`optional`), migrated with file-level IMPLICIT: the field lost its presence.
  const withOptional = replaceOnce(corpusText(TAG), 'message VersionRequest {\n    // Version of the kubelet runtime API.\n    string version = 1;', 'message VersionRequest {\n    // Version of the kubelet runtime API.\n    optional string version = 1;');
  const baseline: Baseline = { tag: TAG, source: 'path', origin: 'test', model: bind(parse(withOptional), 'file:///old/api.proto').model };
  const text = migrated(['option features.field_presence = IMPLICIT;']);
  const b = bound(text);
  const f = checkCompatibility(text, b, baseline).findings.find((x) => x.rule === 'FIELD_PRESENCE_CHANGED' && x.element === 'runtime.v1.VersionRequest.version');
  assert.ok(f, 'the presence change is reported');
  const titles = computeFixes(text, b, f).map((x) => x.title);
  assert.ok(!titles.some((t) => /optional/.test(t)), titles.join('\n'));
  // The same change in a proto3 file gets it.
  const proto3 = corpusText(TAG);
  const p = bound(proto3);
  const g = checkCompatibility(proto3, p, baseline).findings.find((x) => x.rule === 'FIELD_PRESENCE_CHANGED' && x.element === 'runtime.v1.VersionRequest.version')!;
  assert.ok(computeFixes(proto3, p, g).some((x) => /Restore "optional"/.test(x.title)));
});

test('an editions file: the labels optional and required are errors, and an open enum must start at 0, as protoc says', NEEDS_CORPUS, () => {
  const codes = (text: string): string[] => bound(text).problems.map((p) => p.code);
  const text = migrated(['option features.field_presence = IMPLICIT;']);
  assert.deepEqual(codes(replaceOnce(text, '    string runtime_name = 2;', '    optional string runtime_name = 2;')), ['editions-label']);
  assert.deepEqual(codes(replaceOnce(text, '    string runtime_name = 2;', '    required string runtime_name = 2;')), ['editions-label']);
  assert.deepEqual(codes(replaceOnce(text, '    string runtime_name = 2;', '    repeated string runtime_name = 2;')), []);
  // Protocol's first value, TCP = 0, moved last: an open enum (the 2023 default) needs 0 first; a closed one not.
  // (Explicit presence, the 2023 default, so that a closed Protocol may stay in PortMapping.protocol.)
  const reordered = replaceOnce(migrated(), '    TCP = 0;\n    UDP = 1;\n    SCTP = 2;\n', '    UDP = 1;\n    SCTP = 2;\n    TCP = 0;\n');
  assert.deepEqual(codes(reordered), ['enum-first-not-zero']);
  assert.deepEqual(codes(replaceOnce(reordered, 'enum Protocol {\n', 'enum Protocol {\n    option features.enum_type = CLOSED;\n')), []);
});

/** `text` with the preferred fix titled `title` of the finding `rule` on `element` applied, against `baseline`. */
function fixed(text: string, baseline: Baseline, rule: string, element: string, title: string): string {
  const b = bound(text);
  const f = checkCompatibility(text, b, baseline).findings.find((x) => x.rule === rule && x.element === `runtime.v1.${element}`);
  assert.ok(f, `${rule} ${element} is reported`);
  const fix = computeFixes(text, b, f).find((x) => withoutMemberName(x.title) === title);
  assert.ok(fix, `"${title}" is offered`);
  return applyEdits(text, fix.edits);
}

/** v0.36.3 with `from` replaced by `to`, as the baseline a restore fix writes back from. */
function releasedWith(from: string, to: string): Baseline {
  return { tag: TAG, source: 'path', origin: 'test', model: bind(parse(replaceOnce(corpusText(TAG), from, to)), 'file:///old/api.proto').model };
}

/** Asserts that a fixed file binds without problems and has no findings left against `baseline`. */
function assertRestored(text: string, baseline: Baseline): void {
  const b = bound(text);
  assert.deepEqual(b.problems.map((p) => `${p.code} ${p.message}`), []);
  assert.deepEqual(checkCompatibility(text, b, baseline).findings.map((f) => `${f.rule} ${f.element}`), []);
}

const PORT = '    // Port to forward.\n    repeated int32 port = 2;\n';
/** VersionRequest.version, deleted with its comment, leaves `message VersionRequest {` and its brace. */
const VERSION = 'message VersionRequest {\n    // Version of the kubelet runtime API.\n    string version = 1;\n';
const IMPLICIT = 'option features.field_presence = IMPLICIT;';

test('a restored field says its released encoding and presence with features in an editions file, never packed or optional', NEEDS_CORPUS, () => {
  // Released with [packed = false]; deleted from the editions file: back with EXPANDED encoding.
  const unpacked = releasedWith('repeated int32 port = 2;', 'repeated int32 port = 2 [packed = false];');
  const deleted = replaceOnce(migrated([IMPLICIT]), PORT, '');
  for (const title of ['Restore the field', 'Deprecate instead of deleting']) {
    const restored = fixed(deleted, unpacked, 'FIELD_NO_DELETE', 'PortForwardRequest.port', title);
    assert.match(restored, /repeated int32 port = 2 \[features\.repeated_field_encoding = EXPANDED(, deprecated = true)?\];/);
    assertRestored(restored, unpacked);
    assertValidProto(restored, title);
  }
  // Released packed (proto3's default) into a file that expands by default: PACKED on the field.
  const expanded = replaceOnce(migrated([IMPLICIT, 'option features.repeated_field_encoding = EXPANDED;']), PORT, '');
  const packed: Baseline = { tag: TAG, source: 'path', origin: 'test', model: released() };
  const repacked = fixed(expanded, packed, 'FIELD_NO_DELETE', 'PortForwardRequest.port', 'Restore the field');
  assert.match(repacked, /repeated int32 port = 2 \[features\.repeated_field_encoding = PACKED\];/);
  // The rest of the file keeps its file-level EXPANDED: only the released packed fields differ, as before the fix.
  assert.ok(!checkCompatibility(repacked, bound(repacked), packed).findings.some((f) => f.element.endsWith('.port')));

  // Released with explicit presence, into a file of implicit presence: EXPLICIT on the field, no `optional`.
  const explicit = releasedWith('    string version = 1;\n}\n\nmessage VersionResponse', '    optional string version = 1;\n}\n\nmessage VersionResponse');
  const noVersion = replaceOnce(migrated([IMPLICIT]), VERSION, 'message VersionRequest {\n');
  const withPresence = fixed(noVersion, explicit, 'FIELD_NO_DELETE', 'VersionRequest.version', 'Restore the field');
  assert.match(withPresence, /\n {4}string version = 1 \[features\.field_presence = EXPLICIT\];/);
  assertRestored(withPresence, explicit);
  // Released implicit (proto3), into a file of explicit presence (the 2023 default): IMPLICIT on the field.
  const implicitBack = fixed(replaceOnce(migrated(), VERSION, 'message VersionRequest {\n'),
    { tag: TAG, source: 'path', origin: 'test', model: released() }, 'FIELD_NO_DELETE', 'VersionRequest.version', 'Restore the field');
  assert.match(implicitBack, /\n {4}string version = 1 \[features\.field_presence = IMPLICIT\];/);
});

/** v0.36.3 as a proto2 file: `optional` on every field that proto2 needs a label on. */
function asProto2(text = corpusText(TAG)): string {
  const fields = bound(text).model.messages.flatMap((m) => m.fields.map((f) => f.node!));
  const unlabelled = fields.filter((f) => f.label === undefined && !f.oneof && f.mapKey === undefined);
  return applyEdits(replaceOnce(text, 'syntax = "proto3";', 'syntax = "proto2";'), unlabelled.map((f) => insertAt(f.typeRange.start, 'optional ')));
}

// buf 1.75 marks the field, not the option: "expected singular field, found repeated field" on its label and type,
// "expected `string`, found scalar type `int64`" on its type, "found oneof member" on the whole field.
test('a field feature on a field it cannot apply to, LEGACY_REQUIRED as the file\'s default, and features outside editions are binding errors, as protoc says', NEEDS_CORPUS, () => {
  const on = (field: string, options: string, at?: string): void => assertWithOptions(migrated(), field, options, at ? [['feature-target', at]] : []);
  on('repeated string servers = 1', 'features.field_presence = EXPLICIT', 'repeated string');
  on('map<string, string> labels = 6', 'features.field_presence = EXPLICIT', 'map<string, string>');
  on('PodSandboxMetadata metadata = 1', 'features.field_presence = IMPLICIT', 'PodSandboxMetadata');
  on('PodSandboxMetadata metadata = 1', 'features.field_presence = EXPLICIT');
  on('int64 timeout = 2', 'features.utf8_validation = NONE', 'int64');
  on('string runtime_name = 2', 'features.utf8_validation = NONE');
  on('bytes stdout = 1', 'features.utf8_validation = NONE', 'bytes');
  on('map<string, string> labels = 6', 'features.utf8_validation = NONE');
  on('map<string, string> labels = 6', 'features.message_encoding = DELIMITED', 'map<string, string>');
  on('int64 timeout = 2', 'features.message_encoding = DELIMITED', 'int64');
  on('PodSandboxMetadata metadata = 1', 'features.message_encoding = DELIMITED');
  const inOneof = 'string tag = 9 [features.field_presence = EXPLICIT];';
  assertInserted(migrated(), 'message VersionRequest {\n', `    oneof choice {\n        ${inOneof}\n    }`, [['feature-target', inOneof]]);
  // buf 1.75 marks the value ("cannot set `LEGACY_REQUIRED` at the file level"), in an aggregate too.
  assertInserted(migrated(), GO_PACKAGE, 'option features.field_presence = LEGACY_REQUIRED;', [['feature-target', 'LEGACY_REQUIRED']]);
  assertInserted(migrated(), GO_PACKAGE, 'option features = { field_presence: LEGACY_REQUIRED };', [['feature-target', 'LEGACY_REQUIRED']]);
  // proto2 and proto3 have no features.
  assertInserted(corpusText(TAG), GO_PACKAGE, 'option features.field_presence = IMPLICIT;', [['features-outside-editions', 'features.field_presence']]);
  assertWithOptions(asProto2(), 'optional string runtime_name = 2', 'features = { utf8_validation: NONE }', [['features-outside-editions', 'features']]);
});

// buf 1.75 marks lazy and jstype where they do not apply on the field's type: "expected message type, found scalar type
// `int64`", "expected 64-bit integer type, found scalar type `string`".
test('a field option that descriptor.proto lacks, set twice, of the wrong type, or on a field it does not apply to is a binding error, as protoc says', NEEDS_CORPUS, () => {
  for (const text of [corpusText(TAG), migrated()]) {
    const on = (field: string, options: string, expected: [string, string][]): void => assertWithOptions(text, field, options, expected);
    on('int64 timeout = 2', 'jstype = JS_STRING', []);
    on('string runtime_name = 2', 'jstype = JS_STRING', [['option-target', 'string']]);
    on('string runtime_name = 2', 'jstype = JS_NORMAL', []);
    // A value jstype does not take is that error alone (buf: "cannot find `JS_STRNG` in this scope").
    on('string runtime_name = 2', 'jstype = JS_STRNG', [['invalid-option-value', 'JS_STRNG']]);
    on('int64 timeout = 2', 'lazy = true', [['option-target', 'int64']]);
    on('PodSandboxMetadata metadata = 1', 'lazy = true', []);
    on('int64 timeout = 2', 'deprecated = 1', [['invalid-option-value', '1']]);
    on('int64 timeout = 2', 'deprecated = "yes"', [['invalid-option-value', '"yes"']]);
    on('int64 timeout = 2', 'json_name = 5', [['invalid-option-value', '5']]);
    on('int64 timeout = 2', 'deprecated = true, deprecated = false', [['duplicate-option', 'deprecated']]);
    on('int64 timeout = 2', 'depracated = true', [['unknown-option', 'depracated']]);
    on('int64 timeout = 2', 'deprecated = true, debug_redact = true, json_name = "t"', []);
  }
});

// buf 1.75 reads a list where a built-in option's value goes ("mismatched types" and "unexpected array expression in
// option setting value" over it, "mismatched types" on each value not of the option's type), and sets the option to
// its first value of that type: lazy and jstype are refused where they do not apply, on the field's type, and the field
// is deprecated, packed or named in JSON as that value says.
test('a list as a built-in field option\'s value sets the option to its first value of its type, as buf reads it', NEEDS_CORPUS, () => {
  const text = corpusText(TAG);
  const list = (value: string): [string, string][] => [['syntax', value], ['invalid-option-value', value]];
  assertWithOptions(text, 'int64 timeout = 2', 'lazy = [true]', [...list('[true]'), ['option-target', 'int64']]);
  assertWithOptions(text, 'string runtime_name = 2', 'jstype = [JS_STRING]', [...list('[JS_STRING]'), ['option-target', 'string']]);
  assertWithOptions(text, 'repeated string servers = 1', 'packed = [1, true]', [...list('[1, true]'), ['invalid-option-value', '1'], ['not-packable', 'string']]);
  // Its first bool is false: lazy is not set.
  assertWithOptions(text, 'int64 timeout = 2', 'lazy = [false, true]', list('[false, true]'));
  const field = (message: string, declared: string, options: string): FieldDef => {
    const name = declared.split(' ').at(-3)!;
    return fieldOf(replaceOnce(text, `${declared};`, `${declared} [${options}];`), message, name);
  };
  assert.equal(field('VersionResponse', 'string runtime_name = 2', 'deprecated = [true]').deprecated, true);
  assert.equal(field('VersionResponse', 'string runtime_name = 2', 'deprecated = [false, true]').deprecated, undefined);
  assert.equal(field('VersionResponse', 'string runtime_name = 2', 'json_name = [1, "name", "other"]').jsonName, 'name');
  assert.equal(field('PortForwardRequest', 'repeated int32 port = 2', 'packed = [false]').packed, false);
  assert.equal(field('PortForwardRequest', 'repeated int32 port = 2', 'packed = [x, true]').packed, true);
  // No value of its type: nothing is set.
  assert.equal(field('PortForwardRequest', 'repeated int32 port = 2', 'packed = [1]').packed, undefined);
});

test('an option of a file, message, oneof, enum, enum value, service or method that its descriptor.proto message lacks, set twice or of the wrong type is a binding error, as protoc says', NEEDS_CORPUS, () => {
  const oneof = (text: string): string => replaceOnce(text, 'message VersionRequest {\n', 'message VersionRequest {\n    oneof v {\n        string other = 9;\n    }\n');
  for (const text of [corpusText(TAG), asProto2(), migrated()]) {
    const at = (scope: string, statement: string, expected: [string, string][], base = text): void => assertInserted(base, scope, statement, expected);
    at(GO_PACKAGE, 'option foo = 1;', [['unknown-option', 'foo']]);
    // buf: "cannot find message field `foo` in `google.protobuf.FileOptions`" on `foo`, "expected singular message, found
    // scalar type `string`" on `x`.
    at(GO_PACKAGE, 'option foo.x = 1;', [['unknown-option', 'foo']]);
    at(GO_PACKAGE, 'option java_package.x = "a";', [['unknown-option', 'x']]);
    assertWithOptions(text, '    TCP = 0', 'deprecated.x = true', [['unknown-option', 'x']]);
    at(GO_PACKAGE, 'option optimize_for = FAST;', [['invalid-option-value', 'FAST']]);
    at(GO_PACKAGE, 'option go_package = "x";', [['duplicate-option', 'go_package']]);
    at('message VersionRequest {\n', 'option packed = true;', [['unknown-option', 'packed']]);
    at('message VersionRequest {\n', 'option map_entry = false;', [['unknown-option', 'map_entry']]);
    at('message VersionRequest {\n', 'option deprecated = true; option deprecated = true;', [['duplicate-option', 'deprecated']]);
    at('oneof v {\n', 'option deprecated = true;', [['unknown-option', 'deprecated']], oneof(text));
    at('oneof v {\n', 'option uninterpreted_option = {};', [['unknown-option', 'uninterpreted_option']], oneof(text));
    at('enum Protocol {\n', 'option foo = true;', [['unknown-option', 'foo']]);
    at('enum Protocol {\n', 'option allow_alias = 1;', [['invalid-option-value', '1']]);
    at('service RuntimeService {\n', 'option idempotency_level = IDEMPOTENT;', [['unknown-option', 'idempotency_level']]);
    assertWithOptions(text, '    TCP = 0', 'foo = true', [['unknown-option', 'foo']]);
    assertWithOptions(text, '    TCP = 0', 'debug_redact = 1', [['invalid-option-value', '1']]);
    const rpc = (options: string): string => replaceOnce(text, 'returns (VersionResponse) {}', `returns (VersionResponse) { ${options} }`);
    assert.deepEqual(problemSpots(rpc('option idempotency_level = FOO;')), [spot('invalid-option-value', rpc('option idempotency_level = FOO;'), 'option idempotency_level = FOO;', 'FOO')]);
    assert.deepEqual(problemSpots(rpc('option foo = true;')), [spot('unknown-option', rpc('option foo = true;'), 'option foo = true;', 'foo')]);
    // At the edge: what descriptor.proto has, of the right type, buf builds.
    at(GO_PACKAGE, 'option java_package = "a" "b"; option optimize_for = LITE_RUNTIME; option cc_enable_arenas = true; option php_namespace = "x";', []);
    at('message VersionRequest {\n', 'option no_standard_descriptor_accessor = true; option deprecated_legacy_json_field_conflicts = true;', []);
    at('enum Protocol {\n', 'option deprecated = false; option deprecated_legacy_json_field_conflicts = true;', []);
    at('service RuntimeService {\n', 'option deprecated = true;', []);
    assertWithOptions(text, 'int64 timeout = 2', 'feature_support.edition_introduced = EDITION_2023', []);
    assertWithOptions(text, '    TCP = 0', 'deprecated = true, debug_redact = true', []);
    assert.deepEqual(problemSpots(rpc('option idempotency_level = NO_SIDE_EFFECTS; option deprecated = false;')), []);
    assert.deepEqual(problemSpots(oneof(text)), []);
  }
  // Editions validate UTF-8 with a feature, as protoc says.
  assertInserted(migrated(), GO_PACKAGE, 'option java_string_check_utf8 = true;', [['editions-option', 'java_string_check_utf8']]);
  assertInserted(corpusText(TAG), GO_PACKAGE, 'option java_string_check_utf8 = true;', []);
});

test('a feature on an element it does not target (an enum value, json_format on a field), one FeatureSet lacks, or a value it lacks is a binding error, as protoc and buf say', NEEDS_CORPUS, () => {
  const text = migrated();
  assertWithOptions(text, '    TCP = 0', 'features.enum_type = OPEN', [['feature-target', 'enum_type']]);
  assertWithOptions(text, '    TCP = 0', 'features.field_presence = IMPLICIT', [['feature-target', 'field_presence']]);
  assertWithOptions(text, '    Protocol protocol = 1', 'features.json_format = ALLOW', [['feature-target', 'json_format']]);
  assertInserted(text, 'message VersionRequest {\n', 'option features.message_encoding = DELIMITED;', [['feature-target', 'message_encoding']]);
  assertInserted(text, 'enum Protocol {\n', 'option features.message_encoding = DELIMITED;', [['feature-target', 'message_encoding']]);
  // buf: "cannot find message field `foo` in `google.protobuf.FeatureSet`", from the `.` before it.
  assertInserted(text, GO_PACKAGE, 'option features.foo = 1;', [['unknown-option', '.foo']]);
  assertInserted(text, GO_PACKAGE, 'option features.field_presence = FOO;', [['invalid-option-value', 'FOO']]);
  // At the edge: json_format on a message, an enum and the file; buf takes features on a service and an RPC.
  assertInserted(text, 'message VersionRequest {\n', 'option features.json_format = LEGACY_BEST_EFFORT;', []);
  assertInserted(text, 'enum Protocol {\n', 'option features.json_format = ALLOW;', []);
  assertInserted(text, GO_PACKAGE, 'option features.json_format = ALLOW;', []);
  assertInserted(text, 'service RuntimeService {\n', 'option features.json_format = ALLOW;', []);
  assertWithOptions(text, '    TCP = 0', 'deprecated = false', []);
});

test('an enum default that names no value of the field\'s enum is a binding error, as protoc says', NEEDS_CORPUS, () => {
  for (const [text, field] of [[asProto2(), '    optional Protocol protocol = 1'], [migrated(), '    Protocol protocol = 1']] as const) {
    assertWithOptions(text, field, 'default = NOPE', [['invalid-default', 'NOPE']]);
    // A value of another enum of the file is no value of this one.
    assertWithOptions(text, field, 'default = SYSTEMD', [['invalid-default', 'SYSTEMD']]);
    assertWithOptions(text, field, 'default = SCTP', []);
  }
});

test('enum value names that clash with the enum\'s name stripped and case ignored are a binding error in proto3 and editions, as protoc and buf say', NEEDS_CORPUS, () => {
  const END = '    SCTP = 2;\n';
  for (const text of [corpusText(TAG), migrated()]) {
    assertInserted(text, END, 'PROTOCOL_TCP = 3;', [['enum-value-clash', 'PROTOCOL_TCP']]);
    assertInserted(text, END, 'tcp = 3;', [['enum-value-clash', 'tcp']]);
    assertInserted(text, END, 'Protocol_udp = 4;', [['enum-value-clash', 'Protocol_udp']]);
    // At the edge: another name once stripped (T_CP is TCp, not Tcp), the enum's name itself, an alias.
    assertInserted(text, END, 'T_CP = 3; PROTOCOL = 4; PROTOCOL_X = 5;', []);
    assertInserted(replaceOnce(text, 'enum Protocol {\n', 'enum Protocol {\noption allow_alias = true;\n'), END, 'PROTOCOL_TCP = 0;', []);
  }
  // proto2, and an editions enum of LEGACY_BEST_EFFORT JSON (proto2's default), take them.
  assertInserted(asProto2(), END, 'PROTOCOL_TCP = 3;', []);
  assertInserted(replaceOnce(migrated(), 'enum Protocol {\n', 'enum Protocol {\noption features.json_format = LEGACY_BEST_EFFORT;\n'), END, 'PROTOCOL_TCP = 3;', []);
});

test('a message set with fields or without extension ranges, an extension of one that is not a singular message, and a message set in proto3 are binding errors, as protoc and buf say', NEEDS_CORPUS, () => {
  const SET = 'message MSet { option message_set_wire_format = true; extensions 4 to max; }';
  const p2 = asProto2();
  assertInserted(p2, GO_PACKAGE, 'message MSet { option message_set_wire_format = true; optional int32 only_field = 1; extensions 4 to max; }', [['message-set', 'optional int32 only_field = 1;']]);
  assertInserted(p2, GO_PACKAGE, `${SET} extend MSet { optional int32 x = 5; }`, [['message-set', 'int32']]);
  assertInserted(p2, GO_PACKAGE, `${SET} extend MSet { repeated VersionRequest x = 5; }`, [['message-set', 'VersionRequest']]);
  assertInserted(migrated(), GO_PACKAGE, `${SET} extend MSet { int32 x = 5; }`, [['message-set', 'int32']]);
  // buf 1.75 marks the option ("message set type are not supported"), and a message set's field whole ("field declared in message set type").
  assertInserted(corpusText(TAG), GO_PACKAGE, 'message MSet { option message_set_wire_format = true; }', [['message-set', 'message_set_wire_format']]);
  // Without extension ranges it holds nothing (buf: "message set type … declares no extension ranges"), reserved numbers or not.
  assertInserted(p2, GO_PACKAGE, 'message MSet { option message_set_wire_format = true; }', [['message-set', 'message_set_wire_format']]);
  assertInserted(p2, GO_PACKAGE, 'message MSet { option message_set_wire_format = true; reserved 5; }', [['message-set', 'message_set_wire_format']]);
  assertInserted(migrated(), GO_PACKAGE, 'message Outer { message MSet { option message_set_wire_format = true; } }', [['message-set', 'message_set_wire_format']]);
  // At the edge: extensions only, each a singular message; a message set that is not one (false).
  assertInserted(p2, GO_PACKAGE, `${SET} extend MSet { optional VersionRequest x = 5; }`, []);
  assertInserted(migrated(), GO_PACKAGE, `${SET} message Holder { extend MSet { Holder h = 10; } }`, []);
  assertInserted(corpusText(TAG), GO_PACKAGE, 'message MSet { option message_set_wire_format = false; }', []);
});

test('JSON names clash in an editions message unless its own json_format (or the one it inherits) is LEGACY_BEST_EFFORT, as protoc and buf say', NEEDS_CORPUS, () => {
  const FIELD = 'message VersionRequest {\n    // Version of the kubelet runtime API.\n    string version = 1;\n';
  const LEGACY = 'option features.json_format = LEGACY_BEST_EFFORT;';
  // Another message's LEGACY_BEST_EFFORT is not this one's, nor is the file's where the message sets ALLOW.
  assertInserted(`${migrated()}message Legacy { ${LEGACY} }\n`, FIELD, 'string version_ = 2;', [['duplicate-json-name', 'version_']]);
  assertInserted(migrated([LEGACY]), FIELD, 'option features.json_format = ALLOW; string version_ = 2;', [['duplicate-json-name', 'version_']]);
  // At the edge: the file's, or the message's own.
  assertInserted(migrated([LEGACY]), FIELD, 'string version_ = 2;', []);
  assertInserted(migrated(), FIELD, `${LEGACY} string version_ = 2;`, []);
});

test('a default where protoc takes none, or not of the field\'s type, is a binding error, as protoc says', NEEDS_CORPUS, () => {
  const check = (text: string, field: string, options: string, needles: string[]): void =>
    assertWithOptions(text, field, options, needles.map((n) => ['invalid-default', n]));
  // proto3 has no defaults at all: marked over the option, as buf marks it ("custom default in proto3"), unless its
  // value is not of the field's type, which buf says first, at the value.
  check(corpusText(TAG), 'int64 timeout = 2', 'default = 5', ['default = 5']);
  check(corpusText(TAG), 'Protocol protocol = 1', 'deprecated = true, default = UDP', ['default = UDP']);
  check(corpusText(TAG), 'int64 timeout = 2', 'default = "5"', ['"5"']);
  // proto2: not on a repeated, map or message field; and of the field's type and range.
  const proto2 = asProto2();
  check(proto2, 'optional int64 timeout = 2', 'default = -9223372036854775808', []);
  check(proto2, 'optional int64 timeout = 2', 'default = 0x7fffffffffffffff', []);
  check(proto2, 'optional int64 timeout = 2', 'default = 9223372036854775808', ['9223372036854775808']);
  check(proto2, 'optional int64 timeout = 2', 'default = "5"', ['"5"']);
  check(proto2, 'optional int64 timeout = 2', 'default = 1.5', ['1.5']);
  check(proto2, 'optional bool readonly = 3', 'default = true', []);
  check(proto2, 'optional bool readonly = 3', 'default = 1', ['1']);
  check(proto2, 'optional Protocol protocol = 1', 'default = UDP', []);
  check(proto2, 'optional Protocol protocol = 1', 'default = 1', ['1']);
  check(proto2, 'optional string runtime_name = 2', 'default = "runc"', []);
  check(proto2, 'optional string runtime_name = 2', 'default = runc', ['runc']);
  // A signed name at the name, as buf marks it, but `-true` where no bool goes whole (a negated bool to buf).
  check(proto2, 'optional bool readonly = 3', 'default = -true', ['true']);
  check(proto2, 'optional string runtime_name = 2', 'default = -runc', ['runc']);
  check(proto2, 'optional Protocol protocol = 1', 'default = -UDP', ['UDP']);
  check(proto2, 'optional int64 timeout = 2', 'default = -true', ['-true']);
  check(proto2, 'optional string runtime_name = 2', 'default = -"runc"', ['"runc"']);
  // Of a value of the field's type, buf marks the type ("expected singular scalar- or enum-typed field"), else the value.
  check(proto2, 'repeated string servers = 1', 'default = "x"', ['string']);
  check(proto2, 'repeated string servers = 1', 'default = 1', ['1']);
  check(proto2, 'map<string, string> labels = 6', 'default = "x"', ['"x"']);
  check(proto2, 'map<string, string> labels = 6', 'default = {}', ['map<string, string>']);
  check(proto2, 'optional PodSandboxMetadata metadata = 1', 'default = 1', ['1']);
  check(proto2, 'optional PodSandboxMetadata metadata = 1', 'default = {}', ['PodSandboxMetadata']);
  // Editions: not on a field of implicit presence (protoc: "Implicit presence fields can't specify defaults").
  check(migrated(), 'int64 timeout = 2', 'default = 5', []);
  check(migrated([IMPLICIT]), 'int64 timeout = 2', 'default = 5', ['default']);
  check(migrated([IMPLICIT]), 'int64 timeout = 2', 'features.field_presence = EXPLICIT, default = 5', []);
});

// buf 1.75 marks a signed name (`-true`, `-JS_STRING`, `-x`) that a descriptor.proto option does not take at the name
// ("mismatched types", "cannot find `x` in this scope"), but `-true` where no bool goes, and `-inf`, whole.
test('a signed value of a descriptor.proto option is marked where buf marks it', NEEDS_CORPUS, () => {
  const wrong = (field: string, options: string, at: string): void => assertWithOptions(corpusText(TAG), field, options, [['invalid-option-value', at]]);
  wrong('int64 timeout = 2', 'deprecated = -true', 'true');
  wrong('int64 timeout = 2', 'deprecated = - false', 'false');
  wrong('int64 timeout = 2', 'jstype = -JS_STRING', 'JS_STRING');
  wrong('int64 timeout = 2', 'json_name = -x', 'x');
  wrong('int64 timeout = 2', 'json_name = -true', '-true');
  wrong('int64 timeout = 2', 'deprecated = -inf', '-inf');
});

// Found by mutating the newest corpus file and comparing with buf 1.75 (`buf build`): what buf says that we did not,
// or said elsewhere.
test('a package name with a leading dot, a type named as a map\'s entries, and a proto2 field without a label are errors where buf marks them', NEEDS_CORPUS, () => {
  const text = corpusText(TAG);
  // buf: "unexpected absolute path in `package` declaration", over the name.
  const dotted = replaceOnce(text, 'package runtime.v1;', 'package .runtime.v1;');
  assert.deepEqual(problemSpots(dotted), [spot('syntax', dotted, 'package .runtime.v1;', '.runtime.v1')]);
  // buf: "`MEntry` declared multiple times", at the map's type: protoc declares MEntry for its entries.
  const VERSION = 'message VersionRequest {\n';
  const entry = replaceOnce(text, VERSION, `${VERSION}    map<string, string> m = 2;\n    message MEntry {}\n`);
  assert.deepEqual(problemSpots(entry), [spot('duplicate-name', entry, '    map<string, string> m = 2;', 'map<string, string>')]);
  // buf: "unexpected type name", at the type of each field without a label.
  const proto2 = replaceOnce(text, 'syntax = "proto3";', 'syntax = "proto2";');
  const first = bound(proto2).problems.find((p) => p.code === 'proto2-label')!;
  assert.equal(`${first.code} ${first.range.start.line}:${first.range.start.character}-${first.range.end.character}`, spot('proto2-label', proto2, 'message VersionRequest {\n    // Version of the kubelet runtime API.\n    string version', 'string'));
});

// buf: "unexpected message definition within enum definition" (oneof), where we said that `=` was missing after the
// keyword; what follows the misplaced declaration is read as before.
test('a message, enum or oneof declared in an enum or a oneof is one error over the declaration, as buf marks it', NEEDS_CORPUS, () => {
  const text = corpusText(TAG);
  const inEnum = replaceOnce(text, '    TCP = 0;\n', '    TCP = 0;\n    message Extra {\n        string x = 1;\n    }\n');
  assert.deepEqual(bound(inEnum).problems.map((p) => [p.code, p.message]), [['syntax', 'a message cannot be declared in an enum: declare it in a message or at the top level of the file']]);
  // From `message` to its `}`, two lines below (buf: the same span).
  const line = inEnum.slice(0, inEnum.indexOf('    message Extra {')).split('\n').length - 1;
  assert.deepEqual(bound(inEnum).problems[0]!.range, { start: { line, character: 4 }, end: { line: line + 2, character: 5 } });
  assert.deepEqual(bound(inEnum).model.enums.find((e) => e.fqn === 'runtime.v1.Protocol')!.values.map((v) => v.name), ['TCP', 'UDP', 'SCTP']);
  const VERSION = 'message VersionRequest {\n';
  const inOneof = replaceOnce(text, VERSION, `${VERSION}    oneof choice { enum Kind { K0 = 0; } string name = 2; }\n`);
  assert.deepEqual(problemSpots(inOneof), [spot('syntax', inOneof, 'enum Kind { K0 = 0; }', 'enum Kind { K0 = 0; }')]);
  assert.deepEqual(bound(inOneof).model.messages.find((m) => m.fqn === 'runtime.v1.VersionRequest')!.fields.map((f) => [f.name, f.oneof]), [['name', 'choice'], ['version', undefined]]);
});

// buf: "service method cannot specify compact options", over the list, where we said that `;` was missing after `)`.
test('an options list after an RPC\'s signature is one error over the list, as buf says', NEEDS_CORPUS, () => {
  const text = corpusText(TAG);
  const RPC = 'rpc Version(VersionRequest) returns (VersionResponse) {}';
  const listed = replaceOnce(text, RPC, 'rpc Version(VersionRequest) returns (VersionResponse) [deprecated = true] {}');
  assert.deepEqual(bound(listed).problems.map((p) => p.message), ["an RPC takes no options in '[ ]': set them with option statements in its body"]);
  assert.deepEqual(problemSpots(listed), [spot('syntax', listed, 'returns (VersionResponse) [deprecated = true] {}', '[deprecated = true]')]);
  assert.deepEqual(bound(listed).model.services[0]!.rpcs.slice(0, 2).map((r) => r.name), ['Version', 'RunPodSandbox']);
});

test('reserved and extension ranges out of bounds or overlapping, a name reserved twice or in the wrong form, an unknown edition, and extension ranges in proto3 are errors, as protoc says', NEEDS_CORPUS, () => {
  const check = (text: string, statement: string, expected: [string, string][], scope = 'message VersionRequest {\n'): void =>
    assertInserted(text, scope, `    ${statement}`, expected);
  const proto3 = corpusText(TAG);
  check(proto3, 'reserved 0;', [['number-out-of-range', '0']]);
  check(proto3, 'reserved 10 to 536870912;', [['number-out-of-range', '10 to 536870912']]);
  check(proto3, 'reserved 10 to max;', []);
  check(proto3, 'reserved 10 to 20, 20;', [['overlapping-ranges', '20']]);
  check(proto3, 'reserved 10 to 20, 30, 15 to 16;', [['overlapping-ranges', '15 to 16']]);
  check(proto3, 'reserved "gone", "gone";', [['duplicate-name', '"gone"']]);
  // A name is a string in proto2 and proto3, an identifier in editions; an edition is one protoc knows.
  check(proto3, 'reserved gone;', [['reserved-name-form', 'gone']]);
  check(migrated(), 'reserved gone;', []);
  check(migrated(), 'reserved "gone";', [['reserved-name-form', '"gone"']]);
  check(migrated(['option features.enforce_naming_style = STYLE_LEGACY;'], '2024'), 'reserved gone;', []);
  assert.deepEqual(problemSpots(replaceOnce(migrated(), 'edition = "2023";', 'edition = "2099";')), [spot('syntax', replaceOnce(migrated(), 'edition = "2023";', 'edition = "2099";'), 'edition = "2099";', '"2099"')]);
  check(proto3, 'reserved 10 to 20, 15;', [['overlapping-ranges', '15']], 'enum Protocol {\n');
  check(proto3, 'reserved -5 to -1;', [], 'enum Protocol {\n');
  // buf 1.75 marks each range ("extension range in \"proto3\"").
  check(proto3, 'extensions 100 to 199, 300;', [['proto3-extensions', '100 to 199'], ['proto3-extensions', '300']]);
  // proto2: an extension range may not hold a field's number, nor meet a reserved range.
  const proto2 = asProto2();
  check(proto2, 'extensions 100 to max;', []);
  check(proto2, 'extensions 100 to 199;\n    reserved 150;', [['overlapping-ranges', '150']]);
  const holding = replaceOnce(proto2, 'message VersionRequest {\n', 'message VersionRequest {\n    extensions 1 to 10;\n');
  assert.deepEqual(problemSpots(holding), [spot('uses-reserved', holding, 'extensions 1 to 10;\n    // Version of the kubelet runtime API.\n    optional string version = 1;', '1')]);
});

test('JSON names that clash, as protoc refuses them in proto3 and editions, and in proto2 where a json_name is set', NEEDS_CORPUS, () => {
  const AFTER = 'string runtime_api_version = 4;\n';
  const clash: [string, string][] = [['duplicate-json-name', 'runtimeName']];
  assertInserted(asProto2(), AFTER, '    optional string runtimeName = 5;', []);
  // buf 1.75 marks the json_name of the field that clashes, where it sets one ("message fields have the same JSON name").
  assertInserted(asProto2(), AFTER, '    optional string other = 5 [json_name = "runtimeName"];', [['duplicate-json-name', '"runtimeName"']]);
  assertInserted(migrated(), AFTER, '    string runtimeName = 5;', clash);
  assertInserted(migrated(['option features.json_format = LEGACY_BEST_EFFORT;']), AFTER, '    string runtimeName = 5;', []);
  assertInserted(corpusText(TAG), AFTER, '    string runtimeName = 5;', clash);
});

test('an empty oneof, a map in a oneof, and allow_alias without an alias are binding errors, as protoc says', NEEDS_CORPUS, () => {
  for (const text of [corpusText(TAG), asProto2(), migrated()]) {
    // Marked whole, as buf marks it ("oneof must define at least one member").
    assertInserted(text, 'message VersionRequest {\n', 'oneof choice { }', [['oneof-empty', 'oneof choice { }']]);
    assertInserted(text, 'message VersionRequest {\n', '    oneof choice {\n        map<string, string> tags = 9;\n    }', [['map-in-oneof', 'map<string, string>']]);
    assertInserted(text, 'message VersionRequest {\n', '    oneof choice {\n        string tag = 9;\n    }', []);
    assertInserted(text, 'enum Protocol {\n', '    option allow_alias = true;', [['unused-allow-alias', 'allow_alias']]);
    assertInserted(text, 'enum Protocol {\n', '    option allow_alias = true;\n    TCP_TOO = 0;', []);
  }
});

test('an extension that is a map, required, sets json_name or (editions) its own presence, of a number outside the ranges or taken, or of what protoc does not extend is a binding error, as protoc says', NEEDS_CORPUS, () => {
  const withRange = (text: string): string => replaceOnce(text, 'message VersionRequest {\n', 'message VersionRequest {\n    extensions 100 to 199;\n');
  const extend = (text: string, field: string, expected: [string, string][]): void =>
    assertInserted(withRange(text), GO_PACKAGE, `extend VersionRequest {\n    ${field}\n}`, expected);
  const proto2 = asProto2();
  extend(proto2, 'optional string tag = 100;', []);
  extend(proto2, 'map<string, string> tags = 100;', [['invalid-extension', 'map<string, string>']]);
  extend(proto2, 'required string tag = 100;', [['invalid-extension', 'required']]);
  extend(proto2, 'optional string tag = 100 [json_name = "t"];', [['invalid-extension', 'json_name']]);
  extend(migrated(), 'string tag = 100;', []);
  // buf 1.75 marks the whole extension ("expected singular field, found extension"); a repeated one's presence is
  // refused once, as a repeated field's, on its label and type ("expected singular field, found repeated field").
  const presence = 'string tag = 100 [features.field_presence = EXPLICIT];';
  extend(migrated(), presence, [['invalid-extension', presence]]);
  extend(migrated(), 'repeated string tags = 100 [features.field_presence = EXPLICIT];', [['feature-target', 'repeated string']]);
  // Its number is in an extension range of the extendee, and one extension's only.
  extend(proto2, 'optional string tag = 200;', [['invalid-extension', '200']]);
  extend(proto2, 'optional string tag = 100;\n    optional string other = 100;', [['duplicate-number', '100']]);
  extend(migrated(), 'string tag = 199;\n    string other = 100;', []);
  // Only a message is extended, and in proto3 only an options message of descriptor.proto.
  assertInserted(proto2, GO_PACKAGE, 'extend Protocol {\n    optional string tag = 100;\n}', [['not-a-message', 'Protocol']]);
  assertInserted(corpusText(TAG), GO_PACKAGE, 'extend VersionRequest {\n    string tag = 100;\n}', [['invalid-extension', 'VersionRequest']]);
});

test('a group outside proto2, or named in lower case, is a binding error, as protoc says', NEEDS_CORPUS, () => {
  const AT = 'message VersionRequest {\n';
  assertInserted(asProto2(), AT, '    optional group Extra = 9 {\n    }', []);
  assertInserted(asProto2(), AT, '    optional group extra = 9 {\n    }', [['group-name', 'extra']]);
  // At the keyword, as buf marks it ("group syntax is not supported").
  assertInserted(corpusText(TAG), AT, '    optional group Extra = 9 {\n    }', [['group-not-allowed', 'group']]);
  assertInserted(migrated(), AT, '    group Extra = 9 {\n    }', [['group-not-allowed', 'group']]);
});

test('a field released in a proto2 file keeps its encoding and required-ness where the file can say them', NEEDS_CORPUS, () => {
  const proto2 = (text: string): Baseline => ({ tag: TAG, source: 'path', origin: 'test', model: bind(parse(text), 'file:///old/api.proto').model });
  assert.deepEqual(bound(asProto2()).problems.map((p) => p.code), []);
  // proto2 does not pack by default: into proto3 (which does) with [packed = false], into editions with EXPANDED.
  const unpacked = proto2(asProto2());
  const onPort = (text: string): string[] => checkCompatibility(text, bound(text), unpacked).findings.filter((f) => f.element.endsWith('.port')).map((f) => f.rule);
  const intoProto3 = fixed(replaceOnce(corpusText(TAG), PORT, ''), unpacked, 'FIELD_NO_DELETE', 'PortForwardRequest.port', 'Restore the field');
  assert.match(intoProto3, /\n {4}repeated int32 port = 2 \[packed = false\];/);
  assert.deepEqual(onPort(intoProto3), []);
  const intoEditions = fixed(replaceOnce(migrated([IMPLICIT]), PORT, ''), unpacked, 'FIELD_NO_DELETE', 'PortForwardRequest.port', 'Restore the field');
  assert.match(intoEditions, /\n {4}repeated int32 port = 2 \[features\.repeated_field_encoding = EXPANDED\];/);
  assert.deepEqual(onPort(intoEditions), []);
  assert.deepEqual(bound(intoEditions).problems, []);

  // A required field: LEGACY_REQUIRED in editions; proto3 has no required, so no restore there (reserving stays).
  const required = proto2(replaceOnce(asProto2(), 'API.\n    optional string version = 1;\n}\n\nmessage VersionResponse', 'API.\n    required string version = 1;\n}\n\nmessage VersionResponse'));
  const editionsBack = fixed(replaceOnce(migrated([IMPLICIT]), VERSION, 'message VersionRequest {\n'), required, 'FIELD_NO_DELETE', 'VersionRequest.version', 'Restore the field');
  // proto2 checks no string: NONE comes back with it.
  assert.match(editionsBack, /\n {4}string version = 1 \[features\.field_presence = LEGACY_REQUIRED, features\.utf8_validation = NONE\];/);
  assert.deepEqual(bound(editionsBack).problems, []);
  assert.ok(!checkCompatibility(editionsBack, bound(editionsBack), required).findings.some((f) => f.element === 'runtime.v1.VersionRequest.version'));
  const proto3 = replaceOnce(corpusText(TAG), VERSION, 'message VersionRequest {\n');
  const p = bound(proto3);
  const deleted = checkCompatibility(proto3, p, required).findings.filter((f) => f.element === 'runtime.v1.VersionRequest.version');
  assert.deepEqual(deleted.map((f) => f.rule), ['FIELD_NO_DELETE', 'FIELD_REMOVED_WITHOUT_DEPRECATION']);
  const titles = deleted.flatMap((f) => computeFixes(proto3, p, f).map((x) => x.title));
  assert.ok(titles.some((t) => t.startsWith('Reserve')) && !titles.some((t) => /Restore|Deprecate/.test(t)), titles.join('\n'));
});

test('the option packed is a binding error in an editions file, as protoc says', NEEDS_CORPUS, () => {
  const codes = (text: string): string[] => bound(text).problems.map((p) => p.code);
  assert.deepEqual(codes(replaceOnce(migrated([IMPLICIT]), 'repeated int32 port = 2;', 'repeated int32 port = 2 [packed = false];')), ['editions-packed']);
  assert.deepEqual(codes(replaceOnce(corpusText(TAG), 'repeated int32 port = 2;', 'repeated int32 port = 2 [packed = false];')), []);
});

/** `code line:start-end` of each problem of `text`. */
function problemSpots(text: string): string[] {
  return bound(text).problems.map((p) => `${p.code} ${p.range.start.line}:${p.range.start.character}-${p.range.end.character}`);
}

/** `code line:start-end` of the last `needle` in `context`, which occurs once in `text`: where a problem is expected. */
function spot(code: string, text: string, context: string, needle: string): string {
  assert.equal(text.split(context).length, 2, `expected exactly one ${JSON.stringify(context)}`);
  const before = text.slice(0, text.indexOf(context) + context.lastIndexOf(needle)).split('\n');
  const at = before[before.length - 1]!.length;
  return `${code} ${before.length - 1}:${at}-${at + needle.length}`;
}

/** Asserts the problems of `text` with `options` on `field`: `expected` ([code, last needle in the options]). */
function assertWithOptions(text: string, field: string, options: string, expected: [code: string, needle: string][]): void {
  const edited = replaceOnce(text, `${field};`, `${field} [${options}];`);
  assert.deepEqual(problemSpots(edited), expected.map(([code, n]) => spot(code, edited, `${field} [${options}]`, n)), `${field} [${options}]`);
}

/** Asserts the problems of `text` with `statement` inserted after `scope`: `expected` ([code, last needle in statement]). */
function assertInserted(text: string, scope: string, statement: string, expected: [code: string, needle: string][]): void {
  const edited = replaceOnce(text, scope, `${scope}${statement}\n`);
  assert.deepEqual(problemSpots(edited), expected.map(([code, n]) => spot(code, edited, statement, n)), statement);
}

// buf 1.75 marks the field, not the option: "expected packable type" on the type of a repeated field, "expected repeated
// field, found singular field" on the label and type of another (a map's `map<…>`).
test('[packed = true], or the field\'s own repeated_field_encoding, where protoc packs nothing is a binding error, as protoc and buf say', NEEDS_CORPUS, () => {
  const refused = (text: string, field: string, options: string, at: string): void => assertWithOptions(text, field, options, [['not-packable', at]]);
  const accepted = (text: string, field: string, options: string): void => assertWithOptions(text, field, options, []);
  // proto3 and proto2: strings, bytes, messages and maps are not packed, nor is a field that is not repeated.
  for (const text of [corpusText(TAG), asProto2()]) {
    refused(text, 'repeated string servers = 1', 'packed = true', 'string');
    refused(text, 'repeated Mount mounts = 7', 'packed = true', 'Mount');
    refused(text, 'map<string, string> labels = 6', 'packed = true', 'map<string, string>');
    const timeout = `${text.includes('syntax = "proto2";') ? 'optional ' : ''}int64`;
    refused(text, `${timeout} timeout = 2`, 'deprecated = true, packed = true', timeout);
    // false asks for what these fields get anyway; true on a repeated number is what packing is for.
    accepted(text, 'repeated string servers = 1', 'packed = false');
    accepted(text, 'repeated int32 port = 2', 'packed = true');
  }
  // Editions: PACKED on a field that cannot be packed, and any encoding on a field that is not repeated.
  const editions = migrated([IMPLICIT]);
  refused(editions, 'repeated string servers = 1', 'features.repeated_field_encoding = PACKED', 'string');
  refused(editions, 'repeated string servers = 1', 'features = { repeated_field_encoding: PACKED }', 'string');
  refused(editions, 'repeated Mount mounts = 7', 'features.repeated_field_encoding = PACKED', 'Mount');
  refused(editions, 'int64 timeout = 2', 'features.repeated_field_encoding = EXPANDED', 'int64');
  accepted(editions, 'repeated string servers = 1', 'features.repeated_field_encoding = EXPANDED');
  accepted(editions, 'repeated int32 port = 2', 'features.repeated_field_encoding = PACKED');
});

test('string ↔ bytes: a string whose utf8_validation resolves to NONE (file or field) rejects nothing', NEEDS_CORPUS, () => {
  const baseline: Baseline = { tag: TAG, source: 'path', origin: 'test', model: released() };
  /** The FIELD_TYPE_CHANGED message of `text` against `against`, without its element and baseline. */
  const said = (text: string, against = baseline): string[] => {
    const b = bound(text);
    assert.deepEqual(b.problems, []);
    return checkCompatibility(text, b, against).findings.filter((f) => f.rule === 'FIELD_TYPE_CHANGED').map((f) => `${f.rule} ${f.category} ${f.severity} ${f.message.replace(/^field "[^"]+" changed type from \S+ to \S+ \(baseline [^)]+\); /, '')}`);
  };
  const toString = (fileOptions: string[]): string => replaceOnce(migrated([IMPLICIT, ...fileOptions]), '    bytes stdout = 1;', '    string stdout = 1;');
  // VERIFY (the 2023 default): the peer built from this file reads a string and checks it.
  const checked = ['FIELD_TYPE_CHANGED WIRE error the encoding is the same, but a peer built from this file rejects a message in which stdout holds bytes that are not valid UTF-8 (an editions file checks a string when parsing it, unless features.utf8_validation = NONE), and JSON and Go types change'];
  assert.deepEqual(said(toString([])), checked);
  assert.deepEqual(said(toString(['option features.utf8_validation = VERIFY;'])), checked);
  // NONE: nobody rejects the bytes; values, JSON and Go types still change, a WIRE error as before.
  const unchecked = ['FIELD_TYPE_CHANGED WIRE error wire-compatible, but values, JSON and Go types change'];
  assert.deepEqual(said(toString(['option features.utf8_validation = NONE;'])), unchecked);
  // Whole, without IMPLICIT set in parts before it (buf: "set multiple times").
  assert.deepEqual(said(replaceOnce(migrated(['option features = { field_presence: IMPLICIT, utf8_validation: NONE };']), '    bytes stdout = 1;', '    string stdout = 1;')), unchecked);
  assert.deepEqual(said(replaceOnce(toString([]), '    string stdout = 1;', '    string stdout = 1 [features.utf8_validation = NONE];')), unchecked);
  // The field overrides the file, either way.
  assert.deepEqual(said(replaceOnce(toString(['option features.utf8_validation = NONE;']), '    string stdout = 1;', '    string stdout = 1 [features.utf8_validation = VERIFY];')), checked);

  // string → bytes: the released side reads the string; released from an editions file with NONE, it checks nothing.
  const released2023 = (fileOptions: string[]): Baseline => ({ tag: TAG, source: 'path', origin: 'test', model: bound(migrated([IMPLICIT, ...fileOptions])).model });
  const toBytes = replaceOnce(migrated([IMPLICIT]), '    string runtime_name = 2;', '    bytes runtime_name = 2;');
  assert.deepEqual(said(toBytes, released2023([])), [`FIELD_TYPE_CHANGED WIRE error the encoding is the same, but a peer built from ${TAG} rejects a message in which runtime_name holds bytes that are not valid UTF-8 (an editions file checks a string when parsing it, unless features.utf8_validation = NONE), and JSON and Go types change`]);
  assert.deepEqual(said(toBytes, released2023(['option features.utf8_validation = NONE;'])), unchecked);
  // A map's string values, as a string field's.
  const mapToBytes = replaceOnce(migrated([IMPLICIT]), 'map<string, string> annotations = 10;', 'map<string, bytes> annotations = 10;');
  assert.match(said(mapToBytes, released2023([]))[0]!, /rejects a message in which annotations holds bytes/);
  assert.deepEqual(said(mapToBytes, released2023(['option features.utf8_validation = NONE;'])), unchecked);
});

test('a closed enum from an imported proto2 or editions file: an error in a proto3 file, and in an implicit-presence field', NEEDS_CORPUS, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cri-compat-closed-enums-'));
  try {
    writeFileSync(join(dir, 'legacy.proto'), 'syntax = "proto2";\npackage dep;\nenum Legacy {\n  A = 1;\n  B = 2;\n}\n');
    // Closed by the file's feature (also the nested enum), but for the enum that opens itself. (buf agrees on all below.)
    writeFileSync(join(dir, 'ed.proto'), 'edition = "2023";\npackage dep;\noption features.enum_type = CLOSED;\nenum Closed {\n  X = 1;\n}\n' +
      'enum Open {\n  option features.enum_type = OPEN;\n  Y = 0;\n}\nmessage Holder {\n  enum Inner {\n    Z = 1;\n  }\n}\n');
    const resolver = new FsImportResolver({ roots: [dir] });
    const uri = pathToFileURL(join(dir, 'api.proto')).href;
    /** The closed-enum problems of `text`, bound with its imports, as `code type`. */
    const problems = (text: string): string[] => bind(parse(text), uri, resolver).problems.map((p) => `${p.code} ${/closed enum "([^"]+)"/.exec(p.message)?.[1] ?? p.message}`);
    const importing = (text: string): string => replaceOnce(text, GO_PACKAGE, `${GO_PACKAGE}import "legacy.proto";\nimport "ed.proto";\n`);
    const protocol = (text: string, type: string): string => replaceOnce(text, '    Protocol protocol = 1;', `    ${type} protocol = 1;`);

    // proto3 (the released file): every closed enum is an error, whatever the label; an open one is not.
    const proto3 = importing(corpusText(TAG));
    assert.deepEqual(problems(proto3), []);
    for (const type of ['dep.Legacy', 'dep.Closed', 'dep.Holder.Inner', 'repeated dep.Legacy', 'optional dep.Closed']) {
      const enumName = type.replace(/^\w+ /, '');
      assert.deepEqual(problems(protocol(proto3, type)), [`closed-enum-in-proto3 ${enumName}`], type);
    }
    assert.deepEqual(problems(protocol(proto3, 'dep.Open')), []);
    // Also as a map's values.
    assert.deepEqual(problems(protocol(proto3, 'map<string, dep.Legacy>')), ['closed-enum-in-proto3 dep.Legacy']);
    assert.deepEqual(problems(protocol(proto3, 'map<string, dep.Open>')), []);
    // The file named by its path as the import statement writes it (not the file's URI), as the import's own problems do.
    const message = bind(parse(protocol(proto3, 'dep.Legacy')), uri, resolver).problems[0]!.message;
    assert.equal(message, 'closed enum "dep.Legacy" (declared in "legacy.proto") cannot be used in a proto3 file: only open enums can');
    writeFileSync(join(dir, 'wrap.proto'), 'syntax = "proto2";\npackage wrap;\nimport public "legacy.proto";\n');
    const wrapped = replaceOnce(protocol(corpusText(TAG), 'dep.Legacy'), GO_PACKAGE, `${GO_PACKAGE}import "wrap.proto";\n`);
    assert.deepEqual(bind(parse(wrapped), uri, resolver).problems.map((p) => p.message),
      ['closed enum "dep.Legacy" (declared in "legacy.proto", which "wrap.proto" imports publicly) cannot be used in a proto3 file: only open enums can']);

    // Editions with implicit presence: only a field of implicit presence.
    const editions = importing(migrated([IMPLICIT]));
    assert.deepEqual(problems(protocol(editions, 'dep.Legacy')), ['closed-enum-implicit-presence dep.Legacy']);
    assert.deepEqual(problems(protocol(editions, 'dep.Holder.Inner')), ['closed-enum-implicit-presence dep.Holder.Inner']);
    assert.deepEqual(problems(protocol(editions, 'dep.Closed')), ['closed-enum-implicit-presence dep.Closed']);
    assert.deepEqual(problems(protocol(editions, 'repeated dep.Closed')), []);
    assert.deepEqual(problems(protocol(editions, 'dep.Open')), []);
    assert.deepEqual(problems(replaceOnce(protocol(editions, 'dep.Legacy'), 'protocol = 1;', 'protocol = 1 [features.field_presence = EXPLICIT];')), []);

    // An import that is not found says only that: whether its enums are closed is not known.
    rmSync(join(dir, 'legacy.proto'));
    assert.deepEqual(bind(parse(protocol(proto3, 'dep.Legacy')), uri, new FsImportResolver({ roots: [dir] })).problems.map((p) => p.code), ['unresolved-import', 'unresolved-type']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a deleted value 0 of an open editions enum goes back first, as in proto3; of a closed one, where the release had it', NEEDS_CORPUS, () => {
  // TCP = 0 deleted and a new value declared first: above UDP (its released neighbour) the enum would still start
  // with QUIC = 3, which an open enum (the 2023 default) refuses.
  const released: Baseline = { tag: TAG, source: 'path', origin: 'test', model: bind(parse(corpusText(TAG)), 'file:///old/api.proto').model };
  const open = replaceOnce(migrated(), '    TCP = 0;\n    UDP = 1;\n', '    QUIC = 3;\n    UDP = 1;\n');
  assert.deepEqual(bound(open).problems.map((p) => p.code), ['enum-first-not-zero']);
  for (const title of ['Restore the enum value', 'Deprecate instead of deleting']) {
    const restored = fixed(open, released, 'ENUM_VALUE_NO_DELETE', 'Protocol.TCP', title);
    assert.match(restored, /enum Protocol \{\n( {4}\/\/ Deprecated: .*\n)? {4}TCP = 0( \[deprecated = true\])?;\n {4}QUIC = 3;\n {4}UDP = 1;\n/, title);
    assert.deepEqual(bound(restored).problems.map((p) => p.code), [], title);
  }
  // Reserving 0 instead would leave the enum without its default: not offered (for a closed enum it is).
  const titles = (text: string): string[] => {
    const b = bound(text);
    const f = checkCompatibility(text, b, released).findings.find((x) => x.rule === 'ENUM_VALUE_NO_DELETE' && x.element === 'runtime.v1.Protocol.TCP')!;
    return computeFixes(text, b, f).map((x) => x.title);
  };
  assert.ok(!titles(open).some((t) => t.startsWith('Reserve')), titles(open).join('\n'));
  // Nor where the enum type is a number of none of its values, which the model reads as closed but buf checks as open.
  const unknown = replaceOnce(open, 'enum Protocol {\n', 'enum Protocol {\n    option features.enum_type = 7;\n');
  assert.deepEqual(bound(unknown).problems.map((p) => p.code), ['enum-first-not-zero']);
  assert.ok(!titles(unknown).some((t) => t.startsWith('Reserve')), titles(unknown).join('\n'));
  assert.match(fixed(unknown, released, 'ENUM_VALUE_NO_DELETE', 'Protocol.TCP', 'Restore the enum value'), /\n {4}TCP = 0;\n {4}QUIC = 3;\n {4}UDP = 1;\n/);
  // A closed enum may start anywhere: TCP goes back above UDP, where the release declared it.
  const closed = replaceOnce(open, 'enum Protocol {\n', 'enum Protocol {\n    option features.enum_type = CLOSED;\n');
  assert.ok(titles(closed).some((t) => t.startsWith('Reserve')), titles(closed).join('\n'));
  assert.match(fixed(closed, released, 'ENUM_VALUE_NO_DELETE', 'Protocol.TCP', 'Restore the enum value'), /\n {4}QUIC = 3;\n {4}TCP = 0;\n {4}UDP = 1;\n/);
});

/** A baseline bound from `text` (an editions or proto2 variant of v0.36.3), as if released as v0.36.3. */
const releasedAs = (text: string): Baseline => ({ tag: TAG, source: 'path', origin: 'test', model: bind(parse(text), 'file:///old/api.proto').model });

/** `RULE Message.field` of the findings of `rule` of `text` against `baseline`. */
function findingsOf(rule: string, text: string, baseline: Baseline = releasedAs(corpusText(TAG))): string[] {
  const b = bound(text);
  assert.deepEqual(b.problems.map((p) => `${p.code} ${p.message}`), []);
  return checkCompatibility(text, b, baseline).findings.filter((f) => f.rule === rule).map((f) => `${f.rule} ${f.element.replace(/^runtime\.v1\./, '')}`).sort();
}

/** Released fields that hold strings: string fields, and maps with string keys or values. */
const stringField = (f: FieldDef): boolean => f.type === 'string' || (f.typeKind === 'map' && f.type.includes('string'));

test('FIELD_UTF8_VALIDATION_CHANGED: a string field whose utf8_validation resolves to NONE on one side only (file or field)', NEEDS_CORPUS, () => {
  const RULE = 'FIELD_UTF8_VALIDATION_CHANGED';
  const none = 'option features.utf8_validation = NONE;';
  assert.deepEqual(findingsOf(RULE, migrated([IMPLICIT])), [], 'VERIFY, the 2023 default, is what proto3 does');
  const every = fieldsWhere(RULE, stringField);
  assert.ok(every.length > 100 && every.includes(`${RULE} PodSandboxConfig.labels`), 'v0.36.3 has many string fields and string maps');
  assert.deepEqual(findingsOf(RULE, migrated([IMPLICIT, none])), every);
  assert.deepEqual(findingsOf(RULE, migrated(['option features = { field_presence: IMPLICIT, utf8_validation: NONE };'])), every);
  // On one field; a field's VERIFY overrides the file's NONE (protoc takes the feature on no message).
  assert.deepEqual(findingsOf(RULE, replaceOnce(migrated([IMPLICIT, none]), 'string runtime_name = 2;', 'string runtime_name = 2 [features.utf8_validation = VERIFY];')),
    every.filter((f) => f !== `${RULE} VersionResponse.runtime_name`));
  const onField = replaceOnce(migrated([IMPLICIT]), 'string runtime_name = 2;', 'string runtime_name = 2 [features.utf8_validation = NONE];');
  assert.deepEqual(findingsOf(RULE, onField), [`${RULE} VersionResponse.runtime_name`]);

  // The message names the field, both sides and the one that rejects; the other way round from an editions release.
  const message = (text: string, baseline?: Baseline): string[] => {
    const b = bound(text);
    return checkCompatibility(text, b, baseline ?? releasedAs(corpusText(TAG))).findings.filter((f) => f.rule === RULE).map((f) => `${f.category} ${f.severity} ${f.message}`);
  };
  assert.deepEqual(message(onField), [`WIRE error field "VersionResponse.runtime_name" changed its UTF-8 validation from VERIFY to NONE (baseline ${TAG}): a peer built from ${TAG} rejects a message in which runtime_name holds bytes that are not valid UTF-8, which one built from this file may send`]);
  assert.deepEqual(message(corpusText(TAG), releasedAs(onField)), [`WIRE error field "VersionResponse.runtime_name" changed its UTF-8 validation from NONE to VERIFY (baseline ${TAG}): a peer built from this file rejects a message in which runtime_name holds bytes that are not valid UTF-8, which one built from ${TAG} may send`]);
  // proto2 checks no string: a proto2 release read by a proto3 or editions file, and back into proto2 from NONE.
  assert.deepEqual(findingsOf(RULE, corpusText(TAG), releasedAs(asProto2())), every);
  assert.deepEqual(findingsOf(RULE, migrated([IMPLICIT, none]), releasedAs(asProto2())), []);
  assert.deepEqual(findingsOf(RULE, asProto2(), releasedAs(migrated([IMPLICIT, none]))), []);
  // A change between string and bytes stays FIELD_TYPE_CHANGED alone, which says who checks UTF-8 (a bytes field
  // takes no utf8_validation: protoc refuses it).
  assert.deepEqual(findingsOf(RULE, replaceOnce(onField, 'string runtime_name = 2 [features.utf8_validation = NONE]', 'bytes runtime_name = 2')), []);
  assert.deepEqual(findingsOf(RULE, corpusText(TAG), releasedAs(replaceOnce(onField, 'string runtime_name = 2 [features.utf8_validation = NONE]', 'bytes runtime_name = 2'))), []);
});

test('a restored string field says its released UTF-8 validation in an editions file where it differs from the file', NEEDS_CORPUS, () => {
  // Released NONE (on the field) into a file that verifies: NONE on the field, and no finding left.
  const releasedNone = releasedAs(replaceOnce(migrated([IMPLICIT]), VERSION, VERSION.replace('version = 1;', 'version = 1 [features.utf8_validation = NONE];')));
  const noVersion = replaceOnce(migrated([IMPLICIT]), VERSION, 'message VersionRequest {\n');
  for (const title of ['Restore the field', 'Deprecate instead of deleting']) {
    const restored = fixed(noVersion, releasedNone, 'FIELD_NO_DELETE', 'VersionRequest.version', title);
    assert.match(restored, /\n {4}string version = 1 \[features\.utf8_validation = NONE(, deprecated = true)?\];/, title);
    if (title === 'Restore the field') assertRestored(restored, releasedNone);
    assertValidProto(restored, title);
  }
  // Released NONE by proto2, into a file that already says NONE: nothing to add.
  const proto2 = releasedAs(asProto2());
  const intoNone = replaceOnce(migrated([IMPLICIT, 'option features.utf8_validation = NONE;']), VERSION, 'message VersionRequest {\n');
  assert.match(fixed(intoNone, proto2, 'FIELD_NO_DELETE', 'VersionRequest.version', 'Restore the field'), /\n {4}string version = 1;\n/);
  // Released VERIFY (proto3) into a file that says NONE: VERIFY on the field.
  const verifyBack = fixed(intoNone, releasedAs(corpusText(TAG)), 'FIELD_NO_DELETE', 'VersionRequest.version', 'Restore the field');
  assert.match(verifyBack, /\n {4}string version = 1 \[features\.utf8_validation = VERIFY\];/);
  // The file's NONE changes every other string field; the restored one is as released.
  assert.deepEqual(bound(verifyBack).problems, []);
  assert.deepEqual(checkCompatibility(verifyBack, bound(verifyBack), releasedAs(corpusText(TAG))).findings.filter((f) => f.element === 'runtime.v1.VersionRequest.version'), []);
});

test('ENUM_OPEN_CLOSED_CHANGED: an enum that features.enum_type (or proto2) closes on one side only', NEEDS_CORPUS, () => {
  const RULE = 'ENUM_OPEN_CLOSED_CHANGED';
  const closed = 'option features.enum_type = CLOSED;';
  const every = released().enums.map((e) => `${RULE} ${e.fqn.replace(/^runtime\.v1\./, '')}`).sort();
  assert.ok(every.length > 10 && every.includes(`${RULE} SecurityProfile.ProfileType`), 'v0.36.3 has top-level and nested enums');
  // Explicit presence (the 2023 default), which may hold a closed enum.
  assert.deepEqual(findingsOf(RULE, migrated()), [], 'OPEN, the 2023 default, is what proto3 does');
  assert.deepEqual(findingsOf(RULE, migrated([closed])), every);
  // One enum opened again under the file's CLOSED; a nested one and a top-level one closed on their own (protoc
  // takes the feature on no message).
  assert.deepEqual(findingsOf(RULE, replaceOnce(migrated([closed]), 'enum Protocol {\n', 'enum Protocol {\n    option features.enum_type = OPEN;\n')),
    every.filter((e) => e !== `${RULE} Protocol`));
  assert.deepEqual(findingsOf(RULE, replaceOnce(migrated(), 'enum ProfileType {\n', `enum ProfileType {\n        ${closed}\n`)), [`${RULE} SecurityProfile.ProfileType`]);
  const protocolClosed = replaceOnce(migrated(), 'enum Protocol {\n', `enum Protocol {\n    ${closed}\n`);
  assert.deepEqual(findingsOf(RULE, protocolClosed), [`${RULE} Protocol`]);

  const message = (text: string, baseline: Baseline): string[] => checkCompatibility(text, bound(text), baseline).findings.filter((f) => f.rule === RULE).map((f) => `${f.category} ${f.severity} ${f.message}`);
  assert.deepEqual(message(protocolClosed, releasedAs(corpusText(TAG))), [`WIRE error enum "Protocol" changed from open to closed (baseline ${TAG}): a peer built from this file sets a number it does not know aside as an unknown field, where one built from ${TAG} keeps it in the field`]);
  assert.deepEqual(message(corpusText(TAG), releasedAs(protocolClosed)), [`WIRE error enum "Protocol" changed from closed to open (baseline ${TAG}): a peer built from ${TAG} sets a number it does not know aside as an unknown field, where one built from this file keeps it in the field`]);
  // proto2's enums are closed: against proto3 every enum changes, against editions that close them none does.
  assert.deepEqual(findingsOf(RULE, corpusText(TAG), releasedAs(asProto2())), every);
  assert.deepEqual(findingsOf(RULE, migrated([closed]), releasedAs(asProto2())), []);
});

test('a released string field is not restored into proto2 or proto3 where that file cannot say its released UTF-8 validation', NEEDS_CORPUS, () => {
  // proto3 cannot turn validation off and proto2 cannot turn it on: a restore there would be a
  // FIELD_UTF8_VALIDATION_CHANGED of its own, so reserving (and the suppression) is what is left.
  const offered = (text: string, baseline: Baseline): string[] => {
    const b = bound(text);
    const deleted = checkCompatibility(text, b, baseline).findings.filter((f) => f.element === 'runtime.v1.VersionRequest.version');
    assert.ok(deleted.some((f) => f.rule === 'FIELD_NO_DELETE'));
    return deleted.flatMap((f) => computeFixes(text, b, f).map((x) => x.title));
  };
  const noRestore = (titles: string[]): boolean => titles.some((t) => t.startsWith('Reserve')) && !titles.some((t) => /Restore|Deprecate/.test(t));
  const intoProto3 = offered(replaceOnce(corpusText(TAG), VERSION, 'message VersionRequest {\n'), releasedAs(asProto2()));
  assert.ok(noRestore(intoProto3), intoProto3.join('\n'));
  const intoProto2 = offered(replaceOnce(asProto2(), 'API.\n    optional string version = 1;\n}\n\nmessage VersionResponse', 'API.\n}\n\nmessage VersionResponse'), releasedAs(corpusText(TAG)));
  assert.ok(noRestore(intoProto2), intoProto2.join('\n'));
  // A released bytes field has no validation to lose: it still comes back into proto3.
  const bytesReleased = releasedAs(replaceOnce(asProto2(), 'API.\n    optional string version = 1;\n}\n\nmessage VersionResponse', 'API.\n    optional bytes version = 1;\n}\n\nmessage VersionResponse'));
  const back = fixed(replaceOnce(corpusText(TAG), VERSION, 'message VersionRequest {\n'), bytesReleased, 'FIELD_NO_DELETE', 'VersionRequest.version', 'Restore the field');
  assert.match(back, /\n {4}optional bytes version = 1;/);
});

test('a released string type is not restored where the file checks UTF-8 otherwise; a proto2 group gets no retype', NEEDS_CORPUS, () => {
  // The retype would trade FIELD_TYPE_CHANGED for FIELD_UTF8_VALIDATION_CHANGED, as a restore there would.
  const titles = (text: string, baseline: Baseline, element: string): string[] => {
    const b = bound(text);
    const changed = checkCompatibility(text, b, baseline).findings.filter((f) => f.element === `runtime.v1.${element}` && /^FIELD_TYPE_/.test(f.rule));
    assert.ok(changed.length > 0, `${element}: the type change is reported`);
    return changed.flatMap((f) => computeFixes(text, b, f).map((x) => x.title));
  };
  const released = releasedAs(corpusText(TAG));
  const bytesIn = (text: string, label: string): string => replaceOnce(text, `API.\n    ${label}string version = 1;\n}`, `API.\n    ${label}bytes version = 1;\n}`);
  assert.ok(!titles(bytesIn(asProto2(), 'optional '), released, 'VersionRequest.version').some((t) => t.startsWith('Restore the released type')));
  assert.ok(!titles(bytesIn(migrated(['option features.utf8_validation = NONE;']), ''), released, 'VersionRequest.version').some((t) => t.startsWith('Restore the released type')));
  // Where the file checks UTF-8 as the release did, the string comes back.
  assert.equal(fixed(bytesIn(migrated(), ''), released, 'FIELD_TYPE_CHANGED', 'VersionRequest.version', 'Restore the released type "string"'), migrated());
  // A group in place of a released int32: a scalar written over the group's name would make no field.
  const group = replaceOnce(asProto2(), 'optional int32 container_port = 2;', 'optional group Container_port = 2 { optional int32 p = 1; }');
  assert.ok(!titles(group, released, 'PortMapping.container_port').some((t) => t.startsWith('Restore the released type')));
});

test('a released type is not written back under options that protoc refuses on it: a default, utf8_validation off a string, packing on a string', NEEDS_CORPUS, () => {
  const retypes = (text: string, element: string): boolean => {
    const b = bound(text);
    const changed = checkCompatibility(text, b, releasedAs(corpusText(TAG))).findings.filter((f) => f.element === `runtime.v1.${element}` && /^FIELD_TYPE_/.test(f.rule));
    assert.ok(changed.length > 0, `${element}: the type change is reported`);
    return changed.some((f) => computeFixes(text, b, f).some((x) => x.title.startsWith('Restore the released type')));
  };
  // buf: "expected `string`, found scalar type `int32`" for the feature, "mismatched types" for the default.
  const utf8 = replaceOnce(migrated(), 'int32 container_port = 2;', 'string container_port = 2 [features.utf8_validation = NONE];');
  assert.ok(!retypes(utf8, 'PortMapping.container_port'));
  const aggregate = replaceOnce(migrated(), 'int32 container_port = 2;', 'string container_port = 2 [features = { utf8_validation: NONE }];');
  assert.ok(!retypes(aggregate, 'PortMapping.container_port'));
  assert.ok(!retypes(replaceOnce(asProto2(), 'optional int32 container_port = 2;', 'optional string container_port = 2 [default = "80"];'), 'PortMapping.container_port'));
  // Without them the released type comes back.
  assert.ok(retypes(replaceOnce(migrated(), 'int32 container_port = 2;', 'string container_port = 2;'), 'PortMapping.container_port'));
  // A string is never packed: buf says "expected packable type, found scalar type `string`" for `[packed = true]` on
  // one, and for a field's own PACKED; `[packed = false]` and EXPANDED it takes.
  const servers = (text: string, options: string): string => replaceOnce(text, 'repeated string servers = 1;', `repeated int64 servers = 1${options};`);
  assert.ok(!retypes(servers(corpusText(TAG), ' [packed = true]'), 'DNSConfig.servers'));
  assert.ok(!retypes(servers(migrated(), ' [features.repeated_field_encoding = PACKED]'), 'DNSConfig.servers'));
  // The same encoding set in an aggregate (buf: the same error).
  assert.ok(!retypes(servers(migrated(), ' [features = { repeated_field_encoding: PACKED }]'), 'DNSConfig.servers'));
  assert.ok(retypes(servers(migrated(), ' [features = { repeated_field_encoding: EXPANDED }]'), 'DNSConfig.servers'));
  assert.ok(retypes(servers(corpusText(TAG), ' [packed = false]'), 'DNSConfig.servers'));
  assert.ok(retypes(servers(migrated(), ' [features.repeated_field_encoding = EXPANDED]'), 'DNSConfig.servers'));
});

test('FIELD_PACKED_CHANGED against a proto2 release: only fields protoc can pack, not repeated strings or bytes', NEEDS_CORPUS, () => {
  // proto2 packs nothing by default, proto3 every packable repeated field; a string or bytes field is never packed.
  const packable = (f: FieldDef): boolean => f.label === 'repeated' && (f.typeKind === 'enum' || (f.typeKind === 'scalar' && f.type !== 'string' && f.type !== 'bytes'));
  const expected = fieldsWhere('FIELD_PACKED_CHANGED', packable);
  assert.ok(released().messages.some((m) => m.fields.some((f) => f.label === 'repeated' && f.type === 'string')), 'v0.36.3 has repeated string fields');
  assert.deepEqual(findingsOf('FIELD_PACKED_CHANGED', corpusText(TAG), releasedAs(asProto2())), expected);
});

/** `RULE element` of every finding of `text` against `baseline`. */
function findingKeys(text: string, baseline: Baseline): string[] {
  return checkCompatibility(text, bound(text), baseline).findings.map((f) => `${f.rule} ${f.element.replace(/^runtime\.v1\./, '')}`).sort();
}

/**
 * `text` with the fix `title` of the finding `rule` on `element` applied, asserting that the result is a valid file
 * whose findings are those of `text` but the fixed one: the fix clears its finding and causes none.
 */
function fixedAlone(text: string, baseline: Baseline, rule: string, element: string, title: string): string {
  const out = fixed(text, baseline, rule, element, title);
  assertValidProto(out, title);
  assert.deepEqual(findingKeys(out, baseline), findingKeys(text, baseline).filter((k) => k !== `${rule} ${element}`), title);
  return out;
}

/** The titles of the fixes of the finding `rule` on `element` (which must be reported), the suppression left out. */
function fixTitles(text: string, baseline: Baseline, rule: string, element: string): string[] {
  const b = bound(text);
  const f = checkCompatibility(text, b, baseline).findings.find((x) => x.rule === rule && x.element === `runtime.v1.${element}`);
  assert.ok(f, `${rule} ${element} is reported`);
  return computeFixes(text, b, f).map((x) => x.title).filter((t) => !t.startsWith('Ignore '));
}

test('FIELD_UTF8_VALIDATION_CHANGED: the released validation comes back where an editions file can say it, by the smallest edit', NEEDS_CORPUS, () => {
  const RULE = 'FIELD_UTF8_VALIDATION_CHANGED';
  const TITLE = 'Restore the released UTF-8 validation';
  const none = 'option features.utf8_validation = NONE;';
  const proto3 = releasedAs(corpusText(TAG));
  // A field's own NONE under a file that verifies: the override goes, and the file is as migrated.
  const onField = replaceOnce(migrated([IMPLICIT]), 'string runtime_name = 2;', 'string runtime_name = 2 [features.utf8_validation = NONE];');
  assert.equal(fixedAlone(onField, proto3, RULE, 'VersionResponse.runtime_name', TITLE), migrated([IMPLICIT]));
  // Next to another option, only the override goes.
  const withRedact = replaceOnce(migrated([IMPLICIT]), 'string password = 2 [debug_redact = true];', 'string password = 2 [debug_redact = true, features.utf8_validation = NONE];');
  assert.equal(fixedAlone(withRedact, proto3, RULE, 'AuthConfig.password', TITLE), migrated([IMPLICIT]));
  // Under the file's NONE: VERIFY on the field, alone or after its options; the other fields keep their findings.
  const fileNone = migrated([IMPLICIT, none]);
  assert.match(fixedAlone(fileNone, proto3, RULE, 'VersionResponse.runtime_name', TITLE), /\n {4}string runtime_name = 2 \[features\.utf8_validation = VERIFY\];\n/);
  assert.match(fixedAlone(fileNone, proto3, RULE, 'AuthConfig.password', TITLE), /\n {4}string password = 2 \[debug_redact = true, features\.utf8_validation = VERIFY\];\n/);
  // A field's own NONE under the file's NONE: its value turns.
  const bothNone = replaceOnce(fileNone, 'string runtime_name = 2;', 'string runtime_name = 2 [features.utf8_validation = NONE];');
  assert.match(fixedAlone(bothNone, proto3, RULE, 'VersionResponse.runtime_name', TITLE), /\n {4}string runtime_name = 2 \[features\.utf8_validation = VERIFY\];\n/);
  // Released by proto2 (NONE) into a file that verifies: NONE on the field, also on a map of strings.
  const proto2 = releasedAs(asProto2());
  assert.match(fixedAlone(migrated([IMPLICIT]), proto2, RULE, 'VersionResponse.runtime_name', TITLE), /\n {4}string runtime_name = 2 \[features\.utf8_validation = NONE\];\n/);
  assert.match(fixedAlone(migrated([IMPLICIT]), proto2, RULE, 'PodSandboxConfig.labels', TITLE), /\n {4}map<string, string> labels = 6 \[features\.utf8_validation = NONE\];\n/);
  // proto3 always verifies and proto2 never does: nothing to write there.
  assert.deepEqual(fixTitles(corpusText(TAG), releasedAs(onField), RULE, 'VersionResponse.runtime_name'), []);
  assert.deepEqual(fixTitles(asProto2(), proto3, RULE, 'VersionResponse.runtime_name'), []);
  // The field's own setting in an aggregate `features = { … }` turns there: a second features option next to it
  // would be protoc's error ("set multiple times").
  const aggregate = replaceOnce(migrated([IMPLICIT]), 'string runtime_name = 2;', 'string runtime_name = 2 [features = { utf8_validation: NONE }];');
  assert.match(fixedAlone(aggregate, proto3, RULE, 'VersionResponse.runtime_name', TITLE), /\n {4}string runtime_name = 2 \[features = \{ utf8_validation: VERIFY \}\];\n/);
  // Its own setting, not pb.java's after it.
  const withJava = replaceOnce(migrated(['import "google/protobuf/java_features.proto";', IMPLICIT]), 'string runtime_name = 2;', 'string runtime_name = 2 [features = { utf8_validation: NONE, [pb.java] { utf8_validation: DEFAULT } }];');
  assert.match(fixedAlone(withJava, proto3, RULE, 'VersionResponse.runtime_name', TITLE),
    /\n {4}string runtime_name = 2 \[features = \{ utf8_validation: VERIFY, \[pb\.java\] \{ utf8_validation: DEFAULT \} \}\];\n/);
  // The value as the parser read it, not a comment in the braces that names the feature too.
  const commented = replaceOnce(migrated([IMPLICIT]), 'string runtime_name = 2;', 'string runtime_name = 2 [features = { /* utf8_validation: VERIFY */ utf8_validation: NONE }];');
  assert.match(fixedAlone(commented, proto3, RULE, 'VersionResponse.runtime_name', TITLE),
    /\n {4}string runtime_name = 2 \[features = \{ \/\* utf8_validation: VERIFY \*\/ utf8_validation: VERIFY \}\];\n/);
  // An aggregate of other features only: nothing is added beside it.
  const otherAggregate = replaceOnce(fileNone, 'string runtime_name = 2;', 'string runtime_name = 2 [features = { field_presence: IMPLICIT }];');
  assert.deepEqual(fixTitles(otherAggregate, proto3, RULE, 'VersionResponse.runtime_name'), []);
});

test('ENUM_OPEN_CLOSED_CHANGED: the released enum type comes back on the enum of an editions file, where the file takes it', NEEDS_CORPUS, () => {
  const RULE = 'ENUM_OPEN_CLOSED_CHANGED';
  const closed = 'option features.enum_type = CLOSED;';
  const proto3 = releasedAs(corpusText(TAG));
  // The enum's own CLOSED under a file that leaves enums open: the statement goes, and the file is as migrated.
  const protocolClosed = replaceOnce(migrated(), 'enum Protocol {\n', `enum Protocol {\n    ${closed}\n`);
  assert.equal(fixedAlone(protocolClosed, proto3, RULE, 'Protocol', 'Make the enum open again'), migrated());
  // Under the file's CLOSED: OPEN on the enum (protoc takes enum_type on the file or an enum only), a nested one too.
  const fileClosed = migrated([closed]);
  assert.match(fixedAlone(fileClosed, proto3, RULE, 'Protocol', 'Make the enum open again'), /\nenum Protocol \{\n {4}option features\.enum_type = OPEN;\n {4}TCP = 0;\n/);
  assert.match(fixedAlone(fileClosed, proto3, RULE, 'SecurityProfile.ProfileType', 'Make the enum open again'), /\n {4}enum ProfileType \{\n {8}option features\.enum_type = OPEN;\n/);
  // An own CLOSED with a comment above stays and turns: without it, the comment would document TCP.
  const commented = replaceOnce(migrated(), 'enum Protocol {\n', `enum Protocol {\n    // Closed for now.\n    ${closed}\n`);
  assert.match(fixedAlone(commented, proto3, RULE, 'Protocol', 'Make the enum open again'), /\n {4}\/\/ Closed for now\.\n {4}option features\.enum_type = OPEN;\n {4}TCP = 0;\n/);
  // The enum's own CLOSED in an aggregate turns there.
  const aggregate = replaceOnce(migrated(), 'enum Protocol {\n', 'enum Protocol {\n    option features = { enum_type: CLOSED };\n');
  assert.match(fixedAlone(aggregate, proto3, RULE, 'Protocol', 'Make the enum open again'), /\nenum Protocol \{\n {4}option features = \{ enum_type: OPEN \};\n {4}TCP = 0;\n/);
  // Released closed, into an open file: CLOSED on the enum.
  assert.match(fixedAlone(migrated(), releasedAs(protocolClosed), RULE, 'Protocol', 'Make the enum closed again'), /\nenum Protocol \{\n {4}option features\.enum_type = CLOSED;\n {4}TCP = 0;\n/);
  // An open enum must start at 0: with TCP = 0 moved last, opening it is a compile error, so nothing is offered.
  const reordered = replaceOnce(protocolClosed, '    TCP = 0;\n    UDP = 1;\n    SCTP = 2;\n', '    UDP = 1;\n    SCTP = 2;\n    TCP = 0;\n');
  assert.deepEqual(fixTitles(reordered, proto3, RULE, 'Protocol'), []);
  // A closed enum in a field of implicit presence is a compile error (PortMapping.protocol): nothing either.
  assert.deepEqual(fixTitles(migrated([IMPLICIT]), releasedAs(protocolClosed), RULE, 'Protocol'), []);
  // Nor in an extension of implicit presence (the file's, where it is declared at the top level), with the field explicit.
  const explicitField = replaceOnce(migrated([IMPLICIT]), 'Protocol protocol = 1;', 'Protocol protocol = 1 [features.field_presence = EXPLICIT];');
  assert.deepEqual(fixTitles(explicitField, releasedAs(protocolClosed), RULE, 'Protocol'), ['Make the enum closed again']);
  const extension = replaceOnce(replaceOnce(explicitField, 'message VersionRequest {\n', 'message VersionRequest {\n    extensions 100 to 199;\n'),
    'message VersionResponse {\n', 'extend VersionRequest {\n    Protocol protocol = 100;\n}\n\nmessage VersionResponse {\n');
  assert.deepEqual(bound(extension).problems, []);
  assert.deepEqual(fixTitles(extension, releasedAs(protocolClosed), RULE, 'Protocol'), []);
  // proto3 has only open enums and proto2 only closed ones.
  assert.deepEqual(fixTitles(corpusText(TAG), releasedAs(protocolClosed), RULE, 'Protocol'), []);
  assert.deepEqual(fixTitles(asProto2(), proto3, RULE, 'Protocol'), []);
});

test('the released type restored into a repeated field keeps the released packed encoding in proto2, proto3 and editions', NEEDS_CORPUS, () => {
  const RULE = 'FIELD_TYPE_CHANGED';
  const TITLE = 'Restore the released type "int32"';
  const int64 = (text: string, label = 'repeated', options = ''): string => replaceOnce(text, 'repeated int32 port = 2;', `${label} int64 port = 2${options};`);
  // Released packed (proto3), into proto2, which packs only where asked.
  const proto3 = releasedAs(corpusText(TAG));
  assert.match(fixedAlone(int64(asProto2()), proto3, RULE, 'PortForwardRequest.port', TITLE), /\n {4}repeated int32 port = 2 \[packed = true\];\n/);
  // An unpacked int64 of a proto2 file: the value of its option turns.
  assert.match(fixedAlone(int64(asProto2(), 'repeated', ' [packed = false]'), proto3, RULE, 'PortForwardRequest.port', TITLE), /\n {4}repeated int32 port = 2 \[packed = true\];\n/);
  // Released unpacked (proto2), into proto3 and editions, which pack by default.
  const proto2 = releasedAs(asProto2());
  assert.match(fixedAlone(int64(corpusText(TAG)), proto2, RULE, 'PortForwardRequest.port', TITLE), /\n {4}repeated int32 port = 2 \[packed = false\];\n/);
  assert.match(fixedAlone(int64(migrated([IMPLICIT])), proto2, RULE, 'PortForwardRequest.port', TITLE), /\n {4}repeated int32 port = 2 \[features\.repeated_field_encoding = EXPANDED\];\n/);
  // An editions field's own EXPANDED under a file that packs, released packed: the override goes.
  assert.equal(fixedAlone(int64(migrated([IMPLICIT]), 'repeated', ' [features.repeated_field_encoding = EXPANDED]'), proto3, RULE, 'PortForwardRequest.port', TITLE), migrated([IMPLICIT]));
  // In an aggregate, it turns there.
  assert.match(fixedAlone(int64(migrated([IMPLICIT]), 'repeated', ' [features = { repeated_field_encoding: EXPANDED }]'), proto3, RULE, 'PortForwardRequest.port', TITLE),
    /\n {4}repeated int32 port = 2 \[features = \{ repeated_field_encoding: PACKED \}\];\n/);
  // Where the encoding already is the released one, only the type changes.
  assert.equal(fixedAlone(int64(corpusText(TAG)), proto3, RULE, 'PortForwardRequest.port', TITLE), corpusText(TAG));
});
