// Real-editor test of what VS Code reports of Go module folders: `rm -r` of a module folder that holds a go.mod and
// go.sum sends one file event, for the folder (microsoft/vscode#109754), which only the server's watcher of any
// deletion gets; the server's poll sees it too. A go.work of two modules, one of whose go.sum records a hash that
// the module cache zip of v0.37.0 does not have; deleting that module's folder makes the zip the baseline.
// Skips (with the reason) when the e2e tools or the .vsix are missing: run scripts/e2e-setup.sh and npm run package.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { V1_PATH } from '../../server/src/baseline/corpus';
import { corpusText, NEEDS_CORPUS } from '../corpusText';
import { zip } from '../moduleZipFixture';
import { e2eAvailable, repoRoot, startEditor, type Editor } from './harness';

const skip = e2eAvailable() ?? NEEDS_CORPUS.skip;

function write(p: string, text: string | Buffer): void {
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
}

test('a module folder of the go.work deleted, of which VS Code sends one event, for the folder: the baseline is resolved again', { skip, timeout: 180_000 }, async (t) => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-e2e-gowatch-'));
  const workspace = path.join(base, 'ws');
  write(path.join(workspace, 'go.work'), 'go 1.24\n\nuse (\n\t./runtime\n\t./tools\n)\n');
  write(path.join(workspace, 'runtime', 'go.mod'), 'module example.com/runtime\n\ngo 1.24\n\nrequire k8s.io/cri-api v0.37.0\n');
  write(path.join(workspace, 'runtime', 'api.proto'), corpusText('v0.36.3'));
  write(path.join(workspace, 'tools', 'go.mod'), 'module example.com/tools\n\ngo 1.24\n');
  write(path.join(workspace, 'tools', 'go.sum'), 'k8s.io/cri-api v0.37.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n');
  const modcache = path.join(base, 'modcache');
  write(path.join(modcache, 'cache', 'download', 'k8s.io', 'cri-api', '@v', 'v0.37.0.zip'), zip([
    { name: 'k8s.io/cri-api@v0.37.0/go.mod', data: Buffer.from('module k8s.io/cri-api\n\ngo 1.24.0\n') },
    { name: `k8s.io/cri-api@v0.37.0/${V1_PATH}`, data: Buffer.from(corpusText('v0.37.0-beta.0')) },
  ]));
  // The language server inherits the environment: VSCODE_CLI=1 keeps code-server from taking a login shell's instead.
  const saved = { GOMODCACHE: process.env.GOMODCACHE, GOWORK: process.env.GOWORK, VSCODE_CLI: process.env.VSCODE_CLI };
  Object.assign(process.env, { GOMODCACHE: modcache, GOWORK: '', VSCODE_CLI: '1' });
  let editor: Editor | undefined;
  try {
    editor = await startEditor({ workspace, trusted: true });
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await editor.openFile('runtime/api.proto');
    const before = await editor.waitForStatusBarItem(/^CRI v0\.\d+\.\d+ · /, 60_000);
    t.diagnostic(`status bar with tools/go.sum: ${before}`);
    assert.doesNotMatch(before, /v0\.37\.0/);
    rmSync(path.join(workspace, 'tools'), { recursive: true });
    const after = await editor.waitForStatusBarItem(/^CRI v0\.37\.0 · /, 30_000);
    t.diagnostic(`status bar after rm -r tools: ${after}`);
  } catch (e) {
    if (editor) {
      const shots = path.join(repoRoot(), '.e2e', 'screenshots');
      mkdirSync(shots, { recursive: true });
      await editor.screenshot(path.join(shots, 'gowatch-failure.png')).catch(() => undefined);
      t.diagnostic(`code-server log (tail):\n${editor.serverLog().slice(-4000)}`);
    }
    throw e;
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await editor?.close();
    rmSync(base, { recursive: true, force: true });
  }
});
