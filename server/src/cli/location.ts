// Where CI looks for the checked file. GitHub resolves a relative path, an annotation's `file` as much as a
// SARIF result's `uri`, against the root of the repository, whatever directory the step ran in
// (`working-directory:`); a path relative to the current directory would point at another file there.

import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import type { CiLocation } from '../report/formats';

/**
 * The file relative to the nearest directory above it that holds `.git` (a work tree's root; only looked
 * at, no git is run), else to `cwd`; a file below neither is named by its absolute path.
 */
export function ciLocation(file: string, cwd: string): CiLocation {
  const absolute = resolve(cwd, file);
  const root = repositoryRoot(dirname(absolute)) ?? cwd;
  const rel = relative(root, absolute);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return { absolute };
  return { absolute, root, relative: rel.split(sep).join('/') };
}

function repositoryRoot(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}
