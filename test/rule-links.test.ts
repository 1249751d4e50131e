// The page a finding or problem links to is the same wherever it is shown: the hover, the diagnostic, the report,
// SARIF and JSON all take it from one function (ruleHelpLink). A syntax or binding problem, which is no rule of
// cri-compat's and which protoc reports too, links the protobuf language specification, not a Kubernetes policy.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze } from '../server/src/service';
import { formatSarif, jsonReport, type Reportable } from '../server/src/report/formats';
import { renderReport } from '../server/src/report/markdown';
import { findingExplanation } from '../server/src/features/policyHover';
import { findingToDiagnostic, toDiagnostics } from '../server/src/lsp/convert';
import { Corpus, CORPUS_HELP, V1_PATH, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { RULES, ruleHelpLink } from '../server/src/compat/rules';
import { PROTOBUF_SPEC_URL } from '../server/src/policy/links';
import type { Finding } from '../server/src/compat/finding';

const corpusDir = findCorpusDir(findRepoRoot(__dirname));
const corpus = corpusDir ? new Corpus(corpusDir) : undefined;

const TEXT = 'syntax = "proto3";\npackage runtime.v1;\nmessage A {\n  Missing m = 1;\n}\n';

/** The SARIF rules of a run over these items, by id: their helpUri. */
function sarifLinks(items: Reportable[]): Map<string, string | undefined> {
  const sarif = JSON.parse(formatSarif({ absolute: '/ws/api.proto' }, items, { exitCode: 1, executionSuccessful: true, notifications: [] }));
  return new Map(sarif.runs[0].tool.driver.rules.map((r: { id: string; helpUri?: string }) => [r.id, r.helpUri]));
}

test('a binding problem links the protobuf spec in SARIF, JSON and the report alike', () => {
  const a = analyze(TEXT, { uri: 'file:///ws/api.proto' });
  const problem = a.bound.problems.find((p) => p.code === 'unresolved-type');
  assert.ok(problem, JSON.stringify(a.bound.problems));
  const item: Reportable = { rule: problem.code, severity: problem.severity, message: problem.message, range: problem.range };
  assert.equal(ruleHelpLink(problem.code), PROTOBUF_SPEC_URL);
  assert.equal(sarifLinks([item]).get('unresolved-type'), PROTOBUF_SPEC_URL);
  assert.equal(jsonReport('api.proto', undefined, [item]).findings[0]!.link, PROTOBUF_SPEC_URL);
  // The report's findings table, given one under an id that is no rule, links the same page (not the skew policy).
  const asFinding = { ...item, category: 'WIRE', element: 'runtime.v1.A.m' } as Finding;
  const md = renderReport({ file: 'api.proto', findings: [asFinding], additions: [], host: 'cli' });
  assert.ok(md.includes(`[unresolved-type](${PROTOBUF_SPEC_URL})`), md);
});

test("every rule's link is the same in the hover, the diagnostic, SARIF, JSON and the report", () => {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  const findings: Finding[] = RULES.map((r) => ({ rule: r.id, category: r.category, severity: r.severity, message: 'm', range, element: 'runtime.v1.A' }));
  const sarif = sarifLinks(findings);
  const json = jsonReport('api.proto', undefined, findings).findings;
  const md = renderReport({ file: 'api.proto', findings, additions: [], host: 'cli' });
  findings.forEach((f, i) => {
    const link = ruleHelpLink(f.rule);
    assert.equal(sarif.get(f.rule), link, f.rule);
    assert.equal(json[i]!.link, link ?? null, f.rule);
    assert.equal(findingToDiagnostic(f, 'file:///ws/api.proto', { codeDescription: true, relatedInformation: true }).codeDescription?.href, link, f.rule);
    const hover = findingExplanation(f, undefined);
    if (link) {
      assert.ok(hover.includes(`[Why this matters](${link})`), f.rule);
      assert.ok(md.includes(`[${f.rule}](${link})`), f.rule);
    } else {
      assert.doesNotMatch(hover, /Why this matters/, f.rule);
      assert.ok(md.includes(`| ${f.rule} |`), f.rule);
    }
  });
});

test('syntax and binding diagnostics in the editor link their page as findings do, when the client shows links', { skip: corpus ? false : CORPUS_HELP }, () => {
  // v0.36.3's api.proto with a field of an undeclared type and a statement cut short.
  const row = corpus!.rows.find((r) => r.tag === 'v0.36.3' && r.path === V1_PATH)!;
  const text = corpus!.text(row.blob)
    .replace('message VersionRequest {', 'message VersionRequest {\n    NoSuchType broken = 9;\n    int32 cut =');
  const a = analyze(text, { uri: 'file:///ws/api.proto' });
  const codes = new Set(a.bound.problems.map((p) => p.code));
  assert.ok(codes.has('syntax') && codes.has('unresolved-type'), [...codes].join(', '));
  const shown = toDiagnostics(a, 'file:///ws/api.proto', { relatedInformation: true, codeDescription: true });
  for (const p of a.bound.problems) {
    const d = shown.find((x) => x.code === p.code && x.range.start.line === p.range.start.line);
    assert.equal(d?.codeDescription?.href, ruleHelpLink(p.code), `${p.code}: ${p.message}`);
    assert.equal(d?.codeDescription?.href, PROTOBUF_SPEC_URL);
  }
  // A client that does not show links gets none, as for findings.
  assert.ok(toDiagnostics(a, 'file:///ws/api.proto', { relatedInformation: false, codeDescription: false }).every((d) => d.codeDescription === undefined));
});
