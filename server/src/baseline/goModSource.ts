// The baseline from Go tooling already on disk: the module cache (`k8s.io/cri-api@vX/…`, else the module zip
// Go downloaded into `cache/download/…/@v/vX.zip`) and a project's `vendor/` tree. Plain file reads only,
// never outside the root they were found under, with a size cap; zips are read in memory, never extracted.

// fs.promises, not node:fs/promises: Node loads that module (and what it needs) on first use, not at start-up.
import { promises as fsp } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, delimiter, dirname, isAbsolute, join, resolve as resolvePath, sep } from 'node:path';
import { V1_PATH } from './corpus';
import { fileStamp, readRegularFile, readRegularFileSync } from '../regularFile';
import { compareTags, parseGoTag, parsePseudoVersion, releaseOfGoTag } from '../policy/versions';
import { CRI_API_MODULE, DEFAULT_MAX_FILE_BYTES, DEFAULT_UNZIP_MAX_BYTES, DEFAULT_ZIP_MAX_BYTES, goSumMismatch, hash1OfDigests, MAX_MODULE_ENTRIES, readModuleZip, sha256Hex, ZipError, type GoSumHashes } from './moduleZip';

// Defined in moduleZip.ts, the module both this one and the proxy source import; exported here too, where the
// other sources have always found them.
export { CRI_API_MODULE, DEFAULT_MAX_FILE_BYTES };
const MAX_WALK_UP = 64;

export interface GoModOptions {
  /** Environment for GOMODCACHE / GOPATH, and GOWORK (the go.work to use, or `off`: none); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Default `os.homedir()`, for `~/go/pkg/mod`. */
  homeDir?: string;
  includePrereleases?: boolean;
  /** Look for exactly this version (an explicit setting) instead of the newest. */
  version?: string;
  /** vendor/: a pseudo-version (a commit) too, for the vendored file itself, which is that commit's. */
  commits?: boolean;
  /** Only versions before this one (the release the checked file is): the newest of them, not the newest. */
  before?: string;
  maxFileBytes?: number;
  /**
   * `k8s.io/cri-api` zip hashes by version, from the project's go.sum: a module cache zip, or an extracted
   * directory, whose hash differs is not used (a directory is hashed only for a version go.sum has), nor one of a
   * version whose go.sum files disagree.
   */
  goSum?: GoSumHashes;
  /** Cap on a module cache zip; default `DEFAULT_ZIP_MAX_BYTES`. */
  zipMaxBytes?: number;
  /** Cap on everything a module cache zip expands to, or an extracted directory hashed holds; default `DEFAULT_UNZIP_MAX_BYTES`. */
  unzipMaxBytes?: number;
}

export interface GoModFound {
  ok: true;
  source: 'gomodcache' | 'vendor';
  version: string;
  /** The file read: api.proto, or the module cache zip holding it. */
  file: string;
  text: string;
  origin: string;
  /** Why newer versions in the module cache were passed over, when some were. */
  skipped?: Skipped[];
}

export interface GoModMiss {
  ok: false;
  reason: string;
  /** The versions found (in the module cache, or vendored) that could not be used, and why. */
  skipped?: Skipped[];
  /**
   * Set when a Go setting is refused: `$GOWORK` naming a go.work that is not read (one the go command refuses, or
   * one outside the rules), or a relative `GOMODCACHE` or `GOPATH`. Said with the baseline, since Go itself would
   * not run with it and what was compared depends on it.
   */
  settingRefused?: true;
}

/** A version passed over; no version for a module cache directory that could not be listed. */
export interface Skipped {
  version?: string;
  why: string;
}

function within(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Where `path` leads after symlinks, if inside `root` (after symlinks too); `outside` if not; undefined if either is missing. */
async function resolveWithin(root: string, path: string): Promise<{ real: string } | { outside: true } | undefined> {
  try {
    const [rootReal, real] = await Promise.all([fsp.realpath(root), fsp.realpath(path)]);
    return within(rootReal, real) ? { real } : { outside: true };
  } catch {
    return undefined;
  }
}

/**
 * The bytes of `path` if it resolves (after symlinks) to a regular file inside `root` and is at most
 * `maxBytes`. Returns a reason instead when it does not.
 */
export async function readBytesWithin(root: string, path: string, maxBytes: number): Promise<{ bytes: Buffer } | { reason: string }> {
  const resolved = await resolveWithin(root, path);
  if (!resolved) return { reason: `${path} does not exist` };
  if (!('real' in resolved)) return { reason: `${path} is a symlink leading outside ${root}; not followed` };
  const { real } = resolved;
  // A FIFO would block the open (and the read) until someone writes to it; a device may do anything on open.
  // So the type is checked before opening, and the open does not wait (O_NONBLOCK) in case it changed since.
  try {
    if (!(await fsp.stat(real)).isFile()) return { reason: `${path} is not a regular file` };
  } catch (err) {
    return { reason: `${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
  const r = await readRegularFile(real, { max: maxBytes, followSymlinks: false });
  if (r.ok) return { bytes: r.bytes };
  switch (r.why) {
    case 'too-large': return { reason: r.size !== undefined ? `${path} is ${r.size} bytes, over the ${maxBytes}-byte cap` : `${path} grew over the ${maxBytes}-byte cap while being read` };
    case 'not-regular': return { reason: `${path} is not a regular file` };
    default: return { reason: `${path} cannot be read (${r.code})` };
  }
}

/** `readBytesWithin` as UTF-8 text. */
export async function readFileWithin(root: string, path: string, maxBytes: number): Promise<{ text: string } | { reason: string }> {
  const r = await readBytesWithin(root, path, maxBytes);
  return 'bytes' in r ? { text: r.bytes.toString('utf8') } : r;
}

/**
 * The names in directory `dir` if it resolves (after symlinks) inside `root`; undefined when it does not
 * exist. A directory that leads out of the root is not listed, so that nothing outside it is read.
 */
async function listWithin(root: string, dir: string): Promise<{ names: string[] } | { reason: string } | undefined> {
  const resolved = await resolveWithin(root, dir);
  if (!resolved) return undefined;
  if (!('real' in resolved)) return { reason: `${dir} leads outside ${root} through a symlink; not followed` };
  try {
    return { names: await fsp.readdir(resolved.real) };
  } catch (err) {
    return { reason: `${dir} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
}

/**
 * `$GOMODCACHE`, else the first `$GOPATH` entry + `/pkg/mod`, else `~/go/pkg/mod` (what `go env GOMODCACHE` says).
 * Where the go command refuses the setting (not an absolute path), why: there is no module cache then, and
 * another directory, such as the default, is not the one meant.
 */
export function moduleCacheRoot(env: NodeJS.ProcessEnv = process.env, homeDir: string = homedir()): string | { reason: string } {
  const refused = (what: string) => ({ reason: `${what} is not an absolute path, which the go command refuses` });
  if (env.GOMODCACHE) return isAbsolute(env.GOMODCACHE) ? env.GOMODCACHE : refused(`GOMODCACHE=${env.GOMODCACHE}`);
  if (!env.GOPATH) return join(homeDir, 'go', 'pkg', 'mod');
  const first = env.GOPATH.split(delimiter)[0]!;
  return isAbsolute(first) ? join(first, 'pkg', 'mod') : refused(`the first GOPATH entry ${first || '(empty)'}`);
}

/** Where `go env -w` writes: `$GOENV` (`off`: nowhere), else os.UserConfigDir() + `/go/env`, as Go finds them. */
function goEnvFile(env: NodeJS.ProcessEnv, homeDir: string): string | undefined {
  if (env.GOENV) return env.GOENV === 'off' ? undefined : env.GOENV;
  if (process.platform === 'win32') return env.APPDATA ? join(env.APPDATA, 'go', 'env') : undefined;
  if (process.platform === 'darwin') return join(homeDir, 'Library', 'Application Support', 'go', 'env');
  // Go refuses a relative XDG_CONFIG_HOME (no config directory at all), rather than using ~/.config.
  if (env.XDG_CONFIG_HOME) return isAbsolute(env.XDG_CONFIG_HOME) ? join(env.XDG_CONFIG_HOME, 'go', 'env') : undefined;
  return join(homeDir, '.config', 'go', 'env');
}

/**
 * The environment with what `go env -w` saved in the user's go env file for the variables that choose where Go's
 * files are (GOMODCACHE, GOPATH) and which proxy to ask (GOPROXY), where the environment does not set them: the
 * go command reads them so, and a maintainer who moved the module cache expects it found. The file is the user's,
 * not the workspace's; read capped, a regular file only.
 */
export function withGoEnvFile(env: NodeJS.ProcessEnv, homeDir: string = homedir()): NodeJS.ProcessEnv {
  if (env.GOMODCACHE && env.GOPATH && env.GOPROXY) return env;
  const file = goEnvFile(env, homeDir);
  const r = file ? readRegularFileSync(file, { max: 64 * 1024 }) : undefined;
  if (!r?.ok) return env;
  const out = { ...env };
  // As Go reads it: KEY=VALUE lines, the value verbatim, a later line winning; anything else is ignored.
  for (const line of r.bytes.toString('utf8').split('\n')) {
    const m = /^(GOMODCACHE|GOPATH|GOPROXY)=(.*)$/.exec(line);
    if (m && !env[m[1]!]) out[m[1]!] = m[2];
  }
  return out;
}

function wanted(version: string, options: GoModOptions): boolean {
  if (options.version) return version === options.version;
  if (options.before && compareTags(version, options.before) >= 0) return false;
  const r = releaseOfGoTag(version);
  return !!r && (!r.prerelease || !!options.includePrereleases);
}

/** A `v0.N.M[-pre]` version exactly as written (parseGoTag forgives surrounding blanks; a file name must not). */
function isGoVersion(v: string): boolean {
  return v.trim() === v && !!parseGoTag(v);
}

/**
 * Where Go keeps what it downloaded of k8s.io/cri-api: `cache/download/k8s.io/cri-api/@v/` holds `vX.info`,
 * `vX.mod`, `vX.zip` and `vX.ziphash` (the zip's `h1:` hash, written once Go has checked it). The module path
 * needs no case-escaping (`!x` for `X`): it has no upper-case letters.
 */
function downloadDir(root: string): string {
  return join(root, 'cache', 'download', ...CRI_API_MODULE.split('/'), '@v');
}

/**
 * api.proto of the module cache's `vX.zip`, read in memory by the zip reader the proxy uses, with the caps, the
 * name rules and the CRC checks it applies to downloads; its hash is checked against Go's `vX.ziphash` and the
 * project's go.sum when they have one for the version.
 */
async function readCacheZip(root: string, version: string, names: Set<string>, options: GoModOptions): Promise<{ text: string; file: string; verified: boolean } | { reason: string }> {
  const dir = downloadDir(root);
  const file = join(dir, `${version}.zip`);
  const r = await readBytesWithin(root, file, options.zipMaxBytes ?? DEFAULT_ZIP_MAX_BYTES);
  if ('reason' in r) return r;
  let got: { text: string; h1: string };
  try {
    got = readModuleZip(r.bytes, version, options.unzipMaxBytes ?? DEFAULT_UNZIP_MAX_BYTES, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  } catch (err) {
    // Whatever the bytes make the reader throw, they are one unusable zip, not a failed resolution.
    return { reason: `${file} rejected: ${err instanceof ZipError ? err.message : `unexpected error: ${(err as Error).message}`}` };
  }
  // Go writes the .ziphash after checking the zip against go.sum or the checksum database; a zip that no longer
  // hashes to it changed since (a corrupt disk, or someone else's hand), and Go would not use it either.
  if (names.has(`${version}.ziphash`)) {
    const hashFile = join(dir, `${version}.ziphash`);
    const h = await readFileWithin(root, hashFile, 1024);
    if ('reason' in h) return { reason: `${file} rejected: its ${version}.ziphash cannot be used (${h.reason})` };
    const recorded = h.text.trim();
    if (recorded.startsWith('h1:') && recorded !== got.h1) return { reason: `${file} rejected: its hash ${got.h1} does not match ${hashFile} (${recorded})` };
  }
  const mismatch = goSumMismatch(version, got.h1, options.goSum);
  if (mismatch) return { reason: `${file} rejected: ${mismatch}` };
  return { text: got.text, file, verified: options.goSum?.get(version) === got.h1 };
}

/**
 * api.proto of the extracted directory `moduleDir` held to go.sum's `h1:` hash for the version (there must be one), as
 * `go mod verify` holds it: Go's dirhash Hash1 over every file in it, named `k8s.io/cri-api@vX/…` as in the module zip. The text is
 * that of the bytes hashed, so that the file cannot change between the check and the read. At most
 * `MAX_MODULE_ENTRIES` entries and `unzipMaxBytes` in all, as for a zip; a link is followed only to a regular file
 * inside the directory (Go hashes what a link inside leads to, and extracts none).
 */
async function readVerifiedModuleDir(root: string, moduleDir: string, version: string, options: GoModOptions): Promise<{ text: string } | { reason: string }> {
  const expected = options.goSum?.get(version);
  // No hash could pass: not worth hashing up to unzipMaxBytes for.
  if (typeof expected === 'object') return { reason: `${moduleDir} rejected: ${expected.conflict}` };
  const maxBytes = options.unzipMaxBytes ?? DEFAULT_UNZIP_MAX_BYTES;
  const notChecked = (why: string) => ({ reason: `${moduleDir} cannot be checked against go.sum: ${why}` });
  const files: { name: string; sha256: string }[] = [];
  let text: string | undefined;
  let total = 0;
  let entries = 0;
  // Directories to list, relative to moduleDir and `/`-separated; the first is moduleDir itself, which must be
  // inside the module cache, as everything below it must be inside it.
  const dirs = [''];
  for (let i = 0; i < dirs.length; i++) {
    const rel = dirs[i]!;
    const dir = join(moduleDir, ...rel.split('/').filter(Boolean));
    const listed = await listWithin(rel ? moduleDir : root, dir);
    if (!listed) return notChecked(`${dir} does not exist`);
    if ('reason' in listed) return notChecked(listed.reason);
    for (const name of listed.names) {
      if (++entries > MAX_MODULE_ENTRIES) return notChecked(`it holds more than ${MAX_MODULE_ENTRIES} entries`);
      const relName = rel ? `${rel}/${name}` : name;
      const path = join(dir, name);
      let st;
      try {
        st = await fsp.lstat(path);
      } catch (err) {
        return notChecked(`${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
      if (st.isDirectory()) {
        dirs.push(relName);
        continue;
      }
      if (total + st.size > maxBytes) return notChecked(`it holds more than ${maxBytes} bytes`);
      const r = await readBytesWithin(moduleDir, path, maxBytes - total);
      if ('reason' in r) return notChecked(r.reason);
      total += r.bytes.length;
      if (relName === V1_PATH) {
        const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
        if (r.bytes.length > max) return { reason: `${path} is ${r.bytes.length} bytes, over the ${max}-byte cap` };
        text = r.bytes.toString('utf8');
      }
      files.push({ name: `${CRI_API_MODULE}@${version}/${relName}`, sha256: sha256Hex(r.bytes) });
    }
  }
  let h1: string;
  try {
    h1 = hash1OfDigests(files);
  } catch (err) {
    return notChecked((err as Error).message);
  }
  const mismatch = goSumMismatch(version, h1, options.goSum);
  if (mismatch) return { reason: `${moduleDir} rejected: ${mismatch}` };
  return text === undefined ? { reason: `${moduleDir} has no ${V1_PATH}` } : { text };
}

/**
 * The newest `k8s.io/cri-api@v0.N.M` in the module cache that holds a readable v1 api.proto: its extracted
 * directory, else (no directory, or one Go had not finished extracting) its downloaded zip. Directories and
 * zips list the versions together, so that a newer release only downloaded is not passed over for an older
 * extracted one.
 */
export async function findInModuleCache(options: GoModOptions = {}): Promise<GoModFound | GoModMiss> {
  const root = moduleCacheRoot(options.env, options.homeDir);
  if (typeof root !== 'string') return { ok: false, reason: `no Go module cache: ${root.reason}`, settingRefused: true };
  const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const dirList = await listWithin(root, join(root, 'k8s.io'));
  const zipList = await listWithin(root, downloadDir(root));
  const refused = [dirList, zipList].flatMap((l) => (l && 'reason' in l ? [l.reason] : []));
  const dirNames = dirList && 'names' in dirList ? dirList.names : [];
  const zipNames = new Set(zipList && 'names' in zipList ? zipList.names : []);
  // A pseudo-version (a commit) only when asked for by name: it is no release.
  const named = (v: string) => isGoVersion(v) || (v === options.version && !!parsePseudoVersion(v));
  const extracted = new Set(dirNames.filter((n) => n.startsWith('cri-api@')).map((n) => n.slice('cri-api@'.length)).filter(named));
  const zipped = new Set([...zipNames].filter((n) => n.endsWith('.zip')).map((n) => n.slice(0, -'.zip'.length)).filter(named));
  const more = refused.length ? `: ${refused.join('; ')}` : '';
  if (!dirList && !zipList) {
    return { ok: false, reason: `no ${CRI_API_MODULE} in the Go module cache ${root}${more}` };
  }
  const versions = [...new Set([...extracted, ...zipped])]
    .filter((v) => wanted(v, options))
    .sort((a, b) => compareTags(b, a));
  if (versions.length === 0) {
    const what = (options.version ?? (options.includePrereleases ? 'version' : 'released version')) + (options.before ? ` before ${options.before}` : '');
    return { ok: false, reason: `no ${CRI_API_MODULE} ${what} in the Go module cache ${root}${more}` };
  }
  // A listing refused (a link out of the cache) is said with what is found, as a version passed over is.
  const skipped: Skipped[] = refused.map((why) => ({ why }));
  for (const version of versions) {
    const moduleDir = join(root, 'k8s.io', `cri-api@${version}`);
    if (extracted.has(version)) {
      // Go creates `vX.partial` before extracting and removes it when done; while it exists the directory may
      // lack files or hold a cut one, and Go itself would extract again from the zip.
      if (zipNames.has(`${version}.partial`)) {
        skipped.push({ version, why: `${moduleDir} was not completely extracted (${join(downloadDir(root), `${version}.partial`)} exists)` });
      } else {
        const file = join(moduleDir, ...V1_PATH.split('/'));
        const verify = options.goSum?.has(version);
        const r = verify ? await readVerifiedModuleDir(root, moduleDir, version, options) : await readFileWithin(root, file, max);
        if ('text' in r) {
          const origin = `Go module cache: ${CRI_API_MODULE}@${version} (${root}${verify ? ', h1 verified against go.sum' : ''})`;
          return { ok: true, source: 'gomodcache', version, file, text: r.text, origin, ...(skipped.length ? { skipped } : {}) };
        }
        skipped.push({ version, why: r.reason });
      }
    }
    if (zipped.has(version)) {
      const z = await readCacheZip(root, version, zipNames, options);
      if ('text' in z) {
        return {
          ok: true, source: 'gomodcache', version, file: z.file, text: z.text,
          origin: `Go module cache zip: ${CRI_API_MODULE}@${version} (${z.file}${z.verified ? ', h1 verified against go.sum' : ''})`,
          ...(skipped.length ? { skipped } : {}),
        };
      }
      skipped.push({ version, why: z.reason });
    }
  }
  return { ok: false, reason: `no usable ${CRI_API_MODULE} in the Go module cache ${root}: ${skipped.map((s) => s.why).join('; ')}`, skipped };
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
  /** `goFileStamp` of its go.mod, from the look that decided `moduleRoot` (`-`: none). */
  goMod: string;
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
 * comes first, stopping before a shared directory. `end` says where and why the walk ended. `workspace` is the
 * nearest directory with a go.work, as Go finds it, looked for on up to the repository root under the same rules.
 */
async function projectDirs(fromDir: string): Promise<{ dirs: ProjectDir[]; end: string; workspace?: string }> {
  let dir: string;
  try {
    dir = await fsp.realpath(fromDir);
  } catch {
    return { dirs: [], end: `${fromDir} does not exist` };
  }
  const shared = await sharedRoots();
  const dirs: ProjectDir[] = [];
  let workspace: string | undefined;
  // Set at the module root: the walk goes on above it only for a go.work.
  let end: string | undefined;
  const done = (why: string) => ({ dirs, end: end ?? why, ...(workspace ? { workspace } : {}) });
  for (let i = 0; i < MAX_WALK_UP; i++) {
    const stop = await notProjectDir(dir, shared);
    if (stop) return done(`stopped before ${stop}`);
    if (!workspace && await exists(join(dir, 'go.work'))) workspace = dir;
    if (end === undefined) {
      const goMod = await goFileStamp(join(dir, 'go.mod'));
      const moduleRoot = goMod !== '-';
      dirs.push({ dir, moduleRoot, goMod, start: i === 0 });
      if (moduleRoot) end = `stopped at the module root ${dir}`;
    }
    if (end !== undefined && workspace) break;
    if (await exists(join(dir, '.git'))) return done(`stopped at the repository root ${dir}`);
    dir = dirname(dir);
  }
  return done(`stopped after ${MAX_WALK_UP} directories`);
}

/**
 * The directories in a go.work's `use` directives, resolved against `root`, its directory. Comments and quotes
 * as Go writes them; anything else on a line is taken as a path, which can only fail to match.
 */
export function workspaceUses(goWork: string, root: string): string[] {
  const uses: string[] = [];
  let block = false;
  for (const raw of goWork.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    const m = block ? undefined : /^use\s+(.+)$/.exec(line);
    if (block && line === ')') block = false;
    else if (block && line) uses.push(line);
    else if (m?.[1] === '(') block = true;
    else if (m) uses.push(m[1]!);
  }
  return uses.map((u) => resolvePath(root, u.replace(/^"(.*)"$|^`(.*)`$/, '$1$2')));
}

/** The go.work Go uses (`$GOWORK`, else the nearest found walking up) when it uses the file's module: workspace mode. */
interface GoWorkspace {
  /** The go.work file; its go.work.sum is this + `.sum`, as Go names it (`dev.work` → `dev.work.sum`). */
  file: string;
  /** Its directory, where `go work vendor` puts vendor/; nothing is read from outside it. */
  dir: string;
  /** The module directories of its `use` lines. */
  uses: string[];
}

type ReadWithin = typeof readFileWithin;

/**
 * Where Go finds a file's module's Go files: `own`, the module root (or the file's directory, for a file in no
 * module), whose vendor/ and go.sum are the module's; `workspace`, the go.work Go uses when it uses the module.
 * The go.work is `$GOWORK` when it names one (Go refuses a relative path or a name not ending in `.work`: `refused`
 * then says so, as it refuses to run), none with `GOWORK=off`, else the one the walk found (`GOWORK` empty or
 * `auto`). A `$GOWORK` elsewhere is read as a walked one is: not from a shared directory or one of another user, and
 * not through a link out of its directory. `goWork` is the go.work read, whether or not it uses the module.
 *
 * One resolution works it out once and passes it to `goFilesOf`, `findGoSumHashes` and `findInVendor`, so that they
 * agree on one go.work and read each Go file once between them (`read`); none is kept after it, so that the next
 * resolution sees the Go files as they are then.
 */
export interface GoLayout {
  /** The directory it was worked out from (the edited file's). */
  fromDir: string;
  own: string[];
  end: string;
  workspace?: GoWorkspace;
  refused?: string;
  goWork?: string;
  /**
   * `goFileStamp` of the files it was decided from, taken when they were looked at (the go.mod of `own`) or before
   * they were read (the go.work): `goFilesOf` lists these, so that a change after that shows to a poll as one.
   */
  seen: Map<string, string>;
  /** `readFileWithin`, each file read once for this layout: its users share one content of it. */
  read: ReadWithin;
}

/** `readFileWithin` that reads a file (within a root, up to a size) once, and then answers as it did. */
function readOnce(): ReadWithin {
  const reads = new Map<string, ReturnType<ReadWithin>>();
  return (root, path, maxBytes) => {
    const key = JSON.stringify([root, path, maxBytes]);
    let r = reads.get(key);
    if (!r) reads.set(key, (r = readFileWithin(root, path, maxBytes)));
    return r;
  };
}

/** The `GoLayout` of a file in `fromDir`, with `$GOWORK` from `env`. */
export async function goLayout(fromDir: string, env: NodeJS.ProcessEnv): Promise<GoLayout> {
  const { dirs, end, workspace: walked } = await projectDirs(fromDir);
  const own = dirs.filter((d) => d.moduleRoot || d.start);
  const layout: GoLayout = { fromDir, own: own.map((d) => d.dir), end, seen: new Map(own.map((d) => [join(d.dir, 'go.mod'), d.goMod])), read: readOnce() };
  const gowork = env.GOWORK ?? '';
  if (gowork === 'off') return layout;
  let file: string;
  if (gowork === '' || gowork === 'auto') {
    if (!walked) return layout;
    file = join(walked, 'go.work');
  } else if (!isAbsolute(gowork)) {
    return { ...layout, refused: `GOWORK=${gowork} is not an absolute path, which the go command refuses` };
  } else if (!gowork.endsWith('.work')) {
    // Go's modules reference: a GOWORK that is not an existing file ending in .work is an error. Read as a go.work,
    // its `.sum` and vendor/ would choose the baseline from files Go never takes for a workspace's.
    return { ...layout, refused: `GOWORK=${gowork} does not end in .work: Go takes only a .work file for the workspace (any other value is an error, says its modules reference)` };
  } else {
    let real: string;
    try {
      real = await fsp.realpath(dirname(gowork));
    } catch {
      return { ...layout, refused: `GOWORK=${gowork}: ${dirname(gowork)} does not exist` };
    }
    const stop = await notProjectDir(real, await sharedRoots());
    if (stop) return { ...layout, refused: `GOWORK=${gowork} not read: ${stop}` };
    file = join(real, basename(gowork));
  }
  const dir = dirname(file);
  const module = dirs.find((d) => d.moduleRoot)?.dir;
  // Stamped before the read (`seen`): a change after the stamp shows to the poll, whether or not the read saw it.
  layout.seen.set(file, await goFileStamp(file));
  const goWork = await readFileWithin(dir, file, 64 * 1024);
  if (!('text' in goWork)) return { ...layout, goWork: file, ...(gowork ? { refused: `GOWORK=${gowork}: ${goWork.reason}` } : {}) };
  const uses = workspaceUses(goWork.text, dir);
  return module === undefined || uses.includes(module) ? { ...layout, goWork: file, workspace: { file, dir, uses } } : { ...layout, goWork: file };
}

/** The layout Go has with `GOWORK=off` (what `goLayout` gives then): the same module directories, no go.work. */
export function withoutGoWork({ fromDir, own, end, seen, read }: GoLayout): GoLayout {
  return { fromDir, own, end, seen, read };
}

/** `from` if it is a layout, else the layout of that directory. */
async function layoutOf(from: string | GoLayout, env: NodeJS.ProcessEnv): Promise<GoLayout> {
  return typeof from === 'string' ? goLayout(from, env) : from;
}

/**
 * The `vendor/` Go reads for a file's module: in workspace mode (a go.work that uses the module, or, for a file in
 * no module, above it), only a `go work vendor` tree beside the go.work (its modules.txt opens with `## workspace`),
 * never the module's own, which is `ignored` then; else `vendor/` beside the nearest go.mod at or above `fromDir`, or
 * in `fromDir` itself.
 */
function vendorDirs({ own, end, workspace, refused }: GoLayout): { dirs: { dir: string; workspace: boolean }[]; end: string; refused?: string; ignored?: { dirs: string[]; goWork: string } } {
  if (workspace) return { dirs: [{ dir: workspace.dir, workspace: true }], end, ignored: { dirs: own, goWork: workspace.file } };
  return { dirs: own.map((dir) => ({ dir, workspace: false })), end, ...(refused ? { refused } : {}) };
}

/**
 * The module's own vendor/ that Go does not read in workspace mode, when its modules.txt lists k8s.io/cri-api: said
 * where the baseline is described, since that copy is what one would expect to be read.
 */
async function ignoredVendors(ignored: { dirs: string[]; goWork: string } | undefined, max: number, read: ReadWithin): Promise<Skipped[]> {
  const out: Skipped[] = [];
  for (const dir of ignored?.dirs ?? []) {
    const vendor = join(dir, 'vendor');
    const mods = await read(dir, join(vendor, 'modules.txt'), max);
    const v = 'text' in mods ? vendoredVersion(mods.text) : undefined;
    if (!v) continue;
    const why = `${vendor} (${CRI_API_MODULE} ${v.version || '(no version)'}) not read: ${ignored!.goWork} uses the module, and in workspace mode Go reads the workspace's vendor/ or the module cache, not the module's own`;
    out.push({ ...(releaseOfGoTag(v.version) ? { version: v.version } : {}), why });
  }
  return out;
}

/**
 * `vendor/k8s.io/cri-api/…/api.proto` of the module the file belongs to (see `vendorDirs`) when its
 * `vendor/modules.txt` lists k8s.io/cri-api, with the version recorded there. Never from above the repository
 * root, nor from a shared directory. `from` is the file's directory, or its layout (`goLayout`, with which
 * `options.env` is not looked at).
 */
export async function findInVendor(from: string | GoLayout, options: GoModOptions = {}): Promise<GoModFound | GoModMiss> {
  const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const layout = await layoutOf(from, options.env ?? process.env);
  const { dirs, end, refused, ignored } = vendorDirs(layout);
  if (refused) return { ok: false, reason: refused, settingRefused: true };
  const notRead = await ignoredVendors(ignored, max, layout.read);
  const also = notRead.length ? { skipped: notRead } : {};
  for (const { dir, workspace } of dirs) {
    // Read within the module, not within vendor/: a vendor/ that is a link out of the module is the link's target.
    const vendor = join(dir, 'vendor');
    const mods = await layout.read(dir, join(vendor, 'modules.txt'), max);
    if ('reason' in mods && mods.reason.includes('leading outside')) return { ok: false, reason: mods.reason };
    // Go takes a vendor/ beside go.work for the workspace's only when `go work vendor` made it.
    if (workspace && !('text' in mods && /^## workspace$/m.test(mods.text))) continue;
    const v = 'text' in mods ? vendoredVersion(mods.text) : undefined;
    if (v) {
      const where = join(vendor, 'modules.txt');
      // `replace k8s.io/cri-api => k8s.io/cri-api vX`, as builds against k8s.io/kubernetes pin its staging modules
      // (required as v0.0.0), vendors release vX itself; a fork's module or a local directory is no release.
      const pinned = v.replacement?.startsWith(`${CRI_API_MODULE} `) ? v.replacement.slice(CRI_API_MODULE.length + 1) : undefined;
      if (v.replacement && !pinned) {
        return { ok: false, reason: `${where} replaces ${CRI_API_MODULE} with ${v.replacement}; the vendored copy is not a released version`, ...also };
      }
      const version = pinned ?? v.version;
      // A commit (`go get k8s.io/cri-api@<commit>`) only when asked for: it is no release.
      const commit = (version === options.version || !!options.commits) && !!parsePseudoVersion(version);
      if (!commit && !releaseOfGoTag(version)) return { ok: false, reason: `${where} lists ${CRI_API_MODULE} ${version || '(no version)'}, not a v0.N.M release`, ...also };
      if (!commit && !wanted(version, options)) {
        return { ok: false, reason: `${where} lists ${CRI_API_MODULE} ${version}${options.version ? `, not ${options.version}` : ', a pre-release'}`, ...also };
      }
      const file = join(vendor, 'k8s.io', 'cri-api', ...V1_PATH.split('/'));
      const r = await layout.read(dir, file, max);
      if (!('text' in r)) return { ok: false, reason: r.reason, skipped: [{ version, why: `vendored ${CRI_API_MODULE} ${version}: ${r.reason}` }, ...notRead] };
      return { ok: true, source: 'vendor', version, file, text: r.text, origin: `vendored ${CRI_API_MODULE} ${version} (${vendor})`, ...also };
    }
  }
  const searched = ignored ? `the go work vendor tree of ${ignored.goWork}` : `the module of ${layout.fromDir} (${end})`;
  return { ok: false, reason: [`no vendor/modules.txt listing ${CRI_API_MODULE} in ${searched}`, ...notRead.map((s) => s.why)].join('; '), ...also };
}

/** At most this many `use` modules of a go.work have their go.sum read (a go.work of 64 KiB may list thousands). */
const MAX_WORKSPACE_GO_SUMS = 64;

/**
 * The `k8s.io/cri-api <version> h1:…` zip hashes of the go.sum of the module the file belongs to (beside the
 * nearest go.mod at or above `fromDir`, or in `fromDir` itself), then, in workspace mode: the go.work.sum, whose first
 * hash of a version is the one, and for a version it lacks, the go.sum of every module the go.work uses, which Go
 * checks all; the same walk as `findInVendor`. Where two of those disagree on a version, the version maps to why
 * (naming both), as Go stops with a checksum mismatch then. A
 * used module's go.sum is read only below the go.work's directory and under the walk's rules: not in a shared
 * directory or one of another user, not through a link out of that directory. `from` as for `findInVendor`: with a
 * layout, `env` is not looked at.
 */
export async function findGoSumHashes(from: string | GoLayout, env: NodeJS.ProcessEnv = process.env, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<{ file?: string; hashes: GoSumHashes }> {
  const { own, workspace, read } = await layoutOf(from, env);
  const found: { file?: string; hashes: GoSumHashes } = { hashes: new Map() };
  /** The file each version's hash was first read from, for the message when another disagrees. */
  const firstIn = new Map<string, string>();
  // Go checks a download against the go.sum it writes first (the module's; go.work.sum in workspace mode), up to the
  // first h1: line, which must match: a version listed there is decided by it, whatever the other files say. Only
  // for a version it lacks are the workspace's module go.sum files checked, every line of each (modfetch
  // haveModSumLocked): two lines for one version there stop it whichever the download matches.
  const work = workspace && await read(workspace.dir, `${workspace.file}.sum`, maxBytes);
  const decided = work && 'text' in work ? parseGoSum(work.text) : undefined;
  const add = (text: string, file: string, firstWins: boolean) => {
    for (const [version, [h1, other]] of parseGoSum(text)) {
      if (decided?.has(version)) continue;
      const had = found.hashes.get(version);
      if (other !== undefined && !firstWins) {
        if (typeof had !== 'object') found.hashes.set(version, { conflict: `${file} records both ${h1} and ${other} for ${CRI_API_MODULE} ${version}: Go reports a checksum mismatch whichever the download matches` });
      } else if (had === undefined) {
        found.hashes.set(version, h1);
        firstIn.set(version, file);
      } else if (typeof had === 'string' && had !== h1) {
        found.hashes.set(version, { conflict: `${firstIn.get(version)} records ${had} for ${CRI_API_MODULE} ${version} and ${file} ${h1}: Go reports a checksum mismatch whichever the download matches` });
      }
    }
  };
  for (const dir of own) {
    const file = join(dir, 'go.sum');
    const r = await read(dir, file, maxBytes);
    if (!('text' in r)) continue;
    found.file = file;
    add(r.text, file, !workspace);
    break;
  }
  if (!workspace) return found;
  for (const file of await workspaceGoSums(workspace)) {
    // The module's own, read above: adding it again changes nothing.
    if (file === found.file) continue;
    const r = await read(workspace.dir, file, maxBytes);
    if ('text' in r) add(r.text, file, false);
  }
  for (const [version, [h1]] of decided ?? []) found.hashes.set(version, h1);
  return found;
}

/** The go.sum of the modules a go.work uses that are read: at most 64, below its directory, under the walk's rules. */
async function workspaceGoSums(workspace: GoWorkspace): Promise<string[]> {
  const shared = await sharedRoots();
  const out: string[] = [];
  for (const dir of workspace.uses.filter((d) => within(workspace.dir, d)).slice(0, MAX_WORKSPACE_GO_SUMS)) {
    if (!(await notProjectDir(dir, shared))) out.push(join(dir, 'go.sum'));
  }
  return out;
}

/**
 * `fileStamp` of a path now: its metadata (lstat: no content read, no link followed). Of a directory, only which one it
 * is: its times change with every file written in it, and what counts is that it was deleted, renamed, or another
 * moved into its place.
 */
export async function goFileStamp(path: string): Promise<string> {
  const st = await fsp.lstat(path).catch(() => undefined);
  return st?.isDirectory() ? `dir:${st.dev}:${st.ino}` : fileStamp(st);
}

/**
 * The Go files whose content decides what resolution takes from Go for a file in `fromDir`, each with its
 * `goFileStamp`: the go.mod, go.sum and vendor/modules.txt of its module directories (see `goLayout`), the go.work
 * read, and in workspace mode its `.sum`, the `go work vendor` tree's modules.txt and the go.sum `findGoSumHashes`
 * reads; each followed by its directory (which one it is, see `goFileStamp`): an editor reports nothing of a module's
 * folder deleted or moved in, and a file in it that was missing stays so. For an editor, to resolve again when one
 * changes; taken before resolution reads them, so that a change while it runs shows as one: those the layout was
 * decided from as it saw them (`GoLayout.seen`), the others now, before the layout reads them. Reads only metadata.
 */
export async function goFilesOf(layout: GoLayout): Promise<Map<string, string>> {
  const { own, workspace, goWork, seen } = layout;
  const files = own.flatMap((d) => [join(d, 'go.mod'), join(d, 'go.sum'), join(d, 'vendor', 'modules.txt')]);
  if (goWork) files.push(goWork);
  if (workspace) files.push(`${workspace.file}.sum`, join(workspace.dir, 'vendor', 'modules.txt'), ...(await workspaceGoSums(workspace)));
  const unique = [...new Set(files.flatMap((f) => [f, dirname(f)]))];
  return new Map(await Promise.all(unique.map(async (f) => [f, seen.get(f) ?? await goFileStamp(f)] as const)));
}

/** The module's zip hashes by version: every distinct `h1:` one, in the file's order (see `findGoSumHashes`). */
export function parseGoSum(text: string, module = CRI_API_MODULE): Map<string, [string, ...string[]]> {
  const out = new Map<string, [string, ...string[]]>();
  for (const line of text.split('\n')) {
    const [mod, version, hash] = line.trim().split(/\s+/);
    if (!(mod === module && version && !version.endsWith('/go.mod') && hash?.startsWith('h1:'))) continue;
    const hashes = out.get(version);
    if (!hashes) out.set(version, [hash]);
    else if (!hashes.includes(hash)) hashes.push(hash);
  }
  return out;
}
