// Tests of how the language server checks the fixes it offers (server/src/lsp/codeActions.ts): a preferred
// quick fix and "fix all" (source.fixAll.criCompat) must not leave the file with an error it did not have,
// neither a compatibility finding nor a binder problem, nor a worse error of the same rule and element (a binder
// error that only names another field than before is the same one); each diagnostic gets the fixes of its own
// finding, also where two findings share rule, element and range; fix-all falls back to an element's next fix when
// its best one fails, retries in the next round a fix that failed only together with another, and makes a bounded
// number of analyses.
//
// Bundled by esbuild into out/test/fix-checks.test.js and run with `node --test`; the real-data test needs the
// corpus (CRI_API_CORPUS, see findCorpusDir) and skips with CORPUS_HELP without it.
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol/node';

import { parse } from '../server/src/proto/parser';
import { bind } from '../server/src/proto/binder';
import { analyze, type Analysis } from '../server/src/service';
import { Corpus, CORPUS_HELP, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import type { Baseline } from '../server/src/baseline/types';
import type { Finding } from '../server/src/compat/finding';
import { applyEdits, checkNonOverlapping, computeFixes, type TextEdit } from '../server/src/fixes';
import { codeActions, findingFor, REQUEST_ANALYSES, type Snapshot } from '../server/src/lsp/codeActions';
import { FIX_ALL_ANALYSES } from '../server/src/lsp/fixAll';
import { checkEdits } from '../server/src/lsp/fixChecks';
import { isReserved } from '../server/src/proto/model';
import { findingToDiagnostic, problemToDiagnostic } from '../server/src/lsp/convert';
import { withoutMemberName } from './fixTitles';

// ---------------------------------------------------------------------------
// helpers (as in fixes.test.ts)

const REPO_ROOT = findRepoRoot(__dirname);
const CORPUS_DIR = findCorpusDir(REPO_ROOT);
const TAG = 'v0.36.3';
const OLD: string = CORPUS_DIR ? new Corpus(CORPUS_DIR).textOf(TAG) ?? '' : '';
const URI = 'file:///work/api.proto';
const HEADER = 'syntax = "proto3";\npackage demo.v1;\n\n';

function baselineOf(text: string, tag = TAG): Baseline {
  return { tag, source: 'path', origin: 'test', model: bind(parse(text), 'old').model };
}

function run(text: string, baseline: Baseline): Analysis {
  return analyze(text, { uri: URI, baseline });
}

/** Replaces the single occurrence of `from` (asserting there is exactly one). */
function edit(text: string, from: string, to: string): string {
  const k = text.indexOf(from);
  assert.ok(k >= 0, `not found: ${JSON.stringify(from)}`);
  assert.equal(text.indexOf(from, k + 1), -1, `not unique: ${JSON.stringify(from)}`);
  return text.slice(0, k) + to + text.slice(k + from.length);
}

/** Analyzes a text against a baseline (the server's `reanalyze`). */
type Analyzer = (text: string) => Analysis;
const against = (baseline: Baseline): Analyzer => (t) => run(t, baseline);

function snapshot(text: string, reanalyze: Analyzer): Snapshot {
  return { uri: URI, version: 3, text, analysis: reanalyze(text) };
}

function actionEdits(action: CodeAction): TextEdit[] {
  const dc = action.edit?.documentChanges;
  assert.ok(dc && dc.length === 1, JSON.stringify(action.edit));
  return (dc[0] as TextDocumentEdit).edits as TextEdit[];
}

function diagnostic(f: Finding, withData = true): Diagnostic {
  const d = findingToDiagnostic(f, URI, { relatedInformation: true, codeDescription: true });
  if (!withData) delete d.data;
  return d;
}

/** The quick fixes the light bulb shows for some diagnostics. */
function quickFixes(text: string, reanalyze: Analyzer, diagnostics: Diagnostic[]): CodeAction[] {
  return codeActions(snapshot(text, reanalyze), { diagnostics, only: ['quickfix'], documentChanges: true, reanalyze });
}

/** What "fix all" (as on save) offers for a text: its edits, [] for none. */
function fixAllOf(text: string, reanalyze: Analyzer): TextEdit[] {
  const actions = codeActions(snapshot(text, reanalyze), { diagnostics: [], only: ['source.fixAll'], documentChanges: true, reanalyze });
  if (!actions.length) return [];
  assert.equal(actions.length, 1);
  return actionEdits(actions[0]!);
}

/** The text with the edits applied, checked to be well-formed first. */
function applied(text: string, edits: TextEdit[]): string {
  checkNonOverlapping(text, edits);
  return applyEdits(text, edits);
}

/**
 * Every error of an analysis, as `label` (findings by rule and element, binder problems by code and message)
 * and `key`: a finding's key adds what it says, its message without numbers and the kinds of its fixes, so that
 * a worse error of the same rule and element ("…; "c" now uses it", without the "reserve" fix) counts as new.
 */
function errorItems(a: Analysis): { label: string; key: string }[] {
  return [
    ...a.findings.filter((f) => f.severity === 'error').map((f) => ({
      label: `${f.rule} ${f.element}`,
      key: `${f.rule} ${f.element} ${f.message.replace(/\d+/g, '#')} ${(f.fixes ?? []).map((x) => x.kind).join(',')}`,
    })),
    ...a.bound.problems.filter((p) => p.severity === 'error').map((p) => ({ label: `binder ${p.code}: ${p.message}`, key: `binder ${p.code}: ${p.message}` })),
  ];
}

/** Every error of an analysis: findings by rule and element, binder problems by code and message. */
function errors(a: Analysis): string[] {
  return errorItems(a).map((e) => e.label).sort();
}

/** The errors of `after` that `before` does not have (as multisets of keys), by label. */
function addedErrors(before: Analysis, after: Analysis): string[] {
  const left = errorItems(before).map((e) => e.key);
  return errorItems(after).filter((e) => {
    const k = left.indexOf(e.key);
    if (k < 0) return true;
    left.splice(k, 1);
    return false;
  }).map((e) => e.label).sort();
}

/** The light bulb's preferred fix for every finding of `text`, and fix-all: none adds an error. */
function assertNothingAddsErrors(text: string, reanalyze: Analyzer): void {
  const before = reanalyze(text);
  for (const f of before.findings) {
    for (const a of quickFixes(text, reanalyze, [diagnostic(f)]).filter((x) => x.isPreferred)) {
      const after = reanalyze(applied(text, actionEdits(a)));
      assert.deepEqual(addedErrors(before, after), [], `the preferred fix "${a.title}" of ${f.rule} ${f.element} adds no error`);
    }
  }
  const after = reanalyze(applied(text, fixAllOf(text, reanalyze)));
  assert.deepEqual(addedErrors(before, after), [], 'fix-all adds no error');
  assert.ok(errors(after).length <= errors(before).length, 'fix-all leaves no more errors than there were');
}

const PROTOCOL = 'runtime.v1.PortMapping.protocol';
/** v0.36.3 with PortMapping's `Protocol protocol = 1;` turned into `string protocol = 5;`. */
const PROTOCOL_RETYPED = (): string => edit(OLD, '    Protocol protocol = 1;', '    string protocol = 5;');

/**
 * The analysis as compare.ts made it when the audit found fix-all's defect: a field whose number changed is not
 * compared further, so its type change shows only once the number is restored.
 */
function typeChangeHiddenByNumberChange(baseline: Baseline): Analyzer {
  return (t) => {
    const a = run(t, baseline);
    const renumbered = new Set(a.findings.filter((f) => f.rule === 'FIELD_NUMBER_CHANGED').map((f) => f.element));
    return { ...a, findings: a.findings.filter((f) => !(f.rule === 'FIELD_TYPE_INCOMPATIBLE' && renumbered.has(f.element))) };
  };
}

/** "Fix all" for a text, and how many analyses it made (besides the one of the text itself). */
function fixAllCounted(text: string, reanalyze: Analyzer): { edits: TextEdit[]; calls: number } {
  const snap = snapshot(text, reanalyze);
  let calls = 0;
  const counted: Analyzer = (t) => {
    calls++;
    return reanalyze(t);
  };
  const actions = codeActions(snap, { diagnostics: [], only: ['source.fixAll'], documentChanges: true, reanalyze: counted });
  return { edits: actions.length ? actionEdits(actions[0]!) : [], calls };
}

/**
 * FIELD_NUMBER_REUSED's "next free number" as check.ts chose it when the audit found these defects: the lowest
 * number the current message neither uses nor reserves, the same for two reused fields of one message, and
 * one whose reservation the baseline had (and the current text dropped).
 */
function lowestFreeNumber(baseline: Baseline): Analyzer {
  return (t) => {
    const a = run(t, baseline);
    const findings = a.findings.map((f) => {
      if (f.rule !== 'FIELD_NUMBER_REUSED' || !f.fixes?.some((x) => x.kind === 'renumber')) return f;
      const msg = a.bound.model.messages.find((m) => m.fqn === f.element.slice(0, f.element.lastIndexOf('.')))!;
      let n = 1;
      while (msg.fields.some((x) => x.number === n) || isReserved(msg.reservedNumbers, n)) n++;
      return { ...f, fixes: f.fixes.map((x) => (x.kind === 'renumber' ? { ...x, to: n, label: `Give "${f.element.slice(f.element.lastIndexOf('.') + 1)}" the next free number ${n}` } : x)) };
    });
    return { ...a, findings };
  };
}

/** The analysis with binder errors that say nothing of where they are: fix-all cannot tell whose fix caused them. */
function problemsNowhere(reanalyze: Analyzer): Analyzer {
  const nowhere = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return (t) => {
    const a = reanalyze(t);
    const problems = a.bound.problems.map((p) => (p.severity === 'error' ? { ...p, range: nowhere, message: p.message.replace(/"/g, '') } : p));
    return { ...a, bound: { ...a.bound, problems } };
  };
}

/** A message whose `foo_bar` (fields k, k + 1, …) were deleted and fields `fooBar` (same JSON names) added. */
function jsonClashes(messages: number, perMessage: number): { old: string; text: string } {
  let old = HEADER;
  let text = HEADER;
  for (let m = 0; m < messages; m++) {
    old += `// M${m} doc.\nmessage M${m} {\n  // a doc\n  int32 a = 1;\n`;
    text += `// M${m} doc.\nmessage M${m} {\n  // a doc\n  int32 a = 1;\n`;
    for (let k = 0; k < perMessage; k++) {
      old += `  // f${k} doc\n  int32 foo_bar_${k} = ${k + 2};\n`;
      text += `  // f${k} doc\n  int32 fooBar_${k} = ${k + 100};\n`;
    }
    old += '}\n';
    text += '}\n';
  }
  return { old, text };
}

// ---------------------------------------------------------------------------

describe('fix checks', () => {
  // The audit's case. Since compare.ts reports the type change next to the number change, restoring the number
  // no longer adds an error; the checks must hold either way.
  test('A: fix-all and the preferred fix add no error (v0.36.3, Protocol protocol = 1 → string protocol = 5)', { skip: OLD ? false : CORPUS_HELP }, () => {
    const history = loadBundledHistory();
    const baselines: [string, Baseline][] = [['the v0.36.3 text', baselineOf(OLD)]];
    if (history.modelAt(TAG)) baselines.push(['the bundled v0.36.3', { tag: TAG, source: 'bundled', origin: 'test', model: history.modelAt(TAG)!, history }]);
    for (const [name, baseline] of baselines) {
      const before = run(PROTOCOL_RETYPED(), baseline);
      assert.ok(before.findings.some((f) => f.rule === 'FIELD_NUMBER_CHANGED' && f.element === PROTOCOL), `${name}: the number change is reported`);
      assertNothingAddsErrors(PROTOCOL_RETYPED(), against(baseline));
    }
  });

  // The same edit analyzed as compare.ts did when the audit found the defect: the type change is reported only
  // once the number is restored. The light bulb then does not prefer "Restore the original number 1"; fix-all
  // applied it all the same.
  test('A: fix-all leaves out a fix the light bulb demoted because it adds an error', { skip: OLD ? false : CORPUS_HELP }, () => {
    const text = PROTOCOL_RETYPED();
    const reanalyze = typeChangeHiddenByNumberChange(baselineOf(OLD));
    const before = reanalyze(text);
    assert.deepEqual(errors(before), [`FIELD_NUMBER_CHANGED ${PROTOCOL}`]);
    const changed = before.findings.find((f) => f.rule === 'FIELD_NUMBER_CHANGED')!;
    const restore = computeFixes(text, before.bound, changed).find((x) => x.title === 'Restore the original number 1');
    assert.ok(restore?.isPreferred, 'restoring the number is the finding\'s preferred fix');
    assert.deepEqual(addedErrors(before, reanalyze(applied(text, restore.edits))), [`FIELD_TYPE_INCOMPATIBLE ${PROTOCOL}`]);

    const actions = quickFixes(text, reanalyze, [diagnostic(changed)]);
    assert.ok(actions.some((a) => a.title === restore.title && !a.isPreferred), 'offered, not preferred');
    assert.deepEqual(fixAllOf(text, reanalyze), [], 'fix-all has nothing else to do');
    assertNothingAddsErrors(text, reanalyze);
  });

  test('A: fix-all keeps the fixes that add no error next to one that would (a deleted field too)', { skip: OLD ? false : CORPUS_HELP }, () => {
    const port = '    // Port number within the container. Default: 0 (not specified).\n    int32 container_port = 2;\n';
    const text = edit(PROTOCOL_RETYPED(), port, '');
    const reanalyze = typeChangeHiddenByNumberChange(baselineOf(OLD));
    const before = reanalyze(text);
    assert.ok(before.findings.some((f) => f.rule === 'FIELD_NO_DELETE' && f.element === 'runtime.v1.PortMapping.container_port'));
    assertNothingAddsErrors(text, reanalyze);
    const after = reanalyze(applied(text, fixAllOf(text, reanalyze)));
    assert.deepEqual(errors(after), [`FIELD_NUMBER_CHANGED ${PROTOCOL}`], 'the deleted field is fixed all the same, the number change left to the user');
  });

  test('B: a fix that makes the file invalid (a binder error, no finding) is neither preferred nor applied by fix-all', () => {
    // foo_bar renamed to baz, next to a new field fooBar: restoring the name "foo_bar" gives two fields with
    // the JSON name "fooBar", which protoc rejects; no compatibility rule reports it.
    const baseline = baselineOf(`${HEADER}// A doc.\nmessage A {\n  // a doc\n  int32 foo_bar = 1;\n}\n`, 'v0.1.0');
    const text = `${HEADER}// A doc.\nmessage A {\n  // a doc\n  int32 baz = 1;\n  // b doc\n  int32 fooBar = 2;\n}\n`;
    const before = run(text, baseline);
    assert.deepEqual(errors(before), ['FIELD_RENAMED demo.v1.A.baz']);
    const renamed = before.findings.find((f) => f.rule === 'FIELD_RENAMED')!;
    const restore = computeFixes(text, before.bound, renamed).find((x) => x.isPreferred);
    assert.equal(restore?.title, 'Restore the original name "foo_bar"', 'the finding\'s only fix (besides ignoring it) restores the name');
    const restored = run(applied(text, restore.edits), baseline);
    assert.deepEqual(restored.findings.filter((f) => f.severity === 'error'), [], 'no finding says the fix is wrong');
    assert.deepEqual(addedErrors(before, restored).map((e) => e.split(':')[0]), ['binder duplicate-json-name']);

    const actions = quickFixes(text, against(baseline), [diagnostic(renamed)]);
    assert.ok(actions.some((a) => a.title === restore.title), 'still offered');
    assert.deepEqual(actions.filter((a) => a.isPreferred).map((a) => a.title), [], 'but not preferred');
    assert.deepEqual(fixAllOf(text, against(baseline)), [], 'and not applied by fix-all');
    assertNothingAddsErrors(text, against(baseline));
  });

  test('C: two findings of one rule, element and range (a deleted `reserved 7, 9 to 11;`) each get their own fixes', () => {
    const old = `${HEADER}// A doc.\nmessage A {\n  reserved 7, 9 to 11;\n  reserved "old", "older";\n  // a doc\n  int32 a = 1;\n  int32 b = 2;\n}\n`;
    const baseline = baselineOf(old);
    const text = edit(old, '  reserved 7, 9 to 11;\n', '');
    const a = run(text, baseline);
    const both = a.findings.filter((f) => f.rule === 'RESERVED_REMOVED');
    assert.deepEqual(both.map((f) => f.message.replace(/ \(.*/, '')), ['message "A" no longer reserves number 7', 'message "A" no longer reserves numbers 9 to 11']);
    assert.equal(both[0]!.element, both[1]!.element);
    assert.deepEqual(both[0]!.range, both[1]!.range);

    const stillReported = (out: string, f: Finding): boolean => run(out, baseline).findings.some((x) => x.rule === f.rule && x.message === f.message);
    for (const withData of [true, false]) {
      const ds = both.map((f) => diagnostic(f, withData));
      ds.forEach((d, k) => assert.equal(findingFor(a, d), both[k], `${withData ? 'with' : 'without'} data: ${d.message}`));
      // One diagnostic at a time, and both in one request (as the light bulb asks at that line), in either order.
      for (const request of [[ds[0]!], [ds[1]!], ds, [...ds].reverse()]) {
        for (const action of quickFixes(text, against(baseline), request).filter((x) => x.isPreferred)) {
          const out = applied(text, actionEdits(action));
          for (const d of action.diagnostics ?? []) {
            const f = both[ds.indexOf(d)]!;
            assert.ok(!stillReported(out, f), `the preferred fix "${action.title}" of "${d.message}" clears it`);
          }
        }
      }
    }
    // The fix of number 7 is offered for number 7 only.
    const forRange = quickFixes(text, against(baseline), [diagnostic(both[1]!)]);
    assert.ok(!forRange.some((x) => x.title === 'Reserve number 7'), forRange.map((x) => x.title).join(', '));
  });

  test('D: fix-all falls back to the clean fix of an element whose best fix makes the file invalid (a deleted field whose JSON name clashes)', () => {
    // foo_bar deleted and fooBar added: "Deprecate instead of deleting" (the fix that clears both findings of
    // foo_bar) and "Restore the field" give two fields the JSON name "fooBar"; reserving number and name is clean.
    const baseline = baselineOf(`${HEADER}// A doc.\nmessage A {\n  // a doc\n  int32 a = 1;\n  // foo_bar doc\n  int32 foo_bar = 2;\n}\n`, 'v0.1.0');
    const text = `${HEADER}// A doc.\nmessage A {\n  // a doc\n  int32 a = 1;\n  // fooBar doc\n  int32 fooBar = 3;\n}\n`;
    const reanalyze = against(baseline);
    const before = reanalyze(text);
    assert.deepEqual(errors(before), ['FIELD_NO_DELETE demo.v1.A.foo_bar']);
    const deleted = before.findings.find((f) => f.rule === 'FIELD_NO_DELETE')!;
    const fixes = computeFixes(text, before.bound, deleted);
    const deprecate = fixes.find((x) => withoutMemberName(x.title) === 'Deprecate instead of deleting')!;
    assert.deepEqual(addedErrors(before, reanalyze(applied(text, deprecate.edits))).map((e) => e.split(':')[0]), ['binder duplicate-json-name']);
    const reserve = fixes.find((x) => x.isPreferred)!;
    assert.equal(reserve.title, 'Reserve number 2 and name "foo_bar"');

    const out = applied(text, fixAllOf(text, reanalyze));
    const after = reanalyze(out);
    assert.deepEqual(errors(after), [], 'FIELD_NO_DELETE is fixed');
    assert.deepEqual(addedErrors(before, after), []);
    assert.match(out, /reserved 2;/);
    assert.match(out, /reserved "foo_bar";/);
    assertNothingAddsErrors(text, reanalyze);
  });

  test('D: fix-all makes a bounded number of analyses where many best fixes fail (60 deleted fields whose JSON names clash)', () => {
    const { old, text } = jsonClashes(30, 2);
    const baseline = baselineOf(old, 'v0.1.0');
    for (const [name, analyzer] of [['the analysis', against(baseline)], ['binder errors that say nothing of where they are', problemsNowhere(against(baseline))]] as const) {
      const before = analyzer(text);
      assert.equal(before.findings.filter((f) => f.rule === 'FIELD_NO_DELETE').length, 60, name);
      const { edits, calls } = fixAllCounted(text, analyzer);
      const out = applied(text, edits);
      assert.ok(calls <= FIX_ALL_ANALYSES, `${name}: ${calls} analyses, at most ${FIX_ALL_ANALYSES}`);
      const after = analyzer(out);
      assert.deepEqual(addedErrors(before, after), [], `${name}: fix-all adds no error`);
      if (name === 'the analysis') {
        // Whose fix failed is told by the failed text itself: two analyses in the round that reserves every field
        // (one where all deprecations fail, one where all reservations pass), a few in the next (the fields'
        // warnings, removed without deprecation, have only fixes that clash), instead of two or more per field.
        assert.ok(calls <= 8, `${name}: ${calls} analyses`);
        assert.deepEqual(errors(after), [], `${name}: every FIELD_NO_DELETE is fixed`);
      } else {
        assert.ok(errors(after).length < 60, `${name}: some are fixed all the same (${errors(after).length} left)`);
      }
    }
  });

  test('E: fix-all tries again in the next round a fix that failed only together with another (two reused numbers given one free number)', () => {
    const baseline = baselineOf(`${HEADER}// A doc.\nmessage A {\n  // a doc\n  int32 a = 1;\n  // b doc\n  int32 b = 2;\n  // c doc\n  int32 c = 3;\n}\n`, 'v0.1.0');
    const text = `${HEADER}// A doc.\nmessage A {\n  // x doc\n  string x = 1;\n  // y doc\n  string y = 2;\n  // c doc\n  int32 c = 3;\n}\n`;
    for (const [name, reanalyze] of [['the analysis', lowestFreeNumber(baseline)], ['binder errors that say nothing of where they are', problemsNowhere(lowestFreeNumber(baseline))]] as const) {
      const before = reanalyze(text);
      assert.deepEqual(errors(before), ['FIELD_NUMBER_REUSED demo.v1.A.x', 'FIELD_NUMBER_REUSED demo.v1.A.y'], name);
      const fixesOf = (el: string): string[] => computeFixes(text, before.bound, before.findings.find((f) => f.element === el)!).filter((x) => x.isPreferred).map((x) => x.title);
      assert.deepEqual([fixesOf('demo.v1.A.x'), fixesOf('demo.v1.A.y')], [['Give "x" the next free number 4'], ['Give "y" the next free number 4']], name);
      const after = reanalyze(applied(text, fixAllOf(text, reanalyze)));
      assert.deepEqual(addedErrors(before, after), [], `${name}: fix-all adds no error`);
      assert.deepEqual(errors(after), [], `${name}: both fields are moved, y in the round after x`);
    }
  });

  test('F: a fix that turns an error into a worse one of the same rule and element adds an error (a reused number moved to one whose reservation was dropped)', () => {
    // Number 3 was reserved, number 2 reused: moving "c" to 3 turns "no longer reserves number 3" into
    // "…; "c" now uses it", which has no "reserve" fix.
    const baseline = baselineOf(`${HEADER}// A doc.\nmessage A {\n  reserved 3;\n  // a doc\n  int32 a = 1;\n  // b doc\n  int32 b = 2;\n}\n`, 'v0.1.0');
    const text = `${HEADER}// A doc.\nmessage A {\n  // a doc\n  int32 a = 1;\n  // c doc\n  string c = 2;\n}\n`;
    const reanalyze = lowestFreeNumber(baseline);
    const before = reanalyze(text);
    assert.deepEqual(errors(before), ['FIELD_NUMBER_REUSED demo.v1.A.c', 'RESERVED_REMOVED demo.v1.A']);
    const reused = before.findings.find((f) => f.rule === 'FIELD_NUMBER_REUSED')!;
    const moveTo3 = computeFixes(text, before.bound, reused).find((x) => x.isPreferred)!;
    assert.equal(moveTo3.title, 'Give "c" the next free number 3');
    const moved = reanalyze(applied(text, moveTo3.edits));
    const worse = moved.findings.filter((f) => f.rule === 'RESERVED_REMOVED');
    assert.equal(worse.length, 1, 'still one RESERVED_REMOVED of A');
    assert.match(worse[0]!.message, /"c" now uses it/);
    assert.ok(addedErrors(before, moved).includes('RESERVED_REMOVED demo.v1.A'), 'the worse one counts as new');

    const actions = quickFixes(text, reanalyze, [diagnostic(reused)]);
    assert.ok(!actions.some((a) => a.isPreferred && a.title.startsWith('Give "c" the next free number 3')), actions.map((a) => `${a.title}${a.isPreferred ? ' (preferred)' : ''}`).join(', '));
    assertNothingAddsErrors(text, reanalyze);
  });

  test('F: an error that a fix only renumbers is not a new one (a moved field moved on to a free number)', () => {
    // "a" moved from 1 to 5, which "z" had: moving it on to a free number changes "changed its number from 1
    // to 5" into "… from 1 to N", the same error.
    const baseline = baselineOf(`${HEADER}// A doc.\nmessage A {\n  // a doc\n  int32 a = 1;\n  // z doc\n  int32 z = 5;\n}\n`, 'v0.1.0');
    const text = `${HEADER}// A doc.\nmessage A {\n  // a doc\n  int32 a = 5;\n}\n`;
    const before = run(text, baseline);
    assert.deepEqual(errors(before), ['FIELD_NUMBER_CHANGED demo.v1.A.a', 'FIELD_NUMBER_REUSED demo.v1.A.a']);
    const reused = before.findings.find((f) => f.rule === 'FIELD_NUMBER_REUSED')!;
    const preferred = quickFixes(text, against(baseline), [diagnostic(reused)]).filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1);
    assert.match(preferred[0]!.title, /^Give "a" the next free number \d+ and keep "z" as deprecated$/);
    const after = run(applied(text, actionEdits(preferred[0]!)), baseline);
    assert.deepEqual(errors(after), ['FIELD_NUMBER_CHANGED demo.v1.A.a']);
    assert.notEqual(after.findings.find((f) => f.rule === 'FIELD_NUMBER_CHANGED')!.message, before.findings.find((f) => f.rule === 'FIELD_NUMBER_CHANGED')!.message);
    assertNothingAddsErrors(text, against(baseline));
  });

  test('F: a binder error that only names another field is not a new one (two new fields on a released field\'s number, the first moved away)', () => {
    const baseline = baselineOf(`${HEADER}// A doc.\nmessage A {\n  // a doc\n  int32 a = 1;\n}\n`, 'v0.1.0');
    const text = `${HEADER}// A doc.\nmessage A {\n  // x doc\n  int32 x = 1;\n  // a doc\n  int32 a = 1;\n  // y doc\n  int32 y = 1;\n}\n`;
    const reanalyze = against(baseline);
    const before = reanalyze(text);
    const onLine = (a: Analysis, t: string): string[] => a.bound.problems.filter((p) => p.severity === 'error').map((p) => `${t.split('\n')[p.range.start.line]!.trim()} ${p.message}`);
    assert.deepEqual(onLine(before, text), ['int32 a = 1; field number 1 is already used by "x"', 'int32 y = 1; field number 1 is already used by "x"']);
    const onReleased = before.bound.problems.find((p) => p.range.start.line === text.split('\n').indexOf('  int32 a = 1;'))!;
    const actions = codeActions(snapshot(text, reanalyze), { diagnostics: [problemToDiagnostic(onReleased)], only: ['quickfix'], documentChanges: true, reanalyze });
    assert.deepEqual(actions.map((a) => `${a.isPreferred ? '* ' : ''}${a.title}`), ['* Give "x" the next free number 2']);
    const out = applied(text, actionEdits(actions[0]!));
    // y's error is still there and names "a" now: the same error of y.
    assert.deepEqual(onLine(reanalyze(out), out), ['int32 y = 1; field number 1 is already used by "a"']);
    const checked = checkEdits({ text, analysis: before }, actionEdits(actions[0]!), reanalyze, 'best');
    assert.ok(checked && !('failed' in checked), 'no new error');
    // The same error of another field is a new one: x moved away and z put on the number.
    const two = edit(text, '  // y doc\n  int32 y = 1;\n', '');
    const z = [...actionEdits(actions[0]!), { range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, newText: '  // z doc\n  int32 z = 1;\n' }];
    assert.equal(applied(two, z), edit(edit(two, 'int32 x = 1;', 'int32 x = 2;'), '}\n', '  // z doc\n  int32 z = 1;\n}\n'));
    const failed = checkEdits({ text: two, analysis: reanalyze(two) }, z, reanalyze, 'best');
    assert.ok(failed && 'failed' in failed, 'a new error');
    assert.deepEqual(onLine(failed.analysis, failed.text), ['int32 z = 1; field number 1 is already used by "a"']);
    assert.deepEqual(failed.added.problems.map((p) => p.message), ['field number 1 is already used by "a"']);
  });

  test('G: a request with every diagnostic of the file makes a bounded number of analyses; what it could not check is not preferred, and is checked later', { skip: OLD ? false : CORPUS_HELP }, () => {
    // v0.36.3 with 80 fields deleted: 80 FIELD_NO_DELETE, each with a preferred fix to check.
    let deleted = 0;
    const text = OLD.split('\n').filter((l) => !(/^ {4}(repeated )?\w+ \w+ = \d+;$/.test(l) && deleted++ < 80)).join('\n');
    const reanalyze = against(baselineOf(OLD));
    const snap = snapshot(text, reanalyze);
    const ds = snap.analysis.findings.filter((f) => f.rule === 'FIELD_NO_DELETE').map((f) => diagnostic(f));
    assert.equal(ds.length, 80);
    let calls = 0;
    const counted: Analyzer = (t) => {
      calls++;
      return reanalyze(t);
    };
    const all = codeActions(snap, { diagnostics: ds, only: ['quickfix'], documentChanges: true, reanalyze: counted });
    assert.ok(calls <= REQUEST_ANALYSES, `${calls} analyses, at most ${REQUEST_ANALYSES}`);
    const fixed = (d: Diagnostic, as: CodeAction[]) => as.filter((a) => a.diagnostics?.includes(d));
    for (const d of ds) assert.ok(fixed(d, all).length > 0, `fixes offered for ${d.message}`);
    const preferred = ds.filter((d) => fixed(d, all).some((a) => a.isPreferred));
    assert.ok(preferred.length > 0 && preferred.length < ds.length, `${preferred.length} of ${ds.length} checked within the budget`);
    // The light bulb on one that went unchecked checks it then, with the request's own budget.
    const last = ds.at(-1)!;
    assert.ok(!preferred.includes(last));
    assert.ok(codeActions(snap, { diagnostics: [last], only: ['quickfix'], documentChanges: true, reanalyze }).some((a) => a.isPreferred));
  });
  test('H: fix-all gives an editions file back the released enum types and UTF-8 validation, as the light bulb does, with no finding left', { skip: OLD ? false : CORPUS_HELP }, () => {
    // v0.36.3 migrated to edition 2023 keeping proto3's presence, but with enums closed and strings unchecked.
    const goPackage = 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1";\n';
    const text = edit(edit(OLD, 'syntax = "proto3";', 'edition = "2023";'), goPackage,
      `${goPackage}option features.field_presence = IMPLICIT;\noption features.enum_type = CLOSED;\noption features.utf8_validation = NONE;\n`);
    const reanalyze = against(baselineOf(OLD));
    const before = reanalyze(text);
    const rules = new Set(before.findings.map((f) => f.rule));
    assert.deepEqual([...rules].sort(), ['ENUM_OPEN_CLOSED_CHANGED', 'FIELD_UTF8_VALIDATION_CHANGED']);
    // Closed, the enums of fields of implicit presence are binder errors too: opening them clears those.
    assert.ok(before.bound.problems.some((p) => p.code === 'closed-enum-implicit-presence'));
    // Each finding's preferred fix is the restore, which the light bulb offers as preferred.
    for (const f of before.findings.slice(0, 3).concat(before.findings.filter((x) => x.rule === 'ENUM_OPEN_CLOSED_CHANGED').slice(0, 3))) {
      const preferred = quickFixes(text, reanalyze, [diagnostic(f)]).filter((a) => a.isPreferred).map((a) => a.title);
      assert.deepEqual(preferred, [f.rule === 'ENUM_OPEN_CLOSED_CHANGED' ? 'Make the enum open again' : 'Restore the released UTF-8 validation'], `${f.rule} ${f.element}`);
    }
    const after = reanalyze(applied(text, fixAllOf(text, reanalyze)));
    assert.deepEqual(after.bound.problems.map((p) => `${p.code} ${p.message}`), []);
    assert.deepEqual(after.findings.map((f) => `${f.rule} ${f.element}`), []);
  });
});
