// Where "CRI: Select Baseline…" writes `criCompat.baseline`, with no VS Code API (so that tests run it under
// plain node). commands.ts feeds it what `WorkspaceConfiguration.inspect()` says for the document and maps
// the levels to ConfigurationTarget.
//
// The setting has scope `resource`: a folder's `.vscode/settings.json` beats the workspace's (in a multi-root
// window, the `.code-workspace` file), which beats the user settings. The server reads the value for the
// document (workspace/configuration with its URI), so the value that counts is the most specific one set for
// the document. The command writes at the most specific level that applies to the document, so that nothing
// it does not see can override the choice. In an untrusted workspace VS Code ignores the workspace's and
// folders' values of this restricted setting, so the only level that applies, and the one written, is the user's.
//
// describeLevel's texts go through @vscode/l10n, as render.ts's do.

import * as nodePath from 'node:path';
import * as l10n from '@vscode/l10n';
import { parse } from 'jsonc-parser/lib/esm/main.js';
import { parseCriApiTag } from '../../server/src/policy/versions';
import { readRegularFile } from '../../server/src/regularFile';

/** Settings levels, least specific first. */
export type Level = 'user' | 'workspace' | 'folder';

/** `inspect('baseline')` of the document's configuration: globalValue, workspaceValue, workspaceFolderValue. */
export interface BaselineValues {
  user?: unknown;
  workspace?: unknown;
  folder?: unknown;
}

/** Where the document is. */
export interface Place {
  /** A workspace is open (a folder, or a `.code-workspace` file). */
  hasWorkspace: boolean;
  /** The workspace is a `.code-workspace` file: its settings are not any folder's settings. */
  workspaceFile: boolean;
  /** Name of the workspace folder that holds the document, if one does. */
  folderName?: string;
  /**
   * The workspace is trusted (the default). Untrusted, VS Code ignores the workspace's and folders' values of
   * `criCompat.baseline` (a restricted setting): only the user settings apply.
   */
  trusted?: boolean;
}

/** The levels whose values apply to the document, least specific first. */
export function applicableLevels(place: Place): Level[] {
  const levels: Level[] = ['user'];
  if (place.trusted === false) return levels;
  if (place.hasWorkspace) levels.push('workspace');
  // In a single-folder window the folder's settings are the workspace settings (one file).
  if (place.workspaceFile && place.folderName !== undefined) levels.push('folder');
  return levels;
}

/** Where the command writes: the most specific level that applies to the document. */
export function targetLevel(place: Place): Level {
  const levels = applicableLevels(place);
  return levels[levels.length - 1]!;
}

function asSetting(v: unknown): string | undefined {
  return typeof v === 'string' ? v.trim() : undefined;
}

/** The level that decides the document's value (undefined: the default, automatic) and that value. */
export function effectiveBaseline(values: BaselineValues, place: Place): { level?: Level; value: string } {
  for (const level of [...applicableLevels(place)].reverse()) {
    const v = asSetting(values[level]);
    if (v !== undefined) return { level, value: v };
  }
  return { value: '' };
}

/**
 * The baseline picker's title: where the choice is saved, said before it is made. In an untrusted workspace that
 * is the user settings, and a workspace or folder value, ignored until then, decides again once the workspace is
 * trusted: the title names it then, and only then.
 */
export function baselinePickTitle(values: BaselineValues, place: Place): string {
  if (place.trusted === false && place.hasWorkspace) {
    const later = effectiveBaseline(values, { ...place, trusted: true });
    return later.level && later.level !== 'user'
      ? l10n.t('CRI: Select Baseline — this workspace is not trusted: saved in your user settings, for every window; once you trust it, {0} from {1} applies instead', later.value ? JSON.stringify(later.value) : l10n.t('Automatic'), describeLevel(later.level, place))
      : l10n.t('CRI: Select Baseline — this workspace is not trusted, so VS Code ignores its settings: saved in your user settings, for every window');
  }
  return targetLevel(place) === 'user'
    ? l10n.t('CRI: Select Baseline — no folder is open: saved in your user settings, for every window')
    : l10n.t('CRI: Select Baseline — saved in {0}', describeLevel(targetLevel(place), place));
}

/**
 * `criCompat.baseline` as a settings file sets it: a folder's `.vscode/settings.json`, or the `settings` of a
 * `.code-workspace` file (`inWorkspaceFile`). In an untrusted workspace inspect() reports neither (the setting is
 * restricted), so the picker reads the files to say which value takes over once the workspace is trusted.
 */
export function baselineInSettingsFile(text: string, inWorkspaceFile: boolean): unknown {
  let json: unknown;
  try {
    json = parse(text, [], { allowTrailingComma: true });
  } catch {
    // jsonc-parser recurses once per nesting level: a file nested deeper than the stack sets nothing here.
    return undefined;
  }
  const settings: unknown = inWorkspaceFile && json && typeof json === 'object' ? (json as { settings?: unknown }).settings : json;
  return settings && typeof settings === 'object' ? (settings as Record<string, unknown>)['criCompat.baseline'] : undefined;
}

/** Settings files larger than this are not read for the picker's title. */
const MAX_SETTINGS_FILE_BYTES = 1024 * 1024;

/**
 * `baselineInSettingsFile` of the file at `path`. The workspace may be hostile: only a regular file, not through a
 * link, at most 1 MiB, never waiting on a FIFO; any other (or none) sets nothing.
 */
export async function baselineInSettingsFileAt(path: string, inWorkspaceFile: boolean): Promise<unknown> {
  const r = await readRegularFile(path, { max: MAX_SETTINGS_FILE_BYTES, followSymlinks: false });
  return r.ok ? baselineInSettingsFile(r.bytes.toString('utf8'), inWorkspaceFile) : undefined;
}

/** "your user settings", "the workspace settings", "the settings of folder "api"". */
export function describeLevel(level: Level, place: Place): string {
  switch (level) {
    case 'user':
      return l10n.t('your user settings');
    case 'workspace':
      return place.workspaceFile ? l10n.t('the workspace settings (the .code-workspace file)') : l10n.t('the workspace settings (.vscode/settings.json)');
    case 'folder':
      return l10n.t('the settings of folder "{0}" (its .vscode/settings.json)', place.folderName ?? '');
  }
}

export interface BaselineWrite {
  /** Where to write: the most specific level that applies to the document. */
  level: Level;
  /** The value to write there; undefined removes the level's value. */
  value: string | undefined;
  /** A less specific value that stays in place but no longer counts for the document (for the message). */
  shadows?: { level: Level; value: string };
}

/**
 * What to write for a pick: `''` is "Automatic". A tag or path goes to the most specific level. Automatic
 * removes that level's value, unless a less specific level holds a baseline: then it writes `""` there
 * (an explicit empty value is automatic too), so that the choice holds for this document without
 * changing other folders' or other workspaces' settings.
 */
export function planBaselineWrite(pick: string, values: BaselineValues, place: Place): BaselineWrite {
  const level = targetLevel(place);
  // What would decide without the target level's value.
  const below = effectiveBaseline({ ...values, [level]: undefined }, place);
  const shadows = below.level && below.value !== '' ? { level: below.level, value: below.value } : undefined;
  if (pick !== '') return { level, value: pick, ...(shadows ? { shadows } : {}) };
  return shadows ? { level, value: '', shadows } : { level, value: undefined };
}

/**
 * The `criCompat.baseline` value for a file picked with "From file…": relative (`./…`, with `/`) when it is
 * inside the document's workspace folder, which the server resolves relative paths against; else the
 * absolute path. Always absolute when it goes to the user settings (no folder, or an untrusted workspace): the server
 * reads a relative value against the folder of each document it checks, so in every window, any workspace's own
 * file of that name would be the baseline.
 */
export function baselinePathSetting(file: string, folder: string | undefined, place: Place, path: typeof nodePath.posix = nodePath): string {
  if (!folder || targetLevel(place) === 'user') return file;
  const rel = path.relative(folder, file);
  if (!rel || rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) return file;
  return './' + rel.split(path.sep).join('/');
}

/**
 * What a `criCompat.baseline` value names, read as the server reads it (server/src/baseline/resolve.ts): empty
 * is automatic; a cri-api tag (`v0.33.0`, or its twin `kubernetes-1.33.0`) a release, by its Go tag; a path
 * (absolute, `./`, `../`, `~`, `${workspaceFolder}` or ending in `.proto`) a file; anything else a git ref
 * such as `origin/release-1.33`, which may contain a slash too.
 */
export type BaselineKind = { kind: 'automatic' } | { kind: 'release'; tag: string } | { kind: 'file' } | { kind: 'ref' };

export function baselineKind(value: string): BaselineKind {
  const v = value.trim();
  if (v === '') return { kind: 'automatic' };
  const tag = parseCriApiTag(v)?.goTag;
  if (tag) return { kind: 'release', tag };
  const pathLike = /^([\\/]|[A-Za-z]:[\\/]|\$\{workspaceFolder\}|(\.{1,2}|~)([\\/]|$))/.test(v) || v.endsWith('.proto');
  return pathLike ? { kind: 'file' } : { kind: 'ref' };
}
