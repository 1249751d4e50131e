// In-process measurements for bench/run.mjs, which bundles this file to out/bench/bench.js and runs it as a
// child process, one command per process: `node out/bench/bench.js <command> '<json options>'`. Every
// command prints one JSON line on stdout (timings in milliseconds) and nothing else there.
//
//   warm           analyze() of the newest api.proto against the newest stable release, warm; then one-character edits
//   profile        the edit loop only, for `node --cpu-prof`
//   history-build  historyFileFromCorpus() from scratch: first call in this process, then warm repeats
//   history-load   loadBundledHistory() as the first call in this process; RSS around it; re-instantiation from JSON
//   scale          analyze() cost per line at 1×, 10× and 100× the size of api.proto
//   scale-runs     analyze() of one of those files a given number of times, for instruction counts under callgrind
//   scale-files    writes those files and their baselines as buf modules, for the whole-process runs

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GCProfiler } from 'node:v8';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import { reparse } from '../server/src/proto/reparse';
import type { ProtoFile } from '../server/src/proto/ast';
import { analyze } from '../server/src/service';
import type { Baseline } from '../server/src/baseline/types';
import { IndexedHistory, bundledHistoryFile, historyFileFromCorpus, loadBundledHistory } from '../server/src/baseline/historyIndex';
import { Corpus, V1_PATH } from '../server/src/baseline/corpus';
import { typedArrayScan } from './typedArrayScan';

type Json = Record<string, unknown>;

const now = (): number => performance.now();

function out(result: Json): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** CPU time of this process (user + system, all threads: GC helpers included), in ms. */
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Runs `fn` `warmup` times untimed, then until `maxRuns` runs or `budgetMs` have passed (at least `minRuns`).
 * Wall times, and in `cpu` the process CPU time of each run (unaffected by other processes on a busy machine).
 */
function sample(fn: (i: number) => void, o: { warmup: number; minRuns: number; maxRuns: number; budgetMs: number; cpu?: number[] }): number[] {
  for (let i = 0; i < o.warmup; i++) fn(i);
  const times: number[] = [];
  const start = now();
  for (let i = 0; i < o.maxRuns && (i < o.minRuns || now() - start < o.budgetMs); i++) {
    const c = cpu();
    const t = now();
    fn(i);
    times.push(now() - t);
    o.cpu?.push(cpu() - c);
  }
  return times;
}

// ---- the file and its baseline ---------------------------------------------------------------------------

interface Subject {
  tag: string;
  text: string;
  baseline: Baseline;
}

function newestV1(corpusDir: string): Subject {
  const corpus = new Corpus(corpusDir);
  const rows = corpus.goTags(V1_PATH);
  const row = rows[rows.length - 1];
  if (!row) throw new Error(`no ${V1_PATH} in ${corpusDir}`);
  const history = loadBundledHistory('runtime.v1');
  const rel = history.newestRelease({ includePrereleases: false });
  const model = rel && history.modelAt(rel.tag);
  if (!rel || !model) throw new Error('the bundled index has no stable release');
  return {
    tag: row.tag,
    text: corpus.text(row.blob),
    baseline: { tag: rel.tag, kubernetes: rel.kubernetes, source: 'bundled', origin: 'bundled release index (newest release)', model, history },
  };
}

/**
 * One-character edits of `text` at positions spread over the file: the last digit of a field number or a digit in a
 * comment changed, a letter typed at the end of a field's name or of a comment's line. Each returns the text with that
 * one edit.
 */
function oneCharacterEdits(text: string): { kind: string; line: number; text: string }[] {
  const lines = text.split('\n');
  const numbers: { line: number; col: number }[] = [];
  const names: { line: number; col: number }[] = [];
  const comments: { line: number; col: number }[] = [];
  const commentEnds: { line: number; col: number }[] = [];
  lines.forEach((l, i) => {
    const c = l.indexOf('//');
    const code = c >= 0 ? l.slice(0, c) : l;
    const m = /=\s*(\d+)\s*[;[]/.exec(code);
    const field = /^\s*(repeated\s+|optional\s+)?[\w.]+\s+\w+\s*=/.exec(code);
    if (m && field) {
      numbers.push({ line: i, col: m.index + m[0].indexOf(m[1]!) + m[1]!.length - 1 });
      names.push({ line: i, col: field[0].replace(/\s*=$/, '').length });
    }
    if (c >= 0) {
      const d = /\d/.exec(l.slice(c));
      if (d) comments.push({ line: i, col: c + d.index });
      commentEnds.push({ line: i, col: l.length });
    }
  });
  const pick = <T>(xs: T[], n: number): T[] => (xs.length <= n ? xs : Array.from({ length: n }, (_, k) => xs[Math.floor(((k + 0.5) * xs.length) / n)]!));
  const make = (kind: string, p: { line: number; col: number }, typed?: string): { kind: string; line: number; text: string } => {
    const l = lines[p.line]!;
    const d = Number(l[p.col]);
    const copy = [...lines];
    copy[p.line] = typed === undefined ? l.slice(0, p.col) + String(d === 9 ? 8 : d + 1) + l.slice(p.col + 1) : l.slice(0, p.col) + typed + l.slice(p.col);
    return { kind, line: p.line + 1, text: copy.join('\n') };
  };
  return [
    ...pick(numbers, 4).map((p) => make('field number digit', p)),
    ...pick(comments, 4).map((p) => make('comment digit', p)),
    ...pick(names, 2).map((p) => make('letter typed after a field name', p, 's')),
    ...pick(commentEnds, 2).map((p) => make('letter typed after a comment', p, 's')),
  ];
}

/** Enter pressed at the end of four field lines spread over the file: each returns the text with one empty line more. */
function lineBreakEdits(text: string): { line: number; text: string }[] {
  const lines = text.split('\n');
  const fields = lines.flatMap((l, i) => (/^\s*(repeated\s+|optional\s+)?[\w.]+\s+\w+\s*=\s*\d+\s*;/.test(l) ? [i] : []));
  return [0, 1, 2, 3].map((k) => {
    const i = fields[Math.floor(((k + 0.5) * fields.length) / 4)]!;
    return { line: i + 1, text: [...lines.slice(0, i + 1), '', ...lines.slice(i + 1)].join('\n') };
  });
}

function cmdWarm(o: { corpus: string; budgetMs?: number }): Json {
  const s = newestV1(o.corpus);
  const uri = 'file:///bench/api.proto';
  // As the editor runs it: with the tree of the version before, whose declarations away from an edit it reuses.
  let previous: ProtoFile | undefined;
  const run = (text: string, edited = false): ReturnType<typeof analyze> => {
    const a = analyze(text, { uri, baseline: s.baseline, ...(edited && previous ? { previous } : {}) });
    previous = a.bound.ast;
    return a;
  };
  const first = now();
  const a = run(s.text);
  const firstMs = now() - first;
  const budgetMs = o.budgetMs ?? 4000;
  const fullCpu: number[] = [];
  const editCpu: number[] = [];
  const full = sample(() => run(s.text), { warmup: 30, minRuns: 30, maxRuns: 400, budgetMs, cpu: fullCpu });
  // An editor session: original → edit 1 → original → edit 2 → …; every step differs from the one before by one character.
  const edits = oneCharacterEdits(s.text);
  const steps: string[] = [];
  for (const e of edits) steps.push(e.text, s.text);
  const edit = sample((i) => run(steps[i % steps.length]!, true), { warmup: steps.length, minRuns: 30, maxRuns: 400, budgetMs, cpu: editCpu });
  // Enter and its undoing: a line break typed or deleted, after which reparse() keeps only the declarations before it.
  const enterSteps = lineBreakEdits(s.text).flatMap((e) => [e.text, s.text]);
  const enter = sample((i) => run(enterSteps[i % enterSteps.length]!, true), { warmup: enterSteps.length, minRuns: 30, maxRuns: 200, budgetMs: budgetMs / 2 });
  const enterParse: number[] = [];
  let last = reparse(s.text, undefined);
  for (let i = 0; i < 48; i++) {
    const t = now();
    last = reparse(enterSteps[i % enterSteps.length]!, last);
    enterParse.push(now() - t);
  }
  // The same, split into phases (parse / bind / checks), for the report.
  const parseT: number[] = [];
  const bindT: number[] = [];
  const checkT: number[] = [];
  let before = reparse(steps.at(-1)!, undefined);
  for (let i = 0; i < 48; i++) {
    const text = steps[i % steps.length]!;
    const t0 = now();
    const ast = reparse(text, before);
    const t1 = now();
    bind(ast, uri);
    const t2 = now();
    analyze(text, { uri, baseline: s.baseline, previous: before });
    const t3 = now();
    before = ast;
    parseT.push(t1 - t0);
    bindT.push(t2 - t1);
    checkT.push(t3 - t2 - (t2 - t0)); // analyze = parse + bind + checks
  }
  return {
    tag: s.tag, baseline: s.baseline.tag, lines: s.text.split('\n').length, bytes: Buffer.byteLength(s.text),
    problems: a.bound.problems.length, findings: a.findings.length, additions: a.additions.length,
    firstMs, full, edit, enter, enterParse, fullCpu, editCpu, edits: edits.map((e) => ({ kind: e.kind, line: e.line })),
    phases: { parse: parseT, bind: bindT, checks: checkT },
  };
}

function cmdProfile(o: { corpus: string; iterations?: number }): Json {
  const s = newestV1(o.corpus);
  const edits = oneCharacterEdits(s.text);
  const steps: string[] = [];
  for (const e of edits) steps.push(e.text, s.text);
  const n = o.iterations ?? 1500;
  const t = now();
  let previous: ProtoFile | undefined;
  for (let i = 0; i < n; i++) previous = analyze(steps[i % steps.length]!, { uri: 'file:///bench/api.proto', baseline: s.baseline, ...(previous ? { previous } : {}) }).bound.ast;
  return { iterations: n, ms: now() - t };
}

// ---- history index ---------------------------------------------------------------------------------------

function cmdHistoryBuild(o: { corpus: string; repeats?: number }): Json {
  const c0 = cpu();
  const t0 = now();
  const corpus = new Corpus(o.corpus);
  const file = historyFileFromCorpus(corpus);
  const firstMs = now() - t0;
  const firstCpuMs = cpu() - c0;
  const warm: number[] = [];
  for (let i = 0; i < (o.repeats ?? 0); i++) {
    const t = now();
    historyFileFromCorpus(new Corpus(o.corpus)); // a new Corpus: no text cache (the OS page cache stays warm)
    warm.push(now() - t);
  }
  const releases = Object.values(file.packages).reduce((n, p) => n + p.tags.length, 0);
  return { firstMs, firstCpuMs, warm, packages: Object.keys(file.packages), releases, blobs: corpus.blobs().length };
}

function cmdHistoryLoad(o: { corpus: string; repeats?: number }): Json {
  // What the server does today: analyze the opened file without a baseline. Then what it would do with the
  // history: load the bundled index, take the newest stable model, check the file against it.
  const corpus = new Corpus(o.corpus);
  const rows = corpus.goTags(V1_PATH);
  const text = corpus.text(rows[rows.length - 1]!.blob);
  const uri = 'file:///bench/api.proto';
  analyze(text, { uri });
  const rss0 = process.memoryUsage().rss;
  const t0 = now();
  const h = loadBundledHistory('runtime.v1');
  const firstMs = now() - t0;
  const rss1 = process.memoryUsage().rss;
  const t1 = now();
  const rel = h.newestRelease({ includePrereleases: false });
  const model = rel && h.modelAt(rel.tag);
  const modelMs = now() - t1;
  if (!rel || !model) throw new Error('the bundled index has no stable release');
  const t2 = now();
  const a = analyze(text, { uri, baseline: { tag: rel.tag, source: 'bundled', origin: 'bundled release index', model, history: h } });
  const checkMs = now() - t2;
  const rss2 = process.memoryUsage().rss;
  // Re-instantiation from the JSON text (JSON.parse + IndexedHistory), warm.
  const json = JSON.stringify(bundledHistoryFile().packages['runtime.v1']);
  const reinstantiate = sample(() => new IndexedHistory(JSON.parse(json)), { warmup: 5, minRuns: 20, maxRuns: 100, budgetMs: 1500 });
  // element(): what a hover or a finding asks of the history, per element path; warm, each sample a pass over every
  // path the index knows, reported per call.
  const paths = h.elementPaths();
  const lookupUs = sample(() => { for (const p of paths) h.element(p); }, { warmup: 5, minRuns: 20, maxRuns: 200, budgetMs: 500 })
    .map((ms) => (ms * 1000) / paths.length);
  return {
    firstMs, modelMs, checkMs, findings: a.findings.length, releases: h.releases.length, jsonBytes: json.length,
    rssMiB: rss0 / 2 ** 20, rssDeltaLoadMiB: (rss1 - rss0) / 2 ** 20, rssDeltaWithHistoryMiB: (rss2 - rss0) / 2 ** 20,
    reinstantiate, lookupUs, elementPaths: paths.length,
  };
}

// ---- the whole history, in one process -------------------------------------------------------------------

// ---- scaling ---------------------------------------------------------------------------------------------

/**
 * api.proto × `factor`: the original declarations, then `factor - 1` copies of every message, enum and
 * service with `_k` appended to every declared type name, enum value name and service name (and to their
 * uses), all in the one package. Enum values are renamed too: proto enum values share the package scope.
 */
export function scaleProto(text: string, factor: number): string {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => /^(message|enum|service)\s+\w+/.test(l));
  if (first < 0) throw new Error('no top-level declaration');
  // Keep the comment block right above the first declaration with the body.
  let start = first;
  while (start > 0 && /^\s*\/\//.test(lines[start - 1]!)) start--;
  const header = lines.slice(0, start).join('\n');
  const body = lines.slice(start).join('\n');
  const names = new Set<string>();
  // Declared names (comments stripped first), and enum values: `NAME = n` lines directly inside an enum body.
  const stack: boolean[] = [];
  for (const l of body.split('\n')) {
    const code = l.replace(/\/\/.*$/, '');
    const decl = /^\s*(?:message|enum|service)\s+([A-Za-z_]\w*)/.exec(code);
    if (decl) names.add(decl[1]!);
    if (stack[stack.length - 1] === true) {
      const v = /^\s*([A-Za-z_]\w*)\s*=\s*-?\d/.exec(code);
      if (v && v[1] !== 'option') names.add(v[1]!);
    }
    for (const ch of code) {
      if (ch === '{') stack.push(/\benum\s+\w+\s*\{/.test(code) && !stack.includes(true) ? true : false);
      else if (ch === '}') stack.pop();
    }
  }
  const re = new RegExp(`\\b(${[...names].sort((a, b) => b.length - a.length).join('|')})\\b`, 'g');
  const MARK = '\u0001';
  const template = body.replace(re, (m) => m + MARK);
  const parts = [header, body];
  for (let k = 1; k < factor; k++) parts.push(template.split(MARK).join(`_${k}`));
  return parts.join('\n');
}

/** A baseline for a scaled file: the same text with `n` edits spread over it (field numbers +1000, field renames). */
export function editedBaseline(text: string, n: number): { text: string; edits: number } {
  const lines = text.split('\n');
  const fields: number[] = [];
  lines.forEach((l, i) => {
    if (/^\s+(repeated\s+|optional\s+)?[\w.]+\s+[a-z_]\w*\s*=\s*\d+\s*;/.test(l.replace(/\/\/.*$/, ''))) fields.push(i);
  });
  let edits = 0;
  for (let k = 0; k < n && fields.length; k++) {
    const i = fields[Math.floor(((k + 0.5) * fields.length) / n)]!;
    const l = lines[i]!;
    lines[i] = k % 2 === 0 ? l.replace(/=\s*(\d+)/, (_, d: string) => `= ${Number(d) + 1000}`) : l.replace(/(\s)([a-z_]\w*)(\s*=)/, '$1$2_old$3');
    edits++;
  }
  return { text: lines.join('\n'), edits };
}

/** api.proto × `factor` and its baseline (6 edits, with the release history), as analyze() takes them. */
function scaled(s: Subject, factor: number) {
  const text = scaleProto(s.text, factor);
  const base = editedBaseline(text, 6);
  const history = s.baseline.history;
  const model = bind(parse(base.text), 'file:///bench/baseline.proto').model;
  const baseline: Baseline = { tag: `x${factor}-baseline`, source: 'path', origin: 'generated', model, ...(history ? { history } : {}) };
  return { text, base, uri: `file:///bench/api-x${factor}.proto`, baseline, lines: text.split('\n').length };
}

function cmdScale(o: { corpus: string; factors?: number[]; budgetMs?: number }): Json {
  const s = newestV1(o.corpus);
  const factors = o.factors ?? [1, 10, 100];
  const results: Json[] = [];
  let perLine1: number | undefined;
  let perLineCpu1: number | undefined;
  let perLineOutsideGc1: number | undefined;
  let parse1: number | undefined;
  let scan1: number | undefined;
  for (const factor of factors) {
    const t0 = now();
    const { text, base, uri, baseline, lines } = scaled(s, factor);
    const genMs = now() - t0;
    // Untimed warm-up at every size until the JIT is warm: 30 runs, or 1 s, whichever comes first (one run
    // warms it at 100×). With fewer, 1× would be timed half-cold and look slower per line than it is.
    let check: ReturnType<typeof analyze> | undefined;
    for (let k = 0, w0 = now(); k < 30 && (k === 0 || now() - w0 < 1000); k++) check = analyze(text, { uri, baseline });
    // Aim at ~budget per size, at least 3 timed runs.
    const budgetMs = o.budgetMs ?? 6000;
    const times: number[] = [];
    const cpuTimes: number[] = [];
    // Main-thread garbage-collection pauses inside each run: what separates the per-line cost of a file
    // whose whole tree dies young (1×) from one whose tree outlives several collections (10×, 100×).
    const gcTimes: number[] = [];
    const gc = new GCProfiler();
    for (let runs = 3; times.length < runs;) {
      const c = cpu();
      gc.start();
      const t = now();
      analyze(text, { uri, baseline });
      times.push(now() - t);
      gcTimes.push(gc.stop().statistics.reduce((sum, e) => sum + e.cost / 1000, 0));
      cpuTimes.push(cpu() - c);
      if (times.length === 1) runs = Math.max(3, Math.min(1000, Math.floor(budgetMs / Math.max(times[0]!, 0.1))));
    }
    const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // For scale: parse() alone, and the same file kept in typed arrays (see typedArrayScan.ts), timed alike.
    const alone = (fn: () => void): number => med(sample(fn, { warmup: 3, minRuns: 3, maxRuns: 1000, budgetMs: budgetMs / 4 })) / lines * 1000;
    const parseUs = alone(() => parse(text));
    const scanUs = alone(() => typedArrayScan(text));
    const median = med(times);
    const perLineUs = (median / lines) * 1000;
    const perLineCpuUs = (med(cpuTimes) / lines) * 1000;
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    const gcShare = sum(gcTimes) / sum(times);
    const perLineOutsideGcUs = (med(times.map((t, k) => t - gcTimes[k]!)) / lines) * 1000;
    perLine1 ??= perLineUs;
    perLineCpu1 ??= perLineCpuUs;
    perLineOutsideGc1 ??= perLineOutsideGcUs;
    parse1 ??= parseUs;
    scan1 ??= scanUs;
    results.push({
      factor, lines, bytes: Buffer.byteLength(text), genMs, times, cpuTimes, gcTimes, medianMs: median,
      perLineUs, ratio: perLineUs / perLine1, perLineCpuUs, cpuRatio: perLineCpuUs / perLineCpu1,
      gcShare, perLineOutsideGcUs, outsideGcRatio: perLineOutsideGcUs / perLineOutsideGc1,
      parseUs, parseRatio: parseUs / parse1, scanUs, scanRatio: scanUs / scan1,
      problems: check!.bound.problems.length, messages: check!.bound.model.messages.length, enums: check!.bound.model.enums.length,
      findings: check!.findings.length, baselineEdits: base.edits,
    });
  }
  return { results };
}

/**
 * For run.mjs's instruction counts (callgrind): `warmup` analyze() calls of api.proto × `factor`, then `runs` more.
 * Two processes that differ only in `runs` differ by the instructions of those runs, at the JIT's steady state.
 */
function cmdScaleRuns(o: { corpus: string; factor?: number; warmup?: number; runs?: number }): Json {
  const { text, uri, baseline, lines } = scaled(newestV1(o.corpus), o.factor ?? 1);
  for (let k = 0; k < (o.warmup ?? 0) + (o.runs ?? 0); k++) analyze(text, { uri, baseline });
  return { lines };
}

/**
 * The files of the whole-process scaling runs (run.mjs, section 6): for each factor, `x<factor>/new` and
 * `x<factor>/old`, each a buf module (buf.yaml v2) holding api.proto, the scaled file and its edited baseline
 * as `cmdScale` checks them. Plus `x0`: a three-line pair with one breaking change, whose run is what a
 * process costs before the file's size matters.
 */
function cmdScaleFiles(o: { corpus: string; dir?: string; factors?: number[] }): Json {
  if (!o.dir || !o.factors) throw new Error('scale-files needs dir and factors');
  const s = newestV1(o.corpus);
  const write = (dir: string, text: string): void => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'buf.yaml'), 'version: v2\n');
    writeFileSync(join(dir, 'api.proto'), text);
  };
  const tiny = 'syntax = "proto3";\npackage runtime.v1;\nmessage A { int32 a = 1; }\n';
  const root = o.dir;
  write(join(root, 'x0', 'new'), tiny);
  write(join(root, 'x0', 'old'), tiny.replace('= 1', '= 2'));
  const lines: Record<string, number> = { 0: tiny.split('\n').length };
  for (const factor of o.factors) {
    const text = scaleProto(s.text, factor);
    write(join(root, `x${factor}`, 'new'), text);
    write(join(root, `x${factor}`, 'old'), editedBaseline(text, 6).text);
    lines[factor] = text.split('\n').length;
  }
  return { lines };
}

// ---- entry -----------------------------------------------------------------------------------------------

const [command, arg] = process.argv.slice(2);
const options = (arg ? JSON.parse(arg) : {}) as Json & { corpus: string };
const commands: Record<string, (o: typeof options) => Json> = {
  warm: cmdWarm, profile: cmdProfile, 'history-build': cmdHistoryBuild, 'history-load': cmdHistoryLoad, scale: cmdScale, 'scale-runs': cmdScaleRuns, 'scale-files': cmdScaleFiles,
};
const fn = command ? commands[command] : undefined;
if (!fn) {
  process.stderr.write(`usage: bench.js <${Object.keys(commands).join('|')}> '<json options>'\n`);
  process.exit(2);
}
out(fn(options));
