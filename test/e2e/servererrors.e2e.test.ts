// Real-editor tests of the error notifications that point to the "CRI API Compatibility" output (VS Code in
// Chromium, harness.ts): each offers a "Show Output" button that opens it, as the baseline warning does, so
// that nobody has to find the channel in the Output view's list; and the status bar item says the server stopped. Provoked with a language server that cannot
// start: the installed extension's dist/server.js replaced by one that answers `initialize` with an error.
// Skips (with the reason) when the e2e tools or the .vsix are missing.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { e2eAvailable, guarded, startEditor, until, type Editor } from './harness';

const EXTENSION_TIMEOUT = 45_000;
const PROTO = 'syntax = "proto3";\npackage foo.bar;\n\n// A thing.\nmessage Thing {\n  // Its name.\n  string name = 1;\n}\n';
const skip = e2eAvailable() ?? false;
/** A server that refuses to start (over the IPC transport the client starts it with: messages are process messages). */
const REFUSING_SERVER = `process.on('message', (m) => {
  if (m && m.method === 'initialize') process.send({ jsonrpc: '2.0', id: m.id, error: { code: -32603, message: 'this install is broken' } });
});
`;

describe('real editor: a language server that cannot start', { skip, timeout: 180_000 }, () => {
  let editor: Editor | undefined;
  let dir = '';

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-e2e-servererrors-'));
    writeFileSync(path.join(dir, 'thing.proto'), PROTO);
    editor = await startEditor({
      workspace: dir,
      trusted: true,
      prepareExtension: (ext) => writeFileSync(path.join(ext, 'dist', 'server.js'), REFUSING_SERVER),
    });
    await editor.openFile('thing.proto');
  });

  after(async () => {
    await editor?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Finds the error notification saying `text` in the notification center (where it is whether or not its toast
   * is still shown), checks that its one button
   * is "Show Output", and that the button opens the output.
   */
  async function showOutputFrom(text: string, t: { diagnostic(message: string): void }): Promise<void> {
    const page = editor!.page;
    await editor!.runCommand('Notifications: Show Notifications');
    const item = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
    await item.waitFor({ state: 'visible', timeout: EXTENSION_TIMEOUT });
    t.diagnostic(await item.locator('.notification-list-item-message').innerText());
    // The center may show it collapsed, without its buttons: expand it.
    const expand = item.locator('.codicon-notifications-expand');
    if (await expand.isVisible()) await expand.click();
    const buttons = (await item.locator('.monaco-button').allInnerTexts()).map((b) => b.trim()).filter(Boolean);
    assert.deepEqual(buttons, ['Show Output']);
    await item.locator('.monaco-button', { hasText: 'Show Output' }).click();
    // The Output view, showing our channel (its picker is a <select>; only the lines in view are in the DOM).
    const channel = await until('the "CRI API Compatibility" output in the panel', async () => {
      if (!(await page.locator('.part.panel').first().isVisible())) return undefined;
      const picked = await page.locator('.part.panel select.monaco-select-box').first()
        .evaluate((el) => { const s = el as unknown as { selectedIndex: number; options: { text: string }[] }; return s.options[s.selectedIndex]?.text ?? ''; }, undefined, { timeout: 500 })
        .catch(() => '');
      return picked === 'CRI API Compatibility' ? picked : undefined;
    }, EXTENSION_TIMEOUT, async () => (await page.locator('.part.panel').first().innerText({ timeout: 500 })).slice(0, 300));
    t.diagnostic(`output channel shown: ${channel}`);
  }

  it('one error notification says the server did not start: ours, not vscode-languageclient\'s too', async (t) => {
    await guarded(t, () => editor, 'servererrors-one', async () => {
      const page = editor!.page;
      await editor!.runCommand('Notifications: Show Notifications');
      const errors = page.locator('.notifications-center .notification-list-item:has(.codicon-error) .notification-list-item-message');
      await page.locator('.notifications-center .notification-list-item', { hasText: 'the language server did not start' }).first()
        .waitFor({ state: 'visible', timeout: EXTENSION_TIMEOUT });
      // The client's own toasts come before the rejected start that shows ours; give stragglers a moment anyway.
      await page.waitForTimeout(2_000);
      const messages = (await errors.allInnerTexts()).map((m) => m.trim());
      t.diagnostic(JSON.stringify(messages));
      assert.equal(messages.length, 1, `error notifications: ${JSON.stringify(messages)}`);
      assert.match(messages[0]!, /CRI API Compatibility: the language server did not start/);
    });
  });

  it('"the language server did not start": Show Output opens the log that says why', async (t) => {
    await guarded(t, () => editor, 'servererrors-start', async () => {
      await showOutputFrom('the language server did not start', t);
    });
  });

  it('the status bar item says the server stopped, not "checking…" for ever', async (t) => {
    await guarded(t, () => editor, 'servererrors-statusbar', async () => {
      const text = await editor!.waitForStatusBarItem(/^CRI server stopped$/, EXTENSION_TIMEOUT);
      const item = editor!.page.locator('.statusbar-item', { hasText: text }).first();
      const label = await item.locator('a').first().getAttribute('aria-label') ?? await item.getAttribute('aria-label');
      t.diagnostic(`${text} (${label})`);
      assert.match(label ?? '', /the language server is not running; activate to restart it/);
    });
  });

  it('a click on that item restarts the server: "restarting the language server failed", with Show Output too', async (t) => {
    await guarded(t, () => editor, 'servererrors-restart', async () => {
      await editor!.runCommand('View: Hide Panel');
      await editor!.runCommand('Notifications: Clear All Notifications');
      // The status bar item, whose command is Restart Language Server while the server is stopped.
      await editor!.page.locator('.statusbar-item', { hasText: 'CRI server stopped' }).first().click();
      await showOutputFrom('restarting the language server failed', t);
    });
  });
});
