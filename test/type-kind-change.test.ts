// A type whose name stays while its kind changes, on single edits of the released v0.36.3 api.proto (the corpus):
// the released enum `Protocol` deleted and a message `Protocol` declared, and the reverse for `Int64Value`. A field of
// that type changes its encoding (varint vs length-delimited), its JSON and its Go type, so it is
// FIELD_TYPE_INCOMPATIBLE, as a field changed to another type's name is. Checked against the file and against the
// bundled release index (what the CLI uses).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkCompatibility } from '../server/src/compat/check';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import type { Baseline } from '../server/src/baseline/types';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { NEEDS_CORPUS, corpusText, replaceOnce } from './corpusText';

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
