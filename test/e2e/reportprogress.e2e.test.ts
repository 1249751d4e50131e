// Real-editor test of Show Compatibility Report while the server takes its time to answer (VS Code in Chromium,
// harness.ts): the status bar shows progress meanwhile, and running it again before the answer asks the server
// once and opens one panel. The slow server is the installed one behind a wrapper that holds back its answers to
// criCompat/report and counts the requests (the IPC transport's messages are process messages).
// Skips (with the reason) when the e2e tools or the .vsix are missing.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { e2eAvailable, guarded, sleep, startEditor, until, type Editor } from './harness';

const EXTENSION_TIMEOUT = 45_000;
const DELAY_MS = 8000;
const PROTO = 'syntax = "proto3";\npackage foo.bar;\n\n// A thing.\nmessage Thing {\n  // Its name.\n  string name = 1;\n}\n';
const skip = e2eAvailable() ?? false;

/** dist/server.js: the real server (moved to server-real.js), its report answers DELAY_MS late, each request counted. */
const SLOW_REPORT_SERVER = `const fs = require('node:fs');
const path = require('node:path');
const log = path.join(__dirname, 'report-requests.log');
const held = new Set();
process.on('message', (m) => {
  if (m && m.method === 'criCompat/report') { held.add(m.id); fs.appendFileSync(log, 'report\\n'); }
});
const send = process.send.bind(process);
process.send = (m, handle, options, callback) => {
  if (m && m.method === undefined && held.delete(m.id)) {
    setTimeout(() => send(m), ${DELAY_MS});
    if (typeof callback === 'function') callback(null);
    return true;
  }
  return send(m, handle, options, callback);
};
require('./server-real.js');
`;

describe('real editor: Show Compatibility Report while the server is slow', { skip, timeout: 180_000 }, () => {
  let editor: Editor | undefined;
  let dir = '';
  let requests = '';

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-e2e-reportprogress-'));
    writeFileSync(path.join(dir, 'thing.proto'), PROTO);
    editor = await startEditor({
      workspace: dir,
      trusted: true,
      prepareExtension: (ext) => {
        const dist = path.join(ext, 'dist');
        renameSync(path.join(dist, 'server.js'), path.join(dist, 'server-real.js'));
        writeFileSync(path.join(dist, 'server.js'), SLOW_REPORT_SERVER);
        requests = path.join(dist, 'report-requests.log');
      },
    });
    await editor.openFile('thing.proto');
    await editor.waitForStatusBarItem(/CRI/, EXTENSION_TIMEOUT);
  });

  after(async () => {
    await editor?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('progress in the status bar until the report answers; run again meanwhile: one request, one panel', async (t) => {
    await guarded(t, () => editor, 'reportprogress', async () => {
      const ed = editor!;
      const page = ed.page;
      const count = (): number => (existsSync(requests) ? readFileSync(requests, 'utf8').split('\n').filter(Boolean).length : 0);
      const before = count();
      await ed.runCommand('CRI: Show Compatibility Report');
      const progress = await until('progress in the status bar', async () => {
        const texts = await ed.statusBarTexts();
        return texts.find((s) => s.includes('computing the compatibility report of thing.proto'));
      }, DELAY_MS / 2, async () => (await ed.statusBarTexts()).join(' | '));
      t.diagnostic(`status bar: ${progress}`);
      await ed.runCommand('CRI: Show Compatibility Report');
      await sleep(500);
      assert.equal(count() - before, 1, 'one criCompat/report request for two runs while the first is pending');
      const tabs = page.locator('.tab', { hasText: /^CRI Report: / });
      await tabs.first().waitFor({ state: 'visible', timeout: EXTENSION_TIMEOUT });
      await sleep(DELAY_MS / 2);
      assert.equal(await tabs.count(), 1);
      const after = await ed.statusBarTexts();
      assert.ok(!after.some((s) => s.includes('computing the compatibility report')), after.join(' | '));
    });
  });
});
