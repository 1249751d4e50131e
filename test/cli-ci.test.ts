// The CLI's SARIF and GitHub output as GitHub reads them: paths relative to the repository root (wherever
// the step ran), what code scanning asks of rules and results, fingerprints that survive moved lines, and
// annotation properties the runner keeps.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import { Corpus, CORPUS_HELP, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';

const ROOT = findRepoRoot(__dirname);
const CLI = join(ROOT, 'dist', 'cli.js');
const corpusDir = findCorpusDir(ROOT);

let tmp = '';
let repo = '';
let old = '';

function cli(args: string[], cwd: string, workspace?: string): { code: number | null; out: string; err: string } {
  // GITHUB_WORKSPACE only as the test sets it, also when the tests run in GitHub Actions.
  const { GITHUB_WORKSPACE: _, ...env } = process.env;
  // A run at code scanning's limits prints tens of megabytes of SARIF: more than spawnSync's default 1 MiB.
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024, env: { ...env, XDG_CACHE_HOME: join(tmp, 'cache'), ...(workspace ? { GITHUB_WORKSPACE: workspace } : {}) } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function validSarif(log: unknown): void {
  const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  const ajv = new Ajv({ schemaId: 'id', allErrors: true });
  ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
  assert.ok(ajv.validate(schema, log), ajv.errorsText(ajv.errors));
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  partialFingerprints: Record<string, string>;
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[];
}

describe('CI output: SARIF and GitHub annotations', { skip: corpusDir ? false : CORPUS_HELP }, () => {
  let text = '';
  let sub = '';
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cri-compat-ci-'));
    text = new Corpus(corpusDir!).textOf('v0.36.3')!;
    old = join(tmp, 'old.proto');
    writeFileSync(old, text);
    // A work tree (only `.git` is looked at) with api.proto where kubernetes/kubernetes has it.
    repo = join(tmp, 'repo');
    sub = join(repo, 'staging', 'src', 'k8s.io', 'cri-api');
    mkdirSync(join(repo, '.git'), { recursive: true });
    mkdirSync(join(sub, 'pkg'), { recursive: true });
    // A deleted field, and two undocumented fields on a line with a non-BMP character before the second.
    const changed = text.replace(/\n\s*string version = 1;\n/, '\n')
      .replace('message VersionResponse {', 'message VersionResponse {\n    string a = 5 [json_name = "é😀x"]; string b = 6;');
    assert.notEqual(changed, text);
    writeFileSync(join(sub, 'pkg', 'api.proto'), changed);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('sarif: relative to the repository root from a subdirectory, with what code scanning needs', () => {
    const r = cli(['check', '--against', old, '--format', 'sarif', join('pkg', 'api.proto')], sub);
    assert.equal(r.code, 1, r.err);
    const log = JSON.parse(r.out);
    validSarif(log);
    const run = log.runs[0];
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: `${pathToFileURL(repo).href}/` } });
    const results = run.results as SarifResult[];
    for (const x of results) {
      assert.deepEqual(x.locations[0]!.physicalLocation.artifactLocation, { uri: 'staging/src/k8s.io/cri-api/pkg/api.proto', uriBaseId: '%SRCROOT%' });
      assert.equal(run.tool.driver.rules[x.ruleIndex].id, x.ruleId);
    }
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.help?.text && rule.fullDescription?.text && /^https:\/\//.test(rule.helpUri), rule.id);
      assert.ok(Array.isArray(rule.properties?.tags) && rule.properties.tags.length, rule.id);
      assert.notEqual(rule.name.toLowerCase(), rule.id.toLowerCase(), 'SARIF: a name differs from the opaque id');
    }
    assert.equal(run.tool.driver.version, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    assert.equal(cli(['--version'], sub).out.trim(), `cri-compat ${run.tool.driver.version}`);
    assert.equal(run.invocations[0].executionSuccessful, true);
    // The exit status, for one who reads the log without the job's.
    assert.equal(run.invocations[0].exitCode, 1);
    assert.equal(JSON.parse(cli(['check', '--against', old, '--format', 'sarif', '--fail-on', 'never', join('pkg', 'api.proto')], sub).out).runs[0].invocations[0].exitCode, 0);
    assert.match(run.invocations[0].toolExecutionNotifications[0].message.text, /^Baseline: /);
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.equal(run.automationDetails, undefined, 'upload-sarif sets it from its category input only where it is missing');
    // Columns count UTF-16 code units (a JavaScript string's indices), 1-based, with an exclusive end: "b"
    // follows "é😀x", 4 units but 3 code points.
    const lines = readFileSync(join(sub, 'pkg', 'api.proto'), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('string b = 6'));
    const column = lines[line]!.indexOf('string b') + 'string '.length + 1;
    assert.notEqual(column, [...lines[line]!.slice(0, column - 1)].length + 1);
    const b = results.find((x) => x.ruleId === 'DOC_MISSING' && x.locations[0]!.physicalLocation.region.startColumn > 20)!;
    assert.deepEqual(b.locations[0]!.physicalLocation.region, { startLine: line + 1, startColumn: column, endLine: line + 1, endColumn: column + 1 });
  });

  test('a pair with no findings: every format is valid and empty, and exits 0', () => {
    const json = cli(['check', '--against', old, '--format', 'json', old], tmp);
    assert.equal(json.code, 0, json.err);
    assert.deepEqual(JSON.parse(json.out).findings, []);
    const sarif = cli(['check', '--against', old, '--format', 'sarif', old], tmp);
    assert.equal(sarif.code, 0, sarif.err);
    const log = JSON.parse(sarif.out);
    validSarif(log);
    assert.deepEqual([log.runs[0].results, log.runs[0].tool.driver.rules, log.runs[0].invocations[0].exitCode], [[], [], 0]);
    const github = cli(['check', '--against', old, '--format', 'github', old], tmp);
    assert.deepEqual([github.code, github.out], [0, '']);
    const text = cli(['check', '--against', old, old], tmp);
    assert.deepEqual([text.code, text.out], [0, '']);
    assert.match(text.err, /^0 findings: none$/m);
    const pairs = cli(['pairs', '--format', 'json', old, old], tmp);
    assert.equal(pairs.code, 0, pairs.err);
    assert.deepEqual(JSON.parse(pairs.out).pairs.map((x: { report: { findings: unknown[] } }) => x.report.findings), [[]]);
  });

  test('sarif: fingerprints follow the element, not its line, and differ between results', () => {
    const file = join(sub, 'pkg', 'api.proto');
    const fingerprints = (): { fp: string[]; lines: number[] } => {
      const run = JSON.parse(cli(['check', '--against', old, '--format', 'sarif', file], repo).out).runs[0];
      const results = run.results as SarifResult[];
      return { fp: results.map((x) => x.partialFingerprints['criCompatElement/v1']!), lines: results.map((x) => x.locations[0]!.physicalLocation.region.startLine) };
    };
    const before = fingerprints();
    assert.equal(new Set(before.fp).size, before.fp.length);
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, original.replace('syntax = "proto3";', 'syntax = "proto3";\n\n\n'));
      const moved = fingerprints();
      assert.deepEqual(moved.fp, before.fp);
      assert.deepEqual(moved.lines, before.lines.map((l) => l + 3));
    } finally {
      writeFileSync(file, original);
    }
  });

  test('a problem that quotes a directory says the same in another checkout, in every format', () => {
    // "import … was not found (looked in <dir>)": a self-hosted runner or a laptop has the work tree elsewhere,
    // and code scanning shows the message text; the directories are named relative to the work tree's root.
    const outputs = (root: string): { fingerprints: Record<string, string>[]; messages: string[] } => {
      mkdirSync(join(root, '.git'), { recursive: true });
      mkdirSync(join(root, 'pkg'));
      mkdirSync(join(root, 'third_party', 'protos'), { recursive: true });
      writeFileSync(join(root, 'pkg', 'api.proto'), text.replace('syntax = "proto3";', 'syntax = "proto3";\nimport "missing/x.proto";'));
      const args = (format: string): string[] => ['check', '--against', old, '--format', format, '--proto-path', join('third_party', 'protos'), join('pkg', 'api.proto')];
      const r = cli(args('sarif'), root);
      const results = JSON.parse(r.out).runs[0].results as (SarifResult & { message: { text: string } })[];
      const missing = results.filter((x) => x.ruleId === 'unresolved-import');
      assert.equal(missing.length, 1, r.out);
      const json = JSON.parse(cli(args('json'), root).out).findings.filter((x: { rule: string }) => x.rule === 'unresolved-import');
      const github = cli(args('github'), root).out.split('\n').filter((l) => l.includes('title=unresolved-import::'));
      const textOut = cli(args('text'), root).out.split('\n').filter((l) => l.includes(' unresolved-import '));
      const messages = [missing[0]!.message.text, json[0].message, github[0]!.replace(/^.*?::.*?::/, ''), textOut[0]!.replace(/^.*? unresolved-import /, '')];
      for (const m of messages) assert.ok(!m.includes(root), m);
      return { fingerprints: results.map((x) => x.partialFingerprints), messages };
    };
    const a = outputs(join(tmp, 'checkout-a'));
    assert.deepEqual(a, outputs(join(tmp, 'elsewhere', 'checkout-b')));
    assert.deepEqual(new Set(a.messages), new Set(['import "missing/x.proto" was not found (looked in pkg, third_party/protos); types from it are not checked']));
  });

  test('sarif: a file outside the current directory and every repository is an absolute file: URI', () => {
    const outside = mkdtempSync(join(tmpdir(), 'cri-compat-ci-outside-'));
    try {
      const cwd = join(outside, 'cwd');
      mkdirSync(cwd);
      writeFileSync(join(outside, 'api v1 ä.proto'), text.replace('message VersionResponse {', 'message VersionResponse {\n    string b = 6;'));
      const r = cli(['check', '--against', old, '--format', 'sarif', '../api v1 ä.proto'], cwd);
      assert.equal(r.code, 0, r.err);
      const log = JSON.parse(r.out);
      validSarif(log);
      assert.equal(log.runs[0].originalUriBaseIds, undefined);
      assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: pathToFileURL(join(outside, 'api v1 ä.proto')).href });
      const gh = cli(['check', '--against', old, '--format', 'github', '../api v1 ä.proto'], cwd);
      assert.match(gh.out, new RegExp(`^::warning file=${join(outside, 'api v1 ä.proto').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},line=`));
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test('without a .git (actions/checkout without git downloads the files): relative to GITHUB_WORKSPACE, not the step\'s directory', () => {
    // A step with `working-directory: cri-api`: GitHub resolves `file` and a relative `uri` against the
    // repository's root, the workspace here, so `api.proto` alone would name a file at the top of the repository.
    const workspace = mkdtempSync(join(tmpdir(), 'cri-compat-ci-workspace-'));
    try {
      const dir = join(workspace, 'cri-api');
      mkdirSync(dir);
      writeFileSync(join(dir, 'api.proto'), text.replace('message VersionResponse {', 'message VersionResponse {\n    string b = 6;'));
      const gh = cli(['check', '--against', old, '--format', 'github', 'api.proto'], dir, workspace);
      assert.equal(gh.code, 0, gh.err);
      assert.match(gh.out, /^::warning file=cri-api\/api\.proto,line=\d+,/);
      const log = JSON.parse(cli(['check', '--against', old, '--format', 'sarif', 'api.proto'], dir, workspace).out);
      validSarif(log);
      assert.deepEqual(log.runs[0].originalUriBaseIds, { '%SRCROOT%': { uri: `${pathToFileURL(realpathSync(workspace)).href}/` } });
      assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: 'cri-api/api.proto', uriBaseId: '%SRCROOT%' });
      // Outside Actions (no GITHUB_WORKSPACE), the current directory is the root, as before.
      assert.match(cli(['check', '--against', old, '--format', 'github', 'api.proto'], dir).out, /^::warning file=api\.proto,line=/);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  test('a file reached through a link is named by its path in the work tree: kubernetes\' vendor/k8s.io/cri-api', () => {
    // kubernetes/kubernetes links vendor/k8s.io/cri-api to staging/src/k8s.io/cri-api: GitHub shows the change,
    // and can annotate it, only under staging.
    const vendor = join(repo, 'vendor', 'k8s.io');
    mkdirSync(vendor, { recursive: true });
    symlinkSync(join('..', '..', 'staging', 'src', 'k8s.io', 'cri-api'), join(vendor, 'cri-api'));
    const linked = join('vendor', 'k8s.io', 'cri-api', 'pkg', 'api.proto');
    const sarif = cli(['check', '--against', old, '--format', 'sarif', linked], repo);
    assert.equal(sarif.code, 1, sarif.err);
    const results = JSON.parse(sarif.out).runs[0].results as SarifResult[];
    assert.ok(results.length > 0);
    for (const x of results) assert.deepEqual(x.locations[0]!.physicalLocation.artifactLocation, { uri: 'staging/src/k8s.io/cri-api/pkg/api.proto', uriBaseId: '%SRCROOT%' });
    const gh = cli(['check', '--against', old, '--format', 'github', linked], repo);
    assert.ok(gh.out.trim().split('\n').every((l) => l.includes(' file=staging/src/k8s.io/cri-api/pkg/api.proto,line=')), gh.out);
  });

  test('sarif: a file with syntax errors is a run that did not succeed, and says why', () => {
    const file = join(sub, 'pkg', 'broken.proto');
    writeFileSync(file, `${text}\nmessage X {\n  string a = 1\n  /* unterminated\n`);
    const r = cli(['check', '--against', old, '--format', 'sarif', file], repo);
    assert.equal(r.code, 2, r.err);
    const log = JSON.parse(r.out);
    validSarif(log);
    const inv = log.runs[0].invocations[0];
    assert.equal(inv.executionSuccessful, false);
    assert.equal(inv.exitCode, 2);
    assert.ok(inv.toolExecutionNotifications.some((n: { level: string; message: { text: string } }) => n.level === 'error' && /syntax errors?, so its compatibility was not fully checked/.test(n.message.text)));
    assert.ok(log.runs[0].tool.driver.rules.some((x: { id: string; helpUri: string }) => x.id === 'syntax' && /^https:/.test(x.helpUri)));
  });

  test('github: file relative to the repository root, columns only on one line, properties escaped', () => {
    const r = cli(['check', '--against', old, '--format', 'github', join('pkg', 'api.proto')], sub);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trim().split('\n');
    assert.ok(lines.every((l) => l.includes('::') && l.includes(' file=staging/src/k8s.io/cri-api/pkg/api.proto,line=')), r.out);

    // A range over several lines (a reserved range split over two): the runner drops columns there, so none are sent.
    const odd = join(sub, 'pkg', 'a,b:c%.proto');
    writeFileSync(odd, `${text}\nmessage Odd {\n  reserved 5 to\n    3;\n}\n`);
    const gh = cli(['pairs', '--format', 'github', old, odd], sub);
    assert.equal(gh.code, 1, gh.err);
    const multi = gh.out.split('\n').filter((l) => /reserved range 5 to 3/.test(l));
    assert.ok(multi.length > 0, gh.out);
    for (const l of multi) {
      const m = /^::error file=([^,]*),line=(\d+),(.*?)endLine=(\d+)(.*?),title=invalid-range::/.exec(l);
      assert.ok(m, l);
      assert.equal(m[1], 'staging/src/k8s.io/cri-api/pkg/a%2Cb%3Ac%25.proto');
      assert.ok(Number(m[4]) > Number(m[2]));
      assert.equal(m[3] + m[5], '', 'no col/endColumn on a range over several lines');
    }
  });
  test('github: a file name with a line break, %, : and , is one command, and the runner reads the name back', { skip: process.platform === 'win32' ? 'no line breaks in file names' : false }, () => {
    const name = 'cr\r\nlf%0A:a,b.proto';
    // An import path with what the runner would unescape in a message (`%0A`) and a carriage return.
    writeFileSync(join(sub, 'pkg', name), `${text}\nimport "x%0A\\r.proto";\n`);
    const r = cli(['check', '--against', old, '--format', 'github', join('pkg', name)], sub);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.ok(lines.length > 0 && lines.every((l) => /^::(error|warning|notice) /.test(l) && !l.includes('\r')), JSON.stringify(r.out));
    // The runner's unescaping: properties %0D %0A %3A %2C %25, data %0D %0A %25 (actions/runner, ActionCommand.cs).
    const unescape = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
    for (const l of lines) {
      const m = /^::\w+ file=([^,]*),line=\d+,.*?title=[^,:]*::(.*)$/.exec(l);
      assert.ok(m, l);
      assert.equal(unescape(m[1]!), `staging/src/k8s.io/cri-api/pkg/${name}`);
      if (l.includes('title=unresolved-import::')) assert.equal(unescape(m[2]!), 'import "x%0A\\r.proto" was not found (looked in staging/src/k8s.io/cri-api/pkg); types from it are not checked');
    }
    assert.ok(lines.some((l) => l.includes('title=unresolved-import::')), r.out);
  });
  test('github: a terminal escape or a bidi override in a file name reaches the log as a visible escape, not raw', { skip: process.platform === 'win32' ? 'no control characters in file names' : false }, () => {
    const name = 'esc\x1b[31mred\u202e.proto';
    writeFileSync(join(sub, 'pkg', name), `${text}\nimport "missing.proto";\n`);
    const r = cli(['check', '--against', old, '--format', 'github', join('pkg', name)], sub);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.ok(lines.length > 0, r.out);
    for (const l of lines) {
      assert.doesNotMatch(l, /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/, JSON.stringify(l));
      assert.ok(l.includes(' file=staging/src/k8s.io/cri-api/pkg/esc\\u001b[31mred\\u202e.proto,'), l);
    }
  });

  test('pairs --format sarif: one valid run, each finding at its new file with the pair; skipped pairs and syntax errors said', () => {
    const corpus = new Corpus(corpusDir!);
    const dir = join(repo, 'releases');
    mkdirSync(dir, { recursive: true });
    const write = (name: string, t: string): string => { writeFileSync(join(dir, name), t); return name; };
    const a = write('v35.proto', corpus.textOf('v0.35.0')!);
    const b = write('v36.proto', corpus.textOf('v0.36.0')!);
    const alpha = write('alpha.proto', corpus.textOf('v0.25.0', 'pkg/apis/runtime/v1alpha2/api.proto')!);
    const args = [`v0.35.0=${a}`, `v0.25.0=${alpha}`, `v0.36.0=${b}`];
    const r = cli(['pairs', '--format', 'sarif', ...args], dir);
    const json = cli(['pairs', '--format', 'json', ...args], dir);
    assert.equal(r.code, json.code, r.err);
    assert.equal(r.err, json.err);
    const log = JSON.parse(r.out);
    validSarif(log);
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: `${pathToFileURL(repo).href}/` } });
    // The same findings as JSON's one pair (runtime.v1alpha2 is a series of its own), and as check's SARIF.
    const pairs = JSON.parse(json.out).pairs as { old: string; new: string; report: { findings: { rule: string }[] } }[];
    assert.deepEqual(pairs.map((x) => [x.old, x.new]), [['v0.35.0', 'v0.36.0']]);
    const results = run.results as (SarifResult & { properties?: unknown })[];
    assert.ok(results.length > 0);
    assert.deepEqual(results.map((x) => x.ruleId), pairs[0]!.report.findings.map((f) => f.rule));
    for (const x of results) {
      assert.deepEqual(x.locations[0]!.physicalLocation.artifactLocation, { uri: 'releases/v36.proto', uriBaseId: '%SRCROOT%' });
      assert.deepEqual(x.properties, { old: 'v0.35.0', new: 'v0.36.0' });
      assert.equal(run.tool.driver.rules[x.ruleIndex].id, x.ruleId);
    }
    const checked = JSON.parse(cli(['check', '--format', 'sarif', '--against', 'v0.35.0', '--current-tag', 'v0.36.0', b], dir).out).runs[0];
    assert.deepEqual(results.map(({ properties: _, ...x }) => x), checked.results);
    assert.equal(run.invocations[0].exitCode, r.code);
    assert.deepEqual(run.invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text), [
      `1 pair, ${results.length ? 1 : 0} with findings, ${results.length} finding${results.length === 1 ? '' : 's'}`,
    ]);

    // A first file with syntax errors: its errors as results without a pair, the skipped pair and exit 2 said.
    const syn = write('syn.proto', corpus.textOf('v0.35.0')!.replace('message VersionResponse {', 'message VersionResponse {\n    string build_id;'));
    const bad = cli(['pairs', '--format', 'sarif', '--fail-on', 'never', `v0.35.0=${syn}`, `v0.36.0=${b}`], dir);
    assert.equal(bad.code, 2, bad.err);
    const badLog = JSON.parse(bad.out);
    validSarif(badLog);
    const badRun = badLog.runs[0];
    const badResults = badRun.results as (SarifResult & { properties?: unknown })[];
    assert.deepEqual(badResults.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri, x.properties]), [['syntax', 'releases/syn.proto', undefined]]);
    assert.equal(badRun.invocations[0].executionSuccessful, false);
    assert.equal(badRun.invocations[0].exitCode, 2);
    const notes = badRun.invocations[0].toolExecutionNotifications.map((n: { level: string; message: { text: string } }) => `${n.level}: ${n.message.text}`);
    assert.deepEqual(notes, [
      'note: 1 pair, 1 skipped, 0 with findings, 0 findings',
      'warning: v0.35.0 → v0.36.0: skipped (v0.35.0 has 1 syntax error)',
      'error: syn.proto has 1 syntax error, so its compatibility was not fully checked',
    ]);
    // stderr has only the line that goes with exit 2, as in JSON.
    assert.match(bad.err, /^cri-compat: syn\.proto has 1 syntax error, so its compatibility was not fully checked\n$/);
  });
});

describe('CI logs and code scanning limits', { skip: corpusDir ? false : CORPUS_HELP }, () => {
  let dir = '';
  let text = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cri-compat-ci-logs-'));
    tmp = dir;
    text = new Corpus(corpusDir!).textOf('v0.36.3')!;
    old = join(dir, 'old.proto');
    writeFileSync(old, text);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('every format names the baseline on stderr: a CI log says what the file was compared with', () => {
    const file = join(dir, 'api.proto');
    writeFileSync(file, text.replace(/\n\s*string version = 1;\n/, '\n'));
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const r = cli(['check', '--against', old, '--format', format, file], dir);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, /^Baseline: .*old\.proto, from file .*old\.proto$/m, format);
    }
  });

  test('github: stderr ends with the count that text prints, and stdout holds only the annotations', () => {
    // A corpus file with a deleted field (FIELD_NO_DELETE) and a syntax error (a missing `;`): both counted.
    const file = join(dir, 'count.proto');
    writeFileSync(file, text.replace(/\n\s*string version = 1;\n/, '\n').replace('string runtime_name = 2;', 'string runtime_name = 2'));
    const t = cli(['check', '--against', old, file], dir);
    const g = cli(['check', '--against', old, '--format', 'github', file], dir);
    assert.deepEqual([t.code, g.code], [2, 2], g.err);
    const count = t.err.split('\n').find((l) => /^\d+ findings?: /.test(l));
    assert.match(count ?? '', /^3 findings: 2 errors, 1 warning$/, t.err);
    // The same lines on stderr, in the same order: the baseline, the count, then why the exit status is 2.
    assert.deepEqual(g.err, t.err);
    assert.ok(g.out.trimEnd().split('\n').every((l) => /^::(error|warning) file=/.test(l)), g.out);
    // A clean pair says "0 findings: none" as text does.
    assert.match(cli(['check', '--against', old, '--format', 'github', old], dir).err, /^0 findings: none$/m);
    // SARIF gives the count in a notification, after the baseline's, as `pairs --format sarif` gives its own; JSON
    // lists the findings. Neither prints it on stderr, which carries only what their output does not.
    const sarif = cli(['check', '--against', old, '--format', 'sarif', file], dir);
    const notes = JSON.parse(sarif.out).runs[0].invocations[0].toolExecutionNotifications as { level: string; message: { text: string } }[];
    assert.deepEqual(notes.map((n) => n.level), ['note', 'note', 'error']);
    assert.match(notes[0]!.message.text, /^Baseline: /);
    assert.equal(notes[1]!.message.text, count);
    assert.match(notes[2]!.message.text, /count\.proto has 1 syntax error, so its compatibility was not fully checked$/);
    for (const r of [sarif, cli(['check', '--against', old, '--format', 'json', file], dir)]) assert.doesNotMatch(r.err, /findings?: /);
  });

  test('sarif and github: every region shows code, an insertion point as its whole line (real pairs, a deleted field, syntax errors)', () => {
    const corpus = new Corpus(corpusDir!);
    const files: Record<string, string> = {
      // Two consecutive releases with real changes (6 RPC_FALLBACK_UNDOCUMENTED, 6 DOC_MEANING_CHANGED, …).
      'v0.35.7.proto': corpus.textOf('v0.35.7')!,
      'v0.36.0.proto': corpus.textOf('v0.36.0')!,
      'deleted-field.proto': text.replace(/\n\s*string version = 1;\n/, '\n'),
      // Two missing `;`: syntax errors at the insertion point after `1`, the end of a line.
      'no-semicolon.proto': text.replace(/(\n\s*string version = 1);\n/, '$1\n').replace('string runtime_name = 2;', 'string runtime_name = 2'),
      // No top-level declaration left (the release cut after its options, its licence comment kept): every deletion
      // is reported at the package name, code, not at the point 0:0 (the licence comment's `/*`).
      'emptied.proto': text.slice(0, text.indexOf('\n', text.indexOf('option go_package')) + 1),
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const runs: [string, string[]][] = [
      ['v0.36.0.proto', ['pairs', 'v0.35.7=v0.35.7.proto', 'v0.36.0=v0.36.0.proto']],
      ['deleted-field.proto', ['check', '--against', old, 'deleted-field.proto']],
      ['no-semicolon.proto', ['check', '--against', old, 'no-semicolon.proto']],
      ['emptied.proto', ['check', '--against', old, 'emptied.proto']],
    ];
    const points: Record<string, number> = {};
    const emptiedLines = new Set<number>();
    for (const [name, args] of runs) {
      const lines = files[name]!.split('\n');
      const sarif = cli([...args.slice(0, 1), '--format', 'sarif', ...args.slice(1)], dir);
      const log = JSON.parse(sarif.out);
      validSarif(log);
      const results = log.runs[0].results as (SarifResult & { message: { text: string } })[];
      assert.ok(results.length > 0, name);
      points[name] = 0;
      for (const x of results) {
        const region = x.locations[0]!.physicalLocation.region as Partial<SarifResult['locations'][0]['physicalLocation']['region']> & { startLine: number };
        if (name === 'emptied.proto') emptiedLines.add(region.startLine);
        const what = `${name}: ${x.ruleId} ${JSON.stringify(region)} ${x.message.text}`;
        if (region.startColumn === undefined) {
          // The whole line (SARIF 3.30: no columns), which must hold code to show.
          points[name]++;
          assert.deepEqual(Object.keys(region), ['startLine'], what);
          assert.match(lines[region.startLine - 1] ?? '', /\S/, what);
          continue;
        }
        const { startLine, startColumn, endLine, endColumn } = region as SarifResult['locations'][0]['physicalLocation']['region'];
        assert.ok(endLine > startLine || endColumn > startColumn, `not an insertion point: ${what}`);
        // On one line, the columns lie within it and cover something other than blanks.
        if (endLine === startLine) assert.match(lines[startLine - 1]!.slice(startColumn - 1, endColumn - 1), /\S/, what);
      }
      // The annotations of the same findings: no zero-width columns either, the same lines.
      const github = cli([...args.slice(0, 1), '--format', 'github', ...args.slice(1)], dir);
      const commands = github.out.trimEnd().split('\n').filter((l) => /^::\w+ file=/.test(l));
      assert.equal(commands.length, results.length, name);
      commands.forEach((l, i) => {
        const m = /line=(\d+)(?:,col=(\d+))?,endLine=\d+(?:,endColumn=(\d+))?/.exec(l)!;
        assert.equal(Number(m[1]), results[i]!.locations[0]!.physicalLocation.region.startLine, l);
        assert.ok(m[2] === undefined || m[2] !== m[3] || !/endLine=(\d+)/.exec(l) || !l.includes(`line=${m[1]},col=${m[2]},endLine=${m[1]},endColumn=${m[2]},`), l);
      });
    }
    // Real changes have real ranges; the insertion points are the syntax errors.
    assert.deepEqual([points['v0.36.0.proto'], points['deleted-field.proto'], points['no-semicolon.proto'], points['emptied.proto']], [0, 0, 2, 0]);
    assert.ok(emptiedLines.size === 1 && emptiedLines.has(files['emptied.proto']!.split('\n').indexOf('package runtime.v1;') + 1), JSON.stringify([...emptiedLines]));
  });

  test('github: past the ten annotations of a kind that GitHub shows in a step, the first one says how many the log holds', () => {
    // v0.37.0-alpha.1 renamed all 66 values of the Signal enum: 66 errors, of which GitHub would annotate 10.
    const corpus = new Corpus(corpusDir!);
    const newer = join(dir, 'v0.37.0-alpha.1.proto');
    writeFileSync(newer, corpus.textOf('v0.37.0-alpha.1')!);
    const kinds = (out: string): string[] => out.trim().split('\n').map((l) => /^::(\w+) /.exec(l)?.[1] ?? l);
    const r = cli(['check', '--against', old, '--format', 'github', newer], dir);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 67, r.out);
    assert.equal(lines[0], '::error title=cri-compat::66 errors: GitHub annotates only 10 of a kind in a step, so 57 of them are only in the log of this step');
    assert.ok(lines.slice(1).every((l) => l.startsWith('::error file=')), r.out);

    // pairs: the limit is the step's, over every pair; a kind within it (1 notice) gets no such line.
    const older = join(dir, 'v0.35.6.proto');
    writeFileSync(older, corpus.textOf('v0.35.6')!);
    const p = cli(['pairs', '--format', 'github', older, old, newer], dir);
    assert.equal(p.code, 1, p.err);
    const k = kinds(p.out);
    assert.deepEqual([k.filter((x) => x === 'error').length, k.filter((x) => x === 'warning').length, k.filter((x) => x === 'notice').length], [67, 13, 1], p.out);
    assert.deepEqual(p.out.split('\n').slice(0, 2), [
      '::error title=cri-compat::66 errors: GitHub annotates only 10 of a kind in a step, so 57 of them are only in the log of this step',
      '::warning title=cri-compat::12 warnings: GitHub annotates only 10 of a kind in a step, so 3 of them are only in the log of this step',
    ]);
  });

  test('no output line is a workflow command but those of --format github: not a file name, not a quoted import', { skip: process.platform === 'win32' ? 'no : in file names' : false }, () => {
    // The runner takes a line that starts with `::` as a command, and `##[command]` anywhere in a line as a
    // legacy one: `##[stop-commands]x` would stop the processing of workflow commands, `##[add-mask]x` hide text.
    const sub = join(dir, 'forge');
    mkdirSync(sub, { recursive: true });
    const name = '::notice::forged.proto';
    writeFileSync(join(sub, name), text.replace('syntax = "proto3";', 'syntax = "proto3";\nimport "##[stop-commands]x.proto";').replace(/\n\s*string version = 1;\n/, '\n'));
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const r = cli(['check', '--against', old, '--format', format, '--', name], sub);
      assert.equal(r.code, 1, r.err);
      const lines = `${r.out}\n${r.err}`.split('\n');
      assert.ok(lines.some((l) => l.includes('stop-commands]x.proto')), r.out);
      for (const l of lines) {
        assert.ok(!l.includes('##['), `${format}: ${l}`);
        if (!(format === 'github' && /^::(error|warning|notice) /.test(l))) assert.doesNotMatch(l, /^\s*::/, format);
      }
      if (format === 'json') assert.ok(JSON.parse(r.out).findings.some((f: { message: string }) => f.message.includes('"##[stop-commands]x.proto"')), 'JSON keeps the text');
      if (format === 'sarif') assert.ok(JSON.parse(r.out).runs[0].results.some((x: { message: { text: string } }) => x.message.text.includes('"##[stop-commands]x.proto"')));
    }
    // pairs heads each pair with the names of both files, one of them here with a line break.
    const broken = 'v\n::error::##[add-mask]x.proto';
    writeFileSync(join(sub, broken), text);
    const p = cli(['pairs', '--', broken, name], sub);
    assert.match(p.out, /^== v\\n::error::##\\u005badd-mask\]x\.proto → ::notice::forged\.proto: \d+ findings$/m);
    for (const l of `${p.out}\n${p.err}`.split('\n')) assert.ok(!l.includes('##[') && !/^\s*::/.test(l), l);
  });

  test('sarif: no more results than code scanning accepts in a run, the most severe kept, and says so', () => {
    // More undocumented fields (warnings) than GitHub takes, in a message before a deleted field (an error):
    // the error comes last in the file, and must not be what is left out.
    const fields = Array.from({ length: 25_001 }, (_, i) => `  string f${i} = ${20_000 + i};`).join('\n');
    const file = join(dir, 'many.proto');
    writeFileSync(file, text.replace('service RuntimeService {', `// Many fields.\nmessage Many {\n${fields}\n}\n\nservice RuntimeService {`).replace(/\n\s*string version = 1;\n/, '\n'));
    const r = cli(['check', '--against', old, '--format', 'sarif', file], dir);
    assert.equal(r.code, 1, r.err);
    const log = JSON.parse(r.out);
    validSarif(log);
    const run = log.runs[0];
    const results = run.results as (SarifResult & { level: string })[];
    assert.equal(results.length, 25_000);
    assert.ok(results.some((x) => x.ruleId === 'FIELD_NO_DELETE' && x.level === 'error'), 'the error is kept');
    // Still in the order of the file, and each result's rule is where its ruleIndex says.
    const lines = results.map((x) => x.locations[0]!.physicalLocation.region.startLine);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
    for (const x of results) assert.equal(run.tool.driver.rules[x.ruleIndex].id, x.ruleId);
    const all = (JSON.parse(cli(['check', '--against', old, '--format', 'json', file], dir).out) as { findings: unknown[] }).findings.length;
    assert.ok(all > 25_000, `${all}`);
    assert.ok(run.invocations[0].toolExecutionNotifications.some((n: { level: string; message: { text: string } }) =>
      n.level === 'warning' && n.message.text.startsWith(`${all - 25_000} of ${all} results were left out`)), JSON.stringify(run.invocations[0]));
  });

});
