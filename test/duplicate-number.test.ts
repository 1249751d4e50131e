// A new field typed on the number a released field of its message still holds (the KEP author's
// `bool pause_on_start = 17;` next to v0.36.3's supplemental_groups_policy = 17) is the binder's duplicate-number
// error, not FIELD_NUMBER_REUSED: the number did not change hands. The duplicate-number diagnostic offers the fix
// FIELD_NUMBER_REUSED had, the next free number, whichever of the two fields it is on; the same for an enum value
// on the number of a released value (without allow_alias). Against the release's file and the bundled index.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import type { Baseline } from '../server/src/baseline/types';
import { applyEdits, type TextEdit } from '../server/src/fixes';
import { elementPolicyHover } from '../server/src/features/policyHover';
import { codeActions } from '../server/src/lsp/codeActions';
import { problemToDiagnostic } from '../server/src/lsp/convert';
import { DUPLICATE_NUMBER, bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import { analyze, type Analysis } from '../server/src/service';
import { NEEDS_CORPUS, corpusText, replaceOnce } from './corpusText';

const TAG = 'v0.36.3';
const URI = 'file:///work/api.proto';
const SECCOMP = '    string seccomp_profile_path = 10 [deprecated=true];\n';
const POLICY = '    SupplementalGroupsPolicy supplemental_groups_policy = 17;\n';
const PAUSE = '    // pause_on_start pauses the container before its process starts.\n    bool pause_on_start = 17;\n';
const SCTP = '    SCTP = 2;\n}\n';

function baselines(): Baseline[] {
  const history = loadBundledHistory();
  return [
    { tag: TAG, source: 'path', origin: 'test', model: bind(parse(corpusText(TAG)), 'old.proto').model },
    { tag: TAG, source: 'bundled', origin: 'test', model: history.modelAt(TAG)!, history },
  ];
}

/** The code actions of the binder's duplicate-number error in `text` at the declaration `at` (its line). */
function duplicateNumberActions(text: string, at: string, baseline: Baseline): { analysis: Analysis; titles: string[]; apply: () => string } {
  const reanalyze = (t: string): Analysis => analyze(t, { uri: URI, baseline });
  const analysis = reanalyze(text);
  const line = text.split('\n').indexOf(at);
  const problem = analysis.bound.problems.find((p) => p.code === DUPLICATE_NUMBER && p.range.start.line === line);
  assert.ok(problem, `a duplicate-number on ${at}`);
  const actions = codeActions({ uri: URI, version: 1, text, analysis }, { diagnostics: [problemToDiagnostic(problem)], documentChanges: true, reanalyze });
  return {
    analysis,
    titles: actions.map((a) => `${a.isPreferred ? '* ' : ''}${a.title}`),
    // The first action: the only one in these tests.
    apply: () => applyEdits(text, (actions[0]!.edit!.documentChanges![0] as TextDocumentEdit).edits as TextEdit[]),
  };
}

const errorsOf = (a: Analysis): string[] => [
  ...a.bound.problems.filter((p) => p.severity === 'error').map((p) => p.message),
  ...a.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.element}`),
];

test('a new field on a released field\'s number: duplicate-number alone, whose fix is the next free number', NEEDS_CORPUS, () => {
  const b = corpusText(TAG);
  // After the last field (the error is on the new one), and before the released one (the error is on the released
  // one, and the fix still moves the new one).
  const after = replaceOnce(b, SECCOMP, SECCOMP + PAUSE);
  const before = replaceOnce(b, POLICY, PAUSE + POLICY);
  for (const baseline of baselines()) {
    for (const [text, at] of [[after, '    bool pause_on_start = 17;'], [before, POLICY.trimEnd()]] as const) {
      const what = `${baseline.source}, at ${at.trim()}`;
      const { analysis, titles, apply } = duplicateNumberActions(text, at, baseline);
      assert.deepEqual(analysis.findings.filter((f) => f.rule.includes('REUSED')).map((f) => f.message), [], what);
      // No "Ignore duplicate-number here": a comment does not make the file compile.
      // Named: on the released field's line, the fix edits another.
      assert.deepEqual(titles, ['* Give "pause_on_start" the next free number 18'], what);
      const fixed = apply();
      assert.equal(fixed, replaceOnce(text, 'bool pause_on_start = 17;', 'bool pause_on_start = 18;'), what);
      assert.deepEqual(errorsOf(analyze(fixed, { uri: URI, baseline })), [], what);
      // Fix-all (on save) moves it too, as it moved a reused number.
      const reanalyze = (t: string): Analysis => analyze(t, { uri: URI, baseline });
      const [all] = codeActions({ uri: URI, version: 1, text, analysis }, { diagnostics: [], only: ['source.fixAll'], documentChanges: true, reanalyze });
      const allFixed = applyEdits(text, (all!.edit!.documentChanges![0] as TextDocumentEdit).edits as TextEdit[]);
      assert.match(allFixed, /\n {4}bool pause_on_start = 18;\n/, what);
      assert.deepEqual(errorsOf(analyze(allFixed, { uri: URI, baseline })), [], what);
    }
  }
});

test('a new enum value on a released value\'s number, without allow_alias: duplicate-number alone, with the next free number', NEEDS_CORPUS, () => {
  const text = replaceOnce(corpusText(TAG), SCTP, '    SCTP = 2;\n    // QUIC is a test value.\n    QUIC = 1;\n}\n');
  for (const baseline of baselines()) {
    const { analysis, titles, apply } = duplicateNumberActions(text, '    QUIC = 1;', baseline);
    assert.deepEqual(analysis.findings.map((f) => f.rule), [], baseline.source);
    assert.deepEqual(titles, ['* Give "QUIC" the next free number 3'], baseline.source);
    assert.deepEqual(errorsOf(analyze(apply(), { uri: URI, baseline })), [], baseline.source);
  }
});

test('two new fields on a released field\'s number: the released field\'s error moves the one it names, preferred; each other error its own', NEEDS_CORPUS, () => {
  const AFTER = '    // pause_after_start is a test field.\n    bool pause_after_start = 17;\n';
  const text = replaceOnce(replaceOnce(corpusText(TAG), POLICY, PAUSE + POLICY), SECCOMP, SECCOMP + AFTER);
  const duplicates = (a: Analysis): string[] => a.bound.problems.filter((p) => p.code === DUPLICATE_NUMBER)
    .map((p) => `${text.split('\n')[p.range.start.line]!.trim()} ${p.message}`);
  for (const baseline of baselines()) {
    const released = duplicateNumberActions(text, POLICY.trimEnd(), baseline);
    assert.deepEqual(duplicates(released.analysis), [
      'SupplementalGroupsPolicy supplemental_groups_policy = 17; field number 17 is already used by "pause_on_start"',
      'bool pause_after_start = 17; field number 17 is already used by "pause_on_start"',
    ], baseline.source);
    // Preferred: what is left is pause_after_start's error, which was there before and now names the released field
    // (the fix check compares a binder error by the field it is on, not by the other field it names).
    assert.deepEqual(released.titles, ['* Give "pause_on_start" the next free number 18'], baseline.source);
    const fixed = released.apply();
    assert.equal(fixed, replaceOnce(text, 'bool pause_on_start = 17;', 'bool pause_on_start = 18;'), baseline.source);
    const after = analyze(fixed, { uri: URI, baseline });
    assert.deepEqual(duplicates(after), ['bool pause_after_start = 17; field number 17 is already used by "supplemental_groups_policy"'], baseline.source);
    assert.deepEqual(errorsOf(after), [duplicates(after)[0]!.replace(/^.*; /, '')], baseline.source);
    const later = duplicateNumberActions(text, '    bool pause_after_start = 17;', baseline);
    assert.deepEqual(later.titles, ['* Give "pause_after_start" the next free number 19'], baseline.source);
    // Fix-all (on save) moves both (what else it writes is other rules' fixes).
    const reanalyze = (t: string): Analysis => analyze(t, { uri: URI, baseline });
    const [all] = codeActions({ uri: URI, version: 1, text, analysis: released.analysis }, { diagnostics: [], only: ['source.fixAll'], documentChanges: true, reanalyze });
    const allFixed = applyEdits(text, (all!.edit!.documentChanges![0] as TextDocumentEdit).edits as TextEdit[]);
    assert.match(allFixed, /\n {4}bool pause_on_start = 18;\n[^]*\n {4}bool pause_after_start = 19;\n/, baseline.source);
    assert.deepEqual(errorsOf(reanalyze(allFixed)), [], baseline.source);
  }
});

test('two new enum values on a released value\'s number, without allow_alias: the released value\'s error moves the one it names, preferred', NEEDS_CORPUS, () => {
  const text = replaceOnce(corpusText(TAG), SCTP, '    // QUIC is a test value.\n    QUIC = 2;\n    SCTP = 2;\n    // HTTP3 is a test value.\n    HTTP3 = 2;\n}\n');
  for (const baseline of baselines()) {
    const released = duplicateNumberActions(text, '    SCTP = 2;', baseline);
    assert.deepEqual(released.titles, ['* Give "QUIC" the next free number 3'], baseline.source);
    assert.deepEqual(errorsOf(analyze(released.apply(), { uri: URI, baseline })),
      ['enum value number 2 is already used by "SCTP" (set option allow_alias = true to allow aliases)'], baseline.source);
  }
});

test('the hover of a new field or enum value on a released one\'s number: a duplicate number, neither a reuse nor an alias', NEEDS_CORPUS, () => {
  const b = corpusText(TAG);
  const QUIC = '    // QUIC is a test value.\n    QUIC = 2;\n';
  const cases: [string, string, RegExp][] = [
    [replaceOnce(b, SECCOMP, SECCOMP + PAUSE), 'pause_on_start', /^\*\*Duplicate number\*\*: `supplemental_groups_policy` still has 17, so the file does not compile/],
    [replaceOnce(b, POLICY, PAUSE + POLICY), 'pause_on_start', /^\*\*Duplicate number\*\*: `supplemental_groups_policy` still has 17, so the file does not compile/],
    [replaceOnce(b, SCTP, `    SCTP = 2;\n${QUIC}}\n`), 'QUIC', /^\*\*Duplicate number\*\*: `SCTP` still has 2, and the enum does not allow aliases, so the file does not compile/],
    [replaceOnce(b, SCTP, `${QUIC}    SCTP = 2;\n}\n`), 'QUIC', /^\*\*Duplicate number\*\*: `SCTP` still has 2, and the enum does not allow aliases, so the file does not compile/],
  ];
  for (const baseline of baselines()) {
    for (const [text, name, expected] of cases) {
      const a = analyze(text, { uri: URI, baseline });
      const [d] = (a.duplicates ?? []).filter((x) => x.element.endsWith(`.${name}`));
      assert.ok(d, `${name} is a duplicate`);
      const hover = elementPolicyHover(d.element, a.baseline, a.bound.model, a.findings) ?? '';
      assert.match(hover, expected, `${baseline.source}: ${hover}`);
      assert.doesNotMatch(hover, /reused|Alias of|New since/, baseline.source);
    }
  }
});

test('a released alias pair whose enum dropped allow_alias: one name per number, so a new name beside the one that stays, or beside the first new one, is a duplicate, not a rename', NEEDS_CORPUS, () => {
  const PROTOCOL = 'enum Protocol {\n    TCP = 0;\n    UDP = 1;\n    SCTP = 2;\n}\n';
  const protocol = (head: string, values: string): string => replaceOnce(corpusText(TAG), PROTOCOL, `enum Protocol {\n${head}    TCP = 0;\n    UDP = 1;\n${values}}\n`);
  const baseline: Baseline = {
    tag: TAG, source: 'path', origin: 'test', model: bind(parse(protocol('    option allow_alias = true;\n', '    SCTP = 2;\n    STREAM_CONTROL = 2;\n')), 'old.proto').model,
  };
  const QUIC = '    // QUIC is a test value.\n    QUIC = 2;\n';
  const STREAM_CONTROL = '    STREAM_CONTROL = 2;\n';
  // Without allow_alias, STREAM_CONTROL still holds 2 and QUIC is a second name the file may not give it, declared
  // before it or after it: the binder's duplicate-number, whose fix moves QUIC; not SCTP renamed to QUIC, which
  // would also have QUIC take a number it cannot have. SCTP is a name removed beside the alias that keeps 2.
  for (const [values, errorAt] of [[QUIC + STREAM_CONTROL, STREAM_CONTROL], [STREAM_CONTROL + QUIC, '    QUIC = 2;\n']] as const) {
    const text = protocol('', values);
    const { analysis, titles } = duplicateNumberActions(text, errorAt.trimEnd(), baseline);
    assert.deepEqual(analysis.findings.map((f) => `${f.rule} ${f.element}: ${f.message}`), [
      `ENUM_VALUE_RENAMED runtime.v1.Protocol.SCTP: enum value 2 "SCTP" was removed (baseline ${TAG}); only its alias "STREAM_CONTROL" remains`,
    ], values);
    const lineOf = (decl: string): number => text.split('\n').indexOf(decl);
    assert.deepEqual((analysis.duplicates ?? []).map((d) => [d.element, d.range.start.line, d.releasedRange.start.line]),
      [['runtime.v1.Protocol.QUIC', lineOf('    QUIC = 2;'), lineOf(STREAM_CONTROL.trimEnd())]], values);
    assert.deepEqual(titles, ['* Give "QUIC" the next free number 3'], values);
    const hover = elementPolicyHover('runtime.v1.Protocol.QUIC', analysis.baseline, analysis.bound.model, analysis.findings) ?? '';
    assert.match(hover, /^\*\*Duplicate number\*\*: `STREAM_CONTROL` still has 2, and the enum does not allow aliases, so the file does not compile/, values);
  }
  // Both names gone, two new ones: only the first can be the number's name, so it alone is a rename; the second
  // duplicates it, and STREAM_CONTROL is removed beside it.
  const text = protocol('', `${QUIC}    // STREAM is a test value.\n    STREAM = 2;\n`);
  const { analysis, titles } = duplicateNumberActions(text, '    STREAM = 2;', baseline);
  assert.deepEqual(analysis.findings.map((f) => `${f.rule} ${f.element}: ${f.message}`), [
    `ENUM_VALUE_RENAMED runtime.v1.Protocol.QUIC: enum value 2 "SCTP" was renamed to "QUIC" (baseline ${TAG})`,
    `ENUM_VALUE_RENAMED runtime.v1.Protocol.STREAM_CONTROL: enum value 2 "STREAM_CONTROL" was removed (baseline ${TAG}); only its alias "QUIC" remains`,
  ]);
  assert.deepEqual(titles, ['* Give "STREAM" the next free number 3']);
  const hover = elementPolicyHover('runtime.v1.Protocol.STREAM', analysis.baseline, analysis.bound.model, analysis.findings) ?? '';
  assert.match(hover, /^\*\*Duplicate number\*\*: `QUIC` still has 2, and the enum does not allow aliases, so the file does not compile/);
});
