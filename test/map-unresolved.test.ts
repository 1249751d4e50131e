// A field whose type does not resolve (a typo mid-edit, a type not declared yet) is not compared with the released
// type: what it will be is not known, and the binder's unresolved-type error says what is wrong. A map whose value
// type does not resolve is skipped the same way; before, its value was compared by its last name component, so a
// new name counted as FIELD_TYPE_INCOMPATIBLE where a plain field of that name had no finding. On single edits of
// the released v0.36.3 api.proto (the corpus), against the file and the bundled release index.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkCompatibility } from '../server/src/compat/check';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import type { Baseline } from '../server/src/baseline/types';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { NEEDS_CORPUS, corpusText, replaceOnce } from './corpusText';

const TAG = 'v0.36.3';
/** PodSandboxAttributes' labels (ContainerAttributes' are written alike, so with the comment before them). */
const LABELS = '    PodSandboxMetadata metadata = 2;\n    // Key-value pairs that may be used to scope and select individual resources.\n    map<string,string> labels = 3;\n';
const labelsOf = (value: string): string => LABELS.replace('map<string,string>', `map<string,${value}>`);

/** The unresolved-type errors and the FIELD_TYPE_* findings of `text`, against the corpus file and the bundled index. */
function check(text: string): { unresolved: string[]; findings: string[][] } {
  const bound = bind(parse(text), 'file:///work/api.proto');
  const history = loadBundledHistory();
  const bundled = history.modelAt(TAG);
  assert.ok(bundled);
  const baselines: Baseline[] = [
    { tag: TAG, source: 'path', origin: 'test', model: bind(parse(corpusText(TAG)), 'old.proto').model },
    { tag: TAG, source: 'bundled', origin: 'bundled release index', model: bundled, history },
  ];
  return {
    unresolved: bound.problems.filter((p) => p.code === 'unresolved-type').map((p) => p.message),
    findings: baselines.map((b) => checkCompatibility(text, bound, b).findings.filter((f) => f.rule.startsWith('FIELD_TYPE_')).map((f) => `${f.rule} ${f.element}: ${f.message}`)),
  };
}

test('a plain field and a map value whose type does not resolve are both left to the binder, not compared', NEEDS_CORPUS, () => {
  const released = corpusText(TAG);
  // PodSandboxAttributes: `string id = 1` and `map<string,string> labels = 3` given a type not declared (yet).
  const plain = replaceOnce(released, '    // ID of the pod sandbox.\n    string id = 1;\n    // Metadata of the pod sandbox.\n    PodSandboxMetadata metadata = 2;\n',
    '    // ID of the pod sandbox.\n    SandboxId id = 1;\n    // Metadata of the pod sandbox.\n    PodSandboxMetadata metadata = 2;\n');
  const map = replaceOnce(released, LABELS, labelsOf('SandboxLabel'));
  for (const [what, text] of [['plain field', plain], ['map value', map]] as const) {
    const { unresolved, findings } = check(text);
    assert.equal(unresolved.length, 1, `${what}: the binder reports the unknown type: ${JSON.stringify(unresolved)}`);
    assert.deepEqual(findings, [[], []], `${what}: no type change against the file nor the bundled index`);
  }
});

test('a map value that resolves is still compared: a message for a string is FIELD_TYPE_INCOMPATIBLE', NEEDS_CORPUS, () => {
  const text = replaceOnce(corpusText(TAG), LABELS, labelsOf('PodSandboxMetadata'));
  const { unresolved, findings } = check(text);
  assert.deepEqual(unresolved, []);
  for (const f of findings) assert.deepEqual(f, ['FIELD_TYPE_INCOMPATIBLE runtime.v1.PodSandboxAttributes.labels: field "PodSandboxAttributes.labels" changed type from map<string,string> to map<string,runtime.v1.PodSandboxMetadata>, which is not wire-compatible (baseline v0.36.3)']);
});
