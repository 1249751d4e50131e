// The baseline from Go's files as a container runtime's CI and a maintainer's offline machine have them: the
// module cache (with what an interrupted download leaves in it), a vendor/ tree, go.mod's replace directives and
// `go env -w`. The built CLI is run as CI runs it, on real releases of the corpus made into module cache entries.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Corpus, CORPUS_HELP, findCorpusDir, findRepoRoot, V1_PATH } from '../server/src/baseline/corpus';
import { expectedH1, zip } from './moduleZipFixture';

const ROOT = findRepoRoot(__dirname);
const CLI = join(ROOT, 'dist', 'cli.js');
const corpusDir = findCorpusDir(ROOT);

// The newest release of the corpus (and so of the bundled index) is v0.36.3; its newest pre-release is
// v0.37.0-beta.0. Releases after them are played by the beta's file, as the Go module cache would hold them.
const NEWER = 'v0.37.0-beta.0';

let tmp = '';
let home = '';
let corpus: Corpus;

function write(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** None of this machine's Go settings: only those given, and a home of its own. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const k of ['GOMODCACHE', 'GOPATH', 'GOPROXY', 'GOENV', 'GOFLAGS', 'XDG_CONFIG_HOME']) delete base[k];
  return { ...base, HOME: home, XDG_CACHE_HOME: join(tmp, 'cache'), ...env };
}

function cli(args: string[], cwd: string, env: Record<string, string> = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: childEnv(env) });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** `cli`, without blocking this process: for a test that serves the module proxy the CLI asks. */
async function cliAsync(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; err: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: childEnv(env) });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdout.resume();
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, err };
}

function baselineLine(err: string): string {
  return err.split('\n').find((l) => l.startsWith('Baseline: ')) ?? `(no Baseline line in: ${err})`;
}

const downloads = (cache: string) => join(cache, 'cache', 'download', 'k8s.io', 'cri-api', '@v');

/** The files of k8s.io/cri-api `version`'s module zip, with `proto` as its api.proto. */
function moduleFiles(version: string, proto: string): { name: string; data: Buffer }[] {
  const at = `k8s.io/cri-api@${version}/`;
  return [
    { name: `${at}go.mod`, data: Buffer.from('module k8s.io/cri-api\n\ngo 1.24.0\n') },
    { name: `${at}${V1_PATH}`, data: Buffer.from(proto) },
  ];
}

/** `version` as `go mod download` leaves it in `cache`: the zip, its .info, .mod and .ziphash. */
function download(cache: string, version: string, proto: string): string {
  const files = moduleFiles(version, proto);
  const dir = downloads(cache);
  write(join(dir, `${version}.info`), JSON.stringify({ Version: version, Time: '2026-07-01T00:00:00Z' }));
  write(join(dir, `${version}.mod`), 'module k8s.io/cri-api\n\ngo 1.24.0\n');
  write(join(dir, `${version}.zip`), zip(files));
  write(join(dir, `${version}.ziphash`), expectedH1(files));
  return join(dir, `${version}.zip`);
}

/** A checked api.proto in a directory of its own, outside any clone or module. */
function plainFile(name: string, text: string): string {
  const file = join(tmp, name, 'api.proto');
  write(file, text);
  return file;
}

describe('the baseline from Go modules, vendor trees and go env', { skip: corpusDir ? false : CORPUS_HELP }, () => {
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cri-compat-gomod-'));
    home = join(tmp, 'home');
    mkdirSync(home);
    corpus = new Corpus(corpusDir!);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('newer releases that an interrupted download left unusable are named on the Baseline line, not passed over in silence', () => {
    const proto = corpus.textOf(NEWER)!;
    const cache = join(tmp, 'modcache-broken');
    download(cache, 'v0.37.0', proto);
    // Cut short, emptied, and an error page where the zip should be; an older empty zip says nothing here.
    const cut = download(cache, 'v0.37.1', proto);
    write(cut, zip(moduleFiles('v0.37.1', proto)).subarray(0, 3000));
    write(download(cache, 'v0.37.2', proto), '');
    write(download(cache, 'v0.37.3', proto), '<html>502 Bad Gateway</html>\n');
    write(download(cache, 'v0.35.0', corpus.textOf('v0.35.0')!), '');
    const file = plainFile('broken', proto);
    const r = cli(['check', '--format', 'json', file], tmp, { GOMODCACHE: cache });
    assert.equal(r.code, 0, r.err);
    const line = baselineLine(r.err);
    assert.match(line, /^Baseline: v0\.37\.0, from Go module cache zip: k8s\.io\/cri-api@v0\.37\.0 /);
    assert.match(line, /v0\.37\.3\.zip rejected: not a zip file/);
    assert.match(line, /v0\.37\.2\.zip rejected: not a zip file \(0 bytes\)/);
    assert.match(line, /v0\.37\.1\.zip rejected: not a zip file, or truncated/);
    assert.doesNotMatch(line, /v0\.35\.0/);
    assert.equal(JSON.parse(r.out).baseline.origin, line.replace(/^Baseline: v0\.37\.0, from /, ''));

    // Nothing usable newer than the bundled index: its newest release, saying what the module cache had.
    const onlyBroken = join(tmp, 'modcache-only-broken');
    write(download(onlyBroken, 'v0.37.1', proto), '');
    const b = cli(['check', file], tmp, { GOMODCACHE: onlyBroken });
    assert.match(baselineLine(b.err), /^Baseline: v0\.36\.3, from the bundled release index \(newest release.*\).*v0\.37\.1\.zip rejected: not a zip file \(0 bytes\)/);
  });

  test('--current-tag: the newest release before it in the module cache, not only the newest release there', () => {
    const proto = corpus.textOf(NEWER)!;
    const cache = join(tmp, 'modcache-two-patches');
    download(cache, 'v0.37.0', proto);
    download(cache, 'v0.37.1', proto);
    const r = cli(['check', '--current-tag', 'v0.37.1', plainFile('current-tag', proto)], tmp, { GOMODCACHE: cache });
    assert.match(baselineLine(r.err), /^Baseline: v0\.37\.0, from Go module cache zip: k8s\.io\/cri-api@v0\.37\.0 /);
    assert.equal(r.code, 0, r.err);
  });

  test('--current-tag --network: the module proxy\'s newest release before it, not its newest release', async () => {
    const proto = corpus.textOf(NEWER)!;
    const body = zip(moduleFiles('v0.37.0', proto));
    const asked: string[] = [];
    const server = createServer((req, res) => {
      asked.push(req.url ?? '');
      if (req.url === '/k8s.io/cri-api/@v/list') res.end('v0.37.0\nv0.37.1\nv0.37.2\n');
      else if (req.url === '/k8s.io/cri-api/@v/v0.37.0.zip') res.end(body);
      else res.writeHead(404).end();
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const env = { GOPROXY: `http://127.0.0.1:${(server.address() as { port: number }).port}`, GOMODCACHE: join(tmp, 'no-modcache') };
      const r = await cliAsync(['check', '--network', '--current-tag', 'v0.37.1', plainFile('proxy-current-tag', proto)], tmp, env);
      assert.match(baselineLine(r.err), /^Baseline: v0\.37\.0, from k8s\.io\/cri-api@v0\.37\.0 from http:\/\/127\.0\.0\.1:\d+/);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(asked, ['/k8s.io/cri-api/@v/list', '/k8s.io/cri-api/@v/v0.37.0.zip']);
    } finally {
      server.close();
    }
  });

  /** A runtime's Go module that vendors k8s.io/cri-api as modules.txt records it, with api.proto beside go.mod. */
  function runtimeModule(name: string, goMod: string, modulesTxt: string, vendored: string): string {
    const dir = join(tmp, name);
    write(join(dir, 'go.mod'), goMod);
    write(join(dir, 'vendor', 'modules.txt'), modulesTxt);
    write(join(dir, 'vendor', 'k8s.io', 'cri-api', V1_PATH), vendored);
    write(join(dir, 'api.proto'), vendored);
    return join(dir, 'api.proto');
  }

  test('vendor/: a replace by a release of k8s.io/cri-api itself is that release; a fork or a local path is not', () => {
    const proto = corpus.textOf(NEWER)!;
    // As projects that build against k8s.io/kubernetes pin its staging modules: require v0.0.0, replace by a release.
    const pinned = runtimeModule(
      'runtime-pinned',
      'module example.com/runtime\n\ngo 1.24\n\nrequire k8s.io/cri-api v0.0.0\n\nreplace k8s.io/cri-api => k8s.io/cri-api v0.37.0\n',
      '# k8s.io/cri-api v0.0.0 => k8s.io/cri-api v0.37.0\n## explicit; go 1.24\nk8s.io/cri-api/pkg/apis/runtime/v1\n# k8s.io/cri-api => k8s.io/cri-api v0.37.0\n',
      proto,
    );
    const env = { GOMODCACHE: join(tmp, 'no-modcache'), GOFLAGS: '-mod=vendor' };
    const r = cli(['check', pinned], tmp, env);
    assert.match(baselineLine(r.err), /^Baseline: v0\.37\.0, from vendored k8s\.io\/cri-api v0\.37\.0 \(/);
    assert.equal(r.code, 0, r.err);
    for (const [name, target] of [['runtime-fork', 'github.com/example/cri-api v0.37.0'], ['runtime-local', '../cri-api']]) {
      const f = runtimeModule(name, `module example.com/runtime\n\ngo 1.24\n\nrequire k8s.io/cri-api v0.36.0\n\nreplace k8s.io/cri-api => ${target}\n`, `# k8s.io/cri-api v0.36.0 => ${target}\n## explicit; go 1.24\n`, proto);
      assert.match(baselineLine(cli(['check', f], tmp, env).err), /^Baseline: v0\.36\.3, from the bundled release index/, name);
    }
  });

  test('vendor/: a newer release that modules.txt lists but whose api.proto is not there is named on the Baseline line', () => {
    const proto = corpus.textOf(NEWER)!;
    // `go mod vendor` copies only the packages the module imports: here none of runtime/v1.
    const file = runtimeModule('runtime-no-v1', 'module example.com/runtime\n\ngo 1.24\n\nrequire k8s.io/cri-api v0.37.0\n', '# k8s.io/cri-api v0.37.0\n## explicit; go 1.24\nk8s.io/cri-api/pkg/errors\n', proto);
    rmSync(join(dirname(file), 'vendor', 'k8s.io', 'cri-api', 'pkg', 'apis'), { recursive: true });
    const r = cli(['check', file], tmp, { GOMODCACHE: join(tmp, 'no-modcache') });
    assert.match(baselineLine(r.err), /^Baseline: v0\.36\.3, from the bundled release index \(.*\); a newer release found was not usable: vendored k8s\.io\/cri-api v0\.37\.0: .*api\.proto does not exist$/);
  });

  test('--against a release that only the vendor/ tree has (GOFLAGS=-mod=vendor, no module cache): the vendored copy', () => {
    const proto = corpus.textOf(NEWER)!;
    const file = runtimeModule('runtime-vendored', 'module example.com/runtime\n\ngo 1.24\n\nrequire k8s.io/cri-api v0.37.0\n', '# k8s.io/cri-api v0.37.0\n## explicit; go 1.24\nk8s.io/cri-api/pkg/apis/runtime/v1\n', proto);
    const env = { GOMODCACHE: join(tmp, 'no-modcache'), GOFLAGS: '-mod=vendor' };
    const r = cli(['check', '--against', 'v0.37.0', file], tmp, env);
    assert.match(baselineLine(r.err), /^Baseline: v0\.37\.0, from vendored k8s\.io\/cri-api v0\.37\.0 \(/);
    assert.equal(r.code, 0, r.err);
    // Another release than the vendored one is bad input, and the message says what vendor/ holds.
    const other = cli(['check', '--against', 'v0.37.1', file], tmp, env);
    assert.equal(other.code, 2);
    assert.match(other.err, /^cri-compat: The baseline "v0\.37\.1" \(--against\) could not be used: .*vendor\/modules\.txt lists k8s\.io\/cri-api v0\.37\.0, not v0\.37\.1/m);
  });

  test('a relative GOMODCACHE or GOPATH, which go refuses, is not replaced by ~/go/pkg/mod, and the Baseline line and the error say why', () => {
    const proto = corpus.textOf(NEWER)!;
    // The default module cache holds a newer release, which a relative setting must not lead to.
    download(join(home, 'go', 'pkg', 'mod'), 'v0.37.0', proto);
    try {
      const file = plainFile('relative-gomodcache', proto);
      assert.match(baselineLine(cli(['check', file], tmp).err), /^Baseline: v0\.37\.0, from Go module cache zip: /);
      for (const env of [{ GOMODCACHE: 'gomod' }, { GOPATH: 'go' }] as Record<string, string>[]) {
        // Said with the baseline, as a refused GOWORK is: fixed, the setting would give another one.
        assert.match(baselineLine(cli(['check', file], tmp, env).err),
          /^Baseline: v0\.36\.3, from the bundled release index .*; no Go module cache: (GOMODCACHE=gomod|the first GOPATH entry go) is not an absolute path, which the go command refuses$/, JSON.stringify(env));
        const asked = cli(['check', '--against', 'v0.37.0', file], tmp, env);
        assert.equal(asked.code, 2);
        assert.match(asked.err, /could not be used: .*no Go module cache: (GOMODCACHE=gomod|the first GOPATH entry go) is not an absolute path, which the go command refuses/);
      }
    } finally {
      // The other tests' home has no module cache.
      rmSync(join(home, 'go'), { recursive: true });
    }
  });

  test('GOMODCACHE, GOPATH and GOPROXY saved with `go env -w` count as the go command counts them; the environment wins', () => {
    const proto = corpus.textOf(NEWER)!;
    const cache = join(tmp, 'modcache-go-env');
    download(cache, 'v0.37.0', proto);
    const file = plainFile('go-env', proto);
    // `go env -w` writes os.UserConfigDir()/go/env: $XDG_CONFIG_HOME/go/env, else ~/.config/go/env.
    const config = join(tmp, 'config');
    write(join(config, 'go', 'env'), `GOTOOLCHAIN=local\nGOMODCACHE=${cache}\n`);
    const fromFile = /^Baseline: v0\.37\.0, from Go module cache zip: /;
    assert.match(baselineLine(cli(['check', file], tmp, { XDG_CONFIG_HOME: config }).err), fromFile);
    const gopath = join(tmp, 'gopath');
    download(join(gopath, 'pkg', 'mod'), 'v0.37.1', proto);
    write(join(tmp, 'goenv-file'), `GOPATH=${gopath}\n`);
    assert.match(baselineLine(cli(['check', file], tmp, { GOENV: join(tmp, 'goenv-file') }).err), /^Baseline: v0\.37\.1, from Go module cache zip: /);
    // GOENV=off reads no file; a variable set in the environment wins over the file.
    assert.match(baselineLine(cli(['check', file], tmp, { XDG_CONFIG_HOME: config, GOENV: 'off' }).err), /^Baseline: v0\.36\.3, from the bundled/);
    assert.match(baselineLine(cli(['check', file], tmp, { XDG_CONFIG_HOME: config, GOMODCACHE: join(tmp, 'no-modcache') }).err), /^Baseline: v0\.36\.3, from the bundled/);
    // The proxy saved there is the one --network asks (here none: `off`), not proxy.golang.org.
    write(join(tmp, 'goenv-proxy'), 'GOPROXY=off\n');
    const offline = cli(['check', '--network', file], tmp, { GOENV: join(tmp, 'goenv-proxy'), GOMODCACHE: join(tmp, 'no-modcache') });
    assert.match(baselineLine(offline.err), /^Baseline: v0\.36\.3, from the bundled release index .*; not from the Go module proxy: GOPROXY=off$/);
  });
});
