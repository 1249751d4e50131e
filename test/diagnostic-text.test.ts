// Diagnostic messages quote what the file says (an import path, a json_name, a reserved name). The Problems panel
// and the editor's hover show them as plain text, with no highlighting of invisible characters, so a bidirectional
// override in a quoted string would show the rest of the message in another order (Trojan Source).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze } from '../server/src/service';
import { findingToDiagnostic, problemToDiagnostic } from '../server/src/lsp/convert';
import type { Finding } from '../server/src/compat/finding';

const RAW = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

test('a binder problem that quotes a bidi override or a control character shows it as an escape', () => {
  const text = 'syntax = "proto3";\npackage p;\nimport "a\u202eotorp.b";\nimport "c\x1b[2Jd.proto";\n';
  const problems = analyze(text, { uri: 'file:///w/p.proto' }).bound.problems;
  const messages = problems.map((p) => String(problemToDiagnostic(p).message));
  assert.ok(messages.some((m) => m.includes('a\\u202eotorp.b')), messages.join('\n'));
  assert.ok(messages.some((m) => m.includes('c\\u001b[2Jd.proto')), messages.join('\n'));
  for (const m of messages) assert.doesNotMatch(m, RAW, JSON.stringify(m));
});

test('a finding and its related information: the same, and line breaks in a message stay line breaks', () => {
  const finding = {
    rule: 'FIELD_JSON_NAME_CHANGED', category: 'JSON', severity: 'error', element: 'p.M.f',
    message: 'json_name changed from "a" to "b\u2067c"\nsee below',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    related: [{ message: 'released as "x\u202ay"', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } } }],
  } as unknown as Finding;
  const d = findingToDiagnostic(finding, 'file:///w/p.proto', { relatedInformation: true, codeDescription: true });
  assert.equal(d.message, 'json_name changed from "a" to "b\\u2067c"\nsee below');
  assert.equal(d.relatedInformation?.[0]?.message, 'released as "x\\u202ay"');
});
