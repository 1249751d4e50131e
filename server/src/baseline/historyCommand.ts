// `cri-compat history [--element runtime.v1.ContainerConfig.CDI_devices]`: plain-text answers from a release
// history. Works with any `History` (bundled index or built from git tags); uses the optional extras of the
// bundled one (`package`, `elementPaths`, `newestRelease`) when present.

import type { ApiModel, EnumDef, EnumValueDef, FieldDef, MessageDef, RpcDef, ServiceDef } from '../proto/model';
import { CRI_SKEW_POLICY_URL } from '../policy/links';
import { isPatchRelease, parseAnyTag, releaseLinePredecessor, removalSkew, whoLacks } from '../policy/versions';
import type { ElementKind, History, Release } from './types';

/** First release of each major API version, where known: elements there are as old as the major version. */
const MAJOR_START: Record<string, string> = { 'runtime.v1': 'v0.20.0-beta.2' };
/** Major API versions that are gone, and the Kubernetes minor that removed them (POLICY.md). */
const MAJOR_REMOVED: Record<string, string> = { 'runtime.v1alpha2': '1.26' };

export interface HistoryQueryResult {
  ok: boolean;
  text: string;
}

/** The report for `cri-compat history`; unknown elements give a text starting with `error:`. */
export function historyReport(history: History, elementPath?: string): string {
  return historyQuery(history, elementPath).text;
}

/** Like `historyReport`, with success as a flag (for exit codes). */
export function historyQuery(history: History, elementPath?: string): HistoryQueryResult {
  if (!history.releases.length) return { ok: false, text: 'error: the release history is empty' };
  if (elementPath === undefined || elementPath.trim() === '') return { ok: true, text: summary(history) };
  return elementReport(history, elementPath.trim());
}

// ---- model lookups ---------------------------------------------------------------------------------

type Def =
  | { kind: 'message'; def: MessageDef }
  | { kind: 'field'; def: FieldDef; parent: MessageDef }
  | { kind: 'enum'; def: EnumDef }
  | { kind: 'enumValue'; def: EnumValueDef; parent: EnumDef }
  | { kind: 'service'; def: ServiceDef }
  | { kind: 'rpc'; def: RpcDef; parent: ServiceDef };

interface FlatDef {
  kind: ElementKind;
  /** Own facts, without docs and children. */
  shape: string;
  doc: string;
}

const flatCache = new WeakMap<ApiModel, Map<string, FlatDef>>();

function docKey(d: { doc?: string; docFingerprint?: { hash: string } }): string {
  return d.docFingerprint?.hash ?? (d.doc ? d.doc.replace(/\s+/g, ' ').trim().toLowerCase() : '');
}

/** Path → own facts of every element of a model (cached per model). */
function flat(model: ApiModel): Map<string, FlatDef> {
  let m = flatCache.get(model);
  if (m) return m;
  m = new Map();
  const put = (path: string, kind: ElementKind, shape: unknown[], d: Parameters<typeof docKey>[0]): void => {
    if (!m!.has(path)) m!.set(path, { kind, shape: JSON.stringify(shape), doc: docKey(d) });
  };
  for (const msg of model.messages) {
    put(msg.fqn, 'message', [msg.oneofs, msg.reservedNumbers, msg.reservedNames, !!msg.deprecated], msg);
    for (const f of msg.fields) put(`${msg.fqn}.${f.name}`, 'field', [f.number, f.type, f.label, f.oneof, f.jsonName, !!f.deprecated, f.packed], f);
  }
  for (const e of model.enums) {
    put(e.fqn, 'enum', [e.reservedNumbers, e.reservedNames, !!e.deprecated], e);
    for (const v of e.values) put(`${e.fqn}.${v.name}`, 'enumValue', [v.number, !!v.deprecated], v);
  }
  for (const s of model.services) {
    put(s.fqn, 'service', [], s);
    for (const r of s.rpcs) put(`${s.fqn}.${r.name}`, 'rpc', [r.request, r.response, r.requestStream, r.responseStream, !!r.deprecated], r);
  }
  flatCache.set(model, m);
  return m;
}

function findDef(model: ApiModel | undefined, path: string): Def | undefined {
  if (!model) return undefined;
  for (const m of model.messages) {
    if (m.fqn === path) return { kind: 'message', def: m };
    if (path.startsWith(`${m.fqn}.`)) {
      const f = m.fields.find((x) => `${m.fqn}.${x.name}` === path);
      if (f) return { kind: 'field', def: f, parent: m };
    }
  }
  for (const e of model.enums) {
    if (e.fqn === path) return { kind: 'enum', def: e };
    const v = e.values.find((x) => `${e.fqn}.${x.name}` === path);
    if (v) return { kind: 'enumValue', def: v, parent: e };
  }
  for (const s of model.services) {
    if (s.fqn === path) return { kind: 'service', def: s };
    const r = s.rpcs.find((x) => `${s.fqn}.${x.name}` === path);
    if (r) return { kind: 'rpc', def: r, parent: s };
  }
  return undefined;
}

function allPaths(history: History): string[] {
  if (history.elementPaths) return history.elementPaths();
  const out = new Set<string>();
  const rs = history.releases;
  for (const r of [rs[0], rs[rs.length - 1]]) {
    const m = r && history.modelAt(r.tag);
    if (m) for (const p of flat(m).keys()) out.add(p);
  }
  return [...out];
}

function packageOf(history: History): string {
  if (history.package) return history.package;
  const last = history.releases[history.releases.length - 1];
  return (last && history.modelAt(last.tag)?.package) ?? '';
}

// ---- formatting helpers ----------------------------------------------------------------------------

function rel(history: History, tag: string): string {
  const r = history.releases.find((x) => x.tag === tag);
  const k = r?.kubernetes || parseAnyTag(tag)?.kubernetes;
  return k ? `${tag} (Kubernetes ${k})` : tag;
}

function span(min: number, max: number, prefix: string): string {
  return min === max ? `${prefix}${min}` : `${prefix}${min}–${prefix}${max}`;
}

function describe(d: Def): string {
  switch (d.kind) {
    case 'message': return `message, ${d.def.fields.length} field${d.def.fields.length === 1 ? '' : 's'}`;
    case 'enum': return `enum, ${d.def.values.length} value${d.def.values.length === 1 ? '' : 's'}`;
    case 'service': return `service, ${d.def.rpcs.length} RPC${d.def.rpcs.length === 1 ? '' : 's'}`;
    case 'field': {
      const f = d.def;
      const label = f.label === 'implicit' || f.typeKind === 'map' ? '' : `${f.label} `;
      const oneof = f.oneof ? `, in oneof ${f.oneof}` : '';
      return `field ${f.number} of ${d.parent.fqn}: ${label}${f.type}${oneof}, JSON "${f.jsonName}"${f.deprecated ? ', deprecated' : ''}`;
    }
    case 'enumValue': return `value ${d.def.number} of enum ${d.parent.fqn}${d.def.deprecated ? ', deprecated' : ''}`;
    case 'rpc': {
      const r = d.def;
      return `RPC of ${d.parent.fqn}: (${r.requestStream ? 'stream ' : ''}${r.request}) returns (${r.responseStream ? 'stream ' : ''}${r.response})${r.deprecated ? ', deprecated' : ''}`;
    }
  }
}

/** What differs between two versions of an element (own facts; children for containers). */
function whatChanged(before: Def, after: Def): string {
  const diffs: string[] = [];
  const cmp = (what: string, a: unknown, b: unknown): void => {
    const sa = JSON.stringify(a ?? null);
    const sb = JSON.stringify(b ?? null);
    if (sa !== sb) diffs.push(`${what} ${fmt(a)} → ${fmt(b)}`);
  };
  const children = <T extends { name: string }>(a: T[], b: T[], noun: string): void => {
    const key = (x: T): string => JSON.stringify({ ...x, node: undefined, doc: undefined, docFingerprint: undefined });
    const am = new Map(a.map((x) => [x.name, key(x)]));
    const bm = new Map(b.map((x) => [x.name, key(x)]));
    const added = b.filter((x) => !am.has(x.name)).map((x) => x.name);
    const removed = a.filter((x) => !bm.has(x.name)).map((x) => x.name);
    const changed = b.filter((x) => am.has(x.name) && am.get(x.name) !== bm.get(x.name)).map((x) => x.name);
    const names = (xs: string[]): string => (xs.length <= 6 ? xs.join(', ') : `${xs.slice(0, 5).join(', ')} and ${xs.length - 5} more`);
    if (added.length) diffs.push(`${noun} added: ${names(added)}`);
    if (removed.length) diffs.push(`${noun} removed: ${names(removed)}`);
    if (changed.length) diffs.push(`${noun} changed: ${names(changed)}`);
  };
  if (before.kind === 'field' && after.kind === 'field') {
    cmp('number', before.def.number, after.def.number);
    cmp('type', before.def.type, after.def.type);
    cmp('label', before.def.label, after.def.label);
    cmp('oneof', before.def.oneof, after.def.oneof);
    cmp('JSON name', before.def.jsonName, after.def.jsonName);
    cmp('deprecated', !!before.def.deprecated, !!after.def.deprecated);
    cmp('packed', before.def.packed, after.def.packed);
  } else if (before.kind === 'enumValue' && after.kind === 'enumValue') {
    cmp('number', before.def.number, after.def.number);
    cmp('deprecated', !!before.def.deprecated, !!after.def.deprecated);
  } else if (before.kind === 'rpc' && after.kind === 'rpc') {
    cmp('request', before.def.request, after.def.request);
    cmp('response', before.def.response, after.def.response);
    cmp('request streaming', before.def.requestStream, after.def.requestStream);
    cmp('response streaming', before.def.responseStream, after.def.responseStream);
    cmp('deprecated', !!before.def.deprecated, !!after.def.deprecated);
  } else if (before.kind === 'message' && after.kind === 'message') {
    cmp('oneofs', before.def.oneofs, after.def.oneofs);
    cmp('reserved numbers', before.def.reservedNumbers, after.def.reservedNumbers);
    cmp('reserved names', before.def.reservedNames, after.def.reservedNames);
    cmp('deprecated', !!before.def.deprecated, !!after.def.deprecated);
    children(before.def.fields, after.def.fields, 'fields');
  } else if (before.kind === 'enum' && after.kind === 'enum') {
    cmp('reserved numbers', before.def.reservedNumbers, after.def.reservedNumbers);
    cmp('reserved names', before.def.reservedNames, after.def.reservedNames);
    cmp('deprecated', !!before.def.deprecated, !!after.def.deprecated);
    children(before.def.values, after.def.values, 'values');
  } else if (before.kind === 'service' && after.kind === 'service') {
    children(before.def.rpcs, after.def.rpcs, 'RPCs');
  } else diffs.push(`${before.kind} → ${after.kind}`);
  return diffs.join('; ');
}

function fmt(v: unknown): string {
  if (v === undefined || v === null) return '(none)';
  if (Array.isArray(v)) return v.length ? JSON.stringify(v) : '(none)';
  return String(v);
}

// ---- element report --------------------------------------------------------------------------------

function resolvePath(history: History, input: string, pkg: string): { path: string; note?: string } | { error: string } {
  const candidates = [input];
  if (pkg && !input.startsWith(`${pkg}.`)) candidates.push(`${pkg}.${input}`);
  for (const c of candidates) if (history.element(c)) return { path: c };
  const paths = allPaths(history);
  const lowerInputs = candidates.map((c) => c.toLowerCase());
  const ci = paths.filter((p) => lowerInputs.includes(p.toLowerCase()));
  if (ci.length === 1) return { path: ci[0]!, note: `(no element is spelled "${input}"; showing ${ci[0]}, proto names are case-sensitive)` };
  const otherPkg = /^(runtime\.v1alpha2|runtime\.v1)\./.exec(input)?.[1];
  const pkgNote = otherPkg && otherPkg !== pkg ? ` (it names package ${otherPkg}; this history covers ${pkg})` : '';
  const range0 = `${history.releases[0]!.tag} .. ${history.releases[history.releases.length - 1]!.tag}`;
  if (otherPkg && otherPkg !== pkg && pkg) {
    const same = `${pkg}${input.slice(otherPkg.length)}`;
    if (history.element(same)) return { error: `error: unknown element "${input}" in ${pkg} (releases ${range0})${pkgNote}. Did you mean "${same}"?` };
  }
  // Suggestions: close spellings of the whole path, else elements whose last name contains the input's.
  const target = candidates[candidates.length - 1]!.toLowerCase();
  const leaf = target.slice(target.lastIndexOf('.') + 1);
  const limit = Math.max(2, Math.floor(leaf.length / 3));
  const scored = paths
    .map((p) => ({ p, d: distance(target, p.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.p.localeCompare(b.p));
  let suggestions = scored.slice(0, 3).map((x) => x.p);
  if (!suggestions.length && leaf.length >= 3) {
    suggestions = paths.filter((p) => p.slice(p.lastIndexOf('.') + 1).toLowerCase().includes(leaf)).sort((a, b) => a.length - b.length || a.localeCompare(b)).slice(0, 3);
  }
  let error = `error: unknown element "${input}" in ${pkg || 'this history'} (releases ${range0})${pkgNote}.`;
  if (suggestions.length) error += ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`;
  else error += ' Element paths look like runtime.v1.ContainerConfig (message, enum, service), runtime.v1.ContainerConfig.linux (field), runtime.v1.Protocol.TCP (enum value) or runtime.v1.RuntimeService.ListPodSandbox (RPC).';
  return { error };
}

function elementReport(history: History, input: string): HistoryQueryResult {
  const pkg = packageOf(history);
  const resolved = resolvePath(history, input, pkg);
  if ('error' in resolved) return { ok: false, text: resolved.error };
  const path = resolved.path;
  const info = history.element(path)!;
  const releases = history.releases;
  const idx = new Map(releases.map((r, i) => [r.tag, i]));
  const newest = releases[releases.length - 1]!;
  const lastDef = findDef(history.modelAt(info.lastSeen), path);
  const lines: string[] = [];
  const kind = lastDef?.kind ?? info.kind ?? 'element';
  lines.push(`${path}  (${lastDef ? describe(lastDef) : kind})`);
  if (resolved.note) lines.push(`  ${resolved.note}`);

  const row = (label: string, text: string): void => {
    lines.push(`  ${`${label}:`.padEnd(14)}${text}`);
  };

  // Introduced, and the first stable release that has it (skew reasoning is about stable runtimes).
  const introIdx = idx.get(info.introduced) ?? 0;
  let firstStable: Release | undefined;
  for (let i = introIdx; i < releases.length; i++) {
    const r = releases[i]!;
    if (!r.prerelease && findDef(history.modelAt(r.tag), path)) {
      firstStable = r;
      break;
    }
  }
  const stableNote = firstStable && firstStable.tag !== info.introduced ? `; first stable release with it: ${rel(history, firstStable.tag)}` : '';
  const oldest = releases[0]!.tag;
  const indexStart = info.introduced === oldest && MAJOR_START[pkg] !== oldest ? ' (the oldest release in this history; it may be older)' : '';
  row('introduced', `${rel(history, info.introduced)}${indexStart}${stableNote}`);

  // Last changed, with what changed compared with the previous release that had it.
  if (info.lastChanged !== info.introduced) {
    let before: Def | undefined;
    for (let i = (idx.get(info.lastChanged) ?? 0) - 1; i >= 0 && !before; i--) before = findDef(history.modelAt(releases[i]!.tag), path);
    const after = findDef(history.modelAt(info.lastChanged), path);
    const what = before && after ? whatChanged(before, after) : '';
    const patch = isPatchRelease(info.lastChanged) ? ' [patch release: the policy discourages API changes in patches]' : '';
    row('last changed', `${rel(history, info.lastChanged)}${what ? ` — ${what}` : ''}${patch}`);
  } else row('last changed', 'unchanged since it was introduced');
  if (info.docChanged && info.docChanged !== info.introduced) row('doc changed', `${rel(history, info.docChanged)} (doc comment fingerprint)`);

  const present = info.present ?? info.lastSeen === newest.tag;
  const removedWith = MAJOR_REMOVED[pkg];
  if (present && removedWith) row('last seen', `${rel(history, newest.tag)}, the last release of ${pkg} (removed in Kubernetes ${removedWith})`);
  else if (present) row('last seen', `still present in the newest release, ${rel(history, newest.tag)}`);
  else {
    const after = releases[(idx.get(info.lastSeen) ?? 0) + 1];
    row('last seen', `${rel(history, info.lastSeen)}${after ? `; not in ${after.tag} or later` : ''}`);
  }

  // Skew: who can meet a runtime that lacks it.
  const basis = firstStable?.tag ?? info.introduced;
  const start = MAJOR_START[pkg];
  const firstMinor = start !== undefined ? parseAnyTag(start)?.minor ?? 0 : 0;
  const lack = whoLacks(basis, firstMinor);
  if (indexStart) {
    row('skew', `not known: it predates ${oldest}, the oldest release in this history.`);
  } else if (start !== undefined && basis === start) {
    row('skew', `part of ${pkg} since its first release ${start}: every runtime that speaks ${pkg} has it.`);
  } else if (start !== undefined && parseAnyTag(basis)?.minor === firstMinor && parseAnyTag(basis)?.patch === 0) {
    row('skew', `part of ${pkg} since Kubernetes 1.${firstMinor}.0, the first stable release of ${pkg}: every stable runtime that speaks ${pkg} has it.`);
  } else if (!lack.kubelets || !lack.runtimes) {
    row('skew', `no kubelet in the skew window can meet a ${pkg} runtime without it.`);
  } else {
    const k = lack.kubelets;
    const r = lack.runtimes;
    const rt = r.maxPatch !== undefined
      ? (r.min === r.max ? `v0.${r.max}.0–v0.${r.max}.${r.maxPatch}` : `v0.${r.min}–v0.${r.max}.${r.maxPatch}`)
      : span(r.min, r.max, 'v0.');
    row('skew', `kubelets ${span(k.min, k.max, '1.')} know it and can be paired with runtimes built on cri-api ${rt}, which do not.`);
    lines.push(`${' '.repeat(16)}${consequence(kind)}`);
  }
  if (!present) {
    const after = releases[(idx.get(info.lastSeen) ?? 0) + 1];
    const removedMinor = after ? parseAnyTag(after.tag)?.minor : undefined;
    if (removedMinor !== undefined) {
      const rs = removalSkew(removedMinor);
      row('removal', `runtimes built on cri-api ${span(rs.runtimes.min, rs.runtimes.max, 'v0.')} lack it but are in the window of kubelets ${span(rs.kubelets.min, rs.kubelets.max, '1.')}, which may still use it; within one major version that is a breaking change.`);
    }
  }
  row('policy', CRI_SKEW_POLICY_URL);
  return { ok: true, text: lines.join('\n') + '\n' };
}

function consequence(kind: string): string {
  switch (kind) {
    case 'field': return 'Such a runtime drops the field when the kubelet sets it and never fills it in its replies, so the kubelet has to cope with it being unset.';
    case 'rpc': return 'Such a runtime answers the call with gRPC Unimplemented; the kubelet has to treat that as "feature not available".';
    case 'enumValue': return 'Such a runtime does not recognise the number: it sees an unknown enum value when the kubelet sends it, and never sends it back.';
    case 'message': return 'Such a runtime has no use for the message: fields and RPCs that carry it are ignored or unimplemented there.';
    case 'enum': return 'Such a runtime does not know the enum: fields of this type are ignored there.';
    case 'service': return 'Such a runtime does not serve it: every call answers gRPC Unimplemented.';
    default: return 'Such a runtime does not know it, so the feature has to degrade gracefully.';
  }
}

/** Levenshtein distance, two rows. */
function distance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

// ---- summary ---------------------------------------------------------------------------------------

function summary(history: History): string {
  const pkg = packageOf(history);
  const releases = history.releases;
  const first = releases[0]!;
  const last = releases[releases.length - 1]!;
  const stable = releases.filter((r) => !r.prerelease);
  const newestStable = history.newestRelease?.() ?? stable[stable.length - 1];
  const lines: string[] = [];
  lines.push(`${pkg || 'API'}: ${releases.length} releases, ${rel(history, first.tag)} .. ${rel(history, last.tag)}`);
  lines.push(`  ${stable.length} stable, ${releases.length - stable.length} pre-releases; newest stable: ${newestStable ? rel(history, newestStable.tag) : '(none)'}`);
  const lastModel = history.modelAt(last.tag);
  if (lastModel) {
    const counts = countKinds(flat(lastModel));
    lines.push(`  at ${last.tag}: ${KIND_ORDER.map((k) => `${counts[k]} ${KIND_PLURAL[k]}`).join(', ')}`);
  }
  lines.push('');
  lines.push('Changes per release, compared with the previous release on the same release line');
  lines.push('(patch releases with the previous patch of their minor, .0 releases and their pre-releases with the previous .0-line tag):');
  const header = `  ${'release'.padEnd(17)}${'kubernetes'.padEnd(17)}${'added'.padStart(6)}${'removed'.padStart(8)}${'changed'.padStart(8)}${'docs'.padStart(6)}`;
  lines.push(header);
  const tags = releases.map((r) => r.tag);
  let quiet = 0;
  let patchChanges = 0;
  for (let i = 0; i < releases.length; i++) {
    const r = releases[i]!;
    const cur = history.modelAt(r.tag);
    if (!cur) continue;
    const p = releaseLinePredecessor(tags, i);
    const prev = p === undefined ? undefined : history.modelAt(releases[p]!.tag);
    if (prev === cur) {
      quiet++;
      continue;
    }
    const a = flat(cur);
    const b = prev ? flat(prev) : new Map<string, FlatDef>();
    let added = 0, removed = 0, changed = 0, docs = 0;
    for (const [k, v] of a) {
      const o = b.get(k);
      if (!o) added++;
      else {
        if (o.shape !== v.shape || o.kind !== v.kind) changed++;
        if (o.doc !== v.doc) docs++;
      }
    }
    for (const k of b.keys()) if (!a.has(k)) removed++;
    if (!added && !removed && !changed && !docs) {
      quiet++;
      continue;
    }
    const patch = isPatchRelease(r.tag) && (added || removed || changed) && p !== undefined;
    if (patch) patchChanges++;
    const base = p === undefined ? '  (first release)' : '';
    lines.push(`  ${r.tag.padEnd(17)}${r.kubernetes.padEnd(17)}${String(added).padStart(6)}${String(removed).padStart(8)}${String(changed).padStart(8)}${String(docs).padStart(6)}${patch ? '  * patch release' : ''}${base}`);
  }
  lines.push('');
  lines.push(`${quiet} release${quiet === 1 ? '' : 's'} without API or doc changes not shown. "added"/"removed"/"changed" count messages, fields, enums, enum values, services and RPCs (own facts only); "docs" counts changed doc comments.`);
  if (patchChanges) lines.push(`* ${patchChanges} patch release${patchChanges === 1 ? '' : 's'} changed the API; the policy wants API changes in v0.N.0 only.`);
  lines.push(`Policy: ${CRI_SKEW_POLICY_URL}`);
  return lines.join('\n') + '\n';
}

const KIND_ORDER: ElementKind[] = ['message', 'field', 'enum', 'enumValue', 'service', 'rpc'];
const KIND_PLURAL: Record<ElementKind, string> = {
  message: 'messages', field: 'fields', enum: 'enums', enumValue: 'enum values', service: 'services', rpc: 'RPCs',
};

function countKinds(m: Map<string, FlatDef>): Record<ElementKind, number> {
  const c: Record<ElementKind, number> = { message: 0, field: 0, enum: 0, enumValue: 0, service: 0, rpc: 0 };
  for (const v of m.values()) c[v.kind]++;
  return c;
}
