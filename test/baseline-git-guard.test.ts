// The guard that decides whether git may run in a clone (gitRefused), on real clones: the folders it lists (loose refs,
// packs, the split commit-graph) are read no further than their cap and walked again only when one changes; the pack
// and commit-graph files, a huge packed-refs or alternates, and the reflog a `@{…}` revision reads are refused where
// git (2.39, measured with `timeout`) would wait on them or read gigabytes. Nothing here waits out a git timeout: a
// refused clone starts no git at all, which a counting launcher shows.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commitOf, detectRepo, findGitBaseline, gitRefused, headPlacement, headState, readGitRevision, unsafeReflog } from '../server/src/baseline/gitSource';
import { NEEDS_CORPUS } from './corpusText';
import { cloneOfReleases, git, counting } from './gitClone';

const POSIX = process.platform === 'win32' ? { skip: 'no mkfifo' } : {};
const OPTS = { ...NEEDS_CORPUS, ...POSIX };

let root: string;
let file: string;
let dotGit: string;
before(() => {
  if (NEEDS_CORPUS.skip || POSIX.skip) return;
  ({ root, file } = cloneOfReleases('cri-compat-guard-', ['v0.35.0', 'v0.36.0']));
  dotGit = path.join(root, '.git');
  // Packs, their index and the commit-graph, as a clone has them; a branch checked out and back, for `@{-1}`.
  git(root, 'gc', '-q');
  git(root, 'checkout', '-q', '-b', 'side');
  git(root, 'checkout', '-q', 'main');
});
after(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const fifo = (p: string): void => void execFileSync('mkfifo', [p]);

/**
 * Counts what the guard reads of the file system while `run` runs: folder entries listed (whole or one at a time) and
 * files lstat'ed. The real functions do the work; the counts are of their results.
 */
function reads<T>(run: () => T): { result: T; entries: number; lstats: number } {
  const real = { readdirSync: fs.readdirSync, opendirSync: fs.opendirSync, lstatSync: fs.lstatSync };
  let entries = 0;
  let lstats = 0;
  // The module itself (as the code under test requires it), not this file's import of it, whose names are read-only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mutable = require('node:fs') as Record<string, unknown>;
  mutable.readdirSync = (...a: Parameters<typeof fs.readdirSync>) => {
    const r = real.readdirSync(...a);
    entries += r.length;
    return r;
  };
  mutable.opendirSync = (...a: Parameters<typeof fs.opendirSync>) => {
    const d = real.opendirSync(...a);
    const readSync = d.readSync.bind(d);
    d.readSync = () => {
      const e = readSync();
      if (e) entries++;
      return e;
    };
    return d;
  };
  mutable.lstatSync = (...a: Parameters<typeof fs.lstatSync>) => (lstats++, real.lstatSync(...a));
  try {
    return { result: run(), entries, lstats };
  } finally {
    Object.assign(mutable, real);
  }
}

/** Waits until what was just made is older than the guard's window for changes in the same clock tick. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 2_700));

test('a refs folder with more entries than are checked is read no further than the cap, and the refusal says so', OPTS, () => {
  const many = path.join(dotGit, 'refs', 'tags', 'many');
  fs.mkdirSync(many);
  const commit = git(root, 'rev-parse', 'v0.35.0^{commit}');
  for (let k = 0; k < 30_000; k++) fs.writeFileSync(path.join(many, `t${k}`), commit);
  try {
    const { result, entries, lstats } = reads(() => gitRefused(root));
    // The 30,000 entries of `many` were not all read (git's own folders, `heads` and `tags`, are a few more).
    assert.ok(entries <= 20_001 + 100, `${entries} entries were listed`);
    assert.ok(lstats <= 20_001 + 100, `${lstats} files were looked at`);
    assert.match(result ?? '', /^git is not run in .*: it has more than 20000 loose refs, more than are checked for files git would wait on \(its refs folders were not listed past the first 20000 entries, nor the rest checked\); `git pack-refs --all` there packs them$/);
  } finally {
    fs.rmSync(many, { recursive: true, force: true });
  }
  assert.equal(gitRefused(root), undefined);
});

test('an unchanged clone is not walked again; a ref made, removed or reached through a link that changes is seen at once', OPTS, async () => {
  const tags = path.join(dotGit, 'refs', 'tags', 'loose');
  fs.mkdirSync(tags);
  const commit = git(root, 'rev-parse', 'v0.35.0^{commit}');
  for (let k = 0; k < 3_000; k++) fs.writeFileSync(path.join(tags, `t${k}`), commit);
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'cri-compat-guard-outside-'));
  const target = path.join(outside, 'ref');
  fs.writeFileSync(target, commit);
  fs.symlinkSync(target, path.join(tags, 'linked'));
  try {
    await settle();
    assert.equal(gitRefused(root), undefined);
    const again = reads(() => gitRefused(root));
    assert.equal(again.result, undefined);
    // Only the folders walked (and the link) are looked at, not the 3,000 refs: the first walk's verdict stands.
    assert.ok(again.lstats < 100, `${again.lstats} files were looked at in an unchanged clone`);
    assert.equal(again.entries, 0, 'a folder was listed again');
    // A FIFO made in a folder walked (its metadata changes): walked again, and found.
    fifo(path.join(tags, 'fifo'));
    assert.match(gitRefused(root) ?? '', /its ref .*\/refs\/tags\/loose\/fifo is a FIFO/);
    fs.rmSync(path.join(tags, 'fifo'));
    assert.equal(gitRefused(root), undefined);
    await settle();
    assert.equal(gitRefused(root), undefined);
    assert.ok(reads(() => gitRefused(root)).lstats < 100, 'the verdict was not kept');
    // What a link leads to, outside the folders, replaced by a FIFO.
    fs.rmSync(target);
    fifo(target);
    assert.match(gitRefused(root) ?? '', /its ref .*\/refs\/tags\/loose\/linked is a FIFO/);
  } finally {
    fs.rmSync(tags, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  }
  assert.equal(gitRefused(root), undefined);
});

test('git is not run in a clone whose pack index, multi-pack index, commit-graph or split commit-graph file is a FIFO (git waits on each), and the file repaired resolves with git again', OPTS, async () => {
  const pack = path.join(dotGit, 'objects', 'pack');
  const idx = fs.readdirSync(pack).find((n) => n.endsWith('.idx'));
  assert.ok(idx, 'git gc made no pack');
  assert.ok(fs.existsSync(path.join(dotGit, 'objects', 'info', 'commit-graph')), 'git gc wrote no commit-graph');
  const repo = detectRepo(file)!;
  const cases: [string, RegExp][] = [
    [`objects/pack/${idx}`, /its pack file .*\/objects\/pack\/pack-.*\.idx is a FIFO, which git would wait on/],
    ['objects/pack/multi-pack-index', /its pack file .*\/objects\/pack\/multi-pack-index is a FIFO/],
    ['objects/info/commit-graph', /its commit-graph .*\/objects\/info\/commit-graph is a FIFO/],
    ['objects/info/commit-graphs/commit-graph-chain', /its commit-graph file .*\/objects\/info\/commit-graphs\/commit-graph-chain is a FIFO/],
  ];
  for (const [name, want] of cases) {
    const p = path.join(dotGit, ...name.split('/'));
    const had = fs.existsSync(p);
    // Kept outside the folder: a file of the pack folder is checked whatever its name.
    if (had) fs.renameSync(p, path.join(root, 'kept'));
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fifo(p);
    let state: string;
    try {
      const { launcher, started } = counting();
      const g = await findGitBaseline(file, { launcher, timeoutMs: 1000 });
      state = headState(root);
      assert.match(g.ok ? '' : g.reason, /^git is not run in /, name);
      assert.match(g.ok ? '' : g.reason, want, name);
      assert.equal(await headPlacement(repo, { launcher, timeoutMs: 1000 }), undefined);
      assert.equal(started(), 0, `${name}: git was started`);
    } finally {
      fs.rmSync(p);
      if (had) fs.renameSync(path.join(root, 'kept'), p);
    }
    assert.notEqual(headState(root), state, `${name}: the repair is not seen`);
    const g = await findGitBaseline(file, { timeoutMs: 3000 });
    assert.equal(g.ok, true, `${name}: ${g.ok ? '' : g.reason}`);
  }
});

test('git is not run in a clone whose packed-refs or alternates is larger than git is let read whole', OPTS, async () => {
  const cases: [string, number, RegExp][] = [
    ['packed-refs', 257 * 1024 * 1024, /its packed-refs .*\/\.git\/packed-refs is a file of 269484032 bytes, more than the 268435456 git is let read there whole$/],
    ['objects/info/alternates', 2 * 1024 * 1024, /its alternates file .*\/alternates is a file of 2097152 bytes, more than the 1048576 git is let read there whole$/],
  ];
  for (const [name, size, want] of cases) {
    const p = path.join(dotGit, ...name.split('/'));
    const had = fs.existsSync(p);
    if (had) fs.renameSync(p, `${p}.kept`);
    // Sparse: no disk written.
    fs.writeFileSync(p, '');
    fs.truncateSync(p, size);
    try {
      const { launcher, started } = counting();
      const g = await findGitBaseline(file, { launcher, timeoutMs: 1000 });
      assert.match(g.ok ? '' : g.reason, want, name);
      assert.equal(started(), 0, `${name}: git was started`);
    } finally {
      fs.rmSync(p);
      if (had) fs.renameSync(`${p}.kept`, p);
    }
    assert.equal((await findGitBaseline(file, { timeoutMs: 3000 })).ok, true, name);
  }
});

test('a revision that reads a reflog (`@{-1}`, `main@{1}`) is not resolved while that reflog is a FIFO or huge; other revisions are', OPTS, async () => {
  const headLog = path.join(dotGit, 'logs', 'HEAD');
  const mainLog = path.join(dotGit, 'logs', 'refs', 'heads', 'main');
  const side = git(root, 'rev-parse', 'side');
  const plants: [string, string, (p: string) => void, RegExp][] = [
    [headLog, '@{-1}', fifo, /^git does not resolve @\{-1\} in .*: its reflog .*\/logs\/HEAD is a FIFO, which git would wait on or fail to read$/],
    [headLog, '@{-1}~0', (p) => (fs.writeFileSync(p, ''), fs.truncateSync(p, 17 * 1024 * 1024)), /its reflog .*\/logs\/HEAD is a file of 17825792 bytes, more than the 16777216 git is let read for a reflog entry \(`git reflog expire` shortens it\)$/],
    [mainLog, 'main@{1}', fifo, /^git does not resolve main@\{1\} in .*: its reflog .*\/logs\/refs\/heads\/main is a FIFO/],
  ];
  for (const [log, rev, plant, want] of plants) {
    fs.renameSync(log, `${log}.kept`);
    plant(log);
    try {
      const { launcher, started } = counting();
      const r = await readGitRevision(file, rev, { launcher, timeoutMs: 1000 });
      assert.match(r.ok ? '' : r.reason, want, rev);
      assert.equal(await commitOf(root, rev, { launcher, timeoutMs: 1000 }), undefined);
      assert.equal(started(), 0, `${rev}: git was started`);
      // A revision that reads no reflog still resolves (git does not open it).
      assert.equal((await readGitRevision(file, 'v0.35.0', { timeoutMs: 3000 })).ok, true);
    } finally {
      fs.rmSync(log);
      fs.renameSync(`${log}.kept`, log);
    }
  }
  const r = await readGitRevision(file, '@{-1}', { timeoutMs: 3000 });
  assert.equal(r.ok ? r.commit : r.reason, side);
  // A folder of reflogs where git looks for one (`logs/refs/heads/line` of the branch `line/one`) is no reflog to git.
  git(root, 'branch', 'line/one');
  try {
    assert.equal(unsafeReflog(root, 'line@{1}'), undefined);
  } finally {
    git(root, 'branch', '-D', 'line/one');
  }
});
