// Where the git files the language server watches are not where the first look finds them, and how far it looks:
// `@{-N}` whose checkout is far back in HEAD's reflog, tags in subdirectories of refs/tags, and an upstream set in
// a config file the clone's config includes; never through a link, a FIFO or a path out of the git directory. The
// clone is made of two corpus releases; git itself says what each revision names.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { headState } from '../server/src/baseline/gitSource';
import { resolveBaseline } from '../server/src/baseline/resolve';
import { BaselineManager, type BaselineRequest } from '../server/src/lsp/baselines';
import { testHost } from './baselineHost';
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
  const waiting: (() => void)[] = [];
  const manager = new BaselineManager(testHost({ trusted: true, bundled: undefined, resolved: () => waiting.shift()?.(), resolve: resolveBaseline }));
  const request: BaselineRequest = { folderKey: root, filePath: file, baseDir: root, explicit: 'release/pinned', includePrereleases: false, networkEnabled: false };
  const resolved = async () => {
    const done = new Promise<void>((r) => waiting.push(r));
    manager.get(request);
    await done;
    return manager.get(request).baseline?.origin ?? '';
  };
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
