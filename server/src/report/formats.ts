// Machine and human output for the CLI: compiler-style text, a documented JSON schema, SARIF 2.1.0 and
// GitHub Actions workflow commands. All take the same findings, so CI and the editor never disagree.

import type { Severity } from '../proto/binder';
import type { Finding } from '../compat/finding';
import { RULES, RULES_BY_ID } from '../compat/rules';
import type { Baseline } from '../baseline/types';

export const JSON_SCHEMA_VERSION = 1;
const VERSION = '0.1.0';

/** A problem to print: findings plus syntax/binding problems mapped to the same shape. */
export type Reportable = Pick<Finding, 'rule' | 'severity' | 'message' | 'range'> & Partial<Pick<Finding, 'category' | 'element'>>;

export const SEVERITY_ORDER: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

/**
 * One finding, one line: messages quote the file (e.g. an import path), so a line break or a terminal control
 * in it would let the file print lines that look like findings. Breaks and controls become visible escapes.
 */
export function oneLine(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) =>
    ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function formatText(file: string, items: Reportable[]): string {
  return items
    .map((f) => oneLine(`${file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.rule} ${f.message}`))
    .join('\n');
}

export interface JsonReport {
  schemaVersion: number;
  file: string;
  baseline: { tag: string; kubernetes?: string; source: string; origin: string } | null;
  findings: {
    rule: string;
    category: string | null;
    severity: Severity;
    message: string;
    element: string | null;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    link: string | null;
  }[];
}

/** Schema: see README "JSON output". Positions are zero-based, characters in UTF-16 code units (as LSP). */
export function formatJson(file: string, baseline: Baseline | undefined, items: Reportable[]): string {
  return JSON.stringify(jsonReport(file, baseline, items), null, 2);
}

export function jsonReport(file: string, baseline: Baseline | undefined, items: Reportable[]): JsonReport {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    file,
    baseline: baseline ? { tag: baseline.tag, ...(baseline.kubernetes ? { kubernetes: baseline.kubernetes } : {}), source: baseline.source, origin: baseline.origin } : null,
    findings: items.map((f) => ({
      rule: f.rule, category: f.category ?? null, severity: f.severity, message: f.message, element: f.element ?? null,
      range: f.range, link: RULES_BY_ID.get(f.rule)?.link ?? null,
    })),
  };
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function formatSarif(file: string, items: Reportable[]): string {
  const ruleIds = [...new Set(items.map((f) => f.rule))];
  const known = RULES.filter((r) => ruleIds.includes(r.id));
  const extra = ruleIds.filter((id) => !RULES_BY_ID.has(id));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cri-compat',
          version: VERSION,
          informationUri: 'https://www.kubernetes.dev/docs/code/cri-api-version-skew-policy/',
          rules: [
            ...known.map((r) => ({
              id: r.id, name: r.id, shortDescription: { text: r.title }, fullDescription: { text: r.explanation }, helpUri: r.link,
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] }, properties: { category: r.category },
            })),
            ...extra.map((id) => ({ id, name: id, shortDescription: { text: `protobuf ${id.replace(/-/g, ' ')}` } })),
          ],
        },
      },
      results: items.map((f) => ({
        ruleId: f.rule,
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: toSarifUri(file) },
            region: {
              startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1,
              endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1,
            },
          },
        }],
      })),
      columnKind: 'utf16CodeUnits',
    }],
  };
  return JSON.stringify(sarif, null, 2);
}

function toSarifUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/** GitHub Actions workflow commands; property values and messages escaped as the runner expects. */
export function formatGithub(file: string, items: Reportable[]): string {
  const prop = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C');
  const data = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return items
    .map((f) => {
      const cmd = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
      return `::${cmd} file=${prop(file)},line=${f.range.start.line + 1},col=${f.range.start.character + 1},endLine=${f.range.end.line + 1},endColumn=${f.range.end.character + 1},title=${prop(f.rule)}::${data(f.message)}`;
    })
    .join('\n');
}
