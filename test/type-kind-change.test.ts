// A type whose name stays while its kind changes, on single edits of the released v0.36.3 api.proto (the corpus)
// (and, further down, a map's values changing type, checked against buf's FILE rules for scalars):
// the released enum `Protocol` deleted and a message `Protocol` declared, and the reverse for `Int64Value`. A field of
// that type changes its encoding (varint vs length-delimited), its JSON and its Go type, so it is
// FIELD_TYPE_INCOMPATIBLE, as a field changed to another type's name is. Checked against the file and against the
// bundled release index (what the CLI uses).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkCompatibility } from '../server/src/compat/check';
import { getRule } from '../server/src/compat/rules';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import type { Baseline } from '../server/src/baseline/types';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { NEEDS_CORPUS, corpusText, replaceOnce } from './corpusText';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBuf } from './bufBinary';

const TAG = 'v0.36.3';

/** The FIELD_TYPE_* findings (`RULE element: message`) of `text`, against the corpus file and the bundled index. */
function typeFindings(text: string): string[][] {
  const bound = bind(parse(text), 'file:///work/api.proto');
  assert.deepEqual(bound.problems.filter((p) => p.severity === 'error'), [], 'the edit is a valid file');
  const history = loadBundledHistory();
  const bundledModel = history.modelAt(TAG);
  assert.ok(bundledModel);
  const baselines: Baseline[] = [
    { tag: TAG, source: 'path', origin: 'test', model: bind(parse(corpusText(TAG)), 'old.proto').model },
    { tag: TAG, source: 'bundled', origin: 'bundled release index', model: bundledModel, history },
  ];
  return baselines.map((b) => checkCompatibility(text, bound, b).findings
    .filter((f) => f.rule.startsWith('FIELD_TYPE_'))
    .map((f) => `${f.rule} ${f.element}: ${f.message}`));
}

test('an enum replaced by a message of its name: its fields are FIELD_TYPE_INCOMPATIBLE, naming both kinds', NEEDS_CORPUS, () => {
  const text = replaceOnce(corpusText(TAG), 'enum Protocol {\n    TCP = 0;\n    UDP = 1;\n    SCTP = 2;\n}\n',
    '// Protocol is a port mapping protocol.\nmessage Protocol {\n    // The name of the protocol.\n    string name = 1;\n}\n');
  for (const got of typeFindings(text)) {
    assert.deepEqual(got, ['FIELD_TYPE_INCOMPATIBLE runtime.v1.PortMapping.protocol: field "PortMapping.protocol" changed type from '
      + 'enum runtime.v1.Protocol to message runtime.v1.Protocol, which is not wire-compatible (baseline v0.36.3)']);
  }
});

test('a message replaced by an enum of its name: its fields are FIELD_TYPE_INCOMPATIBLE', NEEDS_CORPUS, () => {
  const text = replaceOnce(corpusText(TAG), 'message Int64Value {\n    // The value.\n    int64 value = 1;\n}\n',
    'enum Int64Value {\n    // The zero value.\n    INT64_VALUE_UNSPECIFIED = 0;\n}\n');
  for (const got of typeFindings(text)) {
    assert.ok(got.length > 0, 'a finding');
    for (const f of got) assert.match(f, /^FIELD_TYPE_INCOMPATIBLE runtime\.v1\.\S+: .* from message runtime\.v1\.Int64Value to enum runtime\.v1\.Int64Value, /);
    assert.ok(got.some((f) => f.startsWith('FIELD_TYPE_INCOMPATIBLE runtime.v1.LinuxSandboxSecurityContext.run_as_user:')), got.join('\n'));
  }
});

test('a type of the same name and kind is the same type: no type finding for its fields', NEEDS_CORPUS, () => {
  const text = replaceOnce(corpusText(TAG), '    SCTP = 2;\n}\n', '    SCTP = 2;\n    // A test value.\n    QUIC = 3;\n}\n');
  for (const got of typeFindings(text)) assert.deepEqual(got, []);
});

// A map's values change type as a plain field of their type would: the map is a repeated entry message whose field 2
// is the value. The corpus has only map<string, string>, so the released side is v0.36.3 with the sysctls map's
// values made of another type, and the edit changes that type's kind (or the values' scalar type) on top of it.
const SYSCTLS = 'map<string, string> sysctls = 3;';

/** The FIELD_TYPE_* findings of LinuxPodSandboxConfig.sysctls, `released` → `text`, both v0.36.3 with sysctls' values retyped. */
function sysctlsFindings(released: string, text: string): string[] {
  const bound = bind(parse(text), 'file:///work/api.proto');
  assert.deepEqual(bound.problems.filter((p) => p.severity === 'error'), [], 'the edit is a valid file');
  const old = bind(parse(released), 'old.proto');
  assert.deepEqual(old.problems.filter((p) => p.severity === 'error'), [], 'the released side is a valid file');
  const baseline: Baseline = { tag: TAG, source: 'path', origin: 'test', model: old.model };
  return checkCompatibility(text, bound, baseline).findings
    .filter((f) => f.rule.startsWith('FIELD_TYPE_') && f.element === 'runtime.v1.LinuxPodSandboxConfig.sysctls')
    .map((f) => `${f.rule}: ${f.message}`);
}

const withSysctls = (value: string, text = corpusText(TAG)): string => replaceOnce(text, SYSCTLS, `map<string, ${value}> sysctls = 3;`);

test('a map whose enum values became a message of the enum\'s name is FIELD_TYPE_INCOMPATIBLE, naming both kinds', NEEDS_CORPUS, () => {
  const released = withSysctls('Protocol');
  const text = replaceOnce(released, 'enum Protocol {\n    TCP = 0;\n    UDP = 1;\n    SCTP = 2;\n}\n',
    '// Protocol is a port mapping protocol.\nmessage Protocol {\n    // The name of the protocol.\n    string name = 1;\n}\n');
  assert.deepEqual(sysctlsFindings(released, text), ['FIELD_TYPE_INCOMPATIBLE: field "LinuxPodSandboxConfig.sysctls" changed type from '
    + 'map<string,enum runtime.v1.Protocol> to map<string,message runtime.v1.Protocol>, which is not wire-compatible (baseline v0.36.3)']);
});

test('a map whose message values became an enum of the message\'s name is FIELD_TYPE_INCOMPATIBLE', NEEDS_CORPUS, () => {
  const released = withSysctls('Int64Value');
  const text = replaceOnce(released, 'message Int64Value {\n    // The value.\n    int64 value = 1;\n}\n',
    'enum Int64Value {\n    // The zero value.\n    INT64_VALUE_UNSPECIFIED = 0;\n}\n');
  assert.deepEqual(sysctlsFindings(released, text), ['FIELD_TYPE_INCOMPATIBLE: field "LinuxPodSandboxConfig.sysctls" changed type from '
    + 'map<string,message runtime.v1.Int64Value> to map<string,enum runtime.v1.Int64Value>, which is not wire-compatible (baseline v0.36.3)']);
});

test('a map\'s values of an unchanged enum or message: no type finding', NEEDS_CORPUS, () => {
  for (const value of ['Protocol', 'Int64Value']) {
    const released = withSysctls(value);
    assert.deepEqual(sysctlsFindings(released, replaceOnce(released, '    SCTP = 2;\n}\n', '    SCTP = 2;\n    // A test value.\n    QUIC = 3;\n}\n')), []);
  }
});

test('a map\'s values between an enum and int32 are FIELD_TYPE_CHANGED (both varints), as a plain field\'s are', NEEDS_CORPUS, () => {
  assert.deepEqual(sysctlsFindings(withSysctls('int32'), withSysctls('Protocol')), ['FIELD_TYPE_CHANGED: field "LinuxPodSandboxConfig.sysctls" changed type from '
    + 'map<string,int32> to map<string,runtime.v1.Protocol> (baseline v0.36.3); wire-compatible, but values, JSON and Go types change']);
  assert.deepEqual(sysctlsFindings(withSysctls('Protocol'), withSysctls('int32')).map((f) => f.split(':')[0]), ['FIELD_TYPE_CHANGED']);
});

test('a map\'s message values and bytes are FIELD_TYPE_CHANGED (both length-delimited), as a plain field\'s are', NEEDS_CORPUS, () => {
  assert.deepEqual(sysctlsFindings(withSysctls('Int64Value'), withSysctls('bytes')).map((f) => f.split(':')[0]), ['FIELD_TYPE_CHANGED']);
  assert.deepEqual(sysctlsFindings(withSysctls('bytes'), withSysctls('Int64Value')).map((f) => f.split(':')[0]), ['FIELD_TYPE_CHANGED']);
});

test('a map\'s values between messages of the same encoding are FIELD_TYPE_CHANGED, saying what changes, as a plain field\'s are', NEEDS_CORPUS, () => {
  assert.deepEqual(sysctlsFindings(withSysctls('UInt64Value'), withSysctls('Int64Value')), ['FIELD_TYPE_CHANGED: field "LinuxPodSandboxConfig.sysctls" changed type from '
    + 'map<string,runtime.v1.UInt64Value> to map<string,runtime.v1.Int64Value> (baseline v0.36.3); both messages have the same field numbers and wire '
    + 'encodings, so the bytes parse, but values change as their fields\' types do (value = 1: uint64 → int64), and the Go type changes']);
});

// buf's FILE rules (FIELD_SAME_TYPE, on the map entry's key or value) call every change of a map's scalar key or
// value type breaking, as they do a plain field's; ours are FIELD_TYPE_CHANGED (one wire group) or
// FIELD_TYPE_INCOMPATIBLE, both breaking, as for a plain field of those types.
const BUF = findBuf();

/** buf breaking's FILE findings, `released` → `text`, each module holding the file at runtime/v1/api.proto. */
function bufFileFindings(buf: string, released: string, text: string): { type: string; start_line: number }[] {
  const dir = mkdtempSync(join(tmpdir(), 'cri-map-values-'));
  try {
    for (const [side, t] of [['old', released], ['new', text]] as const) {
      mkdirSync(join(dir, side, 'runtime', 'v1'), { recursive: true });
      writeFileSync(join(dir, side, 'buf.yaml'), 'version: v2\nbreaking:\n  use:\n    - FILE\n');
      writeFileSync(join(dir, side, 'runtime', 'v1', 'api.proto'), t);
    }
    let out: string;
    try {
      out = execFileSync(buf, ['breaking', 'new', '--against', 'old', '--error-format', 'json'], { cwd: dir, stdio: 'pipe', timeout: 120_000, encoding: 'utf8' });
    } catch (e) {
      const err = e as { status?: number; stdout?: string; stderr?: string };
      assert.equal(err.status, 100, `buf breaking failed: ${err.stderr}`);
      out = err.stdout ?? '';
    }
    return out.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { type: string; start_line: number });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a map\'s scalar key or value type changed: breaking for buf (FILE) and for us, as on a plain field', { skip: NEEDS_CORPUS.skip ?? (typeof BUF === 'string' ? BUF : undefined) }, () => {
  const buf = (BUF as { buf: string }).buf;
  const line = corpusText(TAG).split('\n').findIndex((l) => l.includes(SYSCTLS)) + 1;
  const withMap = (type: string): string => replaceOnce(corpusText(TAG), SYSCTLS, `${type} sysctls = 3;`);
  const pairs: [string, string, string][] = [
    ['map<string, int32>', 'map<string, int64>', 'FIELD_TYPE_CHANGED'],
    ['map<string, string>', 'map<string, bytes>', 'FIELD_TYPE_CHANGED'],
    ['map<string, bytes>', 'map<string, string>', 'FIELD_TYPE_CHANGED'],
    ['map<string, int32>', 'map<string, sint32>', 'FIELD_TYPE_INCOMPATIBLE'],
    ['map<string, fixed64>', 'map<string, double>', 'FIELD_TYPE_INCOMPATIBLE'],
    ['map<int32, string>', 'map<int64, string>', 'FIELD_TYPE_CHANGED'],
    // The same pairs on a plain field, for the same verdicts.
    ['int32', 'int64', 'FIELD_TYPE_CHANGED'],
    ['string', 'bytes', 'FIELD_TYPE_CHANGED'],
    ['int32', 'sint32', 'FIELD_TYPE_INCOMPATIBLE'],
  ];
  for (const [was, now, rule] of pairs) {
    const released = withMap(was);
    const text = withMap(now);
    const theirs = bufFileFindings(buf, released, text);
    assert.deepEqual(theirs.map((f) => `${f.type}@${f.start_line}`), [`FIELD_SAME_TYPE@${line}`], `buf, ${was} → ${now}`);
    const ours = sysctlsFindings(released, text).map((f) => f.split(':')[0]);
    assert.deepEqual(ours, [rule], `ours, ${was} → ${now}`);
    assert.equal(getRule(rule).breaking, true);
  }
});
