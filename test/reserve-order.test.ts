// The reserve fix keeps a `reserved` statement's numbers in ascending order, on single edits of the released v0.36.3
// api.proto (the corpus): Mount's selinux_relabel (4) deleted, and readonly (3) with it, where the author had
// reserved 11 to 15 ahead. The numbers go before the first entry above them, neighbours unmerged, as buf format and
// protoc leave them; a number above every entry is appended as before.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze, type Analysis } from '../server/src/service';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import type { Baseline } from '../server/src/baseline/types';
import { applyEdits, computeFixes, fixAll } from '../server/src/fixes';
import { NEEDS_CORPUS, corpusText, replaceOnce } from './corpusText';

const TAG = 'v0.36.3';
const SELINUX = '    // If set, the mount needs SELinux relabeling.\n    bool selinux_relabel = 4;\n';

let baseline: Baseline | undefined;
function run(text: string): Analysis {
  baseline ??= { tag: TAG, source: 'path', origin: 'test', model: bind(parse(corpusText(TAG)), 'old.proto').model };
  return analyze(text, { uri: 'file:///work/api.proto', baseline });
}

/** Applies the fix titled `title` of the finding `rule element`; the result must have no error finding left for it. */
function applyFix(text: string, rule: string, element: string, title: string): string {
  const a = run(text);
  const f = a.findings.find((x) => x.rule === rule && x.element === element);
  assert.ok(f, `${rule} ${element}`);
  const fix = computeFixes(text, a.bound, f).find((x) => x.title === title);
  assert.ok(fix, `a fix "${title}"`);
  return applyEdits(text, fix.edits);
}

/** The `reserved` lines of `text` (trimmed). */
const reservedLines = (text: string): string[] => text.split('\n').filter((l) => /^\s*reserved\b/.test(l)).map((l) => l.trim());

test('reserving a deleted field\'s number below a reserved range puts it before the range', NEEDS_CORPUS, () => {
  const text = replaceOnce(corpusText(TAG), SELINUX, '    reserved 11 to 15;\n');
  const out = applyFix(text, 'FIELD_NO_DELETE', 'runtime.v1.Mount.selinux_relabel', 'Reserve number 4 and name "selinux_relabel"');
  assert.deepEqual(reservedLines(out), ['reserved 4, 11 to 15;', 'reserved "selinux_relabel";']);
  const after = run(out);
  assert.deepEqual(after.bound.problems.filter((p) => p.severity === 'error'), []);
  assert.ok(!after.findings.some((f) => f.rule === 'FIELD_NO_DELETE'));
});

test('reserving below, between and above reserved entries: each number in its place, the highest appended', NEEDS_CORPUS, () => {
  // image_sub_path (10) deleted too: reserved first, then selinux_relabel (4), each before the entry above it.
  const dropped = replaceOnce(corpusText(TAG), SELINUX, '    reserved 11 to 15;\n')
    .replace(/ {4}\/\/ Specific image sub path to be used[^]*?string image_sub_path = 10;\n/, '');
  let out = applyFix(dropped, 'FIELD_NO_DELETE', 'runtime.v1.Mount.image_sub_path', 'Reserve number 10 and name "image_sub_path"');
  out = applyFix(out, 'FIELD_NO_DELETE', 'runtime.v1.Mount.selinux_relabel', 'Reserve number 4 and name "selinux_relabel"');
  assert.deepEqual(reservedLines(out), ['reserved 4, 10, 11 to 15;', 'reserved "image_sub_path", "selinux_relabel";']);
  // Above every entry: appended, as before.
  const low = replaceOnce(dropped, '    reserved 11 to 15;\n', '    reserved 4;\n');
  const high = applyFix(low, 'FIELD_NO_DELETE', 'runtime.v1.Mount.image_sub_path', 'Reserve number 10 and name "image_sub_path"');
  assert.deepEqual(reservedLines(high), ['reserved 4, 10;', 'reserved "image_sub_path";']);
});

test('fix-all of several numbers of one message writes them in ascending order, into the statement there is', NEEDS_CORPUS, () => {
  const text = replaceOnce(replaceOnce(corpusText(TAG), SELINUX, '    reserved 11 to 15;\n'),
    '    // If set, the mount is read-only.\n    bool readonly = 3;\n', '');
  const a = run(text);
  const all = fixAll(text, a.bound, a.findings, 'FIELD_NO_DELETE');
  const out = applyEdits(text, all.edits);
  // Fix-all reserves both in one edit (the preferred fix of a field deleted with a range reserved ahead).
  assert.equal(all.applied, 2);
  assert.deepEqual(reservedLines(out), ['reserved 3, 4, 11 to 15;', 'reserved "readonly", "selinux_relabel";']);
});
