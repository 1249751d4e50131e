// The one-at-a-time discipline of git processes in a clone, with real git in a real clone: a git held up on its config
// (an include that is a FIFO, which git opens and waits on until a writer comes) keeps the clone's turn, and the test
// lets it go by opening the FIFO for writing and closing it (git then reads an empty file). Held that way, the tests
// see that a `git cat-file --batch` waits for its turn as a command does and refuses those behind it when it times out,
// and that a command cancelled while it waits leaves at once, without git being started for it.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { V1_PATH } from '../server/src/baseline/corpus';
import { CatFileBatch, GitError, nodeLauncher, runGit, type ProcessLauncher } from '../server/src/baseline/safeExec';
import { NEEDS_CORPUS } from './corpusText';
import { cloneOfReleases, counting } from './gitClone';

const POSIX = process.platform === 'win32' ? { skip: 'no mkfifo' } : {};
const OPTS = { ...NEEDS_CORPUS, ...POSIX };

let root: string;
let config: string;
let original: string;
let gate: string;
before(() => {
  if (OPTS.skip) return;
  ({ root } = cloneOfReleases('cri-compat-lane-', ['v0.35.0', 'v0.36.0']));
  config = path.join(root, '.git', 'config');
  original = readFileSync(config, 'utf8');
  mkdirSync(path.join(root, '.git', 'conf.d'));
  gate = path.join(root, '.git', 'conf.d', 'gate');
  execFileSync('mkfifo', [gate]);
});
after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** The clone's config includes the FIFO while `body` runs: every git started meanwhile waits on it. */
async function gated<T>(body: () => Promise<T>): Promise<T> {
  writeFileSync(config, `${original}[include]\n\tpath = conf.d/gate\n`);
  try {
    return await body();
  } finally {
    writeFileSync(config, original);
  }
}

/**
 * Lets every git waiting on the FIFO go until `done` settles: opens it for writing (which succeeds only once a git has
 * it open for reading) and closes it, again for each time git opens it, polling within a bounded deadline.
 */
async function release(done: Promise<unknown>, deadlineMs = 20_000): Promise<void> {
  let settled = false;
  void done.then(() => (settled = true), () => (settled = true));
  const end = Date.now() + deadlineMs;
  while (!settled) {
    assert.ok(Date.now() < end, 'git never opened the FIFO, or never finished');
    try {
      closeSync(openSync(gate, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch (e) {
      // ENXIO: no git has it open for reading yet.
      if ((e as NodeJS.ErrnoException).code !== 'ENXIO') throw e;
    }
    await delay(20);
  }
}

/** Waits until `git` has been started `n` times (the process then opens the FIFO), within a bounded deadline. */
async function started(count: () => number, n: number): Promise<void> {
  const end = Date.now() + 10_000;
  while (count() < n) {
    assert.ok(Date.now() < end, `git was started ${count()} times, not ${n}`);
    await delay(10);
  }
}

/** Whether a promise has settled, looked at once the microtasks queued so far have run. */
async function settledYet(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void p.then(() => (settled = true), () => (settled = true));
  await new Promise<void>((r) => setImmediate(r));
  return settled;
}

test('a command cancelled while it waits for its turn leaves at once: git is not started for it, and the ones behind it keep their order', OPTS, async () => {
  // Asked before the config holds git up.
  const v36 = execFileSync('git', ['rev-parse', 'v0.36.0'], { cwd: root, encoding: 'utf8' }).trim();
  await gated(async () => {
    const first = counting();
    const running = runGit(root, ['rev-parse', 'HEAD'], { launcher: first.launcher, timeoutMs: 15_000 });
    await started(first.started, 1);
    const waiting = counting();
    const controller = new AbortController();
    const cancelled = runGit(root, ['rev-parse', 'v0.35.0'], { launcher: waiting.launcher, signal: controller.signal });
    const behind = runGit(root, ['rev-parse', 'v0.36.0'], { launcher: waiting.launcher });
    controller.abort();
    await assert.rejects(cancelled, (e: GitError) => e instanceof GitError && e.kind === 'aborted');
    assert.equal(await settledYet(running), false, 'the cancellation waited for the git before it');
    assert.equal(waiting.started(), 0, 'git was started for a cancelled command, or beside the one running');
    await release(Promise.all([running, behind]));
    const [r, b] = await Promise.all([running, behind]);
    assert.equal(r.code, 0);
    assert.equal(b.code, 0);
    assert.equal(b.stdout.toString().trim(), v36);
    assert.equal(waiting.started(), 1, 'only the command behind the cancelled one ran');
  });
  // Already cancelled: refused without a turn.
  const { launcher, started: count } = counting();
  await assert.rejects(runGit(root, ['status'], { launcher, signal: AbortSignal.abort() }), (e: GitError) => e.kind === 'aborted');
  assert.equal(count(), 0);
});

test('git cat-file --batch waits for its turn in the clone, as a command does, and then reads', OPTS, async () => {
  const blob = await gated(async () => {
    const first = counting();
    const running = runGit(root, ['rev-parse', 'HEAD'], { launcher: first.launcher, timeoutMs: 15_000 });
    await started(first.started, 1);
    const second = counting();
    const batch = new CatFileBatch(root, { launcher: second.launcher });
    try {
      const read = batch.read(`refs/tags/v0.35.0:${V1_PATH}`);
      assert.equal(second.started(), 0, 'cat-file was started beside the git running in the clone');
      assert.equal(await settledYet(read), false);
      // The config is the clone's own again before git gets to cat-file.
      writeFileSync(config, original);
      await release(running);
      assert.equal((await running).code, 0);
      const obj = await read;
      assert.equal(second.started(), 1);
      // Answered, the batch waits for its next read without holding the clone's turn: kept open, it does not make
      // another git there wait for it.
      assert.equal((await runGit(root, ['rev-parse', 'HEAD'])).code, 0);
      assert.equal((await batch.read('v0.36.0^{commit}'))?.type, 'commit');
      assert.equal(second.started(), 1);
      return obj?.content.toString('utf8');
    } finally {
      batch.close();
    }
  });
  assert.equal(blob, execFileSync('git', ['show', `v0.35.0:${V1_PATH}`], { cwd: root, encoding: 'utf8' }));
  // Closed: the clone's turn is free again.
  assert.equal((await runGit(root, ['rev-parse', 'HEAD'])).code, 0);
});

test('a git cat-file --batch that times out refuses those waiting behind it with its timeout, which names it', OPTS, async () => {
  await gated(async () => {
    const first = counting();
    const batch = new CatFileBatch(root, { launcher: first.launcher, timeoutMs: 500 });
    try {
      const read = batch.read(`refs/tags/v0.35.0:${V1_PATH}`);
      const waiting = counting();
      const behind = runGit(root, ['rev-parse', 'HEAD'], { launcher: waiting.launcher, timeoutMs: 15_000 });
      await assert.rejects(read, (e: GitError) => e.kind === 'timeout' && /^git cat-file --batch in .* did not finish within 0\.5 s/.test(e.message));
      await assert.rejects(behind, (e: GitError) =>
        e.kind === 'timeout' && /^git rev-parse HEAD was not started: git cat-file --batch in .*cri-compat-lane-.* did not finish within 0\.5 s and was stopped; git is run there again/.test(e.message));
      assert.equal(waiting.started(), 0);
    } finally {
      batch.close();
    }
  });
});

test('a git cat-file --batch that times out gives up the clone\'s turn only once the process it killed has exited: the next git never runs beside it', OPTS, async () => {
  let cat: { exitCode: number | null; signalCode: NodeJS.Signals | null } | undefined;
  const launcher: ProcessLauncher = {
    execFile: nodeLauncher.execFile,
    spawn: ((...a: Parameters<typeof nodeLauncher.spawn>) => (cat = nodeLauncher.spawn(...a))) as typeof nodeLauncher.spawn,
  };
  // Whether the killed cat-file was still running when each later git was started.
  const beside: boolean[] = [];
  const checking: ProcessLauncher = {
    execFile: ((...a: Parameters<typeof nodeLauncher.execFile>) => {
      beside.push(!!cat && cat.exitCode === null && cat.signalCode === null);
      return nodeLauncher.execFile(...a);
    }) as typeof nodeLauncher.execFile,
    spawn: nodeLauncher.spawn,
  };
  let next: Promise<unknown> | undefined;
  await gated(async () => {
    const batch = new CatFileBatch(root, { launcher, timeoutMs: 500 });
    try {
      const read = batch.read(`refs/tags/v0.35.0:${V1_PATH}`);
      await assert.rejects(
        read.catch((e: unknown) => {
          // The caller tries again as soon as it hears of the timeout, with the config repaired.
          writeFileSync(config, original);
          next = runGit(root, ['rev-parse', 'HEAD'], { launcher: checking });
          throw e;
        }),
        (e: GitError) => e.kind === 'timeout',
      );
      assert.equal(((await next) as { code: number }).code, 0);
      // An abort while a read is outstanding, likewise: the read is refused once the process is gone.
      writeFileSync(config, `${original}[include]\n\tpath = conf.d/gate\n`);
      cat = undefined;
      const controller = new AbortController();
      const aborted = new CatFileBatch(root, { launcher, signal: controller.signal, timeoutMs: 15_000 });
      const pending = aborted.read(`refs/tags/v0.35.0:${V1_PATH}`).catch((e: unknown) => {
        writeFileSync(config, original);
        next = runGit(root, ['rev-parse', 'HEAD'], { launcher: checking });
        throw e;
      });
      assert.ok(cat, 'cat-file was not started at once in an idle clone');
      controller.abort();
      await assert.rejects(pending, (e: GitError) => e.kind === 'aborted');
    } finally {
      batch.close();
    }
  });
  assert.equal(((await next) as { code: number }).code, 0);
  assert.deepEqual(beside, [false, false], 'a git was started in the clone while the cat-file killed there was still running');
});
