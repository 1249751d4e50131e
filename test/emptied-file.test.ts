// A file with no top-level declaration left (the released v0.36.3 api.proto, the corpus, emptied of them but for its
// licence comment, syntax, package and options): every deletion has nothing of its own to point at. It is reported
// at the package name, so that the editor's squiggle and the CLI's line are on code; before, at the point 0:0, the
// `/*` of the licence comment.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkCompatibility } from '../server/src/compat/check';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import type { Baseline } from '../server/src/baseline/types';
import { NEEDS_CORPUS, corpusText } from './corpusText';

const TAG = 'v0.36.3';
const HEAD_END = 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1";\n';

/** The released file cut after its options: the licence comment, syntax, package and go_package only. */
function emptied(): string {
  const released = corpusText(TAG);
  const text = released.slice(0, released.indexOf(HEAD_END) + HEAD_END.length);
  assert.ok(text.startsWith('/*') && text.endsWith(HEAD_END));
  return text;
}

/** The findings of `text` against the release's file, as `line:character-line:character RULE`, and the file's lines. */
function findingsOf(text: string): { ranges: Set<string>; rules: Set<string>; count: number } {
  const baseline: Baseline = { tag: TAG, source: 'path', origin: 'test', model: bind(parse(corpusText(TAG)), 'old.proto').model };
  const bound = bind(parse(text), 'file:///work/api.proto');
  const findings = checkCompatibility(text, bound, baseline).findings;
  const at = (p: { line: number; character: number }): string => `${p.line}:${p.character}`;
  return { ranges: new Set(findings.map((f) => `${at(f.range.start)}-${at(f.range.end)}`)), rules: new Set(findings.map((f) => f.rule)), count: findings.length };
}

test('the deletions from a file with no declaration left are at its package name, not at 0:0', NEEDS_CORPUS, () => {
  const text = emptied();
  const line = text.split('\n').indexOf('package runtime.v1;');
  assert.ok(line > 0);
  const { ranges, rules, count } = findingsOf(text);
  assert.ok(count > 100, String(count));
  for (const r of ['SERVICE_NO_DELETE', 'MESSAGE_NO_DELETE', 'ENUM_NO_DELETE']) assert.ok(rules.has(r), r);
  // `package runtime.v1;`: the name, columns 8 to 18.
  assert.deepEqual([...ranges], [`${line}:8-${line}:18`]);
});
