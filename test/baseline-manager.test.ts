// The language server's baseline manager (server/src/lsp/baselines.ts) over a long session: what it keeps of
// the documents it resolved baselines for. Real resolutions from the bundled release index (an untrusted
// workspace: no git), with the corpus's newest api.proto.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { resolveBaseline } from '../server/src/baseline/resolve';
import { BaselineManager, type BaselineRequest } from '../server/src/lsp/baselines';
import { testHost } from './baselineHost';
import { NEEDS_CORPUS, newestCorpusText } from './corpusText';

/** A manager whose resolutions are real, recording the signal of each (nothing else: not its text) and awaiting each to finish. */
function managerFor(): { manager: BaselineManager; started: (AbortSignal | undefined)[]; resolved: () => Promise<string> } {
  const bundled = loadBundledHistory();
  const started: (AbortSignal | undefined)[] = [];
  const waiting: ((key: string) => void)[] = [];
  const host = testHost({
    trusted: false,
    bundled,
    resolved: (key) => waiting.shift()?.(key),
    resolve: (options) => {
      started.push(options.signal);
      return resolveBaseline(options);
    },
  });
  return { manager: new BaselineManager(host), started, resolved: () => new Promise<string>((r) => waiting.push(r)) };
}

const request = (folderKey: string, text: string): BaselineRequest => ({
  folderKey, filePath: `/nonexistent/${folderKey.replace(/\W/g, '_')}/api.proto`, explicit: '', includePrereleases: false, networkEnabled: false, text,
});

test('a directory no open document uses is forgotten: its resolution (a running one is aborted) and its last baseline; folders in use keep theirs', NEEDS_CORPUS, async () => {
  const text = newestCorpusText();
  const { manager, started, resolved } = managerFor();
  for (const key of ['/work/folder', 'dir:/elsewhere/a', 'dir:/elsewhere/b']) {
    const done = resolved();
    assert.equal(manager.get(request(key, text)).resolving, true);
    await done;
    assert.ok(manager.get(request(key, text)).baseline, `a baseline for ${key}`);
  }
  assert.equal(started.length, 3);
  manager.release(new Set(['/work/folder', 'dir:/elsewhere/b']));
  // Kept: answered from what was resolved, with no new resolution.
  for (const key of ['/work/folder', 'dir:/elsewhere/b']) assert.equal(manager.get(request(key, text)).resolving, false, key);
  assert.equal(started.length, 3);
  // Forgotten: resolved again, and meanwhile no baseline, not the one the directory had.
  const again = manager.get(request('dir:/elsewhere/a', text));
  assert.equal(again.resolving, true);
  assert.equal(again.baseline, undefined);
  await new Promise((r) => setImmediate(r)); // a resolution starts once the validation that asked has finished
  assert.equal(started.length, 4);
  manager.release(new Set(['/work/folder']));
  assert.equal(started[3]?.aborted, true, 'the running resolution of a released directory is aborted');
  assert.equal(manager.busy, false);
});

test('no resolution keeps the document text it was started with', NEEDS_CORPUS, async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const { manager, resolved } = managerFor();
  const text = newestCorpusText();
  // A first resolution loads what every resolution uses (the release models); it is not what is measured.
  let done = resolved();
  manager.get(request('dir:/warm-up', text));
  await done;
  // A document of ~20 MB (200 copies of api.proto, each its own comment at the end), resolved in a folder that
  // stays in use: once resolved, nothing of its text may stay.
  const size = 200 * text.length;
  gc();
  const before = process.memoryUsage().heapUsed;
  await (async () => {
    const big = Array.from({ length: 200 }, (_, i) => `${text}// copy ${i}\n`).join('');
    done = resolved();
    assert.equal(manager.get(request('/work/folder', big)).resolving, true);
    await done;
    assert.ok(manager.get(request('/work/folder', big)).baseline);
  })();
  gc();
  const kept = process.memoryUsage().heapUsed - before;
  assert.ok(kept < size / 4, `the manager keeps ${(kept / 1e6).toFixed(1)} MB after resolving a ${(size / 1e6).toFixed(1)} MB document`);
});
