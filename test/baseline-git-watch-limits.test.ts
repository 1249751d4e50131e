// Where the git files the language server watches are not where the first look finds them, and how far it looks:
// `@{-N}` whose checkout is far back in HEAD's reflog, tags in subdirectories of refs/tags, and an upstream set in
// a config file the clone's config includes; never through a link, a FIFO or a path out of the git directory. The
// clone is made of two corpus releases; git itself says what each revision names.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { headState, movingRef, refState } from '../server/src/baseline/gitSource';
import { resolveBaseline } from '../server/src/baseline/resolve';
import type { BaselineRequest } from '../server/src/lsp/baselines';
import { waitingManager } from './baselineHost';
import { NEEDS_CORPUS } from './corpusText';
import { cloneOfReleases, git } from './gitClone';

/** FIFOs and links are a POSIX workspace's. */
const POSIX = process.platform === 'win32' ? { skip: 'no mkfifo, and links need privileges' } : {};

let root: string;
let file: string;
let outside: string;
before(() => {
  if (NEEDS_CORPUS.skip) return;
  ({ root, file } = cloneOfReleases('cri-compat-watch-', ['v0.35.0', 'v0.36.0']));
  outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-watch-out-')));
});
after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  if (outside) rmSync(outside, { recursive: true, force: true });
});

/** Whether the state of what `movingRef` watches changes while `move` runs. */
function moves(name: string, move: () => void): boolean {
  const files = movingRef(root, name);
  assert.ok(files, `${name} is watched`);
  const before = refState(files);
  move();
  return refState(files) !== before;
}

/** `count` reflog entries that are no checkout (a commit, a reset), as a busy branch's reflog has them. */
function notCheckouts(count: number): string {
  const zero = '0'.repeat(40);
  return `${zero} ${zero} t <t@example.invalid> 1500000000 +0000\treset: moving to HEAD~1\n`.repeat(count);
}

test('`@{-1}` whose checkout is older than the newest 64 KiB of HEAD\'s reflog still watches the branch git names', NEEDS_CORPUS, () => {
  git(root, 'checkout', '-q', 'main');
  git(root, 'branch', '-f', 'other', 'v0.35.0');
  git(root, 'checkout', '-q', 'other');
  git(root, 'checkout', '-q', 'main');
  const log = path.join(root, '.git', 'logs', 'HEAD');
  const kept = readFileSync(log);
  try {
    // About 200 KiB of resets and commits on main since the checkout.
    appendFileSync(log, notCheckouts(1500));
    assert.equal(git(root, 'rev-parse', '--symbolic-full-name', '@{-1}'), 'refs/heads/other');
    assert.equal(moves('@{-1}', () => git(root, 'branch', '-f', 'other', 'v0.36.0')), true);
    assert.equal(moves('@{-1}', () => git(root, 'branch', '-f', 'line', 'v0.36.0')), false, 'not another branch');
    // Past what is read of the reflog (4 MiB): every branch is watched, none missed.
    writeFileSync(log, kept);
    appendFileSync(log, notCheckouts(Math.ceil((5 * 1024 * 1024) / 145)));
    assert.equal(git(root, 'rev-parse', '--symbolic-full-name', '@{-1}'), 'refs/heads/other');
    assert.equal(moves('@{-1}', () => git(root, 'branch', '-f', 'other', 'v0.35.0')), true);
  } finally {
    writeFileSync(log, kept);
    git(root, 'branch', '-D', ...git(root, 'branch', '--list', '--format=%(refname:short)', 'other', 'line').split('\n'));
  }
});

test('a tag made or moved in a subdirectory of refs/tags changes the state watched; one through a link does not', { ...NEEDS_CORPUS, ...POSIX }, () => {
  git(root, 'tag', 'release/v0.35.0', 'v0.35.0');
  const changes = (move: () => void): boolean => {
    const before = headState(root);
    move();
    return headState(root) !== before;
  };
  const linked = path.join(root, '.git', 'refs', 'tags', 'linked');
  try {
    // refs/tags/release is there already: only it changes.
    assert.equal(changes(() => git(root, 'tag', '-f', 'release/v0.35.0', 'v0.36.0')), true, 'moved');
    assert.equal(changes(() => git(root, 'tag', 'release/v0.36.0', 'v0.36.0')), true, 'made');
    assert.equal(changes(() => git(root, 'tag', 'release/a/b/v0.36.0', 'v0.36.0')), true, 'made deeper');
    assert.equal(changes(() => git(root, 'tag', '-f', 'release/a/b/v0.36.0', 'v0.35.0')), true, 'moved deeper');
    // A directory elsewhere, linked into refs/tags: what happens there is not read.
    symlinkSync(outside, linked);
    assert.equal(changes(() => writeFileSync(path.join(outside, 'x'), 'x')), false);
  } finally {
    rmSync(linked, { force: true });
    const made = git(root, 'for-each-ref', '--format=%(refname:short)', 'refs/tags/release/');
    git(root, 'tag', '-d', ...made.split('\n'));
  }
});

test('the manager resolves a nested tag setting again when `git tag -f` moves it', NEEDS_CORPUS, async () => {
  git(root, 'checkout', '-q', 'main');
  git(root, 'tag', 'release/pinned', 'v0.35.0');
  const { manager, settled } = waitingManager({ trusted: true, bundled: undefined, resolve: resolveBaseline });
  const request: BaselineRequest = { folderKey: root, filePath: file, baseDir: root, explicit: 'release/pinned', includePrereleases: false, networkEnabled: false };
  const resolved = async () => (await settled(request)).baseline?.origin ?? '';
  const at = (tag: string): string => git(root, 'rev-parse', `${tag}^{commit}`).slice(0, 12);
  try {
    assert.match(await resolved(), new RegExp(`^git release/pinned \\(${at('v0.35.0')}\\)`));
    git(root, 'tag', '-f', 'release/pinned', 'v0.36.0');
    assert.equal(await manager.headsMoved(), true);
    assert.match(await resolved(), new RegExp(`^git release/pinned \\(${at('v0.36.0')}\\)`));
    manager.invalidate();
  } finally {
    git(root, 'tag', '-d', 'release/pinned');
  }
});

test('an upstream set in a config file the clone\'s config includes is watched, from its git directory, outside it or through a link, as git reads it; a FIFO is not read (git does not run)', { ...NEEDS_CORPUS, ...POSIX }, () => {
  git(root, 'checkout', '-q', 'main');
  const gitDir = path.join(root, '.git');
  git(root, 'config', 'remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*');
  for (const b of ['main', 'release']) git(root, 'update-ref', `refs/remotes/origin/${b}`, 'v0.35.0^{commit}');
  const upstream = (branch: string) => `[branch "main"]\n\tremote = origin\n\tmerge = refs/heads/${branch}\n`;
  mkdirSync(path.join(gitDir, 'conf.d'));
  writeFileSync(path.join(gitDir, 'conf.d', 'upstream'), upstream('main'));
  // Relative to the including file, as git reads it.
  writeFileSync(path.join(gitDir, 'conf.d', 'first'), '[include]\n\tpath = upstream\n');
  git(root, 'config', 'include.path', 'conf.d/first');
  const fetched = (b: string, tag: string) => () => git(root, 'update-ref', `refs/remotes/origin/${b}`, `${tag}^{commit}`);
  try {
    assert.equal(git(root, 'rev-parse', '--symbolic-full-name', '@{u}'), 'refs/remotes/origin/main');
    assert.equal(moves('@{u}', fetched('main', 'v0.36.0')), true);
    // The included file edited: another upstream.
    assert.equal(moves('@{u}', () => writeFileSync(path.join(gitDir, 'conf.d', 'upstream'), upstream('release'))), true);
    assert.equal(git(root, 'rev-parse', '--symbolic-full-name', '@{u}'), 'refs/remotes/origin/release');
    assert.equal(moves('@{u}', fetched('release', 'v0.36.0')), true);

    // Outside the git directory and through a link out of it: git follows them, and so does the watch (the walk that
    // decides whether git runs reads them). A FIFO, on which git would wait: git is not run, and nothing is watched
    // past the config (the ref is written as git writes it, without git).
    const written = (b: string, tag: string) => {
      const commit = git(root, 'rev-parse', `${tag}^{commit}`);
      return () => {
        const ref = path.join(gitDir, 'refs', 'remotes', 'origin', b);
        writeFileSync(`${ref}.lock`, `${commit}\n`);
        renameSync(`${ref}.lock`, ref);
      };
    };
    const toV35 = written('main', 'v0.35.0');
    const toV36 = written('main', 'v0.36.0');
    writeFileSync(path.join(outside, 'upstream'), upstream('main'));
    symlinkSync(outside, path.join(gitDir, 'conf.d', 'out'));
    execFileSync('mkfifo', [path.join(gitDir, 'conf.d', 'fifo')]);
    for (const [p, watched] of [[path.join(outside, 'upstream'), true], ['out/upstream', true], ['fifo', false]] as const) {
      writeFileSync(path.join(gitDir, 'conf.d', 'first'), `[include]\n\tpath = ${p}\n`);
      assert.equal(moves('@{u}', toV35), watched, p);
    }
    // A file that includes itself (git gives up past 10 levels): read up to a depth, and so still watched.
    writeFileSync(path.join(gitDir, 'conf.d', 'first'), '[include]\n\tpath = upstream\n\tpath = first\n');
    writeFileSync(path.join(gitDir, 'conf.d', 'upstream'), upstream('main'));
    assert.equal(moves('@{u}', toV36), true);
  } finally {
    rmSync(path.join(gitDir, 'conf.d'), { recursive: true, force: true });
    for (const s of ['remote.origin', 'include']) git(root, 'config', '--remove-section', s);
    for (const b of ['main', 'release']) git(root, 'update-ref', '-d', `refs/remotes/origin/${b}`);
  }
});
