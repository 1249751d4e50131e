// The .proto files of the workspace folders, found and parsed on demand for workspace symbols. The walk is
// capped (files, directory entries, depth, file size), skips dot-directories and node_modules, does not
// follow symlinks, yields to the event loop as it goes, and keeps parsed trees by modification time.

import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProtoFile } from '../proto/ast';
import { parse } from '../proto/parser';
import { DEFAULT_MAX_IMPORT_SIZE } from './importResolver';

export interface WorkspaceFilesOptions {
  maxFiles?: number;
  maxEntries?: number;
  maxDepth?: number;
  maxFileSize?: number;
  /** How long a directory listing is trusted without a file event (ms). */
  listTtlMs?: number;
}

const SKIP_DIRS = new Set(['node_modules', 'bazel-out', 'bazel-bin', 'bazel-testlogs']);

export class WorkspaceProtoFiles {
  private folders: string[] = [];
  private list?: { at: number; files: string[] };
  private readonly parsed = new Map<string, { mtimeMs: number; size: number; ast: ProtoFile }>();
  private readonly opts: Required<WorkspaceFilesOptions>;

  constructor(options: WorkspaceFilesOptions = {}) {
    this.opts = {
      maxFiles: options.maxFiles ?? 2000,
      maxEntries: options.maxEntries ?? 50_000,
      maxDepth: options.maxDepth ?? 16,
      maxFileSize: options.maxFileSize ?? DEFAULT_MAX_IMPORT_SIZE,
      listTtlMs: options.listTtlMs ?? 30_000,
    };
  }

  setFolders(folders: string[]): void {
    this.folders = [...new Set(folders)];
    this.invalidate();
  }

  /** Forget the listing (a .proto file was created or deleted) and, for a path, its parsed tree. */
  invalidate(fsPath?: string): void {
    this.list = undefined;
    if (fsPath) this.parsed.delete(fsPath);
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

  /** The parsed tree of a workspace file, or undefined when unreadable or too large. */
  async parse(fsPath: string): Promise<{ uri: string; ast: ProtoFile } | undefined> {
    let st: Stats;
    try {
      st = await fs.stat(fsPath);
    } catch {
      this.parsed.delete(fsPath);
      return undefined;
    }
    if (!st.isFile() || st.size > this.opts.maxFileSize) return undefined;
    const uri = pathToFileURL(fsPath).href;
    const hit = this.parsed.get(fsPath);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return { uri, ast: hit.ast };
    let text: string;
    try {
      text = await fs.readFile(fsPath, 'utf8');
    } catch {
      return undefined;
    }
    const ast = parse(text);
    if (this.parsed.size >= this.opts.maxFiles) this.parsed.delete(this.parsed.keys().next().value!);
    this.parsed.set(fsPath, { mtimeMs: st.mtimeMs, size: st.size, ast });
    return { uri, ast };
  }
}
