// The BUILT language server (dist/server.js --stdio) on the vendored api.proto of a Go module that depends on
// k8s.io/cri-api, as a container runtime's author opens it: that file is the release vendor/modules.txt names.
// Run `node scripts/build.mjs` first; the vendored file is a corpus release.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { V1_PATH } from '../server/src/baseline/corpus';
import { LspEditor, NEEDS_SERVER } from './lspHarness';
import { NEEDS_CORPUS, corpusText, replaceOnce } from './corpusText';

const OPTIONS = { ...NEEDS_CORPUS, ...NEEDS_SERVER, timeout: 60_000 };

let root: string;
before(() => {
  if (NEEDS_CORPUS.skip) return;
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-vendored-')));
  writeFileSync(path.join(root, 'go.mod'), 'module example.com/runtime\n\ngo 1.24\n\nrequire k8s.io/cri-api v0.35.1\n');
  mkdirSync(path.join(root, 'vendor', 'k8s.io', 'cri-api', path.dirname(V1_PATH)), { recursive: true });
  writeFileSync(path.join(root, 'vendor', 'modules.txt'), '# k8s.io/cri-api v0.35.1\n## explicit; go 1.24\nk8s.io/cri-api/pkg/apis/runtime/v1\n');
  writeFileSync(path.join(root, 'vendor', 'k8s.io', 'cri-api', V1_PATH), corpusText('v0.35.1'));
});
after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** The vendored file, and the workspace's own api/api.proto (a later release), written to disk. */
function vendoredAndOwn(): { vendored: string; own: string } {
  mkdirSync(path.join(root, 'api'), { recursive: true });
  const own = pathToFileURL(path.join(root, 'api', 'api.proto')).href;
  writeFileSync(new URL(own), corpusText('v0.36.0'));
  return { vendored: pathToFileURL(path.join(root, 'vendor', 'k8s.io', 'cri-api', V1_PATH)).href, own };
}

test('the vendored api.proto is the vendored release: compared with the release before it, and with that release once edited', OPTIONS, async () => {
  const uri = pathToFileURL(path.join(root, 'vendor', 'k8s.io', 'cri-api', V1_PATH)).href;
  const ed = LspEditor.start();
  try {
    await ed.initialize(root, { trusted: true });
    await ed.open(uri, corpusText('v0.35.1'));
    const opened = await ed.checked(uri);
    // Not the newest release, against which every later addition would be an error in a file nobody edits here.
    assert.deepEqual([opened.baselineTag, opened.breaking, opened.origin],
      ['v0.35.0', 0, `the bundled release index (the release before v0.35.1: ${path.join(root, 'vendor', 'modules.txt')} says this vendored file is v0.35.1)`]);
    const since = ed.statuses.all.length;
    await ed.change(uri, 2, [{ text: replaceOnce(corpusText('v0.35.1'), 'string image_ref = 5;', 'int64 image_ref = 5;') }]);
    const edited = await ed.checked(uri, since);
    assert.equal(edited.baselineTag, 'v0.35.1');
    assert.equal(edited.breaking, 1);
  } finally {
    await ed.close();
  }
});

test('another api.proto in the same folder is not taken for the vendored release', OPTIONS, async () => {
  const { vendored, own } = vendoredAndOwn();
  const ed = LspEditor.start();
  try {
    await ed.initialize(root, { trusted: true });
    await ed.open(vendored, corpusText('v0.35.1'));
    assert.equal((await ed.checked(vendored)).baselineTag, 'v0.35.0');
    await ed.open(own, corpusText('v0.36.0'));
    const status = await ed.checked(own);
    assert.doesNotMatch(status.origin ?? '', /vendored/);
    assert.notEqual(status.baselineTag, 'v0.35.1');
  } finally {
    await ed.close();
  }
});

test('the vendored api.proto opened after another file of its folder: never checked against the baseline of that file meanwhile', OPTIONS, async () => {
  const { vendored, own } = vendoredAndOwn();
  const ed = LspEditor.start();
  try {
    await ed.initialize(root, { trusted: true });
    await ed.open(own, corpusText('v0.36.0'));
    await ed.checked(own);
    await ed.open(vendored, corpusText('v0.35.1'));
    await ed.checked(vendored);
    const published = ed.diagnosticsLog.all.filter((p) => p.uri === vendored).flatMap((p) => p.diagnostics.map((d) => String(d.code)));
    assert.deepEqual(published.filter((c) => /NO_DELETE/.test(c)), []);
  } finally {
    await ed.close();
  }
});

test('the api.proto of the Go module cache is the release its directory names, in an untrusted workspace too', OPTIONS, async () => {
  const cache = path.join(root, 'gomodcache');
  const file = path.join(cache, 'k8s.io', 'cri-api@v0.35.1', V1_PATH);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, corpusText('v0.35.1'));
  const uri = pathToFileURL(file).href;
  const ed = LspEditor.start({ GOMODCACHE: cache });
  try {
    await ed.initialize(root, { trusted: false });
    await ed.open(uri, corpusText('v0.35.1'));
    const opened = await ed.checked(uri);
    assert.deepEqual([opened.baselineTag, opened.breaking, opened.origin],
      ['v0.35.0', 0, `the bundled release index (the release before v0.35.1: the Go module cache ${cache} holds this file as k8s.io/cri-api v0.35.1)`]);
  } finally {
    await ed.close();
  }
});

