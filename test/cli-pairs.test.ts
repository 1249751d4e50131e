// `cri-compat pairs` as a CI job over a release series uses it: files that must not pass silently (empty or
// cut before their `package` line), the order of TAG=FILE arguments, and what each format says on the way.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Corpus, CORPUS_HELP, findCorpusDir, findRepoRoot, V1ALPHA2_PATH } from '../server/src/baseline/corpus';

const ROOT = findRepoRoot(__dirname);
const CLI = join(ROOT, 'dist', 'cli.js');
const corpusDir = findCorpusDir(ROOT);

let tmp = '';

function cli(args: string[]): { code: number | null; out: string; err: string } {
  const { GITHUB_WORKSPACE: _, ...env } = process.env;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: tmp, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024, env: { ...env, XDG_CACHE_HOME: join(tmp, 'cache') } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Writes a release's api.proto (runtime.v1 unless `path` says otherwise) as `<name>.proto` in tmp; returns the name. */
function release(corpus: Corpus, tag: string, name: string, path?: string): string {
  const text = corpus.textOf(tag, path);
  assert.ok(text, `${tag} ${path ?? 'runtime.v1'} is in the corpus`);
  writeFileSync(join(tmp, `${name}.proto`), text);
  return `${name}.proto`;
}

/** The end of the count when the files have problems of their own (the older releases import gogo.proto, not in the corpus). */
const SPLIT = String.raw`(: \d+ compatibility findings? in \d+ pairs?, \d+ file problems? in \d+ pairs? \(.+\))?`;

interface JsonPairs {
  pairs: { old: string; new: string; skipped?: string; report?: { baseline?: { origin: string }; findings: { rule: string; message: string }[] } }[];
}

describe('cri-compat pairs over a release series', { skip: corpusDir ? false : CORPUS_HELP }, () => {
  let corpus: Corpus;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cri-compat-pairs-'));
    corpus = new Corpus(corpusDir!);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('a file that declares no package (empty, or cut before its package line) fails the run, as check does; another package starts a series of its own', () => {
    const a = release(corpus, 'v0.33.0', 'a');
    const b = release(corpus, 'v0.34.0', 'b');
    const text = corpus.textOf('v0.34.0')!;
    writeFileSync(join(tmp, 'empty.proto'), '');
    // What a download cut short leaves: the licence comment and `syntax`, no syntax error.
    const cutAt = text.indexOf('\npackage ');
    assert.ok(cutAt > 0);
    writeFileSync(join(tmp, 'cut.proto'), text.slice(0, cutAt + 1));
    for (const bad of ['empty.proto', 'cut.proto']) {
      const r = cli(['pairs', a, bad, b]);
      assert.equal(r.code, 1, r.err);
      assert.doesNotMatch(r.err, /skipped/);
      assert.match(r.out, new RegExp(`^${bad.replace('.', '\\.')}:\\d+:\\d+: error PACKAGE_CHANGED package changed from "runtime\\.v1" to ""`, 'm'));
      assert.match(r.out, /^b\.proto:\d+:\d+: error PACKAGE_CHANGED package changed from "" to "runtime\.v1"/m);
      assert.match(r.err, /^2 pairs, 2 with findings, 2 findings$/m);

      // The same finding as `check --against`, in JSON; an annotation in GitHub's format.
      const j = cli(['pairs', '--format', 'json', a, bad, b]);
      assert.equal(j.code, 1, j.err);
      const parsed = JSON.parse(j.out) as JsonPairs;
      assert.deepEqual(parsed.pairs.map((x) => x.skipped), [undefined, undefined]);
      const checked = cli(['check', '--format', 'json', '--against', a, bad]);
      assert.equal(checked.code, 1, checked.err);
      assert.deepEqual(parsed.pairs[0]!.report!.findings, JSON.parse(checked.out).findings);
      const gh = cli(['pairs', '--format', 'github', a, bad, b]);
      assert.equal(gh.code, 1, gh.err);
      assert.match(gh.out, new RegExp(`^::error file=[^,]*${bad.replace('.', '\\.')},line=\\d+,.*title=PACKAGE_CHANGED::`, 'm'));
      // --fail-on never passes it, as it passes any finding.
      assert.equal(cli(['pairs', '--fail-on', 'never', a, bad, b]).code, 0);
    }

    // Two packages declared are two APIs: runtime.v1 (v0.26.0) after runtime.v1alpha2 (v0.25.0) starts a series
    // of its own, compared with nothing (no pair, nothing skipped).
    const alpha = release(corpus, 'v0.25.0', 'alpha', V1ALPHA2_PATH);
    const v1 = release(corpus, 'v0.26.0', 'v1');
    const s = cli(['pairs', '--format', 'json', alpha, v1]);
    assert.deepEqual((JSON.parse(s.out) as JsonPairs).pairs, []);
  });

  test('files that make no pair at all (each the only one of its package) exit 2 and say so, in every format', () => {
    // A CI job given a runtime.v1alpha2 and a runtime.v1 file by mistake compared nothing, and passed ("0 pairs").
    const alpha = release(corpus, 'v0.25.0', 'alpha', V1ALPHA2_PATH);
    const v1 = release(corpus, 'v0.26.0', 'v1');
    const said = 'cri-compat: no pair compared: alpha.proto is runtime.v1alpha2, v1.proto is runtime.v1, each the only file of its package; give two or more files of one package';
    const text = cli(['pairs', alpha, v1]);
    assert.equal(text.code, 2, text.err);
    assert.equal(text.out, '');
    assert.equal(text.err, `0 pairs, 0 with findings, 0 findings\n${said}\n`);
    // JSON: `pairs: []` says it; stderr has the one line that goes with exit 2.
    const j = cli(['pairs', '--format', 'json', alpha, v1]);
    assert.equal(j.code, 2, j.err);
    assert.deepEqual((JSON.parse(j.out) as JsonPairs).pairs, []);
    assert.equal(j.err, `${said}\n`);
    const sarif = cli(['pairs', '--format', 'sarif', alpha, v1]);
    assert.equal(sarif.code, 2, sarif.err);
    const invocation = JSON.parse(sarif.out).runs[0].invocations[0];
    assert.equal(invocation.executionSuccessful, false);
    assert.equal(invocation.exitCode, 2);
    assert.deepEqual(invocation.toolExecutionNotifications.map((n: { level: string; message: { text: string } }) => `${n.level}: ${n.message.text}`), [
      'note: 0 pairs, 0 with findings, 0 findings',
      `error: ${said.replace('cri-compat: ', '')}`,
    ]);
    const gh = cli(['pairs', '--format', 'github', alpha, v1]);
    assert.equal(gh.code, 2, gh.err);
    // GitHub's log has the count too, as text's stderr (it had only the error).
    assert.equal(gh.err, `0 pairs, 0 with findings, 0 findings\n${said}\n`);
    // --fail-on never does not pass it: it is about what was checked, not about findings.
    assert.equal(cli(['pairs', '--fail-on', 'never', alpha, v1]).code, 2);
    // One pair of one package is enough: the other package's single file is compared with nothing, as before.
    const alpha24 = release(corpus, 'v0.24.0', 'alpha24', V1ALPHA2_PATH);
    const one = cli(['pairs', '--fail-on', 'never', alpha24, v1, alpha]);
    assert.equal(one.code, 0, one.err);
    assert.match(one.err, /^1 pair, /m);
    assert.doesNotMatch(one.err, /no pair/);
  });

  test('tags.tsv order, both packages interleaved (v0.20.0 to v0.26.0): each file against the previous one of its package, none skipped', () => {
    const rows = corpus.rows;
    const first = rows.findIndex((r) => r.tag === 'v0.20.0');
    const last = rows.length - 1 - [...rows].reverse().findIndex((r) => r.tag === 'v0.26.0');
    const series = rows.slice(first, last + 1);
    const file = (r: { blob: string }): string => join(corpus.dir, 'blobs', `${r.blob}.proto`);
    const args = series.map((r) => `${r.tag}=${file(r)}`);
    // The pairs expected: each row with the row before it of the same path (package), in the order given.
    const expected: [string, string, string][] = [];
    const latest = new Map<string, (typeof series)[number]>();
    for (const r of series) {
      const p = latest.get(r.path);
      if (p) expected.push([p.tag, r.tag, `file ${file(p)}`]);
      latest.set(r.path, r);
    }
    assert.ok(series.some((r) => r.path === V1ALPHA2_PATH) && series.some((r) => r.path !== V1ALPHA2_PATH));
    assert.equal(expected.length, series.length - 2, 'two series: every file but the first of each package is compared');
    const j = cli(['pairs', '--format', 'json', '--fail-on', 'never', ...args]);
    assert.equal(j.code, 0, j.err);
    const parsed = JSON.parse(j.out) as JsonPairs;
    assert.deepEqual(parsed.pairs.filter((x) => x.skipped).map((x) => `${x.old} → ${x.new}: ${x.skipped}`), []);
    // The baseline's origin names the old file: its blob, so the pair is of the same package, not just of the same tag.
    assert.deepEqual(parsed.pairs.map((x) => [x.old, x.new, x.report?.baseline?.origin]), expected);
    assert.ok(parsed.pairs.every((x) => !x.report!.findings.some((f) => f.rule === 'PACKAGE_CHANGED')));
    // Text counts the pairs it compared, none skipped.
    const text = cli(['pairs', '--fail-on', 'never', ...args]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.err, new RegExp(`^${expected.length} pairs, \\d+ with findings, \\d+ findings?${SPLIT}$`, 'm'));
    assert.doesNotMatch(text.err, /skipped/);
  });

  test('TAG=FILE: an earlier release after a later one of the same package is not compared and exits 2; another package may start over', () => {
    const r33 = release(corpus, 'v0.33.0', 'r33');
    const r35 = release(corpus, 'v0.35.0', 'r35');
    const r36 = release(corpus, 'v0.36.0', 'r36');
    const args = [`v0.36.0=${r36}`, `v0.33.0=${r33}`, `v0.35.0=${r35}`];
    const backwards = cli(['pairs', ...args]);
    assert.equal(backwards.code, 2, backwards.err);
    // Compared, the rpcs v0.36.0 added (StreamContainers, …) would be reported deleted from v0.33.0.
    assert.doesNotMatch(backwards.out, /RPC_NO_DELETE/);
    // Said once, as the error that goes with exit 2 (it was also a "skipped" line before the count).
    assert.deepEqual(backwards.err.split('\n').filter((l) => l.includes('v0.36.0 → v0.33.0')), [
      "cri-compat: v0.36.0 → v0.33.0: not compared, v0.33.0 is an earlier release than v0.36.0: give each package's files oldest first",
    ]);
    assert.match(backwards.err, /^2 pairs, 1 skipped, /m);
    // SARIF too: one error notification, not also a warning.
    const sarif = cli(['pairs', '--format', 'sarif', ...args]);
    assert.equal(sarif.code, 2, sarif.err);
    const notes = JSON.parse(sarif.out).runs[0].invocations[0].toolExecutionNotifications.map((n: { level: string; message: { text: string } }) => `${n.level}: ${n.message.text}`);
    assert.deepEqual(notes.filter((n: string) => n.includes('v0.36.0 → v0.33.0')), [
      "error: v0.36.0 → v0.33.0: not compared, v0.33.0 is an earlier release than v0.36.0: give each package's files oldest first",
    ]);
    assert.match(notes[0], /^note: 2 pairs, 1 skipped, /);
    const j = cli(['pairs', '--format', 'json', ...args]);
    assert.equal(j.code, 2, j.err);
    const parsed = JSON.parse(j.out) as JsonPairs;
    assert.match(parsed.pairs[0]!.skipped!, /earlier release/);
    assert.ok(parsed.pairs[1]!.report, 'the next pair is compared');
    // JSON says it in the pair; stderr has only the one-line error that goes with exit 2.
    assert.match(j.err, /^cri-compat: v0\.36\.0 → v0\.33\.0: not compared, /);
    assert.equal(j.err.trimEnd().split('\n').length, 1, j.err);

    // Every v1alpha2 release, then every v1 one: v0.21.0 after v0.25.0 starts another package's series.
    const alpha24 = release(corpus, 'v0.24.0', 'alpha24', V1ALPHA2_PATH);
    const alpha25 = release(corpus, 'v0.25.0', 'alpha25', V1ALPHA2_PATH);
    const v21 = release(corpus, 'v0.21.0', 'v21');
    const v22 = release(corpus, 'v0.22.0', 'v22');
    const two = cli(['pairs', '--fail-on', 'never', `v0.24.0=${alpha24}`, `v0.25.0=${alpha25}`, `v0.21.0=${v21}`, `v0.22.0=${v22}`]);
    assert.equal(two.code, 0, two.err);
    assert.doesNotMatch(two.err, /skipped/);
    assert.match(two.err, new RegExp(String.raw`^2 pairs, \d+ with findings, \d+ findings?${SPLIT}$`, 'm'));
    // The summary counts a skipped pair apart: a run of skipped pairs is not a run that found nothing.
    const skippedOne = cli(['pairs', '--fail-on', 'never', `v0.25.0=${alpha25}`, `v0.22.0=${v22}`, `v0.24.0=${alpha24}`, `v0.21.0=${v21}`]);
    assert.equal(skippedOne.code, 2, skippedOne.err);
    assert.match(skippedOne.err, /^2 pairs, 2 skipped, 0 with findings, 0 findings$/m);
    // A release under both of its names (cri-api tags kubernetes-1.N.M on the same commit) is not out of order.
    const twin = cli(['pairs', `v0.35.0=${r35}`, `kubernetes-1.35.0=${r35}`, `v0.36.0=${r36}`, '--fail-on', 'never']);
    assert.equal(twin.code, 0, twin.err);
  });

  test('a long run says how far it got on stderr in text, every 100 files, with the pairs made; JSON and GitHub output do not', () => {
    // 250 runtime.v1 releases, in order: 249 pairs, two progress lines.
    const args = corpus.goTags().slice(0, 250).map((r) => `${r.tag}=${join(corpus.dir, 'blobs', `${r.blob}.proto`)}`);
    assert.equal(args.length, 250);
    const text = cli(['pairs', '--fail-on', 'never', ...args]);
    assert.equal(text.code, 0, text.err);
    const lines = text.err.split('\n').filter((l) => l.startsWith('Checked '));
    assert.deepEqual(lines, [
      `Checked 100 of 250 files, 99 pairs (up to ${corpus.goTags()[99]!.tag})…`,
      `Checked 200 of 250 files, 199 pairs (up to ${corpus.goTags()[200 - 1]!.tag})…`,
    ]);
    // tags.tsv's rows from v0.20.0, both packages interleaved: the first file of each package makes no pair, so
    // the pairs made are not the position in the list (it said "Checked 100 of 249 pairs" for 98 pairs of 248).
    const rows = corpus.rows.slice(corpus.rows.findIndex((r) => r.tag === 'v0.20.0')).slice(0, 250);
    assert.equal(new Set(rows.map((r) => r.path)).size, 2);
    const interleaved = cli(['pairs', '--fail-on', 'never', ...rows.map((r) => `${r.tag}=${join(corpus.dir, 'blobs', `${r.blob}.proto`)}`)]);
    assert.equal(interleaved.code, 0, interleaved.err);
    assert.deepEqual(interleaved.err.split('\n').filter((l) => l.startsWith('Checked ')), [
      `Checked 100 of 250 files, 98 pairs (up to ${rows[99]!.tag})…`,
      `Checked 200 of 250 files, 198 pairs (up to ${rows[199]!.tag})…`,
    ]);
    assert.match(interleaved.err, /^248 pairs, /m);
    assert.doesNotMatch(text.out, /Checked /, 'progress is not in the output a job saves');
    const json = cli(['pairs', '--format', 'json', '--fail-on', 'never', ...args]);
    assert.equal(json.code, 0, json.err);
    assert.equal(json.err, '');
    assert.equal((JSON.parse(json.out) as JsonPairs).pairs.length, 249);
    const gh = cli(['pairs', '--format', 'github', '--fail-on', 'never', ...args]);
    assert.equal(gh.code, 0, gh.err);
    assert.doesNotMatch(gh.err + gh.out, /Checked /);
    // A short run has none.
    assert.doesNotMatch(cli(['pairs', '--fail-on', 'never', ...args.slice(0, 100)]).err, /Checked /);
  });

  test('the count keeps compatibility findings apart from the files\' own problems, with a --proto-path note for an import not found; every format says the same', () => {
    // v0.26.0-alpha.0 to v0.26.0-beta.0: every file imports gogo.proto, which is not beside it (one
    // unresolved-import per pair), and only the last pair changes the API. The count said that every pair had findings.
    const tags = corpus.goTags();
    const series = tags.slice(tags.findIndex((r) => r.tag === 'v0.26.0-alpha.0'), tags.findIndex((r) => r.tag === 'v0.26.0-beta.0') + 1);
    assert.ok(series.length >= 3, series.map((r) => r.tag).join(' '));
    const args = series.map((r) => `${r.tag}=${join(corpus.dir, 'blobs', `${r.blob}.proto`)}`);
    const gogo = 'github.com/gogo/protobuf/gogoproto/gogo.proto';
    const j = cli(['pairs', '--format', 'json', '--fail-on', 'never', ...args]);
    assert.equal(j.code, 0, j.err);
    assert.equal(j.err, '', 'JSON carries the count and the note in its output');
    const parsed = JSON.parse(j.out) as JsonPairs & { summary: Record<string, unknown> };
    // Counted from the reports: a rule's finding has a category, a file's problem has none.
    const reports = parsed.pairs.map((x) => x.report!.findings as unknown as { rule: string; category: string | null }[]);
    const compat = reports.map((f) => f.filter((x) => x.category !== null).length);
    const problems = reports.map((f) => f.filter((x) => x.category === null));
    assert.ok(problems.every((f) => f.length === 1 && f[0]!.rule === 'unresolved-import'), 'one gogo.proto warning in every pair');
    assert.ok(compat.filter((n) => n).length >= 1 && compat.some((n) => !n), compat.join(' '));
    const compatTotal = compat.reduce((a, b) => a + b, 0);
    const compatPairs = compat.filter((n) => n).length;
    const n = parsed.pairs.length;
    assert.deepEqual(parsed.summary, {
      pairs: n, skipped: 0, withFindings: n, findings: compatTotal + n,
      compatibility: { pairs: compatPairs, findings: compatTotal },
      fileProblems: { pairs: n, findings: n, byRule: { 'unresolved-import': n } },
      unresolvedImports: [gogo],
    });
    const line = `${n} pairs, ${n} with findings, ${compatTotal + n} findings: ${compatTotal} compatibility finding${compatTotal === 1 ? '' : 's'} in ${compatPairs} pair${compatPairs === 1 ? '' : 's'}, ${n} file problems in ${n} pairs (${n} unresolved-import)`;
    const note = `${n} pairs have an import that was not found (${gogo}), so types from it are not checked: --proto-path DIR looks for an import at DIR/<its path>, such as DIR/${gogo}`;
    const text = cli(['pairs', '--fail-on', 'never', ...args]);
    assert.equal(text.code, 0, text.err);
    assert.equal(text.err, `${line}\ncri-compat: note: ${note}\n`);
    // GitHub's log: the same two lines on stderr beside the annotations (it had no count at all).
    const gh = cli(['pairs', '--format', 'github', '--fail-on', 'never', ...args]);
    assert.equal(gh.code, 0, gh.err);
    assert.equal(gh.err, `${line}\ncri-compat: note: ${note}\n`);
    const sarif = cli(['pairs', '--format', 'sarif', '--fail-on', 'never', ...args]);
    assert.equal(sarif.code, 0, sarif.err);
    assert.deepEqual(JSON.parse(sarif.out).runs[0].invocations[0].toolExecutionNotifications.map((x: { level: string; message: { text: string } }) => `${x.level}: ${x.message.text}`), [`note: ${line}`, `note: ${note}`]);
    // A pair whose only finding is the import's warning: --fail-on warning fails on it, as on any warning.
    const onlyProblem = compat.findIndex((c) => !c);
    assert.equal(cli(['pairs', '--fail-on', 'warning', ...args.slice(onlyProblem, onlyProblem + 2)]).code, 1);
    assert.equal(cli(['pairs', ...args.slice(onlyProblem, onlyProblem + 2)]).code, 0);

    // Doing what the note says: a directory that holds DIR/github.com/gogo/…/gogo.proto (here with the file
    // options the releases set) leaves the compatibility findings alone, and the count is as before the files had problems.
    const dir = join(tmp, 'include', ...gogo.split('/').slice(0, -1));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'gogo.proto'), [
      'syntax = "proto2";', 'package gogoproto;', 'import "google/protobuf/descriptor.proto";', 'extend google.protobuf.FileOptions {',
      ...['goproto_getters_all', 'goproto_stringer_all', 'marshaler_all', 'sizer_all', 'stringer_all', 'unmarshaler_all', 'goproto_unrecognized_all'].map((o, i) => `  optional bool ${o} = ${63001 + i};`),
      '}', '',
    ].join('\n'));
    const found = cli(['pairs', '--proto-path', 'include', '--fail-on', 'never', ...args]);
    assert.equal(found.code, 0, found.err);
    assert.equal(found.err, `${n} pairs, ${compatPairs} with findings, ${compatTotal} findings\n`);
    const foundJson = JSON.parse(cli(['pairs', '--format', 'json', '--proto-path', 'include', '--fail-on', 'never', ...args]).out);
    assert.deepEqual(foundJson.summary.fileProblems, { pairs: 0, findings: 0, byRule: {} });
    assert.deepEqual(foundJson.summary.unresolvedImports, []);
    assert.equal(foundJson.summary.compatibility.findings, compatTotal);
  });

  test('JSON gives each skipped pair its reason as a word a script can test (skipReason), beside the sentence in `skipped`', () => {
    const r33 = release(corpus, 'v0.33.0', 'r33');
    const r35 = release(corpus, 'v0.35.0', 'r35');
    const r36 = release(corpus, 'v0.36.0', 'r36');
    // A release cut short in a message: a syntax error, so the pair after it is skipped.
    const text = corpus.textOf('v0.34.0')!;
    writeFileSync(join(tmp, 'broken.proto'), text.slice(0, text.indexOf('\nmessage ') + 1) + 'message Broken {\n');
    const args = [`v0.33.0=${r33}`, 'v0.34.0=broken.proto', `v0.36.0=${r36}`, `v0.35.0=${r35}`];
    const j = cli(['pairs', '--format', 'json', '--fail-on', 'never', ...args]);
    assert.equal(j.code, 2, j.err);
    const parsed = JSON.parse(j.out) as { pairs: { old: string; new: string; skipped?: string; skipReason?: string; report?: unknown }[]; summary: { pairs: number; skipped: number } };
    assert.deepEqual(parsed.pairs.map((x) => [x.old, x.new, x.skipReason, Boolean(x.report)]), [
      ['v0.33.0', 'v0.34.0', undefined, true],
      ['v0.34.0', 'v0.36.0', 'syntax-errors', false],
      ['v0.36.0', 'v0.35.0', 'out-of-order', false],
    ]);
    // `skipped` is as it was: why, in words.
    assert.equal(parsed.pairs[1]!.skipped, 'v0.34.0 has 1 syntax error');
    assert.match(parsed.pairs[2]!.skipped!, /^v0\.35\.0 is an earlier release than v0\.36\.0: /);
    assert.equal(parsed.summary.pairs, 3);
    assert.equal(parsed.summary.skipped, 2);
    // Text says the same count.
    assert.match(cli(['pairs', '--fail-on', 'never', ...args]).err, /^3 pairs, 2 skipped, 1 with findings, /m);
  });

  test('TAG= with no file after it (an unset variable) is bad usage that says so', () => {
    const r33 = release(corpus, 'v0.33.0', 'r33');
    // It was ": not a regular file": the empty name is the current directory.
    const unset = cli(['pairs', `v0.36.0=`, r33]);
    assert.equal(unset.code, 2, unset.err);
    assert.match(unset.err, /^cri-compat: "v0\.36\.0=" names no file: TAG=FILE takes a file after the =$/m);
    assert.equal(unset.out, '');
  });
});
