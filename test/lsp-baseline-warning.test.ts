// A criCompat.baseline that cannot be used, as the extension is told: a criCompat/baselineWarning (which it shows
// with "Select Baseline…", "Open Settings" and "Show Output") naming the setting only, once per bad value; other
// clients get window/showMessage (lsp-features.test.ts).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeConfigurationNotification } from 'vscode-languageserver-protocol';
import { Corpus, CORPUS_HELP, V1_PATH, findCorpusDir } from '../server/src/baseline/corpus';
import { LspEditor, ROOT } from './lspHarness';

const corpusDir = findCorpusDir(ROOT);

describe('criCompat.baseline that cannot be used: the extension\'s warning', { skip: corpusDir ? false : CORPUS_HELP }, () => {
  const BASE_SETTINGS = { protoPaths: [], validation: { debounceMs: 10 } };
  let editor: LspEditor;
  let tmp: string;
  let uri: string;

  before(async () => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-warning-')));
    const ws = path.join(tmp, 'ws');
    mkdirSync(ws);
    mkdirSync(path.join(tmp, 'gomodcache'));
    const text = new Corpus(corpusDir!).textOf('v0.33.0', V1_PATH)!;
    writeFileSync(path.join(ws, 'api.proto'), text);
    uri = pathToFileURL(path.join(ws, 'api.proto')).href;
    editor = LspEditor.start({ GOMODCACHE: path.join(tmp, 'gomodcache'), GOPATH: path.join(tmp, 'gopath') });
    editor.settings = { ...BASE_SETTINGS, baseline: './missing.proto' };
    await editor.initialize(ws, { trusted: false, cacheDir: path.join(tmp, 'cache'), baselineWarnings: true });
    await editor.open(uri, text, 1);
  });

  after(async () => {
    await editor?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Applies `settings` and returns the warnings sent until the file was checked without a baseline. */
  async function configure(settings: Record<string, unknown>): Promise<string[]> {
    const warnings = editor.baselineWarnings.length;
    const since = editor.statuses.all.length;
    editor.settings = { ...BASE_SETTINGS, ...settings };
    await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await editor.status((s) => s.uri === uri && s.checked && !s.resolving && s.baselineTag === null, since);
    return editor.baselineWarnings.slice(warnings).map((w) => w.message);
  }

  test('names the setting, not the CLI flag, and is not a window/showMessage', async () => {
    await editor.status((s) => s.uri === uri && s.checked && !s.resolving && s.baselineTag === null);
    assert.equal(editor.baselineWarnings.length, 1, JSON.stringify(editor.baselineWarnings));
    const message = editor.baselineWarnings[0]!.message;
    assert.match(message, /^CRI API Compatibility: The baseline "\.\/missing\.proto" \(criCompat\.baseline\) could not be used: .*missing\.proto does not exist/);
    assert.doesNotMatch(message, /--against|CLI/);
    assert.deepEqual(editor.messages, []);
  });

  test('once per bad value: another setting changed does not repeat it; another bad value is said', async () => {
    assert.deepEqual(await configure({ baseline: './missing.proto', includePrereleases: true }), []);
    assert.deepEqual(await configure({ baseline: './missing.proto', validation: { debounceMs: 20 } }), []);
    const other = await configure({ baseline: 'v0.99.0' });
    assert.equal(other.length, 1, JSON.stringify(other));
    assert.match(other[0]!, /The baseline "v0\.99\.0" \(criCompat\.baseline\) could not be used/);
    assert.deepEqual(editor.messages, []);
  });
});
