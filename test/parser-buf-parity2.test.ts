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
  // The unterminated string alone: the `]` and `;` it lacks are typed in it.
  assert.deepEqual(b.problems.map((p) => p.code), ['syntax']);
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
  // buf: 543:5-543:17 "unexpected service definition within message definition" (over its body too, as ours).
  oneError('message PodSandboxMetadata {\n', 'message PodSandboxMetadata {\n    service S {}\n', '543:5-543:17 a service cannot be declared in a message: declare it at the top level of the file');
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

test('a message, enum or service declared in a service or an enum is one error over the whole declaration, where buf marks it, saying where it goes; the RPCs and values after it are read', NEEDS_CORPUS, () => {
  const rpc = '    rpc Version(VersionRequest) returns (VersionResponse) {}\n';
  // buf: 27:5-29:6 "unexpected message definition within service definition".
  oneError(rpc, `${rpc}    message Extra {\n        string x = 1;\n    }\n`,
    '27:5-29:6 a message cannot be declared in a service: declare it in a message or at the top level of the file');
  // buf: 27:5-27:30 "unexpected enum definition within service definition".
  oneError(rpc, `${rpc}    enum Kind { KIND_A = 0; }\n`, '27:5-27:30 an enum cannot be declared in a service: declare it in a message or at the top level of the file');
  // buf: 27:5-27:17 "unexpected service definition within service definition".
  oneError(rpc, `${rpc}    service T {}\n`, '27:5-27:17 a service cannot be declared in a service: declare it at the top level of the file');
  // buf: 280:5-280:17 "unexpected service definition within enum definition".
  oneError('    TCP = 0;\n', '    TCP = 0;\n    service T {}\n', '280:5-280:17 a service cannot be declared in an enum: declare it at the top level of the file');
  // buf: 280:5-280:30 "unexpected enum definition within enum definition".
  oneError('    TCP = 0;\n', '    TCP = 0;\n    enum Kind { KIND_A = 0; }\n', '280:5-280:30 an enum cannot be declared in an enum: declare it in a message or at the top level of the file');
});

test('an import, package, syntax or edition statement in an enum or a service says so over it, as in a message; the values and RPCs after it are read', NEEDS_CORPUS, () => {
  const rpc = '    rpc Version(VersionRequest) returns (VersionResponse) {}\n';
  // buf: 27:5-27:22 "unexpected import within service definition".
  oneError(rpc, `${rpc}    import "x.proto";\n`, '27:5-27:22 an import cannot be in a service: it belongs at the top of the file');
  // buf: "missing message field tag in declaration" and "unexpected message field within service definition", 27:5-27:17.
  oneError(rpc, `${rpc}    package a.b;\n`, '27:5-27:17 a package statement cannot be in a service: it belongs at the top of the file');
  // buf: 27:5-27:23 "missing name in message field", "unexpected message field within service definition".
  oneError(rpc, `${rpc}    syntax = "proto3";\n`, '27:5-27:23 a syntax statement cannot be in a service: it belongs at the top of the file');
  // buf: 280:5-280:22 "unexpected import within enum definition".
  oneError('    TCP = 0;\n', '    TCP = 0;\n    import "x.proto";\n', '280:5-280:22 an import cannot be in an enum: it belongs at the top of the file');
  // buf: 280:5-280:17 "unexpected message field within enum definition" (and more).
  oneError('    TCP = 0;\n', '    TCP = 0;\n    package a.b;\n', '280:5-280:17 a package statement cannot be in an enum: it belongs at the top of the file');
  // buf: 280:15-280:21 "mismatched types", at the string, where we said a number was expected.
  oneError('    TCP = 0;\n', '    TCP = 0;\n    edition = "2023";\n', '280:5-280:22 an edition statement cannot be in an enum: it belongs at the top of the file');
  // Values named so are values, and a value with a string for its number is one that lacks it.
  assert.deepEqual(syntax(lines('syntax = "proto2";', 'enum E {', '  syntax = 0;', '  package = 1;', '  import = 2;', '}')), []);
  assert.deepEqual(shape(lines('syntax = "proto2";', 'enum E {', '  syntax = 0;', '  package = 1;', '  import = 2;', '}')), ['E{syntax,package,import}']);
  assert.deepEqual(syntax(lines('syntax = "proto3";', 'enum E {', '  A = "0";', '}')), ["3:7-3:10 expected a number, found '\"0\"'"]);
});

test('an RPC type without its parentheses says so over the type, where buf marks it, and is read as the type', NEEDS_CORPUS, () => {
  const rpc = '    rpc Version(VersionRequest) returns (VersionResponse) {}';
  // buf: 26:17-26:31 "unexpected identifier after definition" (it reads a field, "message field appears to have method
  // signature"); ours there, in the RPC's terms, and the type is read.
  oneError(rpc, '    rpc Version VersionRequest returns (VersionResponse) {}', '26:17-26:31 the request type needs parentheses: write (VersionRequest)');
  // buf: 26:41-26:56 "missing `(...)` around method return type".
  oneError(rpc, '    rpc Version(VersionRequest) returns VersionResponse {}', '26:41-26:56 the response type needs parentheses: write (VersionResponse)');
  // A signature being typed, its type on the next line not yet: the next RPC is not its type.
  assert.deepEqual(shape(lines('syntax = "proto3";', 'service S {', '  rpc A', '  rpc B (M) returns (M);', '}', 'message M {}')), ['M{}', 'S{A(),B(M)M}']);
  assert.deepEqual(syntax(lines('syntax = "proto3";', 'service S {', '  rpc A', '  rpc B (M) returns (M);', '}', 'message M {}')), ["3:8-3:8 expected '(' and the request type after 'A'"]);
  // No request type at all: said at `returns`.
  assert.deepEqual(syntax(lines('syntax = "proto3";', 'service S {', '  rpc A returns (M);', '}', 'message M {}')), ["3:9-3:16 expected '(' and the request type, found 'returns'"]);
});

test('reserved and extensions numbers without the comma between them say that it is missing, where buf marks it; every number is kept', NEEDS_CORPUS, () => {
  const original = newestCorpusText();
  const text = replaceOnce(original, 'message PodSandboxMetadata {\n', 'message PodSandboxMetadata {\n    reserved 20 to 22 30;\n    reserved 40 41, 42;\n');
  // buf: 543:23-543:25 and 544:17-544:19 "unexpected integer literal in reserved range".
  assert.deepEqual(syntax(text), [
    "543:23-543:25 expected ',' before '30': a reserved statement separates its numbers, ranges and names with commas",
    "544:17-544:19 expected ',' before '41': a reserved statement separates its numbers, ranges and names with commas",
  ]);
  assert.deepEqual(shape(text), shape(original));
  const meta = parse(text).messages.find((m) => m.name === 'PodSandboxMetadata')!;
  assert.deepEqual(meta.reserved.map((r) => r.ranges.map((x) => `${x.start}-${x.end}`)), [['20-22', '30-30'], ['40-40', '41-41', '42-42']]);
  // buf: 3:26-3:29 "unexpected integer literal in extension range".
  const ext = parse(lines('syntax = "proto2";', 'message M {', '  extensions 100 to 200 300;', '  optional int32 a = 1;', '}'));
  assert.deepEqual(ext.errors.map((e) => `${at(e.range)} ${e.message}`), ["3:25-3:28 expected ',' before '300': an extensions statement separates its ranges with commas"]);
  assert.deepEqual(ext.messages[0]!.extensions.map((r) => r.ranges.map((x) => `${x.start}-${x.end}`)), [['100-200', '300-300']]);
  assert.deepEqual(ext.messages[0]!.fields.map((f) => f.name), ['a']);
  // A statement being typed, the next line's declaration not its next number: the `;` is what is missing.
  assert.deepEqual(syntax(lines('syntax = "proto3";', 'message M {', '  reserved 5', '  int32 a = 1;', '}')), ["3:13-3:13 expected ';' after '5'"]);
});

test('an option statement without its value is one error over it, where buf marks it ("missing option setting value"); what follows is read', NEEDS_CORPUS, () => {
  // buf: 543:5-543:23.
  oneError('message PodSandboxMetadata {\n', 'message PodSandboxMetadata {\n    option deprecated;\n', "543:5-543:23 the option has no value: expected '= value' after 'deprecated'");
  // buf: 22:1-22:21 (and 22:20-22:21 "unexpected `;`"), as before.
  assert.deepEqual(syntax(lines('syntax = "proto3";', 'option go_package =;', 'message M {}')), ['2:1-2:21 the option has no value', "2:20-2:21 expected an option value, found ';'"]);
  // A name that is not done (`(foo` without `)`) says what it lacks, not that the value is missing.
  assert.deepEqual(syntax(lines('syntax = "proto3";', 'message M {', '  option (foo;', '}')), ["3:14-3:15 expected ')', found ';'"]);
});

test('a string not closed at the end of its line is one error: what its statement lacks after it is typed in it', () => {
  // buf: "unterminated string literal" (and a cascade of unmatched delimiters); the fields after it are read.
  const text = lines('syntax = "proto3";', 'import "other.proto', 'message M {', '  string a = 1 [json_name = "abc];', '  int32 b = 2;', '  option (x) = "y;', '}', 'message N {}');
  assert.deepEqual(syntax(text), ['2:8-2:20 unterminated string', '4:29-4:35 unterminated string', '6:16-6:19 unterminated string']);
  assert.deepEqual(shape(text), ['M{a,b}', 'N{}']);
  // What is wrong on the next line is still said.
  assert.deepEqual(syntax(lines('syntax = "proto3";', 'option (x) = "abc', 'foo;', 'message B {}')),
    ['2:14-2:18 unterminated string', "3:1-3:4 expected 'message', 'enum', 'service', 'import', 'package', 'option' or 'syntax', found 'foo'"]);
});

test('a comma typed for the semicolon that ends a field or an enum value is said at the comma, where buf marks it, and what follows it is read', NEEDS_CORPUS, () => {
  // buf: 279:12-279:13 "unexpected `,` in enum definition"; UDP was lost with the rest of the statement.
  oneError('    TCP = 0;\n    UDP = 1;\n', '    TCP = 0, UDP = 1;\n', "279:12-279:13 expected ';', found ','");
  // buf: 544:20-544:21 "unexpected `,` in message definition", at the end of its line.
  oneError('    string name = 1;\n    // Pod UID', '    string name = 1,\n    // Pod UID', "544:20-544:21 expected ';', found ','");
  assert.deepEqual(shape(lines('syntax = "proto3";', 'message M { int32 a = 1, repeated .p.T b = 2, map<string, int32> c = 3; int32 d = 4; }', 'message T {}')), ['M{a,b,c,d}', 'T{}']);
  // Not where no declaration follows it: the rest of the statement is passed over, as before.
  assert.deepEqual(syntax(lines('syntax = "proto3";', 'message M { int32 a = 1, 2; int32 d = 4; }')), ["2:24-2:24 expected ';' after '1'"]);
});

test('a oneof without its name says so at its `{`, and its fields are read', NEEDS_CORPUS, () => {
  // buf: 546:5-548:6 "missing name after `oneof`"; the field in it was lost, which a check reported deleted.
  const original = newestCorpusText();
  const text = replaceOnce(original, '    string uid = 2;\n    // Pod namespace', '    oneof {\n        string uid = 2;\n    }\n    // Pod namespace');
  assert.deepEqual(syntax(text), ["546:11-546:12 expected a oneof name, found '{'"]);
  assert.deepEqual(shape(text), shape(original));
  assert.deepEqual(bound(text).problems.map((p) => p.code), ['syntax']);
});

test('a block that no declaration names (`{ int32 a = 1; }`) is skipped whole: its `}` closes nothing else, and the declarations after it stay in theirs', NEEDS_CORPUS, () => {
  // buf: 543:5-543:23 "unexpected definition body in message definition"; its `}` closed the message, and every
  // field after it was read at the top level of the file, each a syntax error.
  oneError('message PodSandboxMetadata {\n', 'message PodSandboxMetadata {\n    { string x = 9; }\n', "543:5-543:6 expected a field or declaration, found '{'");
  // In an enum, a service and at the top level alike (buf: "unexpected definition body in enum definition", …).
  const text = lines('syntax = "proto3";', '{ int32 a = 1; }', 'enum E {', '  A = 0;', '  { B = 1; }', '  C = 2;', '}', 'service S {', '  { rpc X(M) returns (M); }', '  rpc Y(M) returns (M);', '}', 'message M {}');
  assert.deepEqual(syntax(text), [
    "2:1-2:2 expected 'message', 'enum', 'service', 'import', 'package', 'option' or 'syntax', found '{'",
    "5:3-5:4 expected an enum value, found '{'",
    "9:3-9:4 expected 'rpc' or 'option', found '{'",
  ]);
  assert.deepEqual(shape(text), ['M{}', 'E{A,C}', 'S{Y(M)M}']);
  // Being typed, without its `}`: the declarations after it are still the block's.
  assert.deepEqual(shape(lines('syntax = "proto3";', 'message M {', '  int32 a = 1;', '  {', '  int32 b = 2;', '}', 'message N { int32 y = 1; }')), ['M{a,b}', 'N{y}']);
});

test('a field or an enum value whose number has no `=` before it says so at the number, where buf marks it, and keeps the number', NEEDS_CORPUS, () => {
  // buf: 544:17-544:18 "unexpected integer literal in definition"; the field was not read.
  oneError('    string name = 1;\n    // Pod UID', '    string name 1;\n    // Pod UID', "544:17-544:18 expected '=' before '1'");
  // buf: 279:9-279:10 "unexpected integer literal in definition"; the value was not read.
  oneError('    TCP = 0;\n', '    TCP 0;\n', "279:9-279:10 expected '=' before '0'");
  const f = parse(lines('syntax = "proto3";', 'message M {', '  int32 a 1 [deprecated = true];', '  int32 d = 4;', '}', 'enum E {', '  A = 0;', '  B 1;', '}'));
  assert.deepEqual(f.messages[0]!.fields.map((x) => `${x.name}=${x.number}`), ['a=1', 'd=4']);
  assert.deepEqual(f.messages[0]!.fields[0]!.options.map((o) => o.name), ['deprecated']);
  assert.deepEqual(f.enums[0]!.values.map((v) => `${v.name}=${v.number}`), ['A=0', 'B=1']);
  // Not where the number is on a later line: the line lacks its `=` and number, said at its end, as before.
  assert.deepEqual(syntax(lines('syntax = "proto3";', 'message M {', '  int32 a', '  1;', '}')),
    ["3:10-3:10 expected '=' after 'a'", "4:3-4:4 expected a field or declaration, found '1'"]);
});
