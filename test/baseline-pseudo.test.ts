// A Go pseudo-version of k8s.io/cri-api (`go get k8s.io/cri-api@<commit>` writes one into go.mod): a commit, not a
// release. Given as the baseline it is read where that commit is (Go's copy under its name, git by its hash) or
// refused saying what to pass; Go's copy of it opened (vendored, or in the module cache) is compared with the release
// it follows, not the newest one. Real releases of the corpus play the commits.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findRepoRoot, V1_PATH } from '../server/src/baseline/corpus';
import { loadBundledHistory, sameModel } from '../server/src/baseline/historyIndex';
import { resolveBaseline } from '../server/src/baseline/resolve';
import { parsePseudoVersion } from '../server/src/policy/versions';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import type { ApiModel } from '../server/src/proto/model';
import { corpusText, NEEDS_CORPUS } from './corpusText';
import { zip } from './moduleZipFixture';

const CLI = join(findRepoRoot(__dirname), 'dist', 'cli.js');
const TMP = mkdtempSync(join(tmpdir(), 'cri-compat-pseudo-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const NO_CACHE = { GOMODCACHE: join(TMP, 'no-modcache') };

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A module `name` of TMP that requires k8s.io/cri-api `version` and vendors it, holding the api.proto of `tag`: that file. */
function vendoredCopy(name: string, version: string, tag: string): string {
  const mod = join(TMP, name);
  write(join(mod, 'go.mod'), `module example.com/runtime\n\ngo 1.24\n\nrequire k8s.io/cri-api ${version}\n`);
  write(join(mod, 'vendor', 'modules.txt'), `# k8s.io/cri-api ${version}\n## explicit; go 1.24\nk8s.io/cri-api/pkg/apis/runtime/v1\n`);
  const file = join(mod, 'vendor', 'k8s.io', 'cri-api', V1_PATH);
  write(file, corpusText(tag));
  return file;
}

function assertModelOf(model: ApiModel | undefined, tag: string): void {
  assert.ok(model && sameModel(model, bind(parse(corpusText(tag)), tag).model), `expected the model of ${tag}`);
}

test('parsePseudoVersion: the three forms Go writes, with the commit and the release each follows', () => {
  assert.deepEqual(parsePseudoVersion('v0.0.0-20240101000000-abcdef123456'), { commit: 'abcdef123456', date: '2024-01-01' });
  assert.deepEqual(parsePseudoVersion('v0.36.1-0.20240102030405-abcdef123456'), { commit: 'abcdef123456', date: '2024-01-02', base: 'v0.36.0' });
  assert.deepEqual(parsePseudoVersion('v0.37.0-alpha.0.0.20240101000000-abcdef123456'), { commit: 'abcdef123456', date: '2024-01-01', base: 'v0.37.0-alpha.0' });
  for (const no of ['v0.36.0', 'v0.36.0-20240101000000-abcdef123456', 'v0.36.1-0.2024010100000-abcdef123456', 'v0.36.1-0.20240101000000-ABCDEF123456', 'v1.0.0-20240101000000-abcdef123456']) {
    assert.equal(parsePseudoVersion(no), undefined, no);
  }
});

describe('a pseudo-version as the baseline', NEEDS_CORPUS, () => {
  test('in a trusted kubernetes/cri-api clone: the commit it names, by its hash', async () => {
    const clone = join(TMP, 'cri-api');
    const file = join(clone, V1_PATH);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], {
      cwd: clone, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_COMMITTER_DATE: '2025-09-01T00:00:00Z', GIT_AUTHOR_DATE: '2025-09-01T00:00:00Z' },
    }).trim();
    write(file, corpusText('v0.35.0'));
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'release');
    git('tag', 'v0.35.0');
    // The commit after the release: another release's file, so that it is told apart from both.
    write(file, corpusText('v0.36.0'));
    git('commit', '-qam', 'after the release');
    const pseudo = `v0.35.1-0.20250901000000-${git('rev-parse', 'HEAD').slice(0, 12)}`;
    git('commit', '-q', '--allow-empty', '-m', 'HEAD moves on');
    const r = await resolveBaseline({ explicit: pseudo, filePath: file, trusted: true, bundled: loadBundledHistory(), env: NO_CACHE });
    assert.equal(r.baseline?.source, 'setting', r.message);
    assert.equal(r.baseline.tag, pseudo);
    assert.match(r.baseline.origin, new RegExp(`^git ${pseudo.slice(-12)} .*, the commit of ${pseudo}$`));
    assertModelOf(r.baseline.model, 'v0.36.0');
  });

  test('in the Go module cache under its name (go mod download): that copy, not the release it follows', () => {
    const pseudo = 'v0.35.1-0.20250901000000-abcdef123456';
    const cache = join(TMP, 'modcache');
    write(join(cache, 'k8s.io', `cri-api@${pseudo}`, V1_PATH), corpusText('v0.36.0'));
    const file = join(TMP, 'plain', 'api.proto');
    write(file, corpusText('v0.36.0'));
    const r = spawnSync(process.execPath, [CLI, 'check', '--against', pseudo, file], { encoding: 'utf8', env: { ...process.env, GOMODCACHE: cache } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`^Baseline: ${pseudo}, from Go module cache: k8s\\.io/cri-api@${pseudo} \\(`, 'm'));
    assert.match(r.stderr, /^0 findings/m);
  });

  test('with the network enabled: the module proxy\'s zip of that version', async () => {
    const pseudo = 'v0.35.1-0.20250901000000-abcdef123456';
    const at = `k8s.io/cri-api@${pseudo}/`;
    const body = zip([
      { name: `${at}go.mod`, data: Buffer.from('module k8s.io/cri-api\n\ngo 1.24.0\n') },
      { name: `${at}${V1_PATH}`, data: Buffer.from(corpusText('v0.36.0')) },
    ]);
    const asked: string[] = [];
    const server = createServer((req, res) => {
      asked.push(req.url ?? '');
      if (req.url === `/k8s.io/cri-api/@v/${pseudo}.zip`) res.end(body);
      else res.writeHead(404).end();
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const file = join(TMP, 'proxied', 'api.proto');
      write(file, corpusText('v0.36.0'));
      const r = await resolveBaseline({
        explicit: pseudo, filePath: file, trusted: true, networkEnabled: true, bundled: loadBundledHistory(), cacheDir: join(TMP, 'proxy-cache'),
        env: { ...NO_CACHE, GOPROXY: `http://127.0.0.1:${(server.address() as { port: number }).port}` },
      });
      assert.equal(r.baseline?.source, 'setting', r.message);
      assert.match(r.baseline.origin, new RegExp(`^k8s\\.io/cri-api@${pseudo} from http://127\\.0\\.0\\.1:\\d+`));
      assertModelOf(r.baseline.model, 'v0.36.0');
      assert.deepEqual(asked, [`/k8s.io/cri-api/@v/${pseudo}.zip`]);
    } finally {
      server.close();
    }
  });

  test('nowhere to read it from: refused, naming its commit, the release it follows and how to get it', async () => {
    const file = join(TMP, 'elsewhere', 'api.proto');
    write(file, corpusText('v0.36.0'));
    const r = await resolveBaseline({ explicit: 'v0.36.1-0.20240101000000-abcdef123456', filePath: file, trusted: false, bundled: loadBundledHistory(), env: NO_CACHE });
    assert.equal(r.baseline, undefined);
    assert.match(r.message!, /"v0\.36\.1-0\.20240101000000-abcdef123456" is a Go pseudo-version: commit abcdef123456 of 2024-01-01, not a release; the release it follows is v0\.36\.0, which lacks what the commits after it changed\. To compare with the commit, .*`go mod download k8s\.io\/cri-api@v0\.36\.1-0\.20240101000000-abcdef123456` to put it in the Go module cache, or enable criCompat\.network\.enable to fetch it from the Go module proxy\./);
    const bare = await resolveBaseline({ explicit: 'v0.0.0-20240101000000-abcdef123456', filePath: file, trusted: false, bundled: loadBundledHistory(), env: NO_CACHE });
    assert.match(bare.message!, /is a Go pseudo-version: commit abcdef123456 of 2024-01-01, not a release\. To compare/);
    // The editor reads git only in a trusted workspace, and says so.
    assert.match(r.message!, /kubernetes\/cri-api clone that has it \(in a trusted workspace\), /);
  });

  test('the CLI, which has no workspace trust, says what to pass without the editor\'s condition', () => {
    const file = join(TMP, 'elsewhere-cli', 'api.proto');
    write(file, corpusText('v0.36.0'));
    const r = spawnSync(process.execPath, [CLI, 'check', '--against', 'v0.36.1-0.20240101000000-abcdef123456', file], {
      encoding: 'utf8', env: { ...process.env, ...NO_CACHE },
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /To compare with the commit, check api\.proto in a kubernetes\/cri-api clone that has it, or run `go mod download /);
    assert.match(r.stderr, /or enable --network to fetch it from the Go module proxy/);
    assert.doesNotMatch(r.stderr, /trusted/);
  });
});

describe('Go\'s copy of a commit opened', NEEDS_CORPUS, () => {
  // go.mod after `go get k8s.io/cri-api@<commit>` on the 1.35 line, and `go mod vendor`.
  const pseudo = 'v0.35.1-0.20250901000000-abcdef123456';

  test('vendored: compared with the release it follows, not the newest (whose additions it would delete)', async () => {
    const file = vendoredCopy('runtime', pseudo, 'v0.35.0');
    const r = await resolveBaseline({ filePath: file, trusted: true, bundled: loadBundledHistory(), env: NO_CACHE });
    assert.equal(r.baseline?.tag, 'v0.35.0', r.baseline?.origin);
    assert.match(r.baseline.origin, new RegExp(`the release ${pseudo} follows: .*modules\\.txt says this vendored file is ${pseudo}`));
    assert.equal(r.baseline.release, undefined, 'a commit is no release');
    // Untrusted, vendor/ is not read: the newest release, as before.
    const untrusted = await resolveBaseline({ filePath: file, trusted: false, bundled: loadBundledHistory(), env: NO_CACHE });
    assert.notEqual(untrusted.baseline?.tag, 'v0.35.0');
  });

  test('of v0.0.0-…, a commit no release tag precedes: compared with the newest release made by its date, not the newest', async () => {
    // Releases of the index made on or before 2025-09-01 end at v0.34.6 (v0.33.11 and later patches of 1.33 were made after).
    const untagged = 'v0.0.0-20250901000000-abcdef123456';
    const cache = join(TMP, 'modcache-untagged');
    const file = join(cache, 'k8s.io', `cri-api@${untagged}`, V1_PATH);
    write(file, corpusText('v0.34.0'));
    const r = await resolveBaseline({ filePath: file, trusted: false, bundled: loadBundledHistory(), env: { GOMODCACHE: cache } });
    assert.equal(r.baseline?.tag, 'v0.34.6', r.baseline?.origin);
    assert.match(r.baseline.origin, new RegExp(`the newest release made by 2025-09-01, the date of ${untagged}, a commit no release tag precedes: the Go module cache .* holds this file as k8s\\.io/cri-api ${untagged}`));
    assert.equal(r.baseline.release, undefined, 'a commit is no release');
    // Vendored, of a commit older than every release of the index: nothing released to compare it with, said so.
    const older = 'v0.0.0-20190101000000-abcdef123456';
    const vendored = vendoredCopy('runtime-untagged', older, 'v0.34.0');
    const none = await resolveBaseline({ filePath: vendored, trusted: true, bundled: loadBundledHistory(), env: NO_CACHE });
    assert.equal(none.baseline, undefined, none.baseline?.origin);
    assert.match(none.message ?? '', new RegExp(`k8s\\.io/cri-api ${older} is a commit of 2019-01-01 that no release tag precedes, older than every release of the bundled index \\(the first, v0\\.\\S+, was made on 20\\d\\d-\\d\\d-\\d\\d\\): nothing released to compare it with`));
  });

  test('in the module cache: the same', async () => {
    const cache = join(TMP, 'modcache-open');
    const file = join(cache, 'k8s.io', `cri-api@${pseudo}`, V1_PATH);
    write(file, corpusText('v0.35.0'));
    const r = await resolveBaseline({ filePath: file, trusted: false, bundled: loadBundledHistory(), env: { GOMODCACHE: cache } });
    assert.equal(r.baseline?.tag, 'v0.35.0', r.baseline?.origin);
    assert.match(r.baseline.origin, new RegExp(`the release ${pseudo} follows: the Go module cache .* holds this file as k8s\\.io/cri-api ${pseudo}`));
  });
});
