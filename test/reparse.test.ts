// reparse(): the tree of an edited text, reusing the declarations of the previous tree that the edit cannot have
// changed, must be the tree a whole parse makes, whatever the edit. Compared as plain data (test/reparseCheck.ts)
// over real typing (the changes between releases, keystroke by keystroke), random edits of the newest api.proto,
// and the edits that must not reuse anything.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parse, parsedTextOf } from '../server/src/proto/parser';
import { reparse } from '../server/src/proto/reparse';
import type { ProtoFile } from '../server/src/proto/ast';
import { NEEDS_CORPUS, corpusText, newestCorpusText, replaceOnce } from './corpusText';
import { TYPED_RELEASES, typedHunks } from './typingReplay';
import { checkReparses, plainTree, type ReparseTally } from './reparseCheck';

/** The tree the editor makes of a text it has no earlier tree of. */
const firstTree = (text: string): ProtoFile => reparse(text, undefined);
const generation = (text: string, previous: ProtoFile): number => parsedTextOf(reparse(text, previous))?.generation ?? -1;

test('typing the changes of the newest release: every sampled tree is a whole parse\'s, and most reuse declarations', NEEDS_CORPUS, () => {
  const tally: ReparseTally = { texts: 0, reused: 0, compared: 0 };
  const [from, to] = TYPED_RELEASES.at(-1)!;
  const old = corpusText(from);
  typedHunks(old, corpusText(to)).forEach((texts, h) => checkReparses([old, ...texts], tally, 29, `${from} → ${to} hunk ${h}`));
  assert.ok(tally.texts > 400 && tally.compared >= 15, JSON.stringify(tally));
  // Typing a line break keeps the declarations before it.
  assert.ok(tally.reused > tally.texts * 0.9, JSON.stringify(tally));
});

test('random one-character edits of the newest api.proto, and their undoing: each tree is a whole parse\'s', NEEDS_CORPUS, () => {
  let seed = 20261127;
  const random = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const inserts = ['a', 'Z', '_', '7', ' ', ';', '{', '}', '/', '*', '"', '=', '.', '\n', '\r\n', '\t'];
  const text = newestCorpusText();
  const tree = firstTree(text);
  const plain = plainTree(tree);
  let reused = 0;
  for (let k = 0; k < 100; k++) {
    const at = random(text.length);
    const op = random(3);
    const insert = inserts[random(inserts.length)]!;
    const edited = op === 0 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + insert + text.slice(at + (op === 1 ? 1 : 0));
    const label = `${JSON.stringify(text.slice(at - 20, at + 20))} → ${JSON.stringify(edited.slice(at - 20, at + 20))}`;
    const editedTree = reparse(edited, tree);
    if (parsedTextOf(editedTree)!.generation > 0) reused++;
    assert.deepEqual(plainTree(editedTree), plainTree(parse(edited)), label);
    assert.deepEqual(plainTree(reparse(text, editedTree)), plain, `undoing ${label}`);
  }
  assert.ok(reused > 20, `${reused} of 100 reused declarations`);
});

test('an edit of a comment, a name or a number within a line reuses the declarations around it; its tree is a whole parse\'s', NEEDS_CORPUS, () => {
  const text = newestCorpusText();
  const previous = firstTree(text);
  for (const edited of [
    replaceOnce(text, '// The kubelet collects all items from the stream', '// The kubelet collects every item from the stream'),
    replaceOnce(text, 'string runtime_api_version = 4;', 'string runtime_api_versions = 4;'),
    replaceOnce(text, 'string runtime_api_version = 4;', 'string runtime_api_version = 14;'),
    replaceOnce(text, 'message VersionRequest {', 'message VersionRequests {'),
    replaceOnce(text, 'rpc Version(VersionRequest) returns (VersionResponse) {}', 'rpc Versions(VersionRequest) returns (VersionResponse) {}'),
  ]) {
    const tree = reparse(edited, previous);
    assert.equal(parsedTextOf(tree)?.generation, 1);
    assert.deepEqual(plainTree(tree), plainTree(parse(edited)));
    // The messages away from the edit are the previous tree's own nodes.
    assert.equal(tree.messages.at(-1), previous.messages.at(-1));
  }
});

const SMALL = 'syntax = "proto3";\npackage p;\n\nmessage A {\n  int32 a = 1;\n}\n\noption go_package = "x";\n\nmessage B {\n  int32 b = 1;\n}\n\nmessage C {\n  int32 c = 1;\n}\n';

test('a line break typed, pasted or deleted keeps the declarations before the edit, and reads the rest again; the tree is a whole parse\'s', NEEDS_CORPUS, () => {
  const text = newestCorpusText();
  const previous = firstTree(text);
  const field = 'string runtime_api_version = 4;';
  const at = text.indexOf(field);
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const lineEnd = text.indexOf('\n', at);
  const nextLineEnd = text.indexOf('\n', lineEnd + 1);
  for (const [what, edited] of [
    ['Enter after a field', text.slice(0, lineEnd) + '\n' + text.slice(lineEnd)],
    ['Enter within a field', text.slice(0, at + 6) + '\n' + text.slice(at + 6)],
    ['a line break deleted', text.slice(0, lineEnd) + text.slice(lineEnd + 1)],
    ['a documented field pasted', text.slice(0, lineEnd + 1) + '    // Whether the runtime is ready.\n    bool ready = 5;\n' + text.slice(lineEnd + 1)],
    ['two lines cut', text.slice(0, lineStart) + text.slice(nextLineEnd + 1)],
    ['a line break replaced by a space', text.slice(0, lineEnd) + ' ' + text.slice(lineEnd + 1)],
  ] as const) {
    const tree = reparse(edited, previous);
    assert.equal(parsedTextOf(tree)?.generation, 1, what);
    assert.deepEqual(plainTree(tree), plainTree(parse(edited)), what);
    // The messages before the edit are the previous tree's own nodes, those after it read again.
    assert.equal(tree.messages[0], previous.messages[0], what);
    assert.notEqual(tree.messages.at(-1), previous.messages.at(-1), what);
    // And the next edit, within a line after it, reuses this tree in turn.
    const next = replaceOnce(edited, 'message VersionResponse {', 'message VersionResponses {');
    const again = reparse(next, tree);
    assert.equal(parsedTextOf(again)?.generation, 2, what);
    assert.deepEqual(plainTree(again), plainTree(parse(next)), `${what}, then a name edited`);
  }
});

test('edits that change a statement that is no declaration parse whole, as does any edit after a lexical error', () => {
  const previous = firstTree(SMALL);
  for (const edited of [
    SMALL.replace('option go_package = "x";', 'option go_package = "y";'),
    SMALL.replace('message A {', 'message A {\n  option go_package = "y";'),
    SMALL.replace('option go_package = "x";', 'option go_package = "x";\noption java_package = "y";'),
    SMALL.replace('package p;', 'package q;'),
    SMALL.replace('int32 b = 1;', 'int32 b = 1; /* open'),
  ]) {
    assert.equal(generation(edited, previous), 0, edited);
    assert.deepEqual(plainTree(reparse(edited, previous)), plainTree(parse(edited)));
  }
  const unterminated = firstTree(SMALL.replace('int32 b = 1;', 'int32 b = 1; /* open'));
  assert.equal(generation(SMALL.replace('int32 b = 1;', 'int32 b = 1; /* opens'), unterminated), 0);
});

test('syntax errors: the declarations with them are read again, the others kept; the errors are a whole parse\'s', () => {
  const sequences: string[][] = [
    // Typing a field into B, through the states with errors, from the tree of each state.
    ['int32 b = 1;', 'int32 b = 1; s', 'int32 b = 1; st', 'int32 b = 1; string', 'int32 b = 1; string x', 'int32 b = 1; string x =', 'int32 b = 1; string x = 2', 'int32 b = 1; string x = 2;'],
  ].map((states) => states.map((state) => SMALL.replace('int32 b = 1;', state)));
  // An edit before, and one after, a declaration with an error.
  sequences.push([SMALL.replace('int32 b = 1;', 'int32 b = 1'), SMALL.replace('int32 b = 1;', 'int32 b = 1').replace('int32 a = 1;', 'int32 aa = 1;')]);
  sequences.push([SMALL.replace('int32 a = 1;', 'int32 a = 1'), SMALL.replace('int32 a = 1;', 'int32 a = 1').replace('int32 c = 1;', 'int32 cc = 1;')]);
  sequences.push([SMALL.replace('int32 b = 1;', 'int32 b = 1 {'), SMALL.replace('int32 b = 1;', 'int32 b = 1 {').replace('int32 c = 1;', 'int32 cc = 1;')]);
  for (const texts of sequences) {
    const tally: ReparseTally = { texts: 0, reused: 0, compared: 0 };
    checkReparses([SMALL, ...texts.slice(0, -1), texts.at(-1)!], tally);
    assert.ok(tally.reused >= texts.length - 1, `${JSON.stringify(tally)}: ${JSON.stringify(texts)}`);
  }
  const broken = firstTree(SMALL.replace('int32 b = 1;', 'int32 b = 1'));
  const fixed = reparse(SMALL, broken);
  assert.deepEqual(fixed.errors, []);
  assert.equal(fixed.messages[0], broken.messages[0]);
});

test('options that set features or are custom: the file says so as a whole parse does, after edits that add or keep them', () => {
  const custom = 'syntax = "proto3";\nimport "gogo.proto";\noption (gogoproto.x) = true;\nmessage A {\n  int32 a = 1;\n}\nmessage B {\n  int32 b = 1;\n}\n';
  const editions = 'edition = "2023";\nmessage A {\n  int32 a = 1;\n}\nmessage B {\n  int32 b = 1 [features.field_presence = IMPLICIT];\n}\n';
  for (const [text, edit] of [
    [custom, 'int32 bb = 1;'],
    [SMALL, 'int32 b = 1; option (x) = 1;'],
    [SMALL, 'int32 b = 1 [(x) = 1];'],
    [SMALL, 'int32 b = 1 [features.field_presence = IMPLICIT];'],
  ] as const) {
    const edited = text.replace('int32 b = 1;', edit);
    assert.equal(generation(edited, firstTree(text)), 1, edited);
    assert.deepEqual(plainTree(reparse(edited, firstTree(text))), plainTree(parse(edited)), edited);
  }
  const edited = editions.replace('int32 a = 1;', 'int32 aa = 1;');
  const tree = reparse(edited, firstTree(editions));
  assert.equal(parsedTextOf(tree)?.generation, 1);
  assert.equal(tree.setsFeatures, true);
  assert.deepEqual(plainTree(reparse(editions.replace(' [features.field_presence = IMPLICIT]', ''), firstTree(editions))), plainTree(parse(editions.replace(' [features.field_presence = IMPLICIT]', ''))));
});

test('declarations on the edited line, \\r\\n line breaks and a \\r before the edit: the tree is a whole parse\'s', () => {
  const cases: [string, string][] = [
    ['syntax = "proto3";\nmessage A {} message B { int32 b = 1; } message C {}\nmessage D {}\n', 'int32 bb = 1;'],
    ['syntax = "proto3";\r\nmessage A {\r\n  int32 a = 1;\r\n}\r\n// doc\r\nmessage B {\r\n  int32 b = 1;\r\n}\r\n', 'int32 bb = 1;'],
    ['syntax = "proto3";\rmessage A {\r  int32 a = 1;\r}\r// doc\rmessage B {\r  int32 b = 1;\r}\r', 'int32 bb = 1;'],
  ];
  for (const [text, edit] of cases) {
    const edited = text.replace('int32 b = 1;', edit);
    const tree = reparse(edited, firstTree(text));
    assert.deepEqual(plainTree(tree), plainTree(parse(edited)), JSON.stringify(edited));
  }
  // A character deleted between \r and \n would join two line breaks into one.
  const crlf = 'syntax = "proto3";\nmessage A {\r;\n  int32 a = 1;\n}\nmessage B {\n  int32 b = 1;\n}\n';
  const joined = crlf.replace('\r;\n', '\r\n');
  assert.deepEqual(plainTree(reparse(joined, firstTree(crlf))), plainTree(parse(joined)));
});

test('a tree made of many reparses in a row is parsed whole again, so that it holds on to few old texts', () => {
  let text = 'syntax = "proto3";\nmessage A {\n  int32 a = 1;\n}\nmessage B {\n  int32 b = 1;\n}\n';
  let tree = firstTree(text);
  const generations: number[] = [];
  for (let k = 0; k < 20; k++) {
    text = text.replace(/int32 b\w* = 1;/, `int32 b${k} = 1;`);
    tree = reparse(text, tree);
    generations.push(parsedTextOf(tree)!.generation);
  }
  assert.deepEqual(generations, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0, 1, 2, 3]);
  assert.deepEqual(plainTree(tree), plainTree(parse(text)));
});
