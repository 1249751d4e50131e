// Where CI looks for the checked file. GitHub resolves a relative path, an annotation's `file` as much as a
// SARIF result's `uri`, against the root of the repository, whatever directory the step ran in
// (`working-directory:`); a path relative to the current directory would point at another file there.

import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import type { CiLocation } from '../report/formats';

/**
 * The file relative to the nearest directory above it that holds `.git` (a work tree's root; only looked
 * at, no git is run), else to `workspace` (GITHUB_WORKSPACE: where actions/checkout put the files, which it
 * downloads without a `.git` when the runner has no git) or else `cwd`; a file below none is named by its
 * absolute path. Links are resolved first: GitHub knows a file by where the work tree holds it, so kubernetes'
 * `vendor/k8s.io/cri-api/…` (a link to `staging/src/k8s.io/cri-api`) is annotated under staging, where the
 * pull request changes it.
 */
export function ciLocation(file: string, cwd: string, workspace = process.env.GITHUB_WORKSPACE): CiLocation {
  const absolute = resolve(cwd, file);
  const real = realPath(absolute);
  const repository = repositoryRoot(dirname(real));
  const roots = repository ? [repository] : [...(workspace ? [realPath(resolve(cwd, workspace))] : []), realPath(cwd)];
  for (const root of roots) {
    const rel = below(root, real);
    if (rel) return { absolute, root, relative: rel };
  }
  return { absolute };
}

/**
 * A directory as CI output names it (an unresolved import's "looked in"): relative to `root`, the checked
 * file's (ciLocation), `.` for the root itself; one outside it, such as a system include directory, by its absolute path.
 */
export function ciDirName(dir: string, root: string | undefined): string {
  if (root === undefined) return dir;
  const real = realPath(dir);
  return real === root ? '.' : below(root, real) ?? dir;
}

/** `path` relative to `root`, `/`-separated, when it lies below it. */
function below(root: string, path: string): string | undefined {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel) ? rel.split(sep).join('/') : undefined;
}

function repositoryRoot(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
