// `--against` with a path that is not there: named as the command line gave it, after the option, as the README
// says of every file the CLI cannot use (`--against old.proto: not a regular file`), not by its absolute path.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '../server/src/baseline/corpus';

const ROOT = findRepoRoot(__dirname);
const CLI = join(ROOT, 'dist', 'cli.js');
const TMP = mkdtempSync(join(tmpdir(), 'cri-compat-against-path-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

test('a missing --against file is named as given: "--against missing.proto: cannot read (ENOENT)", exit 2', () => {
  writeFileSync(join(TMP, 'api.proto'), readFileSync(join(ROOT, 'examples', 'api.proto')));
  for (const against of ['missing.proto', join('old', 'api.proto'), './main']) {
    const r = spawnSync(process.execPath, [CLI, 'check', '--against', against, 'api.proto'], { cwd: TMP, encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.trim(), `cri-compat: --against ${against}: cannot read (ENOENT)`, against);
    assert.ok(!r.stderr.includes(TMP), r.stderr);
  }
  // A name that is not a path by its form is still looked for as a tag or a git ref.
  const ref = spawnSync(process.execPath, [CLI, 'check', '--against', 'main', 'api.proto'], { cwd: TMP, encoding: 'utf8' });
  assert.equal(ref.status, 2, ref.stderr);
  assert.match(ref.stderr, /"main" is not a file; in git: /);
});
