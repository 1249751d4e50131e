// A git that hangs in a clone (for a reason the checks before it runs cannot see): its timeout says which command,
// where, that it runs again, and what to check, and no second git starts in that clone while one runs; those waiting
// behind a hung one give up with it. The git here is a script (passed as `gitPath`) that records each start and whether another was running.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitError, runGit } from '../server/src/baseline/safeExec';

const POSIX = process.platform === 'win32' ? { skip: 'the fake git is a shell script' } : {};
const dir = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-git-hang-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A git that logs its start, notes an overlap with another, then runs `body`. */
function fakeGit(name: string, body: string): { gitPath: string; starts: () => number; overlapped: () => boolean } {
  const d = path.join(dir, name);
  const gitPath = `${d}-git`;
  writeFileSync(gitPath, `#!/bin/sh\necho x >> '${d}.log'\nmkdir '${d}.running' 2>/dev/null || touch '${d}.overlap'\n${body}\nrmdir '${d}.running'\n`);
  chmodSync(gitPath, 0o755);
  return {
    gitPath,
    starts: () => (existsSync(`${d}.log`) ? readFileSync(`${d}.log`, 'utf8').split('\n').filter(Boolean).length : 0),
    overlapped: () => existsSync(`${d}.overlap`),
  };
}

test('git commands in one clone run one at a time', POSIX, async () => {
  const g = fakeGit('serial', 'sleep 0.3');
  await Promise.all([0, 1, 2].map(() => runGit(dir, ['rev-parse', 'HEAD'], { gitPath: g.gitPath })));
  assert.equal(g.starts(), 3);
  assert.equal(g.overlapped(), false, 'a second git ran in the clone beside the first');
});

test('a hung git: the timeout names the command and where, says what to check, and those waiting behind it are not started', POSIX, async () => {
  const g = fakeGit('hung', 'exec sleep 30');
  const runs = [['rev-parse', '--show-toplevel'], ['describe', '--tags'], ['for-each-ref', 'refs/tags/']].map((args) =>
    runGit(dir, args, { gitPath: g.gitPath, timeoutMs: 500 }).then(() => undefined, (e: unknown) => e));
  const [first, ...rest] = await Promise.all(runs);
  assert.ok(first instanceof GitError && first.kind === 'timeout', String(first));
  // What is known, not a guess: the files git is known to wait on were checked before it ran (gitRefused).
  assert.match(first.message, /^git rev-parse --show-toplevel in .*cri-compat-git-hang-.* did not finish within 0\.5 s and was stopped; git is run there again when the baseline is next looked for \(HEAD, a ref or a setting changes, Restart Language Server, the next `cri-compat` run\)\. Check that `git status` answers there first$/);
  assert.doesNotMatch(first.message, /FIFO/);
  for (const e of rest) {
    assert.ok(e instanceof GitError && e.kind === 'timeout', String(e));
    assert.match(e.message, /^git (describe|for-each-ref) .*was not started: git rev-parse --show-toplevel in .* did not finish/);
  }
  assert.equal(g.starts(), 1, 'the commands behind the hung one were started');
  // Once none waits, the next check tries again.
  await assert.rejects(runGit(dir, ['status'], { gitPath: g.gitPath, timeoutMs: 200 }), (e: GitError) => e.kind === 'timeout' && /^git status in /.test(e.message));
  assert.equal(g.starts(), 2);
});
