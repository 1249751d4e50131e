// The baseline from Go tooling already on disk: the module cache (`k8s.io/cri-api@vX/…`) and a project's
// `vendor/` tree. Plain file reads only, never outside the root they were found under, with a size cap.

// fs.promises, not node:fs/promises: Node loads that module (and what it needs) on first use, not at start-up.
import { promises as fsp } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve as resolvePath, sep } from 'node:path';
import { V1_PATH } from './corpus';
import { readRegularFile } from '../regularFile';
import { compareTags, releaseOfGoTag } from '../policy/versions';

export const CRI_API_MODULE = 'k8s.io/cri-api';
export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_WALK_UP = 64;

export interface GoModOptions {
  /** Environment for GOMODCACHE / GOPATH; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Default `os.homedir()`, for `~/go/pkg/mod`. */
  homeDir?: string;
  includePrereleases?: boolean;
  /** Look for exactly this version (an explicit setting) instead of the newest. */
  version?: string;
  maxFileBytes?: number;
}

export interface GoModFound {
  ok: true;
  source: 'gomodcache' | 'vendor';
  version: string;
  file: string;
  text: string;
  origin: string;
}

export interface GoModMiss {
  ok: false;
  reason: string;
}

function within(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Reads `path` if it resolves (after symlinks) to a regular file inside `root` and is at most `maxBytes`.
 * Returns a reason instead when it does not.
 */
export async function readFileWithin(root: string, path: string, maxBytes: number): Promise<{ text: string } | { reason: string }> {
  let rootReal: string;
  let real: string;
  try {
    rootReal = await fsp.realpath(root);
    real = await fsp.realpath(path);
  } catch {
    return { reason: `${path} does not exist` };
  }
  if (!within(rootReal, real)) return { reason: `${path} is a symlink leading outside ${root}; not followed` };
  // A FIFO would block the open (and the read) until someone writes to it; a device may do anything on open.
  // So the type is checked before opening, and the open does not wait (O_NONBLOCK) in case it changed since.
  try {
    if (!(await fsp.stat(real)).isFile()) return { reason: `${path} is not a regular file` };
  } catch (err) {
    return { reason: `${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
  const r = await readRegularFile(real, { max: maxBytes, followSymlinks: false });
  if (r.ok) return { text: r.bytes.toString('utf8') };
  switch (r.why) {
    case 'too-large': return { reason: r.size !== undefined ? `${path} is ${r.size} bytes, over the ${maxBytes}-byte cap` : `${path} grew over the ${maxBytes}-byte cap while being read` };
    case 'not-regular': return { reason: `${path} is not a regular file` };
    default: return { reason: `${path} cannot be read (${r.code})` };
  }
}

/** `$GOMODCACHE`, else the first `$GOPATH` entry + `/pkg/mod`, else `~/go/pkg/mod` (what `go env GOMODCACHE` says). */
export function moduleCacheRoot(env: NodeJS.ProcessEnv = process.env, homeDir: string = homedir()): string {
  if (env.GOMODCACHE && isAbsolute(env.GOMODCACHE)) return env.GOMODCACHE;
  const gopath = (env.GOPATH ?? '').split(delimiter).find((p) => p && isAbsolute(p));
  return join(gopath ?? join(homeDir, 'go'), 'pkg', 'mod');
}

function wanted(version: string, options: GoModOptions): boolean {
  if (options.version) return version === options.version;
  const r = releaseOfGoTag(version);
  return !!r && (!r.prerelease || !!options.includePrereleases);
}

/** The newest `k8s.io/cri-api@v0.N.M` in the module cache that holds a readable v1 api.proto. */
export async function findInModuleCache(options: GoModOptions = {}): Promise<GoModFound | GoModMiss> {
  const root = moduleCacheRoot(options.env, options.homeDir);
  const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let names: string[];
  try {
    names = await fsp.readdir(join(root, 'k8s.io'));
  } catch {
    return { ok: false, reason: `no ${CRI_API_MODULE} in the Go module cache ${root}` };
  }
  const versions = names
    .filter((n) => n.startsWith('cri-api@'))
    .map((n) => n.slice('cri-api@'.length))
    .filter((v) => releaseOfGoTag(v) && wanted(v, options))
    .sort((a, b) => compareTags(b, a));
  if (versions.length === 0) {
    const what = options.version ? options.version : options.includePrereleases ? 'version' : 'released version';
    return { ok: false, reason: `no ${CRI_API_MODULE} ${what} in the Go module cache ${root}` };
  }
  const skipped: string[] = [];
  for (const version of versions) {
    const file = join(root, 'k8s.io', `cri-api@${version}`, ...V1_PATH.split('/'));
    const r = await readFileWithin(root, file, max);
    if ('text' in r) {
      return { ok: true, source: 'gomodcache', version, file, text: r.text, origin: `Go module cache: ${CRI_API_MODULE}@${version} (${root})` };
    }
    skipped.push(r.reason);
  }
  return { ok: false, reason: `no usable ${CRI_API_MODULE} in the Go module cache ${root}: ${skipped.join('; ')}` };
}

/** The `# k8s.io/cri-api vX [=> replacement]` line of a `vendor/modules.txt`. */
export function vendoredVersion(modulesTxt: string): { version: string; replacement?: string } | undefined {
  const m = /^# k8s\.io\/cri-api(?: (v\S+))?(?: => (.+))?$/m.exec(modulesTxt);
  if (!m) return undefined;
  return { version: m[1] ?? '', ...(m[2] ? { replacement: m[2].trim() } : {}) };
}

// ---- The project a file belongs to. ----
//
// vendor/ and go.sum are found by walking up from the edited file, as Go finds go.mod. The walk must not reach
// directories that are not the project's: a vendor/ planted in a shared parent such as /tmp would otherwise
// choose the baseline. So it ends at the module root (the nearest directory holding go.mod, the only place Go
// reads vendor/ and go.sum), at the root of the git repository (a `.git` entry), and before any directory that
// others can write to or own (the temporary directory, a world-writable directory, a directory owned by another
// user than the current one or root, a group-writable one owned by another user, the filesystem root); and only
// the module root's vendor/ and go.sum are used, or those in the file's own directory.

interface ProjectDir {
  dir: string;
  /** Holds `go.mod`: the module root, where the walk ends. */
  moduleRoot: boolean;
  /** The directory the walk started in (the edited file's). */
  start: boolean;
}

/** Shared directories, where anyone may have put anything (Go ignores a go.mod in the temporary directory too). */
async function sharedRoots(): Promise<Set<string>> {
  const out = new Set<string>();
  const candidates = [tmpdir(), process.env.TMPDIR, process.env.TMP, process.env.TEMP, ...(process.platform === 'win32' ? [] : ['/tmp', '/var/tmp', '/dev/shm'])];
  for (const c of candidates) {
    if (!c || !isAbsolute(c)) continue;
    out.add(resolvePath(c));
    try {
      out.add(await fsp.realpath(c));
    } catch {
      // Absent: nothing to avoid.
    }
  }
  return out;
}

async function exists(path: string): Promise<boolean> {
  try {
    await fsp.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Why the walk may not enter `dir`, or undefined when it may. */
async function notProjectDir(dir: string, shared: Set<string>): Promise<string | undefined> {
  if (dirname(dir) === dir) return `${dir} is the filesystem root`;
  if (shared.has(dir)) return `${dir} is a shared temporary directory`;
  if (process.platform !== 'win32') {
    let st;
    try {
      st = await fsp.stat(dir);
    } catch {
      return `${dir} cannot be read`;
    }
    if (st.mode & 0o002) return `${dir} is writable by every user`;
    // As git's safe.directory: a directory of another user (root aside) is not the project's, nor is one that a
    // group may write to and another user owns (a shared team directory, mode 2775): its go.mod and vendor/ are
    // whatever its owner or any group member put there.
    const me = process.getuid?.();
    if (me !== undefined) {
      if (st.uid !== me && st.uid !== 0) return `${dir} is owned by another user (uid ${st.uid})`;
      if (st.mode & 0o020 && st.uid !== me) return `${dir} is writable by its group and owned by another user (uid ${st.uid})`;
    }
  }
  return undefined;
}

/**
 * The directories from `fromDir` (after symlinks) up to the module root or the repository root, whichever
 * comes first, stopping before a shared directory. `end` says where and why the walk ended.
 */
async function projectDirs(fromDir: string): Promise<{ dirs: ProjectDir[]; end: string }> {
  let dir: string;
  try {
    dir = await fsp.realpath(fromDir);
  } catch {
    return { dirs: [], end: `${fromDir} does not exist` };
  }
  const shared = await sharedRoots();
  const dirs: ProjectDir[] = [];
  for (let i = 0; i < MAX_WALK_UP; i++) {
    const stop = await notProjectDir(dir, shared);
    if (stop) return { dirs, end: `stopped before ${stop}` };
    const moduleRoot = await exists(join(dir, 'go.mod'));
    dirs.push({ dir, moduleRoot, start: i === 0 });
    if (moduleRoot) return { dirs, end: `stopped at the module root ${dir}` };
    if (await exists(join(dir, '.git'))) return { dirs, end: `stopped at the repository root ${dir}` };
    dir = dirname(dir);
  }
  return { dirs, end: `stopped after ${MAX_WALK_UP} directories` };
}

/**
 * `vendor/k8s.io/cri-api/…/api.proto` of the module the file belongs to — `vendor/` beside the nearest go.mod
 * at or above `fromDir`, or in `fromDir` itself — when its `vendor/modules.txt` lists k8s.io/cri-api, with
 * the version recorded there. Never from above the module or repository root, nor from a shared directory.
 */
export async function findInVendor(fromDir: string, options: GoModOptions = {}): Promise<GoModFound | GoModMiss> {
  const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const { dirs, end } = await projectDirs(fromDir);
  for (const { dir, moduleRoot, start } of dirs) {
    if (!moduleRoot && !start) continue;
    const vendor = join(dir, 'vendor');
    const mods = await readFileWithin(vendor, join(vendor, 'modules.txt'), max);
    const v = 'text' in mods ? vendoredVersion(mods.text) : undefined;
    if (v) {
      const where = join(vendor, 'modules.txt');
      if (v.replacement) {
        return { ok: false, reason: `${where} replaces ${CRI_API_MODULE} with ${v.replacement}; the vendored copy is not a released version` };
      }
      if (!releaseOfGoTag(v.version)) return { ok: false, reason: `${where} lists ${CRI_API_MODULE} ${v.version || '(no version)'}, not a v0.N.M release` };
      if (!wanted(v.version, options)) {
        return { ok: false, reason: `${where} lists ${CRI_API_MODULE} ${v.version}${options.version ? `, not ${options.version}` : ', a pre-release'}` };
      }
      const file = join(vendor, 'k8s.io', 'cri-api', ...V1_PATH.split('/'));
      const r = await readFileWithin(vendor, file, max);
      if (!('text' in r)) return { ok: false, reason: r.reason };
      return { ok: true, source: 'vendor', version: v.version, file, text: r.text, origin: `vendored ${CRI_API_MODULE} ${v.version} (${vendor})` };
    }
  }
  return { ok: false, reason: `no vendor/modules.txt listing ${CRI_API_MODULE} in the module of ${fromDir} (${end})` };
}

/**
 * The `k8s.io/cri-api <version> h1:…` zip hashes of the go.sum of the module the file belongs to (beside the
 * nearest go.mod at or above `fromDir`, or in `fromDir` itself); the same walk as `findInVendor`.
 */
export async function findGoSumHashes(fromDir: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<{ file?: string; hashes: Map<string, string> }> {
  const { dirs } = await projectDirs(fromDir);
  for (const { dir, moduleRoot, start } of dirs) {
    if (!moduleRoot && !start) continue;
    const file = join(dir, 'go.sum');
    const r = await readFileWithin(dir, file, maxBytes);
    if ('text' in r) return { file, hashes: parseGoSum(r.text) };
  }
  return { hashes: new Map() };
}

export function parseGoSum(text: string, module = CRI_API_MODULE): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [mod, version, hash] = line.trim().split(/\s+/);
    if (mod === module && version && !version.endsWith('/go.mod') && hash?.startsWith('h1:')) out.set(version, hash);
  }
  return out;
}
