// What a CLI run loads from Node before its V8 flag is set (server/src/cli.ts). Node's built-in modules carry a code
// cache made without that flag, so one first loaded after it is compiled from its source in every run: node:fs/promises
// loaded by the bundle's top level cost a `check` 17 million instructions (callgrind) that way. Lookups in git and the
// Go module cache still load node:child_process and fs.promises when they run, which costs them about as much; loaded
// before the flag in every run, they would cost a check against a file or a bundled release as much instead.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '../server/src/baseline/corpus';

const ROOT = findRepoRoot(__dirname);
const CLI = join(ROOT, 'dist', 'cli.js');
const EXAMPLE = join(ROOT, 'examples', 'api.proto');

// Preloaded with -r: notes which built-ins are loaded when the CLI sets its V8 flag, and which after it.
const HOOK = `
const v8 = require('node:v8');
const { writeFileSync } = require('node:fs');
const set = v8.setFlagsFromString;
let at;
v8.setFlagsFromString = (flags) => { at ??= process.moduleLoadList.length; return set(flags); };
process.on('exit', () => {
  const after = at === undefined ? ['(the flag was never set)'] : process.moduleLoadList.slice(at).filter((m) => m.startsWith('NativeModule '));
  writeFileSync(process.env.LOADED_AFTER_FLAG, JSON.stringify(after));
});
`;

function loadedAfterFlag(args: string[]): { code: number | null; after: string[]; err: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cri-startup-'));
  try {
    const hook = join(dir, 'hook.js');
    const out = join(dir, 'after.json');
    writeFileSync(hook, HOOK);
    // Pipes, as CI gives: the CLI writes to them without a stream (no node:stream loaded for stdout).
    const r = spawnSync(process.execPath, ['-r', hook, CLI, ...args], {
      cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, LOADED_AFTER_FLAG: out, XDG_CACHE_HOME: join(dir, 'cache') },
    });
    return { code: r.status, after: JSON.parse(readFileSync(out, 'utf8')) as string[], err: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('CLI start', () => {
  for (const args of [['check', EXAMPLE, '--against', EXAMPLE], ['check', EXAMPLE, '--against', 'v0.36.0'], ['--version']]) {
    test(`\`cri-compat ${args.map((a) => a.replace(ROOT + '/', '')).join(' ')}\` loads no built-in module after the V8 flag`, () => {
      const r = loadedAfterFlag(args);
      assert.ok(r.code === 0 || r.code === 1, r.err);
      assert.deepEqual(r.after, []);
    });
  }
});
