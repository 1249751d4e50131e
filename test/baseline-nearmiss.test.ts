// A baseline given almost as a release: a release line (`v0.36`, `1.36`, `kubernetes-1.36`), a Kubernetes version
// (`1.36.3`). Never taken as one of its releases (a baseline must be explicit), but the message names the releases
// of the bundled index that were probably meant, in the setting (resolveBaseline) and on the command line.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS_HELP, Corpus, findCorpusDir, findRepoRoot, V1ALPHA2_PATH } from '../server/src/baseline/corpus';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { resolveBaseline } from '../server/src/baseline/resolve';
import type { ProcessLauncher } from '../server/src/baseline/safeExec';
import { corpusText, NEEDS_CORPUS } from './corpusText';

const ROOT = findRepoRoot(__dirname);
const CLI = join(ROOT, 'dist', 'cli.js');
const TMP = mkdtempSync(join(tmpdir(), 'cri-compat-nearmiss-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

/** Neither git nor the network may be used for a setting that no source has. */
const launcher: ProcessLauncher = {
  execFile: (() => assert.fail('git must not run')) as unknown as ProcessLauncher['execFile'],
  spawn: (() => assert.fail('git must not run')) as unknown as ProcessLauncher['spawn'],
};
const fetchFn = (async () => assert.fail('the network must not be used')) as unknown as typeof fetch;

async function settingMessage(explicit: string): Promise<string> {
  const file = join(TMP, 'api.proto');
  writeFileSync(file, corpusText('v0.36.3'));
  const r = await resolveBaseline({ explicit, filePath: file, trusted: false, bundled: loadBundledHistory(), launcher, fetch: fetchFn, env: { GOMODCACHE: join(TMP, 'no-cache') } });
  assert.equal(r.baseline, undefined, `${explicit} must not be taken for one of its releases`);
  return r.message!;
}

describe('a release line given as the baseline', NEEDS_CORPUS, () => {
  test('the setting names the first and the newest release of the line, in the form given', async () => {
    assert.match(await settingMessage('v0.36'), /could not be used: .*\. "v0\.36" names a release line, not a release: did you mean v0\.36\.0 or v0\.36\.3\? Set it to/);
    assert.match(await settingMessage('0.36'), /did you mean v0\.36\.0 or v0\.36\.3\?/);
    assert.match(await settingMessage('1.36'), /did you mean v0\.36\.0 or v0\.36\.3\?/);
    assert.match(await settingMessage('kubernetes-1.36'), /did you mean kubernetes-1\.36\.0 or kubernetes-1\.36\.3\?/);
    // A line with only pre-releases in the index, and one the index does not have.
    assert.match(await settingMessage('v0.37'), /did you mean v0\.37\.0-alpha\.0 or v0\.37\.0-beta\.0 \(it has only pre-releases\)\?/);
    assert.match(await settingMessage('v0.99'), /"v0\.99" names a release line, not a release, and the bundled release index has no release of 1\.99 \(its newest is v0\.36\.3\)\./);
    // A whole Kubernetes version, as --current-tag takes it, is named by its cri-api release.
    assert.match(await settingMessage('1.36.3'), /1\.36\.3 is a Kubernetes version: the cri-api release of Kubernetes 1\.36\.3 is v0\.36\.3/);
  });

  test('the CLI refuses it with the suggestion, for runtime.v1 and for runtime.v1alpha2', () => {
    const corpusDir = findCorpusDir(ROOT);
    assert.ok(corpusDir, CORPUS_HELP);
    const v1 = join(TMP, 'v1.proto');
    writeFileSync(v1, corpusText('v0.36.3'));
    const r = spawnSync(process.execPath, [CLI, 'check', '--against', 'v0.36', v1], { encoding: 'utf8', env: { ...process.env, GOMODCACHE: join(TMP, 'no-cache') } });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /did you mean v0\.36\.0 or v0\.36\.3\? Pass --against/);
    // The release a file is, said as a line: the same suggestion.
    const current = spawnSync(process.execPath, [CLI, 'check', '--current-tag', 'kubernetes-1.36', v1], { encoding: 'utf8' });
    assert.equal(current.status, 2, current.stderr);
    assert.match(current.stderr, /--current-tag must be a release tag .*, not "kubernetes-1\.36"\. "kubernetes-1\.36" names a release line, not a release: did you mean kubernetes-1\.36\.0 or kubernetes-1\.36\.3\?/);
    const pairs = spawnSync(process.execPath, [CLI, 'pairs', `v0.36=${v1}`, v1], { encoding: 'utf8' });
    assert.equal(pairs.status, 2, pairs.stderr);
    assert.match(pairs.stderr, /"v0\.36" in ".*" is not a release tag: .*\. "v0\.36" names a release line, not a release: did you mean v0\.36\.0 or v0\.36\.3\?/);
    const v1alpha2 = join(TMP, 'v1alpha2.proto');
    writeFileSync(v1alpha2, new Corpus(corpusDir).textOf('v0.20.0', V1ALPHA2_PATH)!);
    const old = spawnSync(process.execPath, [CLI, 'check', '--against', 'v0.18', v1alpha2], { encoding: 'utf8' });
    assert.equal(old.status, 2, old.stderr);
    assert.match(old.stderr, /--against v0\.18: no such release of runtime\.v1alpha2 in the bundled index\. "v0\.18" names a release line, not a release: did you mean v0\.18\.0 or v0\.18\.\d+\?/);
  });
});
