// Our checker over the real release history: every pair of consecutive `v0.*` tags (semantic-version order,
// as in the corpus) whose api.proto differs, for runtime.v1 and runtime.v1alpha2, with `currentTag` set and
// the bundled release history. The breaking findings (rule, element, tags) are the expected fixture
// test/fixtures/history-findings.json, each group with a reason written from the upstream diff; the
// non-breaking findings are kept as counts per rule. Any change in behaviour shows up as a difference.
//
// Build and run alone:
//   npx esbuild test/history-findings.test.ts --bundle --platform=node --format=cjs --outfile=out/test/history-findings.test.js --sourcemap=inline && node --test out/test/history-findings.test.js
// Regenerate after an intended change (reasons of unchanged findings are kept; new ones get "TODO", which fails):
//   UPDATE_HISTORY_FINDINGS=1 node --test out/test/history-findings.test.js
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CORPUS_HELP, Corpus, V1ALPHA2_PATH, V1_PATH, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import type { Baseline, History } from '../server/src/baseline/types';
import { checkCompatibility } from '../server/src/compat/check';
import { getRule } from '../server/src/compat/rules';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';

const repoRoot = (): string => findRepoRoot(__dirname);

const ROOT = repoRoot();
const FIXTURE = join(ROOT, 'test', 'fixtures', 'history-findings.json');
const corpusDir = findCorpusDir(ROOT);
const corpus = corpusDir ? new Corpus(corpusDir) : undefined;
const UPDATE = !!process.env.UPDATE_HISTORY_FINDINGS;
const PACKAGES = [
  { pkg: 'runtime.v1', path: V1_PATH },
  { pkg: 'runtime.v1alpha2', path: V1ALPHA2_PATH },
];
/** Rules that only the release history can produce. */
const HISTORY_RULES = new Set(['FIELD_NUMBER_REUSED_HISTORY', 'FIELD_NAME_REUSED_HISTORY', 'ENUM_VALUE_NUMBER_REUSED']);

interface Group {
  rule: string;
  elements: string[];
  reason: string;
}
interface PairRecord {
  from: string;
  to: string;
  breaking: Group[];
  /** Non-breaking findings per rule (documentation, policy, suppression rules). */
  nonBreaking: Record<string, number>;
}
interface Fixture {
  about: string;
  packages: Record<string, PairRecord[]>;
}

function loadHistory(pkg: string): { history?: History; why?: string } {
  try {
    return { history: loadBundledHistory(pkg) };
  } catch (e) {
    return { why: `bundled history for ${pkg} not available (${(e as Error).message}); history reuse rules are not compared` };
  }
}

/** One pair's findings: breaking ones as "rule element" keys, the others counted. */
function runPair(oldText: string, newText: string, from: string, to: string, history?: History): { breaking: { rule: string; element: string }[]; nonBreaking: Record<string, number> } {
  const bound = bind(parse(newText), `cri-api:${to}`);
  const model = bind(parse(oldText), `cri-api:${from}`).model;
  const { findings } = checkCompatibility(newText, bound, { tag: from, source: 'path', origin: 'test', model, ...(history ? { history } : {}) }, { currentTag: to });
  const breaking: { rule: string; element: string }[] = [];
  const nonBreaking: Record<string, number> = {};
  for (const f of findings) {
    if (getRule(f.rule).breaking) breaking.push({ rule: f.rule, element: f.element });
    else nonBreaking[f.rule] = (nonBreaking[f.rule] ?? 0) + 1;
  }
  return { breaking, nonBreaking: Object.fromEntries(Object.entries(nonBreaking).sort(([a], [b]) => a.localeCompare(b))) };
}

type Computed = Record<string, (Omit<PairRecord, 'breaking'> & { findings: { rule: string; element: string }[] })[]>;

function computeAll(): { packages: Computed; notes: string[]; withoutHistory: Set<string> } {
  const packages: Computed = {};
  const notes: string[] = [];
  const withoutHistory = new Set<string>();
  for (const { pkg, path } of PACKAGES) {
    const { history, why } = loadHistory(pkg);
    if (why) {
      notes.push(why);
      withoutHistory.add(pkg);
    }
    const rows = corpus!.goTags(path);
    const out: (typeof packages)[string] = [];
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1]!;
      const b = rows[i]!;
      if (a.blob === b.blob) continue;
      const r = runPair(corpus!.text(a.blob), corpus!.text(b.blob), a.tag, b.tag, history);
      out.push({ from: a.tag, to: b.tag, findings: r.breaking, nonBreaking: r.nonBreaking });
    }
    packages[pkg] = out;
  }
  return { packages, notes, withoutHistory };
}

const key = (pkg: string, from: string, to: string, rule: string, element: string): string => `${pkg} ${from}→${to} ${rule} ${element}`;

function readFixture(): Fixture | undefined {
  return existsSync(FIXTURE) ? (JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture) : undefined;
}

/** The fixture from computed findings, keeping the reasons the old fixture gave the same findings. */
function regenerate(computed: Computed, old: Fixture | undefined): Fixture {
  const reasons = new Map<string, string>();
  for (const [pkg, pairs] of Object.entries(old?.packages ?? {})) {
    for (const p of pairs) for (const g of p.breaking) for (const e of g.elements) reasons.set(key(pkg, p.from, p.to, g.rule, e), g.reason);
  }
  const packages: Record<string, PairRecord[]> = {};
  for (const [pkg, pairs] of Object.entries(computed)) {
    packages[pkg] = pairs.map((p) => {
      const groups = new Map<string, Group>();
      for (const f of p.findings) {
        const reason = reasons.get(key(pkg, p.from, p.to, f.rule, f.element)) ?? 'TODO: explain from the upstream diff';
        const k = `${f.rule}\u0000${reason}`;
        const g = groups.get(k) ?? { rule: f.rule, elements: [], reason };
        g.elements.push(f.element);
        groups.set(k, g);
      }
      return { from: p.from, to: p.to, breaking: [...groups.values()], nonBreaking: p.nonBreaking };
    });
  }
  return {
    about: old?.about ?? 'Expected findings of checkCompatibility over consecutive v0.* tags of the cri-api corpus (currentTag set, bundled history). Regenerate with UPDATE_HISTORY_FINDINGS=1 (see test/history-findings.test.ts).',
    packages,
  };
}

test('history findings: every consecutive v0.* pair matches test/fixtures/history-findings.json', (t) => {
  if (!corpus) {
    t.skip(CORPUS_HELP);
    return;
  }
  const { packages: computed, notes, withoutHistory } = computeAll();
  for (const n of notes) t.diagnostic(n);
  const old = readFixture();
  if (UPDATE) {
    mkdirSync(dirname(FIXTURE), { recursive: true });
    writeFileSync(FIXTURE, `${JSON.stringify(regenerate(computed, old), null, 2)}\n`);
    t.diagnostic(`wrote ${FIXTURE}`);
  }
  const fixture = readFixture();
  assert.ok(fixture, `${FIXTURE} is missing; create it with UPDATE_HISTORY_FINDINGS=1`);

  const problems: string[] = [];
  for (const { pkg } of PACKAGES) {
    const want: PairRecord[] = fixture.packages[pkg] ?? [];
    const got = computed[pkg] ?? [];
    const pairs = (xs: { from: string; to: string }[]): string[] => xs.map((p) => `${p.from}→${p.to}`);
    assert.deepEqual(pairs(got), pairs(want), `${pkg}: the list of differing consecutive tag pairs changed (corpus changed?)`);
    got.forEach((g, i) => {
      const w = want[i]!;
      const skipHistory = withoutHistory.has(pkg);
      const gotKeys = g.findings.filter((f) => !skipHistory || !HISTORY_RULES.has(f.rule)).map((f) => `${f.rule} ${f.element}`).sort();
      const wantKeys = w.breaking.filter((x) => !skipHistory || !HISTORY_RULES.has(x.rule)).flatMap((x) => x.elements.map((e) => `${x.rule} ${e}`)).sort();
      for (const k of gotKeys.filter((k) => !wantKeys.includes(k))) problems.push(`${pkg} ${g.from}→${g.to}: new breaking finding ${k}`);
      for (const k of wantKeys.filter((k) => !gotKeys.includes(k))) problems.push(`${pkg} ${g.from}→${g.to}: expected breaking finding ${k} is gone`);
      assert.equal(gotKeys.length, new Set(gotKeys).size, `${pkg} ${g.from}→${g.to}: duplicate findings ${gotKeys.join(', ')}`);
      if (JSON.stringify(g.nonBreaking) !== JSON.stringify(w.nonBreaking)) {
        problems.push(`${pkg} ${g.from}→${g.to}: non-breaking findings ${JSON.stringify(g.nonBreaking)}, expected ${JSON.stringify(w.nonBreaking)}`);
      }
      for (const grp of w.breaking) {
        if (!grp.reason.trim() || /^TODO\b/.test(grp.reason)) problems.push(`${pkg} ${g.from}→${g.to}: ${grp.rule} ${grp.elements.join(', ')} has no reason`);
      }
    });
  }
  assert.deepEqual(problems, [], `behaviour over the release history changed; review, then regenerate with UPDATE_HISTORY_FINDINGS=1 and explain new findings:\n${problems.join('\n')}`);
});

test('history findings: every reason starts with its verdict (true positive, sequence artifact, review prompt)', (t) => {
  if (!corpus) {
    t.skip(CORPUS_HELP);
    return;
  }
  const fixture = readFixture();
  assert.ok(fixture);
  for (const [pkg, pairs] of Object.entries(fixture.packages)) {
    for (const p of pairs) {
      for (const g of p.breaking) {
        // Reasons say what kind of finding it is.
        assert.match(g.reason, /^(true positive|sequence artifact|review prompt)\b/, `${pkg} ${p.from}→${p.to} ${g.rule}: reason must start with its verdict`);
        assert.ok(!/false positive/i.test(g.reason), `${pkg} ${p.from}→${p.to} ${g.rule}: false positives are bugs to fix, not fixture entries`);
      }
    }
  }
});

test('history reuse: an old tag as the baseline still sees the numbers of the releases after it', (t) => {
  if (!corpus) {
    t.skip(CORPUS_HELP);
    return;
  }
  const history = loadBundledHistory('runtime.v1');
  // ContainerConfig.CDI_devices = 17 came in v0.27.0-alpha.3. A field given 17 on the release-1.26 line (its
  // file, edited) meets kubelets and runtimes of 1.27 and later that read 17 as CDI devices: the same
  // conflict whether the baseline is the tag v0.26.0 or its file.
  const old = corpus.textOf('v0.26.0')!;
  const edited = old.replace('    WindowsContainerConfig windows = 16;\n', '    WindowsContainerConfig windows = 16;\n    // Devices to inject.\n    repeated string devices_v2 = 17;\n');
  assert.notEqual(edited, old);
  const bound = bind(parse(edited), 'file:///work/api.proto');
  const reuse = (baseline: Baseline): string[] =>
    checkCompatibility(edited, bound, baseline).findings.filter((f) => HISTORY_RULES.has(f.rule)).map((f) => `${f.rule} ${f.element}: ${f.message}`);
  // CDI_devices is still in the newest release: its use is not over.
  const newest = history.releases.at(-1)!.tag;
  const want = [`FIELD_NUMBER_REUSED_HISTORY runtime.v1.ContainerConfig.devices_v2: field number 17 was used by "CDI_devices" (runtime.v1.CDIDevice) since v0.27.0-alpha.3 (still in ${newest}, the newest release); "devices_v2" must not reuse it`];
  assert.deepEqual(reuse({ tag: 'v0.26.0', source: 'bundled', origin: 'test', model: history.modelAt('v0.26.0')!, history }), want, 'the tag as the baseline');
  // A file baseline's "tag" is its path, which says nothing about where it stands in the history.
  const fileModel = bind(parse(old), 'file:///old/api.proto').model;
  assert.deepEqual(reuse({ tag: '../old/api.proto', source: 'path', origin: 'test', model: fileModel, history }), want, 'its file as the baseline');
});

test('history reuse: a release file against an older baseline is not blamed for what a later release changed', (t) => {
  if (!corpus) {
    t.skip(CORPUS_HELP);
    return;
  }
  const history = loadBundledHistory('runtime.v1');
  // v0.37.0-alpha.1 renamed the 66 Signal values (SIGABRT = 1 became SIGNAL_SIGABRT = 1). The unedited v0.36.3
  // file has them as released; checked against v0.26.0, from before Signal, without saying which release it
  // is, it reuses nothing: the renames are v0.37's change, reported in v0.37's check.
  const text = corpus.textOf('v0.36.3')!;
  const bound = bind(parse(text), 'file:///work/api.proto');
  const old = corpus.textOf('v0.26.0')!;
  for (const baseline of [
    { tag: 'v0.26.0', source: 'bundled', origin: 'test', model: history.modelAt('v0.26.0')!, history },
    { tag: '../old/api.proto', source: 'path', origin: 'test', model: bind(parse(old), 'file:///old/api.proto').model, history },
  ] satisfies Baseline[]) {
    const found = checkCompatibility(text, bound, baseline).findings.filter((f) => HISTORY_RULES.has(f.rule));
    assert.deepEqual(found.map((f) => `${f.rule} ${f.element}`), [], baseline.tag);
  }
  // The other way round, the v0.37.0-beta.0 file does reuse those numbers with new names, against any baseline
  // that has no Signal to compare them with.
  const newer = corpus.textOf('v0.37.0-beta.0')!;
  const renamed = checkCompatibility(newer, bind(parse(newer), 'file:///work/api.proto'), { tag: 'v0.26.0', source: 'bundled', origin: 'test', model: history.modelAt('v0.26.0')!, history }).findings
    .filter((f) => f.rule === 'ENUM_VALUE_NUMBER_REUSED');
  assert.equal(renamed.length, 66);
  assert.equal(renamed.find((f) => f.element === 'runtime.v1.Signal.SIGNAL_SIGABRT')?.message, 'enum number 1 was "SIGABRT" until v0.37.0-alpha.0; "SIGNAL_SIGABRT" must not reuse it');
});
