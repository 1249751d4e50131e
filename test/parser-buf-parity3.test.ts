// Syntax errors a person typing makes, said where buf 1.75 marks them (or where the missing token goes) and in the
// user's terms, with the declarations after each still read into the model. Each case was run against `buf build`
// (noted with it); the corpus cases edit the newest released api.proto.
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
/** Syntax errors as `at message`. */
const syntax = (text: string): string[] => parse(text).errors.map((e) => `${at(e.range)} ${e.message}`);

/** The names the model declares, and their members' names and numbers, in order: what a compatibility check compares. */
function shape(text: string): string[] {
  const m = bound(text).model;
  return [
    ...m.messages.map((x) => `${x.name}{${x.fields.map((f) => `${f.name}=${f.number}`).join(',')}}`),
    ...m.enums.map((x) => `${x.name}{${x.values.map((v) => `${v.name}=${v.number}`).join(',')}}`),
    ...m.services.map((x) => `${x.name}{${x.rpcs.map((r) => `${r.name}(${r.request})${r.response}`).join(',')}}`),
  ];
}

/**
 * `from` replaced by `to` in the newest corpus file gives exactly the one syntax error `error`, no other problem, and
 * the model of the unedited file (or `same` of it).
 */
function oneError(from: string, to: string, error: string, same: (s: string[]) => string[] = (s) => s): void {
  const original = newestCorpusText();
  const text = replaceOnce(original, from, to);
  assert.deepEqual(syntax(text), [error]);
  assert.deepEqual(bound(text).problems.map((p) => p.code), ['syntax']);
  assert.deepEqual(shape(text), same(shape(original)));
}

test('`stream` on a field is said at the word, where buf marks it, and the field is read without it', NEEDS_CORPUS, () => {
  // buf: 544:5 "unexpected `stream` modifier on message field"; we said "expected '=', found 'name'" and lost the field.
  oneError('    string name = 1;\n    // Pod UID', '    stream string name = 1;\n    // Pod UID',
    "544:5-544:11 a field cannot be a stream: 'stream' is only for an RPC's request or response type");
  // With a label, a qualified type or a map type too; a field whose type is named `stream` is one.
  const text = lines('syntax = "proto3";', 'message stream {}', 'message M {', '  stream repeated .M a = 1;', '  stream map<string, M> b = 2;', '  stream c = 3;', '}');
  assert.deepEqual(syntax(text), [
    "4:3-4:9 a field cannot be a stream: 'stream' is only for an RPC's request or response type",
    "5:3-5:9 a field cannot be a stream: 'stream' is only for an RPC's request or response type",
  ]);
  assert.deepEqual(parse(text).messages[1]!.fields.map((f) => `${f.label ?? ''} ${f.type} ${f.name}=${f.number}`), [
    'repeated .M a=1', ' M b=2', ' stream c=3',
  ]);
});

test('a message, enum, service or oneof without its `{` says so where it goes, and its body is read up to its `}`', NEEDS_CORPUS, () => {
  // buf: 542:1 "missing message field tag in declaration", and every field after it "unexpected … at file scope",
  // as ours said each at the top level; the message lost its fields (a check reported them all deleted).
  oneError('message PodSandboxMetadata {\n', 'message PodSandboxMetadata\n', "542:27-542:27 expected '{' after 'PodSandboxMetadata'");
  oneError('enum Protocol {\n', 'enum Protocol\n', "278:14-278:14 expected '{' after 'Protocol'");
  oneError('service RuntimeService {\n', 'service RuntimeService\n', "24:23-24:23 expected '{' after 'RuntimeService'");
  // On the name's line (buf: 2:14 "unexpected `int32` after definition"; ours was there, "expected '{', found 'int32'").
  const one = lines('syntax = "proto3";', 'message Foo  int32 a = 1; }', 'message N { int32 y = 1; }');
  assert.deepEqual(syntax(one), ["2:12-2:12 expected '{' after 'Foo'"]);
  assert.deepEqual(shape(one), ['Foo{a=1}', 'N{y=1}']);
  // Nested: a message and a oneof in a message, each missing its `{`, take one `}` each.
  const nested = lines('syntax = "proto3";', 'message M {', '  message Inner', '    int32 a = 1;', '  }', '  oneof o', '    int32 b = 2;', '  }', '  int32 c = 3;', '}', 'message N {}');
  assert.deepEqual(syntax(nested), ["3:16-3:16 expected '{' after 'Inner'", "6:10-6:10 expected '{' after 'o'"]);
  const m = parse(nested).messages;
  assert.deepEqual(m.map((x) => x.name), ['M', 'N']);
  assert.deepEqual(m[0]!.messages.map((x) => `${x.name}{${x.fields.map((f) => f.name).join(',')}}`), ['Inner{a}']);
  assert.deepEqual(m[0]!.oneofs.map((x) => `${x.name}{${x.fields.map((f) => f.name).join(',')}}`), ['o{b}']);
  assert.deepEqual(m[0]!.fields.map((f) => f.name), ['b', 'c']);
  // Where the text has no `}` to spare, the `{` is only said to be missing, as before: a `message Foo` being typed above
  // the next message does not take it in.
  const typed = lines('syntax = "proto3";', 'message Foo', 'message Bar {', '  int32 a = 1;', '}');
  assert.deepEqual(syntax(typed), ["2:12-2:12 expected '{' after 'Foo'"]);
  assert.deepEqual(shape(typed), ['Foo{}', 'Bar{a=1}']);
});

test('a `reserved` or `extensions` statement with nothing after a `,` says so at what follows the `,`; after a second `,` the rest is read', NEEDS_CORPUS, () => {
  // buf: 543:16 "unexpected trailing `,` in reserved range"; ours said "expected a number, found ';'".
  oneError('message PodSandboxMetadata {\n', 'message PodSandboxMetadata {\n    reserved 20, ;\n',
    "543:18-543:19 expected a number or name after ',', found ';': remove the trailing ','");
  // buf: 3:14 "unexpected extra `,` in reserved range", and 3 is reserved (buf: "use of reserved field number `3`").
  const extra = lines('syntax = "proto3";', 'message M {', '  reserved 2,, 3;', '  int32 b = 4;', '}');
  assert.deepEqual(syntax(extra), ["3:14-3:15 expected a number or name after ',', found ','"]);
  assert.deepEqual(parse(extra).messages[0]!.reserved[0]!.ranges.map((r) => `${r.start}-${r.end}`), ['2-2', '3-3']);
  // buf: 3:15 "unexpected trailing `,` in extension range".
  const ext = lines('syntax = "proto2";', 'message M {', '  extensions 100, }', 'message N {}');
  assert.deepEqual(syntax(ext), ["3:19-3:20 expected a number after ',', found '}': remove the trailing ','"]);
  assert.deepEqual(shape(ext), ['M{}', 'N{}']);
  // At the end of its line, said there, as before, not at the next line's `}` (buf: 3:13, on the `,`).
  assert.deepEqual(syntax(lines('syntax = "proto3";', 'message M {', '  reserved 2,', '}')), ["3:14-3:14 expected a number or name after ','"]);
});

test('an option whose value has no `=` before it (or a `:` for it) says so at the value, and is read with it', NEEDS_CORPUS, () => {
  // buf: 21:19 "unexpected string literal in definition"; the option was dropped, so go_package looked removed.
  const text = replaceOnce(newestCorpusText(), 'option go_package = "k8s.io', 'option go_package "k8s.io');
  assert.deepEqual(syntax(text), ["21:19-21:55 expected '=' before '\"k8s.io/cri-api/pkg/apis/runtime/v1\"'"]);
  assert.equal(parse(text).options.find((o) => o.name === 'go_package')?.value, '"k8s.io/cri-api/pkg/apis/runtime/v1"');
  // buf: 3:26 "unexpected `:` in compact option", 4:28 "unexpected `true` in compact options".
  const list = lines('syntax = "proto3";', 'message M {', '  string a = 1 [json_name: "x"];', '  string b = 2 [deprecated true];', '  int32 c = 3;', '}');
  assert.deepEqual(syntax(list), ["3:26-3:27 expected '=', found ':'", "4:28-4:32 expected '=' before 'true'"]);
  const fields = parse(list).messages[0]!.fields;
  assert.deepEqual(fields.map((f) => `${f.name}[${f.options.map((o) => `${o.name}=${o.value}`).join(',')}]`), ['a[json_name="x"]', 'b[deprecated=true]', 'c[]']);
  // A name alone, or one that goes on, is what it was.
  assert.deepEqual(syntax(lines('syntax = "proto3";', 'option deprecated;')), ["2:1-2:19 the option has no value: expected '= value' after 'deprecated'"]);
});

test('a field number after a `:` typed for its `=` is read', () => {
  // buf: 3:10 "unexpected `:` after definition", and the field is lost.
  const text = lines('syntax = "proto3";', 'message M {', '  int32 a: 1;', '  int32 b = 2;', '}');
  assert.deepEqual(syntax(text), ["3:10-3:11 expected '=', found ':'"]);
  assert.deepEqual(shape(text), ['M{a=1,b=2}']);
});

test('a word typed for `returns` is said at it, and the response type after it is read', NEEDS_CORPUS, () => {
  // buf: 26:16 "missing method return type in service method", 26:33 "unexpected identifier after definition"; ours read `return` as the response type and said its `(…)` was an error more.
  oneError('    rpc Version(VersionRequest) returns (VersionResponse) {}', '    rpc Version(VersionRequest) return (VersionResponse) {}',
    "26:33-26:39 expected 'returns', found 'return'");
});

test('a number that is no integer, or `max` outside a range, says so where a field, value or range number goes', () => {
  const text = lines(
    'syntax = "proto3";',
    'message M {',
    '  int32 a = 1.5;', // buf: 3:13 "mismatched types"
    '  int32 b = 0x;', // protoc: "\"0x\" must be followed by hex digits"; ours said "integer 0x is too large"
    '  int32 c = max;', // buf: 5:13 "`max` outside of range end"
    '  reserved 7 to 1e3;', // buf: 6:17 "mismatched types"
    '  int32 d = 4;',
    '}',
    'enum E { A = 0; B = max; C = 2; }',
  );
  assert.deepEqual(syntax(text), [
    "3:13-3:16 expected an integer, found '1.5': a number here has no fraction or exponent",
    "4:13-4:15 invalid number 0x: '0x' must be followed by hex digits",
    "5:13-5:16 'max' is not a number: it only ends a range of a reserved or extensions statement ('5 to max')",
    "6:17-6:20 expected an integer, found '1e3': a number here has no fraction or exponent",
    "9:21-9:24 'max' is not a number: it only ends a range of a reserved or extensions statement ('5 to max')",
  ]);
  assert.deepEqual(shape(text), ['M{d=4}', 'E{A=0,C=2}']);
  // `to max` is still the end of a range.
  assert.deepEqual(syntax(lines('syntax = "proto2";', 'message M {', '  extensions 100 to max;', '  reserved 5 to max;', '}')), []);
});

test('a syntax or edition without its quotes, or without its `=`, is one error, and the file is read as that syntax', NEEDS_CORPUS, () => {
  // buf: 18:10 "the value of a `syntax` declaration must be a string literal". The file was read as proto2, and each of
  // its 376 unlabelled fields was one more problem (proto2-label).
  oneError('syntax = "proto3";', 'syntax = proto3;', '18:10-18:16 the syntax is a string: write "proto3"');
  // buf: 18:8 "unexpected string literal in `syntax` declaration".
  oneError('syntax = "proto3";', 'syntax "proto3";', "18:8-18:16 expected '=' before '\"proto3\"'");
  assert.deepEqual(syntax(lines('edition = 2023;', 'message M { int32 a = 1; }')), ['1:11-1:15 the edition is a string: write "2023"']);
  assert.equal(parse(lines('edition = 2023;', 'message M {}')).edition?.value, '2023');
});

test('a `}` that no block is open for says so, where buf marks it ("unmatched `}`")', NEEDS_CORPUS, () => {
  // buf: 552:1 "encountered unmatched `}` delimiter"; ours said "expected 'message', 'enum', … found '}'".
  const original = newestCorpusText();
  const text = replaceOnce(original, '    uint32 attempt = 4;\n}\n', '    uint32 attempt = 4;\n}\n}\n');
  assert.deepEqual(syntax(text), ["552:1-552:2 unexpected '}': no block is open here to close"]);
  assert.deepEqual(shape(text), shape(original));
});

test('a declaration after one without its `;` on the same line is read', NEEDS_CORPUS, () => {
  // buf: 279:13 "unexpected identifier after definition"; UDP was skipped with the rest of the line.
  oneError('    TCP = 0;\n    UDP = 1;\n', '    TCP = 0 UDP = 1;\n', "279:12-279:12 expected ';' after '0'");
});

test('a group without its number says so over its head, as a field without one does', () => {
  // buf: 3:3 "missing message field tag in declaration"; ours said "expected '=', found '{'".
  const text = lines('syntax = "proto2";', 'message M {', '  optional group H {', '    optional int32 b = 3;', '  }', '  optional int32 c = 5;', '}');
  assert.deepEqual(syntax(text), ['3:3-3:19 group "H" has no number']);
  assert.deepEqual(parse(text).messages[0]!.fields.map((f) => `${f.name}:${f.group?.fields.map((g) => g.name).join(',') ?? ''}`), ['h:b', 'c:']);
});

test('a misspelled top-level keyword before a name and a `{` says which it was typed for, and the declaration is read as that', NEEDS_CORPUS, () => {
  // buf: 542:1 "missing message field tag in declaration", 542:29 "unexpected definition body in message field"; ours
  // said "expected 'message', 'enum', …, found 'mesage'" and skipped the block, so its fields looked deleted.
  oneError('message PodSandboxMetadata {\n', 'mesage PodSandboxMetadata {\n', "542:1-542:7 unknown keyword 'mesage': did you mean 'message'?");
  oneError('enum Protocol {\n', 'Enum Protocol {\n', "278:1-278:5 a keyword is lower case: write 'enum'");
  oneError('service RuntimeService {\n', 'servce RuntimeService {\n', "24:1-24:7 unknown keyword 'servce': did you mean 'service'?");
  // A word far from every keyword is what it was.
  assert.deepEqual(syntax(lines('syntax = "proto3";', 'table T {', '  int32 a = 1;', '}', 'message M {}')),
    ["2:1-2:6 expected 'message', 'enum', 'service', 'import', 'package', 'option' or 'syntax', found 'table'"]);
});
