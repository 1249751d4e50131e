// Real-editor end-to-end tests of what a user sees (VS Code 1.100.3 in Chromium, cri-compat.vsix installed;
// harness.ts): diagnostics of an edited real api.proto (squiggles, Problems, status bar), the preferred quick
// fix through Ctrl+., policy hovers, the report webview (from the palette and from the status bar), the next free
// number in the suggest widget after `=`, and that an untrusted cri-api clone runs no git while a trusted one does.
//
// Three editor sessions: one trusted plain folder for the UI features, then an untrusted and a trusted git
// clone. Skips (with the reason) when the e2e tools, the .vsix or the api.proto corpus are missing.
// Screenshots of failures go to .e2e/screenshots/. docs/images/report.png and hover.png are written when missing or
// with CRI_E2E_UPDATE_IMAGES=1, else the fresh ones go to .e2e/screenshots/.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { Corpus, V1_PATH } from '../../server/src/baseline/corpus';
import { loadBundledHistory } from '../../server/src/baseline/historyIndex';
import { RULES_BY_ID } from '../../server/src/compat/rules';
import { cliCheck, e2eWithCorpus, guarded, problemCounts, repoRoot, sleep, startEditor, TIMEOUTS, until, webviewWith, type CliFinding, type Editor } from './harness';

const TAG = 'v0.36.3';
const REPORT_TITLE = 'CRI Report: api.proto';
/** Generous bound for the first diagnostics (server start + baseline) on a slow, busy machine. */
const DIAGNOSTICS_TIMEOUT = 45_000;

const { skip, corpusDir } = e2eWithCorpus();

// ---- The edited api.proto ---------------------------------------------------------------------------------

const DELETED_FIELD = '    // Version of the kubelet runtime API.\n    string version = 1;\n}';
const TYPE_CHANGE_FROM = '    // Creation timestamp of the sandbox in nanoseconds. Must be > 0.\n    int64 created_at = 4;\n';

/** v0.36.3's api.proto with `VersionRequest.version` deleted and `PodSandboxStatus.created_at` int64 → int32. */
function editedProto(original: string): string {
  const del = original.indexOf(`message VersionRequest {\n${DELETED_FIELD}`);
  assert.ok(del >= 0, 'v0.36.3 api.proto has no `string version = 1;` in message VersionRequest');
  let text = original.replace(`message VersionRequest {\n${DELETED_FIELD}`, 'message VersionRequest {\n    // Version of the kubelet runtime API.\n}');
  assert.ok(text.includes(TYPE_CHANGE_FROM), 'v0.36.3 api.proto has no `int64 created_at = 4;` after the sandbox timestamp comment');
  text = text.replace(TYPE_CHANGE_FROM, TYPE_CHANGE_FROM.replace('int64', 'int32'));
  return text;
}

/** 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `no line contains ${JSON.stringify(needle)}`);
  return i + 1;
}

// ---- UI helpers -------------------------------------------------------------------------------------------

const reportTab = (page: Page) => page.locator('.tabs-container .tab', { hasText: REPORT_TITLE });
const statusItem = (page: Page) => page.locator('.statusbar-item[id$="criCompat.status"]');

async function closeReportTab(page: Page): Promise<void> {
  const tab = reportTab(page);
  if ((await tab.count()) === 0) return;
  await tab.first().hover();
  await tab.first().locator('.tab-actions .action-label').first().click();
  await tab.first().waitFor({ state: 'detached' });
}

/**
 * Where a documentation screenshot goes: docs/images/<name> when it does not exist yet or CRI_E2E_UPDATE_IMAGES=1,
 * else .e2e/screenshots/<name> (screenshots differ from run to run, e.g. by the blinking cursor, and a test run
 * should not leave the work tree changed).
 */
function docImage(name: string): string {
  const doc = path.join(repoRoot(), 'docs', 'images', name);
  if (process.env.CRI_E2E_UPDATE_IMAGES === '1' || !existsSync(doc)) return doc;
  return path.join(repoRoot(), '.e2e', 'screenshots', name);
}

// ---- 1–5: one trusted session on an edited copy of v0.36.3 -----------------------------------------------

describe('real editor: diagnostics, quick fix, hovers, report, status bar', { skip, timeout: 150_000 }, () => {
  let editor: Editor | undefined;
  let workspace = '';
  let file = '';
  let text = '';
  let expected: { errors: number; warnings: number; infos: number; breaking: number; findings: CliFinding[] };
  let deletedLine = 0; // "message VersionRequest {": where FIELD_NO_DELETE is reported
  let typeLine = 0; // "int32 created_at = 4;"
  let stateLine = 0; // "PodSandboxState state = 3;" (a field with no finding)

  before(async () => {
    const t0 = Date.now();
    const corpus = new Corpus(corpusDir!);
    const original = corpus.textOf(TAG, V1_PATH);
    assert.ok(original, `${TAG} ${V1_PATH} is not in the corpus at ${corpusDir}`);
    text = editedProto(original);
    // A folder named like the repository, for the screenshots in docs/images/.
    workspace = path.join(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-e2e-ws-')), 'cri-api');
    mkdirSync(workspace);
    file = path.join(workspace, 'api.proto');
    writeFileSync(file, text);
    deletedLine = lineOf(text, 'message VersionRequest {');
    typeLine = lineOf(text, 'int32 created_at = 4;');
    stateLine = lineOf(text, 'PodSandboxState state = 3;');

    const cli = cliCheck(file, TAG);
    const count = (s: CliFinding['severity']) => cli.findings.filter((f) => f.severity === s).length;
    expected = {
      errors: count('error'),
      warnings: count('warning'),
      infos: count('information'),
      breaking: cli.findings.filter((f) => RULES_BY_ID.get(f.rule)?.breaking).length,
      findings: cli.findings,
    };
    assert.ok(cli.findings.some((f) => f.rule === 'FIELD_NO_DELETE' && f.range.start.line + 1 === deletedLine), 'CLI: FIELD_NO_DELETE');
    assert.ok(cli.findings.some((f) => f.rule === 'FIELD_TYPE_CHANGED' && f.range.start.line + 1 === typeLine), 'CLI: FIELD_TYPE_CHANGED');

    // The baseline is pinned so that a newer bundled release cannot change what the status bar says.
    editor = await startEditor({ workspace, trusted: true, settings: { 'criCompat.baseline': TAG } });
    await editor.openFile('api.proto');
    process.stderr.write(`# editor ready in ${Date.now() - t0} ms; CLI expects ${JSON.stringify({ ...expected, findings: undefined })}\n`);
  });

  after(async () => {
    await editor?.close();
    if (workspace && existsSync(workspace)) rmSync(path.dirname(workspace), { recursive: true, force: true });
  });

  it('1. shows the diagnostics of an edited api.proto: squiggles, Problems, status bar', async (t) => {
    await guarded(t, () => editor, 'editor-diagnostics', async () => {
      const ed = editor!;
      const page = ed.page;
      const want = new RegExp(`CRI ${TAG.replace(/\./g, '\\.')} · ${expected.breaking} breaking`);
      const sb = await ed.waitForStatusBarItem(want, DIAGNOSTICS_TIMEOUT);
      t.diagnostic(`status bar: ${sb}`);

      // Problems count equals the CLI's errors and warnings (binder problems included).
      const counts = await until(
        `Problems "Errors: ${expected.errors}, Warnings: ${expected.warnings}"`,
        async () => {
          const c = await problemCounts(page);
          return c.errors === expected.errors && c.warnings === expected.warnings && c.infos === expected.infos ? c : undefined;
        },
        DIAGNOSTICS_TIMEOUT,
        async () => (await problemCounts(page)).label,
      );
      t.diagnostic(`problems: ${counts.label}`);
      assert.ok(expected.errors >= 2, 'at least the two wire errors');

      // Squiggles (rendered only for lines on screen).
      await ed.gotoLine(deletedLine);
      await page.locator('.squiggly-error').first().waitFor({ state: 'visible' });
      await page.locator('.squiggly-warning').first().waitFor({ state: 'visible' });
      await ed.gotoLine(typeLine);
      await page.locator('.squiggly-error').first().waitFor({ state: 'visible' });

      // Problems panel: one row per finding, at the CLI's position.
      await page.locator('#status\\.problems').first().click();
      const rows = page.locator('.markers-panel .monaco-list-row[aria-label*="generated by cri-compat"]');
      const labels = await until(
        `${expected.findings.length} cri-compat rows in the Problems panel`,
        async () => {
          const l = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
          return l.length === expected.findings.length ? l : undefined;
        },
        TIMEOUTS.ui,
        async () => JSON.stringify(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))),
      );
      for (const f of expected.findings) {
        const sev = { error: 'Error', warning: 'Warning', information: 'Info', hint: 'Hint' }[f.severity];
        const at = `at line ${f.range.start.line + 1} and character ${f.range.start.character + 1}`;
        assert.ok(
          labels.some((l) => l.startsWith(`${sev}:`) && l.includes(f.message) && l.includes(at)),
          `no Problems row "${sev}: ${f.message} ${at}" among ${JSON.stringify(labels)}`,
        );
      }
      // Hide the panel again (the status bar entry toggles it).
      await page.locator('#status\\.problems').first().click();
      await page.locator('.markers-panel').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(async () => {
        await ed.runCommand('View: Hide Panel');
      });
    });
  });

  it('3. policy hovers: a field shows its history, a diagnostic its rule explanation (docs/images/hover.png)', async (t) => {
    await guarded(t, () => editor, 'editor-hover', async () => {
      const ed = editor!;
      await ed.gotoLine(stateLine);
      // The hover finder points at the middle of the needle: the field name, not its type.
      const field = await ed.hover('state = 3', /Introduced in v0\.\d+/);
      assert.match(field, /field runtime\.v1\.PodSandboxStatus\.state/);
      assert.doesNotMatch(field, /· (WIRE|POLICY) ·/, 'a field without findings shows no rule explanation');
      t.diagnostic(`field hover: ${JSON.stringify(field.slice(0, 200))}`);

      // Placeholders in angle brackets outside code spans are HTML tags to markdown, which VS Code drops.
      await ed.gotoLine(lineOf(text, 'string page_size = 1;'));
      const placeholders = await ed.hover('page_size = 1', /The value of PageSize/);
      assert.match(placeholders, /format <size><unit-prefix>B \(2MB, 1GB\)/, placeholders);
      assert.match(placeholders, /must match the <hugepagesize> of the corresponding/, placeholders);
      assert.match(placeholders, /hugetlb\.<hugepagesize>\.limit_in_bytes/, placeholders);

      await ed.gotoLine(deletedLine);
      const deleted = await ed.hover('VersionRequest {', 'FIELD_NO_DELETE · WIRE · error');
      assert.match(deleted, /A field was deleted without reserving its number/);
      assert.match(deleted, /FIELD_REMOVED_WITHOUT_DEPRECATION · POLICY · warning/);

      await ed.gotoLine(typeLine);
      // The finding's range is the type ("int32"): the middle of "int32 c" is on it.
      const diag = await ed.hover('int32 c', 'FIELD_TYPE_CHANGED · WIRE · error');
      assert.match(diag, /changed type from int64 to int32/);
      assert.match(diag, /A field changed to a wire-compatible type that changes its values/);
      assert.match(diag, new RegExp(`Compared with ${TAG.replace(/\./g, '\\.')}`));
      const shot = docImage('hover.png');
      await ed.screenshot(shot);
      t.diagnostic(`screenshot: ${shot}`);
      await ed.page.mouse.move(1, 1);
      await ed.page.keyboard.press('Escape');
    });
  });

  it('4. "CRI: Show Compatibility Report" opens the report beside the editor (docs/images/report.png)', async (t) => {
    await guarded(t, () => editor, 'editor-report', async () => {
      const ed = editor!;
      const page = ed.page;
      await closeReportTab(page);
      await ed.gotoLine(deletedLine);
      await ed.runCommand('CRI: Show Compatibility Report');
      await reportTab(page).first().waitFor({ state: 'visible' });
      const { frame, text: body } = await webviewWith(page, 'CRI compatibility report');
      assert.match(body, new RegExp(`Baseline: ${TAG.replace(/\./g, '\\.')}`));
      assert.match(body, new RegExp(`${expected.breaking} breaking findings?, ${expected.findings.length} findings? in all`));
      for (const rule of ['FIELD_NO_DELETE', 'FIELD_TYPE_CHANGED']) assert.ok(body.includes(rule), `report lacks ${rule}`);
      assert.match(body, /VersionRequest\.version/);
      const links = frame.locator('a[href^="command:criCompat.revealPosition"]');
      assert.ok((await links.count()) >= expected.findings.length, 'a line link per finding');
      // The report opened beside: two editor groups, the proto file still visible on the left.
      assert.equal(await page.locator('.editor-group-container').count(), 2);
      await page.mouse.move(1, 1);
      const shot = docImage('report.png');
      await ed.screenshot(shot);
      t.diagnostic(`screenshot: ${shot}`);
    });
  });

  it('5. the status bar names the baseline and opens the report when clicked', async (t) => {
    await guarded(t, () => editor, 'editor-statusbar', async () => {
      const ed = editor!;
      const page = ed.page;
      await closeReportTab(page);
      // Back in the proto editor (closing the report leaves it active).
      await page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: 'api.proto' }).waitFor();
      const item = statusItem(page);
      await item.waitFor({ state: 'visible' });
      assert.match(await item.innerText(), /CRI v0\.36\.3/);
      await item.click();
      await reportTab(page).first().waitFor({ state: 'visible' });
      const { text: body } = await webviewWith(page, 'CRI compatibility report');
      assert.ok(body.includes('FIELD_NO_DELETE'));
      await closeReportTab(page);
    });
  });

  // Last: it edits the file.
  it('2. the preferred quick fix (Ctrl+.) reserves the deleted number and the error goes away', async (t) => {
    await guarded(t, () => editor, 'editor-quickfix', async () => {
      const ed = editor!;
      const page = ed.page;
      const noDelete = expected.findings.find((f) => f.rule === 'FIELD_NO_DELETE')!;
      await page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: 'api.proto' }).waitFor();
      await ed.gotoLine(noDelete.range.start.line + 1, noDelete.range.start.character + 1);
      await page.keyboard.press('Control+.');
      const widget = page.locator('.action-widget');
      await widget.waitFor({ state: 'visible' });
      const actions = page.locator('.action-widget .monaco-list-row.action');
      await actions.first().waitFor({ state: 'visible' });
      const titles = await actions.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      t.diagnostic(`quick fixes: ${JSON.stringify(titles)}`);
      const focused = await page.locator('.action-widget .monaco-list-row.action.focused').first().getAttribute('aria-label');
      assert.match(focused ?? '', /^Reserve number 1 and name "version"/, `preferred fix first; got ${JSON.stringify(titles)}`);
      await page.keyboard.press('Enter');
      await widget.waitFor({ state: 'hidden' });
      await page.keyboard.press('Control+s');

      const saved = await until('the saved file to contain the reserved lines', async () => {
        const now = readFileSync(file, 'utf8');
        return now !== text && /reserved 1;/.test(now) ? now : undefined;
      });
      const block = saved.slice(saved.indexOf('message VersionRequest {'), saved.indexOf('message VersionResponse {'));
      assert.match(block, /^\s*reserved 1;$/m);
      assert.match(block, /^\s*reserved "version";$/m);
      t.diagnostic(`VersionRequest after the fix: ${JSON.stringify(block)}`);

      // The error is gone: one error and one breaking finding fewer, no error squiggle at the message.
      await until(
        `Problems "Errors: ${expected.errors - 1}"`,
        async () => ((await problemCounts(page)).errors === expected.errors - 1 ? true : undefined),
        TIMEOUTS.ui,
        async () => (await problemCounts(page)).label,
      );
      await ed.waitForStatusBarItem(`CRI ${TAG} · ${expected.breaking - 1} breaking`);
      await ed.gotoLine(deletedLine);
      await until('no error squiggle near VersionRequest', async () => ((await page.locator('.squiggly-error').count()) === 0 ? true : undefined));
      const after = cliCheck(file, TAG);
      assert.ok(!after.findings.some((f) => f.rule === 'FIELD_NO_DELETE'), 'the CLI agrees: no FIELD_NO_DELETE');
    });
  });

  // After 2, whose fix reserved VersionRequest's only field number.
  it('7. a field typed into VersionRequest: the suggest widget offers the next free number, not the reserved 1', async (t) => {
    await guarded(t, () => editor, 'editor-completion', async () => {
      const ed = editor!;
      const page = ed.page;
      // No release gave VersionRequest any number but 1, which the fix reserved: 2 is the next free number.
      const uses = loadBundledHistory().fieldUses('runtime.v1.VersionRequest');
      assert.deepEqual([...new Set(uses.map((u) => u.number))], [1]);
      const saved = readFileSync(file, 'utf8');
      await ed.gotoLine(lineOf(saved, 'reserved "version";'));
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      // Typed as an author types: `=` and the space after it ask the server for completions.
      await page.keyboard.type('string foo = ', { delay: 30 });
      const widget = page.locator('.editor-widget.suggest-widget.visible');
      await widget.waitFor({ state: 'visible' });
      const rows = widget.locator('.monaco-list-row');
      const labels = await until('the suggestions of the language server', async () => {
        const l = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
        return l.some((x) => x.startsWith('2')) ? l : undefined;
      }, TIMEOUTS.ui, async () => JSON.stringify(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))));
      t.diagnostic(`suggestions: ${JSON.stringify(labels)}`);
      const focused = await widget.locator('.monaco-list-row.focused').first().getAttribute('aria-label');
      assert.match(focused ?? '', /^2\b/, `the next free number is preselected; got ${JSON.stringify(labels)}`);
      assert.ok(!labels.some((l) => /^1\b/.test(l)), 'the reserved number is not offered');
      await page.keyboard.press('Enter');
      await widget.waitFor({ state: 'hidden' });
      await page.keyboard.press('Control+s');
      const now = await until('the saved file to hold the new field', async () => {
        const s = readFileSync(file, 'utf8');
        return s.includes('string foo = 2;') ? s : undefined;
      });
      t.diagnostic(`VersionRequest: ${JSON.stringify(now.slice(now.indexOf('message VersionRequest {'), now.indexOf('message VersionResponse {')))}`);
      const found = cliCheck(file, TAG).findings.filter((f) => f.range.start.line + 1 === lineOf(now, 'string foo = 2;'));
      assert.deepEqual(found.filter((f) => RULES_BY_ID.get(f.rule)?.category === 'WIRE'), [], 'the CLI finds no wire break on the new field');
    });
  });
});

// ---- 6: an untrusted cri-api clone runs no git; a trusted one does ---------------------------------------

/**
 * A workspace laid out as a kubernetes/cri-api clone: pkg/apis/runtime/v1/api.proto committed and tagged v0.36.3,
 * then edited in the work tree. `.git/config` sets core.fsmonitor to a script that writes MARKER when any git
 * command that reads the index runs in it.
 */
function makeTrapClone(original: string): { workspace: string; marker: string } {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-e2e-clone-'));
  const protoFile = path.join(workspace, ...V1_PATH.split('/'));
  mkdirSync(path.dirname(protoFile), { recursive: true });
  writeFileSync(protoFile, original);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', '-c', 'init.defaultBranch=master', ...args], {
      cwd: workspace,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
  git('init', '-q');
  git('add', V1_PATH);
  git('commit', '-q', '-m', 'cri-api v0.36.3');
  git('tag', TAG);
  writeFileSync(protoFile, editedProto(original));
  const marker = path.join(workspace, 'FSMONITOR_RAN');
  const hook = path.join(workspace, '.git', 'fsmonitor-trap.sh');
  writeFileSync(hook, `#!/bin/sh\necho "$$ $*" >> '${marker}'\nexit 1\n`);
  chmodSync(hook, 0o755);
  git('config', 'core.fsmonitor', hook);
  // The trap works: a plain `git status` runs it.
  git('status', '--porcelain');
  assert.ok(existsSync(marker), 'the fsmonitor trap did not fire for a plain `git status`');
  rmSync(marker);
  return { workspace, marker };
}

/**
 * A directory with a `git` that logs "<cwd> <args>" to git.log and runs the real git, to see whether the
 * extension runs git at all (its hardening overrides core.fsmonitor, so the marker alone cannot show that).
 */
function makeGitSpy(): { dir: string; log: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-e2e-gitspy-'));
  const log = path.join(dir, 'git.log');
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(path.join(dir, 'git'), `#!/bin/sh\necho "$(pwd) $*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(path.join(dir, 'git'), 0o755);
  return { dir, log };
}

/**
 * startEditor with the git spy first on PATH. code-server normally replaces PATH by the one of a login shell
 * (resolveShellEnv); VSCODE_CLI=1 makes it skip that (and nothing else), so the extension host and the language
 * server inherit this PATH.
 */
async function startWithGitSpy(workspace: string, trusted: boolean, spyDir: string): Promise<Editor> {
  const saved = { PATH: process.env.PATH, VSCODE_CLI: process.env.VSCODE_CLI };
  process.env.PATH = `${spyDir}${path.delimiter}${saved.PATH ?? ''}`;
  process.env.VSCODE_CLI = '1';
  try {
    return await startEditor({ workspace, trusted });
  } finally {
    process.env.PATH = saved.PATH;
    if (saved.VSCODE_CLI === undefined) delete process.env.VSCODE_CLI;
    else process.env.VSCODE_CLI = saved.VSCODE_CLI;
  }
}

function gitCallsIn(log: string, workspace: string): string[] {
  if (!existsSync(log)) return [];
  const roots = [workspace, realpathSync(workspace)];
  return readFileSync(log, 'utf8').split('\n').filter((l) => l && roots.some((r) => l.includes(r)));
}

describe('real editor: workspace trust and git', { skip, timeout: 120_000 }, () => {
  let original = '';
  const cleanup: string[] = [];
  before(() => {
    original = new Corpus(corpusDir!).textOf(TAG, V1_PATH)!;
    assert.ok(original, `${TAG} ${V1_PATH} is not in the corpus`);
  });
  after(() => {
    for (const d of cleanup) rmSync(d, { recursive: true, force: true });
  });

  it('6. an untrusted cri-api clone: checked against the bundled index, no git run', async (t) => {
    const { workspace, marker } = makeTrapClone(original);
    const spy = makeGitSpy();
    cleanup.push(workspace, spy.dir);
    let editor: Editor | undefined;
    try {
      await guarded(t, () => editor, 'editor-untrusted', async () => {
        editor = await startWithGitSpy(workspace, false, spy.dir);
        const page = editor.page;
        const dialog = page.locator('.monaco-dialog-box');
        await dialog.waitFor({ state: 'visible', timeout: 30_000 });
        assert.match(await dialog.innerText(), /Do you trust the authors/);
        await dialog.getByRole('button', { name: "No, I don't trust the authors" }).click();
        await dialog.waitFor({ state: 'hidden' });
        await editor.openFile(V1_PATH);
        const sb = await editor.waitForStatusBarItem(/CRI v0\.\d+\.\d+\S* · \d+ breaking/, DIAGNOSTICS_TIMEOUT);
        t.diagnostic(`status bar (untrusted): ${sb}`);
        await until('error diagnostics', async () => ((await problemCounts(page)).errors >= 2 ? true : undefined), DIAGNOSTICS_TIMEOUT);
        await editor.runCommand('CRI: Show Compatibility Report');
        const { text: body } = await webviewWith(page, 'CRI compatibility report');
        const baselineLine = body.split('\n').find((l) => l.startsWith('Baseline:')) ?? '';
        t.diagnostic(`report (untrusted): ${baselineLine}`);
        assert.match(baselineLine, /from the bundled release index/);
        assert.doesNotMatch(baselineLine, /git/);
        await sleep(1000); // anything still running in the background would have started by now
        assert.equal(existsSync(marker), false, `the repository's fsmonitor hook ran: ${existsSync(marker) ? readFileSync(marker, 'utf8') : ''}`);
        assert.deepEqual(gitCallsIn(spy.log, workspace), [], 'git was run in the untrusted workspace');
      });
    } finally {
      await editor?.close();
    }
  });

  it('6 (control). the same clone trusted: the baseline comes from its git tag, still without the fsmonitor hook', async (t) => {
    const { workspace, marker } = makeTrapClone(original);
    const spy = makeGitSpy();
    cleanup.push(workspace, spy.dir);
    let editor: Editor | undefined;
    try {
      await guarded(t, () => editor, 'editor-trusted-git', async () => {
        editor = await startWithGitSpy(workspace, true, spy.dir);
        await editor.openFile(V1_PATH);
        const sb = await editor.waitForStatusBarItem(/CRI v0\.36\.3 · \d+ breaking/, DIAGNOSTICS_TIMEOUT);
        t.diagnostic(`status bar (trusted): ${sb}`);
        await editor.runCommand('CRI: Show Compatibility Report');
        const { text: body } = await webviewWith(editor.page, 'CRI compatibility report');
        const baselineLine = body.split('\n').find((l) => l.startsWith('Baseline:')) ?? '';
        t.diagnostic(`report (trusted): ${baselineLine}`);
        assert.match(baselineLine, /from git tag v0\.36\.3 .*kubernetes\/cri-api clone/);
        const calls = gitCallsIn(spy.log, workspace);
        t.diagnostic(`git calls (trusted): ${calls.length}`);
        assert.ok(calls.length > 0, 'the git spy saw no git call although the baseline came from git');
        assert.equal(existsSync(marker), false, 'the hardened git must not run the repository\'s fsmonitor hook');
      });
    } finally {
      await editor?.close();
    }
  });
});
