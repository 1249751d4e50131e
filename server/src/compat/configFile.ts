// `.cri-compat.json`: severity overrides shared by the CLI and the editor, e.g.
// { "severity": { "DOCS": "information", "FIELD_PRESENCE_CHANGED": "error" } }

import { lstatSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { ParseError } from 'jsonc-parser/lib/esm/main.js';
// Loaded only for a broken file: every CLI check would otherwise initialize it. The ESM build: the UMD one
// that `main` names requires its parts at run time, which a bundle cannot follow.
const jsonc = (): typeof import('jsonc-parser/lib/esm/main.js') => require('jsonc-parser/lib/esm/main.js');
import { capped, quoteKey, validateSeverityOverrides, type SeveritySetting } from './check';
import { readRegularFileSync, tooLargeText } from '../regularFile';
import { plural } from '../plural';
import { decodeUtf8, notUtf8Text } from '../utf8Text';

export const CONFIG_FILE = '.cri-compat.json';
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads a config file; throws an Error naming the file (as `name`, by default its path) for anything unreadable or
 * malformed. A file found in a checkout (not named by the user) may be hostile: it is not followed when it is a symbolic link
 * (`followSymlinks: false`), and whatever it is, only a regular file is read, at most MAX_CONFIG_BYTES of it
 * (a FIFO would block, /dev/zero never ends, /proc files report size 0), and no error repeats its content.
 */
export function readConfigFile(path: string, options: { followSymlinks?: boolean; name?: string } = {}): Record<string, SeveritySetting> {
  let parsed: unknown;
  const name = options.name ?? path;
  const text = readBounded(path, name, options.followSymlinks ?? true);
  try {
    // Editors on Windows may save JSON with a byte order mark, which JSON.parse refuses.
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    // V8's message quotes the text, which may be anything; jsonc-parser (VS Code's own) says where instead.
    throw new Error(`${name}: not valid JSON${jsonErrorAt(text)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${name}: must be a JSON object, e.g. { "severity": { "DOCS": "information" } }`);
  // A misspelt key ("sevrity") would otherwise drop the whole configuration without a word.
  const unknown = Object.keys(parsed).filter((k) => k !== 'severity');
  if (unknown.length) throw new Error(`${name}: unknown ${plural(unknown.length, 'key')} ${capped(unknown.map(quoteKey)).join(', ')}; the only key is "severity"`);
  const sev = (parsed as { severity?: unknown }).severity;
  if (sev === undefined) return {};
  if (typeof sev !== 'object' || sev === null || Array.isArray(sev)) throw new Error(`${name}: "severity" must be an object of RULE_OR_CATEGORY: level`);
  const problems = validateSeverityOverrides(sev as Record<string, unknown>);
  if (problems.length) throw new Error(`${name}: ${problems.join('; ')}`);
  return sev as Record<string, SeveritySetting>;
}

/**
 * CLI: an explicit config must exist; otherwise the first `.cri-compat.json` beside the file or in cwd is used.
 * Messages name the file as the CLI's others do: `--config` as given, a file found relative to the cwd.
 */
export function loadConfigFile(explicit: string | undefined, file: string, cwd: string): Record<string, SeveritySetting> {
  if (explicit) return readConfigFile(resolve(cwd, explicit), { name: `--config ${explicit}` });
  // lstat, as the server does: a link beside the file, even to nothing, is refused rather than passed over.
  const found = [join(dirname(file), CONFIG_FILE), join(cwd, CONFIG_FILE)].find((p) => lstatSync(p, { throwIfNoEntry: false }));
  return found ? readConfigFile(found, { followSymlinks: false, name: relative(cwd, found) || found }) : {};
}

function readBounded(path: string, name: string, followSymlinks: boolean): string {
  const r = readRegularFileSync(path, { max: MAX_CONFIG_BYTES, followSymlinks });
  if (r.ok) {
    // Refused as a .proto file is: replacement characters would read other keys than the file holds, unsaid.
    const d = decodeUtf8(r.bytes, 'config');
    if ('text' in d) return d.text;
    throw new Error(notUtf8Text(name, d.error));
  }
  switch (r.why) {
    case 'symlink': throw new Error(`${name}: is a symbolic link, which is not followed`);
    case 'not-regular': throw new Error(`${name}: not a regular file`);
    case 'too-large': throw new Error(`${name}: ${tooLargeText(r.size, MAX_CONFIG_BYTES)}`);
    default: throw new Error(`${name}: cannot read (${r.code})`);
  }
}

/** " (line L, column C: what is wrong)" for the first error in strict JSON, or "" when none is found. */
function jsonErrorAt(text: string): string {
  const errors: ParseError[] = [];
  const { parse, printParseErrorCode } = jsonc();
  try {
    parse(text.replace(/^\uFEFF/, ''), errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    // jsonc-parser recurses once per nesting level, and the file may nest deeper than the stack: the errors before.
  }
  const e = errors[0];
  if (!e) return '';
  const before = text.replace(/^\uFEFF/, '').slice(0, e.offset).split(/\r\n|\r|\n/);
  return ` (line ${before.length}, column ${before[before.length - 1]!.length + 1}: ${printParseErrorCode(e.error)})`;
}
