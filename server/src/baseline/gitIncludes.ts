// Whether git would hang on a clone's config before it is run there. Git reads the repository's config files and
// every file their `include.path` and `includeIf.<condition>.path` name (it cannot be told to skip them), opening
// each as it is: a FIFO waits for a writer, a device such as /dev/zero never ends, a huge file takes long; every
// git command then waits out its timeout, on each check and each poll. So each file git may read is stat'ed (never
// opened unless it is a regular file within the cap, to follow the includes it names) before git runs at all.

import { statSync, type Stats } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { readRegularFileSync } from '../regularFile';
import { oneLine } from '../report/formats';
import { parseGitConfig, type GitConfigEntry } from './gitConfig';

/**
 * A git config file (the clone's own or an included one): git writes a few KiB there; larger than any a person keeps,
 * so what is larger is not read here (and git is not run on it).
 */
const MAX_GIT_CONFIG_BYTES = 1024 * 1024;
/** Git's own limit of nested includes (config.c): past it git fails rather than hangs. */
const MAX_INCLUDE_DEPTH = 10;
/** Files looked at per check: a config that names more is refused rather than walked. */
const MAX_FILES = 64;

/**
 * kindOf of a file git opens by its path, where a folder is as if nothing were there: git takes it for a missing file (a
 * folder of reflogs for a reflog, a folder of refs for a branch not made yet, a subfolder of the packs' folder).
 */
export function kindOfOpened(st: Stats): string | undefined {
  return st.isDirectory() ? undefined : kindOf(st);
}

/** What a file git would open is, when that is not a regular file (git would wait on it, or never finish reading it). */
export function kindOf(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/** `~user` as the home of that user (git's getpwnam), from /etc/passwd; undefined where it is not known. */
function homeOf(user: string): string | undefined {
  try {
    const me = userInfo();
    if (me.username === user) return me.homedir;
  } catch {
    // No entry for this process's user.
  }
  const r = readRegularFileSync('/etc/passwd', { max: MAX_GIT_CONFIG_BYTES });
  if (!r.ok) return undefined;
  const line = r.bytes.toString('utf8').split('\n').find((l) => l.split(':')[0] === user);
  return line?.split(':')[5] || undefined;
}

/**
 * The file an include's `value` names as git expands it (config.c, `git_config_pathname`), from the config `from`:
 * `~/` in git's HOME (`home`: the one it runs with, see safeExec's gitEnvironment), `~user/` in that user's home,
 * else as `includePathFrom` takes it.
 */
function includeTarget(from: string, value: string, home: string): string | undefined {
  if (!value.startsWith('~')) return includePathFrom(from, value);
  const slash = value.indexOf('/');
  const user = value.slice(1, slash < 0 ? undefined : slash);
  const base = user ? homeOf(user) : home;
  return base === undefined || value.includes('\0') ? undefined : join(base, slash < 0 ? '' : value.slice(slash + 1));
}

/**
 * An include's `value` that does not start with `~`, as git takes it from the config `from`: a relative path from
 * the including file's directory. Undefined for `%(prefix)/` (git's installation, not the workspace's) and for what
 * git does not expand.
 */
function includePathFrom(from: string, value: string): string | undefined {
  if (!value || value.includes('\0') || value.startsWith('%(prefix)/')) return undefined;
  return isAbsolute(value) ? resolve(value) : resolve(dirname(from), value);
}

/**
 * Why git must not run on the config files `configs` (the clone's `config` and `config.worktree`), or undefined: one
 * of them, or a file an include names there (or in a file so included), exists and is a FIFO, socket, device or
 * directory, or is larger than MAX_GIT_CONFIG_BYTES. Every include is looked at, whatever its condition: git
 * judges `includeIf` conditions (`gitdir:`, `onbranch:`, `hasconfig:`) at run time. A missing file is fine, as git
 * skips it. Paths and keys in the answer are escaped (oneLine): the workspace chose them.
 */
export function unsafeGitConfig(configs: readonly string[], home: string): string | undefined {
  return walkGitConfig(configs, home).unsafe;
}

/**
 * The files `unsafeGitConfig` looks at (`configs` first, then what they include, as far as it looks: up to the first
 * that is unsafe, within its caps), for a watch of their metadata: repairing one (an include removed, a FIFO replaced)
 * changes it, after which git may run again. A file is read again only when its metadata changed since it was last
 * read here (a watch asks on every check and poll); which files are unsafe is judged by their metadata every time.
 */
export function gitConfigFiles(configs: readonly string[], home: string): string[] {
  return walkGitConfig(configs, home, includesSeen).files;
}

/**
 * An entry of the config git reads, as `readGitConfigs` gives it; `conditional` when it is in a file an `includeIf`
 * names (at any depth), which git reads only when that condition holds.
 */
export interface ReadConfigEntry extends GitConfigEntry {
  conditional: boolean;
}

/**
 * The files `gitConfigFiles` names, read in full (each anew): the entries of every one of them, for what the baseline
 * watch takes from the config (which remote-tracking ref `@{upstream}` names). One walk for both, so that the watch
 * reads what the guard lets git read, includes outside the git directory (a project's `../.gitconfig`) and `includeIf`
 * alike, whose conditions are not judged here (see `ReadConfigEntry`). Only the entries `keep` wants, in the order of the
 * walk, up to MAX_KEPT_ENTRIES. `unsafe`: see `unsafeGitConfig`; git does not run then, and the entries are those read up
 * to that file.
 */
export function readGitConfigs(configs: readonly string[], home: string, keep: (e: GitConfigEntry) => boolean): { files: string[]; entries: ReadConfigEntry[]; unsafe?: string } {
  const entries: ReadConfigEntry[] = [];
  return { ...walkGitConfig(configs, home, undefined, { entries, keep }), entries };
}

/**
 * Entries kept per `readGitConfigs`, those `keep` wants: the files may hold 64 MiB of entries, which are not all kept at
 * once; a real config has a few dozen.
 */
const MAX_KEPT_ENTRIES = 10_000;

interface Include {
  file: string;
  key: string;
}

/** Per file read for `gitConfigFiles`: its metadata then, and what it includes. Bounded as gitSource's `subdirsSeen`. */
const includesSeen = new Map<string, { stamp: string; includes: Include[] }>();

/** `collect`: where the entries of every file read that `keep` wants go (each file is then read, whatever `seen` holds). */
function walkGitConfig(
  configs: readonly string[],
  home: string,
  seen?: typeof includesSeen,
  collect?: { entries: ReadConfigEntry[]; keep: (e: GitConfigEntry) => boolean },
): { files: string[]; unsafe?: string } {
  const queue: { file: string; via?: { key: string; from: string }; depth: number; conditional: boolean }[] = configs.map((file) => ({ file, depth: 0, conditional: false }));
  const files = (): string[] => queue.slice(0, MAX_FILES).map((q) => q.file);
  const unsafe = (why: string) => ({ files: files(), unsafe: why });
  for (let k = 0; k < queue.length; k++) {
    if (k >= MAX_FILES) return unsafe(`its config includes more than ${MAX_FILES} files`);
    const { file, via, depth, conditional } = queue[k]!;
    let st: Stats;
    try {
      st = statSync(file);
    } catch {
      // Missing (git skips it), or unreadable (git stops with an error at once).
      continue;
    }
    const where = via ? `${oneLine(via.key)} in ${oneLine(via.from)} names ${oneLine(file)}` : `its config file ${oneLine(file)} is`;
    const kind = kindOf(st);
    if (kind) return unsafe(`${where}${via ? ',' : ''} ${kind}, which git would wait on or fail to read`);
    if (st.size > MAX_GIT_CONFIG_BYTES) return unsafe(`${where}${via ? ', a file of' : ''} ${st.size} bytes, more than the ${MAX_GIT_CONFIG_BYTES} a git config is given`);
    const stamp = `${st.mtimeMs}:${st.ctimeMs}:${st.size}:${st.ino}`;
    let includes = !collect && seen?.get(file)?.stamp === stamp ? seen.get(file)!.includes : undefined;
    if (!includes) {
      const r = readRegularFileSync(file, { max: MAX_GIT_CONFIG_BYTES });
      // Swapped since the stat: judged as what was opened.
      if (!r.ok) {
        if (r.why === 'unreadable') continue;
        return unsafe(`${where}${via ? ',' : ''} ${r.why === 'too-large' ? 'too large' : 'not a regular file'}, which git would wait on or fail to read`);
      }
      const parsed = parseGitConfig(r.bytes.toString('utf8'));
      if (collect) for (const e of parsed) if (collect.entries.length < MAX_KEPT_ENTRIES && collect.keep(e)) collect.entries.push({ ...e, conditional });
      includes = includesIn(file, parsed, home);
      if (seen) {
        if (seen.size >= 4096) seen.clear();
        seen.set(file, { stamp, includes });
      }
    }
    if (depth >= MAX_INCLUDE_DEPTH) continue;
    for (const i of includes) queue.push({ file: i.file, via: { key: i.key, from: file }, depth: depth + 1, conditional: conditional || i.key !== 'include.path' });
  }
  return { files: files() };
}

/** The files a config's `include.path` and `includeIf.<condition>.path` entries name, in order. */
function includesIn(file: string, entries: readonly GitConfigEntry[], home: string): Include[] {
  const out: Include[] = [];
  for (const e of entries) {
    if (e.key !== 'path' || !((e.section === 'include' && !e.subsection) || (e.section === 'includeif' && e.subsection))) continue;
    const target = includeTarget(file, e.value, home);
    const key = e.section === 'include' ? 'include.path' : `includeIf.${e.subsection}.path`;
    if (target) out.push({ file: target, key });
  }
  return out;
}
