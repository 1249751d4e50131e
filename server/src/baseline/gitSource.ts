// The baseline from a git clone of kubernetes/cri-api or kubernetes/kubernetes that holds the edited file:
// the release HEAD stands on (see findGitBaseline), read straight from the object database.

import { existsSync, readlinkSync, realpathSync, type Stats } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { V1_PATH } from './corpus';
import { DEFAULT_MAX_FILE_BYTES, readFileWithin } from './goModSource';
import { readLinesBackwardSync, readRegularFileSync } from '../regularFile';
import { oneLine } from '../report/formats';
import { allValues, type GitConfigEntry } from './gitConfig';
import { listDir, lstatOf, statOf, unsafeListedFile } from './gitDirWalk';
import { gitConfigFiles, kindOfOpened, readGitConfigs, unsafeGitConfig, type ReadConfigEntry } from './gitIncludes';
import { CatFileBatch, GitError, gitEnvironment, gitOk, runGit, type GitExecOptions } from './safeExec';
import { compareTags, isPatchRelease, parseGoTag, releaseOfGoTag } from '../policy/versions';
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

/**
 * A file of the git directory as text: a regular file of at most `max` bytes, not through a link, without waiting
 * on a FIFO; '' for anything else. The workspace chose these files: a link to `/dev/zero` or to a huge file, or a
 * FIFO, must not stall or exhaust the server.
 */
function readGitFile(p: string, max: number): string {
  const r = readRegularFileSync(p, { max, followSymlinks: false });
  return r.ok ? r.bytes.toString('utf8') : '';
}

/** A small file (a ref, HEAD, a `.git` file, `commondir`): git writes one line there, far less than this. */
const SMALL_GIT_FILE = 4096;
const readSmall = (p: string): string => readGitFile(p, SMALL_GIT_FILE);

/** A file's metadata as a string that changes when git rewrites it (lock file, then rename); '' where there is none. */
function stamp(p: string): string {
  return stampOf(lstatOf(p));
}

const stampOf = (s: Stats | undefined): string => (s ? `${s.mtimeMs}:${s.size}:${s.ino}` : '');

/**
 * The git directory of the work tree at `root` and the one holding its shared refs: a linked worktree or submodule
 * has a `.git` file naming its git directory, whose `commondir` names the directory of the refs all worktrees share.
 */
function gitDirs(root: string): { gitDir: string; commonDir: string } {
  const dotGit = join(root, '.git');
  const link = /^gitdir: (.+)$/m.exec(readSmall(dotGit))?.[1]?.trim();
  const gitDir = link ? resolve(root, link) : dotGit;
  const common = readSmall(join(gitDir, 'commondir')).trim();
  return { gitDir, commonDir: common ? resolve(gitDir, common) : gitDir };
}

/**
 * The table lists of a clone that keeps its refs in reftables (`git init --ref-format=reftable`, git 2.45 or later),
 * where no ref is a file and HEAD is a stub: git rewrites one (a lock file, then a rename) on every ref update, the
 * git directory's for the refs of its worktree such as HEAD, the common directory's for the others. The tables are not
 * parsed: only these files' metadata is read. Absent in a clone that keeps its refs in files.
 */
function reftableLists(dirs: readonly string[]): string[] {
  return [...new Set(dirs)].map((d) => join(d, 'reftable', 'tables.list'));
}

/**
 * The commits a shallow clone has no parents of: `git fetch --unshallow` deletes it, `--deepen` rewrites it, and the
 * tags HEAD descends from can change with no ref changing (`git describe` sees more history).
 */
const shallowFile = (commonDir: string): string => join(commonDir, 'shallow');

/**
 * Where HEAD stands and which tags there are, as files of the clone at `root` show it, read without running git:
 * HEAD, the branch it names, packed-refs and the tags directories (see refDirs), or the reftable lists, and the
 * shallow list. A checkout, commit, reset, tag or unshallowing fetch changes it, so an editor that keeps a baseline
 * git found while the file stays open can tell that git would answer otherwise. So does a change of the config files
 * git reads there (see `configStamps`), which decide whether git runs at all (`gitRefused`).
 * Only ever compared with itself; '' where the clone cannot be read.
 */
export function headState(root: string): string {
  const { gitDir, commonDir } = gitDirs(root);
  const head = join(gitDir, 'HEAD');
  const ref = symrefOf(head);
  const branch = ref ? readSmall(join(commonDir, ref)) : '';
  const files = [...refDirs(join(commonDir, 'refs', 'tags')), ...reftableLists([gitDir, commonDir])];
  // With the other files git opens (`gitOpens`, which decides whether git runs; packed-refs and the shallow list among
  // them) and the file of a folder it lists that last kept git from running (`refusedFiles`): a FIFO replaced counts.
  // HEAD, the branch and `commondir` count by their content, read above, never through a link nor past 4 KiB.
  const opened = gitOpens(gitDir, commonDir, ref).filter((o) => o.max !== SMALL_GIT_FILE).map((o) => stamp(o.file));
  const refused = refusedFiles.get(gitDir);
  const refusedRef = refused ? [`${stamp(refused)}>${followedStamp(refused)}`] : [];
  return [readSmall(head), ref ?? '', branch, ...files.map(stamp), ...opened, ...refusedRef, ...configStamps(gitDir, commonDir)].join('\0');
}

/**
 * The metadata of the clone's config files and of every file they include as the guard sees them (`gitConfigFiles`,
 * under its caps), each as itself and, through a link, as what it leads to (stat'ed, never opened): a config that
 * made git refused (a FIFO included) is repaired by editing the config or by replacing the file, and either change
 * has the baseline resolved again, with git, without waiting for a ref to move.
 */
function configStamps(gitDir: string, commonDir: string): string[] {
  return gitConfigFiles(configFiles(gitDir, commonDir), gitEnvironment().HOME!).map((f) => `${stamp(f)}>${followedStamp(f)}`);
}

/** `stamp` of what a link leads to (of the file itself when it is none); '' where there is nothing. */
function followedStamp(p: string): string {
  return stampOf(statOf(p));
}

/**
 * How far below a refs directory (`refs/tags`, `refs/heads`) its subdirectories are watched: a tag named
 * `release/v0.31.0` is a file of `refs/tags/release`, whose creation or rewrite (a lock file renamed into place)
 * changes that directory's metadata, not that of `refs/tags`. The workspace chooses this tree, and every directory
 * found is stamped on each check and every 2 s, so the walk is capped: git's nested refs are a level or two deep (a
 * `release/` or a fork's prefix), so MAX_REF_DIR_DEPTH levels and MAX_REF_DIRS directories hold every real clone's,
 * and a directory with more than MAX_DIR_ENTRIES entries is not listed past them. A ref made past the caps (or below a
 * link, which is not followed) is seen once something else watched changes.
 */
const MAX_REF_DIR_DEPTH = 4;
const MAX_REF_DIRS = 64;
const MAX_DIR_ENTRIES = 100_000;

/**
 * The subdirectories each directory had when its stamp was this: a directory is listed again only when an entry is
 * made or removed in it, so that a plain clone's thousands of loose tags are not listed on every check.
 */
const subdirsSeen = new Map<string, { stamp: string; subdirs: string[] }>();

/** `top` and the directories below it, breadth first, within the caps above; no link followed. */
function refDirs(top: string): string[] {
  const out: string[] = [];
  const queue: [string, number][] = [[top, 0]];
  for (let k = 0; k < queue.length && out.length < MAX_REF_DIRS; k++) {
    const [dir, depth] = queue[k]!;
    out.push(dir);
    if (depth < MAX_REF_DIR_DEPTH) for (const sub of subdirsOf(dir)) queue.push([sub, depth + 1]);
  }
  return out;
}

function subdirsOf(dir: string): string[] {
  const now = stamp(dir);
  const seen = subdirsSeen.get(dir);
  if (seen?.stamp === now) return seen.subdirs;
  const subdirs: string[] = [];
  // Not through a link; a link's entry is no directory: not followed. Gone or unreadable meanwhile: its stamp says so.
  if (lstatOf(dir)?.isDirectory()) for (const e of listDir(dir, MAX_DIR_ENTRIES)?.entries ?? []) if (e.isDirectory()) subdirs.push(join(dir, e.name));
  // A bound on what is remembered: the clones of the open files have a few dozen of these.
  if (subdirsSeen.size >= 4096) subdirsSeen.clear();
  subdirsSeen.set(dir, { stamp: now, subdirs });
  return subdirs;
}

/**
 * The ref a symbolic ref names: `ref: refs/…` in a regular file, or the text of a link, which is how git writes
 * HEAD with `core.preferSymlinkRefs` (`HEAD -> refs/heads/main`) and reads it back (by the link's text when that is
 * a ref name, as here). The link is never followed, only its text read: a ref name has no `..`, so what the caller
 * reads for it is in the git directory. A link to anything else (an absolute path, `..`) names no ref.
 */
function symrefOf(file: string, st = lstatOf(file)): string | undefined {
  let target: string | undefined;
  if (st?.isSymbolicLink()) {
    try {
      // git writes the ref name, far less than 4 KiB.
      if (st.size <= 4096) target = readlinkSync(file);
    } catch {
      target = undefined;
    }
  } else target = /^ref: (\S+)/.exec(readSmall(file))?.[1];
  return target?.startsWith('refs/') && REF_NAME.test(target) ? target : undefined;
}

/**
 * A name `git check-ref-format --allow-onelevel` accepts (no `..`, `@{`, `~^:?*[\\`, space or control character,
 * no component starting with `.` or ending with `.lock`), not `@` and not an option: anything else given as a
 * revision (`main~1`, `main@{1}`) is an expression, not a ref.
 */
const REF_NAME = /^(?![-./])(?!.*(?:\.\.|@\{|\/\/|\/\.|\.lock(?:\/|$)))[^\0-\x20\x7f~^:?*[\\]+(?<![/.])$/;
/** A full object id: git takes it as that object, whatever refs there are. */
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
/** What git takes as an abbreviated object id when no ref has the name (at least 4 hex digits). */
const ABBREVIATED_ID = /^[0-9a-f]{4,63}$/i;
/** Refs each worktree has its own of (in its git directory); the others are in the common directory. */
const PER_WORKTREE = /^(?:[^/]+$|refs\/(?:bisect|worktree|rewritten)\/)/;

/**
 * The ref files whose metadata say whether `rev`, a revision given as the baseline, now names another commit, read
 * without running git; the caller compares `refState` of the files, and asks git whether the revision names another
 * commit when they change. Undefined for what does not move: a tag (the first match is under `refs/tags/`), an object
 * id, also an abbreviated one that no ref has, and a revision that starts from no ref name (`:/fix`, `@~1`, which
 * HEAD's own watch covers).
 * - A name: see `refFiles`. An ancestry expression (`main~1`, `origin/release-1.34^2`) gets the files of the ref it
 *   starts from, with which it moves.
 * - A reflog entry or a date (`main@{1}`, `@{1}`, `main@{yesterday}`): see `reflogFiles`. A date moves with the
 *   reflog only: time passing alone does not resolve it again.
 * - `@{-N}`, the branch checked out N checkouts ago: see `priorCheckout`; with HEAD's reflog, which a checkout
 *   adds to (and so names another branch for it).
 * - `@{upstream}`, `@{u}`, `@{push}` of a branch or of HEAD's: see `upstreamFiles`.
 */
export function movingRef(root: string, rev: string): string[] | undefined {
  const parts = refOfRevision(rev);
  if (!parts) return undefined;
  const { name, mark } = parts;
  const places = refPlaces(root);
  if (mark === undefined) return OBJECT_ID.test(name) ? undefined : refFiles(places, name);
  if (mark === 'u' || mark === 'upstream' || mark === 'push') return upstreamFiles(places, name, mark === 'push');
  if (/^-\d+$/.test(mark)) {
    if (name) return undefined;
    const watched = [join(places.gitDir, 'HEAD'), places.logOf('HEAD')];
    const prior = priorCheckout(places, Number(mark.slice(1)));
    // Past what is read of the reflog: any branch or remote-tracking branch may be the one, so their directories
    // (a loose ref's update renames a file into one) and packed-refs are watched; git says whether it moved.
    if (prior === 'far') return [...watched, join(places.commonDir, 'packed-refs'), ...['heads', 'remotes'].flatMap((d) => refDirs(join(places.commonDir, 'refs', d)))];
    // A commit checked out detached does not move (nor does a tag: refFiles).
    const moving = prior && REF_NAME.test(prior.name) && !OBJECT_ID.test(prior.name) ? refFiles(places, prior.name) : undefined;
    return [...watched, ...(moving ?? [])];
  }
  return reflogFiles(places, name);
}

/**
 * The ref name a revision starts from and its `@{…}` mark (lower-cased: git reads `@{U}` as `@{u}`), if any: `main~1`
 * is `main`, `origin/main@{2}^` is `origin/main` and `2`, `@{-1}` is '' and `-1`. Undefined for a revision that starts
 * from no ref name (`:/fix`, `@~1`, a name git does not take as a ref).
 */
function refOfRevision(rev: string): { name: string; mark?: string } | undefined {
  // `~` and `^` are in no ref name: what comes before the first of them is the ref, with its `@{…}` if any.
  const start = rev.split(/[~^]/, 1)[0]!;
  const at = /^(.*)@\{([^{}]*)\}$/.exec(start);
  const name = at ? at[1]! : start;
  if (name === '@' || (name ? !REF_NAME.test(name) : !at)) return undefined;
  return at ? { name, mark: at[2]!.toLowerCase() } : { name };
}

/**
 * Largest reflog read for a revision: git reads one backwards from its end, and over a long line that takes time
 * quadratic in its length (git 2.39 on `@{-1}`: 4 s for a line of 16 MiB, past 20 s for 64 MiB), so a planted one has
 * every resolution wait out the timeout. Git expires entries after 90 days (`gc.reflogExpire`); 16 MiB is some
 * 100,000 entries, four times what `@{-N}`'s watch reads (MAX_REFLOG_SCAN).
 */
const MAX_REFLOG_BYTES = 16 * 1024 * 1024;

/**
 * Why git must not resolve `rev` in the clone at `root`, for the reflog it would read, or undefined: a reflog entry or
 * date (`main@{1}`, `@{yesterday}`) reads the reflogs of `reflogFiles`, `@{-N}` HEAD's; one that is a FIFO, a socket or a
 * device, or larger than MAX_REFLOG_BYTES, is refused (git 2.39 waited on a FIFO HEAD reflog for `@{-1}`). Other
 * revisions read no reflog. A reflog that git would pass over for another is refused too: which one git reads is its
 * to judge.
 */
export function unsafeReflog(root: string, rev: string): string | undefined {
  const parts = refOfRevision(rev);
  const mark = parts?.mark;
  if (!parts || mark === undefined || mark === 'u' || mark === 'upstream' || mark === 'push') return undefined;
  const places = refPlaces(root);
  const logDirs = [...new Set([places.gitDir, places.commonDir])].map((d) => join(d, 'logs') + sep);
  const logs = /^-\d+$/.test(mark) ? [places.logOf('HEAD')] : reflogFiles(places, parts.name).filter((f) => logDirs.some((d) => f.startsWith(d)));
  for (const log of logs) {
    const st = statOf(log);
    if (!st) continue;
    // A folder of reflogs (`logs/refs/remotes/origin` for `origin@{1}`) is no reflog.
    const kind = kindOfOpened(st);
    const why = kind
      ? `${kind}, which git would wait on or fail to read`
      : st.size > MAX_REFLOG_BYTES ? `a file of ${st.size} bytes, more than the ${MAX_REFLOG_BYTES} git is let read for a reflog entry (\`git reflog expire\` shortens it)` : undefined;
    if (why) return `git does not resolve ${oneLine(rev)} in ${oneLine(root)}: its reflog ${oneLine(log)} is ${why}`;
  }
  return undefined;
}

type RefPlaces = ReturnType<typeof refPlaces>;

/** Where the refs of the work tree at `root` and their reflogs are, and whether a ref exists (loose or packed). */
function refPlaces(root: string) {
  const { gitDir, commonDir } = gitDirs(root);
  const dirOf = (ref: string): string => (PER_WORKTREE.test(ref) ? gitDir : commonDir);
  let packed: Set<string> | undefined;
  return {
    gitDir,
    commonDir,
    dirOf,
    fileOf: (ref: string): string => join(dirOf(ref), ...ref.split('/')),
    logOf: (ref: string): string => join(dirOf(ref), 'logs', ...ref.split('/')),
    /** `loose`: the ref file's metadata. A directory (`refs/remotes/origin` for `origin`) is no ref. */
    exists: (ref: string, loose: Stats | undefined): boolean => {
      if (loose && (loose.isFile() || loose.isSymbolicLink())) return true;
      packed ??= new Set(readPackedRefs(join(commonDir, 'packed-refs')));
      return packed.has(ref);
    },
  };
}

/** The refs git tries for a name, in its order (gitrevisions). */
const dwimRefs = (name: string): string[] => [
  ...(/^[A-Z_]+$/.test(name) || name.startsWith('refs/') ? [name] : []),
  `refs/${name}`, `refs/tags/${name}`, `refs/heads/${name}`, `refs/remotes/${name}`, `refs/remotes/${name}/HEAD`,
];

/**
 * The files git looks at for a ref name, in its order (`$GIT_DIR/<name>` for a name such as `FETCH_HEAD` or one
 * starting with `refs/`, then `refs/<name>`, `refs/tags/<name>`, `refs/heads/<name>`, `refs/remotes/<name>` and
 * `refs/remotes/<name>/HEAD`, each a loose file or a line of packed-refs), up to the one it resolves to (one before
 * it that is created would win), and the ref that one names when it is symbolic (`origin` as `refs/remotes/origin/HEAD`).
 * A name no ref has yet (a branch a fetch will bring) gets every one of those files: creating one resolves it; and
 * the reftable lists, where a ref of a reftable clone is (a tag too: not telling it apart, the caller asks git for
 * the commit the name gives whenever a ref of such a clone changes, and resolves again only when it is another).
 * Undefined for a tag, and for an abbreviated object id that no ref has. At most the matched ref file and packed-refs
 * are read, once, when that ref is packed.
 */
function refFiles(places: RefPlaces, name: string): string[] | undefined {
  const refs = dwimRefs(name);
  const files: string[] = [];
  for (const ref of refs) {
    const file = places.fileOf(ref);
    files.push(file);
    const loose = lstatOf(file);
    if (!places.exists(ref, loose)) continue;
    if (ref.startsWith('refs/tags/')) return undefined;
    const target = symrefOf(file, loose);
    if (target) files.push(places.fileOf(target));
    return files;
  }
  return ABBREVIATED_ID.test(name) ? undefined : [...files, ...reftableLists(refs.map(places.dirOf))];
}

/**
 * How much of HEAD's reflog is read for `@{-N}`, from its end, a chunk at a time: as far back as the N-th checkout,
 * which is most often in the first chunk, and at most MAX_REFLOG_SCAN (some 25,000 entries; git keeps 90 days of
 * them by default). Git itself reads the whole reflog.
 */
const REFLOG_CHUNK = 64 * 1024;
const MAX_REFLOG_SCAN = 4 * 1024 * 1024;

/**
 * What `@{-N}` names, as git finds it: what the N-th newest `checkout: moving from <it> to …` entry of HEAD's reflog
 * moved from, a branch name or the commit of a detached HEAD. Undefined when the reflog (a regular file, not through
 * a link) has fewer such entries, or none can be read: HEAD's reflog alone is watched then, which a checkout adds
 * to. 'far' when the newest MAX_REFLOG_SCAN bytes have fewer and the reflog is longer.
 */
function priorCheckout(places: RefPlaces, n: number): { name: string } | 'far' | undefined {
  let prior: string | undefined;
  const r = readLinesBackwardSync(places.logOf('HEAD'), { chunk: REFLOG_CHUNK, max: MAX_REFLOG_SCAN, followSymlinks: false }, (line) => {
    // `<old> <new> <who> <when>\t<message>`; git takes the name up to the first " to ".
    const m = /\tcheckout: moving from (.+?) to /.exec(line);
    return !!m && --n === 0 && ((prior = m[1]), true);
  });
  if (!r.ok) return undefined;
  return r.found ? { name: prior! } : r.whole ? undefined : 'far';
}

/**
 * `<name>@{N}` or `<name>@{<date>}`: git reads the reflog of the first ref in its order that exists and has one (its
 * own or, for a symbolic ref, the one it names); `@{N}` the current branch's (HEAD's on a detached HEAD). Each such
 * ref's file and log up to that one: an update of the ref adds to its log. A tag with a reflog counts (git reads it).
 */
function reflogFiles(places: RefPlaces, name: string): string[] {
  if (!name) {
    const head = join(places.gitDir, 'HEAD');
    return [head, ...reflogFiles(places, symrefOf(head) ?? 'HEAD')];
  }
  const refs = dwimRefs(name);
  const files: string[] = [];
  for (const ref of refs) {
    const file = places.fileOf(ref);
    const log = places.logOf(ref);
    files.push(file, log);
    const loose = lstatOf(file);
    if (!places.exists(ref, loose)) continue;
    const target = symrefOf(file, loose);
    if (target) files.push(places.fileOf(target), places.logOf(target));
    if (lstatOf(log) || (target && lstatOf(places.logOf(target)))) return files;
  }
  return [...files, ...reftableLists(refs.map(places.dirOf))];
}

/** The clone's config files: `config.worktree` counts only with extensions.worktreeConfig, and is read whenever it is there. */
const configFiles = (gitDir: string, commonDir: string): string[] => [join(commonDir, 'config'), join(gitDir, 'config.worktree')];

/**
 * `<branch>@{upstream}` and `<branch>@{push}` (HEAD's branch without a name): the clone's config files and every file
 * they include, which `git branch --set-upstream-to` and `git push -u` rewrite, and the files of each remote-tracking
 * ref the config says the mark can name (`trackingRefs`), read from those files without running git. The config is
 * read by the walk that decides whether git runs at all (`readGitConfigs`): what is read here is what git reads, a
 * project's `include.path = ../.gitconfig` and `includeIf` too. It is read anew whenever the caller finds them changed.
 */
function upstreamFiles(places: RefPlaces, name: string, push: boolean): string[] {
  const head = join(places.gitDir, 'HEAD');
  const current = name === '' || name === 'HEAD';
  const branch = current ? headsRef(symrefOf(head) ?? '') : branchOrHeadsRef(name);
  // Only what `trackingRefs` reads: the branch's keys and the remotes'.
  const keep = (e: GitConfigEntry): boolean => e.section === 'remote' || (e.section === 'branch' && e.subsection === branch);
  const config = readGitConfigs(configFiles(places.gitDir, places.commonDir), gitEnvironment().HOME!, keep);
  const files = current ? [head, ...config.files] : [...config.files];
  // Git does not run on an unsafe config: repairing it changes one of its files.
  if (!branch || config.unsafe) return files;
  for (const ref of trackingRefs(config.entries, branch, push)) files.push(...(refFiles(places, ref) ?? []));
  return files;
}

/** Values of one key taken as candidates (`candidates`), and refs watched for a mark: a real config has one or two. */
const MAX_CANDIDATES = 16;
const MAX_TRACKING_REFS = 64;

/**
 * The values a single-valued key may have for git, which takes the last one it reads: every distinct value (the last
 * MAX_CANDIDATES), since a value from a file an `includeIf` names counts only when its condition holds, which is git's
 * to judge (`gitdir:`, `onbranch:`, `hasconfig:`); `firm` when one is set where no condition applies, so that the key
 * is set whatever the conditions (a fallback for it, `remote.pushDefault` for `branch.<b>.pushRemote`, never applies).
 */
function candidates(config: readonly ReadConfigEntry[], section: string, subsection: string, key: string): { values: string[]; firm: boolean } {
  const set = config.filter((e) => e.section === section && e.subsection === subsection && e.key === key);
  return { values: [...new Set(set.map((e) => e.value))].slice(-MAX_CANDIDATES), firm: set.some((e) => !e.conditional) };
}

/** The values of the first of `keys` set where no condition applies, with those of the keys before it; all and `last` when none is. */
function firstSet(keys: readonly { values: string[]; firm: boolean }[], last: string): string[] {
  const out: string[] = [];
  for (const k of keys) {
    out.push(...k.values);
    if (k.firm) return out;
  }
  return [...out, last];
}

/**
 * The refs `<branch>@{upstream}` or `@{push}` can name, from the config as git reads it (remote.c): the upstream is
 * `branch.<b>.merge` mapped through the fetch refspecs of `branch.<b>.remote` (the ref itself for `.`, the clone
 * itself). The push ref is where the push remote (`branch.<b>.pushRemote`, else `remote.pushDefault`, else the
 * upstream's remote, else `origin`) would put the branch, mapped the same way: through that remote's push refspecs
 * when it has them, else the branch itself (push.default current, matching, simple) or the upstream (push.default
 * upstream), so both. A superset is harmless: a change of these files only makes the caller ask git whether the
 * setting names another commit now; so every value a key may have (`candidates`) counts. Only full ref names without
 * `..` are returned: they are joined to the git directory.
 */
function trackingRefs(config: readonly ReadConfigEntry[], branch: string, push: boolean): string[] {
  const remote = candidates(config, 'branch', branch, 'remote');
  const merge = candidates(config, 'branch', branch, 'merge');
  const through = (r: string, ref: string): string[] => (r === '.' ? [ref] : mapRefspecs(allValues(config, 'remote', r, 'fetch'), ref, false));
  const out: string[] = [];
  for (const r of remote.values) for (const m of merge.values) out.push(...through(r, m));
  if (push) {
    const pushRemotes = firstSet([candidates(config, 'branch', branch, 'pushremote'), candidates(config, 'remote', '', 'pushdefault'), remote], 'origin');
    const own = `refs/heads/${branch}`;
    for (const pushRemote of new Set(pushRemotes)) {
      const specs = candidates(config, 'remote', pushRemote, 'push');
      // Without push refspecs git pushes the branch itself: also when those there are may not apply.
      const dsts = [...mapRefspecs(allValues(config, 'remote', pushRemote, 'push'), own, true), ...(specs.firm ? [] : [own])];
      for (const dst of dsts) out.push(...through(pushRemote, dst));
    }
  }
  return [...new Set(out.filter((ref) => ref.startsWith('refs/') && REF_NAME.test(ref)))].slice(0, MAX_TRACKING_REFS);
}

/**
 * Where refspecs (`+refs/heads/*:refs/remotes/origin/*`) map `ref`: the destination of each whose source matches it,
 * the `*` of both standing for the same text. A push refspec without a destination (`refs/heads/*`) maps a ref to
 * itself; a fetch refspec without one, or a negative one (`^refs/heads/wip`), to nothing.
 */
function mapRefspecs(specs: readonly string[], ref: string, push: boolean): string[] {
  const out: string[] = [];
  for (const spec of specs) {
    if (spec.startsWith('^')) continue;
    const colon = spec.indexOf(':');
    const src = (colon < 0 ? spec : spec.slice(0, colon)).replace(/^\+/, '');
    const dst = colon < 0 ? (push ? src : '') : spec.slice(colon + 1);
    if (!dst) continue;
    const star = src.indexOf('*');
    if (star < 0) {
      if (src === ref) out.push(dst);
      continue;
    }
    const [pre, post] = [src.slice(0, star), src.slice(star + 1)];
    if (ref.length >= pre.length + post.length && ref.startsWith(pre) && ref.endsWith(post) && dst.includes('*')) {
      out.push(dst.replace('*', ref.slice(pre.length, ref.length - post.length)));
    }
  }
  return out;
}

/** The refs packed-refs lists (at most 64 MiB of it is read: what a clone of kubernetes/kubernetes has is far less). */
function readPackedRefs(p: string): string[] {
  return [...readGitFile(p, 64 * 1024 * 1024).matchAll(/^[0-9a-f]{40,64} (refs\/\S+)$/gm)].map((m) => m[1]!);
}

/** The state of the files `movingRef` returned: only ever compared with itself. */
export function refState(files: readonly string[]): string {
  return files.map(stamp).join('\0');
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
  /**
   * The text being checked (in the editor: the document, unsaved edits included). Whether HEAD's release is
   * the file or what the edits change is decided on it; default the file on disk.
   */
  text?: string;
  /**
   * The environment CI variables are read from (default `process.env`; never git's own environment), to tell a
   * detached CI checkout's release branch: see `releaseLineOf`.
   */
  ciEnv?: NodeJS.ProcessEnv;
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
  /**
   * On a release line (a final release of the baseline's minor in HEAD's history): that minor. What the file
   * changes against the baseline goes out in a patch release of it.
   */
  releaseLine?: number;
  /** HEAD is at a tagged commit: see `AtTag`. */
  atTag?: AtTag;
  /** Where git placed HEAD, as `headPlacement` says it. */
  placement?: string;
}

/**
 * HEAD is at a tagged commit, so the baseline depends on the text checked: that release's file (`same`) is
 * compared with the release before; an edited one with the tag. The tag's text is kept so that a caller that
 * checks the file again after edits (the editor) can tell which case it is in without running git again.
 */
export interface AtTag {
  gitTag: string;
  /** The cri-api tag of `gitTag`. */
  goTag: string;
  text: string;
  /** The text checked is the tag's file (line endings aside). */
  same: boolean;
}

export interface GitMiss {
  ok: false;
  reason: string;
  /** The file is in a clone, which could not say which release it is at (a shallow clone without tags, …). */
  inClone?: boolean;
  /** Where HEAD stands when the clone knows it but has no tag to read the baseline from (a shallow clone). */
  position?: GitPosition;
  /** With `position`, when HEAD is at a tagged commit. */
  atTag?: AtTag;
  /**
   * No tag places HEAD, but its branch is a release branch (`release-1.N`): the release line the file is on,
   * for a source that knows the releases (the bundled index) to pick from.
   */
  line?: ReleaseLine;
  /** Where git placed HEAD, as `headPlacement` says it, when it got that far. */
  placement?: string;
}

/** The release line 1.`minor` (cri-api v0.`minor`.M) a checkout is on, and how that is known. */
export interface ReleaseLine {
  minor: number;
  why: string;
}

/** The baseline is the newest release up to `goTag` (`inclusive`) or before it; `why` says how git knows. */
export interface GitPosition {
  goTag: string;
  inclusive: boolean;
  why: string;
}

interface TagInfo {
  gitTag: string;
  goTag: string;
  release: Release;
  /** The commit the tag points at (peeled). */
  commit: string;
}

/**
 * Whether two api.proto texts are the same file. Line endings do not count: a Windows checkout with
 * `core.autocrlf` has CRLF in the work tree and in the editor for a blob stored with LF.
 */
export function sameFileText(a: string, b: string): boolean {
  return a === b || a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');
}

/**
 * The tag's file and whether the text checked is it: `options.text` (the editor's document, unsaved edits
 * included), else the work tree's file (unreadable counts as changed). Undefined when the tag has no such file.
 */
async function atTagOf(repo: GitRepo, { gitTag, goTag }: { gitTag: string; goTag: string }, options: GitSourceOptions): Promise<AtTag | undefined> {
  let current = options.text;
  if (current === undefined) {
    const onDisk = await readFileWithin(repo.root, join(repo.root, ...repo.path.split('/')), options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    if ('text' in onDisk) current = onDisk.text;
  }
  const batch = new CatFileBatch(repo.root, blobOptions(options));
  try {
    const text = await readBlob(batch, `refs/tags/${gitTag}`, repo.path, `tag ${gitTag}`);
    return text === undefined ? undefined : { gitTag, goTag, text, same: current !== undefined && sameFileText(current, text) };
  } finally {
    batch.close();
  }
}

const RELEASE_BRANCH = /^release-1\.(\d{1,3})$/;

/** `refs/heads/X` as X; any other ref (a tag, `refs/pull/1/merge`) is no branch. */
const headsRef = (ref: string): string | undefined => (ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined);
/** X or `refs/heads/X` as X. */
const branchOrHeadsRef = (name: string): string | undefined => headsRef(name) ?? (name.startsWith('refs/') ? undefined : name);

/**
 * Where a CI system says which branch of the repository it builds. `running` is how it says it is running at all;
 * the first rule whose `when` holds decides, and no later one is asked (a pull request build never falls back to
 * the branch the pull request comes from). `branch` turns the variable's value into a branch name.
 */
interface CiBranchSource {
  ci: string;
  running: (env: NodeJS.ProcessEnv) => boolean;
  rules: { when: (env: NodeJS.ProcessEnv) => boolean; variable: string; what: string; branch?: (value: string) => string | undefined }[];
}

/**
 * Each CI system's variables for the branch a build goes to, from its own reference: only those it sets from the
 * repository being built, the target of a pull request or merge request, or the pushed branch when the build is
 * not a pull request's. Never the pull request's source branch (GITHUB_HEAD_REF, GitLab's
 * CI_MERGE_REQUEST_SOURCE_BRANCH_NAME, Jenkins' CHANGE_BRANCH, BUILDKITE_BRANCH of a pull request build): its
 * author chose that name, in their fork, and it says nothing about the line the change goes to. CircleCI is not
 * here: CIRCLE_BRANCH is the pull request's own branch in a pull request build, and the variables that would tell
 * such a build apart are not set for every integration (GitHub App, GitLab).
 */
const CI_BRANCH_SOURCES: CiBranchSource[] = [
  {
    ci: 'GitHub Actions',
    running: (env) => env.GITHUB_ACTIONS === 'true',
    rules: [
      { when: (env) => !!env.GITHUB_BASE_REF, variable: 'GITHUB_BASE_REF', what: 'builds a pull request into' },
      { when: (env) => env.GITHUB_REF_TYPE === 'branch', variable: 'GITHUB_REF_NAME', what: 'builds a push to' },
    ],
  },
  {
    ci: 'Prow',
    running: (env) => !!env.PROW_JOB_ID,
    rules: [{ when: () => true, variable: 'PULL_BASE_REF', what: 'builds the base branch' }],
  },
  {
    ci: 'GitLab CI',
    running: (env) => env.GITLAB_CI === 'true',
    rules: [
      { when: (env) => !!env.CI_MERGE_REQUEST_IID, variable: 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME', what: 'builds a merge request into' },
      { when: (env) => !!env.CI_EXTERNAL_PULL_REQUEST_IID, variable: 'CI_EXTERNAL_PULL_REQUEST_TARGET_BRANCH_NAME', what: 'builds a pull request into' },
      // Set in branch pipelines only (not in merge request or tag pipelines).
      { when: () => true, variable: 'CI_COMMIT_BRANCH', what: 'builds a push to' },
    ],
  },
  {
    ci: 'Jenkins',
    running: (env) => !!env.JENKINS_URL,
    rules: [
      { when: (env) => !!env.CHANGE_ID, variable: 'CHANGE_TARGET', what: 'builds a change request into' },
      { when: (env) => !env.TAG_NAME, variable: 'BRANCH_NAME', what: 'builds the branch' },
    ],
  },
  {
    ci: 'Buildkite',
    running: (env) => env.BUILDKITE === 'true',
    rules: [
      { when: (env) => !!env.BUILDKITE_PULL_REQUEST && env.BUILDKITE_PULL_REQUEST !== 'false', variable: 'BUILDKITE_PULL_REQUEST_BASE_BRANCH', what: 'builds a pull request into' },
      { when: (env) => env.BUILDKITE_PULL_REQUEST === 'false' && !env.BUILDKITE_TAG, variable: 'BUILDKITE_BRANCH', what: 'builds the branch' },
    ],
  },
  {
    ci: 'Azure Pipelines',
    running: (env) => env.TF_BUILD === 'True',
    rules: [
      // `refs/heads/X` for Azure Repos, `X` for GitHub.
      { when: (env) => env.BUILD_REASON === 'PullRequest', variable: 'SYSTEM_PULLREQUEST_TARGETBRANCH', what: 'builds a pull request into', branch: branchOrHeadsRef },
      { when: () => true, variable: 'BUILD_SOURCEBRANCH', what: 'builds the branch', branch: headsRef },
    ],
  },
];

/**
 * The release line of a checkout whose tags cannot place HEAD, from the name of its branch: `release-1.N` is
 * where both kubernetes/kubernetes and kubernetes/cri-api keep Kubernetes 1.N.x. A checked-out branch is
 * asked first; only a detached HEAD (how CI checks out a pull request) looks at CI variables, those of
 * `CI_BRANCH_SOURCES`, each only when its CI says it is running, so that a variable left over in a developer's
 * shell does not count. Called only where git may run (a trusted workspace), as the CI variables are.
 */
export function releaseLineOf(branch: string | undefined, env: NodeJS.ProcessEnv = process.env): ReleaseLine | undefined {
  const line = (name: string | undefined, why: string, from?: string): ReleaseLine | undefined => {
    const m = name ? RELEASE_BRANCH.exec(name) : null;
    return m ? { minor: Number(m[1]), why: `${why} ${name}${from ? ` (${from})` : ''}` } : undefined;
  };
  if (branch) return line(branch, 'the checked-out branch is');
  for (const { ci, running, rules } of CI_BRANCH_SOURCES) {
    if (!running(env)) continue;
    const rule = rules.find((r) => r.when(env));
    const value = rule && env[rule.variable];
    if (!rule || !value) return undefined;
    return line(rule.branch ? rule.branch(value) : value, `HEAD is detached and ${ci} ${rule.what}`, rule.variable);
  }
  return undefined;
}

/** `a`, `a, b`, or `a … z (N tags)`, for tags in version order. */
function tagRange(tags: string[]): string {
  return tags.length <= 2 ? tags.join(', ') : `${tags[0]} … ${tags[tags.length - 1]} (${tags.length} tags on one commit)`;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function layoutName(repo: GitRepo): string {
  return repo.layout === 'cri-api' ? 'kubernetes/cri-api' : 'kubernetes/kubernetes';
}

/**
 * The files of the git directories that git opens, as they are (following a link), in the commands run here, whatever
 * the config says: HEAD, `commondir`, the branch HEAD names, packed-refs, the shallow list, the grafts and the
 * commit-graph (`rev-parse`, `for-each-ref`, `describe`), the alternates (`cat-file`). The workspace chose them: one
 * that is a FIFO has every git wait for a writer until its timeout, on each resolution; a device such as /dev/zero
 * never ends. `max`: the size past which it is refused too, for a file git reads whole (HEAD and a ref hold one line;
 * git 2.39 took 2 to 5 s and 2 GB of memory on a packed-refs of 2 GB, 15 s on alternates of 2 GB); none for the
 * commit-graph, which git maps and checks the header of. The packs' and the split commit-graph's folders and the loose
 * refs are listed: see gitDirWalk.
 */
function gitOpens(gitDir: string, commonDir: string, ref = symrefOf(join(gitDir, 'HEAD'))): { file: string; what: string; max?: number }[] {
  return [
    { file: join(gitDir, 'HEAD'), what: 'HEAD', max: SMALL_GIT_FILE },
    { file: join(gitDir, 'commondir'), what: 'commondir file', max: SMALL_GIT_FILE },
    ...(ref ? [{ file: join(commonDir, ref), what: `ref ${ref}`, max: SMALL_GIT_FILE }] : []),
    // kubernetes/kubernetes with every pull request's refs fetched has some 20 MB.
    { file: join(commonDir, 'packed-refs'), what: 'packed-refs', max: 256 * MIB },
    // A line per commit whose parents the clone lacks (or that has grafted ones).
    { file: shallowFile(commonDir), what: 'shallow list', max: 64 * MIB },
    { file: join(commonDir, 'info', 'grafts'), what: 'grafts file', max: 64 * MIB },
    // A line per other object database.
    { file: join(commonDir, 'objects', 'info', 'alternates'), what: 'alternates file', max: MIB },
    { file: join(commonDir, 'objects', 'info', 'commit-graph'), what: 'commit-graph' },
  ];
}

const MIB = 1024 * 1024;

/** Why git must not run on the files `gitOpens` names (one is a FIFO, a device, …), or undefined; missing ones are fine. */
function unsafeGitFile(gitDir: string, commonDir: string): string | undefined {
  for (const { file, what, max } of gitOpens(gitDir, commonDir)) {
    const st = statOf(file);
    if (!st) continue;
    const kind = kindOfOpened(st);
    if (kind) return `its ${what} ${oneLine(file)} is ${kind}, which git would wait on or fail to read`;
    if (max === SMALL_GIT_FILE && st.size > max) return `its ${what} ${oneLine(file)} is a file of ${st.size} bytes, where git writes one line`;
    if (max !== undefined && st.size > max) return `its ${what} ${oneLine(file)} is a file of ${st.size} bytes, more than the ${max} git is let read there whole`;
  }
  return undefined;
}

/**
 * The file (a loose ref, a pack's) that last kept git from running in a clone (by its git directory), stamped by
 * `headState`: the walk of every loose ref is too long for each 2-second poll, and a file outside the tags directories
 * it watches (`refs/remotes/…`, `refs/notes/…`, `objects/pack/…`) repaired must still resolve the baseline again with git.
 */
const refusedFiles = new Map<string, string>();

/**
 * Why git is not run in the clone at `root` (a file of its git directory, see `gitOpens`, a loose ref or a file of its
 * packs, see gitDirWalk, or of its config, see gitIncludes, that git would wait on), or undefined. Asked before each
 * use of git here: a repaired file counts from the next check on, which `headState` sees changed. Only the walk of the
 * folders is remembered, while none of them changes (see `unsafeListedFile`).
 */
export function gitRefused(root: string): string | undefined {
  const { gitDir, commonDir } = gitDirs(root);
  const listed = unsafeListedFile(gitDir, commonDir);
  if (refusedFiles.size >= 4096) refusedFiles.clear();
  if (listed?.file) refusedFiles.set(gitDir, listed.file);
  else refusedFiles.delete(gitDir);
  const why = unsafeGitFile(gitDir, commonDir) ?? listed?.why ?? unsafeGitConfig(configFiles(gitDir, commonDir), gitEnvironment().HOME!);
  return why && `git is not run in ${oneLine(root)}: ${why}`;
}

/** Confirms with git that `repo.root` is a work tree root (the `.git` we saw could be anything). */
async function confirmRoot(repo: GitRepo, options: GitExecOptions): Promise<string | undefined> {
  const refused = gitRefused(repo.root);
  if (refused) return refused;
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

/** Every tag with the commit it points at (annotated tags peeled). */
async function listTags(root: string, options: GitExecOptions): Promise<{ name: string; commit: string }[]> {
  const out = await gitOk(root, ['for-each-ref', '--format=%(objectname) %(*objectname) %(refname)', 'refs/tags/'], options);
  return out.split('\n').flatMap((l) => {
    const m = /^([0-9a-f]+) ([0-9a-f]*) refs\/tags\/(.+)$/.exec(l);
    return m ? [{ name: m[3]!, commit: m[2] || m[1]! }] : [];
  });
}

/** What `findInRepo` places HEAD by: its commit, its branch, the release tags, and how much history a shallow clone has. */
interface Placement {
  /** The metadata of the shallow list (see `shallowFile`), read first. */
  shallow: string;
  headCommit: string;
  branch?: string;
  all: TagInfo[];
}

/** Undefined when HEAD has no commit yet. */
async function placementIn(repo: GitRepo, options: GitExecOptions): Promise<Placement | undefined> {
  const shallow = stamp(shallowFile(gitDirs(repo.root).commonDir));
  const head = await runGit(repo.root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], options);
  if (head.code !== 0) return undefined;
  const branchRes = await runGit(repo.root, ['symbolic-ref', '--quiet', '--short', 'HEAD'], options);
  const all: TagInfo[] = (await listTags(repo.root, options)).flatMap(({ name: gitTag, commit }) => {
    const goTag = goTagOfGitTag(gitTag, repo.layout);
    const release = goTag && releaseOfGoTag(goTag);
    return goTag && release ? [{ gitTag, goTag, release, commit }] : [];
  });
  const branch = branchRes.code === 0 ? branchRes.stdout.toString('utf8').trim() || undefined : undefined;
  return { shallow, headCommit: head.stdout.toString('utf8').trim(), ...(branch ? { branch } : {}), all };
}

/**
 * Where git places HEAD of the clone now, as the automatic baseline depends on it (HEAD's commit, its branch, the
 * commit of every release tag, the shallow list), only ever compared with itself; undefined where git cannot say.
 * `headState` tells that a ref file changed, not which ref: a tag that is no release, `git pack-refs` (which
 * `git gc --auto` runs after a commit or a fetch), and in a reftable clone any ref update at all (a fetch) change it
 * too. Comparing this before resolving again costs three short git runs instead of a whole resolution.
 */
export async function headPlacement(repo: GitRepo, options: GitExecOptions = {}): Promise<string | undefined> {
  if (gitRefused(repo.root)) return undefined;
  try {
    const p = await placementIn(repo, options);
    return p && placementOf(p);
  } catch {
    return undefined;
  }
}

const placementOf = (p: Placement): string => JSON.stringify([p.shallow, p.headCommit, p.branch ?? '', p.all.map((t) => [t.gitTag, t.commit])]);

/** The tag `git describe` finds for HEAD (the nearest one by history, as Kubernetes' own version stamping). */
async function nearestTag(root: string, glob: string, options: GitExecOptions): Promise<string | undefined> {
  const r = await runGit(root, ['describe', '--tags', '--abbrev=0', `--match=${glob}`, 'HEAD'], options);
  return r.code === 0 ? r.stdout.toString('utf8').trim() || undefined : undefined;
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
 * The release HEAD stands on, found as Kubernetes stamps its own builds (`git describe --tags`): the nearest
 * release tag in HEAD's history, and the newest release up to it from any branch (pre-releases only when
 * allowed). Nearest, not newest: a release branch also descends from the `v1.(N+1).0-alpha.0` tag of its branch
 * point, and may be behind patch tags fetched since, neither of which it is built on. On the development line,
 * past `v…N.0-alpha/beta/rc`, the last release is that of 1.(N-1), which lives on its release branch. When HEAD
 * is itself at a release tag and the file is unchanged since, the file is that release: the baseline is the
 * release before it (else the tag, whose file the edits change).
 */
export async function findGitBaseline(filePath: string, options: GitSourceOptions = {}): Promise<GitFound | GitMiss> {
  const repo = detectRepo(filePath);
  if (!repo) {
    return {
      ok: false,
      reason: `the file is not ${V1_PATH} of a kubernetes/cri-api clone nor ${KUBERNETES_V1_PATH} of a kubernetes/kubernetes clone`,
    };
  }
  const seen: { placement?: string } = {};
  const r = await findInRepo(repo, options, seen);
  const placement = seen.placement ? { placement: seen.placement } : {};
  return r.ok ? { ...r, ...placement } : { ...r, inClone: true, ...placement };
}

/** `seen.placement`: see `headPlacement`, read before anything else git is asked here. */
async function findInRepo(repo: GitRepo, options: GitSourceOptions, seen: { placement?: string }): Promise<GitFound | GitMiss> {
  const includePre = options.includePrereleases ?? false;
  try {
    const notRoot = await confirmRoot(repo, options);
    if (notRoot) return { ok: false, reason: notRoot };
    const placed = await placementIn(repo, options);
    if (!placed) return { ok: false, reason: `${repo.root}: HEAD has no commit yet` };
    const { headCommit, branch, all } = placed;
    seen.placement = placementOf(placed);
    const shallow = (await gitOk(repo.root, ['rev-parse', '--is-shallow-repository'], options)).trim() === 'true';
    const tagWord = repo.layout === 'cri-api' ? 'v0.N.M' : 'v1.N.M';
    // Only asked when no tag places HEAD (the branch's name says less than its history).
    const lineOf = () => {
      const line = releaseLineOf(branch, options.ciEnv);
      return line ? { line } : {};
    };
    if (all.length === 0) {
      return {
        ok: false,
        reason: shallow
          ? `${repo.root} is a shallow clone without release tags: run \`git fetch --tags --unshallow\` there, or set the baseline explicitly`
          : `${repo.root} has no ${tagWord} release tags: run \`git fetch --tags\` there, or set the baseline explicitly`,
        ...lineOf(),
      };
    }
    const byVersion = (a: TagInfo, b: TagInfo) => compareTags(b.goTag, a.goTag);
    const eligible = (t: TagInfo) => includePre || !t.release.prerelease;
    const nearestName = await nearestTag(repo.root, repo.layout === 'cri-api' ? 'v0.[0-9]*' : 'v1.[0-9]*', options);
    const nearestCommit = all.find((t) => t.gitTag === nearestName)?.commit;
    // Twins and patch tags that changed nothing share a commit: the newest of them is where HEAD stands.
    const atNearest = all.filter((t) => t.commit === nearestCommit).sort(byVersion);
    const nearest = atNearest[0];
    if (!nearest) {
      return {
        ok: false,
        reason: shallow
          ? `${repo.root} is a shallow clone: none of its ${all.length} release tags is a known ancestor of HEAD; run \`git fetch --unshallow\` or set the baseline explicitly`
          : `none of the ${all.length} ${tagWord} tags in ${repo.root} is an ancestor of HEAD`,
        ...lineOf(),
      };
    }
    // HEAD at a tag: the file is that release unless it was edited since (then the tag is what the edits change).
    const atTag = nearestCommit === headCommit ? await atTagOf(repo, nearest, options) : undefined;
    const atHead = !!atTag?.same;
    const oldestAtHead = atNearest[atNearest.length - 1]!;
    const within = (t: TagInfo) => (atHead ? compareTags(t.goTag, oldestAtHead.goTag) < 0 : compareTags(t.goTag, nearest.goTag) <= 0);
    const chosen = all.filter((t) => eligible(t) && within(t)).sort(byVersion)[0];
    const headTags = atHead ? tagRange(atNearest.map((t) => t.gitTag).reverse()) : '';
    const position: GitPosition = atHead
      ? { goTag: oldestAtHead.goTag, inclusive: false, why: `HEAD of ${repo.root} is at ${headTags}, so the file is that release` }
      : { goTag: nearest.goTag, inclusive: true, why: `HEAD of ${repo.root} descends from ${nearest.gitTag}` };
    if (!chosen) {
      const what = includePre ? 'release' : 'release (pre-releases not included)';
      return {
        ok: false,
        reason: `${position.why}, and the clone has no ${what} ${atHead ? 'before it' : 'up to it'}${shallow ? ` (a shallow clone: \`git fetch --tags --unshallow\` there)` : ''}`,
        position,
        ...(atTag ? { atTag } : {}),
      };
    }
    let how: string;
    if (atHead) how = `the release before ${headTags}, which HEAD is at`;
    else if (chosen === nearest) how = nearestCommit === headCommit ? 'the tag HEAD is at; the file has been edited since' : 'ancestor of HEAD';
    else {
      const v = parseGoTag(nearest.goTag)!;
      const skipped = includePre ? '' : ', pre-releases not included';
      // HEAD here is at that pre-release (the file edited since) or past it.
      const at = nearestCommit === headCommit;
      how = v.prerelease && v.patch === 0
        ? `newest release before the 1.${v.minor} development line that HEAD is on (${at ? `at ${nearest.gitTag}; the file has been edited since` : `past ${nearest.gitTag}`}${skipped})`
        : `newest release up to ${nearest.gitTag}, ${at ? 'the tag HEAD is at; the file has been edited since' : 'the nearest tag below HEAD'}${skipped}`;
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
        ...(atTag ? { atTag } : {}),
      };
      const base = parseGoTag(chosen.goTag)!;
      // A final release in HEAD's history means HEAD is on that release line, whatever the branch is called (CI
      // checks out a detached HEAD); the patch policy applies there.
      // A patch's pre-release counts too: Kubernetes tags `v1.N.(M+1)-rc.0` on the branch right after `v1.N.M`.
      const onLine = (!nearest.release.prerelease || isPatchRelease(nearest.goTag)) && parseGoTag(nearest.goTag)!.minor === base.minor;
      if (onLine && (!chosen.release.prerelease || isPatchRelease(chosen.goTag))) found.releaseLine = base.minor;
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
export async function readGitRevision(filePath: string, rev: string, options: GitExecOptions = {}): Promise<(GitBlob & { ok: true; repo: GitRepo; commit: string; origin: string }) | GitMiss> {
  const repo = detectRepo(filePath);
  if (!repo) return { ok: false, reason: 'the edited file is not api.proto in a kubernetes/cri-api or kubernetes/kubernetes clone' };
  if (!rev || rev.startsWith('-') || /[\0-\x1f\x7f]/.test(rev)) return { ok: false, reason: `"${rev}" is not a valid git revision` };
  const name = releaseOfGoTag(rev) ? gitTagOfGoTag(rev, repo.layout) : rev;
  try {
    // The reflog first: confirmRoot runs git.
    const notRoot = unsafeReflog(repo.root, name) ?? (await confirmRoot(repo, options));
    if (notRoot) return { ok: false, reason: notRoot };
    const oid = await commitOf(repo.root, name, options);
    if (!oid) return { ok: false, reason: `"${name}" is not a commit, tag or branch in ${repo.root}` };
    const batch = new CatFileBatch(repo.root, blobOptions(options));
    try {
      const text = await readBlob(batch, oid, repo.path, name);
      if (text === undefined) return { ok: false, reason: `${name} has no ${repo.path}` };
      const goTag = goTagOfGitTag(name, repo.layout);
      return {
        ok: true,
        repo,
        gitTag: name,
        commit: oid,
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

/** The commit a revision names in the work tree at `root` (`git rev-parse`); undefined when it names none. */
export async function commitOf(root: string, rev: string, options: GitExecOptions = {}): Promise<string | undefined> {
  if (gitRefused(root) || unsafeReflog(root, rev)) return undefined;
  const r = await runGit(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], options);
  return r.code === 0 ? r.stdout.toString('utf8').trim() || undefined : undefined;
}
