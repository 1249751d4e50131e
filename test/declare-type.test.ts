// "Declare message X" on the binder's unresolved-type: a KEP author writes the new RPC (or field) before its
// messages. On the newest corpus api.proto with a new RPC, and on v0.35.0 with the RPC upstream added next
// (StreamPodSandboxes, v0.36), whose messages must land where upstream put them. Against the release itself as
// the baseline, so that the findings left are the ones a user sees.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeActionRequest, type CodeAction, type TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import type { Baseline } from '../server/src/baseline/types';
import { applyEdits, computeFixes, undeclaredFindings, type TextEdit } from '../server/src/fixes';
import { codeActions } from '../server/src/lsp/codeActions';
import { problemToDiagnostic } from '../server/src/lsp/convert';
import { UNRESOLVED_TYPE, bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import { analyze, type Analysis } from '../server/src/service';
import { NEEDS_CORPUS, corpusText, newestCorpusText, replaceOnce } from './corpusText';
import { BUILD_HELP, LspEditor, SERVER } from './lspHarness';
import { assertValidProto } from './validProto';

const URI = 'file:///work/api.proto';
const UPDATE_RPC = '    rpc UpdatePodSandboxResources(UpdatePodSandboxResourcesRequest) returns (UpdatePodSandboxResourcesResponse) {}\n';
const WATCH_RPC = '    rpc WatchPodSandboxResources(WatchPodSandboxResourcesRequest) returns (stream WatchPodSandboxResourcesResponse) {}\n';
const WATCH = 'runtime.v1.RuntimeService.WatchPodSandboxResources';

function baselineOf(text: string): Baseline {
  return { tag: 'v0.0.0-test', source: 'path', origin: 'test', model: bind(parse(text), 'old.proto').model };
}

function session(text: string, released: string): { analysis: Analysis; reanalyze: (t: string) => Analysis } {
  const baseline = baselineOf(released);
  const reanalyze = (t: string): Analysis => analyze(t, { uri: URI, baseline });
  return { analysis: reanalyze(text), reanalyze };
}

const editsOf = (a: CodeAction): TextEdit[] => (a.edit!.documentChanges![0] as TextDocumentEdit).edits as TextEdit[];
const unresolved = (a: Analysis): string[] => a.bound.problems.filter((p) => p.code === UNRESOLVED_TYPE).map((p) => p.message);
const errorsOf = (a: Analysis): string[] => [
  ...a.bound.problems.filter((p) => p.severity === 'error').map((p) => p.message),
  ...a.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.element}`),
];
const findingKeys = (a: Analysis): string[] => a.findings.map((f) => `${f.rule} ${f.element}`).sort();
/** Top-level message names in file order. */
const messageOrder = (text: string): string[] => parse(text).messages.map((m) => m.name);

/** The quick fixes of the unresolved-type on `name`, as the light bulb offers them. */
function fixesFor(text: string, released: string, name: string): { actions: CodeAction[]; analysis: Analysis } {
  const { analysis, reanalyze } = session(text, released);
  const problem = analysis.bound.problems.find((p) => p.code === UNRESOLVED_TYPE && p.message === `unknown type "${name}"`);
  assert.ok(problem, `an unresolved-type on ${name}`);
  return { analysis, actions: codeActions({ uri: URI, version: 1, text, analysis }, { diagnostics: [problemToDiagnostic(problem)], documentChanges: true, reanalyze }) };
}

function fixAll(text: string, released: string): string {
  const { analysis, reanalyze } = session(text, released);
  const [all] = codeActions({ uri: URI, version: 1, text, analysis }, { diagnostics: [], only: ['source.fixAll'], documentChanges: true, reanalyze });
  assert.ok(all, 'a fix-all action');
  return applyEdits(text, editsOf(all));
}

test('a new RPC before its messages: each unknown type gets "Declare message", preferred, at the end of the file after the last RPC\'s messages', NEEDS_CORPUS, () => {
  const released = newestCorpusText();
  const text = replaceOnce(released, UPDATE_RPC, UPDATE_RPC + WATCH_RPC);
  const before = session(text, released).analysis;
  assert.deepEqual(unresolved(before), ['unknown type "WatchPodSandboxResourcesRequest"', 'unknown type "WatchPodSandboxResourcesResponse"']);

  // One at a time, as a user clicks them: response first, then request; each clears its error and adds none.
  let cur = text;
  for (const name of ['WatchPodSandboxResourcesResponse', 'WatchPodSandboxResourcesRequest']) {
    const { actions } = fixesFor(cur, released, name);
    assert.deepEqual(actions.map((a) => `${a.isPreferred ? '* ' : ''}${a.title}`), [`* Declare message "${name}"`]);
    const next = applyEdits(cur, editsOf(actions[0]!));
    const after = session(next, released).analysis;
    assert.ok(!unresolved(after).includes(`unknown type "${name}"`), `${name} resolves`);
    assert.equal(errorsOf(after).length, errorsOf(session(cur, released).analysis).length - 1, 'one error fewer, none new');
    cur = next;
  }
  // Upstream's layout: the last RPC's messages end the file, request before response, each documented.
  const tail = [
    'message UpdatePodSandboxResourcesResponse {}',
    '',
    '// WatchPodSandboxResourcesRequest TODO: its purpose.',
    'message WatchPodSandboxResourcesRequest {}',
    '',
    '// WatchPodSandboxResourcesResponse TODO: its purpose.',
    'message WatchPodSandboxResourcesResponse {}',
    '',
  ].join('\n');
  assert.ok(cur.endsWith(tail), cur.slice(-400));
  assertValidProto(cur);
  const done = session(cur, released).analysis;
  assert.deepEqual(errorsOf(done), []);
  // Only documentation is left to write: the new RPC's, as before, and the TODOs of the messages' stubs.
  const stubs = ['Request', 'Response'].map((side) => `DOC_STUB_UNFINISHED runtime.v1.WatchPodSandboxResources${side}`);
  const left = findingKeys(done);
  assert.deepEqual(left.filter((k) => !k.endsWith(` ${WATCH}`)), stubs);
  assert.deepEqual(left.filter((k) => k.endsWith(` ${WATCH}`)), findingKeys(before), 'the RPC\'s findings, as before the messages were declared');
  assert.ok(findingKeys(before).length > 0 && findingKeys(before).every((k) => k.endsWith(` ${WATCH}`)), findingKeys(before).join('\n'));

  // Fix all declares both (and documents the RPC): the same messages in the same place.
  const all = fixAll(text, released);
  assertValidProto(all);
  assert.ok(all.endsWith(tail), all.slice(-400));
  assert.deepEqual(errorsOf(session(all, released).analysis), []);

  // In the file's line ending, and without a line break at the end where the file has none.
  const crlf = fixAll(text.replace(/\n/g, '\r\n').replace(/\r\n$/, ''), released);
  assert.ok(crlf.endsWith(tail.replace(/\n$/, '').replace(/\n/g, '\r\n')), JSON.stringify(crlf.slice(-300)));
  assert.ok(!/(^|[^\r])\n/.test(crlf), 'no bare line feed');
});

test('a new RPC in the middle of a service: its messages go after the previous RPC\'s, where upstream put StreamPodSandboxes\'', NEEDS_CORPUS, () => {
  const released = corpusText('v0.35.0');
  const upstream = corpusText('v0.36.0');
  const rpc = /^ *rpc StreamPodSandboxes\(.*\n/m.exec(upstream)?.[0];
  assert.ok(rpc, 'v0.36.0 has StreamPodSandboxes');
  const list = /^ *rpc ListPodSandbox\(.*\n/m.exec(released)![0];
  const text = replaceOnce(released, list, list + rpc);
  const all = fixAll(text, released);
  assertValidProto(all);
  const order = messageOrder(all);
  const at = order.indexOf('ListPodSandboxResponse');
  const want = messageOrder(upstream);
  const upAt = want.indexOf('ListPodSandboxResponse');
  assert.deepEqual(order.slice(at, at + 3), want.slice(upAt, upAt + 3));
  assert.deepEqual(order.slice(at + 1, at + 3), ['StreamPodSandboxesRequest', 'StreamPodSandboxesResponse']);
  assert.deepEqual(errorsOf(session(all, released).analysis), []);
});

test('a new field of an undeclared type: declared once after its top-level message, however often it is referenced', NEEDS_CORPUS, () => {
  const released = newestCorpusText();
  // In a message nested in a top-level one (as a map value), and in a second message: one FooStatus, after the first's top-level message.
  const linux = /^message LinuxContainerResources \{\n/m.exec(released)![0];
  const hugepage = /^message HugepageLimit \{\n/m.exec(released)![0];
  let text = replaceOnce(released, linux, linux + '    message Inner {\n        map<string, FooStatus> foo_statuses = 1;\n    }\n    Inner inner = 20;\n');
  text = replaceOnce(text, hugepage, hugepage + '    FooStatus foo_status = 20;\n');
  const { actions } = fixesFor(text, released, 'FooStatus');
  assert.equal(actions[0]?.title, 'Declare message "FooStatus"');
  const all = fixAll(text, released);
  assertValidProto(all);
  assert.equal(all.split('message FooStatus {}').length, 2, 'declared once');
  const order = messageOrder(all);
  assert.equal(order[order.indexOf('LinuxContainerResources') + 1], 'FooStatus');
  assert.ok(all.includes('    int64 memory_swap_limit_in_bytes = 10;\n}\n\n// FooStatus TODO: its purpose.\nmessage FooStatus {}\n\n// HugepageLimit corresponds'), 'between the two, blank lines kept');
  assert.deepEqual(errorsOf(session(all, released).analysis), []);
});

/** Applies the one "Declare message" fix offered on `name` and checks that re-analysis drops that error and adds none. */
function declareOne(text: string, released: string, name: string, title: string): string {
  const { actions, analysis } = fixesFor(text, released, name);
  assert.deepEqual(actions.map((a) => `${a.isPreferred ? '* ' : ''}${a.title}`), [`* ${title}`], name);
  const next = applyEdits(text, editsOf(actions[0]!));
  const after = session(next, released).analysis;
  assert.ok(!unresolved(after).includes(`unknown type "${name}"`), `${name} resolves`);
  assert.deepEqual(errorsOf(after), errorsOf(analysis).filter((e) => e !== `unknown type "${name}"`), 'one error fewer, none new');
  return next;
}

test('a dotted name with the file\'s own package (relative or absolute) declares the message at the top level', NEEDS_CORPUS, () => {
  const released = newestCorpusText();
  let text = replaceOnce(released, UPDATE_RPC, `${UPDATE_RPC}    rpc Other(runtime.v1.OtherRequest) returns (.runtime.v1.OtherResponse) {}\n`);
  text = declareOne(text, released, '.runtime.v1.OtherResponse', 'Declare message "OtherResponse"');
  text = declareOne(text, released, 'runtime.v1.OtherRequest', 'Declare message "OtherRequest"');
  const tail = 'message UpdatePodSandboxResourcesResponse {}\n\n// OtherRequest TODO: its purpose.\nmessage OtherRequest {}\n\n// OtherResponse TODO: its purpose.\nmessage OtherResponse {}\n';
  assert.ok(text.endsWith(tail), text.slice(-300));
  assertValidProto(text);
  // Fix all declares a message named both ways once.
  const both = replaceOnce(released, UPDATE_RPC, `${UPDATE_RPC}    rpc Other(runtime.v1.OtherRequest) returns (OtherResponse) {}\n    rpc Again(OtherRequest) returns (.runtime.v1.OtherResponse) {}\n`);
  const all = fixAll(both, released);
  assert.ok(all.endsWith(tail), all.slice(-300));
  assert.deepEqual(errorsOf(session(all, released).analysis), []);
});

test('"Outer.Inner" with Outer a message of the file: Inner declared at the end of Outer\'s body, Outer found as protoc finds it', NEEDS_CORPUS, () => {
  const released = newestCorpusText();
  const version = 'message VersionRequest {\n    // Version of the kubelet runtime API.\n    string version = 1;\n}\n';
  // From another top-level message: the top-level VersionRequest.
  let text = replaceOnce(released, 'message VersionResponse {\n', 'message VersionResponse {\n    VersionRequest.Details details = 5;\n');
  text = declareOne(text, released, 'VersionRequest.Details', 'Declare message "VersionRequest.Details"');
  assert.ok(text.includes(`${version.slice(0, -2)}\n    // Details TODO: its purpose.\n    message Details {}\n}\n`), text.slice(text.indexOf('message VersionRequest'), text.indexOf('message VersionResponse')));
  assertValidProto(text);

  // From inside SecurityProfile, which declares a VersionRequest of its own: that one, the innermost, as protoc resolves it.
  const profile = 'message SecurityProfile {\n';
  text = replaceOnce(released, profile, `${profile}    message VersionRequest {}\n    VersionRequest.Missing missing = 3;\n`);
  text = declareOne(text, released, 'VersionRequest.Missing', 'Declare message "SecurityProfile.VersionRequest.Missing"');
  assert.ok(text.includes(`${profile}    message VersionRequest {\n        // Missing TODO: its purpose.\n        message Missing {}\n    }\n`), text.slice(text.indexOf(profile), text.indexOf(profile) + 200));
  assert.ok(text.includes(version), 'the top-level VersionRequest unchanged');
  assertValidProto(text);
});

test('no declaration for a dotted name, one taken in the package, or a keyword', NEEDS_CORPUS, () => {
  const released = newestCorpusText();
  // Another package, an unknown outer name, an enum (top-level, nested) as the outer name, a name its message has
  // (a field). The last three: a name the package already uses for something else (an enum value), keywords.
  for (const type of ['foo.Bar', 'runtime.v2.Bar', 'Nope.Missing', 'Protocol.Missing', 'SecurityProfile.ProfileType.Missing', 'VersionRequest.version', 'reserved', 'max', 'SYSTEMD']) {
    const text = replaceOnce(released, UPDATE_RPC, `${UPDATE_RPC}    rpc Other(${type}) returns (VersionResponse) {}\n`);
    assert.deepEqual(fixesFor(text, released, type).actions.map((a) => a.title), [], type);
  }
  // Inner declared in Outer would not be what "Outer.Inner" names from inside Outer: protoc finds the new Outer.Outer first.
  const text = replaceOnce(released, 'message VersionRequest {\n', 'message VersionRequest {\n    VersionRequest.VersionRequest again = 2;\n');
  assert.deepEqual(fixesFor(text, released, 'VersionRequest.VersionRequest').actions.map((a) => a.title), []);
});

test('the language server offers "Declare message" on an unknown type', {
  skip: !existsSync(SERVER) ? BUILD_HELP : NEEDS_CORPUS.skip ?? false, timeout: 120_000,
}, async () => {
  const released = newestCorpusText();
  const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-declare-')));
  const editor = LspEditor.start({ GOMODCACHE: path.join(tmp, 'gomodcache'), GOPATH: path.join(tmp, 'gopath') });
  try {
    writeFileSync(path.join(tmp, 'api.proto'), released);
    const uri = pathToFileURL(path.join(tmp, 'api.proto')).href;
    await editor.initialize(tmp, { trusted: false, cacheDir: path.join(tmp, 'cache') });
    await editor.open(uri, replaceOnce(released, UPDATE_RPC, UPDATE_RPC + WATCH_RPC), 1);
    const p = await editor.diagnostics(uri, (d) => d.version === 1 && d.diagnostics.some((x) => x.code === UNRESOLVED_TYPE));
    const d = p.diagnostics.find((x) => x.code === UNRESOLVED_TYPE && String(x.message).includes('WatchPodSandboxResourcesRequest'))!;
    const actions = await editor.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } }) as CodeAction[];
    assert.deepEqual(actions.map((a) => `${a.isPreferred ? '* ' : ''}${a.title}`), ['* Declare message "WatchPodSandboxResourcesRequest"']);
  } finally {
    await editor.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a field of a proto2 group (a nested message of its own) gets "Declare message" after its top-level message', () => {
  const text = 'syntax = "proto2";\npackage runtime.v1;\n\nmessage Outer {\n    optional group Settings = 1 {\n        optional Knob knob = 2;\n    }\n}\n';
  const b = bind(parse(text), URI);
  const found = undeclaredFindings(b);
  assert.deepEqual(found.map((f) => f.element), ['runtime.v1.Knob']);
  const fix = computeFixes(text, b, found[0]!).find((x) => x.title === 'Declare message "Knob"');
  assert.ok(fix, 'Declare message "Knob" is offered');
  const declared = applyEdits(text, fix.edits);
  assert.deepEqual(messageOrder(declared), ['Outer', 'Knob']);
  assertValidProto(declared);
});
