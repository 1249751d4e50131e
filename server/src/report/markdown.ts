// The compatibility report as markdown: baseline, findings by category, additions, and the skew matrix
// for the release being prepared. Used by the "CRI: Show Compatibility Report" command and `cri-compat report`.
// Everything that comes from the edited file is escaped: a hostile file must not inject markup.

import type { Category, Finding } from '../compat/finding';
import type { Addition } from '../compat/compare';
import type { Baseline } from '../baseline/types';
import { RULES_BY_ID } from '../compat/rules';
import { parseGoTag, SKEW } from '../policy/versions';
import { CRI_SKEW_POLICY_URL } from '../policy/links';

export interface ReportInput {
  file: string;
  /** Link target for a position, e.g. a command URI in the editor or `file#Lnn` in the CLI. */
  linkTo?: (line: number, character: number) => string;
  baseline?: Baseline;
  findings: Finding[];
  additions: Addition[];
}

const CATEGORY_TITLES: Record<Category, string> = {
  WIRE: 'Wire (protobuf binary, kubelet ↔ runtime)',
  JSON: 'JSON (crictl and other tools)',
  GO_SOURCE: 'Go source (k8s.io/cri-api users)',
  SEMANTIC: 'Semantics (meaning, value formats, call order)',
  DOCS: 'Documentation and call sequence',
  POLICY: 'Policy',
};

/** Escapes text for markdown and for any HTML renderer behind it. */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

export function renderReport(input: ReportInput): string {
  const out: string[] = [];
  const esc = escapeMarkdown;
  out.push(`# CRI compatibility report`, '');
  out.push(`File: \`${input.file.replace(/`/g, "'")}\``, '');
  if (input.baseline) {
    const b = input.baseline;
    out.push(`Baseline: **${esc(b.tag)}**${b.kubernetes ? ` (Kubernetes ${esc(b.kubernetes)})` : ''}, from ${esc(b.origin)}.`, '');
  } else {
    out.push('Baseline: none found, so only syntax and documentation checks ran. Set `criCompat.baseline` or run "CRI: Select Baseline…".', '');
  }
  const breaking = input.findings.filter((f) => RULES_BY_ID.get(f.rule)?.breaking);
  out.push(`**${breaking.length}** breaking finding(s), **${input.findings.length}** finding(s) in all, **${input.additions.length}** addition(s).`, '');

  out.push('## Findings', '');
  if (!input.findings.length) out.push('No findings.', '');
  for (const cat of Object.keys(CATEGORY_TITLES) as Category[]) {
    const fs = input.findings.filter((f) => f.category === cat);
    if (!fs.length) continue;
    out.push(`### ${CATEGORY_TITLES[cat]}`, '');
    out.push('| Line | Severity | Rule | Finding |', '|---|---|---|---|');
    for (const f of fs) {
      const line = f.range.start.line + 1;
      const where = input.linkTo ? `[${line}](${input.linkTo(f.range.start.line, f.range.start.character)})` : `${line}`;
      const rule = RULES_BY_ID.get(f.rule);
      out.push(`| ${where} | ${f.severity} | [${f.rule}](${rule?.link ?? CRI_SKEW_POLICY_URL}) | ${esc(f.message)} |`);
    }
    out.push('');
  }

  out.push('## Additions since the baseline', '');
  if (!input.additions.length) out.push('None.', '');
  else {
    out.push('| Line | Kind | Element |', '|---|---|---|');
    for (const a of input.additions) {
      const line = a.range.start.line + 1;
      const where = input.linkTo ? `[${line}](${input.linkTo(a.range.start.line, a.range.start.character)})` : `${line}`;
      out.push(`| ${where} | ${a.kind} | ${esc(a.element)} |`);
    }
    out.push('');
  }

  out.push(...skewMatrix(input.baseline, input.additions.length > 0));
  return out.join('\n');
}

/**
 * Kubelet × runtime minors around the release being prepared (the baseline's minor + 1, or the baseline's
 * own minor when it is a pre-release of it). Cells say whether the pair must work, and whether the new
 * elements are missing on one side, so that the feature has to degrade gracefully.
 */
export function skewMatrix(baseline: Baseline | undefined, hasAdditions: boolean): string[] {
  const v = baseline ? parseGoTag(baseline.tag) : undefined;
  if (!v) return [];
  const next = v.prerelease ? v.minor : v.minor + 1;
  const minors: number[] = [];
  for (let m = next - SKEW; m <= next + SKEW; m++) minors.push(m);
  const out = ['## Version skew', ''];
  out.push(`The changes would ship in Kubernetes 1.${next} (cri-api v0.${next}.0). A kubelet must work with runtimes up to ${SKEW} minor versions older or newer ([policy](${CRI_SKEW_POLICY_URL})).`, '');
  out.push('Legend: ✓ supported and both sides have the new elements; ◐ supported, the runtime lacks them, so the kubelet must degrade gracefully; ○ supported, the kubelet does not use them; — outside the skew window.', '');
  out.push(`| kubelet \\ runtime | ${minors.map((m) => `1.${m}`).join(' | ')} |`);
  out.push(`|---|${minors.map(() => '---').join('|')}|`);
  for (const k of minors) {
    const cells = minors.map((r) => {
      if (Math.abs(k - r) > SKEW) return '—';
      if (!hasAdditions) return '✓';
      if (k >= next && r < next) return '◐';
      if (k < next && r >= next) return '○';
      return '✓';
    });
    out.push(`| **1.${k}** | ${cells.join(' | ')} |`);
  }
  out.push('');
  return out;
}
