// Per-rule tests: a crafted old/new pair of small runtime.v1 protos for every rule in RULES, each asserting
// the exact rule id, category, severity, range and message, plus the negative cases around each rule
// (what must NOT fire), suppressions, severity overrides, history reuse and the patch-release policy.
//
// Expected ranges are computed from the proto text with `at()` (line of a unique snippet, column of a token
// inside it), so they are exact positions without depending on the parser under test.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parse } from '../server/src/proto/parser';
import { bind } from '../server/src/proto/binder';
import type { Range } from '../server/src/proto/ast';
import type { ApiModel } from '../server/src/proto/model';
import { checkCompatibility, validateSeverityOverrides, type CheckOptions } from '../server/src/compat/check';
import type { Category, Finding } from '../server/src/compat/finding';
import { RULES } from '../server/src/compat/rules';
import type { Baseline, History, NumberUse } from '../server/src/baseline/types';
import { rangeSubtractor, subtractRanges } from '../server/src/compat/compare';
import { NEEDS_CORPUS, corpusText } from './corpusText';
import { fingerprintDoc, leadingRunHashes, mentionsAny, referencesRpc } from '../server/src/docs/fingerprint';

const TAG = 'v0.36.3';

/** Every rule id asserted by `expectFinding`; the last test checks that this covers RULES. */
const covered = new Set<string>();

function proto(body: string, pkg = 'runtime.v1', syntax = 'proto3'): string {
  return `syntax = "${syntax}";\n\npackage ${pkg};\n\n${body.replace(/^\n/, '')}`;
}

function model(text: string): ApiModel {
  return bind(parse(text), 'old.proto').model;
}

function check(oldText: string, newText: string, options: CheckOptions = {}, extra: Partial<Baseline> = {}): Finding[] {
  const bound = bind(parse(newText), 'file:///work/api.proto');
  const baseline: Baseline = { tag: TAG, source: 'path', origin: 'test', model: model(oldText), ...extra };
  return checkCompatibility(newText, bound, baseline, options).findings;
}

/** Range of `token` on the first line of `text` that contains `lineNeedle` (the n-th occurrence of the token there). */
function at(text: string, lineNeedle: string, token = lineNeedle, nth = 0): Range {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(lineNeedle));
  assert.ok(line >= 0, `no line contains ${JSON.stringify(lineNeedle)}`);
  const l = lines[line]!;
  let character = l.indexOf(token);
  for (let i = 0; i < nth; i++) character = l.indexOf(token, character + 1);
  assert.ok(character >= 0, `line ${line} does not contain ${JSON.stringify(token)}`);
  return { start: { line, character }, end: { line, character: character + token.length } };
}

/** The whole line holding `lineNeedle`, from its first non-blank character (comments, statements). */
function lineRange(text: string, lineNeedle: string): Range {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(lineNeedle));
  assert.ok(line >= 0, `no line contains ${JSON.stringify(lineNeedle)}`);
  const l = lines[line]!;
  return { start: { line, character: l.length - l.trimStart().length }, end: { line, character: l.length } };
}

interface Expected {
  rule: string;
  category: Category;
  severity: Finding['severity'];
  range: Range;
  message: string;
  element?: string;
}

/** Exactly one finding of `exp.rule`, with exactly these properties. */
function expectFinding(findings: Finding[], exp: Expected, which?: (f: Finding) => boolean): Finding {
  const all = findings.filter((f) => f.rule === exp.rule && (!which || which(f)));
  assert.equal(all.length, 1, `expected one ${exp.rule}, got ${all.length}: ${JSON.stringify(findings.map((f) => `${f.rule}: ${f.message}`), null, 1)}`);
  const f = all[0]!;
  const got: Expected = { rule: f.rule, category: f.category, severity: f.severity, range: f.range, message: f.message };
  const want: Expected = { rule: exp.rule, category: exp.category, severity: exp.severity, range: exp.range, message: exp.message };
  assert.deepEqual(got, want);
  if (exp.element !== undefined) assert.equal(f.element, exp.element);
  covered.add(exp.rule);
  return f;
}

function rules(findings: Finding[]): string[] {
  return findings.map((f) => f.rule).sort();
}

// ---- fields ------------------------------------------------------------------------------------------

const FOO = proto(`
// Foo is a test message.
message Foo {
    // a is kept.
    string a = 1;
    // b is the one that changes.
    string b = 2;
}
`);

test('FIELD_NO_DELETE and FIELD_REMOVED_WITHOUT_DEPRECATION: a field deleted without reservation', () => {
  const cur = proto(`
// Foo is a test message.
message Foo {
    // a is kept.
    string a = 1;
}
`);
  const fs = check(FOO, cur);
  assert.deepEqual(rules(fs), ['FIELD_NO_DELETE', 'FIELD_REMOVED_WITHOUT_DEPRECATION']);
  const f = expectFinding(fs, {
    rule: 'FIELD_NO_DELETE', category: 'WIRE', severity: 'error', range: at(cur, 'message Foo', 'Foo'), element: 'runtime.v1.Foo.b',
    message: 'field "Foo.b" = 2 of v0.36.3 was deleted without reserving its number',
  });
  assert.deepEqual(f.fixes?.map((x) => x.kind), ['reserve', 'restore']);
  // `after`: the field the release declared before it, which the file still has; the restore puts it back below.
  // `docHash`: how the restore knows the released comment where only the declaration was deleted.
  const doc = ' b is the one that changes.';
  assert.deepEqual(f.fixes?.[1], { kind: 'restore', container: 'runtime.v1.Foo', isEnum: false, declaration: 'string b = 2;', number: 2, name: 'b', doc, docHash: fingerprintDoc(doc)!.hash, after: 'a' });
  expectFinding(fs, {
    rule: 'FIELD_REMOVED_WITHOUT_DEPRECATION', category: 'POLICY', severity: 'warning', range: at(cur, 'message Foo', 'Foo'), element: 'runtime.v1.Foo.b',
    message: 'field "Foo.b" of v0.36.3 was removed without first being deprecated',
  });
});

test('FIELD_NO_DELETE_UNLESS_NAME_RESERVED: a reserved number without the name fires only the JSON and POLICY variants', () => {
  const cur = proto(`
// Foo is a test message.
message Foo {
    reserved 2;
    // a is kept.
    string a = 1;
}
`);
  const fs = check(FOO, cur);
  assert.deepEqual(rules(fs), ['FIELD_NO_DELETE_UNLESS_NAME_RESERVED', 'FIELD_REMOVED_WITHOUT_DEPRECATION']);
  expectFinding(fs, {
    rule: 'FIELD_NO_DELETE_UNLESS_NAME_RESERVED', category: 'JSON', severity: 'warning', range: at(cur, 'message Foo', 'Foo'), element: 'runtime.v1.Foo.b',
    message: 'field "Foo.b" = 2 of v0.36.3 was deleted; its number is reserved but its name is not',
  });
});

test('deleted field with number and name reserved: only the deprecation policy fires', () => {
  const cur = proto(`
// Foo is a test message.
message Foo {
    reserved 2;
    reserved "b";
    // a is kept.
    string a = 1;
}
`);
  assert.deepEqual(rules(check(FOO, cur)), ['FIELD_REMOVED_WITHOUT_DEPRECATION']);
});

test('deprecated field removal: nothing when reserved, only FIELD_NO_DELETE when not', () => {
  const old = proto(`
message Foo {
    string a = 1;
    string b = 2 [deprecated = true];
}
`);
  const reserved = proto(`
message Foo {
    reserved 2;
    reserved "b";
    string a = 1;
}
`);
  assert.deepEqual(check(old, reserved), []);
  const bare = proto(`
message Foo {
    string a = 1;
}
`);
  assert.deepEqual(rules(check(old, bare)), ['FIELD_NO_DELETE']);
  // The restore fix brings the deprecation back with the declaration.
  const restore = check(old, bare)[0]!.fixes?.find((x) => x.kind === 'restore');
  assert.equal(restore?.kind === 'restore' ? restore.declaration : undefined, 'string b = 2 [deprecated = true];');
});

test('FIELD_NUMBER_CHANGED: same name, another number', () => {
  const cur = FOO.replace('string b = 2;', 'string b = 3;');
  const fs = check(FOO, cur);
  assert.deepEqual(rules(fs), ['FIELD_NUMBER_CHANGED']);
  const f = expectFinding(fs, {
    rule: 'FIELD_NUMBER_CHANGED', category: 'WIRE', severity: 'error', range: at(cur, 'string b = 3', '3'), element: 'runtime.v1.Foo.b',
    message: 'field "Foo.b" changed its number from 2 to 3 (baseline v0.36.3)',
  });
  assert.deepEqual(f.fixes, [{ kind: 'renumber', to: 2, label: 'Restore the original number 2' }]);
});

test('FIELD_TYPE_INCOMPATIBLE: int32 → string', () => {
  const old = FOO.replace('string b = 2;', 'int32 b = 2;');
  const fs = check(old, FOO);
  assert.deepEqual(rules(fs), ['FIELD_TYPE_INCOMPATIBLE']);
  expectFinding(fs, {
    rule: 'FIELD_TYPE_INCOMPATIBLE', category: 'WIRE', severity: 'error', range: at(FOO, 'string b = 2', 'string'), element: 'runtime.v1.Foo.b',
    message: 'field "Foo.b" changed type from int32 to string, which is not wire-compatible (baseline v0.36.3)',
  });
});

test('FIELD_TYPE_CHANGED: int32 → int64 is wire-compatible but still a change', () => {
  const old = FOO.replace('string b = 2;', 'int32 b = 2;');
  const cur = FOO.replace('string b = 2;', 'int64 b = 2;');
  const fs = check(old, cur);
  assert.deepEqual(rules(fs), ['FIELD_TYPE_CHANGED']);
  expectFinding(fs, {
    rule: 'FIELD_TYPE_CHANGED', category: 'WIRE', severity: 'error', range: at(cur, 'int64 b = 2', 'int64'), element: 'runtime.v1.Foo.b',
    message: 'field "Foo.b" changed type from int32 to int64 (baseline v0.36.3); wire-compatible, but values, JSON and Go types change',
  });
  // string ↔ bytes and enum ↔ int32 are in one group as well.
  assert.deepEqual(rules(check(FOO, FOO.replace('string b = 2;', 'bytes b = 2;'))), ['FIELD_TYPE_CHANGED']);
});

test('map value changes: incompatible value, compatible value, key change', () => {
  const old = proto(`
message Foo {
    map<string, string> labels = 1;
}
`);
  const toInt = old.replace('map<string, string>', 'map<string, int32>');
  const fs = check(old, toInt);
  assert.deepEqual(rules(fs), ['FIELD_TYPE_INCOMPATIBLE']);
  expectFinding(fs, {
    rule: 'FIELD_TYPE_INCOMPATIBLE', category: 'WIRE', severity: 'error', range: at(toInt, 'labels', 'map<string, int32>'), element: 'runtime.v1.Foo.labels',
    message: 'field "Foo.labels" changed type from map<string,string> to map<string,int32>, which is not wire-compatible (baseline v0.36.3)',
  });
  const toBytes = old.replace('map<string, string>', 'map<string, bytes>');
  const compatible = check(old, toBytes);
  assert.deepEqual(rules(compatible), ['FIELD_TYPE_CHANGED']);
  assert.equal(compatible[0]!.message, 'field "Foo.labels" changed type from map<string,string> to map<string,bytes> (baseline v0.36.3); the encoding is the same, but a peer built from v0.36.3 rejects a message in which labels holds bytes that are not valid UTF-8 (proto3 checks a string when parsing it), and JSON and Go types change');
  assert.deepEqual(rules(check(old, old.replace('map<string, string>', 'map<int32, string>'))), ['FIELD_TYPE_INCOMPATIBLE']);
  // A map is not a repeated field for the label rule.
  assert.deepEqual(rules(check(old, old.replace('map<string, string> labels', 'repeated string labels'))), ['FIELD_TYPE_INCOMPATIBLE']);
  // Unchanged map with other spacing: nothing.
  assert.deepEqual(check(old, old.replace('map<string, string>', 'map<string,string>')), []);
});

test('FIELD_LABEL_CHANGED: singular ↔ repeated', () => {
  const cur = FOO.replace('string b = 2;', 'repeated string b = 2;');
  const fs = check(FOO, cur);
  assert.deepEqual(rules(fs), ['FIELD_LABEL_CHANGED']);
  expectFinding(fs, {
    rule: 'FIELD_LABEL_CHANGED', category: 'WIRE', severity: 'error', range: at(cur, 'repeated string b', 'repeated'), element: 'runtime.v1.Foo.b',
    message: 'field "Foo.b" changed from singular to repeated (baseline v0.36.3)',
  });
  // Back to singular: no label token, so the field name carries the finding.
  const back = check(cur, FOO);
  assert.equal(back.length, 1);
  assert.deepEqual(back[0]!.range, at(FOO, 'string b = 2', 'b'));
  assert.equal(back[0]!.message, 'field "Foo.b" changed from repeated to singular (baseline v0.36.3)');
});

test('FIELD_PRESENCE_CHANGED: implicit → optional', () => {
  const cur = FOO.replace('string b = 2;', 'optional string b = 2;');
  const fs = check(FOO, cur);
  assert.deepEqual(rules(fs), ['FIELD_PRESENCE_CHANGED']);
  expectFinding(fs, {
    rule: 'FIELD_PRESENCE_CHANGED', category: 'GO_SOURCE', severity: 'error', range: at(cur, 'optional string b', 'optional'), element: 'runtime.v1.Foo.b',
    message: 'field "Foo.b" changed from implicit to explicit (optional) presence (baseline v0.36.3)',
  });
});

/** FOO with b in a oneof of its own. */
const FOO_IN_ONEOF = proto(`
// Foo is a test message.
message Foo {
    // a is kept.
    string a = 1;
    oneof choice {
        // b is the one that changes.
        string b = 2;
    }
}
`);

test('FIELD_ONEOF_CHANGED: out of a oneof, into an existing one, several released fields into a new one', () => {
  const into = FOO_IN_ONEOF;
  const fs = check(into, FOO);
  assert.deepEqual(rules(fs), ['FIELD_ONEOF_CHANGED']);
  expectFinding(fs, {
    rule: 'FIELD_ONEOF_CHANGED', category: 'WIRE', severity: 'error', range: at(FOO, 'string b = 2', 'b'), element: 'runtime.v1.Foo.b',
    message: 'field "Foo.b" moved from oneof "choice" to no oneof (baseline v0.36.3)',
  });
  // Into a oneof the baseline has: setting b now clears a peer's a.
  const both = into.replace('    // a is kept.\n    string a = 1;\n', '').replace('    oneof choice {\n', '    oneof choice {\n        // a is kept.\n        string a = 1;\n');
  assert.deepEqual(check(into, both).map((f) => f.message), ['field "Foo.a" moved from no oneof to oneof "choice" (baseline v0.36.3)']);
  // Two released fields into one new oneof: a baseline peer may set both.
  const two = both.replace('oneof choice', 'oneof other');
  assert.deepEqual(check(FOO, two).map((f) => f.rule), ['FIELD_ONEOF_CHANGED', 'FIELD_ONEOF_CHANGED']);
  // A oneof renamed while a released field joins it is not only a rename.
  assert.deepEqual(check(into, two).map((f) => f.message), [
    'field "Foo.a" moved from no oneof to oneof "other" (baseline v0.36.3)',
    'field "Foo.b" moved from oneof "choice" to oneof "other" (baseline v0.36.3)',
  ]);
  // Adding a new, documented field to an existing oneof is not a move.
  const added = into.replace('        string b = 2;\n', '        string b = 2;\n        // c is new.\n        string c = 3;\n');
  assert.deepEqual(check(into, added), []);
});

test('FIELD_ONEOF_GO_CHANGED: one released field into a new oneof, a oneof renamed: Go code only', () => {
  const into = FOO_IN_ONEOF;
  const fs = check(FOO, into);
  assert.deepEqual(rules(fs), ['FIELD_ONEOF_GO_CHANGED']);
  expectFinding(fs, {
    rule: 'FIELD_ONEOF_GO_CHANGED', category: 'GO_SOURCE', severity: 'error', range: at(into, 'string b = 2', 'b'), element: 'runtime.v1.Foo.b',
    message: 'field "Foo.b" moved into the new oneof "choice" (baseline v0.36.3): the bytes and JSON are unchanged, but Go code that uses the field B directly must go through the oneof Choice and the wrapper Foo_B',
  });
  // An explicit-presence field moved into a oneof is a oneof change, not also a presence change.
  const optional = FOO.replace('string b = 2;', 'optional string b = 2;');
  assert.deepEqual(rules(check(optional, into)), ['FIELD_ONEOF_GO_CHANGED']);
  // With a new field beside it in the new oneof: still only one released member.
  const withNew = into.replace('        string b = 2;\n', '        string b = 2;\n        // c is new.\n        string c = 3;\n');
  assert.deepEqual(rules(check(FOO, withNew)), ['FIELD_ONEOF_GO_CHANGED']);
  // Renamed, with its members: one finding on the oneof, whatever the number of members.
  const pair = withNew;
  const renamed = pair.replace('oneof choice', 'oneof pick_one');
  const rfs = check(pair, renamed);
  assert.deepEqual(rfs.map((f) => [f.rule, f.category, f.severity, f.element, f.message]), [[
    'FIELD_ONEOF_GO_CHANGED', 'GO_SOURCE', 'error', 'runtime.v1.Foo.pick_one',
    'oneof "choice" of "Foo" was renamed to "pick_one" (baseline v0.36.3): the bytes and JSON are unchanged, but the Go field Choice and interface isFoo_Choice are now PickOne and isFoo_PickOne',
  ]]);
  assert.deepEqual(rfs[0]!.range, at(renamed, 'oneof pick_one', 'pick_one'));
});

test('FIELD_PACKED_CHANGED: explicit packed = false in proto3; the default depends on the syntax', () => {
  const old = proto(`
message Foo {
    repeated int32 ids = 1;
}
`);
  const cur = old.replace('ids = 1;', 'ids = 1 [packed = false];');
  const fs = check(old, cur);
  assert.deepEqual(rules(fs), ['FIELD_PACKED_CHANGED']);
  expectFinding(fs, {
    rule: 'FIELD_PACKED_CHANGED', category: 'WIRE', severity: 'warning', range: at(cur, 'repeated int32 ids', 'ids'), element: 'runtime.v1.Foo.ids',
    message: 'field "Foo.ids" changed its packed encoding (baseline v0.36.3)',
  });
  // proto3 packs by default: spelling out the default is no change.
  assert.deepEqual(check(old, old.replace('ids = 1;', 'ids = 1 [packed = true];')), []);
  // proto2 does not pack by default.
  const p2 = proto(`
message Foo {
    repeated int32 ids = 1;
}
`, 'runtime.v1', 'proto2');
  assert.deepEqual(check(p2, p2.replace('ids = 1;', 'ids = 1 [packed = false];')), []);
  assert.deepEqual(rules(check(p2, p2.replace('ids = 1;', 'ids = 1 [packed = true];'))), ['FIELD_PACKED_CHANGED']);
});

test('FIELD_UTF8_VALIDATION_CHANGED: a string field that an editions file stops checking (proto3 checks, proto2 does not)', () => {
  // proto3's implicit presence kept, so that only the validation differs.
  const editions = (body: string): string => `edition = "2023";\n\npackage runtime.v1;\noption features.field_presence = IMPLICIT;\n\n${body.replace(/^\n/, '')}`;
  const cur = editions('// Foo is a test message.\nmessage Foo {\n    // a is kept.\n    string a = 1;\n    // b is the one that changes.\n    string b = 2 [features.utf8_validation = NONE];\n}\n');
  const fs = check(FOO, cur);
  assert.deepEqual(rules(fs), ['FIELD_UTF8_VALIDATION_CHANGED']);
  expectFinding(fs, {
    rule: 'FIELD_UTF8_VALIDATION_CHANGED', category: 'WIRE', severity: 'error', range: at(cur, 'string b = 2', 'b'), element: 'runtime.v1.Foo.b',
    message: 'field "Foo.b" changed its UTF-8 validation from VERIFY to NONE (baseline v0.36.3): a peer built from v0.36.3 rejects a message in which b holds bytes that are not valid UTF-8, which one built from this file may send',
  });
  assert.deepEqual(check(FOO, cur.replace(' [features.utf8_validation = NONE]', '')), []);
  // proto2 checks no string: against a proto2 release, NONE on both fields (and their presence kept) changes nothing.
  const p2 = FOO.replace('syntax = "proto3";', 'syntax = "proto2";').replace(/    string/g, '    optional string');
  assert.deepEqual(check(p2, cur.replace('string a = 1;', 'string a = 1 [features.field_presence = EXPLICIT, features.utf8_validation = NONE];')
    .replace('string b = 2 [', 'string b = 2 [features.field_presence = EXPLICIT, ')), []);
});

test('ENUM_OPEN_CLOSED_CHANGED: an enum that features.enum_type closes, or a proto2 one that proto3 opens', () => {
  const old = proto(`
// Kind is a test enum.
enum Kind {
    // A is the default.
    A = 0;
    // B is another.
    B = 1;
}
`);
  const cur = old.replace('syntax = "proto3";', 'edition = "2023";').replace('enum Kind {\n', 'enum Kind {\n    option features.enum_type = CLOSED;\n');
  const fs = check(old, cur);
  assert.deepEqual(rules(fs), ['ENUM_OPEN_CLOSED_CHANGED']);
  expectFinding(fs, {
    rule: 'ENUM_OPEN_CLOSED_CHANGED', category: 'WIRE', severity: 'error', range: at(cur, 'enum Kind', 'Kind'), element: 'runtime.v1.Kind',
    message: 'enum "Kind" changed from open to closed (baseline v0.36.3): a peer built from this file sets a number it does not know aside as an unknown field, where one built from v0.36.3 keeps it in the field',
  });
  assert.deepEqual(check(old, cur.replace('CLOSED', 'OPEN')), []);
  const p2 = old.replace('syntax = "proto3";', 'syntax = "proto2";');
  assert.deepEqual(rules(check(p2, old)), ['ENUM_OPEN_CLOSED_CHANGED']);
  assert.deepEqual(check(p2, cur), []);
});

test('FIELD_RENAMED: same number and type, new name', () => {
  const cur = FOO.replace('string b = 2;', 'string beta = 2;');
  const fs = check(FOO, cur);
  assert.deepEqual(rules(fs), ['FIELD_RENAMED']);
  const f = expectFinding(fs, {
    rule: 'FIELD_RENAMED', category: 'JSON', severity: 'error', range: at(cur, 'string beta', 'beta'), element: 'runtime.v1.Foo.beta',
    message: 'field 2 "b" was renamed to "beta" (baseline v0.36.3); JSON keys and Go names change',
  });
  assert.deepEqual(f.fixes, [{ kind: 'rename', to: 'b' }]);
});

test('FIELD_JSON_NAME_CHANGED: json_name option', () => {
  const cur = FOO.replace('string b = 2;', 'string b = 2 [json_name = "B"];');
  const fs = check(FOO, cur);
  assert.deepEqual(rules(fs), ['FIELD_JSON_NAME_CHANGED']);
  expectFinding(fs, {
    rule: 'FIELD_JSON_NAME_CHANGED', category: 'JSON', severity: 'error', range: at(cur, 'string b = 2', 'b'), element: 'runtime.v1.Foo.b',
    message: 'field "Foo.b" changed its JSON name from "b" to "B" (baseline v0.36.3)',
  });
  // Spelling out the default JSON name changes nothing.
  assert.deepEqual(check(FOO, FOO.replace('string b = 2;', 'string b = 2 [json_name = "b"];')), []);
});

test('FIELD_NUMBER_REUSED: a baseline number given to another field of another type', () => {
  const cur = FOO.replace('string b = 2;', 'int64 c = 2;');
  const fs = check(FOO, cur);
  assert.deepEqual(rules(fs), ['FIELD_NUMBER_REUSED']);
  const f = expectFinding(fs, {
    rule: 'FIELD_NUMBER_REUSED', category: 'WIRE', severity: 'error', range: at(cur, 'int64 c = 2', '2'), element: 'runtime.v1.Foo.c',
    message: 'field number 2 belonged to "b" (string) in v0.36.3; "c" (int64) now uses it',
  });
  assert.deepEqual(f.related, [{ message: 'v0.36.3: string b = 2' }]);
  assert.deepEqual(f.fixes, [{ kind: 'renumber', to: 3, label: 'Give "c" the next free number 3' }]);
  // Swapping two names is reuse, not a rename (each new name existed with another number).
  const swapped = FOO.replace('string a = 1;', 'string b = 1;').replace('string b = 2;', 'string a = 2;');
  assert.deepEqual(rules(check(FOO, swapped)), ['FIELD_NUMBER_CHANGED', 'FIELD_NUMBER_CHANGED', 'FIELD_NUMBER_REUSED', 'FIELD_NUMBER_REUSED']);
  // Reserved ranges are stepped over; when one runs to max, the lowest free number is the next one.
  const next = (reserved: string): unknown => check(FOO, cur.replace('message Foo {\n', `message Foo {\n    ${reserved}\n`))
    .find((x) => x.rule === 'FIELD_NUMBER_REUSED')?.fixes;
  assert.deepEqual(next('reserved 3 to 18999, 20000 to 30000;'), [{ kind: 'renumber', to: 30001, label: 'Give "c" the next free number 30001' }]);
  assert.equal(next('reserved 3 to max;'), undefined);
  assert.deepEqual(next('reserved 4 to max;'), [{ kind: 'renumber', to: 3, label: 'Give "c" the next free number 3' }]);
  assert.equal(next('reserved 1 to 18999, 20000 to max;'), undefined);
});

test('FIELD_NUMBER_REUSED: the next free number steps over what the baseline reserved, also when the file dropped it', () => {
  const next = (oldReserved: string, curReserved: string): unknown => {
    const old = FOO.replace('message Foo {\n', `message Foo {\n    ${oldReserved}\n`);
    const cur = FOO.replace('message Foo {\n', curReserved ? `message Foo {\n    ${curReserved}\n` : 'message Foo {\n').replace('string b = 2;', 'int64 c = 2;');
    return check(old, cur).find((x) => x.rule === 'FIELD_NUMBER_REUSED')?.fixes;
  };
  // 3 was reserved in the baseline: renumbering to it would make RESERVED_REMOVED worse.
  assert.deepEqual(next('reserved 3;', ''), [{ kind: 'renumber', to: 4, label: 'Give "c" the next free number 4' }]);
  assert.deepEqual(next('reserved 3 to 9;', 'reserved 3;'), [{ kind: 'renumber', to: 10, label: 'Give "c" the next free number 10' }]);
  // `10 to max` shrunk to `10 to 20`: 21 is the baseline's too; the lowest free number is left.
  assert.deepEqual(next('reserved 10 to max;', 'reserved 10 to 20;'), [{ kind: 'renumber', to: 3, label: 'Give "c" the next free number 3' }]);
  assert.equal(next('reserved 3 to max;', 'reserved 3 to 20;'), undefined);
});

test('FIELD_NUMBER_REUSED: several reused numbers of one message get successive free numbers, in field order', () => {
  const old = FOO.replace('    string b = 2;\n', '    string b = 2;\n    // c is the third.\n    string c = 3;\n');
  const cur = old.replace('string b = 2;', 'int64 y = 2;').replace('string c = 3;', 'int64 z = 3;');
  const fs = check(old, cur).filter((x) => x.rule === 'FIELD_NUMBER_REUSED');
  assert.deepEqual(fs.map((f) => [f.element, f.fixes]), [
    ['runtime.v1.Foo.y', [{ kind: 'renumber', to: 4, label: 'Give "y" the next free number 4' }]],
    ['runtime.v1.Foo.z', [{ kind: 'renumber', to: 5, label: 'Give "z" the next free number 5' }]],
  ]);
  // Declared the other way round, z comes first.
  const swapped = old.replace('    // b is the one that changes.\n    string b = 2;\n    // c is the third.\n    string c = 3;\n', '    // c is the third.\n    int64 z = 3;\n    // b is the one that changes.\n    int64 y = 2;\n');
  const byElement = new Map(check(old, swapped).filter((x) => x.rule === 'FIELD_NUMBER_REUSED').map((f) => [f.element, f.fixes]));
  assert.deepEqual([...byElement], [
    ['runtime.v1.Foo.y', [{ kind: 'renumber', to: 5, label: 'Give "y" the next free number 5' }]],
    ['runtime.v1.Foo.z', [{ kind: 'renumber', to: 4, label: 'Give "z" the next free number 4' }]],
  ]);
});

test('FIELD_MEANING_CHANGED and DOC_MEANING_CHANGED: type and documentation changed together', () => {
  const old = proto(`
message Foo {
    // Timeout in seconds.
    int32 timeout = 1;
}
`);
  const cur = proto(`
message Foo {
    // Timeout in milliseconds.
    int64 timeout = 1;
}
`);
  const fs = check(old, cur);
  assert.deepEqual(rules(fs), ['DOC_MEANING_CHANGED', 'FIELD_MEANING_CHANGED', 'FIELD_TYPE_CHANGED']);
  expectFinding(fs, {
    rule: 'FIELD_MEANING_CHANGED', category: 'SEMANTIC', severity: 'warning', range: at(cur, 'int64 timeout', 'timeout'), element: 'runtime.v1.Foo.timeout',
    message: 'field "timeout" = 1 changed its type and its documentation since v0.36.3; reuse a field only if its meaning is unchanged',
  });
  expectFinding(fs, {
    rule: 'DOC_MEANING_CHANGED', category: 'SEMANTIC', severity: 'warning', range: at(cur, 'int64 timeout', 'timeout'), element: 'runtime.v1.Foo.timeout',
    message: 'the documentation of "timeout" changed meaning-bearing words since v0.36.3: removed "seconds"; added "milliseconds"',
  });
  // Documentation alone: no FIELD_MEANING_CHANGED.
  assert.deepEqual(rules(check(old, old.replace('in seconds', 'in milliseconds'))), ['DOC_MEANING_CHANGED']);
});

test('DOC_MEANING_CHANGED: meaning-bearing words only; rewording, links and issue numbers do not count', () => {
  const old = proto(`
// Svc is a service.
service Svc {
    // Stop stops the container. It must be idempotent.
    rpc Stop(Req) returns (Resp) {}
}
message Req {}
message Resp {}
`);
  const cur = old.replace('It must be idempotent.', 'It should be idempotent.');
  const fs = check(old, cur);
  assert.deepEqual(rules(fs), ['DOC_MEANING_CHANGED']);
  expectFinding(fs, {
    rule: 'DOC_MEANING_CHANGED', category: 'SEMANTIC', severity: 'warning', range: at(cur, 'rpc Stop', 'Stop'), element: 'runtime.v1.Svc.Stop',
    message: 'the documentation of "Stop" changed meaning-bearing words since v0.36.3: removed "must"; added "should"',
  });
  assert.deepEqual(check(old, old.replace('Stop stops the container.', 'Stop halts a running container.')), []);
  const linked = old.replace('idempotent.', 'idempotent. See https://issues.k8s.io/24677 and https://git.k8s.io/enhancements/keps/sig-node/585-runtime-class');
  assert.deepEqual(check(old, linked), []);
  assert.deepEqual(check(linked, linked.replace('24677', '99999').replace('585-runtime-class', 'runtime-class.md')), []);
  // A service's own documentation counts as well.
  const svc = old.replace('// Svc is a service.', '// Svc is a service. Its calls may come in any order.');
  const ordered = svc.replace('Its calls may come in any order.', 'It must always be called after ImageService.');
  const onService = check(svc, ordered);
  assert.deepEqual(onService.map((f) => [f.rule, f.element]), [['DOC_MEANING_CHANGED', 'runtime.v1.Svc']]);
  assert.deepEqual(onService[0]!.range, at(ordered, 'service Svc', 'Svc'));
});

// ---- enums -------------------------------------------------------------------------------------------

const ENUM = proto(`
// Mode is a test enum.
enum Mode {
    MODE_UNSPECIFIED = 0;
    MODE_A = 1;
    MODE_B = 2;
}
`);

test('ENUM_VALUE_NO_DELETE and ENUM_VALUE_REMOVED_WITHOUT_DEPRECATION: value deleted without reserving its number', () => {
  const cur = ENUM.replace('    MODE_B = 2;\n', '');
  const fs = check(ENUM, cur);
  assert.deepEqual(rules(fs), ['ENUM_VALUE_NO_DELETE', 'ENUM_VALUE_REMOVED_WITHOUT_DEPRECATION']);
  const f = expectFinding(fs, {
    rule: 'ENUM_VALUE_NO_DELETE', category: 'WIRE', severity: 'error', range: at(cur, 'enum Mode', 'Mode'), element: 'runtime.v1.Mode.MODE_B',
    message: 'enum value "Mode.MODE_B" = 2 of v0.36.3 was deleted without reserving its number',
  });
  assert.deepEqual(f.fixes?.map((x) => x.kind), ['reserve', 'restore']);
  const p = expectFinding(fs, {
    rule: 'ENUM_VALUE_REMOVED_WITHOUT_DEPRECATION', category: 'POLICY', severity: 'warning', range: at(cur, 'enum Mode', 'Mode'), element: 'runtime.v1.Mode.MODE_B',
    message: 'enum value "Mode.MODE_B" of v0.36.3 was removed without first being deprecated; its Go constant Mode_MODE_B is gone',
  });
  // `after`: the value the release declared before it, which the file still has; the restore puts it back below.
  assert.deepEqual(p.fixes, [{ kind: 'restore', container: 'runtime.v1.Mode', isEnum: true, declaration: 'MODE_B = 2;', number: 2, name: 'MODE_B', after: 'MODE_A' }]);
});

test('deleted enum value with number and name reserved: only the deprecation policy fires; a deprecated one, nothing', () => {
  const cur = ENUM.replace('    MODE_B = 2;\n', '    reserved 2;\n    reserved "MODE_B";\n');
  assert.deepEqual(rules(check(ENUM, cur)), ['ENUM_VALUE_REMOVED_WITHOUT_DEPRECATION']);
  const deprecated = ENUM.replace('MODE_B = 2;', 'MODE_B = 2 [deprecated = true];');
  assert.deepEqual(check(deprecated, cur), []);
  assert.deepEqual(rules(check(deprecated, ENUM.replace('    MODE_B = 2;\n', ''))), ['ENUM_VALUE_NO_DELETE']);
});

test('ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED: number reserved, name not: the JSON and POLICY variants', () => {
  const cur = ENUM.replace('    MODE_B = 2;\n', '    reserved 2;\n');
  const fs = check(ENUM, cur);
  assert.deepEqual(rules(fs), ['ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED', 'ENUM_VALUE_REMOVED_WITHOUT_DEPRECATION']);
  const f = expectFinding(fs, {
    rule: 'ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED', category: 'JSON', severity: 'warning', range: at(cur, 'enum Mode', 'Mode'), element: 'runtime.v1.Mode.MODE_B',
    message: 'enum value "Mode.MODE_B" = 2 of v0.36.3 was deleted; its number is reserved but its name is not',
  });
  assert.deepEqual(f.fixes?.map((x) => x.kind), ['reserve']);
});

test('ENUM_VALUE_NUMBER_CHANGED', () => {
  const cur = ENUM.replace('MODE_B = 2;', 'MODE_B = 3;');
  const fs = check(ENUM, cur);
  assert.deepEqual(rules(fs), ['ENUM_VALUE_NUMBER_CHANGED']);
  expectFinding(fs, {
    rule: 'ENUM_VALUE_NUMBER_CHANGED', category: 'WIRE', severity: 'error', range: at(cur, 'MODE_B = 3', '3'), element: 'runtime.v1.Mode.MODE_B',
    message: 'enum value "MODE_B" changed its number from 2 to 3 (baseline v0.36.3)',
  });
});

test('ENUM_VALUE_RENAMED, and aliases that keep the old name are no change', () => {
  const cur = ENUM.replace('MODE_B = 2;', 'MODE_BETA = 2;');
  const fs = check(ENUM, cur);
  assert.deepEqual(rules(fs), ['ENUM_VALUE_RENAMED']);
  expectFinding(fs, {
    rule: 'ENUM_VALUE_RENAMED', category: 'JSON', severity: 'error', range: at(cur, 'MODE_BETA', 'MODE_BETA'), element: 'runtime.v1.Mode.MODE_BETA',
    message: 'enum value 2 "MODE_B" was renamed to "MODE_BETA" (baseline v0.36.3)',
  });
  const alias = ENUM.replace('enum Mode {\n', 'enum Mode {\n    option allow_alias = true;\n').replace('MODE_B = 2;', 'MODE_B = 2;\n    MODE_BETA = 2;');
  assert.deepEqual(check(ENUM, alias), []);
  // Dropping one name of an alias pair: the number stays, but JSON and Go lose the name.
  const aliasNew = alias.replace('    MODE_B = 2;\n', '');
  const dropped = check(alias, aliasNew);
  assert.deepEqual(dropped.map((f) => [f.rule, f.element, f.message]), [
    ['ENUM_VALUE_RENAMED', 'runtime.v1.Mode.MODE_B', 'enum value 2 "MODE_B" was removed (baseline v0.36.3); only its alias "MODE_BETA" remains'],
  ]);
  assert.deepEqual(dropped[0]!.range, at(aliasNew, 'MODE_BETA', 'MODE_BETA'));
});

test('ENUM_VALUE_JSON_NAME_CHANGED: a new alias declared before the released name, or aliases swapped', () => {
  const aliased = ENUM.replace('enum Mode {\n', 'enum Mode {\n    option allow_alias = true;\n');
  // JSON writes the first name declared for a number: MODE_BETA instead of MODE_B, which the baseline cannot read.
  const before = aliased.replace('    MODE_B = 2;\n', '    MODE_BETA = 2;\n    MODE_B = 2;\n');
  const fs = check(ENUM, before);
  assert.deepEqual(rules(fs), ['ENUM_VALUE_JSON_NAME_CHANGED']);
  const f = expectFinding(fs, {
    rule: 'ENUM_VALUE_JSON_NAME_CHANGED', category: 'JSON', severity: 'error', range: at(before, 'MODE_BETA', 'MODE_BETA'), element: 'runtime.v1.Mode.MODE_BETA',
    message: 'JSON now writes enum value 2 as "MODE_BETA", declared before "MODE_B", which v0.36.3 writes and reads; declare "MODE_BETA" after it',
  });
  assert.deepEqual(f.fixes, [{ kind: 'declareAfter', container: 'runtime.v1.Mode', name: 'MODE_BETA', after: 'MODE_B' }]);
  // After it, the released name still comes first: nothing changes for JSON.
  const afterIt = aliased.replace('    MODE_B = 2;\n', '    MODE_B = 2;\n    MODE_BETA = 2;\n');
  assert.deepEqual(check(ENUM, afterIt), []);
  // Swapping two released aliases changes the name written as well.
  const swapped = afterIt.replace('    MODE_B = 2;\n    MODE_BETA = 2;\n', '    MODE_BETA = 2;\n    MODE_B = 2;\n');
  assert.deepEqual(check(afterIt, swapped).map((x) => [x.rule, x.element]), [['ENUM_VALUE_JSON_NAME_CHANGED', 'runtime.v1.Mode.MODE_BETA']]);
  // The released name gone is a rename, reported once as such.
  const replaced = aliased.replace('    MODE_B = 2;\n', '    MODE_BETA = 2;\n');
  assert.deepEqual(rules(check(ENUM, replaced)), ['ENUM_VALUE_RENAMED']);
});

// ---- types, RPCs, services, package --------------------------------------------------------------------

const SVC = proto(`
// RuntimeService is the runtime.
service RuntimeService {
    // Version returns the version.
    rpc Version(VersionRequest) returns (VersionResponse) {}
    // Status returns the status.
    rpc Status(StatusRequest) returns (StatusResponse) {}
}

// VersionRequest asks for the version.
message VersionRequest {
    // The API version of the caller.
    string version = 1;
    // The mode of the caller.
    Mode mode = 2;
}

// VersionResponse answers Version.
message VersionResponse {
    // The runtime version.
    string version = 1;
}

// StatusRequest asks for the status.
message StatusRequest {
    // Detail level.
    Detail detail = 1;
}

// StatusResponse answers Status.
message StatusResponse {
    // Whether the runtime is ready.
    bool ready = 1;
}

// Detail is a nested option.
message Detail {
    // Verbose output.
    bool verbose = 1;
}

// Unused is not reachable from any RPC.
message Unused {
    // A value.
    string value = 1;
}

// Mode is an enum reached from VersionRequest.
enum Mode {
    MODE_UNSPECIFIED = 0;
    MODE_A = 1;
}
`);

test('MESSAGE_NO_DELETE: a message reachable from a baseline RPC', () => {
  const cur = SVC.replace('    // Detail level.\n    Detail detail = 1;\n', '    reserved 1;\n    reserved "detail";\n')
    .replace('// Detail is a nested option.\nmessage Detail {\n    // Verbose output.\n    bool verbose = 1;\n}\n\n', '');
  const fs = check(SVC, cur);
  assert.deepEqual(rules(fs), ['FIELD_REMOVED_WITHOUT_DEPRECATION', 'MESSAGE_NO_DELETE']);
  // Top-level deletions point at the declaration that followed them in the baseline (else the one before).
  expectFinding(fs, {
    rule: 'MESSAGE_NO_DELETE', category: 'WIRE', severity: 'error', range: at(cur, 'message Unused', 'Unused'), element: 'runtime.v1.Detail',
    message: 'message "runtime.v1.Detail" of v0.36.3 was deleted (it was declared before "Unused"), but RPCs of v0.36.3 use it',
  });
});

test('ENUM_NO_DELETE: an enum reachable from a baseline RPC', () => {
  const cur = SVC.replace('    // The mode of the caller.\n    Mode mode = 2;\n', '    reserved 2;\n    reserved "mode";\n')
    .replace(/\/\/ Mode is an enum[^]*$/, '');
  const fs = check(SVC, cur);
  assert.deepEqual(rules(fs), ['ENUM_NO_DELETE', 'FIELD_REMOVED_WITHOUT_DEPRECATION']);
  expectFinding(fs, {
    rule: 'ENUM_NO_DELETE', category: 'WIRE', severity: 'error', range: at(cur, 'message VersionRequest', 'VersionRequest'), element: 'runtime.v1.Mode',
    message: 'enum "runtime.v1.Mode" of v0.36.3 was deleted, but RPCs of v0.36.3 use it',
  });
});

test('TYPE_NO_DELETE: a message no RPC reaches; nested deletions point at the parent', () => {
  const cur = SVC.replace('// Unused is not reachable from any RPC.\nmessage Unused {\n    // A value.\n    string value = 1;\n}\n\n', '');
  const fs = check(SVC, cur);
  assert.deepEqual(rules(fs), ['TYPE_NO_DELETE']);
  expectFinding(fs, {
    rule: 'TYPE_NO_DELETE', category: 'GO_SOURCE', severity: 'warning', range: at(cur, 'message Detail', 'Detail'), element: 'runtime.v1.Unused',
    message: 'message "runtime.v1.Unused" of v0.36.3 was deleted (it was declared after "Detail")',
  });
  const nestedOld = proto(`
message Outer {
    message Inner {
        string x = 1;
    }
    Inner inner = 1;
}
`);
  const nestedNew = proto(`
message Outer {
    reserved 1;
    reserved "inner";
}
`);
  const nested = check(nestedOld, nestedNew).find((f) => f.rule === 'TYPE_NO_DELETE')!;
  assert.equal(nested.message, 'message "runtime.v1.Outer.Inner" of v0.36.3 was deleted');
  assert.deepEqual(nested.range, at(nestedNew, 'message Outer', 'Outer'));
});

test('MESSAGE_RENAMED: message and enum renames are reported once, not as type and signature changes', () => {
  const cur = SVC.replaceAll('StatusResponse', 'RuntimeStatusResponse').replace('Detail detail = 1', 'DetailLevel detail = 1').replace('message Detail {', 'message DetailLevel {');
  const fs = check(SVC, cur);
  assert.deepEqual(rules(fs), ['MESSAGE_RENAMED', 'MESSAGE_RENAMED']);
  const f = expectFinding(fs, {
    rule: 'MESSAGE_RENAMED', category: 'GO_SOURCE', severity: 'error', range: at(cur, 'message RuntimeStatusResponse', 'RuntimeStatusResponse'),
    element: 'runtime.v1.RuntimeStatusResponse', message: 'message "StatusResponse" of v0.36.3 was renamed to "RuntimeStatusResponse"',
  }, (x) => x.element === 'runtime.v1.RuntimeStatusResponse');
  assert.deepEqual(f.fixes, [{ kind: 'rename', to: 'StatusResponse' }]);
  assert.equal(fs.find((x) => x.element === 'runtime.v1.DetailLevel')?.message, 'message "Detail" of v0.36.3 was renamed to "DetailLevel"');
  const enumRenamed = SVC.replaceAll('Mode mode', 'CallerMode mode').replace('enum Mode', 'enum CallerMode');
  assert.deepEqual(check(SVC, enumRenamed).map((x) => x.message), ['enum "Mode" of v0.36.3 was renamed to "CallerMode"']);
  // A field doc that follows the rename changes a reference (DOC_MEANING_CHANGED), but the field's type did not
  // change in meaning, so there is no FIELD_MEANING_CHANGED.
  const docFollows = cur.replace('// Detail level.', '// DetailLevel to use.');
  assert.deepEqual(rules(check(SVC, docFollows)), ['DOC_MEANING_CHANGED', 'MESSAGE_RENAMED', 'MESSAGE_RENAMED']);
  // A message renamed with the types nested in it: one rename, the nested types move with it.
  const NESTED = proto(`
// Outer holds a nested message and enum.
message Outer {
    // Inner is nested.
    message Inner {
        // v is a value.
        string v = 1;
    }
    // Kind is nested.
    enum Kind {
        KIND_UNSPECIFIED = 0;
    }
    // inner uses Inner.
    Inner inner = 1;
    // kinds uses Kind.
    map<string, Kind> kinds = 2;
}

// User refers to the nested message from outside.
message User {
    // i is an Outer.Inner.
    Outer.Inner i = 1;
}
`);
  const nestedRenamed = NESTED.replace('message Outer {', 'message Renamed {').replace('Outer.Inner i = 1', 'Renamed.Inner i = 1');
  const nfs = check(NESTED, nestedRenamed);
  assert.deepEqual(nfs.map((x) => [x.rule, x.element, x.message]), [
    ['MESSAGE_RENAMED', 'runtime.v1.Renamed', 'message "Outer" of v0.36.3 was renamed to "Renamed"'],
  ]);
  // A renamed type whose shape also changed is a deletion plus an addition.
  // (The new message's field is new too, and "A value." only restates its name.)
  const reshaped = SVC.replace('message Unused {\n    // A value.\n    string value = 1;', 'message Spare {\n    // A value.\n    int64 value = 1;');
  assert.deepEqual(check(SVC, reshaped).map((x) => `${x.rule} ${x.element}`), ['TYPE_NO_DELETE runtime.v1.Unused', 'DOC_MISSING runtime.v1.Spare.value']);
});

test('RPC_NO_DELETE: deleted RPC, and renamed RPC', () => {
  const deleted = SVC.replace('    // Status returns the status.\n    rpc Status(StatusRequest) returns (StatusResponse) {}\n', '');
  const fs = check(SVC, deleted);
  assert.deepEqual(rules(fs), ['RPC_NO_DELETE']);
  expectFinding(fs, {
    rule: 'RPC_NO_DELETE', category: 'WIRE', severity: 'error', range: at(deleted, 'service RuntimeService', 'RuntimeService'), element: 'runtime.v1.RuntimeService.Status',
    message: 'rpc "Status" of v0.36.3 was deleted; kubelets calling it get Unimplemented',
  });
  // A rename keeps request and response; the new name is also a new RPC for the documentation rules.
  const renamed = SVC.replace('// Status returns the status.\n    rpc Status(', '// RuntimeStatus returns the status; called after Version. Older runtimes answer Unimplemented.\n    rpc RuntimeStatus(');
  const rfs = check(SVC, renamed);
  assert.deepEqual(rules(rfs), ['RPC_NO_DELETE']);
  assert.deepEqual(rfs[0]!.range, at(renamed, 'rpc RuntimeStatus', 'RuntimeStatus'));
  assert.equal(rfs[0]!.message, 'rpc "Status" of v0.36.3 was renamed to "RuntimeStatus"; clients calling Status get Unimplemented');
  // Renamed back, or put back as released next to the new name: where the baseline had it, with its comment.
  const restore = {
    kind: 'restoreRpc', service: 'runtime.v1.RuntimeService', name: 'Status', declaration: 'rpc Status(runtime.v1.StatusRequest) returns (runtime.v1.StatusResponse)',
    options: [], doc: ' Status returns the status.', docHash: 'be8438b3', after: 'Version',
  };
  assert.deepEqual(rfs[0]!.fixes, [{ kind: 'rename', to: 'Status' }, restore]);
  assert.deepEqual(fs[0]!.fixes, [restore]);
});

test('SERVICE_NO_DELETE: deleted service, and renamed service', () => {
  const deleted = SVC.slice(0, SVC.indexOf('// RuntimeService is')) + SVC.slice(SVC.indexOf('// VersionRequest asks'));
  const fs = check(SVC, deleted);
  assert.deepEqual(rules(fs), ['SERVICE_NO_DELETE']);
  expectFinding(fs, {
    rule: 'SERVICE_NO_DELETE', category: 'WIRE', severity: 'error', range: at(deleted, 'message VersionRequest', 'VersionRequest'), element: 'runtime.v1.RuntimeService',
    message: 'service "RuntimeService" of v0.36.3 was deleted',
  });
  const renamed = SVC.replace('service RuntimeService', 'service CriRuntime');
  const rfs = check(SVC, renamed);
  assert.deepEqual(rules(rfs), ['SERVICE_NO_DELETE']);
  assert.deepEqual(rfs[0]!.range, at(renamed, 'service CriRuntime', 'CriRuntime'));
  assert.equal(rfs[0]!.message, 'service "RuntimeService" of v0.36.3 was renamed to "CriRuntime"');
  assert.deepEqual(rfs[0]!.fixes, [{ kind: 'rename', to: 'RuntimeService' }]);
});

test('RPC_SIGNATURE_CHANGED: request and response types', () => {
  const cur = SVC.replace('rpc Version(VersionRequest) returns (VersionResponse)', 'rpc Version(StatusRequest) returns (StatusResponse)');
  const fs = check(SVC, cur);
  assert.deepEqual(rules(fs), ['RPC_SIGNATURE_CHANGED', 'RPC_SIGNATURE_CHANGED']);
  expectFinding(fs, {
    rule: 'RPC_SIGNATURE_CHANGED', category: 'WIRE', severity: 'error', range: at(cur, 'rpc Version', 'StatusRequest'), element: 'runtime.v1.RuntimeService.Version',
    message: 'rpc "Version" changed its request from runtime.v1.VersionRequest to runtime.v1.StatusRequest (baseline v0.36.3)',
  }, (f) => f.message.includes('request'));
  expectFinding(fs, {
    rule: 'RPC_SIGNATURE_CHANGED', category: 'WIRE', severity: 'error', range: at(cur, 'rpc Version', 'StatusResponse'), element: 'runtime.v1.RuntimeService.Version',
    message: 'rpc "Version" changed its response from runtime.v1.VersionResponse to runtime.v1.StatusResponse (baseline v0.36.3)',
  }, (f) => f.message.includes('response'));
});

test('RPC_STREAMING_CHANGED', () => {
  const cur = SVC.replace('returns (VersionResponse)', 'returns (stream VersionResponse)');
  const fs = check(SVC, cur);
  assert.deepEqual(rules(fs), ['RPC_STREAMING_CHANGED']);
  expectFinding(fs, {
    rule: 'RPC_STREAMING_CHANGED', category: 'WIRE', severity: 'error', range: at(cur, 'rpc Version', 'Version'), element: 'runtime.v1.RuntimeService.Version',
    message: 'rpc "Version" changed its response from unary to streaming (baseline v0.36.3)',
  });
  const req = SVC.replace('rpc Version(VersionRequest)', 'rpc Version(stream VersionRequest)');
  assert.deepEqual(check(SVC, req).map((f) => f.message), ['rpc "Version" changed its request from unary to streaming (baseline v0.36.3)']);
});

test('PACKAGE_CHANGED: reported once, on the package statement', () => {
  const cur = SVC.replace('package runtime.v1;', 'package runtime.v2;');
  const fs = check(SVC, cur);
  assert.deepEqual(rules(fs), ['PACKAGE_CHANGED']);
  expectFinding(fs, {
    rule: 'PACKAGE_CHANGED', category: 'WIRE', severity: 'error', range: at(cur, 'package runtime.v2', 'runtime.v2'), element: 'runtime.v2',
    message: 'package changed from "runtime.v1" to "runtime.v2" (baseline v0.36.3)',
  });
});

test('GO_PACKAGE_CHANGED: reported once, on the go_package value', () => {
  const old = SVC.replace('package runtime.v1;', 'package runtime.v1;\n\noption go_package = "k8s.io/cri-api/pkg/apis/runtime/v1";');
  const cur = old.replace('"k8s.io/cri-api/pkg/apis/runtime/v1"', '"k8s.io/cri-api/pkg/apis/runtime/v1;runtime"');
  const fs = check(old, cur);
  assert.deepEqual(rules(fs), ['GO_PACKAGE_CHANGED']);
  expectFinding(fs, {
    rule: 'GO_PACKAGE_CHANGED', category: 'GO_SOURCE', severity: 'error',
    range: at(cur, 'option go_package', '"k8s.io/cri-api/pkg/apis/runtime/v1;runtime"'), element: 'runtime.v1',
    message: 'go_package changed from "k8s.io/cri-api/pkg/apis/runtime/v1" to "k8s.io/cri-api/pkg/apis/runtime/v1;runtime" (baseline v0.36.3)',
  });
  // Adding the option changes nothing that was built; removing it leaves the generator without an import path.
  assert.deepEqual(check(SVC, cur), []);
  const removed = check(old, SVC);
  assert.deepEqual(removed.map((f) => [f.rule, f.element, f.message]), [['GO_PACKAGE_CHANGED', 'runtime.v1',
    'go_package "k8s.io/cri-api/pkg/apis/runtime/v1" was removed (baseline v0.36.3); protoc-gen-go then has no import path for the generated code']]);
  assert.deepEqual(removed[0]!.range, at(SVC, 'package runtime.v1', 'runtime.v1'));
});

test('RESERVED_REMOVED: dropped numbers and names, and a reserved number used again', () => {
  const old = proto(`
// Foo is a test message.
message Foo {
    reserved 5, 7 to 9;
    reserved "gone";
    // a is kept.
    string a = 1;
}

// Mode is a test enum.
enum Mode {
    reserved 3;
    MODE_UNSPECIFIED = 0;
}
`);
  const cur = old.replace('    reserved 5, 7 to 9;\n    reserved "gone";\n', '    reserved 7 to 9;\n').replace('    reserved 3;\n', '');
  const fs = check(old, cur);
  assert.deepEqual(rules(fs), ['RESERVED_REMOVED', 'RESERVED_REMOVED', 'RESERVED_REMOVED']);
  expectFinding(fs, {
    rule: 'RESERVED_REMOVED', category: 'WIRE', severity: 'error', range: at(cur, 'message Foo', 'Foo'), element: 'runtime.v1.Foo',
    message: 'message "Foo" no longer reserves number 5 (reserved in v0.36.3)',
  }, (f) => f.message.includes('number 5'));
  expectFinding(fs, {
    rule: 'RESERVED_REMOVED', category: 'WIRE', severity: 'error', range: at(cur, 'message Foo', 'Foo'), element: 'runtime.v1.Foo',
    message: 'message "Foo" no longer reserves the name "gone" (reserved in v0.36.3)',
  }, (f) => f.message.includes('"gone"'));
  expectFinding(fs, {
    rule: 'RESERVED_REMOVED', category: 'WIRE', severity: 'error', range: at(cur, 'enum Mode', 'Mode'), element: 'runtime.v1.Mode',
    message: 'enum "Mode" no longer reserves number 3 (reserved in v0.36.3)',
  }, (f) => f.element === 'runtime.v1.Mode');
  // The reservation dropped and the number taken by a new field: reported on the field's number, without a reserve fix.
  const reused = old.replace('    reserved 5, 7 to 9;\n', '    reserved 7 to 9;\n').replace('    string a = 1;\n', '    string a = 1;\n    // fresh is new.\n    string fresh = 5;\n');
  const rfs = check(old, reused);
  assert.deepEqual(rules(rfs), ['RESERVED_REMOVED']);
  assert.deepEqual(rfs[0]!.range, at(reused, 'string fresh = 5', '5'));
  assert.equal(rfs[0]!.message, 'message "Foo" no longer reserves number 5 (reserved in v0.36.3); "fresh" now uses it');
  assert.equal(rfs[0]!.fixes, undefined);
  // Each dropped reservation can be put back, ranges and names included.
  assert.deepEqual(fs.map((f) => f.fixes), [
    [{ kind: 'reserve', message: 'runtime.v1.Foo', isEnum: false, numbers: [[5, 5]], names: [] }],
    [{ kind: 'reserve', message: 'runtime.v1.Foo', isEnum: false, numbers: [], names: ['gone'] }],
    [{ kind: 'reserve', message: 'runtime.v1.Mode', isEnum: true, numbers: [[3, 3]], names: [] }],
  ]);
  const narrowed = check(old, old.replace('reserved 5, 7 to 9;', 'reserved 5, 7;'));
  assert.deepEqual(narrowed.map((f) => [f.message, f.fixes]), [['message "Foo" no longer reserves numbers 8 to 9 (reserved in v0.36.3)',
    [{ kind: 'reserve', message: 'runtime.v1.Foo', isEnum: false, numbers: [[8, 9]], names: [] }]]]);
});

// ---- documentation rules -----------------------------------------------------------------------------

test('DOC_MISSING: new message, field, enum, service and RPC without comments', () => {
  const cur = SVC.replace('// Mode is an enum', `message Added {
    string x = 1;
}

enum AddedEnum {
    ADDED_ENUM_UNSPECIFIED = 0;
}

service AddedService {
    rpc Ping(VersionRequest) returns (VersionResponse) {}
}

// Mode is an enum`).replace('    // A value.\n    string value = 1;\n', '    // A value.\n    string value = 1;\n    string extra = 2;\n');
  const fs = check(SVC, cur).filter((f) => f.rule === 'DOC_MISSING');
  const byElement = new Map(fs.map((f) => [f.element, f]));
  assert.deepEqual([...byElement.keys()].sort(), ['runtime.v1.Added', 'runtime.v1.Added.x', 'runtime.v1.AddedEnum', 'runtime.v1.AddedService', 'runtime.v1.AddedService.Ping', 'runtime.v1.Unused.extra']);
  expectFinding(fs, {
    rule: 'DOC_MISSING', category: 'DOCS', severity: 'warning', range: at(cur, 'message Added', 'Added'), element: 'runtime.v1.Added',
    message: 'new message "Added" (not in v0.36.3) has no documentation comment',
  }, (f) => f.element === 'runtime.v1.Added');
  assert.equal(byElement.get('runtime.v1.Added.x')!.message, 'new field "x" (not in v0.36.3) has no documentation comment');
  assert.deepEqual(byElement.get('runtime.v1.Added.x')!.range, at(cur, 'string x = 1', 'x'));
  assert.equal(byElement.get('runtime.v1.AddedEnum')!.message, 'new enum "AddedEnum" (not in v0.36.3) has no documentation comment');
  assert.equal(byElement.get('runtime.v1.AddedService')!.message, 'new service "AddedService" (not in v0.36.3) has no documentation comment');
  assert.equal(byElement.get('runtime.v1.Unused.extra')!.message, 'new field "extra" (not in v0.36.3) has no documentation comment');
  assert.deepEqual(byElement.get('runtime.v1.Unused.extra')!.fixes, [{ kind: 'docStub', element: 'field', name: 'extra' }]);
  // A new RPC in an existing service.
  const rpc = SVC.replace('    // Status returns the status.\n', '    rpc Ping(VersionRequest) returns (VersionResponse) {}\n    // Status returns the status.\n');
  assert.deepEqual(check(SVC, rpc).map((f) => [f.rule, f.message]), [['DOC_MISSING', 'new RPC "Ping" (not in v0.36.3) has no documentation comment']]);
  // A suppression comment is not documentation.
  const suppressedOnly = SVC.replace('    // Status returns the status.\n', '    // cri-compat:ignore RPC_NO_DELETE unrelated\n    rpc Ping(VersionRequest) returns (VersionResponse) {}\n    // Status returns the status.\n');
  assert.ok(check(SVC, suppressedOnly).some((f) => f.rule === 'DOC_MISSING' && f.element === 'runtime.v1.RuntimeService.Ping'));
});

test('DOC_STUB_UNFINISHED: a new element whose documentation still has TODO placeholders', () => {
  const cur = SVC.replace('    // A value.\n    string value = 1;\n', '    // A value.\n    string value = 1;\n    // TODO: say what extra means.\n    string extra = 2;\n');
  const fs = check(SVC, cur);
  assert.deepEqual(rules(fs), ['DOC_STUB_UNFINISHED']);
  expectFinding(fs, {
    rule: 'DOC_STUB_UNFINISHED', category: 'DOCS', severity: 'information', range: at(cur, 'string extra', 'extra'), element: 'runtime.v1.Unused.extra',
    message: 'the documentation of new field "extra" still has TODO placeholders',
  });
  // A TODO in the documentation of an existing element is not a stub.
  assert.deepEqual(check(SVC, SVC.replace('// A value.', '// A value. TODO: tidy this up.')), []);
});

test('deprecating a field with a "Deprecated:" note is not a change of meaning', () => {
  const cur = FOO.replace('    // b is the one that changes.\n    string b = 2;', '    // b is the one that changes.\n    // Deprecated: use a; runtimes must ignore b.\n    string b = 2 [deprecated = true];');
  assert.deepEqual(check(FOO, cur), []);
  // Without the option, the same words are a documentation change.
  assert.deepEqual(rules(check(FOO, cur.replace(' [deprecated = true]', ''))), ['DOC_MEANING_CHANGED']);
});

test('RPC_CALL_SEQUENCE_UNDOCUMENTED and RPC_FALLBACK_UNDOCUMENTED: a documented new RPC that says neither', () => {
  const cur = SVC.replace('    // Status returns the status.\n', '    // Ping checks that the runtime answers.\n    rpc Ping(VersionRequest) returns (VersionResponse) {}\n    // Status returns the status.\n');
  const fs = check(SVC, cur);
  assert.deepEqual(rules(fs), ['RPC_CALL_SEQUENCE_UNDOCUMENTED', 'RPC_FALLBACK_UNDOCUMENTED']);
  expectFinding(fs, {
    rule: 'RPC_CALL_SEQUENCE_UNDOCUMENTED', category: 'DOCS', severity: 'warning', range: at(cur, 'rpc Ping', 'Ping'), element: 'runtime.v1.RuntimeService.Ping',
    message: 'new RPC "Ping" does not say when the kubelet calls it relative to other RPCs (name one, or say it has no ordering constraint)',
  });
  expectFinding(fs, {
    rule: 'RPC_FALLBACK_UNDOCUMENTED', category: 'DOCS', severity: 'warning', range: at(cur, 'rpc Ping', 'Ping'), element: 'runtime.v1.RuntimeService.Ping',
    message: 'new RPC "Ping" does not say how a kubelet detects an older runtime without it (e.g. it answers Unimplemented)',
  });
  const good = cur.replace('// Ping checks that the runtime answers.', '// Ping checks that the runtime answers; the kubelet calls it before Version.\n    // Older runtimes answer Unimplemented, and the kubelet falls back to Version.');
  assert.deepEqual(check(SVC, good), []);
  const anyOrder = cur.replace('// Ping checks that the runtime answers.', '// Ping may be called at any time. Runtimes that do not implement it answer Unimplemented.');
  assert.deepEqual(check(SVC, anyOrder), []);
});

test('FIELD_DEGRADATION_UNDOCUMENTED: a new request field that does not say what an older runtime does', () => {
  const cur = SVC.replace('    Mode mode = 2;\n', '    Mode mode = 2;\n    // Whether to include build details.\n    bool build = 3;\n');
  const fs = check(SVC, cur);
  assert.deepEqual(rules(fs), ['FIELD_DEGRADATION_UNDOCUMENTED']);
  const f = expectFinding(fs, {
    rule: 'FIELD_DEGRADATION_UNDOCUMENTED', category: 'POLICY', severity: 'hint', range: at(cur, 'bool build', 'build'), element: 'runtime.v1.VersionRequest.build',
    message: 'new request field "build" does not say what a runtime that ignores it does (runtimes older than this release drop it silently)',
  });
  assert.deepEqual(f.fixes, [{ kind: 'docStub', element: 'field', name: 'build', reachesOlderRuntimes: true }]);
  assert.deepEqual(check(SVC, cur.replace('include build details.', 'include build details. Older runtimes ignore it.')), []);
  // Response-side and unreachable messages are not request fields.
  assert.deepEqual(check(SVC, SVC.replace('    bool ready = 1;\n', '    bool ready = 1;\n    // Build details.\n    string build = 2;\n')), []);
  // Messages reached from a request through fields count (StatusRequest → Detail).
  assert.deepEqual(rules(check(SVC, SVC.replace('    bool verbose = 1;\n', '    bool verbose = 1;\n    // Also trace.\n    bool trace = 2;\n'))), ['FIELD_DEGRADATION_UNDOCUMENTED']);
});

test('ENUM_VALUE_DEGRADATION_UNDOCUMENTED: a value added to an enum the kubelet sends, that does not say what an older runtime does', () => {
  const cur = SVC.replace('    MODE_A = 1;\n', '    MODE_A = 1;\n    // MODE_B asks for the second mode.\n    MODE_B = 2;\n');
  const fs = check(SVC, cur);
  assert.deepEqual(rules(fs), ['ENUM_VALUE_DEGRADATION_UNDOCUMENTED']);
  const f = expectFinding(fs, {
    rule: 'ENUM_VALUE_DEGRADATION_UNDOCUMENTED', category: 'POLICY', severity: 'hint', range: at(cur, 'MODE_B = 2', 'MODE_B'), element: 'runtime.v1.Mode.MODE_B',
    message: 'new value "MODE_B" of a request enum does not say what a runtime that does not know it does (runtimes older than this release read it as an unnamed number)',
  });
  assert.deepEqual(f.fixes, [{ kind: 'docStub', element: 'enumValue', name: 'MODE_B', reachesOlderRuntimes: true }]);
  assert.deepEqual(check(SVC, cur.replace('the second mode.', 'the second mode; older runtimes treat it as MODE_A.')), []);
  // A value of an enum that only responses or no RPC carry is not sent to a runtime.
  const answered = SVC.replace('    // Whether the runtime is ready.\n    bool ready = 1;\n', '    // Whether the runtime is ready.\n    bool ready = 1;\n    // The mode it runs in.\n    Mode mode = 2;\n')
    .replace('    // The mode of the caller.\n    Mode mode = 2;\n', '    reserved 2;\n    reserved "mode";\n');
  assert.deepEqual(rules(check(answered, answered.replace('    MODE_A = 1;\n', '    MODE_A = 1;\n    // MODE_B is the second mode.\n    MODE_B = 2;\n'))), []);
});

// ---- history reuse -------------------------------------------------------------------------------------

/** A hand-built History: releases oldest first, and the number uses per message/enum. */
function history(releases: string[], fields: Record<string, NumberUse[]>, values: Record<string, NumberUse[]> = {}): History {
  return {
    releases: releases.map((tag) => ({ tag, kubernetes: tag.replace(/^v0\./, '1.'), prerelease: /-/.test(tag) })),
    fieldUses: (m) => fields[m] ?? [],
    enumValueUses: (e) => values[e] ?? [],
    element: () => undefined,
    modelAt: () => undefined,
  };
}

const HIST_OLD = proto(`
// Foo is a test message.
message Foo {
    reserved 3;
    // a is kept.
    string a = 1;
}

// Mode is a test enum.
enum Mode {
    reserved 3;
    MODE_UNSPECIFIED = 0;
}
`);

const HISTORY = history(['v0.20.0', 'v0.25.0', 'v0.36.3'], {
  'runtime.v1.Foo': [
    { number: 1, name: 'a', type: 'string', firstTag: 'v0.20.0', lastTag: 'v0.36.3' },
    { number: 3, name: 'legacy', type: 'string', firstTag: 'v0.20.0', lastTag: 'v0.25.0' },
  ],
}, {
  'runtime.v1.Mode': [
    { number: 0, name: 'MODE_UNSPECIFIED', firstTag: 'v0.20.0', lastTag: 'v0.36.3' },
    { number: 3, name: 'MODE_OLD', firstTag: 'v0.20.0', lastTag: 'v0.25.0' },
  ],
});

test('FIELD_NUMBER_REUSED_HISTORY: a number an earlier release used, with a hand-built History', () => {
  // The baseline dropped the reservation that the history remembers.
  const base = HIST_OLD.replace('    reserved 3;\n    // a', '    // a');
  const cur = base.replace('    string a = 1;\n', '    string a = 1;\n    // fresh is new.\n    int64 fresh = 3;\n');
  const fs = check(base, cur, {}, { history: HISTORY });
  assert.deepEqual(rules(fs), ['FIELD_NUMBER_REUSED_HISTORY']);
  const f = expectFinding(fs, {
    rule: 'FIELD_NUMBER_REUSED_HISTORY', category: 'WIRE', severity: 'error', range: at(cur, 'int64 fresh = 3', '3'), element: 'runtime.v1.Foo.fresh',
    message: 'field number 3 was used by "legacy" (string) until v0.25.0; "fresh" must not reuse it',
  });
  assert.deepEqual(f.fixes, [{ kind: 'renumber', to: 4, label: 'Give "fresh" the next free number 4' }]);
  assert.deepEqual(f.related, [{ message: 'v0.20.0…v0.25.0: string legacy = 3' }]);
  // Without history nothing knows about number 3.
  assert.deepEqual(check(base, cur), []);
  // Uses that first appear after the release being checked are not "earlier" (history replays).
  assert.deepEqual(check(base, cur, { currentTag: 'v0.19.0' }, { history: HISTORY }), []);
  assert.deepEqual(rules(check(base, cur, { currentTag: 'v0.37.0' }, { history: HISTORY })), ['FIELD_NUMBER_REUSED_HISTORY']);
  // The release the baseline knows the file is bounds the history the same way; a given currentTag wins over it.
  assert.deepEqual(check(base, cur, {}, { history: HISTORY, release: 'v0.19.0' }), []);
  assert.deepEqual(rules(check(base, cur, { currentTag: 'v0.37.0' }, { history: HISTORY, release: 'v0.19.0' })), ['FIELD_NUMBER_REUSED_HISTORY']);
});

test('FIELD_NUMBER_REUSED and FIELD_NUMBER_REUSED_HISTORY in one message: one sequence of free numbers, in field order', () => {
  const base = HIST_OLD.replace('    reserved 3;\n    // a', '    // a');
  // z reuses the baseline's 1 (a), fresh the history's 3 (legacy); z is declared first.
  const cur = base.replace('    string a = 1;\n', '    int64 z = 1;\n    // fresh is new.\n    int64 fresh = 3;\n');
  const fs = check(base, cur, {}, { history: HISTORY }).filter((x) => x.rule.startsWith('FIELD_NUMBER_REUSED'));
  assert.deepEqual(fs.map((f) => [f.rule, f.element, f.fixes]).sort(), [
    ['FIELD_NUMBER_REUSED', 'runtime.v1.Foo.z', [{ kind: 'renumber', to: 4, label: 'Give "z" the next free number 4' }]],
    ['FIELD_NUMBER_REUSED_HISTORY', 'runtime.v1.Foo.fresh', [{ kind: 'renumber', to: 5, label: 'Give "fresh" the next free number 5' }]],
  ]);
  // Two history reuses, declared in the other order than their numbers.
  const two = base.replace('    string a = 1;\n', '    string a = 1;\n    // fresh is new.\n    int64 fresh = 3;\n    // newer is new.\n    int64 newer = 2;\n');
  const h = history(['v0.20.0', 'v0.25.0', 'v0.36.3'], { 'runtime.v1.Foo': [
    { number: 1, name: 'a', type: 'string', firstTag: 'v0.20.0', lastTag: 'v0.36.3' },
    { number: 2, name: 'gone', type: 'string', firstTag: 'v0.20.0', lastTag: 'v0.25.0' },
    { number: 3, name: 'legacy', type: 'string', firstTag: 'v0.20.0', lastTag: 'v0.25.0' },
  ] });
  assert.deepEqual(check(base, two, {}, { history: h }).map((f) => [f.element, f.fixes?.map((x) => x.kind === 'renumber' && x.to)]), [
    ['runtime.v1.Foo.fresh', [4]],
    ['runtime.v1.Foo.newer', [5]],
  ]);
});

test('history reuse asks the history nothing while every field and value is in the baseline', () => {
  // The CLI's history is loaded on first use (deferredBundledHistory): unchanged numbers and names must not load it.
  const untouchable = new Proxy({} as History, { get: (_, key) => assert.fail(`the history was asked for ${String(key)}`) });
  const cur = HIST_OLD.replace('// a is kept.', '// a is kept, and documented more.');
  assert.deepEqual(check(HIST_OLD, cur, {}, { history: untouchable }), []);
  // A new field needs the history, and then gets its answer.
  const added = HIST_OLD.replace('    string a = 1;\n', '    string a = 1;\n    // fresh is new.\n    int64 fresh = 3;\n');
  assert.throws(() => check(HIST_OLD, added, {}, { history: untouchable }), /the history was asked for fieldUses/);
});

test('FIELD_NAME_REUSED_HISTORY: a name an earlier release used with another number', () => {
  const cur = HIST_OLD.replace('    string a = 1;\n', '    string a = 1;\n    // legacy is back.\n    string legacy = 4;\n');
  const fs = check(HIST_OLD, cur, {}, { history: HISTORY });
  assert.deepEqual(rules(fs), ['FIELD_NAME_REUSED_HISTORY']);
  const f = expectFinding(fs, {
    rule: 'FIELD_NAME_REUSED_HISTORY', category: 'JSON', severity: 'warning', range: at(cur, 'string legacy = 4', 'legacy'), element: 'runtime.v1.Foo.legacy',
    message: 'field name "legacy" was used with number 3 (string) until v0.25.0; JSON from that release would be read into this field',
  });
  assert.deepEqual(f.related, [{ message: 'v0.20.0…v0.25.0: string legacy = 3' }]);
});

test('ENUM_VALUE_NUMBER_REUSED: an enum number an earlier release used', () => {
  const base = HIST_OLD.replace('    reserved 3;\n    MODE_UNSPECIFIED', '    MODE_UNSPECIFIED');
  const cur = base.replace('    MODE_UNSPECIFIED = 0;\n', '    MODE_UNSPECIFIED = 0;\n    // MODE_NEW is the new mode.\n    MODE_NEW = 3;\n');
  const fs = check(base, cur, {}, { history: HISTORY });
  assert.deepEqual(rules(fs), ['ENUM_VALUE_NUMBER_REUSED']);
  const f = expectFinding(fs, {
    rule: 'ENUM_VALUE_NUMBER_REUSED', category: 'WIRE', severity: 'error', range: at(cur, 'MODE_NEW = 3', '3'), element: 'runtime.v1.Mode.MODE_NEW',
    message: 'enum number 3 was "MODE_OLD" until v0.25.0; "MODE_NEW" must not reuse it',
  });
  assert.deepEqual(f.related, [{ message: 'v0.20.0…v0.25.0: MODE_OLD = 3' }]);
});

// ---- patch-release policy ------------------------------------------------------------------------------

test('PATCH_RELEASE_API_CHANGE: currentTag is a patch of the baseline minor', () => {
  const cur = FOO.replace('    string b = 2;\n', '    string b = 2;\n    // c is new.\n    string c = 3;\n');
  const bound = bind(parse(cur), 'x');
  const baseline: Baseline = { tag: 'v0.36.2', source: 'path', origin: 'test', model: model(FOO) };
  const fs = checkCompatibility(cur, bound, baseline, { currentTag: 'v0.36.3' }).findings;
  assert.deepEqual(rules(fs), ['PATCH_RELEASE_API_CHANGE']);
  expectFinding(fs, {
    rule: 'PATCH_RELEASE_API_CHANGE', category: 'POLICY', severity: 'warning', range: at(cur, 'package runtime.v1;', 'package runtime.v1;'), element: 'runtime.v1',
    message: '1 API change between v0.36.2 and the patch release v0.36.3; patch releases should not change the API',
  });
  const run = (currentTag: string | undefined, text = cur): string[] =>
    rules(checkCompatibility(text, bind(parse(text), 'x'), baseline, currentTag ? { currentTag } : {}).findings);
  assert.deepEqual(run('v0.37.0'), [], 'a new minor may change the API');
  assert.deepEqual(run('v0.36.3-rc.0'), ['PATCH_RELEASE_API_CHANGE'], 'a pre-release of a patch is a patch release too');
  assert.deepEqual(run('v0.37.0-rc.0'), [], 'a pre-release of the next minor may change the API');
  assert.deepEqual(run(undefined), [], 'no current tag, no policy');
  assert.deepEqual(run('v0.36.3', FOO), [], 'no change, no finding');
  // An undocumented addition counts once, not once more for its DOC_MISSING.
  const undocumented = FOO.replace('    string b = 2;\n', '    string b = 2;\n    string c = 3;\n');
  const u = checkCompatibility(undocumented, bind(parse(undocumented), 'x'), baseline, { currentTag: 'v0.36.3' }).findings;
  assert.equal(u.find((f) => f.rule === 'PATCH_RELEASE_API_CHANGE')?.message, '1 API change between v0.36.2 and the patch release v0.36.3; patch releases should not change the API');
  // A changed documented meaning is a change of the API contract.
  const doc = FOO.replace('b is the one that changes.', 'b must be set.');
  assert.deepEqual(run('v0.36.3', doc), ['DOC_MEANING_CHANGED', 'PATCH_RELEASE_API_CHANGE']);
  // The release the baseline knows the file is (HEAD at its tag) counts as currentTag does; a given one wins.
  const known: Baseline = { ...baseline, release: 'v0.36.3' };
  assert.equal(checkCompatibility(cur, bound, known).findings.find((f) => f.rule === 'PATCH_RELEASE_API_CHANGE')?.message, '1 API change between v0.36.2 and the patch release v0.36.3; patch releases should not change the API');
  assert.deepEqual(rules(checkCompatibility(cur, bound, known, { currentTag: 'v0.37.0' }).findings), []);
});

test('PATCH_RELEASE_API_CHANGE: on a release line, what the file changes against the baseline ships in a patch', () => {
  const cur = FOO.replace('    string b = 2;\n', '    string b = 2;\n    // c is new.\n    string c = 3;\n');
  const baseline: Baseline = { tag: 'v0.36.2', source: 'git', origin: 'test', model: model(FOO), releaseLine: 36 };
  const fs = checkCompatibility(cur, bind(parse(cur), 'x'), baseline).findings;
  assert.deepEqual(rules(fs), ['PATCH_RELEASE_API_CHANGE']);
  expectFinding(fs, {
    rule: 'PATCH_RELEASE_API_CHANGE', category: 'POLICY', severity: 'warning', range: at(cur, 'package runtime.v1;', 'package runtime.v1;'), element: 'runtime.v1',
    message: '1 API change since v0.36.2 on the 1.36 release line, which ships in a patch release; patch releases should not change the API',
  });
  // Also past v0.N.0: the next release of the line is a patch too.
  const first = checkCompatibility(cur, bind(parse(cur), 'x'), { ...baseline, tag: 'v0.36.0' }).findings;
  assert.match(first.find((f) => f.rule === 'PATCH_RELEASE_API_CHANGE')!.message, /^1 API change since v0\.36\.0 on the 1\.36 release line/);
  // The baseline's own file: nothing changes, nothing is blamed (what earlier patches changed is not this file's doing).
  assert.deepEqual(checkCompatibility(FOO, bind(parse(FOO), 'x'), baseline).findings, []);
  // Off a release line, nothing.
  const { releaseLine: _, ...dev } = baseline;
  assert.deepEqual(rules(checkCompatibility(cur, bind(parse(cur), 'x'), dev).findings), []);
  // A known release of the file decides instead: v0.37.0 is no patch release.
  assert.deepEqual(rules(checkCompatibility(cur, bind(parse(cur), 'x'), baseline, { currentTag: 'v0.37.0' }).findings), []);
});


// ---- suppressions ----------------------------------------------------------------------------------------

const WIDENED_OLD = FOO.replace('string b = 2;', 'int32 b = 2;');

test('suppression with a reason removes the finding and reports nothing else', () => {
  const cur = FOO.replace('    // b is the one that changes.\n    string b = 2;', '    // b is the one that changes.\n    // cri-compat:ignore FIELD_TYPE_CHANGED widened on purpose, no released peer sends values above 2^31\n    int64 b = 2;');
  assert.deepEqual(check(WIDENED_OLD, cur), []);
  // Trailing form, on the line itself.
  const trailing = FOO.replace('string b = 2;', 'int64 b = 2; // cri-compat:ignore FIELD_TYPE_CHANGED widened on purpose');
  assert.deepEqual(check(WIDENED_OLD, trailing), []);
  // Several ids, with or without blanks after the comma.
  const two = FOO.replace('    string b = 2;', '    // cri-compat:ignore FIELD_TYPE_CHANGED, FIELD_JSON_NAME_CHANGED both intended\n    int64 b = 2 [json_name = "B"];');
  assert.deepEqual(check(WIDENED_OLD, two), []);
  const twoTight = two.replace('FIELD_TYPE_CHANGED, FIELD_JSON_NAME_CHANGED', 'FIELD_TYPE_CHANGED,FIELD_JSON_NAME_CHANGED');
  assert.deepEqual(check(WIDENED_OLD, twoTight), []);
  // Deletions are reported on the message, so the comment goes above the message.
  const deleted = proto(`
// Foo is a test message.
// cri-compat:ignore FIELD_NO_DELETE,FIELD_REMOVED_WITHOUT_DEPRECATION b was never sent by any kubelet
message Foo {
    // a is kept.
    string a = 1;
}
`);
  assert.deepEqual(check(FOO, deleted), []);
});

test('SUPPRESSION_WITHOUT_REASON: suppresses, but asks for a reason', () => {
  const cur = FOO.replace('    string b = 2;', '    // cri-compat:ignore FIELD_TYPE_CHANGED\n    int64 b = 2;');
  const fs = check(WIDENED_OLD, cur);
  assert.deepEqual(rules(fs), ['SUPPRESSION_WITHOUT_REASON']);
  const line = at(cur, 'int64 b = 2').start.line;
  expectFinding(fs, {
    rule: 'SUPPRESSION_WITHOUT_REASON', category: 'POLICY', severity: 'warning', range: lineRange(cur, 'cri-compat:ignore'), element: `line ${line + 1}`,
    message: 'cri-compat:ignore FIELD_TYPE_CHANGED gives no reason',
  });
});

test('SUPPRESSION_UNUSED: nothing to suppress, unknown rule id, no rule id', () => {
  const unused = FOO.replace('    string b = 2;', '    // cri-compat:ignore FIELD_NO_DELETE kept for safety\n    string b = 2;');
  const fs = check(FOO, unused);
  const line = at(unused, 'string b = 2').start.line;
  assert.deepEqual(rules(fs), ['SUPPRESSION_UNUSED']);
  expectFinding(fs, {
    rule: 'SUPPRESSION_UNUSED', category: 'POLICY', severity: 'warning', range: lineRange(unused, 'cri-compat:ignore'), element: `line ${line + 1}`,
    message: `cri-compat:ignore FIELD_NO_DELETE suppresses nothing on line ${line + 1}`,
  });
  // The wrong rule id: the real finding stays, and the comment is reported.
  const wrong = FOO.replace('    string b = 2;', '    // cri-compat:ignore FIELD_TYPE_INCOMPATIBLE not the right id\n    int64 b = 2;');
  assert.deepEqual(rules(check(WIDENED_OLD, wrong)), ['FIELD_TYPE_CHANGED', 'SUPPRESSION_UNUSED']);
  const unknown = FOO.replace('    string b = 2;', '    // cri-compat:ignore NOT_A_RULE typo\n    int64 b = 2;');
  const ufs = check(WIDENED_OLD, unknown);
  assert.deepEqual(rules(ufs), ['FIELD_TYPE_CHANGED', 'SUPPRESSION_UNUSED']);
  assert.equal(ufs.find((f) => f.rule === 'SUPPRESSION_UNUSED')!.message, 'cri-compat:ignore names unknown rule NOT_A_RULE');
  assert.deepEqual(ufs.find((f) => f.rule === 'SUPPRESSION_UNUSED')!.range, lineRange(unknown, 'cri-compat:ignore'));
  // A typo of a rule id: the message names the rule it most likely meant.
  const typo = FOO.replace('    string b = 2;', '    // cri-compat:ignore FIELD_TYPE_CHANGD widened on purpose\n    int64 b = 2;');
  assert.deepEqual(check(WIDENED_OLD, typo).filter((f) => f.rule === 'SUPPRESSION_UNUSED').map((f) => f.message),
    ['cri-compat:ignore names unknown rule FIELD_TYPE_CHANGD (did you mean FIELD_TYPE_CHANGED?)']);
  const none = FOO.replace('    string b = 2;', '    // cri-compat:ignore\n    string b = 2;');
  assert.deepEqual(check(FOO, none).map((f) => [f.rule, f.message]), [
    ['SUPPRESSION_UNUSED', 'cri-compat:ignore names no rule id (write e.g. "// cri-compat:ignore FIELD_NO_DELETE reason")'],
  ]);
});

// ---- severity overrides -------------------------------------------------------------------------------

test('severity overrides: by rule id, by category, rule id wins, and off', () => {
  const cur = FOO.replace('string a = 1;', 'int64 a = 1;').replace('string b = 2;', 'string beta = 2;');
  const base = FOO.replace('string a = 1;', 'int32 a = 1;');
  const sev = (o: CheckOptions['severity']): [string, string][] => check(base, cur, { severity: o! }).map((f) => [f.rule, f.severity] as [string, string]).sort();
  assert.deepEqual(sev({}), [['FIELD_RENAMED', 'error'], ['FIELD_TYPE_CHANGED', 'error']]);
  assert.deepEqual(sev({ FIELD_TYPE_CHANGED: 'warning' }), [['FIELD_RENAMED', 'error'], ['FIELD_TYPE_CHANGED', 'warning']]);
  assert.deepEqual(sev({ JSON: 'information' }), [['FIELD_RENAMED', 'information'], ['FIELD_TYPE_CHANGED', 'error']]);
  assert.deepEqual(sev({ WIRE: 'hint', FIELD_TYPE_CHANGED: 'warning' }), [['FIELD_RENAMED', 'error'], ['FIELD_TYPE_CHANGED', 'warning']]);
  assert.deepEqual(sev({ FIELD_RENAMED: 'off' }), [['FIELD_TYPE_CHANGED', 'error']]);
  assert.deepEqual(sev({ WIRE: 'off' }), [['FIELD_RENAMED', 'error']]);
  assert.deepEqual(sev({ WIRE: 'off', FIELD_TYPE_CHANGED: 'hint' }), [['FIELD_RENAMED', 'error'], ['FIELD_TYPE_CHANGED', 'hint']]);
  // Meta findings about suppressions are subject to overrides too.
  const unused = FOO.replace('    string b = 2;', '    // cri-compat:ignore FIELD_NO_DELETE kept\n    string b = 2;');
  assert.deepEqual(check(FOO, unused, { severity: { POLICY: 'off' } }), []);
  assert.deepEqual(validateSeverityOverrides({ FIELD_RENAMED: 'off', WIRE: 'hint' }), []);
  assert.deepEqual(validateSeverityOverrides({ NOPE: 'error', JSON: 'fatal' }), [
    'unknown rule or category "NOPE"', '"JSON": severity must be one of error, warning, information, hint, off',
  ]);
});

test('severity overrides: a mistyped rule id or category names the one it most likely meant', () => {
  // The entry is ignored, so the rule keeps its severity: the message has to lead to the right spelling.
  assert.deepEqual(validateSeverityOverrides({ ENUM_VALUE_RENAMD: 'off' }), ['unknown rule or category "ENUM_VALUE_RENAMD" (did you mean ENUM_VALUE_RENAMED?)']);
  assert.deepEqual(validateSeverityOverrides({ FIELD_NO_DELTE: 'off' }), ['unknown rule or category "FIELD_NO_DELTE" (did you mean FIELD_NO_DELETE?)']);
  // Rule ids and categories are upper case; the same name in another case is that name.
  assert.deepEqual(validateSeverityOverrides({ docs: 'hint' }), ['unknown rule or category "docs" (did you mean DOCS?)']);
  assert.deepEqual(validateSeverityOverrides({ field_renamed: 'hint' }), ['unknown rule or category "field_renamed" (did you mean FIELD_RENAMED?)']);
  // Nothing close: no guess.
  assert.deepEqual(validateSeverityOverrides({ NOPE: 'off', FOO: 'off', __proto__x: 'off' }), [
    'unknown rule or category "NOPE"', 'unknown rule or category "FOO"', 'unknown rule or category "__proto__x"',
  ]);
});

// ---- negative cases ------------------------------------------------------------------------------------

test('non-breaking changes do not fire', () => {
  // Comments that do not change meaning-bearing words, whitespace, field order, documented additions.
  const cur = SVC
    .replace('// VersionResponse answers Version.', '// VersionResponse is the answer to Version.')
    .replace('    // The runtime version.\n    string version = 1;\n', '    // The runtime version.\n    string version = 1;\n    // The runtime name; empty from older runtimes.\n    string runtime_name = 2;\n')
    .replace('    MODE_A = 1;\n', '    MODE_A = 1;\n    // MODE_B is the second mode; older runtimes treat it as MODE_A.\n    MODE_B = 2;\n')
    .replace('message Unused {\n    // A value.\n    string value = 1;\n}', 'message Unused {\n    // A value.\n    string   value =   1 ;\n}\n\n// Added is new and documented.\nmessage Added {\n    // x is documented.\n    string x = 1;\n}');
  assert.deepEqual(check(SVC, cur), []);
  assert.deepEqual(check(SVC, SVC), []);
});

// ---- coverage ------------------------------------------------------------------------------------------

test('every rule in RULES has a test above that asserted its id, category, severity, range and message', () => {
  const missing = RULES.map((r) => r.id).filter((id) => !covered.has(id));
  assert.deepEqual(missing, []);
  // The categories and severities asserted above are the registry's.
  for (const r of RULES) assert.ok(['WIRE', 'JSON', 'GO_SOURCE', 'SEMANTIC', 'DOCS', 'POLICY'].includes(r.category), r.id);
});

test('hostile input: a 40,000-character RPC name is checked, not a crash (names are never turned into regular expressions)', () => {
  const long = `R${'a'.repeat(40_000)}`;
  const cur = SVC.replace('    rpc Status(StatusRequest) returns (StatusResponse) {}\n',
    `    rpc Status(StatusRequest) returns (StatusResponse) {}\n    // Does something, called after ${long}.\n    rpc Other(VersionRequest) returns (VersionResponse) {}\n    // Does something else.\n    rpc ${long}(VersionRequest) returns (VersionResponse) {}\n`);
  const fs = check(SVC, cur);
  // "Other" names the long RPC, so its call order counts as documented; the long one names nothing.
  assert.ok(!fs.some((f) => f.rule === 'RPC_CALL_SEQUENCE_UNDOCUMENTED' && f.element.endsWith('.Other')));
  assert.ok(fs.some((f) => f.rule === 'RPC_CALL_SEQUENCE_UNDOCUMENTED' && f.element.endsWith(long)));
});

// ---- rule explanations and links -------------------------------------------------------------------------

const ruleById = (id: string) => RULES.find((r) => r.id === id)!;

test('documentation rules link to the skew policy, whose advice on designing new CRI APIs they explain', () => {
  const skew = 'https://www.kubernetes.dev/docs/code/cri-api-version-skew-policy/';
  for (const id of ['DOC_MISSING', 'DOC_STUB_UNFINISHED', 'RPC_CALL_SEQUENCE_UNDOCUMENTED', 'FIELD_MEANING_CHANGED', 'DOC_MEANING_CHANGED']) {
    assert.equal(ruleById(id).link, skew, id);
  }
  // Discovery and failing fast for runtimes stay with the feature development page.
  for (const id of ['RPC_FALLBACK_UNDOCUMENTED', 'FIELD_DEGRADATION_UNDOCUMENTED']) assert.equal(ruleById(id).link, 'https://www.kubernetes.dev/docs/code/cri-api-dev-policies/', id);
  // Open and closed enums are explained on protobuf's enum page; the proto3 guide's #updating does not mention them.
  assert.equal(ruleById('ENUM_OPEN_CLOSED_CHANGED').link, 'https://protobuf.dev/programming-guides/enum/');
  for (const r of RULES) {
    // cri-compat's own suppression comments are in no upstream page.
    if (r.id.startsWith('SUPPRESSION_')) continue;
    assert.match(r.link ?? '', /^https:\/\/\S+$/, r.id);
    if (!r.link) continue;
    if (r.link.includes('kubernetes.dev')) assert.ok(!r.link.includes('#'), `${r.id}: no anchor that the policy facts do not give`);
  }
});

test('MESSAGE_RENAMED: RPC paths name no messages; what breaks is what names the type', () => {
  const e = ruleById('MESSAGE_RENAMED').explanation;
  assert.doesNotMatch(e, /every RPC path/i);
  assert.match(e, /\/runtime\.v1\.RuntimeService\/Version\) name only the service and the method/);
  assert.match(e, /Go code/);
  assert.match(e, /google\.protobuf\.Any` type URL/);
  assert.match(e, /"@type"/);
});

test('FIELD_LABEL_CHANGED: the singular reader is the one that loses data', () => {
  const e = ruleById('FIELD_LABEL_CHANGED').explanation;
  assert.doesNotMatch(e, /a repeated reader of a packed scalar and a singular writer/);
  assert.match(e, /takes the single value as a list of one/);
  assert.match(e, /accept repeated scalars both packed and unpacked/);
  assert.match(e, /for a message field it merges all elements into one message/);
  assert.match(e, /packed by default in proto3, which a singular reader cannot take/);
});

test('FIELD_TYPE_CHANGED: 2^31 itself no longer fits an int32', () => {
  assert.match(ruleById('FIELD_TYPE_CHANGED').explanation, /an int64 at or above 2\^31 read as int32/);
});

test('discovery through explicit API and failing fast are two requirements, and a failing call is not discovery', () => {
  const field = ruleById('FIELD_DEGRADATION_UNDOCUMENTED').explanation;
  assert.doesNotMatch(field, /failing call/);
  assert.match(field, /through explicit API/);
  assert.match(field, /Failing fast is a separate matter/);
  const rpc = ruleById('RPC_FALLBACK_UNDOCUMENTED').explanation;
  assert.doesNotMatch(rpc, /detects that \(fail fast, or fall back\)/);
  assert.match(rpc, /explicit API/);
  // It mixes both pages and links one: each part says where it comes from.
  assert.match(rpc, /From the skew policy: the feature has to degrade gracefully/);
  assert.match(rpc, /From the feature development page \(linked\): .*explicit API.*fail as early as possible/);
  assert.equal(ruleById('RPC_FALLBACK_UNDOCUMENTED').link, 'https://www.kubernetes.dev/docs/code/cri-api-dev-policies/');
  for (const r of RULES) assert.doesNotMatch(r.explanation, /discoverable, so that/, r.id);
});

test('PATCH_RELEASE_API_CHANGE: its explanation counts pre-releases of a patch as patch releases', () => {
  assert.match(ruleById('PATCH_RELEASE_API_CHANGE').explanation, /v0\.N\.M with M > 0, and their pre-releases/);
});

// ---- lookups that replaced scans: the same answers, ties included ----------------------------------------

test('RPC_NO_DELETE: deleted RPCs of one signature are renamed to the new ones of that signature in order, each taken once', () => {
  const old = proto(`
message Q {}
message R {}
service S {
    rpc A(Q) returns (Q);
    rpc B(Q) returns (Q);
    rpc C(Q) returns (Q);
    rpc D(R) returns (R);
}
`);
  const cur = proto(`
message Q {}
message R {}
service S {
    rpc N1(Q) returns (Q);
    rpc N2(R) returns (Q);
    rpc D(R) returns (R);
    rpc N3(Q) returns (Q);
}
`);
  const fs = check(old, cur).filter((f) => f.rule === 'RPC_NO_DELETE');
  assert.deepEqual(fs.map((f) => f.message), [
    'rpc "A" of v0.36.3 was renamed to "N1"; clients calling A get Unimplemented',
    'rpc "B" of v0.36.3 was renamed to "N3"; clients calling B get Unimplemented',
    'rpc "C" of v0.36.3 was deleted; kubelets calling it get Unimplemented',
  ]);
  assert.deepEqual(fs.map((f) => f.range), [at(cur, 'rpc N1', 'N1'), at(cur, 'rpc N3', 'N3'), at(cur, 'service S', 'S')]);
  // The RPC left over is new: documented or not, it is an addition (DOC_MISSING names it), the renamed ones are not.
  assert.deepEqual(check(old, cur).filter((f) => f.rule === 'DOC_MISSING' && f.element.startsWith('runtime.v1.S.')).map((f) => f.element), ['runtime.v1.S.N2']);
});

test('MESSAGE_RENAMED and SERVICE_NO_DELETE: deleted types or services of one shape all name the first new one of that shape', () => {
  const old = proto(`
message K {}
message A { int32 x = 1; }
message B { int32 x = 1; }
message C { int64 y = 1; }
service S1 { rpc M(K) returns (K); }
service S2 { rpc M(K) returns (K); }
`);
  const cur = proto(`
message K {}
message P { int64 y = 1; }
message N { int32 x = 1; }
message O { int32 x = 1; }
service T0 {}
service T1 { rpc M(K) returns (K); }
service T2 { rpc M(K) returns (K); }
`);
  const fs = check(old, cur);
  assert.deepEqual(fs.filter((f) => f.rule === 'MESSAGE_RENAMED').map((f) => f.message), [
    'message "A" of v0.36.3 was renamed to "N"',
    'message "B" of v0.36.3 was renamed to "N"',
    'message "C" of v0.36.3 was renamed to "P"',
  ]);
  assert.deepEqual(fs.filter((f) => f.rule === 'SERVICE_NO_DELETE').map((f) => f.message), [
    'service "S1" of v0.36.3 was renamed to "T1"',
    'service "S2" of v0.36.3 was renamed to "T1"',
  ]);
});

test('rangeSubtractor answers as subtractRanges does, for well-formed and reversed ranges alike', () => {
  let seed = 7;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  for (let round = 0; round < 400; round++) {
    const ranges: [number, number][] = [];
    const reversed = round % 3 === 0;
    for (let k = rand(12); k > 0; k--) {
      const a = rand(60);
      const b = reversed && rand(4) === 0 ? a - 1 - rand(5) : a + rand(8);
      ranges.push([a, b]);
    }
    const gaps = rangeSubtractor(ranges);
    for (let q = 0; q < 20; q++) {
      const a = rand(70);
      const b = a + rand(30) - 3;
      assert.deepEqual(gaps([a, b]), subtractRanges([a, b], ranges), JSON.stringify({ ranges, a, b }));
    }
  }
});

test('RESERVED_REMOVED and FIELD_NO_DELETE: many reserved ranges and names looked up, with the lowest user in a gap', () => {
  const old = proto(`
message M {
    reserved ${Array.from({ length: 20 }, (_, k) => `${10 * k + 100} to ${10 * k + 104}`).join(', ')};
    int32 a = 1;
    int32 b = 2;
    int32 c = 3;
}
`);
  // 100-104 now partly used twice (a field at 103 declared before one at 101), 110-114 dropped, the others kept
  // by ranges cut differently; b deleted with its number reserved among many ranges, c with number and name.
  const cur = proto(`
message M {
    reserved ${Array.from({ length: 18 }, (_, k) => `${10 * k + 120} to ${10 * k + 122}, ${10 * k + 123} to ${10 * k + 124}`).join(', ')}, 2, 3, 50 to 40;
    reserved "c";
    int32 a = 1;
    int32 late = 103;
    int32 early = 101;
    int32 other = 102;
}
`);
  const fs = check(old, cur);
  assert.deepEqual(fs.filter((f) => f.rule === 'RESERVED_REMOVED').map((f) => f.message), [
    'message "M" no longer reserves numbers 100 to 104 (reserved in v0.36.3); "early" now uses 101',
    'message "M" no longer reserves numbers 110 to 114 (reserved in v0.36.3)',
  ]);
  assert.deepEqual(fs.find((f) => f.message.includes('"early"'))!.range, at(cur, 'int32 early', '101'));
  assert.deepEqual(fs.filter((f) => f.element === 'runtime.v1.M.b' || f.element === 'runtime.v1.M.c').map((f) => [f.rule, f.element]), [
    ['FIELD_NO_DELETE_UNLESS_NAME_RESERVED', 'runtime.v1.M.b'],
    ['FIELD_REMOVED_WITHOUT_DEPRECATION', 'runtime.v1.M.b'],
    ['FIELD_REMOVED_WITHOUT_DEPRECATION', 'runtime.v1.M.c'],
  ]);
});

test('ENUM_VALUE_RENAMED: a dropped alias among many keeps its position relative to the alias left', () => {
  const old = proto(`
enum E {
    option allow_alias = true;
    Z = 0;
    P1 = 1;
    Q1 = 1;
    Q2 = 2;
    P2 = 2;
}
`);
  const cur = old.replace('    P1 = 1;\n', '').replace('    P2 = 2;\n', '');
  const fixes = check(old, cur).filter((f) => f.rule === 'ENUM_VALUE_RENAMED').map((f) => (f.fixes?.[0] as { alias?: { name: string; first: boolean } }).alias);
  assert.deepEqual(fixes, [{ name: 'Q1', first: true }, { name: 'Q2', first: false }]);
});

test('DOC_MEANING_CHANGED: members not where they were are matched by name and number', () => {
  const old = proto(`
message M {
    // a must be set.
    int32 a = 1;
    // b is in seconds.
    int32 b = 2;
}
`);
  // A field inserted first: a and b are compared with their own old docs, not with the ones at their positions.
  const cur = old.replace('message M {\n', 'message M {\n    // z is new.\n    int32 z = 3;\n').replace('b is in seconds', 'b is in bytes');
  assert.deepEqual(check(old, cur).filter((f) => f.rule === 'DOC_MEANING_CHANGED').map((f) => [f.element, f.message]), [
    ['runtime.v1.M.b', 'the documentation of "b" changed meaning-bearing words since v0.36.3: removed "seconds"; added "bytes"'],
  ]);
});

test('referencesRpc and mentionsAny: a list of names reused across calls, or changed, answers as a fresh one', () => {
  const names = ['Status', 'CreateContainer', 'Version'];
  assert.equal(referencesRpc('Runs after Status returns.', names, 'Status'), false);
  assert.equal(referencesRpc('Runs after Status returns.', names, 'Version'), true);
  assert.equal(referencesRpc('Like CreateContainer.', new Set(names), 'Version'), true);
  assert.equal(referencesRpc('Like CreateContainer.', ['CreateContainer'], 'CreateContainer'), false);
  names.push('Attach');
  assert.equal(referencesRpc('Call `Attach` first.', names), true);
  assert.equal(mentionsAny('see Attach, then Exec', names), true);
  assert.equal(mentionsAny('see Attach, then Exec', names, 'Attach'), false);
  assert.equal(mentionsAny('see Attach, then Exec', new Set(['Exec']), 'Attach'), true);
});

test('leadingRunHashes: each leading run of a real comment\'s lines has the hash fingerprintDoc gives those lines alone', NEEDS_CORPUS, () => {
  const comments = [...corpusText('v0.36.3').matchAll(/(?:^[ \t]*\/\/.*\n)+/gm)].map((m) => m[0].split('\n').slice(0, -1).map((l) => l.replace(/^\s*\/\//, '')));
  assert.ok(comments.length > 300, `${comments.length} comments`);
  for (const lines of [...comments, ['', '  ', ' Text  after   blanks '], ['   ']]) {
    const runs = leadingRunHashes(lines);
    lines.forEach((_, i) => assert.equal(runs[i], fingerprintDoc(lines.slice(0, i + 1).join('\n'))?.hash, JSON.stringify(lines.slice(0, i + 1))));
  }
});

test('fingerprintDoc: a word ending in dots and dashes loses them, however long the run', () => {
  assert.deepEqual(fingerprintDoc('Uses CreateContainer.-. then rfc3339-- in sha256...')?.terms, ['CreateContainer', 'rfc3339', 'sha256', 'then']);
  assert.deepEqual(fingerprintDoc(`Keeps a${'.-'.repeat(50_000)}b and ScreamingName${'.'.repeat(50_000)}`)?.terms, ['ScreamingName']);
});
