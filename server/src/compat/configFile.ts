// `.cri-compat.json`: severity overrides shared by the CLI and the editor, e.g.
// { "severity": { "DOCS": "information", "FIELD_PRESENCE_CHANGED": "error" } }

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { validateSeverityOverrides, type SeveritySetting } from './check';

export const CONFIG_FILE = '.cri-compat.json';
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Reads a config file; throws an Error naming the file for anything unreadable or malformed. */
export function readConfigFile(path: string): Record<string, SeveritySetting> {
  let parsed: unknown;
  try {
    if (statSync(path).size > MAX_CONFIG_BYTES) throw new Error(`larger than ${MAX_CONFIG_BYTES} bytes`);
    // Editors on Windows may save JSON with a byte order mark, which JSON.parse refuses.
    parsed = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new Error(`${path}: ${e instanceof Error ? e.message : String(e)}`);
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
  const path = explicit ? resolve(cwd, explicit) : [join(dirname(file), CONFIG_FILE), join(cwd, CONFIG_FILE)].find((p) => existsSync(p));
  return path ? readConfigFile(path) : {};
}
