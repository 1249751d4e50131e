// The `criCompat` section of the settings as the server reads it for each document (workspace/configuration with the
// document's uri), checked: a value of the wrong type is said, with what is used instead. Apart from server.ts, so
// that tests hold it to package.json's declarations (defaults, bounds, scopes) without starting a server.

import { validateSeverityOverrides, type SeveritySetting } from '../compat/check';

/** `criCompat.*` as the server uses it, resolved per document. */
export interface Settings {
  protoPaths: string[];
  validation: { debounceMs: number };
  /** '' = automatic. */
  baseline: string;
  includePrereleases: boolean;
  /** The valid entries of `criCompat.severity`. */
  severity: Record<string, SeveritySetting>;
  /** What is wrong with the values as set, as complete messages naming them and what is used instead (see logSettingProblems). */
  problems: string[];
  network: { enable: boolean };
}

/** `criCompat.validation.debounceMs`'s bounds, as package.json declares them: a value outside is clamped. */
export const DEBOUNCE_MS = { minimum: 0, maximum: 10_000 } as const;

export const DEFAULT_SETTINGS: Settings = {
  protoPaths: [], validation: { debounceMs: 150 }, baseline: '', includePrereleases: false, severity: {}, problems: [], network: { enable: false },
};

/** A setting's value as the user wrote it, for messages: JSON, cut short. */
function settingValue(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

export function normalizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as {
    protoPaths?: unknown; validation?: { debounceMs?: unknown }; baseline?: unknown; includePrereleases?: unknown; severity?: unknown;
    network?: { enable?: unknown };
  };
  const problems: string[] = [];
  // A value of the wrong type is said, with what is used instead: never a silent fallback.
  const given = (v: unknown): boolean => v !== undefined && v !== null;
  const bad = (name: string, want: string, v: unknown, instead: string) => problems.push(`criCompat.${name} must be ${want}, not ${settingValue(v)}; ${instead}`);
  if (given(r.protoPaths) && !(Array.isArray(r.protoPaths) && r.protoPaths.every((p) => typeof p === 'string'))) {
    bad('protoPaths', 'an array of directory paths', r.protoPaths, Array.isArray(r.protoPaths) ? 'the entries that are not strings are ignored' : 'it is ignored');
  }
  const protoPaths = Array.isArray(r.protoPaths) ? r.protoPaths.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : [];
  const ms = r.validation?.debounceMs;
  const debounceMs = typeof ms === 'number' && Number.isFinite(ms) ? Math.min(Math.max(DEBOUNCE_MS.minimum, Math.round(ms)), DEBOUNCE_MS.maximum) : DEFAULT_SETTINGS.validation.debounceMs;
  if (given(ms) && (typeof ms !== 'number' || debounceMs !== ms)) bad('validation.debounceMs', `a whole number of milliseconds from ${DEBOUNCE_MS.minimum} to ${DEBOUNCE_MS.maximum}`, ms, `${debounceMs} is used`);
  if (given(r.baseline) && typeof r.baseline !== 'string') bad('baseline', 'a string (a cri-api tag, a git ref or the path of an api.proto)', r.baseline, 'the baseline is chosen automatically');
  if (given(r.includePrereleases) && typeof r.includePrereleases !== 'boolean') bad('includePrereleases', 'true or false', r.includePrereleases, 'false is used');
  if (given(r.network?.enable) && typeof r.network?.enable !== 'boolean') bad('network.enable', 'true or false', r.network?.enable, 'false is used');
  const severity: Record<string, SeveritySetting> = {};
  if (r.severity && typeof r.severity === 'object' && !Array.isArray(r.severity)) {
    for (const [k, v] of Object.entries(r.severity as Record<string, unknown>)) {
      const found = validateSeverityOverrides({ [k]: v });
      // Each message names the entry as set, so that a new bad value for the same key is a new message.
      if (found.length) problems.push(...found.map((p) => `criCompat.severity: ${p}; the entry ${JSON.stringify(k)}: ${settingValue(v)} is ignored`));
      else severity[k] = v as SeveritySetting;
    }
  } else if (given(r.severity)) {
    problems.push(`criCompat.severity must be an object of rule id or category → "error" | "warning" | "information" | "hint" | "off", not ${settingValue(r.severity)}; it is ignored`);
  }
  return {
    protoPaths,
    validation: { debounceMs },
    baseline: typeof r.baseline === 'string' ? r.baseline.trim() : '',
    includePrereleases: r.includePrereleases === true,
    severity,
    problems,
    network: { enable: r.network?.enable === true },
  };
}
