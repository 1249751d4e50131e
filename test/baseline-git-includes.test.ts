// A trusted workspace whose clone's git config includes a FIFO, a device, a directory or a huge file: git would
// open it (it cannot be told to skip a repository's includes) and every command would wait out its timeout, on each
// check and each poll. The server stats every file the config may include and does not run git there at all; the
// baseline then comes from the bundled history, saying why. The clone is made of corpus releases.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commitOf, findGitBaseline, headPlacement, headState, detectRepo } from '../server/src/baseline/gitSource';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { resolveBaseline } from '../server/src/baseline/resolve';
import { NEEDS_CORPUS } from './corpusText';
import { cloneOfReleases, counting } from './gitClone';
import { waitingManager } from './baselineHost';
import type { BaselineRequest } from '../server/src/lsp/baselines';

const POSIX = process.platform === 'win32' ? { skip: 'no mkfifo, and links need privileges' } : {};

let root: string;
let file: string;
let config: string;
let original: string;
const emptyModCache = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-includes-gomod-'));
before(() => {
  if (NEEDS_CORPUS.skip || POSIX.skip) return;
  ({ root, file } = cloneOfReleases('cri-compat-includes-', ['v0.35.0', 'v0.36.0']));
  config = path.join(root, '.git', 'config');
  original = execFileSync('cat', [config], { encoding: 'utf8' });
  const d = path.join(root, '.git', 'conf.d');
  mkdirSync(d);
  execFileSync('mkfifo', [path.join(d, 'fifo')]);
  mkdirSync(path.join(d, 'dir'));
  writeFileSync(path.join(d, 'huge'), '');
  truncateSync(path.join(d, 'huge'), 64 * 1024 * 1024);
  writeFileSync(path.join(d, 'nested'), '[include]\n\tpath = fifo\n');
  writeFileSync(path.join(d, 'fine'), '[user]\n\tname = x\n');
  symlinkSync('fifo', path.join(d, 'link-to-fifo'));
});
after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  rmSync(emptyModCache, { recursive: true, force: true });
});

const withConfig = (extra: string) => writeFileSync(config, `${original}${extra}`);

test('git is not run in a clone whose config includes a FIFO, a device, a directory or a huge file, and says which key and path', { ...NEEDS_CORPUS, ...POSIX }, async () => {
  const cases: [string, RegExp][] = [
    ['[include]\n\tpath = conf.d/fifo\n', /include\.path in .*\/\.git\/config names .*\/conf\.d\/fifo, a FIFO/],
    ['[include]\n\tpath = conf.d/link-to-fifo\n', /names .*\/conf\.d\/link-to-fifo, a FIFO/],
    ['[include]\n\tpath = /dev/zero\n', /include\.path in .* names \/dev\/zero, a device/],
    ['[includeIf "gitdir:/nowhere/"]\n\tpath = conf.d/dir\n', /includeIf\.gitdir:\/nowhere\/\.path in .* names .*\/conf\.d\/dir, a directory/],
    ['[include]\n\tpath = conf.d/huge\n', /names .*\/conf\.d\/huge, a file of 67108864 bytes/],
    // Nested: the FIFO is named relative to the included file.
    ['[include]\n\tpath = conf.d/nested\n', /include\.path in .*\/conf\.d\/nested names .*\/conf\.d\/fifo, a FIFO/],
  ];
  for (const [extra, want] of cases) {
    withConfig(extra);
    const { launcher, started } = counting();
    const g = await findGitBaseline(file, { launcher, timeoutMs: 3000 });
    assert.equal(g.ok, false, extra);
    assert.match(g.ok ? '' : g.reason, want, extra);
    assert.match(g.ok ? '' : g.reason, /^git is not run in /, extra);
    assert.equal(started(), 0, `${extra}: git was started`);
    const repo = detectRepo(file)!;
    assert.equal(await headPlacement(repo, { launcher, timeoutMs: 3000 }), undefined);
    assert.equal(await commitOf(root, 'v0.35.0', { launcher, timeoutMs: 3000 }), undefined);
    assert.equal(started(), 0, `${extra}: git was started by the poll`);
  }
  // A control: a regular include, and one that is missing, which git skips.
  withConfig('[include]\n\tpath = conf.d/fine\n\tpath = conf.d/missing\n\tpath = ~/fifo\n');
  const { launcher, started } = counting();
  const g = await findGitBaseline(file, { launcher });
  assert.equal(g.ok, true, g.ok ? '' : g.reason);
  assert.ok(started() > 0);
  withConfig('');
});

test('the baseline falls back to the bundled history, saying why git was not run', { ...NEEDS_CORPUS, ...POSIX }, async () => {
  withConfig('[include]\n\tpath = conf.d/fifo\n');
  try {
    const res = await resolveBaseline({ filePath: file, trusted: true, bundled: loadBundledHistory(), env: { GOMODCACHE: emptyModCache }, git: { timeoutMs: 3000 } });
    assert.equal(res.baseline?.source, 'bundled');
    assert.match(res.baseline?.origin ?? '', /git could not place the file: git is not run in .*include\.path in .* names .*conf\.d\/fifo, a FIFO/);
  } finally {
    withConfig('');
  }
});

test('a key or path with a line break or control character is shown escaped', { ...NEEDS_CORPUS, ...POSIX }, async () => {
  const odd = path.join(root, '.git', 'conf.d', 'a\nb\x1b[31m');
  execFileSync('mkfifo', [odd]);
  withConfig('[include]\n\tpath = "conf.d/a\\nb\x1b[31m"\n');
  try {
    const g = await findGitBaseline(file, { timeoutMs: 3000 });
    const reason = g.ok ? '' : g.reason;
    assert.match(reason, /conf\.d\/a\\nb\\u001b\[31m, a FIFO/);
    assert.doesNotMatch(reason, /[\n\x1b]/);
  } finally {
    withConfig('');
    rmSync(odd);
  }
});

test('repairing the config, by editing it or by replacing the FIFO it includes (anywhere), resolves the baseline again with git, as a ref change does', { ...NEEDS_CORPUS, ...POSIX }, async () => {
  const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-includes-out-'));
  const fifo = path.join(elsewhere, 'shared.gitconfig');
  const { manager, settled } = waitingManager({
    trusted: true,
    bundled: loadBundledHistory(),
    resolve: (o) => resolveBaseline({ ...o, env: { GOMODCACHE: emptyModCache }, git: { timeoutMs: 3000 } }),
  });
  const request: BaselineRequest = { folderKey: root, filePath: file, baseDir: root, explicit: '', includePrereleases: false, networkEnabled: false };
  const source = async () => (await settled(request)).baseline?.source;
  try {
    withConfig('[include]\n\tpath = conf.d/fifo\n');
    assert.equal(await source(), 'bundled');
    assert.equal(await manager.headsMoved(), false, 'nothing changed yet');
    // The include removed.
    withConfig('');
    assert.equal(await manager.headsMoved(), true);
    assert.equal(await source(), 'git');
    // An include outside the clone that is a FIFO: refused again.
    execFileSync('mkfifo', [fifo]);
    withConfig(`[include]\n\tpath = ${fifo}\n`);
    assert.equal(await manager.headsMoved(), true);
    assert.match((await settled(request)).baseline?.origin ?? '', /names .*shared\.gitconfig, a FIFO/);
    assert.equal(await manager.headsMoved(), false);
    // The FIFO replaced by a regular file, the config untouched.
    rmSync(fifo);
    writeFileSync(fifo, '[user]\n\tname = x\n');
    assert.equal(await manager.headsMoved(), true);
    assert.equal(await source(), 'git');
    manager.invalidate();
  } finally {
    withConfig('');
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test('git is not run in a clone whose HEAD, branch, packed-refs, shallow list, grafts or alternates is a FIFO or a device (git would wait on it), and the file repaired resolves with git again', { ...NEEDS_CORPUS, ...POSIX }, async () => {
  const dotGit = path.join(root, '.git');
  execFileSync('git', ['-C', root, 'pack-refs', '--all']);
  const repo = detectRepo(file)!;
  const cases: [string, RegExp][] = [
    ['HEAD', /its HEAD .*\/\.git\/HEAD is a FIFO/],
    ['packed-refs', /its packed-refs .*\/\.git\/packed-refs is a FIFO/],
    ['shallow', /its shallow list .*\/\.git\/shallow is a FIFO/],
    ['info/grafts', /its grafts file .*\/\.git\/info\/grafts is a FIFO/],
    ['objects/info/alternates', /its alternates file .*alternates is a FIFO/],
  ];
  for (const [name, want] of cases) {
    const p = path.join(dotGit, ...name.split('/'));
    const kept = `${p}.kept`;
    const had = existsSync(p);
    if (had) renameSync(p, kept);
    mkdirSync(path.dirname(p), { recursive: true });
    execFileSync('mkfifo', [p]);
    const state = headState(root);
    try {
      const { launcher, started } = counting();
      const g = await findGitBaseline(file, { launcher, timeoutMs: 1000 });
      assert.equal(g.ok, false, name);
      assert.match(g.ok ? '' : g.reason, want, name);
      assert.match(g.ok ? '' : g.reason, /^git is not run in /, name);
      assert.equal(await headPlacement(repo, { launcher, timeoutMs: 1000 }), undefined);
      assert.equal(started(), 0, `${name}: git was started`);
    } finally {
      rmSync(p);
      if (had) renameSync(kept, p);
    }
    // Repaired: the watch sees it, and git runs again.
    assert.notEqual(headState(root), state, name);
    const g = await findGitBaseline(file, { timeoutMs: 3000 });
    assert.equal(g.ok, true, `${name}: ${g.ok ? '' : g.reason}`);
  }
  // The branch HEAD names, as a link to a device: git would read it without end.
  const branch = path.join(dotGit, 'refs', 'heads', 'main');
  symlinkSync('/dev/zero', branch);
  try {
    const { launcher, started } = counting();
    const g = await findGitBaseline(file, { launcher, timeoutMs: 1000 });
    assert.match(g.ok ? '' : g.reason, /its ref refs\/heads\/main .*refs\/heads\/main is a device/);
    assert.equal(started(), 0);
  } finally {
    rmSync(branch);
  }
  // A branch not made yet whose name is a folder of branches: git takes it as missing, and runs.
  execFileSync('git', ['-C', root, 'branch', 'line/one']);
  execFileSync('git', ['-C', root, 'symbolic-ref', 'HEAD', 'refs/heads/line']);
  try {
    const g = await findGitBaseline(file, { timeoutMs: 3000 });
    assert.match(g.ok ? '' : g.reason, /HEAD has no commit yet/);
  } finally {
    execFileSync('git', ['-C', root, 'symbolic-ref', 'HEAD', 'refs/heads/main']);
    execFileSync('git', ['-C', root, 'branch', '-D', 'line/one']);
  }
  assert.equal((await findGitBaseline(file, { timeoutMs: 3000 })).ok, true);
});

test('git is not run in a clone with a loose ref that is a FIFO, a huge file or a link to a directory (describe reads every ref, for-each-ref every tag), and the ref repaired resolves with git again', { ...NEEDS_CORPUS, ...POSIX }, async () => {
  const refs = path.join(root, '.git', 'refs');
  const outside = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-includes-refs-'));
  execFileSync('mkfifo', [path.join(outside, 'fifo')]);
  const fifo = (p: string) => execFileSync('mkfifo', [p]);
  const cases: [string, (p: string) => void, RegExp][] = [
    // A tag git lists (for-each-ref refs/tags/), one below a folder of tags, and refs only `git describe` reads.
    ['tags/v0.37.0', fifo, /its ref .*\/\.git\/refs\/tags\/v0\.37\.0 is a FIFO, which git would wait on/],
    ['tags/release/v0.37.1', fifo, /its ref .*\/refs\/tags\/release\/v0\.37\.1 is a FIFO/],
    ['remotes/origin/main', fifo, /its ref .*\/refs\/remotes\/origin\/main is a FIFO/],
    ['notes/commits', (p) => symlinkSync('/dev/zero', p), /its ref .*\/refs\/notes\/commits is a device/],
    ['heads/big', (p) => truncateSync((writeFileSync(p, ''), p), 1 << 20), /its ref .*\/refs\/heads\/big is a file of 1048576 bytes/],
    ['tags/elsewhere', (p) => symlinkSync(outside, p), /its refs directory .*\/refs\/tags\/elsewhere is a link, which git would read refs through/],
  ];
  try {
    for (const [rel, plant, want] of cases) {
      const p = path.join(refs, ...rel.split('/'));
      mkdirSync(path.dirname(p), { recursive: true });
      plant(p);
      let state: string;
      try {
        const { launcher, started } = counting();
        const g = await findGitBaseline(file, { launcher, timeoutMs: 1000 });
        // As the editor's watch takes it once git was refused there.
        state = headState(root);
        assert.match(g.ok ? '' : g.reason, want, rel);
        assert.match(g.ok ? '' : g.reason, /^git is not run in /, rel);
        assert.equal(started(), 0, `${rel}: git was started`);
      } finally {
        rmSync(p);
      }
      // Repaired (in any refs folder, not only the tags' that are watched anyway): the watch sees it.
      assert.notEqual(headState(root), state, `${rel}: the repair is not seen`);
      const g = await findGitBaseline(file, { timeoutMs: 3000 });
      assert.equal(g.ok, true, `${rel}: ${g.ok ? '' : g.reason}`);
    }
    // What git skips there (a lock file, a hidden name) does not keep it from running.
    for (const name of ['v0.38.0.lock', '.hidden']) fifo(path.join(refs, 'tags', name));
    try {
      const g = await findGitBaseline(file, { timeoutMs: 3000 });
      assert.equal(g.ok, true, g.ok ? '' : g.reason);
    } finally {
      for (const name of ['v0.38.0.lock', '.hidden']) rmSync(path.join(refs, 'tags', name));
    }
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

test('a clone with more loose refs than are checked is refused, saying how to pack them; packed, git runs', { ...NEEDS_CORPUS, ...POSIX }, async () => {
  const many = path.join(root, '.git', 'refs', 'tags', 'many');
  mkdirSync(many);
  const commit = execFileSync('git', ['-C', root, 'rev-parse', 'v0.35.0^{commit}'], { encoding: 'utf8' });
  for (let k = 0; k <= 20_000; k++) writeFileSync(path.join(many, `t${k}`), commit);
  try {
    const { launcher, started } = counting();
    const g = await findGitBaseline(file, { launcher, timeoutMs: 1000 });
    assert.match(g.ok ? '' : g.reason, /^git is not run in .*: it has more than 20000 loose refs, more than are checked for files git would wait on \(its refs folders were not listed past the first 20000 entries, nor the rest checked\); `git pack-refs --all` there packs them$/);
    assert.equal(started(), 0);
    execFileSync('git', ['-C', root, 'pack-refs', '--all']);
    assert.equal((await findGitBaseline(file, { timeoutMs: 3000 })).ok, true);
  } finally {
    rmSync(many, { recursive: true, force: true });
    // Packed, they are in packed-refs: deleted from there too.
    const packed = execFileSync('git', ['-C', root, 'for-each-ref', '--format=delete %(refname)', 'refs/tags/many/'], { encoding: 'utf8' });
    execFileSync('git', ['-C', root, 'update-ref', '--stdin'], { input: packed });
  }
});

test('a git that times out for a reason not seen beforehand: the bundled baseline says which command timed out, where, when git runs again and what to check, not a guessed FIFO', { ...NEEDS_CORPUS, ...POSIX }, async () => {
  // A git that never answers (a slow network file system, say): the guard finds nothing wrong in the clone.
  const gitPath = path.join(emptyModCache, 'slow-git');
  writeFileSync(gitPath, '#!/bin/sh\nexec sleep 30\n');
  chmodSync(gitPath, 0o755);
  const res = await resolveBaseline({ filePath: file, trusted: true, bundled: loadBundledHistory(), env: { GOMODCACHE: emptyModCache }, git: { gitPath, timeoutMs: 300 } });
  assert.equal(res.baseline?.source, 'bundled');
  const origin = res.baseline?.origin ?? '';
  assert.match(origin, /^the bundled release index \(.*; git could not place the file: git rev-parse --show-toplevel in .*cri-compat-includes-.* did not finish within 0\.3 s and was stopped; git is run there again when the baseline is next looked for \(.*\)\. Check that `git status` answers there first\)$/);
  assert.doesNotMatch(origin, /FIFO/);
});
