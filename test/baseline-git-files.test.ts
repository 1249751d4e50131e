// What the language server reads of a clone's git directory without running git (headState, movingRef): a
// hostile workspace plants links and FIFOs there, which must be neither followed nor waited on. The clone is made
// of two corpus releases.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { V1_PATH } from '../server/src/baseline/corpus';
import { headState, movingRef, refState } from '../server/src/baseline/gitSource';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { resolveBaseline } from '../server/src/baseline/resolve';
import { BaselineManager, type BaselineRequest } from '../server/src/lsp/baselines';
import { testHost } from './baselineHost';
import { NEEDS_CORPUS, corpusText } from './corpusText';
import { cloneOfReleases, git } from './gitClone';

/** How often the FIFO test's writer opens the FIFO (ms): a read that waits for one returns only then. */
const WRITER_MS = 3000;

/** FIFOs and links to files are a POSIX workspace's; Windows has neither as git would meet them. */
const POSIX = process.platform === 'win32' ? { skip: 'no mkfifo, and links need privileges' } : {};

let root: string;
let outside: string;
before(() => {
  if (NEEDS_CORPUS.skip) return;
  ({ root } = cloneOfReleases('cri-compat-gitfiles-', ['v0.35.0', 'v0.36.0']));
  outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-gitfiles-out-')));
});
after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  if (outside) rmSync(outside, { recursive: true, force: true });
});

/** Runs `body` with the git directory's file `rel` replaced by what `plant` puts there, then puts it back. */
function planted(rel: string, plant: (p: string) => void, body: () => void): void {
  const p = path.join(root, '.git', rel);
  const kept = readFileSync(p);
  rmSync(p);
  try {
    plant(p);
    body();
  } finally {
    rmSync(p, { force: true });
    writeFileSync(p, kept);
  }
}

test('HEAD and the branch it names are not read through a link: what the link leads to is not part of the state', { ...NEEDS_CORPUS, ...POSIX }, () => {
  const v35 = git(root, 'rev-parse', 'v0.35.0^{commit}');
  const v36 = git(root, 'rev-parse', 'v0.36.0^{commit}');
  const target = path.join(outside, 'target');
  for (const rel of ['HEAD', 'refs/heads/main']) {
    writeFileSync(target, rel === 'HEAD' ? 'ref: refs/heads/main\n' : `${v35}\n`);
    planted(rel, (p) => symlinkSync(target, p), () => {
      const before = headState(root);
      writeFileSync(target, rel === 'HEAD' ? 'ref: refs/heads/else\n' : `${v36}\n`);
      assert.equal(headState(root), before, `${rel}: the file outside the clone was read`);
    });
  }
});

test('a HEAD that is a link to its branch (core.preferSymlinkRefs) is read by its text: the branch is followed, a link out of the git directory is not', { ...NEEDS_CORPUS, ...POSIX }, () => {
  git(root, '-c', 'core.preferSymlinkRefs=true', 'checkout', '-q', '-b', 'linked-head');
  const head = path.join(root, '.git', 'HEAD');
  try {
    assert.ok(lstatSync(head).isSymbolicLink(), 'git wrote HEAD as a link');
    const files = movingRef(root, 'HEAD');
    assert.ok(files);
    const before = [headState(root), refState(files)];
    git(root, 'commit', '-q', '--allow-empty', '-m', 'moves the branch HEAD links to');
    const after = [headState(root), refState(files)];
    assert.notEqual(after[0], before[0], 'a commit on the branch HEAD links to moves HEAD');
    assert.notEqual(after[1], before[1], 'the setting HEAD watches the branch HEAD links to');

    // A link whose text leaves the git directory names no ref: the file it leads to is not read.
    const target = path.join(outside, 'linked-head-target');
    writeFileSync(target, `${git(root, 'rev-parse', 'v0.35.0^{commit}')}\n`);
    rmSync(head);
    symlinkSync(`refs/heads/${path.relative(path.join(root, '.git', 'refs', 'heads'), target)}`, head);
    const escaped = headState(root);
    writeFileSync(target, `${git(root, 'rev-parse', 'v0.36.0^{commit}')}\n`);
    assert.equal(headState(root), escaped, 'the file outside the clone was read');
  } finally {
    rmSync(head, { force: true });
    writeFileSync(head, 'ref: refs/heads/main\n');
    git(root, 'branch', '-D', 'linked-head');
  }
});

test('a FIFO as HEAD, commondir, a branch or packed-refs is not waited on', { ...NEEDS_CORPUS, ...POSIX }, () => {
  writeFileSync(path.join(root, '.git', 'commondir'), '.\n');
  git(root, 'pack-refs', '--all', '--no-prune');
  try {
    for (const rel of ['HEAD', 'commondir', 'refs/heads/main', 'packed-refs']) {
      planted(rel, (p) => execFileSync('mkfifo', [p]), () => {
        // A read that waited for a writer would block this thread for good: a writer comes every WRITER_MS, so such
        // reads end late and fail here instead of hanging the suite.
        const writer = spawn(process.execPath, ['-e', `setInterval(() => require('fs').writeFileSync(${JSON.stringify(path.join(root, '.git', rel))}, 'x'), ${WRITER_MS})`], { stdio: 'ignore' });
        const start = Date.now();
        try {
          assert.equal(headState(root), headState(root), rel);
          assert.equal(movingRef(root, 'v0.36.0'), undefined, `${rel}: the tag is still a tag`);
          assert.ok(Date.now() - start < WRITER_MS, `${rel}: the FIFO was waited on`);
        } finally {
          writer.kill();
        }
      });
    }
  } finally {
    rmSync(path.join(root, '.git', 'commondir'));
  }
});

test('a HEAD larger than git writes is not read: its state does not follow its content', NEEDS_CORPUS, () => {
  planted('HEAD', (p) => writeFileSync(p, `ref: refs/heads/main\n${'x'.repeat(1 << 20)}`), () => {
    const p = path.join(root, '.git', 'HEAD');
    const before = headState(root);
    const tmp = `${p}.lock`;
    writeFileSync(tmp, `ref: refs/heads/else\n${'x'.repeat(1 << 20)}`);
    renameSync(tmp, p);
    assert.equal(headState(root), before);
  });
});

test('the state of a moving ref still follows its branch', NEEDS_CORPUS, () => {
  const files = movingRef(root, 'main');
  assert.ok(files);
  const before = refState(files);
  const head = headState(root);
  git(root, 'commit', '-q', '--allow-empty', '-m', 'moves main');
  try {
    assert.notEqual(refState(files), before);
    assert.notEqual(headState(root), head);
  } finally {
    git(root, 'reset', '-q', '--hard', 'v0.36.0');
  }
});

/**
 * A clone with reftable ref storage, as `git init --ref-format=reftable` (git 2.45 or later) lays it out; built by
 * hand, as the git these tests run may be older: the stub HEAD and `refs/heads` that keep older git away, and the
 * table stack of the main worktree and of one linked worktree. The tables' bytes do not matter: they are not read.
 */
function reftableClone(name = 'reftable'): { main: string; linked: string; rewrite: (gitDir: string) => void } {
  const main = path.join(outside, name);
  const linked = path.join(outside, `${name}-linked`);
  const gitDir = path.join(main, '.git');
  const own = path.join(gitDir, 'worktrees', 'linked');
  let n = 0;
  const rewrite = (dir: string) => {
    // What git does on a ref update: a new table, then tables.list replaced through its lock file.
    n++;
    const table = `0x${String(n).padStart(12, '0')}-0x${String(n).padStart(12, '0')}-0000000${n % 10}.ref`;
    writeFileSync(path.join(dir, 'reftable', table), 'REFT');
    writeFileSync(path.join(dir, 'reftable', 'tables.list.lock'), `${table}\n`);
    renameSync(path.join(dir, 'reftable', 'tables.list.lock'), path.join(dir, 'reftable', 'tables.list'));
  };
  for (const dir of [gitDir, own]) {
    mkdirSync(path.join(dir, 'reftable'), { recursive: true });
    mkdirSync(path.join(dir, 'refs'));
    writeFileSync(path.join(dir, 'HEAD'), 'ref: refs/heads/.invalid\n');
    writeFileSync(path.join(dir, 'refs', 'heads'), 'this repository uses the reftable format\n');
    rewrite(dir);
  }
  writeFileSync(path.join(gitDir, 'config'), '[core]\n\trepositoryformatversion = 1\n[extensions]\n\trefStorage = reftable\n');
  writeFileSync(path.join(own, 'commondir'), '../..\n');
  mkdirSync(linked);
  writeFileSync(path.join(linked, '.git'), `gitdir: ${own}\n`);
  return { main, linked, rewrite };
}

test('a reftable clone: a checkout, a commit or a fetch rewrites the table list, which moves HEAD and the branch setting', NEEDS_CORPUS, () => {
  const { main, linked, rewrite } = reftableClone();
  const gitDir = path.join(main, '.git');
  const line = movingRef(main, 'line');
  const remote = movingRef(linked, 'origin/main');
  assert.ok(line && remote, 'a branch of a reftable clone is watched');
  const states = () => [headState(main), headState(linked), refState(line), refState(remote)];

  // A checkout in the linked worktree: its own HEAD, in its own table stack.
  let before = states();
  rewrite(path.join(gitDir, 'worktrees', 'linked'));
  assert.deepEqual(states().map((s, i) => s !== before[i]), [false, true, false, false]);

  // A commit or a fetch in the main worktree: the shared refs, which every worktree sees.
  before = states();
  rewrite(gitDir);
  assert.deepEqual(states().map((s, i) => s !== before[i]), [true, true, true, true]);
  // Not an abbreviated object id, even there.
  assert.equal(movingRef(main, 'deadbeef'), undefined);
});

test('a reftable clone: a release set as the baseline, found in the bundled index, is not resolved again when a ref changes', NEEDS_CORPUS, async () => {
  const { main, rewrite } = reftableClone('reftable-release');
  const file = path.join(main, ...V1_PATH.split('/'));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, corpusText('v0.36.0'));
  let done: () => void = () => {};
  const manager = new BaselineManager(testHost({ trusted: true, bundled: loadBundledHistory(), resolved: () => done(), resolve: resolveBaseline }));
  const request: BaselineRequest = { folderKey: main, filePath: file, baseDir: main, explicit: 'v0.35.0', includePrereleases: false, networkEnabled: false };
  const finished = new Promise<void>((r) => (done = r));
  manager.get(request);
  await finished;
  assert.equal(manager.get(request).baseline?.tag, 'v0.35.0');
  // A commit, a checkout or a fetch: the table list is rewritten, and HEAD or any tag may have moved with it.
  rewrite(path.join(main, '.git'));
  assert.equal(await manager.headsMoved(), false);
  assert.equal(manager.get(request).resolving, false);
});
