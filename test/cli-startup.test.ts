// What a CLI run loads from Node while its V8 flag is set (server/src/cli.ts). Node's built-in modules carry a code cache
// made without that flag, so one first loaded under it is compiled from its source in every run: node:fs/promises
// loaded by the bundle's top level cost a `check` 17 million instructions (callgrind) that way, and node:child_process
// a check in a git clone 20 million. The CLI's requires run with V8's defaults back; what Node loads lazily by itself
// (fs.promises, used by a Go module-cache lookup) is not covered.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '../server/src/baseline/corpus';
import { NEEDS_CORPUS, corpusText, newestCorpusText } from './corpusText';

const ROOT = findRepoRoot(__dirname);
const CLI = join(ROOT, 'dist', 'cli.js');
const EXAMPLE = join(ROOT, 'examples', 'api.proto');

// Preloaded with -r: notes which built-ins are loaded while the flags the CLI sets first are in effect.
const HOOK = `
const v8 = require('node:v8');
const { writeFileSync } = require('node:fs');
const set = v8.setFlagsFromString;
let first, current, mark = 0;
const under = [];
const note = () => {
  if (current !== undefined && current === first) under.push(...process.moduleLoadList.slice(mark).filter((m) => m.startsWith('NativeModule ')));
};
v8.setFlagsFromString = (flags) => { note(); first ??= flags; current = flags; mark = process.moduleLoadList.length; return set(flags); };
process.on('exit', () => {
  note();
  writeFileSync(process.env.LOADED_AFTER_FLAG, JSON.stringify(first === undefined ? ['(the flag was never set)'] : under));
});
`;
function loadedAfterFlag(args: string[], cwd = ROOT): { code: number | null; after: string[]; err: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cri-startup-'));
  try {
    const hook = join(dir, 'hook.js');
    const out = join(dir, 'after.json');
    writeFileSync(hook, HOOK);
    // Pipes, as CI gives: the CLI writes to them without a stream (no node:stream loaded for stdout).
    const r = spawnSync(process.execPath, ['-r', hook, CLI, ...args], {
      cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, LOADED_AFTER_FLAG: out, XDG_CACHE_HOME: join(dir, 'cache') },
    });
    return { code: r.status, after: JSON.parse(readFileSync(out, 'utf8')) as string[], err: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A clone with the released file at its tag and the newest file edited in: a `check` there asks git for the baseline. */
function gitClone(dir: string): string {
  const file = 'pkg/apis/runtime/v1/api.proto';
  const git = (...args: string[]): void => {
    const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  mkdirSync(join(dir, 'pkg/apis/runtime/v1'), { recursive: true });
  writeFileSync(join(dir, 'go.mod'), 'module k8s.io/cri-api\n');
  writeFileSync(join(dir, file), corpusText('v0.36.0'));
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'release');
  git('tag', 'v0.36.0');
  writeFileSync(join(dir, file), newestCorpusText());
  return file;
}

// Read from the built CLI: bundling cli.ts into a test would run its main.
const { V8_DEFAULTS } = require(CLI) as { V8_DEFAULTS: Record<string, string> };
const V8 = process.versions.v8.split('.', 2).join('.');
const GIT_RUN = NEEDS_CORPUS.skip ? NEEDS_CORPUS : V8 in V8_DEFAULTS ? {} : { skip: `V8 ${V8} is not in cli.ts's V8_DEFAULTS: add its --interrupt-budget default (node --v8-options)` };

describe('CLI start', () => {
  for (const args of [['check', EXAMPLE, '--against', EXAMPLE], ['check', EXAMPLE, '--against', 'v0.36.0'], ['--version']]) {
    test(`\`cri-compat ${args.map((a) => a.replace(ROOT + '/', '')).join(' ')}\` loads no built-in module under the V8 flag`, () => {
      const r = loadedAfterFlag(args);
      assert.ok(r.code === 0 || r.code === 1, r.err);
      assert.deepEqual(r.after, []);
    });
  }

  test('`cri-compat check api.proto` in a git clone loads git\'s modules with V8\'s defaults back', GIT_RUN, () => {
    const dir = mkdtempSync(join(tmpdir(), 'cri-startup-git-'));
    try {
      const r = loadedAfterFlag(['check', gitClone(dir)], dir);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, /Baseline: v0\.36\.0, from git tag v0\.36\.0/);
      assert.deepEqual(r.after, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
