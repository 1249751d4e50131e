// The documentation rules on the real release history: each consecutive pair of runtime.v1 releases was
// checked and every DOCS finding judged against the upstream comment next to the element. These tests pin the
// false positives that were fixed (upstream documents it in words the rule did not recognise, or on the RPC
// that owns a request message) and the misses (comments that say nothing), on the corpus files themselves.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkCompatibility } from '../server/src/compat/check';
import type { Finding } from '../server/src/compat/finding';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import { applyEdits, computeFixes, fixAll } from '../server/src/fixes';
import { NEEDS_CORPUS, corpusText, replaceOnce } from './corpusText';

const textOf = corpusText;

const DOCS = new Set(['DOC_MISSING', 'DOC_STUB_UNFINISHED', 'RPC_CALL_SEQUENCE_UNDOCUMENTED', 'RPC_FALLBACK_UNDOCUMENTED', 'FIELD_DEGRADATION_UNDOCUMENTED', 'ENUM_VALUE_DEGRADATION_UNDOCUMENTED']);

function check(oldTag: string, oldText: string, newText: string): Finding[] {
  const bound = bind(parse(newText), 'file:///work/api.proto');
  const model = bind(parse(oldText), 'old.proto').model;
  return checkCompatibility(newText, bound, { tag: oldTag, source: 'path', origin: 'test', model }).findings;
}

/** `rule element` of the documentation findings of one release against the one before it. */
function docFindings(oldTag: string, newTag: string): string[] {
  return check(oldTag, textOf(oldTag), textOf(newTag)).filter((f) => DOCS.has(f.rule)).map((f) => `${f.rule} ${f.element.replace(/^runtime\.v1\./, '')}`).sort();
}

const edit = replaceOnce;

test('v0.35.6 → v0.36.0: the Stream* RPCs\' request and response messages are documented by their RPCs', NEEDS_CORPUS, () => {
  // Upstream documents none of its 79 request/response messages; the RPC comment says what they carry.
  // What stays is right: the comments say nothing of what a kubelet does when an older runtime lacks the RPC,
  // and ImageSpec.image_ref nothing of a runtime that ignores it.
  assert.deepEqual(docFindings('v0.35.6', 'v0.36.0'), [
    'FIELD_DEGRADATION_UNDOCUMENTED ImageSpec.image_ref',
    ...['ImageService.StreamImages', 'RuntimeService.StreamContainerStats', 'RuntimeService.StreamContainers',
      'RuntimeService.StreamPodSandboxMetrics', 'RuntimeService.StreamPodSandboxStats', 'RuntimeService.StreamPodSandboxes']
      .map((r) => `RPC_FALLBACK_UNDOCUMENTED ${r}`),
  ]);
});

test('v0.32.0 → v0.33.0: "called _after_ the Kubelet reconfigures" is a call order, "best effort" says a failure is harmless', NEEDS_CORPUS, () => {
  // Mount.image_sub_path's comment says what a sub path that is set but missing does ("not empty" is the
  // field set, not left out); nothing of what a runtime of v0.32, which ignores it, does: it mounts the
  // image's root.
  assert.deepEqual(docFindings('v0.32.0', 'v0.33.0'), [
    'DOC_MISSING IoUsage',
    'DOC_MISSING Signal',
    'FIELD_DEGRADATION_UNDOCUMENTED ContainerConfig.stop_signal',
    'FIELD_DEGRADATION_UNDOCUMENTED Mount.image_sub_path',
  ]);
});

test('v0.27.0 → v0.28.0: RuntimeConfig, requested once "after startup", documents its call order', NEEDS_CORPUS, () => {
  const fs = docFindings('v0.27.0', 'v0.28.0');
  assert.ok(!fs.includes('RPC_CALL_SEQUENCE_UNDOCUMENTED RuntimeService.RuntimeConfig'), fs.join('\n'));
  // Its comment does not say what the kubelet does with a runtime that lacks it.
  assert.ok(fs.includes('RPC_FALLBACK_UNDOCUMENTED RuntimeService.RuntimeConfig'), fs.join('\n'));
  assert.ok(!fs.includes('DOC_MISSING RuntimeConfigRequest') && !fs.includes('DOC_MISSING RuntimeConfigResponse'), fs.join('\n'));
});

test('v0.25.0 → v0.26.0: ListMetricDescriptors says when its list is static ("at startup"), not when the kubelet calls it', NEEDS_CORPUS, () => {
  // "This list should be static at startup" is said of the descriptors, and "the initial ListMetricDescriptors
  // call" that there is a first call, not when the kubelet makes it (once at its startup, before the first
  // ListPodSandboxMetrics). ListPodSandboxMetrics itself, "called … after" nothing, was reported before too.
  const fs = docFindings('v0.25.0', 'v0.26.0');
  assert.ok(fs.includes('RPC_CALL_SEQUENCE_UNDOCUMENTED RuntimeService.ListMetricDescriptors'), fs.join('\n'));
  assert.ok(fs.includes('RPC_CALL_SEQUENCE_UNDOCUMENTED RuntimeService.ListPodSandboxMetrics'), fs.join('\n'));
});

test('v0.30.0 → v0.31.0: "If not specified, Merge is used" says what a runtime that ignores supplemental_groups_policy does', NEEDS_CORPUS, () => {
  // Mount.image's "unset" is about host_path ("if this field is set, host_path should be unset"): nothing says
  // what a runtime that ignores the image reference does with a mount that has neither.
  assert.deepEqual(docFindings('v0.30.0', 'v0.31.0'), ['DOC_MISSING ContainerUser', 'DOC_MISSING LinuxContainerUser', 'FIELD_DEGRADATION_UNDOCUMENTED Mount.image']);
});

test('the released fields that say what their absence means still do', NEEDS_CORPUS, () => {
  // Each states it in its own way: "Default: nil", "Default 0 (not specified)", "Default: 0", "If the struct is
  // nil", "An empty string would select", "nil is just treated as false", "If not specified".
  const added: [string, string, string[]][] = [
    ['v0.21.0', 'v0.22.0', ['LinuxContainerResources.unified', 'LinuxContainerResources.memory_swap_limit_in_bytes']],
    ['v0.23.0', 'v0.24.0', ['WindowsContainerResources.rootfs_size_in_bytes']],
    ['v0.24.0', 'v0.25.0', ['NamespaceOption.userns_options']],
    ['v0.28.0', 'v0.29.0', ['ImageSpec.runtime_handler']],
    ['v0.29.0', 'v0.30.0', ['Mount.recursive_read_only']],
    ['v0.30.0', 'v0.31.0', ['LinuxSandboxSecurityContext.supplemental_groups_policy', 'LinuxContainerSecurityContext.supplemental_groups_policy']],
  ];
  for (const [o, n, fields] of added) {
    const bound = bind(parse(textOf(n)), 'file:///work/api.proto');
    const r = checkCompatibility(textOf(n), bound, { tag: o, source: 'path', origin: 'test', model: bind(parse(textOf(o)), 'old.proto').model });
    const additions = new Set(r.additions.map((a) => a.element.replace(/^runtime\.v1\./, '')));
    for (const x of fields) {
      assert.ok(additions.has(x), `${x} is new in ${n}`);
      assert.ok(!r.findings.some((f) => f.rule === 'FIELD_DEGRADATION_UNDOCUMENTED' && f.element === `runtime.v1.${x}`), `${o} → ${n}: ${x}`);
    }
  }
});

test('v0.29.0 → v0.30.0: "// Runtime handlers." above runtime_handlers only restates its name', NEEDS_CORPUS, () => {
  const fs = check('v0.29.0', textOf('v0.29.0'), textOf('v0.30.0')).filter((f) => f.rule === 'DOC_MISSING');
  const f = fs.find((x) => x.element === 'runtime.v1.StatusResponse.runtime_handlers');
  assert.ok(f, fs.map((x) => x.element).join('\n'));
  assert.match(f.message, /only restates its name or is a placeholder/);
});

test('v0.24.17 → v0.25.0 and v0.26.0: "ID of the container", "Container statuses" restate their fields\' names in other words', NEEDS_CORPUS, () => {
  // Only the name's own words count: "Sandbox status" above pod_sandbox_status and "Creation timestamp of this
  // event" above created_at, beside them, do not restate the name.
  const restated = (o: string, n: string): string[] => check(o, textOf(o), textOf(n))
    .filter((f) => f.rule === 'DOC_MISSING' && /only restates its name/.test(f.message)).map((f) => f.element.replace(/^runtime\.v1\./, '')).sort();
  assert.deepEqual(restated('v0.24.17', 'v0.25.0'), ['ContainerEventResponse.container_event_type', 'ContainerEventResponse.container_id']);
  assert.deepEqual(restated('v0.25.16', 'v0.26.0'), ['ContainerEventResponse.containers_statuses', 'PodSandboxStatusResponse.containers_statuses']);
});

// ---- recall: comments that document nothing, on the newest release --------------------------------------

const BASE = 'v0.36.3';
function addField(doc: string): Finding[] {
  const b = textOf(BASE);
  const message = /message ContainerMetadata \{\n[^}]*\}/.exec(b)![0];
  const next = edit(message, '\n}', `\n${doc}    string frob_mode = 3;\n}`);
  return check(BASE, b, edit(b, message, next)).filter((f) => f.element === 'runtime.v1.ContainerMetadata.frob_mode');
}

test('a new field whose comment is empty, a placeholder or its name restated has no documentation', NEEDS_CORPUS, () => {
  for (const doc of ['    //\n', '    // TODO\n', '    // TBD.\n', '    // frob_mode\n', '    // Frob mode.\n', '    // FrobMode\n', '    // Mode of the frob.\n', '    // The frobbing modes.\n']) {
    const fs = addField(doc);
    assert.ok(fs.some((f) => f.rule === 'DOC_MISSING'), `${JSON.stringify(doc)}: ${fs.map((f) => f.rule).join(', ')}`);
  }
  // A comment that says something is documentation, even when it starts with the name.
  assert.deepEqual(addField('    // Frob mode of the container; empty means none.\n').map((f) => f.rule), []);
});

const NEW_MSGS = '\n// DrainPodSandboxRequest is the request of DrainPodSandbox.\nmessage DrainPodSandboxRequest {\n    // ID of the sandbox.\n    string pod_sandbox_id = 1;\n}\n\nmessage DrainPodSandboxResponse {}\n';
function addRpc(doc: string, msgs = NEW_MSGS, rpc = 'DrainPodSandbox'): { text: string; findings: Finding[] } {
  const b = textOf(BASE);
  const anchor = '    rpc UpdatePodSandboxResources(UpdatePodSandboxResourcesRequest) returns (UpdatePodSandboxResourcesResponse) {}\n';
  const text = edit(b + msgs, anchor, `${anchor}\n${doc}    rpc ${rpc}(${rpc}Request) returns (${rpc}Response) {}\n`);
  return { text, findings: check(BASE, b, text) };
}
const rulesOf = (fs: Finding[]): string[] => fs.map((f) => `${f.rule} ${f.element.replace(/^runtime\.v1\./, '')}`).sort();

test('a new RPC\'s request and response need no comment of their own only while the RPC has one', NEEDS_CORPUS, () => {
  const documented = '    // DrainPodSandbox drains the sandbox. Called before StopPodSandbox; older runtimes answer Unimplemented.\n';
  assert.deepEqual(rulesOf(addRpc(documented).findings), []);
  assert.deepEqual(rulesOf(addRpc('').findings), ['DOC_MISSING DrainPodSandboxResponse', 'DOC_MISSING RuntimeService.DrainPodSandbox']);
  assert.deepEqual(rulesOf(addRpc('    // TODO\n').findings), ['DOC_MISSING DrainPodSandboxResponse', 'DOC_MISSING RuntimeService.DrainPodSandbox']);
  // A stub left in the request's own comment is still unfinished.
  const stub = NEW_MSGS.replace('// DrainPodSandboxRequest is the request of DrainPodSandbox.', '// DrainPodSandboxRequest TODO: its purpose.');
  assert.deepEqual(rulesOf(addRpc(documented, stub).findings), ['DOC_STUB_UNFINISHED DrainPodSandboxRequest']);
});

test('a new RPC\'s comment that restates its name in another order or inflection documents nothing', NEEDS_CORPUS, () => {
  // The request and response count as documented through the RPC: a comment that documents nothing leaves
  // them undocumented too, as no comment does.
  const msgs = '\nmessage PodSandboxPauseRequest {\n    string pod_sandbox_id = 1;\n}\n\nmessage PodSandboxPauseResponse {}\n';
  const pause = (doc: string): string[] => rulesOf(addRpc(doc, msgs, 'PodSandboxPause').findings);
  const undocumented = pause('');
  assert.ok(undocumented.includes('DOC_MISSING RuntimeService.PodSandboxPause') && undocumented.includes('DOC_MISSING PodSandboxPauseRequest'), undocumented.join('\n'));
  for (const doc of ['PodSandboxPause.', 'Pod sandbox pause.', 'Pause pod sandbox.', 'Pauses the pod sandbox.', 'Pausing a pod sandbox', 'Pause pod sandboxes']) {
    const fs = addRpc(`    // ${doc}\n`, msgs, 'PodSandboxPause').findings;
    assert.deepEqual(rulesOf(fs), undocumented, doc);
    assert.match(fs.find((f) => f.element === 'runtime.v1.RuntimeService.PodSandboxPause')!.message, /only restates its name or is a placeholder/, doc);
  }
  // A word more than the name says something: the RPC is documented (and asked when it is called).
  for (const doc of ['Pauses the pod sandbox\'s containers.', 'Pauses every pod sandbox.']) {
    const fs = pause(`    // ${doc}\n`);
    assert.ok(!fs.includes('DOC_MISSING RuntimeService.PodSandboxPause') && !fs.includes('DOC_MISSING PodSandboxPauseRequest'), `${doc}: ${fs.join(', ')}`);
  }
});

test('a new RPC whose comment is copied from another RPC has no documentation of its own', NEEDS_CORPUS, () => {
  // The copy names ListContainers, which passed for a call order.
  const copy = '    // ListContainers lists all containers by filters.\n';
  const { text, findings } = addRpc(copy);
  assert.match(text, /\/\/ ListContainers lists all containers by filters\.\n\s+rpc ListContainers/);
  assert.deepEqual(rulesOf(findings), ['DOC_MISSING RuntimeService.DrainPodSandbox']);
  assert.match(findings[0]!.message, /its comment is the one of RPC "ListContainers"/);
});

test('a new RPC whose comment states no call order, and only the RPCs it is alike to, is still reported', NEEDS_CORPUS, () => {
  const { findings } = addRpc('    // DrainPodSandbox drains the sandbox when the node is busy. Older runtimes answer Unimplemented.\n');
  assert.deepEqual(rulesOf(findings), ['RPC_CALL_SEQUENCE_UNDOCUMENTED RuntimeService.DrainPodSandbox']);
});

test('the documentation stub of a field whose comment only restates its name adds what it means', NEEDS_CORPUS, () => {
  const b = textOf(BASE);
  const message = /message ContainerMetadata \{\n[^}]*\}/.exec(b)![0];
  const text = edit(b, message, edit(message, '\n}', '\n    // Frob mode.\n    string frob_mode = 3;\n}'));
  const bound = bind(parse(text), 'file:///work/api.proto');
  const f = check(BASE, b, text).find((x) => x.rule === 'DOC_MISSING')!;
  assert.ok(f);
  const actions = computeFixes(text, bound, f);
  // It asks all a stub asks, as the comment says nothing the name does not, and keeps the comment.
  const stub = actions.find((a) => a.title === 'Add the missing documentation to the comment');
  assert.ok(stub, actions.map((a) => a.title).join(', '));
  assert.match(stub.edits.map((e) => e.newText).join(''), /frob_mode TODO: what it means/);
  assert.match(applyEdits(text, stub.edits), /\n {4}\/\/ Frob mode\.\n {4}\/\/ frob_mode TODO: what it means/);
});

// ---- FIELD_DEGRADATION_UNDOCUMENTED: words of absence only in a statement about the field left out -------------

test('"default", "empty" or "unset" said of something else is no statement of what the field left out means', NEEDS_CORPUS, () => {
  for (const doc of ['    // Frob mode of the default container.\n', '    // Frob mode, as an empty list of mounts would have it.\n',
    '    // Frob mode. If this field is set, then host_path should be unset.\n', '    // Frob mode. Ignored on Windows.\n',
    '    // Frob mode. If the mode is not empty and unknown, runtimes must fail.\n']) {
    assert.deepEqual(addField(doc).map((f) => f.rule), ['FIELD_DEGRADATION_UNDOCUMENTED'], doc);
  }
  for (const doc of ['    // Frob mode. If unset, the runtime picks one.\n', '    // Frob mode; when empty, nothing is frobbed.\n', '    // Frob mode. Defaults to\n    // "none".\n',
    '    // Frob mode. "none" is the default.\n', '    // Frob mode. It is ignored by older runtimes.\n', '    // Frob mode. If the runtime does not support it, the pod fails to start.\n',
    '    // Frob mode. An empty string would select "none".\n', '    // Frob mode. Default: "none".\n',
    '    // Frob mode. An empty string denotes the default mode.\n', '    // Frob mode. Zero stands for none.\n']) {
    assert.deepEqual(addField(doc).map((f) => f.rule), [], doc);
  }
});

test('a condition on another field ("if host_path is empty") says nothing of what this field left out means', NEEDS_CORPUS, () => {
  for (const doc of ['    // Frob mode. If host_path is empty, the image is mounted.\n', '    // Frob mode, used if UID is not set.\n',
    '    // Frob mode. If the image field below is nil, the host path is frobbed.\n', '    // Frob mode. When `frob_level` is 0, nothing is frobbed.\n',
    '    // Frob mode. If the pod\'s user namespace is unset, it is frobbed.\n']) {
    assert.deepEqual(addField(doc).map((f) => f.rule), ['FIELD_DEGRADATION_UNDOCUMENTED'], doc);
  }
  // The field itself: without a subject, in other words, by its name in the proto, in JSON or in Go, or by its noun.
  for (const doc of ['    // Frob mode. If left empty, nothing is frobbed.\n', '    // Frob mode. When it is unset, nothing is frobbed.\n',
    '    // Frob mode. If this field is explicitly set to 0, nothing is frobbed.\n', '    // Frob mode. If the value is empty, nothing is frobbed.\n',
    '    // Frob mode. If frob_mode is empty, nothing is frobbed.\n', '    // Frob mode. If `frobMode` is not set, nothing is frobbed.\n',
    '    // Frob mode. When FrobMode is empty, nothing is frobbed.\n', '    // Frob mode. If the mode is not specified, nothing is frobbed.\n']) {
    assert.deepEqual(addField(doc).map((f) => f.rule), [], doc);
  }
});

test('the field stub asks what the field left out means where the comment\'s condition is on another field', NEEDS_CORPUS, () => {
  const b = textOf(BASE);
  const message = /message ContainerMetadata \{\n[^}]*\}/.exec(b)![0];
  const text = edit(b, message, edit(message, '\n}', '\n    // Frob mode. If host_path is empty, nothing is frobbed.\n    string frob_mode = 3;\n}'));
  const f = check(BASE, b, text).find((x) => x.rule === 'FIELD_DEGRADATION_UNDOCUMENTED');
  assert.ok(f);
  const stub = computeFixes(text, bind(parse(text), 'file:///work/api.proto'), f).find((a) => a.title === 'Add the missing documentation to the comment');
  assert.ok(stub);
  // Read as one line: the stub is wrapped at the file's comment width.
  assert.match(stub.edits.map((e) => e.newText).join('').replace(/\n\s*\/\/ /g, ' '), /Unset: TODO: what it means when frob_mode is unset or empty, and what the receiver \(runtime or kubelet\) does then\./);
});

test('the field stub asks what a comment that only says "empty" and "ignored" of something else leaves open', NEEDS_CORPUS, () => {
  const b = textOf(BASE);
  const message = /message ContainerMetadata \{\n[^}]*\}/.exec(b)![0];
  const text = edit(b, message, edit(message, '\n}', '\n    // Frob mode: an empty list; ignored on Windows.\n    string frob_mode = 3;\n}'));
  const f = check(BASE, b, text).find((x) => x.rule === 'FIELD_DEGRADATION_UNDOCUMENTED');
  assert.ok(f);
  const stub = computeFixes(text, bind(parse(text), 'file:///work/api.proto'), f).find((a) => a.title === 'Add the missing documentation to the comment');
  assert.ok(stub);
  const inserted = stub.edits.map((e) => e.newText).join('');
  assert.match(inserted, /Unset: TODO/);
  assert.match(inserted, /Older runtimes: TODO/);
  const after = edit(text, '    string frob_mode = 3;\n', `${inserted}    string frob_mode = 3;\n`);
  assert.deepEqual(check(BASE, b, after).filter((x) => x.element === f.element).map((x) => x.rule), ['DOC_STUB_UNFINISHED']);
});

// ---- RPC_CALL_SEQUENCE_UNDOCUMENTED: another RPC named in a statement of order -------------------------------

test('a new RPC that names other RPCs only in passing does not say when it is called', NEEDS_CORPUS, () => {
  for (const line of ['It drains the sandbox like StopPodSandbox does.', 'It returns the same fields as PodSandboxStatus.', 'See ListContainers for the filter.']) {
    const { findings } = addRpc(`    // DrainPodSandbox drains the sandbox. ${line}\n    // Older runtimes answer Unimplemented.\n`);
    assert.deepEqual(rulesOf(findings), ['RPC_CALL_SEQUENCE_UNDOCUMENTED RuntimeService.DrainPodSandbox'], line);
  }
  for (const line of ['The kubelet calls it after StopPodSandbox.', 'It must be followed by RemovePodSandbox.', 'RemovePodSandbox is only called after it.',
    'Only once the kubelet has called StopPodSandbox.', 'It is an alternative to StopPodSandbox.', 'Call order: in response to a PodSandboxStatus that reports it ready.']) {
    const { findings } = addRpc(`    // DrainPodSandbox drains the sandbox. ${line}\n    // Older runtimes answer Unimplemented.\n`);
    assert.deepEqual(rulesOf(findings), [], line);
  }
});

test('an RPC\'s call order and fallback count when wrapped over two lines, as the documentation stub wraps them', NEEDS_CORPUS, () => {
  for (const doc of ['    // DrainPodSandbox drains the sandbox. It has no ordering\n    // constraint. Older runtimes answer Unimplemented.\n',
    '    // DrainPodSandbox drains the sandbox at any time. A runtime without it fails the call; the kubelet fails\n    // fast.\n',
    '    // DrainPodSandbox drains the sandbox at any time. The kubelet falls\n    // back to StopPodSandbox.\n']) {
    assert.deepEqual(rulesOf(addRpc(doc).findings), [], doc);
  }
});

test('a startup, restart or boot counts as when the RPC is called only where the call is what happens then', NEEDS_CORPUS, () => {
  for (const line of ['It returns the sandbox\'s status after restart.', 'It drains the sandboxes created at boot.',
    'The list should be static at startup.', 'At kubelet startup, the sandboxes are drained.', 'The runtime drains the sandbox on restart.']) {
    const { findings } = addRpc(`    // DrainPodSandbox drains the sandbox. ${line}\n    // Older runtimes answer Unimplemented.\n`);
    assert.deepEqual(rulesOf(findings), ['RPC_CALL_SEQUENCE_UNDOCUMENTED RuntimeService.DrainPodSandbox'], line);
  }
  // RuntimeConfig's own words (v0.28.0) keep counting: "The Kubelet will not re-request … after startup".
  for (const line of ['The kubelet calls this at startup.', 'Called once at kubelet startup.', 'It is invoked during node boot.',
    'At kubelet startup, the kubelet calls it.', 'The Kubelet will not re-request it after startup.', 'It is requested on kubelet restart.']) {
    const { findings } = addRpc(`    // DrainPodSandbox drains the sandbox. ${line}\n    // Older runtimes answer Unimplemented.\n`);
    assert.deepEqual(rulesOf(findings), [], line);
  }
});

// ---- DOC_MISSING for a value added to a released enum --------------------------------------------------------

function addValue(doc: string): { text: string; findings: Finding[] } {
  const b = textOf(BASE);
  const text = edit(b, '    SCTP = 2;\n}', `    SCTP = 2;\n${doc}\n}`);
  return { text, findings: check(BASE, b, text).filter((f) => f.element === 'runtime.v1.Protocol.QUIC') };
}

test('a value added to a released enum must say what it means', NEEDS_CORPUS, () => {
  // Protocol is sent by the kubelet (RunPodSandboxRequest → PortMapping.protocol): what an older runtime does
  // with the value is asked separately (ENUM_VALUE_DEGRADATION_UNDOCUMENTED, below).
  const docRules = (fs: Finding[]): string[] => fs.filter((f) => f.rule !== 'ENUM_VALUE_DEGRADATION_UNDOCUMENTED').map((f) => f.rule);
  const bare = addValue('    QUIC = 3;');
  assert.deepEqual(bare.findings.filter((f) => f.rule === 'DOC_MISSING').map((f) => [f.rule, f.severity, f.message]), [['DOC_MISSING', 'warning', 'new enum value "QUIC" (not in v0.36.3) has no documentation comment']]);
  assert.deepEqual(docRules(addValue('    // QUIC.\n    QUIC = 3;').findings), ['DOC_MISSING']);
  assert.deepEqual(docRules(addValue('    QUIC = 3; // Datagrams over QUIC (RFC 9000).').findings), []);
  assert.deepEqual(docRules(addValue('    // QUIC TODO: what this value means.\n    QUIC = 3;').findings), ['DOC_STUB_UNFINISHED']);
  // The stub fix asks what it means and what an older runtime does with it, and answers both rules.
  const f = bare.findings.find((x) => x.rule === 'DOC_MISSING')!;
  const stub = computeFixes(bare.text, bind(parse(bare.text), 'file:///work/api.proto'), f).find((a) => a.title === 'Insert a documentation stub');
  assert.ok(stub);
  const inserted = stub.edits.map((e) => e.newText).join('');
  assert.match(inserted, /QUIC TODO: what this value means/);
  assert.match(inserted, /Older runtimes: TODO: what a runtime that predates QUIC does when it receives it/);
  const b = textOf(BASE);
  const after = edit(bare.text, '    QUIC = 3;\n', `${inserted}    QUIC = 3;\n`);
  assert.deepEqual(check(BASE, b, after).filter((x) => x.element === f.element).map((x) => x.rule), ['DOC_STUB_UNFINISHED']);
  // A new alias of a released number shares that value's meaning: nothing new to document.
  const alias = edit(b, 'enum Protocol {\n', 'enum Protocol {\n    option allow_alias = true;\n').replace('    SCTP = 2;\n}', '    SCTP = 2;\n    STREAM_CONTROL = 2;\n}');
  assert.deepEqual(check(BASE, b, alias).filter((x) => x.rule === 'DOC_MISSING' || x.rule === 'ENUM_VALUE_DEGRADATION_UNDOCUMENTED'), []);
});

// ---- ENUM_VALUE_DEGRADATION_UNDOCUMENTED: a value the kubelet sends to runtimes that may not know it ---------------

test('a value added to an enum that requests carry says what a runtime that does not know it does', NEEDS_CORPUS, () => {
  const degradation = (doc: string): string[] => addValue(doc).findings.filter((f) => f.rule === 'ENUM_VALUE_DEGRADATION_UNDOCUMENTED').map((f) => f.message);
  // Saying what it means is not saying what a runtime of v0.36, which reads 3 as an unnamed number, does.
  assert.deepEqual(degradation('    // Datagrams over QUIC (RFC 9000).\n    QUIC = 3;'),
    ['new value "QUIC" of a request enum does not say what a runtime that does not know it does (runtimes older than this release read it as an unnamed number)']);
  assert.equal(degradation('    QUIC = 3;').length, 1);
  for (const doc of ['    // Datagrams over QUIC. Older runtimes reject the port mapping.\n    QUIC = 3;',
    '    // Datagrams over QUIC. Runtimes that do not recognise it fall back to UDP.\n    QUIC = 3;',
    '    // Datagrams over QUIC.\n    // Older runtimes: the kubelet checks the runtime handler\'s features first.\n    QUIC = 3;']) {
    assert.deepEqual(degradation(doc), [], doc);
  }
  // Suppressed on the value, the stub does not ask it (an answer would leave the suppression unused).
  const suppressed = addValue('    // cri-compat:ignore ENUM_VALUE_DEGRADATION_UNDOCUMENTED only sent to runtimes that report QUIC support\n    QUIC = 3;');
  const missing = suppressed.findings.find((x) => x.rule === 'DOC_MISSING');
  assert.ok(missing);
  const stub = computeFixes(suppressed.text, bind(parse(suppressed.text), 'file:///work/api.proto'), missing).find((a) => a.title === 'Insert a documentation stub');
  assert.ok(stub);
  assert.equal(stub.edits.map((e) => e.newText).join(''), '    // QUIC TODO: what this value means.\n');
  // An enum that only responses carry (RuntimeConfigResponse → LinuxRuntimeConfiguration.cgroup_driver) is
  // read by the kubelet, not sent to a runtime.
  const b = textOf(BASE);
  const text = edit(b, '    CGROUPFS = 1;\n}', '    CGROUPFS = 1;\n    // Cgroup v2 without a manager.\n    UNIFIED = 2;\n}');
  assert.deepEqual(check(BASE, b, text).filter((f) => f.element.startsWith('runtime.v1.CgroupDriver')), []);
});

// ---- documentation stubs ask what the rules check, and a filled-in stub answers them -------------------------

/**
 * A KEP author's answer to each question of a stub, by its label: a stub filled in mechanically. The first line
 * ("NAME TODO: …") gets a sentence that says more than the name.
 */
const STUB_ANSWERS: [RegExp, string][] = [
  [/Call order: TODO:.*/, 'Call order: the kubelet calls it after RunPodSandbox.'],
  [/Runtime contract: TODO:.*/, 'Runtime contract: the runtime must return once every container is frozen.'],
  [/Older runtimes: TODO: a runtime that does not implement.*/, 'Older runtimes: they answer Unimplemented, and the kubelet fails fast.'],
  [/Tested by: TODO:.*/, 'Tested by: the critest case "should freeze a sandbox".'],
  [/Unset: TODO:.*/, 'Unset: the runtime rejects the request.'],
  [/Older runtimes: TODO:.*/, 'Older runtimes: the kubelet checks the runtime handler\'s features first.'],
  [/(\w+) TODO:.*/, '$1 selects what the freeze applies to.'],
];

/** A stub's answers (each ends with a full stop) joined back onto one line each, undoing the stub's wrapping. */
function unwrapStubs(text: string): string {
  const wrapped = /(TODO:.*[^.])\n\s*\/\/ /;
  let out = text;
  while (wrapped.test(out)) out = out.replace(wrapped, '$1 ');
  return out;
}

test('every documentation stub, filled in, answers every rule, and asks what an older runtime does only where one can meet the element', NEEDS_CORPUS, () => {
  const b = textOf(BASE);
  // A new RPC with new messages and a new enum; a field added to a request message (ContainerMetadata) and to a
  // response message (VersionResponse); a value added to a request enum (Protocol) and to a response enum
  // (ContainerEventType). None documented.
  let text = b + '\nmessage PodSandboxPauseRequest {\n    string pod_sandbox_id = 1;\n    PauseMode mode = 2;\n}\n\nmessage PodSandboxPauseResponse {}\n\n' +
    'enum PauseMode {\n    PAUSE_MODE_FREEZE = 0;\n    PAUSE_MODE_STOP = 1;\n}\n';
  const anchor = '    rpc UpdatePodSandboxResources(UpdatePodSandboxResourcesRequest) returns (UpdatePodSandboxResourcesResponse) {}\n';
  text = edit(text, anchor, `${anchor}\n    rpc PodSandboxPause(PodSandboxPauseRequest) returns (PodSandboxPauseResponse) {}\n`);
  const metadata = /message ContainerMetadata \{\n[^}]*\}/.exec(text)![0];
  text = edit(text, metadata, edit(metadata, '\n}', '\n    string frob_mode = 3;\n}'));
  text = edit(text, '    string runtime_api_version = 4;\n}', '    string runtime_api_version = 4;\n    string frob_version = 5;\n}');
  text = edit(text, '    SCTP = 2;\n}', '    SCTP = 2;\n    QUIC = 3;\n}');
  text = edit(text, '    CONTAINER_DELETED_EVENT = 3;\n}', '    CONTAINER_DELETED_EVENT = 3;\n    CONTAINER_FROZEN_EVENT = 4;\n}');
  const docFindingsOf = (t: string): string[] => check(BASE, b, t).filter((f) => DOCS.has(f.rule)).map((f) => `${f.rule} ${f.element.replace(/^runtime\.v1\./, '')}`).sort();
  const fixAllOf = (t: string, rule: string): string => applyEdits(t, fixAll(t, bind(parse(t), 'file:///work/api.proto'), check(BASE, b, t), rule).edits);
  // The stubs of "Fix all DOC_MISSING", then of what that leaves (the RPC's questions once it has a comment).
  let stubbed = fixAllOf(text, 'DOC_MISSING');
  for (const rule of ['RPC_CALL_SEQUENCE_UNDOCUMENTED', 'RPC_FALLBACK_UNDOCUMENTED', 'FIELD_DEGRADATION_UNDOCUMENTED', 'ENUM_VALUE_DEGRADATION_UNDOCUMENTED']) stubbed = fixAllOf(stubbed, rule);
  const unfinished = docFindingsOf(stubbed);
  assert.ok(unfinished.length >= 9 && unfinished.every((f) => f.startsWith('DOC_STUB_UNFINISHED ')), unfinished.join('\n'));
  // Each answer on one line, as an author filling in the stub rewrites the lines it is wrapped over.
  const filled = unwrapStubs(stubbed).split('\n').map((l) => {
    const m = /^(\s*\/\/ )(.*TODO:.*)$/.exec(l);
    const answer = m && STUB_ANSWERS.find(([q]) => q.test(m[2]!));
    return m ? `${m[1]}${m[2]!.replace(answer![0], answer![1])}` : l;
  });
  assert.ok(!filled.some((l) => l.includes('TODO')));
  // Filled in, no documentation rule is left on any new element.
  assert.deepEqual(docFindingsOf(filled.join('\n')), []);
  // Each answer about older runtimes or the call order is what a rule asks of that element: without it the rule
  // fires again. (A field's "Unset:" answers FIELD_DEGRADATION_UNDOCUMENTED as well, so it goes with it.)
  const declared = (from: number): string => /(\w+)\s*(?:=\s*\d+|\()/.exec(filled.slice(from).find((l) => !/^\s*\/\//.test(l))!)![1]!;
  const asked: string[] = [];
  filled.forEach((l, i) => {
    if (!/^\s*\/\/ (?:Older runtimes|Call order):/.test(l)) return;
    const name = declared(i);
    const without = filled.filter((x, k) => k !== i && !(k === i - 1 && /^\s*\/\/ Unset:/.test(x))).join('\n');
    const fired = docFindingsOf(without).filter((f) => f.endsWith(`.${name}`));
    assert.ok(fired.length, `${l.trim()} above ${name} answers no rule`);
    asked.push(`${l.trim().slice(3, l.trim().indexOf(':'))} ${name}`);
  });
  // A field of a new message, a response field and a response enum's value meet no runtime that predates them.
  assert.deepEqual(asked.sort(), ['Call order PodSandboxPause', 'Older runtimes PodSandboxPause', 'Older runtimes QUIC', 'Older runtimes frob_mode']);
});

test('the values of a new enum are documented by the enum', NEEDS_CORPUS, () => {
  const b = textOf(BASE);
  const text = `${b}\n// FrobLevel says how hard a container is frobbed.\nenum FrobLevel {\n    FROB_NONE = 0;\n    FROB_HARD = 1;\n}\n`;
  assert.deepEqual(check(BASE, b, text).filter((f) => f.element.startsWith('runtime.v1.FrobLevel')), []);
});

test('a released element whose whole comment is deleted: DOC_MEANING_CHANGED, as for a deleted word of it', NEEDS_CORPUS, () => {
  const old = textOf('v0.36.3');
  const meaning = (text: string): string[] => check('v0.36.3', old, text).filter((f) => f.rule === 'DOC_MEANING_CHANGED').map((f) => `${f.element}: ${f.message}`);
  // The comments of StopContainerRequest's two fields, found by their declarations (no upstream text here).
  const m = /(message StopContainerRequest \{\n)((?: {4}\/\/.*\n)+)( {4}string container_id = 1;\n)((?: {4}\/\/.*\n)+)( {4}int64 timeout = 2;)/.exec(old);
  assert.ok(m, 'StopContainerRequest with documented container_id and timeout');
  const [whole, head, idDoc, id, timeoutDoc, timeout] = m as unknown as string[];
  const rewrite = (id2: string, timeout2: string): string => replaceOnce(old, whole!, `${head}${id2}${id}${timeout2}${timeout}`);
  assert.deepEqual(meaning(rewrite(idDoc!, '')), [
    'runtime.v1.StopContainerRequest.timeout: the documentation of "timeout" was deleted since v0.36.3: removed "0", "before", "default", "seconds"',
  ]);
  // One word of it: reported as before.
  assert.equal(meaning(rewrite(idDoc!, timeoutDoc!.replace('seconds ', ''))).length, 1);
  // A comment without words that carry meaning (container_id's) says nothing a reader would miss.
  assert.deepEqual(meaning(rewrite('', timeoutDoc!)), []);
});

