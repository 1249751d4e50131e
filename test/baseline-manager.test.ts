// The language server's baseline manager (server/src/lsp/baselines.ts) over a long session: what it keeps of
// the documents it resolved baselines for. Real resolutions from the bundled release index (an untrusted
// workspace: no git), with the corpus's newest api.proto.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { resolveBaseline } from '../server/src/baseline/resolve';
import { BaselineManager, type BaselineRequest } from '../server/src/lsp/baselines';
import { testHost } from './baselineHost';
import { V1_PATH } from '../server/src/baseline/corpus';
import { corpusText, NEEDS_CORPUS, newestCorpusText } from './corpusText';

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

/**
 * A module `runtime` in `tmp` that vendors k8s.io/cri-api v0.37.0 (its baseline, in a trusted workspace) and holds
 * the api.proto of v0.36.3, to be checked against it.
 */
function vendoringModule(tmp: string): { mod: string; filePath: string } {
  const mod = join(tmp, 'runtime');
  const write = (p: string, text: string) => {
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  };
  write(join(mod, 'go.mod'), 'module example.com/runtime\n\ngo 1.24\n\nrequire k8s.io/cri-api v0.37.0\n');
  write(join(mod, 'vendor', 'modules.txt'), '# k8s.io/cri-api v0.37.0\n## explicit; go 1.24\nk8s.io/cri-api/pkg/apis/runtime/v1\n');
  write(join(mod, 'vendor', 'k8s.io', 'cri-api', V1_PATH), corpusText('v0.37.0-beta.0'));
  const filePath = join(mod, 'api', 'api.proto');
  write(filePath, corpusText('v0.36.3'));
  return { mod, filePath };
}

test('a folder event re-resolves the resolutions that read a Go file below it (a module\'s folder deleted whole), not the others', NEEDS_CORPUS, async () => {
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'cri-compat-gofolders-')));
  try {
    const { mod, filePath } = vendoringModule(tmp);
    const waiting: (() => void)[] = [];
    const manager = new BaselineManager(testHost({
      trusted: true,
      bundled: loadBundledHistory(),
      resolved: () => waiting.shift()?.(),
      resolve: (options) => resolveBaseline({ ...options, env: { GOMODCACHE: join(tmp, 'no-modcache'), GOWORK: 'off' } }),
    }));
    const req: BaselineRequest = { folderKey: tmp, filePath, explicit: '', includePrereleases: false, networkEnabled: false, text: corpusText('v0.36.3') };
    const done = new Promise<void>((r) => waiting.push(r));
    assert.equal(manager.get(req).resolving, true);
    await done;
    assert.equal(manager.get(req).baseline?.tag, 'v0.37.0');
    assert.ok(manager.goFilesRead().includes(join(mod, 'vendor', 'modules.txt')), JSON.stringify(manager.goFilesRead()));
    // Not a sibling, nor one whose name starts as the module's does.
    assert.equal(manager.goFoldersChanged(new Set([join(tmp, 'docs'), join(tmp, 'runtime2'), join(mod, 'vendor', 'k8s.io')])), false);
    assert.equal(manager.get(req).resolving, false, 'a folder above no Go file read resolved again');
    assert.equal(manager.goFoldersChanged(new Set([mod])), true);
    assert.equal(manager.get(req).resolving, true);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a folder event that arrives while the resolution runs is looked at when it finishes: one above a Go file it read resolves again', NEEDS_CORPUS, async () => {
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'cri-compat-gofolders-running-')));
  try {
    const { mod, filePath } = vendoringModule(tmp);
    // Each resolution waits, once it has read everything, until the test lets it finish.
    const gates: (() => void)[] = [];
    const resolvedKeys: string[] = [];
    let started = 0;
    const manager = new BaselineManager(testHost({
      trusted: true,
      bundled: loadBundledHistory(),
      resolved: (key) => resolvedKeys.push(key),
      resolve: async (options) => {
        started++;
        const r = await resolveBaseline({ ...options, env: { GOMODCACHE: join(tmp, 'no-modcache'), GOWORK: 'off' } });
        await new Promise<void>((go) => gates.push(go));
        return r;
      },
    }));
    const req: BaselineRequest = { folderKey: tmp, filePath, explicit: '', includePrereleases: false, networkEnabled: false, text: corpusText('v0.36.3') };
    /** Waits up to 5 s (a hang guard) for `what`, looking every 10 ms. */
    const until = async (what: () => boolean) => {
      for (let i = 0; i < 500 && !what(); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(what(), `not true within 5 s: ${what.toString()} (${gates.length} resolution(s) held, ${resolvedKeys.length} resolved, ${started} started)`);
    };
    assert.equal(manager.get(req).resolving, true);
    await until(() => gates.length === 1);
    // The module's folder moved away (the vendored copy with it) while the resolution ran; a folder elsewhere too.
    assert.equal(manager.goFoldersChanged(new Set([join(tmp, 'docs'), mod])), false, 'nothing finished to forget yet');
    gates.shift()!();
    await until(() => resolvedKeys.length === 1);
    assert.equal(manager.get(req).resolving, true, 'what the resolution read before the folder event is not kept');
    await until(() => gates.length === 1);
    assert.equal(started, 2);
    gates.shift()!();
    await until(() => resolvedKeys.length === 2);
    assert.equal(manager.get(req).resolving, false);
    // A folder above none of its Go files changes nothing.
    assert.equal(manager.goFoldersChanged(new Set([join(tmp, 'docs')])), false);
    assert.equal(manager.get(req).resolving, false);
    assert.equal(started, 2);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
