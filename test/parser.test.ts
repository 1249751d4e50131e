// Unit tests for the proto lexer, parser and binder on crafted inputs: every statement kind, exact
// UTF-16 ranges, protoc's comment attachment, every error path and recovery, and type resolution.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lexer, tokenize, type Token } from '../server/src/proto/lexer';
import { MAX_NESTING, parse, parseIntLiteral } from '../server/src/proto/parser';
import { bind, type ImportResolver, type Problem } from '../server/src/proto/binder';
import type { Comment, Comments, MessageNode, Position, ProtoFile, Range } from '../server/src/proto/ast';
import { NEEDS_CORPUS, newestCorpusText, replaceOnce } from './corpusText';

/** Runs `fn`, counting the calls of String.prototype.charCodeAt it makes: the characters the lexer and parser read. */
function countCharCodeAt<T>(fn: () => T): { result: T; calls: number } {
  const proto = String.prototype as { charCodeAt: (this: string, index: number) => number };
  const charCodeAt = proto.charCodeAt;
  let calls = 0;
  proto.charCodeAt = function (this: string, index: number) {
    calls++;
    return charCodeAt.call(this, index);
  };
  try {
    return { result: fn(), calls };
  } finally {
    proto.charCodeAt = charCodeAt;
  }
}

// ---- helpers -------------------------------------------------------------------------------------------

const P = (line: number, character: number): Position => ({ line, character });
const R = (l1: number, c1: number, l2: number, c2: number): Range => ({ start: P(l1, c1), end: P(l2, c2) });
/** A comment as plain data: comments build their range on request. */
const plain = (c: Comment): Comment => ({ text: c.text, range: c.range, block: c.block });

/**
 * Range of the `nth` occurrence of `needle` (single-line) in `text`, computed independently of the lexer:
 * plain string search, lines split at \r\n, \r and \n.
 */
function loc(text: string, needle: string, nth = 0): Range {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`"${needle}" #${nth} not in text`);
  }
  const before = text.slice(0, i);
  const lines = before.split(/\r\n|\r|\n/);
  const line = lines.length - 1;
  const character = lines[line]!.length;
  return R(line, character, line, character + needle.length);
}

const lines = (...ls: string[]): string => ls.join('\n');

function ok(text: string): ProtoFile {
  const f = parse(text);
  assert.deepEqual(f.errors, [], 'unexpected syntax errors');
  return f;
}

function bindText(text: string, resolver?: ImportResolver) {
  return bind(parse(text), 'file:///test.proto', resolver);
}

/** Problems as `code: message @range`, in report order. */
function problems(text: string, resolver?: ImportResolver): { code: string; message: string; range: Range; severity: string }[] {
  return bindText(text, resolver).problems.map((p: Problem) => ({ code: p.code, message: p.message, range: p.range, severity: p.severity }));
}

function msg(f: ProtoFile, path: string): MessageNode {
  const parts = path.split('.');
  let m = f.messages.find((x) => x.name === parts[0]);
  for (const p of parts.slice(1)) m = m?.messages.find((x) => x.name === p) ?? m?.fields.find((x) => x.group?.name === p)?.group;
  assert.ok(m, `message ${path} not found`);
  return m;
}

const texts = (c: Comments) => ({ leading: c.leading?.text, trailing: c.trailing?.text, detached: c.detached.map((d: Comment) => d.text) });
const kinds = (toks: Token[]) => toks.map((t) => [t.kind, t.text]);

// ---- lexer ---------------------------------------------------------------------------------------------

describe('lexer', () => {
  test('token kinds and texts; eof is last', () => {
    const toks = tokenize(`foo _bar9 0 42 0x1F 017 1.5 .5 1e10 2.5E-3 "a'b" 'c"d' {}[]()<>;,=.-+:/`);
    assert.deepEqual(kinds(toks), [
      ['ident', 'foo'], ['ident', '_bar9'], ['int', '0'], ['int', '42'], ['int', '0x1F'], ['int', '017'],
      ['float', '1.5'], ['float', '.5'], ['float', '1e10'], ['float', '2.5E-3'], ['string', `"a'b"`], ['string', `'c"d'`],
      ['symbol', '{'], ['symbol', '}'], ['symbol', '['], ['symbol', ']'], ['symbol', '('], ['symbol', ')'], ['symbol', '<'],
      ['symbol', '>'], ['symbol', ';'], ['symbol', ','], ['symbol', '='], ['symbol', '.'], ['symbol', '-'], ['symbol', '+'],
      ['symbol', ':'], ['symbol', '/'], ['eof', ''],
    ]);
    assert.equal(toks[10]!.value, "a'b");
    assert.equal(toks[11]!.value, 'c"d');
    assert.deepEqual(toks.map((t) => t.index), toks.map((_, i) => i));
    assert.deepEqual(toks[1]!.range, R(0, 4, 0, 9));
    assert.equal(toks.filter((t) => t.error).length, 0);
  });

  test('integer literals: decimal, hex, octal, and too large for a safe integer', () => {
    assert.equal(parseIntLiteral('42'), 42);
    assert.equal(parseIntLiteral('0x1F'), 31);
    assert.equal(parseIntLiteral('0X1f'), 31);
    assert.equal(parseIntLiteral('017'), 15);
    assert.equal(parseIntLiteral('0'), 0);
    assert.equal(parseIntLiteral('9007199254740991'), 9007199254740991);
    assert.equal(parseIntLiteral('9007199254740993'), undefined);
    assert.equal(parseIntLiteral('1.5'), undefined);
  });

  test('string escapes are decoded', () => {
    const toks = tokenize(String.raw`"\n\t\r\a\b\f\v\\\'\"\?" '\x41\x4a\101\0\u00fc\U0001F600z'`);
    assert.equal(toks[0]!.value, '\n\t\r\x07\b\f\v\\\'"?');
    assert.equal(toks[1]!.value, 'AJA\0ü😀z');
    assert.equal(toks[0]!.error, undefined);
    assert.equal(toks[1]!.error, undefined);
  });

  test('bad escapes are string errors', () => {
    const cases: [string, string][] = [
      [String.raw`"a\qb"`, String.raw`invalid escape '\q'`],
      [String.raw`"\x"`, String.raw`invalid \x escape`],
      [String.raw`"\xZZ"`, String.raw`invalid \x escape`],
      [String.raw`"\u12"`, String.raw`invalid \u escape`],
      [String.raw`"\U00110000"`, String.raw`invalid \U escape`],
    ];
    for (const [src, error] of cases) {
      const t = tokenize(src)[0]!;
      assert.equal(t.kind, 'string', src);
      assert.equal(t.error, error, src);
      assert.equal(t.text, src);
    }
  });

  test('unterminated string stops at the end of the line', () => {
    const toks = tokenize('x = "abc\ny');
    assert.deepEqual(kinds(toks), [['ident', 'x'], ['symbol', '='], ['string', '"abc'], ['ident', 'y'], ['eof', '']]);
    assert.equal(toks[2]!.error, 'unterminated string');
    assert.equal(toks[2]!.value, 'abc');
    assert.deepEqual(toks[2]!.range, R(0, 4, 0, 8));
    assert.deepEqual(toks[3]!.range, R(1, 0, 1, 1));
    assert.equal(tokenize("'abc\r\nz")[0]!.error, 'unterminated string');
    assert.equal(tokenize('"abc')[0]!.error, 'unterminated string');
  });

  test('a backslash at the end of a line ends an unterminated string there; the next line is counted', () => {
    // The escape took the line break with it, uncounted: every position below it was one line off.
    for (const eol of ['\n', '\r\n', '\r']) {
      const toks = tokenize(`x = "a\\${eol}b";${eol}y`);
      assert.deepEqual(kinds(toks), [['ident', 'x'], ['symbol', '='], ['string', '"a\\'], ['ident', 'b'], ['string', '";'], ['ident', 'y'], ['eof', '']], JSON.stringify(eol));
      assert.equal(toks[2]!.error, 'unterminated string');
      assert.deepEqual(toks[2]!.range, R(0, 4, 0, 7));
      assert.deepEqual(toks[3]!.range, R(1, 0, 1, 1));
      assert.deepEqual(toks[5]!.range, R(2, 0, 2, 1));
    }
    const file = parse('syntax = "proto3";\noption go_package = "a\\\nb";\nmessage M {\n  int32 x = 1;\n}\n');
    assert.deepEqual(file.messages[0]!.nameRange, R(3, 8, 3, 9));
  });

  test('invalid characters, NUL bytes and surrogate pairs', () => {
    const toks = tokenize('a @ \0 😀 1foo #');
    assert.deepEqual(kinds(toks), [['ident', 'a'], ['invalid', '@'], ['invalid', '\0'], ['invalid', '😀'], ['invalid', '1foo'], ['invalid', '#'], ['eof', '']]);
    assert.equal(toks[1]!.error, "unexpected character '@'");
    assert.equal(toks[2]!.error, 'unexpected NUL byte');
    assert.equal(toks[3]!.error, 'unexpected character');
    // The emoji is two UTF-16 code units and one token.
    assert.deepEqual(toks[3]!.range, R(0, 6, 0, 8));
    assert.deepEqual(toks[4]!.range, R(0, 9, 0, 13));
  });

  test('comments are attached to the next token, markers stripped; eof carries the last ones', () => {
    const toks = tokenize('a // one\n/* two\n * three */ b // end');
    const b = toks[1]!;
    assert.equal(b.text, 'b');
    assert.deepEqual(b.pre?.map(plain), [
      { text: ' one', range: R(0, 2, 0, 8), block: false },
      { text: ' two\n three ', range: R(1, 0, 2, 11), block: true },
    ]);
    assert.deepEqual(b.range, R(2, 12, 2, 13));
    assert.deepEqual(toks[2]!.kind, 'eof');
    assert.deepEqual(toks[2]!.pre?.map(plain), [{ text: ' end', range: R(2, 14, 2, 20), block: false }]);
    assert.equal(toks[0]!.pre, undefined);
  });

  test('an unterminated block comment ends with its line, reported, and the next lines are tokens again', () => {
    const errors: [string, number, number][] = [];
    const toks: Token[] = [];
    lexer('a /* open\r\nmore /* x', undefined, (m, s, e) => errors.push([m, s, e]))(toks, Infinity);
    assert.deepEqual(kinds(toks), [['ident', 'a'], ['ident', 'more'], ['eof', '']]);
    assert.deepEqual(toks[1]!.pre?.map(plain), [{ text: ' open', range: R(0, 2, 0, 9), block: true }]);
    assert.deepEqual(toks[2]!.pre?.map(plain), [{ text: ' x', range: R(1, 5, 1, 9), block: true }]);
    assert.deepEqual(errors, [['unterminated block comment', 2, 9], ['unterminated block comment', 16, 20]]);
    // `/*/` does not close itself.
    assert.deepEqual(kinds(tokenize('/*/ a\nb')), [['ident', 'b'], ['eof', '']]);
  });

  test('UTF-16 positions after non-ASCII text on the same line', () => {
    // ü is one UTF-16 unit, 😀 two: `/* ü😀 */ ` is 10 units.
    const toks = tokenize('/* ü😀 */ message A {}\n// ü\nfoo "😀" bar');
    assert.deepEqual(toks[0]!.range, R(0, 10, 0, 17));
    assert.deepEqual(toks[1]!.range, R(0, 18, 0, 19));
    assert.deepEqual(toks[0]!.pre![0]!.range, R(0, 0, 0, 9));
    assert.equal(toks[0]!.pre![0]!.text, ' ü😀 ');
    assert.deepEqual(toks[4]!.range, R(2, 0, 2, 3));
    assert.deepEqual(toks[4]!.pre?.map(plain), [{ text: ' ü', range: R(1, 0, 1, 4), block: false }]);
    assert.deepEqual(toks[5]!.range, R(2, 4, 2, 8));
    assert.equal(toks[5]!.value, '😀');
    assert.deepEqual(toks[6]!.range, R(2, 9, 2, 12));
  });

  test('CRLF, lone CR and LF all end lines, inside comments too', () => {
    const toks = tokenize('a\r\nb\rc\n\rd\r\n\r\ne /*x\r\ny\rz*/ f // c\rg');
    const pos = toks.filter((t) => t.kind === 'ident').map((t) => [t.text, t.range.start.line, t.range.start.character]);
    assert.deepEqual(pos, [['a', 0, 0], ['b', 1, 0], ['c', 2, 0], ['d', 4, 0], ['e', 6, 0], ['f', 8, 4], ['g', 9, 0]]);
    const f = toks.find((t) => t.text === 'f')!;
    assert.deepEqual(f.pre?.map(plain), [{ text: 'x\ny\nz', range: R(6, 2, 8, 3), block: true }]);
    const g = toks.find((t) => t.text === 'g')!;
    assert.deepEqual(g.pre?.map(plain), [{ text: ' c', range: R(8, 6, 8, 10), block: false }]);
  });

  test('a byte order mark is skipped but counted', () => {
    const toks = tokenize('\uFEFFsyntax');
    assert.deepEqual(kinds(toks), [['ident', 'syntax'], ['eof', '']]);
    assert.deepEqual(toks[0]!.range, R(0, 1, 0, 7));
  });
});

// ---- statements ----------------------------------------------------------------------------------------

describe('parser: statements', () => {
  test('syntax, package and imports (plain, public, weak) with exact ranges', () => {
    const f = ok(lines(
      'syntax = "proto3";',
      'package foo.bar;',
      'import "a.proto";',
      'import public "b.proto";',
      "import weak 'c.proto';",
    ));
    assert.deepEqual(f.syntax, { value: 'proto3', range: R(0, 0, 0, 18) });
    assert.equal(f.edition, undefined);
    assert.deepEqual(f.package, { name: 'foo.bar', nameRange: R(1, 8, 1, 15), range: R(1, 0, 1, 16) });
    assert.deepEqual(f.imports, [
      { kind: 'import', path: 'a.proto', pathRange: R(2, 7, 2, 16), range: R(2, 0, 2, 17) },
      { kind: 'import', path: 'b.proto', pathRange: R(3, 14, 3, 23), range: R(3, 0, 3, 24), modifier: 'public' },
      { kind: 'import', path: 'c.proto', pathRange: R(4, 12, 4, 21), range: R(4, 0, 4, 22), modifier: 'weak' },
    ]);
    assert.deepEqual(f.range, R(0, 0, 4, 22));
    assert.equal(bind(f, 'x').model.package, 'foo.bar');
  });

  // buf 1.75: "unexpected `edition` declaration" (or `syntax`) over a second one, and over one after another
  // declaration; protoc reads them only first in the file. The first one stays the file's.
  test('a second syntax or edition statement, or one after another statement, is an error; the first one stays', () => {
    const errors = (text: string) => parse(text).errors.map((e) => [e.message, e.range.start.line, e.range.start.character]);
    assert.deepEqual(errors('edition = "2024"; edition = "2023";'), [['duplicate edition statement', 0, 18]]);
    assert.deepEqual(errors('syntax = "proto3";\nedition = "2023";'), [['a file has a syntax or an edition statement, not both', 1, 0]]);
    assert.deepEqual(errors('edition = "2023";\nsyntax = "proto3";'), [['a file has a syntax or an edition statement, not both', 1, 0]]);
    assert.deepEqual(errors('// comment\npackage p;\nedition = "2023";'), [['the edition statement must come first in the file', 2, 0]]);
    assert.deepEqual(errors('import "a.proto"; syntax = "proto3";'), [['the syntax statement must come first in the file', 0, 18]]);
    const both = parse('syntax = "proto3";\nedition = "2023";');
    assert.deepEqual([both.syntax?.value, both.edition], ['proto3', undefined]);
    assert.equal(parse('edition = "2024"; edition = "2023";').edition?.value, '2024');
    // At the edge: first after comments and empty statements.
    assert.deepEqual(errors('// license\n;\nedition = "2023";'), []);
  });

  // protoc: "Import "a.proto" was listed twice."; buf: "file imported multiple times", over the second.
  test('a file imported twice is an error on the second import', () => {
    const f = parse('syntax = "proto3";\nimport "a.proto";\nimport public "b.proto";\nimport weak "a.proto";');
    assert.deepEqual(f.errors, [{ message: 'import "a.proto" is listed twice', range: R(3, 0, 3, 22) }]);
    assert.deepEqual(f.imports.map((i) => i.path), ['a.proto', 'b.proto', 'a.proto']);
  });

  test('edition statement', () => {
    const f = ok('edition = "2023";\npackage e;');
    assert.deepEqual(f.edition, { value: '2023', range: R(0, 0, 0, 17) });
    assert.equal(f.syntax, undefined);
    assert.equal(bind(f, 'x').model.syntax, 'editions');
    assert.equal(bindText('syntax = "proto2";').model.syntax, 'proto2');
    assert.equal(bindText('syntax = "proto3";').model.syntax, 'proto3');
    assert.equal(bindText('message A {}').model.syntax, 'proto2');
  });

  // protoc reads every string literal with the ones right after it (ParseStringAppend), and so does buf: each is one
  // value, marked over all of its literals (buf: "unrecognized `syntax` declaration value", "cannot use string
  // literals in reserved range in editions mode", "message fields have the same JSON name").
  test('adjacent strings are one value in syntax, edition, import, reserved and json_name, as in an option value', () => {
    const text = lines(
      `syntax = "proto" '3';`,
      `import 'go' "ogle/protobuf/empty.proto";`,
      `import public "google/protobuf/" 'duration.proto';`,
      'message M {',
      `  reserved "f" 'oo', "bar";`,
      '  string s = 1 [json_name = "x" "y"];',
      '  string xy = 2;',
      '  google.protobuf.Empty e = 3;',
      '  google.protobuf.Duration d = 4;',
      '}',
    );
    const f = ok(text);
    assert.equal(f.syntax?.value, 'proto3');
    assert.deepEqual(f.imports.map((i) => [i.path, i.pathRange]), [
      ['google/protobuf/empty.proto', loc(text, `'go' "ogle/protobuf/empty.proto"`)],
      ['google/protobuf/duration.proto', loc(text, `"google/protobuf/" 'duration.proto'`)],
    ]);
    assert.deepEqual(msg(f, 'M').reserved[0]!.names, [{ name: 'foo', range: loc(text, `"f" 'oo'`) }, { name: 'bar', range: loc(text, '"bar"') }]);
    assert.deepEqual(problems(text).map((p) => [p.code, p.message, p.range]), [
      ['duplicate-json-name', 'JSON name "xy" of "xy" conflicts with field "s"', loc(text, 'xy')],
    ]);
    const editions = lines(`edition = "20" '23';`, `message M { reserved "f" "oo"; }`);
    assert.equal(parse(editions).edition?.value, '2023');
    assert.deepEqual(problems(editions).map((p) => [p.code, p.message, p.range]), [
      ['reserved-name-form', 'a reserved name is an identifier in an editions file: foo, not "foo"', loc(editions, '"f" "oo"')],
    ]);
    const unknown = 'syntax = "proto" "4";';
    assert.deepEqual(parse(unknown).errors, [{ message: 'unknown syntax "proto4" (expected "proto2" or "proto3")', range: loc(unknown, '"proto" "4"') }]);
  });

  test('file options: scalars, adjacent strings, signs, identifiers, aggregates and custom names', () => {
    const text = lines(
      'option java_package = "x.y";',
      'option (my.opt).baz = { a: 1 b: { c: "x" } d: [1, 2] };',
      'option (.my.opt).neg = -5;',
      'option optimize_for = SPEED;',
      `option y = "a" 'b';`,
      'option (f) = -inf;',
      'option (g).h.i = 1.5e3;',
    );
    const f = ok(text);
    assert.deepEqual(f.options.map((o) => [o.name, o.value]), [
      ['java_package', '"x.y"'],
      ['(my.opt).baz', '{ a: 1 b: { c: "x" } d: [1, 2] }'],
      ['(.my.opt).neg', '-5'],
      ['optimize_for', 'SPEED'],
      ['y', `"a" 'b'`],
      ['(f)', '-inf'],
      ['(g).h.i', '1.5e3'],
    ]);
    const agg = f.options[1]!;
    assert.deepEqual(agg.nameRange, loc(text, '(my.opt).baz'));
    assert.deepEqual(agg.valueRange, loc(text, '{ a: 1 b: { c: "x" } d: [1, 2] }'));
    assert.deepEqual(agg.range, loc(text, 'option (my.opt).baz = { a: 1 b: { c: "x" } d: [1, 2] };'));
    assert.deepEqual(f.options[0]!.range, R(0, 0, 0, 28));
    assert.deepEqual(f.options[0]!.nameRange, R(0, 7, 0, 19));
    assert.deepEqual(f.options[0]!.valueRange, R(0, 22, 0, 27));
    assert.deepEqual(f.options[2]!.valueRange, loc(text, '-5'));
  });

  test('messages: labels, map, oneof, nested types, extensions, reserved, extend, group and options', () => {
    const text = lines(
      'syntax = "proto2";',
      'package p;',
      'message Outer {',
      '  option (mo) = true;',
      '  required string name = 1;',
      '  optional int32 count = 2 [default = 5, deprecated = true];',
      '  repeated .p.Outer children = 3 [packed = false];',
      '  map<string, Inner> by_key = 4;',
      '  oneof choice {',
      '    option (oo) = 1;',
      '    string s = 5;',
      '    Inner.Kind kind = 6;',
      '  }',
      '  message Inner {',
      '    enum Kind { K0 = 0; K1 = 1; }',
      '    optional Kind k = 1;',
      '  }',
      '  enum Mode { OFF = 0; }',
      '  extensions 100 to 199, 500, 1000 to max [(verification) = UNVERIFIED];',
      '  reserved 7, 9 to 11, 30 to 40;',
      '  reserved "old", "older";',
      '  extend Outer { optional int32 ext_a = 100; }',
      '  optional group Result = 8 [deprecated = true] {',
      '    required string url = 1;',
      '  }',
      '  ;',
      '}',
    );
    const f = ok(text);
    const o = msg(f, 'Outer');
    assert.deepEqual(o.fields.map((x) => [x.label, x.type, x.name, x.number, x.mapKey, x.oneof]), [
      ['required', 'string', 'name', 1, undefined, undefined],
      ['optional', 'int32', 'count', 2, undefined, undefined],
      ['repeated', '.p.Outer', 'children', 3, undefined, undefined],
      [undefined, 'Inner', 'by_key', 4, 'string', undefined],
      [undefined, 'string', 's', 5, undefined, 'choice'],
      [undefined, 'Inner.Kind', 'kind', 6, undefined, 'choice'],
      ['optional', 'Result', 'result', 8, undefined, undefined],
    ]);
    assert.deepEqual(o.options.map((x) => [x.name, x.value]), [['(mo)', 'true']]);
    assert.deepEqual(o.fields[1]!.options.map((x) => [x.name, x.value]), [['default', '5'], ['deprecated', 'true']]);
    assert.deepEqual(o.fields[2]!.options.map((x) => [x.name, x.value]), [['packed', 'false']]);
    assert.deepEqual(o.oneofs.map((x) => [x.name, x.fields.map((y) => y.name), x.options.map((y) => y.name)]), [['choice', ['s', 'kind'], ['(oo)']]]);
    assert.deepEqual(o.messages.map((x) => x.name), ['Inner']);
    assert.deepEqual(o.messages[0]!.enums.map((e) => [e.name, e.values.map((v) => [v.name, v.number])]), [['Kind', [['K0', 0], ['K1', 1]]]]);
    assert.deepEqual(o.enums.map((e) => e.name), ['Mode']);
    assert.deepEqual(o.extensions.map((e) => e.ranges.map((r) => [r.start, r.end])), [[[100, 199], [500, 500], [1000, Infinity]]]);
    assert.deepEqual(o.extensions[0]!.ranges[2]!.range, loc(text, '1000 to max'));
    assert.deepEqual(o.extensions[0]!.options.map((x) => [x.name, x.value]), [['(verification)', 'UNVERIFIED']]);
    assert.deepEqual(o.reserved.map((r) => [r.ranges.map((x) => [x.start, x.end]), r.names.map((n) => n.name)]), [
      [[[7, 7], [9, 11], [30, 40]], []],
      [[], ['old', 'older']],
    ]);
    assert.deepEqual(o.reserved[1]!.names[1]!.range, loc(text, '"older"'));
    assert.deepEqual(o.extends.map((x) => [x.extendee, x.fields.map((y) => [y.name, y.number])]), [['Outer', [['ext_a', 100]]]]);
    const group = o.fields[6]!;
    assert.equal(group.group?.name, 'Result');
    assert.deepEqual(group.group?.fields.map((x) => [x.label, x.type, x.name, x.number]), [['required', 'string', 'url', 1]]);
    assert.deepEqual(group.options.map((x) => x.name), ['deprecated']);
    assert.deepEqual(group.nameRange, loc(text, 'Result'));

    // Ranges of a field's parts, a map type, and a message with its body.
    const count = o.fields[1]!;
    assert.deepEqual(count.labelRange, loc(text, 'optional', 0));
    assert.deepEqual(count.typeRange, loc(text, 'int32', 0));
    assert.deepEqual(count.nameRange, loc(text, 'count'));
    assert.deepEqual(count.numberRange, R(5, 25, 5, 26));
    assert.deepEqual(count.range, R(5, 2, 5, 60));
    assert.deepEqual(o.fields[2]!.typeRange, loc(text, '.p.Outer'));
    assert.deepEqual(o.fields[3]!.typeRange, loc(text, 'map<string, Inner>'));
    assert.deepEqual(o.nameRange, R(2, 8, 2, 13));
    assert.deepEqual(o.range, R(2, 0, 26, 1));
    assert.deepEqual(o.bodyRange, R(2, 15, 26, 0));
    assert.deepEqual(o.oneofs[0]!.range, R(8, 2, 12, 3));

    // Bound: nested and group messages, resolved types, labels. The custom options are declared nowhere, as protoc
    // refuses (binder.test.ts), the extension range's too.
    const b = bind(f, 'x');
    const unknownOptions = (names: string[]) => names.map((n) => ['unknown-option', n]);
    assert.deepEqual(b.problems.map((p) => [p.code, p.message.split('"')[1]]), unknownOptions(['(mo)', '(oo)', '(verification)']));
    assert.deepEqual(b.model.messages.map((m) => m.fqn), ['p.Outer', 'p.Outer.Inner', 'p.Outer.Result']);
    assert.deepEqual(b.model.enums.map((e) => e.fqn), ['p.Outer.Inner.Kind', 'p.Outer.Mode']);
    const outer = b.model.messages[0]!;
    assert.deepEqual(outer.fields.map((x) => [x.name, x.type, x.typeKind, x.label, x.oneof]), [
      ['name', 'string', 'scalar', 'required', undefined],
      ['count', 'int32', 'scalar', 'optional', undefined],
      ['children', 'p.Outer', 'message', 'repeated', undefined],
      ['by_key', 'map<string,p.Outer.Inner>', 'map', 'repeated', undefined],
      ['s', 'string', 'scalar', 'implicit', 'choice'],
      ['kind', 'p.Outer.Inner.Kind', 'enum', 'implicit', 'choice'],
      ['result', 'p.Outer.Result', 'message', 'optional', undefined],
    ]);
    assert.equal(outer.fields[1]!.deprecated, true);
    assert.equal(outer.fields[2]!.packed, false);
    assert.deepEqual(outer.oneofs, ['choice']);
    assert.deepEqual(outer.reservedNumbers, [[7, 7], [9, 11], [30, 40]]);
    assert.deepEqual(outer.reservedNames, ['old', 'older']);
  });

  test('enums: aliases, reserved ranges and names, negative and hex values, value options', () => {
    const text = lines(
      'syntax = "proto2";',
      'enum E {',
      '  option allow_alias = true;',
      '  reserved 5, 7 to max, -10 to -8;',
      '  reserved "GONE";',
      '  ZERO = 0;',
      '  ALIAS = 0 [deprecated = true];',
      '  NEG = -3;',
      '  HEX = 0x4;',
      '}',
    );
    const f = ok(text);
    const e = f.enums[0]!;
    assert.deepEqual(e.options.map((o) => [o.name, o.value]), [['allow_alias', 'true']]);
    assert.deepEqual(e.values.map((v) => [v.name, v.number, v.options.map((o) => o.name)]), [
      ['ZERO', 0, []], ['ALIAS', 0, ['deprecated']], ['NEG', -3, []], ['HEX', 4, []],
    ]);
    assert.deepEqual(e.values[2]!.numberRange, loc(text, '-3'));
    assert.deepEqual(e.values[2]!.nameRange, loc(text, 'NEG'));
    assert.deepEqual(e.values[2]!.range, loc(text, 'NEG = -3;'));
    assert.deepEqual(e.reserved.map((r) => [r.ranges.map((x) => [x.start, x.end]), r.names.map((n) => n.name)]), [
      [[[5, 5], [7, Infinity], [-10, -8]], []],
      [[], ['GONE']],
    ]);
    const b = bind(f, 'x');
    assert.deepEqual(b.problems, []);
    const def = b.model.enums[0]!;
    assert.equal(def.fqn, 'E');
    assert.deepEqual(def.values.map((v) => [v.name, v.number, v.deprecated]), [['ZERO', 0, undefined], ['ALIAS', 0, true], ['NEG', -3, undefined], ['HEX', 4, undefined]]);
    // `max` is the enum maximum for enums, the field maximum for messages.
    assert.deepEqual(def.reservedNumbers, [[5, 5], [7, 2147483647], [-10, -8]]);
    assert.deepEqual(bindText('message M { reserved 10 to max; }').model.messages[0]!.reservedNumbers, [[10, 536870911]]);
  });

  // protoc reads numbers or names after `reserved`, as the first one is, and refuses the other kind there ("Expected
  // field name.", "Expected field number range."); buf 1.75: "cannot mix tags and names in reserved range" at the first
  // of the other kind, and reserves all of them.
  test('a reserved statement of numbers and names is an error at the first of the other kind; all are reserved', NEEDS_CORPUS, () => {
    const MESSAGE = 'message VersionRequest {\n';
    const text = replaceOnce(newestCorpusText(), MESSAGE, `${MESSAGE}    reserved 5, "old", "older", 6;\n    reserved "gone", 7 to 8;\n    reserved 9, 10;\n`);
    const MIXED = 'a reserved statement takes numbers or names, not both: reserve the others in a reserved statement of their own';
    const f = parse(text);
    assert.deepEqual(f.errors, [{ message: MIXED, range: loc(text, '"old"') }, { message: MIXED, range: loc(text, '7 to 8') }]);
    const m = bind(f, 'x').model.messages.find((x) => x.name === 'VersionRequest')!;
    assert.deepEqual(m.reservedNumbers, [[5, 5], [6, 6], [7, 8], [9, 9], [10, 10]]);
    assert.deepEqual(m.reservedNames, ['old', 'older', 'gone']);
    const editions = lines('edition = "2023";', 'enum E { E0 = 0; reserved FOO, 1; reserved 2, BAR, 3, BAZ; }');
    assert.deepEqual(parse(editions).errors, [{ message: MIXED, range: loc(editions, '1') }, { message: MIXED, range: loc(editions, 'BAR') }]);
  });

  test('services: rpc streaming, option statements, option blocks with aggregates', () => {
    const text = lines(
      'syntax = "proto3";',
      'package svc;',
      'message Req {}',
      'message Res {}',
      'service S {',
      '  option deprecated = true;',
      '  rpc Unary (Req) returns (Res);',
      '  rpc ClientStream (stream Req) returns (.svc.Res);',
      '  rpc ServerStream(Req)returns(stream Res){}',
      '  rpc Bidi (stream svc.Req) returns (stream Res) {',
      '    option deprecated = true;',
      '    option (x.y).z = { a: 1 };',
      '  };',
      '}',
    );
    const f = ok(text);
    const s = f.services[0]!;
    assert.equal(s.name, 'S');
    assert.deepEqual(s.options.map((o) => [o.name, o.value]), [['deprecated', 'true']]);
    assert.deepEqual(s.rpcs.map((r) => [r.name, r.requestStream, r.requestType, r.responseStream, r.responseType, r.options.map((o) => [o.name, o.value])]), [
      ['Unary', false, 'Req', false, 'Res', []],
      ['ClientStream', true, 'Req', false, '.svc.Res', []],
      ['ServerStream', false, 'Req', true, 'Res', []],
      ['Bidi', true, 'svc.Req', true, 'Res', [['deprecated', 'true'], ['(x.y).z', '{ a: 1 }']]],
    ]);
    assert.deepEqual(s.rpcs[1]!.responseTypeRange, loc(text, '.svc.Res'));
    assert.deepEqual(s.rpcs[1]!.requestTypeRange, loc(text, 'Req', 2));
    assert.deepEqual(s.rpcs[0]!.range, loc(text, 'rpc Unary (Req) returns (Res);'));
    assert.deepEqual(s.rpcs[3]!.range, R(9, 2, 12, 4));
    assert.deepEqual(s.range, R(4, 0, 13, 1));
    const b = bind(f, 'x');
    assert.deepEqual(b.problems.map((p) => [p.code, p.message.split('"')[1]]), [['unknown-option', '(x.y)']]);
    assert.deepEqual(b.model.services.map((x) => x.fqn), ['svc.S']);
    assert.deepEqual(b.model.services[0]!.rpcs.map((r) => [r.name, r.request, r.requestStream, r.response, r.responseStream, r.deprecated]), [
      ['Unary', 'svc.Req', false, 'svc.Res', false, undefined],
      ['ClientStream', 'svc.Req', true, 'svc.Res', false, undefined],
      ['ServerStream', 'svc.Req', false, 'svc.Res', true, undefined],
      ['Bidi', 'svc.Req', true, 'svc.Res', true, true],
    ]);
  });

  test('top-level extend and extensions in proto2', () => {
    const f = ok('syntax = "proto2";\nmessage M { extensions 10 to 20; }\nextend M { optional string tag = 10; repeated int32 more = 11; }');
    assert.deepEqual(f.extends.map((x) => [x.extendee, x.fields.map((y) => [y.label, y.type, y.name, y.number])]), [
      ['M', [['optional', 'string', 'tag', 10], ['repeated', 'int32', 'more', 11]]],
    ]);
    assert.deepEqual(f.extends[0]!.extendeeRange, R(2, 7, 2, 8));
    assert.deepEqual(bind(f, 'x').problems, []);
  });

  test('ranges are UTF-16 and lines end at CRLF, lone CR and LF', () => {
    const text = 'syntax = "proto3";\r\n/* ü 😀 */ message A { Missing x = 1; }\rmessage B { // 😀😀\r\n  int32 y = 1; }\n';
    const f = ok(text);
    assert.deepEqual(msg(f, 'A').nameRange, R(1, 19, 1, 20));
    assert.deepEqual(msg(f, 'A').range, R(1, 11, 1, 39));
    assert.deepEqual(plain(msg(f, 'A').comments.leading!), { text: ' ü 😀 ', range: R(1, 0, 1, 10), block: true });
    assert.deepEqual(msg(f, 'A').fields[0]!.typeRange, R(1, 23, 1, 30));
    assert.deepEqual(msg(f, 'A').fields[0]!.nameRange, R(1, 31, 1, 32));
    assert.deepEqual(plain(msg(f, 'B').comments.trailing!), { text: ' 😀😀', range: R(2, 12, 2, 19), block: false });
    assert.deepEqual(msg(f, 'B').fields[0]!.nameRange, R(3, 8, 3, 9));
    assert.deepEqual(msg(f, 'B').range, R(2, 0, 3, 16));
    assert.deepEqual(f.range, R(0, 0, 4, 0));
    assert.deepEqual(problems(text), [{ code: 'unresolved-type', message: 'unknown type "Missing"', range: R(1, 23, 1, 30), severity: 'error' }]);
  });

  test('keywords are names where a name fits', () => {
    const f = ok(lines(
      'syntax = "proto3";',
      'message message {',
      '  int32 option = 1; string reserved = 2; int32 message = 3; bool map = 4; int32 oneof = 5;',
      '  int32 enum = 6; int32 optional = 7; repeated int32 repeated = 8; int32 stream = 9; int32 max = 10;',
      '  int32 group = 11; int32 extensions = 12; int32 syntax = 13; int32 package = 14; int32 service = 15;',
      '}',
      'message stream {}',
      'service S { rpc R (stream) returns (stream stream); }',
    ));
    assert.deepEqual(msg(f, 'message').fields.map((x) => [x.name, x.number, x.label]), [
      ['option', 1, undefined], ['reserved', 2, undefined], ['message', 3, undefined], ['map', 4, undefined],
      ['oneof', 5, undefined], ['enum', 6, undefined], ['optional', 7, undefined], ['repeated', 8, 'repeated'],
      ['stream', 9, undefined], ['max', 10, undefined], ['group', 11, undefined], ['extensions', 12, undefined],
      ['syntax', 13, undefined], ['package', 14, undefined], ['service', 15, undefined],
    ]);
    assert.deepEqual(f.services[0]!.rpcs.map((r) => [r.requestStream, r.requestType, r.responseStream, r.responseType]), [[false, 'stream', true, 'stream']]);
  });
});

// ---- comments ------------------------------------------------------------------------------------------

describe('parser: comments as protoc attaches them', () => {
  test("protoc's documented example (descriptor.proto, SourceCodeInfo.Location)", () => {
    const text = lines(
      'syntax = "proto2";',
      'message A {',
      '  optional int32 foo = 1;  // Comment attached to foo.',
      '  // Comment attached to bar.',
      '  optional int32 bar = 2;',
      '',
      '  optional string baz = 3;',
      '  // Comment attached to baz.',
      '  // Another line attached to baz.',
      '',
      '  // Comment attached to moo.',
      '  //',
      '  // Another line attached to moo.',
      '  optional double moo = 4;',
      '',
      '  // Detached comment for corge. This is not leading or trailing comments',
      '  // to moo or corge because there are blank lines separating it from',
      '  // both.',
      '',
      '  // Detached comment for corge paragraph 2.',
      '',
      '  optional string corge = 5;',
      '  /* Block comment attached',
      '   * to corge.  Leading asterisks',
      '   * will be removed. */',
      '  /* Block comment attached to',
      '   * grault. */',
      '  optional int32 grault = 6;',
      '',
      '  // ignored detached comments.',
      '}',
    );
    const f = ok(text);
    const by = Object.fromEntries(msg(f, 'A').fields.map((x) => [x.name, texts(x.comments)]));
    assert.deepEqual(by, {
      foo: { leading: undefined, trailing: ' Comment attached to foo.', detached: [] },
      bar: { leading: ' Comment attached to bar.', trailing: undefined, detached: [] },
      baz: { leading: undefined, trailing: ' Comment attached to baz.\n Another line attached to baz.', detached: [] },
      moo: { leading: ' Comment attached to moo.\n\n Another line attached to moo.', trailing: undefined, detached: [] },
      corge: {
        leading: undefined,
        trailing: ' Block comment attached\n to corge.  Leading asterisks\n will be removed. ',
        detached: [
          ' Detached comment for corge. This is not leading or trailing comments\n to moo or corge because there are blank lines separating it from\n both.',
          ' Detached comment for corge paragraph 2.',
        ],
      },
      grault: { leading: ' Block comment attached to\n grault. ', trailing: undefined, detached: [] },
    });
    const moo = msg(f, 'A').fields[3]!;
    assert.deepEqual(moo.comments.leading!.range, R(10, 2, 12, 34));
    assert.equal(moo.comments.leading!.block, false);
  });

  test('blocks take their trailing comment after `{`; file start comments; leading becomes doc', () => {
    const text = lines(
      '// detached at the top',         // 0
      '',                               // 1
      '// leading for A',               // 2
      'message A { // trailing for A',  // 3
      '  // leading for x',             // 4
      '  int32 x = 1; /* trailing for x */',
      '  oneof o { // trailing for o',
      '    int32 y = 2;',
      '  }',
      '}',
      '/** Leading for E. */',
      'enum E { // trailing for E',
      '  // leading for Z',
      '  Z = 0; // trailing for Z',
      '}',
      '// leading for S',
      'service S {',
      '  // about S, a blank line follows',
      '',
      '  // leading for R',
      '  rpc R (A) returns (A); // trailing for R',
      '  rpc Q (A) returns (A) { // trailing for Q',
      '  }',
      '}',
    );
    const f = ok(text);
    const a = msg(f, 'A');
    assert.deepEqual(texts(a.comments), { leading: ' leading for A', trailing: ' trailing for A', detached: [' detached at the top'] });
    assert.deepEqual(a.comments.detached[0]!.range, R(0, 0, 0, 22));
    assert.deepEqual(a.comments.trailing!.range, R(3, 12, 3, 29));
    assert.deepEqual(texts(a.fields[0]!.comments), { leading: ' leading for x', trailing: ' trailing for x ', detached: [] });
    assert.deepEqual(texts(a.oneofs[0]!.comments), { leading: undefined, trailing: ' trailing for o', detached: [] });
    assert.deepEqual(texts(f.enums[0]!.comments), { leading: '* Leading for E. ', trailing: ' trailing for E', detached: [] });
    assert.deepEqual(texts(f.enums[0]!.values[0]!.comments), { leading: ' leading for Z', trailing: ' trailing for Z', detached: [] });
    const s = f.services[0]!;
    assert.deepEqual(texts(s.comments), { leading: ' leading for S', trailing: ' about S, a blank line follows', detached: [] });
    assert.deepEqual(texts(s.rpcs[0]!.comments), { leading: ' leading for R', trailing: ' trailing for R', detached: [] });
    assert.deepEqual(texts(s.rpcs[1]!.comments), { leading: undefined, trailing: ' trailing for Q', detached: [] });

    const b = bind(f, 'x');
    assert.equal(b.model.messages[0]!.doc, ' leading for A');
    assert.equal(b.model.messages[0]!.fields[0]!.doc, ' leading for x');
    assert.equal(b.model.enums[0]!.doc, '* Leading for E. ');
    assert.equal(b.model.services[0]!.rpcs[0]!.doc, ' leading for R');
    assert.equal(b.declarations.get('A')!.doc, ' leading for A');
  });

  test('a comment right before `}` trails the last element; after `}` and a blank line it is dropped', () => {
    const f = ok(lines(
      'message A {',
      '  optional int32 x = 1;',
      '  // about x, before the brace',
      '}',
      '// dropped: trails the closing brace',
      '',
      '// leading for B',
      'message B {}',
    ));
    assert.deepEqual(texts(msg(f, 'A').fields[0]!.comments), { leading: undefined, trailing: ' about x, before the brace', detached: [] });
    assert.deepEqual(texts(msg(f, 'B').comments), { leading: ' leading for B', trailing: undefined, detached: [] });
  });

  test('a same-line comment is trailing, so what follows on later lines is leading or detached', () => {
    const f = ok(lines(
      'message A {',
      '  optional int32 x = 1; // trails x',
      '  // detached: a blank line follows',
      '',
      '  optional int32 y = 2;',
      '  optional int32 z = 3; /* ambiguous */ optional int32 w = 4;',
      '}',
    ));
    const [x, y, z, w] = msg(f, 'A').fields;
    assert.deepEqual(texts(x!.comments), { leading: undefined, trailing: ' trails x', detached: [] });
    assert.deepEqual(texts(y!.comments), { leading: undefined, trailing: undefined, detached: [' detached: a blank line follows'] });
    // protoc cannot tell which token a block comment between two on one line belongs to, and drops it.
    assert.deepEqual(texts(z!.comments), { leading: undefined, trailing: undefined, detached: [] });
    assert.deepEqual(texts(w!.comments), { leading: undefined, trailing: undefined, detached: [] });
  });

  test('a line comment after a block comment is a separate comment; CRLF comments merge like LF', () => {
    const f = ok('message A {}\r\n\r\n/* block */\r\n// line one\r\n// line two\r\nmessage B {}\r\n');
    assert.deepEqual(texts(msg(f, 'B').comments), { leading: ' line one\n line two', trailing: undefined, detached: [' block '] });
    assert.deepEqual(msg(f, 'B').comments.leading!.range, R(3, 0, 4, 11));
    // Without the blank line, the block comment is the first block after `}` that another ends: it trails
    // the `}`, which protoc drops.
    const g = ok('message A {}\n/* block */\n// line\nmessage B {}');
    assert.deepEqual(texts(msg(g, 'B').comments), { leading: ' line', trailing: undefined, detached: [] });
  });
});

// ---- syntax errors and recovery ------------------------------------------------------------------------

describe('parser: errors and recovery', () => {
  test('missing `;` is assumed when the next token is on a later line; the rest still parses', () => {
    const text = lines(
      'syntax = "proto3"',
      'package p',
      'import "google/protobuf/empty.proto"',
      'option go_package = "x"',
      'message A {',
      '  int32 a = 1',
      '  string b = 2 [deprecated = true]',
      '  reserved 3',
      '}',
      'enum E { Z = 0 }',
      'service S { rpc R (A) returns (Later) }',
      'message Later {',
      '  int32 x = 1;',
      '  repeated string y = 2;',
      '}',
    );
    const f = parse(text);
    assert.deepEqual(f.errors, [
      { message: `expected ';' after '"proto3"'`, range: R(0, 17, 0, 17) },
      { message: `expected ';' after 'p'`, range: R(1, 9, 1, 9) },
      { message: `expected ';' after '"google/protobuf/empty.proto"'`, range: R(2, 36, 2, 36) },
      { message: `expected ';' after '"x"'`, range: R(3, 23, 3, 23) },
      { message: `expected ';' after '1'`, range: R(5, 13, 5, 13) },
      { message: `expected ';' after ']'`, range: R(6, 34, 6, 34) },
      { message: `expected ';' after '3'`, range: R(7, 12, 7, 12) },
      { message: `expected ';' after '0'`, range: R(9, 14, 9, 14) },
      { message: `expected ';' after ')'`, range: R(10, 37, 10, 37) },
    ]);
    assert.equal(f.syntax?.value, 'proto3');
    assert.equal(f.package?.name, 'p');
    assert.deepEqual(f.imports.map((i) => i.path), ['google/protobuf/empty.proto']);
    assert.deepEqual(f.options.map((o) => o.name), ['go_package']);
    assert.deepEqual(msg(f, 'A').fields.map((x) => [x.name, x.number]), [['a', 1], ['b', 2]]);
    assert.deepEqual(msg(f, 'A').reserved[0]!.ranges.map((r) => r.start), [3]);
    assert.deepEqual(f.enums[0]!.values.map((v) => [v.name, v.number]), [['Z', 0]]);
    assert.deepEqual(f.services[0]!.rpcs.map((r) => [r.name, r.requestType, r.responseType]), [['R', 'A', 'Later']]);
    assert.deepEqual(f.messages.map((m) => m.name), ['A', 'Later']);
    assert.deepEqual(msg(f, 'Later').fields.map((x) => [x.label, x.type, x.name, x.number]), [[undefined, 'int32', 'x', 1], ['repeated', 'string', 'y', 2]]);
    // Only the syntax errors: everything resolves.
    assert.deepEqual(bind(f, 'x').problems.map((p) => p.code), Array(9).fill('syntax'));
  });

  test('missing `;` with more on the same line skips to the next `;`, unless what follows is the next declaration, which is read', () => {
    const f = parse('message A {\n  optional int32 a = 1 optional int32 b = 2;\n  optional int32 c = 3;\n}');
    assert.deepEqual(f.errors, [{ message: `expected ';' after '1'`, range: R(1, 22, 1, 22) }]);
    assert.deepEqual(msg(f, 'A').fields.map((x) => x.name), ['a', 'b', 'c']);
    const g = parse('message A {\n  optional int32 a = 1 foo bar;\n  optional int32 c = 3;\n}');
    assert.deepEqual(g.errors, [{ message: `expected ';' after '1'`, range: R(1, 22, 1, 22) }]);
    assert.deepEqual(msg(g, 'A').fields.map((x) => x.name), ['a', 'c']);
  });

  test('missing `}`: a declaration at or left of the block keyword column closes the block', () => {
    const text = lines(
      'syntax = "proto3";',
      'message A {',
      '  int32 a = 1;',
      '  message Nested {',
      '    int32 n = 1;',
      '  }',
      'message B {',
      '  int32 b = 1;',
      '}',
      'message C { A a = 1; B b = 2; A.Nested n = 3; }',
    );
    const f = parse(text);
    assert.deepEqual(f.errors, [{ message: "expected '}'", range: R(5, 3, 5, 3) }]);
    assert.deepEqual(f.messages.map((m) => m.name), ['A', 'B', 'C']);
    assert.deepEqual(msg(f, 'A').messages.map((m) => m.name), ['Nested']);
    assert.deepEqual(msg(f, 'A').fields.map((x) => x.name), ['a']);
    assert.deepEqual(msg(f, 'A').range, R(1, 0, 5, 3));
    assert.deepEqual(msg(f, 'B').fields.map((x) => x.name), ['b']);
    assert.deepEqual(msg(f, 'C').fields.map((x) => x.name), ['a', 'b', 'n']);
    assert.deepEqual(bind(f, 'x').problems.map((p) => p.code), ['syntax']);
  });

  test('a declaration at column 0 in balanced text nests, as protoc reads it; the column closes only unclosed blocks', () => {
    const outer = lines(
      'message Outer {',
      'message Inner { int32 x = 1; }',
      'enum E { Z = 0; }',
      'Inner inner = 1;',
      '}',
    );
    const f = ok(outer);
    assert.deepEqual(f.messages.map((m) => m.name), ['Outer']);
    assert.deepEqual(msg(f, 'Outer').messages.map((m) => m.name), ['Inner']);
    assert.deepEqual(msg(f, 'Outer').enums.map((e) => e.name), ['E']);
    assert.deepEqual(msg(f, 'Outer').fields.map((x) => [x.type, x.name, x.number]), [['Inner', 'inner', 1]]);
    assert.deepEqual(msg(f, 'Outer').range, R(0, 0, 4, 1));
    // One `{` without its `}`, above: the first declaration at its column closes it, the later ones nest.
    const g = parse(lines('message New {', '  int32 a = 1;', outer));
    assert.deepEqual(g.errors, [{ message: "expected '}'", range: R(1, 14, 1, 14) }]);
    assert.deepEqual(g.messages.map((m) => [m.name, m.fields.map((x) => x.name)]), [['New', ['a']], ['Outer', ['inner']]]);
    assert.deepEqual(msg(g, 'Outer').messages.map((m) => m.name), ['Inner']);
    assert.deepEqual(msg(g, 'Outer').range, R(2, 0, 6, 1));
  });

  test('missing `}` of a nested message: a sibling at its column closes it, deeper ones nest', () => {
    const f = parse(lines(
      'message A {',
      '  message B {',
      '    optional int32 x = 1;',
      '    message Deeper {}',
      '  message C {}',
      '}',
      'message D {}',
    ));
    assert.deepEqual(f.errors, [{ message: "expected '}'", range: R(3, 21, 3, 21) }]);
    assert.deepEqual(f.messages.map((m) => m.name), ['A', 'D']);
    assert.deepEqual(msg(f, 'A').messages.map((m) => m.name), ['B', 'C']);
    assert.deepEqual(msg(f, 'A.B').messages.map((m) => m.name), ['Deeper']);
  });

  test('missing `}`: declarations that cannot nest close the block even when indented', () => {
    const f = parse(lines(
      'syntax = "proto3";',
      'enum E {',
      '  Z = 0;',
      '  message InEnum {}',
      'service S {',
      '  rpc R (M) returns (M);',
      '  service T {}',
      'message M {',
      '  int32 m = 1;',
      '  service U {}',
    ));
    assert.deepEqual(f.errors.map((e) => [e.message, e.range.start.line]), [["expected '}'", 2], ["expected '}'", 5], ["expected '}'", 8]]);
    assert.deepEqual(f.enums.map((e) => [e.name, e.values.map((v) => v.name)]), [['E', ['Z']]]);
    assert.deepEqual(f.messages.map((m) => m.name), ['InEnum', 'M']);
    assert.deepEqual(f.services.map((s) => s.name), ['S', 'T', 'U']);
    assert.deepEqual(msg(f, 'M').fields.map((x) => x.name), ['m']);
  });

  test('missing `}` at end of file', () => {
    const f = parse('message A {\n  optional int32 x = 1;\n');
    // On the last line, not the empty one after its line break (a CI annotation cannot point there).
    assert.deepEqual(f.errors, [{ message: "expected '}' before end of file", range: R(1, 23, 1, 23) }]);
    assert.deepEqual(msg(f, 'A').fields.map((x) => x.name), ['x']);
    assert.deepEqual(msg(f, 'A').bodyRange, R(0, 11, 2, 0));
    assert.deepEqual(parse('message A {\n  int32 x =\n').errors, [{ message: 'expected a number, found end of file', range: R(1, 11, 1, 11) }]);
  });

  test('unterminated string: reported, and the next declaration survives', () => {
    const f = parse(lines(
      'syntax = "proto3";',
      'message A {',
      '  string x = 1 [json_name = "abc];',
      '}',
      '"stray',
      'message B { int32 y = 1; }',
    ));
    assert.deepEqual(f.errors, [
      { message: 'unterminated string', range: R(2, 28, 2, 34) },
      { message: 'unterminated string', range: R(4, 0, 4, 6) },
    ]);
    assert.deepEqual(f.messages.map((m) => [m.name, m.fields.map((x) => x.name)]), [['A', ['x']], ['B', ['y']]]);
  });

  // buf 1.75: "unexpected `+` in compact options" (after definition, in message expression, in array expression) on
  // the sign; protoc takes only `-` too ("Expected option value."), though the language specification writes `+`. In
  // an aggregate buf skips the sign, and what follows it is the next field (`inf` of `d: +inf`: "unexpected `inf` in
  // message expression") or the list's value.
  test('a plus sign before a value is an error on the sign, in an option, a default and an aggregate; the value is still read', () => {
    const text = lines(
      'syntax = "proto2";',
      'package p;',
      'import "google/protobuf/descriptor.proto";',
      'message Opt { optional int32 a = 1; optional double d = 2; repeated int32 r = 3; }',
      'extend google.protobuf.MessageOptions { optional Opt o = 50000; optional double dd = 50001; }',
      'extend google.protobuf.FieldOptions { optional int32 fi = 50002; }',
      'message A { optional int32 f = 1 [default = +5]; optional int32 g = 2 [(fi) = +5]; }',
      'message B { option (dd) = +inf; }',
      'message C { option (o) = { d: +inf r: [1, +2] a: -5 }; }',
      'message D { option (o) = { d: + 1 }; }',
    );
    const f = parse(text);
    const plus = (line: number, character: number) => ({ message: "unexpected '+': a value takes no plus sign, only a minus", range: R(line, character, line, character + 1) });
    assert.deepEqual(f.errors, [
      // The parser reports each sign of a value as it reads it, then what the aggregate reader finds.
      plus(6, 44), plus(6, 78), plus(7, 26), plus(8, 30), plus(8, 42),
      { message: '"inf" has no value: expected \':\' and a value, or a message \'{ … }\', after it', range: R(8, 31, 8, 34) },
      plus(9, 30),
      { message: "expected a field name, found '1'", range: R(9, 32, 9, 33) },
    ]);
    assert.deepEqual(msg(f, 'A').fields.map((x) => x.options.map((o) => [o.name, o.value])), [[['default', '+5']], [['(fi)', '+5']]]);
    // Nothing else: the values are of their fields' types.
    assert.deepEqual(bind(f, 'x').problems.map((p) => p.code), Array(8).fill('syntax'));
  });

  // buf 1.75 on each value (line and column checked with `buf build`): "unexpected `{...}` in expression" at the `}` of
  // `{a: }`, "unexpected identifier in message expression" at a key with no value, "unexpected `:` in message
  // expression", "unexpected extra `,`", "encountered unmatched `[` delimiter" at the list's `[`, "unexpected trailing
  // `,` in array expression", "unexpected integer literal in array expression", "unexpected `=` in expression". It
  // reads on after each: what cannot start a field is skipped, and each value or name after it is one more (`1` of
  // `{a 1}`, of `{: 1}`, of `{a: [1, }`).
  test('a malformed aggregate value is a syntax error where buf reports it; what buf takes is none', () => {
    const head = lines(
      'syntax = "proto2";',
      'package p;',
      'import "google/protobuf/descriptor.proto";',
      'message Opt { optional int32 a = 1; optional int32 b = 2; repeated int32 r = 3; optional Opt n = 4; optional int32 to = 5; extensions 100 to 200; }',
      'extend Opt { optional int32 x = 100; }',
      'extend google.protobuf.MessageOptions { optional Opt o = 50000; }',
    );
    const PREFIX = '  option (o) = ';
    const RANGE = "a range ('to') is no option value";
    // Each value with what buf marks in ⟨ ⟩, and the messages of the marks in order.
    const refused: [value: string, ...messages: string[]][] = [
      ['{a: ⟨}⟩', 'expected a value for "a", found \'}\''],
      ['{⟨a⟩ ⟨1⟩}', '"a" has no value: expected \':\' and a value, or a message \'{ … }\', after it', 'expected a field name, found \'1\''],
      ['{⟨:⟩ ⟨1⟩}', 'expected a field name, found \':\'', 'expected a field name, found \'1\''],
      ['{a: 1,⟨,⟩ b: 2}', 'unexpected \',\' after another separator'],
      ['{a: ⟨[⟩⟨1⟩, }', '\'[\' is not closed: expected \']\' to end the list', 'expected a field name, found \'1\''],
      ['{a: 1 ⟨b⟩}', '"b" has no value: expected \':\' and a value, or a message \'{ … }\', after it'],
      ['{a: 1, ⟨;⟩}', 'unexpected \';\' after another separator'],
      ['{⟨,⟩a: 1}', 'unexpected \',\' before the first field of a message value'],
      ['{r: [1⟨,⟩]}', 'unexpected \',\' after the last value of a list: expected \']\''],
      ['{r: [⟨,⟩1]}', 'unexpected \',\' before the first value of a list'],
      ['{r: [1 ⟨2⟩]}', 'expected \',\' or \']\' in the list, found \'2\''],
      ['{a: -⟨}⟩', 'expected a value for "a", found \'}\''],
      ['{a: 1 ⟨2⟩}', 'expected a field name, found \'2\''],
      ['{a:⟨:⟩ ⟨1⟩}', 'expected a value for "a", found \':\'', 'expected a field name, found \'1\''],
      ['{a ⟨=⟩ 1}', 'expected \':\' after "a", found \'=\''],
      // buf: also "unexpected qualified name in array expression" (or integer literal, …) at the list's first value.
      ['{⟨[⟨p.x⟩]⟩}', '"[p.x]" has no value: expected \':\' and a value, or a message \'{ … }\', after it', 'unexpected p.x in \'[ ]\' with no value after it'],
      ['{⟨[⟨p.x⟩]⟩ ⟨1⟩}', '"[p.x]" has no value: expected \':\' and a value, or a message \'{ … }\', after it', 'unexpected p.x in \'[ ]\' with no value after it', 'expected a field name, found \'1\''],
      ['{⟨[⟨1⟩, 2]⟩}', 'expected a field name, found a list \'[ … ]\'', 'unexpected 1 in \'[ ]\' with no value after it'],
      // buf: "unexpected range expression in option setting value", once over the range (`to` chains), and nothing
      // else of it; `to` before `:` or `{` is a key.
      ['{a: ⟨1 to 2⟩}', RANGE],
      ['{a: ⟨-1 to 2 to x⟩ b: 1}', RANGE],
      ['{r: [⟨1 to 2⟩, 3]}', RANGE],
      ['{a: ⟨1 to⟩ ⟨}⟩', RANGE, 'expected a value for "a", found \'}\''],
      ['{⟨[]⟩: 1}', 'expected an extension\'s name or an Any\'s type URL in \'[ ]\''],
      ['{⟨[⟩p.x: 1}', '\'[\' is not closed: expected \']\' after an extension\'s name or an Any\'s type URL'],
      // buf: "unexpected integer literal in array expression", at the first value that is no message.
      ['{r [⟨1⟩, 2]}', 'expected \':\' after "r": a list of values other than messages needs one'],
      // buf: "unexpected `]` in message expression", and "encountered unmatched `{` delimiter" at the `{`, which the
      // `}` closes: not said.
      ['{a: 1 ⟨]⟩ b: 2}', 'expected a field name, found \']\''],
      ['{a: 1 ⟨)⟩, b: 2}', 'expected a field name, found \')\''],
    ];
    const text = lines(head, 'message M {', ...refused.map(([v]) => `${PREFIX}${v.replace(/[⟨⟩]/g, '')};`), '}');
    // Where each ⟨ ⟩ is, in the value without them, by where it starts (one may hold another).
    const marks = (v: string): [number, number][] => {
      const out: [number, number][] = [];
      const open: number[] = [];
      let at = 0;
      for (const ch of v) {
        if (ch === '⟨') open.push(at);
        else if (ch === '⟩') out.push([open.pop()!, at]);
        else at++;
      }
      return out.sort((a, b) => a[0] - b[0]);
    };
    assert.deepEqual(parse(text).errors, refused.flatMap(([v, ...messages], k) => messages.map((message, n) => {
      const [start, end] = marks(v)[n]!;
      return { message, range: R(7 + k, PREFIX.length + start, 7 + k, PREFIX.length + end) };
    })));
    // What buf builds: separators after the last field, `< >`, an empty list, a negative number, an extension's key.
    const taken = ['{a: 1,}', '{a: 1; b: 2;}', '{n <a: 1>}', '{n: <a: 1>, r: []}', '{r: [1, 2], }', '{n {a: 1},}', '{a: - 1}', '{[p.x]: 1 n {}}', '{r []}', '{a: 1 to: 2}'];
    assert.deepEqual(bind(parse(lines(head, ...taken.map((v, k) => `message M${k} { option (o) = ${v}; }`))), 'x').problems, []);
    // A dotted name or one with a leading dot is read as a value, of no scalar's type (buf: "cannot find `b.c`", on it).
    const named = lines(head, 'message N { option (o) = {a: b.c}; }', 'message D { option (o) = {b: .x}; }');
    assert.deepEqual(bind(parse(named), 'x').problems.map((p) => [p.code, p.message, p.range]), [
      ['invalid-option-value', '"p.Opt.a" takes an int32, not b.c', loc(named, 'b.c')],
      ['invalid-option-value', '"p.Opt.b" takes an int32, not .x', loc(named, '.x')],
    ]);
  });

  // buf 1.75 reads on after an extra, leading or trailing separator and after `=` for `:` ("unexpected extra `,` in
  // message expression", "unexpected `=` in expression"), reporting each, and checks the values it read.
  test('several separators or `=` where buf takes none, in one aggregate value, are each an error, and its values are checked', () => {
    const text = lines(
      'syntax = "proto2";',
      'package p;',
      'import "google/protobuf/descriptor.proto";',
      'message Opt { optional int32 a = 1; optional int32 b = 2; optional string s = 3; optional Opt o = 4; repeated int32 r = 5; }',
      'extend google.protobuf.MessageOptions { optional Opt opt = 50000; }',
      'message M1 {option (opt) = {a: "x",, b: "y";; s: 1}; }',
      'message M2 {option (opt) = {a = "x" b = "y"}; }',
      'message M3 {option (opt) = {, a: 1 ; b: 2}; }',
      'message M4 {option (opt) = {a: 1 o { , b: 2 } s: 3}; }',
      'message M5 {option (opt) = {r: [1,, 2] r: [, 3] r: [4,]}; }',
    );
    const spots = bind(parse(text), 'x').problems.map((p) => `${p.range.start.line + 1}:${p.range.start.character + 1} ${p.code} ${p.message}`);
    assert.deepEqual(spots, [
      "6:36 syntax unexpected ',' after another separator",
      "6:45 syntax unexpected ';' after another separator",
      '7:31 syntax expected \':\' after "a", found \'=\'',
      '7:39 syntax expected \':\' after "b", found \'=\'',
      "8:29 syntax unexpected ',' before the first field of a message value",
      "9:38 syntax unexpected ',' before the first field of a message value",
      "10:35 syntax unexpected ',' after another separator",
      "10:44 syntax unexpected ',' before the first value of a list",
      "10:54 syntax unexpected ',' after the last value of a list: expected ']'",
      '6:32 invalid-option-value "p.Opt.a" takes an int32, not "x"',
      '6:41 invalid-option-value "p.Opt.b" takes an int32, not "y"',
      '6:50 invalid-option-value "p.Opt.s" takes a string, not 1',
      '7:33 invalid-option-value "p.Opt.a" takes an int32, not "x"',
      '7:41 invalid-option-value "p.Opt.b" takes an int32, not "y"',
      '9:50 invalid-option-value "p.Opt.s" takes a string, not 3',
    ]);
  });

  // buf 1.75 on each line (`buf build`): "unexpected identifier in message expression" at `a` and `b`, "unexpected
  // integer literal in message expression" at `1` and `2`; "cannot resolve message field name" at `a.b`; "encountered
  // unmatched `[` delimiter" at the `[`, then each value after it is a field with no name; "unexpected `+` after `-`"
  // and a value of no type at the `-` ("mismatched types"); one error for a run of signs; "unexpected `:` in message
  // expression", then at the `}`; "message extension `p.x` referenced incorrectly" at a key without brackets. After
  // each it reads on and checks the fields that follow.
  test('after a syntax error in an aggregate value, what follows is read and checked, as buf does', () => {
    const text = lines(
      'syntax = "proto2";',
      'package p;',
      'import "google/protobuf/descriptor.proto";',
      'message Opt { optional int32 a = 1; optional int32 b = 2; optional string s = 3; optional Opt o = 4; repeated int32 r = 5; extensions 100 to 200; }',
      'extend Opt { optional int32 x = 100; }',
      'extend google.protobuf.MessageOptions { optional Opt opt = 50000; }',
      'message M1 {option (opt) = {a 1 b 2 s: 3}; }',
      'message M2 {option (opt) = {a.b: 1 s: 3}; }',
      'message M3 {option (opt) = {r: [1, 2 s: 3}; }',
      'message M4 {option (opt) = {a: -+1 s: 3}; }',
      'message M5 {option (opt) = {a: ++1 o {r: [1, {a: 2}}}; }',
      'message M6 {option (opt) = {a: 1 : }; }',
      'message M7 {option (opt) = {p.x: 1 o <r: [1 > s: 3}; }',
    );
    const spots = bind(parse(text), 'x').problems.map((p) => `${p.range.start.line + 1}:${p.range.start.character + 1} ${p.code} ${p.message}`);
    const noValue = (k: string) => `"${k}" has no value: expected ':' and a value, or a message '{ … }', after it`;
    assert.deepEqual(spots, [
      `7:29 syntax ${noValue('a')}`,
      "7:31 syntax expected a field name, found '1'",
      `7:33 syntax ${noValue('b')}`,
      "7:35 syntax expected a field name, found '2'",
      "9:32 syntax '[' is not closed: expected ']' to end the list",
      "9:33 syntax expected a field name, found '1'",
      "9:36 syntax expected a field name, found '2'",
      "10:33 syntax unexpected '+': a value takes no plus sign, only a minus",
      "10:34 syntax expected a field name, found '1'",
      "11:32 syntax unexpected '+': a value takes no plus sign, only a minus",
      "11:34 syntax expected a field name, found '1'",
      "11:42 syntax '[' is not closed: expected ']' to end the list",
      "11:43 syntax expected a field name, found '1'",
      "11:46 syntax expected a field name, found '{'",
      "12:34 syntax expected a field name, found ':'",
      "12:36 syntax expected a field name, found '}'",
      "13:42 syntax '[' is not closed: expected ']' to end the list",
      "13:43 syntax expected a field name, found '1'",
      '7:40 invalid-option-value "p.Opt.s" takes a string, not 3',
      '8:29 unknown-option message type "p.Opt" has no field named "a.b"',
      '8:39 invalid-option-value "p.Opt.s" takes a string, not 3',
      '9:41 invalid-option-value "p.Opt.s" takes a string, not 3',
      '10:32 invalid-option-value "p.Opt.a" takes an int32, not -',
      '10:39 invalid-option-value "p.Opt.s" takes a string, not 3',
      '13:29 unknown-option "p.x" is an extension: its key is written [p.x]',
      '13:50 invalid-option-value "p.Opt.s" takes a string, not 3',
    ]);
  });

  // buf 1.75: "unexpected array expression in option setting value" over the list; protoc: "Expected option value". buf
  // reads the list all the same, as an aggregate's `key: [ … ]`: "mismatched types" over it where the option is not
  // repeated, and on each value not of its type, and the option is set ("set multiple times" of a second setting); a
  // default's values too, each against the field's type. buf, where there is no value, which sets nothing: "missing
  // option setting value" over an option statement from `option` to its `;`, and "unexpected `;`" at the `;`; in a
  // field's `[ ]`, "unexpected `[...]`" at the `]` alone (and "compact options cannot be empty" over them, which they
  // are not: not said).
  test('a list as an option\'s own value is one syntax error over it, and sets the option as buf reads it; no value is none', () => {
    const text = lines(
      'syntax = "proto2";',
      'package p;',
      'import "google/protobuf/descriptor.proto";',
      'extend google.protobuf.MessageOptions { optional int32 i = 50001; repeated int32 ri = 50002; }',
      'extend google.protobuf.FieldOptions { optional int32 fi = 50001; }',
      'message M1 { option (i) = [1]; option deprecated = [true]; option (i) = 2; }',
      'message M2 { optional int32 f = 1 [default = [1], (fi) = [2], deprecated = true]; optional int32 g = 2 [default = ["x", 2, 3.5]]; }',
      'message M3 { option (ri) = [1, {a: [2]}]; option (ri) = [3]; option (ri) = 4; }',
      'message M4 { option deprecated = ; optional int32 h = 1 [default = ]; }',
    );
    const f = parse(text);
    const LIST = "a list ('[ … ]') is no option value: only a field of an aggregate value takes one";
    const at = (line: number, needle: string, nth = 0): Range => {
      let k = -1;
      for (let n = 0; n <= nth; n++) k = text.split('\n')[line]!.indexOf(needle, k + 1);
      return R(line, k, line, k + needle.length);
    };
    assert.deepEqual(f.errors, [
      { message: LIST, range: at(5, '[1]') }, { message: LIST, range: at(5, '[true]') }, { message: LIST, range: at(6, '[1]') },
      { message: LIST, range: at(6, '[2]') }, { message: LIST, range: at(6, '["x", 2, 3.5]') },
      { message: LIST, range: at(7, '[1, {a: [2]}]') }, { message: LIST, range: at(7, '[3]') },
      { message: 'the option has no value', range: at(8, 'option deprecated = ;') },
      { message: "expected an option value, found ';'", range: R(8, 33, 8, 34) },
      { message: "expected an option value, found ']'", range: R(8, 67, 8, 68) },
    ]);
    assert.deepEqual(msg(f, 'M1').options.map((o) => [o.name, o.value]), [['(i)', '[1]'], ['deprecated', '[true]'], ['(i)', '2']]);
    assert.deepEqual(msg(f, 'M2').fields.map((x) => [x.name, x.options.map((o) => o.name)]), [['f', ['default', '(fi)', 'deprecated']], ['g', ['default']]]);
    assert.deepEqual(bind(f, 'x').problems.filter((p) => p.code !== 'syntax').map((p) => [p.code, p.message, p.range]), [
      ['invalid-option-value', '"deprecated" is not repeated: it takes one value, not a list', at(5, '[true]')],
      ['invalid-option-value', '"default" is not repeated: it takes one value, not a list', at(6, '[1]')],
      ['invalid-option-value', '"default" is not repeated: it takes one value, not a list', at(6, '["x", 2, 3.5]')],
      ['invalid-default', 'the default of an int32 field must be an integer, not "x"', at(6, '"x"')],
      ['invalid-default', 'the default of an int32 field must be an integer, not 3.5', at(6, '3.5')],
      ['invalid-option-value', '"p.i" is not repeated: it takes one value, not a list', at(5, '[1]')],
      ['duplicate-option', '"p.i" is set twice: it is not repeated', at(5, '(i)', 1)],
      ['invalid-option-value', '"p.fi" is not repeated: it takes one value, not a list', at(6, '[2]')],
      ['invalid-option-value', '"p.ri" takes an int32, not a message', at(7, '{a: [2]}')],
    ]);
  });

  // buf 1.75: "multiple modifiers on message field type" on each label after the first, which the field keeps
  // ("expected repeated field, found singular field" of `optional repeated int32 r = 1 [packed = true]`).
  test('a field of more than one label is an error at each after the first, and has the first', NEEDS_CORPUS, () => {
    const twice = replaceOnce(newestCorpusText(), 'repeated string servers = 1;', 'repeated optional string servers = 1;');
    const text = replaceOnce(twice, '    string runtime_name = 2;', '    optional repeated required string runtime_name = 2;');
    const at = (context: string, needle: string): Range => {
      const r = loc(text, context);
      const k = r.start.character + context.indexOf(needle);
      return R(r.start.line, k, r.start.line, k + needle.length);
    };
    const f = parse(text);
    assert.deepEqual(f.errors, [
      { message: "a field takes one label: 'repeated' cannot follow 'optional'", range: at('optional repeated required', 'repeated') },
      { message: "a field takes one label: 'required' cannot follow 'optional'", range: at('optional repeated required', 'required') },
      { message: "a field takes one label: 'optional' cannot follow 'repeated'", range: at('repeated optional string', 'optional') },
    ]);
    const fields = bind(f, 'x').model.messages.flatMap((m) => m.fields).filter((x) => x.name === 'runtime_name' || x.name === 'servers');
    assert.deepEqual(fields.map((x) => [x.name, x.label, x.type]), [['runtime_name', 'optional', 'string'], ['servers', 'repeated', 'string']]);
  });

  // buf 1.75 at the same start: "unsupported base for integer literal", "integer literal contains underscores",
  // "invalid digit in hexadecimal integer literal", "unexpected characters in integer literal"; "unexpected `)`".
  test('a value that is no number (0b1, 1_000, 0xg, 1foo) or no value at all is one error at it, not also a missing `;`', () => {
    const text = lines(
      'syntax = "proto3";',
      'message M1 { option (i) = 0b1; option (i) = 0O7; }',
      'message M2 { option (i) = 1_000; option (f) = 1__0.5; }',
      'message M3 { option (i) = 0xg; option (i) = 1foo; }',
      'message M4 { option (i) = ); int32 a = 1 [(i) = 0b1, deprecated = true]; }',
    );
    const f = parse(text);
    const at = (line: number, needle: string, message: string, after = '') => {
      const l = text.split('\n')[line]!;
      const k = l.indexOf(needle, l.indexOf(after) + after.length);
      return { message, range: R(line, k, line, k + needle.length) };
    };
    const base = (t: string) => `${t} is in a base protobuf does not take: integers are decimal, octal (0…) or hex (0x…)`;
    assert.deepEqual(f.errors, [
      at(1, '0b1', base('0b1')), at(1, '0O7', base('0O7')),
      at(2, '1_000', 'a number takes no underscores: 1_000'), at(2, '1__0.5', 'a number takes no underscores: 1__0.5'),
      at(3, '0xg', "invalid number 0xg: '0x' must be followed by hex digits"), at(3, '1foo', 'invalid number 1foo'),
      at(4, ')', "expected an option value, found ')'", '= '), at(4, '0b1', base('0b1')),
    ]);
    assert.deepEqual(msg(f, 'M4').fields.map((x) => [x.name, x.options.map((o) => o.name)]), [['a', ['deprecated']]]);
  });

  // buf 1.75 says one thing of each: "missing `(...)` around method return type", "unexpected `stream` modifier on
  // message field" (at `stream`, where the field's type is read), and of `int32 x 1` "unexpected integer literal".
  test('a statement that goes wrong before its `;` is one error there, not also a missing `;`', () => {
    const text = lines(
      'syntax = "proto3";',
      'message A { int32 x 1; stream A a = 2; int32 y = 3; }',
      'service S { rpc R(A) returns A; rpc Q(A) returns (A); }',
    );
    const f = parse(text);
    assert.deepEqual(f.errors, [
      { message: "expected '=' before '1'", range: R(1, 20, 1, 21) },
      { message: "a field cannot be a stream: 'stream' is only for an RPC's request or response type", range: R(1, 23, 1, 29) },
      { message: 'the response type needs parentheses: write (A)', range: R(2, 29, 2, 30) },
    ]);
    assert.deepEqual(msg(f, 'A').fields.map((x) => x.name), ['x', 'a', 'y']);
    // The type without its parentheses is read (buf: "missing `(...)` around method return type", at it).
    assert.deepEqual(f.services[0]!.rpcs.map((r) => `${r.name}(${r.requestType})${r.responseType}`), ['R(A)A', 'Q(A)A']);
  });

  // buf 1.75: "encountered more than one `stream`", on each `stream` after the first that a type follows; the type is
  // read after them. protoc reads the second as the type, and stops at the real one ("Expected ")"").
  test('`stream` written twice in an RPC\'s parentheses is one error, on the second, and the type after it is read', () => {
    const text = lines(
      'syntax = "proto3";',
      'message A {}',
      'message stream {}',
      'service S {',
      '  rpc X (stream stream A) returns (B);',
      '  rpc Y (A) returns (stream /* c */ stream stream);',
      '  rpc Z (stream stream stream .A) returns (stream stream);',
      '}',
    );
    const f = parse(text);
    const twice = (line: number, character: number) => ({ message: "more than one 'stream': a request or a response is a stream or not", range: R(line, character, line, character + 6) });
    assert.deepEqual(f.errors, [twice(4, 16), twice(5, 36), twice(6, 16), twice(6, 23)]);
    assert.deepEqual(f.services[0]!.rpcs.map((r) => [r.requestStream, r.requestType, r.responseStream, r.responseType]), [
      [true, 'A', false, 'B'], [false, 'A', true, 'stream'], [true, '.A', true, 'stream'],
    ]);
    assert.deepEqual(f.services[0]!.rpcs[0]!.requestTypeRange, R(4, 23, 4, 24));
  });

  // buf 1.75: "compact options cannot be empty" over `[]`, "unexpected trailing `,` in compact options" on the `,`.
  test('an empty option list, or one with a trailing `,`, is one error where buf reports it; the options are kept', () => {
    const text = lines('syntax = "proto3";', 'message M { int32 a = 1 []; int32 b = 2 [deprecated = true,]; int32 c = 3; }');
    const f = parse(text);
    assert.deepEqual(f.errors, [
      { message: "an option list '[ ]' cannot be empty", range: loc(text, '[]') },
      { message: "unexpected ',' after the last option: expected ']'", range: R(1, 58, 1, 59) },
    ]);
    assert.deepEqual(msg(f, 'M').fields.map((x) => [x.name, x.options.map((o) => o.name)]), [['a', []], ['b', ['deprecated']], ['c', []]]);
  });

  test('an aggregate value not closed on its line is one error, at its `{`, though its `;` is typed', () => {
    const text = lines('syntax = "proto3";', 'message M {', '  option (o) = {a: {};', '}', 'message N {}');
    const f = parse(text);
    assert.deepEqual(f.errors, [{ message: "expected '}' to end this option value", range: R(2, 15, 2, 16) }]);
    assert.deepEqual(f.messages.map((m) => m.name), ['M', 'N']);
  });

  // buf 1.75: "invalid digit in octal integer literal" at the digit (protoc: "Numbers starting with leading zero must
  // be in octal."), wherever the integer is: a field number, a reserved number, a default, an option's value.
  test('an integer that starts with 0 and has an 8 or a 9 (08) is an error on that digit; a float (08.5) is not', () => {
    const text = lines(
      'syntax = "proto2";',
      'package p;',
      'import "google/protobuf/descriptor.proto";',
      'message Opt { optional int32 a = 1; optional double d = 2; }',
      'extend google.protobuf.MessageOptions { optional int32 i = 50001; optional double dd = 50002; optional Opt o = 50003; }',
      'message A { optional int32 f = 08; optional int32 g = 2 [default = -0789]; reserved 009; }',
      'message B { option (i) = 08; option (o) = { a: 0128 d: 08.5 }; option (dd) = 09.; }',
      'message C { optional double d = 1 [default = 08e1]; optional int32 h = 2 [default = 07]; optional int32 x = 3 [default = 0x8]; }',
    );
    const f = parse(text);
    const octal = (line: number, character: number, digit: string, literal: string) =>
      ({ message: `invalid digit ${digit} in the octal integer ${literal}: an integer that starts with 0 is octal`, range: R(line, character, line, character + 1) });
    assert.deepEqual(f.errors, [octal(5, 32, '8', '08'), octal(5, 70, '8', '0789'), octal(5, 86, '9', '009'), octal(6, 26, '8', '08'), octal(6, 50, '8', '0128')]);
    // Nothing else: read as decimal, the defaults and values are of their fields' types.
    assert.deepEqual(bind(f, 'x').problems.map((p) => p.code), Array(5).fill('syntax'));
    const ok = (kind: string) => [kind, undefined];
    assert.deepEqual(tokenize('0 00 07 0x8 08.5 09e1 .8 8 -08').map((t) => [t.kind, t.error]), [
      ok('int'), ok('int'), ok('int'), ok('int'), ok('float'), ok('float'), ok('float'), ok('int'), ok('symbol'),
      ['int', 'invalid digit 8 in the octal integer 08: an integer that starts with 0 is octal'], ok('eof'),
    ]);
  });

  test('an unterminated block comment is an error on its line; the declarations after it are kept', () => {
    const f = parse('message A {}\n/* never closed\nmessage B {}');
    assert.deepEqual(f.errors, [{ message: 'unterminated block comment', range: R(1, 0, 1, 15) }]);
    assert.deepEqual(f.messages.map((m) => m.name), ['A', 'B']);
    const g = parse('message A {\n  optional int32 x = 1; /* open');
    assert.deepEqual(g.errors.map((e) => e.message), ['unterminated block comment', "expected '}' before end of file"]);
    assert.deepEqual(g.errors[0]!.range, R(1, 24, 1, 31));
    // Reported once, also where recovery from another error meets it (here after a missing `;`).
    const h = parse('message X {\n  string a = 1\n  /* unterminated\n  int32 b = 2;\n}\n');
    assert.deepEqual(h.errors.map((e) => e.message), ['unterminated block comment', "expected ';' after '1'"]);
    assert.deepEqual(h.messages[0]!.fields.map((x) => x.name), ['a', 'b']);
  });

  test('invalid characters and NUL bytes are reported; the next statements survive', () => {
    const f = parse(lines(
      'syntax = "proto3";',
      'message A { int32 x = 1; }',
      '@',
      'message B {',
      '  int32 y = 1;',
      '  \0',
      '  int32 z = 2;',
      '  # int32 skipped = 3;',
      '  int32 w = 4;',
      '}',
      '\0 message C {}',
    ));
    assert.deepEqual(f.errors, [
      { message: "unexpected character '@'", range: R(2, 0, 2, 1) },
      { message: 'unexpected NUL byte', range: R(5, 2, 5, 3) },
      { message: "unexpected character '#'", range: R(7, 2, 7, 3) },
      { message: 'unexpected NUL byte', range: R(10, 0, 10, 1) },
    ]);
    assert.deepEqual(f.messages.map((m) => [m.name, m.fields.map((x) => x.name)]), [['A', ['x']], ['B', ['y', 'z', 'w']], ['C', []]]);
  });

  test('bad escapes in strings are syntax errors at the string', () => {
    const text = String.raw`option a = "\q";` + '\n' + String.raw`option b = "\x";` + '\n' + String.raw`option c = '\u12';` + '\nmessage M {}';
    const f = parse(text);
    assert.deepEqual(f.errors, [
      { message: String.raw`invalid escape '\q'`, range: R(0, 11, 0, 15) },
      { message: String.raw`invalid \x escape`, range: R(1, 11, 1, 15) },
      { message: String.raw`invalid \u escape`, range: R(2, 11, 2, 17) },
    ]);
    assert.deepEqual(f.options.map((o) => o.name), ['a', 'b', 'c']);
    assert.deepEqual(f.messages.map((m) => m.name), ['M']);
  });

  test('other syntax errors: unknown syntax, missing parts, labels in oneofs and on maps', () => {
    assert.deepEqual(parse('syntax = "proto4";').errors, [{ message: 'unknown syntax "proto4" (expected "proto2" or "proto3")', range: R(0, 9, 0, 17) }]);
    assert.deepEqual(parse('syntax = "proto3";\nsyntax = "proto3";').errors.map((e) => e.message), ['duplicate syntax statement']);
    assert.deepEqual(parse('package a;\npackage b;').errors.map((e) => e.message), ['duplicate package statement']);
    // buf 1.75 marks the field whole as well ("missing message field tag in declaration"), and only so where no `=` is.
    assert.deepEqual(parse('message A { optional int32 x = ; optional int32 y = 2; }').errors, [
      { message: 'field "x" has no number', range: R(0, 12, 0, 32) }, { message: "expected a number, found ';'", range: R(0, 31, 0, 32) },
    ]);
    assert.deepEqual(parse('message A { optional int32 x [deprecated = true]; }').errors, [{ message: 'field "x" has no number', range: R(0, 12, 0, 49) }]);
    assert.deepEqual(parse('enum E { A = ; B; }').errors, [
      { message: 'enum value "A" has no number', range: R(0, 9, 0, 14) }, { message: "expected a number, found ';'", range: R(0, 13, 0, 14) },
      { message: 'enum value "B" has no number', range: R(0, 15, 0, 17) },
    ]);
    assert.deepEqual(parse('message A { int32 = 1; optional int32 y = 2; }').errors, [{ message: "expected a field name, found '='", range: R(0, 18, 0, 19) }]);
    assert.deepEqual(parse('message A { optional int32 x 1; }').errors[0], { message: "expected '=' before '1'", range: R(0, 29, 0, 30) });
    assert.deepEqual(parse('message A { oneof o { optional int32 x = 1; } }').errors, [{ message: "fields in a oneof cannot have a label ('optional')", range: R(0, 22, 0, 30) }]);
    assert.deepEqual(parse('message A { repeated map<string, string> m = 1; }').errors, [{ message: 'map fields cannot have a label', range: R(0, 21, 0, 40) }]);
    assert.deepEqual(parse('service S { rpc R A returns (B); }').errors, [{ message: 'the request type needs parentheses: write (A)', range: R(0, 18, 0, 19) }]);
    assert.deepEqual(parse('message { }').errors[0], { message: "expected a message name, found '{'", range: R(0, 8, 0, 9) });
    assert.deepEqual(parse('foo;\nmessage A {}').errors, [{ message: "expected 'message', 'enum', 'service', 'import', 'package', 'option' or 'syntax', found 'foo'", range: R(0, 0, 0, 3) }]);
  });

  test('numbers too large for an integer are syntax errors', () => {
    const f = parse('message A { optional int32 a = 99999999999999999999; optional int32 b = 1; }\nenum E { Z = 0; BIG = -99999999999999999999; }');
    assert.deepEqual(f.errors, [
      { message: 'integer 99999999999999999999 is too large', range: R(0, 31, 0, 51) },
      { message: 'integer 99999999999999999999 is too large', range: R(1, 23, 1, 43) },
    ]);
    assert.deepEqual(msg(f, 'A').fields.map((x) => [x.name, x.number]), [['a', undefined], ['b', 1]]);
  });

  test(`nesting deeper than MAX_NESTING (${MAX_NESTING}) is skipped with an error`, () => {
    const nest = (n: number, inner: string): string => 'message M {'.repeat(n) + inner + '}'.repeat(n);
    const okDepth = parse(`${nest(MAX_NESTING, 'optional int32 x = 1;')}\nmessage After {}`);
    assert.deepEqual(okDepth.errors, []);
    let m: MessageNode | undefined = okDepth.messages[0];
    let depth = 0;
    while (m?.messages[0]) { m = m.messages[0]; depth++; }
    assert.equal(depth + 1, MAX_NESTING);
    assert.deepEqual(m!.fields.map((x) => x.name), ['x']);

    const deep = parse(`${nest(MAX_NESTING + 1, 'optional int32 x = 1;')}\nmessage After { optional int32 y = 1; }`);
    const col = 'message M '.length + (MAX_NESTING) * 'message M {'.length;
    assert.deepEqual(deep.errors, [{ message: `nesting deeper than ${MAX_NESTING} levels is not supported; block skipped`, range: R(0, col, 0, col + 1) }]);
    m = deep.messages[0];
    depth = 0;
    while (m?.messages[0]) { m = m.messages[0]; depth++; }
    assert.equal(depth, MAX_NESTING);
    assert.deepEqual(m!.fields, []);
    assert.deepEqual(deep.messages.map((x) => x.name), ['M', 'After']);
    assert.deepEqual(msg(deep, 'After').fields.map((x) => x.name), ['y']);
  });

  test('a file on one line (generated, minified) parses in work linear in its length', () => {
    // Each block asked its keyword's column from the start of the line: 20,000 messages on a line took 14 s to check.
    // The work is counted, not timed: the characters the parser and lexer read (String.prototype.charCodeAt, their
    // way of reading the text), about 2 a character; counting from the line's start read 500 to 2,000 at these sizes.
    const oneLine = (n: number, sep: string): string =>
      'syntax = "proto3"; package runtime.v1;' + Array.from({ length: n }, (_, i) => `${sep}message M${i} { int32 f = 1; }`).join('');
    for (const sep of [' ', '\t']) {
      for (const n of [2_000, 4_000]) {
        const text = oneLine(n, sep);
        const { result: f, calls } = countCharCodeAt(() => parse(text));
        assert.deepEqual(f.errors, []);
        assert.equal(f.messages.length, n);
        assert.ok(calls <= 8 * text.length, `${JSON.stringify(sep)}, ${n} messages: ${calls} characters read for ${text.length} (${(calls / text.length).toFixed(1)} a character)`);
      }
      // And the large file parses whole.
      const N = 20_000;
      const f = parse(oneLine(N, sep));
      assert.deepEqual(f.errors, []);
      assert.equal(f.messages.length, N);
      assert.equal(f.messages.at(-1)!.name, `M${N - 1}`);
    }
  });

  test('10,000 levels of nesting: no stack overflow, one error, the rest parses', () => {
    const N = 10_000;
    for (const sep of ['', '\n']) {
      const text = 'syntax = "proto3";\n' + 'message M {'.repeat(N) + sep + 'enum E { Z = 0; }'.repeat(1) + '}'.repeat(N) + '\nmessage After { int32 y = 1; }\n';
      // Work counted, not timed: the skipped levels are read once, not once per level.
      const { result: [f, b], calls } = countCharCodeAt(() => { const f = parse(text); return [f, bind(f, 'x')] as const; });
      assert.ok(calls <= 8 * text.length, `${JSON.stringify(sep)}: ${calls} characters read for ${text.length}`);
      assert.deepEqual(f.errors.map((e) => e.message), [`nesting deeper than ${MAX_NESTING} levels is not supported; block skipped`]);
      assert.deepEqual(f.messages.map((m) => m.name), ['M', 'After']);
      assert.equal(b.model.messages.length, MAX_NESTING + 1 + 1);
      assert.equal(b.model.messages[MAX_NESTING]!.fqn, Array(MAX_NESTING + 1).fill('M').join('.'));
      assert.deepEqual(b.problems.map((p) => p.code), ['syntax']);
      assert.deepEqual(b.model.messages.at(-1)!.fields.map((x) => x.name), ['y']);
    }
    // Unbalanced: 10,000 opening braces and none closed.
    const open = parse('message M {'.repeat(N));
    // One error per position: the 64 unclosed blocks all end at the end of the file.
    assert.deepEqual(open.errors.map((e) => e.message), [`nesting deeper than ${MAX_NESTING} levels is not supported; block skipped`, "expected '}' before end of file"]);
    // Aggregate option values are balanced iteratively.
    const agg = parse(`option (x) = ${'{a '.repeat(N)}${'}'.repeat(N)};\nmessage After {}`);
    assert.deepEqual(agg.errors, []);
    assert.equal(agg.options[0]!.value, '{a '.repeat(N) + '}'.repeat(N));
    assert.deepEqual(agg.messages.map((m) => m.name), ['After']);
  });
});

// ---- binder: problems ----------------------------------------------------------------------------------

describe('binder: problems', () => {
  test('field numbers: 0, above 536870911, and 19000 to 19999', () => {
    const text = lines(
      'syntax = "proto3";',
      'message A {',
      '  int32 a = 0;',
      '  int32 b = 536870911;',
      '  int32 c = 536870912;',
      '  int32 d = 18999;',
      '  int32 e = 19000;',
      '  int32 f = 19999;',
      '  int32 g = 20000;',
      '  int32 h = 0x1;',
      '}',
    );
    assert.deepEqual(problems(text), [
      { code: 'number-out-of-range', message: 'field number 0 is out of range (1 to 536870911)', range: R(2, 12, 2, 13), severity: 'error' },
      { code: 'number-out-of-range', message: 'field number 536870912 is out of range (1 to 536870911)', range: R(4, 12, 4, 21), severity: 'error' },
      { code: 'number-reserved-by-protobuf', message: 'field numbers 19000 to 19999 are reserved for the protobuf implementation', range: R(6, 12, 6, 17), severity: 'error' },
      { code: 'number-reserved-by-protobuf', message: 'field numbers 19000 to 19999 are reserved for the protobuf implementation', range: R(7, 12, 7, 17), severity: 'error' },
    ]);
  });

  // buf 1.75: "field number out of range" on the number and its sign; protoc "Expected field number.".
  test('a negative field number, reserved number or extension range is out of range, one error', () => {
    const text = lines(
      'syntax = "proto2";',
      'message M1 { optional int32 a = -1; optional group G = -2 {} }',
      'message M2 { reserved -1, 3 to -4; extensions -5 to 10; }',
      'extend M2 { optional int32 x = -3; }',
    );
    const out = (message: string, needle: string, from = 0) => ({ code: 'number-out-of-range', message, range: loc(text, needle, from), severity: 'error' });
    assert.deepEqual(problems(text), [
      out('field number -1 is out of range (1 to 536870911)', '-1'),
      out('field number -2 is out of range (1 to 536870911)', '-2'),
      out('reserved range -1 to -1 is out of range (1 to 536870911)', '-1', 1),
      { code: 'invalid-range', message: 'reserved range 3 to -4 ends before it starts', range: loc(text, '3 to -4'), severity: 'error' },
      out('extension range -5 to 10 is out of range (1 to 536870911)', '-5 to 10'),
      out('field number -3 is out of range (1 to 536870911)', '-3'),
    ]);
  });

  // protoc parses an extension first in an extend block; buf: "message extension block must declare at least one
  // message extension".
  test('an extend block with no extension is an error on its extendee', () => {
    const text = lines('syntax = "proto2";', 'message A { extensions 100 to 200; }', 'extend A { }', 'extend A { optional int32 x = 100; }');
    assert.deepEqual(problems(text), [{ code: 'invalid-extension', message: 'the extend block of "A" declares no extension', range: loc(text, 'A', 1), severity: 'error' }]);
  });

  test('enum values outside int32', () => {
    const text = 'syntax = "proto3";\nenum E { Z = 0; MAX = 2147483647; MIN = -2147483648; OVER = 2147483648; UNDER = -2147483649; }';
    assert.deepEqual(problems(text), [
      { code: 'number-out-of-range', message: 'enum value 2147483648 is out of the int32 range', range: loc(text, '2147483648', 1), severity: 'error' },
      { code: 'number-out-of-range', message: 'enum value -2147483649 is out of the int32 range', range: loc(text, '-2147483649'), severity: 'error' },
    ]);
  });

  test('duplicate numbers and names: fields, types, enum values, rpcs', () => {
    const text = lines(
      'syntax = "proto3";',
      'message A {',
      '  int32 x = 1;',
      '  int32 y = 1;',
      '  string x = 2;',
      '  message N {}',
      '  enum N { N0 = 0; }',
      '}',
      'message A {}',
      'enum A { A0 = 0; }',
      'enum E { Z = 0; Z = 1; W = 1; }',
      'enum F { option allow_alias = true; F0 = 0; F1 = 0; }',
      'service S { rpc R (A) returns (A); rpc R (A) returns (A); }',
      'message J { int32 foo_bar = 1; int32 fooBar = 2; }',
    );
    // Declarations first (messages, then enums), then each message's fields, then enums, then services.
    assert.deepEqual(problems(text).map((p) => [p.code, p.message, p.range]), [
      ['duplicate-name', '"A.N" is already defined', R(6, 7, 6, 8)],
      ['duplicate-name', '"A" is already defined', R(8, 8, 8, 9)],
      ['duplicate-name', '"A" is already defined', R(9, 5, 9, 6)],
      ['duplicate-number', 'field number 1 is already used by "x"', R(3, 12, 3, 13)],
      ['duplicate-name', 'field "x" is already defined in "A"', R(4, 9, 4, 10)],
      ['duplicate-json-name', 'JSON name "fooBar" of "fooBar" conflicts with field "foo_bar"', loc(text, 'fooBar')],
      ['duplicate-name', 'enum value "Z" is already defined', R(10, 16, 10, 17)],
      ['duplicate-number', 'enum value number 1 is already used by "Z" (set option allow_alias = true to allow aliases)', R(10, 27, 10, 28)],
      ['duplicate-name', 'rpc "R" is already defined in "S"', R(12, 39, 12, 40)],
    ]);
  });

  test('reserved numbers and names used by fields and enum values', () => {
    const text = lines(
      'syntax = "proto3";',
      'message A {',
      '  reserved 2, 4 to 6, 100 to max;',
      '  reserved "foo";',
      '  int32 foo = 1;',
      '  int32 b = 5;',
      '  int32 c = 536870911;',
      '  int32 ok = 3;',
      '}',
      'enum E {',
      '  reserved 3, 10 to max;',
      '  reserved "R";',
      '  Z = 0;',
      '  R = 1;',
      '  T = 3;',
      '  TOP = 2147483647;',
      '}',
    );
    assert.deepEqual(problems(text).map((p) => [p.code, p.message, p.range]), [
      ['uses-reserved', 'field name "foo" is reserved', loc(text, 'foo', 1)],
      ['uses-reserved', 'field "b" uses reserved number 5', R(5, 12, 5, 13)],
      ['uses-reserved', 'field "c" uses reserved number 536870911', loc(text, '536870911')],
      ['uses-reserved', 'enum value name "R" is reserved', R(13, 2, 13, 3)],
      ['uses-reserved', 'enum value "T" uses reserved number 3', R(14, 6, 14, 7)],
      ['uses-reserved', 'enum value "TOP" uses reserved number 2147483647', loc(text, '2147483647')],
    ]);
    assert.deepEqual(problems('message A { reserved 5 to 3; }'), [
      { code: 'invalid-range', message: 'reserved range 5 to 3 ends before it starts', range: R(0, 21, 0, 27), severity: 'error' },
    ]);
  });

  test('first enum value must be zero in proto3 only; empty enums', () => {
    const text = 'syntax = "proto3";\nenum E { A = 1; B = 0; }\nmessage M { enum Inner { X = 2; } }';
    assert.deepEqual(problems(text).map((p) => [p.code, p.message, p.range]), [
      ['enum-first-not-zero', 'the first value of a proto3 enum must be 0, so that it can be the default', R(2, 29, 2, 30)],
      ['enum-first-not-zero', 'the first value of a proto3 enum must be 0, so that it can be the default', R(1, 13, 1, 14)],
    ]);
    assert.deepEqual(problems('syntax = "proto2";\nenum E { A = 1; }'), []);
    assert.deepEqual(problems('enum E {}').map((p) => [p.code, p.message, p.range]), [['enum-empty', 'enum "E" must have at least one value', R(0, 0, 0, 9)]]);
  });

  test('labels: required in proto3, missing in proto2', () => {
    assert.deepEqual(problems('syntax = "proto3";\nmessage A { required int32 x = 1; optional int32 y = 2; }').map((p) => [p.code, p.message, p.range]), [
      ['proto3-required', 'required fields are not allowed in proto3', R(1, 12, 1, 20)],
    ]);
    assert.deepEqual(problems('syntax = "proto2";\nmessage A { int32 x = 1; oneof o { int32 y = 2; } map<string, int32> m = 3; }').map((p) => [p.code, p.message, p.range]), [
      ['proto2-label', 'field "x" needs a label (optional, required or repeated) in proto2', R(1, 12, 1, 17)],
    ]);
    const m = bindText('syntax = "proto3";\nmessage A { optional int32 x = 1; int32 y = 2; }').model.messages[0]!;
    assert.deepEqual(m.fields.map((x) => x.label), ['optional', 'implicit']);
  });

  test('unresolved types are errors at the written type', () => {
    const text = lines(
      'syntax = "proto3";',
      'message A {',
      '  Missing a = 1;',
      '  map<string, Gone> m = 2;',
      '  repeated .A.Nope n = 3;',
      '}',
      'service S { rpc R (NoReq) returns (A); rpc Q (A) returns (stream NoRes); }',
      'extend NoSuch { int32 e = 100; }',
    );
    const b = bindText(text);
    assert.deepEqual(b.problems.map((p) => [p.code, p.message, p.range, p.severity]), [
      ['unresolved-type', 'unknown type "Missing"', loc(text, 'Missing'), 'error'],
      ['unresolved-type', 'unknown type "Gone"', loc(text, 'Gone'), 'error'],
      ['unresolved-type', 'unknown type ".A.Nope"', loc(text, '.A.Nope'), 'error'],
      ['unresolved-type', 'unknown type "NoReq"', loc(text, 'NoReq'), 'error'],
      ['unresolved-type', 'unknown type "NoRes"', loc(text, 'NoRes'), 'error'],
      ['unresolved-type', 'unknown type "NoSuch"', loc(text, 'NoSuch'), 'error'],
    ]);
    assert.deepEqual(b.model.messages[0]!.fields.map((x) => [x.type, x.typeKind]), [['Missing', 'unresolved'], ['map<string,Gone>', 'map'], ['.A.Nope', 'unresolved']]);
  });

  test('types of the wrong kind', () => {
    const text = 'syntax = "proto3";\nenum E { Z = 0; }\nservice S { rpc R (E) returns (E); }\nmessage M { S s = 1; }';
    assert.deepEqual(problems(text).map((p) => [p.code, p.message, p.range]), [
      ['not-a-type', '"S" is a service, not a message or enum', R(3, 12, 3, 13)],
      ['not-a-message', 'rpc R needs a message type, but "E" is a enum', R(2, 19, 2, 20)],
      ['not-a-message', 'rpc R needs a message type, but "E" is a enum', R(2, 31, 2, 32)],
    ]);
  });

  // Marked on the key type, where buf 1.75 marks it ("expected map key type, found scalar type `double`").
  test('map keys must be integral, bool or string', () => {
    const valid = ['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'bool', 'string'];
    const good = `syntax = "proto3";\nmessage A {\n${valid.map((k, i) => `  map<${k}, string> m${i} = ${i + 1};`).join('\n')}\n}`;
    assert.deepEqual(problems(good), []);
    const text = 'syntax = "proto3";\nenum E { Z = 0; }\nmessage A { map<double, string> a = 1; map< float /* k */, A> b = 2; map<bytes, int32> c = 3; map<.A, int32> d = 4; map<E, int32> e = 5; }';
    assert.deepEqual(problems(text).map((p) => [p.code, p.message, p.range]), [
      ['invalid-map-key', 'map key type must be an integer type, bool or string, not "double"', loc(text, 'double')],
      ['invalid-map-key', 'map key type must be an integer type, bool or string, not "float"', loc(text, 'float')],
      ['invalid-map-key', 'map key type must be an integer type, bool or string, not "bytes"', loc(text, 'bytes')],
      ['invalid-map-key', 'map key type must be an integer type, bool or string, not ".A"', loc(text, '.A')],
      ['invalid-map-key', 'map key type must be an integer type, bool or string, not "E"', loc(text, 'E', 1)],
    ]);
    const noKey = 'syntax = "proto3";\nmessage A { map<, string> a = 1; }';
    assert.deepEqual(problems(noKey).map((p) => [p.code, p.message, p.range]), [['syntax', 'the map type has no key type: a map is written map<key, value>', loc(noKey, 'map<, string>')]]);
    // A key type that names nothing is unknown, as protoc says ("\"Nope\" is not defined") and buf ("cannot find `Nope`").
    const unknown = 'syntax = "proto3";\nmessage A { map<Nope, string> a = 1; map<A.Gone, A> b = 2; }';
    assert.deepEqual(problems(unknown).map((p) => [p.code, p.message, p.range]), [
      ['unresolved-type', 'unknown type "Nope"', loc(unknown, 'Nope')],
      ['unresolved-type', 'unknown type "A.Gone"', loc(unknown, 'A.Gone')],
    ]);
  });

  test('unresolved imports are warnings naming the import; well-known imports resolve', () => {
    const text = 'syntax = "proto3";\nimport "github.com/gogo/protobuf/gogoproto/gogo.proto";\nimport "google/protobuf/timestamp.proto";\nmessage A { google.protobuf.Timestamp t = 1; .google.protobuf.Timestamp u = 2; }';
    assert.deepEqual(problems(text), [{
      code: 'unresolved-import',
      message: 'import "github.com/gogo/protobuf/gogoproto/gogo.proto" was not found (no import paths are configured); types from it are not checked',
      range: loc(text, '"github.com/gogo/protobuf/gogoproto/gogo.proto"'),
      severity: 'warning',
    }]);
    const b = bindText(text);
    assert.deepEqual(b.model.messages[0]!.fields.map((x) => [x.type, x.typeKind]), [['google.protobuf.Timestamp', 'message'], ['google.protobuf.Timestamp', 'message']]);
    const tried: ImportResolver = { resolve: () => ({ tried: ['/inc/a', '/inc/b'] }) };
    assert.deepEqual(problems('import "x/y.proto";', tried).map((p) => [p.severity, p.message]), [
      ['warning', 'import "x/y.proto" was not found (looked in /inc/a, /inc/b); types from it are not checked'],
    ]);
    assert.deepEqual(problems('syntax = "proto3";\nmessage A { google.protobuf.Timestamp t = 1; }').map((p) => p.code), ['unresolved-type']);
  });

  test('resolved imports: direct and public imports are visible, others are not', () => {
    const files: Record<string, string> = {
      'dep.proto': 'syntax = "proto3";\npackage dep;\nimport public "pub.proto";\nimport "priv.proto";\nmessage D { message In {} }\nenum DE { DZ = 0; }',
      'pub.proto': 'syntax = "proto3";\npackage pub.sub;\nmessage P {}',
      'priv.proto': 'syntax = "proto3";\npackage priv;\nmessage Q {}',
    };
    const resolver: ImportResolver = {
      resolve: (p) => (files[p] !== undefined ? { uri: `file:///inc/${p}`, text: files[p]! } : { tried: ['/inc'] }),
    };
    const text = lines(
      'syntax = "proto3";',
      'package me;',
      'import "dep.proto";',
      'message M {',
      '  dep.D d = 1;',
      '  .dep.D.In i = 2;',
      '  dep.DE e = 3;',
      '  pub.sub.P p = 4;',
      '  priv.Q q = 5;',
      '}',
    );
    const b = bindText(text, resolver);
    assert.deepEqual(b.problems.map((p) => [p.code, p.message, p.range]), [['unresolved-type', 'unknown type "priv.Q"', loc(text, 'priv.Q')]]);
    assert.deepEqual(b.model.messages[0]!.fields.map((x) => [x.type, x.typeKind]), [
      ['dep.D', 'message'], ['dep.D.In', 'message'], ['dep.DE', 'enum'], ['pub.sub.P', 'message'], ['priv.Q', 'unresolved'],
    ]);
    assert.equal(b.declarations.get('dep.D')?.uri, 'file:///inc/dep.proto');
    // Duplicates with an imported file are reported with the other file's import path, as written.
    assert.deepEqual(bindText('syntax = "proto3";\npackage dep;\nimport "dep.proto";\nmessage D {}', resolver).problems.map((p) => p.message), [
      '"dep.D" is already defined (also declared in "dep.proto")',
    ]);
  });
});

// ---- binder: type resolution ---------------------------------------------------------------------------

describe('binder: type resolution', () => {
  test('relative, fully-qualified, nested scopes and package prefixes, as protoc resolves them', () => {
    const text = lines(
      'syntax = "proto3";',
      'package a.b;',
      'message X {}',
      'message Outer {',
      '  message X { message Y {} }',
      '  X f1 = 1;',
      '  .a.b.X f2 = 2;',
      '  X.Y f3 = 3;',
      '  b.X f4 = 4;',
      '  a.b.Outer.X.Y f5 = 5;',
      '  Inner.Z f6 = 6;',
      '  message Inner { enum Z { Z0 = 0; } Outer.X g = 1; X h = 2; }',
      '  Outer f7 = 7;',
      '  .a.b.Outer.X f8 = 8;',
      '  X.Nope f9 = 9;',
      '  .X f10 = 10;',
      '  a f11 = 11;',
      '  b f12 = 12;',
      '}',
      'message User { b.X x = 1; X y = 2; Outer.X.Y z = 3; }',
    );
    const b = bindText(text);
    assert.deepEqual(b.references.map((r) => [r.written, r.target]), [
      ['X', 'a.b.Outer.X'],
      ['.a.b.X', 'a.b.X'],
      ['X.Y', 'a.b.Outer.X.Y'],
      ['b.X', 'a.b.X'],
      ['a.b.Outer.X.Y', 'a.b.Outer.X.Y'],
      ['Inner.Z', 'a.b.Outer.Inner.Z'],
      ['Outer', 'a.b.Outer'],
      ['.a.b.Outer.X', 'a.b.Outer.X'],
      // `X` is found in Outer, so protoc looks for Outer.X.Nope only.
      ['X.Nope', undefined],
      ['.X', undefined],
      // Packages are not types.
      ['a', undefined],
      ['b', undefined],
      ['Outer.X', 'a.b.Outer.X'],
      ['X', 'a.b.Outer.X'],
      ['b.X', 'a.b.X'],
      ['X', 'a.b.X'],
      ['Outer.X.Y', 'a.b.Outer.X.Y'],
    ]);
    assert.deepEqual(b.problems.map((p) => [p.code, p.message, p.range]), [
      ['unresolved-type', 'unknown type "X.Nope"', loc(text, 'X.Nope')],
      ['unresolved-type', 'unknown type ".X"', R(15, 2, 15, 4)],
      ['unresolved-type', 'unknown type "a"', R(16, 2, 16, 3)],
      ['unresolved-type', 'unknown type "b"', R(17, 2, 17, 3)],
    ]);
    const ref = b.references[1]!;
    assert.deepEqual(ref.range, loc(text, '.a.b.X'));
  });

  test('no package: names resolve from the root; references record ranges', () => {
    // proto3: a file without a syntax statement is proto2, whose fields need a label.
    const text = 'syntax = "proto3";\nmessage A { message B {} B b = 1; }\nmessage C { A.B ab = 1; .A a = 2; }\nservice S { rpc R (.A) returns (A.B); }';
    const b = bindText(text);
    assert.deepEqual(b.problems, []);
    assert.deepEqual(b.references.map((r) => [r.written, r.target, r.range]), [
      ['B', 'A.B', R(1, 25, 1, 26)],
      ['A.B', 'A.B', R(2, 12, 2, 15)],
      ['.A', 'A', R(2, 24, 2, 26)],
      ['.A', 'A', R(3, 19, 3, 21)],
      ['A.B', 'A.B', R(3, 32, 3, 35)],
    ]);
    assert.deepEqual(b.model.services[0]!.rpcs.map((r) => [r.request, r.response]), [['A', 'A.B']]);
  });

  test('declarations: packages, messages, enums, services', () => {
    const b = bindText('syntax = "proto3";\npackage x.y;\nmessage M { enum E { Z = 0; } }\nservice S {}');
    assert.deepEqual([...b.declarations.values()].map((d) => [d.fqn, d.kind]), [
      ['x', 'package'], ['x.y', 'package'], ['x.y.M', 'message'], ['x.y.M.E', 'enum'], ['x.y.S', 'service'],
    ]);
    assert.deepEqual(b.declarations.get('x.y.M')!.nameRange, R(2, 8, 2, 9));
  });
});
