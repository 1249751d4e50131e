// Real-editor smoke test: VS Code 1.100.3 in Chromium with cri-compat.vsix installed opens a real
// CRI api.proto and shows it as "Protocol Buffers". Skips (with the reason) when the e2e tools or the
// .vsix are missing: run scripts/e2e-setup.sh and npm run package.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { e2eAvailable, failureShot, repoRoot, startEditor, type Editor } from './harness';

const TAG = 'v0.36.3';
const PROTO_PATH = 'pkg/apis/runtime/v1/api.proto';

function corpusProto(tag: string, protoPath: string): string {
  const corpus = process.env.CRI_API_CORPUS ?? path.join(repoRoot(), '..', 'shared', 'cri-api');
  const tsv = readFileSync(path.join(corpus, 'tags.tsv'), 'utf8');
  for (const line of tsv.split('\n').slice(1)) {
    const [t, p, blob] = line.split('\t');
    if (t === tag && p === protoPath) return path.join(corpus, 'blobs', `${blob}.proto`);
  }
  throw new Error(`${tag} ${protoPath} not in ${corpus}/tags.tsv`);
}

const skip = e2eAvailable();

test('real editor opens a CRI api.proto as Protocol Buffers', { skip, timeout: 180_000 }, async (t) => {
  const t0 = Date.now();
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-e2e-ws-'));
  const rel = 'api.proto';
  copyFileSync(corpusProto(TAG, PROTO_PATH), path.join(workspace, rel));
  let editor: Editor | undefined;
  const shots = path.join(repoRoot(), '.e2e', 'screenshots');
  try {
    editor = await startEditor({ workspace, trusted: true });
    t.diagnostic(`workbench after ${Date.now() - t0} ms`);
    await editor.openFile(rel);
    t.diagnostic(`file open after ${Date.now() - t0} ms`);

    const tab = editor.page.locator('.editor-group-container.active .tabs-container .tab.active');
    assert.match(await tab.innerText(), /api\.proto/);
    // The editor really shows the file's text.
    await editor.page
      .locator('.editor-group-container.active .monaco-editor .view-lines')
      .first()
      .getByText('RuntimeService', { exact: false })
      .first()
      .waitFor({ state: 'visible' });

    // Language mode in the status bar (VS Code shows the language alias).
    const mode = editor.page.locator('#status\\.editor\\.mode');
    await mode.waitFor({ state: 'visible' });
    assert.equal((await mode.innerText()).trim(), 'Protocol Buffers');
    t.diagnostic(`language mode shown after ${Date.now() - t0} ms`);
  } catch (e) {
    if (editor) {
      mkdirSync(shots, { recursive: true });
      await editor.screenshot(path.join(shots, 'smoke-failure.png')).catch(() => undefined);
      t.diagnostic(`screenshot: ${path.join(shots, 'smoke-failure.png')}`);
      t.diagnostic(`code-server log:\n${editor.serverLog()}`);
    }
    throw e;
  } finally {
    await editor?.close();
    if (existsSync(workspace)) rmSync(workspace, { recursive: true, force: true });
  }
});

// The manifest's texts are `%key%` references into package.nls.json (test/l10n.test.ts): in the editor they must
// read as English, which needs package.nls.json in the .vsix.
test('the settings UI and the command palette show the English texts of package.nls.json', { skip, timeout: 180_000 }, async (t) => {
  const nls = JSON.parse(readFileSync(path.join(repoRoot(), 'package.nls.json'), 'utf8')) as Record<string, string>;
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-e2e-ws-'));
  copyFileSync(corpusProto(TAG, PROTO_PATH), path.join(workspace, 'api.proto'));
  // For Explain Rule's picker, which says the severity a rule has here.
  writeFileSync(path.join(workspace, '.cri-compat.json'), JSON.stringify({ severity: { FIELD_NO_DELETE: 'hint' } }));
  let editor: Editor | undefined;
  try {
    editor = await startEditor({ workspace, trusted: true });
    await editor.openFile('api.proto');
    const page = editor.page;

    await editor.runCommand('Preferences: Open Settings (UI)');
    const settings = page.locator('.settings-editor');
    await settings.waitFor({ state: 'visible' });
    await page.keyboard.type('criCompat.validation.debounceMs');
    const item = settings.locator('.setting-item-contents').filter({ hasText: 'Debounce Ms' }).first();
    await item.waitFor({ state: 'visible' });
    const text = await item.innerText();
    t.diagnostic(`setting: ${JSON.stringify(text)}`);
    assert.ok(text.includes(nls['criCompat.validation.debounceMs.markdownDescription']!.replace(/`/g, '')), text);
    assert.doesNotMatch(text, /%[\w.]+%/);
    // The table of contents names the extension's settings by the configuration title.
    await settings.locator('.settings-toc-container').getByText(nls['configuration.title']!, { exact: true }).first().waitFor({ state: 'visible' });

    // runCommand finds a palette row by its exact label: category and title, as package.nls.json has them (a
    // command the palette offers beside the settings editor). Its picker's title is the client's l10n.t text.
    const title = `${nls['commands.category']}: ${nls['criCompat.explainRule.title']}`;
    assert.equal(title, 'CRI: Explain Rule…');
    await editor.runCommand(title);
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'CRI: Explain Rule' }).waitFor({ state: 'visible' });
    // Beside each rule its severity in this workspace (.cri-compat.json's), and whether that is the default.
    await page.keyboard.type('FIELD_NO_DELETE');
    const list = page.locator('.quick-input-list .monaco-list-row .label-description');
    await list.filter({ hasText: 'WIRE · hint here (default error)' }).first().waitFor({ state: 'visible' });
    await list.filter({ hasText: 'JSON · warning (the default)' }).first().waitFor({ state: 'visible' });
  } catch (e) {
    await failureShot(t, editor, 'smoke-l10n');
    throw e;
  } finally {
    await editor?.close();
    rmSync(workspace, { recursive: true, force: true });
  }
});
