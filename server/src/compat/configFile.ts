// `.cri-compat.json`: severity overrides shared by the CLI and the editor, e.g.
// { "severity": { "DOCS": "information", "FIELD_PRESENCE_CHANGED": "error" } }

import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ParseError } from 'jsonc-parser/lib/esm/main.js';
// Loaded only for a broken file: every CLI check would otherwise initialize it. The ESM build: the UMD one
// that `main` names requires its parts at run time, which a bundle cannot follow.
const jsonc = (): typeof import('jsonc-parser/lib/esm/main.js') => require('jsonc-parser/lib/esm/main.js');
import { validateSeverityOverrides, type SeveritySetting } from './check';

export const CONFIG_FILE = '.cri-compat.json';
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads a config file; throws an Error naming the file for anything unreadable or malformed. A file found in a
 * checkout (not named by the user) may be hostile: it is not followed when it is a symbolic link
 * (`followSymlinks: false`), and whatever it is, only a regular file is read, at most MAX_CONFIG_BYTES of it
 * (a FIFO would block, /dev/zero never ends, /proc files report size 0), and no error repeats its content.
 */
export function readConfigFile(path: string, options: { followSymlinks?: boolean } = {}): Record<string, SeveritySetting> {
  let parsed: unknown;
  const text = readBounded(path, options.followSymlinks ?? true);
  try {
    // Editors on Windows may save JSON with a byte order mark, which JSON.parse refuses.
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    // V8's message quotes the text, which may be anything; jsonc-parser (VS Code's own) says where instead.
    throw new Error(`${path}: not valid JSON${jsonErrorAt(text)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${path}: must be a JSON object, e.g. { "severity": { "DOCS": "information" } }`);
  // A misspelt key ("sevrity") would otherwise drop the whole configuration without a word.
  const unknown = Object.keys(parsed).filter((k) => k !== 'severity');
  if (unknown.length) throw new Error(`${path}: unknown key(s) ${unknown.map((k) => `"${k}"`).join(', ')}; the only key is "severity"`);
  const sev = (parsed as { severity?: unknown }).severity;
  if (sev === undefined) return {};
  if (typeof sev !== 'object' || sev === null || Array.isArray(sev)) throw new Error(`${path}: "severity" must be an object of RULE_OR_CATEGORY: level`);
  const problems = validateSeverityOverrides(sev as Record<string, unknown>);
  if (problems.length) throw new Error(`${path}: ${problems.join('; ')}`);
  return sev as Record<string, SeveritySetting>;
}

/** CLI: an explicit config must exist; otherwise the first `.cri-compat.json` beside the file or in cwd is used. */
export function loadConfigFile(explicit: string | undefined, file: string, cwd: string): Record<string, SeveritySetting> {
  if (explicit) return readConfigFile(resolve(cwd, explicit));
  const found = [join(dirname(file), CONFIG_FILE), join(cwd, CONFIG_FILE)].find((p) => existsSync(p));
  return found ? readConfigFile(found, { followSymlinks: false }) : {};
}

function readBounded(path: string, followSymlinks: boolean): string {
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO returns at once and fstat can refuse it.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (followSymlinks ? 0 : constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${path}: ${code === 'ELOOP' ? 'is a symbolic link, which is not followed' : `cannot be read (${code ?? (e as Error).message})`}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`${path}: not a regular file`);
    if (st.size > MAX_CONFIG_BYTES) throw new Error(`${path}: larger than ${MAX_CONFIG_BYTES} bytes`);
    const buf = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let n = 0;
    for (let k; n < buf.length && (k = readSync(fd, buf, n, buf.length - n, null)) > 0;) n += k;
    if (n > MAX_CONFIG_BYTES) throw new Error(`${path}: larger than ${MAX_CONFIG_BYTES} bytes`);
    return buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}

/** " (line L, column C: what is wrong)" for the first error in strict JSON, or "" when none is found. */
function jsonErrorAt(text: string): string {
  const errors: ParseError[] = [];
  const { parse, printParseErrorCode } = jsonc();
  parse(text.replace(/^\uFEFF/, ''), errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const e = errors[0];
  if (!e) return '';
  const before = text.replace(/^\uFEFF/, '').slice(0, e.offset).split(/\r\n|\r|\n/);
  return ` (line ${before.length}, column ${before[before.length - 1]!.length + 1}: ${printParseErrorCode(e.error)})`;
}
