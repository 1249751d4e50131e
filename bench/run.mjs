// Benchmarks (issue 5): `npm run bench` (builds first) or `node bench/run.mjs` after `node scripts/build.mjs`.
// Prints a markdown table and writes bench/results/latest.md and latest.json. Method: bench/README.md.
//
//   node bench/run.mjs [--profile] [--only warm,lsp,history,cli,pairs,scale]
//
// --profile  profile the edit loop with `node --cpu-prof` even when figure 1 meets its targets
// --only     run some sections; prints the table but leaves bench/results alone
//
// Measured code: dist/cli.js and dist/server.js as built, and bench/bench.ts bundled here to out/bench/bench.js
// (the same sources). All three are copied to a temporary directory first, so that a rebuild of dist/ or
// out/ by someone else while this runs cannot change what is measured half way.

import * as esbuild from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import * as os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = (() => {
  const i = args.indexOf('--only');
  return i >= 0 ? new Set((args[i + 1] ?? '').split(',').filter(Boolean)) : undefined;
})();
const want = (section) => !only || only.has(section);
const forceProfile = args.includes('--profile');
const started = performance.now();

// ---- helpers ---------------------------------------------------------------------------------------------

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => {
  const s = sorted(xs);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stats = (xs) => ({ n: xs.length, min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });
const log = (s) => process.stderr.write(`${s}\n`);

function fail(message) {
  log(`bench: ${message}`);
  process.exit(2);
}

function timed(cmd, argv, options = {}) {
  const t = performance.now();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 256 * 2 ** 20, ...options });
  const ms = performance.now() - t;
  if (r.error) throw r.error;
  return { ms, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a bench.js command in a fresh process; its JSON line plus the process's wall time. */
function worker(command, options, nodeFlags = [], timeoutMs = 180_000) {
  const r = timed(process.execPath, [...nodeFlags, BENCH_JS, command, JSON.stringify(options)], { timeout: timeoutMs, cwd: WORK });
  if (r.status !== 0) throw new Error(`bench.js ${command} exited ${r.status}${r.status === null ? ' (timeout?)' : ''}: ${r.stderr.slice(-2000)}`);
  return { ...JSON.parse(r.stdout.trim().split('\n').pop()), wallMs: r.ms };
}

const fmtMs = (v) => (v === undefined || Number.isNaN(v) ? '—' : v >= 100 ? `${v.toFixed(0)} ms` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`);
const fmtMiB = (v) => `${v.toFixed(1)} MB`;
const fmtX = (v) => `${v.toFixed(2)}×`;
const fmtUs = (v) => `${v.toFixed(2)} µs`;

// ---- setup -----------------------------------------------------------------------------------------------

const corpusDir = [process.env.CRI_API_CORPUS, join(ROOT, '..', 'shared', 'cri-api')].filter(Boolean).map((d) => resolve(d))
  .find((d) => existsSync(join(d, 'tags.tsv')));
if (!corpusDir) {
  fail('CRI api.proto corpus not found: set CRI_API_CORPUS to a directory with tags.tsv and blobs/<sha>.proto ' +
    '(the layout of shared/cri-api, one api.proto per kubernetes/cri-api tag), or place it at ../shared/cri-api.');
}
for (const f of ['cli.js', 'server.js']) if (!existsSync(join(ROOT, 'dist', f))) fail(`dist/${f} is missing: run \`node scripts/build.mjs\` (or \`npm run bench\`, which builds first)`);

await esbuild.build({
  entryPoints: [join(ROOT, 'bench', 'bench.ts')], outfile: join(ROOT, 'out', 'bench', 'bench.js'), absWorkingDir: ROOT,
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'warning', loader: { '.json': 'text' },
});

const WORK = mkdtempSync(join(os.tmpdir(), 'cri-compat-bench-'));
process.on('exit', () => rmSync(WORK, { recursive: true, force: true }));
mkdirSync(join(WORK, 'bin'));
for (const [dir, f] of [['dist', 'cli.js'], ['dist', 'cli-main.js'], ['dist', 'cli-main.jsc'], ['dist', 'server.js'], ['out/bench', 'bench.js']]) {
  copyFileSync(join(ROOT, dir, f), join(WORK, 'bin', f));
  if (existsSync(join(ROOT, dir, `${f}.map`))) copyFileSync(join(ROOT, dir, `${f}.map`), join(WORK, 'bin', `${f}.map`));
}
const CLI_JS = join(WORK, 'bin', 'cli.js');
const SERVER_JS = join(WORK, 'bin', 'server.js');
const BENCH_JS = join(WORK, 'bin', 'bench.js');
/** Where bench.js.map's relative source paths start from. */
const BENCH_MAP_BASE = join(ROOT, 'out', 'bench');

// The corpus: v0.* rows per path, in the file's (semantic-version) order.
const rows = readFileSync(join(corpusDir, 'tags.tsv'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => {
  const [tag, path, blob, date, pre] = l.split('\t');
  return { tag, path, blob, date, prerelease: pre === 'yes' };
}).filter((r) => r.tag.startsWith('v0.'));
const V1_PATH = 'pkg/apis/runtime/v1/api.proto';
const V1ALPHA2_PATH = 'pkg/apis/runtime/v1alpha2/api.proto';
const v1Rows = rows.filter((r) => r.path === V1_PATH);
const newest = v1Rows[v1Rows.length - 1];
const newestStable = [...v1Rows].reverse().find((r) => !r.prerelease);
const blobPath = (blob) => join(corpusDir, 'blobs', `${blob}.proto`);

// buf: the platform binary that node_modules/.bin/buf (a Node shim) would start, so that buf is not charged a Node start.
const bufShim = join(ROOT, 'node_modules', '.bin', 'buf');
const bufNative = join(ROOT, 'node_modules', '@bufbuild', `buf-${process.platform}-${process.arch === 'x64' ? 'x64' : process.arch}`, 'bin', 'buf');
const BUF = existsSync(bufNative) ? bufNative : existsSync(bufShim) ? bufShim : undefined;
const bufEnv = { ...process.env, BUF_CACHE_DIR: join(WORK, 'buf-cache') };
// NODE_EXTRA_CA_CERTS makes every Node process load those certificates before any script runs (about 40 ms
// on this machine, where it is set for every process). Node's default environment is measured beside it.
const nodeDefaultEnv = { ...process.env };
delete nodeDefaultEnv.NODE_EXTRA_CA_CERTS;

const env = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.availableParallelism?.() ?? os.cpus().length,
  memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
  loadavgStart: os.loadavg().map((x) => +x.toFixed(2)),
  buf: BUF ? timed(BUF, ['--version']).stdout.trim() : 'not installed',
  bufBinary: BUF ? relative(ROOT, BUF) : undefined,
  git: (() => {
    const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim();
    const dirty = spawnSync('git', ['status', '--porcelain', '--', 'server', 'scripts', 'package.json'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim();
    return head ? `${head}${dirty ? ' + uncommitted changes' : ''}` : 'unknown';
  })(),
  corpus: corpusDir,
  file: `${newest.tag} ${V1_PATH} (${readFileSync(blobPath(newest.blob), 'utf8').split('\n').length} lines)`,
  baseline: `${newestStable.tag} (bundled release index, with history)`,
};

/** Table rows: { id, figure, stats?: {min, median, max}, value?, fmt, target?: [op, value, text], info?: true, note? } */
const figures = [];
const results = { env, sections: {} };
const add = (f) => {
  const v = f.stats ? f.stats.median : f.value;
  if (f.target) {
    const [op, t] = f.target;
    f.pass = op === '<' ? v < t : op === '<=' ? v <= t : undefined;
  }
  figures.push(f);
  log(`  ${f.id} ${f.figure}: ${f.fmt(v)}${f.target ? ` (target ${f.target[2]}: ${f.pass ? 'pass' : 'FAIL'})` : ''}`);
};

log(`bench: ${env.file} against ${env.baseline}; corpus ${corpusDir}; ${env.cores} cores, load ${env.loadavgStart.join(' ')}`);

// ---- 1. in-process, warm ---------------------------------------------------------------------------------

let profile;
if (want('warm')) {
  log('1. analyze(), warm, in process');
  const w = worker('warm', { corpus: corpusDir, budgetMs: 4000 });
  results.sections.warm = w;
  add({ id: '1a', figure: `analyze() warm: parse + bind + all checks, ${w.lines} lines vs ${w.baseline} + history (${w.findings} findings)`, stats: stats(w.full), fmt: fmtMs, target: ['<', 5, '< 5 ms'] });
  add({ id: '1b', figure: 'analyze() after a one-character edit (digit in a field number or comment)', stats: stats(w.edit), fmt: fmtMs, target: ['<', 2, '< 2 ms'] });
  add({ id: '1c', figure: '… of which parse / bind / checks (medians)', value: median(w.phases.parse), info: true,
    fmt: () => `${fmtMs(median(w.phases.parse))} / ${fmtMs(median(w.phases.bind))} / ${fmtMs(median(w.phases.checks))}` });
  add({ id: '1d', figure: 'analyze() first call in a fresh process (cold JIT, history already loaded)', value: w.firstMs, fmt: fmtMs, info: true });
  add({ id: '1e', figure: 'CPU time of the process per analyze() (all threads, so GC helpers count; other processes do not), full / edit, medians', value: median(w.fullCpu), info: true,
    fmt: () => `${fmtMs(median(w.fullCpu))} / ${fmtMs(median(w.editCpu))}` });
  add({ id: '1f', figure: 'analyze() after Enter at the end of a field line, or its undoing (four spread over the file: the declarations after it are parsed again)', stats: stats(w.enter), fmt: fmtMs, info: true,
    note: `parse alone ${fmtMs(median(w.enterParse))} (median)` });
  const missed = figures.some((f) => (f.id === '1a' || f.id === '1b') && !f.pass);
  if (missed || forceProfile) {
    log('   profiling the edit loop (node --cpu-prof)');
    profile = cpuProfile();
    results.sections.profile = profile;
  }
}

function cpuProfile() {
  const dir = join(WORK, 'prof');
  rmSync(dir, { recursive: true, force: true });
  const run = worker('profile', { corpus: corpusDir, iterations: 800 }, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const prof = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const map = new SourceMap(JSON.parse(readFileSync(`${BENCH_JS}.map`, 'utf8')));
  const benchLines = readFileSync(BENCH_JS, 'utf8').split('\n');
  const benchUrl = pathToFileURL(BENCH_JS).href;
  const where = (line0, col0) => {
    // line0/col0: 0-based generated position; the mapping at or before it on that line.
    const e = map.findEntry(line0, col0);
    if (!e || !e.originalSource) return undefined;
    const src = relative(ROOT, resolve(BENCH_MAP_BASE, e.originalSource.replace(/^file:\/\//, '')));
    return `${src}:${e.originalLine + 1}`;
  };
  // Self time per node: sample counts × the mean sampling interval. (Not timeDeltas: on a loaded machine a
  // sample taken after the process was descheduled carries the whole wait, which lands on a random function.)
  const self = new Map();
  for (const id of prof.samples) self.set(id, (self.get(id) ?? 0) + 1);
  const interval = (prof.endTime - prof.startTime) / prof.samples.length; // µs
  for (const [id, n] of self) self.set(id, n * interval);
  let total = 0;
  for (const v of self.values()) total += v;
  const byFn = new Map();
  const byLine = new Map();
  for (const n of prof.nodes) {
    const us = self.get(n.id) ?? 0;
    if (!us) continue;
    const cf = n.callFrame;
    const ours = cf.url === benchUrl;
    const loc = ours ? where(cf.lineNumber, cf.columnNumber) : undefined;
    const name = cf.functionName || '(anonymous)';
    const key = ours ? `${name} — ${loc ?? 'bench.js'}` : `${name} — ${cf.url ? cf.url.replace(/^.*\//, '') : '(native / V8)'}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    if (ours && n.positionTicks?.length) {
      const ticks = n.positionTicks.reduce((a, p) => a + p.ticks, 0);
      for (const p of n.positionTicks) {
        const gl = p.line - 1;
        const indent = (benchLines[gl] ?? '').search(/\S/);
        const l = where(gl, Math.max(0, indent)) ?? `bench.js:${p.line}`;
        byLine.set(`${l} (${name})`, (byLine.get(`${l} (${name})`) ?? 0) + (us * p.ticks) / ticks);
      }
    }
  }
  // Inclusive time per function of ours (a frame counted once per sample, however deep it recurses):
  // which call sites the self time above comes from.
  const parentOf = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parentOf.set(c, n);
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const inclusive = new Map();
  for (const [id, us] of self) {
    const seen = new Set();
    for (let n = byId.get(id); n; n = parentOf.get(n.id)) {
      const cf = n.callFrame;
      if (cf.url !== benchUrl) continue;
      const loc = where(cf.lineNumber, cf.columnNumber);
      if (!loc || loc.startsWith('bench/')) continue; // the harness itself
      const key = `${cf.functionName || '(anonymous)'} — ${loc}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const top = (m, n) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => ({ where: k, ms: us / 1000, pct: (100 * us) / total }));
  return { iterations: run.iterations, loopMs: run.ms, perIterationMs: run.ms / run.iterations, sampledMs: total / 1000, functions: top(byFn, 15), lines: top(byLine, 15), inclusive: top(inclusive, 20) };
}

// ---- 2 + 5. server start to first diagnostics, and its memory -------------------------------------------

/**
 * One server session: start, open `file`, wait for the compatibility findings. With `edits`, then change one
 * character that many times, each change sent when the previous version's diagnostics arrived, and read the
 * RSS once more at the end: what a long editing session leaves resident.
 */
function lspSession(file, text, settings, edits = 0) {
  return new Promise((resolveSession, reject) => {
    const uri = pathToFileURL(file).href;
    const t0 = performance.now();
    const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: WORK });
    let buf = Buffer.alloc(0);
    let stderr = '';
    let tInit;
    let tFirstAny;
    let result;
    let version = 1;
    const lastVersion = 1 + edits;
    // Where the edits go: a digit in the first line comment, so the findings stay the same.
    const at = text.indexOf('// ') + 3;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no diagnostics for ${uri} within 20 s; stderr: ${stderr.slice(-1000)}`));
    }, 20_000);
    const statusKiB = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN);
    const rssMiB = () => statusKiB('VmRSS') / 1024;
    const send = (msg) => {
      const s = JSON.stringify({ jsonrpc: '2.0', ...msg });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`);
    };
    let shuttingDown = false;
    // Once the findings are in: the next one-character edit, or after the last one the RSS, then shutdown.
    const nextEdit = () => {
      if (version === lastVersion) {
        if (edits > 0) result.rssAfterEditsMiB = rssMiB();
        shuttingDown = true;
        send({ id: 2, method: 'shutdown', params: null });
        return;
      }
      version++;
      send({ method: 'textDocument/didChange', params: { textDocument: { uri, version }, contentChanges: [{ text: text.slice(0, at) + String(version % 10) + text.slice(at + 1) }] } });
    };
    const handle = (msg) => {
      if (msg.id === 1 && !msg.method) {
        tInit = performance.now();
        send({ method: 'initialized', params: {} });
        if (settings) send({ method: 'workspace/didChangeConfiguration', params: { settings: { criCompat: settings } } });
        send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'proto', version: 1, text } } });
      } else if (msg.method && msg.id !== undefined) {
        send({ id: msg.id, result: null }); // registrations and the like
      } else if (msg.method === 'textDocument/publishDiagnostics' && msg.params.uri === uri && result) {
        if (!shuttingDown && msg.params.version === version) nextEdit();
      } else if (msg.method === 'textDocument/publishDiagnostics' && msg.params.uri === uri && !result) {
        // The first publication may come before the baseline is resolved (syntax and binding only): the
        // figure is the first one that carries the compatibility findings.
        tFirstAny ??= performance.now();
        if (!msg.params.diagnostics.some((d) => /^[A-Z][A-Z_]+$/.test(String(d.code)))) return;
        const tDiag = performance.now();
        result = {
          initMs: tInit - t0, firstDiagnosticsMs: tDiag - t0, afterInitMs: tDiag - tInit, firstAnyMs: tFirstAny - t0,
          rssMiB: rssMiB(), hwmMiB: statusKiB('VmHWM') / 1024,
          diagnostics: msg.params.diagnostics.length, codes: [...new Set(msg.params.diagnostics.map((d) => d.code))].slice(0, 20),
        };
        nextEdit();
      } else if (msg.id === 2 && !msg.method) {
        send({ method: 'exit', params: null });
      }
    };
    child.stdout.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const sep = buf.indexOf('\r\n\r\n');
        if (sep < 0) return;
        const len = Number(/Content-Length:\s*(\d+)/i.exec(buf.subarray(0, sep).toString('ascii'))?.[1]);
        if (buf.length < sep + 4 + len) return;
        const body = buf.subarray(sep + 4, sep + 4 + len).toString('utf8');
        buf = buf.subarray(sep + 4 + len);
        handle(JSON.parse(body));
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', () => {
      clearTimeout(timer);
      if (result) resolveSession(result);
      else reject(new Error(`server exited before diagnostics; stderr: ${stderr.slice(-1000)}`));
    });
    const folder = pathToFileURL(dirname(file)).href;
    send({
      id: 1, method: 'initialize', params: {
        processId: process.pid, rootUri: folder, workspaceFolders: [{ uri: folder, name: 'bench' }],
        // Untrusted: the baseline comes from the bundled index, as the target asks (no git, no network).
        initializationOptions: { trusted: false },
        capabilities: {
          textDocument: {
            publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
            documentSymbol: { hierarchicalDocumentSymbolSupport: true }, hover: { contentFormat: ['markdown', 'plaintext'] },
          },
          workspace: { workspaceFolders: true },
        },
      },
    });
  });
}

const EDITS = 300;
if (want('lsp')) {
  log('2. server start to first diagnostics (LSP stdio), 10 runs per setting, alternating');
  const dir = join(WORK, 'lsp');
  mkdirSync(dir);
  const file = join(dir, 'api.proto');
  const text = readFileSync(blobPath(newest.blob), 'utf8');
  writeFileSync(file, text);
  const runs = { default: [], debounce0: [] };
  for (let i = 0; i < 10; i++) {
    runs.default.push(await lspSession(file, text));
    runs.debounce0.push(await lspSession(file, text, { validation: { debounceMs: 0 } }));
  }
  // A long editing session, every version analysed: what stays resident once V8 has sized its heap.
  runs.edits = [];
  for (let i = 0; i < 3; i++) runs.edits.push(await lspSession(file, text, { validation: { debounceMs: 0 } }, EDITS));
  results.sections.lsp = runs;
  const d = runs.default;
  add({ id: '2a', figure: `Server start → first diagnostics with the compatibility findings (spawn, initialize, didOpen, bundled baseline; default settings; ${d[0].diagnostics} diagnostics)`, stats: stats(d.map((r) => r.firstDiagnosticsMs)), fmt: fmtMs, target: ['<', 300, '< 300 ms'] });
  add({ id: '2b', figure: '… of which spawn → initialize result', stats: stats(d.map((r) => r.initMs)), fmt: fmtMs, info: true });
  add({ id: '2c', figure: '… of which spawn → first diagnostics of any kind (syntax and binding, before the baseline is resolved)', stats: stats(d.map((r) => r.firstAnyMs)), fmt: fmtMs, info: true });
  add({ id: '2d', figure: 'Same as 2a with criCompat.validation.debounceMs = 0', stats: stats(runs.debounce0.map((r) => r.firstDiagnosticsMs)), fmt: fmtMs, info: true });
  const rss = [...d, ...runs.debounce0].map((r) => r.rssMiB);
  add({ id: '5a', figure: 'Server RSS (VmRSS) right after the first diagnostics', stats: stats(rss), fmt: fmtMiB, target: ['<', 80, '< 80 MB'],
    note: d[0].diagnostics === 0 ? 'the server published 0 diagnostics: it compared against no baseline, so no history was loaded (see 5b)' : undefined });
  add({ id: '5c', figure: `Server RSS after ${EDITS} one-character edits in one session, each analysed (debounceMs = 0; the next edit sent when the diagnostics of the previous one arrive)`, stats: stats(runs.edits.map((r) => r.rssAfterEditsMiB)), fmt: fmtMiB, info: true });
}

// ---- 3. history index ------------------------------------------------------------------------------------

if (want('history')) {
  log('3. history index: from the corpus (5 fresh processes) and the bundled one (10 fresh processes)');
  const builds = [];
  for (let i = 0; i < 5; i++) builds.push(worker('history-build', { corpus: corpusDir, repeats: i === 4 ? 5 : 0 }));
  const loads = [];
  for (let i = 0; i < 10; i++) loads.push(worker('history-load', { corpus: corpusDir }));
  results.sections.history = { builds, loads };
  const b = builds[0];
  add({ id: '3a', figure: `historyFileFromCorpus(): ${b.releases} releases (${b.blobs} distinct files), first call in a fresh process`, stats: stats(builds.map((x) => x.firstMs)), fmt: fmtMs, target: ['<', 1000, '< 1 s'],
    note: `CPU time ${fmtMs(median(builds.map((x) => x.firstCpuMs)))} (median; all threads)` });
  add({ id: '3b', figure: '… repeated in the same process (warm JIT, new Corpus)', stats: stats(builds[4].warm), fmt: fmtMs, info: true });
  add({ id: '3c', figure: `loadBundledHistory() first call in a fresh process (runtime.v1, ${loads[0].releases} releases)`, stats: stats(loads.map((x) => x.firstMs)), fmt: fmtMs, target: ['<', 30, '< 30 ms'] });
  add({ id: '3d', figure: `new IndexedHistory(JSON.parse(…)) from the ${(loads[0].jsonBytes / 1024).toFixed(0)} KB runtime.v1 JSON, warm`, stats: stats(loads.flatMap((x) => x.reinstantiate)), fmt: fmtMs, target: ['<', 30, '< 30 ms'] });
  add({ id: '3e', figure: '… then modelAt(newest stable) once', stats: stats(loads.map((x) => x.modelMs)), fmt: fmtMs, info: true });
  add({ id: '3g', figure: `element() lookup, warm, per call (each sample: the ${loads[0].elementPaths} element paths of runtime.v1)`, stats: stats(loads.flatMap((x) => x.lookupUs)), fmt: fmtUs, info: true });
  const extra = median(loads.map((x) => x.rssDeltaWithHistoryMiB));
  add({ id: '3f', figure: 'RSS growth in a process that has analyzed the file: loadBundledHistory() + modelAt() + one check against it', stats: stats(loads.map((x) => x.rssDeltaWithHistoryMiB)), fmt: fmtMiB, info: true });
  const lsp = results.sections.lsp?.default;
  if (lsp && lsp[0].diagnostics === 0) {
    add({ id: '5b', figure: 'Server RSS estimated with the history loaded: 5a + 3f (medians)', value: median(lsp.map((r) => r.rssMiB)) + extra, fmt: fmtMiB, target: ['<', 80, '< 80 MB'] });
  }
}

// ---- 4. CLI vs buf ---------------------------------------------------------------------------------------

const GOGO_STUB = `// Stub of github.com/gogo/protobuf/gogoproto/gogo.proto for the benchmark: the file options old api.proto files set.
syntax = "proto2";
package gogoproto;
import "google/protobuf/descriptor.proto";
option go_package = "github.com/gogo/protobuf/gogoproto";
extend google.protobuf.FileOptions {
  optional bool goproto_getters_all = 63001;
  optional bool goproto_stringer_all = 63003;
  optional bool stringer_all = 63008;
  optional bool marshaler_all = 63017;
  optional bool unmarshaler_all = 63018;
  optional bool sizer_all = 63020;
  optional bool goproto_unrecognized_all = 63026;
}
`;

/**
 * A buf module (buf.yaml v2) holding one corpus file as api.proto, plus the gogo stub when the file imports
 * it or `stub` is set. The history pass sets it for every module, so that a pair across the release that
 * dropped the gogo import does not count as "file gogo.proto deleted".
 */
function bufModule(dir, blob, stub = false) {
  if (existsSync(dir)) return dir;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'buf.yaml'), 'version: v2\n');
  const text = readFileSync(blobPath(blob), 'utf8');
  writeFileSync(join(dir, 'api.proto'), text);
  if (stub || text.includes('gogoproto/gogo.proto')) {
    mkdirSync(join(dir, 'github.com', 'gogo', 'protobuf', 'gogoproto'), { recursive: true });
    writeFileSync(join(dir, 'github.com', 'gogo', 'protobuf', 'gogoproto', 'gogo.proto'), GOGO_STUB);
  }
  return dir;
}

if (want('cli') && BUF) {
  // Both sides are single processes of 50-130 ms, so one busy moment of the machine moves a median of a few
  // rounds; with 25 alternating rounds, three runs in a row gave ratios of 0.46, 0.48 and 0.48.
  const ROUNDS = 25;
  log(`4. CLI vs buf on ${newestStable.tag} → ${newest.tag}, ${ROUNDS} alternating rounds`);
  const oldDir = bufModule(join(WORK, 'buf', 'old'), newestStable.blob);
  const newDir = bufModule(join(WORK, 'buf', 'new'), newest.blob);
  const extraCerts = process.env.NODE_EXTRA_CA_CERTS;
  const checkArgs = [CLI_JS, 'check', '--against', join(oldDir, 'api.proto'), join(newDir, 'api.proto')];
  const cmds = {
    nodeEmpty: () => timed(process.execPath, ['-e', '0']),
    cliVersion: () => timed(process.execPath, [CLI_JS, '--version']),
    ours: () => timed(process.execPath, checkArgs, { cwd: WORK }),
    buf: () => timed(BUF, ['breaking', newDir, '--against', oldDir], { cwd: WORK, env: bufEnv }),
    ...(extraCerts ? {
      oursDefaultEnv: () => timed(process.execPath, checkArgs, { cwd: WORK, env: nodeDefaultEnv }),
      nodeEmptyDefaultEnv: () => timed(process.execPath, ['-e', '0'], { env: nodeDefaultEnv }),
    } : {}),
  };
  cmds.buf(); // buf's first run fills its cache
  cmds.ours();
  const t = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
  let oursOut, bufOut;
  const order = Object.keys(cmds);
  for (let i = 0; i < ROUNDS; i++) {
    for (const k of i % 2 ? [...order].reverse() : order) {
      const r = cmds[k]();
      t[k].push(r.ms);
      if (k === 'ours') oursOut = r;
      if (k === 'buf') bufOut = r;
    }
  }
  const oursFindings = oursOut.stdout.split('\n').filter(Boolean).length;
  const bufFindings = bufOut.stdout.split('\n').filter(Boolean).length;
  results.sections.cli = { times: t, nodeExtraCaCerts: !!extraCerts, ours: { exit: oursOut.status, findings: oursFindings }, buf: { exit: bufOut.status, findings: bufFindings } };
  const envNote = extraCerts ? ' (this machine\'s environment: NODE_EXTRA_CA_CERTS set)' : '';
  add({ id: '4a', figure: `\`cri-compat check --against <old> <new>\`, whole process${envNote} (exit ${oursOut.status}, ${oursFindings} findings)`, stats: stats(t.ours), fmt: fmtMs, info: true });
  add({ id: '4b', figure: `\`buf breaking <new> --against <old>\`, whole process (exit ${bufOut.status}, ${bufFindings} findings)`, stats: stats(t.buf), fmt: fmtMs, info: true });
  // Without NODE_EXTRA_CA_CERTS in the environment, the plain runs are already Node's default environment.
  const oursDefault = extraCerts ? t.oursDefaultEnv : t.ours;
  const nodeDefault = extraCerts ? t.nodeEmptyDefaultEnv : t.nodeEmpty;
  if (extraCerts) {
    add({ id: '4c', figure: 'Ratio ours / buf (medians), this machine\'s environment', value: median(t.ours) / median(t.buf), fmt: fmtX, info: true });
    add({ id: '4d', figure: '`cri-compat check`, whole process, in Node\'s default environment (NODE_EXTRA_CA_CERTS unset)', stats: stats(oursDefault), fmt: fmtMs, info: true });
  }
  add({ id: '4e', figure: 'Ratio ours / buf (medians), Node\'s default environment', value: median(oursDefault) / median(t.buf), fmt: fmtX, target: ['<=', 0.5, '≤ 0.5'] });
  add({ id: '4f', figure: `… for reference: \`node -e 0\`${extraCerts ? ' with / without NODE_EXTRA_CA_CERTS' : ''}; \`cri-compat --version\``, value: median(nodeDefault), info: true,
    fmt: () => `${extraCerts ? `${fmtMs(median(t.nodeEmpty))} / ` : ''}${fmtMs(median(nodeDefault))}; ${fmtMs(median(t.cliVersion))}` });
}

if (want('pairs') && BUF) {
  const pairs = [];
  const sequence = [];
  for (const path of [V1ALPHA2_PATH, V1_PATH]) {
    const r = rows.filter((x) => x.path === path);
    sequence.push(...r);
    for (let i = 1; i < r.length; i++) pairs.push({ path, old: r[i - 1], new: r[i] });
  }
  const distinct = new Map();
  for (const p of pairs) {
    const k = `${p.path}\t${p.old.blob}\t${p.new.blob}`;
    const d = distinct.get(k) ?? { path: p.path, old: p.old.blob, new: p.new.blob, example: `${p.old.tag} → ${p.new.tag}`, count: 0 };
    d.count++;
    distinct.set(k, d);
  }
  log(`4. whole history: ${pairs.length} consecutive v0.* pairs; ours in one \`cri-compat pairs\` call, buf once per distinct file pair (${distinct.size})`);
  // One call over both API versions in tag order: the CLI compares each file with the previous file of its package, so
  // v1alpha2's last release and v1's first make no pair.
  const ours = timed(process.execPath, [CLI_JS, 'pairs', '--format', 'json', '--fail-on', 'never', ...sequence.map((r) => `${r.tag}=${blobPath(r.blob)}`)], { cwd: WORK, timeout: 600_000 });
  if (ours.status !== 0) throw new Error(`cri-compat pairs exited ${ours.status}: ${ours.stderr.slice(-2000)}`);
  const reported = JSON.parse(ours.stdout).pairs.filter((x) => !x.skipped);
  if (reported.length !== pairs.length) throw new Error(`cri-compat pairs reported ${reported.length} pairs, expected ${pairs.length}`);
  const oursFlagged = new Map();
  reported.forEach((x, i) => oursFlagged.set(`${pairs[i].path}\t${pairs[i].old.blob}\t${pairs[i].new.blob}`, x.report.findings.some((f) => f.severity === 'error')));
  let bufSum = 0;
  let bufRuns = 0;
  let agree = 0;
  const bufTimes = [];
  for (const d of distinct.values()) {
    const o = bufModule(join(WORK, 'buf', 'blobs', d.old), d.old, true);
    const n = bufModule(join(WORK, 'buf', 'blobs', d.new), d.new, true);
    const r = timed(BUF, ['breaking', n, '--against', o], { cwd: WORK, env: bufEnv });
    if (r.status !== 0 && r.status !== 100) throw new Error(`buf breaking failed (${r.status}) on ${d.old} → ${d.new}: ${r.stderr.slice(-1000)}`);
    bufRuns++;
    bufTimes.push(r.ms);
    bufSum += r.ms * d.count;
    d.bufBreaking = r.status === 100;
    d.oursError = oursFlagged.get(`${d.path}\t${d.old}\t${d.new}`);
    if (d.bufBreaking === d.oursError) agree += d.count;
  }
  const findings = reported.reduce((n, x) => n + x.report.findings.length, 0);
  results.sections.pairs = { pairs: pairs.length, distinct: distinct.size, ours: { wallMs: ours.ms, findings },
    buf: { runs: bufRuns, perRun: stats(bufTimes), estimatedSumMs: bufSum }, agreeOnBreaking: agree, pairsDetail: [...distinct.values()] };
  add({ id: '4g', figure: `Whole history, ours: \`cri-compat pairs\` over all ${sequence.length} tags, one process (${pairs.length} pairs, ${fmtMs(ours.ms / pairs.length)}/pair)`, value: ours.ms, fmt: fmtMs, info: true });
  add({ id: '4h', figure: `Whole history, buf: one process per pair, summed (${bufRuns} distinct file pairs run once, weighted by their ${pairs.length} tag pairs; median ${fmtMs(median(bufTimes))}/run)`, value: bufSum, fmt: fmtMs, info: true });
  add({ id: '4i', figure: `Ratio ours / buf, whole history (both flag the same pairs as breaking: ${agree} of ${pairs.length})`, value: ours.ms / bufSum, fmt: fmtX, target: ['<=', 0.5, '≤ 0.5'] });
}
if ((want('cli') || want('pairs')) && !BUF) log('4. skipped: @bufbuild/buf is not installed (npm install)');

// ---- 6. scaling ------------------------------------------------------------------------------------------

if (want('scale')) {
  log('6. scaling: 1×, 10×, 100× api.proto (renamed copies in one package), each against a baseline with 6 edits');
  const s = worker('scale', { corpus: corpusDir, factors: [1, 10, 100], budgetMs: 5000 }, ['--max-old-space-size=4096'], 240_000);
  results.sections.scale = s;
  for (const r of s.results) {
    add({ id: `6${'abc'[[1, 10, 100].indexOf(r.factor)] ?? r.factor}`, figure: `${r.factor}×: ${r.lines.toLocaleString('en')} lines, ${(r.bytes / 2 ** 20).toFixed(1)} MB, ${r.messages} messages; analyze() ${fmtMs(r.medianMs)} (median of ${r.times.length}; ${r.problems} problems, ${r.findings} findings) — per line`,
      stats: stats(r.times.map((t) => (t / r.lines) * 1000)), fmt: fmtUs, info: true,
      note: `CPU time ${fmtUs(r.perLineCpuUs)}/line; garbage-collection pauses ${(r.gcShare * 100).toFixed(0)}% of the time, ${fmtUs(r.perLineOutsideGcUs)}/line outside them` });
  }
  for (const r of s.results.slice(1)) {
    add({ id: `6${r.factor === 10 ? 'd' : 'f'}`, figure: `Per-line cost ${r.factor}× / 1×, wall time (linear = 1)`, value: r.ratio, fmt: fmtX, target: ['<=', 1.5, '≤ 1.5 (linear)'] });
    add({ id: `6${r.factor === 10 ? 'e' : 'g'}`, figure: `Per-line cost ${r.factor}× / 1×, CPU time (not skewed by other processes)`, value: r.cpuRatio, fmt: fmtX, target: ['<=', 1.5, '≤ 1.5 (linear)'] });
  }
  for (const r of s.results.slice(1)) {
    add({ id: `6${r.factor === 10 ? 'h' : 'i'}`, figure: `Per-line cost ${r.factor}× / 1×, wall time outside garbage-collection pauses (what the collector adds is the rest)`, value: r.outsideGcRatio, fmt: fmtX, info: true });
  }
  const [, x10, x100] = s.results;
  add({ id: '6p', figure: 'Per-line cost 100× / 10×, in process, wall time and outside garbage-collection pauses (both sizes past the CPU caches)', value: x100.ratio / x10.ratio, info: true,
    fmt: () => `${fmtX(x100.ratio / x10.ratio)}; ${fmtX(x100.outsideGcRatio / x10.outsideGcRatio)}` });
  // What a redesign would change (issue #5): the parse tree as objects against the same file in typed arrays.
  const perLine = (k) => s.results.map((r) => fmtUs(r[`${k}Us`])).join(' / ');
  const ratios = (k) => s.results.slice(1).map((r) => fmtX(r[`${k}Ratio`])).join(' / ');
  add({ id: '6m', figure: 'parse() alone at 1× / 10× / 100×: per line, and per line / 1×', value: s.results[0].parseUs, info: true, fmt: () => `${perLine('parse')}; ${ratios('parse')}` });
  add({ id: '6n', figure: 'For comparison, not product code: the same files as tokens, declarations and interned names in typed arrays (bench/typedArrayScan.ts, no checks): per line, and per line / 1×',
    value: s.results[0].scanUs, info: true, fmt: () => `${perLine('scan')}; ${ratios('scan')}` });
  await scaleInstructions();
  scaleProcesses();
}

/**
 * The work per line apart from the memory it runs on: instructions of analyze() at each size, counted by callgrind
 * (valgrind), which counts the same on a busy machine and whatever the caches do. Per factor, two processes that
 * warm up alike and then differ only in the number of runs; their difference, per run and line. Without valgrind
 * (`apt-get install valgrind`) this is skipped.
 */
async function scaleInstructions() {
  if (spawnSync('valgrind', ['--version']).error) {
    log('6. instruction counts skipped: valgrind is not installed (apt-get install valgrind)');
    return;
  }
  // Runs of a fraction of a second of analyze() at each factor: valgrind is ~50× slower, and 100× takes minutes.
  const plan = [{ factor: 1, warmup: 30, runs: 100 }, { factor: 10, warmup: 5, runs: 10 }, { factor: 100, warmup: 1, runs: 1 }];
  log('6. instructions per line under callgrind (1×, 10×, 100×; two processes per size, run side by side)');
  // V8's garbage collector among callgrind's function names (node's symbols): scavenges, marking, sweeping, compaction;
  // and its optimizing compilers, which at 100× still compile and deoptimize during the counted run (a JIT warm-up
  // that one or two runs do not finish, not work per line).
  const GC_FUNCTION = /Scaveng|Marking|MarkCompact|Sweep|Evacuat|heap::|Heap::|RememberedSet|SlotSet|FreeList|MinorMC|Pretenuring|IterateAndScavenge|MemoryChunk|LargeObjectSpace|PagedSpace|NewSpace|Worklist|GCTracer|Compactor|cppgc/;
  const COMPILER_FUNCTION = /compiler::|maglev::|turboshaft|Turbofan|OptimizedCompilationJob|Deoptimiz|Zone::|ZoneList/;
  const counted = (factor, warmup, runs) => new Promise((done, reject) => {
    const out = join(WORK, `callgrind.${factor}.${runs}.out`);
    const p = spawn('valgrind', ['--tool=callgrind', '--smc-check=all-non-file', `--callgrind-out-file=${out}`, process.execPath, '--max-old-space-size=4096', BENCH_JS, 'scale-runs',
      JSON.stringify({ corpus: corpusDir, factor, warmup, runs })], { cwd: WORK, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`callgrind scale-runs x${factor} exited ${code}: ${stderr}`));
      const summary = /^summary: (\d+)$/m.exec(readFileSync(out, 'utf8'));
      const perFunction = spawnSync('callgrind_annotate', ['--threshold=100', out], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 }).stdout ?? '';
      rmSync(out, { force: true });
      if (!summary) return reject(new Error(`no summary in ${out}`));
      let gc = 0;
      let compiler = 0;
      for (const m of perFunction.matchAll(/^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$/gm)) {
        const n = Number(m[1].replaceAll(',', ''));
        if (GC_FUNCTION.test(m[2])) gc += n;
        else if (COMPILER_FUNCTION.test(m[2])) compiler += n;
      }
      done({ instructions: Number(summary[1]), gc, compiler, lines: JSON.parse(stdout.trim().split('\n').pop()).lines });
    });
  });
  const sizes = [];
  for (const { factor, warmup, runs } of plan) {
    const [a, b] = await Promise.all([counted(factor, warmup, runs), counted(factor, warmup, 2 * runs)]);
    const perLine = (n) => n / runs / a.lines;
    const total = perLine(b.instructions - a.instructions);
    const gc = perLine(b.gc - a.gc);
    const compiler = perLine(b.compiler - a.compiler);
    sizes.push({ factor, lines: a.lines, runs, perLine: total, gcPerLine: gc, compilerPerLine: compiler, restPerLine: total - gc - compiler });
  }
  results.sections.scaleInstructions = sizes;
  add({ id: '6q', figure: 'analyze() instructions per line at 1× / 10× / 100× (callgrind: all threads; not skewed by other processes or the caches), and per line / 1× (linear = 1)',
    value: sizes[0].perLine, info: true, fmt: () => `${sizes.map((x) => x.perLine.toFixed(0)).join(' / ')}; ${sizes.slice(1).map((x) => fmtX(x.perLine / sizes[0].perLine)).join(' / ')}` });
  const each = (k) => sizes.map((x) => x[k].toFixed(0)).join(' / ');
  add({ id: '6r', figure: '… of which V8\'s garbage collector, and its optimizing compiler (by function name), per line; the rest, the program\'s own work, per line and per line / 1×',
    value: sizes[0].gcPerLine, info: true,
    fmt: () => `collector ${each('gcPerLine')}; compiler ${each('compilerPerLine')}; rest ${each('restPerLine')}, ${sizes.slice(1).map((x) => fmtX(x.restPerLine / sizes[0].restPerLine)).join(' / ')}` });
}

/**
 * The same files as whole processes, `cri-compat check` against `buf breaking`, alternating. Per line net of
 * a three-line pair's run (x0), which is what a process costs before the file's size matters. Fewer rounds
 * for the larger files: buf takes seconds per run at 100×.
 */
function scaleProcesses() {
  const factors = [1, 10, 100];
  const dir = join(WORK, 'scale');
  const { lines } = worker('scale-files', { corpus: corpusDir, dir, factors });
  const rounds = { 0: 15, 1: 15, 10: 5, 100: 3 };
  log(`6. the same files as whole processes, cri-compat check${BUF ? ' vs buf breaking' : ' (buf is not installed)'} (${Object.entries(rounds).map(([f, n]) => `${f}×: ${n}`).join(', ')} alternating rounds)`);
  const t = { ours: {}, buf: {} };
  const check = (ok, r, what) => { if (!ok) throw new Error(`${what} exited ${r.status}: ${r.stderr.slice(-1000)}`); return r.ms; };
  for (const f of [0, ...factors]) {
    const x = join(dir, `x${f}`);
    const cmds = {
      // Exit 1 and 100: findings (each baseline has breaking changes).
      ours: () => { const r = timed(process.execPath, [CLI_JS, 'check', '--against', join(x, 'old', 'api.proto'), join(x, 'new', 'api.proto')], { cwd: WORK, env: nodeDefaultEnv }); return check(r.status === 1, r, `cri-compat check x${f}`); },
      buf: () => { const r = timed(BUF, ['breaking', join(x, 'new'), '--against', join(x, 'old')], { cwd: WORK, env: bufEnv }); return check(r.status === 100, r, `buf breaking x${f}`); },
    };
    if (f === 0 && BUF) cmds.buf(); // fills buf's cache
    t.ours[f] = [];
    t.buf[f] = [];
    // Without buf (not installed), ours alone (6j).
    for (let i = 0; i < rounds[f]; i++) for (const k of (i % 2 ? ['buf', 'ours'] : ['ours', 'buf']).filter((k) => BUF || k === 'ours')) t[k][f].push(cmds[k]());
  }
  const perLine = (who, f) => ((median(t[who][f]) - median(t[who][0])) / lines[f]) * 1000;
  results.sections.scaleProcesses = { lines, rounds, times: t };
  for (const [id, who, name] of [['6j', 'ours', '`cri-compat check`'], ...(BUF ? [['6k', 'buf', '`buf breaking`']] : [])]) {
    add({ id, figure: `${name}, whole process, on the same files at 1× / 10× / 100× (medians${who === 'ours' ? ', Node\'s default environment' : ''}); per line net of a three-line pair's run (${fmtMs(median(t[who][0]))}), and that per-line cost / 1×`,
      value: median(t[who][1]), info: true,
      fmt: () => `${factors.map((f) => fmtMs(median(t[who][f]))).join(' / ')}; ${factors.map((f) => fmtUs(perLine(who, f))).join(' / ')} per line; ${factors.slice(1).map((f) => fmtX(perLine(who, f) / perLine(who, 1))).join(' / ')}` });
  }
  if (BUF) add({ id: '6l', figure: 'Ratio ours / buf, whole process, at 1× / 10× / 100× (medians)', value: median(t.ours[1]) / median(t.buf[1]), info: true,
    fmt: () => factors.map((f) => fmtX(median(t.ours[f]) / median(t.buf[f]))).join(' / ') });
}

// ---- report ----------------------------------------------------------------------------------------------

env.loadavgEnd = os.loadavg().map((x) => +x.toFixed(2));
env.benchSeconds = +((performance.now() - started) / 1000).toFixed(1);

const esc = (x) => String(x).replace(/\|/g, '\\|');
const cell = (f, k) => (f.stats ? f.fmt(f.stats[k]) : k === 'median' ? f.fmt(f.value) : '');
const lines = [];
lines.push('| # | Figure | min | median | max | target | result |', '|---|---|---:|---:|---:|---|---|');
for (const f of figures) {
  lines.push(`| ${f.id} | ${esc(f.figure)}${f.note ? ` — *${esc(f.note)}*` : ''} | ${cell(f, 'min')} | ${cell(f, 'median')} | ${cell(f, 'max')} | ${f.target ? f.target[2] : '—'} | ${f.target ? (f.pass ? 'pass' : '**FAIL**') : 'info'} |`);
}
const table = lines.join('\n');

const md = [];
md.push('# cri-compat benchmarks — latest run', '');
md.push(`${env.date} · Node ${env.node} · ${env.cpu}, ${env.cores} cores, ${env.memoryGiB} GiB · load average ${env.loadavgStart.join(' ')} at start, ${env.loadavgEnd.join(' ')} at end · ${env.buf !== 'not installed' ? `buf ${env.buf}` : 'buf not installed'} · code ${env.git} · ${env.benchSeconds} s in all`, '');
md.push(`File: newest v1 api.proto in the corpus, ${env.file}; baseline: ${env.baseline}. Method: [README.md](../README.md).`, '');
md.push(table, '');
const differ = results.sections.pairs?.pairsDetail.filter((d) => d.bufBreaking !== d.oursError) ?? [];
if (differ.length) {
  md.push(`Whole-history pairs where buf (exit 100) and cri-compat (an error-level finding) disagree: ${differ.map((d) => `${d.example} (${d.path.split('/')[3]}; ${d.bufBreaking ? 'buf only' : 'cri-compat only'}${d.count > 1 ? `, ${d.count} tag pairs` : ''})`).join('; ')}.`, '');
}
if (profile) {
  md.push(`## Profile of the edit loop (figure 1b)`, '');
  md.push(`\`node --cpu-prof\`, ${profile.iterations} one-character-edit analyses, ${fmtMs(profile.perIterationMs)} each under the profiler. Self time, source-mapped to the TypeScript sources.`, '');
  md.push('| Function — defined at | self ms | % |', '|---|---:|---:|');
  for (const f of profile.functions) md.push(`| ${esc(f.where)} | ${f.ms.toFixed(0)} | ${f.pct.toFixed(1)} |`);
  md.push('', '| Hot line (function) | self ms | % |', '|---|---:|---:|');
  for (const f of profile.lines) md.push(`| ${esc(f.where)} | ${f.ms.toFixed(0)} | ${f.pct.toFixed(1)} |`);
  md.push('', '| Function, inclusive (self + callees) — defined at | ms | % |', '|---|---:|---:|');
  for (const f of profile.inclusive) md.push(`| ${esc(f.where)} | ${f.ms.toFixed(0)} | ${f.pct.toFixed(1)} |`);
  md.push('');
}
const report = md.join('\n');
process.stdout.write(`${table}\n`);
if (profile) {
  process.stdout.write('\nTop self time in the edit loop:\n');
  for (const f of profile.functions.slice(0, 10)) process.stdout.write(`  ${f.pct.toFixed(1).padStart(5)}%  ${f.where}\n`);
  process.stdout.write('Inclusive (self + callees):\n');
  for (const f of profile.inclusive.slice(0, 12)) process.stdout.write(`  ${f.pct.toFixed(1).padStart(5)}%  ${f.where}\n`);
}
if (!only) {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.md'), report);
  // Numbers to 4 decimals; arrays of numbers (the raw samples) on one line each.
  const json = JSON.stringify({ ...results, figures: figures.map(({ fmt, ...f }) => ({ ...f, display: f.stats ? undefined : fmt(f.value) })) },
    (_, v) => (typeof v === 'number' && !Number.isInteger(v) ? +v.toFixed(4) : v), 1)
    .replace(/\[\s*(-?[\d.e+]+(?:,\s*-?[\d.e+]+)*)\s*\]/g, (_, xs) => `[${xs.split(/,\s*/).join(', ')}]`);
  writeFileSync(join(dir, 'latest.json'), `${json}\n`);
  log(`bench: wrote bench/results/latest.md and latest.json (${env.benchSeconds} s)`);
}
