// `cri-compat history [--element runtime.v1.ContainerConfig.CDI_devices]`: plain-text answers from a release
// history. Works with any `History` (bundled index or built from git tags); uses the optional extras of the
// bundled one (`package`, `elementPaths`, `newestRelease`) when present.

import { utf8Verified, type ApiModel, type EnumDef, type EnumValueDef, type FieldDef, type MessageDef, type RpcDef, type ServiceDef } from '../proto/model';
import { CRI_SKEW_POLICY_URL } from '../policy/links';
import { releasedLackingConsequence } from '../policy/lacking';
import { utf8CheckReason, utf8Checked, utf8Rejection } from '../policy/utf8';
import { SKEW, compareTags, isPatchRelease, kubeletSpan, knowingKubelets, laterPatches, majorVersion, parseAnyTag, prereleaseSpans, reachesPastWindow, releaseLinePredecessor, runtimeSpan, span, whoLacks, type KubeletRange, type MinorRange, type PrereleaseRun, type RuntimeRange } from '../policy/versions';
import { declaredOptions, formatOption } from '../proto/declaredOptions';
import { goEnumConstant } from '../proto/goNames';
import type { ElementKind, History } from './types';
import { counted } from '../plural';
import { editDistance } from '../editDistance';


export interface HistoryQueryResult {
  ok: boolean;
  text: string;
}

/** The report for `cri-compat history`; for an unknown element, what is wrong (each front end marks it as an error its way). */
export function historyReport(history: History, elementPath?: string): string {
  return historyQuery(history, elementPath).text;
}

/** Like `historyReport`, with success as a flag (for exit codes). */
export function historyQuery(history: History, elementPath?: string): HistoryQueryResult {
  if (!history.releases.length) return { ok: false, text: 'the release history is empty' };
  if (elementPath === undefined || elementPath.trim() === '') return { ok: true, text: summary(history) };
  // `.runtime.v1.Foo` is how protoc writes a full name.
  return elementReport(history, elementPath.trim().replace(/^\./, ''));
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
    put(msg.fqn, 'message', [msg.oneofs, msg.reservedNumbers, msg.reservedNames, !!msg.deprecated, declaredOptions(msg)], msg);
    for (const f of msg.fields) put(`${msg.fqn}.${f.name}`, 'field', [f.number, f.type, f.label, f.oneof, f.jsonName, !!f.deprecated, f.packed, declaredOptions(f)], f);
  }
  for (const e of model.enums) {
    put(e.fqn, 'enum', [e.reservedNumbers, e.reservedNames, !!e.deprecated, declaredOptions(e)], e);
    for (const v of e.values) put(`${e.fqn}.${v.name}`, 'enumValue', [v.number, !!v.deprecated, declaredOptions(v)], v);
  }
  for (const s of model.services) {
    put(s.fqn, 'service', [declaredOptions(s)], s);
    for (const r of s.rpcs) put(`${s.fqn}.${r.name}`, 'rpc', [r.request, r.response, r.requestStream, r.responseStream, !!r.deprecated, declaredOptions(r)], r);
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
  const v = parseAnyTag(tag);
  // Releases of 1.15–1.17 that cri-api tagged only as kubernetes-1.N.M (no Go module version) keep that name.
  if (v?.form === 'kubernetes') return `${tag} (no ${v.goTag} Go module tag)`;
  const r = history.releases.find((x) => x.tag === tag);
  const k = r?.kubernetes || v?.kubernetes;
  return k ? `${tag} (Kubernetes ${k})` : tag;
}

/** `span` of two minors with a prefix: `1.22–1.24`, or `1.22`. */
function minorSpan(min: number, max: number, prefix: string): string {
  return span(`${prefix}${min}`, `${prefix}${max}`);
}

function optionsText(def: object): string {
  const o = declaredOptions(def);
  return o.length ? `[${o.map(formatOption).join(', ')}]` : '(none)';
}

function describe(d: Def): string {
  const opts = declaredOptions(d.def);
  const withOptions = opts.length ? `, ${optionsText(d.def)}` : '';
  switch (d.kind) {
    case 'message': return `message, ${counted(d.def.fields.length, 'field')}${withOptions}`;
    case 'enum': return `enum, ${counted(d.def.values.length, 'value')}${withOptions}`;
    case 'service': return `service, ${counted(d.def.rpcs.length, 'RPC')}${withOptions}`;
    case 'field': {
      const f = d.def;
      const label = f.label === 'implicit' || f.typeKind === 'map' ? '' : `${f.label} `;
      const oneof = f.oneof ? `, in oneof ${f.oneof}` : '';
      return `field ${f.number} of ${d.parent.fqn}: ${label}${f.type}${oneof}, JSON "${f.jsonName}"${f.deprecated ? ', deprecated' : ''}${withOptions}`;
    }
    case 'enumValue': return `value ${d.def.number} of enum ${d.parent.fqn}${d.def.deprecated ? ', deprecated' : ''}${withOptions}`;
    case 'rpc': {
      const r = d.def;
      return `RPC of ${d.parent.fqn}: (${r.requestStream ? 'stream ' : ''}${r.request}) returns (${r.responseStream ? 'stream ' : ''}${r.response})${r.deprecated ? ', deprecated' : ''}${withOptions}`;
    }
  }
}

/** What differs between two versions of an element (own facts and declared options; children for containers). */
function whatChanged(before: Def, after: Def): string {
  const diffs: string[] = [];
  const cmp = (what: string, a: unknown, b: unknown): void => {
    const sa = JSON.stringify(a ?? null);
    const sb = JSON.stringify(b ?? null);
    if (sa !== sb) diffs.push(`${what} ${fmt(a)} → ${fmt(b)}`);
  };
  // Options such as debug_redact change the generated code (Go's printing of the message), not the wire.
  const options = (): void => {
    const a = optionsText(before.def);
    const b = optionsText(after.def);
    if (a !== b) diffs.push(`options ${a} → ${b} (generated code changes; the wire does not)`);
  };
  const children = <T extends { name: string }>(a: T[], b: T[], noun: string): void => {
    const key = (x: T): string => JSON.stringify([{ ...x, node: undefined, doc: undefined, docFingerprint: undefined }, declaredOptions(x)]);
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
    options();
  } else if (before.kind === 'enumValue' && after.kind === 'enumValue') {
    cmp('number', before.def.number, after.def.number);
    cmp('deprecated', !!before.def.deprecated, !!after.def.deprecated);
    options();
  } else if (before.kind === 'rpc' && after.kind === 'rpc') {
    cmp('request', before.def.request, after.def.request);
    cmp('response', before.def.response, after.def.response);
    cmp('request streaming', before.def.requestStream, after.def.requestStream);
    cmp('response streaming', before.def.responseStream, after.def.responseStream);
    cmp('deprecated', !!before.def.deprecated, !!after.def.deprecated);
    options();
  } else if (before.kind === 'message' && after.kind === 'message') {
    cmp('oneofs', before.def.oneofs, after.def.oneofs);
    cmp('reserved numbers', before.def.reservedNumbers, after.def.reservedNumbers);
    cmp('reserved names', before.def.reservedNames, after.def.reservedNames);
    cmp('deprecated', !!before.def.deprecated, !!after.def.deprecated);
    options();
    children(before.def.fields, after.def.fields, 'fields');
  } else if (before.kind === 'enum' && after.kind === 'enum') {
    cmp('reserved numbers', before.def.reservedNumbers, after.def.reservedNumbers);
    cmp('reserved names', before.def.reservedNames, after.def.reservedNames);
    cmp('deprecated', !!before.def.deprecated, !!after.def.deprecated);
    options();
    children(before.def.values, after.def.values, 'values');
  } else if (before.kind === 'service' && after.kind === 'service') {
    options();
    children(before.def.rpcs, after.def.rpcs, 'RPCs');
  } else diffs.push(`${before.kind} → ${after.kind}`);
  return diffs.join('; ');
}

function fmt(v: unknown): string {
  if (v === undefined || v === null) return '(none)';
  if (Array.isArray(v)) return v.length ? JSON.stringify(v) : '(none)';
  return String(v);
}

// ---- an element across releases --------------------------------------------------------------------

/** The element at every release of a history, by release index; undefined where it is absent. */
type Timeline = (Def | undefined)[];

const defCache = new WeakMap<ApiModel, Map<string, Def | undefined>>();

function defIn(model: ApiModel | undefined, path: string): Def | undefined {
  if (!model) return undefined;
  let m = defCache.get(model);
  if (!m) defCache.set(model, (m = new Map()));
  if (!m.has(path)) m.set(path, findDef(model, path));
  return m.get(path);
}

/** Histories that can say where an element's state changes without building models (`IndexedHistory`). */
interface WithStates {
  releaseStates(path: string): number[];
}

function timelineOf(history: History, path: string): Timeline {
  const states = typeof (history as Partial<WithStates>).releaseStates === 'function' ? (history as History & WithStates).releaseStates(path) : undefined;
  if (!states) return history.releases.map((r) => defIn(history.modelAt(r.tag), path));
  // One model per state of the element, not per release: releases in the same state share the definition.
  const byState = new Map<number, Def | undefined>();
  return history.releases.map((r, i) => {
    const s = states[i]!;
    if (s < 0) return undefined;
    if (!byState.has(s)) byState.set(s, defIn(history.modelAt(r.tag), path));
    return byState.get(s);
  });
}

const predecessorCache = new WeakMap<History, (number | undefined)[]>();

/** For every release, the one it was cut after on its own release line (see `releaseLinePredecessor`). */
function linePredecessors(history: History): (number | undefined)[] {
  let p = predecessorCache.get(history);
  if (!p) {
    const tags = history.releases.map((r) => r.tag);
    predecessorCache.set(history, (p = tags.map((_, i) => releaseLinePredecessor(tags, i))));
  }
  return p;
}

/** Fields of a message or values of an enum at a release, as `Def`s. */
function membersAt(history: History, parentPath: string, release: number): Def[] {
  const parent = defIn(history.modelAt(history.releases[release]!.tag), parentPath);
  if (parent?.kind === 'message') return parent.def.fields.map((def) => ({ kind: 'field', def, parent: parent.def }));
  if (parent?.kind === 'enum') return parent.def.values.map((def) => ({ kind: 'enumValue', def, parent: parent.def }));
  return [];
}

/**
 * What identifies a field or enum value on the wire: its number, and for fields the type and whether it
 * is repeated. Two names with the same key are the same thing to a protobuf peer.
 */
function wireKey(d: Def): string | undefined {
  if (d.kind === 'field') return `${d.def.number} ${d.def.type} ${d.def.label === 'repeated'}`;
  if (d.kind === 'enumValue') return `${d.def.number}`;
  return undefined;
}

function numberOf(d: Def): number | undefined {
  return d.kind === 'field' || d.kind === 'enumValue' ? d.def.number : undefined;
}

interface Rename {
  from: Def;
  to: Def;
  /** Releases where the new name replaced the old one, compared with the previous release of their line. */
  at: number[];
}

/**
 * Renames of a field or enum value: a release where it appears (or disappears) while, compared with the
 * previous release of the same line, a sibling with the same number (and for fields the same type)
 * disappears (or appears). Protobuf peers see no difference; JSON and Go source do.
 */
function renamesOf(history: History, path: string, timeline: Timeline): Rename[] {
  const name = path.slice(path.lastIndexOf('.') + 1);
  const parentPath = path.slice(0, path.lastIndexOf('.'));
  const preds = linePredecessors(history);
  const found = new Map<string, Rename>();
  for (let i = 0; i < timeline.length; i++) {
    const p = preds[i];
    if (p === undefined) continue;
    const cur = timeline[i];
    const prev = timeline[p];
    if (!cur === !prev) continue;
    const mine = (cur ?? prev)!;
    const key = wireKey(mine);
    if (key === undefined) continue;
    // The sibling must be where this one is not, and gone where this one is.
    const withoutMe = membersAt(history, parentPath, cur ? p : i);
    const withMe = membersAt(history, parentPath, cur ? i : p);
    const match = withoutMe.filter((s) => s.def.name !== name && wireKey(s) === key && !withMe.some((w) => w.def.name === s.def.name));
    if (match.length !== 1) continue;
    const other = match[0]!;
    const [from, to] = cur ? [other, mine] : [mine, other];
    const k = `${from.def.name}>${to.def.name}`;
    const r = found.get(k);
    if (r) r.at.push(i);
    else found.set(k, { from, to, at: [i] });
  }
  return [...found.values()];
}

/** An element and the names it had under renames (same number, same type), with their timelines. */
interface Lineage {
  paths: string[];
  timelines: Map<string, Timeline>;
  renames: Rename[];
  /** Whether any of the names is present at a release. */
  present: (release: number) => boolean;
}

function lineageOf(history: History, path: string, timeline: Timeline): Lineage {
  const parentPath = path.slice(0, path.lastIndexOf('.'));
  const timelines = new Map<string, Timeline>([[path, timeline]]);
  const renames: Rename[] = [];
  const queue = [path];
  while (queue.length && timelines.size < 8) {
    const p = queue.shift()!;
    for (const r of renamesOf(history, p, timelines.get(p)!)) {
      if (!renames.some((x) => x.from.def.name === r.from.def.name && x.to.def.name === r.to.def.name)) renames.push(r);
      for (const d of [r.from, r.to]) {
        const q = `${parentPath}.${d.def.name}`;
        if (!timelines.has(q)) {
          timelines.set(q, timelineOf(history, q));
          queue.push(q);
        }
      }
    }
  }
  const all = [...timelines.values()];
  return { paths: [...timelines.keys()], timelines, renames, present: (i) => all.some((t) => t[i] !== undefined) };
}

/** Kubernetes minors with a stable release where `present` holds. */
function stableMinors(history: History, present: (release: number) => boolean): number[] {
  const out = new Set<number>();
  history.releases.forEach((r, i) => {
    if (r.prerelease || !present(i)) return;
    const m = parseAnyTag(r.tag)?.minor;
    if (m !== undefined) out.add(m);
  });
  return [...out].sort((a, b) => a - b);
}

/** `[22, 23, 24, 26]` → `1.22–1.24, 1.26` (with the given prefix). */
function minorRanges(minors: readonly number[], prefix: string): string {
  const parts: string[] = [];
  for (let i = 0; i < minors.length; i++) {
    let j = i;
    while (j + 1 < minors.length && minors[j + 1] === minors[j]! + 1) j++;
    parts.push(minorSpan(minors[i]!, minors[j]!, prefix));
    i = j;
  }
  return parts.join(', ');
}

/**
 * `stable` (minors with a stable release where `present` holds) and the minors that have it only in pre-releases
 * (ContainerEventResponse.pod_sandbox_metadata in the 1.26 alphas), sorted: their kubelets and runtimes are out too.
 */
function withPrereleaseMinors(history: History, stable: readonly number[], present: (release: number) => boolean): number[] {
  const out = new Set(stable);
  history.releases.forEach((r, i) => {
    const m = r.prerelease && present(i) ? parseAnyTag(r.tag)?.minor : undefined;
    if (m !== undefined) out.add(m);
  });
  return [...out].sort((a, b) => a - b);
}

/**
 * The releases of `minors` where `present` holds, as the `number reuse` and `type change` rows name them: a minor whose
 * stable releases all have it as `1.N` (in ranges, as `minorRanges`), one where only some do by those (`1.34.0–1.34.8`,
 * `1.34.9 and later 1.34 patches`), one where no stable release does by its pre-releases that do
 * (`1.26.0-alpha.0–1.26.0-alpha.3`), so that pre-releases that had it count, as they do in the `removal` row.
 */
function releasesWhere(history: History, minors: readonly number[], present: (release: number) => boolean): string {
  const parts: string[] = [];
  let whole: number[] = [];
  const flush = (): void => {
    if (whole.length) parts.push(minorRanges(whole, '1.'));
    whole = [];
  };
  for (const m of minors) {
    const all = history.releases.flatMap((r, i) => (parseAnyTag(r.tag)?.minor === m ? [i] : []));
    const stable = all.filter((i) => !history.releases[i]!.prerelease);
    const counted = stable.some(present) ? stable : all;
    if (counted === stable && stable.every(present)) {
      whole.push(m);
      continue;
    }
    flush();
    for (let j = 0; j < counted.length; j++) {
      if (!present(counted[j]!)) continue;
      let k = j;
      while (k + 1 < counted.length && present(counted[k + 1]!)) k++;
      const [a, b] = [counted[j]!, counted[k]!].map((i) => parseAnyTag(history.releases[i]!.tag)!.kubernetes) as [string, string];
      parts.push(counted === stable && j > 0 && k === counted.length - 1 ? laterPatches(a, `1.${m}`) : span(a, b));
      j = k;
    }
  }
  flush();
  return parts.join(', ');
}

/**
 * For a field whose type went between string and bytes (KeyValue.value, in v0.34.9, v0.35.6, v0.36.2 and
 * v0.37.0-alpha.1), compared with the previous release of each release line: the `type change` row. The wire encoding
 * is the same, but a peer of a release where it is a string rejects a message that holds bytes that are not UTF-8,
 * which a peer of a release where it is bytes may send; said as FIELD_TYPE_CHANGED says it (policy/utf8.ts), of the
 * releases of either kind that are within the skew window of the other.
 */
function utf8TypeChanges(history: History, timeline: Timeline): string[] {
  // A map's values are what changed type in `map<string, string>` → `map<string, bytes>`; its keys cannot be bytes.
  const typeAt = (i: number): string | undefined => {
    const d = timeline[i];
    return d?.kind === 'field' ? /^map<[^,]+,(.+)>$/.exec(d.def.type)?.[1] ?? d.def.type : undefined;
  };
  const preds = linePredecessors(history);
  const changes = new Map<string, string[]>();
  timeline.forEach((_, i) => {
    const p = preds[i];
    const [a, b] = [p === undefined ? undefined : typeAt(p), typeAt(i)];
    if (a === undefined || b === undefined || !utf8Checked(a, b)) return;
    const key = `${a} → ${b}`;
    changes.set(key, [...(changes.get(key) ?? []), history.releases[i]!.tag]);
  });
  if (!changes.size) return [];
  // The releases whose peers check the string (not a proto2 file, nor one whose features turn the check off).
  const verified = new Map<Def, { syntax: string; checks: boolean }>();
  const check = (i: number): { syntax: string; checks: boolean } | undefined => {
    const d = timeline[i];
    if (d?.kind !== 'field' || typeAt(i) !== 'string') return undefined;
    let v = verified.get(d);
    if (!v) {
      const syntax = history.modelAt(history.releases[i]!.tag)?.syntax ?? 'proto3';
      verified.set(d, (v = { syntax, checks: utf8Verified(d.def, syntax) }));
    }
    return v;
  };
  const reads = (i: number): boolean => check(i)?.checks ?? false;
  const sends = (i: number): boolean => typeAt(i) === 'bytes';
  const name = timeline.find((d) => d !== undefined)!.def.name;
  const when = [...changes].map(([what, tags]) => `${what} in ${tags.length > 1 ? `${tags.slice(0, -1).join(', ')} and ${tags.at(-1)!}` : tags[0]!}`).join('; ');
  const minorsWhere = (present: (i: number) => boolean): number[] => [...new Set(history.releases.flatMap((r, i) => (present(i) ? [parseAnyTag(r.tag)?.minor ?? -1] : [])))].filter((m) => m >= 0);
  const strings = minorsWhere(reads);
  const bytes = minorsWhere(sends);
  const closeStrings = strings.filter((m) => bytes.some((b) => Math.abs(m - b) <= SKEW));
  const closeBytes = bytes.filter((b) => strings.some((m) => Math.abs(m - b) <= SKEW));
  if (!closeStrings.length || !closeBytes.length) {
    return [`${when}: no release that reads it as a checked string is within the skew window of one that has bytes.`];
  }
  const syntaxes = new Set(history.releases.flatMap((_, i) => (reads(i) ? [check(i)!.syntax] : [])));
  const reader = `a peer built from a release where it is a string (${releasesWhere(history, closeStrings, reads)})`;
  return [
    `${when}: the encoding is the same, but ${utf8Rejection(reader, [name])} (${utf8CheckReason(syntaxes)}); ` +
    `kubelets and runtimes of releases where it is bytes (${releasesWhere(history, closeBytes, sends)}) are in the skew window of such peers and may send them any bytes. JSON and Go types change too.`,
  ];
}

/**
 * ` (1.37–1.38 not released yet)` for kubelets of minors to come (`knowingKubelets`), else ''. A minor of them that
 * the history has pre-releases of is out in part, so it is not said to be unreleased: ` (1.37 only in pre-releases
 * so far, 1.38 not released yet)`.
 */
export function notReleased(k: { max: number; unreleasedFrom?: number }, history: History, prefix = '1.'): string {
  if (k.unreleasedFrom === undefined || k.unreleasedFrom > k.max) return '';
  let from = k.unreleasedFrom;
  const parts: string[] = [];
  const pre = history.releases.some((r) => r.prerelease && parseAnyTag(r.tag)?.minor === from);
  if (pre) parts.push(`${prefix}${from++} only in pre-releases so far`);
  if (from <= k.max) parts.push(`${minorSpan(from, k.max, prefix)} not released yet`);
  return ` (${parts.join(', ')})`;
}

/**
 * For `knowingKubelets`: of `minor`, when its first release has the element (`present`, by release index), the
 * Kubernetes version of the last of its releases in a row that do, where all of those are pre-releases.
 */
function prereleasesWithIt(history: History, present: (release: number) => boolean): (minor: number) => string | undefined {
  return (minor) => {
    let last: string | undefined;
    for (let i = 0; i < history.releases.length; i++) {
      const r = history.releases[i]!;
      const v = parseAnyTag(r.tag);
      if (v?.minor !== minor) continue;
      if (!present(i) || !r.prerelease) break;
      last = v.kubernetes;
    }
    return last;
  };
}

/** The newest Kubernetes minor with a stable release in the history. */
export function newestStableMinor(history: History): number | undefined {
  return stableMinors(history, () => true).at(-1);
}

/** `kubelet 1.N`, `kubelets 1.N–1.M` or `kubelets 1.N.P–1.M` (`kubeletSpan`), with the verb in the matching number. */
export function kubelets(k: KubeletRange, verb?: [string, string]): string {
  const one = k.min === k.max && k.minPatch === undefined && k.from === undefined && k.to === undefined;
  return `${one ? 'kubelet' : 'kubelets'} ${kubeletSpan(k)}${verb ? ` ${one ? verb[0] : verb[1]}` : ''}`;
}

/** What a rename means to each kind of peer (POLICY: wire, JSON, Go source). */
function renameEffects(history: History, pkg: string, r: Rename, lineage: Lineage): string {
  const n = numberOf(r.to);
  const first = lineage.paths[0]!;
  const parentPath = first.slice(0, first.lastIndexOf('.'));
  const side = (d: Def): string => {
    const t = lineage.timelines.get(`${parentPath}.${d.def.name}`);
    const minors = t ? stableMinors(history, (i) => t[i] !== undefined) : [];
    return minors.length ? `${minorRanges(minors, '1.')} call it ${d.def.name}` : `only pre-releases call it ${d.def.name}`;
  };
  const wire = `Nothing changes on the wire: number ${n} keeps its meaning (releases ${side(r.from)}; ${side(r.to)}), so kubelets and runtimes on either side of the rename understand each other.`;
  const source = renameSourceBreak(pkg, r);
  return source ? `${wire} ${source}` : wire;
}

/** What a rename breaks off the wire (POLICY: JSON, Go source), which the hover says too (ElementLineage.renames). */
function renameSourceBreak(pkg: string, r: Rename): string | undefined {
  if (r.from.kind === 'enumValue' && r.to.kind === 'enumValue') {
    return `The rename is a JSON and Go source break: the JSON/YAML form (crictl) spells the value "${r.from.def.name}" before and "${r.to.def.name}" after, and Go code that uses ${goEnumConstant(pkg, r.from.parent.fqn, r.from.def.name)} no longer builds (now ${goEnumConstant(pkg, r.to.parent.fqn, r.to.def.name)}).`;
  }
  if (r.from.kind === 'field' && r.to.kind === 'field') {
    const json = r.from.def.jsonName === r.to.def.jsonName
      ? `the JSON name stays "${r.to.def.jsonName}"`
      : `the JSON/YAML form (crictl) changes its key from "${r.from.def.jsonName}" to "${r.to.def.jsonName}"`;
    return `The rename is a Go source break (the generated struct field and getter are renamed, so code that uses the old name no longer builds), and ${json}.`;
  }
  return undefined;
}

interface PatchChange {
  at: number;
  what: string;
  /** Stable releases of the same line before it that still have the earlier form: first and last tag. */
  earlier?: [string, string];
}

/**
 * Changes in patch releases: every `v0.N.M` (M > 0) that differs from the previous release of its own line.
 * The semantic-version walk behind "last changed" mixes lines, so a backport to v0.36.2 would not show.
 */
function patchChanges(history: History, timeline: Timeline, renames: readonly Rename[]): PatchChange[] {
  const tags = history.releases.map((r) => r.tag);
  const preds = linePredecessors(history);
  const out: PatchChange[] = [];
  const lastOnLine = new Map<number, number>();
  for (let i = 0; i < tags.length; i++) {
    const p = preds[i];
    if (p === undefined || !isPatchRelease(tags[i]!)) continue;
    const minor = parseAnyTag(tags[i]!)?.minor;
    // Only when the line's earlier releases are in the history (not where it starts mid-line).
    if (minor === undefined || parseAnyTag(tags[p]!)?.minor !== minor) continue;
    const cur = timeline[i];
    const prev = timeline[p];
    if (cur === prev) continue;
    let what = '';
    const renamed = renames.find((r) => r.at.includes(i));
    if (cur && prev) what = whatChanged(prev, cur);
    else if (cur) what = renamed ? `renamed from ${renamed.from.def.name}` : 'added';
    else if (prev) what = renamed ? `renamed to ${renamed.to.def.name}` : 'removed';
    if (!what) continue;
    const since = lastOnLine.get(minor) ?? -1;
    const before = history.releases.filter((r, j) => j > since && j < i && !r.prerelease && parseAnyTag(r.tag)?.minor === minor).map((r) => r.tag);
    const change: PatchChange = { at: i, what };
    if (before.length) change.earlier = [before[0]!, before[before.length - 1]!];
    out.push(change);
    lastOnLine.set(minor, i);
  }
  return out;
}

/** An element's identity on the wire across renames, for other explanations (hovers) that need the same facts. */
export interface ElementLineage {
  /** Kubernetes minors with a stable release that has the element, under its name or one it was renamed from or to. */
  stableMinors: number[];
  /**
   * Renames that kept the number (and for fields the type): not removals on the wire. `sourceBreak`: what they
   * break off the wire, JSON and Go source, as `history --element` says it.
   */
  renames: { from: string; to: string; number: number; tags: string[]; sourceBreak?: string }[];
  /** The first release with the element under any of those names. */
  wireIntroduced: string;
  /** When no later release has it under any of those names: the `removal` row of `history --element` (removalOf). */
  removal?: ElementRemoval;
  /** For `knowingKubelets`: the last of the first pre-releases of a minor that have it (prereleasesWithIt). */
  prereleasesWithIt: (minor: number) => string | undefined;
  /** The `number reuse` rows of `history --element` (numberReuse): other fields or values that had its number. */
  numberReuse: string[];
  /** The `type change` rows of `history --element` (utf8TypeChanges): string ↔ bytes, whose string side checks UTF-8. */
  typeChanges: string[];
}

/** The lineage of a field or enum value (other elements: their own presence, no renames); undefined if unknown. */
export function elementLineage(history: History, path: string): ElementLineage | undefined {
  if (!history.element(path)) return undefined;
  const timeline = timelineOf(history, path);
  const lineage = lineageOf(history, path, timeline);
  let first = 0;
  while (first < history.releases.length - 1 && !lineage.present(first)) first++;
  const minors = stableMinors(history, lineage.present);
  const removal = removalOf(history, lineage, minors);
  return {
    prereleasesWithIt: prereleasesWithIt(history, lineage.present),
    stableMinors: minors,
    renames: lineage.renames.map((r) => {
      const sourceBreak = renameSourceBreak(packageOf(history), r);
      return { from: r.from.def.name, to: r.to.def.name, number: numberOf(r.to)!, tags: r.at.map((i) => history.releases[i]!.tag), ...(sourceBreak ? { sourceBreak } : {}) };
    }),
    numberReuse: numberReuse(history, path, timeline, lineage, minors),
    typeChanges: utf8TypeChanges(history, timeline),
    wireIntroduced: history.releases[first]!.tag,
    ...(removal ? { removal } : {}),
  };
}

/** Patch releases that changed an element on their own release line, and what changed (as `history --element` lists them). */
export function elementPatchChanges(history: History, path: string): { tag: string; what: string }[] {
  if (!history.element(path)) return [];
  const timeline = timelineOf(history, path);
  return patchChanges(history, timeline, lineageOf(history, path, timeline).renames).map((c) => ({ tag: history.releases[c.at]!.tag, what: c.what }));
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
    if (history.element(same)) return { error: `unknown element "${input}" in ${pkg} (releases ${range0})${pkgNote}. Did you mean "${same}"?` };
  }
  // Suggestions: close spellings of the whole path, else elements whose last name contains the input's.
  const target = candidates[candidates.length - 1]!.toLowerCase();
  const leaf = target.slice(target.lastIndexOf('.') + 1);
  const limit = Math.max(2, Math.floor(leaf.length / 3));
  const scored = paths
    .map((p) => ({ p, d: editDistance(target, p.toLowerCase(), limit) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.p.localeCompare(b.p));
  let suggestions = scored.slice(0, 3).map((x) => x.p);
  if (!suggestions.length && leaf.length >= 3) {
    suggestions = paths.filter((p) => p.slice(p.lastIndexOf('.') + 1).toLowerCase().includes(leaf)).sort((a, b) => a.length - b.length || a.localeCompare(b)).slice(0, 3);
  }
  let error = `unknown element "${input}" in ${pkg || 'this history'} (releases ${range0})${pkgNote}.`;
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
  const tags = releases.map((r) => r.tag);
  const idx = new Map(tags.map((t, i) => [t, i]));
  const newest = releases[releases.length - 1]!;
  const timeline = timelineOf(history, path);
  const lastDef = timeline[idx.get(info.lastSeen) ?? -1] ?? findDef(history.modelAt(info.lastSeen), path);
  const lines: string[] = [];
  const kind = lastDef?.kind ?? info.kind ?? 'element';
  lines.push(`${path}  (${lastDef ? describe(lastDef) : kind})`);
  if (resolved.note) lines.push(`  ${resolved.note}`);

  const row = (label: string, text: string): void => {
    lines.push(`  ${`${label}:`.padEnd(14)}${text}`);
  };
  const more = (text: string): void => {
    lines.push(`${' '.repeat(16)}${text}`);
  };

  // The names this element had on the wire: itself, and the fields or values it was renamed from or to.
  const lineage = lineageOf(history, path, timeline);
  const name = path.slice(path.lastIndexOf('.') + 1);
  const renamedFrom = lineage.renames.filter((r) => r.to.def.name === name);
  const renamedTo = lineage.renames.filter((r) => r.from.def.name === name);
  const present = (i: number): boolean => timeline[i] !== undefined;
  const firstStableWhere = (has: (i: number) => boolean): number | undefined => {
    for (let i = 0; i < releases.length; i++) if (!releases[i]!.prerelease && has(i)) return i;
    return undefined;
  };

  // Introduced, and the first stable release that has it (skew reasoning is about stable runtimes).
  const firstStable = firstStableWhere(present);
  const stableNote = firstStable !== undefined && tags[firstStable] !== info.introduced ? `; first stable release with it: ${rel(history, tags[firstStable]!)}` : '';
  const oldest = tags[0]!;
  row('introduced', `${rel(history, info.introduced)}${indexStartNote(history, pkg, info.introduced)}${stableNote}`);
  for (const r of renamedFrom) {
    const n = numberOf(r.to);
    row('renamed from', `${r.from.def.name} in ${r.at.map((i) => rel(history, tags[i]!)).join(', ')}, keeping number ${n}${r.to.kind === 'field' ? ` and type ${r.to.def.type}` : ''}`);
    more(renameEffects(history, pkg, r, lineage));
  }

  // Last changed, with what changed compared with the previous release that had it.
  if (info.lastChanged !== info.introduced) {
    let before: Def | undefined;
    for (let i = (idx.get(info.lastChanged) ?? 0) - 1; i >= 0 && !before; i--) before = timeline[i];
    const after = timeline[idx.get(info.lastChanged) ?? -1];
    const what = before && after ? whatChanged(before, after) : '';
    const patch = isPatchRelease(info.lastChanged) ? ' [patch release: the policy discourages API changes in patches]' : '';
    row('last changed', `${rel(history, info.lastChanged)}${what ? ` — ${what}` : ''}${patch}`);
  } else row('last changed', 'unchanged since it was introduced');
  // Patch releases that changed it on their own line (backports), which the line-mixing walk above hides.
  const patches = patchChanges(history, timeline, lineage.renames);
  if (patches.length) {
    row('in patches', `${patches.length === 1 ? 'one patch release' : `${patches.length} patch releases`} changed it on their own release line (the policy wants API changes in v0.N.0 only):`);
    for (const c of patches) {
      const earlier = c.earlier ? `; ${span(...c.earlier)} ${c.what === 'added' ? 'lack it' : 'have the earlier form'}` : '';
      more(`${rel(history, tags[c.at]!)} — ${c.what}${earlier}`);
    }
  }
  if (info.docChanged && info.docChanged !== info.introduced) row('doc changed', `${rel(history, info.docChanged)} (doc comment fingerprint)`);

  const isPresent = info.present ?? info.lastSeen === newest.tag;
  const removedWith = majorVersion(pkg)?.removedInMinor;
  if (isPresent && removedWith !== undefined) row('last seen', `${rel(history, newest.tag)}, the last release of ${pkg} (removed in Kubernetes 1.${removedWith})`);
  else if (isPresent) row('last seen', `still present in the newest release, ${rel(history, newest.tag)}`);
  else {
    const after = releases[(idx.get(info.lastSeen) ?? 0) + 1];
    row('last seen', `${rel(history, info.lastSeen)}${after ? `; not in ${after.tag} or later` : ''}`);
  }
  for (const r of renamedTo) {
    const n = numberOf(r.from);
    row('renamed to', `${r.to.def.name} in ${r.at.map((i) => rel(history, tags[i]!)).join(', ')}, keeping number ${n}${r.from.kind === 'field' ? ` and type ${r.from.def.type}` : ''}: not a removal on the wire`);
    more(renameEffects(history, pkg, r, lineage));
  }

  // Skew: who can meet a runtime that lacks it. On the wire a renamed element is as old as its number.
  const union = lineage.present;
  let unionFirst = 0;
  while (unionFirst < releases.length - 1 && !union(unionFirst)) unionFirst++;
  let unionLast = releases.length - 1;
  while (unionLast > 0 && !union(unionLast)) unionLast--;
  const wireIntro = tags[unionFirst]!;
  const wireStable = firstStableWhere(union);
  const known = stableMinors(history, union);
  // A renamed element is as old as its number: name the oldest name when that is not this one.
  const firstName = lineage.paths.find((p) => lineage.timelines.get(p)![unionFirst] !== undefined) ?? path;
  const asNumber = firstName !== path
    ? `number ${numberOf(lastDef!)} came in ${rel(history, wireIntro)} as ${firstName.slice(firstName.lastIndexOf('.') + 1)}: `
    : '';
  const basis = wireStable !== undefined ? tags[wireStable]! : wireIntro;
  const start = majorVersion(pkg)?.firstTag;
  const firstMinor = start !== undefined ? parseAnyTag(start)?.minor ?? 0 : 0;
  if (indexStartNote(history, pkg, wireIntro)) {
    row('skew', `not known: it is already in ${oldest}, the oldest release in this history, and may be older.`);
  } else if (wireStable === undefined && !union(releases.length - 1)) {
    row('skew', `only pre-releases have had it (${span(wireIntro, tags[unionLast]!)}): no stable kubelet or runtime has it.`);
  } else if (start !== undefined && wireIntro === start) {
    // In the major version's first tag (a pre-release): runtimes built from its pre-releases have it too.
    row('skew', `part of ${pkg} since its first release ${start}: every runtime that speaks ${pkg} has it.`);
  } else {
    // Counted from the first release with it on the line of its first stable one, as the hover counts: the
    // pre-releases of that line cut before it lack it too (v0.29.0-alpha.0–alpha.2 of one that came in alpha.3),
    // also in the major version's first minor: pre-releases are releases, and those of 1.20 from runtime.v1's first
    // tag on speak runtime.v1, so one that came after that tag is missing from them although every stable runtime
    // of runtime.v1 has it. One still in the newest release that only pre-releases have so far (v0.37.0-alpha.1 on)
    // counts from its first one, as the hover does: the kubelets built from them know it, and so will those to come.
    const b = parseAnyTag(basis);
    const w = parseAnyTag(wireIntro);
    const from = b && w && b.minor === w.minor && b.patch === w.patch ? wireIntro : basis;
    const lack = whoLacks(from, firstMinor, undefined, lackingPrereleases(history, from));
    if ((!lack.kubelets || !lack.runtimes) && start !== undefined && b?.minor === firstMinor && b.patch === 0) {
      row('skew', `part of ${pkg} since Kubernetes 1.${firstMinor}.0, the first stable release of ${pkg}: every stable runtime that speaks ${pkg} has it.`);
    } else if (!lack.kubelets || !lack.runtimes) {
      row('skew', `no kubelet in the skew window can meet a ${pkg} runtime without it.`);
    } else {
      // A package that was removed (runtime.v1alpha2) has no kubelets to come, whatever its last release had.
      const knowing = knowingKubelets(lack.kubelets, known, newestStableMinor(history), union(releases.length - 1) && majorVersion(pkg)?.removedInMinor === undefined, prereleasesWithIt(history, union));
      row('skew', `${asNumber}${kubelets(knowing, ['knows', 'know'])} it${notReleased(knowing, history)} and can be paired with runtimes built from ${runtimesBuiltFrom(history, lack.runtimes)}, which do not.`);
      // Which way an enum or a field's message travels, as the newest release that has the element declares its RPCs.
      more(releasedLackingConsequence(history, kind, path, basis, () => history.modelAt(info.lastSeen)));
    }
  }
  const removal = removalOf(history, lineage, known);
  if (removal) row('removal', removal.skew);
  for (const text of numberReuse(history, path, timeline, lineage, known)) row('number reuse', text);
  for (const text of utf8TypeChanges(history, timeline)) row('type change', text);
  row('policy', CRI_SKEW_POLICY_URL);
  return { ok: true, text: lines.join('\n') + '\n' };
}

/** When an element went away under every name it had, and whom that leaves without it: see removalOf. */
export interface ElementRemoval {
  /** The last release with it, and the first one after it without it. */
  lastSeen: string;
  goneIn: string;
  /** What the removal means within the skew window (the `removal` row of `history --element`). */
  skew: string;
}

/**
 * For a released element that no later release has under any of its names (a rename that keeps the number is not
 * a removal): the `removal` row of `history --element`, which the policy hover gives too (ElementLineage.removal),
 * so the two say the same. `known`: the minors with a stable release that has it: their kubelets can meet runtimes
 * of releases without it.
 */
function removalOf(history: History, lineage: Lineage, known: readonly number[]): ElementRemoval | undefined {
  const releases = history.releases;
  if (lineage.present(releases.length - 1)) return undefined;
  let last = releases.length - 1;
  while (last > 0 && !lineage.present(last)) last--;
  const after = releases[last + 1];
  const removedMinor = after ? parseAnyTag(after.tag)?.minor : undefined;
  if (!after || removedMinor === undefined) return undefined;
  const had = known.filter((k) => k < removedMinor && k >= removedMinor - SKEW);
  // Pre-releases are releases, and a patch release is one too: when releases of the minor that removed it still had it
  // (v0.26.0-alpha.0–alpha.3 of ContainerEventResponse.pod_sandbox_metadata, gone in v0.26.0-beta.0; v0.36.0–v0.36.1
  // of one gone in the patch v0.36.2), the runtimes without it start at the release that dropped it, and the kubelets
  // of those releases had it too: their window reaches 3 minors past the removing one.
  let firstOwn: number | undefined;
  for (let i = last; i >= 0 && parseAnyTag(releases[i]!.tag)?.minor === removedMinor && lineage.present(i); i--) firstOwn = i;
  const ownKubelets = firstOwn !== undefined ? span(parseAnyTag(releases[firstOwn]!.tag)!.kubernetes, parseAnyTag(releases[last]!.tag)!.kubernetes) : undefined;
  let skew: string;
  if (!known.length) skew = 'no stable release had it, so no stable kubelet can miss it.';
  else if (!had.length && !ownKubelets) skew = `no kubelet that had it (${minorRanges(known, '1.')}) is in the skew window of runtimes without it (cri-api v0.${removedMinor} and later).`;
  else {
    const kmax = ownKubelets ? removedMinor : had[had.length - 1]!;
    const from = ownKubelets ? after.tag : `v0.${removedMinor}`;
    const stable = had.length ? kubeletSpan({ min: had[0]!, max: had[had.length - 1]! }) : '';
    const who = ownKubelets ? `kubelets ${stable ? `${stable} and ` : ''}${ownKubelets}` : kubelets({ min: had[0]!, max: had[had.length - 1]! });
    // The runtimes of minors after the newest stable one are out only in part, or not at all: said as of the kubelets to come.
    const newest = newestStableMinor(history);
    const toCome = newest === undefined ? '' : notReleased({ max: kmax + SKEW, unreleasedFrom: Math.max(newest + 1, removedMinor) }, history, 'v0.');
    skew = `runtimes built from cri-api ${span(from, `v0.${kmax + SKEW}`)}${toCome} lack it but are in the window of ${who}, which had it and may still use it; within one major version that is a breaking change.`;
  }
  return { lastSeen: releases[last]!.tag, goneIn: after.tag, skew };
}

/**
 * What the runtimes of a span of minors (that lack an element: `whoLacks().runtimes`; a column of the skew matrix)
 * are built from, as `history`, the hovers and the report say it:
 * cri-api tags, and for runtimes older than the history's first release, which no tag of it names (runtime.v1alpha2
 * before 1.15 had no Go module tags), their Kubernetes minors. cri-api's Go module tags start at v0.15.7 and v0.16.4:
 * the stable releases before them, tagged only as kubernetes-1.N.M, are named as Kubernetes releases, and the tag
 * span starts at the first Go module tag, so it names no tag that does not exist. Every place that names such
 * runtimes goes through here (the hovers, `history`, the report's skew matrix); without a release history (a
 * baseline read from a file), which says nothing of which releases were tagged, it is the plain tag span.
 */
export function runtimesBuiltFrom(history: History | undefined, r: RuntimeRange): string {
  if (!history?.releases.length) return `cri-api ${runtimeSpan(r)}`;
  if (r.later) {
    // Minors released after a patch target's line, named as any minors are (1.16.0–1.16.3 have no Go module tag),
    // after the runtimes of the target's own line and before the pre-releases of the minors to come; one cri-api
    // span continues another.
    const { later, prereleases = [], ...own } = r;
    const mine = prereleases.filter((p) => p.minor <= r.max);
    const theirs = prereleases.filter((p) => p.minor > r.max);
    const before = runtimesBuiltFrom(history, { ...own, ...(mine.length ? { prereleases: mine } : {}) });
    const after = runtimesBuiltFrom(history, { ...later, ...(theirs.length ? { prereleases: theirs } : {}) });
    const plain = (x: string): boolean => x.startsWith('cri-api ') && !x.includes(' or from ');
    return plain(before) && after.startsWith('cri-api ') ? `${before} or ${after.slice('cri-api '.length)}` : `${before} or from ${after}`;
  }
  const oldest = history.releases[0]!.tag;
  const firstHistoryMinor = parseAnyTag(oldest)?.minor ?? 0;
  const min = Math.max(r.min, firstHistoryMinor);
  const kubernetes: string[] = [];
  if (r.min < firstHistoryMinor) {
    kubernetes.push(`${minorSpan(r.min, Math.min(r.max, firstHistoryMinor - 1), '1.')} (older than ${oldest}, the first release in this history)`);
  }
  let tags: string | undefined;
  if (min <= r.max) {
    const lacking = (v: { minor: number; patch: number }): boolean =>
      v.minor >= min && v.minor <= r.max && (r.maxPatch === undefined || v.minor < r.max || v.patch <= r.maxPatch);
    const stable = history.releases.flatMap((x) => {
      const v = !x.prerelease ? parseAnyTag(x.tag) : undefined;
      return v && lacking(v) ? [v] : [];
    });
    const untagged = stable.filter((v) => v.form === 'kubernetes');
    const firstGo = stable.find((v) => v.form !== 'kubernetes');
    if (!untagged.length) tags = runtimeSpan({ min, max: r.max, ...(r.maxPatch !== undefined ? { maxPatch: r.maxPatch } : {}) });
    else {
      if (firstGo && firstGo.minor === r.max && r.maxPatch === undefined) tags = laterPatches(firstGo.goTag, `v0.${r.max}`);
      else if (firstGo) tags = span(firstGo.goTag, r.maxPatch === undefined ? `v0.${r.max}` : `v0.${r.max}.${r.maxPatch}`);
      kubernetes.push(`${releaseRuns(untagged)} (tagged in cri-api only as kubernetes-1.N.M, with no Go module tag)`);
    }
  }
  // Pre-releases that lack it too (whoLacks), named by their tags: after the cri-api tags of the releases before
  // them, or last, after releases named by Kubernetes version only.
  const pre = r.prereleases?.length ? prereleaseSpans(r) : '';
  if (pre && tags !== undefined) tags += pre;
  const parts = [...(tags ? [`cri-api ${tags}`] : []), ...(kubernetes.length ? [`the CRI API of Kubernetes ${kubernetes.join(' and ')}`] : []),
    ...(pre && tags === undefined ? [`cri-api ${pre.slice(' or '.length)}`] : [])];
  return parts.join(' or from ');
}

/**
 * The pre-releases of the history that lack an element brought by the release `tag` (whoLacks' `prereleases`): those
 * of its minor and patch cut before it; with `inNoRelease` (an element that no release of the history has yet),
 * also every pre-release of a later minor that has no stable release in the history, which can only lack it as
 * well. Only minors up to `tag`'s + SKEW: the kubelets that know it (from `tag`'s minor on) reach no further; for a
 * patch of an older line, up to SKEW past the minors released after it without it (`releasedWithout`), which the
 * kubelets of the minors to come can meet, where those are within SKEW of `tag`'s minor or reach back to the window
 * of `tag`'s minor (`reachesPastWindow`, as `whoLacks` counts). One run per minor, in version order.
 */
export function lackingPrereleases(history: History | undefined, tag: string, inNoRelease = false): PrereleaseRun[] {
  const at = parseAnyTag(tag);
  if (!history || !at) return [];
  const stable = new Set(history.releases.flatMap((r) => (r.prerelease ? [] : [parseAnyTag(r.tag)?.minor])));
  const later = inNoRelease ? releasedWithout(history, tag) : undefined;
  const reach = (later && (later.max <= at.minor + SKEW || reachesPastWindow(at.minor, later)) ? later.max : at.minor) + SKEW;
  const runs: PrereleaseRun[] = [];
  for (const r of history.releases) {
    const v = r.prerelease ? parseAnyTag(r.tag) : undefined;
    if (!v || v.minor > reach) continue;
    const own = v.minor === at.minor && v.patch === at.patch && compareTags(r.tag, tag) < 0;
    if (!own && !(inNoRelease && v.minor > at.minor && !stable.has(v.minor))) continue;
    // Named by their tag: one cri-api tagged only as kubernetes-1.N.M has no Go module tag to name it by.
    const run = runs.at(-1);
    if (run?.minor === v.minor) run.last = r.tag;
    else runs.push({ minor: v.minor, first: r.tag, last: r.tag });
  }
  return runs;
}

/**
 * For a change in no release that ships in the patch release `tag` (`v0.N.M`, M > 0, or a pre-release of it): the
 * minors after N that already have a stable release in the history, in a row from N + 1 (whoLacks'
 * `releasedWithout`). Those releases came out without the change, so their runtimes lack it and their kubelets do
 * not know it. Undefined for a `.0` release or when the next minor has no stable release yet.
 */
export function releasedWithout(history: History | undefined, tag: string): MinorRange | undefined {
  const at = parseAnyTag(tag);
  if (!history || !at || at.patch === 0) return undefined;
  const stable = new Set(history.releases.flatMap((r) => (r.prerelease ? [] : [parseAnyTag(r.tag)?.minor])));
  let max = at.minor;
  while (stable.has(max + 1)) max++;
  return max > at.minor ? { min: at.minor + 1, max } : undefined;
}

/** Consecutive patches of each minor as one span: `1.15.0–1.15.6 and 1.16.0–1.16.3`. */
function releaseRuns(vs: readonly { minor: number; patch: number }[]): string {
  const runs: string[] = [];
  for (let i = 0; i < vs.length; i++) {
    let j = i;
    while (j + 1 < vs.length && vs[j + 1]!.minor === vs[i]!.minor && vs[j + 1]!.patch === vs[j]!.patch + 1) j++;
    runs.push(span(`1.${vs[i]!.minor}.${vs[i]!.patch}`, `1.${vs[j]!.minor}.${vs[j]!.patch}`));
    i = j;
  }
  return runs.length > 1 ? `${runs.slice(0, -1).join(', ')} and ${runs.at(-1)}` : runs[0]!;
}

/** Note for elements already in the oldest release of the history (which may not be where they started). */
function indexStartNote(history: History, pkg: string, introduced: string): string {
  const oldest = history.releases[0]!.tag;
  return introduced === oldest && majorVersion(pkg)?.firstTag !== oldest ? ' (the oldest release in this history; it may be older)' : '';
}

/**
 * Other fields or values that used the same number, apart from renames: peers that meet across such a
 * reuse read each other's data as something else.
 */
function numberReuse(history: History, path: string, timeline: Timeline, lineage: Lineage, known: number[]): string[] {
  const mine = timeline.find((d) => d !== undefined);
  const n = mine && numberOf(mine);
  if (!mine || n === undefined) return [];
  const parentPath = path.slice(0, path.lastIndexOf('.'));
  const names = new Set(lineage.paths.map((p) => p.slice(p.lastIndexOf('.') + 1)));
  const uses = (mine.kind === 'field' ? history.fieldUses(parentPath) : history.enumValueUses(parentPath)).filter((u) => u.number === n && !names.has(u.name));
  const myName = path.slice(path.lastIndexOf('.') + 1);
  const myType = mine.kind === 'field' ? mine.def.type : undefined;
  const out: string[] = [];
  for (const u of uses) {
    const other = timelineOf(history, `${parentPath}.${u.name}`);
    const theirPresent = (i: number): boolean => {
      const d = other[i];
      return d !== undefined && numberOf(d) === n && (u.type === undefined || (d.kind === 'field' && d.def.type === u.type));
    };
    const theirs = stableMinors(history, theirPresent);
    const noun = mine.kind === 'field' ? 'field' : 'value';
    const what = `${u.type ? `${u.type} ` : ''}${u.name}`;
    const otherType = mine.kind === 'field' && u.type !== undefined && u.type !== myType ? ' with another type' : '';
    const when = span(u.firstTag, u.lastTag);
    const firstMine = timeline.findIndex((d) => d !== undefined);
    const lastMine = timeline.length - 1 - [...timeline].reverse().findIndex((d) => d !== undefined);
    const theirFirst = history.releases.findIndex((r) => r.tag === u.firstTag);
    const theirLast = history.releases.findIndex((r) => r.tag === u.lastTag);
    let text = theirFirst > lastMine
      ? `${noun} ${n} was reused${otherType} as ${what} (${when})`
      : theirLast < firstMine
        ? `${noun} ${n} was ${what} before (${when}); this is a reuse${otherType}`
        : `${noun} ${n} is also ${what} (${when})${otherType}`;
    // Pre-releases are releases: a minor that has the one meaning only in pre-releases (the 1.26 alphas of
    // pod_sandbox_metadata) widens the window of the other by that minor's reach.
    const mineAll = withPrereleaseMinors(history, known, lineage.present);
    const theirsAll = withPrereleaseMinors(history, theirs, theirPresent);
    const closeMine = mineAll.filter((k) => theirsAll.some((t) => Math.abs(k - t) <= SKEW));
    const closeTheirs = theirsAll.filter((t) => mineAll.some((k) => Math.abs(k - t) <= SKEW));
    if (!closeMine.length || !closeTheirs.length) {
      out.push(`${text}; no releases with the one and with the other are within the skew window of each other.`);
      continue;
    }
    text += `. Releases ${releasesWhere(history, closeMine, lineage.present)} (${myName}) and ${releasesWhere(history, closeTheirs, theirPresent)} (${u.name}) are within the skew window of each other, as kubelet or as runtime: `;
    if (mine.kind === 'field' && u.type !== undefined && u.type !== myType) {
      text += `each decodes the other's field ${n} as ${u.type} or ${myType}, not as what was sent — wrong values or a decoding error, which is worse than lacking the field (an unknown field is only skipped).`;
    } else if (mine.kind === 'field') {
      text += `the value decodes, but with the other field's meaning.`;
    } else {
      text += `the number decodes as ${u.name} on one side and ${myName} on the other.`;
    }
    out.push(text);
  }
  return out;
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
  const tags = releases.map((r) => r.tag);
  const w = Math.max(17, ...tags.map((t) => t.length + 2));
  const header = `  ${'release'.padEnd(w)}${'kubernetes'.padEnd(17)}${'added'.padStart(6)}${'removed'.padStart(8)}${'renamed'.padStart(8)}${'changed'.padStart(8)}${'docs'.padStart(6)}`;
  lines.push(header);
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
    let changed = 0, docs = 0;
    const addedKeys: string[] = [];
    for (const [k, v] of a) {
      const o = b.get(k);
      if (!o) addedKeys.push(k);
      else {
        if (o.shape !== v.shape || o.kind !== v.kind) changed++;
        if (o.doc !== v.doc) docs++;
      }
    }
    const removedKeys = [...b.keys()].filter((k) => !a.has(k));
    const renamed = countRenames(removedKeys, b, addedKeys, a);
    const added = addedKeys.length - renamed;
    const removed = removedKeys.length - renamed;
    if (!added && !removed && !renamed && !changed && !docs) {
      quiet++;
      continue;
    }
    const patch = isPatchRelease(r.tag) && (added || removed || renamed || changed) && p !== undefined;
    if (patch) patchChanges++;
    // A minor's alpha.0 is tagged when the previous minor branches, which can be before that minor's last .0-line
    // tags: what those added later is missing from it, but it removed nothing.
    const before = p === undefined ? undefined : releases[p]!;
    const early = removed && r.date && before?.date && r.date < before.date
      ? `  (tagged ${r.date}, before ${before.tag} of ${before.date} that it is compared with: it did not remove what it lacks)`
      : '';
    const base = p === undefined ? '  (first release)' : early;
    lines.push(`  ${r.tag.padEnd(w)}${r.kubernetes.padEnd(17)}${String(added).padStart(6)}${String(removed).padStart(8)}${String(renamed).padStart(8)}${String(changed).padStart(8)}${String(docs).padStart(6)}${patch ? '  * patch release' : ''}${base}`);
  }
  lines.push('');
  lines.push(`${counted(quiet, 'release')} without API or doc changes not shown. "added"/"removed"/"changed" count messages, fields, enums, enum values, services and RPCs (own facts, declared options included); "renamed" counts fields and enum values that kept their number (and type) under a new name, which the wire does not see but JSON and Go source do; "docs" counts changed doc comments.`);
  if (patchChanges) lines.push(`* ${counted(patchChanges, 'patch release')} changed the API; the policy wants API changes in v0.N.0 only.`);
  lines.push(`Policy: ${CRI_SKEW_POLICY_URL}`);
  return lines.join('\n') + '\n';
}

/**
 * Removed fields and enum values that reappear under another name in the same message or enum with the
 * same number (fields: same type, repeated or not): renames, counted once instead of as a removal and an
 * addition.
 */
function countRenames(removed: readonly string[], before: Map<string, FlatDef>, added: readonly string[], after: Map<string, FlatDef>): number {
  const wire = (path: string, d: FlatDef): string | undefined => {
    if (d.kind !== 'field' && d.kind !== 'enumValue') return undefined;
    const s = JSON.parse(d.shape) as unknown[];
    const parent = path.slice(0, path.lastIndexOf('.'));
    return d.kind === 'field' ? `${parent} f ${String(s[0])} ${String(s[1])} ${s[2] === 'repeated'}` : `${parent} v ${String(s[0])}`;
  };
  const open = new Map<string, number>();
  for (const k of added) {
    const w = wire(k, after.get(k)!);
    if (w !== undefined) open.set(w, (open.get(w) ?? 0) + 1);
  }
  let n = 0;
  for (const k of removed) {
    const w = wire(k, before.get(k)!);
    const left = w === undefined ? 0 : open.get(w) ?? 0;
    if (left > 0) {
      open.set(w!, left - 1);
      n++;
    }
  }
  return n;
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
