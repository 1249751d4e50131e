// The language service's layers, read from its import statements: the baseline (releases, their history) and the
// model build on nothing of the comparison, which builds on them, and none of the service imports LSP or VS Code.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { findRepoRoot } from '../server/src/baseline/corpus';

const SRC = join(findRepoRoot(__dirname), 'server', 'src');
// The language service, as the README names it: the server and the CLI call it.
const SERVICE = ['proto', 'compat', 'docs', 'policy', 'baseline', 'fixes', 'report', 'features'];

/** Each .ts file under server/src/`dir` with what it imports: a relative specifier as a path under server/src. */
function importsIn(dir: string): { file: string; imports: string[] }[] {
  return readdirSync(join(SRC, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => {
    const path = join(SRC, dir, f);
    const specifiers = [...readFileSync(path, 'utf8').matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gms)].map((m) => m[1]!);
    return {
      file: relative(SRC, path),
      imports: specifiers.map((s) => (s.startsWith('.') ? relative(SRC, resolve(dirname(path), s)) : s)),
    };
  });
}

test('the baseline and the model import nothing of the comparison (compat/)', () => {
  for (const dir of ['baseline', 'proto']) {
    const files = importsIn(dir);
    assert.ok(files.length > 3, dir);
    for (const { file, imports } of files) assert.deepEqual(imports.filter((i) => i.startsWith('compat/')), [], file);
  }
});

test('the language service imports no LSP or VS Code module', () => {
  for (const dir of SERVICE) {
    for (const { file, imports } of importsIn(dir)) {
      assert.deepEqual(imports.filter((i) => /^(vscode|lsp\/|cli\/|server$)/.test(i)), [], file);
    }
  }
});
