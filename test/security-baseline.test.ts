// Baseline sources against hostile content (security audit): a repository whose config would have git run a
// command through a partial clone's lazy fetch; a git (git.exe, git.com) committed at a clone's root, which a
// bare program name would start; vendor/ and go.sum planted in a parent directory the project does not own
// (shared, world-writable, or another user's); FIFOs where files are read; api.proto blobs and zip entries
// over the file-size cap.
//
// Everything is built in a temporary directory, with small proto texts of its own (no corpus needed).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { chmodSync, chownSync, closeSync, constants as fsConstants, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Corpus, CORPUS_HELP, findCorpusDir, findRepoRoot, V1_PATH } from '../server/src/baseline/corpus';
import { findGitBaseline, readGitRevision } from '../server/src/baseline/gitSource';
import { DEFAULT_MAX_FILE_BYTES, findGoSumHashes, findInModuleCache, findInVendor, readFileWithin } from '../server/src/baseline/goModSource';
import { fetchFromProxy, readModuleZip } from '../server/src/baseline/proxySource';
import { expectedH1, zip, type ZipFile } from './moduleZipFixture';
import { resolveBaseline } from '../server/src/baseline/resolve';
import { CatFileBatch, GitError, gitArgv, gitEnvironment, runGit, type ProcessLauncher } from '../server/src/baseline/safeExec';
// A namespace import for what the fix adds: without it, it is undefined and the tests fail, not the build.
import * as safeExec from '../server/src/baseline/safeExec';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { resolveCliBaseline } from '../server/src/cli/baseline';

const TMP = realpathSync(mkdtempSync(join(tmpdir(), 'cri-compat-security-baseline-')));
after(() => {
  // A world-writable sticky directory made below may hold files; make everything removable first.
  try {
    execFileSync('chmod', ['-R', 'u+rwx', TMP], { stdio: 'ignore' });
  } catch {
    /* best effort */
  }
  rmSync(TMP, { recursive: true, force: true });
});

const PROTO = (note: string) => `syntax = "proto3";\npackage runtime.v1;\n// ${note}\nmessage A { string x = 1; }\n`;

function write(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

// ---- Test git, isolated from the machine's git configuration (as in baseline.test.ts). ----

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
    maxBuffer: 64 * 1024 * 1024,
  });
}

let hasGit = true;
try {
  execFileSync('git', ['--version'], { stdio: 'ignore' });
} catch {
  hasGit = false;
}
const noGit = hasGit ? false : 'git is not installed';

/** A cri-api clone at `TMP/name` whose api.proto at tag `tag` is `content`; returns the file's path. */
function repoWithTag(name: string, tags: [string, string | Buffer][]): { root: string; file: string } {
  const root = join(TMP, name);
  mkdirSync(root, { recursive: true });
  git(root, 'init', '-q');
  const file = join(root, ...V1_PATH.split('/'));
  for (const [tag, content] of tags) {
    write(file, content);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', tag);
    git(root, 'tag', tag);
  }
  // Work past the last tag, so that the last tag is the baseline (a HEAD at a tag is compared with the release before).
  const last = tags[tags.length - 1]![1];
  write(file, Buffer.concat([Buffer.from(last), Buffer.from('\n// work in progress\n')]));
  git(root, 'commit', '-q', '-am', 'work in progress');
  return { root, file };
}

/**
 * Makes `root` a "partial clone" whose api.proto blob of `tag` is missing, so that reading it makes git
 * fetch it lazily from the promisor remote `origin`, configured by `config`.
 */
function makePromisor(root: string, tag: string, config: [string, string][]): void {
  const blob = git(root, 'rev-parse', `${tag}:${V1_PATH}`).trim();
  rmSync(join(root, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
  for (const [k, v] of [
    ['core.repositoryformatversion', '1'],
    ['extensions.partialClone', 'origin'],
    ['remote.origin.promisor', 'true'],
    ...config,
  ] as [string, string][]) git(root, 'config', k, v);
}

const bundled = loadBundledHistory();

// ---------------------------------------------------------------------------------------------------------
describe('git: a hostile partial clone runs no command', () => {
  test('the environment and arguments git runs with allow no transport and no lazy fetch', () => {
    const env = gitEnvironment();
    assert.equal(env.GIT_NO_LAZY_FETCH, '1');
    const allowed = env.GIT_ALLOW_PROTOCOL;
    assert.ok(allowed !== undefined, 'GIT_ALLOW_PROTOCOL must be set: it overrides the repository protocol.<name>.allow');
    // Every listed name must be one no URL can have: a scheme or remote-helper name is [A-Za-z0-9+.-]* (possibly
    // empty, `::address`), so an empty value would allow the empty helper name.
    for (const name of allowed.split(':')) assert.ok(/[^A-Za-z0-9+.-]/.test(name), `GIT_ALLOW_PROTOCOL lists a usable protocol name "${name}"`);
    const argv = gitArgv('/x', ['cat-file', '--batch']);
    for (const p of ['ext', 'file']) assert.ok(argv.includes(`protocol.${p}.allow=never`), `protocol.${p}.allow=never is not on the command line`);
  });

  const variants: { name: string; config: (marker: string, root: string) => [string, string][] }[] = [
    {
      name: 'ext:: remote allowed by the repository (protocol.ext.allow always)',
      config: (marker) => [
        ['protocol.ext.allow', 'always'],
        ['remote.origin.url', `ext::sh -c touch% ${marker}`],
      ],
    },
    {
      name: 'local-path remote with an upload-pack command (protocol.file.allow always)',
      config: (marker, root) => [
        ['protocol.file.allow', 'always'],
        ['remote.origin.url', `${root}-upstream`],
        ['remote.origin.uploadpack', `touch ${marker}; git-upload-pack`],
      ],
    },
  ];

  for (const [i, v] of variants.entries()) {
    test(`lazy fetch of a missing blob from a promisor remote: ${v.name}`, { skip: noGit }, async () => {
      const name = `promisor-${i}`;
      const marker = join(TMP, `${name}-pwned`);
      assert.ok(!/[\s%']/.test(marker), 'the marker path must need no quoting');
      const { root, file } = repoWithTag(name, [['v0.30.0', PROTO('v0.30.0')]]);
      // The upstream of the second variant: a real repository, so that only the command would make a difference.
      mkdirSync(`${root}-upstream`, { recursive: true });
      git(`${root}-upstream`, 'init', '-q', '--bare');
      makePromisor(root, 'v0.30.0', v.config(marker, root));
      assert.ok(!existsSync(marker));

      const g = await findGitBaseline(file, { timeoutMs: 20_000 });
      assert.ok(!existsSync(marker), `findGitBaseline let git run the remote's command (${marker} was created)`);
      assert.ok(!g.ok, 'the missing blob must not be found');
      assert.match(g.reason, /v0\.30\.0/);

      const r = await readGitRevision(file, 'v0.30.0', { timeoutMs: 20_000 });
      assert.ok(!existsSync(marker), `readGitRevision let git run the remote's command (${marker} was created)`);
      assert.ok(!r.ok);

      // The CLI's resolution (trusted: the user ran the command) falls back to the bundled index.
      const cli = await resolveCliBaseline({
        against: 'auto', file, cwd: root, text: PROTO('edited'), includePrereleases: false, network: false, onProgress: () => undefined,
      });
      assert.ok(!existsSync(marker), `the CLI's baseline lookup let git run the remote's command (${marker} was created)`);
      assert.ok(cli.baseline, cli.message ?? cli.error);
      assert.notEqual(cli.baseline.source, 'git');
    });
  }
});

// ---------------------------------------------------------------------------------------------------------
describe('git: started by an absolute path, never from the repository', () => {
  const posixOnly = process.platform === 'win32' ? 'POSIX file modes and PATH syntax' : false;

  /** An executable shell script at `path` that creates `marker` when run. */
  function fakeGit(path: string, marker: string): void {
    write(path, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`);
    chmodSync(path, 0o755);
  }

  /** Runs `fn` with PATH set to `path` and the working directory `cwd`, restoring both after. */
  async function withPathAndCwd<T>(path: string, cwd: string, fn: () => Promise<T> | T): Promise<T> {
    const oldPath = process.env.PATH;
    const oldCwd = process.cwd();
    process.env.PATH = path;
    process.chdir(cwd);
    try {
      return await fn();
    } finally {
      process.chdir(oldCwd);
      if (oldPath === undefined) delete process.env.PATH;
      else process.env.PATH = oldPath;
    }
  }

  test('findGitExecutable, Windows rules: absolute PATH directories only, PATHEXT order, no .bat/.cmd, never the working directory', () => {
    assert.equal(typeof safeExec.findGitExecutable, 'function', 'safeExec must export findGitExecutable');
    const probed: string[] = [];
    // What exists, as the injected check sees it: a git in the working directory (what `.` and an empty entry
    // name), behind relative, drive-relative and root-relative entries, a git.bat, and the real ones.
    const present = new Set([
      'git.exe', 'git.com', 'bin\\git.exe', 'C:bin\\git.exe', '\\tools\\git.exe',
      'C:\\Program Files\\Git\\cmd\\git.bat', 'C:\\Program Files\\Git\\cmd\\git.exe', 'D:\\later\\git.com',
    ]);
    const lookup = (path: string, pathExt = '.BAT;.CMD;.COM;.EXE') => safeExec.findGitExecutable({
      platform: 'win32', path, pathExt, isExecutable: (f) => (probed.push(f), present.has(f)),
    });
    assert.equal(lookup('.;;bin;C:bin;\\tools;"C:\\Program Files\\Git\\cmd";D:\\later'), 'C:\\Program Files\\Git\\cmd\\git.exe');
    assert.ok(probed.length > 0);
    for (const f of probed) assert.match(f, /^[A-Za-z]:\\/, `probed ${f}, which is not an absolute path`);
    assert.ok(!probed.some((f) => /\.(bat|cmd)$/i.test(f)), `probed ${probed.join(', ')}: a .bat or .cmd cannot be started without a shell`);
    // PATHEXT's order within a directory (git.com before git.exe, as Windows would), PATH's across directories.
    present.add('D:\\later\\git.exe');
    assert.equal(lookup('D:\\later;C:\\Program Files\\Git\\cmd'), 'D:\\later\\git.com');
    assert.equal(lookup('D:\\later', '.EXE;.COM'), 'D:\\later\\git.exe');
    present.add('\\\\server\\share\\git.exe');
    assert.equal(lookup('\\\\server\\share'), '\\\\server\\share\\git.exe');
    // Only relative entries: no git, although the working directory has one.
    probed.length = 0;
    assert.equal(lookup('.;;bin;C:bin;\\tools'), undefined);
    assert.deepEqual(probed, []);
  });

  test('findGitExecutable, POSIX rules: skips relative and empty PATH entries, the working directory and non-executables', { skip: posixOnly }, async () => {
    const base = join(TMP, 'git-lookup');
    const clone = join(base, 'clone');
    const marker = join(base, 'pwned');
    fakeGit(join(clone, 'git'), marker);
    fakeGit(join(clone, 'rel', 'bin', 'git'), marker);
    write(join(base, 'noexec', 'git'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(base, 'noexec', 'git'), 0o644);
    const absBin = join(base, 'bin');
    fakeGit(join(absBin, 'git'), marker);
    await withPathAndCwd('/usr/bin:/bin', clone, () => {
      assert.equal(safeExec.findGitExecutable({ path: `.::rel/bin:${join(base, 'noexec')}:${absBin}` }), join(absBin, 'git'));
      assert.equal(safeExec.findGitExecutable({ path: '.::rel/bin:' }), undefined);
      assert.equal(safeExec.findGitExecutable({ path: '' }), undefined);
    });
    assert.ok(!existsSync(marker));
  });

  test('every git process is started by that absolute path; with none found, git is unavailable and nothing starts', { skip: posixOnly }, async () => {
    const base = join(TMP, 'git-spawn');
    const clone = join(base, 'clone');
    mkdirSync(clone, { recursive: true });
    fakeGit(join(clone, 'git'), join(base, 'pwned'));
    const absBin = join(base, 'bin');
    fakeGit(join(absBin, 'git'), join(base, 'pwned'));
    // Records what would be started, and answers as a git that printed nothing.
    const started: string[] = [];
    const launcher = {
      execFile: ((file: string, _args: string[], _opts: unknown, cb: (e: Error | null, out: Buffer, err: Buffer) => void) => {
        started.push(file);
        setImmediate(() => cb(null, Buffer.alloc(0), Buffer.alloc(0)));
        return { stdin: new PassThrough() };
      }) as unknown as ProcessLauncher['execFile'],
      spawn: ((file: string) => {
        started.push(file);
        const child = Object.assign(new EventEmitter(), { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), exitCode: 0, signalCode: null, kill: () => true });
        return child;
      }) as unknown as ProcessLauncher['spawn'],
    };
    await withPathAndCwd(`.::rel:${absBin}:/usr/bin:/bin`, clone, async () => {
      await runGit(clone, ['status'], { launcher });
      // Started at its first read.
      const batch = new CatFileBatch(clone, { launcher });
      const read = batch.read('HEAD');
      batch.close();
      await assert.rejects(read, (e: GitError) => e.kind === 'aborted');
      assert.deepEqual(started, [join(absBin, 'git'), join(absBin, 'git')]);
    });
    started.length = 0;
    await withPathAndCwd('.::rel', clone, async () => {
      await assert.rejects(runGit(clone, ['status'], { launcher }), (e: GitError) => e.kind === 'not-installed' && /git is not installed/.test(e.message));
      const batch = new CatFileBatch(clone, { launcher });
      await assert.rejects(batch.read('HEAD'), (e: GitError) => e.kind === 'not-installed');
      batch.close();
      // A relative gitPath is refused too.
      await assert.rejects(runGit(clone, ['status'], { launcher, gitPath: 'bin/git' }), (e: GitError) => e.kind === 'not-installed');
    });
    assert.deepEqual(started, []);
    // The PATH git itself gets has no relative entries either (git's own program lookups).
    await withPathAndCwd(`.::rel:${absBin}:/usr/bin`, clone, () => assert.equal(gitEnvironment().PATH, `${absBin}:/usr/bin`));
  });

  test('a git at the repository root is not run, even with the working directory on PATH', { skip: posixOnly || noGit }, async () => {
    const { root, file } = repoWithTag('planted-git', [['v0.30.0', PROTO('v0.30.0')]]);
    const marker = join(TMP, 'planted-git-pwned');
    fakeGit(join(root, 'git'), marker);
    // An empty PATH entry, like `.`, means the working directory: the repository root for every git command.
    await withPathAndCwd(`:${process.env.PATH ?? '/usr/bin:/bin'}`, TMP, async () => {
      const g = await findGitBaseline(file, { timeoutMs: 20_000 });
      assert.ok(!existsSync(marker), `the repository's own git was run (${marker} was created)`);
      assert.ok(g.ok, !g.ok ? g.reason : '');
      assert.equal(g.baseline.goTag, 'v0.30.0');
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('vendor/ and go.sum: only the project\'s own', () => {
  const modulesTxt = (v: string) => `# k8s.io/cri-api ${v}\n## explicit; go 1.24.0\nk8s.io/cri-api/pkg/apis/runtime/v1\n`;
  function plantVendor(dir: string, version: string): void {
    write(join(dir, 'vendor', 'modules.txt'), modulesTxt(version));
    write(join(dir, 'vendor', 'k8s.io', 'cri-api', V1_PATH), PROTO(`vendored ${version}`));
  }

  test('a vendor/ planted in a parent directory without go.mod does not decide the baseline (audit t12)', async () => {
    const shared = join(TMP, 'planted-a');
    plantVendor(shared, 'v0.99.0');
    const fileDir = join(shared, 'proj', 'pkg');
    write(join(fileDir, 'api.proto'), PROTO('edited'));
    const r = await findInVendor(fileDir);
    assert.ok(!r.ok, `the planted vendor/ was used: ${r.ok ? r.origin : ''}`);
    assert.match(r.reason, /no vendor\/modules\.txt/);
    const res = await resolveBaseline({ filePath: join(fileDir, 'api.proto'), trusted: true, bundled, env: { GOMODCACHE: join(TMP, 'no-modcache') }, homeDir: TMP });
    assert.equal(res.baseline?.source, 'bundled', JSON.stringify(res.tried));
  });

  test('the walk ends at the project\'s go.mod: vendor/ and go.sum above it are ignored', async () => {
    const shared = join(TMP, 'planted-b');
    plantVendor(shared, 'v0.99.0');
    write(join(shared, 'go.mod'), 'module example.com/planted\n\nrequire k8s.io/cri-api v0.99.0\n');
    write(join(shared, 'go.sum'), 'k8s.io/cri-api v0.99.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n');
    const proj = join(shared, 'proj');
    write(join(proj, 'go.mod'), 'module example.com/proj\n\ngo 1.24\n');
    const fileDir = join(proj, ...dirname(V1_PATH).split('/'));
    write(join(fileDir, 'api.proto'), PROTO('edited'));

    const r = await findInVendor(fileDir);
    assert.ok(!r.ok, `the planted vendor/ was used: ${r.ok ? r.origin : ''}`);
    assert.match(r.reason, /module root/);
    assert.equal((await findGoSumHashes(fileDir)).hashes.size, 0, 'the planted go.sum was used');
    const res = await resolveBaseline({ filePath: join(fileDir, 'api.proto'), trusted: true, bundled, env: { GOMODCACHE: join(TMP, 'no-modcache') }, homeDir: TMP });
    assert.equal(res.baseline?.source, 'bundled', JSON.stringify(res.tried));
    assert.doesNotMatch(res.tried.find((t) => t.source === 'vendor')?.outcome ?? '', /v0\.99\.0/);

    // The project's own vendor/ and go.sum, beside its go.mod, still count.
    plantVendor(proj, 'v0.98.0');
    write(join(proj, 'go.sum'), 'k8s.io/cri-api v0.98.0 h1:BBBB=\n');
    const own = await findInVendor(fileDir);
    assert.ok(own.ok, !own.ok ? own.reason : '');
    assert.equal(own.version, 'v0.98.0');
    assert.equal(own.text, PROTO('vendored v0.98.0'));
    assert.deepEqual([...(await findGoSumHashes(fileDir)).hashes], [['v0.98.0', 'h1:BBBB=']]);
    const res2 = await resolveBaseline({ filePath: join(fileDir, 'api.proto'), trusted: true, bundled, env: { GOMODCACHE: join(TMP, 'no-modcache') }, homeDir: TMP });
    assert.equal(res2.baseline?.source, 'vendor');
    assert.equal(res2.baseline?.tag, 'v0.98.0');
  });

  test('the walk ends at the repository root and before a world-writable directory', async () => {
    // A go.mod and vendor/ above a git repository that has no go.mod of its own.
    const above = join(TMP, 'planted-c');
    plantVendor(above, 'v0.99.0');
    write(join(above, 'go.mod'), 'module example.com/planted\n');
    const repo = join(above, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    write(join(repo, 'pkg', 'api.proto'), PROTO('edited'));
    const r = await findInVendor(join(repo, 'pkg'));
    assert.ok(!r.ok, `vendor/ above the repository root was used: ${r.ok ? r.origin : ''}`);
    assert.match(r.reason, /repository root/);

    // A shared directory like /tmp: anyone could have put go.mod and vendor/ there.
    if (process.platform === 'win32') return;
    const sharedDir = join(TMP, 'planted-d');
    plantVendor(sharedDir, 'v0.99.0');
    write(join(sharedDir, 'go.mod'), 'module example.com/planted\n');
    write(join(sharedDir, 'go.sum'), 'k8s.io/cri-api v0.99.0 h1:CCCC=\n');
    write(join(sharedDir, 'proj', 'pkg', 'api.proto'), PROTO('edited'));
    chmodSync(sharedDir, 0o1777);
    const s = await findInVendor(join(sharedDir, 'proj', 'pkg'));
    assert.ok(!s.ok, `vendor/ in a world-writable directory was used: ${s.ok ? s.origin : ''}`);
    assert.match(s.reason, /writable by every user/);
    assert.equal((await findGoSumHashes(join(sharedDir, 'proj', 'pkg'))).hashes.size, 0);
  });

  test('the walk stops before a directory owned by another user, such as a group-writable team directory (audit t12c)', {
    skip: process.platform === 'win32' ? 'POSIX ownership' : process.getuid?.() !== 0 ? 'needs root, to give a directory to another user' : false,
  }, async () => {
    // A team directory (mode 2775, owner nobody) holds go.mod, vendor/ and go.sum; the edited file is in a
    // directory of the current user below it, without a go.mod of its own.
    const other = 65534;
    const team = join(TMP, 'planted-e');
    plantVendor(team, 'v0.99.0');
    write(join(team, 'go.mod'), 'module example.com/team\n');
    write(join(team, 'go.sum'), 'k8s.io/cri-api v0.99.0 h1:DDDD=\n');
    const fileDir = join(team, 'victim', 'pkg');
    write(join(fileDir, 'api.proto'), PROTO('edited'));
    execFileSync('chown', ['-R', `${other}:${other}`, join(team, 'vendor'), join(team, 'go.mod'), join(team, 'go.sum')]);
    chownSync(team, other, other);
    chmodSync(team, 0o2775);

    const r = await findInVendor(fileDir);
    assert.ok(!r.ok, `vendor/ of a directory owned by another user was used: ${r.ok ? r.origin : ''}`);
    assert.match(r.reason, /owned by another user \(uid 65534\)/);
    assert.equal((await findGoSumHashes(fileDir)).hashes.size, 0, 'the go.sum of a directory owned by another user was used');
    const res = await resolveBaseline({ filePath: join(fileDir, 'api.proto'), trusted: true, bundled, env: { GOMODCACHE: join(TMP, 'no-modcache') }, homeDir: TMP });
    assert.equal(res.baseline?.source, 'bundled', JSON.stringify(res.tried));

    // Not group-writable, still another user's: the same.
    chmodSync(team, 0o755);
    const r2 = await findInVendor(fileDir);
    assert.ok(!r2.ok && /owned by another user/.test(r2.reason), JSON.stringify(r2));

    // Back to the current user (and not writable by others): the same tree is the project's and counts.
    chownSync(team, process.getuid!(), process.getgid!());
    const own = await findInVendor(fileDir);
    assert.ok(own.ok, !own.ok ? own.reason : '');
    assert.equal(own.version, 'v0.99.0');
    // A group-writable directory of the current user is the user's own too.
    chmodSync(team, 0o2775);
    assert.ok((await findInVendor(fileDir)).ok);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('FIFOs are refused, not waited on', () => {
  let hasMkfifo = process.platform !== 'win32';
  if (hasMkfifo) {
    try {
      execFileSync('mkfifo', [join(TMP, 'probe-fifo')], { stdio: 'ignore' });
    } catch {
      hasMkfifo = false;
    }
  }
  const noFifo = hasMkfifo ? false : 'no mkfifo on this platform';
  const fifos: string[] = [];
  function mkfifo(path: string): void {
    mkdirSync(dirname(path), { recursive: true });
    execFileSync('mkfifo', [path]);
    fifos.push(path);
  }
  /** Opens the write end of every FIFO and closes it, so that an open blocked on one (the defect) returns. */
  function unblock(): void {
    for (const f of fifos) {
      try {
        closeSync(openSync(f, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK));
      } catch {
        /* no reader waiting */
      }
    }
  }
  after(unblock);

  async function quickly<T>(what: string, p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} is still waiting on a FIFO after 3 s`)), 3000);
    });
    try {
      return await Promise.race([p, timeout]);
    } catch (err) {
      unblock();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  test('readFileWithin, vendor/modules.txt, vendored api.proto, go.sum, module cache and an explicit baseline path', { skip: noFifo }, async () => {
    const dir = join(TMP, 'fifo');
    mkfifo(join(dir, 'plain'));
    const direct = await quickly('readFileWithin', readFileWithin(dir, join(dir, 'plain'), 1000));
    assert.ok('reason' in direct && /not a regular file/.test(direct.reason), JSON.stringify(direct));

    const proj = join(dir, 'proj');
    write(join(proj, 'go.mod'), 'module example.com/proj\n');
    mkfifo(join(proj, 'vendor', 'modules.txt'));
    mkfifo(join(proj, 'go.sum'));
    const v = await quickly('findInVendor', findInVendor(proj));
    assert.ok(!v.ok);
    const sums = await quickly('findGoSumHashes', findGoSumHashes(proj));
    assert.equal(sums.hashes.size, 0);

    const proj2 = join(dir, 'proj2');
    write(join(proj2, 'go.mod'), 'module example.com/proj2\n');
    write(join(proj2, 'vendor', 'modules.txt'), '# k8s.io/cri-api v0.99.0\n');
    mkfifo(join(proj2, 'vendor', 'k8s.io', 'cri-api', V1_PATH));
    const v2 = await quickly('findInVendor (api.proto)', findInVendor(proj2));
    assert.ok(!v2.ok && /not a regular file/.test(v2.reason), JSON.stringify(v2));

    const cache = join(dir, 'modcache');
    mkfifo(join(cache, 'k8s.io', 'cri-api@v0.99.0', V1_PATH));
    const mc = await quickly('findInModuleCache', findInModuleCache({ env: { GOMODCACHE: cache } }));
    assert.ok(!mc.ok && /not a regular file/.test(mc.reason), JSON.stringify(mc));
    // Hashed for go.sum, an extracted directory is read whole: a FIFO beside a real api.proto is refused too.
    write(join(cache, 'k8s.io', 'cri-api@v0.98.0', V1_PATH), PROTO('v0.98.0'));
    mkfifo(join(cache, 'k8s.io', 'cri-api@v0.98.0', 'LICENSE'));
    const hashed = await quickly('findInModuleCache (go.sum)', findInModuleCache({ env: { GOMODCACHE: cache }, version: 'v0.98.0', goSum: new Map([['v0.98.0', 'h1:x=']]) }));
    assert.ok(!hashed.ok && /cannot be checked against go\.sum: .*LICENSE is not a regular file/.test(hashed.reason), JSON.stringify(hashed));

    // A FIFO named as a module cache zip, and one as the .ziphash of a real zip: refused, not waited on.
    const zips = join(dir, 'zipcache');
    const atV = join(zips, 'cache', 'download', 'k8s.io', 'cri-api', '@v');
    mkfifo(join(atV, 'v0.99.0.zip'));
    const z = await quickly('findInModuleCache (zip)', findInModuleCache({ env: { GOMODCACHE: zips } }));
    assert.ok(!z.ok && /v0\.99\.0\.zip is not a regular file/.test(z.reason), JSON.stringify(z));
    write(join(atV, 'v0.98.0.zip'), zip([{ name: `k8s.io/cri-api@v0.98.0/${V1_PATH}`, data: Buffer.from(PROTO('v0.98.0')) }]));
    mkfifo(join(atV, 'v0.98.0.ziphash'));
    const zh = await quickly('findInModuleCache (ziphash)', findInModuleCache({ env: { GOMODCACHE: zips }, version: 'v0.98.0' }));
    assert.ok(!zh.ok && /v0\.98\.0\.ziphash cannot be used \(.*not a regular file\)/.test(zh.reason), JSON.stringify(zh));

    const explicit = join(dir, 'baseline.proto');
    mkfifo(explicit);
    const res = await quickly('resolveBaseline (explicit path)', resolveBaseline({ explicit, filePath: join(proj, 'api.proto'), trusted: false, bundled }));
    assert.equal(res.baseline, undefined);
    assert.match(res.message ?? '', /not a regular file/);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('api.proto over the file-size cap', () => {
  // Over the 4 MiB cap of every other source, under the 32 MiB cap of a git command's output.
  const BIG = DEFAULT_MAX_FILE_BYTES * 2;
  const bigProto = () => Buffer.concat([Buffer.from(PROTO('big')), Buffer.alloc(BIG, '// padding padding padding padding\n')]);

  // The refusal is its reason (over the cap); the test's timeout is a hang guard, not a timing.
  test('a git tag whose api.proto blob is oversized is refused with the reason', { skip: noGit, timeout: 60_000 }, async () => {
    const { file } = repoWithTag('big-blob', [['v0.29.0', PROTO('v0.29.0')], ['v0.30.0', bigProto()]]);
    const g = await findGitBaseline(file);
    assert.ok(!g.ok, 'the oversized blob was read');
    assert.match(g.reason, /v0\.30\.0/);
    assert.match(g.reason, new RegExp(`over the ${DEFAULT_MAX_FILE_BYTES}-byte cap`));
    const r = await readGitRevision(file, 'v0.30.0');
    assert.ok(!r.ok && new RegExp(`over the ${DEFAULT_MAX_FILE_BYTES}-byte cap`).test(r.reason), JSON.stringify(!r.ok && r.reason));
    // A blob under the cap, in the same batch of tags, is still read.
    const small = await readGitRevision(file, 'v0.29.0');
    assert.ok(small.ok && small.text === PROTO('v0.29.0'));
    // Resolution says why git gave nothing and falls back.
    const res = await resolveBaseline({ filePath: file, trusted: true, bundled, env: { GOMODCACHE: join(TMP, 'no-modcache') }, homeDir: TMP });
    assert.equal(res.baseline?.source, 'bundled');
    assert.match(res.tried.find((t) => t.source === 'git')?.outcome ?? '', /over the \d+-byte cap/);
  });

  test('a module zip whose api.proto is oversized is rejected (the zip itself may be larger)', async () => {
    const version = 'v0.99.0';
    const prefix = `k8s.io/cri-api@${version}/`;
    const files = [
      { name: `${prefix}go.mod`, data: Buffer.from('module k8s.io/cri-api\n') },
      { name: `${prefix}${V1_PATH}`, data: bigProto() },
    ];
    const buf = zip(files);
    assert.ok(buf.length < DEFAULT_MAX_FILE_BYTES, 'the test zip is small: only the entry is big');
    assert.throws(() => readModuleZip(buf, version), new RegExp(`api\\.proto is \\d+ bytes uncompressed, over the ${DEFAULT_MAX_FILE_BYTES}-byte cap`));
    // A smaller api.proto in the same shape is read.
    const ok = readModuleZip(zip([files[0]!, { name: `${prefix}${V1_PATH}`, data: Buffer.from(PROTO('ok')) }]), version);
    assert.equal(ok.text, PROTO('ok'));

    const fakeFetch = (async (url: string | URL | Request) => {
      const u = String(url);
      if (u.endsWith('/@v/list')) return new Response(`${version}\n`, { status: 200 });
      if (u.endsWith(`/@v/${version}.zip`)) return new Response(buf, { status: 200 });
      return new Response('not found', { status: 404 });
    }) as typeof fetch;
    const px = await fetchFromProxy({ env: { GOPROXY: 'https://proxy.example.invalid' }, fetch: fakeFetch });
    assert.ok(!px.ok && /over the \d+-byte cap/.test(px.reason), JSON.stringify(px));
  });
});

// ---------------------------------------------------------------------------------------------------------
// The module zips Go downloaded into `$GOMODCACHE/cache/download/k8s.io/cri-api/@v/` are read in memory, never
// extracted: a hostile zip (a cache filled from a mirror, a copied or damaged cache) is rejected as a whole,
// an older good zip is used instead, and no link leads the reads out of the module cache.
const corpusDir = findCorpusDir(findRepoRoot(__dirname));
describe('Go module cache zips: hostile contents and links', { skip: corpusDir ? false : CORPUS_HELP }, () => {
  const corpus = corpusDir ? new Corpus(corpusDir) : undefined;
  const real = (tag: string) => corpus!.textOf(tag)!;
  const AT = 'k8s.io/cri-api@v0.36.3/';
  const good = (): ZipFile[] => [
    { name: `${AT}go.mod`, data: Buffer.from('module k8s.io/cri-api\n') },
    { name: `${AT}${V1_PATH}`, data: Buffer.from(real('v0.36.3')) },
  ];
  const atV = (cache: string) => join(cache, 'cache', 'download', 'k8s.io', 'cri-api', '@v');
  /** A module cache holding a good v0.35.0 download and `v0.36.3.zip` with the given bytes. */
  function cacheWith(name: string, hostile: Buffer | undefined): string {
    const cache = join(TMP, 'zipcache', name);
    const older: ZipFile[] = [{ name: `k8s.io/cri-api@v0.35.0/${V1_PATH}`, data: Buffer.from(real('v0.35.0')) }];
    write(join(atV(cache), 'v0.35.0.zip'), zip(older));
    write(join(atV(cache), 'v0.35.0.ziphash'), expectedH1(older));
    if (hostile) write(join(atV(cache), 'v0.36.3.zip'), hostile);
    return cache;
  }
  /** The cache's choice: v0.35.0, with why v0.36.3 was passed over. */
  async function passedOver(cache: string, extra: { zipMaxBytes?: number; unzipMaxBytes?: number } = {}): Promise<string> {
    const r = await findInModuleCache({ env: { GOMODCACHE: cache }, ...extra });
    assert.ok(r.ok, !r.ok ? r.reason : '');
    assert.equal(r.version, 'v0.35.0');
    assert.equal(r.text, real('v0.35.0'));
    return r.skipped?.map((s) => s.why).join('; ') ?? '';
  }

  test('entry names: path traversal, absolute paths and another version\'s files reject the whole zip; nothing is written', async () => {
    const evil = join(TMP, 'zipcache', 'evil.txt');
    const slip = cacheWith('slip', zip([...good(), { name: `${AT}../../../../../evil.txt`, data: Buffer.from('pwned') }]));
    assert.match(await passedOver(slip), /v0\.36\.3\.zip rejected: unsafe entry "k8s\.io\/cri-api@v0\.36\.3\/\.\.\/.*evil\.txt": empty, "\." or "\.\." path segment; the whole zip is rejected/);
    assert.ok(!existsSync(evil));
    assert.deepEqual(readdirSync(atV(slip)).sort(), ['v0.35.0.zip', 'v0.35.0.ziphash', 'v0.36.3.zip'], 'nothing extracted beside the zips');
    const absolute = cacheWith('absolute', zip([...good(), { name: '/etc/evil', data: Buffer.from('x') }]));
    assert.match(await passedOver(absolute), /unsafe entry "\/etc\/evil": outside the module prefix/);
    const backslash = cacheWith('backslash', zip([...good(), { name: `${AT}..\\..\\evil.txt`, data: Buffer.from('x') }]));
    assert.match(await passedOver(backslash), /unsafe entry .*: control character or backslash/);
    // An older release's zip renamed to a newer version's name does not pass for it.
    const renamed = cacheWith('renamed', zip([{ name: `k8s.io/cri-api@v0.35.0/${V1_PATH}`, data: Buffer.from(real('v0.35.0')) }]));
    assert.match(await passedOver(renamed), /unsafe entry "k8s\.io\/cri-api@v0\.35\.0\/.*": outside the module prefix k8s\.io\/cri-api@v0\.36\.3\//);
  });

  test('sizes: an oversized api.proto entry, a zip expanding past its cap, an entry inflating past its declared size, an oversized zip', async () => {
    const padded = Buffer.concat([Buffer.from(real('v0.36.3')), Buffer.alloc(DEFAULT_MAX_FILE_BYTES, '// padding padding padding\n')]);
    const big = zip([{ name: `${AT}${V1_PATH}`, data: padded }]);
    assert.ok(big.length < DEFAULT_MAX_FILE_BYTES / 10, 'the zip is small: only the entry is big');
    assert.match(await passedOver(cacheWith('big-entry', big)), new RegExp(`api\\.proto is \\d+ bytes uncompressed, over the ${DEFAULT_MAX_FILE_BYTES}-byte cap`));

    const bomb = zip([...good(), { name: `${AT}zeros`, data: Buffer.alloc(2 * 1024 * 1024) }]);
    assert.match(await passedOver(cacheWith('expands', bomb), { unzipMaxBytes: 1024 * 1024 }), /zip expands to \d+ bytes, over the 1048576-byte cap/);

    // The central directory says api.proto is 100 bytes; its data inflates to far more, and inflation stops there.
    const lying = zip(good());
    const cd = lying.lastIndexOf(Buffer.from(`${AT}${V1_PATH}`)) - 46;
    assert.equal(lying.readUInt32LE(cd), 0x02014b50);
    lying.writeUInt32LE(100, cd + 24);
    assert.match(await passedOver(cacheWith('lying', lying)), /entry "k8s\.io\/cri-api@v0\.36\.3\/pkg\/apis\/runtime\/v1\/api\.proto": cannot inflate/);

    // The good older zip is about 20 KB; this one, 80 KB more.
    const bulky = zip([...good(), { name: `${AT}blob`, data: Buffer.alloc(80_000, 'x'), store: true }]);
    assert.match(await passedOver(cacheWith('big-zip', bulky), { zipMaxBytes: 40_000 }), new RegExp(`v0\\.36\\.3\\.zip is ${bulky.length} bytes, over the 40000-byte cap`));
  });

  test('damage: a bad CRC, a truncated zip, a zip that is no zip', async () => {
    const stored = zip(good().map((f) => ({ ...f, store: true })));
    const at = stored.indexOf('service RuntimeService');
    assert.ok(at > 0);
    stored[at] ^= 0x20;
    assert.match(await passedOver(cacheWith('crc', stored)), /entry "k8s\.io\/cri-api@v0\.36\.3\/pkg\/apis\/runtime\/v1\/api\.proto": CRC-32 mismatch \(corrupt zip\)/);
    const whole = zip(good());
    assert.match(await passedOver(cacheWith('cut', whole.subarray(0, whole.length >> 1))), /not a zip file, or truncated/);
    assert.match(await passedOver(cacheWith('html', Buffer.from('<html>rate limited</html>'))), /not a zip file/);
  });

  test('links: a cache directory, a zip or a .ziphash leading out of the module cache is not followed; a linked GOMODCACHE itself is fine', async () => {
    const outside = join(TMP, 'zipcache-outside');
    write(join(outside, 'download', 'k8s.io', 'cri-api', '@v', 'v0.36.3.zip'), zip(good()));
    write(join(outside, 'v0.36.3.zip'), zip(good()));
    write(join(outside, 'v0.36.3.ziphash'), expectedH1(good()));

    // `cache` itself is a link out: nothing below it is listed or read.
    const linkedDir = join(TMP, 'zipcache', 'linked-dir');
    mkdirSync(linkedDir, { recursive: true });
    symlinkSync(outside, join(linkedDir, 'cache'));
    const d = await findInModuleCache({ env: { GOMODCACHE: linkedDir } });
    assert.ok(!d.ok, JSON.stringify(d));
    assert.match(d.reason, /@v leads outside .*linked-dir through a symlink; not followed/);

    const linkedZip = cacheWith('linked-zip', undefined);
    symlinkSync(join(outside, 'v0.36.3.zip'), join(atV(linkedZip), 'v0.36.3.zip'));
    assert.match(await passedOver(linkedZip), /v0\.36\.3\.zip is a symlink leading outside .*; not followed/);

    const linkedHash = cacheWith('linked-hash', zip(good()));
    symlinkSync(join(outside, 'v0.36.3.ziphash'), join(atV(linkedHash), 'v0.36.3.ziphash'));
    assert.match(await passedOver(linkedHash), /v0\.36\.3\.zip rejected: its v0\.36\.3\.ziphash cannot be used \(.*symlink leading outside/);

    const dirZip = cacheWith('dir-zip', undefined);
    mkdirSync(join(atV(dirZip), 'v0.36.3.zip'));
    assert.match(await passedOver(dirZip), /v0\.36\.3\.zip is not a regular file/);

    // GOMODCACHE may itself be a link (a cache on another disk): the root is where the link leads.
    const target = cacheWith('real-root', zip(good()));
    const viaLink = join(TMP, 'zipcache', 'root-link');
    symlinkSync(target, viaLink);
    const r = await findInModuleCache({ env: { GOMODCACHE: viaLink } });
    assert.ok(r.ok && r.version === 'v0.36.3' && r.text === real('v0.36.3'), JSON.stringify(r));
  });

  test('a download folder leading out of the cache is said even when an extracted release is found', async () => {
    const outside = join(TMP, 'zipcache-outside-2');
    write(join(outside, 'v0.36.3.zip'), zip(good()));
    const cache = join(TMP, 'zipcache', 'linked-download-extracted');
    write(join(cache, 'k8s.io', 'cri-api@v0.35.0', ...V1_PATH.split('/')), real('v0.35.0'));
    mkdirSync(join(atV(cache), '..'), { recursive: true });
    symlinkSync(outside, atV(cache));
    const r = await findInModuleCache({ env: { GOMODCACHE: cache } });
    assert.ok(r.ok && r.version === 'v0.35.0', JSON.stringify(r));
    // The newer zip behind the link is not read; that the folder was passed over is not silent.
    assert.match(r.skipped?.map((s) => s.why).join('; ') ?? '', /@v leads outside .*linked-download-extracted through a symlink; not followed/);
  });
});

before(() => {
  assert.ok(bundled.newestRelease(), 'the bundled release index is needed');
});

// A clone without tags on a release branch takes the branch's line from the bundled index. The branch name and
// CI variables come from the workspace and the environment: they are matched against `release-1.N`, never
// passed to a program nor used as a path, and pick only among the bundled releases.
describe('release branches without tags: the name only picks among bundled releases', () => {
  test('a branch name is matched, not used; CI variables need their CI; untrusted runs no git for it', { skip: noGit }, async () => {
    const bundled = loadBundledHistory();
    const root = join(TMP, 'branch-names');
    mkdirSync(root, { recursive: true });
    git(root, 'init', '-q');
    const file = join(root, ...V1_PATH.split('/'));
    write(file, PROTO('on a branch'));
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'no tags');
    const env = { GOMODCACHE: join(TMP, 'no-modcache') };
    const newest = bundled.newestRelease()!.tag;
    const resolveOn = async (branch: string, extra: NodeJS.ProcessEnv = {}) => {
      git(root, 'checkout', '-q', '-B', branch);
      return resolveBaseline({ filePath: file, trusted: true, bundled, env: { ...env, ...extra } });
    };
    const line = await resolveOn('release-1.33');
    assert.equal(line.baseline?.source, 'bundled');
    assert.equal(line.baseline?.tag, 'v0.33.13');
    // Look-alikes are no release branch (`$(…)` and `;` are valid in a git branch name).
    for (const branch of ['release-1.33$(touch_pwned)', 'release-1.33;x', 'x/release-1.33', 'release-1.33.0']) {
      const r = await resolveOn(branch);
      assert.equal(r.baseline?.tag, newest, branch);
    }
    assert.ok(!existsSync(join(root, 'touch_pwned')));
    // Detached: the pull request's own branch name (GITHUB_HEAD_REF) is the author's choice and never counts.
    git(root, 'checkout', '-q', '--detach');
    const head = await resolveBaseline({ filePath: file, trusted: true, bundled, env: { ...env, GITHUB_ACTIONS: 'true', GITHUB_HEAD_REF: 'release-1.33' } });
    assert.equal(head.baseline?.tag, newest);
    // Untrusted: no process at all, so neither the branch nor the CI variables are consulted.
    const calls = { n: 0 };
    const refuse = ((..._a: unknown[]) => {
      calls.n++;
      throw new Error('no process may be started');
    }) as never;
    const launcher: ProcessLauncher = { execFile: refuse, spawn: refuse };
    const untrusted = await resolveBaseline({ filePath: file, trusted: false, bundled, launcher, env: { ...env, GITHUB_ACTIONS: 'true', GITHUB_BASE_REF: 'release-1.33' } });
    assert.equal(untrusted.baseline?.tag, newest);
    assert.equal(calls.n, 0);
  });
});
