// The baseline from a git clone of kubernetes/cri-api or kubernetes/kubernetes that holds the edited file:
// the newest release tag that is an ancestor of HEAD, read straight from the object database.

import { existsSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import { V1_PATH } from './corpus';
import { DEFAULT_MAX_FILE_BYTES } from './goModSource';
import { CatFileBatch, GitError, gitOk, runGit, type GitExecOptions } from './safeExec';
import { compareTags, parseGoTag, releaseOfGoTag } from '../policy/versions';
import type { Release } from './types';

// ---- Repository layouts. ----

export type RepoLayout = 'cri-api' | 'kubernetes';

export const KUBERNETES_V1_PATH = `staging/src/k8s.io/cri-api/${V1_PATH}`;

export interface GitRepo {
  /** Work tree root (real path). */
  root: string;
  layout: RepoLayout;
  /** Path of api.proto inside the repository, `/`-separated. */
  path: string;
}

/**
 * Which clone the file belongs to, from its path alone (no process is started): the file must be
 * `pkg/apis/runtime/v1/api.proto` at the root of a work tree, or `staging/src/k8s.io/cri-api/…` of one.
 */
export function detectRepo(filePath: string): GitRepo | undefined {
  let real: string;
  try {
    real = realpathSync(filePath);
  } catch {
    real = filePath;
  }
  const norm = real.split(sep).join('/');
  for (const [layout, path] of [['kubernetes', KUBERNETES_V1_PATH], ['cri-api', V1_PATH]] as const) {
    if (!norm.endsWith(`/${path}`)) continue;
    const root = real.slice(0, real.length - path.length - 1);
    if (existsSync(join(root, '.git'))) return { root, layout, path };
  }
  return undefined;
}

/** A git tag of the layout (`v0.N.M` in cri-api, `v1.N.M` in kubernetes) as its cri-api tag. */
export function goTagOfGitTag(gitTag: string, layout: RepoLayout): string | undefined {
  if (layout === 'cri-api') return releaseOfGoTag(gitTag) ? gitTag : undefined;
  const m = /^v1\.(.*)$/.exec(gitTag);
  const go = m ? `v0.${m[1]}` : undefined;
  return go && releaseOfGoTag(go) ? go : undefined;
}

export function gitTagOfGoTag(goTag: string, layout: RepoLayout): string {
  return layout === 'cri-api' ? goTag : `v1.${goTag.slice('v0.'.length)}`;
}

// ---- The source. ----

export interface GitSourceOptions extends GitExecOptions {
  includePrereleases?: boolean;
  /** Cap on an api.proto blob; default `DEFAULT_MAX_FILE_BYTES`, as for every other source. */
  maxFileBytes?: number;
}

/**
 * The options for the `CatFileBatch` that reads api.proto blobs: an object is capped at the size cap of an
 * api.proto file from any other source (`DEFAULT_MAX_FILE_BYTES`), not at the cap of a command's output.
 */
function blobOptions(options: GitExecOptions & { maxFileBytes?: number }): GitExecOptions {
  const cap = Math.min(options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, options.maxOutputBytes ?? Infinity);
  return { ...options, maxOutputBytes: cap };
}

export interface GitBlob {
  /** The tag or ref as named in the repository. */
  gitTag: string;
  /** The cri-api tag it corresponds to, when it is a release tag. */
  goTag?: string;
  text: string;
}

export interface GitFound {
  ok: true;
  repo: GitRepo;
  baseline: GitBlob & { goTag: string };
  /** Human-readable origin for `Baseline.origin`. */
  origin: string;
  /** The checked-out branch; undefined on a detached HEAD. */
  branch?: string;
  /** On `release-1.N`: `v0.N.0`, when the baseline is a later patch. */
  lineStart?: GitBlob & { goTag: string };
  /** On `release-1.N`: the patch release before the baseline (`v0.N.(M-1)` or older). */
  previousPatch?: GitBlob & { goTag: string };
}

export interface GitMiss {
  ok: false;
  reason: string;
}

interface TagInfo {
  gitTag: string;
  goTag: string;
  release: Release;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function layoutName(repo: GitRepo): string {
  return repo.layout === 'cri-api' ? 'kubernetes/cri-api' : 'kubernetes/kubernetes';
}

/** Confirms with git that `repo.root` is a work tree root (the `.git` we saw could be anything). */
async function confirmRoot(repo: GitRepo, options: GitExecOptions): Promise<string | undefined> {
  const r = await runGit(repo.root, ['rev-parse', '--show-toplevel'], options);
  if (r.code !== 0) return `${repo.root} is not a usable git work tree (${r.stderr.trim().split('\n')[0] ?? ''})`;
  const top = r.stdout.toString('utf8').trim();
  let same = false;
  try {
    same = realpathSync(top) === realpathSync(repo.root);
  } catch {
    same = false;
  }
  return same ? undefined : `${repo.root} is inside the git work tree ${top}, not at its root`;
}

async function listTags(root: string, merged: boolean, options: GitExecOptions): Promise<string[]> {
  const args = ['for-each-ref', '--format=%(refname)', ...(merged ? ['--merged=HEAD'] : []), 'refs/tags/'];
  const out = await gitOk(root, args, options);
  return out.split('\n').filter((l) => l.startsWith('refs/tags/')).map((l) => l.slice('refs/tags/'.length));
}

async function readBlob(batch: CatFileBatch, rev: string, path: string, what = rev): Promise<string | undefined> {
  let obj;
  try {
    obj = await batch.read(`${rev}:${path}`);
  } catch (err) {
    // Over the cap: skipped by CatFileBatch without being kept in memory.
    if (err instanceof GitError && err.kind === 'overflow') throw new GitError(`${path} at ${what} is not read: ${err.message}`, 'overflow');
    throw err;
  }
  if (!obj || obj.type !== 'blob') return undefined;
  return obj.content.toString('utf8');
}

/**
 * The newest release tag that is an ancestor of HEAD (pre-releases only when allowed). When HEAD is on the
 * development line of 1.N (its newest ancestor tag is `v…N.0-alpha/beta/rc`), releases of older lines live
 * on release branches, not in HEAD's history: then the newest release below 1.N is taken from any branch.
 */
export async function findGitBaseline(filePath: string, options: GitSourceOptions = {}): Promise<GitFound | GitMiss> {
  const repo = detectRepo(filePath);
  if (!repo) {
    return {
      ok: false,
      reason: `the file is not ${V1_PATH} of a kubernetes/cri-api clone nor ${KUBERNETES_V1_PATH} of a kubernetes/kubernetes clone`,
    };
  }
  const includePre = options.includePrereleases ?? false;
  try {
    const notRoot = await confirmRoot(repo, options);
    if (notRoot) return { ok: false, reason: notRoot };
    const head = await runGit(repo.root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], options);
    if (head.code !== 0) return { ok: false, reason: `${repo.root}: HEAD has no commit yet` };
    const shallow = (await gitOk(repo.root, ['rev-parse', '--is-shallow-repository'], options)).trim() === 'true';
    const branchRes = await runGit(repo.root, ['symbolic-ref', '--quiet', '--short', 'HEAD'], options);
    const branch = branchRes.code === 0 ? branchRes.stdout.toString('utf8').trim() || undefined : undefined;

    const parse = (names: string[]): TagInfo[] =>
      names.flatMap((gitTag) => {
        const goTag = goTagOfGitTag(gitTag, repo.layout);
        const release = goTag && releaseOfGoTag(goTag);
        return goTag && release ? [{ gitTag, goTag, release }] : [];
      });
    const all = parse(await listTags(repo.root, false, options));
    const tagWord = repo.layout === 'cri-api' ? 'v0.N.M' : 'v1.N.M';
    if (all.length === 0) {
      return {
        ok: false,
        reason: shallow
          ? `${repo.root} is a shallow clone without release tags: run \`git fetch --tags --unshallow\` there, or set the baseline explicitly`
          : `${repo.root} has no ${tagWord} release tags: run \`git fetch --tags\` there, or set the baseline explicitly`,
      };
    }
    const mergedNames = new Set(await listTags(repo.root, true, options));
    const byVersion = (a: TagInfo, b: TagInfo) => compareTags(b.goTag, a.goTag);
    const eligible = (t: TagInfo) => includePre || !t.release.prerelease;
    const ancestors = all.filter((t) => mergedNames.has(t.gitTag)).sort(byVersion);
    let chosen = ancestors.find(eligible);
    let how = 'ancestor of HEAD';
    const newestAncestor = ancestors[0];
    if (newestAncestor?.release.prerelease && !eligible(newestAncestor)) {
      const dev = parseGoTag(newestAncestor.goTag)!;
      if (dev.patch === 0) {
        const older = all.filter((t) => eligible(t) && parseGoTag(t.goTag)!.minor < dev.minor).sort(byVersion)[0];
        if (older && (!chosen || compareTags(older.goTag, chosen.goTag) > 0)) {
          chosen = older;
          how = `newest release before the 1.${dev.minor} development line that HEAD is on (past ${newestAncestor.gitTag})`;
        }
      }
    }
    if (!chosen) {
      return {
        ok: false,
        reason: shallow
          ? `${repo.root} is a shallow clone: none of its ${all.length} release tags is a known ancestor of HEAD; run \`git fetch --unshallow\` or set the baseline explicitly`
          : `none of the ${all.length} ${tagWord} tags in ${repo.root} is a ${includePre ? '' : 'released (non-pre-release) '}ancestor of HEAD`,
      };
    }

    const batch = new CatFileBatch(repo.root, blobOptions(options));
    try {
      const text = await readBlob(batch, `refs/tags/${chosen.gitTag}`, repo.path, `tag ${chosen.gitTag}`);
      if (text === undefined) return { ok: false, reason: `tag ${chosen.gitTag} has no ${repo.path}` };
      const found: GitFound = {
        ok: true,
        repo,
        baseline: { gitTag: chosen.gitTag, goTag: chosen.goTag, text },
        origin: `git tag ${chosen.gitTag} (${how}) in ${repo.root}, a ${layoutName(repo)} clone${branch ? ` on ${branch}` : ' at a detached HEAD'}`,
        ...(branch ? { branch } : {}),
      };
      const line = branch ? /^release-1\.(0|[1-9]\d*)$/.exec(branch) : null;
      const base = parseGoTag(chosen.goTag)!;
      if (line && Number(line[1]) === base.minor && base.patch > 0 && !chosen.release.prerelease) {
        const sameLine = ancestors.filter((t) => !t.release.prerelease && parseGoTag(t.goTag)!.minor === base.minor);
        const first = sameLine.find((t) => parseGoTag(t.goTag)!.patch === 0);
        const prev = sameLine.find((t) => compareTags(t.goTag, chosen!.goTag) < 0);
        for (const [key, t] of [['lineStart', first], ['previousPatch', prev]] as const) {
          if (!t) continue;
          const blob = await readBlob(batch, `refs/tags/${t.gitTag}`, repo.path, `tag ${t.gitTag}`);
          if (blob !== undefined) found[key] = { gitTag: t.gitTag, goTag: t.goTag, text: blob };
        }
      }
      return found;
    } finally {
      batch.close();
    }
  } catch (err) {
    if (err instanceof GitError && err.kind === 'aborted') throw err;
    return { ok: false, reason: describe(err) };
  }
}

/**
 * The file at a revision the user named (a tag, branch, commit or other ref) in the clone holding the
 * edited file. A `v0.N.M` name is looked up as the layout's tag (`v1.N.M` in kubernetes/kubernetes).
 */
export async function readGitRevision(filePath: string, rev: string, options: GitExecOptions = {}): Promise<(GitBlob & { ok: true; repo: GitRepo; origin: string }) | GitMiss> {
  const repo = detectRepo(filePath);
  if (!repo) return { ok: false, reason: 'the edited file is not api.proto in a kubernetes/cri-api or kubernetes/kubernetes clone' };
  if (!rev || rev.startsWith('-') || /[\0-\x1f\x7f]/.test(rev)) return { ok: false, reason: `"${rev}" is not a valid git revision` };
  const name = releaseOfGoTag(rev) ? gitTagOfGoTag(rev, repo.layout) : rev;
  try {
    const notRoot = await confirmRoot(repo, options);
    if (notRoot) return { ok: false, reason: notRoot };
    const r = await runGit(repo.root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{commit}`], options);
    if (r.code !== 0) return { ok: false, reason: `"${name}" is not a commit, tag or branch in ${repo.root}` };
    const oid = r.stdout.toString('utf8').trim();
    const batch = new CatFileBatch(repo.root, blobOptions(options));
    try {
      const text = await readBlob(batch, oid, repo.path, name);
      if (text === undefined) return { ok: false, reason: `${name} has no ${repo.path}` };
      const goTag = goTagOfGitTag(name, repo.layout);
      return {
        ok: true,
        repo,
        gitTag: name,
        ...(goTag ? { goTag } : {}),
        text,
        origin: `git ${name} (${oid.slice(0, 12)}) in ${repo.root}`,
      };
    } finally {
      batch.close();
    }
  } catch (err) {
    if (err instanceof GitError && err.kind === 'aborted') throw err;
    return { ok: false, reason: describe(err) };
  }
}
