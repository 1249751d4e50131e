// Baseline resolution: safe git, git tags, Go module cache and vendor, the module proxy, and the order in
// which resolveBaseline tries them. Everything runs against real git repositories, real files and a real
// HTTP server built in temporary directories from the cri-api corpus (shared/cri-api).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Corpus, CORPUS_HELP, findCorpusDir, V1_PATH, findRepoRoot } from '../server/src/baseline/corpus';
import { CatFileBatch, GitError, gitArgv, nodeLauncher, runGit, type ProcessLauncher } from '../server/src/baseline/safeExec';
import { detectRepo, findGitBaseline, KUBERNETES_V1_PATH, readGitRevision, releaseLineOf } from '../server/src/baseline/gitSource';
import { compareTags, releaseOfGoTag } from '../server/src/policy/versions';
import { findGoSumHashes, findInModuleCache, findInVendor, moduleCacheRoot, parseGoSum } from '../server/src/baseline/goModSource';
import { expectedH1, zip } from './moduleZipFixture';
import { checkModuleZipNames, crc32, fetchFromProxy, hash1, proxyFromEnv, readModuleZip, readZipDirectory, type ProxyOptions } from '../server/src/baseline/proxySource';
import { resolveBaseline, type BundledIndex } from '../server/src/baseline/resolve';
import { loadBundledHistory, sameModel } from '../server/src/baseline/historyIndex';
import { BaselineManager } from '../server/src/lsp/baselines';
import { testHost } from './baselineHost';
import { resolveCliBaseline } from '../server/src/cli/baseline';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import type { ApiModel } from '../server/src/proto/model';
import type { Baseline } from '../server/src/baseline/types';
import { analyze } from '../server/src/service';
import { renderReport } from '../server/src/report/markdown';


const corpusDir = findCorpusDir(findRepoRoot(__dirname));
const skip = corpusDir ? false : CORPUS_HELP;
const corpus = corpusDir ? new Corpus(corpusDir) : undefined;

const TMP = mkdtempSync(join(tmpdir(), 'cri-compat-baseline-test-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

/** Directories like the HOME safeExec makes for git on Windows; the first list is taken before any git runs here. */
const gitHomes = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith('cri-compat-git-home-'));
const GIT_HOMES_BEFORE = gitHomes();

function text(tag: string): string {
  const t = corpus!.textOf(tag);
  if (t === undefined) throw new Error(`corpus has no ${tag}`);
  return t;
}

/** Messages, fields and docs: enough to tell corpus revisions apart. */
function shape(model: ApiModel): string {
  return model.messages.map((m) => `${m.fqn}|${m.doc ?? ''}|${m.fields.map((f) => `${f.name}=${f.number}:${f.doc ?? ''}`).join(',')}`).join('\n');
}

const shapes = new Map<string, string>();
function shapeOf(tag: string): string {
  let s = shapes.get(tag);
  if (s === undefined) shapes.set(tag, (s = shape(bind(parse(text(tag)), tag).model)));
  return s;
}

function assertModelIs(model: ApiModel | undefined, tag: string): void {
  assert.ok(model, `expected the model of ${tag}`);
  assert.ok(shape(model) === shapeOf(tag), `model is not that of ${tag}`);
}

// ---- Test git, isolated from the machine's git configuration. ----

const GIT_ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: join(TMP, 'home'),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  LC_ALL: 'C',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], {
    cwd,
    env: GIT_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function hasZipTool(): boolean {
  try {
    execFileSync('zip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function write(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** Commits the corpus file of `corpusTag` at `path` and tags the commit with `tags`. */
function commitRelease(repo: string, path: string, corpusTag: string, ...tags: string[]): void {
  write(join(repo, path), text(corpusTag));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '--allow-empty', '-m', `${corpusTag} ${tags.join(' ')}`);
  for (const t of tags) git(repo, 'tag', t);
}

function commitWip(repo: string, path: string, baseTag: string): void {
  write(join(repo, path), `${text(baseTag)}\n// work in progress\n`);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'wip');
}

function initRepo(name: string): string {
  const dir = join(TMP, name);
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q');
  return dir;
}

/** Process launcher and fetch that count calls and refuse to work. */
function forbidden() {
  const calls = { spawn: 0, fetch: 0 };
  const launcher: ProcessLauncher = {
    execFile: ((..._args: unknown[]) => {
      calls.spawn++;
      throw new Error('execFile must not be called');
    }) as unknown as ProcessLauncher['execFile'],
    spawn: ((..._args: unknown[]) => {
      calls.spawn++;
      throw new Error('spawn must not be called');
    }) as unknown as ProcessLauncher['spawn'],
  };
  const fetchFn = (async () => {
    calls.fetch++;
    throw new Error('fetch must not be called');
  }) as unknown as typeof fetch;
  return { calls, launcher, fetch: fetchFn };
}

/** A launcher that works and counts. */
function counting() {
  const calls = { spawn: 0 };
  const launcher: ProcessLauncher = {
    execFile: ((...args: Parameters<typeof nodeLauncher.execFile>) => {
      calls.spawn++;
      return (nodeLauncher.execFile as (...a: unknown[]) => unknown)(...args);
    }) as unknown as ProcessLauncher['execFile'],
    spawn: ((...args: Parameters<typeof nodeLauncher.spawn>) => {
      calls.spawn++;
      return (nodeLauncher.spawn as (...a: unknown[]) => unknown)(...args);
    }) as unknown as ProcessLauncher['spawn'],
  };
  return { calls, launcher };
}

function fakeBundled(upTo: string): BundledIndex {
  const rows = corpus!.goTags().filter((r) => compareTags(r.tag, upTo) <= 0);
  const models = new Map<string, ApiModel>();
  return {
    releases: rows.map((r) => ({ ...releaseOfGoTag(r.tag)!, date: r.date })),
    modelAt(tag: string) {
      const row = rows.find((r) => r.tag === tag);
      if (!row) return undefined;
      let m = models.get(tag);
      if (!m) models.set(tag, (m = bind(parse(corpus!.text(row.blob)), `bundled:${tag}`).model));
      return m;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Fixtures built once.

let criApi: string; // kubernetes/cri-api layout
let k8s: string; // kubernetes/kubernetes layout
let emptyModCache: string;

function buildCriApi(): void {
  criApi = initRepo('cri-api');
  commitRelease(criApi, V1_PATH, 'v0.33.0', 'v0.33.0', 'kubernetes-1.33.0');
  commitRelease(criApi, V1_PATH, 'v0.34.0-rc.0', 'v0.34.0-rc.0');
  commitRelease(criApi, V1_PATH, 'v0.34.0', 'v0.34.0');
  commitRelease(criApi, V1_PATH, 'v0.34.9', 'v0.34.9');
  commitWip(criApi, V1_PATH, 'v0.34.9');
  // A newer release on a branch that is not in main's history.
  git(criApi, 'checkout', '-q', '-b', 'side', 'v0.34.0');
  commitRelease(criApi, V1_PATH, 'v0.35.0', 'v0.35.0');
  // The 1.36 development line on top of main.
  git(criApi, 'checkout', '-q', '-b', 'dev', 'main');
  commitRelease(criApi, V1_PATH, 'v0.36.0-alpha.1', 'v0.36.0-alpha.1');
  commitWip(criApi, V1_PATH, 'v0.36.0-alpha.1');
  git(criApi, 'checkout', '-q', 'main');
}

function buildKubernetes(): void {
  k8s = initRepo('kubernetes');
  write(join(k8s, 'go.mod'), 'module k8s.io/kubernetes\n');
  commitRelease(k8s, KUBERNETES_V1_PATH, 'v0.34.9', 'v1.35.0-alpha.0');
  git(k8s, 'checkout', '-q', '-b', 'release-1.35');
  commitRelease(k8s, KUBERNETES_V1_PATH, 'v0.35.0-rc.0', 'v1.35.0-rc.0');
  commitRelease(k8s, KUBERNETES_V1_PATH, 'v0.35.0', 'v1.35.0');
  commitRelease(k8s, KUBERNETES_V1_PATH, 'v0.35.1', 'v1.35.1');
  commitRelease(k8s, KUBERNETES_V1_PATH, 'v0.35.6', 'v1.35.6');
  commitWip(k8s, KUBERNETES_V1_PATH, 'v0.35.6');
  git(k8s, 'checkout', '-q', 'main');
  commitRelease(k8s, KUBERNETES_V1_PATH, 'v0.36.0-alpha.1', 'v1.36.0-alpha.0');
  commitWip(k8s, KUBERNETES_V1_PATH, 'v0.36.0-alpha.1');
}

/** A directory outside any clone, module or vendor/ tree, for a file that only the bundled index can place. */
function plainCopy(): string {
  const dir = join(TMP, 'plain-copy');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A worktree of `repo` at `rev` (a detached HEAD unless `rev` is a branch); returns its api.proto path. */
function worktree(repo: string, name: string, path: string, rev: string, detach = false): string {
  const dir = join(TMP, name);
  git(repo, 'worktree', 'add', '-q', ...(detach ? ['--detach'] : []), dir, rev);
  return join(dir, path);
}

describe('baseline', { skip }, () => {
  before(() => {
    mkdirSync(GIT_ENV.HOME, { recursive: true });
    buildCriApi();
    buildKubernetes();
    emptyModCache = join(TMP, 'empty-modcache');
    mkdirSync(emptyModCache);
  });

  // -------------------------------------------------------------------------------------------------------
  describe('safeExec', () => {
    test('git argv: hardening config before the subcommand, textconv/ext-diff off where they apply', () => {
      const argv = gitArgv('/r', ['show', 'HEAD:x']);
      assert.deepEqual(argv.slice(0, 3), ['--no-pager', '-C', '/r']);
      for (const c of ['core.fsmonitor=false', 'core.hooksPath=/dev/null', 'core.pager=cat', 'diff.external=', 'protocol.allow=never']) {
        const i = argv.indexOf(c);
        assert.ok(i > 0 && argv[i - 1] === '-c', c);
      }
      const sub = argv.indexOf('show');
      assert.ok(argv.lastIndexOf('-c') < sub);
      assert.deepEqual(argv.slice(sub, sub + 3), ['show', '--no-textconv', '--no-ext-diff']);
      assert.deepEqual(argv.slice(-1), ['HEAD:x']);
    });

    test('runGit answers, reports exit codes, caps output and reports a missing git', async () => {
      const ok = await runGit(criApi, ['rev-parse', '--is-inside-work-tree']);
      assert.equal(ok.code, 0);
      assert.equal(ok.stdout.toString().trim(), 'true');
      const detached = await runGit(criApi, ['symbolic-ref', '--quiet', 'NOPE']);
      assert.notEqual(detached.code, 0);
      await assert.rejects(runGit(criApi, ['cat-file', 'blob', `v0.34.0:${V1_PATH}`], { maxOutputBytes: 1000 }), (e: GitError) => e.kind === 'overflow');
      await assert.rejects(runGit(criApi, ['status'], { gitPath: join(TMP, 'no', 'git') }), (e: GitError) => e.kind === 'not-installed' && /not installed/.test(e.message));
      // On POSIX git's HOME is /dev/null: no directory is made for it (none to leak when the process is
      // killed), and git, looking for config and attributes below it, warns about nothing.
      assert.equal((await runGit(criApi, ['log', '-1', '-p', '--format=%H'])).stderr, '');
      assert.equal(ok.stderr, '');
      if (process.platform !== 'win32') assert.deepEqual(gitHomes().filter((n) => !GIT_HOMES_BEFORE.includes(n)), []);
    });

    // A git that would run for ten minutes: if it were not killed at its 200 ms, the test's timeout (a hang guard,
    // not a timing) would end it.
    test('runGit kills a git that does not finish in time', { timeout: 60_000 }, async () => {
      const slow = join(TMP, 'slow-git');
      write(slow, '#!/bin/sh\nexec sleep 600\n');
      chmodSync(slow, 0o755);
      await assert.rejects(runGit(criApi, ['status'], { gitPath: slow, timeoutMs: 200 }), (e: GitError) => e.kind === 'timeout');
      const batch = new CatFileBatch(criApi, { gitPath: slow, timeoutMs: 200 });
      await assert.rejects(batch.read('HEAD'), (e: GitError) => e.kind === 'timeout');
      batch.close();
    });

    test('CatFileBatch reads many objects with one process, in order, with misses and caps', async () => {
      const { calls, launcher } = counting();
      const batch = new CatFileBatch(criApi, { launcher, maxOutputBytes: 200_000 });
      try {
        const tags = ['v0.33.0', 'v0.34.0', 'v0.34.9', 'v0.35.0'];
        const objs = await Promise.all(tags.map((t) => batch.read(`refs/tags/${t}:${V1_PATH}`)));
        objs.forEach((o, i) => assert.equal(o?.content.toString('utf8'), text(tags[i]!)));
        assert.equal(objs[0]?.type, 'blob');
        assert.equal(await batch.read('refs/tags/v0.33.0:no/such/file'), undefined);
        await assert.rejects(batch.read('HEAD\n--help'), /invalid object name/);
        const small = new CatFileBatch(criApi, { maxOutputBytes: 1000 });
        await assert.rejects(small.read(`v0.34.0:${V1_PATH}`), (e: GitError) => e.kind === 'overflow');
        assert.equal((await small.read('v0.34.0^{commit}'))?.type, 'commit', 'the stream stays in sync after a skipped object');
        small.close();
        assert.equal(calls.spawn, 1);
      } finally {
        batch.close();
      }
    });

    test('a repository whose config and attributes name programs never gets them run', async () => {
      const repo = initRepo('evil');
      const markers = join(TMP, 'evil-markers');
      const bin = join(TMP, 'evil-bin');
      mkdirSync(markers);
      const tool = (name: string, passthrough = false) => {
        const p = join(bin, name);
        write(p, `#!/bin/sh\ntouch '${markers}/${name}'\n${passthrough ? 'cat "$1"\n' : ''}exit 0\n`);
        chmodSync(p, 0o755);
        return p;
      };
      commitRelease(repo, V1_PATH, 'v0.35.0', 'v0.35.0');
      write(join(repo, '.gitattributes'), '*.proto diff=evil\n');
      write(join(repo, '.git', 'info', 'attributes'), '* diff=evil\n');
      commitRelease(repo, V1_PATH, 'v0.36.0', 'v0.36.0');
      const hooks = join(TMP, 'evil-hooks');
      for (const h of ['reference-transaction', 'post-checkout', 'pre-auto-gc', 'post-index-change']) {
        const p = tool(`hook-${h}`);
        write(join(hooks, h), readFileSync(p));
        chmodSync(join(hooks, h), 0o755);
        write(join(repo, '.git', 'hooks', h), readFileSync(p));
        chmodSync(join(repo, '.git', 'hooks', h), 0o755);
      }
      const cfg = [
        ['core.fsmonitor', tool('fsmonitor')],
        ['core.pager', tool('pager')],
        ['core.hooksPath', hooks],
        ['core.sshCommand', tool('ssh')],
        ['diff.external', tool('external-diff')],
        ['diff.evil.textconv', tool('textconv', true)],
        ['log.showSignature', 'true'],
        ['gpg.program', tool('gpg')],
        ['pager.log', tool('pager-log')],
      ];
      for (const [k, v] of cfg) git(repo, 'config', k!, v!);
      write(join(repo, V1_PATH), `${text('v0.36.0')}\n// dirty\n`); // a changed work tree invites fsmonitor and diff
      const file = join(repo, V1_PATH);

      // Everything this module does, plus commands that would run each program under plain git.
      const found = await findGitBaseline(file);
      assert.ok(found.ok && found.baseline.goTag === 'v0.36.0');
      const rev = await readGitRevision(file, 'HEAD~1');
      assert.ok(rev.ok && rev.text === text('v0.35.0'));
      const resolved = await resolveBaseline({ filePath: file, trusted: true, env: { GOMODCACHE: emptyModCache } });
      assert.equal(resolved.baseline?.source, 'git');
      for (const args of [['status'], ['diff'], ['log', '-p', '-1'], ['show', 'HEAD'], ['show', `HEAD:${V1_PATH}`], ['tag', 'made-by-test'], ['checkout', '-q', '-b', 'other']]) {
        await runGit(repo, args);
      }
      assert.deepEqual(readdirSync(markers), [], 'no program named by the repository ran');

      // Controls: plain git in the same repository does run them, so the traps are live.
      const plain = (...args: string[]) => {
        try {
          execFileSync('git', args, { cwd: repo, env: GIT_ENV, stdio: 'ignore' });
        } catch {
          /* some of these fail after running the program; that is fine */
        }
      };
      plain('status');
      plain('diff');
      plain('-c', 'diff.external=', 'log', '-p', '-1');
      plain('tag', 'control');
      const ran = readdirSync(markers).sort();
      for (const m of ['fsmonitor', 'external-diff', 'textconv', 'hook-reference-transaction']) assert.ok(ran.includes(m), `control: ${m} runs under plain git (${ran.join(', ')})`);
    });
  });

  // -------------------------------------------------------------------------------------------------------
  describe('gitSource', () => {
    test('cri-api clone: newest released tag that is an ancestor of HEAD', async () => {
      const file = join(criApi, V1_PATH);
      assert.deepEqual(detectRepo(file), { root: criApi, layout: 'cri-api', path: V1_PATH });
      const r = await findGitBaseline(file);
      assert.ok(r.ok, !r.ok ? r.reason : '');
      assert.equal(r.baseline.gitTag, 'v0.34.9'); // not v0.35.0 (another branch), not the rc
      assert.equal(r.baseline.text, text('v0.34.9'));
      assert.equal(r.branch, 'main');
      assert.match(r.origin, /v0\.34\.9 \(ancestor of HEAD\).*kubernetes\/cri-api clone on main/);
      // HEAD descends from a final 1.34 release, so it is on that release line: patches are held to the policy.
      assert.equal(r.releaseLine, 34);
    });

    test('development line: past v0.N.0-alpha, the newest release below N from any branch; pre-releases when allowed', async () => {
      const file = worktree(criApi, 'wt-dev', V1_PATH, 'dev');
      const r = await findGitBaseline(file);
      assert.ok(r.ok, !r.ok ? r.reason : '');
      assert.equal(r.baseline.goTag, 'v0.35.0');
      assert.match(r.origin, /before the 1\.36 development line/);
      const pre = await findGitBaseline(file, { includePrereleases: true });
      assert.ok(pre.ok);
      assert.equal(pre.baseline.goTag, 'v0.36.0-alpha.1');
      assert.equal(pre.baseline.text, text('v0.36.0-alpha.1'));
    });

    test('HEAD at a pre-release tag, the file edited: the newest release before its line, and HEAD is said to be at the tag', async () => {
      const file = worktree(criApi, 'wt-at-alpha', V1_PATH, 'v0.36.0-alpha.1', true);
      const r = await findGitBaseline(file, { text: `${text('v0.36.0-alpha.1')}\n// an unsaved edit\n` });
      assert.ok(r.ok, !r.ok ? r.reason : '');
      assert.equal(r.baseline.goTag, 'v0.35.0');
      assert.match(r.origin, /before the 1\.36 development line that HEAD is on \(at v0\.36\.0-alpha\.1; the file has been edited since, pre-releases not included\)/);
    });

    test('detached HEAD at an older tag: the file is that release, compared with the one before', async () => {
      const file = worktree(criApi, 'wt-detached', V1_PATH, 'v0.34.0', true);
      const r = await findGitBaseline(file);
      assert.ok(r.ok, !r.ok ? r.reason : '');
      assert.equal(r.baseline.gitTag, 'v0.33.0');
      assert.match(r.origin, /the release before v0\.34\.0, which HEAD is at/);
      assert.equal(r.branch, undefined);
      assert.match(r.origin, /detached HEAD/);
    });

    test('kubernetes clone on release-1.N: v1.N.M ↔ v0.N.M, on the release line', async () => {
      const file = worktree(k8s, 'wt-release', KUBERNETES_V1_PATH, 'release-1.35');
      assert.equal(detectRepo(file)?.layout, 'kubernetes');
      const r = await findGitBaseline(file);
      assert.ok(r.ok, !r.ok ? r.reason : '');
      assert.equal(r.baseline.gitTag, 'v1.35.6');
      assert.equal(r.baseline.goTag, 'v0.35.6');
      assert.equal(r.baseline.text, text('v0.35.6'));
      assert.equal(r.branch, 'release-1.35');
      assert.equal(r.releaseLine, 35);
      assert.match(r.origin, /kubernetes\/kubernetes clone on release-1\.35/);
    });

    test('kubernetes master: the last release lives on a release branch', async () => {
      const r = await findGitBaseline(join(k8s, KUBERNETES_V1_PATH));
      assert.ok(r.ok, !r.ok ? r.reason : '');
      assert.equal(r.baseline.goTag, 'v0.35.6');
      assert.equal(r.releaseLine, undefined);
    });

    test('shallow clone without tags falls through with a reason', async () => {
      const dir = join(TMP, 'shallow');
      git(TMP, 'clone', '-q', '--depth', '1', '--no-tags', `file://${criApi}`, dir);
      const r = await findGitBaseline(join(dir, V1_PATH));
      assert.ok(!r.ok);
      assert.match(r.reason, /shallow clone without release tags.*git fetch --tags --unshallow/);
    });

    test('no clone, wrong place, no git: a reason, and no process for a path that cannot match', async () => {
      const { calls, launcher } = forbidden();
      const loose = join(TMP, 'loose', 'api.proto');
      write(loose, text('v0.34.0'));
      const a = await findGitBaseline(loose, { launcher });
      assert.ok(!a.ok && /not pkg\/apis\/runtime\/v1\/api\.proto/.test(a.reason));
      const b = await findGitBaseline(join(TMP, 'nowhere', V1_PATH), { launcher });
      assert.ok(!b.ok);
      assert.equal(calls.spawn, 0);
      const c = await findGitBaseline(join(criApi, V1_PATH), { gitPath: join(TMP, 'no', 'git') });
      assert.ok(!c.ok && /git is not installed/.test(c.reason));
      const bare = initRepo('no-commits');
      write(join(bare, V1_PATH), text('v0.34.0'));
      const d = await findGitBaseline(join(bare, V1_PATH));
      assert.ok(!d.ok && /no commit/.test(d.reason));
      const untagged = initRepo('untagged');
      commitWip(untagged, V1_PATH, 'v0.34.0');
      const e = await findGitBaseline(join(untagged, V1_PATH));
      assert.ok(!e.ok && /no v0\.N\.M release tags.*git fetch --tags/.test(e.reason), !e.ok ? e.reason : '');
    });

    test('readGitRevision: refs, tags mapped to the layout, bad names', async () => {
      const a = await readGitRevision(join(criApi, V1_PATH), 'main~1');
      assert.ok(a.ok && a.text === text('v0.34.9') && a.goTag === undefined);
      const b = await readGitRevision(join(k8s, KUBERNETES_V1_PATH), 'v0.35.1');
      assert.ok(b.ok && b.gitTag === 'v1.35.1' && b.goTag === 'v0.35.1' && b.text === text('v0.35.1'));
      for (const bad of ['--output=/tmp/x', 'no-such-ref', 'a\nb']) {
        const r = await readGitRevision(join(criApi, V1_PATH), bad);
        assert.ok(!r.ok, bad);
      }
    });
  });

  // -------------------------------------------------------------------------------------------------------
  // Which release a clone's HEAD stands on, in the layout Kubernetes releases really have: the next minor's
  // `alpha.0` tag on the branch point (an ancestor of both master and the release branch), patch tags fetched
  // past a local branch, several tags on one commit, detached and shallow CI checkouts.
  describe('release lines', () => {
    let lines: string; // kubernetes/kubernetes layout
    const P = KUBERNETES_V1_PATH;
    /** A detached worktree at `rev`, with a work-in-progress commit on top of the corpus file `wipOf`. */
    const at = (rev: string, name: string, wipOf?: string): string => {
      const file = worktree(lines, name, P, rev, true);
      if (wipOf) commitWip(join(TMP, name), P, wipOf);
      return file;
    };
    before(() => {
      lines = initRepo('lines');
      commitRelease(lines, P, 'v0.35.0-beta.0', 'v1.35.0-beta.0');
      commitRelease(lines, P, 'v0.35.0-beta.0', 'v1.36.0-alpha.0');
      git(lines, 'checkout', '-q', '-b', 'release-1.35');
      for (const t of ['v0.35.0-rc.0', 'v0.35.0', 'v0.35.1', 'v0.35.2']) commitRelease(lines, P, t, `v1.${t.slice(3)}`);
      git(lines, 'branch', 'behind');
      commitRelease(lines, P, 'v0.35.6', 'v1.35.6');
      git(lines, 'checkout', '-q', 'main');
      commitRelease(lines, P, 'v0.36.0-beta.0', 'v1.36.0-beta.0');
      commitRelease(lines, P, 'v0.36.0-beta.0', 'v1.37.0-alpha.0');
      git(lines, 'checkout', '-q', '-b', 'release-1.36');
      for (const t of ['v0.36.0-rc.0', 'v0.36.0', 'v0.36.2', 'v0.36.3']) commitRelease(lines, P, t, `v1.${t.slice(3)}`);
      commitWip(lines, P, 'v0.36.3');
      git(lines, 'checkout', '-q', 'main');
      commitRelease(lines, P, 'v0.37.0-beta.0', 'v1.37.0-beta.0');
      commitWip(lines, P, 'v0.37.0-beta.0');
    });

    test('a release branch behind patch tags fetched since: its own release, not a later patch nor the next alpha.0', async () => {
      const file = at('behind', 'lines-behind', 'v0.35.2');
      for (const includePrereleases of [false, true]) {
        const r = await findGitBaseline(file, { includePrereleases });
        assert.ok(r.ok, !r.ok ? r.reason : '');
        assert.equal(r.baseline.gitTag, 'v1.35.2', `includePrereleases: ${includePrereleases}`);
        assert.equal(r.baseline.text, text('v0.35.2'));
        assert.match(r.origin, /v1\.35\.2 \(ancestor of HEAD\)/);
      }
    });

    /** A kubernetes clone at the next patch's `-rc.0` tag, which Kubernetes tags right after a patch (v1.36.3). */
    const patchThenRc0 = (name: string): string => {
      const repo = initRepo(name);
      commitRelease(repo, P, 'v0.36.0', 'v1.36.0');
      commitRelease(repo, P, 'v0.36.3', 'v1.36.3');
      git(repo, 'commit', '-q', '--allow-empty', '-m', 'changelog');
      git(repo, 'tag', 'v1.36.4-rc.0');
      return repo;
    };

    test('past a patch and the next patch\'s -rc.0 tag (Kubernetes tags it right after the release): still on the release line', async () => {
      const repo = patchThenRc0('lines-rc0');
      commitWip(repo, P, 'v0.36.3');
      for (const includePrereleases of [false, true]) {
        const r = await findGitBaseline(join(repo, P), { includePrereleases });
        assert.ok(r.ok, !r.ok ? r.reason : '');
        assert.equal(r.baseline.gitTag, includePrereleases ? 'v1.36.4-rc.0' : 'v1.36.3');
        assert.equal(r.releaseLine, 36, `includePrereleases: ${includePrereleases}`);
      }
    });

    test('HEAD at a patch pre-release tag, the file edited: said to be at that tag, not below HEAD', async () => {
      const repo = patchThenRc0('lines-at-rc0');
      const r = await findGitBaseline(join(repo, P), { text: `${text('v0.36.3')}\n// an unsaved edit\n` });
      assert.ok(r.ok && r.baseline.gitTag === 'v1.36.3', r.ok ? r.baseline.gitTag : r.reason);
      assert.match(r.origin, /newest release up to v1\.36\.4-rc\.0, the tag HEAD is at; the file has been edited since, pre-releases not included/);
    });

    test('HEAD exactly at a release tag, file unchanged: the release before it, never the file itself', async () => {
      const r = await findGitBaseline(at('v1.35.1', 'lines-at-patch'));
      assert.ok(r.ok, !r.ok ? r.reason : '');
      assert.equal(r.baseline.gitTag, 'v1.35.0');
      assert.match(r.origin, /\(the release before v1\.35\.1, which HEAD is at\).*detached HEAD/);
      // Edited in the work tree, the file is no longer the release: the tag is what the edits change.
      write(join(TMP, 'lines-at-patch', P), `${text('v0.35.1')}\n// edited\n`);
      const edited = await findGitBaseline(join(TMP, 'lines-at-patch', P));
      assert.ok(edited.ok && edited.baseline.gitTag === 'v1.35.1', edited.ok ? edited.baseline.gitTag : edited.reason);
      assert.match(edited.origin, /\(the tag HEAD is at; the file has been edited since\)/);
      const rc = at('v1.36.0-rc.0', 'lines-at-rc');
      const a = await findGitBaseline(rc);
      assert.ok(a.ok && a.baseline.gitTag === 'v1.35.6', a.ok ? a.baseline.gitTag : a.reason);
      const b = await findGitBaseline(rc, { includePrereleases: true });
      assert.ok(b.ok && b.baseline.gitTag === 'v1.36.0-beta.0', b.ok ? b.baseline.gitTag : b.reason);
    });

    test('HEAD exactly at a release tag: the text checked decides, unsaved edits included, not the file on disk', async () => {
      const file = at('v1.35.1', 'lines-at-patch-unsaved');
      const edited = `${text('v0.35.1')}\n// an unsaved edit\n`;
      // On disk the file is the release; the editor's text is not: the edits change v1.35.1.
      const r = await findGitBaseline(file, { text: edited });
      assert.ok(r.ok && r.baseline.gitTag === 'v1.35.1', r.ok ? r.baseline.gitTag : r.reason);
      assert.match(r.origin, /\(the tag HEAD is at; the file has been edited since\)/);
      assert.deepEqual(r.atTag && { gitTag: r.atTag.gitTag, goTag: r.atTag.goTag, same: r.atTag.same }, { gitTag: 'v1.35.1', goTag: 'v0.35.1', same: false });
      // CRLF line endings (a Windows checkout, its editor) are still that release's file.
      const crlf = await findGitBaseline(file, { text: text('v0.35.1').replace(/\n/g, '\r\n') });
      assert.ok(crlf.ok && crlf.baseline.gitTag === 'v1.35.0', crlf.ok ? crlf.baseline.gitTag : crlf.reason);
      // resolveBaseline passes the text on, and says how another text would fare without running git again.
      const bundled = loadBundledHistory();
      const res = await resolveBaseline({ filePath: file, text: edited, trusted: true, bundled, env: { GOMODCACHE: emptyModCache } });
      assert.equal(res.baseline?.tag, 'v0.35.1');
      assert.equal(res.textCheck?.release, 'v0.35.1');
      assert.equal(res.textCheck?.same, false);
      assert.equal(res.textCheck?.is(text('v0.35.1')), true);
      assert.equal(res.textCheck?.is(edited), false);
      // The CLI checks the text it read (stdin too), not what is on disk.
      const cli = await resolveCliBaseline({ against: 'auto', file, cwd: TMP, text: edited, includePrereleases: false, network: false, onProgress: () => {} });
      assert.equal(cli.baseline?.tag, 'v0.35.1');
      const cliSame = await resolveCliBaseline({ against: 'auto', file, cwd: TMP, text: text('v0.35.1'), includePrereleases: false, network: false, onProgress: () => {} });
      assert.equal(cliSame.baseline?.tag, 'v0.35.0');
      // A shallow clone at the tag: its file is that release, for which the clone has no tag before it (the index
      // has); edited, it is the tag, which the clone has.
      const atTag = join(TMP, 'lines-shallow-tag-unsaved');
      git(TMP, 'clone', '-q', '--depth', '1', '--branch', 'v1.35.2', `file://${lines}`, atTag);
      const sh = await resolveBaseline({ filePath: join(atTag, P), trusted: true, bundled, env: { GOMODCACHE: emptyModCache } });
      assert.equal(sh.baseline?.tag, 'v0.35.1');
      assert.equal(sh.textCheck?.same, true);
      const shEdited = await resolveBaseline({ filePath: join(atTag, P), text: `${text('v0.35.2')}\n// edited\n`, trusted: true, bundled, env: { GOMODCACHE: emptyModCache } });
      assert.equal(shEdited.baseline?.source, 'git');
      assert.equal(shEdited.baseline?.tag, 'v0.35.2');
      assert.equal(shEdited.textCheck?.same, false);
    });

    test('the language server: an unsaved edit of the tagged file switches the baseline, with one resolution per side', async () => {
      const file = at('v1.35.1', 'lines-at-patch-lsp');
      const edited = `${text('v0.35.1')}\n// typed in the editor\n`;
      let resolutions = 0;
      const waiting: ((key: string) => void)[] = [];
      const nextResolved = () => new Promise<string>((r) => waiting.push(r));
      const bundled = loadBundledHistory();
      const host = testHost({
        trusted: true,
        bundled,
        resolved: (key) => waiting.shift()?.(key),
        resolve: (options) => {
          resolutions++;
          return resolveBaseline({ ...options, env: { GOMODCACHE: emptyModCache } });
        },
      });
      const manager = new BaselineManager(host);
      const req = (t: string) => ({ folderKey: 'folder', filePath: file, explicit: '', includePrereleases: false, networkEnabled: false, text: t });
      let done = nextResolved();
      assert.equal(manager.get(req(text('v0.35.1'))).resolving, true);
      await done;
      const same = manager.get(req(text('v0.35.1')));
      assert.equal(same.baseline?.tag, 'v0.35.0');
      assert.equal(same.baseline?.release, 'v0.35.1', 'the unedited file is the release HEAD is at');
      // The edit crosses the line: resolved once more; meanwhile the last good baseline stands, but not as the
      // edited text's release: an edited file is no longer that release.
      done = nextResolved();
      const pending = manager.get(req(edited));
      assert.equal(pending.resolving, true);
      assert.equal(pending.baseline?.tag, 'v0.35.0');
      assert.equal(pending.baseline?.release, undefined);
      assert.equal(manager.get(req(edited)).baseline, pending.baseline, 'the same stand-in, so that analyses stay cached');
      assert.equal(await done, pending.key);
      const afterEdit = manager.get(req(edited));
      assert.equal(afterEdit.baseline?.tag, 'v0.35.1');
      assert.equal(afterEdit.baseline?.release, undefined);
      assert.equal(afterEdit.resolving, false);
      // More typing, and undoing the edit, need no resolution: both sides are known.
      assert.equal(manager.get(req(`${edited}// more\n`)).baseline?.tag, 'v0.35.1');
      const undone = manager.get(req(text('v0.35.1')));
      assert.equal(undone.baseline?.tag, 'v0.35.0');
      assert.equal(undone.baseline?.release, 'v0.35.1');
      assert.equal(undone.resolving, false);
      assert.equal(resolutions, 2);
    });

    test('master: the previous minor from its release branch, saying that pre-releases were passed over', async () => {
      const r = await findGitBaseline(join(lines, P));
      assert.ok(r.ok && r.baseline.gitTag === 'v1.36.3', r.ok ? r.baseline.gitTag : r.reason);
      assert.match(r.origin, /before the 1\.37 development line that HEAD is on \(past v1\.37\.0-beta\.0, pre-releases not included\)/);
      assert.equal(r.releaseLine, undefined);
    });

    test('a detached checkout of a release branch (as in CI) is on that release line', async () => {
      const r = await findGitBaseline(at('release-1.36', 'lines-ci'));
      assert.ok(r.ok, !r.ok ? r.reason : '');
      assert.equal(r.branch, undefined);
      assert.equal(r.baseline.gitTag, 'v1.36.3');
      assert.equal(r.releaseLine, 36);
    });

    test('cri-api: patch tags that changed nothing share a commit; HEAD there is compared with the line before', async () => {
      const repo = initRepo('cri-api-shared-commit');
      commitRelease(repo, V1_PATH, 'v0.32.0', 'v0.32.0', 'kubernetes-1.32.0');
      commitRelease(repo, V1_PATH, 'v0.33.0', 'v0.33.0-rc.0', 'v0.33.0', 'v0.33.1', 'v0.33.2', 'kubernetes-1.33.2');
      const r = await findGitBaseline(join(repo, V1_PATH));
      assert.ok(r.ok, !r.ok ? r.reason : '');
      assert.equal(r.baseline.gitTag, 'v0.32.0');
      assert.match(r.origin, /the release before v0\.33\.0-rc\.0 … v0\.33\.2 \(4 tags on one commit\), which HEAD is at/);
    });

    test('shallow CI clones: at a tag, the index gives the release before it; without tags, the origin says why not git', async () => {
      const bundled = loadBundledHistory();
      const atTag = join(TMP, 'lines-shallow-tag');
      git(TMP, 'clone', '-q', '--depth', '1', '--branch', 'v1.35.2', `file://${lines}`, atTag);
      const r = await resolveBaseline({ filePath: join(atTag, P), trusted: true, bundled, env: { GOMODCACHE: emptyModCache } });
      assert.equal(r.baseline?.source, 'bundled');
      assert.equal(r.baseline?.tag, 'v0.35.1');
      assert.match(r.baseline!.origin, /newest release before v0\.35\.2: HEAD of .* is at v1\.35\.2, so the file is that release/);
      const noTags = join(TMP, 'lines-shallow-none');
      git(TMP, 'clone', '-q', '--depth', '1', '--no-tags', '--branch', 'release-1.36', `file://${lines}`, noTags);
      const n = await resolveBaseline({ filePath: join(noTags, P), trusted: true, bundled, env: { GOMODCACHE: emptyModCache } });
      // The branch is release-1.36 and its file is v0.36.3's with a trailing comment, which the index does not
      // keep: it is that release, compared with the one before (see 'release branches' below).
      assert.equal(n.baseline?.tag, 'v0.36.2');
      assert.match(n.baseline!.origin, /the release before v0\.36\.3, the newest of the 1\.36 line, whose file this is: the checked-out branch is release-1\.36, and git could not place the file: .*shallow clone without release tags/);
      // On master (no release branch) the newest release, saying why git did not place the file.
      const master = join(TMP, 'lines-shallow-master');
      git(TMP, 'clone', '-q', '--depth', '1', '--no-tags', '--branch', 'main', `file://${lines}`, master);
      const m = await resolveBaseline({ filePath: join(master, P), trusted: true, bundled, env: { GOMODCACHE: emptyModCache } });
      assert.equal(m.baseline?.tag, 'v0.36.3');
      assert.match(m.baseline!.origin, /newest release; pre-releases not included: v0\.37\.0-beta\.0 is newer; git could not place the file: .*shallow clone without release tags/);
    });
  });

  // -------------------------------------------------------------------------------------------------------
  // A checkout that no tag places (a shallow CI clone without tags), on a release branch: the branch names the
  // release line, and the bundled index has its releases.
  describe('release branches that no tag places', () => {
    const P = KUBERNETES_V1_PATH;
    let src: string; // kubernetes/kubernetes layout
    let criSrc: string; // kubernetes/cri-api layout
    let bundled: BundledIndex;
    /** The release's file with a message added: an API change the index can see. */
    const added = (tag: string) => `${text(tag)}\nmessage CriCompatTestAddition {\n  // Added on the branch.\n  string x = 1;\n}\n`;
    const shallow = (repo: string, name: string, branch: string): string => {
      const dir = join(TMP, name);
      git(TMP, 'clone', '-q', '--depth', '1', '--no-tags', '--branch', branch, `file://${repo}`, dir);
      return dir;
    };
    const resolveAt = (file: string, extra: Partial<Parameters<typeof resolveBaseline>[0]> = {}) =>
      resolveBaseline({ filePath: file, trusted: true, bundled, ...extra, env: { GOMODCACHE: emptyModCache, ...extra.env } });
    before(() => {
      bundled = loadBundledHistory();
      src = initRepo('branches-k8s');
      commitRelease(src, P, 'v0.36.3', 'v1.36.3');
      for (const [branch, content] of [['release-1.33', text('v0.33.13')], ['release-1.37', added('v0.36.3')], ['release-1.99', added('v0.36.3')], ['feature', added('v0.33.13')]] as const) {
        git(src, 'checkout', '-q', '-b', branch, 'main');
        write(join(src, P), content);
        git(src, 'commit', '-q', '-am', branch);
      }
      git(src, 'checkout', '-q', 'main');
      criSrc = initRepo('branches-cri-api');
      commitRelease(criSrc, V1_PATH, 'v0.36.3', 'v0.36.3');
      git(criSrc, 'checkout', '-q', '-b', 'release-1.33');
      write(join(criSrc, V1_PATH), added('v0.33.5'));
      git(criSrc, 'commit', '-q', '-am', 'on release-1.33');
      git(criSrc, 'checkout', '-q', 'main');
    });

    test('the newest release of the branch\'s line; its file unchanged, the release before it, on the release line', async () => {
      const dir = shallow(src, 'branch-133', 'release-1.33');
      const file = join(dir, P);
      // The file is v0.33.13's: compared with the release before it, as a checkout at an unchanged tag is.
      const same = await resolveAt(file);
      assert.equal(same.baseline?.source, 'bundled');
      assert.equal(same.baseline?.tag, 'v0.33.12');
      assert.equal(same.baseline?.releaseLine, 33);
      assert.match(same.baseline!.origin, /the release before v0\.33\.13, the newest of the 1\.33 line, whose file this is: the checked-out branch is release-1\.33, and git could not place the file: .*shallow clone without release tags/);
      assert.ok(same.tried.some((t) => t.source === 'bundled' && /v0\.33\.12, as placed by the release branch/.test(t.outcome)));
      assert.equal(same.textCheck?.release, 'v0.33.13');
      assert.equal(same.textCheck?.same, true);
      assert.equal(same.baseline?.release, 'v0.33.13', 'the checks treat the file as that release');
      assert.equal(same.textCheck?.is(added('v0.33.13')), false);
      // Edited (unsaved, or committed): the newest release of the line, not the newest release (v0.36.3).
      const unsaved = await resolveAt(file, { text: added('v0.33.13') });
      assert.equal(unsaved.baseline?.tag, 'v0.33.13');
      assert.equal(unsaved.baseline?.releaseLine, 33);
      assert.match(unsaved.baseline!.origin, /newest release of the 1\.33 line: the checked-out branch is release-1\.33, and git could not place the file/);
      assert.equal(unsaved.textCheck?.same, false);
      assert.equal(unsaved.baseline?.release, undefined);
      write(file, added('v0.33.13'));
      git(dir, 'commit', '-q', '-am', 'a change on the branch');
      assert.equal((await resolveAt(file)).baseline?.tag, 'v0.33.13');
      // kubernetes/cri-api has release-1.N branches too.
      const cri = await resolveAt(join(shallow(criSrc, 'branch-133-cri-api', 'release-1.33'), V1_PATH));
      assert.equal(cri.baseline?.tag, 'v0.33.13');
      // A branch that is not a release branch: the newest release, as before.
      const feature = await resolveAt(join(shallow(src, 'branch-feature', 'feature'), P));
      assert.equal(feature.baseline?.tag, 'v0.36.3');
      assert.equal(feature.textCheck, undefined);
    });

    test('a detached CI checkout: the branch CI builds, from the variables it sets for the repository built', async () => {
      const dir = shallow(src, 'branch-133-detached', 'release-1.33');
      write(join(dir, P), added('v0.33.13'));
      git(dir, 'commit', '-q', '-am', 'the pull request');
      git(dir, 'checkout', '-q', '--detach');
      const file = join(dir, P);
      const pr = await resolveAt(file, { env: { GITHUB_ACTIONS: 'true', GITHUB_BASE_REF: 'release-1.33', GITHUB_HEAD_REF: 'release-1.20', GITHUB_REF_NAME: '7/merge', GITHUB_REF_TYPE: 'branch' } });
      assert.equal(pr.baseline?.tag, 'v0.33.13');
      assert.match(pr.baseline!.origin, /HEAD is detached and GitHub Actions builds a pull request into release-1\.33/);
      const push = await resolveAt(file, { env: { GITHUB_ACTIONS: 'true', GITHUB_BASE_REF: '', GITHUB_REF_TYPE: 'branch', GITHUB_REF_NAME: 'release-1.33' } });
      assert.equal(push.baseline?.tag, 'v0.33.13');
      const prow = await resolveAt(file, { env: { PROW_JOB_ID: 'x', PULL_BASE_REF: 'release-1.33' } });
      assert.equal(prow.baseline?.tag, 'v0.33.13');
      const gitlab = await resolveAt(file, { env: { GITLAB_CI: 'true', CI_MERGE_REQUEST_IID: '7', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'release-1.33', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'release-1.20' } });
      assert.equal(gitlab.baseline?.tag, 'v0.33.13');
      assert.match(gitlab.baseline!.origin, /HEAD is detached and GitLab CI builds a merge request into release-1\.33 \(CI_MERGE_REQUEST_TARGET_BRANCH_NAME\)/);
      // Not the branch name a pull request's author chose in their fork; no variable without its CI running.
      for (const env of [
        { GITHUB_ACTIONS: 'true', GITHUB_BASE_REF: '', GITHUB_HEAD_REF: 'release-1.33', GITHUB_REF_NAME: '7/merge', GITHUB_REF_TYPE: 'branch' },
        { GITHUB_BASE_REF: 'release-1.33' },
        { PULL_BASE_REF: 'release-1.33' },
      ]) {
        const r = await resolveAt(file, { env });
        assert.equal(r.baseline?.tag, 'v0.36.3', JSON.stringify(env));
      }
      // Untrusted: no git at all, so no branch, whatever the CI variables say.
      const { calls, launcher, fetch } = forbidden();
      const untrusted = await resolveBaseline({ filePath: file, trusted: false, bundled, launcher, fetch, env: { GOMODCACHE: emptyModCache, GITHUB_ACTIONS: 'true', GITHUB_BASE_REF: 'release-1.33' } });
      assert.equal(untrusted.baseline?.tag, 'v0.36.3');
      assert.equal(calls.spawn, 0);
    });

    test('releaseLineOf: the checked-out branch first; CI variables only on a detached HEAD', () => {
      const gha = { GITHUB_ACTIONS: 'true', GITHUB_BASE_REF: 'release-1.33' };
      assert.equal(releaseLineOf('release-1.33', {})?.minor, 33);
      assert.equal(releaseLineOf('main', gha), undefined);
      assert.equal(releaseLineOf(undefined, gha)?.minor, 33);
      for (const name of ['release-1.33x', 'release-1.33/x', 'x/release-1.33', 'release-2.1', 'release-1.', 'release-1.1234']) {
        assert.equal(releaseLineOf(name, {}), undefined, name);
        assert.equal(releaseLineOf(undefined, { GITHUB_ACTIONS: 'true', GITHUB_BASE_REF: name }), undefined, name);
      }
      assert.equal(releaseLineOf(undefined, { GITHUB_ACTIONS: 'true', GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'release-1.33' }), undefined);
    });

    test('releaseLineOf on other CI systems: the target of a pull request or the pushed branch, never the branch a pull request comes from', () => {
      const line = (env: NodeJS.ProcessEnv) => releaseLineOf(undefined, env)?.minor;
      // Each CI's pull request (or merge request) build, with its source branch named like another release branch.
      const pullRequests: NodeJS.ProcessEnv[] = [
        { GITLAB_CI: 'true', CI_MERGE_REQUEST_IID: '7', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'release-1.33', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'release-1.20', CI_COMMIT_REF_NAME: 'release-1.20' },
        { GITLAB_CI: 'true', CI_EXTERNAL_PULL_REQUEST_IID: '7', CI_EXTERNAL_PULL_REQUEST_TARGET_BRANCH_NAME: 'release-1.33', CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME: 'release-1.20', CI_COMMIT_BRANCH: 'release-1.20' },
        { JENKINS_URL: 'https://ci.example/', CHANGE_ID: '7', CHANGE_TARGET: 'release-1.33', CHANGE_BRANCH: 'release-1.20', BRANCH_NAME: 'PR-7' },
        { BUILDKITE: 'true', BUILDKITE_PULL_REQUEST: '7', BUILDKITE_PULL_REQUEST_BASE_BRANCH: 'release-1.33', BUILDKITE_BRANCH: 'release-1.20' },
        { TF_BUILD: 'True', BUILD_REASON: 'PullRequest', SYSTEM_PULLREQUEST_TARGETBRANCH: 'refs/heads/release-1.33', SYSTEM_PULLREQUEST_SOURCEBRANCH: 'refs/heads/release-1.20', BUILD_SOURCEBRANCH: 'refs/pull/7/merge' },
        { TF_BUILD: 'True', BUILD_REASON: 'PullRequest', SYSTEM_PULLREQUEST_TARGETBRANCH: 'release-1.33', BUILD_SOURCEBRANCH: 'refs/pull/7/merge' },
      ];
      for (const env of pullRequests) {
        assert.equal(line(env), 33, JSON.stringify(env));
        // Without the target, nothing: never the source branch instead.
        const noTarget = Object.fromEntries(Object.entries(env).filter(([k]) => !/TARGET|BASE/.test(k)));
        assert.equal(line(noTarget), undefined, JSON.stringify(noTarget));
      }
      // Pushes (branch pipelines): the pushed branch of the repository built.
      for (const env of [
        { GITLAB_CI: 'true', CI_COMMIT_BRANCH: 'release-1.33' },
        { JENKINS_URL: 'https://ci.example/', BRANCH_NAME: 'release-1.33' },
        { BUILDKITE: 'true', BUILDKITE_PULL_REQUEST: 'false', BUILDKITE_BRANCH: 'release-1.33' },
        { TF_BUILD: 'True', BUILD_REASON: 'IndividualCI', BUILD_SOURCEBRANCH: 'refs/heads/release-1.33' },
      ]) assert.equal(line(env), 33, JSON.stringify(env));
      assert.equal(releaseLineOf(undefined, { TF_BUILD: 'True', BUILD_SOURCEBRANCH: 'refs/heads/release-1.33' })?.why, 'HEAD is detached and Azure Pipelines builds the branch release-1.33 (BUILD_SOURCEBRANCH)');
      for (const env of [
        // Tags named like a branch are not branches.
        { JENKINS_URL: 'https://ci.example/', TAG_NAME: 'release-1.33', BRANCH_NAME: 'release-1.33' },
        { BUILDKITE: 'true', BUILDKITE_PULL_REQUEST: 'false', BUILDKITE_TAG: 'release-1.33', BUILDKITE_BRANCH: 'release-1.33' },
        { TF_BUILD: 'True', BUILD_SOURCEBRANCH: 'refs/tags/release-1.33' },
        { TF_BUILD: 'True', BUILD_SOURCEBRANCH: 'release-1.33' },
        // Buildkite without BUILDKITE_PULL_REQUEST cannot tell a pull request build from a push.
        { BUILDKITE: 'true', BUILDKITE_BRANCH: 'release-1.33' },
        // No variable counts without its CI saying it is running.
        { CI_MERGE_REQUEST_IID: '7', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'release-1.33', CI_COMMIT_BRANCH: 'release-1.33' },
        { GITLAB_CI: 'false', CI_COMMIT_BRANCH: 'release-1.33' },
        { CHANGE_TARGET: 'release-1.33', BRANCH_NAME: 'release-1.33' },
        { BUILDKITE_PULL_REQUEST: 'false', BUILDKITE_BRANCH: 'release-1.33', BUILDKITE_PULL_REQUEST_BASE_BRANCH: 'release-1.33' },
        { BUILDKITE: 'false', BUILDKITE_PULL_REQUEST: 'false', BUILDKITE_BRANCH: 'release-1.33' },
        { BUILD_SOURCEBRANCH: 'refs/heads/release-1.33', SYSTEM_PULLREQUEST_TARGETBRANCH: 'release-1.33' },
        // CircleCI names the pull request's own branch in CIRCLE_BRANCH: not read.
        { CIRCLECI: 'true', CIRCLE_BRANCH: 'release-1.33' },
      ]) assert.equal(line(env), undefined, JSON.stringify(env));
      // A checked-out branch still comes first.
      assert.equal(releaseLineOf('main', { GITLAB_CI: 'true', CI_COMMIT_BRANCH: 'release-1.33' }), undefined);
    });

    test('a line without a release yet: the newest release before it; a line newer than the index: the later sources', async () => {
      const file37 = join(shallow(src, 'branch-137', 'release-1.37'), P);
      const r = await resolveAt(file37);
      assert.equal(r.baseline?.tag, 'v0.36.3');
      assert.match(r.baseline!.origin, /newest release before the 1\.37 line, which has no release \(pre-releases not included\) in the index: the checked-out branch is release-1\.37/);
      const pre = await resolveAt(file37, { includePrereleases: true });
      assert.equal(pre.baseline?.tag, 'v0.37.0-beta.0');
      assert.match(pre.baseline!.origin, /newest release of the 1\.37 line/);
      const r99 = await resolveAt(join(shallow(src, 'branch-199', 'release-1.99'), P));
      assert.equal(r99.baseline?.tag, 'v0.36.3');
      assert.ok(r99.tried.some((t) => t.source === 'bundled' && /no release of the 1\.99 line/.test(t.outcome)), JSON.stringify(r99.tried));
    });

    test('sameModel: every released runtime.v1 file is its bundled model, and no other release\'s', () => {
      const blobs = new Map<string, string>();
      for (const row of corpus!.goTags()) if (!blobs.has(row.blob)) blobs.set(row.blob, row.tag);
      const parsed = new Map([...blobs].map(([blob, tag]) => [blob, bind(parse(corpus!.text(blob)), tag).model]));
      for (const [blob, tag] of blobs) {
        const indexed = bundled.modelAt(tag);
        assert.ok(indexed, tag);
        assert.ok(sameModel(parsed.get(blob)!, indexed), `${tag}: the parsed file is not its bundled model`);
      }
      // Consecutive distinct files differ to the index too (some differ only in what it does not keep).
      const list = [...blobs];
      let different = 0;
      for (let i = 1; i < list.length; i++) if (!sameModel(parsed.get(list[i - 1]![0])!, parsed.get(list[i]![0])!)) different++;
      assert.ok(different >= list.length / 2, `${different} of ${list.length - 1}`);
      assert.equal(sameModel(bind(parse(added('v0.33.13')), 'x').model, bundled.modelAt('v0.33.13')!), false);
    });
  });

  // -------------------------------------------------------------------------------------------------------
  // Which release the checked file is: given (--current-tag), or known to resolution (HEAD at an unchanged tag).
  describe('the release the checked file is', () => {
    const resolveWith = (filePath: string, extra: Partial<Parameters<typeof resolveBaseline>[0]>) =>
      resolveBaseline({ filePath, trusted: true, bundled: fakeBundled('v0.35.7'), ...extra, env: { GOMODCACHE: emptyModCache, ...extra.env } });

    test('given: the newest release before it from any source, git not asked, a release at or after it passed over', async () => {
      const cache = join(TMP, 'current-tag-modcache');
      write(join(cache, 'k8s.io', 'cri-api@v0.36.0', V1_PATH), text('v0.36.0'));
      const { calls, launcher, fetch } = forbidden();
      // In a clone whose tags would place the file, so that git's guess would be another baseline.
      const file = join(criApi, V1_PATH);
      const at = (currentTag: string, extra: Partial<Parameters<typeof resolveBaseline>[0]> = {}) =>
        resolveWith(file, { currentTag, launcher, fetch, ...extra, env: { GOMODCACHE: cache } });
      const patch = await at('v0.35.7');
      assert.equal(patch.baseline?.source, 'bundled');
      assert.equal(patch.baseline?.tag, 'v0.35.6');
      assertModelIs(patch.baseline?.model, 'v0.35.6');
      assert.match(patch.baseline!.origin, /newest release before v0\.35\.7, the release the file is/);
      assert.match(patch.tried.find((t) => t.source === 'git')!.outcome, /^skipped: the file is v0\.35\.7, as given/);
      assert.match(patch.tried.find((t) => t.source === 'gomodcache')!.outcome, /no k8s\.io\/cri-api released version before v0\.35\.7 in the Go module cache/);
      // Newer than the index: the Go module cache's release before it; the file's own release is passed over too.
      const next = await at('v0.36.1');
      assert.equal(next.baseline?.source, 'gomodcache');
      assert.equal(next.baseline?.tag, 'v0.36.0');
      assert.equal((await at('v0.36.0')).baseline?.tag, 'v0.35.7');
      // Pre-releases as asked; an explicit baseline still wins.
      assert.equal((await at('v0.36.0', { bundled: fakeBundled('v0.36.3') })).baseline?.tag, 'v0.35.7');
      assert.equal((await at('v0.36.0', { bundled: fakeBundled('v0.36.3'), includePrereleases: true })).baseline?.tag, 'v0.36.0-rc.1');
      assert.equal((await at('v0.35.7', { explicit: 'v0.33.0' })).baseline?.tag, 'v0.33.0');
      assert.equal(calls.spawn, 0);
      assert.equal(calls.fetch, 0);
      // The CLI: either form of the tag; the baseline then says which release the file is, for the checks and the report.
      const cli = await resolveCliBaseline({ against: 'auto', file: join(plainCopy(), 'api.proto'), cwd: TMP, text: text('v0.35.7'), currentTag: 'kubernetes-1.35.8', includePrereleases: false, network: false, onProgress: () => {} });
      assert.equal(cli.baseline?.tag, 'v0.35.7');
      assert.equal(cli.baseline?.release, 'v0.35.8');
      const cliAgainst = await resolveCliBaseline({ against: 'v0.36.3', file: join(plainCopy(), 'api.proto'), cwd: TMP, text: text('v0.35.7'), currentTag: 'v0.36.4', includePrereleases: false, network: false, onProgress: () => {} });
      assert.equal(cliAgainst.baseline?.tag, 'v0.36.3');
      assert.equal(cliAgainst.baseline?.release, 'v0.36.4');
    });

    test('HEAD at an unchanged release tag: the checks and the report treat the file as that release, as pairs does', async () => {
      const repo = initRepo('cri-api-at-patch-release');
      commitRelease(repo, V1_PATH, 'v0.35.0', 'v0.35.0');
      commitRelease(repo, V1_PATH, 'v0.36.0', 'v0.36.0');
      commitRelease(repo, V1_PATH, 'v0.36.3', 'v0.36.3');
      const file = join(repo, V1_PATH);
      const history = loadBundledHistory();
      const r = await resolveWith(file, { bundled: history });
      assert.equal(r.baseline?.source, 'git');
      assert.equal(r.baseline?.tag, 'v0.36.0');
      assert.equal(r.baseline?.release, 'v0.36.3');
      const findings = (baseline: Baseline, currentTag?: string) =>
        analyze(text('v0.36.3'), { uri: 'file:///api.proto', baseline, ...(currentTag ? { currentTag } : {}) }).findings.map((f) => `${f.rule}: ${f.message}`);
      // What `pairs v0.36.0=… v0.36.3=…` finds: the older file as the baseline, the newer one's tag named.
      const pairs = findings({ tag: 'v0.36.0', source: 'path', origin: 'test', model: bind(parse(text('v0.36.0')), 'v0.36.0').model, history }, 'v0.36.3');
      assert.ok(pairs.some((f) => /^PATCH_RELEASE_API_CHANGE: \d+ API changes? between v0\.36\.0 and the patch release v0\.36\.3;/.test(f)), pairs.join('\n'));
      assert.deepEqual(findings(r.baseline!), pairs);
      const a = analyze(text('v0.36.3'), { uri: 'file:///api.proto', baseline: r.baseline! });
      assert.match(renderReport({ file: 'api.proto', baseline: r.baseline!, findings: a.findings, additions: a.additions }), /would ship in Kubernetes 1\.36\.3 \(cri-api v0\.36\.3\)\./);
      // Edited, it is no longer that release: compared with the tag, as a change on top of it.
      const edited = await resolveWith(file, { bundled: history, text: `${text('v0.36.3')}\n// edited\n` });
      assert.equal(edited.baseline?.tag, 'v0.36.3');
      assert.equal(edited.baseline?.release, undefined);
      // A shallow clone at the tag: the index gives the release before it, and the file is still that release.
      const shallow = join(TMP, 'cri-api-at-patch-release-shallow');
      git(TMP, 'clone', '-q', '--depth', '1', '--branch', 'v0.36.3', `file://${repo}`, shallow);
      const sh = await resolveWith(join(shallow, V1_PATH), { bundled: history });
      assert.equal(sh.baseline?.source, 'bundled');
      assert.equal(sh.baseline?.tag, 'v0.36.2');
      assert.equal(sh.baseline?.release, 'v0.36.3');
    });
  });

  // -------------------------------------------------------------------------------------------------------
  describe('goModSource', () => {
    let modCache: string;
    let outside: string;
    before(() => {
      modCache = join(TMP, 'gomodcache');
      outside = join(TMP, 'outside-modcache');
      const put = (root: string, ver: string, content: string | Buffer) => write(join(root, 'k8s.io', `cri-api@${ver}`, V1_PATH), content);
      put(modCache, 'v0.33.0', text('v0.33.0'));
      put(modCache, 'v0.36.0', text('v0.36.0'));
      put(modCache, 'v0.37.0-alpha.1', text('v0.37.0-alpha.1'));
      put(modCache, 'v0.37.0', Buffer.alloc(5 * 1024 * 1024, 0x20)); // over the size cap
      put(outside, 'v0.38.0', text('v0.36.3'));
      symlinkSync(join(outside, 'k8s.io', 'cri-api@v0.38.0'), join(modCache, 'k8s.io', 'cri-api@v0.38.0')); // a directory leaving the root
      write(join(outside, 'secret.proto'), text('v0.36.3'));
      mkdirSync(join(modCache, 'k8s.io', 'cri-api@v0.39.0', 'pkg', 'apis', 'runtime', 'v1'), { recursive: true });
      symlinkSync(join(outside, 'secret.proto'), join(modCache, 'k8s.io', 'cri-api@v0.39.0', V1_PATH)); // a file leaving the root
      mkdirSync(join(modCache, 'k8s.io', 'cri-api@garbage'));
    });

    test('module cache root: GOMODCACHE, then GOPATH, then ~/go', () => {
      assert.equal(moduleCacheRoot({ GOMODCACHE: '/m', GOPATH: '/g' }, '/h'), '/m');
      assert.equal(moduleCacheRoot({ GOPATH: `/g1:/g2` }, '/h'), '/g1/pkg/mod');
      assert.equal(moduleCacheRoot({}, '/h'), '/h/go/pkg/mod');
    });

    test('newest released version; symlinks out of the root and oversized files are skipped', async () => {
      const r = await findInModuleCache({ env: { GOMODCACHE: modCache } });
      assert.ok(r.ok, !r.ok ? r.reason : '');
      assert.equal(r.version, 'v0.36.0');
      assert.equal(r.text, text('v0.36.0'));
      const pre = await findInModuleCache({ env: { GOMODCACHE: modCache }, includePrereleases: true });
      assert.ok(pre.ok && pre.version === 'v0.37.0-alpha.1');
      const exact = await findInModuleCache({ env: { GOMODCACHE: modCache }, version: 'v0.33.0' });
      assert.ok(exact.ok && exact.text === text('v0.33.0'));
      const escaped = await findInModuleCache({ env: { GOMODCACHE: modCache }, version: 'v0.39.0' });
      assert.ok(!escaped.ok && /symlink leading outside/.test(escaped.reason), !escaped.ok ? escaped.reason : '');
      const big = await findInModuleCache({ env: { GOMODCACHE: modCache }, version: 'v0.37.0' });
      assert.ok(!big.ok && /over the 4194304-byte cap/.test(big.reason));
      const viaGopath = await findInModuleCache({ env: { GOPATH: join(TMP, 'gopath') }, homeDir: '/nonexistent' });
      assert.ok(!viaGopath.ok && viaGopath.reason.includes(join(TMP, 'gopath', 'pkg', 'mod')));
    });

    test('vendor/: version from modules.txt, found walking up; replaced and escaping copies refused', async () => {
      const proj = join(TMP, 'proj');
      write(join(proj, 'go.mod'), 'module example.com/proj\n');
      write(join(proj, 'vendor', 'modules.txt'), '# k8s.io/api v0.36.2\n## explicit\n# k8s.io/cri-api v0.36.2\n## explicit; go 1.24.0\nk8s.io/cri-api/pkg/apis/runtime/v1\n');
      write(join(proj, 'vendor', 'k8s.io', 'cri-api', V1_PATH), text('v0.36.2'));
      write(join(proj, 'go.sum'), 'k8s.io/cri-api v0.36.2 h1:abc=\nk8s.io/cri-api v0.36.2/go.mod h1:def=\nk8s.io/api v0.36.2 h1:zzz=\n');
      const deep = join(proj, 'internal', 'runtime', 'proto');
      mkdirSync(deep, { recursive: true });
      const r = await findInVendor(deep);
      assert.ok(r.ok, !r.ok ? r.reason : '');
      assert.equal(r.version, 'v0.36.2');
      assert.equal(r.text, text('v0.36.2'));
      assert.deepEqual([...(await findGoSumHashes(deep)).hashes], [['v0.36.2', 'h1:abc=']]);
      assert.deepEqual([...parseGoSum('garbage\n\nk8s.io/cri-api\n')], []);

      const replaced = join(TMP, 'proj-replaced');
      write(join(replaced, 'vendor', 'modules.txt'), '# k8s.io/cri-api v0.0.0 => ./staging/src/k8s.io/cri-api\n');
      write(join(replaced, 'vendor', 'k8s.io', 'cri-api', V1_PATH), text('v0.36.2'));
      const a = await findInVendor(replaced);
      assert.ok(!a.ok && /replaces k8s\.io\/cri-api with \.\/staging/.test(a.reason));

      const escaping = join(TMP, 'proj-symlink');
      write(join(escaping, 'vendor', 'modules.txt'), '# k8s.io/cri-api v0.36.2\n');
      mkdirSync(join(escaping, 'vendor', 'k8s.io'), { recursive: true });
      symlinkSync(join(outside, 'k8s.io', 'cri-api@v0.38.0'), join(escaping, 'vendor', 'k8s.io', 'cri-api'));
      const b = await findInVendor(escaping);
      assert.ok(!b.ok && /symlink leading outside/.test(b.reason));

      // vendor/ itself a link out of the module: its target is not the module's.
      const linked = join(TMP, 'proj-vendor-link');
      const elsewhere = join(TMP, 'vendor-elsewhere');
      write(join(elsewhere, 'modules.txt'), '# k8s.io/cri-api v0.36.2\n');
      write(join(elsewhere, 'k8s.io', 'cri-api', V1_PATH), text('v0.36.2'));
      write(join(linked, 'go.mod'), 'module example.com/linked\n');
      symlinkSync(elsewhere, join(linked, 'vendor'));
      const c = await findInVendor(linked);
      assert.ok(!c.ok && /modules\.txt is a symlink leading outside/.test(c.reason), c.ok ? c.origin : c.reason);

      const none = await findInVendor(join(TMP, 'loose'));
      assert.ok(!none.ok && /no vendor\/modules\.txt/.test(none.reason));
    });
  });

  // -------------------------------------------------------------------------------------------------------
  // What `go mod download` leaves in the module cache when nothing was extracted: cache/download/…/@v/ with
  // vX.info, vX.mod, vX.zip and vX.ziphash (and a `list`), the zip holding the release's real api.proto.
  describe('goModSource: module cache zips', () => {
    const AT = (version: string) => `k8s.io/cri-api@${version}/`;
    const zipFiles = (version: string, proto: string) => [
      { name: `${AT(version)}LICENSE`, data: readFileSync(join(corpusDir!, 'LICENSE')), store: true },
      { name: `${AT(version)}go.mod`, data: Buffer.from('module k8s.io/cri-api\n\ngo 1.24.0\n') },
      { name: `${AT(version)}${V1_PATH}`, data: Buffer.from(proto) },
    ];
    const downloads = (cache: string) => join(cache, 'cache', 'download', 'k8s.io', 'cri-api', '@v');
    /** Puts `version`'s download in `cache` as Go does; returns the zip's path and hash. */
    function download(cache: string, version: string, proto = text(version), opts: { ziphash?: string | false } = {}): { file: string; h1: string } {
      const files = zipFiles(version, proto);
      const dir = downloads(cache);
      const h1 = expectedH1(files);
      write(join(dir, `${version}.info`), JSON.stringify({ Version: version, Time: '2026-07-01T00:00:00Z' }));
      write(join(dir, `${version}.mod`), 'module k8s.io/cri-api\n\ngo 1.24.0\n');
      write(join(dir, `${version}.zip`), zip(files));
      if (opts.ziphash !== false) write(join(dir, `${version}.ziphash`), opts.ziphash ?? h1);
      return { file: join(dir, `${version}.zip`), h1 };
    }
    const WRONG_H1 = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

    let cache: string;
    before(() => {
      cache = join(TMP, 'modcache-zips');
      for (const v of ['v0.35.0', 'v0.36.3', 'v0.37.0-beta.0']) download(cache, v);
      write(join(downloads(cache), 'list'), 'v0.35.0\nv0.36.3\nv0.37.0-beta.0\n');
      // An older release extracted beside them: directories and zips are one list of versions.
      write(join(cache, 'k8s.io', 'cri-api@v0.36.0', V1_PATH), text('v0.36.0'));
    });

    test('a release only downloaded is read from its zip: the newest, a pre-release when included, or the one asked for', async () => {
      const r = await findInModuleCache({ env: { GOMODCACHE: cache } });
      assert.ok(r.ok, !r.ok ? r.reason : '');
      assert.equal(r.version, 'v0.36.3');
      assert.equal(r.text, text('v0.36.3'));
      assert.equal(r.source, 'gomodcache');
      assert.equal(r.file, join(downloads(cache), 'v0.36.3.zip'));
      assert.equal(r.origin, `Go module cache zip: k8s.io/cri-api@v0.36.3 (${join(downloads(cache), 'v0.36.3.zip')})`);
      assert.equal(r.skipped, undefined);
      const pre = await findInModuleCache({ env: { GOMODCACHE: cache }, includePrereleases: true });
      assert.ok(pre.ok && pre.version === 'v0.37.0-beta.0' && pre.text === text('v0.37.0-beta.0'));
      const exact = await findInModuleCache({ env: { GOMODCACHE: cache }, version: 'v0.35.0' });
      assert.ok(exact.ok && exact.text === text('v0.35.0') && /^Go module cache zip: /.test(exact.origin));
      const dir = await findInModuleCache({ env: { GOMODCACHE: cache }, version: 'v0.36.0' });
      assert.ok(dir.ok && dir.text === text('v0.36.0') && dir.origin === `Go module cache: k8s.io/cri-api@v0.36.0 (${cache})`);
      const none = await findInModuleCache({ env: { GOMODCACHE: cache }, version: 'v0.34.0' });
      assert.ok(!none.ok && /no k8s\.io\/cri-api v0\.34\.0 in the Go module cache/.test(none.reason), !none.ok ? none.reason : '');
      // Only downloads: no k8s.io directory at all.
      const only = join(TMP, 'modcache-zips-only');
      download(only, 'v0.36.3');
      const o = await findInModuleCache({ env: { GOMODCACHE: only } });
      assert.ok(o.ok && o.version === 'v0.36.3' && o.text === text('v0.36.3'), JSON.stringify(o));
    });

    test('an extracted directory is preferred to its zip, unless Go had not finished extracting it or it cannot be read', async () => {
      const both = join(TMP, 'modcache-both');
      download(both, 'v0.36.3');
      const extracted = `${text('v0.36.3')}\n// as extracted\n`;
      write(join(both, 'k8s.io', 'cri-api@v0.36.3', V1_PATH), extracted);
      const r = await findInModuleCache({ env: { GOMODCACHE: both } });
      assert.ok(r.ok && r.text === extracted && r.origin === `Go module cache: k8s.io/cri-api@v0.36.3 (${both})`, JSON.stringify(r));
      // Go marks an extraction in progress with vX.partial and would extract again from the zip.
      write(join(downloads(both), 'v0.36.3.partial'), '');
      const partial = await findInModuleCache({ env: { GOMODCACHE: both } });
      assert.ok(partial.ok && partial.text === text('v0.36.3') && /^Go module cache zip: /.test(partial.origin), JSON.stringify(partial));
      assert.match(partial.skipped?.map((s) => s.why).join() ?? '', /cri-api@v0\.36\.3 was not completely extracted \(.*v0\.36\.3\.partial exists\)/);
      rmSync(join(downloads(both), 'v0.36.3.partial'));
      // A directory whose api.proto is not a readable file: the zip of the same version is read instead.
      rmSync(join(both, 'k8s.io', 'cri-api@v0.36.3', V1_PATH));
      mkdirSync(join(both, 'k8s.io', 'cri-api@v0.36.3', V1_PATH));
      const unreadable = await findInModuleCache({ env: { GOMODCACHE: both } });
      assert.ok(unreadable.ok && unreadable.text === text('v0.36.3'), JSON.stringify(unreadable));
      assert.match(unreadable.skipped?.map((s) => s.why).join() ?? '', /api\.proto is not a regular file/);
    });

    test('go.sum and Go\'s .ziphash hold a cache zip to its hash; a zip failing them is passed over', async () => {
      const h1 = expectedH1(zipFiles('v0.36.3', text('v0.36.3')));
      const verified = await findInModuleCache({ env: { GOMODCACHE: cache }, goSum: new Map([['v0.36.3', h1]]) });
      assert.ok(verified.ok && verified.origin === `Go module cache zip: k8s.io/cri-api@v0.36.3 (${join(downloads(cache), 'v0.36.3.zip')}, h1 verified against go.sum)`, JSON.stringify(verified));
      const wrong = await findInModuleCache({ env: { GOMODCACHE: cache }, goSum: new Map([['v0.36.3', WRONG_H1]]) });
      assert.ok(wrong.ok && wrong.version === 'v0.36.0', JSON.stringify(wrong));
      assert.deepEqual(wrong.skipped, [{ version: 'v0.36.3', why: `${join(downloads(cache), 'v0.36.3.zip')} rejected: its hash ${h1} does not match the workspace's go.sum or go.work.sum (${WRONG_H1})` }]);
      const asked = await findInModuleCache({ env: { GOMODCACHE: cache }, version: 'v0.36.3', goSum: new Map([['v0.36.3', WRONG_H1]]) });
      assert.ok(!asked.ok && /v0\.36\.3\.zip rejected: its hash h1:\S+ does not match the workspace's go\.sum or go\.work\.sum/.test(asked.reason), JSON.stringify(asked));

      const tampered = join(TMP, 'modcache-ziphash');
      download(tampered, 'v0.35.0');
      download(tampered, 'v0.36.3', text('v0.36.3'), { ziphash: WRONG_H1 });
      const t = await findInModuleCache({ env: { GOMODCACHE: tampered } });
      assert.ok(t.ok && t.version === 'v0.35.0', JSON.stringify(t));
      assert.match(t.skipped?.map((s) => s.why).join() ?? '', /v0\.36\.3\.zip rejected: its hash h1:\S+ does not match .*v0\.36\.3\.ziphash \(h1:A+=\)/);
      // Without a .ziphash (a cache filled by copying a proxy's files) the zip's own checks are what there is.
      const bare = join(TMP, 'modcache-no-ziphash');
      download(bare, 'v0.36.3', text('v0.36.3'), { ziphash: false });
      const b = await findInModuleCache({ env: { GOMODCACHE: bare } });
      assert.ok(b.ok && b.text === text('v0.36.3'), JSON.stringify(b));
    });

    test('an extracted directory is held to go.sum\'s h1 as `go mod verify` holds it: every file, none more, no link out', async () => {
      const verify = join(TMP, 'modcache-verify');
      const dir = join(verify, 'k8s.io', 'cri-api@v0.36.3');
      const files = zipFiles('v0.36.3', text('v0.36.3'));
      /** The module as Go extracts it: the zip's files, named without the `module@version/` prefix. */
      const extract = () => {
        rmSync(dir, { recursive: true, force: true });
        for (const f of files) write(join(verify, ...f.name.split('/')), f.data);
      };
      extract();
      write(join(verify, 'k8s.io', 'cri-api@v0.36.0', V1_PATH), text('v0.36.0'));
      const goSum = new Map([['v0.36.3', expectedH1(files)]]);
      const find = (extra: { unzipMaxBytes?: number } = {}) => findInModuleCache({ env: { GOMODCACHE: verify }, goSum, ...extra });

      const ok = await find();
      assert.ok(ok.ok && ok.version === 'v0.36.3' && ok.text === text('v0.36.3'), JSON.stringify(ok));
      assert.equal(ok.origin, `Go module cache: k8s.io/cri-api@v0.36.3 (${verify}, h1 verified against go.sum)`);
      assert.equal(ok.skipped, undefined);

      /** Passed over for the next release, saying why. */
      const rejected = (r: Awaited<ReturnType<typeof find>>, why: (skipped: string) => boolean) => {
        assert.ok(r.ok && r.version === 'v0.36.0', JSON.stringify(r));
        assert.equal(r.skipped?.length, 1, JSON.stringify(r.skipped));
        assert.ok(why(r.skipped![0]!.why), r.skipped![0]!.why);
      };
      const mismatch = (why: string) => why.startsWith(`${dir} rejected: its hash h1:`) && why.endsWith(` does not match the workspace's go.sum or go.work.sum (${goSum.get('v0.36.3')})`);
      const matches = (re: RegExp) => (why: string) => re.test(why);
      // One byte changed, in a file that is not api.proto.
      const license = join(dir, 'LICENSE');
      const changed = Buffer.from(files[0]!.data);
      changed[0] ^= 1;
      write(license, changed);
      rejected(await find(), mismatch);
      // A file more than the module has.
      extract();
      write(join(dir, 'pkg', 'extra.go'), 'package extra\n');
      rejected(await find(), mismatch);
      // A file replaced by a link out of the directory, even to the same bytes, is not followed.
      extract();
      const copy = join(TMP, 'outside-verify', 'LICENSE');
      write(copy, files[0]!.data);
      rmSync(license);
      symlinkSync(copy, license);
      rejected(await find(), matches(/cri-api@v0\.36\.3 cannot be checked against go\.sum: .*LICENSE is a symlink leading outside .*cri-api@v0\.36\.3; not followed$/));
      // More than the cap on what a module holds.
      extract();
      rejected(await find({ unzipMaxBytes: 1000 }), matches(/cannot be checked against go\.sum: it holds more than 1000 bytes$/));

      // Refused, the directory's zip is the next thing tried, held to go.sum in turn.
      write(join(dir, 'pkg', 'extra.go'), 'package extra\n');
      download(verify, 'v0.36.3');
      const zipped = await find();
      assert.ok(zipped.ok && zipped.version === 'v0.36.3' && /^Go module cache zip: .*, h1 verified against go\.sum\)$/.test(zipped.origin), JSON.stringify(zipped));
      assert.ok(zipped.skipped?.length === 1 && mismatch(zipped.skipped[0]!.why), JSON.stringify(zipped.skipped));

      // go.sum is the workspace's: it holds the directory in a trusted workspace only.
      rmSync(downloads(verify), { recursive: true });
      const proj = join(TMP, 'proj-modcache-verify');
      write(join(proj, 'go.mod'), 'module example.com/proj\n');
      write(join(proj, 'go.sum'), `k8s.io/cri-api v0.36.3 ${goSum.get('v0.36.3')}\n`);
      write(join(proj, 'api.proto'), text('v0.36.3'));
      const resolve = (trusted: boolean) => resolveBaseline({ filePath: join(proj, 'api.proto'), trusted, bundled: fakeBundled('v0.35.7'), env: { GOMODCACHE: verify }, git: { gitPath: join(TMP, 'no', 'git') } });
      const trusted = await resolve(true);
      assert.equal(trusted.baseline?.tag, 'v0.36.0');
      assert.ok(mismatch(trusted.tried.find((t) => t.source === 'gomodcache')!.outcome.replace(/^passed over: /, '')), JSON.stringify(trusted.tried));
      assert.equal((await resolve(false)).baseline?.tag, 'v0.36.3');
    });

    test('a zip written by Info-ZIP (extra fields, data descriptors) reads the same, with the same h1', { skip: hasZipTool() ? false : 'no zip program' }, async () => {
      const stage = join(TMP, 'infozip-stage');
      const files = zipFiles('v0.36.3', text('v0.36.3'));
      for (const f of files) write(join(stage, f.name), f.data);
      // To stdout, so that zip cannot seek back: sizes and CRCs follow the data, as in the zips Go writes.
      const buf = execFileSync('zip', ['-q', '-r', '-D', '-', 'k8s.io'], { cwd: stage, maxBuffer: 16 * 1024 * 1024 });
      assert.ok(readZipDirectory(buf).every((e) => e.flags & 0x8), 'sizes after the data (a data descriptor)');
      const infozip = join(TMP, 'modcache-infozip');
      write(join(downloads(infozip), 'v0.36.3.zip'), buf);
      write(join(downloads(infozip), 'v0.36.3.ziphash'), expectedH1(files));
      const r = await findInModuleCache({ env: { GOMODCACHE: infozip } });
      assert.ok(r.ok && r.text === text('v0.36.3'), JSON.stringify(r));
    });

    test('resolveBaseline takes a newer release from a module cache zip; go.sum only counts in a trusted workspace', async () => {
      const git = { gitPath: join(TMP, 'no', 'git') };
      const proj = join(TMP, 'proj-modcache-zip');
      write(join(proj, 'go.mod'), 'module example.com/proj\n');
      write(join(proj, 'api.proto'), text('v0.36.3'));
      const file = join(proj, 'api.proto');
      const zipOnly = join(TMP, 'modcache-resolve-zip');
      download(zipOnly, 'v0.36.3');
      const a = await resolveBaseline({ filePath: file, trusted: false, bundled: fakeBundled('v0.35.7'), env: { GOMODCACHE: zipOnly } });
      assert.equal(a.baseline?.source, 'gomodcache');
      assert.equal(a.baseline?.tag, 'v0.36.3');
      assert.match(a.baseline!.origin, /^Go module cache zip: k8s\.io\/cri-api@v0\.36\.3 \(/);
      assertModelIs(a.baseline?.model, 'v0.36.3');
      assert.match(a.tried.find((t) => t.source === 'gomodcache')!.outcome, /found v0\.36\.3, newer than v0\.35\.7/);

      write(join(proj, 'go.sum'), `k8s.io/cri-api v0.36.3 ${WRONG_H1}\nk8s.io/cri-api v0.36.3/go.mod h1:x=\n`);
      const trusted = await resolveBaseline({ filePath: file, trusted: true, bundled: fakeBundled('v0.35.7'), env: { GOMODCACHE: zipOnly }, git });
      assert.equal(trusted.baseline?.source, 'bundled');
      assert.match(trusted.tried.find((t) => t.source === 'gomodcache')!.outcome, /v0\.36\.3\.zip rejected: its hash h1:\S+ does not match the workspace's go\.sum or go\.work\.sum/);
      // The workspace's go.sum does not decide for an untrusted workspace: the user's cache is used as it is.
      const untrusted = await resolveBaseline({ filePath: file, trusted: false, bundled: fakeBundled('v0.35.7'), env: { GOMODCACHE: zipOnly } });
      assert.equal(untrusted.baseline?.tag, 'v0.36.3');
      // A newer zip that fails go.sum is said where what was tried is listed, before the older release found.
      download(zipOnly, 'v0.36.0');
      const passed = await resolveBaseline({ filePath: file, trusted: true, bundled: fakeBundled('v0.35.7'), env: { GOMODCACHE: zipOnly }, git });
      assert.equal(passed.baseline?.tag, 'v0.36.0');
      assert.deepEqual(passed.tried.filter((t) => t.source === 'gomodcache').map((t) => t.outcome.replace(/:.*/s, '')), ['passed over', 'found v0.36.0, newer than v0.35.7']);

      write(join(proj, 'go.sum'), `k8s.io/cri-api v0.36.3 ${expectedH1(zipFiles('v0.36.3', text('v0.36.3')))}\n`);
      const asSet = await resolveBaseline({ explicit: 'v0.36.3', filePath: file, trusted: true, bundled: fakeBundled('v0.35.7'), env: { GOMODCACHE: zipOnly }, git });
      assert.equal(asSet.baseline?.source, 'setting');
      assert.match(asSet.baseline!.origin, /^Go module cache zip: k8s\.io\/cri-api@v0\.36\.3 \(.*v0\.36\.3\.zip, h1 verified against go\.sum\)$/);
      assertModelIs(asSet.baseline?.model, 'v0.36.3');
    });
  });

  // -------------------------------------------------------------------------------------------------------
  describe('proxySource', () => {
    const VERSION = 'v0.36.3';
    const PREFIX = `k8s.io/cri-api@${VERSION}/`;
    let server: Server;
    let base: string;
    let goodZip: Buffer;
    let goodH1: string;

    function moduleFiles(extra: { name: string; data: Buffer }[] = []) {
      return [
        { name: `${PREFIX}LICENSE`, data: readFileSync(join(corpusDir!, 'LICENSE')), store: true },
        { name: `${PREFIX}go.mod`, data: Buffer.from('module k8s.io/cri-api\n\ngo 1.24.0\n') },
        { name: `${PREFIX}${V1_PATH}`, data: Buffer.from(text(VERSION)) },
        ...extra,
      ];
    }

    const LIST = 'v0.35.0\nv0.36.3\nv0.37.0-beta.0\n';

    function serve(mode: string, file: string, res: ServerResponse): void {
      const send = (status: number, body: Buffer | string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
        res.end(body);
      };
      const isList = file === 'list';
      const isZip = file === `${VERSION}.zip`;
      switch (mode) {
        case 'good':
        case 'badhash':
          return isList ? send(200, LIST) : isZip ? send(200, goodZip) : send(404, 'not found');
        case 'slow':
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('v0.3');
          return void setTimeout(() => res.end('6.3\n'), 3000).unref();
        case 'truncated':
          return isList ? send(200, LIST) : send(200, goodZip.subarray(0, Math.floor(goodZip.length / 2)));
        case 'cut':
          if (isList) return send(200, LIST);
          res.writeHead(200, { 'content-length': String(goodZip.length) });
          res.write(goodZip.subarray(0, 1000));
          return void setTimeout(() => res.destroy(), 20);
        case 'oversized':
          if (isList) return send(200, LIST);
          res.writeHead(200, { 'content-length': String(100 * 1024 * 1024) });
          return void res.write(goodZip.subarray(0, 100));
        case 'endless': {
          res.writeHead(200, { 'content-type': 'text/plain' }); // chunked, no length
          const line = Buffer.from('v0.1.0\n'.repeat(10_000));
          const pump = () => {
            while (res.write(line)) if (res.writableLength > 4 * 1024 * 1024) break;
          };
          res.on('drain', pump);
          res.on('close', () => res.off('drain', pump));
          return pump();
        }
        case 'slip':
          return isList
            ? send(200, LIST)
            : send(200, zip(moduleFiles([{ name: `${PREFIX}../../../../tmp/evil.txt`, data: Buffer.from('pwned') }])));
        case 'absolute':
          return isList ? send(200, LIST) : send(200, zip([...moduleFiles(), { name: '/etc/evil', data: Buffer.from('x') }]));
        case 'garbage':
          return isList ? send(200, '<html>\n../../etc/passwd\nv0.36.3\nv9\n') : send(200, Buffer.from('PK\x05\x06 this is not a zip at all'));
        case 'nolist':
          return send(200, '<html><body>Hello</body></html>\n');
        case 'missing':
          return send(404, 'not found: module k8s.io/cri-api: no matching versions');
        case 'error':
          return send(500, 'internal error');
        case 'redirect':
          return send(302, '', { location: 'http://example.invalid/k8s.io/cri-api/@v/list' });
        default:
          return send(404, 'unknown mode');
      }
    }

    before(async () => {
      goodZip = zip(moduleFiles());
      goodH1 = expectedH1(moduleFiles());
      server = createServer((req, res) => {
        const m = /^\/([a-z]+)\/k8s\.io\/cri-api\/@v\/(.+)$/.exec(req.url ?? '');
        if (!m) return void res.writeHead(404).end();
        serve(m[1]!, m[2]!, res);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => {
      server.closeAllConnections();
      server.close();
    });

    const opts = (mode: string, extra: Partial<ProxyOptions> = {}): ProxyOptions => ({ env: { GOPROXY: `${base}/${mode},direct` }, timeoutMs: 2000, ...extra });

    test('zip reader and h1: CRC-32 vector, stored and deflated entries, Go dirhash', () => {
      assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
      const entries = readZipDirectory(goodZip);
      assert.deepEqual(entries.map((e) => [e.name, e.method]), [[`${PREFIX}LICENSE`, 0], [`${PREFIX}go.mod`, 8], [`${PREFIX}${V1_PATH}`, 8]]);
      const r = readModuleZip(goodZip, VERSION);
      assert.equal(r.text, text(VERSION));
      assert.equal(r.h1, goodH1);
      assert.equal(hash1([{ name: 'b', data: Buffer.from('x') }, { name: 'a', data: Buffer.from('y') }]), expectedH1([{ name: 'a', data: Buffer.from('y') }, { name: 'b', data: Buffer.from('x') }]));
      for (const bad of ['k8s.io/cri-api@v0.36.3/../x', '/abs', 'k8s.io/cri-api@v0.36.3/a//b', 'k8s.io/cri-api@v0.36.3/a\\b', 'other@v1/x', 'k8s.io/cri-api@v0.36.2/x']) {
        assert.throws(() => checkModuleZipNames([{ name: bad, method: 0, flags: 0, crc: 0, compressedSize: 0, size: 0, localOffset: 0 }], 'k8s.io/cri-api', VERSION), /unsafe entry/, bad);
      }
      assert.throws(() => checkModuleZipNames(readZipDirectory(zip([...moduleFiles(), { name: `${PREFIX}go.MOD`, data: Buffer.from('') }])), 'k8s.io/cri-api', VERSION), /duplicate/);
      assert.throws(() => readModuleZip(goodZip, VERSION, 1000), /over the 1000-byte cap/);
      const corrupt = Buffer.from(goodZip);
      corrupt[200] = corrupt[200]! ^ 0xff; // inside the stored LICENSE
      assert.throws(() => readModuleZip(corrupt, VERSION), /CRC-32 mismatch/);
      assert.throws(() => readModuleZip(zip(moduleFiles().slice(0, 2)), VERSION), /has no pkg\/apis\/runtime\/v1\/api\.proto/);
    });

    test('GOPROXY: first entry, https or loopback http only', () => {
      assert.equal((proxyFromEnv({}) as { url: URL }).url.href, 'https://proxy.golang.org/');
      assert.equal((proxyFromEnv({ GOPROXY: 'https://goproxy.example/sub/,direct' }) as { url: URL }).url.host, 'goproxy.example');
      assert.match((proxyFromEnv({ GOPROXY: 'http://goproxy.example' }) as { reason: string }).reason, /only https/);
      assert.match((proxyFromEnv({ GOPROXY: 'off' }) as { reason: string }).reason, /GOPROXY=off/);
      assert.match((proxyFromEnv({ GOPROXY: 'direct' }) as { reason: string }).reason, /direct/);
      assert.match((proxyFromEnv({ GOPROXY: 'file:///srv/proxy' }) as { reason: string }).reason, /only https/);
      assert.match((proxyFromEnv({ GOPROXY: 'https://u:p@goproxy.example' }) as { reason: string }).reason, /credentials/);
      assert.ok('url' in proxyFromEnv({ GOPROXY: 'http://localhost:3000' }));
    });

    test('good proxy: newest release, h1 verified against go.sum, then served from the cache', async () => {
      const cacheDir = join(TMP, 'cache-good');
      const progress: string[] = [];
      const r = await fetchFromProxy(opts('good', { cacheDir, goSum: new Map([[VERSION, goodH1]]), onProgress: (m) => progress.push(m) }));
      assert.ok(r.ok, !r.ok ? r.reason : '');
      assert.equal(r.version, VERSION);
      assert.equal(r.text, text(VERSION));
      assert.equal(r.verified, true);
      assert.equal(r.fromCache, false);
      assert.match(r.origin, /h1 verified/);
      assert.ok(progress.some((p) => /Downloading k8s\.io\/cri-api@v0\.36\.3/.test(p)));
      const { fetch: noFetch, calls } = forbidden();
      const again = await fetchFromProxy(opts('good', { cacheDir, fetch: noFetch, goSum: new Map([[VERSION, goodH1]]) }));
      assert.ok(again.ok && again.fromCache && again.verified && again.text === text(VERSION));
      assert.equal(calls.fetch, 0);
      // The workspace's go.sum files disagree on the version: neither the cached file nor a download can be used.
      const conflict = 'a/go.sum records h1:a= for k8s.io/cri-api v0.36.3 and b/go.sum h1:b=';
      const disagreed = await fetchFromProxy(opts('good', { cacheDir, fetch: noFetch, goSum: new Map([[VERSION, { conflict }]]) }));
      assert.ok(!disagreed.ok && disagreed.reason.startsWith(`k8s.io/cri-api@v0.36.3 not downloaded: ${conflict}`), JSON.stringify(disagreed));
      assert.equal(calls.fetch, 0);
      const files = readdirSync(cacheDir, { recursive: true }).map(String);
      assert.ok(files.some((f) => f.endsWith(`${VERSION}.json`)) && files.some((f) => f.endsWith('list.json')));
      assert.ok(!files.some((f) => f.endsWith('.tmp')), 'no temporary files left behind');
      const pre = await fetchFromProxy(opts('good', { includePrereleases: true }));
      assert.ok(!pre.ok && /v0\.37\.0-beta\.0\.zip: HTTP 404/.test(pre.reason));
      const notNewer = await fetchFromProxy(opts('good', { newerThan: 'v0.36.3', fetch: noFetch, cacheDir }));
      assert.ok(!notNewer.ok && /nothing newer than v0\.36\.3/.test(notNewer.reason));
    });

    test('a corrupt cache entry is a miss; a stale list is used when the proxy is down', async () => {
      const cacheDir = join(TMP, 'cache-corrupt');
      assert.ok((await fetchFromProxy(opts('good', { cacheDir }))).ok);
      const entry = readdirSync(cacheDir, { recursive: true }).map(String).find((f) => f.endsWith(`${VERSION}.json`))!;
      const entryPath = join(cacheDir, entry);
      const listPath = join(dirname(entryPath), 'list.json');
      writeFileSync(entryPath, readFileSync(entryPath, 'utf8').slice(0, 500));
      const r = await fetchFromProxy(opts('good', { cacheDir }));
      assert.ok(r.ok && !r.fromCache && r.text === text(VERSION));
      const tampered = JSON.parse(readFileSync(entryPath, 'utf8'));
      writeFileSync(entryPath, JSON.stringify({ ...tampered, text: tampered.text.replace('message', 'massage') }));
      const r2 = await fetchFromProxy(opts('good', { cacheDir }));
      assert.ok(r2.ok && !r2.fromCache && r2.text === text(VERSION));
      // A day later with the proxy unreachable: the old list and the cached file still answer.
      const later = () => Date.now() + 24 * 3600 * 1000;
      const { fetch: down } = forbidden();
      const r3 = await fetchFromProxy(opts('good', { cacheDir, now: later, fetch: down }));
      assert.ok(r3.ok && r3.fromCache);
      writeFileSync(listPath, '{"v":1,');
      const r4 = await fetchFromProxy(opts('good', { cacheDir, now: later, fetch: down }));
      assert.ok(!r4.ok && /fetch must not be called/.test(r4.reason));
    });

    // Each outcome is its message (the slow proxy's says it was cut at 300 ms, the endless one's at the cap); the
    // test's timeout is a hang guard, not a timing.
    test('hostile and broken proxies each give a clear outcome', { timeout: 60_000 }, async () => {
      const cases: [string, Partial<ProxyOptions>, RegExp][] = [
        ['slow', { timeoutMs: 300 }, /no complete answer within 300 ms/],
        ['truncated', {}, /rejected: not a zip file, or truncated/],
        ['cut', {}, /v0\.36\.3\.zip: request failed: connection closed before the response was complete/],
        ['oversized', {}, /104857600 bytes is over the 67108864-byte cap; not downloaded/],
        ['endless', {}, /exceeded the 1048576-byte cap; download stopped/],
        ['slip', {}, /rejected: unsafe entry "k8s\.io\/cri-api@v0\.36\.3\/\.\.\/.*evil\.txt": empty, "\." or "\.\." path segment; the whole zip is rejected/],
        ['absolute', {}, /unsafe entry "\/etc\/evil"/],
        ['badhash', { goSum: new Map([[VERSION, 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=']]) }, /does not match the workspace's go\.sum or go\.work\.sum/],
        ['garbage', {}, /rejected: not a zip file.*; 3 unusable lines in the version list ignored/],
        ['nolist', {}, /lists no v0\.N\.M versions/],
        ['missing', {}, /does not serve k8s\.io\/cri-api \(HTTP 404\)/],
        ['error', {}, /HTTP 500/],
        ['redirect', {}, /redirects to http:\/\/example\.invalid.*only https/],
      ];
      for (const [mode, extra, want] of cases) {
        const r = await fetchFromProxy(opts(mode, extra));
        assert.ok(!r.ok, `${mode}: expected a miss`);
        assert.match(r.reason, want, mode);
      }
      assert.ok(!existsSync('/tmp/evil.txt'));
      const cache = join(TMP, 'cache-hostile');
      assert.ok(!(await fetchFromProxy(opts('badhash', { cacheDir: cache, goSum: new Map([[VERSION, 'h1:x=']]) }))).ok);
      assert.ok(!readdirSync(cache, { recursive: true }).map(String).some((f) => f.endsWith('.zip') || f.endsWith(`${VERSION}.json`)), 'nothing rejected is cached');
    });

    test('nothing listening: connection refused', async () => {
      const probe = createServer();
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      const port = (probe.address() as AddressInfo).port;
      await new Promise((r) => probe.close(r));
      const r = await fetchFromProxy({ env: { GOPROXY: `http://127.0.0.1:${port}` } });
      assert.ok(!r.ok);
      assert.match(r.reason, /@v\/list: request failed: connection refused \(ECONNREFUSED\)/);
    });

    test('cancelling stops a download', async () => {
      const ctl = new AbortController();
      setTimeout(() => ctl.abort(new Error('user cancelled')), 100);
      await assert.rejects(fetchFromProxy(opts('slow', { signal: ctl.signal })), /user cancelled/);
    });

    // ---- resolveBaseline, using the fixtures above. ----
    describe('resolveBaseline', () => {
      let modCache: string;
      let plainDir: string;
      before(() => {
        modCache = join(TMP, 'resolve-modcache');
        write(join(modCache, 'k8s.io', 'cri-api@v0.33.0', V1_PATH), text('v0.33.0'));
        plainDir = join(TMP, 'plain');
        write(join(plainDir, 'api.proto'), text('v0.36.3'));
      });
      const bundled = () => fakeBundled('v0.35.7');

      test('untrusted: no process, no network; bundled index; every step recorded', async () => {
        const { calls, launcher, fetch } = forbidden();
        const r = await resolveBaseline({
          filePath: join(criApi, V1_PATH), trusted: false, networkEnabled: true, bundled: bundled(),
          env: { GOMODCACHE: modCache, GOPROXY: `${base}/good` }, launcher, fetch,
        });
        assert.equal(calls.spawn, 0);
        assert.equal(calls.fetch, 0);
        assert.equal(r.baseline?.source, 'bundled');
        assert.equal(r.baseline?.tag, 'v0.35.7');
        assert.equal(r.baseline?.kubernetes, '1.35.7');
        assertModelIs(r.baseline?.model, 'v0.35.7');
        assert.deepEqual(r.tried.map((t) => t.source), ['git', 'bundled', 'gomodcache', 'vendor', 'proxy']);
        assert.match(r.tried[0]!.outcome, /not trusted/);
        assert.match(r.tried[2]!.outcome, /found v0\.33\.0, not newer than v0\.35\.7/);
        assert.match(r.tried[3]!.outcome, /not trusted/);
        assert.match(r.tried[4]!.outcome, /not trusted/);
        assert.equal(r.message, undefined);
      });

      test('trusted: git chooses, with release-line data and the bundled history attached', async () => {
        const full = { ...bundled(), fieldUses: () => [], enumValueUses: () => [], element: () => undefined };
        const { calls, fetch } = forbidden();
        const r = await resolveBaseline({
          filePath: join(TMP, 'wt-release', KUBERNETES_V1_PATH), trusted: true, networkEnabled: true, bundled: full, fetch,
          env: { GOMODCACHE: modCache, GOPROXY: `${base}/good` },
        });
        assert.equal(calls.fetch, 0);
        assert.equal(r.baseline?.source, 'git');
        assert.equal(r.baseline?.tag, 'v0.35.6');
        assert.equal(r.baseline?.kubernetes, '1.35.6');
        assertModelIs(r.baseline?.model, 'v0.35.6');
        assert.equal(r.baseline?.releaseLine, 35);
        assert.equal(r.baseline?.history, full);
        assert.deepEqual(r.tried, [{ source: 'git', outcome: 'found v1.35.6' }]);
      });

      test('git unavailable: falls through to the bundled index with the reason', async () => {
        const r = await resolveBaseline({ filePath: join(criApi, V1_PATH), trusted: true, bundled: bundled(), env: { GOMODCACHE: emptyModCache }, git: { gitPath: join(TMP, 'no', 'git') } });
        assert.equal(r.baseline?.source, 'bundled');
        assert.match(r.tried[0]!.outcome, /git is not installed/);
      });

      test('Go module cache and vendor win only when newer than the bundled index', async () => {
        const cache = join(TMP, 'resolve-modcache-new');
        write(join(cache, 'k8s.io', 'cri-api@v0.36.0', V1_PATH), text('v0.36.0'));
        const a = await resolveBaseline({ filePath: join(plainDir, 'api.proto'), trusted: false, bundled: bundled(), env: { GOMODCACHE: cache } });
        assert.equal(a.baseline?.source, 'gomodcache');
        assert.equal(a.baseline?.tag, 'v0.36.0');
        assertModelIs(a.baseline?.model, 'v0.36.0');
        const b = await resolveBaseline({ filePath: join(TMP, 'proj', 'internal', 'api.proto'), trusted: true, bundled: bundled(), env: { GOMODCACHE: cache } });
        assert.equal(b.baseline?.source, 'vendor');
        assert.equal(b.baseline?.tag, 'v0.36.2');
        assert.match(b.baseline!.origin, /vendored k8s\.io\/cri-api v0\.36\.2/);
        // Untrusted: the workspace's vendor/ does not choose the baseline; the user's module cache still counts.
        const u = await resolveBaseline({ filePath: join(TMP, 'proj', 'internal', 'api.proto'), trusted: false, bundled: bundled(), env: { GOMODCACHE: cache } });
        assert.equal(u.baseline?.source, 'gomodcache');
        assert.match(u.tried.find((t) => t.source === 'vendor')!.outcome, /not trusted/);
        const c = await resolveBaseline({ filePath: join(TMP, 'proj', 'api.proto'), trusted: true, bundled: fakeBundled('v0.36.3'), env: { GOMODCACHE: cache } });
        assert.equal(c.baseline?.source, 'bundled');
        assert.match(c.tried.find((t) => t.source === 'vendor')!.outcome, /not newer than v0\.36\.3/);
      });

      test('proxy: only when trusted and network use is enabled, and only for something newer', async () => {
        const { calls, fetch } = forbidden();
        const off = await resolveBaseline({ filePath: join(plainDir, 'api.proto'), trusted: true, bundled: bundled(), fetch, env: { GOMODCACHE: emptyModCache, GOPROXY: `${base}/good` } });
        assert.equal(calls.fetch, 0);
        assert.equal(off.baseline?.source, 'bundled');
        assert.match(off.tried.at(-1)!.outcome, /network use is disabled/);
        write(join(plainDir, 'go.sum'), `k8s.io/cri-api ${VERSION} ${goodH1}\n`);
        const progress: string[] = [];
        const on = await resolveBaseline({
          filePath: join(plainDir, 'api.proto'), trusted: true, networkEnabled: true, bundled: bundled(), cacheDir: join(TMP, 'cache-resolve'),
          env: { GOMODCACHE: emptyModCache, GOPROXY: `${base}/good` }, onProgress: (m) => progress.push(m),
        });
        assert.equal(on.baseline?.source, 'proxy');
        assert.equal(on.baseline?.tag, VERSION);
        assert.match(on.baseline!.origin, /h1 verified against go\.sum/);
        assertModelIs(on.baseline?.model, VERSION);
        assert.ok(progress.length >= 3, progress.join(' | '));
        const latest = await resolveBaseline({
          filePath: join(plainDir, 'api.proto'), trusted: true, networkEnabled: true, bundled: fakeBundled('v0.36.3'), fetch,
          env: { GOMODCACHE: emptyModCache, GOPROXY: `${base}/good` }, cacheDir: join(TMP, 'cache-resolve'),
        });
        assert.equal(latest.baseline?.source, 'bundled');
        assert.match(latest.tried.at(-1)!.outcome, /nothing newer than v0\.36\.3/);
        const broken = await resolveBaseline({ filePath: join(plainDir, 'api.proto'), trusted: true, networkEnabled: true, bundled: bundled(), env: { GOMODCACHE: emptyModCache, GOPROXY: `${base}/slip` } });
        assert.equal(broken.baseline?.source, 'bundled');
        assert.match(broken.tried.at(-1)!.outcome, /unsafe entry/);
      });

      test('explicit setting: a tag, a path, a git ref; untrusted refs are not looked up', async () => {
        const { calls, launcher, fetch } = forbidden();
        const tag = await resolveBaseline({ explicit: 'v0.33.0', filePath: join(criApi, V1_PATH), trusted: false, bundled: bundled(), launcher, fetch });
        assert.equal(tag.baseline?.source, 'setting');
        assert.equal(tag.baseline?.tag, 'v0.33.0');
        assertModelIs(tag.baseline?.model, 'v0.33.0');
        const path = await resolveBaseline({ explicit: '../plain/api.proto', filePath: join(TMP, 'proj', 'api.proto'), trusted: false, launcher, fetch });
        assert.equal(path.baseline?.source, 'path');
        assert.equal(path.baseline?.tag, join(plainDir, 'api.proto'));
        assertModelIs(path.baseline?.model, 'v0.36.3');
        const untrustedRef = await resolveBaseline({ explicit: 'main~2', filePath: join(criApi, V1_PATH), trusted: false, launcher, fetch });
        assert.equal(untrustedRef.baseline, undefined);
        assert.match(untrustedRef.message!, /could not be used: "main~2" is not a file and was not looked up in git: the workspace is not trusted\. Set it to a cri-api release tag/);
        assert.equal(calls.spawn + calls.fetch, 0);
        const ref = await resolveBaseline({ explicit: 'main~2', filePath: join(criApi, V1_PATH), trusted: true });
        assert.equal(ref.baseline?.source, 'setting');
        assertModelIs(ref.baseline?.model, 'v0.34.0');
        const gitTag = await resolveBaseline({ explicit: 'v0.35.1', filePath: join(k8s, KUBERNETES_V1_PATH), trusted: true, env: { GOMODCACHE: emptyModCache } });
        assert.equal(gitTag.baseline?.tag, 'v0.35.1');
        assert.equal(gitTag.baseline?.kubernetes, '1.35.1');
        assertModelIs(gitTag.baseline?.model, 'v0.35.1');
        const unknown = await resolveBaseline({ explicit: 'v0.99.0', filePath: join(criApi, V1_PATH), trusted: true, bundled: bundled(), env: { GOMODCACHE: emptyModCache } });
        assert.equal(unknown.baseline, undefined);
        assert.match(unknown.message!, /^The baseline "v0\.99\.0" \(criCompat\.baseline\) could not be used: v0\.99\.0 is not in the bundled release index \(newest runtime\.v1 release there: v0\.35\.7\); no k8s\.io\/cri-api in the Go module cache .*; "v0\.99\.0" is not a commit, tag or branch in .*Set it to a cri-api release tag such as v0\.35\.7/);
        const notCri = join(TMP, 'other.proto');
        write(notCri, 'syntax = "proto3";\npackage foo.v1;\nmessage M { string a = 1; }\n');
        const wrong = await resolveBaseline({ explicit: notCri, trusted: false });
        assert.match(wrong.message!, /declares package "foo\.v1", not runtime\.v1/);
        const missing = await resolveBaseline({ explicit: './nope.proto', filePath: join(plainDir, 'api.proto'), trusted: true, launcher, fetch });
        assert.match(missing.message!, /nope\.proto does not exist/);
        assert.equal(calls.spawn + calls.fetch, 0, 'a path-like setting is never taken for a git ref');
      });

      test('explicit setting: kubernetes-1.N.M is the Go tag v0.N.M in every source', async () => {
        const { calls, launcher, fetch } = forbidden();
        const b = await resolveBaseline({ explicit: 'kubernetes-1.33.0', filePath: join(criApi, V1_PATH), trusted: false, bundled: bundled(), launcher, fetch });
        assert.equal(b.baseline?.tag, 'v0.33.0');
        assert.equal(b.baseline?.kubernetes, '1.33.0');
        assert.equal(b.baseline?.origin, 'the bundled release index (as set: kubernetes-1.33.0)');
        assertModelIs(b.baseline?.model, 'v0.33.0');
        assert.equal(calls.spawn + calls.fetch, 0);
        // A kubernetes/kubernetes clone has no kubernetes-1.N.M tags: git is asked for its v1.N.M.
        const g = await resolveBaseline({ explicit: 'kubernetes-1.35.1', filePath: join(k8s, KUBERNETES_V1_PATH), trusted: true, env: { GOMODCACHE: emptyModCache } });
        assert.equal(g.baseline?.tag, 'v0.35.1');
        assert.match(g.baseline!.origin, /^git v1\.35\.1 \(\w+\) in .* \(as set: kubernetes-1\.35\.1\)$/);
        assertModelIs(g.baseline?.model, 'v0.35.1');
      });

      test('explicit setting: a Kubernetes tag v1.N.M outside a kubernetes clone names the cri-api tag', async () => {
        const r = await resolveBaseline({ filePath: join(plainDir, 'api.proto'), explicit: 'v1.35.2', trusted: true, bundled: bundled(), env: { GOMODCACHE: emptyModCache } });
        assert.equal(r.baseline, undefined);
        assert.match(r.message ?? '', /v1\.35\.2 is a kubernetes\/kubernetes tag: the cri-api release of Kubernetes v1\.35\.2 is v0\.35\.2/);
      });

      test('explicit setting: a tag of the other major API version is named as such', async () => {
        const r = await resolveBaseline({ explicit: 'v0.19.0', filePath: join(criApi, V1_PATH), trusted: false, bundled: fakeBundled('v0.37.0-beta.0'), env: { GOMODCACHE: emptyModCache } });
        assert.equal(r.baseline, undefined);
        assert.equal(r.tried[0]!.outcome, 'v0.19.0 has no runtime.v1 api.proto in the bundled release index, only runtime.v1alpha2 (newest runtime.v1 release there: v0.36.3; newest runtime.v1 pre-release: v0.37.0-beta.0)');
        const cli = (against: string, text: string) => resolveCliBaseline({ against, file: join(TMP, 'cli', 'api.proto'), cwd: TMP, text, includePrereleases: false, network: false, onProgress: () => {} });
        // runtime.v1alpha2 files are checked against the bundled index only, and take both tag forms too.
        const v1alpha2 = 'syntax = "proto3";\npackage runtime.v1alpha2;\n';
        const old = await cli('kubernetes-1.19.0', v1alpha2);
        assert.equal(old.baseline?.tag, 'v0.19.0');
        assert.equal(old.baseline?.origin, 'the bundled release index (as set: kubernetes-1.19.0)');
        // Releases tagged only kubernetes-1.N.M (1.16 and older) are found under that name.
        const k16 = await cli('kubernetes-1.16.0', v1alpha2);
        assert.equal(k16.error, undefined);
        assert.equal(k16.baseline?.tag, 'kubernetes-1.16.0');
        // Given, so `as set` and `setting`, as runtime.v1's tags are: not described as a release auto picked.
        assert.equal(k16.baseline?.origin, 'the bundled release index (as set)');
        assert.equal(k16.baseline?.source, 'setting');
        assert.ok(k16.baseline?.model.messages.some((m) => m.name === 'PodSandboxConfig'));
        assert.equal((await cli('v0.30.0', v1alpha2)).error, '--against v0.30.0: v0.30.0 has no runtime.v1alpha2 api.proto in the bundled release index, only runtime.v1 (newest runtime.v1alpha2 release there: v0.25.16; newest runtime.v1alpha2 pre-release: v0.26.0-alpha.3)');
      });

      test('nothing anywhere: one actionable message naming every source', async () => {
        const r = await resolveBaseline({ filePath: join(TMP, 'loose', 'api.proto'), trusted: false, env: { GOMODCACHE: emptyModCache } });
        assert.equal(r.baseline, undefined);
        assert.match(r.message!, /^No baseline release to compare api\.proto against\. Tried: git: skipped.*; bundled: no bundled release index available; gomodcache: .*; vendor: .*; proxy: skipped.*To fix: set criCompat\.baseline to a.*trust the workspace.*go mod download k8s\.io\/cri-api@latest.*criCompat\.network\.enable/);
      });

      test('an aborted signal stops resolution', async () => {
        const ctl = new AbortController();
        ctl.abort(new Error('stop'));
        await assert.rejects(resolveBaseline({ filePath: join(criApi, V1_PATH), trusted: true, bundled: bundled(), signal: ctl.signal }), /stop/);
        const late = new AbortController();
        const p = resolveBaseline({ filePath: join(criApi, V1_PATH), trusted: true, bundled: bundled(), signal: late.signal, onProgress: () => late.abort(new Error('stopped mid-way')) });
        await assert.rejects(p, /stopped mid-way/);
      });
    });
  });
});
