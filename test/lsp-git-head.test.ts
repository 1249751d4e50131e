// The BUILT language server (dist/server.js --stdio) on the api.proto of a kubernetes/cri-api clone while git
// moves HEAD, or the branch the baseline setting names, under the open file: the baseline git found is resolved
// again, with or without unsaved edits.
// Run `node scripts/build.mjs` first; the clone is made of two corpus releases, tagged as upstream tags them.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { V1_PATH } from '../server/src/baseline/corpus';
import { headState } from '../server/src/baseline/gitSource';
import { LspEditor, NEEDS_SERVER } from './lspHarness';
import { NEEDS_CORPUS, corpusText } from './corpusText';
import { cloneOfReleases, git } from './gitClone';

let root: string;
before(() => {
  if (NEEDS_CORPUS.skip) return;
  ({ root } = cloneOfReleases('cri-compat-head-', ['v0.35.0', 'v0.36.0']));
  // A patch release whose api.proto is v0.36.0's, as most patch releases' is.
  git(root, 'commit', '-q', '--allow-empty', '-m', 'v0.36.1');
  git(root, 'tag', 'v0.36.1');
});
after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test('HEAD checked out at another tag while the file is open: the baseline follows, saved or edited', { ...NEEDS_CORPUS, ...NEEDS_SERVER, timeout: 60_000 }, async () => {
  git(root, 'checkout', '-q', 'v0.36.0');
  const uri = pathToFileURL(path.join(root, V1_PATH)).href;
  const ed = LspEditor.start();
  try {
    await ed.initialize(root, { trusted: true });
    let version = 1;
    const show = async (text: string): Promise<{ tag: string | null; origin: string }> => {
      const since = ed.statuses.all.length;
      if (version === 1) await ed.open(uri, text);
      else await ed.change(uri, version, [{ text }]);
      version++;
      const s = await ed.checked(uri, since);
      return { tag: s.baselineTag, origin: s.origin ?? '' };
    };
    const v36 = corpusText('v0.36.0');
    const v35 = corpusText('v0.35.0');
    assert.deepEqual(await show(v36), { tag: 'v0.35.0', origin: `git tag v0.35.0 (the release before v0.36.0, which HEAD is at) in ${root}, a kubernetes/cri-api clone at a detached HEAD` });
    const edited = `${v36}\n// an edit\n`;
    assert.equal((await show(edited)).tag, 'v0.36.0');

    // The edit unsaved, git checks out v0.35.0 (the editor keeps the edited text): compared with HEAD's tag now.
    git(root, 'checkout', '-q', 'v0.35.0');
    const typed = `${v36}\n// an edit, and more\n`;
    const dirty = await show(typed);
    assert.equal(dirty.tag, 'v0.35.0');
    assert.match(dirty.origin, /the tag HEAD is at; the file has been edited since/);

    // Saved and checked out again: the editor reloads the file, which is v0.35.0's, the release HEAD is at. The
    // baseline is a release before it, never v0.36.0, against which v0.35.0 has deleted what v0.36.0 added.
    git(root, 'checkout', '-q', 'v0.36.0');
    assert.equal((await show(edited)).tag, 'v0.36.0');
    git(root, 'checkout', '-q', 'v0.35.0');
    const mark = ed.mark();
    const reloaded = await show(v35);
    assert.notEqual(reloaded.tag, 'v0.36.0');
    assert.match(reloaded.origin, /HEAD of .* is at v0\.35\.0, so the file is that release/);
    // Not even while git is asked again: what v0.36.0 added is never reported deleted.
    const published = ed.diagnosticsLog.all.slice(mark).filter((p) => p.uri === uri).flatMap((p) => p.diagnostics.map((d) => String(d.code)));
    assert.deepEqual(published.filter((c) => /NO_DELETE/.test(c)), []);
  } finally {
    await ed.close();
  }
});

test('HEAD checked out at a tag whose file is the same: no change comes from the editor, the baseline still follows', { ...NEEDS_CORPUS, ...NEEDS_SERVER, timeout: 60_000 }, async () => {
  git(root, 'checkout', '-q', 'v0.36.0');
  const uri = pathToFileURL(path.join(root, V1_PATH)).href;
  const ed = LspEditor.start({ CRI_COMPAT_IMPORT_POLL_MS: '50' });
  try {
    await ed.initialize(root, { trusted: true });
    await ed.open(uri, corpusText('v0.36.0'));
    assert.equal((await ed.checked(uri)).baselineTag, 'v0.35.0');
    const since = ed.statuses.all.length;
    git(root, 'checkout', '-q', 'v0.36.1');
    // The file is v0.36.1 now, and so compared with the release before it.
    const moved = await ed.status((p) => p.uri === uri && p.checked && !p.resolving && p.baselineTag !== 'v0.35.0', since, 10_000);
    assert.equal(moved.baselineTag, 'v0.36.0');
    assert.match(moved.origin ?? '', /the release before v0\.36\.1, which HEAD is at/);
  } finally {
    await ed.close();
  }
});

test('headState of a linked worktree (a .git file) follows its own checkout and the tags of the common directory', NEEDS_CORPUS, () => {
  git(root, 'checkout', '-q', 'v0.36.0');
  const linked = `${root}-linked`;
  git(root, 'worktree', 'add', '-q', '--detach', linked, 'v0.35.0');
  try {
    const main = headState(root);
    const before = headState(linked);
    git(linked, 'checkout', '-q', 'v0.36.1');
    const moved = headState(linked);
    assert.notEqual(moved, before);
    assert.equal(headState(root), main, 'the main work tree did not move');
    git(root, 'tag', 'v0.36.2');
    assert.notEqual(headState(linked), moved, 'a new tag is seen from the linked worktree');
    assert.equal(headState(linked), headState(linked), 'nothing moved: the same state');
  } finally {
    git(root, 'tag', '-d', 'v0.36.2');
    git(root, 'worktree', 'remove', '--force', linked);
  }
});


test('a baseline set to a branch HEAD is not on: a commit on that branch in another worktree resolves it again', { ...NEEDS_CORPUS, ...NEEDS_SERVER, timeout: 60_000 }, async () => {
  git(root, 'checkout', '-q', 'v0.36.0');
  git(root, 'branch', '-f', 'line', 'v0.35.0');
  const linked = `${root}-line`;
  git(root, 'worktree', 'add', '-q', linked, 'line');
  const uri = pathToFileURL(path.join(root, V1_PATH)).href;
  const ed = LspEditor.start({ CRI_COMPAT_IMPORT_POLL_MS: '50' });
  ed.settings = { ...ed.settings, baseline: 'line' };
  const codes = (p: { diagnostics: { code?: unknown }[] }): string[] => p.diagnostics.map((d) => String(d.code));
  try {
    await ed.initialize(root, { trusted: true });
    await ed.open(uri, corpusText('v0.36.0'));
    const first = await ed.checked(uri);
    const atV35 = git(root, 'rev-parse', 'v0.35.0^{commit}').slice(0, 12);
    assert.match(first.origin ?? '', new RegExp(`^git line \\(${atV35}\\)`));
    // v0.36.0's file against v0.35.0's: the RPCs v0.36.0 added say nothing of older runtimes.
    assert.ok(codes(await ed.diagnostics(uri, (p) => p.diagnostics.length > 0)).includes('RPC_FALLBACK_UNDOCUMENTED'));

    // HEAD stays where it is; the branch the baseline names moves to a commit whose file is the open one.
    const since = ed.statuses.all.length;
    const mark = ed.mark();
    writeFileSync(path.join(linked, V1_PATH), corpusText('v0.36.0'));
    git(linked, 'commit', '-qam', 'line moves to v0.36.0');
    const atLine = git(root, 'rev-parse', 'line').slice(0, 12);
    const moved = await ed.status((p) => p.uri === uri && p.checked && !p.resolving && p.origin !== first.origin, since, 10_000);
    assert.match(moved.origin ?? '', new RegExp(`^git line \\(${atLine}\\)`));
    assert.deepEqual(codes(await ed.diagnostics(uri, (p) => !codes(p).includes('RPC_FALLBACK_UNDOCUMENTED'), mark, 10_000)), []);
  } finally {
    await ed.close();
    git(root, 'worktree', 'remove', '--force', linked);
    git(root, 'branch', '-D', 'line');
  }
});

test('a baseline set to an expression on a branch HEAD is not on (`main~1`): a commit on that branch resolves it again', { ...NEEDS_CORPUS, ...NEEDS_SERVER, timeout: 60_000 }, async () => {
  // A clone of its own: `main` is v0.35.0, then v0.36.0, so that main~1 is v0.35.0; HEAD is on another branch.
  const own = cloneOfReleases('cri-compat-expr-', ['v0.35.0', 'v0.36.0']);
  git(own.root, 'checkout', '-q', '-b', 'side');
  const linked = `${own.root}-main`;
  const uri = pathToFileURL(own.file).href;
  const ed = LspEditor.start({ CRI_COMPAT_IMPORT_POLL_MS: '50' });
  ed.settings = { ...ed.settings, baseline: 'main~1' };
  const codes = (p: { diagnostics: { code?: unknown }[] }): string[] => p.diagnostics.map((d) => String(d.code));
  try {
    await ed.initialize(own.root, { trusted: true });
    await ed.open(uri, corpusText('v0.36.0'));
    const first = await ed.checked(uri);
    const atV35 = git(own.root, 'rev-parse', 'v0.35.0^{commit}').slice(0, 12);
    assert.match(first.origin ?? '', new RegExp(`^git main~1 \\(${atV35}\\)`));
    assert.ok(codes(await ed.diagnostics(uri, (p) => p.diagnostics.length > 0)).includes('RPC_FALLBACK_UNDOCUMENTED'));

    // A commit on main, in a worktree of its own: HEAD (side) stays, main~1 is v0.36.0 now, whose file is the open one.
    const since = ed.statuses.all.length;
    const mark = ed.mark();
    git(own.root, 'worktree', 'add', '-q', linked, 'main');
    git(linked, 'commit', '-q', '--allow-empty', '-m', 'main moves on');
    const atV36 = git(own.root, 'rev-parse', 'v0.36.0^{commit}').slice(0, 12);
    const moved = await ed.status((p) => p.uri === uri && p.checked && !p.resolving && p.origin !== first.origin, since, 10_000);
    assert.match(moved.origin ?? '', new RegExp(`^git main~1 \\(${atV36}\\)`));
    assert.deepEqual(codes(await ed.diagnostics(uri, (p) => !codes(p).includes('RPC_FALLBACK_UNDOCUMENTED'), mark, 10_000)), []);
  } finally {
    await ed.close();
    rmSync(linked, { recursive: true, force: true });
    rmSync(own.root, { recursive: true, force: true });
  }
});

test('a baseline set to `@{u}` or `line@{1}`: a fetch, another upstream, or an update of the branch resolves it again', { ...NEEDS_CORPUS, ...NEEDS_SERVER, timeout: 60_000 }, async () => {
  // A clone of its own: `main` (HEAD) is v0.35.0, then v0.36.0; its upstream origin/main is at v0.35.0, as before a
  // fetch; `line` was v0.35.0 and is v0.36.0, so that line@{1} is v0.35.0.
  const own = cloneOfReleases('cri-compat-upstream-', ['v0.35.0', 'v0.36.0']);
  const at = (tag: string): string => git(own.root, 'rev-parse', `${tag}^{commit}`);
  git(own.root, 'config', 'remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*');
  for (const b of ['main', 'release-1.36']) git(own.root, 'update-ref', `refs/remotes/origin/${b}`, at('v0.35.0'));
  git(own.root, 'branch', '-q', '--set-upstream-to=origin/main', 'main');
  git(own.root, 'branch', '-q', 'line', at('v0.35.0'));
  git(own.root, 'update-ref', 'refs/heads/line', at('v0.36.0'));
  const uri = pathToFileURL(own.file).href;
  const codes = (p: { diagnostics: { code?: unknown }[] }): string[] => p.diagnostics.map((d) => String(d.code));
  const origin = (setting: string, tag: string): RegExp => new RegExp(`^git ${setting.replace(/[{}]/g, '\\$&')} \\(${at(tag).slice(0, 12)}\\)`);
  /** The next status that names another baseline than `from`, which must be `setting` at `tag`. */
  const moved = async (ed: LspEditor, since: number, from: string, setting: string, tag: string): Promise<string> => {
    const s = await ed.status((p) => p.uri === uri && p.checked && !p.resolving && p.origin !== from, since, 10_000);
    assert.match(s.origin ?? '', origin(setting, tag));
    return s.origin ?? '';
  };
  try {
    for (const setting of ['@{u}', 'line@{1}']) {
      const ed = LspEditor.start({ CRI_COMPAT_IMPORT_POLL_MS: '50' });
      ed.settings = { ...ed.settings, baseline: setting };
      try {
        await ed.initialize(own.root, { trusted: true });
        await ed.open(uri, corpusText('v0.36.0'));
        let from = (await ed.checked(uri)).origin ?? '';
        assert.match(from, origin(setting, 'v0.35.0'));
        assert.ok(codes(await ed.diagnostics(uri, (p) => p.diagnostics.length > 0)).includes('RPC_FALLBACK_UNDOCUMENTED'));
        let since = ed.statuses.all.length;
        if (setting === '@{u}') {
          // A fetch brings v0.36.0 to the upstream: the open file is its file.
          const mark = ed.mark();
          git(own.root, 'update-ref', 'refs/remotes/origin/main', at('v0.36.0'));
          from = await moved(ed, since, from, setting, 'v0.36.0');
          assert.deepEqual(codes(await ed.diagnostics(uri, (p) => !codes(p).includes('RPC_FALLBACK_UNDOCUMENTED'), mark, 10_000)), []);
          // The branch tracks another upstream, still at v0.35.0; then a fetch moves that one.
          since = ed.statuses.all.length;
          git(own.root, 'branch', '-q', '--set-upstream-to=origin/release-1.36', 'main');
          from = await moved(ed, since, from, setting, 'v0.35.0');
          since = ed.statuses.all.length;
          git(own.root, 'update-ref', 'refs/remotes/origin/release-1.36', at('v0.36.0'));
          await moved(ed, since, from, setting, 'v0.36.0');
        } else {
          // `line`, which HEAD is not on, is set back: its previous value is v0.36.0 now.
          git(own.root, 'update-ref', 'refs/heads/line', at('v0.35.0'));
          await moved(ed, since, from, setting, 'v0.36.0');
        }
      } finally {
        await ed.close();
      }
    }
  } finally {
    rmSync(own.root, { recursive: true, force: true });
  }
});
