// The buf executable for the tests that compare with buf (buf-agreement, fix-audit): buf is a devDependency
// (@bufbuild/buf), used as a peer whose parser and binder are not ours.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '../server/src/baseline/corpus';

const ROOT = findRepoRoot(__dirname);
const BUF_SHIM = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'buf.cmd' : 'buf');

/**
 * The buf executable: the platform package's native binary when present (node_modules/@bufbuild/buf-<os>-<arch>),
 * which saves the node start-up of the npm shim on every run, else the shim. A string is why buf cannot run.
 */
export function findBuf(): { buf: string } | string {
  const scope = join(ROOT, 'node_modules', '@bufbuild');
  const natives = existsSync(scope)
    ? readdirSync(scope).filter((d) => d.startsWith('buf-')).map((d) => join(scope, d, 'bin', process.platform === 'win32' ? 'buf.exe' : 'buf'))
    : [];
  const errors: string[] = [];
  for (const candidate of [...natives, BUF_SHIM]) {
    if (!existsSync(candidate)) continue;
    try {
      execFileSync(candidate, ['--version'], { stdio: 'pipe', timeout: 30_000 });
      return { buf: candidate };
    } catch (e) {
      errors.push(`${candidate}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return errors.length ? `buf cannot run (${errors.join('; ')})` : `buf not found at ${BUF_SHIM} (devDependency @bufbuild/buf; run npm install)`;
}
