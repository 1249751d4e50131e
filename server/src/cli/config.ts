// `.cri-compat.json`: severity overrides shared by the CLI and the editor, e.g.
// { "severity": { "DOCS": "information", "FIELD_PRESENCE_CHANGED": "error" } }

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { SeveritySetting } from '../compat/check';

export const CONFIG_FILE = '.cri-compat.json';
const MAX_CONFIG_BYTES = 1024 * 1024;

/** An explicit config must exist; otherwise the first `.cri-compat.json` beside the file or in cwd is used. */
export function loadConfigFile(explicit: string | undefined, file: string, cwd: string): Record<string, SeveritySetting> {
  const path = explicit ? resolve(cwd, explicit) : [join(dirname(file), CONFIG_FILE), join(cwd, CONFIG_FILE)].find((p) => existsSync(p));
  if (!path) return {};
  let parsed: unknown;
  try {
    const raw = readFileSync(path);
    if (raw.length > MAX_CONFIG_BYTES) throw new Error(`larger than ${MAX_CONFIG_BYTES} bytes`);
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw new Error(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const sev = (parsed as { severity?: unknown } | null)?.severity;
  if (sev === undefined) return {};
  if (typeof sev !== 'object' || sev === null || Array.isArray(sev)) throw new Error(`${path}: "severity" must be an object of RULE_OR_CATEGORY: level`);
  return sev as Record<string, SeveritySetting>;
}
