// Finds imported .proto files on disk for the binder, confined to a set of root directories: the importing
// file's directory, the workspace folders and the configured proto paths. Nothing outside those roots is
// read: import paths with `..`, `.`, empty segments, backslashes or an absolute path are refused (protoc
// refuses them too), every candidate is checked to lie inside the root it was resolved against, and its
// real path (after symlinks) must lie inside one of the roots' real paths. Files above a size cap are not
// read. Only Node's fs/path/url are used, so the CLI shares this class with the server.

import { realpathSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ImportResolver } from '../proto/binder';

export const DEFAULT_MAX_IMPORT_SIZE = 8 * 1024 * 1024;

export interface FsImportResolverOptions {
  /** Directories to search, in order, after the importing file's own directory. Missing ones are skipped. */
  roots: string[];
  /** Files larger than this are not read (default 8 MiB). */
  maxFileSize?: number;
  /** Also search the importing file's directory (default true). */
  importerDirectory?: boolean;
  /**
   * The open editor's copy of a file, by absolute path: unsaved edits win over the disk, and the returned
   * URI (the editor's spelling) is what definitions and diagnostics point at.
   */
  overlay?: (fsPath: string) => { uri: string; text: string } | undefined;
}

export class FsImportResolver implements ImportResolver {
  private readonly roots: { dir: string; real: string }[];
  private readonly maxFileSize: number;
  /** Absolute paths of the files this resolver handed out (for re-validating dependents). */
  readonly resolved = new Set<string>();

  constructor(private readonly options: FsImportResolverOptions) {
    this.roots = uniqueRoots(options.roots);
    this.maxFileSize = options.maxFileSize ?? DEFAULT_MAX_IMPORT_SIZE;
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

  resolve(importPath: string, fromUri: string): { uri: string; text: string } | { tried: string[]; refused?: string } {
    const tried: string[] = [];
    const refused = importPathRefusal(importPath);
    if (refused) return { tried, refused };
    const dirs = this.searchPath(fromUri);
    const allowed = dirs.map((d) => d.real);
    for (const { dir } of dirs) {
      tried.push(dir);
      const candidate = path.resolve(dir, importPath);
      if (!isInside(candidate, dir)) continue;
      const open = this.options.overlay?.(candidate);
      let real: string | undefined;
      try {
        const st = statSync(candidate);
        if (!st.isFile()) continue;
        real = realpathSync(candidate);
        if (!allowed.some((root) => isInside(real!, root))) continue; // a symlink pointing out of the roots
        if (!open && st.size > this.maxFileSize) {
          tried[tried.length - 1] = `${dir} (${importPath} is larger than ${Math.round(this.maxFileSize / 1024 / 1024)} MiB)`;
          continue;
        }
      } catch {
        // Not on disk: an unsaved editor copy inside the root still counts.
        if (!open) continue;
      }
      if (open) {
        this.resolved.add(candidate);
        return { uri: open.uri, text: open.text };
      }
      try {
        const text = readFileSync(real ?? candidate, 'utf8');
        this.resolved.add(candidate);
        return { uri: pathToFileURL(candidate).href, text };
      } catch {
        continue;
      }
    }
    return { tried };
  }

  /** The URI an import would resolve to, without reading more than needed (for Go to Definition). */
  resolveUri(importPath: string, fromUri: string): string | undefined {
    const r = this.resolve(importPath, fromUri);
    return 'uri' in r ? r.uri : undefined;
  }
}

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
