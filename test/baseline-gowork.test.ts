// A `go work vendor` tree: the vendor/ beside go.work, whose modules.txt opens with `## workspace`, is what Go reads
// for every module the go.work uses (their own vendor/ is not read in workspace mode). It is read as a `go mod
// vendor` tree is: for the automatic baseline, for a release set as the baseline, and as the release its vendored
// api.proto is. Real releases of the corpus play the vendored copies.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, promises as fsp, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { V1_PATH } from '../server/src/baseline/corpus';
import { findGoSumHashes, findInVendor, workspaceUses } from '../server/src/baseline/goModSource';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { resolveBaseline } from '../server/src/baseline/resolve';
import { compareTags, newestTag } from '../server/src/policy/versions';
import { corpusText, NEEDS_CORPUS } from './corpusText';
import { expectedH1, zip } from './moduleZipFixture';

const TMP = mkdtempSync(join(tmpdir(), 'cri-compat-gowork-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const NO_CACHE = { GOMODCACHE: join(TMP, 'no-modcache') };

function write(path: string, text: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A workspace of two modules, `runtime` and `tools`, whose go.work uses `uses`, vendored by `go work vendor`. */
function workspace(name: string, uses: string, modulesTxt: string, vendored: string): string {
  const root = join(TMP, name);
  write(join(root, 'go.work'), `go 1.24\n\n${uses}\n`);
  for (const m of ['runtime', 'tools']) write(join(root, m, 'go.mod'), `module example.com/${m}\n\ngo 1.24\n\nrequire k8s.io/cri-api v0.37.0\n`);
  write(join(root, 'vendor', 'modules.txt'), modulesTxt);
  write(join(root, 'vendor', 'k8s.io', 'cri-api', V1_PATH), vendored);
  return root;
}

const WORKSPACE_TXT = (version: string) => `## workspace\n# k8s.io/cri-api ${version}\n## explicit; go 1.24\nk8s.io/cri-api/pkg/apis/runtime/v1\n`;

test('workspaceUses: single and block directives, comments and quotes, resolved against the go.work directory', () => {
  const text = 'go 1.24\n\nuse ./a // the first\nuse (\n\t./b\n\t"./c d"\n\t// ./commented\n)\nreplace x => ./y\n';
  assert.deepEqual(workspaceUses(text, '/w'), ['/w/a', '/w/b', '/w/c d']);
});

describe('a go work vendor tree', NEEDS_CORPUS, () => {
  test('is the vendored release of every module the go.work uses, for the automatic baseline and a tag set', async () => {
    // A release newer than the bundled index, which only the workspace's vendor/ has.
    const root = workspace('ws', 'use (\n\t./runtime\n\t./tools\n)', WORKSPACE_TXT('v0.37.0'), corpusText('v0.37.0-beta.0'));
    const file = join(root, 'runtime', 'api', 'api.proto');
    write(file, corpusText('v0.37.0-beta.0'));
    const found = await findInVendor(dirname(file));
    assert.ok(found.ok, !found.ok ? found.reason : '');
    assert.equal(found.version, 'v0.37.0');
    assert.equal(found.file, join(root, 'vendor', 'k8s.io', 'cri-api', V1_PATH));
    const auto = await resolveBaseline({ filePath: file, trusted: true, bundled: loadBundledHistory(), env: NO_CACHE });
    assert.equal(auto.baseline?.tag, 'v0.37.0', auto.baseline?.origin);
    assert.equal(auto.baseline.source, 'vendor');
    const set = await resolveBaseline({ explicit: 'v0.37.0', filePath: file, trusted: true, bundled: loadBundledHistory(), env: NO_CACHE });
    assert.match(set.baseline?.origin ?? set.message!, /^vendored k8s\.io\/cri-api v0\.37\.0 \(/);
    // GOWORK=off turns workspace mode off: Go reads the module's own vendor/ then, and here there is none.
    const off = await resolveBaseline({ filePath: file, trusted: true, bundled: loadBundledHistory(), env: { ...NO_CACHE, GOWORK: 'off' } });
    assert.equal(off.baseline?.source, 'bundled', off.baseline?.origin);
    assert.ok(!(await findInVendor(dirname(file), { env: { GOWORK: 'off' } })).ok);
    // The workspace's content: an untrusted workspace does not choose its baseline.
    const untrusted = await resolveBaseline({ filePath: file, trusted: false, bundled: loadBundledHistory(), env: NO_CACHE });
    assert.equal(untrusted.baseline?.source, 'bundled');
  });

  test('its vendored api.proto is that release: compared with the release before it', async () => {
    const root = workspace('ws-open', 'use ./runtime', WORKSPACE_TXT('v0.35.0'), corpusText('v0.35.0'));
    const r = await resolveBaseline({ filePath: join(root, 'vendor', 'k8s.io', 'cri-api', V1_PATH), trusted: true, bundled: loadBundledHistory(), env: NO_CACHE });
    const before = newestTag(loadBundledHistory().releases.map((x) => x.tag).filter((t) => compareTags(t, 'v0.35.0') < 0));
    assert.ok(r.baseline, r.message);
    assert.equal(r.baseline.tag, before, r.baseline.origin);
    assert.equal(r.baseline.release, 'v0.35.0');
    assert.match(r.baseline.origin, /vendor\/modules\.txt says this vendored file is v0\.35\.0/);
  });

  test('not for a module the go.work does not use, nor a vendor/ beside go.work that go work vendor did not make', async () => {
    const unused = workspace('ws-unused', 'use ./tools', WORKSPACE_TXT('v0.37.0'), corpusText('v0.37.0-beta.0'));
    const a = await findInVendor(join(unused, 'runtime'));
    assert.ok(!a.ok && /no vendor\/modules\.txt listing k8s\.io\/cri-api/.test(a.reason), JSON.stringify(a));
    const plain = workspace('ws-plain', 'use ./runtime', WORKSPACE_TXT('v0.37.0').replace('## workspace\n', ''), corpusText('v0.37.0-beta.0'));
    const b = await findInVendor(join(plain, 'runtime'));
    assert.ok(!b.ok, JSON.stringify(b));
  });

  test('its go.work.sum holds the module cache to its hashes, as the module\'s go.sum does', async () => {
    // v0.37.0 only downloaded into the module cache, newer than the bundled index.
    const at = 'k8s.io/cri-api@v0.37.0/';
    const files = [
      { name: `${at}go.mod`, data: Buffer.from('module k8s.io/cri-api\n\ngo 1.24.0\n') },
      { name: `${at}${V1_PATH}`, data: Buffer.from(corpusText('v0.37.0-beta.0')) },
    ];
    const cache = join(TMP, 'sum-modcache');
    write(join(cache, 'cache', 'download', 'k8s.io', 'cri-api', '@v', 'v0.37.0.zip'), zip(files));
    const root = workspace('ws-sum', 'use ./runtime', '## workspace\n', '');
    const file = join(root, 'runtime', 'api.proto');
    write(file, corpusText('v0.36.3'));
    const resolveWith = async (h1: string) => {
      write(join(root, 'go.work.sum'), `k8s.io/cri-api v0.37.0 ${h1}\nk8s.io/cri-api v0.37.0/go.mod h1:x=\n`);
      return resolveBaseline({ filePath: file, trusted: true, bundled: loadBundledHistory(), env: { GOMODCACHE: cache } });
    };
    const good = await resolveWith(expectedH1(files));
    assert.equal(good.baseline?.tag, 'v0.37.0', good.baseline?.origin);
    assert.match(good.baseline.origin, /h1 verified against go\.sum/);
    const bad = await resolveWith('h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    assert.equal(bad.baseline?.tag, 'v0.36.3', bad.baseline?.origin);
    assert.match(bad.baseline.origin, /a newer release found was not usable: .*v0\.37\.0\.zip rejected: its hash h1:\S+ does not match the workspace's go\.sum or go\.work\.sum \(h1:AAAA/);
  });

  test('the go.sum of every module it uses holds the module cache to its hashes, as Go checks them all; not one outside the workspace', async () => {
    const at = 'k8s.io/cri-api@v0.37.0/';
    const files = [
      { name: `${at}go.mod`, data: Buffer.from('module k8s.io/cri-api\n\ngo 1.24.0\n') },
      { name: `${at}${V1_PATH}`, data: Buffer.from(corpusText('v0.37.0-beta.0')) },
    ];
    const cache = join(TMP, 'uses-modcache');
    write(join(cache, 'cache', 'download', 'k8s.io', 'cri-api', '@v', 'v0.37.0.zip'), zip(files));
    // The checked module has no go.sum; tools, which the go.work uses too, lists the version.
    const root = workspace('ws-uses', 'use (\n\t./runtime\n\t./tools\n\t../ws-uses-outside\n)', '## workspace\n', '');
    const file = join(root, 'runtime', 'api.proto');
    write(file, corpusText('v0.36.3'));
    const bad = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
    const resolveWith = async (h1: string) => {
      write(join(root, 'tools', 'go.sum'), `k8s.io/cri-api v0.37.0 ${h1}\nk8s.io/cri-api v0.37.0/go.mod h1:x=\n`);
      return resolveBaseline({ filePath: file, trusted: true, bundled: loadBundledHistory(), env: { GOMODCACHE: cache } });
    };
    const good = await resolveWith(expectedH1(files));
    assert.equal(good.baseline?.tag, 'v0.37.0', good.baseline?.origin);
    assert.match(good.baseline.origin, /h1 verified against go\.sum/);
    const failed = await resolveWith(bad);
    assert.equal(failed.baseline?.tag, 'v0.36.3', failed.baseline?.origin);
    assert.match(failed.baseline.origin, /v0\.37\.0\.zip rejected: its hash h1:\S+ does not match the workspace's go\.sum or go\.work\.sum \(h1:AAAA/);
    // Under the rules of the others: not a module above the workspace's directory, not a go.sum that links out of it.
    rmSync(join(root, 'tools', 'go.sum'));
    write(join(TMP, 'ws-uses-outside', 'go.mod'), 'module example.com/outside\n');
    write(join(TMP, 'ws-uses-outside', 'go.sum'), `k8s.io/cri-api v0.37.0 ${bad}\n`);
    symlinkSync(join(TMP, 'ws-uses-outside', 'go.sum'), join(root, 'tools', 'go.sum'));
    assert.equal((await findGoSumHashes(dirname(file))).hashes.size, 0);
    write(join(root, 'runtime', 'go.sum'), `k8s.io/cri-api v0.37.0 ${bad}\n`);
    assert.equal((await findGoSumHashes(dirname(file))).hashes.get('v0.37.0'), bad, 'the module\'s own go.sum, as before');
  });

  test('two of its go.sum files that disagree on a version: the module cache zip is not used, whichever it matches, and both are named; go.work.sum decides a version it lists', async () => {
    const at = 'k8s.io/cri-api@v0.37.0/';
    const files = [
      { name: `${at}go.mod`, data: Buffer.from('module k8s.io/cri-api\n\ngo 1.24.0\n') },
      { name: `${at}${V1_PATH}`, data: Buffer.from(corpusText('v0.37.0-beta.0')) },
    ];
    const cache = join(TMP, 'disagree-modcache');
    write(join(cache, 'cache', 'download', 'k8s.io', 'cri-api', '@v', 'v0.37.0.zip'), zip(files));
    const root = workspace('ws-disagree', 'use (\n\t./runtime\n\t./tools\n)', '## workspace\n', '');
    const file = join(root, 'runtime', 'api.proto');
    write(file, corpusText('v0.36.3'));
    const good = expectedH1(files);
    const bad = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
    const sums = { runtime: join(root, 'runtime', 'go.sum'), tools: join(root, 'tools', 'go.sum'), work: join(root, 'go.work.sum') };
    const resolveWith = async (h1s: Partial<Record<keyof typeof sums, string>>) => {
      for (const p of Object.values(sums)) rmSync(p, { force: true });
      for (const [k, h1] of Object.entries(h1s)) write(sums[k as keyof typeof sums], `k8s.io/cri-api v0.37.0 ${h1}\n`);
      return resolveBaseline({ filePath: file, trusted: true, bundled: loadBundledHistory(), env: { GOMODCACHE: cache } });
    };
    const agreed = await resolveWith({ runtime: good, tools: good, work: good });
    assert.equal(agreed.baseline?.tag, 'v0.37.0', agreed.baseline?.origin);
    // The module's own go.sum read first matches the zip; another module's does not.
    for (const [h1s, first, second] of [
      [{ runtime: good, tools: bad }, 'runtime', 'tools'],
      [{ runtime: bad, tools: good }, 'runtime', 'tools'],
    ] as const) {
      const r = await resolveWith(h1s);
      assert.equal(r.baseline?.tag, 'v0.36.3', `${JSON.stringify(h1s)}: ${r.baseline?.origin}`);
      const said = `v0.37.0.zip rejected: ${sums[first]} records ${h1s[first]} for k8s.io/cri-api v0.37.0 and ${sums[second]} ${h1s[second]}: `;
      assert.ok(r.baseline.origin.includes(said), r.baseline.origin);
      assert.match(r.baseline.origin, /Go reports a checksum mismatch whichever the download matches/);
    }
    // go.work.sum, the file Go writes in workspace mode, is asked first: a version it lists is decided by it.
    for (const h1s of [{ tools: bad, work: good }, { runtime: bad, tools: bad, work: good }]) {
      const r = await resolveWith(h1s);
      assert.equal(r.baseline?.tag, 'v0.37.0', `${JSON.stringify(h1s)}: ${r.baseline?.origin}`);
    }
    const workBad = await resolveWith({ tools: good, work: bad });
    assert.equal(workBad.baseline?.tag, 'v0.36.3', workBad.baseline?.origin);
    assert.match(workBad.baseline.origin, /v0\.37\.0\.zip rejected: its hash h1:\S+ does not match the workspace's go\.sum or go\.work\.sum \(h1:AAAA/);
  });
});

describe('two h1: lines for one version in one go.sum, as a merge that kept both sides leaves them', NEEDS_CORPUS, () => {
  // Go keeps every line (modfetch readGoSum) and checks a download against the go.sum it writes to (the module's, or
  // go.work.sum in workspace mode) line by line, accepting it only if the first h1: matches; against each go.sum of
  // the workspace's modules it checks every line, so two lines there stop it whichever the download matches.
  const at = 'k8s.io/cri-api@v0.37.0/';
  const files = [
    { name: `${at}go.mod`, data: Buffer.from('module k8s.io/cri-api\n\ngo 1.24.0\n') },
    { name: `${at}${V1_PATH}`, data: Buffer.from(corpusText('v0.37.0-beta.0')) },
  ];
  const bad = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
  const cache = join(TMP, 'two-lines-modcache');
  write(join(cache, 'cache', 'download', 'k8s.io', 'cri-api', '@v', 'v0.37.0.zip'), zip(files));
  const lines = (...h1s: string[]) => h1s.map((h1) => `k8s.io/cri-api v0.37.0 ${h1}\n`).join('');

  test('in the module\'s own go.sum: the first line is the hash the zip must have', async () => {
    const mod = join(TMP, 'two-lines-module');
    write(join(mod, 'go.mod'), 'module example.com/runtime\n\ngo 1.24\n\nrequire k8s.io/cri-api v0.37.0\n');
    const file = join(mod, 'api.proto');
    write(file, corpusText('v0.36.3'));
    const resolveWith = async (text: string) => {
      write(join(mod, 'go.sum'), text);
      return resolveBaseline({ filePath: file, trusted: true, bundled: loadBundledHistory(), env: { GOMODCACHE: cache, GOWORK: 'off' } });
    };
    const firstGood = await resolveWith(lines(expectedH1(files), bad));
    assert.equal(firstGood.baseline?.tag, 'v0.37.0', firstGood.baseline?.origin);
    assert.match(firstGood.baseline.origin, /h1 verified against go\.sum/);
    const firstBad = await resolveWith(lines(bad, expectedH1(files)));
    assert.equal(firstBad.baseline?.tag, 'v0.36.3', firstBad.baseline?.origin);
    assert.match(firstBad.baseline.origin, /v0\.37\.0\.zip rejected: its hash h1:\S+ does not match the workspace's go\.sum or go\.work\.sum \(h1:AAAA/);
  });

  test('in the go.sum of a module the go.work uses: the zip is not used, whichever line it matches', async () => {
    const root = workspace('ws-two-lines', 'use (\n\t./runtime\n\t./tools\n)', '', '');
    const file = join(root, 'runtime', 'api.proto');
    write(file, corpusText('v0.36.3'));
    for (const text of [lines(expectedH1(files), bad), lines(bad, expectedH1(files))]) {
      write(join(root, 'tools', 'go.sum'), text);
      const r = await resolveBaseline({ filePath: file, trusted: true, bundled: loadBundledHistory(), env: { GOMODCACHE: cache } });
      assert.equal(r.baseline?.tag, 'v0.36.3', r.baseline?.origin);
      assert.ok(r.baseline.origin.includes(`v0.37.0.zip rejected: ${join(root, 'tools', 'go.sum')} records both `), r.baseline.origin);
      assert.match(r.baseline.origin, /Go reports a checksum mismatch whichever the download matches/);
    }
  });
});

describe('GOWORK naming a go.work', NEEDS_CORPUS, () => {
  /** Modules `runtime` and `tools` with no go.work above them, and `alt/dev.work`, vendored by `go work vendor`. */
  function named(name: string, uses: string, version: string): { root: string; work: string; file: string } {
    const root = join(TMP, name);
    for (const m of ['runtime', 'tools']) write(join(root, m, 'go.mod'), `module example.com/${m}\n\ngo 1.24\n\nrequire k8s.io/cri-api ${version}\n`);
    const work = join(root, 'alt', 'dev.work');
    write(work, `go 1.24\n\n${uses}\n`);
    write(join(root, 'alt', 'vendor', 'modules.txt'), WORKSPACE_TXT(version));
    write(join(root, 'alt', 'vendor', 'k8s.io', 'cri-api', V1_PATH), corpusText('v0.37.0-beta.0'));
    const file = join(root, 'runtime', 'api.proto');
    write(file, corpusText('v0.36.3'));
    return { root, work, file };
  }

  test('is the workspace Go uses, found nowhere by the walk: its vendor/ and its .sum file are read', async () => {
    const { root, work, file } = named('gowork-env', 'use ../runtime', 'v0.37.0');
    assert.ok(!(await findInVendor(dirname(file), { env: {} })).ok, 'no go.work above the module');
    const found = await findInVendor(dirname(file), { env: { GOWORK: work } });
    assert.ok(found.ok, !found.ok ? found.reason : '');
    assert.equal(found.version, 'v0.37.0');
    assert.equal(found.file, join(root, 'alt', 'vendor', 'k8s.io', 'cri-api', V1_PATH));
    const auto = await resolveBaseline({ filePath: file, trusted: true, bundled: loadBundledHistory(), env: { ...NO_CACHE, GOWORK: work } });
    assert.equal(auto.baseline?.tag, 'v0.37.0', auto.baseline?.origin);
    // Go's go.work.sum of `dev.work` is `dev.work.sum`.
    write(`${work}.sum`, 'k8s.io/cri-api v0.37.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n');
    assert.equal((await findGoSumHashes(dirname(file), { GOWORK: work })).hashes.get('v0.37.0'), 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    assert.equal((await findGoSumHashes(dirname(file), {})).hashes.size, 0);
  });

  test('wins over the go.work the walk finds; not one that does not use the module; not a relative path, which Go refuses', async () => {
    const { root, work, file } = named('gowork-wins', 'use ../runtime', 'v0.37.0');
    write(join(root, 'go.work'), 'go 1.24\n\nuse ./runtime\n');
    write(join(root, 'vendor', 'modules.txt'), WORKSPACE_TXT('v0.36.0'));
    write(join(root, 'vendor', 'k8s.io', 'cri-api', V1_PATH), corpusText('v0.36.0'));
    assert.equal((await findInVendor(dirname(file), { env: {} }) as { version?: string }).version, 'v0.36.0');
    assert.equal((await findInVendor(dirname(file), { env: { GOWORK: 'auto' } }) as { version?: string }).version, 'v0.36.0');
    assert.equal((await findInVendor(dirname(file), { env: { GOWORK: work } }) as { version?: string }).version, 'v0.37.0');
    const other = await findInVendor(join(root, 'tools'), { env: { GOWORK: work } });
    assert.ok(!other.ok, JSON.stringify(other));
    const relative = await findInVendor(dirname(file), { env: { GOWORK: 'alt/dev.work' } });
    assert.ok(!relative.ok && /GOWORK=alt\/dev\.work is not an absolute path, which the go command refuses/.test(relative.reason), JSON.stringify(relative));
  });

  test('not a file whose name does not end in .work, which Go does not take for one, nor a relative path: the Baseline line says why', async () => {
    const { root, file } = named('gowork-suffix', 'use ../runtime', 'v0.37.0');
    // The same go.work, vendor/ beside it, under a name Go does not take for a workspace file.
    const plain = join(root, 'alt', 'dev');
    write(plain, 'go 1.24\n\nuse ../runtime\n');
    write(`${plain}.sum`, 'k8s.io/cri-api v0.37.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n');
    const why = /GOWORK=\S+\/alt\/dev does not end in \.work: Go takes only a \.work file for the workspace/;
    const r = await findInVendor(dirname(file), { env: { GOWORK: plain } });
    assert.ok(!r.ok && why.test(r.reason), r.ok ? `read ${r.origin}` : r.reason);
    assert.equal((await findGoSumHashes(dirname(file), { GOWORK: plain })).hashes.size, 0);
    const auto = await resolveBaseline({ filePath: file, trusted: true, bundled: loadBundledHistory(), env: { ...NO_CACHE, GOWORK: plain } });
    assert.equal(auto.baseline?.source, 'bundled', auto.baseline?.origin);
    assert.match(auto.baseline.origin, new RegExp(`; ${why.source}`));
    // A relative path, which Go refuses too, is said there as well.
    const relative = await resolveBaseline({ filePath: file, trusted: true, bundled: loadBundledHistory(), env: { ...NO_CACHE, GOWORK: 'alt/dev.work' } });
    assert.match(relative.baseline?.origin ?? '', /; GOWORK=alt\/dev\.work is not an absolute path, which the go command refuses/);
  });

  test('under the walk\'s rules: not in a directory every user may write to, not through a link out of its directory', { skip: process.platform === 'win32' }, async () => {
    const { root, work, file } = named('gowork-rules', 'use ../runtime', 'v0.37.0');
    chmodSync(join(root, 'alt'), 0o777);
    try {
      const r = await findInVendor(dirname(file), { env: { GOWORK: work } });
      assert.ok(!r.ok && /GOWORK=.* not read: .*alt is writable by every user/.test(r.reason), JSON.stringify(r));
    } finally {
      chmodSync(join(root, 'alt'), 0o755);
    }
    const link = join(root, 'linked', 'go.work');
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(work, link);
    const r = await findInVendor(dirname(file), { env: { GOWORK: link } });
    assert.ok(!r.ok && /symlink leading outside/.test(r.reason), JSON.stringify(r));
  });
});

describe('in workspace mode, the module\'s own vendor/', NEEDS_CORPUS, () => {
  test('is not read, as Go does not read it: the workspace\'s vendor/ or the module cache is, and the Baseline line says why', async () => {
    // The go.work uses the module; no `go work vendor` tree beside it, the module vendored v0.37.0 itself.
    const root = workspace('ws-own', 'use ./runtime', '# example.com/other v1.0.0\n', '');
    write(join(root, 'runtime', 'vendor', 'modules.txt'), '# k8s.io/cri-api v0.37.0\n## explicit; go 1.24\nk8s.io/cri-api/pkg/apis/runtime/v1\n');
    write(join(root, 'runtime', 'vendor', 'k8s.io', 'cri-api', V1_PATH), corpusText('v0.37.0-beta.0'));
    const file = join(root, 'runtime', 'api.proto');
    write(file, corpusText('v0.36.3'));
    const why = /runtime\/vendor \(k8s\.io\/cri-api v0\.37\.0\) not read: \S+\/go\.work uses the module, and in workspace mode Go reads the workspace's vendor\/ or the module cache, not the module's own/;
    const found = await findInVendor(dirname(file));
    assert.ok(!found.ok && why.test(found.reason), JSON.stringify(found));
    const auto = await resolveBaseline({ filePath: file, trusted: true, bundled: loadBundledHistory(), env: NO_CACHE });
    assert.equal(auto.baseline?.source, 'bundled', auto.baseline?.origin);
    assert.match(auto.baseline.origin, /a newer release found was not usable: /);
    assert.match(auto.baseline.origin, why);
    // A release set as the baseline is not read from it either.
    const set = await resolveBaseline({ explicit: 'v0.37.0', filePath: file, trusted: true, bundled: loadBundledHistory(), env: NO_CACHE });
    assert.ok(!set.baseline, set.baseline?.origin);
    assert.match(set.message ?? '', why);
    // Workspace mode off: Go reads the module's vendor/, and so does the resolution.
    const off = await resolveBaseline({ filePath: file, trusted: true, bundled: loadBundledHistory(), env: { ...NO_CACHE, GOWORK: 'off' } });
    assert.equal(off.baseline?.tag, 'v0.37.0', off.baseline?.origin);
    assert.equal(off.baseline.source, 'vendor');
    // With a `go work vendor` tree, that is read, and the module's own vendor/ is said to be passed over.
    write(join(root, 'vendor', 'modules.txt'), WORKSPACE_TXT('v0.36.0'));
    write(join(root, 'vendor', 'k8s.io', 'cri-api', V1_PATH), corpusText('v0.36.0'));
    const ws = await findInVendor(dirname(file));
    assert.equal(ws.ok && ws.version, 'v0.36.0');
    assert.ok(ws.skipped?.some((s) => s.version === 'v0.37.0' && why.test(s.why)), JSON.stringify(ws));
    // Opened, the module's vendored api.proto is still the release its own modules.txt names.
    write(join(root, 'runtime', 'vendor', 'modules.txt'), '# k8s.io/cri-api v0.35.0\n## explicit; go 1.24\nk8s.io/cri-api/pkg/apis/runtime/v1\n');
    write(join(root, 'runtime', 'vendor', 'k8s.io', 'cri-api', V1_PATH), corpusText('v0.35.0'));
    const opened = await resolveBaseline({ filePath: join(root, 'runtime', 'vendor', 'k8s.io', 'cri-api', V1_PATH), trusted: true, bundled: loadBundledHistory(), env: NO_CACHE });
    assert.equal(opened.baseline?.release, 'v0.35.0', opened.baseline?.origin);
    assert.match(opened.baseline.origin, /runtime\/vendor\/modules\.txt says this vendored file is v0\.35\.0/);
  });
});

describe('one resolution', NEEDS_CORPUS, () => {
  /** The paths `fs.promises.open` (every read of a Go file) and `lstat` (the walk's look for go.mod) are called on during `run`. */
  async function counted<T>(run: () => Promise<T>): Promise<{ result: T; opens: Map<string, number>; lstats: Map<string, number> }> {
    const opens = new Map<string, number>();
    const lstats = new Map<string, number>();
    const { open, lstat } = fsp;
    const count = (m: Map<string, number>, p: unknown) => m.set(String(p), (m.get(String(p)) ?? 0) + 1);
    fsp.open = (...a: Parameters<typeof open>) => (count(opens, a[0]), open(...a));
    fsp.lstat = ((...a: Parameters<typeof lstat>) => (count(lstats, a[0]), lstat(...a))) as typeof lstat;
    try {
      return { result: await run(), opens, lstats };
    } finally {
      fsp.open = open;
      fsp.lstat = lstat;
    }
  }

  test('reads the go.work, each go.sum, go.work.sum and vendor/modules.txt once, and walks up for go.mod once', async () => {
    // Workspace mode with everything Go reads for it: the go.work and its .sum, a `go work vendor` tree, the module's
    // own go.sum and vendor/ (not read by Go then, but said to be passed over), and the go.sum of another module used.
    const root = realpathSync(workspace('ws-once', 'use (\n\t./runtime\n\t./tools\n)', WORKSPACE_TXT('v0.37.0'), corpusText('v0.37.0-beta.0')));
    write(join(root, 'go.work.sum'), 'k8s.io/cri-api v0.36.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n');
    write(join(root, 'runtime', 'go.sum'), 'k8s.io/cri-api v0.37.0 h1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=\n');
    write(join(root, 'tools', 'go.sum'), 'k8s.io/cri-api v0.35.0 h1:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC=\n');
    write(join(root, 'runtime', 'vendor', 'modules.txt'), '# k8s.io/cri-api v0.36.0\n## explicit; go 1.24\nk8s.io/cri-api/pkg/apis/runtime/v1\n');
    write(join(root, 'runtime', 'vendor', 'k8s.io', 'cri-api', V1_PATH), corpusText('v0.36.0'));
    const file = join(root, 'runtime', 'api', 'api.proto');
    write(file, corpusText('v0.36.3'));
    // Every step that takes something from Go's files: the Go files listed for the poll, Go's copy of the file (in
    // workspace mode and out of it), the module cache held to go.sum, vendor/, and the proxy held to go.sum.
    const fetch = (async () => { throw new Error('offline'); }) as unknown as typeof globalThis.fetch;
    const { result, opens, lstats } = await counted(() => resolveBaseline({ filePath: file, trusted: true, networkEnabled: true, fetch, goFiles: true, bundled: loadBundledHistory(), env: NO_CACHE }));
    assert.equal(result.baseline?.tag, 'v0.37.0', result.baseline?.origin ?? result.message);
    assert.equal(result.baseline.source, 'vendor');
    assert.ok(result.goFiles?.has(join(root, 'tools', 'go.sum')), JSON.stringify([...result.goFiles?.keys() ?? []]));
    const goFiles = ['go.work', 'go.work.sum', 'runtime/go.sum', 'tools/go.sum', 'vendor/modules.txt', `vendor/k8s.io/cri-api/${V1_PATH}`, 'runtime/vendor/modules.txt'];
    const read = Object.fromEntries(goFiles.map((f) => [f, opens.get(join(root, f)) ?? 0]));
    assert.deepEqual(read, Object.fromEntries(goFiles.map((f) => [f, 1])), 'times each Go file was read');
    assert.equal(lstats.get(join(root, 'runtime', 'api', 'go.mod')), 1, 'times the walk looked for the go.mod of the file\'s directory');
  });

  test('sees a go.work changed since the one before: nothing is kept from one resolution to the next', async () => {
    const root = workspace('ws-next', 'use ./runtime', WORKSPACE_TXT('v0.37.0'), corpusText('v0.37.0-beta.0'));
    const file = join(root, 'runtime', 'api.proto');
    write(file, corpusText('v0.36.3'));
    const resolve = () => resolveBaseline({ filePath: file, trusted: true, goFiles: true, bundled: loadBundledHistory(), env: NO_CACHE });
    const first = await resolve();
    assert.equal(first.baseline?.source, 'vendor', first.baseline?.origin);
    write(join(root, 'go.work'), 'go 1.24\n\nuse ./tools\n');
    const second = await resolve();
    assert.equal(second.baseline?.source, 'bundled', second.baseline?.origin);
    assert.notEqual(second.goFiles?.get(join(root, 'go.work')), first.goFiles?.get(join(root, 'go.work')));
  });
});
