// Real-editor test of when the extension starts: in a workspace with a .proto file (package.json's
// `workspaceContains:**/*.proto`), before any is opened, so that workspace symbols (Ctrl+T, "#" in quick open)
// find its messages at once. Skips (with the reason) when the e2e tools or the .vsix are missing: run
// scripts/e2e-setup.sh and npm run package.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { e2eAvailable, failureShot, sleep, startEditor, until, type Editor } from './harness';

const SHOP = 'syntax = "proto3";\npackage acme.shop.v1;\n\n// An order.\nmessage PurchaseOrder {\n  string id = 1;\n}\n';

test('workspace symbols find a message of a .proto file that was never opened', { skip: e2eAvailable(), timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-e2e-activation-'));
  // Below a folder: the search VS Code makes for the activation event is not only of the top level.
  mkdirSync(path.join(dir, 'proto', 'shop'), { recursive: true });
  writeFileSync(path.join(dir, 'proto', 'shop', 'shop.proto'), SHOP);
  let editor: Editor | undefined;
  try {
    editor = await startEditor({ workspace: dir, trusted: true });
    const page = editor.page;
    const input = page.locator('.quick-input-widget .quick-input-box input');
    const rows = page.locator('.quick-input-list .monaco-list-row .label-name');
    // The extension may still be starting: type the query again (a changed one: the same text is not asked
    // again) until it is answered, bounded.
    const found = await until('a workspace symbol row "PurchaseOrder"', async () => {
      if (!(await input.isVisible())) await page.keyboard.press('F1');
      await input.fill('#');
      await input.fill('#PurchaseOrd');
      await sleep(500);
      const labels = (await rows.allInnerTexts()).map((l) => l.trim());
      return labels.includes('PurchaseOrder') ? labels : undefined;
    }, 60_000, async () => JSON.stringify(await rows.allInnerTexts()));
    t.diagnostic(`rows: ${JSON.stringify(found)}`);
    // No .proto file was opened to start the extension.
    assert.equal(await page.locator('.tabs-container .tab', { hasText: 'shop.proto' }).count(), 0);
  } catch (e) {
    await failureShot(t, editor, 'activation-workspace-symbols');
    throw e;
  } finally {
    await editor?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
