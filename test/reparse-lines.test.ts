// reparse() after an edit that adds or removes lines, at the start, the middle and the end of the newest api.proto,
// in comments, strings and the doc comments that attach to the next declaration: every line after the edit moves.
// Each tree must be a whole parse's (every range and comment line), and so must what is built on it: the diagnostics
// and findings, and the option data kept beside the nodes. And edits on the lines between two statements (a doc
// comment, a blank line; below the file's options too), which keep the statement above them.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parse, parsedTextOf } from '../server/src/proto/parser';
import { reparse } from '../server/src/proto/reparse';
import { aggregateOf } from '../server/src/proto/aggregate';
import { optionPath } from '../server/src/proto/optionPath';
import { analyze } from '../server/src/service';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import type { Baseline } from '../server/src/baseline/types';
import type { ProtoFile } from '../server/src/proto/ast';
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

type Declaration = ProtoFile['services'][number] | ProtoFile['messages'][number] | ProtoFile['enums'][number] | ProtoFile['extends'][number];

/** Where each line of `text` starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) starts.push(k + 1);
  return starts;
}

test('an edit between the file options and the first service\'s doc comment keeps the statements before it, and after an edit within a line the declarations after the service; each tree is a whole parse\'s', NEEDS_CORPUS, () => {
  const text = newestCorpusText();
  const previous = reparse(text, undefined);
  // From the line after `option go_package` (a blank line, then the service's doc comment) to the service keyword.
  const from = after(text, 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1";\n');
  const to = text.indexOf('service RuntimeService {');
  let reused = 0;
  let compared = 0;
  for (let at = from; at < to; at++) {
    const edits: [what: string, text: string, withinLine: boolean][] = [
      ['a space typed', edit(text, at, ' '), true],
      ['Enter typed', edit(text, at, '\n'), false],
      ['a character deleted', edit(text, at, '', 1), text[at] !== '\n'],
    ];
    for (const [what, edited, withinLine] of edits) {
      const label = `${what} at ${JSON.stringify(`${text.slice(at - 12, at)}|${text.slice(at, at + 12)}`)}`;
      const tree = reparse(edited, previous);
      // Where the edit leaves the file without errors (not in `//`, nor a comment cut), the options are kept,
      // not read again, and so, after an edit within a line, are the messages after the service.
      if (parse(edited).errors.length === 0) {
        reused++;
        assert.equal(parsedTextOf(tree)?.generation, 1, label);
        assert.equal(tree.options[0], previous.options[0], label);
        assert.equal(tree.package, previous.package, label);
        if (withinLine) assert.equal(tree.messages[0], previous.messages[0], label);
        assert.notEqual(tree.services[0], previous.services[0], label);
      }
      // A whole tree compared costs a fifth of a second: every fourth position, one edit each.
      if ((at - from) % 4 === 0 && edits[((at - from) / 4) % edits.length]![0] === what) {
        compared++;
        assert.deepEqual(plainTree(tree), plainTree(parse(edited)), label);
        assert.deepEqual(plainTree(reparse(text, tree)), plainTree(previous), `${label}, undone`);
      }
    }
  }
  assert.ok(reused > 100 && compared > 15, `${reused} kept the options, ${compared} compared`);
});

test('an edit on a line between two declarations of api.proto (a doc comment, a blank line) keeps the declaration before it; each tree is a whole parse\'s', NEEDS_CORPUS, () => {
  const text = newestCorpusText();
  const previous = reparse(text, undefined);
  const starts = lineStarts(text);
  const declarations = (file: ProtoFile): Declaration[] => [...file.services, ...file.messages, ...file.enums, ...file.extends];
  const before = declarations(previous).sort((a, b) => a.range.start.line - b.range.start.line);
  let gaps = 0;
  for (let k = 1; k < before.length; k++) {
    // The line right above the declaration's keyword: the last of its doc comment, or a blank line.
    const line = before[k]!.range.start.line - 1;
    if (line <= before[k - 1]!.range.end.line) continue;
    gaps++;
    for (const [what, edited, withinLine] of [
      ['a space typed at the start of the line above', edit(text, starts[line]!, ' '), true],
      ['Enter typed at the end of the line above', edit(text, starts[line + 1]! - 1, '\n'), false],
    ] as const) {
      const label = `${what} ${JSON.stringify(text.slice(starts[line]!, starts[line + 1]! + 30))}`;
      const tree = reparse(edited, previous);
      assert.equal(parsedTextOf(tree)?.generation, 1, label);
      const kept = declarations(tree);
      assert.ok(kept.includes(before[k - 1]), `${label}: the declaration before it was read again`);
      assert.ok(!kept.includes(before[k]), `${label}: the declaration it documents was kept`);
      if (withinLine && k + 1 < before.length) assert.ok(kept.includes(before[k + 1]), `${label}: the declaration after it was read again`);
      if (k % 20 === 1) assert.deepEqual(plainTree(tree), plainTree(parse(edited)), label);
    }
  }
  assert.ok(gaps > 150, `${gaps} gaps`);
});
