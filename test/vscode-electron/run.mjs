// `npm run test:vscode`: the same extension in a desktop VS Code that @vscode/test-electron downloads.
// Needs internet (this is why the offline suite uses code-server instead; see test/e2e/). Build first:
// `npm run build`.
import { runTests } from '@vscode/test-electron';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
try {
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'test', 'vscode-electron', 'suite.cjs'),
    launchArgs: [join(root, 'examples'), '--disable-extensions', '--user-data-dir', mkdtempSync(join(tmpdir(), 'cri-compat-vscode-'))],
  });
} catch (e) {
  console.error(`test:vscode failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
