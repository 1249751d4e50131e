// Quick fixes and hovers of the findings added or changed with the Go/JSON audit and the documentation-rule
// review: a field moved into a new oneof or a oneof renamed (FIELD_ONEOF_GO_CHANGED), a type moved to another
// scope (MESSAGE_RENAMED), a presence change (FIELD_PRESENCE_CHANGED), comments that document nothing
// (DOC_MISSING), and precise rename effects (FIELD_RENAMED). On the newest stable runtime.v1 (v0.36.3), edited,
// through the language server's code actions with their fix checks (reanalyze), fix-all and hovers.
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { CodeAction, TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import { analyze, type Analysis } from '../server/src/service';
import { Corpus, CORPUS_HELP, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import type { Baseline } from '../server/src/baseline/types';
import type { Finding } from '../server/src/compat/finding';
import { getRule } from '../server/src/compat/rules';
import { applyEdits, type TextEdit } from '../server/src/fixes';
import { codeActions } from '../server/src/lsp/codeActions';
import { findingToDiagnostic } from '../server/src/lsp/convert';
import { doHover } from '../server/src/features/hover';
import { elementPolicyHover, findingExplanation } from '../server/src/features/policyHover';
import { parse } from '../server/src/proto/parser';
import { bind } from '../server/src/proto/binder';
import { assertValidProto } from './validProto';

const REPO_ROOT = findRepoRoot(__dirname);
const CORPUS_DIR = findCorpusDir(REPO_ROOT);
const TAG = 'v0.36.3';
const OLD: string = CORPUS_DIR ? new Corpus(CORPUS_DIR).textOf(TAG) ?? '' : '';
const URI = 'file:///work/api.proto';
const SKIP = OLD ? false : CORPUS_HELP;
const history = loadBundledHistory();
const BASE: Baseline = { tag: TAG, source: 'bundled', origin: 'test', model: history.modelAt(TAG)!, history };
/** A file as baseline (an edited release), without history. */
const baselineOf = (text: string): Baseline => ({ tag: TAG, source: 'path', origin: 'test', model: bind(parse(text), 'old').model });
const run = (t: string, b: Baseline = BASE): Analysis => analyze(t, { uri: URI, baseline: b });
function edit(text: string, from: string, to: string): string {
  const k = text.indexOf(from);
  assert.ok(k >= 0, `not found: ${JSON.stringify(from)}`);
  assert.equal(text.indexOf(from, k + 1), -1, `not unique: ${JSON.stringify(from)}`);
  return text.slice(0, k) + to + text.slice(k + from.length);
}
function actionEdits(a: CodeAction): TextEdit[] { return ((a.edit!.documentChanges![0] as TextDocumentEdit).edits) as TextEdit[]; }
const errors = (a: Analysis): string[] => [
  ...a.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.element}`),
  ...a.bound.problems.filter((p) => p.severity === 'error').map((p) => `binder ${p.message}`),
].sort();

/** The one finding of `rule` (on `element`, if given). */
function findingOf(a: Analysis, rule: string, element?: string): Finding {
  const fs = a.findings.filter((f) => f.rule === rule && (element === undefined || f.element === element));
  assert.equal(fs.length, 1, `${rule}: ${JSON.stringify(a.findings.map((f) => `${f.rule} ${f.element}`))}`);
  return fs[0]!;
}

/** The light bulb's quick fixes for a finding, checked as the server checks them. */
function lightBulb(text: string, f: Finding, b: Baseline): CodeAction[] {
  const reanalyze = (t: string): Analysis => run(t, b);
  return codeActions({ uri: URI, version: 1, text, analysis: reanalyze(text) },
    { diagnostics: [findingToDiagnostic(f, URI, { relatedInformation: true, codeDescription: true })], only: ['quickfix'], documentChanges: true, reanalyze });
}

/**
 * The preferred quick fix of the one finding of `rule`: its title and the text it produces, checked to add no
 * error; fix-all (as on save) must fix it too, without a new error, and its text is `afterAll`.
 */
function preferredFix(text: string, rule: string, b: Baseline = BASE, element?: string): { title: string; after: string; afterAll: string } {
  const a = run(text, b);
  const f = findingOf(a, rule, element);
  const preferred = lightBulb(text, f, b).filter((x) => x.isPreferred);
  assert.equal(preferred.length, 1, `one preferred fix for ${rule}: ${JSON.stringify(lightBulb(text, f, b).map((x) => x.title))}`);
  const after = applyEdits(text, actionEdits(preferred[0]!));
  const before = errors(a);
  assert.deepEqual(errors(run(after, b)).filter((e) => !before.includes(e)), [], 'no new error');
  const reanalyze = (t: string): Analysis => run(t, b);
  const all = codeActions({ uri: URI, version: 1, text, analysis: a }, { diagnostics: [], only: ['source.fixAll'], documentChanges: true, reanalyze });
  assert.equal(all.length, 1, 'fix-all');
  const afterAll = applyEdits(text, actionEdits(all[0]!));
  const fixedAll = run(afterAll, b);
  assert.deepEqual(fixedAll.findings.filter((x) => x.rule === rule), [], 'fix-all fixes it');
  assert.deepEqual(errors(fixedAll).filter((e) => !before.includes(e)), [], 'fix-all adds no error');
  return { title: preferred[0]!.title, after, afterAll };
}

/** The hover at a finding's name, as the server composes it (element part only). */
function elementHover(text: string, f: Finding, b: Baseline = BASE): string {
  const a = run(text, b);
  return doHover(a.bound, f.range.start, { extraHover: (el) => elementPolicyHover(el, b, a.bound.model, a.findings) })?.contents.value ?? '';
}

const VERSION_REQUEST = 'message VersionRequest {\n    // Version of the kubelet runtime API.\n    string version = 1;\n}\n';
const IN_ONEOF = 'message VersionRequest {\n    // The version, one way.\n    oneof v {\n        // Version of the kubelet runtime API.\n        string version = 1;\n    }\n}\n';
const PROFILE_TYPE = `    // Available profile types.
    enum ProfileType {
        // The container runtime default profile should be used.
        RuntimeDefault = 0;
        // Disable the feature for the sandbox or the container.
        Unconfined = 1;
        // A pre-defined profile on the node should be used.
        Localhost = 2;
    }
`;
const PROFILE_TYPE_TOP = PROFILE_TYPE.replace(/^ {4}/gm, '');

describe('quick fixes of the new Go-source findings, on v0.36.3', { skip: SKIP }, () => {
  test('a released field moved into a new oneof: "Move the field out of the oneof" gives back the release, with the oneof\'s comment', () => {
    const into = edit(OLD, VERSION_REQUEST, IN_ONEOF);
    const fix = preferredFix(into, 'FIELD_ONEOF_GO_CHANGED');
    assert.equal(fix.title, 'Move the field out of the oneof');
    // The oneof's comment is not lost: it goes above the field's own, one comment for protoc.
    assert.equal(fix.after, edit(OLD, VERSION_REQUEST, 'message VersionRequest {\n    // The version, one way.\n    // Version of the kubelet runtime API.\n    string version = 1;\n}\n'));
    assert.equal(fix.afterAll, fix.after);
    assert.equal(run(fix.after).bound.model.messages.find((m) => m.name === 'VersionRequest')!.fields[0]!.doc, ' The version, one way.\n Version of the kubelet runtime API.');
    // With a new member after it, the oneof stays and the released field goes before it.
    const shared = edit(into, '        string version = 1;\n', '        string version = 1;\n        // A new way, for this test.\n        int64 version_number = 2;\n');
    const kept = preferredFix(shared, 'FIELD_ONEOF_GO_CHANGED');
    assert.equal(kept.title, 'Move the field out of the oneof');
    assert.ok(kept.after.includes('message VersionRequest {\n    // Version of the kubelet runtime API.\n    string version = 1;\n    // The version, one way.\n    oneof v {\n        // A new way, for this test.\n        int64 version_number = 2;\n    }\n}\n'), kept.after.slice(kept.after.indexOf('message VersionRequest'), kept.after.indexOf('message VersionResponse')));
  });

  test('a released field moved into a new oneof that its documentation now leads: moving it out gives back the release, documentation and all', () => {
    // The user-tester's edit: the comment above the field now leads the oneof. The fix dropped it with the oneof,
    // and the result, the field without documentation, checked clean.
    const into = edit(OLD, '    // ID of the container to stop.\n    string container_id = 1;\n',
      '    // ID of the container to stop.\n    oneof target {\n        string container_id = 1;\n    }\n');
    const fix = preferredFix(into, 'FIELD_ONEOF_GO_CHANGED', BASE, 'runtime.v1.StopContainerRequest.container_id');
    assert.equal(fix.title, 'Move the field out of the oneof');
    assert.equal(fix.after, OLD);
    assert.equal(fix.afterAll, OLD);
    assertValidProto(fix.after);
  });

  test('a released field moved into a one-line oneof: the light bulb and fix-all give back the release', () => {
    // The editor tester's edit: only "Ignore" was offered, and fix-all did nothing.
    const FIELD = '    // Current working directory of the command.\n    string working_dir = 5;\n';
    const into = edit(OLD, FIELD, '    // Current working directory of the command.\n    oneof wd { string working_dir = 5; }\n');
    const fix = preferredFix(into, 'FIELD_ONEOF_GO_CHANGED', BASE, 'runtime.v1.ContainerConfig.working_dir');
    assert.equal(fix.title, 'Move the field out of the oneof');
    assert.equal(fix.after, OLD);
    assert.equal(fix.afterAll, OLD);
  });

  test('a released field moved into a released oneof (FIELD_ONEOF_CHANGED): "Move the field out of the oneof" gives back the release', () => {
    const released = edit(OLD, VERSION_REQUEST, 'message VersionRequest {\n    // The version, one way.\n    oneof v {\n        // A number.\n        int64 version_number = 2;\n    }\n    // Version of the kubelet runtime API.\n    string version = 1;\n}\n');
    const into = edit(released, '    }\n    // Version of the kubelet runtime API.\n    string version = 1;\n}\n', '        // Version of the kubelet runtime API.\n        string version = 1;\n    }\n}\n');
    const fix = preferredFix(into, 'FIELD_ONEOF_CHANGED', baselineOf(released));
    assert.equal(fix.title, 'Move the field out of the oneof');
    assert.equal(fix.after, released);
  });

  test('a released oneof member moved out of it (FIELD_ONEOF_CHANGED): "Move the field back into oneof" gives back the release', () => {
    const released = edit(OLD, VERSION_REQUEST, 'message VersionRequest {\n    // The version, one way.\n    oneof v {\n        // A number.\n        int64 version_number = 2;\n        // Version of the kubelet runtime API.\n        string version = 1;\n    }\n}\n');
    const out = edit(released, '        // Version of the kubelet runtime API.\n        string version = 1;\n    }\n}\n', '    }\n    // Version of the kubelet runtime API.\n    string version = 1;\n}\n');
    const fix = preferredFix(out, 'FIELD_ONEOF_CHANGED', baselineOf(released));
    assert.equal(fix.title, 'Move the field back into oneof "v"');
    assert.equal(fix.after, released);
  });

  test('a released oneof member moved into another oneof (FIELD_ONEOF_CHANGED): "Move the field back into oneof" takes it out of the other', () => {
    const V = '    oneof v {\n        // A number.\n        int64 version_number = 2;\n        // Version of the kubelet runtime API.\n        string version = 1;\n    }\n';
    const VERSION = '        // Version of the kubelet runtime API.\n        string version = 1;\n';
    const W = '    // Another choice.\n    oneof w {\n        // Other.\n        bool other = 3;\n    }\n';
    const released = edit(OLD, VERSION_REQUEST, `message VersionRequest {\n${V}${W}}\n`);
    // Into a released oneof that keeps its other member.
    const between = edit(edit(released, VERSION, ''), '        bool other = 3;\n', `        bool other = 3;\n${VERSION}`);
    const back = preferredFix(between, 'FIELD_ONEOF_CHANGED', baselineOf(released));
    assert.equal(back.title, 'Move the field back into oneof "v"');
    assert.equal(back.after, released);
    // Into a new oneof of its own: that oneof, left empty, goes too (with its comment and a blank line around it).
    const onlyV = edit(OLD, VERSION_REQUEST, `message VersionRequest {\n${V}}\n`);
    const intoNew = edit(edit(onlyV, VERSION, ''), '        int64 version_number = 2;\n    }\n', `        int64 version_number = 2;\n    }\n\n    // New.\n    oneof n {\n${VERSION}    }\n\n`);
    const gone = preferredFix(intoNew, 'FIELD_ONEOF_CHANGED', baselineOf(onlyV));
    assert.equal(gone.title, 'Move the field back into oneof "v"');
    assert.equal(gone.after, onlyV.replace(`${V}}\n`, `${V}\n}\n`));
    // The oneof it left is gone: nothing says where the field belongs.
    const vGone = edit(edit(released, V, '    oneof v2 {\n        // A number.\n        int64 version_number = 2;\n    }\n'), '        bool other = 3;\n', `        bool other = 3;\n${VERSION}`);
    const f = findingOf(run(vGone, baselineOf(released)), 'FIELD_ONEOF_CHANGED', 'runtime.v1.VersionRequest.version');
    assert.deepEqual(lightBulb(vGone, f, baselineOf(released)).filter((x) => x.title.startsWith('Move')).map((x) => x.title), []);
  });

  test('a renamed oneof: its released name is restored', () => {
    const released = edit(OLD, VERSION_REQUEST, IN_ONEOF);
    const renamed = edit(released, 'oneof v {', 'oneof ver {');
    const fix = preferredFix(renamed, 'FIELD_ONEOF_GO_CHANGED', baselineOf(released));
    assert.equal(fix.title, 'Restore the original name "v"');
    assert.equal(fix.after, released);
  });

  test('a presence change is undone in both directions', () => {
    const optional = edit(OLD, VERSION_REQUEST, VERSION_REQUEST.replace('string version', 'optional string version'));
    const implicit = preferredFix(optional, 'FIELD_PRESENCE_CHANGED');
    assert.equal(implicit.title, 'Make the field implicit again (no "optional")');
    assert.equal(implicit.after, OLD);
    const back = preferredFix(OLD, 'FIELD_PRESENCE_CHANGED', baselineOf(optional));
    assert.equal(back.title, 'Restore "optional" (explicit presence)');
    assert.equal(back.after, optional);
  });

  test('a type moved out of its message goes back into it, where it was; its hover shows its history under the old name', () => {
    const moved = edit(edit(OLD, PROFILE_TYPE, ''), '// A security profile which can be used for sandboxes and containers.\n',
      `${PROFILE_TYPE_TOP}\n// A security profile which can be used for sandboxes and containers.\n`);
    const fix = preferredFix(moved, 'MESSAGE_RENAMED');
    assert.equal(fix.title, 'Move the type back to "SecurityProfile"');
    assert.deepEqual(run(fix.after).findings.filter((f) => f.rule === 'MESSAGE_RENAMED'), []);
    // The bundled index keeps the order of a message's nested enums, not where they stand among its fields: the enum
    // goes to the end. A baseline read from a file says it came before "profile_type": it goes back there.
    assert.ok(fix.after.includes(`    string localhost_ref = 2;\n${PROFILE_TYPE}}\n`));
    const fromFile = preferredFix(moved, 'MESSAGE_RENAMED', baselineOf(OLD));
    assert.equal(fromFile.title, 'Move the type back to "SecurityProfile"');
    assert.equal(fromFile.after, OLD);
    const hover = elementHover(moved, findingOf(run(moved), 'MESSAGE_RENAMED'));
    assert.match(hover, /\*\*Moved from `SecurityProfile\.ProfileType`\*\*: the baseline's `runtime\.v1\.SecurityProfile\.ProfileType` in another scope, so it is not new\./);
    assert.match(hover, /`SecurityProfile_ProfileType` is now `ProfileType`/);
    assert.match(hover, /\*\*Release history\*\* of `SecurityProfile\.ProfileType`/);
    assert.doesNotMatch(hover, /New since/);
  });

  test('a top-level message moved into another goes back to the top level where it was, its references follow', () => {
    const KV = 'message KeyValue {\n    string key = 1;\n    bytes value = 2;\n}\n\n';
    const into = edit(edit(edit(OLD, KV, ''), 'message ContainerMetadata {\n', `message ContainerMetadata {\n    ${KV.trim().replace(/\n/g, '\n    ')}\n`),
      'repeated KeyValue envs = 6;', 'repeated ContainerMetadata.KeyValue envs = 6;');
    const fix = preferredFix(into, 'MESSAGE_RENAMED');
    assert.equal(fix.title, 'Move the type back to the top level');
    assert.deepEqual(run(fix.after).findings.filter((f) => f.rule === 'MESSAGE_RENAMED' || f.severity === 'error'), []);
    assert.ok(fix.after.includes('    repeated KeyValue envs = 6;'));
    // Where it was: after ImageSpec, the message before it in the release (not after ContainerMetadata, where it was moved).
    assert.equal(fix.after, OLD);
  });
});

describe('an enum value moved onto the number of another, on v0.36.3', { skip: SKIP }, () => {
  // Without allow_alias two names of one number are an error of their own (protoc and protobufjs refuse the file),
  // not an alias JSON would write: ENUM_VALUE_JSON_NAME_CHANGED and its "Declare … after …" fix are for aliases.
  const PROTOCOL = 'enum Protocol {\n    TCP = 0;\n';
  const renumbered = (): string => edit(OLD, PROTOCOL, 'enum Protocol {\n    TCP = 1;\n');

  test('without allow_alias: the changed number and the duplicate, no JSON-name finding; restoring the number gives back the release', () => {
    const text = renumbered();
    const a = run(text);
    assert.deepEqual(a.findings.filter((f) => f.rule === 'ENUM_VALUE_JSON_NAME_CHANGED').map((f) => f.message), []);
    assert.ok(a.bound.problems.some((p) => p.code === 'duplicate-number' && p.severity === 'error'), 'the binder reports the duplicate number');
    assert.deepEqual(a.findings.flatMap((f) => lightBulb(text, f, BASE)).map((x) => x.title).filter((t) => t.startsWith('Declare')), []);
    const fix = preferredFix(text, 'ENUM_VALUE_NUMBER_CHANGED');
    assert.equal(fix.title, 'Restore the original number 0');
    assert.equal(fix.after, OLD);
    assert.equal(fix.afterAll, OLD);
    assertValidProto(fix.after);
  });

  test('with allow_alias the same edit makes TCP the name JSON writes for 1: the finding stays', () => {
    const aliased = edit(renumbered(), 'enum Protocol {\n', 'enum Protocol {\n    option allow_alias = true;\n');
    const f = findingOf(run(aliased), 'ENUM_VALUE_JSON_NAME_CHANGED');
    assert.equal(f.element, 'runtime.v1.Protocol.TCP');
  });
});

describe('documentation stubs keep comments that document nothing and add the whole stub below them, on v0.36.3', { skip: SKIP }, () => {
  // The stub replaced such a comment, and with it what the author wrote (v0.30.0's "// Runtime handlers." above
  // StatusResponse.runtime_handlers, checked against v0.29.15).
  const VERSION_RPC = '    rpc Version(VersionRequest) returns (VersionResponse) {}\n';
  const withRpc = (comment: string): string => edit(OLD, VERSION_RPC, `${VERSION_RPC}${comment}    rpc Version2(VersionRequest) returns (VersionResponse) {}\n`);
  const STUB = '    // Version2 TODO: what it does and what it returns.\n    // Call order: TODO:';
  /** What fix-all offers for a text (as on save): [] for nothing. */
  const fixAllEdits = (text: string): TextEdit[] => {
    const reanalyze = (t: string): Analysis => run(t);
    const all = codeActions({ uri: URI, version: 1, text, analysis: reanalyze(text) }, { diagnostics: [], only: ['source.fixAll'], documentChanges: true, reanalyze });
    return all.length ? actionEdits(all[0]!) : [];
  };
  for (const [what, comment] of [
    ['a placeholder', '    // TODO\n'],
    ['a comment copied from another RPC', '    // Version returns the runtime name, runtime version, and runtime API version.\n'],
  ] as const) {
    test(`an RPC with ${what}`, () => {
      const text = withRpc(comment);
      const fix = preferredFix(text, 'DOC_MISSING', BASE, 'runtime.v1.RuntimeService.Version2');
      assert.equal(fix.title, 'Add the missing documentation to the comment');
      assert.ok(fix.after.includes(`${VERSION_RPC}${comment}${STUB}`), 'the comment stays, the stub below it');
      assert.equal(fix.afterAll, fix.after);
      assert.deepEqual(fixAllEdits(fix.afterAll), [], 'a second fix-all adds nothing');
    });
  }
  test('a block comment, which `//` lines would not extend, is still replaced where it documents nothing', () => {
    const fix = preferredFix(withRpc('    /* TODO */\n'), 'DOC_MISSING', BASE, 'runtime.v1.RuntimeService.Version2');
    assert.equal(fix.title, 'Replace the comment with a documentation stub');
    assert.ok(fix.after.includes(`${VERSION_RPC}${STUB}`));
  });
  test('a field whose comment restates its name', () => {
    const text = edit(OLD, VERSION_REQUEST, VERSION_REQUEST.replace('}\n', '    // Runtime handlers.\n    repeated string runtime_handlers = 2;\n}\n'));
    const fix = preferredFix(text, 'DOC_MISSING');
    assert.equal(fix.title, 'Add the missing documentation to the comment');
    assert.ok(fix.after.includes('    string version = 1;\n    // Runtime handlers.\n    // runtime_handlers TODO: what it means, and the format and units of its value.\n'));
    assert.deepEqual(fixAllEdits(fix.afterAll), [], 'a second fix-all adds nothing');
  });
  test('v0.30.0\'s StatusResponse.runtime_handlers against v0.29.15', () => {
    const v030 = new Corpus(CORPUS_DIR!).textOf('v0.30.0')!;
    const b: Baseline = { tag: 'v0.29.15', source: 'bundled', origin: 'test', model: history.modelAt('v0.29.15')!, history };
    const fix = preferredFix(v030, 'DOC_MISSING', b, 'runtime.v1.StatusResponse.runtime_handlers');
    assert.equal(fix.title, 'Add the missing documentation to the comment');
    assert.match(fix.after, /\n {4}\/\/ Runtime handlers\.\n {4}\/\/ runtime_handlers TODO: what it means/);
  });
});

describe('hovers and rule texts of the changed findings', { skip: SKIP }, () => {
  test('a field renamed by case only: the hover says the Go field stays and the old key breaks', () => {
    const text = edit(OLD, VERSION_REQUEST, VERSION_REQUEST.replace('string version', 'string Version'));
    const hover = elementHover(text, findingOf(run(text), 'FIELD_RENAMED'));
    assert.match(hover, /JSON keys change; the Go field Version is the same/);
    assert.doesNotMatch(hover, /Go names change/);
  });

  test('FIELD_PRESENCE_CHANGED links the protobuf presence guide and says what a zero value means then', () => {
    const text = edit(OLD, VERSION_REQUEST, VERSION_REQUEST.replace('string version', 'optional string version'));
    const explanation = findingExplanation(findingOf(run(text), 'FIELD_PRESENCE_CHANGED'), BASE);
    assert.match(explanation, /^\*\*FIELD_PRESENCE_CHANGED\*\* · GO_SOURCE · error/);
    assert.match(explanation, /reads "not set" where zero was meant/);
    assert.match(explanation, /\(https:\/\/protobuf\.dev\/programming-guides\/field_presence\/\)/);
    assert.match(getRule('FIELD_ONEOF_GO_CHANGED').explanation, /also gains presence/);
  });
});
