// Real-editor tests of what VS Code reports of a folder of imports deleted, or moved in, in an untrusted workspace
// (restricted mode, where the server polls nothing): one event, for the folder, sent only to a watcher whose glob
// matches the folder's own path. Skips (with the reason) when the e2e tools or the .vsix are missing: run
// scripts/e2e-setup.sh and npm run package.
import { test } from 'node:test';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { e2eAvailable, repoRoot, startEditor, type Editor } from './harness';

const skip = e2eAvailable();

function write(p: string, text: string): void {
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
}

/** The errors and warnings the status bar's problems item counts; undefined before it shows. */
async function problems(editor: Editor): Promise<number | undefined> {
  const label = await editor.page.locator('#status\\.problems').first().getAttribute('aria-label', { timeout: 2000 }).catch(() => null);
  if (!label) return undefined;
  return [/Errors: (\d+)/, /Warnings: (\d+)/].reduce((n, re) => n + Number(re.exec(label)?.[1] ?? 0), 0);
}

/** Waits, bounded, until the problems item counts `n` errors and warnings. */
async function untilProblems(editor: Editor, n: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last: number | undefined;
  while ((last = await problems(editor)) !== n) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${n} problems; last seen: ${last}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Starts the editor on `workspace` in restricted mode (the trust dialog answered no), runs `body`, and on failure
 * keeps a screenshot named after `name` and shows the end of code-server's log.
 */
async function untrusted(t: { diagnostic(message: string): void }, name: string, workspace: string, body: (editor: Editor) => Promise<void>): Promise<void> {
  let editor: Editor | undefined;
  try {
    editor = await startEditor({ workspace, trusted: false });
    const dialog = editor.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    await dialog.getByRole('button', { name: "No, I don't trust the authors" }).click();
    await dialog.waitFor({ state: 'hidden' });
    await body(editor);
  } catch (e) {
    if (editor) {
      const shots = path.join(repoRoot(), '.e2e', 'screenshots');
      mkdirSync(shots, { recursive: true });
      await editor.screenshot(path.join(shots, `${name}-failure.png`)).catch(() => undefined);
      t.diagnostic(`code-server log (tail):\n${editor.serverLog().slice(-4000)}`);
    }
    throw e;
  } finally {
    await editor?.close();
  }
}

test('untrusted: a folder of imports deleted, of which VS Code sends one event for the folder: its imports are unresolved at once', { skip, timeout: 180_000 }, async (t) => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-e2e-folderwatch-'));
  const workspace = path.join(base, 'ws');
  write(path.join(workspace, 'lib', 'dep.proto'), 'syntax = "proto3";\npackage dep;\nmessage D {}\n');
  // One import that is missing from the start: its warning says the file was checked.
  write(path.join(workspace, 'main.proto'), 'syntax = "proto3";\npackage main;\nimport "lib/dep.proto";\nimport "missing.proto";\nmessage M { dep.D d = 1; }\n');
  try {
    await untrusted(t, 'folderwatch', workspace, async (editor) => {
      await editor.openFile('main.proto');
      await untilProblems(editor, 1, 60_000);
      rmSync(path.join(workspace, 'lib'), { recursive: true });
      // The import and the type from it.
      await untilProblems(editor, 3, 30_000);
    });
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('untrusted: a folder whose name has glob characters (`gen[1]*,?`) moved in where an import was not found: the import resolves at once', { skip, timeout: 180_000 }, async (t) => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-e2e-folderglob-'));
  const workspace = path.join(base, 'ws');
  const folder = 'gen[1]*,?';
  write(path.join(workspace, 'main.proto'), `syntax = "proto3";\npackage main;\nimport "${folder}/dep.proto";\nmessage M { dep.D d = 1; }\n`);
  // Made outside, then moved in: VS Code reports one event, for the folder, to a watcher whose glob matches it. The
  // server polls nothing in restricted mode: only the creation watcher for that folder can tell.
  write(path.join(base, 'staging', 'dep.proto'), 'syntax = "proto3";\npackage dep;\nmessage D {}\n');
  try {
    await untrusted(t, 'folderglob', workspace, async (editor) => {
      await editor.openFile('main.proto');
      // The import and the type from it.
      await untilProblems(editor, 2, 60_000);
      renameSync(path.join(base, 'staging'), path.join(workspace, folder));
      await untilProblems(editor, 0, 30_000);
    });
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
