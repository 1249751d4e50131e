// A string value being typed (its closing quote not there yet, or a bad escape) is a syntax error, and only that:
// what is typed so far is no new json_name, go_package or reserved name to compare with the baseline.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import type { Baseline } from '../server/src/baseline/types';
import { analyze } from '../server/src/service';
import { NEEDS_CORPUS, newestCorpusText, replaceOnce } from './corpusText';

const VERSION = '    string version = 1;\n}\n\nmessage VersionResponse {';
const GO_PACKAGE = 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1";';

/** [what the baseline has instead of `from` (undefined: the release as it is), `from`, what is typed in its place]. */
const CASES: [released: string | undefined, from: string, typed: string][] = [
  [undefined, VERSION, VERSION.replace(';', ' [json_name = "ver')],
  [undefined, VERSION, VERSION.replace(';', ' [json_name = "ver\n')],
  [undefined, VERSION, VERSION.replace(';', ' [json_name = "ver\\q"];')],
  [VERSION.replace(';', ' [json_name = "ver"];'), VERSION, VERSION.replace(';', ' [json_name = "ver2')],
  [VERSION.replace(';', ' [json_name = "ver"];'), VERSION, VERSION.replace(';', ' [json_name = "ver" "2')],
  [undefined, GO_PACKAGE, 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1'],
  [undefined, GO_PACKAGE, 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v2'],
  [undefined, GO_PACKAGE, 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/\\qv1";'],
  [VERSION.replace(';', ';\n    reserved "old_version";'), VERSION, VERSION.replace(';', ';\n    reserved "old_vers')],
];

function findingsOf(released: string, text: string): { errors: number; findings: string[] } {
  const baseline: Baseline = { tag: 'v0.0.0-test', source: 'path', origin: 'test', model: bind(parse(released), 'released.proto').model };
  const a = analyze(text, { uri: 'file:///work/api.proto', baseline });
  return { errors: a.bound.ast.errors.length, findings: a.findings.map((f) => `${f.rule} ${f.message}`) };
}

test('a string value with a syntax error reports that error and no compatibility finding', NEEDS_CORPUS, () => {
  const release = newestCorpusText();
  const reported: string[] = [];
  for (const [was, from, typed] of CASES) {
    const released = was === undefined ? release : replaceOnce(release, from, was);
    const r = findingsOf(released, replaceOnce(release, from, typed));
    assert.ok(r.errors > 0, `${JSON.stringify(typed)}: a syntax error`);
    for (const f of r.findings) reported.push(`${JSON.stringify(typed)}: ${f}`);
  }
  assert.deepEqual(reported, []);
});

test('the same values, once their strings are closed, are compared', NEEDS_CORPUS, () => {
  const release = newestCorpusText();
  const json = findingsOf(release, replaceOnce(release, VERSION, VERSION.replace(';', ' [json_name = "ver"];')));
  assert.deepEqual([json.errors, json.findings.map((f) => f.split(' ')[0])], [0, ['FIELD_JSON_NAME_CHANGED']]);
  const go = findingsOf(release, replaceOnce(release, GO_PACKAGE, GO_PACKAGE.replace('v1', 'v2')));
  assert.deepEqual([go.errors, go.findings.map((f) => f.split(' ')[0])], [0, ['GO_PACKAGE_CHANGED']]);
  const reservedWas = replaceOnce(release, VERSION, VERSION.replace(';', ';\n    reserved "old_version";'));
  const reserved = findingsOf(reservedWas, replaceOnce(release, VERSION, VERSION.replace(';', ';\n    reserved "old_vers";')));
  assert.deepEqual([reserved.errors, reserved.findings.map((f) => f.split(' ')[0])], [0, ['RESERVED_REMOVED']]);
});
