// The .proto files of the workspace folders, indexed on demand for workspace symbols. The walk is capped
// (files, directory entries, depth), skips dot-directories and node_modules, does not follow symlinks, and
// yields to the event loop as it goes. Indexing is capped too: files above a per-file size are skipped, and
// one pass reads at most a total size (later files in walk order are not indexed, and the pass says so in a
// note). What is kept is each file's symbol list, compactly (FileSymbols), by modification time and size —
// never its syntax tree: trees are 30 times the size of the text, and keeping them for every file of a
// large workspace ran the server out of memory. Workspace symbols are the only reader of this index.

import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProtoFile } from '../proto/ast';
import { parse } from '../proto/parser';
import { mib } from '../proto/binder';
import { allElements } from '../features/positions';
import { getWorkspaceSymbols, matchScore, type WorkspaceSymbolOptions } from '../features/symbols';
import { SymbolTag, type SymbolInformation, type SymbolKind } from '../features/types';
import { fsPathOf } from './importResolver';
import { readRegularFile } from '../regularFile';

/** Files larger than this are not indexed (a CRI api.proto is about 0.2 MiB). */
export const DEFAULT_MAX_INDEX_FILE_SIZE = 1024 * 1024;
/** One indexing pass reads at most this much in total. */
export const DEFAULT_MAX_INDEX_TOTAL_SIZE = 16 * 1024 * 1024;

export interface WorkspaceFilesOptions {
  maxFiles?: number;
  maxEntries?: number;
  maxDepth?: number;
  /** Files larger than this are not indexed (default 1 MiB). */
  maxFileSize?: number;
  /** One indexing pass reads at most this many bytes in total (default 16 MiB); later files are not indexed. */
  maxTotalSize?: number;
  /** How long a directory listing is trusted without a file event (ms). */
  listTtlMs?: number;
}

const SKIP_DIRS = new Set(['node_modules', 'bazel-out', 'bazel-bin', 'bazel-testlogs']);

/**
 * The workspace symbols of one file, as getWorkspaceSymbols finds them in its syntax tree, kept in a few
 * arrays: a name, kind, name range, container and flags per symbol (about twice the size of the file's text,
 * where SymbolInformation objects are 30 times). `symbol(i)` builds the LSP shape for a result.
 */
export class FileSymbols {
  private constructor(
    readonly uri: string,
    private readonly names: string[],
    private readonly kinds: Uint8Array,
    /** Start line, start character, end line, end character of each name. */
    private readonly ranges: Uint32Array,
    private readonly containers: string[],
    /** Index into `containers`, -1 for none. */
    private readonly containerOf: Int32Array,
    private readonly deprecated: Uint8Array,
    /** Element paths that are not `container.name` (e.g. fields of an extend block, messages of a group). */
    private readonly paths: Map<number, string>,
  ) {}

  /** The symbols of a syntax tree. */
  static fromTree(uri: string, ast: ProtoFile): FileSymbols {
    // getWorkspaceSymbols decides names, kinds, ranges, containers and tags: an empty query matches every
    // symbol, in document order. allElements, filtered as it filters, gives the paths for dotted queries.
    const infos = getWorkspaceSymbols([{ uri, ast }], '', { limit: Number.MAX_SAFE_INTEGER });
    const elementPaths: string[] = [];
    for (const e of allElements(ast)) if (e.name && e.kind !== 'extend') elementPaths.push(e.path);
    const aligned = elementPaths.length === infos.length;
    const n = infos.length;
    // Own copies of the strings: a slice of the text would keep all of the text alive.
    const interned = new Map<string, string>();
    const own = (s: string): string => {
      let c = interned.get(s);
      if (c === undefined) interned.set(s, (c = copyString(s)));
      return c;
    };
    const names: string[] = new Array(n);
    const kinds = new Uint8Array(n);
    const ranges = new Uint32Array(4 * n);
    const containers: string[] = [];
    const containerIndex = new Map<string, number>();
    const containerOf = new Int32Array(n);
    const deprecated = new Uint8Array(n);
    const paths = new Map<number, string>();
    for (let i = 0; i < n; i++) {
      const s = infos[i]!;
      names[i] = own(s.name);
      kinds[i] = s.kind;
      const r = s.location.range;
      ranges.set([r.start.line, r.start.character, r.end.line, r.end.character], 4 * i);
      let c = -1;
      if (s.containerName !== undefined) {
        c = containerIndex.get(s.containerName) ?? -1;
        if (c < 0) {
          c = containers.push(own(s.containerName)) - 1;
          containerIndex.set(s.containerName, c);
        }
      }
      containerOf[i] = c;
      if (s.tags?.includes(SymbolTag.Deprecated)) deprecated[i] = 1;
      const p = aligned ? elementPaths[i]! : undefined;
      if (p !== undefined && p !== joinPath(s.containerName, s.name)) paths.set(i, own(p));
    }
    return new FileSymbols(uri, names, kinds, ranges, containers, containerOf, deprecated, paths);
  }

  get length(): number {
    return this.names.length;
  }

  name(i: number): string {
    return this.names[i]!;
  }

  /** The element path (`pkg.Message.field`), which a query with a dot is matched against. */
  path(i: number): string {
    return this.paths.get(i) ?? joinPath(this.containerName(i), this.names[i]!);
  }

  containerName(i: number): string | undefined {
    const c = this.containerOf[i]!;
    return c < 0 ? undefined : this.containers[c];
  }

  symbol(i: number): SymbolInformation {
    const r = this.ranges;
    const s: SymbolInformation = {
      name: this.names[i]!,
      kind: this.kinds[i] as SymbolKind,
      location: { uri: this.uri, range: { start: { line: r[4 * i]!, character: r[4 * i + 1]! }, end: { line: r[4 * i + 2]!, character: r[4 * i + 3]! } } },
    };
    const container = this.containerName(i);
    if (container !== undefined) s.containerName = container;
    if (this.deprecated[i]) s.tags = [SymbolTag.Deprecated];
    return s;
  }
}

/**
 * Symbols matching a query over indexed files, found and ranked exactly as getWorkspaceSymbols finds and ranks
 * them in syntax trees: the query's characters in order in the name, ignoring case (in the path for a query
 * with a dot); exact, then prefix, then substring, then the rest, ties in file and document order.
 */
export function searchSymbols(files: Iterable<FileSymbols>, query: string, options: WorkspaceSymbolOptions = {}): SymbolInformation[] {
  const limit = Math.max(0, options.limit ?? 500);
  if (limit === 0) return [];
  const q = (typeof query === 'string' ? query : '').trim().toLowerCase();
  const byPath = q.includes('.');
  // Per score, the first `limit` matches in order: no later one can rank above them.
  const buckets: { file: FileSymbols; i: number }[][] = [[], [], [], []];
  search: for (const file of files) {
    if (options.isCancelled?.()) break;
    for (let i = 0; i < file.length; i++) {
      const score = matchScore((byPath ? file.path(i) : file.name(i)).toLowerCase(), q);
      if (score < 0 || buckets[score]!.length >= limit) continue;
      buckets[score]!.push({ file, i });
      if (score === 0 && buckets[0]!.length >= limit) break search;
    }
  }
  return buckets.flat().slice(0, limit).map(({ file, i }) => file.symbol(i));
}

function joinPath(scope: string | undefined, name: string): string {
  return scope ? `${scope}.${name}` : name;
}

/** A flat copy of a string that shares no memory with the string it came from. */
function copyString(s: string): string {
  // Short strings are copied by slice() anyway; longer ones would be views into the file's text.
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** One file of an indexing pass. */
interface IndexEntry {
  mtimeMs: number;
  size: number;
  symbols: FileSymbols;
}

/** What one indexing pass found. */
export interface WorkspaceIndex {
  /** The indexed files, in walk order, with their paths. */
  files: { fsPath: string; symbols: FileSymbols }[];
  /** .proto files listed (at most maxFiles). */
  listed: number;
  /** Bytes of the indexed files. */
  bytes: number;
  /** Files skipped for their size. */
  tooLarge: number;
  /** Listed files not indexed because the pass had read its total. */
  overBudget: number;
  /** What was left out and why, for the log; undefined when everything listed was indexed. */
  note?: string;
}

export class WorkspaceProtoFiles {
  private folders: string[] = [];
  private list?: { at: number; files: string[] };
  /** The files of the last pass: never more than one pass's total. */
  private indexed = new Map<string, IndexEntry>();
  private pass?: Promise<WorkspaceIndex>;
  private readonly opts: Required<WorkspaceFilesOptions>;

  constructor(options: WorkspaceFilesOptions = {}) {
    this.opts = {
      maxFiles: options.maxFiles ?? 2000,
      maxEntries: options.maxEntries ?? 50_000,
      maxDepth: options.maxDepth ?? 16,
      maxFileSize: options.maxFileSize ?? DEFAULT_MAX_INDEX_FILE_SIZE,
      maxTotalSize: options.maxTotalSize ?? DEFAULT_MAX_INDEX_TOTAL_SIZE,
      listTtlMs: options.listTtlMs ?? 30_000,
    };
  }

  setFolders(folders: string[]): void {
    this.folders = [...new Set(folders)];
    this.invalidate();
    this.indexed = new Map();
  }

  /**
   * Forget the listing (a .proto file was created or deleted) and, for a path, its symbols: those of every
   * file below it when it is a folder (deleting or moving a folder is one event, not one per file). A path
   * `deleted` that is no .proto file and held none of them changes nothing.
   */
  invalidate(fsPath?: string, deleted = false): void {
    if (!fsPath) {
      this.list = undefined;
      return;
    }
    const dir = fsPath.endsWith(path.sep) ? fsPath : fsPath + path.sep;
    const below = (p: string): boolean => p === fsPath || p.startsWith(dir);
    // The server hears of every deletion, for the folders (server.ts): most are of other files (`.git/index.lock`).
    if (deleted && !fsPath.endsWith('.proto') && !this.list?.files.some(below) && ![...this.indexed.keys()].some(below)) return;
    this.list = undefined;
    for (const p of this.indexed.keys()) if (below(p)) this.indexed.delete(p);
  }

  /** Paths of the .proto files under the folders, at most `maxFiles`. */
  async files(isCancelled: () => boolean = () => false): Promise<string[]> {
    if (this.list && Date.now() - this.list.at < this.opts.listTtlMs) return this.list.files;
    const files: string[] = [];
    let entries = 0;
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (depth > this.opts.maxDepth || files.length >= this.opts.maxFiles || entries >= this.opts.maxEntries || isCancelled()) return;
      let dirents;
      try {
        dirents = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const d of dirents) {
        if (++entries > this.opts.maxEntries || files.length >= this.opts.maxFiles) return;
        if (d.isFile() && d.name.endsWith('.proto')) files.push(path.join(dir, d.name));
      }
      for (const d of dirents) {
        if (d.isDirectory() && !d.name.startsWith('.') && !SKIP_DIRS.has(d.name)) await walk(path.join(dir, d.name), depth + 1);
      }
    };
    for (const f of this.folders) await walk(f, 0);
    if (!isCancelled()) this.list = { at: Date.now(), files };
    return files;
  }

  /**
   * Indexes the workspace files: unchanged files keep their symbols, changed ones are read and parsed again,
   * within the per-file size and the pass's total. Concurrent callers share one pass, which always runs to
   * its end (it is bounded), so that a cancelled request does not waste what it read.
   */
  index(): Promise<WorkspaceIndex> {
    return (this.pass ??= this.runPass().finally(() => (this.pass = undefined)));
  }

  private async runPass(): Promise<WorkspaceIndex> {
    const paths = await this.files();
    const next = new Map<string, IndexEntry>();
    const files: WorkspaceIndex['files'] = [];
    let bytes = 0;
    let tooLarge = 0;
    let overBudget = 0;
    for (let k = 0; k < paths.length; k++) {
      const p = paths[k]!;
      let st: Stats;
      try {
        st = await fs.lstat(p); // a file replaced by a symlink since the walk is not followed
      } catch {
        continue;
      }
      if (!st.isFile()) continue;
      if (st.size > this.opts.maxFileSize) {
        tooLarge++;
        continue;
      }
      if (bytes + st.size > this.opts.maxTotalSize) {
        overBudget = paths.length - k;
        break;
      }
      let entry = this.indexed.get(p);
      if (!entry || entry.mtimeMs !== st.mtimeMs || entry.size !== st.size) {
        const text = await readCapped(p, this.opts.maxFileSize);
        if (text === undefined) continue;
        entry = { mtimeMs: st.mtimeMs, size: st.size, symbols: FileSymbols.fromTree(pathToFileURL(p).href, parse(text)) };
      }
      bytes += entry.size;
      next.set(p, entry);
      files.push({ fsPath: p, symbols: entry.symbols });
    }
    this.indexed = next;
    const result: WorkspaceIndex = { files, listed: paths.length, bytes, tooLarge, overBudget };
    const notes: string[] = [];
    if (overBudget) {
      notes.push(`indexing stops at ${mib(this.opts.maxTotalSize)} read per pass, so ${overBudget} of ${paths.length} .proto files (the last in walk order) are not searched`);
    }
    if (tooLarge) notes.push(`${tooLarge} .proto file${tooLarge === 1 ? ' is' : 's are'} larger than ${mib(this.opts.maxFileSize)} and not indexed`);
    if (paths.length >= this.opts.maxFiles) notes.push(`only the first ${this.opts.maxFiles} .proto files of the workspace are listed`);
    if (notes.length) result.note = `Workspace symbols: ${notes.join('; ')}.`;
    return result;
  }

  /**
   * Workspace symbols matching `query`: those of `open` (the open documents, from their current trees) and of
   * the indexed workspace files that are not open. `note` says what the index left out, for the log.
   */
  async workspaceSymbols(
    query: string, options: WorkspaceSymbolOptions & { open?: Iterable<{ uri: string; ast: ProtoFile }> } = {},
  ): Promise<{ symbols: SymbolInformation[]; note?: string }> {
    const files: FileSymbols[] = [];
    const openPaths = new Set<string>();
    for (const o of options.open ?? []) {
      const p = fsPathOf(o.uri);
      if (p) openPaths.add(p);
      files.push(symbolsOfTree(o.uri, o.ast));
    }
    const index = await this.index();
    for (const f of index.files) if (!openPaths.has(f.fsPath)) files.push(f.symbols);
    const { open: _open, ...search } = options;
    const symbols = searchSymbols(files, query, search);
    return index.note ? { symbols, note: index.note } : { symbols };
  }
}

/** The symbols of open documents' trees, kept while the tree lives (a tree is one version of a document). */
const treeSymbols = new WeakMap<ProtoFile, { uri: string; symbols: FileSymbols }>();

function symbolsOfTree(uri: string, ast: ProtoFile): FileSymbols {
  const hit = treeSymbols.get(ast);
  if (hit && hit.uri === uri) return hit.symbols;
  const symbols = FileSymbols.fromTree(uri, ast);
  treeSymbols.set(ast, { uri, symbols });
  return symbols;
}

/**
 * A regular file's text, not following a symlink, or undefined when it is larger than `max` or not a regular
 * file. The file may have been replaced since it was listed (readRegularFile: a FIFO would block the pass).
 */
export async function readCapped(file: string, max: number): Promise<string | undefined> {
  const r = await readRegularFile(file, { max, followSymlinks: false });
  return r.ok ? r.bytes.toString('utf8') : undefined;
}
