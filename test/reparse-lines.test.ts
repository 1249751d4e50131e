// reparse() after an edit that adds or removes lines, at the start, the middle and the end of the newest api.proto,
// in comments, strings and the doc comments that attach to the next declaration: every line after the edit moves.
// Each tree must be a whole parse's (every range and comment line), and so must what is built on it: the diagnostics
// and findings, and the option data kept beside the nodes.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parse } from '../server/src/proto/parser';
import { reparse } from '../server/src/proto/reparse';
import { aggregateOf } from '../server/src/proto/aggregate';
import { optionPath } from '../server/src/proto/optionPath';
import { analyze } from '../server/src/service';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import type { Baseline } from '../server/src/baseline/types';
import { NEEDS_CORPUS, newestCorpusText, replaceOnce } from './corpusText';
import { plainTree } from './reparseCheck';

/** `text` with `insert` put at `at`, or `remove` characters removed there. */
const edit = (text: string, at: number, insert: string, remove = 0): string => text.slice(0, at) + insert + text.slice(at + remove);

/** The offset right after the first `what` in `text`. */
function after(text: string, what: string): number {
  const k = text.indexOf(what);
  assert.ok(k >= 0, `no ${JSON.stringify(what)}`);
  return k + what.length;
}

/** Line breaks typed, deleted or pasted in api.proto `text`: each edit, and the text it makes. */
function lineEdits(text: string): { what: string; text: string }[] {
  const mount = text.indexOf('// Mount specifies a host volume');
  const mountLineEnd = text.indexOf('\n', mount);
  const version = after(text, 'string runtime_api_version = 4;');
  const versionDoc = text.lastIndexOf('\n', text.indexOf('// API version of the container runtime')) + 1;
  const lastMessage = text.lastIndexOf('message UpdatePodSandboxResourcesResponse {}');
  const overheadDoc = after(text, '// Optional overhead represents the overheads');
  return [
    // The start of the file: in the license's block comment, before and after the syntax statement.
    { what: 'Enter at the start of the file', text: edit(text, 0, '\n') },
    { what: 'Enter in the license comment', text: edit(text, after(text, 'Licensed under the Apache License'), '\n') },
    { what: 'Enter after the syntax statement', text: edit(text, after(text, 'syntax = "proto3";'), '\n') },
    { what: 'Enter in the go_package string', text: edit(text, after(text, 'option go_package = "k8s.io/'), '\n') },
    { what: 'Enter in the first service\'s doc comment', text: edit(text, after(text, '// Runtime service defines'), '\n// ') },
    { what: 'a blank line between the first service and its doc comment', text: edit(text, after(text, 'remote container runtimes\n'), '\n') },
    // The middle: after a field, in a string in a comment, in a doc comment and around it.
    { what: 'Enter after a field', text: edit(text, version, '\n') },
    { what: 'Enter within a field', text: edit(text, version - 6, '\n') },
    { what: 'a line break deleted after a field', text: edit(text, version, '', 1) },
    { what: 'a line break typed in a string in a comment', text: edit(text, after(text, '("rpriv'), '\n') },
    { what: 'a documented field pasted', text: edit(text, version + 1, '    // Whether the runtime is ready.\n    bool ready = 5;\n') },
    { what: 'Enter in a doc comment, its second half no comment', text: edit(text, mount + 20, '\n') },
    { what: 'a doc comment continued on a new line', text: edit(text, mountLineEnd, '\n// into the container.') },
    { what: 'a blank line between a message and its doc comment', text: edit(text, mountLineEnd + 1, '\n') },
    { what: 'the blank line before a doc comment deleted', text: edit(text, mount - 1, '', 1) },
    { what: 'the line break after a doc comment deleted', text: edit(text, mountLineEnd, '', 1) },
    { what: 'a doc comment and its message joined by a space', text: edit(text, mountLineEnd, ' ', 1) },
    { what: 'a field and its doc comment cut', text: edit(text, versionDoc, '', version + 1 - versionDoc) },
    // The end of the file.
    { what: 'Enter in the last message\'s doc comment', text: edit(text, overheadDoc, '\n    //') },
    { what: 'Enter in the last message\'s braces', text: edit(text, after(text, 'message UpdatePodSandboxResourcesResponse {'), '\n') },
    { what: 'Enter before the last message', text: edit(text, lastMessage, '\n') },
    { what: 'Enter at the end of the file', text: `${text}\n` },
    { what: 'the last line break deleted', text: text.slice(0, -1) },
  ];
}

test('a line break typed or deleted at the start, the middle or the end of the newest api.proto, and undone: each tree is a whole parse\'s', NEEDS_CORPUS, () => {
  const text = newestCorpusText();
  const previous = reparse(text, undefined);
  for (const e of lineEdits(text)) {
    const tree = reparse(e.text, previous);
    assert.deepEqual(plainTree(tree), plainTree(parse(e.text)), e.what);
    assert.deepEqual(plainTree(reparse(text, tree)), plainTree(previous), `${e.what}, undone`);
  }
});

test('line breaks typed and deleted in a row, with edits within a line between them: each tree is a whole parse\'s', NEEDS_CORPUS, () => {
  let text = newestCorpusText();
  let tree = reparse(text, undefined);
  for (const [from, to] of [
    ['string runtime_api_version = 4;', 'string runtime_api_version = 4;\n'],
    ['// Mount specifies a host volume', '//\n// Mount specifies a host volume'],
    ['bool selinux_relabel = 4;', 'bool selinux_relabels = 4;'],
    ['bool readonly = 3;', 'bool read_only = 3;'],
    ['// ID of the PodSandbox to update.\n', ''],
    ['string runtime_api_version = 4;\n\n', 'string runtime_api_version = 4;\n'],
  ] as const) {
    text = replaceOnce(text, from, to);
    tree = reparse(text, tree);
    assert.deepEqual(plainTree(tree), plainTree(parse(text)), `${from} → ${to}`);
  }
});

test('after a line break typed or deleted, the diagnostics and findings of the edited api.proto are those of a whole parse', NEEDS_CORPUS, () => {
  const text = newestCorpusText();
  const history = loadBundledHistory('runtime.v1');
  const rel = history.newestRelease({ includePrereleases: false })!;
  const baseline: Baseline = { tag: rel.tag, kubernetes: rel.kubernetes, source: 'bundled', origin: 'bundled', model: history.modelAt(rel.tag)!, history };
  const uri = 'file:///api.proto';
  // A field renamed and renumbered, and a duplicate: a finding and a diagnostic after most of the edits.
  const changed = replaceOnce(replaceOnce(text, 'bool selinux_relabel = 4;', 'bool selinux_relabels = 9;'), 'bool readonly = 3;', 'bool readonly = 3;\n    int32 readonly = 4;');
  const previous = reparse(changed, undefined);
  const shown = (a: ReturnType<typeof analyze>): unknown => JSON.parse(JSON.stringify({ problems: a.bound.problems, findings: a.findings }));
  const first = analyze(changed, { uri, baseline });
  assert.ok(first.bound.problems.length > 0 && first.findings.length > 0);
  for (const e of lineEdits(changed)) {
    assert.deepEqual(shown(analyze(e.text, { uri, baseline, previous })), shown(analyze(e.text, { uri, baseline })), e.what);
  }
});

test('a line break above an aggregate option value and a custom option\'s path: their ranges are a whole parse\'s', () => {
  const text = [
    'syntax = "proto3";', 'import "google/protobuf/descriptor.proto";', '',
    'message A {', '  int32 a = 1;', '}', '',
    'message B {', '  int32 b = 1;', '}', '',
    'message C {', '  option (x).y = 1;', '  option (z) = { k: 1 };', '  int32 c = 1;', '}', '',
    'message D {', '  int32 d = 1;', '}', '',
  ].join('\n');
  const previous = reparse(text, undefined);
  for (const field of ['int32 a = 1;', 'int32 b = 1;']) {
    const edited = replaceOnce(text, field, `${field}\n`);
    const tree = reparse(edited, previous);
    const whole = parse(edited);
    assert.deepEqual(plainTree(tree), plainTree(whole), field);
    const [path, aggregate] = tree.messages[2]!.options;
    assert.deepEqual(optionPath(path!), optionPath(whole.messages[2]!.options[0]!), field);
    assert.deepEqual(aggregateOf(aggregate!), aggregateOf(whole.messages[2]!.options[1]!), field);
  }
});

test('\\r\\n line breaks typed and deleted in api.proto: each tree is a whole parse\'s', NEEDS_CORPUS, () => {
  const text = newestCorpusText().replace(/\n/g, '\r\n');
  const previous = reparse(text, undefined);
  const at = after(text, 'string runtime_api_version = 4;');
  for (const [what, edited] of [
    ['\\r\\n typed', edit(text, at, '\r\n')],
    ['\\r\\n deleted', edit(text, at, '', 2)],
    ['\\n of \\r\\n deleted', edit(text, at + 1, '', 1)],
    ['\\r of \\r\\n deleted', edit(text, at, '', 1)],
  ] as const) {
    assert.deepEqual(plainTree(reparse(edited, previous)), plainTree(parse(edited)), what);
  }
});

test('statements that are no declarations (the package, an import, an option) after a line break: the tree is a whole parse\'s', () => {
  const text = 'syntax = "proto3";\nmessage A {\n  int32 a = 1;\n}\nmessage M {}\n\npackage p;\nimport "b.proto";\noption go_package = "x";\n\nmessage B {\n  int32 b = 1;\n}\n';
  const previous = reparse(text, undefined);
  for (const edited of [replaceOnce(text, 'int32 a = 1;', 'int32 a = 1;\n  option go_package = "y";'), replaceOnce(text, '  int32 a = 1;\n', '')]) {
    assert.deepEqual(plainTree(reparse(edited, previous)), plainTree(parse(edited)), edited);
  }
});
