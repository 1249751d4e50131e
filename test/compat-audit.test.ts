// Regression tests for the defects found by comparing cri-compat with `buf breaking` on single edits of the
// released v0.36.3 api.proto (the corpus): each edit below is one of those cases.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCompatibility } from '../server/src/compat/check';
import type { Finding } from '../server/src/compat/finding';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import type { Baseline } from '../server/src/baseline/types';
import { resolveCliBaseline } from '../server/src/cli/baseline';
import { resolveBaseline } from '../server/src/baseline/resolve';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { referencesRpc } from '../server/src/docs/fingerprint';
import { DEPRECATION_NOTE, applyEdits, computeFixes } from '../server/src/fixes';
import { NEEDS_CORPUS, corpusText, replaceOnce } from './corpusText';

const TAG = 'v0.36.3';
const base = (): string => corpusText(TAG);

const edit = replaceOnce;

function check(oldText: string, newText: string): Finding[] {
  const bound = bind(parse(newText), 'file:///work/api.proto');
  const baseline: Baseline = { tag: TAG, source: 'path', origin: 'test', model: bind(parse(oldText), 'old.proto').model };
  return checkCompatibility(newText, bound, baseline).findings;
}

const rules = (fs: Finding[]): string[] => fs.map((f) => f.rule).sort();
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));

// ---- 1. a runtime.* package without releases is compared with runtime.v1 ----------------------------------

test('package runtime.v1 → runtime.v2: the automatic and the tag baseline are runtime.v1 releases, PACKAGE_CHANGED fires', NEEDS_CORPUS, async () => {
  const text = edit(base(), 'package runtime.v1;', 'package runtime.v2;');
  const dir = mkdtempSync(join(tmpdir(), 'cri-audit-'));
  try {
    for (const against of ['auto', TAG]) {
      const r = await resolveCliBaseline({ against, file: join(dir, 'api.proto'), cwd: dir, text, includePrereleases: false, network: false, onProgress: () => {} });
      assert.equal(r.error, undefined, against);
      assert.ok(r.baseline, `${against}: ${r.message}`);
      assert.equal(r.baseline.model.package, 'runtime.v1');
      // runtime.v1's history says nothing about runtime.v2.
      assert.equal(r.baseline.history, undefined);
      const bound = bind(parse(text), 'file:///work/api.proto');
      const fs = checkCompatibility(text, bound, r.baseline).findings;
      assert.deepEqual(fs.map((f) => [f.rule, f.severity]), [['PACKAGE_CHANGED', 'error']], against);
    }
    // Unrelated packages are not CRI: no baseline, and the message says why.
    const other = edit(base(), 'package runtime.v1;', 'package foo.bar;');
    const r = await resolveCliBaseline({ against: 'auto', file: join(dir, 'api.proto'), cwd: dir, text: other, includePrereleases: false, network: false, onProgress: () => {} });
    assert.equal(r.baseline, undefined);
    assert.match(r.message!, /api\.proto is not the CRI API: its package is foo\.bar, not runtime\.v1, so it is not compared with cri-api releases/);
    const e = await resolveCliBaseline({ against: TAG, file: join(dir, 'api.proto'), cwd: dir, text: other, includePrereleases: false, network: false, onProgress: () => {} });
    assert.match(e.error!, /not the CRI API/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resolution notes say the index has no releases of the file\'s package, not that there is no index', async () => {
  const bundled = loadBundledHistory();
  const r = await resolveBaseline({ trusted: false, bundled, package: 'runtime.v2', env: {}, homeDir: '/nonexistent' });
  assert.equal(r.baseline?.tag, bundled.releases.filter((x) => !x.prerelease).at(-1)?.tag ?? r.baseline?.tag);
  const note = r.tried.find((t) => t.source === 'bundled')!.outcome;
  assert.match(note, /^the bundled release index has no releases of package runtime\.v2; newest runtime\.v1 release v0\.\d+\.\d+$/);
  assert.ok(!r.tried.some((t) => /no bundled release index available/.test(t.outcome)));
  const t = await resolveBaseline({ trusted: false, bundled, package: 'runtime.v2', explicit: TAG, env: {}, homeDir: '/nonexistent' });
  assert.equal(t.baseline?.tag, TAG);
  assert.match(t.tried.map((x) => x.outcome).join('\n'), /has no releases of package runtime\.v2; using v0\.36\.3 of runtime\.v1/);
});

// ---- 2. reserved ranges are compared as intervals ----------------------------------------------------------

test('narrowing a large reserved range is RESERVED_REMOVED (10 to 2000 → 10 to 1500; 100 to max → 100 to 5000)', NEEDS_CORPUS, () => {
  const withRange = (r: string) => edit(base(), '    string runtime_api_version = 4;\n}', `    string runtime_api_version = 4;\n    reserved ${r};\n}`);
  let fs = check(withRange('10 to 2000'), withRange('10 to 1500'));
  assert.deepEqual(rules(fs), ['RESERVED_REMOVED']);
  assert.equal(fs[0]!.message, `message "VersionResponse" no longer reserves numbers 1501 to 2000 (reserved in ${TAG})`);
  fs = check(withRange('100 to max'), withRange('100 to 5000'));
  assert.deepEqual(rules(fs), ['RESERVED_REMOVED']);
  assert.equal(fs[0]!.message, `message "VersionResponse" no longer reserves numbers 5001 to max (reserved in ${TAG})`);
  // A field in the freed part is pointed at, wherever in the range it is.
  const reused = edit(withRange('10 to 1500'), '    reserved 10 to 1500;\n', '    reserved 10 to 1500;\n    string commit = 1800;\n');
  fs = check(withRange('10 to 2000'), reused).filter((f) => f.rule === 'RESERVED_REMOVED');
  assert.equal(fs.length, 1);
  assert.equal(fs[0]!.range.start.line, lineOf(reused, 'string commit = 1800;'));
  assert.match(fs[0]!.message, /no longer reserves numbers 1501 to 2000 .*"commit" now uses 1800$/);
  // Splitting a range into pieces that cover it is no change.
  assert.deepEqual(check(withRange('10 to 2000'), withRange('10 to 999, 1000 to 2000')), []);
});

// ---- 4. optional on a message field ------------------------------------------------------------------------

test('`optional` on a proto3 message field changes no presence: no finding', NEEDS_CORPUS, () => {
  const b = base();
  assert.deepEqual(check(b, edit(b, '    PodSandboxStatus pod_sandbox_status = 4;', '    optional PodSandboxStatus pod_sandbox_status = 4;')), []);
});

// ---- 9. packed repeated enums ------------------------------------------------------------------------------

test('FIELD_PACKED_CHANGED covers repeated enum fields', NEEDS_CORPUS, () => {
  const old = edit(base(), '    Protocol protocol = 1;\n', '    Protocol protocol = 1;\n    // Protocols.\n    repeated Protocol protocols = 5;\n');
  const fs = check(old, edit(old, 'repeated Protocol protocols = 5;', 'repeated Protocol protocols = 5 [packed = false];'));
  assert.deepEqual(rules(fs), ['FIELD_PACKED_CHANGED']);
  assert.equal(fs[0]!.element, 'runtime.v1.PortMapping.protocols');
});

// ---- 8. where deleted top-level elements were --------------------------------------------------------------

test('a deleted top-level message, service: the finding points where it was and says so', NEEDS_CORPUS, () => {
  const b = base();
  const start = b.indexOf('// HugepageLimit corresponds');
  const end = b.indexOf('// SELinuxOption are the labels');
  const cur = edit(b.slice(0, start) + b.slice(end),
    '    // List of HugepageLimits to limit the HugeTLB usage of container per page size. Default: nil (not specified).\n    repeated HugepageLimit hugepage_limits = 8;\n',
    '    reserved 8;\n    reserved "hugepage_limits";\n');
  const f = check(b, cur).find((x) => x.rule === 'MESSAGE_NO_DELETE')!;
  assert.equal(f.range.start.line, lineOf(cur, 'message SELinuxOption'));
  assert.match(f.message, /^message "runtime\.v1\.HugepageLimit" of v0\.36\.3 was deleted \(it was declared before "SELinuxOption"\)/);
  const svc = b.slice(0, b.indexOf('// ImageService defines')) + b.slice(b.indexOf('message VersionRequest'));
  const s = check(b, svc).find((x) => x.rule === 'SERVICE_NO_DELETE')!;
  assert.equal(s.range.start.line, lineOf(svc, 'service RuntimeService'));
  assert.equal(s.message, `service "ImageService" of ${TAG} was deleted (it was declared after "RuntimeService")`);
});

// ---- 6. renames are not new elements for the documentation rules --------------------------------------------

test('renamed message / RPC: only the rename finding, no "new element" documentation findings', NEEDS_CORPUS, () => {
  const b = base();
  assert.deepEqual(rules(check(b, b.replace(/\bVersionRequest\b/g, 'GetVersionRequest'))), ['MESSAGE_RENAMED']);
  assert.deepEqual(rules(check(b, edit(b, 'rpc ReopenContainerLog(', 'rpc ReopenContainerLogs('))), ['RPC_NO_DELETE']);
  assert.deepEqual(rules(check(b, edit(b, 'service ImageService {', 'service ImageManagerService {'))), ['SERVICE_NO_DELETE']);
});

// ---- 5. call-sequence statements -----------------------------------------------------------------------------

const NEW_MSGS = '\n// DrainPodSandboxRequest is the request of DrainPodSandbox.\nmessage DrainPodSandboxRequest {\n    // ID of the sandbox.\n    string pod_sandbox_id = 1;\n}\n\n// DrainPodSandboxResponse is empty.\nmessage DrainPodSandboxResponse {}\n';
function addRpc(doc: string): string {
  const anchor = '    rpc UpdatePodSandboxResources(UpdatePodSandboxResourcesRequest) returns (UpdatePodSandboxResourcesResponse) {}\n';
  return edit(base() + NEW_MSGS, anchor, `${anchor}\n${doc}    rpc DrainPodSandbox(DrainPodSandboxRequest) returns (DrainPodSandboxResponse) {}\n`);
}

test('RPC_CALL_SEQUENCE_UNDOCUMENTED: an RPC name used as an English word (Status, Version) is no call-sequence statement', NEEDS_CORPUS, () => {
  const b = base();
  for (const line of ['Status: alpha. Older runtimes answer Unimplemented.', 'Version 2 of the drain protocol. Older runtimes answer Unimplemented.']) {
    const fs = check(b, addRpc(`    // DrainPodSandbox drains all connections of a pod sandbox.\n    // ${line}\n`));
    assert.deepEqual(rules(fs), ['RPC_CALL_SEQUENCE_UNDOCUMENTED'], line);
  }
  for (const line of ['Called after Status reports the sandbox ready.', 'The kubelet calls it before StopPodSandbox.', 'Call `Version` first.', 'Only once the Attach RPC has returned.']) {
    const fs = check(b, addRpc(`    // DrainPodSandbox drains all connections of a pod sandbox.\n    // ${line} Older runtimes answer Unimplemented.\n`));
    assert.deepEqual(rules(fs), [], line);
  }
  const names = ['Status', 'Version', 'Exec', 'Attach', 'PodSandboxStatus'];
  assert.equal(referencesRpc('Exec: runs in the sandbox.', names), false);
  assert.equal(referencesRpc('Runs after Exec returns.', names), true);
  assert.equal(referencesRpc('Like PodSandboxStatus, but cheaper.', names), true);
});

// ---- 7. wire-compatible type changes ---------------------------------------------------------------------------

test('message → bytes, a message moved into another, map → repeated entry message: FIELD_TYPE_CHANGED, not incompatible', NEEDS_CORPUS, () => {
  const b = base();
  let fs = check(b, edit(b, '    PodSandboxStatus pod_sandbox_status = 4;', '    bytes pod_sandbox_status = 4;'));
  assert.deepEqual(rules(fs), ['FIELD_TYPE_CHANGED']);
  const podip = '// PodIP represents an ip of a Pod\nmessage PodIP{\n    // an ip is a string representation of an IPv4 or an IPv6\n    string ip = 1;\n}\n';
  const moved = edit(edit(b, podip, ''), '    repeated PodIP additional_ips  = 2;\n',
    '    repeated PodIP additional_ips  = 2;\n    // PodIP represents an ip of a Pod\n    message PodIP{\n        // an ip is a string representation of an IPv4 or an IPv6\n        string ip = 1;\n    }\n');
  // Moved with its name: reported once, as a Go type rename (see the Go and JSON audit tests).
  assert.deepEqual(rules(check(b, moved)), ['MESSAGE_RENAMED']);
  // Moved and renamed: another type, encoded the same.
  fs = check(b, edit(moved.replace('    message PodIP{', '    message Address{'), '    repeated PodIP additional_ips  = 2;', '    repeated Address additional_ips  = 2;'));
  assert.ok(!fs.some((f) => f.rule === 'FIELD_TYPE_INCOMPATIBLE'), JSON.stringify(rules(fs)));
  assert.deepEqual(fs.filter((f) => f.rule === 'FIELD_TYPE_CHANGED').map((f) => f.message), [
    `field "PodSandboxNetworkStatus.additional_ips" changed type from runtime.v1.PodIP to runtime.v1.PodSandboxNetworkStatus.Address (baseline ${TAG}); both messages have the same field numbers and types, so the bytes parse as they are, but the Go type changes`]);
  fs = check(b, edit(b, '    map<string, string> sysctls = 3;', '    repeated KeyValue sysctls = 3;'));
  assert.ok(!fs.some((f) => f.rule === 'FIELD_TYPE_INCOMPATIBLE'), JSON.stringify(rules(fs)));
  assert.ok(fs.some((f) => f.rule === 'FIELD_TYPE_CHANGED' && f.element.endsWith('.sysctls')));
});

// ---- 8. go_package ------------------------------------------------------------------------------------------

const GO_PACKAGE = 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1";';

test('GO_PACKAGE_CHANGED: a new import path is an error on the go_package line, against the file and the bundled release', NEEDS_CORPUS, () => {
  const b = base();
  const cur = edit(b, GO_PACKAGE, 'option go_package = "k8s.io/cri-api/v2/pkg/apis/runtime/v1";');
  const line = lineOf(cur, 'option go_package');
  const bundledModel = loadBundledHistory().modelAt(TAG);
  assert.ok(bundledModel);
  assert.equal(bundledModel.goPackage, 'k8s.io/cri-api/pkg/apis/runtime/v1');
  const bound = bind(parse(cur), 'file:///work/api.proto');
  const bundled: Baseline = { tag: TAG, source: 'bundled', origin: 'bundled release index', model: bundledModel, history: loadBundledHistory() };
  for (const [against, fs] of [['file', check(b, cur)], ['bundled', checkCompatibility(cur, bound, bundled).findings]] as const) {
    assert.deepEqual(fs.map((f) => [f.rule, f.category, f.severity]), [['GO_PACKAGE_CHANGED', 'GO_SOURCE', 'error']], against);
    const f = fs[0]!;
    assert.equal(f.range.start.line, line, against);
    assert.equal(f.message, `go_package changed from "k8s.io/cri-api/pkg/apis/runtime/v1" to "k8s.io/cri-api/v2/pkg/apis/runtime/v1" (baseline ${TAG})`);
  }
});

test('GO_PACKAGE_CHANGED: a ";name" suffix that renames the Go package is a finding; the same option is none', NEEDS_CORPUS, () => {
  const b = base();
  const cur = edit(b, GO_PACKAGE, 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1;runtimev1";');
  const fs = check(b, cur);
  assert.deepEqual(rules(fs), ['GO_PACKAGE_CHANGED']);
  assert.equal(fs[0]!.range.start.line, lineOf(cur, 'option go_package'));
  assert.deepEqual(check(b, b), []);
  // Spelling the default name out changes nothing.
  assert.deepEqual(check(b, edit(b, GO_PACKAGE, 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1;v1";')), []);
});

test('GO_PACKAGE_CHANGED: against an old bare name ("v1") only the package name counts; adding the option is none, removing it is one', NEEDS_CORPUS, () => {
  const b = base();
  const bare = edit(b, GO_PACKAGE, 'option go_package = "v1";');
  assert.deepEqual(check(bare, b), []);
  assert.deepEqual(check(b, bare), []);
  assert.deepEqual(rules(check(bare, edit(b, GO_PACKAGE, 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/runtimev1";'))), ['GO_PACKAGE_CHANGED']);
  const none = edit(b, `${GO_PACKAGE}\n`, '');
  assert.deepEqual(rules(check(b, none)), ['GO_PACKAGE_CHANGED']);
  assert.deepEqual(check(none, b), []);
});

// ---- 9. a deleted package statement ----------------------------------------------------------------------------

test('PACKAGE_CHANGED: a deleted package statement is reported at the head of the file; a changed one on the statement', NEEDS_CORPUS, () => {
  const b = base();
  const removed = edit(b, 'package runtime.v1;\n', '');
  const fs = check(b, removed);
  assert.deepEqual(rules(fs), ['PACKAGE_CHANGED']);
  assert.equal(fs[0]!.message, `package changed from "runtime.v1" to "" (baseline ${TAG})`);
  const syntax = lineOf(removed, 'syntax = "proto3";');
  assert.deepEqual(fs[0]!.range, { start: { line: syntax, character: 0 }, end: { line: syntax, character: 'syntax = "proto3";'.length } });
  // Without a syntax line either: the first declaration, the go_package option.
  const bare = edit(removed, 'syntax = "proto3";\n', '');
  const option = lineOf(bare, 'option go_package');
  assert.deepEqual(check(b, bare).map((f) => [f.rule, f.range.start.line, f.range.start.character]), [['PACKAGE_CHANGED', option, 0]]);
  const changed = edit(b, 'package runtime.v1;', 'package runtime.v2;');
  const pkg = lineOf(changed, 'package runtime.v2;');
  assert.deepEqual(check(b, changed).map((f) => [f.rule, f.range.start.line, f.range.start.character]), [['PACKAGE_CHANGED', pkg, 'package '.length]]);
});

// ---- 10. a renamed empty message, which only the RPC that uses it identifies ------------------------------------

/** `text` checked against the bundled release index's TAG, as the CLI checks it. */
function checkBundled(text: string): Finding[] {
  const history = loadBundledHistory();
  const model = history.modelAt(TAG);
  assert.ok(model);
  const baseline: Baseline = { tag: TAG, source: 'bundled', origin: 'bundled release index', model, history };
  return checkCompatibility(text, bind(parse(text), 'file:///work/api.proto'), baseline).findings;
}

/** Renames the empty message `from` to `to`, in its declaration and in the RPC that uses it. */
const renameEmpty = (text: string, rpc: string, from: string, to: string): string =>
  edit(edit(text, `message ${from} {}`, `message ${to} {}`), rpc, rpc.replace(from, to));

test('an empty request or response message renamed with its RPC: MESSAGE_RENAMED, not a signature change and a deletion', NEEDS_CORPUS, () => {
  const b = base();
  const events = renameEmpty(b, 'rpc GetContainerEvents(GetEventsRequest)', 'GetEventsRequest', 'GetContainerEventsRequest');
  const stop = renameEmpty(b, 'returns (StopPodSandboxResponse)', 'StopPodSandboxResponse', 'PodSandboxStopResponse');
  for (const [against, fs] of [['file', check(b, events)], ['bundled', checkBundled(events)]] as const) {
    assert.deepEqual(fs.map((f) => [f.rule, f.category, f.severity, f.element, f.range.start.line, f.range.start.character]),
      [['MESSAGE_RENAMED', 'GO_SOURCE', 'error', 'runtime.v1.GetContainerEventsRequest', lineOf(events, 'message GetContainerEventsRequest {}'), 'message '.length]], against);
    assert.equal(fs[0]!.message,
      `message "GetEventsRequest" of ${TAG} was renamed to "GetContainerEventsRequest": both are empty, and rpc "GetContainerEvents" now takes it as its request`);
    // Its quick fix renames it back, in the RPC too: the released file again.
    const fix = computeFixes(events, bind(parse(events), 'file:///work/api.proto'), fs[0]!)[0]!;
    assert.equal(fix.title, 'Restore the original name "GetEventsRequest"', against);
    assert.equal(applyEdits(events, fix.edits), b, against);
  }
  for (const fs of [check(b, stop), checkBundled(stop)]) {
    assert.deepEqual(fs.map((f) => f.message),
      [`message "StopPodSandboxResponse" of ${TAG} was renamed to "PodSandboxStopResponse": both are empty, and rpc "StopPodSandbox" now returns it`]);
  }
});

test('an empty message the RPCs do not link to one new empty message is still deleted (RPC_SIGNATURE_CHANGED, MESSAGE_NO_DELETE)', NEEDS_CORPUS, () => {
  const b = base();
  // Deleting an RPC leaves its comment above the next one: the documentation findings are not what is tested.
  const shown = (fs: Finding[]): string[] => fs.filter((f) => f.category !== 'DOCS' && f.category !== 'SEMANTIC').map((f) => `${f.rule} ${f.element.replace(/^runtime\.v1\./, '')}`).sort();
  // Two released empty responses replaced by one new one: which one it continues, if any, is not known.
  const merged = edit(edit(edit(edit(b, 'message StopContainerResponse {}', 'message ContainerResponse {}'), 'message RemoveContainerResponse {}\n', ''),
    'returns (StopContainerResponse)', 'returns (ContainerResponse)'), 'returns (RemoveContainerResponse)', 'returns (ContainerResponse)');
  const unlinked = ['MESSAGE_NO_DELETE RemoveContainerResponse', 'MESSAGE_NO_DELETE StopContainerResponse',
    'RPC_SIGNATURE_CHANGED RuntimeService.RemoveContainer', 'RPC_SIGNATURE_CHANGED RuntimeService.StopContainer'];
  assert.deepEqual(shown(check(b, merged)), unlinked);
  // The other way round: one released empty response, which two RPCs returned, replaced by two new ones.
  assert.deepEqual(shown(check(merged, b)), ['MESSAGE_NO_DELETE ContainerResponse', 'RPC_SIGNATURE_CHANGED RuntimeService.RemoveContainer', 'RPC_SIGNATURE_CHANGED RuntimeService.StopContainer']);
  // Two renamed whose RPCs are gone: nothing links them.
  const gone = edit(edit(renameEmpty(renameEmpty(b, 'returns (StopContainerResponse)', 'StopContainerResponse', 'StopContainerReply'),
    'returns (RemoveContainerResponse)', 'RemoveContainerResponse', 'RemoveContainerReply'),
  '    rpc StopContainer(StopContainerRequest) returns (StopContainerReply) {}\n', ''), '    rpc RemoveContainer(RemoveContainerRequest) returns (RemoveContainerReply) {}\n', '');
  assert.deepEqual(shown(check(b, gone)), ['MESSAGE_NO_DELETE RemoveContainerResponse', 'MESSAGE_NO_DELETE StopContainerResponse',
    'RPC_NO_DELETE RuntimeService.RemoveContainer', 'RPC_NO_DELETE RuntimeService.StopContainer']);
  // A released empty message in its place, or a new one that is not empty: a signature change.
  const released = edit(edit(b, 'message ImageFsInfoRequest {}\n', ''), 'rpc ImageFsInfo(ImageFsInfoRequest)', 'rpc ImageFsInfo(RuntimeConfigRequest)');
  assert.deepEqual(shown(check(b, released)), ['MESSAGE_NO_DELETE ImageFsInfoRequest', 'RPC_SIGNATURE_CHANGED ImageService.ImageFsInfo']);
  const fields = edit(renameEmpty(b, 'rpc GetContainerEvents(GetEventsRequest)', 'GetEventsRequest', 'GetContainerEventsRequest'),
    'message GetContainerEventsRequest {}', 'message GetContainerEventsRequest {\n    // Only events of this container.\n    string container_id = 1;\n}');
  assert.deepEqual(shown(check(b, fields)), ['MESSAGE_NO_DELETE GetEventsRequest', 'RPC_SIGNATURE_CHANGED RuntimeService.GetContainerEvents']);
});

test('many empty messages renamed with their RPCs: each one MESSAGE_RENAMED (the RPCs are indexed once, not scanned per message)', NEEDS_CORPUS, () => {
  const n = 4000;
  const service = (req: string): string => `service Bulk {\n${Array.from({ length: n }, (_, i) => `    rpc R${i}(${req}${i}) returns (VersionResponse) {}\n`).join('')}}\n` +
    Array.from({ length: n }, (_, i) => `message ${req}${i} {}\n`).join('');
  const old = `${base()}${service('Req')}`;
  const fs = check(old, `${base()}${service('NewReq')}`);
  assert.deepEqual(rules(fs), Array<string>(n).fill('MESSAGE_RENAMED'));
  assert.equal(fs[n - 1]!.message, `message "Req${n - 1}" of ${TAG} was renamed to "NewReq${n - 1}": both are empty, and rpc "R${n - 1}" now takes it as its request`);
});

// ---- 11. an enum value deleted with its number and name reserved ---------------------------------------------

const CONTAINER_MODE = '    // A CONTAINER namespace is restricted to a single container.\n    // For example, a container with a PID namespace of CONTAINER expects to\n' +
  '    // view only the processes in that container.\n    CONTAINER = 1;\n';
const CONTAINER_RESERVED = '    reserved 1;\n    reserved "CONTAINER";\n';

test('ENUM_VALUE_REMOVED_WITHOUT_DEPRECATION: an enum value deleted with its number and name reserved still removes its Go constant', NEEDS_CORPUS, () => {
  const b = base();
  const cur = edit(b, CONTAINER_MODE, CONTAINER_RESERVED);
  for (const [against, fs] of [['file', check(b, cur)], ['bundled', checkBundled(cur)]] as const) {
    assert.deepEqual(fs.map((f) => [f.rule, f.category, f.severity, f.element, f.range.start.line]),
      [['ENUM_VALUE_REMOVED_WITHOUT_DEPRECATION', 'POLICY', 'warning', 'runtime.v1.NamespaceMode.CONTAINER', lineOf(cur, 'enum NamespaceMode {')]], against);
    assert.equal(fs[0]!.message, `enum value "NamespaceMode.CONTAINER" of ${TAG} was removed without first being deprecated; its Go constant NamespaceMode_CONTAINER is gone`);
    // As for a field: deprecating it instead is preferred, restoring it is the alternative; both take the reservations back.
    const bound = bind(parse(cur), 'file:///work/api.proto');
    const fixes = computeFixes(cur, bound, fs[0]!);
    assert.deepEqual(fixes.map((f) => f.title), ['Deprecate "CONTAINER" instead of deleting', 'Restore the enum value "CONTAINER"', 'Ignore ENUM_VALUE_REMOVED_WITHOUT_DEPRECATION here'], against);
    const deprecated = applyEdits(cur, fixes[0]!.edits);
    assert.ok(deprecated.includes(`${against === 'file' ? CONTAINER_MODE.replace(/ {4}CONTAINER.*\n/, '') : ''}    // ${DEPRECATION_NOTE}\n    CONTAINER = 1 [deprecated = true];\n`), against);
    assert.ok(!deprecated.includes(CONTAINER_RESERVED));
    assert.deepEqual(check(b, deprecated).filter((f) => f.category !== 'DOCS'), [], against);
    // The bundled index keeps no doc text: the restored value's comment asks for it again.
    const restored = applyEdits(cur, fixes[1]!.edits);
    if (against === 'file') assert.equal(restored, b);
    else assert.equal(restored, edit(b, CONTAINER_MODE, '    // TODO: document it again; the release said, in the words that carry meaning: only.\n    CONTAINER = 1;\n'));
  }
  // Deleted without a reservation: the wire break, and the same policy warning, as FIELD_NO_DELETE and FIELD_REMOVED_WITHOUT_DEPRECATION.
  assert.deepEqual(rules(check(b, edit(b, CONTAINER_MODE, ''))), ['ENUM_VALUE_NO_DELETE', 'ENUM_VALUE_REMOVED_WITHOUT_DEPRECATION']);
  // A value of an enum nested in a message: its Go constant takes the message's name.
  const nested = check(b, edit(b, '        Unconfined = 1;\n', '        reserved 1;\n        reserved "Unconfined";\n'));
  assert.deepEqual(nested.map((f) => f.message),
    [`enum value "ProfileType.Unconfined" of ${TAG} was removed without first being deprecated; its Go constant SecurityProfile_Unconfined is gone`]);
  // Deprecated in the baseline first: removing it is what the deprecation announced.
  assert.deepEqual(check(edit(b, '    CONTAINER = 1;\n', '    CONTAINER = 1 [deprecated = true];\n'), cur), []);
});

// ---- 12. what a wire-compatible type change does ------------------------------------------------------------------

const WORKING_SET = '    UInt64Value working_set_bytes = 2;\n    // Available memory for use. This is defined as the memory limit - workingSetBytes.\n';

test('string ↔ bytes: FIELD_TYPE_CHANGED says that the side reading a string rejects bytes that are not UTF-8', NEEDS_CORPUS, () => {
  const b = base();
  const toString = edit(b, '    bytes stdout = 1;', '    string stdout = 1;');
  for (const fs of [check(b, toString), checkBundled(toString)]) {
    assert.deepEqual(fs.map((f) => [f.rule, f.category, f.severity, f.message]), [['FIELD_TYPE_CHANGED', 'WIRE', 'error',
      `field "ExecSyncResponse.stdout" changed type from bytes to string (baseline ${TAG}); the encoding is the same, but a peer built from this file rejects a message in which stdout holds bytes that are not valid UTF-8 (proto3 checks a string when parsing it), and JSON and Go types change`]]);
  }
  assert.deepEqual(check(b, edit(b, '    string runtime_name = 2;', '    bytes runtime_name = 2;')).map((f) => f.message), [
    `field "VersionResponse.runtime_name" changed type from string to bytes (baseline ${TAG}); the encoding is the same, but a peer built from ${TAG} rejects a message in which runtime_name holds bytes that are not valid UTF-8 (proto3 checks a string when parsing it), and JSON and Go types change`]);
  // Other changes inside one wire group keep their wording.
  assert.deepEqual(check(b, edit(b, 'int32 exit_code = 7;', 'int64 exit_code = 7;')).map((f) => f.message), [
    `field "ContainerStatus.exit_code" changed type from int32 to int64 (baseline ${TAG}); wire-compatible, but values, JSON and Go types change`]);
});

test('a message type changed to one whose field changed between string and bytes: the side reading a string rejects bytes that are not UTF-8', NEEDS_CORPUS, () => {
  const b = base();
  // PodIP { string ip = 1; } → PodIPBytes { bytes ip = 1; }: the same wire encoding, but not the same parse.
  const asBytes = edit(edit(b, '    string ip = 1;\n}\n', '    string ip = 1;\n}\n// PodIPBytes is an ip of a Pod as bytes.\nmessage PodIPBytes {\n    // The ip.\n    bytes ip = 1;\n}\n'),
    'repeated PodIP additional_ips', 'repeated PodIPBytes additional_ips');
  const typeChanges = (fs: Finding[]): string[] => fs.filter((f) => f.rule === 'FIELD_TYPE_CHANGED').map((f) => f.message);
  assert.deepEqual(typeChanges(check(b, asBytes)), [
    `field "PodSandboxNetworkStatus.additional_ips" changed type from runtime.v1.PodIP to runtime.v1.PodIPBytes (baseline ${TAG}); both messages have the same field numbers and wire encodings, but a peer built from ${TAG} rejects a message in which ip holds bytes that are not valid UTF-8 (proto3 checks a string when parsing it); values change as their fields' types do (ip = 1: string → bytes), and the Go type changes`]);
  // The other way, the peer built from the edited file is the one that checks.
  assert.deepEqual(typeChanges(check(asBytes, b)), [
    `field "PodSandboxNetworkStatus.additional_ips" changed type from runtime.v1.PodIPBytes to runtime.v1.PodIP (baseline ${TAG}); both messages have the same field numbers and wire encodings, but a peer built from this file rejects a message in which ip holds bytes that are not valid UTF-8 (proto3 checks a string when parsing it); values change as their fields' types do (ip = 1: bytes → string), and the Go type changes`]);
});

test('UInt64Value → Int64Value: FIELD_TYPE_CHANGED, the bytes parse; a message of another encoding is FIELD_TYPE_INCOMPATIBLE', NEEDS_CORPUS, () => {
  const b = base();
  const signed = edit(b, WORKING_SET, WORKING_SET.replace('UInt64Value', 'Int64Value'));
  for (const fs of [check(b, signed), checkBundled(signed)]) {
    assert.deepEqual(fs.map((f) => [f.rule, f.category, f.severity, f.range.start.line, f.message]), [['FIELD_TYPE_CHANGED', 'WIRE', 'error', lineOf(signed, 'Int64Value working_set_bytes'),
      `field "MemoryUsage.working_set_bytes" changed type from runtime.v1.UInt64Value to runtime.v1.Int64Value (baseline ${TAG}); both messages have the same field numbers and wire encodings, so the bytes parse, but values change as their fields' types do (value = 1: uint64 → int64), and the Go type changes`]]);
  }
  // PodIP's ip = 1 is length-delimited, UInt64Value's value = 1 a varint; KeyValue has two fields.
  for (const other of ['PodIP', 'KeyValue']) {
    assert.deepEqual(rules(check(b, edit(b, WORKING_SET, WORKING_SET.replace('UInt64Value', other)))), ['FIELD_TYPE_INCOMPATIBLE'], other);
  }
});
