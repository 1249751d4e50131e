// Real-editor session of an author editing the newest api.proto of the corpus (VS Code in Chromium, harness.ts),
// compared with the bundled baseline: every quick fix of a deleted field, each undone with Ctrl+Z; the report from
// the command palette against what `cri-compat check` says of the same file; criCompat.* settings changed in
// settings.json while the window is open; and a .proto file of another package.
// Skips (with the reason) when the e2e tools, the .vsix or the api.proto corpus are missing.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { Corpus } from '../../server/src/baseline/corpus';
import { loadBundledHistory } from '../../server/src/baseline/historyIndex';
import { RULES_BY_ID } from '../../server/src/compat/rules';
import { cliCheck, e2eWithCorpus, guarded, problemCounts, startEditor, until, webviewWith, type CliFinding, type Editor } from './harness';

const DIAGNOSTICS_TIMEOUT = 45_000;
const DELETED = '    // Name of the container runtime.\n    string runtime_name = 2;\n';
const OTHER = 'syntax = "proto3";\npackage foo.bar;\n\n// A thing.\nmessage Thing {\n  // Its name.\n  string name = 1;\n}\n';

const { skip, corpusDir } = e2eWithCorpus();

function countsOf(findings: CliFinding[]): { errors: number; warnings: number; infos: number } {
  const n = (s: CliFinding['severity']) => findings.filter((f) => f.severity === s).length;
  return { errors: n('error'), warnings: n('warning'), infos: n('information') };
}

async function waitForCounts(page: Page, want: { errors: number; warnings: number; infos: number }, what: string): Promise<void> {
  await until(
    `Problems ${JSON.stringify(want)} (${what})`,
    async () => {
      const c = await problemCounts(page);
      return c.errors === want.errors && c.warnings === want.warnings && c.infos === want.infos ? true : undefined;
    },
    DIAGNOSTICS_TIMEOUT,
    async () => (await problemCounts(page)).label,
  );
}

describe('real editor: an author edits the newest api.proto', { skip, timeout: 300_000 }, () => {
  let editor: Editor | undefined;
  let dir = '';
  let file = '';
  let edited = '';
  let tag = '';
  let findings: CliFinding[] = [];

  before(async () => {
    const corpus = new Corpus(corpusDir!);
    const newest = corpus.goTags().at(-1)!.tag;
    const original = corpus.textOf(newest)!;
    assert.ok(original.includes(DELETED), `${newest} has no VersionResponse.runtime_name`);
    edited = original.replace(DELETED, '');
    // The automatic baseline of a folder that is no clone: the bundled index's newest release.
    tag = loadBundledHistory().newestRelease()!.tag;
    dir = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-e2e-session-'));
    file = path.join(dir, 'api.proto');
    writeFileSync(file, edited);
    writeFileSync(path.join(dir, 'other.proto'), OTHER);
    findings = cliCheck(file, tag).findings;
    assert.ok(findings.some((f) => f.rule === 'FIELD_NO_DELETE'), 'CLI: FIELD_NO_DELETE');
    // settings.json is edited by inserting its whole text: no brackets closed or lines indented on the way.
    const raw = { 'editor.autoClosingBrackets': 'never', 'editor.autoClosingQuotes': 'never', 'editor.autoIndent': 'none', 'editor.formatOnType': false };
    editor = await startEditor({ workspace: dir, trusted: true, settings: raw });
    await editor.openFile('api.proto');
    await editor.waitForStatusBarItem(new RegExp(`CRI ${tag.replace(/\./g, '\\.')} · `), DIAGNOSTICS_TIMEOUT);
    await waitForCounts(editor.page, countsOf(findings), 'first check');
  });

  after(async () => {
    await editor?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('each quick fix of the deleted field leaves valid proto without the finding, and Ctrl+Z brings it back', async (t) => {
    await guarded(t, () => editor, 'session-fixes', async () => {
      const ed = editor!;
      const page = ed.page;
      const noDelete = findings.find((f) => f.rule === 'FIELD_NO_DELETE')!;
      for (const title of ['Reserve number 2', 'Restore the field', 'Deprecate']) {
        await ed.gotoLine(noDelete.range.start.line + 1, noDelete.range.start.character + 1);
        await page.keyboard.press('Control+.');
        await page.locator(`.action-widget .monaco-list-row.action[aria-label^="${title}"]`).first().waitFor({ state: 'visible' });
        // The widget takes keys, not clicks (a pointer block covers it while it opens): down to the row, then Enter.
        const focused = page.locator('.action-widget .monaco-list-row.action.focused').first();
        for (let i = 0; i < 10 && !((await focused.getAttribute('aria-label')) ?? '').startsWith(title); i++) await page.keyboard.press('ArrowDown');
        assert.ok(((await focused.getAttribute('aria-label')) ?? '').startsWith(title), `no quick fix "${title}…"`);
        await page.keyboard.press('Enter');
        await page.locator('.action-widget').waitFor({ state: 'hidden' });
        await page.keyboard.press('Control+s');
        const fixed = await until(`the saved file after "${title}"`, async () => {
          const now = readFileSync(file, 'utf8');
          return now !== edited ? now : undefined;
        });
        const after = cliCheck(file, tag).findings;
        t.diagnostic(`${title}: ${JSON.stringify(after.filter((f) => f.rule !== 'ENUM_VALUE_RENAMED').map((f) => f.rule))}`);
        assert.ok(!after.some((f) => f.rule === 'FIELD_NO_DELETE'), `after "${title}" the CLI finds no FIELD_NO_DELETE`);
        assert.ok(!after.some((f) => RULES_BY_ID.get(f.rule) === undefined), `after "${title}" no syntax or binding problem`);
        await waitForCounts(page, countsOf(after), `after "${title}"`);
        // Undo in the editor: the file as it was, and its findings with it.
        await page.keyboard.press('Control+z');
        await page.keyboard.press('Control+s');
        await until(`the saved file after undoing "${title}"`, async () => (readFileSync(file, 'utf8') === edited ? true : undefined));
        assert.notEqual(fixed, edited);
        await waitForCounts(page, countsOf(findings), `after undoing "${title}"`);
      }
    });
  });

  it('"CRI: Show Compatibility Report" shows what `cri-compat check` finds in the same file', async (t) => {
    await guarded(t, () => editor, 'session-report', async () => {
      const ed = editor!;
      const t0 = Date.now();
      await ed.runCommand('CRI: Show Compatibility Report');
      const { text } = await webviewWith(ed.page, 'CRI compatibility report', DIAGNOSTICS_TIMEOUT);
      t.diagnostic(`report shown after ${Date.now() - t0} ms`);
      const breaking = findings.filter((f) => RULES_BY_ID.get(f.rule)?.breaking).length;
      assert.match(text, new RegExp(`Baseline: ${tag.replace(/\./g, '\\.')}`));
      assert.match(text, new RegExp(`${breaking} breaking findings?, ${findings.length} findings? in all`));
      for (const rule of new Set(findings.map((f) => f.rule))) assert.ok(text.includes(rule), `the report names ${rule}`);
    });
  });

  it('criCompat.* changed in settings.json applies without a reload; a bad value is reported', async (t) => {
    await guarded(t, () => editor, 'session-settings', async () => {
      const ed = editor!;
      const page = ed.page;
      const settingsFile = path.join(ed.tmpDir, 'data', 'User', 'settings.json');
      const base = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
      // As a user does: settings.json edited in the editor and saved.
      await ed.runCommand('Preferences: Open User Settings (JSON)');
      await page.locator('.tabs-container .tab.active', { hasText: 'settings.json' }).waitFor();
      const write = async (extra: Record<string, unknown>) => {
        await page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
        await page.keyboard.press('Control+a');
        await page.keyboard.press('Delete');
        await page.keyboard.insertText(JSON.stringify({ ...base, ...extra }));
        // Whatever the editor closed by itself after the cursor.
        await page.keyboard.press('Control+Shift+End');
        await page.keyboard.press('Delete');
        await page.keyboard.press('Control+s');
        const want = JSON.stringify({ ...base, ...extra });
        await until('settings.json saved', async () => (JSON.stringify(JSON.parse(readFileSync(settingsFile, 'utf8'))) === want ? true : undefined));
      };
      await write({ 'criCompat.severity': { ENUM_VALUE_RENAMED: 'off' } });
      await waitForCounts(page, countsOf(cliCheck(file, tag, '--severity', 'ENUM_VALUE_RENAMED=off').findings), 'ENUM_VALUE_RENAMED off');
      await write({ 'criCompat.severity': { ENUM_VALUE_RENAMD: 'off' } });
      const toast = page.locator('.notification-toast', { hasText: 'ENUM_VALUE_RENAMD' }).first();
      await toast.waitFor({ state: 'visible', timeout: DIAGNOSTICS_TIMEOUT });
      t.diagnostic(await toast.innerText());
      // The rest of the settings applies; VS Code itself flags the unknown key in settings.json (one warning more).
      const all = countsOf(findings);
      await waitForCounts(page, { ...all, warnings: all.warnings + 1 }, 'the bad entry ignored');
      // The newest pre-release becomes the baseline (the status bar shows only for a proto editor: the counts tell).
      await write({ 'criCompat.includePrereleases': true });
      const pre = loadBundledHistory().newestRelease({ includePrereleases: true })!.tag;
      assert.notEqual(pre, tag);
      await waitForCounts(page, countsOf(cliCheck(file, pre).findings), `includePrereleases: ${pre}`);
      await write({});
      await waitForCounts(page, countsOf(findings), 'settings as they were');
    });
  });

  it('a .proto file of another package: no CRI findings, a status bar that says so, plain hovers', async (t) => {
    await guarded(t, () => editor, 'session-other', async () => {
      const ed = editor!;
      await ed.openFile('other.proto');
      const sb = await ed.waitForStatusBarItem(/CRI/, DIAGNOSTICS_TIMEOUT);
      t.diagnostic(`status bar: ${sb}`);
      const h = await ed.hover('name = 1', /field foo\.bar\.Thing\.name/);
      t.diagnostic(`hover: ${JSON.stringify(h)}`);
      assert.doesNotMatch(h, /Release history|Introduced in/);
    });
  });

  it('hovers on an RPC, a message and a renamed enum value tell the version skew and link the release', async (t) => {
    await guarded(t, () => editor, 'session-hovers', async () => {
      const ed = editor!;
      const page = ed.page;
      await ed.openFile('api.proto');
      for (const [needle, want] of [
        ['rpc Version(', /rpc runtime\.v1\.RuntimeService\.Version/],
        ['message VersionResponse', /message runtime\.v1\.VersionResponse/],
        ['SIGNAL_SIGABRT', /renamed from SIGABRT|SIGABRT" was renamed/],
        ['runtime_version = 3', /field runtime\.v1\.VersionResponse\.runtime_version/],
      ] as const) {
        const line = edited.split('\n').findIndex((l) => l.includes(needle)) + 1;
        await ed.gotoLine(line);
        const h = await ed.hover(needle, want);
        t.diagnostic(`${needle}: ${JSON.stringify(h.slice(0, 600))}`);
        assert.match(h, /Introduced in v0\./);
        const anchors = await page.locator('.monaco-hover a').evaluateAll((els) => els.map((e) => `${e.getAttribute('href')} ${e.getAttribute('data-href')} ${e.textContent}`));
        t.diagnostic(`${needle} links: ${JSON.stringify(anchors)}`);
        assert.ok(anchors.some((a) => a.includes('https://github.com/kubernetes/cri-api/blob/')), `${needle}: a link to the release`);
        await page.mouse.move(1, 1);
        await page.keyboard.press('Escape');
      }
    });
  });
});
