// Audit of the Go-source and JSON verdicts against what protoc-gen-go and protojson do, on single edits of the
// released v0.36.3 api.proto (the corpus). Each case says what really breaks:
// - protoc-gen-go: Go names are strs.GoCamelCase of the proto names (`localhost_ref` and `localhostRef` are both
//   LocalhostRef); a nested type is Outer_Inner; a oneof is one struct field holding an interface
//   (isMessage_Oneof) implemented by a wrapper per member (Message_Field); proto3 `optional` makes a pointer.
// - protojson (protobuf.dev JSON mapping): writes the JSON name, reads the JSON name and the proto field name;
//   oneofs are flat and unnamed; 64-bit integers are strings, bytes base64, enums by the name declared first.
// - protobuf.dev "Updating A Message Type": a single field moved into a new oneof is binary compatible.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkCompatibility } from '../server/src/compat/check';
import type { Finding } from '../server/src/compat/finding';
import { goCamelCase } from '../server/src/proto/goNames';
import { elementPolicyHover } from '../server/src/features/policyHover';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import type { Baseline } from '../server/src/baseline/types';
import { NEEDS_CORPUS, corpusText, replaceOnce } from './corpusText';

const TAG = 'v0.36.3';
const base = (): string => corpusText(TAG);

/** Exact, unique replacements, in order. */
function edit(text: string, ...pairs: [string, string][]): string {
  return pairs.reduce((t, [from, to]) => replaceOnce(t, from, to), text);
}

/** The compatibility findings (not the documentation and policy ones, which new elements bring). */
function check(oldText: string, newText: string): Finding[] {
  const bound = bind(parse(newText), 'file:///work/api.proto');
  const baseline: Baseline = { tag: TAG, source: 'path', origin: 'test', model: bind(parse(oldText), 'old.proto').model };
  return checkCompatibility(newText, bound, baseline).findings.filter((f) => !['DOCS', 'POLICY', 'SEMANTIC'].includes(f.category));
}

const summary = (fs: Finding[]): string[][] => fs.map((f) => [f.rule, f.category, f.severity, f.element]);

const REF = '    string localhost_ref = 2;\n';
const PROFILE_TYPE = '    enum ProfileType {\n        // The container runtime default profile should be used.\n        RuntimeDefault = 0;\n' +
  '        // Disable the feature for the sandbox or the container.\n        Unconfined = 1;\n        // A pre-defined profile on the node should be used.\n' +
  '        Localhost = 2;\n    }\n';

test('goCamelCase is protoc-gen-go\'s strs.GoCamelCase', () => {
  assert.equal(goCamelCase('localhost_ref'), 'LocalhostRef');
  assert.equal(goCamelCase('localhostRef'), 'LocalhostRef');
  assert.equal(goCamelCase('CDI_devices'), 'CDIDevices');
  assert.equal(goCamelCase('_foo'), 'XFoo');
  assert.equal(goCamelCase('foo_1bar'), 'Foo_1Bar');
  assert.equal(goCamelCase('SecurityProfile.ProfileType'), 'SecurityProfile_ProfileType');
});

test('field renamed by case only (localhost_ref → localhostRef): Go field and JSON name kept, the proto-name key breaks', NEEDS_CORPUS, () => {
  const b = base();
  const fs = check(b, edit(b, [REF, '    string localhostRef = 2;\n']));
  assert.deepEqual(summary(fs), [['FIELD_RENAMED', 'JSON', 'error', 'runtime.v1.SecurityProfile.localhostRef']]);
  // It used to say that JSON keys and Go names change; neither the written key nor the Go field does.
  assert.equal(fs[0]!.message, 'field 2 "localhost_ref" was renamed to "localhostRef" (baseline v0.36.3); JSON documents keyed by the old name ' +
    '"localhost_ref" no longer parse (the JSON name "localhostRef" and the Go field LocalhostRef are the same)');
  // Renamed, keeping the JSON name: the Go field changes, the written key does not.
  const kept = check(b, edit(b, [REF, '    string local_ref = 2 [json_name = "localhostRef"];\n']));
  assert.equal(kept[0]!.message, 'field 2 "localhost_ref" was renamed to "local_ref" (baseline v0.36.3); JSON documents keyed by the old name ' +
    '"localhost_ref" no longer parse, and the Go field LocalhostRef is now LocalRef (the JSON name "localhostRef" is kept)');
  // A plain rename changes both.
  assert.match(check(b, edit(b, [REF, '    string local_ref = 2;\n']))[0]!.message, /; JSON keys and Go names change$/);
});

test('proto3 optional added or removed: a Go pointer, an error like the other Go-source breaks', NEEDS_CORPUS, () => {
  const b = base();
  const opt = edit(b, [REF, '    optional string localhost_ref = 2;\n']);
  assert.deepEqual(summary(check(b, opt)), [['FIELD_PRESENCE_CHANGED', 'GO_SOURCE', 'error', 'runtime.v1.SecurityProfile.localhost_ref']]);
  assert.deepEqual(summary(check(opt, b)), [['FIELD_PRESENCE_CHANGED', 'GO_SOURCE', 'error', 'runtime.v1.SecurityProfile.localhost_ref']]);
});

test('one field into a new oneof, a oneof renamed: Go source only, not wire', NEEDS_CORPUS, () => {
  const b = base();
  const into = edit(b, [REF, '    oneof ref {\n        string localhost_ref = 2;\n    }\n']);
  const fs = check(b, into);
  assert.deepEqual(summary(fs), [['FIELD_ONEOF_GO_CHANGED', 'GO_SOURCE', 'error', 'runtime.v1.SecurityProfile.localhost_ref']]);
  assert.match(fs[0]!.message, /the bytes and JSON are unchanged, but Go code that uses the field LocalhostRef directly must go through the oneof Ref and the wrapper SecurityProfile_LocalhostRef$/);
  const renamed = into.replace('oneof ref {', 'oneof reference {');
  const rfs = check(into, renamed);
  assert.deepEqual(summary(rfs), [['FIELD_ONEOF_GO_CHANGED', 'GO_SOURCE', 'error', 'runtime.v1.SecurityProfile.reference']]);
  assert.match(rfs[0]!.message, /Go field Ref and interface isSecurityProfile_Ref are now Reference and isSecurityProfile_Reference$/);
  // Out of the oneof again: wire, as protobuf.dev lists only the move into a new oneof as safe.
  assert.deepEqual(summary(check(into, b)), [['FIELD_ONEOF_CHANGED', 'WIRE', 'error', 'runtime.v1.SecurityProfile.localhost_ref']]);
});

test('a type moved into or out of a message: one Go type rename, not a deleted type and changed field types', NEEDS_CORPUS, () => {
  const b = base();
  const into = edit(b, ['message KeyValue {\n    string key = 1;\n    bytes value = 2;\n}\n', ''],
    ['message ContainerMetadata {\n', 'message ContainerMetadata {\n    message KeyValue {\n        string key = 1;\n        bytes value = 2;\n    }\n'],
    ['repeated KeyValue envs = 6;', 'repeated ContainerMetadata.KeyValue envs = 6;']);
  const fs = check(b, into);
  // It was MESSAGE_NO_DELETE (WIRE) and FIELD_TYPE_CHANGED (WIRE) on ContainerConfig.envs: the wire is unchanged.
  assert.deepEqual(summary(fs), [['MESSAGE_RENAMED', 'GO_SOURCE', 'error', 'runtime.v1.ContainerMetadata.KeyValue']]);
  assert.equal(fs[0]!.message, 'message "KeyValue" of v0.36.3 was moved to "ContainerMetadata.KeyValue": the bytes and JSON are unchanged, ' +
    'but its Go type KeyValue is now ContainerMetadata_KeyValue');
  // Renaming in place would not move it back; the declarations around it in the release say where it goes.
  assert.deepEqual(fs[0]!.fixes, [{ kind: 'moveBack', from: 'runtime.v1.KeyValue', after: 'ImageSpec', before: 'LinuxContainerResources' }]);
  // A nested enum moved to the top level.
  const out = edit(b, [PROFILE_TYPE, ''], ['message SecurityProfile {', 'enum ProfileType {\n    RuntimeDefault = 0;\n    Unconfined = 1;\n    Localhost = 2;\n}\n\nmessage SecurityProfile {']);
  const ofs = check(b, out);
  assert.deepEqual(summary(ofs), [['MESSAGE_RENAMED', 'GO_SOURCE', 'error', 'runtime.v1.ProfileType']]);
  assert.match(ofs[0]!.message, /its Go type SecurityProfile_ProfileType is now ProfileType$/);
});

test('a message and the enum nested in it both renamed: two renames, not deletions and type changes', NEEDS_CORPUS, () => {
  const b = base();
  const both = b.replace(/\bSecurityProfile\b/g, 'SecProfile').replace(/\bProfileType\b/g, 'Kind');
  const fs = check(b, both);
  assert.deepEqual(fs.map((f) => [f.rule, f.element, f.message]), [
    ['MESSAGE_RENAMED', 'runtime.v1.SecProfile', 'message "SecurityProfile" of v0.36.3 was renamed to "SecProfile"'],
    ['MESSAGE_RENAMED', 'runtime.v1.SecProfile.Kind', 'enum "ProfileType" of v0.36.3 was renamed to "Kind"'],
  ]);
  // Each rename fix restores its own name; together they restore the baseline.
  assert.deepEqual(fs.map((f) => f.fixes), [[{ kind: 'rename', to: 'SecurityProfile' }], [{ kind: 'rename', to: 'ProfileType' }]]);
  // Only the nested one renamed: one rename in the same scope, as before.
  assert.deepEqual(check(b, b.replace(/\bProfileType\b/g, 'Kind')).map((f) => f.element), ['runtime.v1.SecurityProfile.Kind']);
});

// The verdicts the audit found right, kept so that they stay so. Each: the edit, and the compatibility rules it
// must give (wire, JSON and Go source), in the order reported.
const RIGHT: { name: string; edit: (t: string) => string; from?: (t: string) => string; rules: string[] }[] = [
  { name: 'json_name added, equal to the default (no change)', edit: (t) => edit(t, [REF, '    string localhost_ref = 2 [json_name = "localhostRef"];\n']), rules: [] },
  { name: 'json_name added, another key', edit: (t) => edit(t, [REF, '    string localhost_ref = 2 [json_name = "ref"];\n']), rules: ['FIELD_JSON_NAME_CHANGED'] },
  { name: 'json_name removed', from: (t) => edit(t, [REF, '    string localhost_ref = 2 [json_name = "ref"];\n']), edit: (t) => edit(t, [' [json_name = "ref"]', '']), rules: ['FIELD_JSON_NAME_CHANGED'] },
  { name: 'singular → repeated', edit: (t) => edit(t, [REF, '    repeated string localhost_ref = 2;\n']), rules: ['FIELD_LABEL_CHANGED'] },
  { name: 'int32 → int64 (Go type; JSON writes a string)', edit: (t) => edit(t, ['    int32 container_port = 2;', '    int64 container_port = 2;']), rules: ['FIELD_TYPE_CHANGED'] },
  { name: 'int32 → uint32', edit: (t) => edit(t, ['    int32 container_port = 2;', '    uint32 container_port = 2;']), rules: ['FIELD_TYPE_CHANGED'] },
  { name: 'int32 → bool (JSON true/false)', edit: (t) => edit(t, ['    int32 container_port = 2;', '    bool container_port = 2;']), rules: ['FIELD_TYPE_CHANGED'] },
  { name: 'int32 → sint32', edit: (t) => edit(t, ['    int32 container_port = 2;', '    sint32 container_port = 2;']), rules: ['FIELD_TYPE_INCOMPATIBLE'] },
  { name: 'enum → int32 (JSON name → number)', edit: (t) => edit(t, ['    Protocol protocol = 1;', '    int32 protocol = 1;']), rules: ['FIELD_TYPE_CHANGED'] },
  { name: 'string → bytes (JSON base64)', edit: (t) => edit(t, [REF, '    bytes localhost_ref = 2;\n']), rules: ['FIELD_TYPE_CHANGED'] },
  { name: 'map → repeated entry message (JSON object → array)', edit: (t) => edit(t, ['    map<string, string> sysctls = 3;', '    repeated KeyValue sysctls = 3;']), rules: ['FIELD_TYPE_CHANGED'] },
  { name: 'map key string → int32', edit: (t) => edit(t, ['    map<string, string> sysctls = 3;', '    map<int32, string> sysctls = 3;']), rules: ['FIELD_TYPE_INCOMPATIBLE'] },
  { name: 'number changed, same name (JSON unaffected)', edit: (t) => edit(t, [REF, '    string localhost_ref = 3;\n']), rules: ['FIELD_NUMBER_CHANGED'] },
  { name: 'enum value renamed', edit: (t) => edit(t, ['    UDP = 1;', '    UDP_PROTO = 1;']), rules: ['ENUM_VALUE_RENAMED'] },
  { name: 'alias added after the released name (JSON writes the first)', edit: (t) => edit(t, ['enum Protocol {\n    TCP = 0;\n    UDP = 1;\n', 'enum Protocol {\n    option allow_alias = true;\n    TCP = 0;\n    UDP = 1;\n    UDP_ALIAS = 1;\n']), rules: [] },
  { name: 'alias added before the released name', edit: (t) => edit(t, ['enum Protocol {\n    TCP = 0;\n    UDP = 1;\n', 'enum Protocol {\n    option allow_alias = true;\n    TCP = 0;\n    UDP_ALIAS = 1;\n    UDP = 1;\n']), rules: ['ENUM_VALUE_JSON_NAME_CHANGED'] },
  { name: 'enum renamed (Go type and constants; JSON names kept)', edit: (t) => t.replace(/\bProtocol\b/g, 'Proto'), rules: ['MESSAGE_RENAMED'] },
  { name: 'rpc renamed', edit: (t) => edit(t, ['rpc Version(VersionRequest)', 'rpc GetVersion(VersionRequest)']), rules: ['RPC_NO_DELETE'] },
  { name: 'rpc streaming', edit: (t) => edit(t, ['rpc Version(VersionRequest) returns (VersionResponse)', 'rpc Version(VersionRequest) returns (stream VersionResponse)']), rules: ['RPC_STREAMING_CHANGED'] },
  { name: 'service renamed', edit: (t) => edit(t, ['service ImageService {', 'service ImagesService {']), rules: ['SERVICE_NO_DELETE'] },
  { name: 'go_package Go name changed', edit: (t) => edit(t, ['"k8s.io/cri-api/pkg/apis/runtime/v1";', '"k8s.io/cri-api/pkg/apis/runtime/v1;runtime";']), rules: ['GO_PACKAGE_CHANGED'] },
  { name: 'deprecated on a field, message, enum value and rpc (Go: a comment)', edit: (t) => edit(t, [REF, '    string localhost_ref = 2 [deprecated = true];\n'],
    ['message KeyValue {\n', 'message KeyValue {\n    option deprecated = true;\n'], ['    UDP = 1;', '    UDP = 1 [deprecated = true];'],
    ['rpc Version(VersionRequest) returns (VersionResponse) {}', 'rpc Version(VersionRequest) returns (VersionResponse) { option deprecated = true; }']), rules: [] },
];

test('the Go and JSON verdicts the audit found right', NEEDS_CORPUS, () => {
  const b = base();
  for (const c of RIGHT) {
    const old = c.from ? c.from(b) : b;
    assert.deepEqual(check(old, c.edit(old)).map((f) => f.rule), c.rules, c.name);
  }
});

test('hover on an enum renamed inside a renamed message names its baseline path', NEEDS_CORPUS, () => {
  const b = base();
  const both = b.replace(/\bSecurityProfile\b/g, 'SecProfile').replace(/\bProfileType\b/g, 'Kind');
  const bound = bind(parse(both), 'file:///work/api.proto');
  const baseline: Baseline = { tag: TAG, source: 'path', origin: 'test', model: bind(parse(b), 'old.proto').model };
  const findings = checkCompatibility(both, bound, baseline).findings;
  const hover = elementPolicyHover('runtime.v1.SecProfile.Kind', baseline, bound.model, findings);
  assert.match(hover ?? '', /^\*\*Renamed from `ProfileType`\*\*: the baseline's `runtime\.v1\.SecurityProfile\.ProfileType` under a new name/);
});
