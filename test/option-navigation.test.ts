// Options in the editor features: Go to Definition, hover and references on the custom options of a released
// api.proto (gogoproto's, declared in the gogo.proto it imports) and of small files that declare their own; the hover
// of descriptor.proto's options (deprecated, json_name, go_package); completion of custom option names.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze } from '../server/src/service';
import { findDefinition, findReferences } from '../server/src/features/navigation';
import { doHover } from '../server/src/features/hover';
import { getCompletions } from '../server/src/features/completion';
import { TextLines } from '../server/src/fixes/text';
import { FsImportResolver } from '../server/src/lsp/importResolver';
import type { BoundFile } from '../server/src/proto/binder';
import type { Position } from '../server/src/proto/ast';
import { NEEDS_CORPUS, corpusText, newestCorpusText, replaceOnce } from './corpusText';

const GOGO_PATH = 'github.com/gogo/protobuf/gogoproto/gogo.proto';
/** The gogo.proto file options that runtime.v1's first api.proto sets (a part of gogo.proto; numbers as there). */
const GOGO = [
  'syntax = "proto2";',
  'package gogoproto;',
  'import "google/protobuf/descriptor.proto";',
  'extend google.protobuf.FileOptions {',
  '  optional bool goproto_getters_all = 63001;',
  '  optional bool goproto_stringer_all = 63003;',
  '  // Generates a Marshal method for every message of the file.',
  '  optional bool marshaler_all = 63017;',
  '  optional bool unmarshaler_all = 63018;',
  '  optional bool stringer_all = 63019;',
  '  optional bool sizer_all = 63020;',
  '  optional bool goproto_unrecognized_all = 63026;',
  '}',
  '',
].join('\n');

/** The position of the `k`-th `needle` in `text` (from 0), plus `shift` characters. */
function at(text: string, needle: string, shift = 0, k = 0): Position {
  let i = -1;
  for (let n = 0; n <= k; n++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `${needle} #${k} in the text`);
  }
  return new TextLines(text).positionAt(i + shift);
}

/**
 * runtime.v1's first api.proto (v0.20.0), changed by `edit`, and the gogo.proto it imports (`gogoText`), in a
 * directory of their own, bound.
 */
function withGogo(
  run: (api: { text: string; bound: BoundFile; imports: FsImportResolver }, gogo: { text: string; bound: BoundFile; uri: string }) => void,
  gogoText = GOGO, edit = (api: string): string => api,
): void {
  const dir = mkdtempSync(join(tmpdir(), 'cri-opt-nav-'));
  try {
    const gogoFile = join(dir, GOGO_PATH);
    mkdirSync(join(gogoFile, '..'), { recursive: true });
    writeFileSync(gogoFile, gogoText);
    const resolver = new FsImportResolver({ roots: [dir] });
    const text = edit(corpusText('v0.20.0'));
    const bound = analyze(text, { uri: pathToFileURL(join(dir, 'api.proto')).href, imports: resolver }).bound;
    const uri = pathToFileURL(gogoFile).href;
    run({ text, bound, imports: resolver }, { text: gogoText, bound: analyze(gogoText, { uri, imports: resolver }).bound, uri });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('Go to Definition on a gogoproto option of a released api.proto goes to its extension in the imported gogo.proto', NEEDS_CORPUS, () => {
  withGogo((api, gogo) => {
    assert.deepEqual(api.bound.problems.filter((p) => p.severity === 'error'), []);
    const def = findDefinition(api.bound, at(api.text, '(gogoproto.marshaler_all)', 12));
    assert.deepEqual(def, { uri: gogo.uri, range: { start: at(gogo.text, 'marshaler_all'), end: at(gogo.text, 'marshaler_all', 13) } });
    // On the `(` and on `gogoproto.` too; not on the value.
    assert.equal(findDefinition(api.bound, at(api.text, '(gogoproto.sizer_all)', 1))?.range.start.line, 10);
    assert.equal(findDefinition(api.bound, at(api.text, '(gogoproto.sizer_all) = true', 25)), null);
  });
});

test('hover on a gogoproto option: the extension, what it extends, where it is declared and its comment', NEEDS_CORPUS, () => {
  withGogo((api) => {
    const hover = doHover(api.bound, at(api.text, '(gogoproto.marshaler_all)', 3));
    assert.ok(hover, 'a hover');
    const value = hover.contents.value;
    assert.match(value, /extension gogoproto\.marshaler_all/);
    assert.match(value, /extend google\.protobuf\.FileOptions \{ optional bool marshaler_all = 63017; \}/);
    assert.match(value, /Declared in `gogo\.proto` on line 8\./);
    assert.match(value, /Generates a Marshal method/);
    assert.deepEqual(hover.range, { start: at(api.text, 'gogoproto.marshaler_all'), end: at(api.text, 'gogoproto.marshaler_all', 23) });
  });
});

test('Find All References on an extension finds the options that name it, from its declaration and from a use', NEEDS_CORPUS, () => {
  withGogo((api, gogo) => {
    const use = { uri: api.bound.uri, range: { start: at(api.text, 'gogoproto.sizer_all'), end: at(api.text, 'gogoproto.sizer_all', 19) } };
    const decl = { uri: gogo.uri, range: { start: at(gogo.text, 'sizer_all'), end: at(gogo.text, 'sizer_all', 9) } };
    assert.deepEqual(findReferences(gogo.bound, at(gogo.text, 'sizer_all', 2), { others: [{ bound: api.bound }] }), [use]);
    assert.deepEqual(findReferences(api.bound, at(api.text, 'gogoproto.sizer_all', 14), { includeDeclaration: true }), [decl, use]);
  });
});

test('hover on descriptor.proto options says what they do, and for deprecated, json_name and go_package what that means for CRI', NEEDS_CORPUS, () => {
  const text = replaceOnce(newestCorpusText(), 'string seccomp_profile_path = 7 [deprecated=true];', 'string seccomp_profile_path = 7 [deprecated=true, json_name = "seccompPath"];');
  const bound = analyze(text, { uri: 'file:///ws/api.proto' }).bound;
  const hoverAt = (p: Position): string => doHover(bound, p)?.contents.value ?? '';
  const deprecated = hoverAt(at(text, 'deprecated=true, json_name', 3));
  assert.match(deprecated, /option deprecated \(google\.protobuf\.FieldOptions\)/);
  assert.match(deprecated, /Marks this field as deprecated/);
  assert.match(deprecated, /CRI compatibility/);
  const json = hoverAt(at(text, 'json_name = "seccompPath"', 2));
  assert.match(json, /JSON/);
  assert.match(json, /breaking change/);
  assert.match(hoverAt(at(text, 'option go_package', 9)), /option go_package \(google\.protobuf\.FileOptions\)[\s\S]*import path/);
  // An option's value, and a built-in option's name under Go to Definition: nothing.
  assert.equal(doHover(bound, at(text, 'deprecated=true, json_name', 12)), null);
  assert.equal(findDefinition(bound, at(text, 'deprecated=true, json_name', 3)), null);
});

const LOCAL = [
  'syntax = "proto3";',
  'package my.pkg;',
  'import "google/protobuf/descriptor.proto";',
  'message Opt { int32 level = 1; }',
  'extend google.protobuf.FieldOptions { Opt my_opt = 50001; }',
  'extend google.protobuf.MessageOptions { bool tracked = 50002; }',
  'message M {',
  '  option (tracked) = true;',
  '  string a = 1 [(my_opt).level = 2, deprecated = true];',
  '  string b = 2 [(my.pkg.my_opt) = { level: 3 }];',
  '  string c = 3 [(nowhere) = 1];',
  '}',
  '',
].join('\n');

test('custom options declared in the file: definition, references and hover, also through a path and a qualified name', () => {
  const bound = analyze(LOCAL, { uri: 'file:///ws/local.proto' }).bound;
  const decl = (name: string): { uri: string; range: { start: Position; end: Position } } =>
    ({ uri: bound.uri, range: { start: at(LOCAL, `${name} = 5`), end: at(LOCAL, `${name} = 5`, name.length) } });
  assert.deepEqual(findDefinition(bound, at(LOCAL, '(tracked)', 2)), decl('tracked'));
  assert.deepEqual(findDefinition(bound, at(LOCAL, '(my_opt).level', 1)), decl('my_opt'));
  assert.deepEqual(findDefinition(bound, at(LOCAL, '(my.pkg.my_opt)', 9)), decl('my_opt'));
  const uses = findReferences(bound, at(LOCAL, 'my_opt = 5', 1), { includeDeclaration: true });
  assert.deepEqual(uses.map((l) => LOCAL.split('\n')[l.range.start.line]!.slice(l.range.start.character, l.range.end.character)), ['my_opt', 'my_opt', 'my.pkg.my_opt']);
  assert.match(doHover(bound, at(LOCAL, '(tracked)', 2))?.contents.value ?? '', /extension my\.pkg\.tracked[\s\S]*Declared on line 6\./);
  assert.match(doHover(bound, at(LOCAL, '(nowhere)', 2))?.contents.value ?? '', /Unknown option `\(nowhere\)`/);
  assert.equal(findDefinition(bound, at(LOCAL, '(nowhere)', 2)), null);
  // A long unknown name is shown by its beginning (a fuzzed name of a megabyte made a hover of a megabyte).
  const long = LOCAL.replace('(nowhere)', `(${'x.'.repeat(100)}y)`);
  const hover = doHover(analyze(long, { uri: 'file:///ws/local.proto' }).bound, at(long, '(x.x', 1))?.contents.value ?? '';
  assert.match(hover, /^Unknown option `\((x\.){40}…\)`/);
  assert.deepEqual(findReferences(bound, at(LOCAL, '(nowhere)', 2)), []);
});

/** A proto2 file with a custom file option `opt` of a message type that is itself extended (`extra`), and `option`. */
function withExtendedOption(option: string): string {
  return [
    'syntax = "proto2";',
    'package p;',
    'import "google/protobuf/descriptor.proto";',
    'message Opt { optional int32 level = 1; extensions 100 to 200; }',
    'extend Opt { optional int32 extra = 100; }',
    'extend google.protobuf.FileOptions { optional Opt opt = 50001; }',
    option,
    '',
  ].join('\n');
}

test('an extension in a custom option\'s path (`(opt).(extra)`) leads to its own declaration', () => {
  const text = withExtendedOption('option (opt).(extra) = 3;');
  const bound = analyze(text, { uri: 'file:///ws/path.proto' }).bound;
  assert.deepEqual(bound.problems.filter((p) => p.severity === 'error'), []);
  assert.deepEqual(findDefinition(bound, at(text, '(extra) =', 2))?.range, { start: at(text, 'extra = 100'), end: at(text, 'extra = 100', 5) });
  assert.deepEqual(findDefinition(bound, at(text, '(opt).', 1))?.range, { start: at(text, 'opt = 5'), end: at(text, 'opt = 5', 3) });
  assert.deepEqual(findReferences(bound, at(text, 'extra = 100', 1)).map((l) => l.range.start), [at(text, 'extra) =')]);
});

test('an option name written with spaces: each part of its path is where the parser read it, not counted as its extension', () => {
  const text = withExtendedOption('option ( opt ) . ( extra ) = 3;');
  const bound = analyze(text, { uri: 'file:///ws/spaced.proto' }).bound;
  assert.deepEqual(bound.problems.filter((p) => p.severity === 'error'), []);
  assert.deepEqual(findDefinition(bound, at(text, 'extra ) =', 2))?.range, { start: at(text, 'extra = 100'), end: at(text, 'extra = 100', 5) });
  assert.deepEqual(findDefinition(bound, at(text, 'opt ) .', 1))?.range, { start: at(text, 'opt = 5'), end: at(text, 'opt = 5', 3) });
  assert.deepEqual(findReferences(bound, at(text, 'extra = 100', 1)).map((l) => l.range.start), [at(text, 'extra ) =')]);
  assert.deepEqual(doHover(bound, at(text, 'extra ) =', 2))?.range, { start: at(text, 'extra ) ='), end: at(text, 'extra ) =', 5) });
  // An extension as a key of an aggregate value (`[p.extra]`) leads to it too.
  const keyed = text.replace('option ( opt ) . ( extra ) = 3;', 'option (opt) = { level: 1, [p.extra]: 4 };');
  const keyedBound = analyze(keyed, { uri: 'file:///ws/spaced.proto' }).bound;
  assert.deepEqual(keyedBound.problems.filter((p) => p.severity === 'error'), []);
  assert.deepEqual(findDefinition(keyedBound, at(keyed, 'p.extra]', 2))?.range, { start: at(keyed, 'extra = 100'), end: at(keyed, 'extra = 100', 5) });
  assert.deepEqual(findDefinition(keyedBound, at(keyed, 'level: 1', 2))?.range, { start: at(keyed, 'level = 1'), end: at(keyed, 'level = 1', 5) });
});

test('completion offers the custom options declared for the element being given options, not those of another, and none in a comment', () => {
  const complete = (marked: string): ReturnType<typeof getCompletions> => {
    const k = marked.indexOf('‸');
    const text = marked.slice(0, k) + marked.slice(k + 1);
    return getCompletions(analyze(text, { uri: 'file:///ws/local.proto' }), text, new TextLines(text).positionAt(k));
  };
  const inM = (line: string): ReturnType<typeof getCompletions> => complete(LOCAL.replace('message M {\n', `message M {\n${line}\n`));
  const labels = (items: ReturnType<typeof getCompletions>): string[] => items.map((i) => i.label);
  const field = labels(inM('  string d = 4 [‸'));
  assert.ok(field.includes('(my_opt)') && field.includes('json_name') && !field.includes('(tracked)'), field.join());
  const message = labels(inM('  option ‸'));
  assert.ok(message.includes('(tracked)') && message.includes('deprecated') && !message.includes('(my_opt)'), message.join());
  // A `(` typed, with the `)` the editor added after it: the name replaces both.
  const typed = inM('  string d = 4 [deprecated = true, (my‸)]').find((i) => i.label === '(my_opt)');
  assert.ok(typed, 'offered after `(my`');
  const line = 7;
  assert.deepEqual(typed.textEdit, { range: { start: { line, character: 35 }, end: { line, character: 39 } }, newText: '(my_opt)' });
  assert.deepEqual(inM('  // string d = 4 [‸'), []);
  assert.deepEqual(inM('  string d = 4 [json_name = "[‸'), []);
});

/** GOGO with a message-typed field option of the kind Go plugins declare (not gogo.proto's own): its fields are set by a path or an aggregate. */
const GOGO_TAGS = GOGO + [
  '// Struct tags of a generated Go field.',
  'message Tags {',
  '  // The json tag of the field.',
  '  optional string json = 1;',
  '  optional Inner inner = 2;',
  '  message Inner { optional int32 level = 1; }',
  '}',
  'extend google.protobuf.FieldOptions {',
  '  optional Tags tags = 65100;',
  '}',
  '',
].join('\n');

/** VersionRequest's field of v0.20.0 with a path into the imported option, and VersionResponse's with an aggregate. */
const setTags = (api: string): string => replaceOnce(
  replaceOnce(api, 'string version = 1;\n}\n\nmessage VersionResponse', 'string version = 1 [(gogoproto.tags).json = "v"];\n}\n\nmessage VersionResponse'),
  'string runtime_name = 2;', 'string runtime_name = 2 [(gogoproto.tags) = { json: "w", inner { level: 1 } }];',
);

test('a field of an imported custom option\'s message, in its path or its aggregate value, leads to its declaration and hovers', NEEDS_CORPUS, () => {
  withGogo((api, gogo) => {
    assert.deepEqual(api.bound.problems.filter((p) => p.severity === 'error'), []);
    const inGogo = (needle: string, name: string): { uri: string; range: { start: Position; end: Position } } =>
      ({ uri: gogo.uri, range: { start: at(gogo.text, needle), end: at(gogo.text, needle, name.length) } });
    // `.json` of the path; the option's name still leads to the extension.
    assert.deepEqual(findDefinition(api.bound, at(api.text, '.json = "v"', 2)), inGogo('json = 1', 'json'));
    assert.deepEqual(findDefinition(api.bound, at(api.text, '(gogoproto.tags).json', 12))?.range.start, at(gogo.text, 'tags = 65100'));
    // The keys of the aggregate, into a nested message too; not its values.
    assert.deepEqual(findDefinition(api.bound, at(api.text, 'json: "w"', 1)), inGogo('json = 1', 'json'));
    assert.deepEqual(findDefinition(api.bound, at(api.text, 'inner { level', 2)), inGogo('inner = 2', 'inner'));
    assert.deepEqual(findDefinition(api.bound, at(api.text, 'level: 1 }', 3)), inGogo('level = 1', 'level'));
    assert.equal(findDefinition(api.bound, at(api.text, '"w"', 1)), null);
    const hover = doHover(api.bound, at(api.text, '.json = "v"', 3));
    assert.ok(hover, 'a hover on the path\'s field');
    assert.match(hover.contents.value, /field gogoproto\.Tags\.json\noptional string json = 1/);
    assert.match(hover.contents.value, /Declared in `gogo\.proto` on line 17\./);
    assert.match(hover.contents.value, /The json tag of the field/);
    assert.deepEqual(hover.range, { start: at(api.text, 'json = "v"'), end: at(api.text, 'json = "v"', 4) });
    assert.match(doHover(api.bound, at(api.text, 'level: 1 }', 1))?.contents.value ?? '', /field gogoproto\.Tags\.Inner\.level\noptional int32 level = 1/);
  }, GOGO_TAGS, setTags);
});

test('a field of a custom option declared in the file: from its path and its aggregate value, also with spaces in the name', () => {
  const text = LOCAL.replace('  string c = 3', '  string e = 5 [( my_opt ) . level = 4];\n  string f = 6 [(my_opt)\n    .level = 5];\n  string c = 3');
  const bound = analyze(text, { uri: 'file:///ws/local.proto' }).bound;
  assert.deepEqual(bound.problems.filter((p) => p.severity === 'error').map((p) => p.message), [
    'option "(nowhere)" is unknown: no extension of that name is declared in this file or its imports',
  ]);
  const level = { uri: bound.uri, range: { start: at(text, 'level = 1'), end: at(text, 'level = 1', 5) } };
  const myOpt = { uri: bound.uri, range: { start: at(text, 'my_opt = 5'), end: at(text, 'my_opt = 5', 6) } };
  assert.deepEqual(findDefinition(bound, at(text, '(my_opt).level = 2', 10)), level);
  assert.deepEqual(findDefinition(bound, at(text, 'level: 3', 2)), level);
  assert.match(doHover(bound, at(text, '(my_opt).level = 2', 10))?.contents.value ?? '', /field my\.pkg\.Opt\.level\nint32 level = 1[\s\S]*Declared on line 4\./);
  // Written with spaces, the path's part is where the parser read it, and the name's extension before it.
  assert.deepEqual(findDefinition(bound, at(text, '. level = 4', 3)), level);
  assert.deepEqual(doHover(bound, at(text, '. level = 4', 3))?.range, { start: at(text, 'level = 4'), end: at(text, 'level = 4', 5) });
  assert.deepEqual(findDefinition(bound, at(text, '( my_opt )', 3)), myOpt);
  // The extension's range (spaces kept out of the name, so not where inside it) ends at the path's first `.`.
  assert.deepEqual(doHover(bound, at(text, '( my_opt )', 3))?.range, { start: at(text, '( my_opt )'), end: at(text, ') . level = 4', 2) });
  // On two lines.
  assert.deepEqual(findDefinition(bound, at(text, '.level = 5', 2)), level);
  assert.deepEqual(findDefinition(bound, at(text, '(my_opt)\n', 2)), myOpt);
  // A field's own references: its declaration only, as for a field name.
  assert.deepEqual(findReferences(bound, at(text, 'level: 3', 2), { includeDeclaration: true }), [level]);
});

const VALUES = [
  'syntax = "proto3";',
  'package my.pkg;',
  'import "google/protobuf/descriptor.proto";',
  'enum Level { LEVEL_UNSPECIFIED = 0; LOW = 1; HIGH = 2; }',
  'message Opt {',
  '  Level level = 1;',
  '  bool on = 2;',
  '  Inner inner = 3;',
  '  message Inner { bool deep = 1; string note = 2; }',
  '}',
  'extend google.protobuf.FieldOptions { Opt my_opt = 50001; Level lvl = 50002; bool flag = 50003; }',
  'extend google.protobuf.MessageOptions { bool tracked = 50004; }',
  'message M {',
  '  string a = 1;',
  '}',
  '',
].join('\n');

/** The completions at `‸` of `marked`, the text with the cursor's place marked. */
function completeAt(marked: string, bound?: (text: string) => BoundFile): ReturnType<typeof getCompletions> {
  const k = marked.indexOf('‸');
  const text = marked.slice(0, k) + marked.slice(k + 1);
  const input = bound ? { bound: bound(text) } : analyze(text, { uri: 'file:///ws/values.proto' });
  return getCompletions(input, text, new TextLines(text).positionAt(k));
}

test('completion of a custom option\'s value: an enum\'s values or true and false after `=`, along its path, and in its aggregate value its fields and their values', () => {
  const inM = (line: string): string[] => completeAt(VALUES.replace('  string a = 1;\n', `  string a = 1;\n${line}\n`)).map((i) => i.label);
  const levels = ['LEVEL_UNSPECIFIED', 'LOW', 'HIGH'];
  assert.deepEqual(inM('  string d = 4 [(lvl) = ‸'), levels);
  assert.deepEqual(inM('  string d = 4 [(flag) = ‸]'), ['true', 'false']);
  assert.deepEqual(inM('  option (tracked) = ‸'), ['true', 'false']);
  assert.deepEqual(inM('  string d = 4 [(my_opt).level = ‸'), levels);
  assert.deepEqual(inM('  string d = 4 [(my_opt) . inner.deep = ‸'), ['true', 'false']);
  assert.deepEqual(inM('  string d = 4 [(my_opt) = { ‸'), ['level', 'on', 'inner']);
  assert.deepEqual(inM('  string d = 4 [(my_opt) = { level: HIGH, inner { ‸'), ['deep', 'note']);
  assert.deepEqual(inM('  string d = 4 [(my_opt) = { inner { deep: true } ‸'), ['level', 'on', 'inner']);
  assert.deepEqual(inM('  string d = 4 [(my_opt) = { level: ‸'), levels);
  assert.deepEqual(inM('  string d = 4 [(my_opt) = { inner: { deep: ‸'), ['true', 'false']);
  // A message, a string, a number take no names; nor does an unknown option.
  assert.deepEqual(inM('  string d = 4 [(my_opt) = ‸'), []);
  assert.deepEqual(inM('  string d = 4 [(my_opt) = { inner { note: ‸'), []);
  assert.deepEqual(inM('  string d = 4 [(nowhere) = ‸'), []);
  // The word typed so far is replaced; another option after the value is completed as before.
  const typed = completeAt(VALUES.replace('  string a = 1;', '  string a = 1 [(lvl) = HI‸];')).find((i) => i.label === 'HIGH');
  assert.deepEqual(typed?.textEdit, { range: { start: { line: 13, character: 24 }, end: { line: 13, character: 26 } }, newText: 'HIGH' });
  assert.deepEqual(inM('  string d = 4 [(lvl) = LOW, deprecated = ‸'), ['true', 'false']);
  assert.ok(inM('  string d = 4 [(lvl) = LOW, ‸').includes('(my_opt)'));
});

test('completion in the aggregate value of an imported custom option of a released api.proto offers its message\'s fields; a gogoproto bool option true and false', NEEDS_CORPUS, () => {
  withGogo((api) => {
    const bind = (text: string): BoundFile => analyze(text, { uri: api.bound.uri, imports: api.imports }).bound;
    const marked = replaceOnce(api.text, 'string runtime_name = 2 [(gogoproto.tags) = { json: "w", inner { level: 1 } }];', 'string runtime_name = 2 [(gogoproto.tags) = { json: "w", inner { ‸');
    assert.deepEqual(completeAt(marked, bind).map((i) => i.label), ['level']);
    assert.deepEqual(completeAt(replaceOnce(marked, 'inner { ‸', '‸'), bind).map((i) => [i.label, i.detail]), [
      ['json', 'optional string (gogoproto.Tags)'], ['inner', 'optional Inner (gogoproto.Tags)'],
    ]);
    assert.deepEqual(completeAt(replaceOnce(api.text, '(gogoproto.sizer_all) = true', '(gogoproto.sizer_all) = ‸'), bind).map((i) => i.label), ['true', 'false']);
  }, GOGO_TAGS, setTags);
});
