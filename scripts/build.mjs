// One esbuild run for the extension client, the language server, the CLI and the tests.
// Tests are bundled too, so that they run as plain JavaScript under `node --test` with no loader.
import * as esbuild from 'esbuild';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const root = new URL('..', import.meta.url).pathname;

function testFiles(dir) {
  const out = [];
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...testFiles(p));
    else if (/\.test\.ts$/.test(e.name)) out.push(p);
  }
  return out;
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  absWorkingDir: root,
  // The only JSON imported is the bundled release index, which historyIndex.ts parses itself (faster to start).
  loader: { '.json': 'text' },
  // package.json's version as a string literal in the code (report/formats.ts VERSION): no read of package.json
  // when the CLI starts, and no copy of it to keep in step.
  define: { CRI_COMPAT_VERSION: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) },
};

rmSync(join(root, 'dist'), { recursive: true, force: true });
await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: { client: 'client/src/extension.ts', server: 'server/src/server.ts' },
    outdir: 'dist',
    external: ['vscode'],
    minify: production,
    sourcemap: !production,
  }),
  // The CLI is built on its own so that only it gets the shebang (it is package.json's `bin`). cli.js is the
  // small launcher that loads cli-main.js with the code cache written below.
  esbuild.build({
    ...common,
    entryPoints: { cli: 'server/src/cli.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
    minify: production,
    sourcemap: !production,
  }).then(() => chmodSync(join(root, 'dist', 'cli.js'), 0o755)),
  esbuild.build({
    ...common,
    entryPoints: { 'cli-main': 'server/src/cli/main.ts' },
    outdir: 'dist',
    // Always minified: a `check` is one short process, and a smaller bundle is read, decoded and deserialized
    // from the code cache faster (measured: 2 ms of a 66 ms run). The source map keeps stack traces readable.
    minify: true,
    sourcemap: !production,
  }),
  production ? undefined : (rmSync(join(root, 'out'), { recursive: true, force: true }), esbuild.build({
    ...common,
    entryPoints: testFiles('test'),
    outdir: 'out/test',
    outbase: 'test',
    external: ['vscode', '@vscode/l10n-dev', 'playwright-core', 'protobufjs', 'vscode-textmate', 'vscode-oniguruma', 'ajv', '@microsoft/jest-sarif'],
    sourcemap: 'inline',
  })),
  // The long fuzz run (`npm run fuzz`) lives outside out/test, so that `node --test out/test/` does not pick it up.
  production ? undefined : esbuild.build({ ...common, entryPoints: ['test/fuzz/long.ts'], outfile: 'out/fuzz/long.js', sourcemap: 'inline' }),
]);

await writeCliCodeCache();

/**
 * Runs the CLI on the bundled example in this process, as a user would (every output format, a file and a
 * release as baseline), then saves V8's code cache of everything that ran: dist/cli.js loads it, so that a
 * CLI run does not compile those functions again. Only a Node with the same V8 and flags can use it.
 */
async function writeCliCodeCache() {
  const { loadCli, encodeCache } = createRequire(import.meta.url)(join(root, 'dist', 'cli.js'));
  const { cli, script, source } = loadCli(join(root, 'dist'), false);
  const io = { out() {}, err() {}, cwd: root };
  const example = 'examples/api.proto';
  for (const format of ['text', 'json', 'sarif', 'github']) {
    await cli.main(['check', example, '--against', 'v0.36.0', '--format', format], io);
  }
  await cli.main(['check', example, '--against', example], io);
  await cli.main(['report', example, '--against', 'v0.36.0'], io);
  writeFileSync(join(root, 'dist', 'cli-main.jsc'), encodeCache(source, script.createCachedData()));
}
