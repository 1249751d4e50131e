// The built command line as CI runs it: exit codes, the four output formats (SARIF validated against the
// published 2.1.0 schema), bad usage and unreadable input.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { Corpus, CORPUS_HELP, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { RULES } from '../server/src/compat/rules';
import { Output } from '../server/src/cli/output';
import { MAX_INPUT_BYTES } from '../server/src/cli/main';
import { firstInvalidUtf8 } from '../server/src/utf8Text';
import { layerSeverities, type SeveritySetting } from '../server/src/compat/check';
import { atColumn0, newestCorpusText } from './corpusText';
import { cloneOfReleases } from './gitClone';

const ROOT = findRepoRoot(__dirname);
const CLI = join(ROOT, 'dist', 'cli.js');
const corpusDir = findCorpusDir(ROOT);

function cli(args: string[], cwd = ROOT, env: Record<string, string> = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, XDG_CACHE_HOME: join(tmp, 'cache'), ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let tmp = '';
let edited = '';
let old = '';

describe('cri-compat CLI', { skip: corpusDir ? false : CORPUS_HELP }, () => {
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cri-compat-cli-'));
    const corpus = new Corpus(corpusDir!);
    const text = corpus.textOf('v0.36.3')!;
    old = join(tmp, 'old.proto');
    writeFileSync(old, text);
    // One wire break (a deleted field) and one documentation finding (an undocumented field).
    const changed = text.replace(/\n\s*string version = 1;\n/, '\n').replace('message VersionResponse {', 'message VersionResponse {\n    string build_id = 5;');
    assert.notEqual(changed, text);
    edited = join(tmp, 'api.proto');
    writeFileSync(edited, changed);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('text: compiler-style lines, exit 1 on an error-level finding', () => {
    const r = cli(['check', '--against', old, edited]);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trim().split('\n');
    assert.ok(lines.every((l) => /^.+:\d+:\d+: (error|warning|information|hint) [A-Z_]+ .+$/.test(l)), r.out);
    assert.ok(lines.some((l) => / error FIELD_NO_DELETE field "VersionRequest.version" = 1 /.test(l)), r.out);
    assert.ok(lines.some((l) => / warning DOC_MISSING new field "build_id"/.test(l)), r.out);
    const per = (severity: string): string => {
      const n = lines.filter((l) => l.includes(`: ${severity} `)).length;
      return `${n} ${severity}${n === 1 ? '' : 's'}`;
    };
    assert.match(r.err, new RegExp(`^${lines.length} findings: (.+, )?${per('error')}(, |$)`, 'm'));
    assert.match(r.err, new RegExp(`^${lines.length} findings: (.+, )?${per('warning')}(, |$)`, 'm'));
  });

  test('text: the summary counts the severities most severe first, whatever the order in the file', () => {
    // v0.30.0 → v0.36.3: warnings early in the file (new RPCs), the one error (a changed field) later.
    const corpus = new Corpus(corpusDir!);
    const before = join(tmp, 'v0.30.0.proto');
    const after = join(tmp, 'v0.36.3.proto');
    writeFileSync(before, corpus.textOf('v0.30.0')!);
    writeFileSync(after, corpus.textOf('v0.36.3')!);
    const r = cli(['check', '--against', before, after]);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trim().split('\n');
    assert.match(lines[0]!, / warning /, 'a warning comes first in the file');
    const count = (severity: string): string | undefined => {
      const n = lines.filter((l) => l.includes(`: ${severity} `)).length;
      return n ? `${n} ${severity}${n === 1 || severity === 'information' ? '' : 's'}` : undefined;
    };
    const expected = ['error', 'warning', 'information', 'hint'].map(count).filter(Boolean).join(', ');
    assert.match(r.err, new RegExp(`^${lines.length} findings: ${expected}$`, 'm'));
  });

  test('--fail-on: warning fails on warnings only, never never fails, error is the default', () => {
    const docsOnly = join(tmp, 'docs-only.proto');
    writeFileSync(docsOnly, readFileSync(old, 'utf8').replace('message VersionResponse {', 'message VersionResponse {\n    string build_id = 5;'));
    assert.equal(cli(['check', '--against', old, docsOnly]).code, 0);
    assert.equal(cli(['check', '--against', old, '--fail-on', 'warning', docsOnly]).code, 1);
    assert.equal(cli(['check', '--against', old, '--fail-on', 'never', edited]).code, 0);
    assert.equal(cli(['check', '--against', old, old]).code, 0);
  });

  test('--severity and .cri-compat.json change levels; flags win', () => {
    assert.equal(cli(['check', '--against', old, '--severity', 'FIELD_NO_DELETE=warning', edited]).code, 0);
    const cfg = join(tmp, 'sev.json');
    writeFileSync(cfg, JSON.stringify({ severity: { WIRE: 'off' } }));
    const r = cli(['check', '--against', old, '--config', cfg, '--format', 'json', edited]);
    assert.equal(r.code, 0, r.err);
    assert.ok(!JSON.parse(r.out).findings.some((f: { category: string }) => f.category === 'WIRE'));
    assert.equal(cli(['check', '--against', old, '--config', cfg, '--severity', 'FIELD_NO_DELETE=error', edited]).code, 1);
  });

  test('a hostile .cri-compat.json beside the file: not followed, not waited for, not echoed', () => {
    const dir = mkdtempSync(join(tmp, 'hostile-'));
    const file = join(dir, 'api.proto');
    copyFileSync(edited, file);
    const config = join(dir, '.cri-compat.json');
    const attempt = (setup: () => void, message: RegExp): void => {
      rmSync(config, { force: true });
      setup();
      const r = cli(['check', '--against', old, file], ROOT, { SECRET_TOKEN: 'ghp_not_for_logs' });
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, message);
      assert.doesNotMatch(r.err + r.out, /ghp_not_for_logs|root:/);
    };
    // A link to the environment of the process reading it, or to any file, would otherwise print its start.
    attempt(() => symlinkSync('/proc/self/environ', config), /\.cri-compat\.json: is a symbolic link, which is not followed/);
    attempt(() => symlinkSync('/etc/passwd', config), /is a symbolic link, which is not followed/);
    // A link to nothing is a link too: said, not passed over for the configuration in the working directory.
    attempt(() => symlinkSync(join(dir, 'nowhere.json'), config), /\.cri-compat\.json: is a symbolic link, which is not followed/);
    // A FIFO would block the read forever, /dev/zero would never end.
    if (process.platform !== 'win32') attempt(() => spawnSync('mkfifo', [config]), /\.cri-compat\.json: not a regular file/);
    // Invalid JSON is located, not quoted.
    attempt(() => writeFileSync(config, '{\n  "severity": { "DOCS": off }\n}\n'), /\.cri-compat\.json: not valid JSON \(line 2, column 25: InvalidSymbol\)/);
    // Nested past any parser's stack (under the 1 MiB cap) and broken: said to be invalid, not a stack overflow that
    // names no file.
    attempt(() => writeFileSync(config, `{"severity":${'['.repeat(400_000)}${']'.repeat(399_999)}}`), /\.cri-compat\.json: not valid JSON$/m);
    // Keys that would write lines of their own (CI workflow commands) or terminal controls: quoted as JSON, each
    // message one line; a thousand of them are not all listed.
    const forged = 'x\n::error file=api.proto,line=1::Injected\n::stop-commands::abc\n\u001b]0;PWNED\u0007';
    const many = Object.fromEntries([[forged, 'off'], ...Array.from({ length: 1000 }, (_, k) => [`K${k}`, 'off'])]);
    for (const content of [{ severity: many }, { [forged]: 1, ...Object.fromEntries(Array.from({ length: 1000 }, (_, k) => [`k${k}`, 1])) }]) {
      rmSync(config, { force: true });
      writeFileSync(config, JSON.stringify(content));
      const r = cli(['check', '--format', 'github', '--against', old, file]);
      assert.equal(r.code, 2, r.err);
      assert.doesNotMatch(r.err, /^::/m);
      assert.doesNotMatch(r.err, /[\u0000-\u0008\u000b-\u001f\u007f]/);
      assert.match(r.err, /"x\\n::error file=api\.proto,line=1::Injected\\n::stop-commands::abc\\n\\u001b\]0;PWNED\\u0007"/);
      assert.match(r.err, /and \d+ more/);
      assert.ok(r.err.length < 4000, `${r.err.length} characters`);
    }
    // Named on the command line, a link is the user's choice and is followed.
    rmSync(config);
    writeFileSync(join(dir, 'real.json'), JSON.stringify({ severity: { WIRE: 'off' } }));
    symlinkSync(join(dir, 'real.json'), config);
    assert.equal(cli(['check', '--against', old, '--config', config, file]).code, 0);
  });

  test('package names that are Object.prototype members are package names like any other', () => {
    for (const pkg of ['constructor', '__proto__', 'toString']) {
      const file = join(tmp, `${pkg}.proto`);
      writeFileSync(file, `syntax = "proto3";\npackage ${pkg};\nmessage A { string x = 1; }\n`);
      const r = cli(['check', file]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, new RegExp(`${pkg}\\.proto is not the CRI API: its package is ${pkg}, not runtime\\.v1, so it is not compared`));
      const h = cli(['history', '--package', pkg]);
      assert.equal(h.code, 2);
      assert.match(h.err, new RegExp(`the bundled release index has no package "${pkg}" \\(it has runtime\\.v1, runtime\\.v1alpha2\\)`));
    }
  });

  test('a second file of runtime.v1 that is not the CRI API is not compared with a release', () => {
    const extra = join(tmp, 'extra.proto');
    writeFileSync(extra, 'syntax = "proto3";\npackage runtime.v1;\nmessage Extra {\n  string id = 1;\n}\n');
    const r = cli(['check', '--format', 'json', extra]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out).findings, []);
    assert.match(r.err, /extra\.proto is not the CRI API: it declares neither RuntimeService nor ImageService and is not named api\.proto, so it is not compared with cri-api releases; pass --against <file> to compare it with another proto file/);
    // Named api.proto, a runtime.v1 file is the CRI API even without its services (deleting them breaks peers).
    const api = join(tmp, 'nosvc', 'api.proto');
    mkdirSync(join(tmp, 'nosvc'), { recursive: true });
    writeFileSync(api, readFileSync(extra, 'utf8'));
    const deleted = cli(['check', '--format', 'json', api]);
    assert.equal(deleted.code, 1, deleted.err);
    assert.ok(JSON.parse(deleted.out).findings.some((f: { rule: string }) => f.rule === 'SERVICE_NO_DELETE'));
  });

  test('indentation changes nothing: the newest api.proto with no line indented, against itself, finds nothing', () => {
    const indented = join(tmp, 'indented.proto');
    const column0 = join(tmp, 'column0.proto');
    writeFileSync(indented, newestCorpusText());
    writeFileSync(column0, atColumn0(newestCorpusText()));
    const parsed = cli(['parse', column0]);
    assert.deepEqual([parsed.code, parsed.out], [0, '']);
    const r = cli(['check', '--against', indented, '--format', 'json', '--fail-on', 'hint', column0]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.deepEqual(JSON.parse(r.out).findings, []);
  });

  test('json: the documented schema', () => {
    const r = cli(['check', '--against', old, '--format', 'json', edited]);
    assert.equal(r.code, 1, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.schemaVersion, 1);
    assert.equal(j.baseline.source, 'path');
    const f = j.findings.find((x: { rule: string }) => x.rule === 'FIELD_NO_DELETE');
    assert.deepEqual(Object.keys(f).sort(), ['category', 'element', 'link', 'message', 'range', 'rule', 'severity']);
    assert.equal(f.element, 'runtime.v1.VersionRequest.version');
    assert.equal(f.category, 'WIRE');
    assert.match(f.link, /^https:\/\//);
    assert.deepEqual(Object.keys(f.range.start), ['line', 'character']);
  });

  test('sarif: valid SARIF 2.1.0, with rule metadata and UTF-16 columns', () => {
    const r = cli(['check', '--against', old, '--format', 'sarif', edited]);
    assert.equal(r.code, 1, r.err);
    const log = JSON.parse(r.out);
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const ajv = new Ajv({ schemaId: 'id', allErrors: true });
    ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
    const valid = ajv.validate(schema, log);
    assert.ok(valid, ajv.errorsText(ajv.errors));
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'cri-compat');
    assert.ok(run.tool.driver.rules.some((x: { id: string; helpUri: string }) => x.id === 'FIELD_NO_DELETE' && /^https:/.test(x.helpUri)));
    assert.ok(run.results.some((x: { ruleId: string; level: string }) => x.ruleId === 'FIELD_NO_DELETE' && x.level === 'error'));
    assert.equal(run.columnKind, 'utf16CodeUnits');
  });

  test('github: workflow commands with escaped properties', () => {
    const r = cli(['check', '--against', old, '--format', 'github', edited]);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trim().split('\n');
    assert.ok(lines.every((l) => /^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[A-Z_]+::.+$/.test(l)), r.out);
    assert.ok(lines.some((l) => l.startsWith('::error ') && l.includes('title=FIELD_NO_DELETE')));
  });

  test('exit 2 with a message: bad usage, unknown baseline, unreadable or binary input', () => {
    for (const [args, message] of [
      [['check'], /takes exactly one \.proto file/],
      [['check', '--format', 'xml', edited], /--format must be one of text, json, sarif, github/],
      [['check', '--bogus', edited], /unknown option --bogus/],
      [['check', '--severity', 'FIELD_NO_DELETE=loud', edited], /severity must be one of/],
      [['check', '--against', 'v0.99.0', edited], /The baseline "v0\.99\.0" \(--against\) could not be used: .*\. Pass --against a cri-api release tag such as v0\.\d+\.\d+, .*; or leave --against out to pick the last release automatically\./],
      [['check', join(tmp, 'missing.proto')], /cannot read \(ENOENT\)/],
      [['check', tmp], /not a regular file/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ] as [string[], RegExp][]) {
      const r = cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message);
    }
    const binary = join(tmp, 'binary.proto');
    writeFileSync(binary, Buffer.from([0x73, 0x79, 0x6e, 0x00, 0x01]));
    const r = cli(['check', binary]);
    assert.equal(r.code, 2);
    assert.match(r.err, /NUL bytes; not a \.proto text file/);
    // UTF-16, as Windows editors save "Unicode" text, with and without a byte order mark: said so.
    const text = 'syntax = "proto3";\npackage runtime.v1;\n';
    for (const [name, bytes, endian] of [
      ['utf16le-bom.proto', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'LE'],
      ['utf16le.proto', Buffer.from(text, 'utf16le'), 'LE'],
      ['utf16be-bom.proto', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]), 'BE'],
    ] as const) {
      writeFileSync(join(tmp, name), bytes);
      const u = cli(['check', join(tmp, name)]);
      assert.equal(u.code, 2, name);
      assert.match(u.err, new RegExp(`NUL bytes; it looks like UTF-16${endian} text; \\.proto files must be UTF-8`), name);
    }
  });

  test('an input that cannot be used says what to do about it, not "--help"; bad usage points to --help', () => {
    const latin1 = join(tmp, 'latin1-baseline.proto');
    writeFileSync(latin1, Buffer.from('syntax = "proto3";\n// caf\xe9\n', 'latin1'));
    for (const [args, message] of [
      [['check', join(tmp, 'missing.proto')], /^cri-compat: .*missing\.proto: cannot read \(ENOENT\)$/],
      [['check', tmp], /: not a regular file$/],
      [['check', '--against', 'v0.99.0', edited], /Pass --against a cri-api release tag/],
      // A baseline file is named as the baseline: the checked file may have the same name.
      [['check', '--against', tmp, edited], new RegExp(`^cri-compat: --against ${tmp.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a regular file$`)],
      [['check', '--against', latin1, edited], /^cri-compat: --against .*latin1-baseline\.proto:2:7: invalid UTF-8/],
      // An import directory that is not there is a missing input too: the option was given right.
      [['check', '--proto-path', join(tmp, 'no-such-dir'), edited], /^cri-compat: --proto-path .*no-such-dir: cannot read \(ENOENT\)$/],
    ] as [string[], RegExp][]) {
      const r = cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err.trim(), message);
      assert.doesNotMatch(r.err, /--help/, args.join(' '));
    }
    // A pipe (`git show main:api.proto | cri-compat check --against /dev/stdin …`, or `<(…)`) is not read: it
    // says what to do instead, not only what it is not.
    for (const args of process.platform === 'win32' ? [] : [['check', '/dev/stdin'], ['check', '--against', '/dev/stdin', edited]]) {
      const piped = spawnSync(process.execPath, [CLI, ...args], { input: readFileSync(old), encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: join(tmp, 'cache') } });
      assert.equal(piped.status, 2, piped.stderr);
      assert.match(piped.stderr, /\/dev\/stdin: not a regular file but a pipe; save its text to a file and pass that\n/);
      assert.equal(piped.stdout, '');
    }
    const usage = cli(['check', '--format', 'xml', edited]);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /^Run "cri-compat --help" for usage\.$/m);
  });

  test('inputs past the size limit, and a baseline file with syntax errors: exit 2, said with where', () => {
    // Sparse: the size is what is refused, before anything is read.
    const big = join(tmp, 'big.proto');
    writeFileSync(big, '');
    truncateSync(big, MAX_INPUT_BYTES + 1);
    for (const args of [['check', big], ['check', '--against', big, edited], ['pairs', old, big], ['parse', big]]) {
      const r = cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, new RegExp(`big\\.proto: ${MAX_INPUT_BYTES + 1} bytes is larger than the ${MAX_INPUT_BYTES}-byte limit`));
      assert.equal(r.out, '');
    }
    // A config file has a limit of its own (1 MiB), said the same way, with the size.
    const bigConfig = join(tmp, 'big.json');
    writeFileSync(bigConfig, '');
    truncateSync(bigConfig, 1024 * 1024 + 1);
    const config = cli(['check', '--config', bigConfig, '--against', old, edited]);
    assert.equal(config.code, 2, config.err);
    assert.equal(config.out, '');
    assert.equal(config.err, `cri-compat: --config ${bigConfig}: ${1024 * 1024 + 1} bytes is larger than the ${1024 * 1024}-byte limit\n`);
    // A baseline that does not parse would compare the file with part of itself: refused, named as the baseline,
    // with the first error where a compiler puts it, file:line:col.
    const broken = join(tmp, 'broken-baseline.proto');
    writeFileSync(broken, readFileSync(old, 'utf8').replace('syntax = "proto3";', 'syntax = "proto3"').replace('package runtime.v1;', 'package runtime.v1'));
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const r = cli(['check', '--format', format, '--against', broken, edited]);
      assert.equal(r.code, 2, format);
      assert.equal(r.out, '', format);
      assert.match(r.err, new RegExp(`^cri-compat: --against ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: expected ';'.*\\(the first of 2 syntax errors\\); a baseline file must parse$`, 'm'), r.err);
    }
  });

  test('rules, history and report', () => {
    const rules = cli(['rules']);
    assert.equal(rules.code, 0);
    assert.equal(rules.out.trim().split('\n').length, RULES.length);
    // Columns line up, the longest rule id included.
    const categoryAt = new Set(rules.out.trim().split('\n').map((l) => /^\S+ +/.exec(l)![0].length));
    assert.equal(categoryAt.size, 1, rules.out);
    const h = cli(['history', '--element', 'runtime.v1.ContainerConfig.CDI_devices']);
    assert.equal(h.code, 0, h.err);
    assert.match(h.out, /introduced: +v0\.27\.0-alpha\.3/);
    // An unknown element is an error like every other: on stderr, with the tool's prefix (not "error:").
    const unknown = cli(['history', '--element', 'runtime.v1.NoSuchThing']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /^cri-compat: unknown element "runtime\.v1\.NoSuchThing"/);
    // A fully qualified name as protoc writes it, with the leading dot.
    const dotted = cli(['history', '--element', '.runtime.v1.ContainerConfig.CDI_devices']);
    assert.equal(dotted.code, 0, dotted.err);
    assert.equal(dotted.out, h.out);
    // An element of the other package the index has is looked up in its history, without --package.
    const alpha = cli(['history', '--element', 'runtime.v1alpha2.ContainerConfig.linux']);
    assert.equal(alpha.code, 0, alpha.err);
    assert.equal(alpha.out, cli(['history', '--package', 'runtime.v1alpha2', '--element', 'runtime.v1alpha2.ContainerConfig.linux']).out);
    assert.match(alpha.out, /^runtime\.v1alpha2\.ContainerConfig\.linux /);
    // --package still says which history: the element then names another package, and the error says so.
    assert.match(cli(['history', '--package', 'runtime.v1', '--element', 'runtime.v1alpha2.ContainerConfig']).err, /it names package runtime\.v1alpha2; this history covers runtime\.v1/);
    // A blank element is no element: refused, not answered with the whole package's history.
    const blank = cli(['history', '--element', ' ']);
    assert.equal(blank.code, 2, blank.err);
    assert.equal(blank.out, '');
    assert.match(blank.err, /^cri-compat: --element needs a value, not a blank string$/m);
    // The unknown element is quoted on one line, as every message is: a line break in --element (a value a job
    // took from elsewhere) would otherwise start a line of its own, which the Actions runner reads as a command.
    const forged = cli(['history', '--element', 'runtime.v1.NoSuchThing\n::error file=api.proto,line=1::forged']);
    assert.equal(forged.code, 2, forged.err);
    assert.equal(forged.out, '');
    assert.match(forged.err, /^cri-compat: unknown element "runtime\.v1\.NoSuchThing\\n::error file=api\.proto,line=1::forged" in runtime\.v1 /);
    assert.equal(forged.err.trimEnd().split('\n').length, 1, forged.err);
    // Against a tag the report has the skew matrix; a file baseline has no release to place it in.
    const report = cli(['report', '--against', 'v0.36.3', edited]);
    assert.equal(report.code, 1, report.err);
    assert.match(report.out, /^# CRI compatibility report/);
    assert.match(report.out, /Baseline: \*\*v0\.36\.3\*\* \(Kubernetes 1\.36\.3\)/);
    // Outside the editor a rule links its policy page; no editor command.
    assert.match(report.out, /\[FIELD_NO_DELETE\]\(https:\/\/protobuf\.dev\//);
    assert.doesNotMatch(report.out, /command:/);
    // The bundled history's 1.37 pre-releases lack the changes: 1.37 from v0.37.0 on is a row of its own.
    assert.match(report.out, /## Version skew[\s\S]*\| \*\*1\.37\.0 and later 1\.37 patches\*\* \|/);
    assert.doesNotMatch(cli(['report', '--against', old, edited]).out, /## Version skew/);
  });

  test('report: the text of the findings as written, with no HTML entity or needless backslash', () => {
    // v0.36.0 against v0.25.0: field number 4 of ContainerEventResponse was reused, and documentation changed.
    const file = join(tmp, 'v0.36.0', 'api.proto');
    mkdirSync(join(tmp, 'v0.36.0'));
    writeFileSync(file, new Corpus(corpusDir!).textOf('v0.36.0')!);
    const r = cli(['report', '--against', 'v0.25.0', file]);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^\| 2162 \| error, breaking \| \[FIELD_NUMBER_REUSED\]\([^)]*\) \| field number 4 belonged to "pod_sandbox_metadata" \(runtime\.v1\.PodSandboxMetadata\) in v0\.25\.0; "pod_sandbox_status" \(runtime\.v1\.PodSandboxStatus\) now uses it \|$/m);
    assert.doesNotMatch(r.out, /&(quot|amp|lt|gt);|\\[()"_]/);
  });

  test('check: an RPC whose message was deleted did not change its signature: unresolved-type and MESSAGE_NO_DELETE say it', () => {
    const text = readFileSync(old, 'utf8');
    const deleted = text.replace(/\nmessage VersionRequest \{[^}]*\}\n/, '\n').replace(/\nmessage VersionResponse \{[^}]*\}\n/, '\n');
    assert.notEqual(deleted, text);
    const file = join(tmp, 'deleted-messages.proto');
    writeFileSync(file, deleted);
    const r = cli(['check', '--against', old, '--format', 'json', file]);
    assert.equal(r.code, 1, r.err);
    const rules = JSON.parse(r.out).findings.map((f: { rule: string; message: string }) => `${f.rule} ${f.message.replace(/ of .*/, '')}`);
    // Not also "rpc Version changed its request from runtime.v1.VersionRequest to VersionRequest": it names the same type.
    assert.deepEqual(rules, ['unresolved-type unknown type "VersionRequest"', 'unresolved-type unknown type "VersionResponse"',
      'MESSAGE_NO_DELETE message "runtime.v1.VersionRequest"', 'MESSAGE_NO_DELETE message "runtime.v1.VersionResponse"']);
    // A type that resolves to another message is still a signature change.
    writeFileSync(file, text.replace('rpc Version(VersionRequest)', 'rpc Version(StatusRequest)'));
    assert.match(cli(['check', '--against', old, file]).out, /RPC_SIGNATURE_CHANGED rpc "Version" changed its request from runtime\.v1\.VersionRequest to runtime\.v1\.StatusRequest/);
  });

  test('check: a new enum value on the number of a released value that moved is a reuse and new, against the file and the tag', () => {
    const protocol = join(tmp, 'protocol.proto');
    const text = readFileSync(old, 'utf8');
    assert.equal(text.split('    SCTP = 2;\n').length, 2);
    writeFileSync(protocol, text.replace('    SCTP = 2;\n', '    SCTP = 3;\n    QUIC = 2;\n'));
    for (const against of [old, 'v0.36.3']) {
      const r = cli(['check', '--against', against, '--format', 'json', protocol]);
      assert.equal(r.code, 1, r.err);
      const findings = (JSON.parse(r.out) as { findings: { rule: string; element: string; severity: string }[] }).findings;
      assert.deepEqual(findings.map((f) => `${f.severity} ${f.rule} ${f.element}`).sort(), [
        'error ENUM_VALUE_NUMBER_CHANGED runtime.v1.Protocol.SCTP',
        'error ENUM_VALUE_NUMBER_REUSED runtime.v1.Protocol.QUIC',
        'warning DOC_MISSING runtime.v1.Protocol.QUIC',
      ], against);
    }
  });

  test('auto baseline: the newest release of the bundled index, stated on stderr', () => {
    const r = cli(['check', '--fail-on', 'never', edited]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /Baseline: v0\.\d+\.\d+, from the bundled release index \(newest release(; pre-releases not included: v0\.\d+\.0-\w+\.\d+ is newer)?\)/);
  });

  test('--network: a Go module proxy that does not answer is said in the baseline\'s origin, not passed over in silence', async () => {
    // Loopback only: a port that was free a moment ago refuses the connection.
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    server.close();
    await once(server, 'close');
    const env = { GOPROXY: `http://127.0.0.1:${port}`, GOMODCACHE: join(tmp, 'no-modcache') };
    const r = cli(['check', '--network', '--format', 'json', '--fail-on', 'never', edited], ROOT, env);
    assert.equal(r.code, 0, r.err);
    const origin = JSON.parse(r.out).baseline.origin as string;
    assert.match(origin, /^the bundled release index \(newest release.*\); not from the Go module proxy: .*127\.0\.0\.1/, origin);
    assert.match(r.err, /^Baseline: v0\.\d+\.\d+, from the bundled release index .*; not from the Go module proxy: /m);
    // Without --network the proxy is not asked, and nothing is said about it.
    assert.doesNotMatch(cli(['check', '--fail-on', 'never', edited], ROOT, env).err, /proxy/);
  });

  test('--network: a relative XDG_CACHE_HOME is no cache, so a checkout cannot plant a download in it', () => {
    // CI sets XDG_CACHE_HOME=.cache to cache inside the workspace; relative, it names a folder of the working
    // directory, the checkout, whose files would be taken for what the proxy sent. The XDG specification says to
    // ignore a relative value (Go's os.UserCacheDir refuses it); the default under $HOME is used instead.
    const checkout = mkdtempSync(join(tmp, 'checkout-'));
    const home = mkdtempSync(join(tmp, 'home-'));
    const proxy = 'http://127.0.0.1:9';
    const version = 'v0.99.0';
    const planted = newestCorpusText().replace('message VersionRequest {', '// planted\nmessage VersionRequest {');
    const entryDir = join(checkout, '.cache', 'cri-compat', 'goproxy', createHash('sha256').update(`${proxy}/`).digest('hex').slice(0, 16), 'k8s.io', 'cri-api');
    mkdirSync(entryDir, { recursive: true });
    writeFileSync(join(entryDir, `${version}.json`), JSON.stringify({
      v: 1, module: 'k8s.io/cri-api', version, h1: 'h1:planted', sha256: createHash('sha256').update(planted, 'utf8').digest('hex'), text: planted,
    }));
    const env = { GOPROXY: proxy, GOMODCACHE: join(tmp, 'no-modcache'), XDG_CACHE_HOME: '.cache', HOME: home };
    const r = cli(['check', '--network', '--against', version, '--fail-on', 'never', edited], checkout, env);
    assert.doesNotMatch(r.err, /\(cached\)/, r.err);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /--against v0\.99\.0|The baseline "v0\.99\.0"/, r.err);
  });

  test('auto baseline of a runtime.v1alpha2 file: the newest v1alpha2 release, described as chosen, not "as set: auto"', () => {
    const corpus = new Corpus(corpusDir!);
    const file = join(tmp, 'v1alpha2-v0.25.0.proto');
    writeFileSync(file, corpus.textOf('v0.25.0', 'pkg/apis/runtime/v1alpha2/api.proto')!);
    const auto = cli(['check', '--format', 'json', file]);
    assert.equal(auto.code, 0, auto.err);
    assert.deepEqual(JSON.parse(auto.out).baseline, { tag: 'v0.25.16', kubernetes: '1.25.16', source: 'bundled', origin: 'the bundled release index (newest runtime.v1alpha2 release)' });
    assert.match(cli(['check', '--current-tag', 'v0.25.0', file]).err, /^Baseline: v0\.24\.17, from the bundled release index \(newest runtime\.v1alpha2 release before v0\.25\.0, the release the file is\)$/m);
    // A tag given in the other form still says which one was asked for.
    assert.match(cli(['check', '--against', 'kubernetes-1.24.0', file]).err, /^Baseline: v0\.24\.0, from the bundled release index \(as set: kubernetes-1\.24\.0\)$/m);
    // A tag given is described as runtime.v1's is: `setting` and `as set`, not as the release auto picked.
    const given = cli(['check', '--format', 'json', '--against', 'v0.24.0', file]);
    assert.equal(given.code, 0, given.err);
    assert.deepEqual(JSON.parse(given.out).baseline, { tag: 'v0.24.0', kubernetes: '1.24.0', source: 'setting', origin: 'the bundled release index (as set)' });
    assert.match(given.err, /^Baseline: v0\.24\.0, from the bundled release index \(as set\)$/m);
    const v1 = JSON.parse(cli(['check', '--format', 'json', '--fail-on', 'never', '--against', 'v0.30.0', old]).out).baseline;
    assert.deepEqual([v1.source, v1.origin], ['setting', 'the bundled release index (as set)']);
  });

  test('the package statement as protoc reads it chooses the baseline: not one in a comment, nor one with a comment in it', () => {
    const corpus = new Corpus(corpusDir!);
    const baselineOf = (name: string, text: string): { tag: string; origin: string } => {
      const file = join(tmp, name);
      writeFileSync(file, text);
      const r = cli(['check', '--format', 'json', '--fail-on', 'never', file]);
      assert.equal(r.code, 0, r.err);
      return JSON.parse(r.out).baseline;
    };
    const alpha = corpus.textOf('v0.25.0', 'pkg/apis/runtime/v1alpha2/api.proto')!;
    const newestAlpha = 'the bundled release index (newest runtime.v1alpha2 release)';
    for (const written of ['package /* the old API */ runtime.v1alpha2;', 'package\n    runtime.v1alpha2;']) {
      const b = baselineOf('alpha-written.proto', alpha.replace('package runtime.v1alpha2;', written));
      assert.deepEqual([b.tag, b.origin], ['v0.25.16', newestAlpha], written);
    }
    // runtime.v1 with an old package statement commented out above the real one: a runtime.v1 release.
    const commentedOut = baselineOf('v1-commented.proto', `/*\npackage runtime.v1alpha2;\n*/\n${readFileSync(old, 'utf8')}`);
    assert.notEqual(commentedOut.origin, newestAlpha);
    assert.match(commentedOut.tag, /^v0\.(3\d|[4-9]\d)\./);
    // pairs: the same package, written with a comment in it, is the same API.
    const commented = join(tmp, 'commented-package.proto');
    writeFileSync(commented, readFileSync(old, 'utf8').replace('package runtime.v1;', 'package /* CRI */ runtime.v1;'));
    const pairs = JSON.parse(cli(['pairs', '--format', 'json', '--fail-on', 'never', old, commented]).out);
    assert.equal(pairs.pairs[0].skipped, undefined, pairs.pairs[0].skipped);
    assert.deepEqual(pairs.pairs[0].report.findings, []);
  });

  test('--current-tag: the automatic baseline is the newest release before it, and the changes ship in it', () => {
    const corpus = new Corpus(corpusDir!);
    const file = (tag: string): string => {
      const path = join(tmp, `${tag}.proto`);
      writeFileSync(path, corpus.textOf(tag)!);
      return path;
    };
    const env = { GOMODCACHE: join(tmp, 'no-modcache') };
    // A patch release that changed the API (upstream v0.35.6 changed KeyValue.value from string to bytes): the
    // patch policy against v0.35.5, not v0.36.3's additions reported as deletions.
    const changed = cli(['check', '--current-tag', 'kubernetes-1.35.6', file('v0.35.6')], ROOT, env);
    assert.match(changed.err, /^Baseline: v0\.35\.5, from the bundled release index \(newest release before v0\.35\.6, the release the file is\)$/m);
    assert.match(changed.out, / warning PATCH_RELEASE_API_CHANGE 1 API change between v0\.35\.5 and the patch release kubernetes-1\.35\.6;/);
    assert.match(changed.out, / FIELD_TYPE_CHANGED field "KeyValue\.value" changed type from string to bytes/);
    assert.doesNotMatch(changed.out, /_NO_DELETE/);
    // A patch that changed nothing, and one the index may not have (v0.35.8, after its last 1.35 release): no findings, exit 0.
    for (const [tag, current, baseline] of [['v0.36.0', 'v0.36.1', 'v0.36.0'], ['v0.35.7', 'v0.35.8', 'v0.35.7']]) {
      const r = cli(['check', '--current-tag', current!, file(tag!)], ROOT, env);
      assert.equal(r.code, 0, r.out);
      assert.match(r.err, new RegExp(`^Baseline: ${baseline!.replace(/\./g, '\\.')}, `, 'm'));
      assert.equal(r.out, '');
    }
    // The report: an RPC added in a patch ships in that patch, and the matrix is around its minor.
    const rpc = join(tmp, 'rpc.proto');
    writeFileSync(rpc, corpus.textOf('v0.36.3')!.replace('service RuntimeService {\n', 'service RuntimeService {\n    // Ping is new.\n    rpc Ping(VersionRequest) returns (VersionResponse) {}\n'));
    const report = cli(['report', '--against', 'v0.36.3', '--current-tag', 'v0.36.4', rpc], ROOT, env);
    assert.match(report.out, /^The changes would ship in Kubernetes 1\.36\.4 \(cri-api v0\.36\.4\)\. /m);
    assert.match(report.out, /^\| kubelet \\ runtime \| cri-api v0\.33 \|.* \| cri-api v0\.35 \| cri-api v0\.36\.0–v0\.36\.3 \| cri-api v0\.36\.4 and later v0\.36 patches \| cri-api v0\.37\.0-alpha\.0–v0\.37\.0-beta\.0 \|.* \| cri-api v0\.40 \|$/m);
    // Kubelets and runtimes of 1.36 before the patch do not have the RPC: neither ✓ nor ◐ for those kubelets.
    // Nor the 1.37 pre-releases of the history, which were cut before it.
    assert.match(report.out, /^\| \*\*1\.36\.0–1\.36\.3\*\* \| · \| · \| · \| · \| ○ \| · \| ○ \| ○ \| ○ \| — \|$/m);
    assert.match(report.out, /^\| \*\*1\.36\.4 and later 1\.36 patches\*\* \| ◐ \| ◐ \| ◐ \| ◐ \| ✓ \| ◐ \| ✓ \| ✓ \| ✓ \| — \|$/m);
    assert.match(report.out, /PATCH_RELEASE_API_CHANGE/);
  });

  test('pairs: each file against the one before it, with the same findings as check', () => {
    const checked = JSON.parse(cli(['check', '--against', old, '--format', 'json', edited]).out);
    const r = cli(['pairs', '--format', 'json', old, edited, old]);
    assert.equal(r.code, 1, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.schemaVersion, 1);
    assert.deepEqual(j.pairs.map((x: { old: string; new: string }) => [x.old, x.new]), [[old, edited], [edited, old]]);
    assert.deepEqual(j.pairs[0].report.findings, checked.findings, 'the first pair is `check --against old edited`');
    // TAG=FILE: the tag names the file in the output and in messages.
    const tagged = JSON.parse(cli(['pairs', '--format', 'json', `v0.36.3=${old}`, edited]).out);
    assert.equal(tagged.pairs[0].old, 'v0.36.3');
    assert.equal(tagged.pairs[0].report.baseline.tag, 'v0.36.3');
    assert.match(tagged.pairs[0].report.findings[0].message, /of v0\.36\.3 was deleted/);
    // Back again: the deleted field returns, the added one goes (a break the other way round).
    assert.ok(j.pairs[1].report.findings.some((f: { rule: string; element: string }) => f.rule === 'FIELD_NO_DELETE' && f.element === 'runtime.v1.VersionResponse.build_id'), r.out);

    const text = cli(['pairs', old, edited, old]);
    assert.equal(text.code, 1);
    assert.match(text.out, new RegExp(`^== ${old.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} → .+: \\d+ findings?$`, 'm'));
    assert.match(text.err, /^2 pairs, 2 with findings, \d+ findings?$/m);
    assert.equal(cli(['pairs', old, old, old]).code, 0, 'no change, no finding');

    // Another package is another API, with a series of its own: each file is compared with the one before it
    // of its package, whatever comes between them; the first of a package with nothing, and nothing is skipped.
    const alpha = join(tmp, 'v1alpha2.proto');
    writeFileSync(alpha, readFileSync(old, 'utf8').replace('package runtime.v1;', 'package runtime.v1alpha2;'));
    const mixed = cli(['pairs', '--format', 'json', '--fail-on', 'never', old, alpha, edited, alpha]);
    assert.equal(mixed.code, 0, mixed.err);
    const sj = JSON.parse(mixed.out);
    assert.deepEqual(sj.pairs.map((x: { old: string; new: string; skipped?: string }) => [x.old, x.new, x.skipped]), [[old, edited, undefined], [alpha, alpha, undefined]]);
    assert.deepEqual(sj.pairs[0].report.findings, checked.findings);
    assert.deepEqual(sj.pairs[1].report.findings, []);
    const ghMixed = cli(['pairs', '--format', 'github', '--fail-on', 'never', old, alpha, edited, alpha]);
    assert.doesNotMatch(ghMixed.err, /skipped/);
    assert.match(ghMixed.out, /^::error file=[^,]*api\.proto,/m);

    const latin1 = join(tmp, 'latin1.proto');
    writeFileSync(latin1, Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9]), Buffer.from('\n'), Buffer.from(readFileSync(old))]));
    const nul = join(tmp, 'nul.proto');
    writeFileSync(nul, Buffer.concat([readFileSync(old), Buffer.from([0])]));
    for (const [args, message] of [
      [['pairs', old], /pairs takes two or more \.proto files/],
      [['pairs', '--against', old, old, edited], /pairs does not take --against/],
      [['pairs', '--format', 'markdown', old, edited], /--format must be one of text, json, sarif, github/],
      [['pairs', old, edited, join(tmp, 'missing.proto')], /missing\.proto: cannot read \(ENOENT\)/],
      // Read before the first pair is printed: a CI log must not hold half of a run that then exits 2.
      [['pairs', old, edited, latin1], /latin1\.proto:1:7: invalid UTF-8/],
      [['pairs', old, edited, nul], /nul\.proto: contains NUL bytes/],
      [['pairs', '--format', 'github', old, edited, latin1], /latin1\.proto:1:7: invalid UTF-8/],
      // A label that is not a release tag, in front of a file that is there: said, not "main=…: cannot read (ENOENT)".
      [['pairs', `main=${old}`, edited], /"main" in "main=.*old\.proto" is not a release tag: TAG=FILE takes v0\.N\.M, kubernetes-1\.N\.M or 1\.N\.M/],
    ] as const) {
      const bad = cli([...args]);
      assert.equal(bad.code, 2, bad.err);
      assert.match(bad.err, message);
      assert.equal(bad.out, '', 'nothing is printed before the error');
    }
  });

  test('pairs over the whole runtime.v1 history: json, github and text are valid and agree; `| head -1` ends it cleanly', async () => {
    const corpus = new Corpus(corpusDir!);
    const seen = new Set<string>();
    const args = corpus.goTags().filter((r) => !seen.has(r.blob) && seen.add(r.blob)).map((r) => `${r.tag}=${join(corpus.dir, 'blobs', `${r.blob}.proto`)}`);
    const json = cli(['pairs', '--format', 'json', ...args]);
    assert.equal(json.code, 1, json.err);
    const j = JSON.parse(json.out) as { pairs: { report?: { findings: unknown[] } }[]; syntaxErrors: unknown[] };
    assert.equal(j.pairs.length, args.length - 1);
    assert.deepEqual(j.syntaxErrors, []);
    const counts = j.pairs.map((x) => x.report!.findings.length);
    const total = counts.reduce((a, b) => a + b, 0);
    assert.ok(total > 100, String(total));

    const text = cli(['pairs', ...args]);
    assert.equal(text.code, 1, text.err);
    const lines = text.out.trimEnd().split('\n');
    const headers = lines.filter((l) => l.startsWith('== '));
    assert.equal(headers.length, counts.filter((n) => n).length);
    const findings = lines.filter((l) => !l.startsWith('== '));
    assert.equal(findings.length, total);
    for (const l of findings) assert.match(l, /^.+\.proto:\d+:\d+: (error|warning|information|hint) [\w-]+ .+$/);
    // The count splits the findings as JSON's summary does: the rules' (with a category) and the files' own.
    const jf = j.pairs.flatMap((x) => x.report!.findings as { category: string | null }[]);
    const problems = jf.filter((f) => f.category === null).length;
    assert.ok(problems > 0, 'the older releases import gogo.proto, which is not in the corpus');
    assert.match(text.err, new RegExp(`^${args.length - 1} pairs, ${headers.length} with findings, ${total} findings: ${total - problems} compatibility findings in \\d+ pairs, ${problems} file problems in \\d+ pairs \\(${problems} unresolved-import\\)$`, 'm'));

    const github = cli(['pairs', '--format', 'github', ...args]);
    assert.equal(github.code, 1, github.err);
    const commands = github.out.trimEnd().split('\n');
    assert.ok(commands.every((l) => /^::(error|warning|notice) (file=[^,]+,line=\d+,|title=cri-compat::)/.test(l)), github.out);
    assert.equal(commands.filter((l) => l.includes(' file=')).length, total);
    // And the same count on stderr, which GitHub's log shows beside the annotations.
    assert.equal(github.err.split('\n')[0], text.err.split('\n').find((l) => /^\d+ pairs, /.test(l)));

    // As `cri-compat pairs … | head -1`: the reader goes away after the first chunk; no stack trace, the same status.
    for (const format of ['text', 'json', 'github']) {
      const child = spawn(process.execPath, [CLI, 'pairs', '--format', format, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.once('data', () => child.stdout.destroy());
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      const [code] = (await once(child, 'close')) as [number | null];
      assert.equal(code, 1, `${format}: ${err}`);
      assert.doesNotMatch(err, /EPIPE|Error|^\s+at /m, format);
    }
  });

  test('`help` prints the usage as --help does, exit 0', () => {
    const usage = cli(['--help']);
    for (const args of [['help'], ['help', 'check']]) {
      const r = cli(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
      assert.equal(r.out, usage.out);
    }
    // A command help does not know is a typo, as git says of `git help chek`: not the usage and success.
    const typo = cli(['help', 'chek']);
    assert.equal(typo.code, 2);
    assert.equal(typo.out, '');
    assert.match(typo.err, /^cri-compat: unknown command "chek"; did you mean "check"\?$/m);
  });

  test('--current-tag says what a clone\'s tags otherwise tell: the help does not make it the only way to the patch-release policy', () => {
    // A clone past its final v0.35.0 tag is on the 1.35 release line: its changes ship in a patch release.
    const { root, file } = cloneOfReleases('cri-compat-cli-line-', ['v0.35.0']);
    try {
      writeFileSync(file, readFileSync(file, 'utf8').replace('message VersionResponse {', 'message VersionResponse {\n    // The build.\n    string build_id = 5;'));
      const r = cli(['check', '--fail-on', 'never', file], root);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, / warning PATCH_RELEASE_API_CHANGE .*v0\.35\.0 on the 1\.35 release line/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    const help = cli(['--help']).out;
    const entry = /^ {4}--current-tag .*(\n {10,}.*)*/m.exec(help)?.[0] ?? '';
    assert.match(entry, /patch-release policy/, help);
    assert.doesNotMatch(entry, /enables/, 'git also tells the release line, without --current-tag');
    assert.match(entry, /git/);
  });

  test('boolean options: no value, =true or =false, and false is off', () => {
    for (const bad of ['--network=maybe', '--include-prereleases=no', '--help=1']) {
      const r = cli(['check', bad, edited]);
      assert.equal(r.code, 2, `${bad}: ${r.err}`);
      assert.match(r.err, /takes no value, =true or =false/);
    }
    const baseline = (...flags: string[]): string => /^Baseline: .*$/m.exec(cli(['check', '--fail-on', 'never', ...flags, edited]).err)?.[0] ?? '';
    assert.equal(baseline('--include-prereleases=false'), baseline());
    assert.equal(baseline('--include-prereleases=true'), baseline('--include-prereleases'));
    // A proxy that refuses connections: asked only when the network is on.
    const proxy = { GOPROXY: 'http://127.0.0.1:9' };
    assert.match(cli(['check', '--fail-on', 'never', '--network', edited], ROOT, proxy).err, /Asking http:\/\/127\.0\.0\.1:9/);
    assert.doesNotMatch(cli(['check', '--fail-on', 'never', '--network=false', edited], ROOT, proxy).err, /Asking/);
    assert.equal(cli(['rules', '--help=false']).out.trim().split('\n').length, RULES.length);
    assert.doesNotMatch(cli(['rules', '--version=false']).out, /^cri-compat /);
  });

  test('a file with syntax errors: printed as usual, then exit 2 with a message, whatever --fail-on says', () => {
    const syn = join(tmp, 'syn.proto');
    writeFileSync(syn, readFileSync(old, 'utf8').replace('message VersionResponse {', 'message VersionResponse {\n    string build_id;'));
    const notChecked = /^cri-compat: .*syn\.proto has 1 syntax error, so its compatibility was not fully checked$/m;
    for (const args of [['check', '--fail-on', 'never'], ['check'], ['check', '--format', 'json', '--fail-on', 'never'], ['report', '--fail-on', 'never']]) {
      const r = cli([...args, '--against', old, syn]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, notChecked);
      if (args[0] === 'check') assert.match(r.out, /syntax/, 'the syntax error itself is still printed');
      else assert.match(r.out, /^# CRI compatibility report/);
    }
    assert.equal(cli(['parse', syn]).code, 1, 'parse keeps its meaning');
    // In the order of the file, as check prints: the lexer reports an unterminated comment before the parser
    // reaches the missing `;` above it.
    const two = join(tmp, 'two.proto');
    writeFileSync(two, 'syntax = "proto3";\nmessage A {\n  int32 a = 1\n  /* open\n  int32 b = 2;\n}\n');
    const lines = cli(['parse', two]).out.trim().split('\n').map((l) => Number(/^[^:]*two\.proto:(\d+):/.exec(l)?.[1]));
    assert.deepEqual(lines, [3, 4]);

    // pairs: the first file's errors, in every format, and exit 2 at the end.
    const gh = cli(['pairs', '--format', 'github', syn, old]);
    assert.equal(gh.code, 2, gh.err);
    assert.match(gh.out, /^::error file=.*syn\.proto,line=\d+,.*title=syntax::/m);
    assert.match(gh.err, notChecked);
    const text = cli(['pairs', syn, old]);
    assert.equal(text.code, 2);
    assert.match(text.out, /^== .*syn\.proto: 1 syntax error\n.*syn\.proto:\d+:\d+: error syntax /m);
    const j = cli(['pairs', '--format', 'json', '--fail-on', 'never', syn, old, edited]);
    assert.equal(j.code, 2, j.err);
    const parsed = JSON.parse(j.out);
    assert.deepEqual(parsed.pairs.map((x: { skipped?: string; report?: unknown }) => [Boolean(x.skipped), Boolean(x.report)]), [[true, false], [false, true]]);
    assert.deepEqual(parsed.syntaxErrors.map((x: { file: string; findings: { rule: string }[] }) => [x.file, x.findings.map((f) => f.rule)]), [[syn, ['syntax']]]);
    assert.deepEqual(JSON.parse(cli(['pairs', '--format', 'json', old, edited]).out).syntaxErrors, []);
    // A file that a pair shows is not shown twice in text; JSON still lists it among syntaxErrors.
    const mid = cli(['pairs', '--fail-on', 'never', old, syn, old]);
    assert.equal(mid.code, 2);
    assert.equal(mid.out.match(/ error syntax /g)?.length, 1, mid.out);
    assert.equal(JSON.parse(cli(['pairs', '--format', 'json', old, syn, old]).out).syntaxErrors.length, 1);
  });

  test('--severity for a category wins over the config file\'s entries for its rules', () => {
    const cfg = join(tmp, 'doc-error.json');
    writeFileSync(cfg, JSON.stringify({ severity: { DOC_MISSING: 'error' } }));
    const docMissing = (...flags: string[]): string[] => {
      const r = cli(['check', '--against', old, '--format', 'json', '--fail-on', 'never', '--config', cfg, ...flags, edited]);
      assert.equal(r.code, 0, r.err);
      return JSON.parse(r.out).findings.filter((f: { rule: string }) => f.rule === 'DOC_MISSING').map((f: { severity: string }) => f.severity);
    };
    assert.deepEqual(docMissing(), ['error']);
    assert.deepEqual(docMissing('--severity', 'DOCS=off'), []);
    assert.deepEqual(docMissing('--severity', 'DOCS=hint'), ['hint']);
    // Within the flags, as within the file, the rule id beats its category.
    assert.deepEqual(docMissing('--severity', 'DOC_MISSING=information', '--severity', 'DOCS=off'), ['information']);
    // A category flag leaves the file's entries for other categories alone.
    writeFileSync(cfg, JSON.stringify({ severity: { DOC_MISSING: 'error', FIELD_NO_DELETE: 'hint' } }));
    const r = JSON.parse(cli(['check', '--against', old, '--format', 'json', '--config', cfg, '--severity', 'DOCS=off', edited]).out);
    assert.equal(r.findings.find((f: { rule: string }) => f.rule === 'FIELD_NO_DELETE').severity, 'hint');
  });

  test('invalid UTF-8 is refused with its position, as input and as a baseline file', () => {
    const bad = join(tmp, 'latin1.proto');
    writeFileSync(bad, Buffer.concat([Buffer.from('syntax = "proto3";\n// é '), Buffer.from([0xe9]), Buffer.from(' caf\n')]));
    for (const args of [['check', bad], ['parse', bad], ['check', '--against', bad, old], ['pairs', old, bad]]) {
      const r = cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, /latin1\.proto:2:6: invalid UTF-8 \(byte 0xe9 at offset 25\)/);
    }
  });

  test('firstInvalidUtf8 agrees with a fatal TextDecoder', () => {
    assert.equal(firstInvalidUtf8(Buffer.from('plain é ✓ 𝄞')), -1);
    for (const [bytes, at] of [[[0xc0, 0x80], 0], [[0x61, 0xed, 0xa0, 0x80], 1], [[0xe2, 0x28, 0xa1], 0], [[0xf4, 0x90, 0x80, 0x80], 0], [[0x61, 0xe2, 0x82], 1], [[0x80], 0]] as const) {
      assert.equal(firstInvalidUtf8(Uint8Array.from(bytes)), at, bytes.join(' '));
    }
    const alphabet = [0x41, 0x80, 0x9f, 0xa0, 0xbf, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
    let seed = 1;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    for (let i = 0; i < 5000; i++) {
      const b = Uint8Array.from({ length: rand(6) }, () => alphabet[rand(alphabet.length)]!);
      const at = firstInvalidUtf8(b);
      let valid = true;
      try { new TextDecoder('utf-8', { fatal: true }).decode(b); } catch { valid = false; }
      assert.equal(at === -1, valid, Array.from(b).join(' '));
      if (at >= 0) assert.doesNotThrow(() => new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, at)));
    }
  });

  test('options: each command takes its own; values are not taken from the next option; paths and tags are checked', () => {
    const bom = join(tmp, 'bom.json');
    writeFileSync(bom, `\uFEFF${JSON.stringify({ severity: { WIRE: 'off' } })}`);
    assert.equal(cli(['check', '--against', old, '--config', bom, edited]).code, 0, 'a config with a byte order mark is read');
    const array = join(tmp, 'array.json');
    writeFileSync(array, '[]');
    const misspelt = join(tmp, 'misspelt.json');
    writeFileSync(misspelt, JSON.stringify({ sevrity: { WIRE: 'off' } }));
    for (const [args, message] of [
      [['parse', '--format', 'json', edited], /parse does not take --format/],
      [['parse', '--fail-on', 'never', edited], /parse does not take --fail-on/],
      [['report', '--format', 'json', edited], /report does not take --format/],
      [['pairs', '--network', old, edited], /pairs does not take --network/],
      [['pairs', '--include-prereleases', old, edited], /pairs does not take --include-prereleases/],
      [['pairs', '--current-tag', 'v0.36.4', old, edited], /pairs does not take --current-tag/],
      [['history', '--format', 'json'], /history does not take --format/],
      [['rules', '--proto-path', tmp], /rules does not take --proto-path/],
      [['history', 'runtime.v1.ContainerConfig'], /history takes no arguments, not "runtime\.v1\.ContainerConfig"/],
      [['rules', 'extra'], /rules takes no arguments/],
      [['check', '--current-tag', '--include-prereleases', edited], /--current-tag needs a value/],
      [['check', '--format', '--fail-on', 'never', edited], /--format needs a value/],
      [['check', '--format=--fail-on', edited], /--format must be one of/],
      [['check', '--current-tag', 'bogus', edited], /--current-tag must be a release tag/],
      [['check', '--current-tag', 'v0.36', edited], /--current-tag must be a release tag/],
      [['parse', '--proto-path', old, edited], /--proto-path .*old\.proto: not a directory/],
      [['check', '--config', array, edited], /array\.json: must be a JSON object/],
      [['check', '--config', misspelt, edited], /misspelt\.json: unknown key "sevrity"/],
      // An empty value, as a CI variable that is not set gives (`--config "$CONFIG"`): said, not taken for no option
      // (the default config file instead of the one meant) or for the current directory.
      [['check', '--config', '', edited], /--config needs a value, not an empty string/],
      [['check', '--config=', edited], /--config needs a value, not an empty string/],
      [['check', '--against', '', edited], /--against needs a value, not an empty string/],
      [['parse', '--proto-path', '', edited], /--proto-path needs a value, not an empty string/],
      // A short option is none of ours, not a file: `check -f json api.proto` is not "takes exactly one .proto file".
      [['check', '-f', 'json', edited], /unknown option -f/],
      [['-h'], /unknown option -h/],
    ] as [string[], RegExp][]) {
      const r = cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message);
      assert.equal(r.out, '');
    }
    for (const tag of ['v0.36.4', 'kubernetes-1.36.4']) assert.notEqual(cli(['check', '--against', old, '--current-tag', tag, edited]).code, 2, tag);
    assert.equal(cli(['parse', '--proto-path', tmp, old]).code, 0);
  });

  test('a syntax or binding problem keeps its severity: --severity and the config file refuse its id with why, and a syntax error exits 2 in every format', () => {
    // v0.30.0 imports gogo.proto, which is not found here: an unresolved-import warning, which --fail-on warning fails on.
    const corpus = new Corpus(corpusDir!);
    const [v029, v030] = [join(tmp, 'v0.29.0.proto'), join(tmp, 'v0.30.0.proto')];
    writeFileSync(v029, corpus.textOf('v0.29.0')!);
    writeFileSync(v030, corpus.textOf('v0.30.0')!);
    const warned = cli(['check', '--against', v029, '--fail-on', 'warning', v030]);
    assert.equal(warned.code, 1, warned.err);
    assert.match(warned.out, / warning unresolved-import import "github\.com\/gogo\/protobuf\/gogoproto\/gogo\.proto"/);
    const why = /unknown rule or category "(unresolved-import|syntax|broken-import)": a syntax or binding problem \(syntax, unresolved-import, …\) keeps its own severity; only rules and categories take one/;
    for (const id of ['unresolved-import', 'syntax', 'broken-import']) {
      const r = cli(['check', '--against', v029, '--fail-on', 'warning', '--severity', `${id}=off`, v030]);
      assert.deepEqual([r.code, r.out], [2, ''], r.err);
      assert.match(r.err, why);
      // What a CI job can do instead, said once; not "--severity takes RULE_OR_CATEGORY=LEVEL", which the argument is.
      assert.match(r.err, /\(--fail-on chooses the severities that fail the run; a file with syntax errors always exits 2\)$/m);
      assert.doesNotMatch(r.err, /takes RULE_OR_CATEGORY=LEVEL/);
    }
    const config = join(tmp, 'problems.json');
    writeFileSync(config, JSON.stringify({ severity: { 'unresolved-import': 'information' } }));
    const fromFile = cli(['check', '--against', v029, '--config', config, v030]);
    assert.deepEqual([fromFile.code, fromFile.out], [2, ''], fromFile.err);
    assert.match(fromFile.err, why);
    // A rule id with `-` for `_` is a typo of the rule, said as one.
    assert.match(cli(['check', '--severity', 'FIELD-NO-DELETE=off', v030]).err, /unknown rule or category "FIELD-NO-DELETE" \(did you mean FIELD_NO_DELETE\?\)/);

    // A syntax error (the `;` after `string runtime_name = 2` missing) fails whatever --fail-on, and every format shows it.
    const broken = join(tmp, 'no-semicolon.proto');
    writeFileSync(broken, corpus.textOf('v0.36.3')!.replace('string runtime_name = 2;', 'string runtime_name = 2'));
    const shown: Record<string, (out: string) => boolean> = {
      text: (out) => /:\d+:\d+: error syntax expected ';' after '2'$/m.test(out),
      json: (out) => JSON.parse(out).findings.some((f: { rule: string }) => f.rule === 'syntax'),
      sarif: (out) => JSON.parse(out).runs[0].results.some((x: { ruleId: string }) => x.ruleId === 'syntax'),
      github: (out) => /^::error file=[^,]+,line=\d+,endLine=\d+,title=syntax::expected ';' after '2'$/m.test(out),
    };
    for (const [format, isShown] of Object.entries(shown)) {
      const r = cli(['check', '--against', old, '--format', format, '--fail-on', 'never', '--severity', 'WIRE=off', broken]);
      assert.equal(r.code, 2, `${format}: ${r.err}`);
      assert.ok(isShown(r.out), `${format}: ${r.out}`);
      assert.match(r.err, /no-semicolon\.proto has 1 syntax error, so its compatibility was not fully checked$/m, format);
    }
  });

  test('an option given twice is refused, and so is --severity twice for one rule or category: which would win is not said', () => {
    for (const [args, message] of [
      [['check', '--format', 'json', '--format=sarif', edited], /--format given more than once/],
      [['check', '--against', old, '--against', old, edited], /--against given more than once/],
      [['check', '--fail-on', 'warning', '--fail-on', 'never', edited], /--fail-on given more than once/],
      // A CI job that turns a rule off in a shared argument list and on again in its own gets a conflict, not a coin toss.
      [['check', '--against', old, '--severity', 'DOC_MISSING=off', '--severity', 'DOC_MISSING=error', edited], /--severity DOC_MISSING given more than once \(off, then error\)/],
      [['pairs', '--severity', 'WIRE=off', '--severity', 'WIRE=off', old, edited], /--severity WIRE given more than once/],
      [['check', '--severity', 'BOGUS=off', edited], /--severity: unknown rule or category "BOGUS"/],
      [['check', '--severity', 'DOC_MISSING=loud', edited], /--severity: "DOC_MISSING": severity must be one of/],
    ] as [string[], RegExp][]) {
      const r = cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message);
      assert.match(r.err, /Run "cri-compat --help" for usage\./);
      assert.equal(r.out, '');
    }
    // A rule and its category are two entries, not a repeat.
    assert.equal(cli(['check', '--against', old, '--severity', 'DOCS=off', '--severity', 'FIELD_NO_DELETE=warning', edited]).code, 0);
  });

  test('--against a release after --current-tag is refused: the file would be compared with what came after it', () => {
    // v0.30.0's file against v0.36.3 "finds" every later addition deleted (45 errors), which no release did.
    const v030 = join(tmp, 'v0.30.0-file.proto');
    writeFileSync(v030, new Corpus(corpusDir!).textOf('v0.30.0')!);
    for (const [against, current] of [['v0.36.3', 'v0.30.0'], ['kubernetes-1.36.3', '1.30.0'], ['v0.30.1', 'kubernetes-1.30.0']]) {
      const r = cli(['check', '--against', against!, '--current-tag', current!, v030]);
      assert.equal(r.code, 2, `${against} ${current}: ${r.err}`);
      assert.match(r.err, new RegExp(`^cri-compat: --against ${against} is not before --current-tag ${current}: a baseline is an earlier release`, 'm'));
      assert.equal(r.out, '');
    }
    // The release itself, or one before it, is a baseline; so is a file, whatever release it is.
    assert.equal(cli(['check', '--against', 'v0.30.0', '--current-tag', 'v0.30.0', v030]).code, 0);
    assert.notEqual(cli(['check', '--against', 'v0.29.0', '--current-tag', 'v0.30.0', v030]).code, 2);
    assert.notEqual(cli(['check', '--against', old, '--current-tag', 'v0.30.0', v030]).code, 2);
  });

  test('a write error on stdout: a message and exit 2, not a crash', { skip: existsSync('/dev/full') ? false : 'no /dev/full' }, () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [CLI, 'check', '--against', old, '--fail-on', 'never', '--format', 'sarif', edited], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      assert.equal(r.status, 2, r.stderr);
      // Named as an input would be: the error alone does not say what could not be written.
      assert.match(r.stderr, /^cri-compat: cannot write the output \(stdout\): ENOSPC: no space left on device/m);
      assert.doesNotMatch(r.stderr, /Unhandled|    at /);
    } finally {
      closeSync(fd);
    }
  });

  test('the launcher uses the code cache only with the exact source it was made from', () => {
    const dir = mkdtempSync(join(tmp, 'dist-'));
    for (const f of ['cli.js', 'cli-main.js', 'cli-main.jsc']) copyFileSync(join(ROOT, 'dist', f), join(dir, f));
    const cacheUsed = (): string => {
      const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(require(process.argv[1]).loadCli(process.argv[2]).cacheUsed))', join(dir, 'cli.js'), dir], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    const run = (): ReturnType<typeof cli> => {
      const r = spawnSync(process.execPath, [join(dir, 'cli.js'), 'check', '--against', old, edited], { encoding: 'utf8' });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const expected = cli(['check', '--against', old, edited]);
    assert.equal(cacheUsed(), 'true', 'the cache the build wrote is accepted');
    assert.deepEqual(run(), expected);

    // The same length with other bytes: V8 would take the cache, the launcher must not.
    // (A comment: the bundle is minified, and its last line names its source map.)
    const main = readFileSync(join(dir, 'cli-main.js'), 'utf8');
    const at = main.lastIndexOf('//# sourceMappingURL=');
    assert.ok(at > 0);
    writeFileSync(join(dir, 'cli-main.js'), `${main.slice(0, at)}//# zourceMappingURL=${main.slice(at + 21)}`);
    assert.equal(readFileSync(join(dir, 'cli-main.js')).length, Buffer.byteLength(main));
    assert.equal(cacheUsed(), 'false', 'a cache of another source is ignored');
    assert.deepEqual(run(), expected);

    rmSync(join(dir, 'cli-main.jsc'));
    assert.equal(cacheUsed(), 'false');
    assert.deepEqual(run(), expected, 'no cache: the same result');

    rmSync(join(dir, 'cli-main.js'));
    const missing = run();
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cli-main\.js is missing \(ENOENT\); build it with `npm run build`/);
  });

  test('output: a file gets the same bytes as a pipe; a reader that goes away ends the output, not the run', async () => {
    const expected = cli(['check', '--against', old, edited]);
    const file = join(tmp, 'out.txt');
    const fd = openSync(file, 'w');
    try {
      const r = spawnSync(process.execPath, [CLI, 'check', '--against', old, edited], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      assert.equal(r.status, expected.code, r.stderr);
    } finally {
      closeSync(fd);
    }
    assert.equal(readFileSync(file, 'utf8'), expected.out);

    // As `cri-compat check … | head -1` does: no EPIPE error, the same exit status and messages.
    const child = spawn(process.execPath, [CLI, 'check', '--against', old, edited], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const [code] = (await once(child, 'close')) as [number | null];
    assert.equal(err, expected.err);
    assert.equal(code, expected.code);
  });
});

test('Output: a write error is kept for the caller, not thrown, and ends the output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cri-compat-output-'));
  const file = join(dir, 'f');
  writeFileSync(file, '');
  const fd = openSync(file, 'r');
  try {
    const out = new Output(fd, () => assert.fail('a file is written to directly'));
    out.write('one');
    assert.equal((out.error as NodeJS.ErrnoException | undefined)?.code, 'EBADF');
    out.write('two');
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Output: a descriptor that would block hands the rest to the stream, in order', { skip: process.platform === 'win32' ? 'POSIX descriptors' : false }, async () => {
  // A Unix socket whose reader has not started: its small buffer fills, and write() answers EAGAIN.
  const dir = mkdtempSync(join(tmpdir(), 'cri-compat-output-'));
  const server = createServer();
  server.listen(join(dir, 's'));
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = connect(join(dir, 's'));
  await once(client, 'connect');
  const [peer] = await accepted;
  peer.pause();
  const fd = (client as unknown as { _handle: { fd: number } })._handle.fd;
  const out = new Output(fd, () => client as unknown as NodeJS.WriteStream);
  const lines = Array.from({ length: 256 }, (_, i) => `${i} ${'x'.repeat(16_000)}`);
  for (const l of lines) out.write(l);
  assert.ok(client.bytesWritten > 0, 'the stream took over');
  const received: Buffer[] = [];
  peer.on('data', (d: Buffer) => received.push(d));
  peer.resume();
  await out.flushed();
  client.end();
  await once(peer, 'end');
  assert.equal(Buffer.concat(received).toString(), lines.map((l) => `${l}\n`).join(''));
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a checked file swapped for a FIFO after its stat is refused, not waited on (audit t17)', { skip: process.platform === 'win32' ? 'no FIFOs' : !existsSync(CLI) ? 'run node scripts/build.mjs first' : false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cri-compat-cli-fifo-'));
  try {
    const file = join(dir, 'api.proto');
    writeFileSync(file, 'syntax = "proto3";\npackage runtime.v1;\nmessage A { string x = 1; }\n');
    // The race, made certain: loaded before the CLI, this makes the file a FIFO right after a stat of it says
    // "regular file" (the bundled CLI looks statSync up on node:fs at each call).
    const preload = join(dir, 'swap.js');
    writeFileSync(preload, `
      const fs = require('node:fs');
      const { execFileSync } = require('node:child_process');
      const target = process.env.SWAP_TARGET;
      let stats = Number(process.env.SWAP_ON_STAT);
      const statSync = fs.statSync;
      fs.statSync = function (p, ...rest) {
        const st = statSync.call(this, p, ...rest);
        if (p === target && --stats === 0) {
          fs.rmSync(target);
          execFileSync('mkfifo', [target]);
        }
        return st;
      };
    `);
    const first = join(dir, 'old.proto');
    writeFileSync(first, 'syntax = "proto3";\npackage runtime.v1;\nmessage A { string x = 1; }\n');
    // pairs stats every file before it reads any, and again just before reading it: the second stat is the one.
    for (const [args, nth] of [[['parse', file], 1], [['check', '--against', 'v0.33.0', file], 1], [['pairs', first, file], 2]] as [string[], number][]) {
      rmSync(file, { force: true });
      writeFileSync(file, 'syntax = "proto3";\npackage runtime.v1;\nmessage A { string x = 1; }\n');
      const r = spawnSync(process.execPath, ['--require', preload, CLI, ...args], {
        encoding: 'utf8', timeout: 15_000, env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache'), SWAP_TARGET: file, SWAP_ON_STAT: String(nth) },
      });
      assert.equal(r.signal, null, `cri-compat ${args[0]} was still waiting on the FIFO after 15 s`);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /api\.proto: not a regular file/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an imported file swapped for a FIFO after it was located is not waited on (audit t17, importResolver)', { skip: process.platform === 'win32' ? 'no FIFOs' : !existsSync(CLI) ? 'run node scripts/build.mjs first' : false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cri-compat-cli-import-fifo-'));
  try {
    const file = join(dir, 'api.proto');
    const dep = join(dir, 'dep.proto');
    writeFileSync(file, 'syntax = "proto3";\npackage runtime.v1;\nimport "dep.proto";\nmessage A { dep.D d = 1; }\n');
    writeFileSync(dep, 'syntax = "proto3";\npackage dep;\nmessage D {}\n');
    // The import resolver stats a candidate, then takes its real path, then opens it: the file becomes a FIFO
    // between the two (the bundled CLI looks realpathSync up on node:fs at each call).
    const preload = join(dir, 'swap.js');
    writeFileSync(preload, `
      const fs = require('node:fs');
      const { execFileSync } = require('node:child_process');
      const target = process.env.SWAP_TARGET;
      const realpathSync = fs.realpathSync;
      let swapped = false;
      fs.realpathSync = Object.assign(function (p, ...rest) {
        const real = realpathSync.call(this, p, ...rest);
        if (p === target && !swapped) {
          swapped = true;
          fs.rmSync(target);
          execFileSync('mkfifo', [target]);
        }
        return real;
      }, { native: realpathSync.native });
    `);
    const r = spawnSync(process.execPath, ['--require', preload, CLI, 'parse', file], {
      encoding: 'utf8', timeout: 15_000, env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache'), SWAP_TARGET: dep },
    });
    assert.equal(r.signal, null, 'cri-compat parse was still waiting on the imported FIFO after 15 s');
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    assert.match(r.stdout, /dep\.proto/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--severity keys that are Object.prototype members are validated like any other', { skip: existsSync(CLI) ? false : 'run node scripts/build.mjs first' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cri-compat-cli-proto-'));
  try {
    const file = join(dir, 'api.proto');
    writeFileSync(file, 'syntax = "proto3";\npackage runtime.v1;\nmessage A { string x = 1; }\n');
    for (const [entry, messages] of [
      ['__proto__=banana', [/unknown rule or category "__proto__"/, /"__proto__": severity must be one of error, warning, information, hint, off/]],
      ['__proto__=off', [/unknown rule or category "__proto__"/]],
      ['constructor=off', [/unknown rule or category "constructor"/]],
      ['toString=error', [/unknown rule or category "toString"/]],
    ] as [string, RegExp[]][]) {
      const r = spawnSync(process.execPath, [CLI, 'check', '--against', 'v0.33.0', '--severity', entry, file], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') } });
      assert.equal(r.status, 2, `--severity ${entry} was accepted: ${r.stderr}`);
      for (const m of messages) assert.match(r.stderr, m);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Layering keeps every key an entry: a `__proto__` key (JSON.parse makes it an own property) sets no prototype
  // through which other keys would seem to be set.
  const upper = JSON.parse('{"__proto__": {"DOCS": "off"}}') as Record<string, SeveritySetting>;
  const layered = layerSeverities({ WIRE: 'warning' }, upper);
  assert.equal(layered.DOCS, undefined);
  assert.equal(layered.WIRE, 'warning');
  assert.deepEqual(Object.keys(layered).sort(), ['WIRE', '__proto__']);
});
