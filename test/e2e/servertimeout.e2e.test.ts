// Real-editor test (VS Code in Chromium, harness.ts) of a language server that never answers `initialize`, as one
// that hangs as it starts: the installed extension's dist/server.js replaced by one that reads its messages and
// never answers. vscode-languageclient alone waits for ever ("CRI …", checking, in the status bar, and nothing said);
// the client gives up after criCompat.server.startTimeout (3 s here), stops the process and says so once, with
// "Show Output" and "Restart". Skips (with the reason) when the e2e tools or the .vsix are missing.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { e2eAvailable, guarded, sleep, startEditor, until, type Editor } from './harness';

const EXTENSION_TIMEOUT = 45_000;
const START_TIMEOUT_SECONDS = 3;
const PROTO = 'syntax = "proto3";\npackage foo.bar;\n\n// A thing.\nmessage Thing {\n  // Its name.\n  string name = 1;\n}\n';
const skip = e2eAvailable() ?? false;
/** A server that never answers (over the IPC transport the client starts it with: messages are process messages). */
const HUNG_SERVER = "process.on('message', () => {});\nsetInterval(() => {}, 60_000);\n";
const NOTICE = `did not answer within ${START_TIMEOUT_SECONDS} seconds and was stopped`;

/** The pids of live processes running `script` (from /proc: the harness starts the server as `node <script> …`). */
function processesRunning(script: string): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').includes(script)) pids.push(Number(d));
    } catch {
      /* gone meanwhile */
    }
  }
  return pids;
}

/**
 * Waits for the notice (a toast, or in the notification center), gives anything the client would add after it a
 * moment, opens the notification center and returns the error notifications' messages and the notice's item there,
 * expanded to show its buttons.
 */
async function noticeInCenter(editor: Editor) {
  const page = editor.page;
  await page.locator('.notification-list-item', { hasText: NOTICE }).first().waitFor({ state: 'visible', timeout: EXTENSION_TIMEOUT });
  await page.waitForTimeout(2_000);
  await editor.runCommand('Notifications: Show Notifications');
  const item = page.locator('.notifications-center .notification-list-item', { hasText: NOTICE }).first();
  await item.waitFor({ state: 'visible' });
  const errors = page.locator('.notifications-center .notification-list-item:has(.codicon-error) .notification-list-item-message');
  const messages = (await errors.allInnerTexts()).map((m) => m.trim());
  const expand = item.locator('.codicon-notifications-expand');
  if (await expand.isVisible()) await expand.click();
  const buttons = (await item.locator('.monaco-button').allInnerTexts()).map((b) => b.trim()).filter(Boolean);
  return { item, messages, buttons };
}

/**
 * For the tests of a describe: a real editor on a workspace of PROTO (a new directory named from `prefix`), the
 * installed extension's server replaced by `script`, closed after them.
 */
function editorWithServer(prefix: string, script: string): { editor?: Editor; serverScript: string } {
  const ctx: { editor?: Editor; serverScript: string } = { serverScript: '' };
  let dir = '';
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    writeFileSync(path.join(dir, 'thing.proto'), PROTO);
    ctx.editor = await startEditor({
      workspace: dir,
      trusted: true,
      settings: { 'criCompat.server.startTimeout': START_TIMEOUT_SECONDS },
      prepareExtension: (ext) => {
        ctx.serverScript = path.join(ext, 'dist', 'server.js');
        writeFileSync(ctx.serverScript, script);
      },
    });
    await ctx.editor.openFile('thing.proto');
  });
  after(async () => {
    await ctx.editor?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return ctx;
}

describe('real editor: a language server that never answers initialize', { skip, timeout: 180_000 }, () => {
  const ctx = editorWithServer('cri-compat-e2e-servertimeout-', HUNG_SERVER);

  /** The error notifications in the notification center, by their message. */
  async function errorNotifications(): Promise<string[]> {
    const page = ctx.editor!.page;
    await ctx.editor!.runCommand('Notifications: Show Notifications');
    const errors = page.locator('.notifications-center .notification-list-item:has(.codicon-error) .notification-list-item-message');
    return (await errors.allInnerTexts()).map((m) => m.trim());
  }

  it('one error notification says the server did not answer in time, with "Show Output" and "Restart"', async (t) => {
    await guarded(t, () => ctx.editor, 'servertimeout-notice', async () => {
      const { messages, buttons } = await noticeInCenter(ctx.editor!);
      t.diagnostic(JSON.stringify(messages));
      assert.equal(messages.length, 1, `error notifications: ${JSON.stringify(messages)}`);
      assert.match(messages[0]!, /^CRI API Compatibility: the language server did not answer within 3 seconds and was stopped\. See the "CRI API Compatibility" output; the time is the criCompat\.server\.startTimeout setting\./);
      assert.deepEqual(buttons, ['Show Output', 'Restart']);
    });
  });

  it('the server process is stopped, and the status bar item says so rather than "checking…"', async (t) => {
    await guarded(t, () => ctx.editor, 'servertimeout-stopped', async () => {
      assert.ok(ctx.serverScript, 'the extension was prepared');
      await until('no process left running the hung server', async () => (processesRunning(ctx.serverScript).length === 0 ? true : undefined), 10_000,
        async () => JSON.stringify(processesRunning(ctx.serverScript)));
      const text = await ctx.editor!.waitForStatusBarItem(/^CRI server stopped$/, EXTENSION_TIMEOUT);
      const item = ctx.editor!.page.locator('.statusbar-item', { hasText: text }).first();
      const label = await item.locator('a').first().getAttribute('aria-label') ?? await item.getAttribute('aria-label');
      t.diagnostic(`${text} (${label})`);
      assert.match(label ?? '', /the language server is not running; activate to restart it/);
      // It stays so: nothing starts the server again on its own.
      await sleep(2 * START_TIMEOUT_SECONDS * 1000);
      assert.ok((await ctx.editor!.statusBarTexts()).includes(text));
      assert.deepEqual(processesRunning(ctx.serverScript), []);
    });
  });

  it('"Restart" starts the server again, which is given up on again after the same time', async (t) => {
    await guarded(t, () => ctx.editor, 'servertimeout-restart', async () => {
      const page = ctx.editor!.page;
      // The notice the first test found, in the notification center.
      await ctx.editor!.runCommand('Notifications: Show Notifications');
      const item = page.locator('.notifications-center .notification-list-item', { hasText: NOTICE }).first();
      const expand = item.locator('.codicon-notifications-expand');
      if (await expand.isVisible()) await expand.click();
      await item.locator('.monaco-button', { hasText: 'Restart' }).click();
      // The button closes its notification.
      const anywhere = page.locator('.notification-list-item', { hasText: NOTICE });
      await until('the notification closed', async () => ((await anywhere.count()) === 0 ? true : undefined));
      // A new server process, then, when it has not answered either, the same notification again (as a toast).
      await until('the server started again', async () => (processesRunning(ctx.serverScript).length > 0 ? true : undefined), EXTENSION_TIMEOUT);
      await anywhere.first().waitFor({ state: 'visible', timeout: EXTENSION_TIMEOUT });
      await until('the restarted server stopped', async () => (processesRunning(ctx.serverScript).length === 0 ? true : undefined), 10_000);
      await ctx.editor!.waitForStatusBarItem(/^CRI server stopped$/, EXTENSION_TIMEOUT);
      t.diagnostic(JSON.stringify(await errorNotifications()));
    });
  });
});

/**
 * A server that starts, then crashes, and hangs when the client restarts it on its own (a marker file beside it
 * says it ran): the automatic restart is bounded too.
 */
const CRASHING_THEN_HUNG_SERVER = `const fs = require('node:fs');
const marker = require('node:path').join(__dirname, 'ran-once');
if (fs.existsSync(marker)) {
  process.on('message', () => {});
  setInterval(() => {}, 60_000);
} else {
  fs.writeFileSync(marker, '');
  process.on('message', (m) => {
    if (m && m.method === 'initialize') process.send({ jsonrpc: '2.0', id: m.id, result: { capabilities: {} } });
    if (m && m.method === 'initialized') setTimeout(() => process.exit(1), 1000);
  });
}
`;

describe('real editor: a language server that crashes and hangs when restarted on its own', { skip, timeout: 180_000 }, () => {
  const ctx = editorWithServer('cri-compat-e2e-servertimeout-crash-', CRASHING_THEN_HUNG_SERVER);

  it('the restart is given up on: one error notification, ours, the process stopped, the status bar says so', async (t) => {
    await guarded(t, () => ctx.editor, 'servertimeout-crash', async () => {
      const { messages, buttons } = await noticeInCenter(ctx.editor!);
      t.diagnostic(JSON.stringify(messages));
      assert.equal(messages.length, 1, `error notifications: ${JSON.stringify(messages)}`);
      assert.match(messages[0]!, new RegExp(NOTICE));
      assert.deepEqual(buttons, ['Show Output', 'Restart']);
      await until('no process left running the hung server', async () => (processesRunning(ctx.serverScript).length === 0 ? true : undefined), 10_000);
      await ctx.editor!.waitForStatusBarItem(/^CRI server stopped$/, EXTENSION_TIMEOUT);
    });
  });
});
