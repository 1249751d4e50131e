// The suppression rules are about cri-compat's own comments, which no Kubernetes policy page mentions: they link
// nothing, in every place that shows a rule's link (diagnostic, SARIF, report, hover, Explain Rule…).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { RULES_BY_ID } from '../server/src/compat/rules';
import { CRI_SKEW_POLICY_URL } from '../server/src/policy/links';
import { formatSarif } from '../server/src/report/formats';
import { renderReport } from '../server/src/report/markdown';
import { findingExplanation } from '../server/src/features/policyHover';
import { findingToDiagnostic } from '../server/src/lsp/convert';
import { ruleMarkdown } from '../client/src/render';
import { analyze } from '../server/src/service';
import { NEEDS_CORPUS, newestCorpusText, replaceOnce } from './corpusText';

const SUPPRESSIONS = ['SUPPRESSION_WITHOUT_REASON', 'SUPPRESSION_UNUSED'];

test('rule links: none for the suppression rules; the patch-release rule links the skew policy, which covers patch releases', () => {
  for (const id of SUPPRESSIONS) assert.equal(RULES_BY_ID.get(id)!.link, undefined, id);
  assert.equal(RULES_BY_ID.get('PATCH_RELEASE_API_CHANGE')!.link, CRI_SKEW_POLICY_URL);
});

test('findings of the suppression rules show no policy link anywhere', NEEDS_CORPUS, () => {
  const released = newestCorpusText();
  const field = 'message VersionRequest {';
  // No reason after the rule id, and a rule that reports nothing there.
  const text = replaceOnce(released, field, `// cri-compat:ignore FIELD_NO_DELETE\n${field}`);
  const baseline = { tag: 'released', source: 'path' as const, origin: 'test', model: analyze(released, { uri: 'file:///b.proto' }).bound.model };
  const a = analyze(text, { uri: 'file:///ws/api.proto', baseline });
  const found = a.findings.filter((f) => SUPPRESSIONS.includes(f.rule));
  assert.deepEqual(found.map((f) => f.rule).sort(), [...SUPPRESSIONS].sort());

  const sarif = JSON.parse(formatSarif({ absolute: '/ws/api.proto', root: '/ws', relative: 'api.proto' }, found, { exitCode: 1, executionSuccessful: true, notifications: [] }));
  for (const r of sarif.runs[0].tool.driver.rules) {
    assert.equal(r.helpUri, undefined, r.id);
    assert.equal(r.help.text, RULES_BY_ID.get(r.id)!.explanation, r.id);
  }
  const md = renderReport({ file: 'api.proto', baseline, findings: found, additions: [] });
  for (const id of SUPPRESSIONS) assert.match(md, new RegExp(`\\| ${id} \\|`), md);
  assert.doesNotMatch(md, /\]\(https:/);
  for (const f of found) {
    const hover = findingExplanation(f, baseline);
    assert.doesNotMatch(hover, /Why this matters|https:/, hover);
    assert.match(hover, /Suppress with `\/\/ cri-compat:ignore /);
    assert.equal(findingToDiagnostic(f, 'file:///ws/api.proto', { relatedInformation: true, codeDescription: true }).codeDescription, undefined);
    const r = RULES_BY_ID.get(f.rule)!;
    assert.doesNotMatch(ruleMarkdown({ ...r, link: r.link }), /Policy and background|https:/);
  }
});
