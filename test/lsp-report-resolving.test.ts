// The compatibility report asked for while the editor is still looking for the baseline (the first seconds after a
// file is opened; longer in a big clone, where git answers slowly): it says the baseline is being looked for, not
// that none was found and that the user should set one. The git here is a slow script first on PATH, so that the
// search lasts; the built server runs over stdio (run `node scripts/build.mjs` first).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Corpus, CORPUS_HELP, V1_PATH, findCorpusDir } from '../server/src/baseline/corpus';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { ReportRequestMethod, type ReportResult } from '../server/src/lsp/protocol';
import { BUILD_HELP, LspEditor, ROOT, SERVER } from './lspHarness';

const corpusDir = findCorpusDir(ROOT);
const skip = !existsSync(SERVER) ? BUILD_HELP : process.platform === 'win32' ? 'the slow git is a shell script' : corpusDir ? false : CORPUS_HELP;

describe('the report while the baseline is being looked for', { skip }, () => {
  let tmp = '';
  let editor: LspEditor;

  before(() => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-report-resolving-')));
    const bin = path.join(tmp, 'bin');
    mkdirSync(bin);
    // Any git command takes 3 s and finds no repository.
    writeFileSync(path.join(bin, 'git'), `#!/bin/sh\necho "$*" >> '${path.join(tmp, 'git.log')}'\nsleep 3\necho "fatal: not a git repository" >&2\nexit 128\n`);
    chmodSync(path.join(bin, 'git'), 0o755);
    mkdirSync(path.join(tmp, 'gomodcache'));
    editor = LspEditor.start({
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
      GOMODCACHE: path.join(tmp, 'gomodcache'),
      GOPATH: path.join(tmp, 'gopath'),
    });
  });

  after(async () => {
    await editor?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('says it is looking, then shows the baseline once found', async () => {
    const corpus = new Corpus(corpusDir!);
    const text = corpus.text(corpus.goTags(V1_PATH).at(-1)!.blob);
    // Laid out as a kubernetes/cri-api clone, where the baseline comes from git.
    const ws = path.join(tmp, 'cri-api');
    mkdirSync(path.join(ws, '.git', 'refs', 'heads'), { recursive: true });
    mkdirSync(path.join(ws, '.git', 'objects'));
    writeFileSync(path.join(ws, '.git', 'HEAD'), 'ref: refs/heads/master\n');
    mkdirSync(path.join(ws, ...path.dirname(V1_PATH).split('/')), { recursive: true });
    const file = path.join(ws, ...V1_PATH.split('/'));
    writeFileSync(file, text);
    const uri = pathToFileURL(file).href;
    // Trusted: git is asked for the clone's release tags, which the slow git holds up.
    await editor.initialize(ws, { trusted: true, cacheDir: path.join(tmp, 'cache') });
    await editor.open(uri, text);

    const early = await editor.conn.sendRequest<ReportResult>(ReportRequestMethod, { uri });
    assert.equal(typeof early, 'string');
    // The search had not ended when the report was made: its progress ends in a notification sent before it.
    assert.ok(!editor.progress.all.some((p) => p.value.kind === 'end'), `the search had ended: ${JSON.stringify(editor.progress.all)}`);
    assert.match(early!, /^Baseline: still being looked for, so only syntax and binding checks have run so far/m);
    assert.doesNotMatch(early!, /none found|Set `criCompat\.baseline`|could not be used/);

    await editor.status((s) => s.uri === uri && !s.resolving && s.baselineTag !== null);
    const later = await editor.conn.sendRequest<ReportResult>(ReportRequestMethod, { uri });
    const tag = loadBundledHistory().newestRelease()!.tag;
    assert.match(later!, new RegExp(`^Baseline: \\*\\*${tag.replace(/\./g, '\\.')}\\*\\*`, 'm'));
    assert.doesNotMatch(later!, /still being looked for/);
    assert.ok(readFileSync(path.join(tmp, 'git.log'), 'utf8').trim(), 'git was asked');
  });
});
