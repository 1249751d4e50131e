// Fix-all on huge files does work linear in its findings (up to a log factor), counted, not timed: the comparisons
// of the sorts it makes, the elements its searches (`find`) look at and the elements its insertions (`splice`) move.
// Two once grew with the square of the findings (test/fuzz, the long run's slowest extreme cases):
// 1. Reserving the numbers of many deleted fields in a message that reserves many others sorted that `reserved`
//    statement's entries, then scanned them, once per finding (fields-10k-deleted-from-message-reserving-10k-others).
// 2. Merging the fixes kept the taken edits in sorted arrays, each new one spliced into its place: when the fixes do
//    not come in file order (doc stubs of messages declared twice), each moved half of the array (messages-100k).
// The merge keeps its results: on the fixes of every finding of real corpus files (each release against the one
// before and the one before against it), and on random edits of the newest one that clash, it takes, drops and
// combines exactly the edits a plain scan of all taken edits does.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze } from '../server/src/service';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import type { Baseline } from '../server/src/baseline/types';
import { applyEdits, checkNonOverlapping, computeFixes, DEPRECATION_NOTE, fixAll, mergeEditLists, type TextEdit } from '../server/src/fixes';
import { TextLines, wrapEachWord, wrapWords } from '../server/src/fixes/text';
import { Corpus, V1_PATH, V1ALPHA2_PATH, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { NEEDS_CORPUS, newestCorpusText } from './corpusText';

const URI = 'file:///work/api.proto';
const HEADER = 'syntax = "proto3";\npackage runtime.v1;\n';

function baselineOf(text: string): Baseline {
  return { tag: 'baseline.proto', source: 'path', origin: 'test', model: bind(parse(text), 'file:///work/baseline.proto').model };
}

/** `n` lines made by `line`, joined. */
function many(n: number, line: (k: number) => string, sep = '\n'): string {
  return Array.from({ length: n }, (_, k) => line(k)).join(sep);
}

/**
 * Runs `fn` counting the array work it does: comparator calls of `sort`, predicate calls of `find` and
 * `findIndex`, and the elements `splice` moves to make room or close a gap.
 */
function countArrayWork<T>(fn: () => T): { result: T; work: number } {
  const proto = Array.prototype as unknown as Record<'sort' | 'find' | 'findIndex' | 'splice', (...args: unknown[]) => unknown>;
  const saved = { sort: proto.sort, find: proto.find, findIndex: proto.findIndex, splice: proto.splice };
  let work = 0;
  proto.sort = function (this: unknown[], cmp?: unknown) {
    if (typeof cmp !== 'function') return saved.sort.call(this, cmp);
    return saved.sort.call(this, (a: unknown, b: unknown) => {
      work++;
      return (cmp as (a: unknown, b: unknown) => number)(a, b);
    });
  };
  for (const name of ['find', 'findIndex'] as const) {
    proto[name] = function (this: unknown[], pred: unknown, thisArg?: unknown) {
      return saved[name].call(this, (...args: unknown[]) => {
        work++;
        return (pred as (...a: unknown[]) => unknown).apply(thisArg, args);
      });
    };
  }
  proto.splice = function (this: unknown[], ...args: unknown[]) {
    const len = this.length;
    const start = Math.min(Math.max(Number(args[0] ?? 0) < 0 ? len + Number(args[0]) : Number(args[0] ?? 0), 0), len);
    const deleted = args.length < 2 ? len - start : Math.min(Math.max(Number(args[1]), 0), len - start);
    if (args.length - 2 !== deleted) work += len - start - deleted;
    return saved.splice.apply(this, args);
  };
  try {
    return { result: fn(), work };
  } finally {
    Object.assign(proto, saved);
  }
}

/** At most `perFinding` units of array work per finding: n log n stays far below, a scan of n per finding far above. */
function linear(work: number, findings: number, perFinding: number, what: string): void {
  assert.ok(work <= perFinding * findings, `${what}: ${work} units of array work for ${findings} findings (${(work / findings).toFixed(0)} each, at most ${perFinding})`);
}

test('fix-all reserving the numbers of thousands of deleted fields next to thousands of reserved ones: the statement is sorted once', () => {
  for (const n of [1_000, 3_000]) {
    // Fields at even numbers deleted, the odd numbers reserved before them in one statement.
    const baseline = `${HEADER}message M {\n${many(n, (k) => `  int32 f${k} = ${2 * k + 2};`)}\n}\n`;
    const current = `${HEADER}message M {\n  reserved ${many(n, (k) => `${2 * k + 1}`, ', ')};\n  reserved ${many(n, (k) => `"r${k}"`, ', ')};\n}\n`;
    const a = analyze(current, { uri: URI, baseline: baselineOf(baseline) });
    const findings = a.findings.filter((f) => f.rule === 'FIELD_NO_DELETE').length;
    assert.equal(findings, n);
    const { result, work } = countArrayWork(() => fixAll(current, a.bound, a.findings, 'FIELD_NO_DELETE'));
    assert.equal(result.applied, n);
    // Each number went in front of the first entry above it: the statement counts up from 1 to 2n.
    const fixed = applyEdits(current, result.edits);
    assert.ok(fixed.includes(`  reserved ${many(2 * n, (k) => `${k + 1}`, ', ')};\n`), 'the numbers in ascending order');
    assert.ok(fixed.includes(`, ${many(n, (k) => `"f${k}"`, ', ')};\n`), 'the names appended');
    // Measured: 11 to 13 a finding at 1,000 and at 3,000 fields; sorting and scanning the statement per finding was 2,013
    // at 1,000, and grows with the fields.
    linear(work, findings, 100, `${n} fields`);
  }
});

test('fix-all of the doc stubs of 20,000 messages declared twice, not in file order: taking each edit moves no others', () => {
  // As the fuzz's messages-100k: each name declared twice, half the file apart, with a field on the same line.
  const n = 20_000;
  const text = HEADER + many(n, (k) => `message M${k % (n / 2)} { M${(k * 7) % n} x = 1; }`) + '\n';
  const a = analyze(text, { uri: URI, baseline: baselineOf(HEADER) });
  const findings = a.findings.filter((f) => f.rule === 'DOC_MISSING').length;
  assert.ok(findings >= n, `${findings} DOC_MISSING findings`);
  const { result, work } = countArrayWork(() => fixAll(text, a.bound, a.findings, 'DOC_MISSING'));
  assert.equal(result.applied, findings);
  assert.equal(result.skipped, 0);
  // Every message and field got its stub: the fixed file has no DOC_MISSING left.
  const fixed = applyEdits(text, result.edits);
  assert.deepEqual(analyze(fixed, { uri: URI, baseline: baselineOf(HEADER) }).findings.filter((f) => f.rule === 'DOC_MISSING'), []);
  // Measured: 23 a finding; the splices into sorted arrays moved 1,257 elements a finding at this size.
  linear(work, findings, 100, `${n} messages`);
});

/** Runs `fn` counting the calls of `String.prototype.split`. */
function countSplits<T>(fn: () => T): { result: T; splits: number } {
  const saved = String.prototype.split;
  let splits = 0;
  String.prototype.split = function (this: string, ...args: unknown[]) {
    splits++;
    return (saved as (...a: unknown[]) => string[]).apply(this, args);
  } as typeof saved;
  try {
    return { result: fn(), splits };
  } finally {
    String.prototype.split = saved;
  }
}

test('fix-all of the doc stubs of 5,000 messages splits into words only the stub lines that do not fit', () => {
  // Each message's stub is one short line, each field's first line is short and its "Unset:" line (105 characters
  // with the name `x`) is wrapped at the 100 columns of a file with no comments (95 after the indent and `// `).
  // Splitting every line into words and joining them again, those that fit too, was a tenth of fix-all on the
  // fuzz's messages-100k.
  const n = 5_000;
  const text = HEADER + many(n, (k) => `message M${k} {\n  M${(k * 7) % n} x = 1;\n}`) + '\n';
  const a = analyze(text, { uri: URI, baseline: baselineOf(HEADER) });
  const findings = a.findings.filter((f) => f.rule === 'DOC_MISSING').length;
  assert.equal(findings, 2 * n);
  const { result, splits } = countSplits(() => fixAll(text, a.bound, a.findings, 'DOC_MISSING'));
  assert.equal(result.applied, findings);
  const fixed = applyEdits(text, result.edits);
  assert.ok(fixed.includes('// M17 TODO: its purpose.\nmessage M17 {\n  // x TODO: what it means, and the format and units of its value.\n'
    + '  // Unset: TODO: what it means when x is unset or empty, and what the receiver (runtime or kubelet)\n  // does then.\n  M119 x = 1;\n'), fixed.slice(0, 600));
  // One split per field (its "Unset:" line), n in all; one per stub line, 3n, before.
  assert.ok(splits <= n + 100, `${splits} splits for ${findings} stubs`);
});

test('fix-all of the doc stubs of 10,000 one-line messages sorts no edit list per fix', () => {
  // A field of a one-line body gets two edits (its stub on a line of its own, the `}` moved): putting them in order
  // and checking that they do not overlap sorted them twice, each sort with its work arrays, for every field.
  const n = 10_000;
  const text = HEADER + many(n, (k) => `message M${k} { M${(k * 7) % n} x = 1; }`) + '\n';
  const a = analyze(text, { uri: URI, baseline: baselineOf(HEADER) });
  // Once first, for what is built once per syntax tree (each body's members, sorted once): only the fixes counted.
  fixAll(text, a.bound, a.findings, 'DOC_MISSING');
  const proto = Array.prototype as unknown as { sort: (...args: unknown[]) => unknown };
  const saved = proto.sort;
  let sorts = 0;
  proto.sort = function (this: unknown[], ...args: unknown[]) {
    sorts++;
    return saved.apply(this, args);
  };
  let result: ReturnType<typeof fixAll>;
  try {
    result = fixAll(text, a.bound, a.findings, 'DOC_MISSING');
  } finally {
    proto.sort = saved;
  }
  assert.equal(result.applied, 2 * n);
  assert.ok(applyEdits(text, result.edits).includes('// M5 TODO: its purpose.\nmessage M5 {\n  // x TODO: what it means, and the format and units of its value.\n'
    + '  // Unset: TODO: what it means when x is unset or empty, and what the receiver (runtime or kubelet)\n  // does then.\n  M35 x = 1;\n}\n'));
  // Two a field before.
  assert.ok(sorts <= 10, `${sorts} sorts for ${2 * n} fixes`);
});

test('checkNonOverlapping takes and refuses two edits as it does them among more', () => {
  // Two edits are checked without a sort; with a third, far after them, they go through the sort. Every pair of
  // spans of a four-character line, empty ones and backwards ones too, in both orders.
  const text = 'abcd\nef';
  const span = (s: number, e: number): TextEdit => ({ range: { start: { line: 0, character: s }, end: { line: 0, character: e } }, newText: 'x' });
  const far: TextEdit = { range: { start: { line: 1, character: 1 }, end: { line: 1, character: 1 } }, newText: 'y' };
  const ok = (edits: TextEdit[]): boolean => {
    try {
      checkNonOverlapping(text, edits);
      return true;
    } catch {
      return false;
    }
  };
  let pairs = 0;
  let refused = 0;
  for (let s0 = 0; s0 <= 4; s0++) for (let e0 = 0; e0 <= 4; e0++) for (let s1 = 0; s1 <= 4; s1++) for (let e1 = 0; e1 <= 4; e1++) {
    const two = [span(s0, e0), span(s1, e1)];
    assert.equal(ok(two), ok([...two, far]), `${s0}-${e0} and ${s1}-${e1}`);
    pairs++;
    if (!ok(two)) refused++;
  }
  assert.equal(pairs, 625);
  assert.ok(refused > 100 && refused < 600, `${refused} refused`);
});

test('wrapWords gives what wrapping word by word gives, for lines that fit and lines that do not', () => {
  const texts = ['', ' ', '   ', 'a', ' a', '  a b', 'a ', 'a  b', 'a b ', 'word', 'two words', 'x TODO: its purpose.',
    'Unset: TODO: what it means when x is unset or empty, and what the receiver (runtime or kubelet) does then.',
    'averyveryverylongwordthatneverfits and more', DEPRECATION_NOTE];
  let cases = 0;
  for (const t of texts) {
    for (let width = -3; width <= t.length + 2; width++) {
      assert.deepEqual(wrapWords(t, width), wrapEachWord(t, width), `${JSON.stringify(t)} at ${width}`);
      cases++;
    }
  }
  assert.ok(cases > 300, `${cases} cases`);
});

test('merging the fixes of 20,000 findings out of file order calls no sort comparator', () => {
  // Offsets and taken edits are put in file order by a typed array's sort and by walking the offsets in order:
  // a comparator called per comparison was millions of calls for the 200,000 doc stubs of messages-100k.
  const n = 20_000;
  const text = many(n, (k) => `line ${k}`) + '\n';
  const L = new TextLines(text);
  // Every 7th line, then the next ones: not in file order. Insertions and replacements.
  const lines = Array.from({ length: n }, (_, k) => (k * 7) % n);
  const lists = lines.map((line) => [line % 2
    ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `// ${line}\n` }
    : { range: { start: { line, character: 5 }, end: L.positionAt(L.ends[line]!) }, newText: 'x' }]);
  const { result, work } = countArrayWork(() => mergeEditLists(text, lists));
  assert.deepEqual(result.taken, lists.map(() => true));
  assert.deepEqual(result.edits.map((e) => e.range.start.line), Array.from({ length: n }, (_, k) => k));
  assert.equal(applyEdits(text, result.edits), many(n, (k) => (k % 2 ? `// ${k}\nline ${k}` : 'line x')) + '\n');
  assert.equal(work, 0);
});

// ---- the merge keeps its results ------------------------------------------------------------------------------

/**
 * mergeEditLists as its contract says, by scanning every edit taken so far: a fix is taken whole or not at all;
 * an edit identical to one taken (same span, same text as it or as one combined into it) is dropped; an insertion
 * where one was taken is combined into it; else an edit that overlaps a taken one (an insertion strictly inside a
 * replaced span, spans that share characters) skips the fix.
 */
function mergeByScanning(text: string, lists: readonly (readonly TextEdit[])[]): { edits: TextEdit[]; taken: boolean[] } {
  const L = new TextLines(text);
  const taken: { start: number; end: number; edit: TextEdit; texts: string[] }[] = [];
  const took: boolean[] = [];
  for (const list of lists) {
    const todo: (() => void)[] = [];
    let ok = true;
    for (const e of list) {
      const start = L.offsetAt(e.range.start);
      const end = L.offsetAt(e.range.end);
      const same = taken.filter((t) => t.start === start && t.end === end);
      if (same.some((t) => t.texts.includes(e.newText))) continue;
      if (start === end && same.length) {
        todo.push(() => {
          same[0]!.edit.newText += e.newText;
          same[0]!.texts.push(e.newText);
        });
        continue;
      }
      const overlaps = taken.some((t) => (start === end
        ? t.start < start && start < t.end
        : (t.start < end && t.end > start && t.start < t.end) || (t.start === t.end && start < t.start && t.start < end)));
      if (overlaps) {
        ok = false;
        break;
      }
      todo.push(() => taken.push({ start, end, edit: { range: e.range, newText: e.newText }, texts: [e.newText] }));
    }
    took.push(ok);
    if (ok) for (const f of todo) f();
  }
  taken.sort((a, b) => a.start - b.start || a.end - b.end);
  return { edits: taken.map((t) => t.edit), taken: took };
}

test('on the fixes of every finding of real corpus files, the merge takes what a scan of all taken edits does', NEEDS_CORPUS, () => {
  const corpus = new Corpus(findCorpusDir(findRepoRoot(__dirname))!);
  let lists = 0;
  for (const path of [V1_PATH, V1ALPHA2_PATH]) {
    const tags = corpus.goTags(path).filter((r) => !r.prerelease);
    for (let k = 1; k < tags.length; k++) {
      // Each release against the one before (additions: doc stubs), and the one before against it (deletions:
      // restore, deprecate, reserve), all fixes of all findings in one merge.
      const [older, newer] = [corpus.text(tags[k - 1]!.blob), corpus.text(tags[k]!.blob)];
      if (older === newer) continue;
      for (const [now, then] of [[newer, older], [older, newer]] as const) {
        const a = analyze(now, { uri: URI, baseline: baselineOf(then) });
        const all = a.findings.flatMap((f) => computeFixes(now, a.bound, f).map((x) => x.edits));
        assert.deepEqual(mergeEditLists(now, all), mergeByScanning(now, all), `${tags[k]!.tag} ${path}`);
        lists += all.length;
      }
    }
  }
  assert.ok(lists > 500, `${lists} fixes merged`);
});

test('on edits all over a real corpus file, many at one place, the merge takes what a scan of all taken edits does', NEEDS_CORPUS, () => {
  // Real fixes seldom clash (none do above): here insertions and replacements at a few hundred places of the newest
  // api.proto, of a few texts, so that edits are dropped as duplicates, combined, and skipped for overlapping.
  const text = newestCorpusText();
  const L = new TextLines(text);
  let seed = 12345;
  const random = (n: number): number => {
    seed = (seed * 48271) % 2147483647;
    return seed % n;
  };
  // In clusters a few characters apart: a replacement at one place may cover the next.
  const places = Array.from({ length: 100 }, () => random(text.length - 10)).flatMap((p) => [p, p + 2, p + 5]);
  const lists: TextEdit[][] = [];
  for (let k = 0; k < 3000; k++) {
    const edits: { start: number; end: number; newText: string }[] = [];
    for (let j = 1 + random(3); j > 0; j--) {
      const start = places[random(places.length)]!;
      const end = random(4) ? start : Math.min(text.length, start + 1 + random(8));
      edits.push({ start, end, newText: ['// a\n', '// b\n', 'x'][random(3)]! });
    }
    // A fix's own edits never overlap (computeFixes hands out no other).
    edits.sort((x, y) => x.start - y.start || x.end - y.end);
    const own = edits.filter((e, i) => i === 0 || e.start >= edits[i - 1]!.end);
    lists.push(own.map((e) => ({ range: { start: L.positionAt(e.start), end: L.positionAt(e.end) }, newText: e.newText })));
  }
  const merged = mergeEditLists(text, lists);
  assert.deepEqual(merged, mergeByScanning(text, lists));
  const skipped = merged.taken.filter((t) => !t).length;
  const combined = merged.edits.filter((e) => e.newText.length > 5).length;
  assert.ok(skipped > 100 && skipped < 2900 && combined > 10, `${skipped} of 3000 fixes skipped, ${combined} edits combined`);
});
