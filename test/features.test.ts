// Editor features of the language service (symbols, definition, references, hover, folding) on a crafted
// file with exact expectations, and on real CRI api.proto files from the corpus.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze } from '../server/src/service';
import { Corpus, CORPUS_HELP, V1_PATH, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import type { BoundFile } from '../server/src/proto/binder';
import type { Position, Range } from '../server/src/proto/ast';
import { getDocumentSymbols, getWorkspaceSymbols } from '../server/src/features/symbols';
import { findDefinition, findReferences } from '../server/src/features/navigation';
import { doHover, fieldDefOf, formatDoc, hoverOf, rpcDefOf } from '../server/src/features/hover';
import { getFoldingRanges } from '../server/src/features/folding';
import { optionTargetAt } from '../server/src/features/optionTargets';
import { allElements, elementChainAt, fileElements, SpanIndex, targetAt, type Element, type Target } from '../server/src/features/positions';
import { rangeContains } from '../server/src/proto/ast';
import type { FieldNode, RpcNode } from '../server/src/proto/ast';
import { SymbolKind, type DocumentSymbol } from '../server/src/features/types';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import { buildHistoryFromModels, loadBundledHistory } from '../server/src/baseline/historyIndex';
import { historyQuery } from '../server/src/baseline/historyCommand';
import { elementPolicyHover, findingExplanation } from '../server/src/features/policyHover';
import { markdownToPlainText } from '../server/src/features/plainText';
import { FsImportResolver } from '../server/src/lsp/importResolver';
import { checkDocs } from '../server/src/docs/docRules';
import { compareModels } from '../server/src/compat/compare';
import { NEEDS_CORPUS, corpusText, replaceOnce } from './corpusText';

const repoRoot = (): string => findRepoRoot(__dirname);

const pos = (line: number, character: number): Position => ({ line, character });
const range = (sl: number, sc: number, el: number, ec: number): Range => ({ start: pos(sl, sc), end: pos(el, ec) });

// ---- crafted file --------------------------------------------------------------------------------------

const URI = 'file:///ws/demo.proto';
const LINES = [
  'syntax = "proto3";', //                                                    0
  '',
  'package demo.v1;', //                                                      2
  '',
  'import "google/protobuf/timestamp.proto";', //                             4
  'import "google/protobuf/empty.proto";', //                                 5
  '',
  '// Greeter says hello.', //                                                7
  '// Second line.',
  'service Greeter {', //                                                     9
  '  // SayHello greets.',
  '  rpc SayHello(HelloRequest) returns (stream HelloReply) {}', //         11
  '  rpc Ping(google.protobuf.Empty) returns (HelloReply) {', //            12
  '    option deprecated = true;',
  '  }',
  '}', //                                                                    15
  '',
  '// HelloRequest carries a name.',
  'message HelloRequest {', //                                               18
  '  string name = 1; // the name',
  '  Kind kind = 2;', //                                                     20
  '  map<string, Kind> kinds = 3;', //                                       21
  '  oneof choice {', //                                                     22
  '    int32 a = 4;',
  '    Inner inner = 5;', //                                                 24
  '  }',
  '  message Inner {', //                                                    26
  '    google.protobuf.Timestamp at = 1;',
  '  }',
  '}', //                                                                    29
  '',
  'message HelloReply {', //                                                 31
  '  repeated HelloRequest.Inner inners = 1 [deprecated = true];',
  '}',
  '',
  '/* Kind of', //                                                           35
  '   greeting. */',
  'enum Kind {', //                                                          37
  '  KIND_UNSPECIFIED = 0;',
  '  KIND_WARM = 1;',
  '}', //                                                                    40
  '',
];
const TEXT = LINES.join('\n');

function crafted(): BoundFile {
  const { bound } = analyze(TEXT, { uri: URI });
  assert.deepEqual(bound.problems, []);
  return bound;
}

/** `name kind [selection] detail tags` per symbol, indented by depth: compact and exact. */
function outline(symbols: DocumentSymbol[], depth = 0, out: string[] = []): string[] {
  for (const s of symbols) {
    const r = s.selectionRange;
    out.push(`${'  '.repeat(depth)}${s.name} ${s.kind} ${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`
      + `${s.detail ? ` "${s.detail}"` : ''}${s.tags ? ` tags=${s.tags.join(',')}` : ''}`);
    if (s.children) outline(s.children, depth + 1, out);
  }
  return out;
}

describe('features on a crafted file', () => {
  test('document symbols: tree, kinds, ranges, details, deprecation', () => {
    const symbols = getDocumentSymbols(crafted().ast);
    assert.deepEqual(outline(symbols), [
      'Greeter 11 9:8-9:15',
      '  SayHello 6 11:6-11:14 "(HelloRequest) returns (stream HelloReply)"',
      '  Ping 6 12:6-12:10 "(google.protobuf.Empty) returns (HelloReply)" tags=1',
      'HelloRequest 23 18:8-18:20',
      '  name 8 19:9-19:13 "string = 1"',
      '  kind 8 20:7-20:11 "Kind = 2"',
      '  kinds 8 21:20-21:25 "map<string, Kind> = 3"',
      '  choice 19 22:8-22:14',
      '    a 8 23:10-23:11 "int32 = 4"',
      '    inner 8 24:10-24:15 "Inner = 5"',
      '  Inner 23 26:10-26:15',
      '    at 8 27:30-27:32 "google.protobuf.Timestamp = 1"',
      'HelloReply 23 31:8-31:18',
      '  inners 8 32:30-32:36 "repeated HelloRequest.Inner = 1" tags=1',
      'Kind 10 37:5-37:9',
      '  KIND_UNSPECIFIED 22 38:2-38:18 "= 0"',
      '  KIND_WARM 22 39:2-39:11 "= 1"',
    ]);
    assert.deepEqual(symbols[0]!.range, range(9, 0, 15, 1));
    assert.deepEqual(symbols[1]!.children![3]!.range, range(22, 2, 25, 3));
    assert.equal(SymbolKind.Struct, 23);
  });

  test('workspace symbols: ranking, containers, dotted queries, limit', () => {
    const bound = crafted();
    const other = analyze('syntax = "proto3";\npackage other;\nmessage Hello {}\n', { uri: 'file:///ws/other.proto' }).bound;
    const hello = getWorkspaceSymbols([bound, other], 'hello');
    assert.deepEqual(hello.map((s) => `${s.name}|${s.containerName ?? ''}|${s.location.uri.slice(-11)}`), [
      'Hello|other|other.proto', // exact
      'HelloRequest|demo.v1|/demo.proto', // prefix, document order
      'HelloReply|demo.v1|/demo.proto',
      'SayHello|demo.v1.Greeter|/demo.proto', // substring
    ]);
    assert.deepEqual(hello[1]!.location.range, range(18, 8, 18, 20));
    assert.equal(hello[1]!.kind, SymbolKind.Struct);
    // Fields in a oneof are contained by the message; subsequence matches come last.
    assert.deepEqual(getWorkspaceSymbols([bound], 'innr').map((s) => `${s.name}|${s.containerName}`), [
      'inner|demo.v1.HelloRequest', 'Inner|demo.v1.HelloRequest', 'inners|demo.v1.HelloReply',
    ]);
    assert.deepEqual(getWorkspaceSymbols([bound], 'request.inner').map((s) => s.name), ['inner', 'Inner', 'at']);
    assert.equal(getWorkspaceSymbols([bound], '').length, 17);
    assert.equal(getWorkspaceSymbols([bound], '', { limit: 3 }).length, 3);
    assert.deepEqual(getWorkspaceSymbols([bound], 'zzz'), []);
    assert.deepEqual(getWorkspaceSymbols([bound], 'kind', { isCancelled: () => true }), []);
  });

  test('definition from references, declarations and imports', () => {
    const bound = crafted();
    // `Kind kind = 2;` → enum Kind
    assert.deepEqual(findDefinition(bound, pos(20, 2)), { uri: URI, range: range(37, 5, 37, 9) });
    assert.deepEqual(findDefinition(bound, pos(20, 6)), { uri: URI, range: range(37, 5, 37, 9) }); // end of the name
    // map value type, with and without the text to narrow the range
    assert.deepEqual(findDefinition(bound, pos(21, 15)), { uri: URI, range: range(37, 5, 37, 9) });
    assert.equal(findDefinition(bound, pos(21, 6)), null); // on `string`
    // nested, qualified and rpc references
    assert.deepEqual(findDefinition(bound, pos(24, 5)), { uri: URI, range: range(26, 10, 26, 15) });
    assert.deepEqual(findDefinition(bound, pos(32, 25)), { uri: URI, range: range(26, 10, 26, 15) });
    assert.deepEqual(findDefinition(bound, pos(11, 45)), { uri: URI, range: range(31, 8, 31, 18) });
    // declaration names lead to themselves; well-known types have no location
    assert.deepEqual(findDefinition(bound, pos(18, 12)), { uri: URI, range: range(18, 8, 18, 20) });
    assert.deepEqual(findDefinition(bound, pos(39, 4)), { uri: URI, range: range(39, 2, 39, 11) });
    assert.equal(findDefinition(bound, pos(27, 10)), null);
    // imports resolve through the callback
    assert.deepEqual(findDefinition(bound, pos(4, 12), { resolveImport: (p) => `file:///inc/${p}` }),
      { uri: 'file:///inc/google/protobuf/timestamp.proto', range: range(0, 0, 0, 0) });
    assert.equal(findDefinition(bound, pos(4, 12)), null);
    // nothing there, or no such position
    assert.equal(findDefinition(bound, pos(19, 16)), null); // on the number
    assert.equal(findDefinition(bound, pos(1, 0)), null);
    assert.equal(findDefinition(bound, pos(500, 0)), null);
    assert.equal(findDefinition(bound, pos(20, 9999)), null);
    assert.equal(findDefinition(bound, pos(-1, 0)), null);
    assert.equal(findDefinition(bound, { line: Number.NaN, character: 0 }), null);
  });

  test('references from a declaration and from a reference, across files', () => {
    const bound = crafted();
    const kindRefs = [
      { uri: URI, range: range(20, 2, 20, 6) },
      { uri: URI, range: range(21, 14, 21, 18) },
    ];
    assert.deepEqual(findReferences(bound, pos(37, 6), { includeDeclaration: true }),
      [{ uri: URI, range: range(37, 5, 37, 9) }, ...kindRefs]);
    // The map's value type, as written, is the reference.
    assert.deepEqual(findReferences(bound, pos(20, 3)), kindRefs);
    assert.deepEqual(findReferences(bound, pos(26, 12)), [
      { uri: URI, range: range(24, 4, 24, 9) },
      { uri: URI, range: range(32, 11, 32, 29) },
    ]);
    assert.deepEqual(findReferences(bound, pos(31, 10)), [
      { uri: URI, range: range(11, 45, 11, 55) },
      { uri: URI, range: range(12, 43, 12, 53) },
    ]);
    // Another file that refers to demo.v1.Kind by its full name.
    const otherText = 'syntax = "proto3";\npackage x;\nimport "demo.proto";\nmessage M { demo.v1.Kind k = 1; }\n';
    const other = analyze(otherText, {
      uri: 'file:///ws/x.proto', imports: { resolve: () => ({ uri: URI, text: TEXT }) },
    }).bound;
    assert.deepEqual(other.problems, []);
    assert.deepEqual(findReferences(bound, pos(37, 6), { others: [{ bound: other }] }),
      [...kindRefs, { uri: 'file:///ws/x.proto', range: range(3, 12, 3, 24) }]);
    // and from the other file, definition lands in ours
    assert.deepEqual(findDefinition(other, pos(3, 20)), { uri: URI, range: range(37, 5, 37, 9) });
    // fields have no type references: only their declaration, when asked
    assert.deepEqual(findReferences(bound, pos(19, 10)), []);
    assert.deepEqual(findReferences(bound, pos(19, 10), { includeDeclaration: true }), [{ uri: URI, range: range(19, 9, 19, 13) }]);
    assert.deepEqual(findReferences(bound, pos(300, 1)), []);
  });

  test('hover on references and declarations, with the extension point', () => {
    const bound = crafted();
    assert.deepEqual(doHover(bound, pos(20, 3)), {
      contents: { kind: 'markdown', value: '```proto\nenum demo.v1.Kind\n```\n\nDeclared on line 38.\n\n---\n\nKind of\ngreeting.' },
      range: range(20, 2, 20, 6),
    });
    assert.deepEqual(doHover(bound, pos(9, 10))?.contents.value,
      '```proto\nservice demo.v1.Greeter\n```\n\n---\n\nGreeter says hello.\nSecond line.');
    assert.equal(doHover(bound, pos(11, 8))?.contents.value,
      '```proto\nrpc demo.v1.Greeter.SayHello\nrpc SayHello(demo.v1.HelloRequest) returns (stream demo.v1.HelloReply)\n```\n\n'
      + '---\n\nSayHello greets.');
    assert.equal(doHover(bound, pos(21, 22))?.contents.value,
      '```proto\nfield demo.v1.HelloRequest.kinds\nmap<string, demo.v1.Kind> kinds = 3\n```');
    // trailing comment as doc when there is no leading one
    assert.equal(doHover(bound, pos(19, 10))?.contents.value,
      '```proto\nfield demo.v1.HelloRequest.name\nstring name = 1\n```\n\n---\n\nthe name');
    assert.equal(doHover(bound, pos(32, 31))?.contents.value,
      '```proto\nfield demo.v1.HelloReply.inners\nrepeated demo.v1.HelloRequest.Inner inners = 1\n```');
    assert.equal(doHover(bound, pos(39, 3))?.contents.value,
      '```proto\nenum value demo.v1.Kind.KIND_WARM\nKIND_WARM = 1\n```');
    assert.equal(doHover(bound, pos(27, 20))?.contents.value,
      '```proto\nmessage google.protobuf.Timestamp\n```\n\nWell-known type bundled with protobuf.');
    assert.equal(doHover(bound, pos(2, 14))?.contents.value, '```proto\npackage demo.v1\n```');
    assert.equal(doHover(bound, pos(2, 10))?.contents.value, '```proto\npackage demo\n```');
    assert.equal(doHover(bound, pos(5, 10))?.contents.value, "Import of `google/protobuf/empty.proto`: resolves to a file of protobuf's that cri-compat bundles (package `google.protobuf`); nothing is read from disk.");
    // A path with backticks cannot end its code span and slip markdown (an image the editor would fetch) in.
    const hostile = parse('syntax = "proto3";\nimport "a`![t](https://example.invalid/t.png)`.proto";\n');
    assert.equal(doHover(bind(hostile, 'file:///ws/h.proto'), pos(1, 10))?.contents.value, 'Import of ``a`![t](https://example.invalid/t.png)`.proto``.');
    assert.equal(doHover(bound, pos(19, 16)), null);
    assert.equal(doHover(bound, pos(1000, 0)), null);

    // extraHover gets the element path and adds a section; failures and undefined add nothing.
    const seen: string[] = [];
    const extraHover = (p: string): string | undefined => {
      seen.push(p);
      if (p === 'demo.v1.Kind') return '**Introduced** in v0.1.0';
      if (p === 'demo.v1.HelloRequest') throw new Error('boom');
      return undefined;
    };
    assert.equal(doHover(bound, pos(37, 6), { extraHover })?.contents.value,
      '```proto\nenum demo.v1.Kind\n```\n\n---\n\nKind of\ngreeting.\n\n---\n\n**Introduced** in v0.1.0');
    assert.equal(doHover(bound, pos(18, 10), { extraHover })?.contents.value,
      '```proto\nmessage demo.v1.HelloRequest\n```\n\n---\n\nHelloRequest carries a name.');
    doHover(bound, pos(21, 22), { extraHover });
    doHover(bound, pos(39, 3), { extraHover });
    doHover(bound, pos(11, 8), { extraHover });
    assert.deepEqual(seen, ['demo.v1.Kind', 'demo.v1.HelloRequest', 'demo.v1.HelloRequest.kinds', 'demo.v1.Kind.KIND_WARM', 'demo.v1.Greeter.SayHello']);
  });

  test('hover on an unresolved type and on a type from an imported file', () => {
    const text = 'syntax = "proto3";\npackage p;\nimport "dep/d.proto";\nmessage M {\n  Missing a = 1;\n  q.Dep b = 2;\n}\n';
    const dep = 'syntax = "proto3";\npackage q;\n// Dep is imported.\nmessage Dep {}\n';
    const { bound } = analyze(text, { uri: 'file:///ws/m.proto', imports: { resolve: () => ({ uri: 'file:///ws/dep/d.proto', text: dep }) } });
    assert.equal(doHover(bound, pos(4, 3))?.contents.value, 'Unknown type `Missing`: it is not declared in this file or its imports.');
    assert.equal(doHover(bound, pos(5, 3))?.contents.value,
      '```proto\nmessage q.Dep\n```\n\nDeclared in `d.proto` on line 4.\n\n---\n\nDep is imported.');
    assert.deepEqual(findDefinition(bound, pos(5, 3)), { uri: 'file:///ws/dep/d.proto', range: range(3, 8, 3, 11) });
  });

  test('formatDoc removes common indentation and blank edge lines', () => {
    assert.equal(formatDoc(' a\n   b\n'), 'a\n  b');
    assert.equal(formatDoc('\n\n x\n\n'), 'x');
    assert.equal(formatDoc(' Kind of\ngreeting. '), 'Kind of\ngreeting.');
    // No image would load when the hover shows; links stay links.
    assert.equal(formatDoc(' See ![logo](https://example.invalid/t.png) and ![x][ref].\n [ref]: https://example.invalid/r.png'),
      'See !\\[logo](https://example.invalid/t.png) and !\\[x][ref].\n[ref]: https://example.invalid/r.png');
    assert.equal(formatDoc(' See [KEP](https://example.invalid/kep).'), 'See [KEP](https://example.invalid/kep).');
  });

  test('formatDoc: placeholders in angle brackets stay text; code spans, code blocks, autolinks and escapes as written', () => {
    // `<size>` is an HTML tag to markdown: VS Code drops it from a hover, so it is escaped outside code.
    assert.equal(formatDoc(' The format <size><unit-prefix>B, as in `hugetlb.<hugepagesize>.limit`.'),
      'The format \\<size>\\<unit-prefix>B, as in `hugetlb.<hugepagesize>.limit`.');
    assert.equal(formatDoc(' a `` x ` <b> `` <c> ` unclosed <d>'), 'a `` x ` <b> `` \\<c> ` unclosed \\<d>');
    assert.equal(formatDoc(' \\<e> \\` <f> ` <g>'), '\\<e> \\` \\<f> ` \\<g>');
    assert.equal(formatDoc(' <https://example.invalid/x> 1 < 2 <!-- c --> </i>'), '<https://example.invalid/x> 1 < 2 \\<!-- c --> \\</i>');
    assert.equal(formatDoc(' para\n\n     <code> block\n\n ```\n <in fence>\n ```\n <out>'),
      'para\n\n~~~\n<code> block\n~~~\n\n~~~\n<in fence>\n~~~\n\\<out>');
  });

  test('folding: blocks, comments, imports', () => {
    const bound = crafted();
    assert.deepEqual(getFoldingRanges(bound.ast, TEXT), [
      { startLine: 4, endLine: 5, kind: 'imports' },
      { startLine: 7, endLine: 8, kind: 'comment' },
      { startLine: 9, endLine: 14 },
      { startLine: 12, endLine: 13 },
      { startLine: 18, endLine: 28 },
      { startLine: 22, endLine: 24 },
      { startLine: 26, endLine: 27 },
      { startLine: 31, endLine: 32 },
      { startLine: 35, endLine: 36, kind: 'comment' },
      { startLine: 37, endLine: 39 },
    ]);
    assert.deepEqual(getFoldingRanges(bound.ast, TEXT, { rangeLimit: 2 }), [
      { startLine: 9, endLine: 14 },
      { startLine: 18, endLine: 28 },
    ]);
  });

  test('folding: trailing comments, comment runs split by code, import runs split by statements', () => {
    const text = [
      'import "a.proto";', // 0
      'import "b.proto";',
      'option x = 1;', // 2
      'import "c.proto";',
      '',
      'import "d.proto";', // 5
      '// one',
      '// two', // 7
      'message M { // trailing', // 8
      '  int32 a = 1; // t1',
      '  // c1', // 10
      '  // c2',
      '  int32 b = 2;', // 12
      '}',
      '// end', // 14
      '// end2',
    ].join('\r\n');
    const { bound } = analyze(text, { uri: 'file:///f.proto' });
    assert.deepEqual(getFoldingRanges(bound.ast, text), [
      { startLine: 0, endLine: 1, kind: 'imports' },
      { startLine: 3, endLine: 5, kind: 'imports' },
      { startLine: 6, endLine: 7, kind: 'comment' },
      { startLine: 8, endLine: 12 },
      { startLine: 10, endLine: 11, kind: 'comment' },
      { startLine: 14, endLine: 15, kind: 'comment' },
    ]);
  });

  test('positions: element chain and targets', () => {
    const bound = crafted();
    assert.deepEqual(elementChainAt(bound.ast, pos(23, 12)).map((e) => `${e.kind}:${e.path}`),
      ['message:demo.v1.HelloRequest', 'oneof:demo.v1.HelloRequest.choice', 'field:demo.v1.HelloRequest.a']);
    assert.deepEqual(elementChainAt(bound.ast, pos(3, 0)), []);
    const t = targetAt(bound, pos(32, 12));
    assert.equal(t?.kind, 'reference');
    assert.equal(t?.kind === 'reference' && t.reference.target, 'demo.v1.HelloRequest.Inner');
  });

  test('broken input: no exceptions, sane ranges', () => {
    const text = 'syntax = "proto3";\nmessage {\n  int32 = 1;\n  Foo bar\nenum E { A = 0 \nservice S { rpc ( }\n';
    const { bound } = analyze(text, { uri: 'file:///broken.proto' });
    assert.ok(bound.problems.length > 0);
    const check = (ss: DocumentSymbol[]): void => {
      for (const s of ss) {
        assert.ok(s.name.length > 0);
        assert.ok(contains(s.range, s.selectionRange), `${s.name}: selection inside range`);
        if (s.children) check(s.children);
      }
    };
    check(getDocumentSymbols(bound.ast));
    getFoldingRanges(bound.ast, text);
    for (let line = 0; line < 8; line++) {
      for (let ch = 0; ch < 25; ch++) {
        doHover(bound, pos(line, ch));
        findDefinition(bound, pos(line, ch));
        findReferences(bound, pos(line, ch), { includeDeclaration: true });
      }
    }
  });
});

function contains(outer: Range, inner: Range): boolean {
  const le = (a: Position, b: Position): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

// ---- real api.proto from the corpus --------------------------------------------------------------------

const corpusDir = findCorpusDir(repoRoot());

describe('features on real CRI api.proto files', { skip: corpusDir ? false : CORPUS_HELP }, () => {
  const corpus = corpusDir ? new Corpus(corpusDir) : undefined;
  const latest = corpus?.goTags(V1_PATH).filter((r) => !r.prerelease).at(-1);
  const text = latest && corpus ? corpus.text(latest.blob) : '';
  const uri = 'file:///ws/api.proto';
  const lines = text.split('\n');
  /** Position of the n-th (0-based) occurrence of `needle` in the text, plus `offset` characters. */
  const find = (needle: string, offset = 0, nth = 0): Position => {
    let seen = 0;
    for (let l = 0; l < lines.length; l++) {
      let from = 0;
      for (;;) {
        const c = lines[l]!.indexOf(needle, from);
        if (c < 0) break;
        if (seen++ === nth) return pos(l, c + offset);
        from = c + 1;
      }
    }
    throw new Error(`"${needle}" not found in ${latest?.tag}`);
  };
  const span = (p: Position, len: number): Range => range(p.line, p.character, p.line, p.character + len);

  test('hover: placeholders of a real doc comment are escaped, code spans are not', () => {
    const { bound } = analyze(text, { uri });
    const hover = doHover(bound, find('page_size = 1', 8))!.contents.value;
    assert.match(hover, /the format \\<size>\\<unit-prefix>B \(2MB, 1GB\)/);
    assert.match(hover, /must match the \\<hugepagesize> of/);
    assert.match(hover, /`hugetlb\.<hugepagesize>\.limit_in_bytes`/);
  });

  test('binds without problems', () => {
    assert.ok(latest, 'a released v1 tag');
    assert.deepEqual(analyze(text, { uri }).bound.problems, []);
  });

  test('document symbols: services with their rpcs', () => {
    const { bound } = analyze(text, { uri });
    const symbols = getDocumentSymbols(bound.ast);
    const rs = symbols.find((s) => s.name === 'RuntimeService')!;
    assert.equal(rs.kind, SymbolKind.Interface);
    assert.deepEqual(rs.selectionRange, span(find('service RuntimeService {', 8), 'RuntimeService'.length));
    // The rpc names, in order, straight from the text of the service block.
    const start = rs.range.start.line;
    const end = rs.range.end.line;
    const expected = lines.slice(start, end + 1).map((l) => /^\s*rpc (\w+)\(/.exec(l)?.[1]).filter((x): x is string => !!x);
    assert.ok(expected.length > 30);
    assert.deepEqual(rs.children!.map((c) => c.name), expected);
    assert.ok(rs.children!.every((c) => c.kind === SymbolKind.Method));
    const version = rs.children![0]!;
    assert.deepEqual(version.detail, '(VersionRequest) returns (VersionResponse)');
    assert.deepEqual(version.selectionRange, span(find('rpc Version(', 4), 'Version'.length));
    const is = symbols.find((s) => s.name === 'ImageService')!;
    assert.ok(is.children!.some((c) => c.name === 'PullImage'));
    // Every message of the text is in the outline at top level (api.proto has `message PodIP{`).
    const topMessages = lines.map((l) => /^message (\w+)\s*\{/.exec(l)?.[1]).filter((x): x is string => !!x);
    assert.deepEqual(symbols.filter((s) => s.kind === SymbolKind.Struct).map((s) => s.name), topMessages);
  });

  test('definition, references and hover of a real type', () => {
    const { bound } = analyze(text, { uri });
    const decl = span(find('message PodSandboxConfig {', 8), 'PodSandboxConfig'.length);
    const ref = find('PodSandboxConfig config = 1;');
    assert.deepEqual(findDefinition(bound, ref), { uri, range: decl });
    assert.deepEqual(findDefinition(bound, find('rpc Version(VersionRequest)', 12)),
      { uri, range: span(find('message VersionRequest {', 8), 'VersionRequest'.length) });
    // references: every line that uses the name as a type
    const usedAt: Range[] = [];
    lines.forEach((l, k) => {
      const m = /^\s*(?:repeated )?PodSandboxConfig \w+ = \d+;/.exec(l);
      if (m) usedAt.push(span(pos(k, l.indexOf('PodSandboxConfig')), 'PodSandboxConfig'.length));
    });
    assert.ok(usedAt.length >= 2);
    assert.deepEqual(findReferences(bound, pos(decl.start.line, decl.start.character + 3), { includeDeclaration: true }),
      [{ uri, range: decl }, ...usedAt.map((r) => ({ uri, range: r }))]);
    // hover: kind, name, line and the doc comment above the declaration
    const docLines: string[] = [];
    for (let l = decl.start.line - 1; l >= 0 && /^\s*\/\//.test(lines[l]!); l--) docLines.unshift(lines[l]!.replace(/^\s*\/\/ ?/, ''));
    assert.ok(docLines.length > 0);
    const hover = doHover(bound, ref);
    assert.deepEqual(hover, {
      contents: {
        kind: 'markdown',
        value: `\`\`\`proto\nmessage runtime.v1.PodSandboxConfig\n\`\`\`\n\nDeclared on line ${decl.start.line + 1}.\n\n---\n\n${docLines.join('\n').trim()}`,
      },
      range: span(ref, 'PodSandboxConfig'.length),
    });
    // On the declaration itself, its line is where the cursor already is: the hover does not repeat it.
    const onDecl = doHover(bound, pos(decl.start.line, decl.start.character + 3))?.contents.value;
    assert.equal(onDecl, `\`\`\`proto\nmessage runtime.v1.PodSandboxConfig\n\`\`\`\n\n---\n\n${docLines.join('\n').trim()}`);
  });

  test('folding: license comment, services and messages', () => {
    const { bound } = analyze(text, { uri });
    const folds = getFoldingRanges(bound.ast, text);
    const licenseEnd = lines.findIndex((l) => l.trim() === '*/');
    assert.deepEqual(folds[0], { startLine: 0, endLine: licenseEnd, kind: 'comment' });
    const rs = find('service RuntimeService {').line;
    const rsEnd = lines.findIndex((l, k) => k > rs && l === '}');
    assert.ok(folds.some((f) => f.startLine === rs && f.endLine === rsEnd - 1 && f.kind === undefined));
    const pc = find('message PodSandboxConfig {').line;
    const pcEnd = lines.findIndex((l, k) => k > pc && l === '}');
    assert.ok(folds.some((f) => f.startLine === pc && f.endLine === pcEnd - 1));
  });

  test('workspace symbols over the real file', () => {
    const { bound } = analyze(text, { uri });
    const r = getWorkspaceSymbols([bound], 'PodSandboxConfig');
    assert.equal(r[0]!.name, 'PodSandboxConfig');
    assert.equal(r[0]!.containerName, 'runtime.v1');
    assert.ok(r.slice(1).every((s) => s.name.toLowerCase().includes('podsandboxconfig') || s.name.length > 16));
  });

  test('every api.proto in the corpus: outline and folding are well formed', () => {
    for (const blob of corpus!.blobs()) {
      const t = corpus!.text(blob);
      const { bound } = analyze(t, { uri: `file:///corpus/${blob}.proto` });
      const walk = (ss: DocumentSymbol[]): number => {
        let n = 0;
        for (const s of ss) {
          assert.ok(contains(s.range, s.selectionRange), `${blob}: ${s.name}`);
          n += 1 + (s.children ? walk(s.children) : 0);
        }
        return n;
      };
      assert.ok(walk(getDocumentSymbols(bound.ast)) > 100, blob);
      for (const f of getFoldingRanges(bound.ast, t)) assert.ok(f.endLine > f.startLine, blob);
    }
  });
});

// ---- policy hovers of renamed elements, plain-text hovers, refused imports -----------------------------------

describe('policy hover: a renamed element is not new', () => {
  /** The policy part of the hover on the first `needle` (at its `offset`th character). */
  const policyHover = (text: string, analysis: ReturnType<typeof analyze>, needle: string, offset = 1): string | undefined => {
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes(needle));
    assert.ok(line >= 0, needle);
    let extra: string | undefined;
    doHover(analysis.bound, pos(line, lines[line]!.indexOf(needle) + offset), {
      extraHover: (e) => (extra = elementPolicyHover(e, analysis.baseline, analysis.bound.model, analysis.findings)),
    });
    return extra;
  };

  test('examples/api.proto against v0.36.3: host_name was hostname; the report agrees', () => {
    const text = readFileSync(join(repoRoot(), 'examples', 'api.proto'), 'utf8');
    const history = loadBundledHistory();
    const model = history.modelAt('v0.36.3');
    assert.ok(model, 'v0.36.3 is in the bundled index');
    const baseline = { tag: 'v0.36.3', kubernetes: '1.36.3', source: 'bundled' as const, origin: 'test', model, history };
    const a = analyze(text, { uri: 'file:///ws/api.proto', baseline });
    assert.ok(a.findings.some((f) => f.rule === 'FIELD_RENAMED' && f.element === 'runtime.v1.PodSandboxConfig.host_name'), 'the fixture renames hostname');
    assert.ok(!a.additions.some((x) => x.element === 'runtime.v1.PodSandboxConfig.host_name'), 'the report does not list it as an addition');

    const renamed = policyHover(text, a, 'string host_name = 2', 'string '.length + 1)!;
    assert.doesNotMatch(renamed, /New since|will not have it/);
    assert.match(renamed, /^\*\*Renamed from `hostname`\*\*: field 2 was `hostname` in the baseline\. Only the name changed, so it is not new/);
    assert.match(renamed, /\*\*Release history\*\* of `hostname` \(/);
    // A number reused by another field is not new on the wire either, but its history is not this field's.
    const reused = policyHover(text, a, 'workdir_policy')!;
    assert.match(reused, /^\*\*Number 5 reused\*\*: it was `string working_dir` in the baseline/);
    assert.doesNotMatch(reused, /New since|Release history/);
    // Really new elements still are.
    assert.match(policyHover(text, a, 'rpc PauseContainer', 'rpc '.length + 1)!, /^\*\*New since v0\.36\.3\*\*/);
  });

  test('fields, enum values, types and RPCs renamed against a file without release history', () => {
    const OLD = [
      'syntax = "proto3";', 'package runtime.v1;',
      'service S {', '  rpc Do(Req) returns (Res) {}', '  rpc Keep(Req) returns (Res) {}', '}',
      'message Req { string a = 1; int32 n = 2; }', 'message Res { int64 count = 1; }',
      'message Outer { message Inner { string y = 1; } string x = 1; }',
      'enum E { E_A = 0; E_B = 1; }',
    ].join('\n');
    const NEW = [
      'syntax = "proto3";', 'package runtime.v1;',
      'service S {', '  rpc DoIt(Req) returns (Res) {}', '  rpc Keep(Req) returns (Res) {}', '}',
      'message Req { string b = 1; int32 n = 2; bool fresh = 3; }', 'message Res { int64 count = 1; }',
      'message Shell { message Inner { string y = 1; } string x = 1; }',
      'enum E { E_A = 0; E_C = 1; }',
    ].join('\n');
    const baseline = { tag: 'old.proto', source: 'path' as const, origin: 'file old.proto', model: bind(parse(OLD), 'file:///ws/old.proto').model };
    const a = analyze(NEW, { uri: 'file:///ws/new.proto', baseline });
    assert.deepEqual(a.findings.filter((f) => /RENAMED|RPC_NO_DELETE/.test(f.rule)).map((f) => f.rule).sort(),
      ['ENUM_VALUE_RENAMED', 'FIELD_RENAMED', 'MESSAGE_RENAMED', 'RPC_NO_DELETE']);

    assert.match(policyHover(NEW, a, 'string b = 1', 'string '.length)!, /^\*\*Renamed from `a`\*\*: field 1 was `a`/);
    assert.match(policyHover(NEW, a, 'E_C')!, /^\*\*Renamed from `E_B`\*\*: enum value 1 was `E_B`/);
    assert.match(policyHover(NEW, a, 'Shell')!, /^\*\*Renamed from `Outer`\*\*: the baseline's `runtime\.v1\.Outer` under a new name, so it is not new/);
    assert.match(policyHover(NEW, a, 'Inner')!, /^\*\*Not new\*\*: it is `runtime\.v1\.Outer\.Inner` of the baseline/);
    assert.match(policyHover(NEW, a, 'string y = 1', 'string '.length)!, /^\*\*Not new\*\*: it is `runtime\.v1\.Outer\.Inner\.y` of the baseline/);
    assert.match(policyHover(NEW, a, 'string x = 1', 'string '.length)!, /^\*\*Not new\*\*: it is `runtime\.v1\.Outer\.x` of the baseline/);
    // To gRPC a renamed RPC is a new method: said as both.
    const rpc = policyHover(NEW, a, 'DoIt')!;
    assert.match(rpc, /^\*\*Renamed from `Do`\*\*: .*calls to `Do` get Unimplemented/);
    assert.match(rpc, /\*\*New since the baseline\*\* old\.proto/);
    // Unchanged elements of a baseline without history are not new; new ones are.
    assert.equal(policyHover(NEW, a, 'int32 n = 2', 'int32 '.length), undefined);
    assert.equal(policyHover(NEW, a, 'rpc Keep', 'rpc '.length), undefined);
    assert.match(policyHover(NEW, a, 'bool fresh', 'bool '.length)!, /^\*\*New since the baseline\*\* old\.proto/);
  });

  test('v0.36.3 with a released value or field renumbered and a new one on its number: a reuse, not a rename', NEEDS_CORPUS, () => {
    const history = loadBundledHistory();
    const model = history.modelAt('v0.36.3');
    assert.ok(model, 'v0.36.3 is in the bundled index');
    const released = corpusText('v0.36.3');
    for (const baseline of [
      { tag: 'v0.36.3', kubernetes: '1.36.3', source: 'bundled' as const, origin: 'test', model, history },
      { tag: 'v0.36.3', source: 'path' as const, origin: 'test', model: bind(parse(released), 'file:///ws/old.proto').model },
    ]) {
      const hover = (text: string, needle: string, offset = 1): string => {
        const a = analyze(text, { uri: 'file:///ws/api.proto', baseline });
        return policyHover(text, a, needle, offset) ?? '';
      };
      // SCTP is still there, on 3: QUIC took its number.
      const moved = replaceOnce(released, '    SCTP = 2;\n', '    SCTP = 3;\n    QUIC = 2;\n');
      const quic = hover(moved, 'QUIC = 2');
      assert.match(quic, /^\*\*Number 2 reused\*\*: it was `SCTP` in the baseline, which is now 3, so the value is not new on the wire: peers built from earlier releases read it as `SCTP`\./, baseline.source);
      assert.doesNotMatch(quic, /Renamed from|Release history/, baseline.source);
      // Renamed in place, it still is a rename.
      assert.match(hover(replaceOnce(released, '    SCTP = 2;\n', '    QUIC = 2;\n'), 'QUIC = 2'), /^\*\*Renamed from `SCTP`\*\*: enum value 2 was `SCTP`/, baseline.source);
      // The same for a field of the same type: working_dir is still there, on 19.
      const field = replaceOnce(released, '    string working_dir = 5;\n', '    string working_dir = 19;\n    string workdir = 5;\n');
      const workdir = hover(field, 'string workdir = 5', 'string '.length + 1);
      assert.match(workdir, /^\*\*Number 5 reused\*\*: it was `string working_dir` in the baseline/, baseline.source);
      assert.doesNotMatch(workdir, /Renamed from/, baseline.source);
      assert.match(hover(replaceOnce(released, '    string working_dir = 5;\n', '    string workdir = 5;\n'), 'string workdir = 5', 'string '.length + 1),
        /^\*\*Renamed from `working_dir`\*\*: field 5 was `working_dir`/, baseline.source);
    }
    // A second name of a released number whose released name stays: an alias, not a rename.
    const aliases = (values: string): string => replaceOnce(released, 'enum Protocol {\n    TCP = 0;\n    UDP = 1;\n    SCTP = 2;\n}\n',
      `enum Protocol {\n    option allow_alias = true;\n    TCP = 0;\n    UDP = 1;\n${values}}\n`);
    const baseline = { tag: 'v0.36.3', source: 'path' as const, origin: 'test', model: bind(parse(aliases('    SCTP = 2;\n')), 'file:///ws/old.proto').model };
    const text = aliases('    SCTP = 2;\n    STREAM_CONTROL = 2;\n');
    const alias = policyHover(text, analyze(text, { uri: 'file:///ws/api.proto', baseline }), 'STREAM_CONTROL') ?? '';
    assert.match(alias, /^\*\*Alias of `SCTP`\*\*: a second name of enum value 2, which keeps its released name `SCTP`, so it is not new/);
    // Released with two names of 2: one of them staying is enough for an alias, as the comparison takes it.
    const two = { ...baseline, model: bind(parse(aliases('    SCTP = 2;\n    STREAM_CONTROL = 2;\n')), 'file:///ws/old.proto').model };
    const hoverOn = (t: string, needle: string): string => policyHover(t, analyze(t, { uri: 'file:///ws/api.proto', baseline: two }), needle) ?? '';
    assert.match(hoverOn(aliases('    SCTP = 3;\n    STREAM_CONTROL = 2;\n    QUIC = 2;\n'), 'QUIC'), /^\*\*Alias of `STREAM_CONTROL`\*\*/);
    assert.match(hoverOn(aliases('    SCTP = 3;\n    STREAM_CONTROL = 3;\n    QUIC = 2;\n'), 'QUIC'), /^\*\*Number 2 reused\*\*: it was `SCTP` in the baseline, which is now 3/);
    assert.match(hoverOn(aliases('    QUIC = 2;\n    STREAM_CONTROL = 3;\n'), 'QUIC'), /^\*\*Renamed from `SCTP`\*\*/);
  });

  test('a released field this file changes: its hover names the change, which the release history alone calls "unchanged"', NEEDS_CORPUS, () => {
    const history = loadBundledHistory();
    const model = history.modelAt('v0.36.3');
    assert.ok(model, 'v0.36.3 is in the bundled index');
    const baseline = { tag: 'v0.36.3', kubernetes: '1.36.3', source: 'bundled' as const, origin: 'test', model, history };
    const released = corpusText('v0.36.3');
    const text = replaceOnce(released, '    int64 oom_score_adj = 5;\n', '    int32 oom_score_adj = 5;\n');
    const a = analyze(text, { uri: 'file:///ws/api.proto', baseline });
    assert.ok(a.findings.some((f) => f.rule === 'FIELD_TYPE_CHANGED' && f.element === 'runtime.v1.LinuxContainerResources.oom_score_adj'));
    // On the name, away from the squiggle on the type.
    const hover = policyHover(text, a, 'oom_score_adj = 5') ?? '';
    assert.match(hover, /^\*\*Changed since v0\.36\.3\*\* \(not in a release yet\):\n\n- field .*oom_score_adj.* changed type from int64 to int32 \(baseline v0\.36\.3\); .* \(`FIELD_TYPE_CHANGED`\)\n/);
    assert.match(hover, /\*\*Release history\*\* \(unchanged since introduced\)/);
    // A field the file leaves alone shows the history only.
    assert.match(policyHover(text, a, 'cpu_period = 1') ?? '', /^\*\*Release history\*\*/);
  });

  test('an enum value is what the comparison reports: the first name of a number whose released name is gone is its rename, even beside a released alias', NEEDS_CORPUS, () => {
    const released = corpusText('v0.36.3');
    const protocol = (values: string): string => replaceOnce(released, 'enum Protocol {\n    TCP = 0;\n    UDP = 1;\n    SCTP = 2;\n}\n',
      `enum Protocol {\n    option allow_alias = true;\n    TCP = 0;\n    UDP = 1;\n${values}}\n`);
    const baseline = { tag: 'v0.36.3', source: 'path' as const, origin: 'test', model: bind(parse(protocol('    SCTP = 2;\n    STREAM_CONTROL = 2;\n')), 'file:///ws/old.proto').model };
    // SCTP is gone and QUIC, declared first, is what JSON writes for 2: the comparison reports SCTP renamed to it.
    const first = protocol('    QUIC = 2;\n    STREAM_CONTROL = 2;\n');
    const a = analyze(first, { uri: 'file:///ws/api.proto', baseline });
    const renamed = a.findings.find((f) => f.rule === 'ENUM_VALUE_RENAMED' && f.element === 'runtime.v1.Protocol.QUIC');
    assert.deepEqual(renamed?.fixes, [{ kind: 'rename', to: 'SCTP' }]);
    assert.match(policyHover(first, a, 'QUIC') ?? '', /^\*\*Renamed from `SCTP`\*\*: enum value 2 was `SCTP`/);
    // Declared after the released alias, it is one more name of STREAM_CONTROL's value, and no finding is about it.
    const after = protocol('    STREAM_CONTROL = 2;\n    QUIC = 2;\n');
    const b = analyze(after, { uri: 'file:///ws/api.proto', baseline });
    assert.ok(!b.findings.some((f) => f.element === 'runtime.v1.Protocol.QUIC' && /^ENUM_VALUE/.test(f.rule)), JSON.stringify(b.findings.map((f) => f.rule)));
    assert.match(policyHover(after, b, 'QUIC') ?? '', /^\*\*Alias of `STREAM_CONTROL`\*\*/);
  });
});

describe('plain text for clients without markdown', () => {
  test('emphasis, headings and escapes go; code keeps its text; links become "text (url)"', () => {
    const md = [
      '**FIELD_RENAMED** · JSON · error', '',
      'Field `host_name` was renamed; `` a`b `` stays.', '',
      '```proto', 'string host_name = 2;  // **not bold** [x](y)', '```', '',
      '- snake_case_name and 2*3*4 stay; *emph* and _under_ go; \\*literal\\*', '',
      '[Version skew policy](https://example.invalid/p) · [https://a.invalid](https://a.invalid) · <https://b.invalid>',
      '# Heading', '> quote', '---',
    ].join('\n');
    assert.equal(markdownToPlainText(md), [
      'FIELD_RENAMED · JSON · error', '',
      'Field host_name was renamed; a`b stays.', '',
      'string host_name = 2;  // **not bold** [x](y)', '',
      '- snake_case_name and 2*3*4 stay; emph and under go; *literal*', '',
      'Version skew policy (https://example.invalid/p) · https://a.invalid · https://b.invalid',
      'Heading', 'quote', '---',
    ].join('\n'));
  });
});

describe('imports refused for leaving the allowed folders', () => {
  test('say so, instead of "not found (no import paths are configured)"', () => {
    const text = 'syntax = "proto3";\npackage demo;\nimport "../outside.proto";\nimport "/etc/abs.proto";\n';
    const imports = new FsImportResolver({ roots: ['/some/dir'] });
    const messages = analyze(text, { uri: 'file:///nonexistent-ws/sub/a.proto', imports }).bound.problems
      .filter((p) => p.code === 'unresolved-import').map((p) => p.message);
    assert.deepEqual(messages, [
      'import "../outside.proto" was refused: ".." points outside the importing file\'s folder and the import paths; types from it are not checked',
      'import "/etc/abs.proto" was refused: an absolute path points outside the importing file\'s folder and the import paths; types from it are not checked',
    ]);
  });
});

// ---- policy hover: per-kind skew consequence, the release being prepared, discovery vs failing fast ----------

describe('policy hover: skew statements', () => {
  const FIELD_LINE = 'those runtimes drop it silently, so the kubelet must cope with it being unset';

  test('release history: what a runtime without the element does depends on its kind', () => {
    const history = loadBundledHistory();
    const model = history.modelAt('v0.36.3');
    assert.ok(model, 'v0.36.3 is in the bundled index');
    const baseline = { tag: 'v0.36.3', kubernetes: '1.36.3', source: 'bundled' as const, origin: 'test', model, history };
    const hover = (path: string): string => {
      assert.ok(history.element(path) && history.element(path)!.introduced !== history.releases[0]!.tag, `${path} came after the first release`);
      return elementPolicyHover(path, baseline, model)!;
    };
    const rpc = hover('runtime.v1.RuntimeService.RuntimeConfig');
    assert.match(rpc, /Kubelets 1\.28\.0-beta\.0–1\.31 know it and can be paired with runtimes built from cri-api v0\.25–v0\.27 or v0\.28\.0-alpha\.0–v0\.28\.0-alpha\.4, which do not\. Such a runtime answers the call with gRPC `Unimplemented`/);
    assert.doesNotMatch(rpc, /unset|drop/);
    // CgroupDriver came with its values (and RuntimeConfig) in 1.28: a runtime without the value has no such enum at all.
    assert.match(hover('runtime.v1.CgroupDriver.SYSTEMD'), /which do not\. Its enum came in Kubernetes 1\.28 too, so such a runtime knows neither: it neither reads nor sends fields of that enum\./);
    assert.match(hover('runtime.v1.SwapUsage'), /which do not\. Such a runtime has no use for the message/);
    // Added in 1.26 to a message of 1.22 that only travels in requests.
    const field = 'runtime.v1.WindowsSandboxSecurityContext.namespace_options';
    assert.match(hover(field), /which do not\. Such a runtime drops the field when the kubelet sets it, so it handles the request as if the field were unset\./);
    for (const p of ['runtime.v1.RuntimeService.RuntimeConfig', 'runtime.v1.CgroupDriver.SYSTEMD', 'runtime.v1.SwapUsage', field]) assert.ok(!hover(p).includes(FIELD_LINE), p);
  });

  test('`cri-compat history` says what a runtime without the element does as the hover does, enum direction included', () => {
    const history = loadBundledHistory();
    const model = history.modelAt('v0.36.3')!;
    const baseline = { tag: 'v0.36.3', kubernetes: '1.36.3', source: 'bundled' as const, origin: 'test', model, history };
    // An RPC, a reply-only enum's value, a message, and a field: each came after runtime.v1's first release.
    for (const path of ['runtime.v1.RuntimeService.RuntimeConfig', 'runtime.v1.CgroupDriver.SYSTEMD', 'runtime.v1.SwapUsage', 'runtime.v1.ContainerEventResponse.pod_sandbox_status']) {
      const said = /which do not\. ((?:Such a runtime|Its enum) [^\n]*?\.)$/m.exec(elementPolicyHover(path, baseline, model)!)?.[1];
      assert.ok(said, `the hover of ${path} says what such a runtime does`);
      const cli = historyQuery(history, path).text;
      assert.ok(cli.includes(said.replace(/`/g, '')), `${path}: the history says "${said}":\n${cli}`);
      // Who meets such a runtime, in the same words (the CLI's line starts in lower case).
      const who = /^- (Kubelets? 1\.[^\n]*?, which do not\.)/m.exec(elementPolicyHover(path, baseline, model)!)?.[1];
      assert.ok(who, `the hover of ${path} says who meets such a runtime`);
      assert.ok(cli.includes(who.charAt(0).toLowerCase() + who.slice(1)), `${path}: the history says "${who}":\n${cli}`);
    }
  });

  test('release history: an element as old as runtime.v1 is in every runtime.v1 runtime; the sentence makes no other claim', () => {
    const history = loadBundledHistory();
    const model = history.modelAt('v0.36.3')!;
    const baseline = { tag: 'v0.36.3', kubernetes: '1.36.3', source: 'bundled' as const, origin: 'test', model, history };
    const v = elementPolicyHover('runtime.v1.RuntimeService.Version', baseline, model)!;
    assert.match(v, /^- It came with the first minor version of runtime\.v1 \(1\.20\), so every runtime that speaks runtime\.v1 has it\.$/m);
    assert.doesNotMatch(v, /older than \d minor versions/);
  });

  const OLD = ['syntax = "proto3";', 'package runtime.v1;', 'service S {', '  rpc Do(Req) returns (Res) {}', '}',
    'message Req { string a = 1; }', 'message Res { int64 count = 1; }', 'enum E { E_A = 0; }'].join('\n');
  const NEW = ['syntax = "proto3";', 'package runtime.v1;', 'service S {', '  rpc Do(Req) returns (Res) {}', '  rpc Fresh(Req) returns (Res) {}', '}',
    'service T {', '  rpc Go(Req) returns (Res) {}', '}',
    'message Req { string a = 1; bool flag = 2; }', 'message Res { int64 count = 1; }', 'message Extra { string x = 1; }',
    'enum E { E_A = 0; E_B = 1; }', 'enum F { F_A = 0; }'].join('\n');
  const newHover = (tag: string, element: string): string => {
    const baseline = { tag, source: 'path' as const, origin: 'test', model: bind(parse(OLD), 'file:///ws/old.proto').model };
    return elementPolicyHover(element, baseline, bind(parse(NEW), 'file:///ws/new.proto').model)!;
  };

  test('new elements on a release line, or in a known release: they ship in that patch, which earlier patches of its minor lack', () => {
    const model = bind(parse(NEW), 'file:///ws/new.proto').model;
    const old = bind(parse(OLD), 'file:///ws/old.proto').model;
    const line = elementPolicyHover('runtime.v1.S.Fresh', { tag: 'v0.35.7', source: 'git', origin: 'test', model: old, releaseLine: 35 }, model)!;
    assert.match(line, /\*\*New since v0\.35\.7\*\*: would ship in Kubernetes 1\.35\.8 \(cri-api v0\.35\.8\)\.\n/);
    assert.match(line, /- Runtimes built from cri-api v0\.32–v0\.35\.7 will not have it, and kubelets 1\.35\.8–1\.38 can meet them\./);
    const given = elementPolicyHover('runtime.v1.S.Fresh', { tag: 'v0.35.7', source: 'git', origin: 'test', model: old, release: 'v0.35.9' }, model)!;
    assert.match(given, /would ship in Kubernetes 1\.35\.9 \(cri-api v0\.35\.9\)\./);
    // In the first minor of runtime.v1 only the earlier patches of that minor lack it: named once, as the report's column.
    const firstPatch = elementPolicyHover('runtime.v1.S.Fresh', { tag: 'v0.20.0', source: 'git', origin: 'test', model: old, release: 'v0.20.1' }, model)!;
    assert.match(firstPatch, /- Runtimes built from cri-api v0\.20\.0 will not have it, and kubelets 1\.20\.1–1\.23 can meet them\./);
    // Off a release line, the next minor, as before.
    assert.match(newHover('v0.35.7', 'runtime.v1.S.Fresh'), /would ship in Kubernetes 1\.36 \(cri-api v0\.36\.0\)\.\n\n- Runtimes built from cri-api v0\.33–v0\.35 will not have it, and kubelets 1\.36–1\.38 can meet them\./);
  });

  test('new elements: the consequence per kind', () => {
    const expect: [string, RegExp][] = [
      ['runtime.v1.S.Fresh', /Such a runtime answers the call with gRPC `Unimplemented`/],
      ['runtime.v1.T', /Such a runtime does not serve it: every call to it is answered with gRPC `Unimplemented`/],
      ['runtime.v1.T.Go', /Such a runtime answers the call with gRPC `Unimplemented`/],
      ['runtime.v1.Req.flag', /Such a runtime drops the field when the kubelet sets it/],
      ['runtime.v1.Extra', /Such a runtime has no use for the message/],
      // No RPC carries E (Req and Res have no field of it).
      ['runtime.v1.E.E_B', /No RPC's request or reply reaches the enum, so the value travels in no call today\. If one ever carries it, such a runtime will take the number for an unknown enum value/],
      ['runtime.v1.F', /Such a runtime does not know the enum/],
      // In a new message or enum, what such a runtime lacks is the container.
      ['runtime.v1.Extra.x', /Its message is new too, so such a runtime knows neither: it neither reads nor sends fields that carry the message, and RPCs that take or return it answer gRPC `Unimplemented`\./],
      ['runtime.v1.F.F_A', /Its enum is new too, so such a runtime knows neither: it neither reads nor sends fields of that enum\./],
    ];
    for (const [element, re] of expect) {
      const h = newHover('v0.36.3', element);
      assert.match(h, /^\*\*New since v0\.36\.3\*\*: would ship in Kubernetes 1\.37 \(cri-api v0\.37\.0\)\./, element);
      assert.match(h, re, element);
      // It gives the dev policy's advice (degrade gracefully, explicit API, critest), so it links that page too.
      assert.ok(h.includes('[Feature development and container runtimes](https://www.kubernetes.dev/docs/code/cri-api-dev-policies/)'), element);
    }
  });

  test('a new field: what such a runtime does is said for the way its message travels only', () => {
    // Req travels only in requests: the kubelet sets the field, no reply carries it.
    const req = newHover('v0.36.3', 'runtime.v1.Req.flag');
    assert.match(req, /Such a runtime drops the field when the kubelet sets it, so it handles the request as if the field were unset\./);
    assert.doesNotMatch(req, /repl(y|ies)/);
  });

  test('a value added to a released enum: which way the enum travels decides who meets it unknown', NEEDS_CORPUS, () => {
    const history = loadBundledHistory();
    const model = history.modelAt('v0.36.3');
    assert.ok(model, 'v0.36.3 is in the bundled index');
    const baseline = { tag: 'v0.36.3', kubernetes: '1.36.3', source: 'bundled' as const, origin: 'test', model, history };
    const released = corpusText('v0.36.3');
    const hoverOf = (text: string, element: string): string => elementPolicyHover(element, baseline, bind(parse(text), 'file:///ws/api.proto').model) ?? '';
    // ContainerEventType only travels in replies (GetContainerEvents): newer runtimes send it to older kubelets.
    const event = hoverOf(replaceOnce(released, '    CONTAINER_DELETED_EVENT = 3;\n', '    CONTAINER_DELETED_EVENT = 3;\n    CONTAINER_PAUSED_EVENT = 4;\n'),
      'runtime.v1.ContainerEventType.CONTAINER_PAUSED_EVENT');
    assert.match(event, /will not have it, and kubelets 1\.37\.0–1\.40 can meet them\. Such a runtime never sends the value in its replies, so the kubelet has to cope without it\.\n/);
    assert.match(event, /^- Kubelets 1\.34–1\.36 and 1\.37\.0-alpha\.0–1\.37\.0-beta\.0 will not have it either, and can meet runtimes that do: the enum reaches the kubelet in replies, so such a runtime can send it to a kubelet that reads it as an unknown enum value\./m);
    assert.doesNotMatch(event, /when the kubelet sends it/);
    // Protocol only travels in requests (PodSandboxConfig): a runtime never sends it to a kubelet.
    const protocol = hoverOf(replaceOnce(released, '    SCTP = 2;\n', '    SCTP = 2;\n    QUIC = 3;\n'), 'runtime.v1.Protocol.QUIC');
    assert.match(protocol, /Such a runtime does not recognise the number: it arrives there as an unknown enum value when the kubelet sends it/);
    assert.doesNotMatch(protocol, /will not have it either/);
  });

  test('a value of an enum no RPC carries: it travels in no call, in the hover and in `cri-compat history` alike', NEEDS_CORPUS, () => {
    // Every enum of every api.proto in the corpus travels in some RPC: the case is v0.35.0 and v0.36.0 with an
    // enum no message uses, which v0.36.0 gives a second value.
    const unused = (text: string, values: string): string => `${text}\nenum UnusedMode {\n    UNUSED_NONE = 0;\n${values}}\n`;
    const old = bind(parse(unused(corpusText('v0.35.0'), '')), 'v0.35.0').model;
    // And QUIC for Protocol, which travels in requests.
    const model = bind(parse(unused(replaceOnce(corpusText('v0.36.0'), '    SCTP = 2;\n', '    SCTP = 2;\n    QUIC = 3;\n'), '    UNUSED_MORE = 1;\n')), 'v0.36.0').model;
    const NOWHERE = / (No RPC's request or reply reaches the enum, so the value travels in no call today\. If one ever carries it, such a runtime will take the number for an unknown enum value when the kubelet sends it, and will never send it back\.)$/m;
    const hover = elementPolicyHover('runtime.v1.UnusedMode.UNUSED_MORE', { tag: 'v0.35.0', source: 'path', origin: 'test', model: old }, model)!;
    const said = NOWHERE.exec(hover)?.[1];
    assert.ok(said, hover);
    assert.doesNotMatch(hover, /will not have it either|it arrives there/);
    const history = buildHistoryFromModels([
      { release: { tag: 'v0.35.0', kubernetes: '1.35.0', prerelease: false }, model: old },
      { release: { tag: 'v0.36.0', kubernetes: '1.36.0', prerelease: false }, model },
    ]);
    const cli = historyQuery(history, 'runtime.v1.UnusedMode.UNUSED_MORE').text;
    assert.ok(cli.includes(said), cli);
    assert.match(historyQuery(history, 'runtime.v1.Protocol.QUIC').text, /Such a runtime does not recognise the number: it arrives there as an unknown enum value when the kubelet sends it/);
  });

  test('a finding explanation names the baseline origin as text: a directory name cannot add an image', () => {
    const baseline = { tag: 'v0.99.0', source: 'vendor' as const, origin: 'vendored k8s.io/cri-api v0.99.0 (/w/![x](https:/example.invalid/a.png)/vendor)', model: bind(parse(OLD), 'file:///ws/old.proto').model };
    const f = { rule: 'FIELD_NO_DELETE', category: 'WIRE' as const, severity: 'error' as const, range: range(0, 0, 0, 0), element: 'runtime.v1.Req.a', message: 'm' };
    const md = findingExplanation(f, baseline);
    assert.ok(md.includes('Compared with v0.99.0, from vendored k8s.io/cri-api v0.99.0 (/w/!\\[x\\](https:/example.invalid/a.png)/vendor).'), md);
  });

  test('new elements: the call sequence quoted from the documentation loads no image', () => {
    const withDoc = NEW.replace('  rpc Fresh(Req) returns (Res) {}', '  // Fresh is called after Do ![t](https://example.invalid/t.png).\n  rpc Fresh(Req) returns (Res) {}');
    const baseline = { tag: 'v0.36.3', source: 'path' as const, origin: 'test', model: bind(parse(OLD), 'file:///ws/old.proto').model };
    const h = elementPolicyHover('runtime.v1.S.Fresh', baseline, bind(parse(withDoc), 'file:///ws/new.proto').model)!;
    assert.ok(h.includes('**Call sequence** (from its documentation): Fresh is called after Do !\\[t](https://example.invalid/t.png).\n'), h);
  });

  test('new elements: the hover reads the call sequence as the rule does (emphasis, "first", another RPC without a word of order)', () => {
    const baseline = { tag: 'v0.36.3', source: 'path' as const, origin: 'test', model: bind(parse(OLD), 'file:///ws/old.proto').model };
    const hover = (doc: string): string => {
      const text = NEW.replace('  rpc Fresh(Req) returns (Res) {}', `  // ${doc}\n  rpc Fresh(Req) returns (Res) {}`);
      const model = bind(parse(text), 'file:///ws/new.proto').model;
      const h = elementPolicyHover('runtime.v1.S.Fresh', baseline, model)!;
      // The diagnostic and the hover agree, whichever way.
      const flagged = checkDocs(model, baseline.model, compareModels(model, baseline.model, 'v0.36.3').additions).some((f) => f.rule === 'RPC_CALL_SEQUENCE_UNDOCUMENTED');
      assert.equal(flagged, /\*\*Call sequence\*\*: not documented/.test(h), `${doc}\n${h}`);
      return h;
    };
    // Upstream's wording (UpdatePodSandboxResources): markdown emphasis around the word of order.
    assert.match(hover('Fresh is a new call. This method is called _after_ the Kubelet reconfigures the cgroups.'), /\*\*Call sequence\*\* \(from its documentation\): This method is called \\?_after\\?_ the Kubelet reconfigures the cgroups\./);
    // Another RPC named without a word of order states no order, for the rule nor for the hover.
    assert.match(hover('Fresh returns what Do returned.'), /\*\*Call sequence\*\*: not documented/);
  });

  test('new elements: a pre-release of a patch ships nothing in its own minor', () => {
    const first = (tag: string): string => newHover(tag, 'runtime.v1.S.Fresh').split('\n').slice(0, 3).join('\n');
    assert.match(first('v0.25.5-rc.0'), /would ship in Kubernetes 1\.26 \(cri-api v0\.26\.0\)\.\n\n- Runtimes built from cri-api v0\.23–v0\.25 will not have it, and kubelets 1\.26–1\.28 can meet them\./);
    assert.match(first('v0.26.0-rc.0'), /would ship in Kubernetes 1\.26 \(cri-api v0\.26\.0\)/);
    assert.match(first('v0.25.5'), /would ship in Kubernetes 1\.26 \(cri-api v0\.26\.0\)/);
  });

  test('new elements: degrade gracefully; discovery through explicit API and failing fast are separate', () => {
    const h = newHover('v0.36.3', 'runtime.v1.Req.flag');
    assert.doesNotMatch(h, /discoverable, so that the kubelet fails fast/);
    const advice = h.split('\n').find((l) => l.startsWith('- The feature has to degrade gracefully'));
    assert.ok(advice, h);
    assert.match(advice, /through explicit API \(.*Pod or Node API\)/);
    assert.match(advice, /; and while the feature is being adopted, using it against a runtime that lacks it should fail as early as possible\./);
  });
});

describe('policy hover: who knows an element, from its lineage', { skip: corpusDir ? false : CORPUS_HELP }, () => {
  test('ContainerEventResponse.pod_sandbox_metadata (v0.25 and the 1.26 alphas; number 4 reused in v0.26.0-beta.0): only kubelets 1.25.0-beta.0–1.26.0-alpha.3 know it', () => {
    const history = loadBundledHistory();
    const v25 = history.releases.find((r) => r.tag === 'v0.25.0')!;
    assert.ok(v25, 'v0.25.0 is in the bundled index');
    const blob = readFileSync(join(corpusDir!, 'tags.tsv'), 'utf8').split('\n').map((l) => l.split('\t'))
      .find(([tag, path]) => tag === 'v0.25.0' && path === 'pkg/apis/runtime/v1/api.proto')![2]!;
    const text = readFileSync(join(corpusDir!, 'blobs', `${blob}.proto`), 'utf8');
    const model = history.modelAt('v0.24.0')!;
    const baseline = { tag: 'v0.24.0', kubernetes: '1.24.0', source: 'bundled' as const, origin: 'test', model, history };
    const a = analyze(text, { uri: 'file:///ws/api.proto', baseline });
    const lines = text.split('\n');
    const line = lines.findIndex((l) => /PodSandboxMetadata pod_sandbox_metadata = 4;/.test(l));
    assert.ok(line >= 0, 'v0.25.0 has the field');
    let extra: string | undefined;
    doHover(a.bound, pos(line, lines[line]!.indexOf('pod_sandbox_metadata') + 1), {
      extraHover: (e) => (extra = elementPolicyHover(e, a.baseline, a.bound.model, a.findings)),
    });
    // The kubelets of v0.26.0-alpha.0–alpha.3, which still had it, know it too; those of 1.26 from beta.0 on do not.
    assert.match(extra!, /- Kubelets 1\.25\.0-beta\.0–1\.26\.0-alpha\.3 know it and can be paired with runtimes built from cri-api v0\.22–v0\.24 or v0\.25\.0-alpha\.0–v0\.25\.0-alpha\.3, which do not\./);
    assert.doesNotMatch(extra!, /Kubelets 1\.25–1\.27/);
  });
});

// ---- the position index: the same answers as walking every span ---------------------------------------------

/**
 * What is at a position, found as before the position index: by walking the references in binding order, each
 * level of elements in document order, then the imports. The index must give the same answer everywhere.
 */
function walkTargetAt(bound: BoundFile, p: Position): Target | undefined {
  for (const ref of bound.references) if (rangeContains(ref.range, p)) return { kind: 'reference', reference: ref, range: ref.range };
  const chain: Element[] = [];
  for (let level = fileElements(bound.ast); ;) {
    const hit = level.find((e) => rangeContains(e.range, p));
    if (!hit) break;
    chain.push(hit);
    level = hit.children;
  }
  for (let k = chain.length - 1; k >= 0; k--) {
    const e = chain[k]!;
    if (e.kind !== 'extend' && e.name && rangeContains(e.nameRange, p)) return { kind: 'declaration', element: e, range: e.nameRange };
  }
  for (const imp of bound.ast.imports) if (rangeContains(imp.pathRange, p)) return { kind: 'import', node: imp, range: imp.pathRange };
  const pk = bound.ast.package;
  if (pk && rangeContains(pk.nameRange, p)) {
    const offset = pk.nameRange.start.line === p.line ? p.character - pk.nameRange.start.character : pk.name.length;
    const dot = pk.name.indexOf('.', Math.max(0, offset));
    return { kind: 'package', name: (dot < 0 ? pk.name : pk.name.slice(0, dot)).replace(/^\./, ''), range: pk.nameRange };
  }
  return undefined;
}

/** Every position of a text, one past the end of each line and one line past the last included. */
function* everyPosition(text: string): Generator<Position> {
  const lines = text.split('\n');
  for (let l = 0; l <= lines.length; l++) for (let c = 0; c <= (lines[l]?.length ?? 0) + 1; c++) yield pos(l, c);
}

/** Asserts that targetAt, elementChainAt and doHover answer at every position as walking does. */
function assertSameAsWalking(bound: BoundFile, text: string, label: string): number {
  const extra = { extraHover: (p: string): string => `extra for ${p}` };
  let targets = 0;
  for (const p of everyPosition(text)) {
    const walked = walkTargetAt(bound, p);
    const t = targetAt(bound, p);
    // The same objects, not only equal ones: a hover on a duplicated name shows the first declaration.
    if (t?.kind === 'reference' || walked?.kind === 'reference') assert.equal(t?.kind === 'reference' && t.reference, walked?.kind === 'reference' && walked.reference, `${label} ${p.line}:${p.character}`);
    if (t?.kind === 'declaration' || walked?.kind === 'declaration') assert.equal(t?.kind === 'declaration' && t.element, walked?.kind === 'declaration' && walked.element, `${label} ${p.line}:${p.character}`);
    assert.deepEqual(t, walked, `${label} ${p.line}:${p.character}`);
    // Where no type or declaration is, an option's name (optionTargets.ts) is hovered.
    assert.deepEqual(doHover(bound, p, extra), hoverOf(bound, walked ?? optionTargetAt(bound, p), extra), `${label} ${p.line}:${p.character}`);
    if (t) targets++;
  }
  // The definitions hovers show (signatures of fields and RPCs) are the first in model order, as a walk finds.
  for (const e of allElements(bound.ast)) {
    if (e.kind === 'field') {
      const walkedDef = bound.model.messages.flatMap((m) => m.fields).find((d) => d.node === e.node);
      assert.equal(fieldDefOf(bound.model, e.node as FieldNode), walkedDef, `${label} ${e.path}`);
    } else if (e.kind === 'rpc') {
      const walkedDef = bound.model.services.flatMap((s) => s.rpcs).find((d) => d.node === e.node);
      assert.equal(rpcDefOf(bound.model, e.node as RpcNode), walkedDef, `${label} ${e.path}`);
    }
  }
  return targets;
}

describe('position index', () => {
  test('spans: the first in original order that contains a position, also when spans touch, nest or are unsorted', () => {
    const spans: Range[] = [
      range(5, 0, 5, 4), range(0, 0, 9, 0), range(5, 4, 5, 8), range(2, 3, 2, 3), range(5, 4, 5, 8), range(7, 2, 6, 0), range(1, 0, 3, 9),
      range(5, 6, 5, 7), range(8, 0, 8, 1),
    ];
    for (const order of [spans, [...spans].reverse(), [...spans].sort((a, b) => a.start.line - b.start.line || a.start.character - b.start.character)]) {
      const ix = new SpanIndex(order, (r) => r);
      for (let l = 0; l <= 10; l++) {
        for (let c = 0; c <= 10; c++) assert.equal(ix.first(pos(l, c)), order.find((r) => rangeContains(r, pos(l, c))), `${l}:${c}`);
      }
    }
    assert.equal(new SpanIndex([], (r: Range) => r).first(pos(0, 0)), undefined);
  });

  test('a crafted file with touching declarations, maps, oneofs, groups, extensions and nested types', () => {
    const text = [
      'syntax = "proto2";',
      'package p.q;',
      'import "google/protobuf/any.proto";import "google/protobuf/empty.proto";',
      'message A{optional B b=1;}message B{map<string,A>m=1;oneof o{A x=2;B y=3;}optional group G=4{optional A a=1;}extensions 100 to 200;}',
      'extend B{optional A ext=100;}enum E{Z=0;O=1;}service S{rpc R(A)returns(B);rpc T(stream A)returns(stream .p.q.B){}}',
      'message Outer { message Inner { enum IE { X = 0; } } Inner.IE ie = 1; Outer.Inner inner = 2; }',
      'message A { optional A again = 1; }',
      '',
    ].join('\n');
    const bound = bind(parse(text), 'file:///ws/crafted.proto');
    assert.ok(assertSameAsWalking(bound, text, 'crafted') > 100);
  });
  test('a hover looks at a few spans and definitions, however many the file has', () => {
    // Counted, not timed: every read of a span or a definition's node after the first hover built the index.
    const rpcs = 20_000;
    const lines = ['syntax = "proto3";', 'package gen.v1;', 'message M { string name = 1; M next = 2; }', 'service S {'];
    for (let r = 0; r < rpcs; r++) lines.push(`  rpc R${r}(M) returns (M);`);
    lines.push('}', 'message Last { M m = 1; }', '');
    const text = lines.join('\n');
    const bound = bind(parse(text), 'file:///ws/gen.proto');
    const service = fileElements(bound.ast).find((e) => e.kind === 'service')!;
    assert.equal(service.children.length, rpcs);
    let reads = 0;
    const counted = (objects: object[], prop: string): void => {
      for (const o of objects) {
        const value = (o as Record<string, unknown>)[prop];
        Object.defineProperty(o, prop, { get: () => (reads++, value), configurable: true });
      }
    };
    counted(bound.references, 'range');
    counted(service.children, 'range');
    counted(bound.model.messages.flatMap((m) => m.fields), 'node');
    counted(bound.model.services.flatMap((sv) => sv.rpcs), 'node');
    const last = lines.length - 4;
    assert.equal(lines[last], '  rpc R19999(M) returns (M);');
    const probes: [Position, string][] = [
      [pos(last, 8), 'rpc gen.v1.S.R19999'], // the last RPC's name
      [pos(last, 13), 'message gen.v1.M'], // its request type
      [pos(last + 2, 15), 'message gen.v1.M'], // a reference after all of them
      [pos(last + 2, 17), 'field gen.v1.Last.m'], // a field after all of them
    ];
    for (const [p] of probes) doHover(bound, p); // builds the indexes, once per analysis
    for (const [p, expected] of probes) {
      reads = 0;
      const hover = doHover(bound, p);
      assert.ok(hover?.contents.value.startsWith(`\`\`\`proto\n${expected}\n`), `${p.line}:${p.character}: ${hover?.contents.value}`);
      assert.ok(reads <= 4, `${p.line}:${p.character}: ${reads} spans or definitions read`);
    }
  });
});


describe('position index on real CRI api.proto files', { skip: corpusDir ? false : CORPUS_HELP }, () => {
  test('targets and hovers at every position are those a walk finds', () => {
    const corpus = new Corpus(corpusDir!);
    const tags = corpus.goTags(V1_PATH);
    // The newest release, and the oldest runtime.v1 one (fewer RPCs, other comments).
    for (const blob of new Set([tags.at(-1)!.blob, tags[0]!.blob])) {
      const text = corpus.text(blob);
      const { bound } = analyze(text, { uri: 'file:///ws/api.proto' });
      const targets = assertSameAsWalking(bound, text, blob);
      assert.ok(targets > 2_000, `${blob}: ${targets} positions point at something`);
    }
  });
});

describe('policy hover: an RPC\'s call sequence is said once', NEEDS_CORPUS, () => {
  const history = loadBundledHistory();
  const baseline = { tag: 'v0.36.3', kubernetes: '1.36.3', source: 'bundled' as const, origin: 'test', model: history.modelAt('v0.36.3')!, history };
  /** The hover of an RPC's name, as the server composes it: the declaration with its doc, then the policy hover. */
  const rpcHover = (text: string, rpc: string): string => {
    const bound = bind(parse(text), 'file:///ws/api.proto');
    const e = [...allElements(bound.ast)].find((x) => x.kind === 'rpc' && x.name === rpc);
    assert.ok(e, rpc);
    const extraHover = (element: string, shownDoc: string | undefined): string | undefined => elementPolicyHover(element, baseline, bound.model, [], shownDoc);
    return doHover(bound, e.nameRange.start, { extraHover })!.contents.value;
  };
  const count = (text: string, part: string): number => text.split(part).length - 1;

  test('a released RPC: the documentation above states the call sequence, which the policy hover does not quote again', () => {
    const released = corpusText('v0.36.3');
    const rpcs = [...allElements(parse(released))].filter((e) => e.kind === 'rpc');
    assert.ok(rpcs.length > 30, `${rpcs.length} RPCs`);
    const stated: string[] = [];
    for (const r of rpcs) {
      const h = rpcHover(released, r.name);
      assert.doesNotMatch(h, /\*\*Call sequence\*\* \(from its documentation\)/, h);
      if (h.includes('**Call sequence**: stated in its documentation, above.')) stated.push(r.name);
    }
    assert.ok(stated.includes('UpdatePodSandboxResources'), stated.join(', '));
    assert.equal(count(rpcHover(released, 'UpdatePodSandboxResources'), 'Kubelet reconfigures the pod-level cgroups.'), 1);
  });

  test('a released RPC whose documentation gives no call order: no advice to document it, which only new RPCs get', () => {
    const released = corpusText('v0.36.3');
    const rpcs = [...allElements(parse(released))].filter((e) => e.kind === 'rpc');
    const silent: string[] = [];
    for (const r of rpcs) {
      const h = rpcHover(released, r.name);
      assert.doesNotMatch(h, /\*\*Call sequence\*\*: not documented|Say when the kubelet calls it/, `${r.name}: ${h}`);
      if (!h.includes('**Call sequence**')) silent.push(r.name);
    }
    assert.ok(silent.includes('RunPodSandbox'), silent.join(', '));
  });

  test('a new RPC whose documentation labels its call order: "Call order:" once, in the documentation', () => {
    const doc = [
      '    // ReloadPodSandbox reloads the configuration of a running pod sandbox.',
      '    // Call order: the kubelet calls it after RunPodSandbox and before CreateContainer.',
      '    // Runtimes that do not implement it return Unimplemented, and the kubelet recreates the sandbox instead.',
    ].join('\n');
    const text = replaceOnce(corpusText('v0.36.3'), '    // UpdatePodSandboxResources synchronously',
      `${doc}\n    rpc ReloadPodSandbox(UpdatePodSandboxResourcesRequest) returns (UpdatePodSandboxResourcesResponse) {}\n\n    // UpdatePodSandboxResources synchronously`);
    const h = rpcHover(text, 'ReloadPodSandbox');
    assert.equal(count(h, 'Call order:'), 1, h);
    assert.match(h, /\*\*Call sequence\*\*: stated in its documentation, above\.\n/);
    // The policy hover alone, with no documentation shown above it, still quotes the sentence.
    const alone = elementPolicyHover('runtime.v1.RuntimeService.ReloadPodSandbox', baseline, bind(parse(text), 'file:///ws/api.proto').model)!;
    assert.match(alone, /\*\*Call sequence\*\* \(from its documentation\): Call order: the kubelet calls it after RunPodSandbox and before CreateContainer\.\n/);
    // Where the documentation shown says only part of it, the rest.
    const part = elementPolicyHover('runtime.v1.RuntimeService.ReloadPodSandbox', baseline, bind(parse(text.replace('before CreateContainer.', 'before CreateContainer. Called after PodSandboxStatus.')), 'file:///ws/api.proto').model, [],
      'Call order: the kubelet calls it after RunPodSandbox and before CreateContainer.')!;
    assert.match(part, /\*\*Call sequence\*\* \(from its documentation\): Called after PodSandboxStatus\.\n/);
  });
});
