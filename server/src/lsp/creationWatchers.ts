// File watchers for where the open documents' imports were looked for and not found, in the workspace folders.
// VS Code reports a folder created or moved in as one event, for the folder alone, and only to a watcher whose glob
// matches the folder's own path (`**/*.proto` does not match `third_party`): so each such path is named with every
// folder above it up to its workspace folder, for creations only (deletions of any path are watched already). The
// globs name paths the import resolver stamped missing; nothing is read for them, and a creation only makes the
// importer resolve its imports again, under the resolver's rules (no link out of the roots is followed).

import * as path from 'node:path';
import { WatchKind, type FileSystemWatcher } from 'vscode-languageserver/node';
import { isInside } from './importResolver';

/**
 * VS Code's globs (vs/base/common/glob.ts, as of 1.100) have no escape character, but take a one-character class
 * literally: `*`, `?`, `[`, `]`, `,` and `\` are written `[*]`, `[?]`, `[[]`, `[]]` (a `]` first in a class is the
 * character), `[,]` and `[\]`; no class is split on the `,` of a `{…}` list or on a `/`.
 */
const globLiteral = (s: string): string => s.replace(/[*?[\],\\]/g, '[$&]');
/**
 * `{` and `}` cannot be written so: the glob's splitting on `/` and on the `,` of a `{…}` list counts a `{` in a class
 * as opening a list (the rest of the path would be one segment or one choice), and a `}` in a class still closes the
 * list the paths are joined in. A path with one is not watched.
 */
const UNWRITABLE = /[{}]/;

/** A path as a glob spells it: `/` between its folders, on Windows too. */
const slashed = (p: string): string => p.split(path.sep).join('/');

export interface CreationWatchers {
  watchers: FileSystemWatcher[];
  /** How many paths (a missing one or a folder above it) were left out past `max`. */
  over: number;
}

/**
 * Watchers for the creation of each of the `missing` paths inside one of the workspace `folders` (`uri` as the client
 * named it, `path` on disk), and of the folders above it: one watcher per folder, a relative pattern where the client
 * supports them, else a glob of absolute paths (which VS Code matches against them). At most `max` paths in all.
 */
export function creationWatchers(missing: Iterable<string>, folders: readonly { uri: string; path: string }[], relativePatterns: boolean, max: number): CreationWatchers {
  const perFolder = new Map<{ uri: string; path: string }, Set<string>>();
  let count = 0;
  let over = 0;
  for (const p of missing) {
    const folder = folders.find((f) => p !== f.path && isInside(p, f.path));
    if (!folder) continue;
    const parts = path.relative(folder.path, p).split(path.sep);
    if (parts.some((s) => UNWRITABLE.test(s)) || (!relativePatterns && UNWRITABLE.test(folder.path))) continue;
    let paths = perFolder.get(folder);
    if (!paths) perFolder.set(folder, (paths = new Set()));
    for (let k = 1; k <= parts.length; k++) {
      const rel = parts.slice(0, k).join('/');
      if (paths.has(rel)) continue;
      if (count === max) {
        over++;
        continue;
      }
      paths.add(rel);
      count++;
    }
  }
  const watchers: FileSystemWatcher[] = [];
  // In the folders' order, each one's paths sorted: the same paths give the same watchers, which are not registered again.
  for (const folder of folders) {
    const paths = perFolder.get(folder);
    if (!paths?.size) continue;
    const names = [...paths].sort().map((rel) => globLiteral(relativePatterns ? rel : `${slashed(folder.path).replace(/\/$/, '')}/${rel}`));
    const pattern = names.length === 1 ? names[0]! : `{${names.join(',')}}`;
    watchers.push({ globPattern: relativePatterns ? { baseUri: folder.uri, pattern } : pattern, kind: WatchKind.Create });
  }
  return { watchers, over };
}
