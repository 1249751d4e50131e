// One esbuild run for the extension client, the language server, the CLI and the tests.
// Tests are bundled too, so that they run as plain JavaScript under `node --test` with no loader.
import * as esbuild from 'esbuild';
import { chmodSync, readdirSync, rmSync } from 'node:fs';
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
  // The CLI is built on its own so that only it gets the shebang (it is package.json's `bin`).
  esbuild.build({
    ...common,
    entryPoints: { cli: 'server/src/cli.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
    minify: production,
    sourcemap: !production,
  }).then(() => chmodSync(join(root, 'dist', 'cli.js'), 0o755)),
  production ? undefined : (rmSync(join(root, 'out'), { recursive: true, force: true }), esbuild.build({
    ...common,
    entryPoints: testFiles('test'),
    outdir: 'out/test',
    outbase: 'test',
    external: ['vscode', 'playwright-core', 'protobufjs', 'vscode-textmate', 'vscode-oniguruma', 'ajv', '@microsoft/jest-sarif'],
    sourcemap: 'inline',
  })),
  // The long fuzz run (`npm run fuzz`) lives outside out/test, so that `node --test out/test/` does not pick it up.
  production ? undefined : esbuild.build({ ...common, entryPoints: ['test/fuzz/long.ts'], outfile: 'out/fuzz/long.js', sourcemap: 'inline' }),
]);
