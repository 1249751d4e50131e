// A declaration half typed into a released api.proto (a word alone on its line, a type without its name) is a
// syntax error, and only that: the parser must not take the next line's declaration into it, or the check
// reports that released declaration deleted (RPC_NO_DELETE, FIELD_NO_DELETE, MESSAGE_NO_DELETE) at every keystroke.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import type { ApiModel } from '../server/src/proto/model';
import type { Baseline } from '../server/src/baseline/types';
import { analyze } from '../server/src/service';
import { NEEDS_CORPUS, newestCorpusText, replaceOnce } from './corpusText';

const VERSION_RPC = '    rpc Version(VersionRequest) returns (VersionResponse) {}\n';
const VERSION_REQUEST = 'message VersionRequest {\n';
const VERSION_RESPONSE = '\nmessage VersionResponse {';
const UDP = '    UDP = 1;\n';

/** Where the author types, and what they have typed so far: each a line of its own before a released declaration. */
const HALF_TYPED: [anchor: string, typed: string][] = [
  [VERSION_RPC, '    r'],
  [VERSION_RPC, '    /'],
  [VERSION_RPC, '    rpc'],
  [VERSION_RPC, '    rpc GetFoo(GetFooRequest) r'],
  [VERSION_RPC, '    rpc GetFoo(GetFooRequest) returns (GetFooResponse) {'],
  [VERSION_RPC, '    rpc GetFoo(GetFooRequest) returns (GetFooResponse) { o'],
  [VERSION_RPC, '    rpc GetFoo('],
  [VERSION_RPC, '    rpc GetFoo(GetFooRequest) returns ('],
  [VERSION_RPC, '    rpc GetFoo(GetFooRequest) returns (stream'],
  [VERSION_RPC, '    message'],
  [VERSION_RPC, '    enum'],
  [VERSION_REQUEST, '    s'],
  [VERSION_REQUEST, '    string'],
  [VERSION_REQUEST, '    repeated string'],
  [VERSION_REQUEST, '    map<>'],
  [VERSION_REQUEST, '    message'],
  [VERSION_REQUEST, '    oneof'],
  [VERSION_REQUEST, '    option'],
  [VERSION_REQUEST, '    option deprecated ='],
  [VERSION_REQUEST, '    reserved 7,'],
  [VERSION_REQUEST, '    reserved 2 t'],
  [VERSION_REQUEST, '    option ('],
  [VERSION_REQUEST, '    .runtime.'],
  [VERSION_REQUEST, '    repeated .runtime.v1.'],
  [VERSION_REQUEST, '    string foo = 9 ['],
  [VERSION_REQUEST, '    string foo = 9 [deprecated = true,'],
  [UDP, '    reserved'],
  [UDP, '    reserved 9 t'],
  [UDP, '    /'],
  [UDP, '    FOO = 3 ['],
  [UDP, '    FOO = 3 [deprecated = true,'],
  [VERSION_RESPONSE, 'message'],
  [VERSION_RESPONSE, 'enum'],
  [VERSION_RESPONSE, 'service'],
  [VERSION_RESPONSE, 'extend'],
  [VERSION_RESPONSE, 'option (gogoproto.'],
  [VERSION_RESPONSE, 'option ('],
  [VERSION_RESPONSE, 'option java_package.'],
  // A block whose `}` is not typed yet, and what is typed on its last line so far.
  [VERSION_RESPONSE, 'message New {\n    repeated'],
  [VERSION_RESPONSE, 'message New {\n    string a = 1;\n    optional'],
  [VERSION_RESPONSE, 'message New {\n    string a = 1;'],
  [VERSION_RESPONSE, 'enum New {\n    NEW_UNSPECIFIED = 0;'],
  [VERSION_REQUEST, '    message Inner {'],
  [VERSION_REQUEST, '    enum Inner {\n        INNER_UNSPECIFIED = 0;'],
  [VERSION_REQUEST, '    oneof choice {\n        string a = 9;'],
];

/** Every released declaration by its full name. */
function declarations(model: ApiModel): Set<string> {
  const out = new Set<string>();
  for (const m of model.messages) {
    out.add(m.fqn);
    for (const f of m.fields) out.add(`${m.fqn}.${f.name}`);
  }
  for (const e of model.enums) {
    out.add(e.fqn);
    for (const v of e.values) out.add(`${e.fqn}.${v.name}`);
  }
  for (const s of model.services) for (const r of s.rpcs) out.add(`${s.fqn}.${r.name}`);
  return out;
}

test('a half-typed declaration is a syntax error and reports no released declaration deleted or changed', NEEDS_CORPUS, () => {
  const released = newestCorpusText();
  const baseline: Baseline = { tag: 'v0.0.0-test', source: 'path', origin: 'test', model: bind(parse(released), 'released.proto').model };
  const releasedNames = declarations(baseline.model);
  const lost: string[] = [];
  const findings: string[] = [];
  const valid: string[] = [];
  for (const [anchor, typed] of HALF_TYPED) {
    const text = replaceOnce(released, anchor, anchor.startsWith('\n') ? `\n${typed}\n${anchor}` : `${anchor}${typed}\n`);
    const a = analyze(text, { uri: 'file:///work/api.proto', baseline });
    if (!a.bound.ast.errors.length) valid.push(typed);
    const kept = declarations(a.bound.model);
    for (const n of releasedNames) if (!kept.has(n)) lost.push(`${typed.trim()}: ${n}`);
    for (const f of a.findings) if (releasedNames.has(f.element)) findings.push(`${typed.trim()}: ${f.rule} ${f.element}`);
  }
  assert.deepEqual(valid, [], 'no syntax error');
  assert.deepEqual(lost, [], 'released declarations lost');
  assert.deepEqual(findings, [], 'findings on released declarations');
});

const VERSION_RESPONSE_BODY = 'message VersionResponse {\n';
/** Typed after it, the rpc's `{}` holds what is typed. */
const VERSION_RPC_BODY = '    rpc Version(VersionRequest) returns (VersionResponse) {';

/**
 * A `{` typed at the end of a line that opens no block there, before released members of the enclosing block: typed
 * so far, the text has a `{` without its `}`.
 */
const STRAY_BRACE: [anchor: string, typed: string][] = [
  [VERSION_RESPONSE_BODY, '    string Foo {'],
  [VERSION_RESPONSE_BODY, '    option Foo {'],
  [VERSION_RESPONSE_BODY, '    rpc Foo {'],
  [VERSION_RESPONSE_BODY, '    Foo {'],
  [VERSION_RESPONSE_BODY, '    string foo = 5 {'],
  [UDP, '    FOO {'],
  [UDP, '    FOO = 3 {'],
  [UDP, '    rpc Foo {'],
  [UDP, '    option Foo {'],
  [VERSION_RPC, '    option Foo {'],
  [VERSION_RPC, '    string Foo {'],
  // A declaration that cannot be in the block, its body not typed yet: an error in the block, not the block's end.
  [VERSION_RPC, '    message Foo {'],
  [VERSION_RPC, '    enum Foo {'],
  [VERSION_RESPONSE_BODY, '    service Foo {'],
  [UDP, '    message Foo {'],
  [VERSION_RPC_BODY, '\n        message Foo {\n        option deprecated = true;\n    '],
  // Below it, a member typed next that is no field of a simple type: the `{` is still the stray one.
  [VERSION_RESPONSE_BODY, '    string Foo {\n    reserved 9;'],
  [VERSION_RESPONSE_BODY, '    string Foo {\n    reserved "foo", "bar";'],
  [VERSION_RESPONSE_BODY, '    string Foo {\n    oneof x {\n        string a = 9;\n    }'],
  [VERSION_RESPONSE_BODY, '    string Foo {\n    .runtime.v1.VersionRequest bar = 9;'],
  [VERSION_RESPONSE_BODY, '    string Foo {\n    runtime.v1.VersionRequest bar = 9;'],
  [VERSION_RESPONSE_BODY, '    string Foo {\n    repeated .runtime.v1.VersionRequest bar = 9;'],
  [UDP, '    FOO {\n    reserved 9;'],
  [UDP, '    FOO {\n    reserved "FOO";'],
];

test('a `{` typed where it opens no block is an error on its line and takes no released declaration after it', NEEDS_CORPUS, () => {
  const released = newestCorpusText();
  const releasedNames = declarations(bind(parse(released), 'released.proto').model);
  const lost: string[] = [];
  const misplaced: string[] = [];
  for (const [anchor, typed] of STRAY_BRACE) {
    const text = replaceOnce(released, anchor, `${anchor}${typed}\n`);
    const line = text.slice(0, text.indexOf(anchor) + anchor.length + typed.indexOf('{')).split('\n').length - 1;
    const ast = parse(text);
    assert.notDeepEqual(ast.errors, [], `${JSON.stringify(typed)}: a syntax error`);
    for (const e of ast.errors) if (e.range.start.line !== line) misplaced.push(`${typed.trim()}: line ${e.range.start.line + 1}: ${e.message}`);
    const kept = declarations(bind(ast, 'typed.proto').model);
    for (const n of releasedNames) if (!kept.has(n)) lost.push(`${typed.trim()}: ${n}`);
  }
  assert.deepEqual(lost, [], 'released declarations lost');
  assert.deepEqual(misplaced, [], 'errors away from the typed line');
});

/** An extend typed on a line of its own, to a dotted name: into messages, where it may be, and a service and an enum. */
const EXTEND_TYPED = ['    extend a.b {', '    extend .runtime.v1.VersionResponse {'];
const EXTEND_AT = [VERSION_REQUEST, VERSION_RESPONSE_BODY, VERSION_RPC, UDP];

test('an extend typed keystroke by keystroke is an error on its line and takes no released declaration after it', NEEDS_CORPUS, () => {
  const released = newestCorpusText();
  const releasedNames = declarations(bind(parse(released), 'released.proto').model);
  const lost: string[] = [];
  const misplaced: string[] = [];
  for (const anchor of EXTEND_AT) {
    for (const full of EXTEND_TYPED) {
      for (let k = '    extend '.length; k <= full.length; k++) {
        const typed = full.slice(0, k);
        const text = replaceOnce(released, anchor, `${anchor}${typed}\n`);
        const line = text.slice(0, text.indexOf(anchor) + anchor.length).split('\n').length - 1;
        const ast = parse(text);
        for (const e of ast.errors) if (e.range.start.line !== line) misplaced.push(`${typed.trim()} after ${anchor.trim()}: line ${e.range.start.line + 1}: ${e.message}`);
        const kept = declarations(bind(ast, 'typed.proto').model);
        for (const n of releasedNames) if (!kept.has(n)) lost.push(`${typed.trim()} after ${anchor.trim()}: ${n}`);
      }
    }
  }
  assert.deepEqual(lost, [], 'released declarations lost');
  assert.deepEqual(misplaced, [], 'errors away from the typed line');
});

const RUNTIME_SERVICE = 'service RuntimeService {\n';

/**
 * `typed` on lines of their own after `anchor` (before it, where `anchor` starts with a line break), parsed: the
 * released declarations it takes, and the syntax errors it shows away from its own lines.
 */
function typedIn(released: string, releasedNames: Set<string>, [anchor, typed]: [string, string]): { lost: string[]; misplaced: string[] } {
  const before = anchor.startsWith('\n');
  const text = replaceOnce(released, anchor, before ? `\n${typed}\n${anchor}` : `${anchor}${typed}\n`);
  const first = released.slice(0, released.indexOf(anchor) + (before ? 1 : anchor.length)).split('\n').length - 1;
  const last = first + typed.split('\n').length - 1;
  const ast = parse(text);
  const label = typed.trim().split('\n')[0];
  assert.notDeepEqual(ast.errors, [], `${JSON.stringify(typed)}: a syntax error`);
  const misplaced = ast.errors.filter((e) => e.range.start.line < first || e.range.start.line > last).map((e) => `${label}: line ${e.range.start.line + 1}: ${e.message}`);
  const kept = declarations(bind(ast, 'typed.proto').model);
  return { lost: [...releasedNames].filter((n) => !kept.has(n)).map((n) => `${label}: ${n}`), misplaced };
}

/** Each of `cases` typed into the newest release (`typedIn`) takes no released declaration and shows no error away. */
function takesNothing(cases: [anchor: string, typed: string][]): void {
  const released = newestCorpusText();
  const releasedNames = declarations(bind(parse(released), 'released.proto').model);
  const lost: string[] = [];
  const misplaced: string[] = [];
  for (const c of cases) {
    const r = typedIn(released, releasedNames, c);
    lost.push(...r.lost);
    misplaced.push(...r.misplaced);
  }
  assert.deepEqual(lost, [], 'released declarations lost');
  assert.deepEqual(misplaced, [], 'errors away from the typed lines');
}

/** An aggregate option value whose `}` is not typed yet, and what is typed in it so far. */
const UNCLOSED_AGGREGATE: [anchor: string, typed: string][] = [
  [RUNTIME_SERVICE, '    option (x) = {'],
  [RUNTIME_SERVICE, '    option (x) = {\n        a: 1'],
  [RUNTIME_SERVICE, '    option (x) = {\n        a {\n            b: 1'],
  [VERSION_RPC, '    rpc GetFoo(GetFooRequest) returns (GetFooResponse) {\n        option (x) = {'],
  [VERSION_RESPONSE_BODY, '    option (x) = {'],
  [VERSION_RESPONSE_BODY, '    option (x) = { a: 1'],
  [VERSION_RESPONSE_BODY, '    string foo = 9 [(x) = {'],
  [VERSION_RESPONSE_BODY, '    string foo = 9 [(x) = {\n        a: 1'],
  [UDP, '    FOO = 3 [(x) = {'],
  [UDP, '    option (x) = {'],
  [VERSION_RESPONSE, 'option (x) = {'],
];

test('an aggregate option value typed without its `}` ends before the next declaration, with an error on its lines', NEEDS_CORPUS, () => takesNothing(UNCLOSED_AGGREGATE));

const VERSION_REQUEST_LAST = `${VERSION_REQUEST}    // Version of the kubelet runtime API.\n    string version = 1;\n`;

/**
 * An aggregate option value typed without its `}` as the last member of a block: the next line is the block's `}`
 * (of a message, a nested enum, a service, an rpc's options), which is not the value's.
 */
const LAST_MEMBER_AGGREGATE: [anchor: string, typed: string][] = [
  [VERSION_REQUEST_LAST, '    option (x) = {\n'],
  [VERSION_REQUEST_LAST, '    option (x) = { a: 1\n'],
  [VERSION_REQUEST_LAST, '    option (x) = {\n        a {\n            b: 1\n'],
  [VERSION_REQUEST_LAST, '    string foo = 9 [(x) = {\n'],
  ['        Localhost = 2;\n', '        option (x) = {\n'],
  ['        Localhost = 2;\n', '        FOO = 3 [(x) = {\n'],
  ['    rpc ImageFsInfo(ImageFsInfoRequest) returns (ImageFsInfoResponse) {}\n', '    option (x) = {\n'],
  [VERSION_RPC_BODY, '\n        option (x) = {\n    '],
];

test('an aggregate option value typed without its `}` as the last member of a block leaves the block its `}`, with the error where it is typed', NEEDS_CORPUS, () => {
  const released = newestCorpusText();
  const releasedNames = declarations(bind(parse(released), 'released.proto').model);
  const lost: string[] = [];
  const misplaced: string[] = [];
  for (const [anchor, typed] of LAST_MEMBER_AGGREGATE) {
    const text = replaceOnce(released, anchor, anchor + typed);
    const label = typed.trim().split('\n')[0];
    const lineAt = (offset: number): number => text.slice(0, offset).split('\n').length - 1;
    // From the value's `{` to the last line typed.
    const lines = [lineAt(text.indexOf('(x) = {')), lineAt(text.indexOf(anchor) + anchor.length + typed.trimEnd().length)];
    const ast = parse(text);
    assert.notDeepEqual(ast.errors, [], `${JSON.stringify(typed)}: a syntax error`);
    for (const e of ast.errors) if (e.range.start.line < lines[0]! || e.range.start.line > lines[1]!) misplaced.push(`${label}: line ${e.range.start.line + 1}: ${e.message}`);
    const kept = declarations(bind(ast, 'typed.proto').model);
    for (const n of releasedNames) if (!kept.has(n)) lost.push(`${label}: ${n}`);
  }
  assert.deepEqual(lost, [], 'released declarations lost');
  assert.deepEqual(misplaced, [], 'errors away from the value being typed');
});

/** A block typed without its `}` as the last member of a block, so far: the next line is the enclosing block's `}`. */
const LAST_MEMBER_BLOCK: [anchor: string, typed: string][] = [
  [VERSION_REQUEST_LAST, '    oneof x {\n        string a = 2;'],
  [VERSION_REQUEST_LAST, '    message X {\n        string a = 1;'],
  [VERSION_REQUEST_LAST, '    message X {\n        option (x) = {'],
  [VERSION_REQUEST_LAST, '    rpc Foo(A) returns (B) {\n        option (x) = {'],
  [VERSION_REQUEST_LAST, '    string X {\n        option (x) = {'],
  ['    rpc ImageFsInfo(ImageFsInfoRequest) returns (ImageFsInfoResponse) {}\n', '    message X {\n        string a = 1;'],
  ['    rpc ImageFsInfo(ImageFsInfoRequest) returns (ImageFsInfoResponse) {}\n', '    rpc Foo(A) returns (B) {\n        option (x) = {'],
];

test('a block typed without its `}` as the last member of a block leaves the block its `}`, with the error where it is typed', NEEDS_CORPUS, () => takesNothing(LAST_MEMBER_BLOCK));

/**
 * A broken statement with a second `{` (an aggregate value, a nested declaration) on its line or below it, typed so
 * far: an rpc and its options in a message or an enum, or its name missing in a service; `message X { mesage Y {`.
 */
const LATER_BRACE: [anchor: string, typed: string][] = [
  [VERSION_RESPONSE_BODY, '    rpc Foo(A) returns (B) {\n        option (x) = {'],
  [VERSION_RESPONSE_BODY, '    rpc Foo(A) returns (B) {\n        option (x) = {\n            a: 1'],
  [UDP, '    rpc Foo(A) returns (B) {\n        option (x) = {'],
  [RUNTIME_SERVICE, '    rpc (A) returns (B) {\n        option (x) = {'],
  [RUNTIME_SERVICE, '    rpc Foo(A) returns B) {\n        option (x) = {'],
  [VERSION_RESPONSE_BODY, '    string X {\n        option (y) = {'],
  [UDP, '    FOO {\n        option (x) = {'],
  [VERSION_RESPONSE_BODY, '    message X { mesage Y {\n        option (y) = {'],
  [VERSION_RESPONSE_BODY, '    message X { mesage Y {\n        option (y) = 1;'],
  [VERSION_RESPONSE_BODY, '    message X { mesage Y {\n        a: 1'],
];

test('a later `{` of a broken statement is not skipped as a block: the released declarations after it stay', NEEDS_CORPUS, () => takesNothing(LATER_BRACE));

/**
 * A declaration that cannot be in a service or an enum typed into it with its body indented on the lines below, typed
 * so far (`message X { message Y {` on one line, or its nested declaration on the next).
 */
const INDENTED_BODY: [anchor: string, typed: string][] = [
  [RUNTIME_SERVICE, '    message X {\n        string a = 1;'],
  [VERSION_RPC, '    message X {\n        string a = 1;\n        string b = 2;'],
  [RUNTIME_SERVICE, '    message X {\n        message Y {'],
  [RUNTIME_SERVICE, '    message X { message Y {\n        string a = 1;'],
  [RUNTIME_SERVICE, '    enum E {\n        E_UNSPECIFIED = 0;'],
  [UDP, '    message X {\n        message Y {'],
  [UDP, '    message X { mesage Y {\n        option (y) = {'],
];

test('a declaration typed into a service or an enum with its body indented below it does not end the service or enum', NEEDS_CORPUS, () => takesNothing(INDENTED_BODY));

/** A `{` typed in the middle of a line where it opens no block, and what follows it on that line so far. */
const MID_LINE_BRACE: [anchor: string, typed: string][] = [
  [VERSION_RPC, '    oneof x { string a = 1;'],
  [RUNTIME_SERVICE, '    oneof x { string a = 1;'],
  [VERSION_RPC, '    oneof x { string a = 1; message B {'],
  [VERSION_RPC, '    message Foo { string a = 1;'],
  [VERSION_RPC, '    enum Foo { FOO_UNSPECIFIED = 0;'],
  [UDP, '    oneof x { string a = 1;'],
  [UDP, '    FOO { BAR = 1;'],
  [UDP, '    message Foo { string a = 1;'],
  [VERSION_RESPONSE_BODY, '    string Foo { string a = 1;'],
];

test('a `{` typed in the middle of a line where it opens no block takes no released declaration after it', NEEDS_CORPUS, () => takesNothing(MID_LINE_BRACE));

/**
 * A declaration typed with a tab where the lines around it are indented with spaces, or the other way round: the
 * newest release indents ExecSyncResponse's comments with a tab and its fields with four spaces, and PsiStats' fields
 * with a tab.
 */
const TAB_INDENTED: [anchor: string, typed: string][] = [
  ['message ExecSyncResponse {\n', '\tmessage Foo {'],
  ['message ExecSyncResponse {\n', '\tenum Foo {'],
  ['message ExecSyncResponse {\n', '\tmessage Foo {\n\t\tstring a = 1;'],
  ['message ExecSyncResponse {\n', '\toneof x {\n\t\tstring a = 9;'],
  ['message PsiStats {\n', '    message Foo {'],
  ['message PsiStats {\n', '\tmessage Foo {'],
  [RUNTIME_SERVICE, '\tmessage Foo {'],
  [RUNTIME_SERVICE, '\toption (x) = {'],
  [UDP, '\tmessage Foo {'],
];

test('a declaration typed with a tab among lines indented with spaces takes no released declaration after it', NEEDS_CORPUS, () => takesNothing(TAB_INDENTED));

test('a second `package` typed into the file is an error and renames no released declaration', NEEDS_CORPUS, () => {
  const released = newestCorpusText();
  const releasedNames = declarations(bind(parse(released), 'released.proto').model);
  const lost: string[] = [];
  const after = '    string runtime_api_version = 4;\n}\n';
  // At the top level, and in a message whose `}` is not typed yet, which it ends.
  for (const typed of ['package x;', 'message New {\n    package x;']) {
    const ast = parse(replaceOnce(released, after, `${after}${typed}\n`));
    assert.ok(ast.errors.some((e) => e.message === 'duplicate package statement'), `${JSON.stringify(typed)}: ${JSON.stringify(ast.errors)}`);
    const kept = declarations(bind(ast, 'typed.proto').model);
    lost.push(...[...releasedNames].filter((n) => !kept.has(n)).map((n) => `${typed.trim()}: ${n}`));
  }
  assert.deepEqual(lost, []);
});

/** A released declaration's line half-way through a rewrite in place: the line, and what it is so far. */
const REWRITTEN: [line: string, now: string][] = [
  ['    string username = 1;', '    string username = 1 [debug_'],
  ['    string username = 1;', '    string username = 1 [debug_redact ='],
  ['    string username = 1;', '     username = 1;'],
  ['    string username = 1;', '    string  = 1;'],
  ['    string username = 1;', '    s'],
  ['    UDP = 1;', '     = 1;'],
  ['    rpc Version(VersionRequest) returns (VersionResponse) {}', '    rpc (VersionRequest) returns (VersionResponse) {}'],
];

test('a released declaration rewritten in place takes no other with it, and none is reported deleted meanwhile', NEEDS_CORPUS, () => {
  const released = newestCorpusText();
  const baseline: Baseline = { tag: 'v0.0.0-test', source: 'path', origin: 'test', model: bind(parse(released), 'released.proto').model };
  const lost: string[] = [];
  const deleted: string[] = [];
  for (const [line, now] of REWRITTEN) {
    const a = analyze(replaceOnce(released, line, now), { uri: 'file:///work/api.proto', baseline });
    assert.notDeepEqual(a.bound.ast.errors, [], `${JSON.stringify(now)}: a syntax error`);
    const rewritten = declarations(bind(parse(replaceOnce(released, line, '')), 'without.proto').model);
    const kept = declarations(a.bound.model);
    for (const n of rewritten) if (!kept.has(n)) lost.push(`${now.trim()}: ${n}`);
    for (const f of a.findings) if (/DELETE|REMOVED/.test(f.rule)) deleted.push(`${now.trim()}: ${f.rule} ${f.element}`);
  }
  assert.deepEqual(lost, [], 'released declarations lost besides the one rewritten');
  assert.deepEqual(deleted, [], 'released declarations reported deleted');
});

/** Half-typed lines that a released declaration follows: a stray word, or one lacking what comes next. */
const UNFINISHED: [anchor: string, typed: string][] = [
  [VERSION_RPC, '    r'],
  [VERSION_RPC, '    rpc G'],
  [VERSION_RPC, '    rpc GetFoo(GetFooRequest)'],
  [VERSION_REQUEST, '    string foo'],
  [VERSION_REQUEST, '    string foo ='],
  [UDP, '    FOO'],
  [UDP, '    FOO ='],
  [UDP, '    /'],
  [VERSION_REQUEST, '    string foo = 9 ['],
  [UDP, '    FOO = 3 ['],
];

test('what a half-typed line lacks is reported at its end, not on the released declaration below it', NEEDS_CORPUS, () => {
  const released = newestCorpusText();
  const misplaced: string[] = [];
  for (const [anchor, typed] of UNFINISHED) {
    const text = replaceOnce(released, anchor, `${anchor}${typed}\n`);
    const line = text.slice(0, text.indexOf(anchor) + anchor.length).split('\n').length - 1;
    const errors = parse(text).errors;
    assert.notDeepEqual(errors, [], `${JSON.stringify(typed)}: a syntax error`);
    for (const e of errors) if (e.range.start.line !== line) misplaced.push(`${typed.trim()}: line ${e.range.start.line + 1}: ${e.message}`);
  }
  assert.deepEqual(misplaced, []);
});

/** A file's syntax tree without where things are written (ranges, comments): what the layout must not change. */
function shape(text: string): unknown {
  const drop = (k: string): boolean => /(range|start|end)$/i.test(k) || k === 'lines' || k === 'comments';
  return JSON.parse(JSON.stringify(parse(text), (k, v: unknown) => (drop(k) ? undefined : v)));
}

test('declarations written across lines parse as on one line: the half-typed heuristics leave valid layouts alone', () => {
  const multiLine = [
    'syntax = "proto3";',
    'package ml;',
    'message A {',
    '  string', '    name = 1;',
    '  map<string,', '      string>', '    labels = 2;',
    '  repeated', '    int32 ids = 3;',
    '  int64 big = 4', '    [deprecated = true,', '     json_name = "bigg"];',
    '  reserved 10,', '    11, 12', '    to 14;',
    '  reserved "x",', '    "y";',
    '  oneof', '    choice {', '    string c1 = 5;', '  }',
    '  optional', '  string o = 6;',
    '  string /* c */ cm /* d */ = /* e */ 7 /* f */;',
    '  string', '  // a comment between type and name', '  after_comment = 8;',
    '  A', '  self = 9;',
    '  ml.A', '  qual = 15;',
    '  .ml.A', '  full = 16;',
    '}',
    'enum E {', '  Z', '    = 0;', '  ONE =', '    1;', '  reserved 5,', '    6;', '  TWO', '  = 2 [deprecated = true];', '}',
    'service S {',
    '  rpc', '    Get(A) returns (A);',
    '  rpc Put', '    (A) returns (A);',
    '  rpc List(A)', '    returns (stream A);',
    '  rpc Watch(A) returns (A) {', '    option deprecated = true;', '  }',
    '  rpc', '  Del(A)', '  returns', '  (A)', '  {}',
    '}',
    'message', '  B {', '  int32 x = 1;', '}',
    'enum', '  F { F0 = 0; }',
    'service', '  T { rpc X(A) returns (A); }',
  ].join('\n');
  const oneLine = multiLine.replace(/\/\/[^\n]*/g, '').replace(/\/\*.*?\*\//g, '').replace(/\s*\n\s*/g, ' ');
  assert.deepEqual(parse(multiLine).errors, []);
  assert.deepEqual(shape(multiLine), shape(oneLine));
});

test('keywords as names and text-format option values written across lines parse as on one line', () => {
  const multiLine = [
    'syntax = "proto3";',
    'package pr;',
    'import "google/protobuf/descriptor.proto";',
    'message HttpRule { string post = 1; string body = 2; string rpc = 3; string message = 4; repeated HttpRule additional = 5; }',
    'extend google.protobuf.MethodOptions { HttpRule http = 50001; }',
    'extend google.protobuf.MessageOptions { HttpRule mo = 50002; }',
    'message M {',
    '  option (mo) = {',
    '    rpc: "x"',
    '    message: "y"',
    '    additional {',
    '      post: "z"',
    '    }',
    '  };',
    '  string',
    '    message = 1;',
    '  M',
    '    rpc = 2;',
    '  int32 option = 3;',
    '  string',
    '    reserved = 4;',
    '  int32 enum = 5;',
    '  string service',
    '    = 6;',
    '  map<string, string>',
    '    map = 7;',
    '  string',
    '    optional = 8;',
    '  string repeated',
    '    = 9;',
    '  M',
    '    oneof = 10;',
    '  string syntax',
    '  = 11;',
    '  string stream = 12;',
    '  string returns = 13;',
    '}',
    'enum E {',
    '  option = 0;',
    '  message',
    '    = 1;',
    '  rpc = 2;',
    '  reserved',
    '    = 3;',
    '  string = 4;',
    '  map = 5;',
    '}',
    'service S {',
    '  rpc Get(M) returns (M) {',
    '    option (http) = {',
    '      post: "/v1/get"',
    '      body: "*"',
    '      rpc: "a"',
    '      message: "b"',
    '      additional {',
    '        post: "/v2"',
    '      }',
    '    };',
    '  }',
    '  rpc Put(M) returns (M) {',
    '    option (http) = { post: "/v1/put" };',
    '  }',
    '  rpc stream(stream M) returns (stream M);',
    '  rpc returns(M) returns (M);',
    '}',
  ].join('\n');
  const oneLine = multiLine.replace(/\s*\n\s*/g, ' ');
  assert.deepEqual(parse(multiLine).errors, []);
  assert.deepEqual(shape(multiLine), shape(oneLine));
});

test('proto2 groups, extensions, keywords and every token of an rpc on lines of their own parse as on one line', () => {
  const multiLine = [
    'syntax = "proto2";',
    'package ml2;',
    'message T { optional int32 a = 1; extensions 100 to 200; }',
    'message A {',
    '  repeated',
    '    .ml2.T list = 1;',
    '  optional group',
    '    Grp = 2 { optional int32 x = 1; }',
    '  oneof',
    '  pick',
    '  {',
    '    int32 p1 = 3;',
    '  }',
    '  extensions',
    '    1000 to 2000;',
    '  reserved',
    '    "foo";',
    '  option',
    '    deprecated = true;',
    '  map',
    '    <string, T> m = 4;',
    '  optional int32 d = 5 [',
    '    default = 5',
    '  ];',
    '  optional int32 e = 6 [',
    '    default = -5,',
    '    deprecated = true];',
    '}',
    'extend',
    '  T',
    '{',
    '  optional int32 ext = 100;',
    '}',
    'enum E',
    '{',
    '  option',
    '    allow_alias = true;',
    '  E0 = 0;',
    '  E1',
    '    = 0;',
    '}',
    'service S',
    '{',
    '  option',
    '    deprecated = true;',
    '  rpc',
    '    Get',
    '    (',
    '    A',
    '    )',
    '    returns',
    '    (',
    '    stream',
    '    A',
    '    )',
    '    ;',
    '}',
  ].join('\n');
  const oneLine = multiLine.replace(/\s*\n\s*/g, ' ');
  assert.deepEqual(parse(multiLine).errors, []);
  assert.deepEqual(shape(multiLine), shape(oneLine));
});
