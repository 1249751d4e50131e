// The CLI's options as a CI user meets them: combinations that would do nothing are refused, every file that
// cannot be read is named as the command line named it, the help and the README's CLI section list the same
// options, --version is package.json's, and a mistyped command gets the nearest one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Corpus, CORPUS_HELP, findCorpusDir, findRepoRoot, V1ALPHA2_PATH } from '../server/src/baseline/corpus';

const ROOT = findRepoRoot(__dirname);
const CLI = join(ROOT, 'dist', 'cli.js');
const corpusDir = findCorpusDir(ROOT);
let tmp = '';

function cli(args: string[], cwd = ROOT, env: Record<string, string> = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, XDG_CACHE_HOME: join(tmp, 'cache'), ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The README's "## Command line" section. */
function readmeCli(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const from = readme.indexOf('\n## Command line\n');
  assert.ok(from >= 0, 'README has "## Command line"');
  return readme.slice(from, readme.indexOf('\n## ', from + 1));
}

const optionsIn = (text: string): string[] => [...new Set(text.match(/(?<![\w-])--[a-z][a-z-]+/g))].sort();

describe('CLI options', { skip: corpusDir ? false : CORPUS_HELP }, () => {
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cri-compat-options-'));
    const corpus = new Corpus(corpusDir!);
    writeFileSync(join(tmp, 'old.proto'), corpus.textOf('v0.35.0')!);
    writeFileSync(join(tmp, 'api.proto'), corpus.textOf('v0.36.3')!);
    writeFileSync(join(tmp, 'v1alpha2.proto'), corpus.textOf('v0.25.16', V1ALPHA2_PATH)!);
    // Another API: its package is not runtime.*, so no cri-api release is its baseline.
    writeFileSync(join(tmp, 'other.proto'), corpus.textOf('v0.36.3')!.replace('package runtime.v1;', 'package example.v1;'));
    mkdirSync(join(tmp, 'dir'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('an option that the given --against makes do nothing is refused, exit 2, with why', () => {
    // A proxy that refuses connections: nothing is fetched whatever is asked.
    const env = { GOPROXY: 'http://127.0.0.1:9' };
    for (const command of ['check', 'report']) {
      for (const [args, message] of [
        [['--include-prereleases', '--against', 'old.proto'], /^cri-compat: --include-prereleases has no effect with --against old\.proto: it lets --against auto pick a pre-release/m],
        [['--include-prereleases', '--against', 'v0.35.0'], /^cri-compat: --include-prereleases has no effect with --against v0\.35\.0:/m],
        [['--include-prereleases', '--against', 'kubernetes-1.35.0'], /--include-prereleases has no effect/],
        [['--network', '--against', 'old.proto'], /^cri-compat: --network has no effect with --against old\.proto, a file: the Go module proxy is asked only for a release tag/m],
        [['--network', '--against', 'release-1.35'], /^cri-compat: --network has no effect with --against release-1\.35, not a release tag:/m],
      ] as [string[], RegExp][]) {
        const r = cli([command, ...args, 'api.proto'], tmp, env);
        assert.equal(r.code, 2, `${command} ${args.join(' ')}: ${r.err}`);
        assert.match(r.err, message, `${command} ${args.join(' ')}`);
        assert.match(r.err, /Run "cri-compat --help" for usage\./);
        assert.equal(r.out, '');
      }
      // Where they do something, or are off, they are taken.
      for (const args of [
        ['--network', '--against', 'v0.35.0'],
        ['--network', '--against', 'v0.35.1-0.20250901000000-abcdef123456'],
        ['--network'],
        ['--include-prereleases'],
        ['--include-prereleases=false', '--network=false', '--against', 'old.proto'],
      ]) {
        const r = cli([command, '--fail-on', 'never', ...args, 'api.proto'], tmp, env);
        assert.doesNotMatch(r.err, /has no effect/, `${command} ${args.join(' ')}`);
      }
    }
  });

  test('an option that the checked file makes do nothing is noted on stderr, with the file and why, and the check goes on', () => {
    const env = { GOPROXY: 'http://127.0.0.1:9' };
    for (const command of ['check', 'report']) {
      for (const [args, file, message] of [
        // runtime.v1alpha2's releases are all in the bundled index: the module proxy is never asked.
        [['--network'], 'v1alpha2.proto', /^cri-compat: note: --network has no effect on v1alpha2\.proto, a runtime\.v1alpha2 file: its releases \(the last was v0\.26\.0-alpha\.3\) come from the bundled release index only/m],
        [['--network', '--against', 'v0.25.0'], 'v1alpha2.proto', /^cri-compat: note: --network has no effect on v1alpha2\.proto, a runtime\.v1alpha2 file/m],
        // Another API is compared with no release at all.
        [['--network'], 'other.proto', /^cri-compat: note: --network has no effect on other\.proto, which is compared with no release/m],
        [['--include-prereleases'], 'other.proto', /^cri-compat: note: --include-prereleases has no effect on other\.proto/m],
        // Both given, both named: a note about one would leave the other looking taken.
        [['--include-prereleases', '--network'], 'other.proto', /^cri-compat: note: --include-prereleases and --network have no effect on other\.proto, which is compared with no release$/m],
      ] as [string[], string, RegExp][]) {
        const r = cli([command, '--fail-on', 'never', ...args, file], tmp, env);
        assert.equal(r.code, 0, `${command} ${args.join(' ')} ${file}: ${r.err}`);
        assert.match(r.err, message, `${command} ${args.join(' ')} ${file}`);
        // The check went on as without the option: the baseline (or why there is none) is said as usual.
        assert.match(r.err, file === 'other.proto' ? /other\.proto is not the CRI API: its package is example\.v1/ : /^Baseline: v0\.2\d\.\d+, from the bundled release index/m);
      }
      // --include-prereleases does pick runtime.v1alpha2's last pre-release; off, both are taken on any file.
      const pre = cli([command, '--fail-on', 'never', '--include-prereleases', 'v1alpha2.proto'], tmp, env);
      assert.equal(pre.code, 0, pre.err);
      assert.match(pre.err, /^Baseline: v0\.26\.0-alpha\.3, from the bundled release index/m);
      for (const file of ['v1alpha2.proto', 'other.proto']) {
        const r = cli([command, '--fail-on', 'never', '--network=false', '--include-prereleases=false', file], tmp, env);
        assert.equal(r.code, 0, `${command} ${file}: ${r.err}`);
      }
    }
  });

  test('every file that cannot be read is named as given, with the option it came from, in one wording', () => {
    writeFileSync(join(tmp, 'broken.json'), '{ "severity": ');
    writeFileSync(join(tmp, 'latin1.json'), Buffer.from('{ "severity": { "DOCS\xe9": "error" } }', 'latin1'));
    for (const [args, message] of [
      [['check', 'missing.proto'], 'cri-compat: missing.proto: cannot read (ENOENT)'],
      [['check', 'dir'], 'cri-compat: dir: not a regular file'],
      [['parse', 'missing.proto'], 'cri-compat: missing.proto: cannot read (ENOENT)'],
      [['pairs', 'old.proto', 'missing.proto'], 'cri-compat: missing.proto: cannot read (ENOENT)'],
      [['check', '--against', 'dir', 'api.proto'], 'cri-compat: --against dir: not a regular file'],
      [['check', '--config', 'missing.json', 'api.proto'], 'cri-compat: --config missing.json: cannot read (ENOENT)'],
      [['check', '--config', 'dir', 'api.proto'], 'cri-compat: --config dir: not a regular file'],
      [['check', '--config', 'broken.json', 'api.proto'], 'cri-compat: --config broken.json: not valid JSON (line 1, column 15: ValueExpected)'],
      [['check', '--config', 'latin1.json', 'api.proto'], 'cri-compat: --config latin1.json:1:22: invalid UTF-8 (byte 0xe9 at offset 21); config files must be UTF-8'],
      [['pairs', '--config', 'missing.json', 'old.proto', 'api.proto'], 'cri-compat: --config missing.json: cannot read (ENOENT)'],
      [['check', '--proto-path', 'missing', 'api.proto'], 'cri-compat: --proto-path missing: cannot read (ENOENT)'],
      [['check', '--proto-path', 'old.proto', 'api.proto'], 'cri-compat: --proto-path old.proto: not a directory'],
    ] as [string[], string][]) {
      const r = cli(args, tmp);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.equal(r.err.trim(), message, args.join(' '));
    }
    // The config found beside the file: relative to the cwd, as the file is.
    mkdirSync(join(tmp, 'sub'));
    writeFileSync(join(tmp, 'sub', 'api.proto'), readFileSync(join(tmp, 'api.proto')));
    writeFileSync(join(tmp, 'sub', '.cri-compat.json'), '[]');
    const r = cli(['check', 'sub/api.proto'], tmp);
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err.trim(), 'cri-compat: sub/.cri-compat.json: must be a JSON object, e.g. { "severity": { "DOCS": "information" } }');
  });

  test('`-` says that standard input is not read, wherever a file goes; a file named - is read', () => {
    const said = (name: string): string => `cri-compat: ${name}: standard input is not read; save the text to a file and pass that (a file named - is ./-)`;
    const stdin = { input: readFileSync(join(tmp, 'api.proto')) };
    for (const [args, message] of [
      [['check', '-'], said('-')],
      [['report', '-'], said('-')],
      [['parse', '-'], said('-')],
      [['pairs', 'old.proto', '-'], said('-')],
      [['pairs', 'old.proto', 'v0.36.3=-'], said('-')],
      // Not a git ref named `-`, nor a config file.
      [['check', '--against', '-', 'api.proto'], said('--against -')],
      [['check', '--config', '-', 'api.proto'], said('--config -')],
    ] as [string[], string][]) {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: tmp, encoding: 'utf8', timeout: 60_000, ...stdin });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim(), message, args.join(' '));
      assert.equal(r.stdout, '');
    }
    const dash = join(tmp, 'dash');
    mkdirSync(dash);
    writeFileSync(join(dash, '-'), readFileSync(join(tmp, 'api.proto')));
    for (const args of [['check', '--fail-on', 'never', '--', '-'], ['check', '--fail-on', 'never', './-'], ['check', '--fail-on', 'never', '--against', '-', './-']]) {
      const r = cli(args, dash);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
    }
  });

  test('the help and the README\'s CLI section name the same options, and the help states each default', () => {
    const help = cli(['--help']);
    assert.equal(help.code, 0, help.err);
    // `git describe --tags` is git's option, quoted where the README says how the baseline is found.
    assert.deepEqual(optionsIn(readmeCli()).filter((o) => o !== '--tags'), optionsIn(help.out));
    // Each option of check's list says what it takes and its default (or that it has none, or is repeatable).
    const entries = help.out.split('\n').filter((l) => /^ {4}--/.test(l));
    assert.ok(entries.length >= 9, help.out);
    for (const e of entries) assert.match(e, /default|repeatable|off unless given/i, e);
  });

  test('help takes one command at most: a second argument is refused, not passed over', () => {
    const r = cli(['help', 'check', 'api.proto']);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /^cri-compat: help takes one command at most, not also "api\.proto"$/m);
    assert.equal(r.out, '');
  });

  test('--version prints package.json\'s version, exit 0', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const args of [['--version'], ['check', '--version']]) {
      const r = cli(args);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, `cri-compat ${version}\n`);
    }
  });

  test('a mistyped command is refused with the nearest one', () => {
    for (const [args, message] of [
      [['chek', 'api.proto'], 'cri-compat: unknown command "chek"; did you mean "check"?'],
      [['pair', 'a', 'b'], 'cri-compat: unknown command "pair"; did you mean "pairs"?'],
      [['help', 'histroy'], 'cri-compat: unknown command "histroy"; did you mean "history"?'],
      [['frobnicate'], 'cri-compat: unknown command "frobnicate"'],
    ] as [string[], string][]) {
      const r = cli(args, tmp);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.err.split('\n')[0], message);
    }
  });

  test('JSON\'s baseline.source: the README names every value the CLI writes, and no other', () => {
    // The values, as the type declares them: the README's list must be exactly these.
    const types = readFileSync(join(ROOT, 'server', 'src', 'baseline', 'types.ts'), 'utf8');
    const declared = [.../export type BaselineSource = ([^;]+);/.exec(types)![1]!.matchAll(/'([a-z]+)'/g)].map((m) => m[1]!).sort();
    const sentence = /`baseline\.source` is where the baseline came from:([\s\S]*?);\s+`origin`/.exec(readmeCli());
    assert.ok(sentence, 'the README says what baseline.source is');
    const documented = [...sentence[1]!.matchAll(/`([a-z]+)`/g)].map((m) => m[1]!).filter((v) => v !== 'pairs').sort();
    assert.deepEqual(documented, declared);
    // And each is what the CLI writes where the README says so (the runtime.v1alpha2 file's tag as runtime.v1's).
    const env = { GOMODCACHE: join(tmp, 'no-modcache') };
    const source = (args: string[]): string => {
      const r = cli(['check', '--format', 'json', '--fail-on', 'never', ...args], tmp, env);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
      return JSON.parse(r.out).baseline.source;
    };
    assert.equal(source(['--against', 'v0.35.0', 'api.proto']), 'setting');
    assert.equal(source(['--against', 'v0.25.0', 'v1alpha2.proto']), 'setting');
    assert.equal(source(['--against', 'old.proto', 'api.proto']), 'path');
    assert.equal(source(['api.proto']), 'bundled');
    assert.equal(source(['v1alpha2.proto']), 'bundled');
  });
});
