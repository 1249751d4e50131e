// The policy part of the hover on an element (elementPolicyHover), as the server adds it to the hover there, for the
// tests of the skew wording.
import * as assert from 'node:assert/strict';
import type { Baseline } from '../server/src/baseline/types';
import { doHover } from '../server/src/features/hover';
import { elementPolicyHover } from '../server/src/features/policyHover';
import { analyze } from '../server/src/service';

/** The policy hover `offset` characters into the first line of `source` that holds `needle`, compared with `baseline`. */
export function policyHover(source: string, baseline: Baseline, needle: string, offset = 1): string {
  const a = analyze(source, { uri: 'file:///ws/api.proto', baseline });
  const lines = source.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  let extra: string | undefined;
  doHover(a.bound, { line, character: lines[line]!.indexOf(needle) + offset }, {
    extraHover: (e) => (extra = elementPolicyHover(e, a.baseline, a.bound.model, a.findings)),
  });
  assert.ok(extra, `a policy hover on ${needle}`);
  return extra;
}
