// Finds imported .proto files on disk for the binder, confined to a set of root directories: the importing
// file's directory, the workspace folders and the configured proto paths. Nothing outside those roots is
// read: import paths with `..`, `.`, empty segments, backslashes or an absolute path are refused (protoc
// refuses them too), every candidate is checked to lie inside the root it was resolved against, and its
// real path (after symlinks) must lie inside one of the roots' real paths. Files above a size cap are not
// read, and one analysis reads at most an ImportBudget of them (total size and count), each file once by its
// real path, however many symlink aliases lead to it. Parsed imports are kept by real path, modification
// time and size, so that an edit does not read and parse them again. Only Node's fs/path/url are used, so the
// CLI shares this class with the server.

import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ProtoFile } from '../proto/ast';
import { ImportBudget, MAX_IMPORT_FILES, MAX_IMPORT_TOTAL_SIZE, type FoundImport, type ImportResolver, type MissedImport } from '../proto/binder';
import { parse } from '../proto/parser';
import { fileStamp, readRegularFileSync } from '../regularFile';
import { decodeUtf8 } from '../utf8Text';

/** One file may be as large as the whole budget of an analysis: a larger one could never be read. */
export const DEFAULT_MAX_IMPORT_SIZE = MAX_IMPORT_TOTAL_SIZE;

export interface FsImportResolverOptions {
  /** Directories to search, in order, after the importing file's own directory. Missing ones are skipped. */
  roots: string[];
  /** Files larger than this are not read (default MAX_IMPORT_TOTAL_SIZE, 4 MiB). */
  maxFileSize?: number;
  /** One analysis reads at most this many bytes of imports in total (default MAX_IMPORT_TOTAL_SIZE, 4 MiB). */
  maxTotalSize?: number;
  /** One analysis reads at most this many imported files (default MAX_IMPORT_FILES, 64). */
  maxFiles?: number;
  /** Also search the importing file's directory (default true). */
  importerDirectory?: boolean;
  /**
   * The open editor's copy of a file, by absolute path: unsaved edits win over the disk, and the returned
   * URI (the editor's spelling) is what definitions and diagnostics point at.
   */
  overlay?: (fsPath: string) => { uri: string; text: string } | undefined;
  /**
   * How a directory looked in is named in an unresolved import's message (default: its absolute path, which
   * the editor's user can open). The CLI names it relative to the checked file's root, so that the message
   * in a CI log or a SARIF result is the same in every checkout.
   */
  dirName?: (dir: string, fromUri: string) => string;
}

/** Where an import path leads, before anything is read. */
interface Located {
  candidate: string;
  /** The real path (undefined for an editor copy that is not on disk). */
  real?: string;
  stats?: Stats;
  open?: { uri: string; text: string };
}

export class FsImportResolver implements ImportResolver {
  private readonly roots: { dir: string; real: string }[];
  private readonly maxFileSize: number;
  /**
   * Absolute paths of the files this resolver handed out (for re-validating dependents): the path as
   * imported and, when it differs (a symlink), the real path, which is what file events name.
   */
  readonly resolved = new Set<string>();
  /**
   * Every candidate path looked at, also those not on disk: a file created there (or opened in the editor)
   * changes the answer, a missing import found or a later root's file shadowed.
   */
  readonly lookedAt = new Set<string>();
  /**
   * What each path of `resolved` and `lookedAt`, and each root that was missing, was when looked at (fileStamp),
   * taken before it was read: the server compares them with the disk later, to notice changes that no file
   * event reports (imports from folders outside the workspace). A change between the stamp and the read only
   * makes it check again.
   */
  readonly stamps = new Map<string, string>();

  /** Roots that are not directories now: skipped, but stamped once an import is looked for, so that one created later is noticed. */
  private readonly missingRoots: string[];

  constructor(private readonly options: FsImportResolverOptions) {
    this.roots = uniqueRoots(options.roots);
    this.missingRoots = [...new Set(options.roots.filter((d) => typeof d === 'string' && path.isAbsolute(d)).map((d) => path.resolve(d)))]
      .filter((d) => !realOrUndefined(d));
    this.maxFileSize = options.maxFileSize ?? DEFAULT_MAX_IMPORT_SIZE;
  }

  /** A budget for one analysis of `rootUri`: this resolver's limits, with the root file's real path as loaded. */
  newBudget(rootUri: string): ImportBudget {
    const budget = new ImportBudget(this.options.maxTotalSize ?? MAX_IMPORT_TOTAL_SIZE, this.options.maxFiles ?? MAX_IMPORT_FILES);
    const p = fsPathOf(rootUri);
    if (p) {
      try {
        budget.add(realpathSync(p));
      } catch {
        /* not on disk (an unsaved file): its URI is enough */
      }
    }
    return budget;
  }

  /** The search directories for an import from `fromUri`, in order. */
  searchPath(fromUri: string): { dir: string; real: string }[] {
    const dirs = [...this.roots];
    if (this.options.importerDirectory !== false) {
      const from = fsPathOf(fromUri);
      if (from) {
        const dir = path.dirname(from);
        const real = realOrUndefined(dir);
        if (real) dirs.unshift({ dir, real });
      }
    }
    const seen = new Set<string>();
    return dirs.filter((d) => (seen.has(d.real) ? false : (seen.add(d.real), true)));
  }

  /**
   * The files an import path may lead to, in search order, without reading them: candidates in the search
   * path that are files inside the roots (after symlinks) and not too large, or open editor copies. `tried`
   * collects the directories looked in.
   */
  private *locate(importPath: string, fromUri: string, tried: string[]): Generator<Located> {
    const dirs = this.searchPath(fromUri);
    const allowed = dirs.map((d) => d.real);
    for (const root of this.missingRoots) this.stamp(root);
    for (const { dir } of dirs) {
      tried.push(this.options.dirName?.(dir, fromUri) ?? dir);
      const candidate = path.resolve(dir, importPath);
      if (!isInside(candidate, dir)) continue;
      this.lookedAt.add(candidate);
      this.stamp(candidate);
      const open = this.options.overlay?.(candidate);
      let at: Located | undefined;
      try {
        const stats = statSync(candidate);
        if (!stats.isFile()) continue;
        const real = realpathSync(candidate);
        // The file a link leads to, where it lies inside the roots: its edits do not touch the link.
        if (real !== candidate && !this.stamps.has(real) && allowed.some((root) => isInside(real, root))) this.stamps.set(real, fileStamp(stats));
        if (!allowed.some((root) => isInside(real, root))) continue; // a symlink pointing out of the roots
        if (!open && stats.size > this.maxFileSize) {
          tried[tried.length - 1] = `${tried[tried.length - 1]} (${importPath} is larger than ${Math.round(this.maxFileSize / 1024 / 1024)} MiB)`;
          continue;
        }
        at = { candidate, real, stats, ...(open ? { open } : {}) };
      } catch {
        // Not on disk: an unsaved editor copy inside the root still counts.
        if (open) at = { candidate, open };
      }
      if (at) yield at;
    }
  }

  /**
   * Finds and reads an import. With a budget (the binder's, one per analysis): a file the budget has loaded
   * already (by real path) is not read again, and one it refuses is not read at all; the result carries the
   * parsed tree, kept across analyses by real path, modification time and size.
   */
  resolve(importPath: string, fromUri: string, budget?: ImportBudget): FoundImport | MissedImport {
    const tried: string[] = [];
    const refused = importPathRefusal(importPath);
    if (refused) return { tried, refused };
    for (const { candidate, real, stats, open } of this.locate(importPath, fromUri, tried)) {
      const key = real ?? candidate;
      if (budget?.has(key)) {
        this.markResolved(candidate, real);
        return { uri: open?.uri ?? pathToFileURL(candidate).href, key };
      }
      if (open) {
        if (budget) {
          const why = budget.refusal(open.text.length);
          if (why) return { tried, refused: why };
        }
        this.markResolved(candidate, real);
        return budget ? { uri: open.uri, text: open.text, key, size: open.text.length } : { uri: open.uri, text: open.text };
      }
      const uri = pathToFileURL(candidate).href;
      if (budget) {
        const why = budget.refusal(stats!.size);
        if (why) return { tried, refused: why };
        const ast = parsedImports.get(real!, stats!);
        if (ast) {
          this.markResolved(candidate, real);
          return { uri, ast, key, size: stats!.size };
        }
      }
      const bytes = readCapped(real!, stats!, this.maxFileSize);
      if (bytes === undefined) continue;
      const decoded = decodeUtf8(bytes, '.proto');
      // Bytes that are not UTF-8 text are still parsed (what declarations survive are used), but protoc and buf
      // refuse the file: its first error says so, and the binder reports it at the import (see loadImports).
      const text = 'text' in decoded ? decoded.text : bytes.toString('utf8');
      this.markResolved(candidate, real);
      if (!budget) return { uri, text };
      const ast = parse(text);
      if ('error' in decoded) {
        const at = { line: decoded.error.line - 1, character: decoded.error.column - 1 };
        ast.errors.unshift({ message: decoded.error.message, range: { start: at, end: at } });
      }
      // Cached with its errors: a file fixed on disk has another stamp, so it is read and parsed again.
      parsedImports.set(real!, stats!, ast);
      return { uri, ast, key, size: stats!.size };
    }
    return { tried };
  }

  /** The URI an import would resolve to, without reading it (for Go to Definition). */
  resolveUri(importPath: string, fromUri: string): string | undefined {
    if (importPathRefusal(importPath)) return undefined;
    const at = this.locate(importPath, fromUri, []).next().value;
    if (!at) return undefined;
    this.markResolved(at.candidate, at.real);
    return at.open?.uri ?? pathToFileURL(at.candidate).href;
  }

  /** Records what is at a path now, without following a link there (its target may lie outside the roots). */
  private stamp(p: string): void {
    if (this.stamps.has(p)) return;
    let st: Stats | undefined;
    try {
      st = lstatSync(p);
    } catch {
      st = undefined;
    }
    this.stamps.set(p, fileStamp(st));
  }

  private markResolved(candidate: string, real: string | undefined): void {
    this.resolved.add(candidate);
    if (real && real !== candidate) this.resolved.add(real);
  }
}

// Defined beside the regular-file reads, which the baseline's Go files share; exported here, where the server finds it.
export { fileStamp } from '../regularFile';

/**
 * Reads a file located before, if it is still that file (same device and inode: not swapped for a symlink out
 * of the roots, or a FIFO, since) and no larger than `max`. `file` is a real path: a link there now was swapped in.
 */
function readCapped(file: string, located: Stats, max: number): Buffer | undefined {
  const r = readRegularFileSync(file, { max, followSymlinks: false, expect: located });
  return r.ok ? r.bytes : undefined;
}

/**
 * Parsed imports by real path, valid while the file is the one it was read from (fileStamp: inode, size,
 * modification and change time, so that a file replaced by one of the same size and mtime, as `cp -p` leaves
 * it, is read again once its stamp tells the change); least recently used first out, bounded by their total
 * size and count. Shared by every resolver: the server makes one per analysis.
 */
export class ParsedImportCache {
  private readonly entries = new Map<string, { stamp: string; size: number; ast: ProtoFile }>();
  private bytes = 0;

  constructor(readonly maxBytes: number, readonly maxFiles: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(real: string, st: Stats): ProtoFile | undefined {
    const e = this.entries.get(real);
    if (!e) return undefined;
    this.delete(real);
    if (e.stamp !== fileStamp(st)) return undefined;
    this.entries.set(real, e); // most recently used
    this.bytes += e.size;
    return e.ast;
  }

  set(real: string, st: Stats, ast: ProtoFile): void {
    this.delete(real);
    if (st.size > this.maxBytes) return;
    this.entries.set(real, { stamp: fileStamp(st), size: st.size, ast });
    this.bytes += st.size;
    while (this.bytes > this.maxBytes || this.entries.size > this.maxFiles) this.delete(this.entries.keys().next().value!);
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private delete(real: string): void {
    const e = this.entries.get(real);
    if (!e) return;
    this.entries.delete(real);
    this.bytes -= e.size;
  }
}

/**
 * The parsed imports of recent analyses, one analysis's budget worth (a tree takes about 30 times its text in
 * memory): documents that import the same files share them, and an edit reads only what changed.
 */
export const parsedImports = new ParsedImportCache(MAX_IMPORT_TOTAL_SIZE, MAX_IMPORT_FILES);

/** protoc's rule for virtual import paths: relative, `/`-separated, no `.`/`..`/empty segments. */
export function isSafeImportPath(p: string): boolean {
  return importPathRefusal(p) === undefined;
}

/**
 * Why an import path breaks protoc's rule (see isSafeImportPath), worded to follow "refused: "; undefined
 * when it does not break it.
 */
export function importPathRefusal(p: string): string | undefined {
  if (!p) return 'the path is empty';
  if (p.includes('\0')) return 'the path contains a NUL character';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'an absolute path points outside the importing file\'s folder and the import paths';
  if (p.includes('\\')) return 'a backslash is not a separator in import paths (protoc requires "/")';
  const segs = p.split('/');
  if (segs.includes('..')) return '".." points outside the importing file\'s folder and the import paths';
  if (segs.some((seg) => seg === '' || seg === '.')) return '"." and empty segments are not allowed in import paths (as in protoc)';
  return undefined;
}

/** True when `p` is `root` or below it (both absolute, compared after normalization). */
export function isInside(p: string, root: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(p));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** The file-system path of a `file:` URI; undefined for other schemes or malformed URIs. */
export function fsPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function realOrUndefined(p: string): string | undefined {
  try {
    return statSync(p).isDirectory() ? realpathSync(p) : undefined;
  } catch {
    return undefined;
  }
}

function uniqueRoots(dirs: string[]): { dir: string; real: string }[] {
  const out: { dir: string; real: string }[] = [];
  const seen = new Set<string>();
  for (const d of dirs) {
    if (typeof d !== 'string' || !path.isAbsolute(d)) continue;
    const real = realOrUndefined(d);
    if (!real || seen.has(real)) continue;
    seen.add(real);
    out.push({ dir: path.resolve(d), real });
  }
  return out;
}
