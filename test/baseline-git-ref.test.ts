// A baseline setting that names a git ref of the clone holding api.proto: which refs move (movingRef, read without
// running git, as git resolves a short name), and the language server's baseline manager resolving again when the
// branch moves, not when a file of the setting's name was the baseline; and the automatic baseline, resolved again
// when git places HEAD otherwise, not on every change of the files watched. The clone is made of two corpus releases.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { V1_PATH } from '../server/src/baseline/corpus';
import { headState, movingRef, refState } from '../server/src/baseline/gitSource';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { resolveBaseline } from '../server/src/baseline/resolve';
import { runGit } from '../server/src/baseline/safeExec';
import type { BaselineRequest } from '../server/src/lsp/baselines';
import { waitingManager } from './baselineHost';
import { NEEDS_CORPUS, corpusText } from './corpusText';
import { cloneOfReleases, git } from './gitClone';

let root: string;
let file: string;
before(() => {
  if (NEEDS_CORPUS.skip) return;
  ({ root, file } = cloneOfReleases('cri-compat-ref-', ['v0.35.0', 'v0.36.0']));
});
after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Whether the state of what `movingRef` watches in the work tree at `where` changes while `move` runs. */
function moves(name: string, move: () => void, where = root): boolean {
  const files = movingRef(where, name);
  assert.ok(files, `${name} is watched`);
  const before = refState(files);
  move();
  return refState(files) !== before;
}

test('a branch, a remote-tracking branch only in packed-refs and a symbolic ref are watched; a fetch or a commit moves them', NEEDS_CORPUS, () => {
  const v35 = git(root, 'rev-parse', 'v0.35.0^{commit}');
  const v36 = git(root, 'rev-parse', 'v0.36.0^{commit}');
  git(root, 'branch', '-f', 'line', v35);
  git(root, 'update-ref', 'refs/remotes/origin/main', v35);
  git(root, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  git(root, 'symbolic-ref', 'refs/heads/current', 'refs/heads/line');
  // As a fresh clone has them: every ref packed, no loose file.
  git(root, 'pack-refs', '--all');
  try {
    assert.equal(moves('line', () => git(root, 'update-ref', 'refs/heads/line', v36)), true);
    // A fetch writes the remote-tracking branch as a loose ref.
    assert.equal(moves('origin/main', () => git(root, 'update-ref', 'refs/remotes/origin/main', v36)), true);
    assert.equal(moves('refs/remotes/origin/main', () => git(root, 'update-ref', 'refs/remotes/origin/main', v35)), true);
    // `origin` is refs/remotes/origin/HEAD, which names origin/main: the fetch moves what it names.
    assert.equal(moves('origin', () => git(root, 'update-ref', 'refs/remotes/origin/main', v36)), true);
    // A branch that is another's alias (how `master` is kept for `main`): a commit moves the one it names.
    assert.equal(moves('current', () => git(root, 'update-ref', 'refs/heads/line', v35)), true);
    // An expression on a remote-tracking branch: the fetch that moves the branch moves it.
    assert.equal(moves('origin/main~1', () => git(root, 'update-ref', 'refs/remotes/origin/main', v35)), true);
  } finally {
    git(root, 'symbolic-ref', '--delete', 'refs/heads/current');
    git(root, 'branch', '-D', 'line');
    git(root, 'symbolic-ref', '--delete', 'refs/remotes/origin/HEAD');
    git(root, 'update-ref', '-d', 'refs/remotes/origin/main');
  }
});

test('what does not move is not watched: a tag (also one a branch of the same name is behind), an object id (also abbreviated), an expression from no ref', NEEDS_CORPUS, () => {
  const head = git(root, 'rev-parse', 'HEAD');
  git(root, 'branch', 'v0.35.0', 'HEAD');
  // A branch named as an object id: git still takes the name as the object.
  git(root, 'update-ref', `refs/heads/${head}`, 'v0.35.0^{commit}');
  try {
    // git resolves a short name to refs/tags/ before refs/heads/.
    assert.equal(git(root, '-c', 'core.warnAmbiguousRefs=false', 'rev-parse', 'v0.35.0'), git(root, 'rev-parse', 'refs/tags/v0.35.0'));
    assert.notEqual(git(root, 'rev-parse', 'refs/tags/v0.35.0'), head);
    assert.equal(git(root, '-c', 'core.warnAmbiguousRefs=false', 'rev-parse', head), head);
    for (const name of ['v0.36.0', 'refs/tags/v0.36.0', 'v0.35.0', head, head.slice(0, 12), 'v0.36.0~1', `${head.slice(0, 12)}^`, 'main@{-1}', 'a@{u}@{1}', '@', '@~1', ':/v0.35', '../main', '-main']) {
      assert.equal(movingRef(root, name), undefined, name);
    }
    assert.ok(movingRef(root, 'main'), 'the branch itself is watched');
    // An ancestry expression moves with the ref it starts from.
    for (const name of ['main~1', 'main^', 'main^2~3', 'refs/heads/main~1']) assert.deepEqual(movingRef(root, name), movingRef(root, name.split(/[~^]/)[0]!), name);
  } finally {
    git(root, 'branch', '-D', 'v0.35.0');
    git(root, 'update-ref', '-d', `refs/heads/${head}`);
  }
});

test('a reflog entry or date (`line@{1}`, `@{1}`, `HEAD@{2}`, `line@{yesterday}`) moves with its ref\'s reflog, `@{-1}` with HEAD\'s', NEEDS_CORPUS, () => {
  git(root, 'branch', '-f', 'line', 'v0.35.0');
  git(root, 'checkout', '-q', 'line');
  // As a fresh clone has them: the refs packed, their reflogs still files.
  git(root, 'pack-refs', '--all');
  try {
    assert.equal(moves('line@{1}', () => git(root, 'update-ref', 'refs/heads/line', 'v0.36.0^{commit}')), true);
    assert.equal(moves('line@{yesterday}~1', () => git(root, 'update-ref', 'refs/heads/line', 'v0.35.0^{commit}')), true);
    // The current branch's reflog: a commit on it.
    assert.equal(moves('@{1}', () => git(root, 'commit', '-q', '--allow-empty', '-m', 'on line')), true);
    assert.equal(moves('HEAD@{2}', () => git(root, 'checkout', '-q', '--detach', 'v0.36.0')), true);
    // Detached: `@{1}` is HEAD's own reflog.
    assert.equal(moves('@{1}', () => git(root, 'checkout', '-q', '--detach', 'v0.35.0')), true);
    assert.equal(moves('@{-1}', () => git(root, 'checkout', '-q', 'main')), true);
    // Another branch's update is not this reflog.
    assert.equal(moves('line@{1}', () => git(root, 'commit', '-q', '--allow-empty', '-m', 'on main')), false);
  } finally {
    git(root, 'checkout', '-q', 'main');
    git(root, 'reset', '-q', '--hard', 'v0.36.0');
    git(root, 'branch', '-D', 'line');
  }
});

test('`@{-N}` moves with the branch it names now (HEAD\'s reflog says which), also when HEAD stays where it is', NEEDS_CORPUS, () => {
  git(root, 'checkout', '-q', 'main');
  git(root, 'branch', '-f', 'line', 'v0.35.0');
  git(root, 'branch', '-f', 'other', 'v0.35.0');
  git(root, 'checkout', '-q', 'line');
  git(root, 'checkout', '-q', 'other');
  git(root, 'checkout', '-q', 'main');
  try {
    assert.equal(git(root, 'rev-parse', '--symbolic-full-name', '@{-1}'), 'refs/heads/other');
    // A commit on it in another worktree, a fetch into it, `git branch -f`: HEAD and its reflog stay as they were.
    assert.equal(moves('@{-1}', () => git(root, 'branch', '-f', 'other', 'v0.36.0')), true);
    assert.equal(moves('@{-2}', () => git(root, 'branch', '-f', 'line', 'v0.36.0')), true);
    assert.equal(moves('@{-1}', () => git(root, 'branch', '-f', 'line', 'v0.35.0')), false, 'not the branch of @{-2}');
    // A reflog of years: its newest entries are read.
    const log = path.join(root, '.git', 'logs', 'HEAD');
    const kept = readFileSync(log, 'utf8');
    const zero = '0'.repeat(40);
    writeFileSync(log, `${zero} ${zero} t <t@example.invalid> 1500000000 +0000\tcheckout: moving from line to main\n`.repeat(4000) + kept);
    assert.equal(moves('@{-1}', () => git(root, 'branch', '-f', 'other', 'v0.35.0')), true);
    writeFileSync(log, kept);
    // A checkout names another branch for it.
    assert.equal(moves('@{-1}', () => git(root, 'checkout', '-q', 'line')), true);
    assert.equal(git(root, 'rev-parse', '--symbolic-full-name', '@{-1}'), 'refs/heads/main');
    assert.equal(moves('@{-1}', () => git(root, 'update-ref', 'refs/heads/main', 'v0.35.0^{commit}')), true);
  } finally {
    git(root, 'checkout', '-q', 'main');
    git(root, 'reset', '-q', '--hard', 'v0.36.0');
    git(root, 'branch', '-D', 'line', 'other');
  }
});

test('`@{upstream}`, `@{u}` and `@{push}` move with the remote-tracking ref git names for them, and when the config names another', NEEDS_CORPUS, () => {
  git(root, 'checkout', '-q', 'main');
  for (const r of ['origin', 'fork']) git(root, 'config', '--add', `remote.${r}.fetch`, `+refs/heads/*:refs/remotes/${r}/*`);
  for (const b of ['origin/main', 'origin/release', 'fork/main']) git(root, 'update-ref', `refs/remotes/${b}`, 'v0.35.0^{commit}');
  git(root, 'branch', '-q', '--set-upstream-to=origin/main', 'main');
  git(root, 'branch', '-q', 'local', 'v0.35.0');
  git(root, 'branch', '-q', '--set-upstream-to=main', 'local');
  // git 2.39's default (`simple`) has no `@{push}` in a triangular workflow.
  git(root, 'config', 'push.default', 'current');
  const named = (rev: string): string => git(root, 'rev-parse', '--symbolic-full-name', rev);
  try {
    assert.equal(named('@{u}'), 'refs/remotes/origin/main');
    // A fetch moves the upstream, however the mark is written.
    for (const rev of ['main@{upstream}', 'main@{u}~1', '@{u}', 'HEAD@{U}', 'main@{push}']) {
      assert.equal(moves(rev, () => git(root, 'update-ref', 'refs/remotes/origin/main', 'v0.36.0^{commit}')), true, rev);
      git(root, 'update-ref', 'refs/remotes/origin/main', 'v0.35.0^{commit}');
    }
    // A local upstream (`branch.local.remote = .`): a commit on that branch.
    assert.equal(named('local@{u}'), 'refs/heads/main');
    assert.equal(moves('local@{u}', () => git(root, 'update-ref', 'refs/heads/main', 'v0.35.0^{commit}')), true);
    git(root, 'update-ref', 'refs/heads/main', 'v0.36.0^{commit}');

    // Another upstream set: the config changes, then only the new upstream is watched.
    assert.equal(moves('main@{u}', () => git(root, 'branch', '-q', '--set-upstream-to=origin/release', 'main')), true);
    assert.equal(named('main@{u}'), 'refs/remotes/origin/release');
    assert.equal(moves('main@{u}', () => git(root, 'update-ref', 'refs/remotes/origin/release', 'v0.36.0^{commit}')), true);
    assert.equal(moves('main@{u}', () => git(root, 'update-ref', 'refs/remotes/origin/main', 'v0.36.0^{commit}')), false);

    // A triangular workflow: pushed to the fork, fetched from origin.
    git(root, 'config', 'branch.main.pushRemote', 'fork');
    assert.equal(named('main@{push}'), 'refs/remotes/fork/main');
    assert.equal(moves('main@{push}', () => git(root, 'update-ref', 'refs/remotes/fork/main', 'v0.36.0^{commit}')), true);
    assert.equal(moves('main@{u}', () => git(root, 'update-ref', 'refs/remotes/fork/main', 'v0.35.0^{commit}')), false);
  } finally {
    for (const s of ['remote.origin', 'remote.fork', 'branch.main', 'branch.local', 'push']) git(root, 'config', '--remove-section', s);
    for (const b of ['origin/main', 'origin/release', 'fork/main']) git(root, 'update-ref', '-d', `refs/remotes/${b}`);
    git(root, 'branch', '-D', 'local');
  }
});

test('`@{u}` set where git reads it but the clone\'s own config does not say it, a project\'s `include.path = ../.gitconfig` or an `includeIf`, moves with the ref git names', NEEDS_CORPUS, () => {
  git(root, 'checkout', '-q', 'main');
  for (const b of ['main', 'release']) git(root, 'update-ref', `refs/remotes/origin/${b}`, 'v0.35.0^{commit}');
  const project = path.join(root, '.gitconfig');
  const conditional = path.join(root, '.git', 'fetch.inc');
  const named = (rev: string): string => git(root, 'rev-parse', '--symbolic-full-name', rev);
  try {
    // The upstream in a config file of the work tree, which the clone's config includes from outside the git directory.
    writeFileSync(project, '[branch "main"]\n\tremote = origin\n\tmerge = refs/heads/main\n');
    git(root, 'config', 'include.path', '../.gitconfig');
    // The remote's refspec where git reads it only on that branch; another condition names a file git skips.
    writeFileSync(conditional, '[remote "origin"]\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n');
    git(root, 'config', 'includeIf.onbranch:main.path', 'fetch.inc');
    git(root, 'config', 'includeIf.onbranch:other.path', 'other.inc');
    writeFileSync(path.join(root, '.git', 'other.inc'), '[branch "main"]\n\tmerge = refs/heads/other\n');
    assert.equal(named('@{u}'), 'refs/remotes/origin/main');
    for (const rev of ['main@{u}', '@{u}', 'main@{push}']) {
      assert.equal(moves(rev, () => git(root, 'update-ref', 'refs/remotes/origin/main', 'v0.36.0^{commit}')), true, rev);
      git(root, 'update-ref', 'refs/remotes/origin/main', 'v0.35.0^{commit}');
    }
    // Editing the included file names another upstream: it is watched too.
    assert.equal(moves('main@{u}', () => writeFileSync(project, '[branch "main"]\n\tremote = origin\n\tmerge = refs/heads/release\n')), true);
    assert.equal(named('main@{u}'), 'refs/remotes/origin/release');
  } finally {
    for (const s of ['include', 'includeIf.onbranch:main', 'includeIf.onbranch:other']) git(root, 'config', '--remove-section', s);
    for (const f of [project, conditional, path.join(root, '.git', 'other.inc')]) rmSync(f, { force: true });
    for (const b of ['main', 'release']) git(root, 'update-ref', '-d', `refs/remotes/origin/${b}`);
  }
});

test('a branch that does not exist yet is watched: a fetch or `git branch` that creates it moves it', NEEDS_CORPUS, () => {
  try {
    assert.equal(moves('origin/later', () => git(root, 'update-ref', 'refs/remotes/origin/later', 'v0.36.0^{commit}')), true);
    assert.equal(moves('later', () => git(root, 'branch', 'later', 'v0.35.0')), true);
    // Once it exists, only the files up to it are watched, as for any branch.
    assert.deepEqual(movingRef(root, 'later'), ['refs/later', 'refs/tags/later', 'refs/heads/later'].map((r) => path.join(root, '.git', ...r.split('/'))));
  } finally {
    git(root, 'update-ref', '-d', 'refs/remotes/origin/later');
    git(root, 'update-ref', '-d', 'refs/heads/later');
  }
});

test('a linked worktree (a .git file) watches the branches of the common directory, and its own HEAD', NEEDS_CORPUS, () => {
  git(root, 'branch', '-f', 'line', 'v0.35.0');
  const linked = `${root}-linked`;
  git(root, 'worktree', 'add', '-q', '--detach', linked, 'v0.35.0');
  try {
    assert.equal(moves('line', () => git(root, 'update-ref', 'refs/heads/line', 'v0.36.0^{commit}'), linked), true);
    const own = movingRef(linked, 'HEAD');
    assert.ok(own);
    const before = refState(own);
    assert.equal(moves('HEAD', () => git(linked, 'checkout', '-q', '--detach', 'v0.36.0')), false, 'the main work tree watches its own HEAD');
    assert.notEqual(refState(own), before);
  } finally {
    git(root, 'worktree', 'remove', '--force', linked);
    git(root, 'branch', '-D', 'line');
  }
});

test('the manager resolves a branch setting again when the branch moves, not when a file of its name was the baseline, nor untrusted', NEEDS_CORPUS, async () => {
  git(root, 'checkout', '-q', 'main');
  git(root, 'branch', '-f', 'line', 'v0.35.0');
  const managerFor = (trusted: boolean) => waitingManager({ trusted, bundled: undefined, resolve: resolveBaseline });
  const request = (baseDir: string): BaselineRequest => ({ folderKey: baseDir, filePath: file, baseDir, explicit: 'line', includePrereleases: false, networkEnabled: false });
  const withFile = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-ref-dir-'));
  writeFileSync(path.join(withFile, 'line'), corpusText('v0.36.0'));
  try {
    const { manager, settled } = managerFor(true);
    assert.equal((await settled(request(root))).baseline?.source, 'setting');
    assert.equal((await settled(request(withFile))).baseline?.source, 'path');
    git(root, 'update-ref', 'refs/heads/line', 'v0.36.0^{commit}');
    assert.equal(await manager.headsMoved(), true);
    // Forgotten: only the resolution that read the branch.
    assert.equal(manager.get(request(root)).resolving, true);
    assert.equal(manager.get(request(withFile)).resolving, false);
    manager.invalidate();

    // A branch that is not there yet: no baseline until a fetch brings it, then the branch's file.
    const later = (baseDir: string): BaselineRequest => ({ ...request(baseDir), explicit: 'later' });
    assert.equal((await settled(later(root))).baseline, undefined);
    git(root, 'update-ref', 'refs/heads/later', 'v0.35.0^{commit}');
    assert.equal(await manager.headsMoved(), true);
    assert.match((await settled(later(root))).baseline?.origin ?? '', /^git later /);
    manager.invalidate();

    // Untrusted, git is never run (the setting is a user's: the workspace's is ignored there): nothing to watch.
    const untrusted = managerFor(false);
    assert.equal((await untrusted.settled(request(root))).baseline, undefined);
    git(root, 'update-ref', 'refs/heads/line', 'v0.35.0^{commit}');
    assert.equal(await untrusted.manager.headsMoved(), false);
    assert.equal(untrusted.manager.watchesGit, false);
  } finally {
    rmSync(withFile, { recursive: true, force: true });
    git(root, 'branch', '-D', 'line');
    git(root, 'update-ref', '-d', 'refs/heads/later');
  }
});

test('trust withdrawn (or the settings changed) while the watch waits for its turn to ask git in the clone: that git is never started', { ...NEEDS_CORPUS, ...(process.platform === 'win32' ? { skip: 'the slow git is a shell script' } : {}) }, async () => {
  git(root, 'checkout', '-q', 'main');
  git(root, 'branch', '-f', 'line', 'v0.35.0');
  const { manager, settled } = waitingManager({ trusted: true, bundled: undefined, resolve: resolveBaseline });
  const request: BaselineRequest = { folderKey: root, filePath: file, baseDir: root, explicit: 'line', includePrereleases: false, networkEnabled: false };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-ref-slow-'));
  // Another git that holds the clone's turn for a while.
  const slow = path.join(dir, 'git');
  writeFileSync(slow, '#!/bin/sh\nsleep 2\n');
  chmodSync(slow, 0o755);
  try {
    assert.equal((await settled(request)).baseline?.source, 'setting');
    git(root, 'update-ref', 'refs/heads/line', 'v0.36.0^{commit}');
    const holder = runGit(root, ['status'], { gitPath: slow });
    const moved = manager.headsMoved();
    await delay(100);
    manager.invalidate();
    const first = await Promise.race([moved.then(() => 'headsMoved'), holder.then(() => 'the git holding the turn')]);
    assert.equal(first, 'headsMoved', 'the watch waited for its turn after trust was withdrawn, to run git then');
    assert.equal((await holder).code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    git(root, 'branch', '-D', 'line');
  }
});

test('the manager follows `@{u}` to the upstream the config names now, also one at the same commit as the last', NEEDS_CORPUS, async () => {
  git(root, 'checkout', '-q', 'main');
  git(root, 'config', 'remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*');
  for (const b of ['main', 'release']) git(root, 'update-ref', `refs/remotes/origin/${b}`, 'v0.35.0^{commit}');
  git(root, 'branch', '-q', '--set-upstream-to=origin/main', 'main');
  const { manager, settled } = waitingManager({ trusted: true, bundled: undefined, resolve: resolveBaseline });
  const request: BaselineRequest = { folderKey: root, filePath: file, baseDir: root, explicit: '@{u}', includePrereleases: false, networkEnabled: false };
  const resolved = async () => (await settled(request)).baseline?.origin ?? '';
  const at = (tag: string): string => git(root, 'rev-parse', `${tag}^{commit}`).slice(0, 12);
  try {
    assert.match(await resolved(), new RegExp(`^git @\\{u\\} \\(${at('v0.35.0')}\\)`));
    // The upstream is another branch, at the same commit: nothing to resolve again.
    git(root, 'branch', '-q', '--set-upstream-to=origin/release', 'main');
    assert.equal(await manager.headsMoved(), false);
    // A fetch moves the new upstream.
    git(root, 'update-ref', 'refs/remotes/origin/release', 'v0.36.0^{commit}');
    assert.equal(await manager.headsMoved(), true);
    assert.match(await resolved(), new RegExp(`^git @\\{u\\} \\(${at('v0.36.0')}\\)`));
    manager.invalidate();
  } finally {
    for (const s of ['remote.origin', 'branch.main']) git(root, 'config', '--remove-section', s);
    for (const b of ['main', 'release']) git(root, 'update-ref', '-d', `refs/remotes/origin/${b}`);
  }
});

test('a setting is resolved again only when what it names can have changed: a tag read from git when it names another commit, a release of the bundled index never', NEEDS_CORPUS, async () => {
  git(root, 'checkout', '-q', 'main');
  git(root, 'tag', 'pinned', 'v0.35.0');
  let runs = 0;
  const { manager, settled } = waitingManager({ trusted: true, bundled: loadBundledHistory(), resolve: (o) => (runs++, resolveBaseline(o)) });
  const request = (explicit: string): BaselineRequest => ({ folderKey: root, filePath: file, baseDir: root, explicit, includePrereleases: false, networkEnabled: false });
  const resolved = async (explicit: string) => (await settled(request(explicit))).baseline;
  try {
    assert.match((await resolved('pinned'))?.origin ?? '', /^git pinned /);
    assert.equal((await resolved('v0.35.0'))?.origin, 'the bundled release index (as set)');
    assert.equal(runs, 2);

    // HEAD's branch moves and a tag is added (in a reftable clone, any ref update rewrites the table list git
    // reads HEAD and every tag from): neither setting names another commit.
    git(root, 'commit', '-q', '--allow-empty', '-m', 'moves main');
    git(root, 'tag', 'another');
    assert.equal(await manager.headsMoved(), false);
    assert.equal(manager.get(request('pinned')).resolving, false);
    assert.equal(manager.get(request('v0.35.0')).resolving, false);
    assert.equal(runs, 2);

    // The tag is moved (`git tag -f`, a forced fetch): only the setting read from git is resolved again.
    git(root, 'tag', '-f', 'pinned', 'v0.36.0');
    assert.equal(await manager.headsMoved(), true);
    assert.equal(manager.get(request('pinned')).resolving, true);
    assert.equal(manager.get(request('v0.35.0')).resolving, false);
    manager.invalidate();
  } finally {
    git(root, 'reset', '-q', '--hard', 'v0.36.0');
    git(root, 'tag', '-d', 'pinned', 'another');
  }
});

test('the automatic baseline is resolved again when git places HEAD elsewhere, not when a ref file changes and leaves it where it was', NEEDS_CORPUS, async () => {
  git(root, 'checkout', '-q', 'main');
  let runs = 0;
  const { manager, settled } = waitingManager({ trusted: true, bundled: undefined, resolve: (o) => (runs++, resolveBaseline(o)) });
  const request: BaselineRequest = { folderKey: root, filePath: file, baseDir: root, explicit: '', includePrereleases: false, networkEnabled: false };
  await settled(request);
  try {
    assert.match(manager.get(request).baseline?.origin ?? '', /^git tag v0\.35\.0 \(the release before v0\.36\.0, which HEAD is at\)/);
    // A tag that is no release, `git pack-refs` (which `git gc --auto` runs), a packed tag deleted: the files HEAD is
    // watched by change (as every ref update changes them in a reftable clone), where git places HEAD does not.
    for (const change of [['tag', 'not-a-release'], ['pack-refs', '--all'], ['tag', '-d', 'not-a-release']]) {
      const before = headState(root);
      git(root, ...change);
      assert.notEqual(headState(root), before, `${change.join(' ')} changes what is watched`);
      assert.equal(await manager.headsMoved(), false, change.join(' '));
      assert.equal(manager.get(request).resolving, false, change.join(' '));
    }
    assert.equal(runs, 1);
    // A release tag fetched at HEAD, a checkout: git places HEAD elsewhere.
    git(root, 'tag', 'v0.36.1');
    assert.equal(await manager.headsMoved(), true);
    assert.equal(manager.get(request).resolving, true);
    assert.match((await settled(request)).baseline?.origin ?? '', /the release before v0\.36\.0, v0\.36\.1, which HEAD is at/);
    git(root, 'checkout', '-q', '--detach', 'v0.35.0');
    assert.equal(await manager.headsMoved(), true);
    assert.equal(runs, 2);
    manager.invalidate();
  } finally {
    git(root, 'checkout', '-q', 'main');
    for (const t of ['v0.36.1', 'not-a-release']) if (git(root, 'tag', '-l', t)) git(root, 'tag', '-d', t);
  }
});

test('a shallow clone whose tags HEAD does not reach: `git fetch --unshallow`, as the message says to, resolves the automatic baseline again', NEEDS_CORPUS, async () => {
  git(root, 'update-ref', 'refs/heads/past', git(root, 'commit-tree', '-m', 'past', '-p', 'v0.36.0', 'v0.36.0^{tree}'));
  const shallow = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-shallow-')));
  git(shallow, 'clone', '-q', '--depth', '1', '--branch', 'past', pathToFileURL(root).href, '.');
  // The tags' commits, as more shallow roots: none is an ancestor git knows of.
  git(shallow, 'fetch', '-q', '--tags');
  const { manager, settled } = waitingManager({ trusted: true, bundled: undefined, resolve: resolveBaseline });
  const request: BaselineRequest = { folderKey: shallow, filePath: path.join(shallow, ...V1_PATH.split('/')), baseDir: shallow, explicit: '', includePrereleases: false, networkEnabled: false };
  const resolved = async () => (await settled(request)).baseline;
  try {
    assert.equal(await resolved(), undefined);
    git(shallow, 'fetch', '-q', '--unshallow');
    assert.equal(await manager.headsMoved(), true);
    assert.match((await resolved())?.origin ?? '', /^git tag v0\.36\.0 \(ancestor of HEAD\)/);
    manager.invalidate();
  } finally {
    rmSync(shallow, { recursive: true, force: true });
    git(root, 'branch', '-D', 'past');
  }
});
