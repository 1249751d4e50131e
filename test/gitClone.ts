// A git clone of corpus releases for the tests of what is read from git: each release's api.proto committed and
// tagged as upstream tags it, in a new temporary directory.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { V1_PATH } from '../server/src/baseline/corpus';
import { nodeLauncher, type ProcessLauncher } from '../server/src/baseline/safeExec';
import { corpusText } from './corpusText';

/** Runs git in `cwd` with a committer of its own and no signing, whatever the user's git config says. */
export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();

/** A new clone (real path, under the temporary directory, named from `prefix`) whose `main` has a commit per tag of `tags`. */
export function cloneOfReleases(prefix: string, tags: readonly string[]): { root: string; file: string } {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  const file = path.join(root, V1_PATH);
  mkdirSync(path.dirname(file), { recursive: true });
  git(root, 'init', '-q', '-b', 'main');
  for (const tag of tags) {
    writeFileSync(file, corpusText(tag));
    git(root, 'add', '.');
    git(root, 'commit', '-qm', tag);
    git(root, 'tag', tag);
  }
  return { root, file };
}

/** A launcher that counts what it starts; git really runs. */
export function counting(): { launcher: ProcessLauncher; started: () => number } {
  let n = 0;
  return {
    launcher: {
      execFile: ((...a: Parameters<typeof nodeLauncher.execFile>) => (n++, nodeLauncher.execFile(...a))) as typeof nodeLauncher.execFile,
      spawn: ((...a: Parameters<typeof nodeLauncher.spawn>) => (n++, nodeLauncher.spawn(...a))) as typeof nodeLauncher.spawn,
    },
    started: () => n,
  };
}
