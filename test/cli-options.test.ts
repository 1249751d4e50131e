// The CLI's options as a CI user meets them: every file that cannot be read is named as the command line named it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Corpus, CORPUS_HELP, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';

const ROOT = findRepoRoot(__dirname);
const CLI = join(ROOT, 'dist', 'cli.js');
const corpusDir = findCorpusDir(ROOT);
let tmp = '';

function cli(args: string[], cwd = ROOT, env: Record<string, string> = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, XDG_CACHE_HOME: join(tmp, 'cache'), ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('CLI options', { skip: corpusDir ? false : CORPUS_HELP }, () => {
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cri-compat-options-'));
    const corpus = new Corpus(corpusDir!);
    writeFileSync(join(tmp, 'old.proto'), corpus.textOf('v0.35.0')!);
    writeFileSync(join(tmp, 'api.proto'), corpus.textOf('v0.36.3')!);
    mkdirSync(join(tmp, 'dir'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('every file that cannot be read is named as given, with the option it came from, in one wording', () => {
    writeFileSync(join(tmp, 'broken.json'), '{ "severity": ');
    for (const [args, message] of [
      [['check', 'missing.proto'], 'cri-compat: missing.proto: cannot read (ENOENT)'],
      [['check', 'dir'], 'cri-compat: dir: not a regular file'],
      [['parse', 'missing.proto'], 'cri-compat: missing.proto: cannot read (ENOENT)'],
      [['pairs', 'old.proto', 'missing.proto'], 'cri-compat: missing.proto: cannot read (ENOENT)'],
      [['check', '--against', 'dir', 'api.proto'], 'cri-compat: --against dir: not a regular file'],
      [['check', '--config', 'missing.json', 'api.proto'], 'cri-compat: --config missing.json: cannot read (ENOENT)'],
      [['check', '--config', 'dir', 'api.proto'], 'cri-compat: --config dir: not a regular file'],
      [['check', '--config', 'broken.json', 'api.proto'], 'cri-compat: --config broken.json: not valid JSON (line 1, column 15: ValueExpected)'],
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
});
