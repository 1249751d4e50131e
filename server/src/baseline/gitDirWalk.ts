// The folders of a clone's git directory that git lists and opens every file of, checked before git runs there: the
// loose refs (`git describe` reads every one, `for-each-ref refs/tags/` every tag), the packs' folder (every `.idx` is
// opened to find an object, the multi-pack index at start) and the split commit-graph's. One FIFO there has every
// command wait out its timeout, on each resolution (measured with git 2.39: a FIFO `.idx`, `multi-pack-index`,
// `commit-graph-chain` or `graph-….graph` hangs `rev-parse HEAD^{commit}`, `for-each-ref` and `describe`; a FIFO
// `.pack` is skipped by git, which stats it first). A clone may have thousands of loose refs, so the walk's verdict is
// kept per clone, for as long as none of the folders it listed (nor a link it followed) changes.

import { lstatSync, opendirSync, readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join } from 'node:path';
import { fileStamp } from '../regularFile';
import { oneLine } from '../report/formats';
import { kindOf, kindOfOpened } from './gitIncludes';

/** A file's metadata, no link followed; undefined where there is none. */
export function lstatOf(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/** A file's metadata, through a link to what it leads to; undefined where there is none. */
export function statOf(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/**
 * A folder this size or smaller is listed whole (`readdirSync`): some 2,000 entries on ext4, 3,000 on tmpfs. A larger
 * one is read an entry at a time (`opendirSync`) and no further than asked: a workspace may hold a million entries
 * there. Not streamed when small because the CLI checks a clone with V8 flags under which a built-in module Node loads
 * lazily, as opendir's is, is compiled from source on every run (see cli.ts and the cli-startup test). A file system
 * that gives a folder no size (0) is listed whole, as before the cap.
 */
const WHOLE_LISTING_BYTES = 64 * 1024;

/**
 * The entries of the folder `dir` (a link to one followed), at most `max`; `more` when it has others, which are not
 * read. Undefined when it is no folder or cannot be read.
 */
export function listDir(dir: string, max: number): { entries: Dirent[]; more: boolean } | undefined {
  try {
    const st = statSync(dir);
    if (!st.isDirectory()) return undefined;
    if (st.size <= WHOLE_LISTING_BYTES) {
      const all = readdirSync(dir, { withFileTypes: true });
      return { entries: all.slice(0, max), more: all.length > max };
    }
    const d = opendirSync(dir);
    try {
      const entries: Dirent[] = [];
      for (let e = d.readSync(); e; e = d.readSync()) {
        if (entries.length === max) return { entries, more: true };
        entries.push(e);
      }
      return { entries, more: false };
    } finally {
      d.closeSync();
    }
  } catch {
    // Gone or unreadable meanwhile: git finds nothing there either.
    return undefined;
  }
}

/**
 * Entries of the refs folders listed per walk: a clone keeps its refs packed (`git clone`, `git gc`), and even
 * kubernetes/kubernetes with every tag and remote branch loose has a few thousand. A clone with more is refused rather
 * than half-checked: `git pack-refs --all` there packs them into packed-refs, checked as one file.
 */
const MAX_LOOSE_REFS = 20_000;
/**
 * Files of `objects/pack` (or of `objects/info/commit-graphs`) listed per walk: `git gc` keeps at most 50 packs
 * (gc.autoPackLimit), each with its `.idx` and a few more files; a clone with more is refused, as for loose refs.
 */
const MAX_PACK_FILES = 10_000;

/** Why git must not run, and the file that is why, when one is (its repair is watched: see gitSource's headState). */
export interface WalkRefusal {
  file?: string;
  why: string;
}

/** What a walk listed, for its verdict to be kept: each folder (and each link it followed) as `fileStamp` saw it. */
interface Walked {
  seen: Map<string, string>;
  /** A folder or link changed within RACY_MS of the walk: a change in the same clock tick would go unseen. */
  racy: boolean;
  start: number;
}

/**
 * File systems keep times to the nanosecond (ext4, tmpfs, btrfs, xfs) or to 1 or 2 s (FAT, some network ones): a
 * folder whose metadata changed so recently may change again without its stamp changing, so its walk is not kept.
 */
const RACY_MS = 2_500;

/**
 * `fileStamp` of `p` and, through a link, of what it leads to (stat'ed, never opened), and when either last changed.
 */
function stampNow(p: string): { stamp: string; changed: number } {
  const own = lstatOf(p);
  let to: Stats | undefined;
  try {
    to = own?.isSymbolicLink() ? statSync(p) : undefined;
  } catch {
    to = undefined;
  }
  const changed = Math.max(...[own, to].map((st) => (st ? Math.max(st.mtimeMs, st.ctimeMs) : 0)));
  return { stamp: `${fileStamp(own)}>${fileStamp(to)}`, changed };
}

/** Notes `p` in the walk `w`, as `stampNow` finds it. */
function note(w: Walked, p: string): void {
  const { stamp, changed } = stampNow(p);
  if (changed > w.start - RACY_MS) w.racy = true;
  w.seen.set(p, stamp);
}

/**
 * Why git must not run on the loose refs of the clone (a FIFO, a device, …, or a link to a directory), or undefined.
 * As git does (files-backend.c), names starting with `.` or ending with `.lock` are skipped, links are followed by
 * stat only, never opened; a link to a directory is refused, not walked: git would read refs from wherever it leads.
 * The worktree's own refs (`refs/bisect/…`) are in its git directory, the others in the common one.
 */
function unsafeLooseRef(w: Walked, gitDir: string, commonDir: string): WalkRefusal | undefined {
  const queue = [...new Set([commonDir, gitDir])].map((d) => join(d, 'refs'));
  let listed = 0;
  for (let k = 0; k < queue.length; k++) {
    const dir = queue[k]!;
    note(w, dir);
    const list = listDir(dir, MAX_LOOSE_REFS - listed);
    if (!list) continue;
    listed += list.entries.length;
    if (list.more) {
      return {
        why: `it has more than ${MAX_LOOSE_REFS} loose refs, more than are checked for files git would wait on (its refs folders were not listed past the first ${MAX_LOOSE_REFS} entries, nor the rest checked); \`git pack-refs --all\` there packs them`,
      };
    }
    for (const { name } of list.entries) {
      if (name.startsWith('.') || name.endsWith('.lock')) continue;
      const file = join(dir, name);
      const st = lstatOf(file);
      let target: Stats | undefined = st;
      if (st?.isSymbolicLink()) {
        note(w, file);
        try {
          target = statSync(file);
        } catch {
          continue;
        }
        if (target.isDirectory()) return { file, why: `its refs directory ${oneLine(file)} is a link, which git would read refs through` };
      }
      if (!target) continue;
      if (target.isDirectory()) queue.push(file);
      else {
        const kind = kindOf(target);
        if (kind) return { file, why: `its ref ${oneLine(file)} is ${kind}, which git would wait on or fail to read` };
        // Git reads a loose ref whole, where it writes one line.
        if (target.size > 4096) return { file, why: `its ref ${oneLine(file)} is a file of ${target.size} bytes, where git writes one line` };
      }
    }
  }
  return undefined;
}

/**
 * Why git must not run on a file of the packs' folder or of the split commit-graph's (one that is a FIFO, a socket or
 * a device, itself or through a link), or undefined. Git opens every `.idx` (and the multi-pack index, the `.rev` and
 * `.bitmap` files of newer versions) and every graph of the chain; nothing else belongs there, so any such file is
 * refused. Folders are skipped, as git skips them.
 */
function unsafeObjectFile(w: Walked, commonDir: string): WalkRefusal | undefined {
  for (const [dir, what] of [[join(commonDir, 'objects', 'pack'), 'pack'], [join(commonDir, 'objects', 'info', 'commit-graphs'), 'commit-graph']] as const) {
    note(w, dir);
    const list = listDir(dir, MAX_PACK_FILES);
    if (!list) continue;
    if (list.more) {
      return {
        why: `its ${what} folder ${oneLine(dir)} has more than ${MAX_PACK_FILES} files, more than are checked for files git would wait on (it was not listed past them, nor the rest checked); \`git gc\` there packs them into one`,
      };
    }
    for (const { name } of list.entries) {
      const file = join(dir, name);
      const st = statOf(file);
      if (!st) continue;
      if (lstatOf(file)?.isSymbolicLink()) note(w, file);
      const kind = kindOfOpened(st);
      if (kind) return { file, why: `its ${what} file ${oneLine(file)} is ${kind}, which git would wait on or fail to read` };
    }
  }
  return undefined;
}

/** Per clone (by its git directories): the last walk's verdict and what it listed. Bounded as gitSource's caches. */
const walks = new Map<string, { seen: Map<string, string>; verdict: WalkRefusal | undefined }>();

/**
 * Why git must not run on the loose refs (see `unsafeLooseRef`) or the pack and commit-graph files (see
 * `unsafeObjectFile`) of the clone, or undefined. Walked again only when a folder the last walk listed (its metadata:
 * an entry made, removed or renamed, its times) or a link it followed (what it leads to) changed, or the refused file
 * did; else the last verdict stands. Not seen without a walk: a regular ref file that grows past 4 KiB in place (git
 * never writes one so: it renames a new file into place), until its folder changes.
 */
export function unsafeListedFile(gitDir: string, commonDir: string): WalkRefusal | undefined {
  const key = `${gitDir}\0${commonDir}`;
  const last = walks.get(key);
  if (last && [...last.seen].every(([p, s]) => stampNow(p).stamp === s)) return last.verdict;
  const w: Walked = { seen: new Map(), racy: false, start: Date.now() };
  const verdict = unsafeLooseRef(w, gitDir, commonDir) ?? unsafeObjectFile(w, commonDir);
  if (verdict?.file) note(w, verdict.file);
  if (walks.size >= 4096) walks.clear();
  if (w.racy) walks.delete(key);
  else walks.set(key, { seen: w.seen, verdict });
  return verdict;
}
