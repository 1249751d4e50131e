// Parity with buf (1.75) on what an editor user sees while typing, where buf's behaviour is the better one: a file
// without a syntax statement is proto2, a json_name still being typed clashes with nothing, and a declaration in
// the wrong place says what is wrong in the user's terms. Each case was run against `buf build` (noted with it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../server/src/proto/parser';
import { bind } from '../server/src/proto/binder';
import type { Range } from '../server/src/proto/ast';
import { NEEDS_CORPUS, newestCorpusText, replaceOnce } from './corpusText';

const lines = (...ls: string[]): string => ls.join('\n');
const bound = (text: string) => bind(parse(text), 'file:///test.proto');
/** `line:col-line:col` (1-based, as buf prints them). */
const at = (r: Range): string => `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
/** Problems as `code at message`. */
const problems = (text: string): string[] => bound(text).problems.map((p) => `${p.code} ${at(p.range)} ${p.message}`);
/** Syntax errors as `at message`. */
const syntax = (text: string): string[] => parse(text).errors.map((e) => `${at(e.range)} ${e.message}`);

test('a file without a syntax statement is proto2: every unlabelled field is refused at its type, where buf marks it ("unexpected type name")', NEEDS_CORPUS, () => {
  const text = replaceOnce(newestCorpusText(), 'syntax = "proto3";', '');
  const labels = bound(text).problems.filter((p) => p.code === 'proto2-label');
  // buf 1.75 on this text: 376 "unexpected type name", one per field outside a oneof and not a map, at its type.
  assert.equal(labels.length, 376);
  const first = labels[0]!;
  assert.equal(`${at(first.range)} ${first.message}`, '251:5-251:11 field "version" needs a label (optional, required or repeated): a file without a syntax statement is proto2');
  // With its syntax statement, the file has no such problem, and a proto2 file's message says proto2 alone.
  assert.deepEqual(bound(newestCorpusText()).problems.filter((p) => p.code === 'proto2-label'), []);
  assert.deepEqual(problems(lines('syntax = "proto2";', 'message M {', '  int32 a = 1;', '}')),
    ['proto2-label 3:3-3:8 field "a" needs a label (optional, required or repeated) in proto2']);
});

test('a file without a syntax statement: oneof members, map fields and labelled fields need no label, as buf says', () => {
  assert.deepEqual(problems(lines('package p;', 'message M {', '  optional int32 a = 1;', '  map<string, int32> m = 2;', '  oneof o { int32 b = 3; }', '}')), []);
});

test('a json_name still being typed (an unterminated string after a settled one) clashes with no field, and names the field nothing yet', () => {
  const text = lines('syntax = "proto3";', 'message M {', '  string foo = 1;', '  string x = 2 [json_name = "foo" "Bar', '  string y = 3;', '}');
  const b = bound(text);
  assert.deepEqual(b.problems.map((p) => p.code), ['syntax', 'syntax']);
  assert.equal(b.model.messages[0]!.fields.find((f) => f.name === 'x')!.jsonName, 'x');
  // Settled, the same clash is reported, at the json_name, as buf marks it.
  assert.deepEqual(problems(text.replace('"foo" "Bar', '"foo"];')), ['duplicate-json-name 4:29-4:34 JSON name "foo" of "x" conflicts with field "foo"']);
});

test('a json_name being typed in the corpus file clashes with no field of its message', NEEDS_CORPUS, () => {
  const text = replaceOnce(newestCorpusText(), '    string uid = 2;\n    // Pod namespace', '    string uid = 2 [json_name = "name" "\n    // Pod namespace');
  assert.deepEqual(bound(text).problems.filter((p) => p.code !== 'syntax'), []);
});

/** The names the model declares, and their members', in order: what a compatibility check compares. */
function shape(text: string): string[] {
  const m = bound(text).model;
  return [
    ...m.messages.map((x) => `${x.name}{${x.fields.map((f) => f.name).join(',')}}`),
    ...m.enums.map((x) => `${x.name}{${x.values.map((v) => v.name).join(',')}}`),
    ...m.services.map((x) => `${x.name}{${x.rpcs.map((r) => `${r.name}(${r.request})${r.response}`).join(',')}}`),
  ];
}

/**
 * `edit` of the newest corpus file has exactly the one syntax error `error` (at `line:col-line:col`, 1-based, buf's
 * span noted beside each case), and the model of every declaration around it is the unedited file's (`same` maps it).
 */
function oneError(from: string, to: string, error: string, same: (s: string[]) => string[] = (s) => s): void {
  const original = newestCorpusText();
  const text = replaceOnce(original, from, to);
  assert.deepEqual(syntax(text), [error]);
  assert.deepEqual(shape(text), same(shape(original)));
}

test('a declaration or statement where its block takes none says so in the user\'s terms, over it, and the rest of the corpus file reads as before', NEEDS_CORPUS, () => {
  // buf: 669:5-669:17 "unexpected message field within enum definition".
  oneError('    SANDBOX_READY    = 0;\n', '    SANDBOX_READY    = 0;\n    int32 x = 9;\n',
    '669:5-669:17 a field cannot be declared in an enum: an enum holds values (NAME = number)');
  // buf: 543:5-543:17 "unexpected service definition within message definition" (over its body too; ours, as for a message in an enum, over keyword and name).
  oneError('message PodSandboxMetadata {\n', 'message PodSandboxMetadata {\n    service S {}\n', '543:5-543:14 a service cannot be declared in a message');
  // buf: 543:5-543:22 "unexpected import within message definition".
  oneError('message PodSandboxMetadata {\n', 'message PodSandboxMetadata {\n    import "x.proto";\n', '543:5-543:22 an import cannot be in a message: it belongs at the top of the file');
  // buf: 543:5-543:13 "unexpected `optional` modifier on oneof definition"; the oneof is read, as buf reads it.
  oneError('message PodSandboxMetadata {\n', 'message PodSandboxMetadata {\n    optional oneof o { string s = 9; }\n',
    "543:5-543:13 a oneof cannot have a label ('optional')",
    (s) => s.map((x) => x.startsWith('PodSandboxMetadata{') ? x.replace('{', '{s,') : x));
});

test('a malformed map type says which type it lacks, over the type; the field is still read', NEEDS_CORPUS, () => {
  // buf: 580:8-580:16 "expected exactly two type arguments, got 1" (over `<string>`).
  oneError('    map<string, string> labels = 6;', '    map<string> labels = 6;', '580:5-580:16 the map type has no value type: a map is written map<key, value>');
  // buf: 580:8-580:18 "… got 1", and 580:9-580:10 "unexpected leading `,` in type parameters".
  oneError('    map<string, string> labels = 6;', '    map<, string> labels = 6;', '580:5-580:18 the map type has no key type: a map is written map<key, value>');
  // buf: 580:8-580:10 "… got 0".
  oneError('    map<string, string> labels = 6;', '    map<> labels = 6;', '580:5-580:10 the map type has no key type and no value type: a map is written map<key, value>');
  // Being typed (no `>` yet): what is missing where it goes, as before.
  assert.deepEqual(syntax(lines('syntax = "proto3";', 'message M {', '  map<, string', '}')), ["3:7-3:8 expected a map key type, found ','", "3:15-3:15 expected '>' after 'string'"]);
});

test('an RPC\'s parentheses without a type, or with more than one, say so over the parentheses; the first type is read', NEEDS_CORPUS, () => {
  const rpc = '    rpc Version(VersionRequest) returns (VersionResponse) {}';
  // buf: 26:16-26:18 "expected exactly one type in method parameter list, got 0".
  oneError(rpc, '    rpc Version() returns (VersionResponse) {}', "26:16-26:18 no request type in '( )': an RPC takes one message type",
    (s) => s.map((x) => x.replace('Version(runtime.v1.VersionRequest)', 'Version()')));
  // buf: 26:16-26:49 "… got 2".
  oneError(rpc, '    rpc Version(VersionRequest, VersionResponse) returns (VersionResponse) {}', "26:16-26:49 more than one request type: an RPC takes one message type");
  // buf: 26:41-26:43 "expected exactly one type in method return type, got 0".
  oneError(rpc, '    rpc Version(VersionRequest) returns () {}', "26:41-26:43 no response type in '( )': an RPC returns one message type",
    (s) => s.map((x) => x.replace('Version(runtime.v1.VersionRequest)runtime.v1.VersionResponse', 'Version(runtime.v1.VersionRequest)')));
});

test('a oneof holds no reserved or extensions statement, and no file statement', () => {
  // buf: 5:5-5:16 "unexpected reserved range within oneof definition", 6:5-6:27 "unexpected extension range within oneof definition".
  const text = lines('syntax = "proto2";', 'message M {', '  oneof p {', '    int32 b = 2;', '    reserved 5;', '    extensions 100 to 200;', '    package a.b;', '    int32 c = 3;', '  }', '}');
  assert.deepEqual(syntax(text), [
    '5:5-5:16 a reserved statement cannot be in a oneof: write it in the message',
    '6:5-6:27 an extensions statement cannot be in a oneof: write it in the message',
    '7:5-7:17 a package statement cannot be in a oneof: it belongs at the top of the file',
  ]);
  assert.deepEqual(shape(text), ['M{b,c}']);
  // A field whose type is named so is one.
  assert.deepEqual(syntax(lines('syntax = "proto3";', 'message reserved {}', 'message package {}', 'message M {', '  oneof p {', '    reserved r = 1;', '    package q = 2;', '  }', '}')), []);
});
