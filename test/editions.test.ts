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
import { computeFixes } from '../server/src/fixes';
import { NEEDS_CORPUS, corpusText, replaceOnce } from './corpusText';

const TAG = 'v0.36.3';
const GO_PACKAGE = 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1";\n';

/** v0.36.3 as an editions file, with `fileOptions` (statements) after its go_package option. */
function migrated(fileOptions: string[] = [], edition = '2023', text = corpusText(TAG)): string {
  const editions = replaceOnce(text, 'syntax = "proto3";', `edition = "${edition}";`);
  return replaceOnce(editions, GO_PACKAGE, GO_PACKAGE + fileOptions.map((o) => `${o}\n`).join(''));
}

const released = (): ApiModel => bind(parse(corpusText(TAG)), 'file:///old/api.proto').model;

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
  // The same feature set as an aggregate, and in edition 2024 (same defaults for these features).
  assert.deepEqual(findings(migrated(['option features = { field_presence: IMPLICIT };'])), []);
  assert.deepEqual(findings(migrated(['option features.field_presence = IMPLICIT;'], '2024')), []);
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

test('message-level features apply to its fields and nested messages, and a field or message below overrides them', NEEDS_CORPUS, () => {
  // VersionResponse keeps implicit presence; every other message's fields gain explicit presence.
  const messageLevel = replaceOnce(migrated(), 'message VersionResponse {\n', 'message VersionResponse {\n    option features.field_presence = IMPLICIT;\n');
  assert.deepEqual(findings(messageLevel), fieldsWhere('FIELD_PRESENCE_CHANGED', (f, m) => hasPresenceChoice(f) && m.name !== 'VersionResponse'));
  // The other way round: the file's IMPLICIT, overridden by one message.
  const overridden = replaceOnce(migrated(['option features.field_presence = IMPLICIT;']), 'message VersionResponse {\n',
    'message VersionResponse {\n    option features.field_presence = EXPLICIT;\n');
  assert.deepEqual(findings(overridden), fieldsWhere('FIELD_PRESENCE_CHANGED', (f, m) => hasPresenceChoice(f) && m.name === 'VersionResponse'));

  const nested = replaceOnce(messageLevel, '    string runtime_api_version = 4;\n', '    string runtime_api_version = 4;\n' +
    '    message Inner {\n        string inherited = 1;\n        int32 own = 2 [features.field_presence = EXPLICIT];\n' +
    '        message Deeper {\n            option features.field_presence = EXPLICIT;\n            string reset = 1;\n            repeated int32 list = 2;\n            Inner message_field = 3;\n        }\n    }\n');
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
  // Only where the enum is closed (here through its message) and the field has implicit presence.
  const nestedClosed = replaceOnce(migrated(['option features.field_presence = IMPLICIT;']), 'message SecurityProfile {\n',
    'message SecurityProfile {\n    option features.enum_type = CLOSED;\n');
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
