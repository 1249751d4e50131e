// Which current element the comparison takes for a released one, on single edits of the released v0.36.3
// api.proto (the corpus) that an editor tester found: two elements of one number or name (the binder's
// duplicate-number and duplicate-name), a type that does not resolve, and a new field on a released number.
// Each edit is checked against the file and against the bundled release index (what the CLI uses).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkCompatibility, type CheckResult } from '../server/src/compat/check';
import type { Finding } from '../server/src/compat/finding';
import type { Range } from '../server/src/proto/ast';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import type { Baseline } from '../server/src/baseline/types';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { elementPolicyHover } from '../server/src/features/policyHover';
import { NEEDS_CORPUS, corpusText, replaceOnce } from './corpusText';

const TAG = 'v0.36.3';
const edit = replaceOnce;

const WORKING_DIR = '    // Current working directory of the command.\n    string working_dir = 5;\n';
const HOST_IP = '    // Host IP.\n    string host_ip = 4;\n}\n';
const PROTOCOL = '    SCTP = 2;\n}\n';
const VERSION_RPC = '    rpc Version(VersionRequest) returns (VersionResponse) {}\n';

/** `text` checked against the corpus file of TAG and against the bundled release index's TAG (with its history). */
function checkBoth(text: string): { against: string; result: CheckResult; problems: string[] }[] {
  const bound = bind(parse(text), 'file:///work/api.proto');
  const problems = bound.problems.map((p) => p.code).sort();
  const history = loadBundledHistory();
  const bundledModel = history.modelAt(TAG);
  assert.ok(bundledModel);
  const file: Baseline = { tag: TAG, source: 'path', origin: 'test', model: bind(parse(corpusText(TAG)), 'old.proto').model };
  const bundled: Baseline = { tag: TAG, source: 'bundled', origin: 'bundled release index', model: bundledModel, history };
  return [
    { against: 'file', result: checkCompatibility(text, bound, file), problems },
    { against: 'bundled', result: checkCompatibility(text, bound, bundled), problems },
  ];
}

const ruleAndElement = (fs: Finding[]): string[] => fs.map((f) => `${f.rule} ${f.element.replace(/^runtime\.v1\./, '')}`).sort();

/** Asserts the findings (as `RULE element`) and binding problems of `text`, against both baselines. */
function expectFindings(text: string, findings: string[], problems: string[] = []): void {
  for (const { against, result, problems: got } of checkBoth(text)) {
    assert.deepEqual(ruleAndElement(result.findings), findings, against);
    assert.deepEqual(got, problems, against);
  }
}

test('a new field on the number of a released field that is still there: the released field did not change, and nothing is reused', NEEDS_CORPUS, () => {
  const b = corpusText(TAG);
  // Declared after the released field, and before it: the binder's duplicate-number alone. The number still belongs
  // to working_dir: FIELD_NUMBER_REUSED ("belonged to … now uses it") would describe a reuse that is not one.
  const after = edit(b, WORKING_DIR, `${WORKING_DIR}    // foo is a test field.\n    int32 foo = 5;\n`);
  const before = edit(b, WORKING_DIR, `    // foo is a test field.\n    int32 foo = 5;\n${WORKING_DIR}`);
  for (const text of [after, before]) expectFindings(text, [], ['duplicate-number']);
  const portMapping = edit(b, HOST_IP, '    // Host IP.\n    string host_ip = 4;\n    // The IP family of host_ip.\n    string host_ip_family = 3;\n}\n');
  expectFindings(portMapping, [], ['duplicate-number']);
  // What the duplicate-number's fix needs: the new field, and the numbers of both (the error is at the later one).
  for (const { against, result } of checkBoth(portMapping)) {
    const lines = portMapping.split('\n');
    const numberAt = (decl: string): Range => {
      const line = lines.indexOf(decl);
      const character = decl.lastIndexOf('= ') + 2;
      return { start: { line, character }, end: { line, character: character + 1 } };
    };
    assert.deepEqual(result.duplicates, [{
      element: 'runtime.v1.PortMapping.host_ip_family', range: numberAt('    string host_ip_family = 3;'), releasedRange: numberAt('    int32 host_port = 3;'),
      fixes: [{ kind: 'renumber', to: 5, label: 'Give "host_ip_family" the next free number 5' }],
    }], against);
  }
});

test('a second field of a released name: the released one, with its number, is the one compared', NEEDS_CORPUS, () => {
  const b = corpusText(TAG);
  expectFindings(edit(b, HOST_IP, '    // Host IP.\n    string host_ip = 4;\n    // Again.\n    string host_port = 9;\n}\n'), [], ['duplicate-name']);
  // Moved, with a duplicate of the old number: the move is still reported once, and the other field reuses 3.
  const moved = edit(edit(b, 'int32 host_port = 3;', 'int32 host_port = 9;'), HOST_IP, '    // Host IP.\n    string host_ip = 4;\n    // A new field.\n    int64 spare = 3;\n}\n');
  expectFindings(moved, ['FIELD_NUMBER_CHANGED PortMapping.host_port', 'FIELD_NUMBER_REUSED PortMapping.spare']);
});

test('a second enum value of a released name: the released one, with its number, is the one compared', NEEDS_CORPUS, () => {
  const b = corpusText(TAG);
  expectFindings(edit(b, PROTOCOL, '    SCTP = 2;\n    UDP = 7;\n}\n'), [], ['duplicate-name']);
  // Without allow_alias a second name of a number is the binder's error alone.
  expectFindings(edit(b, PROTOCOL, '    SCTP = 2;\n    // QUIC is a test value.\n    QUIC = 1;\n}\n'), [], ['duplicate-number']);
});

test('a second RPC of a released name: the released one, with its signature, is the one compared', NEEDS_CORPUS, () => {
  const b = corpusText(TAG);
  expectFindings(edit(b, VERSION_RPC, `${VERSION_RPC}    rpc Version(PortMapping) returns (VersionResponse) {}\n`), [], ['duplicate-name']);
});

test('a second message of a released name, before or after it: the released one is compared, not the new one', NEEDS_CORPUS, () => {
  const b = corpusText(TAG);
  const portMapping = '// PortMapping specifies the port mapping configurations of a sandbox.\n';
  const spare = 'message PortMapping {\n    // x is a test field.\n    int64 x = 1;\n}\n\n';
  expectFindings(edit(b, portMapping, `${spare}${portMapping}`), [], ['duplicate-name']);
  expectFindings(edit(b, HOST_IP, `${HOST_IP}\n${spare}`), [], ['duplicate-name']);
});

test('a second service of a released name: the released one\'s RPCs are not deleted', NEEDS_CORPUS, () => {
  const b = corpusText(TAG);
  // At the end of the file, where it takes no other declaration's comment.
  const service = `${b}\nservice RuntimeService {\n    rpc Foo(VersionRequest) returns (VersionResponse) {}\n}\n`;
  for (const { against, result } of checkBoth(service)) {
    assert.deepEqual(result.findings.filter((f) => f.rule.startsWith('RPC_') || f.rule.startsWith('SERVICE_')), [], against);
    // Nor is the released one's documentation compared with the second one's (which has none).
    assert.deepEqual(result.findings.filter((f) => f.rule === 'DOC_MEANING_CHANGED'), [], against);
  }
});

test('a field type that does not resolve is the binder\'s error only, not also a wire-incompatible type change', NEEDS_CORPUS, () => {
  const b = corpusText(TAG);
  // Int64Value renamed without its five references: the rename, and five unresolved references.
  const unresolved = Array<string>(5).fill('unresolved-type');
  expectFindings(edit(b, 'message Int64Value {', 'message Int64Val {'), ['MESSAGE_RENAMED Int64Val'], unresolved);
  // A typo mid-edit.
  expectFindings(edit(b, 'string working_dir = 5;', 'strin working_dir = 5;'), [], ['unresolved-type']);
  // Renamed with its references, the rename alone; deleted, the deletion alone (its references do not resolve).
  expectFindings(b.replace(/\bInt64Value\b/g, 'Int64Val'), ['MESSAGE_RENAMED Int64Val']);
  const int64Value = /\/\/ Int64Value is the wrapper of int64\.\nmessage Int64Value \{[^}]*\}\n/;
  assert.match(b, int64Value);
  expectFindings(b.replace(int64Value, ''), ['MESSAGE_NO_DELETE Int64Value'], unresolved);
  // A type that resolves is still compared (value = 1 is a varint in both: the bytes parse, values change).
  expectFindings(edit(b, 'Int64Value uid = 5;', 'UInt64Value uid = 5;'), ['FIELD_TYPE_CHANGED Image.uid']);
  expectFindings(edit(b, 'Int64Value uid = 5;', 'PodIP uid = 5;'), ['FIELD_TYPE_INCOMPATIBLE Image.uid']);
});

test('DOC_MISSING: a new field on a released number is a new name to document, though not an addition of the report', NEEDS_CORPUS, () => {
  const b = corpusText(TAG);
  const undocumented = edit(b, WORKING_DIR, '    int32 foo = 5;\n');
  // ContainerConfig is sent by the kubelet, but an older runtime misreads foo as working_dir rather than ignoring
  // it: FIELD_NUMBER_REUSED says so, and FIELD_DEGRADATION_UNDOCUMENTED would say it is dropped.
  expectFindings(undocumented, ['DOC_MISSING ContainerConfig.foo', 'FIELD_NUMBER_REUSED ContainerConfig.foo']);
  for (const { against, result } of checkBoth(undocumented)) {
    const doc = result.findings.find((f) => f.rule === 'DOC_MISSING')!;
    assert.equal(doc.message, 'new field "foo" (not in v0.36.3) has no documentation comment', against);
    assert.deepEqual(doc.fixes, [{ kind: 'docStub', element: 'field', name: 'foo' }], against);
    assert.deepEqual(result.additions, [], against);
  }
  // Not while the released field is still there: the file does not compile (duplicate-number), and the new field
  // gets its own number, where it is new and DOC_MISSING asks for its documentation.
  expectFindings(edit(b, WORKING_DIR, `${WORKING_DIR}    int32 foo = 5;\n`), [], ['duplicate-number']);
  // Documented, or a rename (same type, the released field gone), it needs no more.
  expectFindings(edit(b, WORKING_DIR, '    // foo is a test field.\n    int32 foo = 5;\n'), ['FIELD_NUMBER_REUSED ContainerConfig.foo']);
  expectFindings(edit(b, WORKING_DIR, '    string wd = 5;\n'), ['FIELD_RENAMED ContainerConfig.wd']);
});

test('a new enum value on the number of a released value that moved: ENUM_VALUE_NUMBER_REUSED and DOC_MISSING, as for a field', NEEDS_CORPUS, () => {
  const b = corpusText(TAG);
  const undocumented = edit(b, PROTOCOL, '    SCTP = 3;\n    QUIC = 2;\n}\n');
  // Protocol is sent by the kubelet (PortMapping), but an older runtime reads QUIC as SCTP rather than as an
  // unnamed number: ENUM_VALUE_NUMBER_REUSED says so, and ENUM_VALUE_DEGRADATION_UNDOCUMENTED would say otherwise.
  expectFindings(undocumented, ['DOC_MISSING Protocol.QUIC', 'ENUM_VALUE_NUMBER_CHANGED Protocol.SCTP', 'ENUM_VALUE_NUMBER_REUSED Protocol.QUIC']);
  const quicLine = undocumented.split('\n').findIndex((l) => l === '    QUIC = 2;');
  for (const { against, result } of checkBoth(undocumented)) {
    const reused = result.findings.find((f) => f.rule === 'ENUM_VALUE_NUMBER_REUSED')!;
    assert.equal(reused.message, 'enum number 2 belonged to "SCTP" in v0.36.3 (now 3); "QUIC" now uses it', against);
    assert.deepEqual(reused.related, [{ message: 'v0.36.3: SCTP = 2' }], against);
    assert.deepEqual(reused.range.start, { line: quicLine, character: '    QUIC = '.length }, against);
    const doc = result.findings.find((f) => f.rule === 'DOC_MISSING')!;
    assert.equal(doc.message, 'new enum value "QUIC" (not in v0.36.3) has no documentation comment', against);
    assert.deepEqual(doc.fixes, [{ kind: 'docStub', element: 'enumValue', name: 'QUIC' }], against);
    // Not an addition of the report: on the wire it continues number 2.
    assert.deepEqual(result.additions, [], against);
  }
  // Declared before the moved value, and documented: the reuse alone.
  expectFindings(edit(b, PROTOCOL, '    // QUIC is a test value.\n    QUIC = 2;\n    SCTP = 3;\n}\n'),
    ['ENUM_VALUE_NUMBER_CHANGED Protocol.SCTP', 'ENUM_VALUE_NUMBER_REUSED Protocol.QUIC']);
  // A released name on the number is no new value (two released values swapped): the number changes alone.
  expectFindings(edit(edit(b, 'UDP = 1;', 'UDP = 2;'), PROTOCOL, '    SCTP = 1;\n}\n'),
    ['ENUM_VALUE_NUMBER_CHANGED Protocol.SCTP', 'ENUM_VALUE_NUMBER_CHANGED Protocol.UDP']);
  // Renamed in place (SCTP gone), it is the rename alone, as the 66 Signal values of v0.37.0-alpha.1 are.
  expectFindings(edit(b, PROTOCOL, '    QUIC = 2;\n}\n'), ['ENUM_VALUE_RENAMED Protocol.QUIC']);
  // A value on a new number is an addition, documented or not.
  expectFindings(edit(b, PROTOCOL, '    SCTP = 2;\n    QUIC = 3;\n}\n'), ['DOC_MISSING Protocol.QUIC', 'ENUM_VALUE_DEGRADATION_UNDOCUMENTED Protocol.QUIC']);
});

test('a new alias of a released number whose first name moved, but another released alias stayed: an alias, no reuse', NEEDS_CORPUS, () => {
  const aliases = (values: string): string => edit(corpusText(TAG), 'enum Protocol {\n    TCP = 0;\n    UDP = 1;\n    SCTP = 2;\n}\n',
    `enum Protocol {\n    option allow_alias = true;\n    TCP = 0;\n    UDP = 1;\n${values}}\n`);
  const old = aliases('    SCTP = 2;\n    STREAM_CONTROL = 2;\n');
  const check = (text: string): string[] => {
    const baseline: Baseline = { tag: TAG, source: 'path', origin: 'test', model: bind(parse(old), 'old.proto').model };
    return ruleAndElement(checkCompatibility(text, bind(parse(text), 'file:///work/api.proto'), baseline).findings);
  };
  // STREAM_CONTROL still names 2, so QUIC is a third name of that value.
  assert.deepEqual(check(aliases('    SCTP = 3;\n    STREAM_CONTROL = 2;\n    QUIC = 2;\n')), ['ENUM_VALUE_NUMBER_CHANGED Protocol.SCTP']);
  // Both released names moved away from 2: QUIC took it over, reported once, whichever of them is looked at.
  assert.deepEqual(check(aliases('    SCTP = 3;\n    STREAM_CONTROL = 3;\n    QUIC = 2;\n')),
    ['DOC_MISSING Protocol.QUIC', 'ENUM_VALUE_NUMBER_CHANGED Protocol.SCTP', 'ENUM_VALUE_NUMBER_CHANGED Protocol.STREAM_CONTROL', 'ENUM_VALUE_NUMBER_REUSED Protocol.QUIC']);
  // One of them gone: QUIC is its rename, not also a reuse.
  assert.deepEqual(check(aliases('    QUIC = 2;\n    STREAM_CONTROL = 3;\n')), ['ENUM_VALUE_NUMBER_CHANGED Protocol.STREAM_CONTROL', 'ENUM_VALUE_RENAMED Protocol.QUIC']);
});

test('many aliases of one released number, renamed or moved: each rename and each reuse, found in one pass per number', NEEDS_CORPUS, () => {
  // What each value on a number continues depends on the number alone; asked again per value and per released
  // alias, an enum with thousands of names on one number took minutes (this test runs in well under a second).
  const n = 2000;
  const names = (prefix: string, number: number, doc = ''): string => Array.from({ length: n }, (_, i) => `${doc}    ${prefix}_${i} = ${number};\n`).join('');
  const aliases = (values: string): string => edit(corpusText(TAG), 'enum Protocol {\n    TCP = 0;\n    UDP = 1;\n    SCTP = 2;\n}\n',
    `enum Protocol {\n    option allow_alias = true;\n    TCP = 0;\n    UDP = 1;\n${values}}\n`);
  const old = aliases(names('SCTP', 2));
  const baseline: Baseline = { tag: TAG, source: 'path', origin: 'test', model: bind(parse(old), 'old.proto').model };
  const check = (text: string): Finding[] => checkCompatibility(text, bind(parse(text), 'file:///work/api.proto'), baseline).findings;
  const count = (fs: Finding[]): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const f of fs) out[f.rule] = (out[f.rule] ?? 0) + 1;
    return out;
  };
  // Every released name gone, new ones in their place: each new name is the rename of one released name, in
  // declaration order.
  const renamed = check(aliases(names('QUIC', 2)));
  assert.deepEqual(count(renamed), { ENUM_VALUE_RENAMED: n });
  assert.equal(new Set(renamed.map((f) => f.element)).size, n);
  assert.equal(renamed[n - 1]!.message, `enum value 2 "SCTP_${n - 1}" was renamed to "QUIC_${n - 1}" (baseline ${TAG})`);
  assert.equal(renamed[n - 1]!.element, `runtime.v1.Protocol.QUIC_${n - 1}`);
  // Every released name moved to 3, new ones on 2: each new one is a reuse, reported once.
  const moved = check(aliases(`${names('SCTP', 3)}${names('QUIC', 2, '    // A test value.\n')}`));
  assert.deepEqual(count(moved), { ENUM_VALUE_NUMBER_CHANGED: n, ENUM_VALUE_NUMBER_REUSED: n });
  assert.deepEqual(new Set(moved.filter((f) => f.rule === 'ENUM_VALUE_NUMBER_REUSED').map((f) => f.element)).size, n);
  assert.equal(moved.find((f) => f.element === `runtime.v1.Protocol.QUIC_${n - 1}`)!.message, `enum number 2 belonged to "SCTP_0" in ${TAG} (now 3); "QUIC_${n - 1}" now uses it`);
});

test('several aliases of one released number renamed at once: each gone name is paired with one new name, in declaration order', NEEDS_CORPUS, () => {
  const aliases = (values: string): string => edit(corpusText(TAG), 'enum Protocol {\n    TCP = 0;\n    UDP = 1;\n    SCTP = 2;\n}\n',
    `enum Protocol {\n    option allow_alias = true;\n    TCP = 0;\n    UDP = 1;\n${values}}\n`);
  const baseline: Baseline = { tag: TAG, source: 'path', origin: 'test', model: bind(parse(aliases('    SCTP = 2;\n    STREAM_CONTROL = 2;\n')), 'old.proto').model };
  const value = (name: string): string => `    // ${name} is a test value.\n    ${name} = 2;\n`;
  const check = (values: string): { findings: string[]; hover: (name: string) => string } => {
    const text = aliases(values);
    const bound = bind(parse(text), 'file:///work/api.proto');
    const { findings } = checkCompatibility(text, bound, baseline);
    return {
      findings: findings.map((f) => `${f.rule} ${f.element.replace(/^runtime\.v1\./, '')}: ${f.message} ${JSON.stringify(f.fixes)}`).sort(),
      hover: (name) => elementPolicyHover(`runtime.v1.Protocol.${name}`, baseline, bound.model, findings) ?? '',
    };
  };
  const renamedTo = (from: string, to: string): string =>
    `ENUM_VALUE_RENAMED Protocol.${to}: enum value 2 "${from}" was renamed to "${to}" (baseline ${TAG}) ${JSON.stringify([{ kind: 'rename', to: from }])}`;
  // As many new names as gone ones: SCTP → QUIC, STREAM_CONTROL → STREAM, in the comparison and in the hover.
  const two = check(value('QUIC') + value('STREAM'));
  assert.deepEqual(two.findings, [renamedTo('SCTP', 'QUIC'), renamedTo('STREAM_CONTROL', 'STREAM')]);
  assert.match(two.hover('QUIC'), /^\*\*Renamed from `SCTP`\*\*: enum value 2 was `SCTP` in the baseline/);
  assert.match(two.hover('STREAM'), /^\*\*Renamed from `STREAM_CONTROL`\*\*: enum value 2 was `STREAM_CONTROL` in the baseline/);
  // One more new name: a further name of the renamed value, which peers know by its number (no finding of its own).
  const three = check(value('QUIC') + value('STREAM') + value('SCTP_NEXT'));
  assert.deepEqual(three.findings, two.findings);
  assert.match(three.hover('SCTP_NEXT'), /^\*\*Alias of `QUIC`\*\*: one more name of enum value 2, which was `SCTP` in the baseline and is `QUIC` now, so it is not new/);
  // One new name for two gone ones: SCTP's rename, and STREAM_CONTROL removed beside it, with the fix restoring it.
  const one = check(value('QUIC'));
  const restore = [{ kind: 'restore', container: 'runtime.v1.Protocol', isEnum: true, declaration: 'STREAM_CONTROL = 2;', number: 2, name: 'STREAM_CONTROL', alias: { name: 'QUIC', first: false } }];
  assert.deepEqual(one.findings, [
    renamedTo('SCTP', 'QUIC'),
    `ENUM_VALUE_RENAMED Protocol.STREAM_CONTROL: enum value 2 "STREAM_CONTROL" was removed (baseline ${TAG}); only its alias "QUIC" remains ${JSON.stringify(restore)}`,
  ]);
});

test('a deleted enum value whose number another released value moved to: a reuse, as for a field', NEEDS_CORPUS, () => {
  // UDP = 1 deleted, SCTP moved from 2 onto 1: a peer built from the release sends UDP as 1, which is read as SCTP.
  const enumText = edit(corpusText(TAG), '    UDP = 1;\n    SCTP = 2;\n', '    SCTP = 1;\n');
  // The same edit of two fields: PortMapping's host_port = 3 deleted, host_ip moved from 4 onto 3.
  const fieldText = edit(corpusText(TAG), '    int32 host_port = 3;\n    // Host IP.\n    string host_ip = 4;\n', '    // Host IP.\n    string host_ip = 3;\n');
  for (const { against, result } of checkBoth(enumText)) {
    const fs = result.findings.filter((f) => f.element.startsWith('runtime.v1.Protocol.'));
    assert.deepEqual(ruleAndElement(fs), ['ENUM_VALUE_NUMBER_CHANGED Protocol.SCTP', 'ENUM_VALUE_NUMBER_REUSED Protocol.SCTP'], against);
    const reused = fs.find((f) => f.rule === 'ENUM_VALUE_NUMBER_REUSED')!;
    assert.equal(reused.message, `enum number 1 belonged to "UDP" in ${TAG}; "SCTP" now uses it`, against);
    assert.deepEqual(reused.related, [{ message: `${TAG}: UDP = 1` }], against);
  }
  for (const { against, result } of checkBoth(fieldText)) {
    const fs = result.findings.filter((f) => f.element.startsWith('runtime.v1.PortMapping.'));
    assert.deepEqual(ruleAndElement(fs), ['FIELD_NUMBER_CHANGED PortMapping.host_ip', 'FIELD_NUMBER_REUSED PortMapping.host_ip'], against);
  }
});

test('a scalar field turned into a map is a type change, not a presence change "from implicit to implicit"', NEEDS_CORPUS, () => {
  const text = edit(corpusText(TAG), 'message VersionRequest {\n    // Version of the kubelet runtime API.\n    string version = 1;\n', 'message VersionRequest {\n    // Version of the kubelet runtime API.\n    map<string, string> version = 1;\n');
  for (const { against, result } of checkBoth(text)) {
    const own = result.findings.filter((f) => f.element === 'runtime.v1.VersionRequest.version');
    assert.deepEqual(own.map((f) => f.rule), ['FIELD_TYPE_INCOMPATIBLE'], `${against}: ${own.map((f) => f.message).join('; ')}`);
  }
});
