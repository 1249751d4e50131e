// The BUILT language server (dist/server.js --stdio) on a .proto of a Go module while the module's Go files change
// under it: `go mod vendor` writing vendor/modules.txt, or go.work edited, resolves the baseline again, as a move of
// HEAD does, through the file events the server registers for. Run `node scripts/build.mjs` first.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, FileChangeType, type DidChangeWatchedFilesRegistrationOptions } from 'vscode-languageserver-protocol';
import { V1_PATH } from '../server/src/baseline/corpus';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { newestTag } from '../server/src/policy/versions';
import { LspEditor, NEEDS_SERVER } from './lspHarness';
import { NEEDS_CORPUS, corpusText } from './corpusText';
import { zip } from './moduleZipFixture';

let root: string;
before(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-gowatch-')));
});
after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

function write(p: string, text: string | Buffer): void {
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
}

/** The release the server falls back to when Go's copy cannot be used: the newest of the bundled index. */
const bundledNewest = newestTag(loadBundledHistory().releases.map((r) => r.tag));

/** Module example.com/runtime at `mod`, which requires k8s.io/cri-api v0.37.0, with v0.36.3's api.proto at `file` (a path in it). */
function runtimeModule(mod: string, ...file: string[]): string {
  write(path.join(mod, 'go.mod'), 'module example.com/runtime\n\ngo 1.24\n\nrequire k8s.io/cri-api v0.37.0\n');
  const at = path.join(mod, ...file);
  write(at, corpusText('v0.36.3'));
  return at;
}

/** The module zip of k8s.io/cri-api v0.37.0 (v0.37.0-beta.0's api.proto) in the module cache `modcache`, as `go mod download` leaves it. */
function downloadedV037(modcache: string): void {
  write(path.join(modcache, 'cache', 'download', 'k8s.io', 'cri-api', '@v', 'v0.37.0.zip'), zip([
    { name: 'k8s.io/cri-api@v0.37.0/go.mod', data: Buffer.from('module k8s.io/cri-api\n\ngo 1.24.0\n') },
    { name: `k8s.io/cri-api@v0.37.0/${V1_PATH}`, data: Buffer.from(corpusText('v0.37.0-beta.0')) },
  ]));
}

test('vendor/modules.txt and go.work written while the file is open: the baseline is resolved again', { ...NEEDS_CORPUS, ...NEEDS_SERVER, timeout: 60_000 }, async () => {
  const mod = path.join(root, 'runtime');
  const file = runtimeModule(mod, 'api', 'api.proto');
  const uri = pathToFileURL(file).href;
  const ed = LspEditor.start({ GOMODCACHE: path.join(root, 'no-modcache'), GOWORK: '', CRI_COMPAT_IMPORT_POLL_MS: '50' });
  try {
    await ed.initialize(root, { trusted: true });
    await ed.open(uri, corpusText('v0.36.3'));
    assert.equal((await ed.checked(uri)).baselineTag, bundledNewest);
    const globs = ed.registrations.filter((r) => r.method === DidChangeWatchedFilesNotification.method)
      .flatMap((r) => (r.registerOptions as DidChangeWatchedFilesRegistrationOptions).watchers.map((w) => w.globPattern));
    for (const g of ['**/go.mod', '**/go.sum', '**/*.work', '**/*.work.sum', '**/vendor/modules.txt']) assert.ok(globs.includes(g), `${g} in ${JSON.stringify(globs)}`);
    const changed = (p: string, type: FileChangeType = FileChangeType.Changed) =>
      ed.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(p).href, type }] });

    // `go mod vendor` of a release newer than the bundled index: the editor's file is as it was.
    write(path.join(mod, 'vendor', 'k8s.io', 'cri-api', V1_PATH), corpusText('v0.37.0-beta.0'));
    write(path.join(mod, 'vendor', 'modules.txt'), '# k8s.io/cri-api v0.37.0\n## explicit; go 1.24\nk8s.io/cri-api/pkg/apis/runtime/v1\n');
    let since = ed.statuses.all.length;
    await changed(path.join(mod, 'vendor', 'modules.txt'), FileChangeType.Created);
    const vendored = await ed.status((p) => p.uri === uri && p.checked && !p.resolving && p.baselineTag === 'v0.37.0', since, 10_000);
    assert.match(vendored.origin ?? '', /^vendored k8s\.io\/cri-api v0\.37\.0/);

    // A go.work that uses the module: Go reads no module vendor/ in workspace mode, and neither does the resolution.
    write(path.join(root, 'go.work'), 'go 1.24\n\nuse ./runtime\n');
    since = ed.statuses.all.length;
    await changed(path.join(root, 'go.work'), FileChangeType.Created);
    const workspace = await ed.status((p) => p.uri === uri && p.checked && !p.resolving && p.baselineTag === bundledNewest, since, 10_000);
    assert.match(workspace.origin ?? '', /not read: .*go\.work uses the module/);
  } finally {
    await ed.close();
  }
});

test('vendor/ deleted whole, which the editor reports as one event for the folder: the baseline is resolved again', { ...NEEDS_CORPUS, ...NEEDS_SERVER, timeout: 60_000 }, async () => {
  const mod = path.join(root, 'vendoring');
  write(path.join(mod, 'go.mod'), 'module example.com/vendoring\n\ngo 1.24\n\nrequire k8s.io/cri-api v0.37.0\n');
  write(path.join(mod, 'vendor', 'k8s.io', 'cri-api', V1_PATH), corpusText('v0.37.0-beta.0'));
  write(path.join(mod, 'vendor', 'modules.txt'), '# k8s.io/cri-api v0.37.0\n## explicit; go 1.24\nk8s.io/cri-api/pkg/apis/runtime/v1\n');
  const file = path.join(mod, 'api.proto');
  write(file, corpusText('v0.36.3'));
  const uri = pathToFileURL(file).href;
  const ed = LspEditor.start({ GOMODCACHE: path.join(root, 'no-modcache'), GOWORK: 'off', CRI_COMPAT_IMPORT_POLL_MS: '50' });
  try {
    await ed.initialize(mod, { trusted: true });
    await ed.open(uri, corpusText('v0.36.3'));
    assert.equal((await ed.checked(uri)).baselineTag, 'v0.37.0');
    const globs = ed.registrations.filter((r) => r.method === DidChangeWatchedFilesNotification.method)
      .flatMap((r) => (r.registerOptions as DidChangeWatchedFilesRegistrationOptions).watchers.map((w) => w.globPattern));
    assert.ok(globs.includes('**/vendor'), JSON.stringify(globs));
    rmSync(path.join(mod, 'vendor'), { recursive: true });
    const since = ed.statuses.all.length;
    await ed.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(path.join(mod, 'vendor')).href, type: FileChangeType.Deleted }] });
    await ed.status((p) => p.uri === uri && p.checked && !p.resolving && p.baselineTag === bundledNewest, since, 10_000);
  } finally {
    await ed.close();
  }
});

test('the go.work $GOWORK names outside the workspace folders, which the editor does not watch, changed: the baseline is resolved again', { ...NEEDS_CORPUS, ...NEEDS_SERVER, timeout: 60_000 }, async () => {
  const folder = path.join(root, 'folder');
  const mod = path.join(folder, 'runtime');
  const file = runtimeModule(mod, 'api.proto');
  // `go work vendor` beside a go.work outside the folder opened.
  const work = path.join(root, 'elsewhere', 'dev.work');
  write(work, 'go 1.24\n\nuse ../folder/runtime\n');
  write(path.join(root, 'elsewhere', 'vendor', 'modules.txt'), '## workspace\n# k8s.io/cri-api v0.37.0\n## explicit; go 1.24\nk8s.io/cri-api/pkg/apis/runtime/v1\n');
  write(path.join(root, 'elsewhere', 'vendor', 'k8s.io', 'cri-api', V1_PATH), corpusText('v0.37.0-beta.0'));
  const uri = pathToFileURL(file).href;
  const ed = LspEditor.start({ GOMODCACHE: path.join(root, 'no-modcache'), GOWORK: work, CRI_COMPAT_IMPORT_POLL_MS: '50' });
  try {
    await ed.initialize(folder, { trusted: true });
    await ed.open(uri, corpusText('v0.36.3'));
    assert.equal((await ed.checked(uri)).baselineTag, 'v0.37.0');
    // The go.work no longer uses the module; no file event comes.
    write(work, 'go 1.24\n\nuse ../folder/tools\n');
    const since = ed.statuses.all.length;
    await ed.status((p) => p.uri === uri && p.checked && !p.resolving && p.baselineTag === bundledNewest, since, 10_000);
  } finally {
    await ed.close();
  }
});

test('the go.sum of a module the go.work uses outside the workspace folders, which the editor does not watch, changed: the baseline is resolved again', { ...NEEDS_CORPUS, ...NEEDS_SERVER, timeout: 60_000 }, async () => {
  const base = path.join(root, 'uses-outside');
  const folder = path.join(base, 'folder');
  const mod = path.join(folder, 'runtime');
  const file = runtimeModule(mod, 'api.proto');
  // Another module of the workspace, beside the folder opened; nothing records a hash of the zip yet.
  write(path.join(base, 'other', 'go.mod'), 'module example.com/other\n\ngo 1.24\n');
  const work = path.join(base, 'dev.work');
  write(work, 'go 1.24\n\nuse (\n\t./folder/runtime\n\t./other\n)\n');
  const modcache = path.join(base, 'modcache');
  downloadedV037(modcache);
  const uri = pathToFileURL(file).href;
  const ed = LspEditor.start({ GOMODCACHE: modcache, GOWORK: work, CRI_COMPAT_IMPORT_POLL_MS: '50' });
  try {
    await ed.initialize(folder, { trusted: true });
    await ed.open(uri, corpusText('v0.36.3'));
    assert.equal((await ed.checked(uri)).baselineTag, 'v0.37.0');
    // `go mod download` in the other module recorded another hash: Go would refuse the zip. No file event comes.
    write(path.join(base, 'other', 'go.sum'), 'k8s.io/cri-api v0.37.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n');
    const since = ed.statuses.all.length;
    const again = await ed.status((p) => p.uri === uri && p.checked && !p.resolving && p.baselineTag === bundledNewest, since, 10_000);
    assert.match(again.origin ?? '', /v0\.37\.0\.zip rejected: its hash h1:\S+ does not match/);
  } finally {
    await ed.close();
  }
});

test('the folder holding the go.work deleted, one event for the folder: the baseline is resolved again', { ...NEEDS_CORPUS, ...NEEDS_SERVER, timeout: 60_000 }, async () => {
  const folder = path.join(root, 'work-folder');
  const mod = path.join(folder, 'runtime');
  const file = runtimeModule(mod, 'api.proto');
  const alt = path.join(folder, 'alt');
  write(path.join(alt, 'dev.work'), 'go 1.24\n\nuse ../runtime\n');
  write(path.join(alt, 'vendor', 'modules.txt'), '## workspace\n# k8s.io/cri-api v0.37.0\n## explicit; go 1.24\nk8s.io/cri-api/pkg/apis/runtime/v1\n');
  write(path.join(alt, 'vendor', 'k8s.io', 'cri-api', V1_PATH), corpusText('v0.37.0-beta.0'));
  const uri = pathToFileURL(file).href;
  const ed = LspEditor.start({ GOMODCACHE: path.join(root, 'no-modcache'), GOWORK: path.join(alt, 'dev.work'), CRI_COMPAT_IMPORT_POLL_MS: '50' });
  const deleted = (p: string) => ed.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(p).href, type: FileChangeType.Deleted }] });
  try {
    await ed.initialize(folder, { trusted: true });
    await ed.open(uri, corpusText('v0.36.3'));
    assert.equal((await ed.checked(uri)).baselineTag, 'v0.37.0');
    rmSync(alt, { recursive: true });
    const since = ed.statuses.all.length;
    await deleted(alt);
    await ed.status((p) => p.uri === uri && p.checked && !p.resolving && p.baselineTag === bundledNewest, since, 10_000);
  } finally {
    await ed.close();
  }
});

test('a module folder of the workspace deleted, of which VS Code reports nothing (its name matches no glob): the baseline is resolved again', { ...NEEDS_CORPUS, ...NEEDS_SERVER, timeout: 60_000 }, async () => {
  const folder = path.join(root, 'module-deleted');
  const mod = path.join(folder, 'runtime');
  const file = runtimeModule(mod, 'api.proto');
  // Another module of the go.work, whose go.sum records a hash the zip does not have: Go refuses the zip.
  write(path.join(folder, 'tools', 'go.mod'), 'module example.com/tools\n\ngo 1.24\n');
  write(path.join(folder, 'tools', 'go.sum'), 'k8s.io/cri-api v0.37.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n');
  write(path.join(folder, 'go.work'), 'go 1.24\n\nuse (\n\t./runtime\n\t./tools\n)\n');
  const modcache = path.join(folder, '..', 'module-deleted-modcache');
  downloadedV037(modcache);
  const uri = pathToFileURL(file).href;
  const ed = LspEditor.start({ GOMODCACHE: modcache, GOWORK: '', CRI_COMPAT_IMPORT_POLL_MS: '50' });
  try {
    await ed.initialize(folder, { trusted: true });
    await ed.open(uri, corpusText('v0.36.3'));
    const first = await ed.checked(uri);
    assert.equal(first.baselineTag, bundledNewest);
    assert.match(first.origin ?? '', /v0\.37\.0\.zip rejected: its hash h1:\S+ does not match/);
    // `rm -r tools`: VS Code 1.100 sends no event for the folder, nor for the go.mod and go.sum in it.
    rmSync(path.join(folder, 'tools'), { recursive: true });
    const since = ed.statuses.all.length;
    await ed.status((p) => p.uri === uri && p.checked && !p.resolving && p.baselineTag === 'v0.37.0', since, 10_000);
  } finally {
    await ed.close();
  }
});

test('more Go files and folders than the poll stamps: it says so once, and stamps each open file\'s own module first', { ...NEEDS_CORPUS, ...NEEDS_SERVER, timeout: 60_000 }, async () => {
  const folder = path.join(root, 'many-modules');
  const modcache = path.join(root, 'many-modules-modcache');
  downloadedV037(modcache);
  // Two go.work workspaces, each of its runtime module and 64 others: 64 go.sum files and their folders each.
  const files: string[] = [];
  for (const ws of ['a', 'b']) {
    const uses = Array.from({ length: 64 }, (_, i) => `./m${i}`);
    for (const u of uses) write(path.join(folder, ws, u, 'go.mod'), `module example.com/${ws}/${u.slice(2)}\n\ngo 1.24\n`);
    write(path.join(folder, ws, 'go.work'), `go 1.24\n\nuse (\n\t./runtime\n${uses.map((u) => `\t${u}\n`).join('')})\n`);
    write(path.join(folder, ws, 'runtime', 'go.mod'), `module example.com/${ws}/runtime\n\ngo 1.24\n\nrequire k8s.io/cri-api v0.37.0\n`);
    const file = path.join(folder, ws, 'runtime', 'api.proto');
    write(file, corpusText('v0.36.3'));
    files.push(file);
  }
  const ed = LspEditor.start({ GOMODCACHE: modcache, GOWORK: '', CRI_COMPAT_IMPORT_POLL_MS: '50' });
  try {
    await ed.initialize(folder, { trusted: true });
    for (const f of files) {
      await ed.open(pathToFileURL(f).href, corpusText('v0.36.3'));
      assert.equal((await ed.checked(pathToFileURL(f).href)).baselineTag, 'v0.37.0');
    }
    const capped = async () => {
      for (let i = 0; i < 200 && !ed.logs.some((l) => l.startsWith('Go files: only 256 of the ')); i++) await new Promise((r) => setTimeout(r, 25));
      return ed.logs.filter((l) => l.startsWith('Go files: only 256 of the '));
    };
    assert.equal((await capped()).length, 1, `one "Go files: only 256 of the" log line, waited for up to 5 s; logs:\n${ed.logs.join('\n')}`);
    // The second file's own go.sum, written with no file event: still stamped, past the first file's go.work modules.
    const uri = pathToFileURL(files[1]!).href;
    write(path.join(folder, 'b', 'runtime', 'go.sum'), 'k8s.io/cri-api v0.37.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n');
    const since = ed.statuses.all.length;
    await ed.status((p) => p.uri === uri && p.checked && !p.resolving && p.baselineTag === bundledNewest, since, 10_000);
    assert.equal((await capped()).length, 1, 'said once');
  } finally {
    await ed.close();
  }
});
