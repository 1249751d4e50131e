// Real-editor tests of what the client shows around the commands (VS Code in Chromium, harness.ts): a
// criCompat.baseline that cannot be used is warned about with buttons, "Export Compatibility Report as Markdown"
// saves where the save dialog says (once the baseline is found, when it is still being looked for), "Show History
// of Element at Cursor" wraps its long lines, and "Select Baseline…" in an untrusted workspace saves where VS Code
// reads it.
// Skips (with the reason) when the e2e tools, the .vsix or the api.proto corpus are missing.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Corpus, V1_PATH } from '../../server/src/baseline/corpus';
import { e2eWithCorpus, failureShot, guarded, sleep, startEditor, TIMEOUTS, until, type Editor } from './harness';

const TAG = 'v0.36.3';
const BAD = 'v0.99.0';
const EXTENSION_TIMEOUT = 45_000;
/** A .proto file of another package, which no release index has. */
const OTHER = 'syntax = "proto3";\npackage foo.bar;\n\n// A thing.\nmessage Thing {\n  // Its name.\n  string name = 1;\n}\n';

const { skip, corpusDir } = e2eWithCorpus();

describe('real editor: warnings, export and history', { skip, timeout: 180_000 }, () => {
  let editor: Editor | undefined;
  let dir = '';
  let text = '';

  before(async () => {
    text = new Corpus(corpusDir!).textOf(TAG, V1_PATH)!;
    assert.ok(text, `${TAG} ${V1_PATH} is not in the corpus at ${corpusDir}`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-e2e-clientux-'));
    writeFileSync(path.join(dir, 'api.proto'), text);
    writeFileSync(path.join(dir, 'other.proto'), OTHER);
    // Editor actions in every group's title bar, not only the active one's (the title bar button test).
    editor = await startEditor({ workspace: dir, trusted: true, settings: { 'criCompat.baseline': BAD, 'workbench.editor.alwaysShowEditorActions': true } });
    await editor.openFile('api.proto');
  });

  after(async () => {
    await editor?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a criCompat.baseline that cannot be used: a warning naming the setting, with buttons that fix it', async (t) => {
    await guarded(t, () => editor, 'clientux-warning', async () => {
      const page = editor!.page;
      const toast = page.locator('.notification-toast', { hasText: `The baseline "${BAD}"` }).first();
      await toast.waitFor({ state: 'visible', timeout: EXTENSION_TIMEOUT });
      const message = await toast.locator('.notification-list-item-message').innerText();
      t.diagnostic(message);
      assert.match(message, /\(criCompat\.baseline\) could not be used/);
      assert.doesNotMatch(message, /--against/);
      const buttons = (await toast.locator('.monaco-button').allInnerTexts()).map((b) => b.trim()).filter(Boolean);
      assert.deepEqual(buttons, ['Select Baseline…', 'Open Settings', 'Show Output']);
      await toast.locator('.monaco-button', { hasText: 'Select Baseline…' }).click();
      const title = page.locator('.quick-input-widget .quick-input-title', { hasText: 'CRI: Select Baseline' });
      await title.waitFor({ state: 'visible', timeout: EXTENSION_TIMEOUT });
      await page.keyboard.press('Escape');
    });
  });

  it('"Export Compatibility Report as Markdown…" saves api-cri-report.md where the dialog says; Escape saves nothing', async (t) => {
    await guarded(t, () => editor, 'clientux-export', async () => {
      const ed = editor!;
      const page = ed.page;
      const file = path.join(dir, 'api-cri-report.md');
      const widget = page.locator('.quick-input-widget');
      const box = widget.locator('.quick-input-box input');
      await ed.openFile('api.proto');
      await ed.runCommand('CRI: Export Compatibility Report as Markdown…');
      const suggested = await until('the save dialog', async () => {
        const v = await box.inputValue({ timeout: 500 });
        return v.endsWith('api-cri-report.md') ? v : undefined;
      }, EXTENSION_TIMEOUT);
      t.diagnostic(`suggested: ${suggested}`);
      assert.equal(path.basename(suggested), 'api-cri-report.md');
      await page.keyboard.press('Escape');
      await sleep(1000);
      assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.md')), [], 'cancelled: nothing written');
      await ed.runCommand('CRI: Export Compatibility Report as Markdown…');
      await until('the save dialog', async () => ((await box.inputValue({ timeout: 500 })).endsWith('api-cri-report.md') ? true : undefined), EXTENSION_TIMEOUT);
      await page.keyboard.press('Enter');
      await until(`${file} written`, async () => (existsSync(file) ? true : undefined), EXTENSION_TIMEOUT);
      assert.match(readFileSync(file, 'utf8'), /^# CRI compatibility report/m);
      assert.doesNotMatch(readFileSync(file, 'utf8'), /command:/);
      assert.deepEqual(readdirSync(dir).filter((f) => f !== 'api.proto' && f !== 'other.proto' && f !== 'api-cri-report.md' && f !== '.vscode'), [], 'no temporary file left');
      const toast = page.locator('.notification-toast', { hasText: 'the report was saved to' }).first();
      await toast.waitFor({ state: 'visible', timeout: EXTENSION_TIMEOUT });
      await toast.locator('.monaco-button', { hasText: 'Open' }).click();
      await page.locator('.tab.active', { hasText: 'api-cri-report.md' }).waitFor({ state: 'visible', timeout: TIMEOUTS.ui });
    });
  });

  // With workbench.editor.alwaysShowEditorActions, an inactive group's title bar has the button too. VS Code passes
  // the title bar's editor to the command; the report was of the active editor, in the other group.
  it('the report button in the title bar of an editor that is not the active one shows that editor\'s report', async (t) => {
    await guarded(t, () => editor, 'clientux-title-button', async () => {
      const ed = editor!;
      const page = ed.page;
      await ed.openFile('api.proto');
      await ed.runCommand('View: Split Editor Right');
      await ed.openFile('other.proto');
      await ed.runCommand('View: Focus First Editor Group');
      const groups = page.locator('.editor-group-container');
      await groups.first().locator('.tab.active', { hasText: 'api.proto' }).waitFor({ state: 'visible', timeout: TIMEOUTS.ui });
      await page.locator('.editor-group-container.active .tab.active', { hasText: 'api.proto' }).waitFor({ state: 'visible', timeout: TIMEOUTS.ui });
      const second = page.locator('.editor-group-container', { has: page.locator('.tab.active', { hasText: 'other.proto' }) }).first();
      await second.locator('.editor-actions .action-label[aria-label*="Show Compatibility Report"]').click();
      const tab = page.locator('.tab', { hasText: /^CRI Report: / }).first();
      const title = await until('the report', async () => (await tab.innerText({ timeout: 500 }).catch(() => '')).trim() || undefined, EXTENSION_TIMEOUT);
      t.diagnostic(`report tab: ${title}`);
      assert.match(title, /^CRI Report: other\.proto/);
      await ed.runCommand('View: Close All Editor Groups');
    });
  });

  it('"Show History of Element at Cursor" wraps its long lines beside the code', async (t) => {
    await guarded(t, () => editor, 'clientux-history', async () => {
      const ed = editor!;
      const page = ed.page;
      await ed.openFile('api.proto');
      const lines = text.split('\n');
      const at = lines.findIndex((l, i) => l.includes('string runtime_handler = 9;') && lines.slice(0, i).some((p) => p.startsWith('message PodSandboxStatus {')));
      assert.ok(at > 0);
      await ed.gotoLine(at + 1, lines[at]!.indexOf('runtime_handler') + 3);
      await ed.runCommand('CRI: Show History of Element at Cursor');
      await page.locator('.tab.active', { hasText: 'runtime.v1.PodSandboxStatus.runtime_handler' }).waitFor({ state: 'visible', timeout: EXTENSION_TIMEOUT });
      await ed.waitForStatusBarItem('CRI History');
      const viewLines = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
      const counted = await until('the history rendered', async () => {
        const shown = (await viewLines.locator('.view-line').allInnerTexts()).map((l) => l.replace(/\u00a0/g, ' '));
        return shown.some((l) => l.includes('skew:')) ? shown : undefined;
      });
      const skew = counted.find((l) => l.includes('skew:'))!;
      t.diagnostic(`${counted.length} view lines; the skew line shows ${skew.length} characters`);
      // Its 8 lines (the last two empty) take more view lines when the long ones wrap.
      assert.ok(counted.length > 8, `${counted.length} view lines: ${JSON.stringify(counted)}`);
    });
  });

  it('"Show History of Element at Cursor" in a file of another package names its document by that package, not runtime.v1', async (t) => {
    await guarded(t, () => editor, 'clientux-history-other', async () => {
      const ed = editor!;
      const page = ed.page;
      await ed.openFile('other.proto');
      await ed.gotoLine(7, 12);
      await ed.runCommand('CRI: Show History of Element at Cursor');
      // (the history of the test before is still open in that group, as the active tab until this one replaces it)
      const tab = page.locator('.editor-group-container.active .tab.active');
      const name = await until('the history document', async () => {
        const shown = (await tab.innerText({ timeout: 500 }).catch(() => '')).trim();
        return shown.includes('.txt') && !shown.includes('PodSandboxStatus') ? shown : undefined;
      }, EXTENSION_TIMEOUT);
      t.diagnostic(`tab: ${name}`);
      assert.match(name, /^foo\.bar\b/);
    });
  });
});

describe('real editor: Select Baseline in an untrusted workspace', { skip, timeout: 150_000 }, () => {
  const PICKED = 'v0.34.0';
  const WORKSPACE_VALUE = 'v0.31.0';
  let editor: Editor | undefined;
  let dir = '';

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-e2e-untrusted-'));
    writeFileSync(path.join(dir, 'api.proto'), new Corpus(corpusDir!).textOf(TAG, V1_PATH)!);
    // Ignored while the workspace is untrusted; the picker says it applies once the workspace is trusted.
    mkdirSync(path.join(dir, '.vscode'));
    writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'criCompat.baseline': WORKSPACE_VALUE }));
    editor = await startEditor({ workspace: dir, trusted: false });
  });

  after(async () => {
    await editor?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('saved in the user settings, which VS Code applies there: the file gets the baseline', async (t) => {
    const ed = editor!;
    const page = ed.page;
    try {
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 30_000 });
      await dialog.getByRole('button', { name: "No, I don't trust the authors" }).click();
      await dialog.waitFor({ state: 'hidden' });
      await ed.openFile('api.proto');
      await ed.waitForStatusBarItem(/^CRI v0\.\d+\.\d+\S* · \d+ breaking$/, EXTENSION_TIMEOUT);
      await ed.runCommand('CRI: Select Baseline…');
      const widget = page.locator('.quick-input-widget');
      const title = await until('the baseline picker', async () => {
        const text = await widget.locator('.quick-input-title').innerText({ timeout: 500 });
        return text.includes('Select Baseline') ? text : undefined;
      }, EXTENSION_TIMEOUT);
      assert.match(title, /not trusted.*saved in your user settings.*once you trust it, "v0\.31\.0" from the workspace settings/, title);
      const input = widget.locator('.quick-input-box input');
      await input.fill(PICKED);
      await widget.locator('.monaco-list-row.focused .label-name', { hasText: PICKED }).first().waitFor();
      await page.keyboard.press('Enter');
      const userSettings = path.join(ed.tmpDir, 'data', 'User', 'settings.json');
      await until('criCompat.baseline in the user settings', async () =>
        (JSON.parse(readFileSync(userSettings, 'utf8')) as Record<string, unknown>)['criCompat.baseline'] === PICKED ? true : undefined, EXTENSION_TIMEOUT);
      assert.deepEqual(JSON.parse(readFileSync(path.join(dir, '.vscode', 'settings.json'), 'utf8')), { 'criCompat.baseline': WORKSPACE_VALUE }, 'the workspace settings unchanged');
      await ed.waitForStatusBarItem(new RegExp(`^CRI ${PICKED.replace(/\./g, '\\.')} · \\d+ breaking$`), EXTENSION_TIMEOUT);
    } catch (e) {
      await failureShot(t, ed, 'clientux-untrusted');
      throw e;
    }
  });
});

// The baseline of a file in a big clone, or from the Go module proxy, can take a while to find. An export made
// meanwhile held no comparison, only that the baseline was still being looked for: it waits for the baseline,
// saying so. The git here (first on PATH, as editor.e2e.test.ts puts its spy) takes GIT_SECONDS per command and
// finds no repository, so the search lasts; VSCODE_CLI=1 keeps code-server from replacing PATH.
describe('real editor: export while the baseline is being looked for', { skip, timeout: 180_000 }, () => {
  const GIT_SECONDS = 9;
  let editor: Editor | undefined;
  let dir = '';
  let bin = '';

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-e2e-export-resolving-'));
    // Laid out as a kubernetes/cri-api clone, where the baseline comes from git (lsp-report-resolving.test.ts).
    mkdirSync(path.join(dir, '.git', 'refs', 'heads'), { recursive: true });
    mkdirSync(path.join(dir, '.git', 'objects'));
    writeFileSync(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/master\n');
    mkdirSync(path.join(dir, ...path.dirname(V1_PATH).split('/')), { recursive: true });
    writeFileSync(path.join(dir, ...V1_PATH.split('/')), new Corpus(corpusDir!).textOf(TAG, V1_PATH)!);
    bin = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-e2e-slowgit-'));
    writeFileSync(path.join(bin, 'git'), `#!/bin/sh\nsleep ${GIT_SECONDS}\necho "fatal: not a git repository" >&2\nexit 128\n`);
    chmodSync(path.join(bin, 'git'), 0o755);
    const saved = { PATH: process.env.PATH, VSCODE_CLI: process.env.VSCODE_CLI };
    process.env.PATH = `${bin}${path.delimiter}${saved.PATH ?? ''}`;
    process.env.VSCODE_CLI = '1';
    try {
      editor = await startEditor({ workspace: dir, trusted: true });
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.VSCODE_CLI === undefined) delete process.env.VSCODE_CLI;
      else process.env.VSCODE_CLI = saved.VSCODE_CLI;
    }
  });

  after(async () => {
    await editor?.close();
    for (const d of [dir, bin]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('waits for the baseline, with a notification, and saves the comparison', async (t) => {
    await guarded(t, () => editor, 'clientux-export-resolving', async () => {
      const ed = editor!;
      const page = ed.page;
      const file = path.join(dir, ...path.dirname(V1_PATH).split('/'), 'api-cri-report.md');
      await ed.openFile(V1_PATH);
      await ed.waitForStatusBarItem('CRI finding baseline…', EXTENSION_TIMEOUT);
      await ed.runCommand('CRI: Export Compatibility Report as Markdown…');
      const box = page.locator('.quick-input-widget .quick-input-box input');
      // Until the baseline is found, a notification says what the export waits for, and no dialog asks where.
      await page.locator('.notification-toast', { hasText: 'finding the baseline to compare with before exporting the report' }).first()
        .waitFor({ state: 'visible', timeout: EXTENSION_TIMEOUT });
      await until('the save dialog', async () => ((await box.inputValue({ timeout: 500 }).catch(() => '')).endsWith('api-cri-report.md') ? true : undefined), EXTENSION_TIMEOUT);
      const sb = await ed.waitForStatusBarItem(/^CRI v0\.\d+\.\d+\S* · \d+ breaking$/, EXTENSION_TIMEOUT);
      t.diagnostic(`status bar: ${sb}`);
      await page.keyboard.press('Enter');
      await until(`${file} written`, async () => (existsSync(file) ? true : undefined), EXTENSION_TIMEOUT);
      const report = readFileSync(file, 'utf8');
      assert.match(report, /^Baseline: \*\*v0\.\d+\.\d+\S*\*\*/m, report.slice(0, 400));
      assert.doesNotMatch(report, /still being looked for/);
    });
  });
});
