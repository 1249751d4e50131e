// Command-line entry point (dist/cli.js). The CLI itself is dist/cli-main.js (cli/main.ts); this file loads
// it with the V8 code cache that the build wrote beside it (dist/cli-main.jsc). A `check` is one short
// process, and without the cache V8 spends a good part of it compiling the same functions on every run;
// Node 22 has module.enableCompileCache() for this, Node 20 needs vm.Script's cachedData.
//
// V8 accepts cached data for any source of the same length, so the cache file carries the exact source it
// was made from and is used only when that matches byte for byte. A cache V8 rejects (another Node
// version, other V8 flags) or a missing one only costs the compile time.
//
// The CLI also lets V8 wait longer before optimizing a function with TurboFan: a check of one file is over
// before optimized code pays back its compile time and the deoptimizations that follow (measured: 89 → 72 ms
// for one check), while a long run (a huge file, `pairs`) still gets optimized, only later.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { Output } from './cli/output';

type CliModule = typeof import('./cli/main');

export interface LoadedCli {
  cli: CliModule;
  /** The compiled CLI: the build calls createCachedData() on it after a warm-up run. */
  script: Script;
  source: Buffer;
  /** The cache matched the source and V8 accepted it. */
  cacheUsed: boolean;
}

const CACHE_HEADER = 'cri-compat V8 code cache 1\n';
/** Part of the code cache's check: the build sets them too, before it compiles the CLI and saves the cache. */
const V8_FLAGS = '--interrupt-budget=1000000';
/**
 * The same flags at V8's defaults, by V8 version (`node --v8-options`). Node's built-in modules carry a code cache
 * made with the defaults, and V8 rejects a cache made under other flags: a built-in first required while V8_FLAGS
 * are set is compiled from its source (node:child_process, which a lookup in git loads: 20 million instructions).
 * So the CLI's requires run with the defaults back. A V8 not listed here only compiles those modules from source.
 */
export const V8_DEFAULTS: Readonly<Record<string, string>> = { '11.3': '--interrupt-budget=67584' };

export function loadCli(dir: string = __dirname, useCache = true): LoadedCli {
  setFlagsFromString(V8_FLAGS);
  const defaults = V8_DEFAULTS[process.versions.v8.split('.', 2).join('.')];
  // Each flag change costs V8 a parse and a hash of every flag, and the bundle requires the same few modules ~30 times.
  const required = new Set<string>();
  const requireBuiltin = (id: string): unknown => {
    if (!defaults || required.has(id)) return require(id);
    required.add(id);
    setFlagsFromString(defaults);
    try {
      return require(id);
    } finally {
      setFlagsFromString(V8_FLAGS);
    }
  };
  const file = join(dir, 'cli-main.js');
  let source: Buffer;
  try {
    source = readFileSync(file);
  } catch (e) {
    throw new Error(`${file} is missing (${(e as NodeJS.ErrnoException).code}); build it with \`npm run build\``);
  }
  const cachedData = useCache ? readCache(join(dir, 'cli-main.jsc'), source) : undefined;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source.toString('utf8')}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as CliModule };
  // The bundle requires nothing but Node's built-in modules.
  script.runInThisContext()(module.exports, requireBuiltin, module, file, dir);
  return { cli: module.exports, script, source, cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
}

/** The cache file's content: a header, the source it belongs to, then V8's data. */
export function encodeCache(source: Buffer, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(CACHE_HEADER, 'latin1'), source, data]);
}

function readCache(path: string, source: Buffer): Buffer | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch {
    return undefined;
  }
  const end = CACHE_HEADER.length + source.length;
  if (buf.length <= end || buf.toString('latin1', 0, CACHE_HEADER.length) !== CACHE_HEADER) return undefined;
  return source.equals(buf.subarray(CACHE_HEADER.length, end)) ? buf.subarray(end) : undefined;
}

if (require.main === module) {
  let cli: CliModule;
  try {
    cli = loadCli().cli;
  } catch (e) {
    process.stderr.write(`cri-compat: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const out = new Output(1, () => process.stdout);
  const err = new Output(2, () => process.stderr);
  cli.main(process.argv.slice(2), { out: (s) => out.write(s), err: (s) => err.write(s), cwd: process.cwd() })
    .then(async (code) => {
      // process.exit() once the output is flushed: letting Node tear the environment down costs a large share
      // of a short run.
      await Promise.all([out.flushed(), err.flushed()]);
      // Output that could not be written is a failed run (exit 2, like an unreadable input); a reader that
      // went away (`| head`) is not (see Output).
      if (out.error) {
        // Named, as an unreadable input is: `ENOSPC: …, write` alone does not say what could not be written.
        err.write(`cri-compat: cannot write the output (stdout): ${out.error.message}`);
        await err.flushed();
        code = 2;
      }
      process.exit(code);
    });
}
