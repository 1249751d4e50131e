// Hovers that explain the version skew policy: for an element, when it came and who can meet a peer
// without it; for a finding, the rule's explanation, who breaks, and the link to the policy.

import type { Baseline, History } from '../baseline/types';
import type { Finding } from '../compat/finding';
import { getRule } from '../compat/rules';
import { parseAnyTag, whoLacks, SKEW, type LackingSkew } from '../policy/versions';
import { CRI_SKEW_POLICY_URL, CRITEST_VALIDATION_URL } from '../policy/links';
import { rpcNames, type ApiModel } from '../proto/model';
import { mentionsAny } from '../docs/fingerprint';

/** First release of each API major version: elements that old are not subject to skew. */
const MAJOR_START: Record<string, number> = { 'runtime.v1': 20 };

export function elementPolicyHover(element: string, baseline: Baseline | undefined, current: ApiModel): string | undefined {
  const history = baseline?.history;
  const pkg = current.package;
  const h = history?.element(element);
  if (h && history) {
    const lines = [`**Release history** (${h.introduced === h.lastChanged ? 'unchanged since introduced' : `last changed in ${release(history, h.lastChanged)}`})`, ''];
    lines.push(`- Introduced in ${release(history, h.introduced)}.`);
    // Elements of the oldest indexed release may be older still: no skew statement can be made about them.
    const lacks: LackingSkew | undefined = h.introduced === history.releases[0]?.tag ? undefined : whoLacks(h.introduced, MAJOR_START[pkg] ?? 0);
    if (lacks?.kubelets && lacks.runtimes) {
      lines.push(`- Kubelets 1.${lacks.kubelets.min}–1.${lacks.kubelets.max} know it and may be paired with runtimes built from cri-api v0.${lacks.runtimes.min}–v0.${lacks.runtimes.max}${lacks.runtimes.maxPatch !== undefined ? `.${lacks.runtimes.maxPatch}` : ''}, which do not: those runtimes drop it silently, so the kubelet must cope with it being unset.`);
    } else {
      lines.push(`- Every runtime inside the skew window of a supported kubelet has it (it is as old as ${pkg}, or older than ${SKEW} minor versions).`);
    }
    lines.push(...rpcSequence(element, current));
    lines.push('', `[Version skew policy](${CRI_SKEW_POLICY_URL})`);
    return lines.join('\n');
  }
  if (!baseline) return undefined;
  const v = parseAnyTag(baseline.tag);
  if (!v) return `**New since the baseline** ${baseline.tag}: it is not in any release yet.`;
  const next = v.prerelease ? v.minor : v.minor + 1;
  const lines = [
    `**New since ${baseline.tag}**: would ship in Kubernetes 1.${next} (cri-api v0.${next}.0).`, '',
    `- Runtimes built from cri-api v0.${Math.max(next - SKEW, MAJOR_START[pkg] ?? 0)}–v0.${next - 1} will not have it, and kubelets 1.${next}–1.${next + SKEW - 1} can meet them: the feature has to degrade gracefully and be discoverable, so that the kubelet fails fast where a runtime lacks it.`,
    `- Document in the proto what it does, what runtimes may expect, and when the kubelet uses it; add a critest ([cri-tools validation](${CRITEST_VALIDATION_URL})).`,
    ...rpcSequence(element, current),
    '', `[Version skew policy](${CRI_SKEW_POLICY_URL})`,
  ];
  return lines.join('\n');
}

/** For an RPC: the sentences of its documentation that state the call order. */
function rpcSequence(element: string, current: ApiModel): string[] {
  const svc = current.services.find((s) => element.startsWith(`${s.fqn}.`));
  const rpc = svc?.rpcs.find((r) => `${svc.fqn}.${r.name}` === element);
  if (!rpc || !svc) return [];
  const others = rpcNames(current).filter((n) => n !== rpc.name);
  const sentences = (rpc.doc ?? '').replace(/\s+/g, ' ').split(/(?<=[.!?])\s+/);
  const order = sentences.filter((s) => mentionsAny(s, others) || /\b(before|after|first|then|once|order)\b/i.test(s));
  return ['', order.length ? `**Call sequence** (from its documentation): ${order.join(' ')}` : '**Call sequence**: not documented. Say when the kubelet calls it relative to other RPCs.'];
}

function release(history: History, tag: string): string {
  const r = history.releases.find((x) => x.tag === tag);
  return r ? `${r.tag} (Kubernetes ${r.kubernetes})` : tag;
}

/** "v0.36.3, from the bundled release index (newest release)". */
export function describeBaseline(b: Baseline): string {
  return `${b.tag}, from ${b.origin}`;
}

/** The markdown shown when hovering a diagnostic's finding (and in the report's details). */
export function findingExplanation(f: Finding, baseline: Baseline | undefined): string {
  const rule = getRule(f.rule);
  const lines = [`**${rule.id}** · ${rule.category} · ${f.severity}`, '', rule.title + '.', '', rule.explanation];
  for (const r of f.related ?? []) lines.push('', `- ${r.message}`);
  if (baseline) lines.push('', `Compared with ${describeBaseline(baseline)}.`);
  lines.push('', `[Why this matters](${rule.link}) · suppress with \`// cri-compat:ignore ${rule.id} <reason>\``);
  return lines.join('\n');
}
