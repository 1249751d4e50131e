// Machine and human output for the CLI: compiler-style text, a documented JSON schema, SARIF 2.1.0 and
// GitHub Actions workflow commands. All take the same findings, so CI and the editor never disagree.

import type { Severity } from '../proto/binder';
import type { Finding } from '../compat/finding';
import { RULES, RULES_BY_ID, ruleHelpLink } from '../compat/rules';
import type { Baseline } from '../baseline/types';
import { pathToFileURL } from 'node:url';
import { CRI_SKEW_POLICY_URL } from '../policy/links';
import { visibleControls } from '../visibleText';

// Required on first use: only SARIF output needs it, and loading it costs every other CLI run 2 to 3 ms.
const crypto = (): typeof import('node:crypto') => require('node:crypto');

export const JSON_SCHEMA_VERSION = 1;
/** Replaced by package.json's version when scripts/build.mjs bundles (esbuild `define`). */
declare const CRI_COMPAT_VERSION: string;
/** package.json's version, as `--version` and SARIF's tool.driver print it. */
export const VERSION = CRI_COMPAT_VERSION;

/** A problem to print: findings plus syntax/binding problems mapped to the same shape. */
export type Reportable = Pick<Finding, 'rule' | 'severity' | 'message' | 'range'> & Partial<Pick<Finding, 'category' | 'element'>>;

export const SEVERITY_ORDER: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

/**
 * One finding, one line: messages quote the file (e.g. an import path), so a line break or a terminal control
 * in it would let the file print lines that look like findings, and a bidirectional override or isolate would
 * show the rest of the line in another order (Trojan Source). Breaks and controls become visible escapes,
 * and so does what the GitHub Actions runner reads as a workflow command: `::` at the start of a line (a file
 * name), and a legacy `##[command]` anywhere in one (`import "##[stop-commands]x";` would stop the runner's
 * processing of workflow commands).
 */
export function oneLine(s: string): string {
  return visibleControls(s).replace(/[\n\r\t]/g, (c) => ({ '\n': '\\n', '\r': '\\r' })[c] ?? '\\t')
    .replace(/^(\s*):(?=:)/, '$1\\u003a').replace(/##\[/g, '##\\u005b');
}

/** JSON for a CI log: `[` after `##` as `\u005b`, the same string to a JSON reader, no workflow command to the runner (oneLine). */
export function jsonForLog(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/##\[/g, '##\\u005b');
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
  return jsonForLog(jsonReport(file, baseline, items));
}

export function jsonReport(file: string, baseline: Baseline | undefined, items: Reportable[]): JsonReport {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    file,
    baseline: baseline ? { tag: baseline.tag, ...(baseline.kubernetes ? { kubernetes: baseline.kubernetes } : {}), source: baseline.source, origin: baseline.origin } : null,
    findings: items.map((f) => ({
      rule: f.rule, category: f.category ?? null, severity: f.severity, message: f.message, element: f.element ?? null,
      range: f.range, link: ruleHelpLink(f.rule) ?? null,
    })),
  };
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/**
 * Where a CI system finds the checked file: `relative` (`/`-separated) to `root` (the repository's root or
 * the current directory, see cli/location.ts), or only its absolute path when it is below neither.
 */
export interface CiLocation {
  absolute: string;
  root?: string;
  relative?: string;
}

/** What the run itself has to say: the baseline, no baseline, a file that was not fully checked. */
export interface SarifInvocation {
  /** The CLI's exit status (see cli/main.ts). */
  exitCode: number;
  /** False when the file could not be fully checked (syntax errors): the CLI exits 2. */
  executionSuccessful: boolean;
  notifications: { level: 'error' | 'warning' | 'note'; text: string }[];
}

/**
 * SARIF 2.1.0, with what GitHub code scanning uses: rule metadata with help links and tags, a URI relative to
 * the repository root (%SRCROOT%), 1-based UTF-16 columns with an exclusive end, and fingerprints that follow
 * a finding's element rather than its line.
 */
export function formatSarif(location: CiLocation, all: Reportable[], invocation: SarifInvocation): string {
  return formatSarifGroups([{ location, items: all }], invocation);
}

/**
 * The findings of one file, for a run over several (`pairs`): each result carries its file's location and the
 * group's `properties` (the pair it was found in).
 */
export interface SarifGroup {
  location: CiLocation;
  items: readonly Reportable[];
  properties?: Record<string, string>;
}

/**
 * One SARIF run over the groups' files, as formatSarif writes it for one. `%SRCROOT%` is the first root found;
 * a file below another root (another repository) is named by its absolute `file:` URI.
 */
export function formatSarifGroups(groups: readonly SarifGroup[], invocation: SarifInvocation): string {
  const all = groups.flatMap((group) => group.items.map((f) => ({ f, group })));
  const items = sarifResultsWithinLimit(all, (x) => x.f.severity);
  const leftOut = all.length - items.length;
  const notifications = leftOut === 0 ? invocation.notifications : [...invocation.notifications, {
    level: 'warning' as const,
    text: `${leftOut} of ${all.length} results were left out, the least severe first: GitHub code scanning rejects a run with more than ${MAX_SARIF_RESULTS.toLocaleString('en-US')} results (the text and JSON formats list them all)`,
  }];
  const ruleIds = [...new Set(items.map(({ f }) => f.rule))];
  const rules = [
    ...RULES.filter((r) => ruleIds.includes(r.id)).map((r) => {
      const link = ruleHelpLink(r.id);
      return {
        id: r.id, name: pascalCase(r.id), shortDescription: { text: r.title }, fullDescription: { text: r.explanation }, ...(link ? { helpUri: link } : {}),
        help: { text: link ? `${r.explanation}\n\n${link}` : r.explanation },
        defaultConfiguration: { level: SARIF_LEVEL[r.severity] }, properties: { category: r.category, tags: ['cri-compat', r.category] },
      };
    }),
    ...ruleIds.filter((id) => !RULES_BY_ID.has(id)).map((id) => {
      const link = ruleHelpLink(id)!;
      const title = `protobuf: ${id.replace(/-/g, ' ')}`;
      const text = 'A problem protoc reports too: the file is not valid protobuf, or names something that is not there. What it affects was not compared with the baseline.';
      return {
        id, name: pascalCase(`protobuf-${id}`), shortDescription: { text: title }, fullDescription: { text }, helpUri: link,
        help: { text: `${text}\n\n${link}` }, properties: { tags: ['cri-compat', 'protobuf'] },
      };
    }),
  ];
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const root = groups.find((g) => g.location.root !== undefined)?.location.root;
  const artifactLocation = (location: CiLocation): { uri: string; uriBaseId?: string } => location.relative !== undefined && location.root === root
    ? { uri: location.relative.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' }
    : { uri: pathToFileURL(location.absolute).href };
  const seen = new Map<string, number>();
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cri-compat',
          version: VERSION,
          semanticVersion: VERSION,
          informationUri: CRI_SKEW_POLICY_URL,
          rules,
        },
      },
      ...(root !== undefined ? { originalUriBaseIds: { '%SRCROOT%': { uri: directoryUri(root) } } } : {}),
      invocations: [{
        exitCode: invocation.exitCode,
        executionSuccessful: invocation.executionSuccessful,
        toolExecutionNotifications: notifications.map((n) => ({ level: n.level, message: { text: n.text } })),
      }],
      results: items.map(({ f, group }) => {
        const artifact = artifactLocation(group.location);
        // The element (or, for problems without one, the message, whose directories the CLI names relative to
        // the root) and how many came before with the same: stable while lines move and in another checkout,
        // and distinct within the run.
        const key = `${artifact.uri}\0${f.rule}\0${f.element ?? f.message}`;
        const n = seen.get(key) ?? 0;
        seen.set(key, n + 1);
        return {
          ruleId: f.rule,
          ruleIndex: ruleIndex.get(f.rule)!,
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [{
            physicalLocation: {
              artifactLocation: artifact,
              region: isInsertionPoint(f.range) ? { startLine: f.range.start.line + 1 } : {
                startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1,
                endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1,
              },
            },
          }],
          partialFingerprints: { 'criCompatElement/v1': crypto().createHash('sha256').update(`${key}\0${n}`).digest('hex') },
          ...(group.properties ? { properties: { ...group.properties } } : {}),
        };
      }),
      columnKind: 'utf16CodeUnits',
    }],
  };
  return jsonForLog(sarif);
}

/**
 * GitHub code scanning rejects a whole upload with more results in a run than this (and shows the 5,000 most
 * severe of those it takes).
 */
export const MAX_SARIF_RESULTS = 25_000;

/** At most MAX_SARIF_RESULTS of `items`, the most severe, in their order. */
function sarifResultsWithinLimit<T>(items: T[], severity: (item: T) => Severity): T[] {
  if (items.length <= MAX_SARIF_RESULTS) return items;
  // sort() is stable: among equally severe results, those earlier in the file are kept.
  const kept = new Set([...items].sort((a, b) => SEVERITY_ORDER[severity(b)] - SEVERITY_ORDER[severity(a)]).slice(0, MAX_SARIF_RESULTS));
  return items.filter((f) => kept.has(f));
}

/**
 * A range of no width: where a syntax error's missing token goes (`expected ';' after '1'`). (The deletions from a
 * file with no declaration left are at its package name: compat/check.ts.) SARIF 2.1.0 reads a
 * region with endColumn == startColumn as an insertion point, which is valid but which GitHub code scanning shows
 * no code for; SARIF and the annotations name the whole line instead (a region of startLine only, which SARIF
 * reads as the whole line; no columns in a workflow command). Text and JSON keep the exact position.
 */
function isInsertionPoint(r: Reportable['range']): boolean {
  return r.start.line === r.end.line && r.start.character === r.end.character;
}

/** SARIF's `name` is for people and must differ from the opaque `id`: FIELD_NO_DELETE → FieldNoDelete. */
function pascalCase(id: string): string {
  return id.toLowerCase().replace(/(?:^|[_-])([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A directory's file: URI, ending in `/` as a base URI must. */
function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** GitHub makes annotations of the first this many workflow commands of each kind (error, warning, notice) in a step. */
const GITHUB_ANNOTATIONS_PER_KIND = 10;

/**
 * GitHub Actions workflow commands; property values and messages escaped as the runner expects. `file` is
 * where GitHub finds the file (cli/location.ts). The runner drops the columns of a range over several lines
 * (columns are for one line only), so they are left out there, and it cuts messages at 4,096 characters. It
 * annotates only the first GITHUB_ANNOTATIONS_PER_KIND commands of each kind in a step and passes over the rest
 * in silence, so a kind with more starts with a command that says how many are only in the log.
 */
export function formatGithub(groups: readonly { file: string; items: readonly Reportable[] }[]): string {
  // Line breaks as the runner unescapes them (the name comes back); any other control or bidi character as
  // oneLine shows it, since the runner would write it raw into the log.
  const prop = (s: string): string => oneLine(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C'));
  // One line, as text output: a terminal control from the file would otherwise reach the job's log.
  const data = (s: string): string => oneLine(s).replace(/%/g, '%25');
  const count = { error: 0, warning: 0, notice: 0 };
  const commands = groups.flatMap(({ file, items }) => items.map((f) => {
    const cmd = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
    count[cmd]++;
    const { start, end } = f.range;
    // Columns for a range on one line only: the runner drops those of a range over several lines, and an
    // insertion point (isInsertionPoint) is annotated as its whole line, as in SARIF.
    const one = start.line === end.line && !isInsertionPoint(f.range);
    const col = one ? `,col=${start.character + 1}` : '';
    const endColumn = one ? `,endColumn=${end.character + 1}` : '';
    return `::${cmd} file=${prop(file)},line=${start.line + 1}${col},endLine=${end.line + 1}${endColumn},title=${prop(f.rule)}::${data(f.message)}`;
  }));
  const limits = (['error', 'warning', 'notice'] as const).filter((cmd) => count[cmd] > GITHUB_ANNOTATIONS_PER_KIND).map((cmd) =>
    `::${cmd} title=cri-compat::${count[cmd]} ${cmd}s: GitHub annotates only ${GITHUB_ANNOTATIONS_PER_KIND} of a kind in a step, so ${count[cmd] - GITHUB_ANNOTATIONS_PER_KIND + 1} of them are only in the log of this step`);
  return [...limits, ...commands].join('\n');
}
