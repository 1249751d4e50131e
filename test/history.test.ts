// The bundled release index (server/data/history.json) against the tag corpus, and the history report.
// Build and run alone:
//   npx esbuild test/history.test.ts --bundle --platform=node --format=cjs --outfile=out/test/history.test.js --sourcemap=inline && node --test out/test/history.test.js
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_HELP, Corpus, V1ALPHA2_PATH, V1_PATH, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import {
  CORPUS_PACKAGES, IndexedHistory, buildHistoryFromModels, bundledHistoryFile, deferredBundledHistory, hasBundledHistory, historyFileFromCorpus,
  loadBundledHistory,
  mergeOrders, serializeHistoryFile,
} from '../server/src/baseline/historyIndex';
import { declaredOptions } from '../server/src/proto/declaredOptions';
import { elementLineage, historyQuery, historyReport } from '../server/src/baseline/historyCommand';
import { fingerprintDoc } from '../server/src/docs/fingerprint';
import { bind } from '../server/src/proto/binder';
import { editDistance } from '../server/src/editDistance';
import type { ApiModel } from '../server/src/proto/model';
import type { History } from '../server/src/baseline/types';
import { parse } from '../server/src/proto/parser';
import { goTagToKubernetes, parseAnyTag, sortTags } from '../server/src/policy/versions';

const repoRoot = (): string => findRepoRoot(__dirname);

const ROOT = repoRoot();
const INDEX = join(ROOT, 'server', 'data', 'history.json');
const corpusDir = findCorpusDir(ROOT);
const corpus = corpusDir ? new Corpus(corpusDir) : undefined;

// ---- an independent reading of the corpus, for expectations ----------------------------------------

const parsed = new Map<string, ApiModel>();
function modelOf(blob: string): ApiModel {
  let m = parsed.get(blob);
  if (!m) parsed.set(blob, (m = bind(parse(corpus!.text(blob)), `test:${blob}`).model));
  return m;
}

/**
 * Tag → blob for the release tags of one file, sorted by version (not trusting the file's order): the `v0.*`
 * tags, and the `kubernetes-1.N.M…` tags that have no `v0.N.M…` twin (the twins are the same commits).
 */
function goTags(path: string): { tag: string; blob: string }[] {
  const all = corpus!.rows.filter((r) => r.path === path);
  const go = new Set(all.filter((r) => r.tag.startsWith('v0.')).map((r) => r.tag));
  const rows = all.filter((r) => r.tag.startsWith('v0.') || (r.tag.startsWith('kubernetes-1.') && !go.has(`v0.${r.tag.slice('kubernetes-1.'.length)}`)));
  const blobOf = new Map(rows.map((r) => [r.tag, r.blob]));
  return sortTags(rows.map((r) => r.tag)).map((tag) => ({ tag, blob: blobOf.get(tag)! }));
}

/**
 * Options written on a declaration that the model has no property for (`[debug_redact = true]`), read from
 * the syntax node of a parsed model.
 */
function nodeOptions(d: { node?: { options: { name: string; value: string }[] } }): string[] {
  return (d.node?.options ?? []).filter((o) => !['deprecated', 'json_name', 'packed'].includes(o.name)).map((o) => `${o.name}=${o.value}`).sort();
}

/** Element path → own facts (declared options included), computed straight from a parsed model. */
function facts(model: ApiModel): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of model.messages) {
    out.set(m.fqn, JSON.stringify(['message', m.oneofs, m.reservedNumbers, m.reservedNames, !!m.deprecated, nodeOptions(m)]));
    for (const f of m.fields) out.set(`${m.fqn}.${f.name}`, JSON.stringify(['field', f.number, f.type, f.typeKind, f.label, f.oneof, f.jsonName, !!f.deprecated, f.packed, nodeOptions(f)]));
  }
  for (const e of model.enums) {
    out.set(e.fqn, JSON.stringify(['enum', e.reservedNumbers, e.reservedNames, !!e.deprecated, nodeOptions(e)]));
    for (const v of e.values) out.set(`${e.fqn}.${v.name}`, JSON.stringify(['value', v.number, !!v.deprecated, nodeOptions(v)]));
  }
  for (const s of model.services) {
    out.set(s.fqn, JSON.stringify(['service', nodeOptions(s)]));
    for (const r of s.rpcs) out.set(`${s.fqn}.${r.name}`, JSON.stringify(['rpc', r.request, r.response, r.requestStream, r.responseStream, !!r.deprecated, nodeOptions(r)]));
  }
  return out;
}

/** A model as plain comparable data: no syntax nodes, docs as fingerprints. */
function comparable(model: ApiModel): unknown {
  const doc = (d: { doc?: string; docFingerprint?: unknown }): unknown => d.docFingerprint ?? fingerprintDoc(d.doc) ?? null;
  // Parsed models: from the syntax node; models from the index have none, and keep their options aside.
  const opts = (d: object): string[] => ('node' in d && d.node ? nodeOptions(d as Parameters<typeof nodeOptions>[0]) : declaredOptions(d));
  return {
    package: model.package,
    syntax: model.syntax,
    messages: model.messages.map((m) => ({
      fqn: m.fqn, name: m.name, oneofs: m.oneofs, reservedNumbers: m.reservedNumbers, reservedNames: m.reservedNames, deprecated: !!m.deprecated, doc: doc(m),
      options: opts(m),
      fields: m.fields.map((f) => ({
        name: f.name, number: f.number, type: f.type, typeKind: f.typeKind, label: f.label, oneof: f.oneof ?? null, jsonName: f.jsonName,
        deprecated: !!f.deprecated, packed: f.packed ?? null, doc: doc(f), options: opts(f),
      })),
    })),
    enums: model.enums.map((e) => ({
      fqn: e.fqn, name: e.name, reservedNumbers: e.reservedNumbers, reservedNames: e.reservedNames, deprecated: !!e.deprecated, doc: doc(e),
      options: opts(e),
      values: e.values.map((v) => ({ name: v.name, number: v.number, deprecated: !!v.deprecated, doc: doc(v), options: opts(v) })),
    })),
    services: model.services.map((s) => ({
      fqn: s.fqn, name: s.name, doc: doc(s), options: opts(s),
      rpcs: s.rpcs.map((r) => ({
        name: r.name, request: r.request, response: r.response, requestStream: r.requestStream, responseStream: r.responseStream,
        deprecated: !!r.deprecated, doc: doc(r), options: opts(r),
      })),
    })),
  };
}

// ---- the bundled index alone ------------------------------------------------------------------------

test('bundled index: its size, and every element it lists can be looked up', () => {
  // Load time and lookup speed are figures of the bench (3c, 3g in bench/README.md), not asserted here.
  const bytes = statSync(INDEX).size;
  assert.ok(bytes < 1.5 * 1024 * 1024, `history.json is ${bytes} bytes`);
  for (const pkg of ['runtime.v1', 'runtime.v1alpha2']) {
    const h = loadBundledHistory(pkg);
    const paths = h.elementPaths();
    assert.ok(paths.length > 100, `${pkg}: ${paths.length} element paths`);
    for (const p of paths) assert.ok(h.element(p), `${pkg}: element(${p})`);
  }
});

test('bundled index, deferred: the packages it has, and the same answers as the loaded index', () => {
  const packages = Object.keys(bundledHistoryFile().packages);
  assert.deepEqual(packages.sort(), ['runtime.v1', 'runtime.v1alpha2']);
  for (const pkg of packages) {
    assert.ok(hasBundledHistory(pkg), pkg);
    const deferred = deferredBundledHistory(pkg)!;
    const loaded = loadBundledHistory(pkg);
    assert.equal(deferred.package, pkg);
    assert.deepEqual(deferred.releases, loaded.releases);
    assert.deepEqual(deferred.newestRelease?.({ includePrereleases: true }), loaded.newestRelease({ includePrereleases: true }));
    const paths = deferred.elementPaths!();
    assert.deepEqual(paths, loaded.elementPaths());
    for (const path of paths.filter((_, i) => i % 7 === 0)) {
      assert.deepEqual(deferred.element(path), loaded.element(path), path);
      assert.deepEqual(deferred.fieldUses(path), loaded.fieldUses(path), path);
      assert.deepEqual(deferred.enumValueUses(path), loaded.enumValueUses(path), path);
    }
    assert.deepEqual(deferred.modelAt(loaded.releases[0]!.tag), loaded.modelAt(loaded.releases[0]!.tag));
  }
  for (const pkg of ['runtime.v2', 'runtime', 'v1', '']) {
    assert.equal(hasBundledHistory(pkg), false, pkg);
    assert.equal(deferredBundledHistory(pkg), undefined, pkg);
  }
});

test('bundled index: releases, newest release, facts only', () => {
  const h = loadBundledHistory();
  assert.equal(h.package, 'runtime.v1');
  assert.equal(h.releases[0]!.tag, 'v0.20.0-beta.2');
  assert.equal(h.newestRelease()?.tag, 'v0.36.3');
  assert.equal(h.newestRelease({ includePrereleases: true })?.tag, 'v0.37.0-beta.0');
  assert.deepEqual(h.releases.find((r) => r.tag === 'v0.36.3'), { tag: 'v0.36.3', kubernetes: '1.36.3', prerelease: false, date: h.releases.find((r) => r.tag === 'v0.36.3')!.date });
  assert.match(h.releases.find((r) => r.tag === 'v0.36.3')!.date!, /^\d{4}-\d{2}-\d{2}$/);
  for (const r of h.releases) assert.equal(r.kubernetes, goTagToKubernetes(r.tag));
  assert.deepEqual(h.releases.map((r) => r.tag), sortTags(h.releases.map((r) => r.tag)));
  assert.ok(!h.releases.some((r) => r.tag.startsWith('kubernetes-')));
  const old = loadBundledHistory('runtime.v1alpha2');
  assert.equal(old.releases[0]!.tag, 'kubernetes-1.15.0-alpha.1', 'cri-api tagged 1.15.0-alpha.1 … 1.18.0-alpha.0 only in the Kubernetes form, mostly');
  assert.equal(old.releases[old.releases.length - 1]!.tag, 'v0.26.0-alpha.3');
  assert.throws(() => loadBundledHistory('runtime.v2'), /no package "runtime.v2"/);
  // Facts only: no comment text and no proto text. Doc entries are an 8-digit hash and single-word terms.
  const file = bundledHistoryFile();
  for (const p of Object.values(file.packages)) {
    for (const d of p.docs) assert.match(d, /^[0-9a-f]{8}( \S+)*$/);
    for (const s of p.strings) assert.ok(!/\s/.test(s) && s.length < 80, `string table entry "${s}"`);
  }
  const text = readFileSync(INDEX, 'utf8');
  for (const needle of ['syntax = ', 'message ', 'rpc ', '//', 'option go_package']) assert.ok(!text.includes(needle), `history.json contains "${needle}"`);
});

test('bundled index: known facts', () => {
  const h = loadBundledHistory();
  const cdi = h.element('runtime.v1.ContainerConfig.CDI_devices');
  assert.ok(cdi);
  assert.equal(cdi.kind, 'field');
  assert.equal(cdi.present, true);
  assert.equal(cdi.lastSeen, 'v0.37.0-beta.0');
  assert.equal(h.element('runtime.v1.ContainerConfig.cdi_devices'), undefined, 'element() is exact; the report resolves case');
  assert.equal(h.element('runtime.v1.NoSuchThing'), undefined);
  assert.equal(h.element('runtime.v1alpha2.ContainerConfig'), undefined);
  // KeyValue.value went from string to bytes in patch releases (v0.34.9, v0.35.6, v0.36.2) and in v0.37.0-alpha.1.
  const kv = h.fieldUses('runtime.v1.KeyValue');
  assert.deepEqual(kv, [
    { number: 1, name: 'key', type: 'string', firstTag: 'v0.20.0-beta.2', lastTag: 'v0.37.0-beta.0' },
    { number: 2, name: 'value', type: 'string', firstTag: 'v0.20.0-beta.2', lastTag: 'v0.37.0-alpha.0' },
    { number: 2, name: 'value', type: 'bytes', firstTag: 'v0.34.9', lastTag: 'v0.37.0-beta.0' },
  ]);
  assert.equal(h.element('runtime.v1.KeyValue.value')?.lastChanged, 'v0.37.0-alpha.1');
  assert.equal(h.modelAt('v0.34.8')!.messages.find((m) => m.fqn === 'runtime.v1.KeyValue')!.fields[1]!.type, 'string');
  assert.equal(h.modelAt('v0.34.9')!.messages.find((m) => m.fqn === 'runtime.v1.KeyValue')!.fields[1]!.type, 'bytes');
  assert.equal(h.modelAt('kubernetes-1.34.9'), h.modelAt('v0.34.9'), 'Kubernetes forms of a tag resolve');
  assert.equal(h.modelAt('v0.99.0'), undefined);
  assert.deepEqual(h.fieldUses('runtime.v1.NoSuchMessage'), []);
  assert.deepEqual(h.fieldUses('runtime.v1.Protocol'), [], 'an enum has no fields');
  assert.deepEqual(h.enumValueUses('runtime.v1.Protocol').map((u) => [u.number, u.name, u.type]), [[0, 'TCP', undefined], [1, 'UDP', undefined], [2, 'SCTP', undefined]]);
});

test('mergeOrders keeps every sequence order it can', () => {
  assert.deepEqual(mergeOrders([['a', 'c'], ['a', 'b', 'c'], ['b', 'c', 'd'], ['x', 'a']]), ['x', 'a', 'b', 'c', 'd']);
  assert.deepEqual(mergeOrders([]), []);
});

// ---- against the corpus -----------------------------------------------------------------------------

test('committed server/data/history.json is up to date with the corpus', (t) => {
  if (!corpus) return t.skip(CORPUS_HELP);
  const fresh = serializeHistoryFile(historyFileFromCorpus(corpus));
  const committed = readFileSync(INDEX, 'utf8');
  assert.ok(fresh === committed, `${INDEX} is stale: rebuild with npx esbuild scripts/build-history.ts --bundle --platform=node --outfile=out/build-history.js && node out/build-history.js`);
  assert.deepEqual(bundledHistoryFile(), JSON.parse(committed), 'this test bundle inlines the committed index');
});

test('introduced / last seen match a scan of the corpus, for every element', (t) => {
  if (!corpus) return t.skip(CORPUS_HELP);
  for (const { package: pkg, path } of CORPUS_PACKAGES) {
    const h = loadBundledHistory(pkg);
    const first = new Map<string, string>();
    const last = new Map<string, string>();
    for (const { tag, blob } of goTags(path)) {
      for (const p of facts(modelOf(blob)).keys()) {
        if (!first.has(p)) first.set(p, tag);
        last.set(p, tag);
      }
    }
    assert.deepEqual(new Set(h.elementPaths()), new Set(first.keys()), `${pkg}: element set`);
    for (const [p, tag] of first) {
      const e = h.element(p);
      assert.ok(e, `${p} in the index`);
      assert.equal(e.introduced, tag, `${p} introduced`);
      assert.equal(e.lastSeen, last.get(p), `${p} last seen`);
    }
    console.log(`${pkg}: ${first.size} elements checked against ${goTags(path).length} tags`);
  }
});

test('introduced-in for chosen elements (field, RPCs, enum values, message, enum, removed field)', (t) => {
  if (!corpus) return t.skip(CORPUS_HELP);
  const chosen: [string, string][] = [
    ['runtime.v1.ContainerConfig.CDI_devices', 'field'],
    ['runtime.v1.RuntimeService.UpdatePodSandboxResources', 'rpc'],
    ['runtime.v1.RuntimeService.ListMetricDescriptors', 'rpc'],
    ['runtime.v1.RuntimeService.Version', 'rpc'],
    ['runtime.v1.NamespaceMode.TARGET', 'enumValue'],
    ['runtime.v1.ContainerEventType.CONTAINER_DELETED_EVENT', 'enumValue'],
    ['runtime.v1.Signal.SIGNAL_SIGKILL', 'enumValue'],
    ['runtime.v1.UserNamespace', 'message'],
    ['runtime.v1.SupplementalGroupsPolicy', 'enum'],
    ['runtime.v1.LinuxContainerSecurityContext.supplemental_groups_policy', 'field'],
    ['runtime.v1.ContainerEventResponse.pod_sandbox_metadata', 'field'],
    ['runtime.v1.ContainerConfig.stop_signal', 'field'],
  ];
  const tags = goTags(V1_PATH);
  const h = loadBundledHistory();
  for (const [path, kind] of chosen) {
    const have = tags.filter(({ blob }) => facts(modelOf(blob)).has(path)).map((x) => x.tag);
    assert.ok(have.length, `${path} is somewhere in the corpus`);
    const e = h.element(path);
    assert.ok(e, path);
    assert.equal(e.kind, kind, path);
    assert.equal(e.introduced, have[0], `${path} introduced`);
    assert.equal(e.lastSeen, have[have.length - 1], `${path} last seen`);
    assert.equal(e.present, have[have.length - 1] === tags[tags.length - 1]!.tag, `${path} present`);
  }
  assert.equal(h.element('runtime.v1.ContainerEventResponse.pod_sandbox_metadata')?.present, false);
  assert.equal(h.element('runtime.v1.Signal.SIGKILL')?.present, false, 'renamed to SIGNAL_SIGKILL');
});

test('lastChanged of leaves matches the corpus: start of the last stretch of equal facts', (t) => {
  if (!corpus) return t.skip(CORPUS_HELP);
  for (const { package: pkg, path } of CORPUS_PACKAGES) {
    const h = loadBundledHistory(pkg);
    const lastShape = new Map<string, string>();
    const changed = new Map<string, string>();
    for (const { tag, blob } of goTags(path)) {
      for (const [p, f] of facts(modelOf(blob))) {
        if (lastShape.get(p) !== f) changed.set(p, tag);
        lastShape.set(p, f);
      }
    }
    // Containers: own facts plus their members' names and facts (member order does not count).
    const lastComposite = new Map<string, string>();
    const containerChanged = new Map<string, string>();
    for (const { tag, blob } of goTags(path)) {
      const f = facts(modelOf(blob));
      const members = new Map<string, string[]>();
      for (const [p, x] of f) {
        const parent = p.slice(0, p.lastIndexOf('.'));
        const kind = (JSON.parse(x) as string[])[0];
        if (kind === 'field' || kind === 'value' || kind === 'rpc') {
          let l = members.get(parent);
          if (!l) members.set(parent, (l = []));
          l.push(`${p}=${x}`);
        }
      }
      for (const [p, x] of f) {
        const kind = (JSON.parse(x) as string[])[0];
        if (kind !== 'message' && kind !== 'enum' && kind !== 'service') continue;
        const composite = `${x}|${(members.get(p) ?? []).sort().join('|')}`;
        if (lastComposite.get(p) !== composite) containerChanged.set(p, tag);
        lastComposite.set(p, composite);
      }
    }
    let leaves = 0;
    let containers = 0;
    for (const [p, tag] of changed) {
      const e = h.element(p)!;
      if (e.kind === 'message' || e.kind === 'enum' || e.kind === 'service') {
        containers++;
        assert.equal(e.lastChanged, containerChanged.get(p), `${p} last changed (with its members)`);
        continue;
      }
      leaves++;
      assert.equal(e.lastChanged, tag, `${p} last changed`);
    }
    assert.ok(leaves > 100 && containers > 50);
  }
  assert.equal(loadBundledHistory().element('runtime.v1.ContainerConfig')?.lastChanged, 'v0.33.0-rc.0', 'stop_signal was added then');
});

test('modelAt(tag) resolves every tag, sharing one model per blob', (t) => {
  if (!corpus) return t.skip(CORPUS_HELP);
  for (const { package: pkg, path } of CORPUS_PACKAGES) {
    const h = loadBundledHistory(pkg);
    const byBlob = new Map<string, ApiModel>();
    for (const { tag, blob } of goTags(path)) {
      const m = h.modelAt(tag);
      assert.ok(m, `${pkg} ${tag}`);
      const first = byBlob.get(blob);
      if (first) assert.equal(m, first, `${pkg} ${tag}: same model as the other tags with blob ${blob}`);
      else byBlob.set(blob, m);
    }
  }
});

test('modelAt(tag) equals the parsed model for every tag with a distinct blob', (t) => {
  if (!corpus) return t.skip(CORPUS_HELP);
  let checked = 0;
  for (const { package: pkg, path } of CORPUS_PACKAGES) {
    const h = loadBundledHistory(pkg);
    const seen = new Set<string>();
    for (const { tag, blob } of goTags(path)) {
      if (seen.has(blob)) continue;
      seen.add(blob);
      const want = comparable(modelOf(blob));
      const got = comparable(h.modelAt(tag)!);
      assert.deepEqual(got, want, `${pkg} at ${tag}`);
      checked++;
    }
  }
  console.log(`modelAt: ${checked} distinct blobs, each equal to its parsed file, declaration order included`);
  assert.ok(checked >= 60);
});

test('fieldUses: a message whose fields changed (number reused by another name and type)', (t) => {
  const h = loadBundledHistory();
  const uses = h.fieldUses('runtime.v1.ContainerEventResponse');
  const four = uses.filter((u) => u.number === 4);
  assert.deepEqual(four.map((u) => [u.name, u.type]), [
    ['pod_sandbox_metadata', 'runtime.v1.PodSandboxMetadata'],
    ['pod_sandbox_status', 'runtime.v1.PodSandboxStatus'],
  ]);
  if (!corpus) return t.skip(CORPUS_HELP);
  // Expected from the corpus: every (number, name, type) with its first and last tag.
  const want = new Map<string, { number: number; name: string; type: string; firstTag: string; lastTag: string }>();
  for (const { tag, blob } of goTags(V1_PATH)) {
    const m = modelOf(blob).messages.find((x) => x.fqn === 'runtime.v1.ContainerEventResponse');
    for (const f of m?.fields ?? []) {
      const k = `${f.number}/${f.name}/${f.type}`;
      const w = want.get(k);
      if (w) w.lastTag = tag;
      else want.set(k, { number: f.number, name: f.name, type: f.type, firstTag: tag, lastTag: tag });
    }
  }
  const key = (u: { number: number; name: string }): string => `${u.number}/${u.name}`;
  assert.deepEqual([...uses].sort((a, b) => key(a).localeCompare(key(b))), [...want.values()].sort((a, b) => key(a).localeCompare(key(b))));
});

test('buildHistoryFromModels: from a handful of tags, in any order, like git tags', (t) => {
  if (!corpus) return t.skip(CORPUS_HELP);
  const tags = ['v0.36.3', 'v0.27.0', 'v0.28.0', 'v0.26.0', 'v0.34.8', 'v0.34.9'];
  const entries = tags.map((tag) => {
    const row = corpus.rows.find((r) => r.tag === tag && r.path === V1_PATH)!;
    return { release: { tag, kubernetes: goTagToKubernetes(tag)!, prerelease: false }, model: bind(parse(corpus.text(row.blob)), tag).model };
  });
  const h = buildHistoryFromModels(entries);
  assert.deepEqual(h.releases.map((r) => r.tag), ['v0.26.0', 'v0.27.0', 'v0.28.0', 'v0.34.8', 'v0.34.9', 'v0.36.3']);
  assert.equal(h.element('runtime.v1.ContainerConfig.CDI_devices')?.introduced, 'v0.27.0');
  assert.equal(h.element('runtime.v1.KeyValue.value')?.lastChanged, 'v0.34.9');
  assert.deepEqual(comparable(h.modelAt('v0.28.0')!), comparable(entries[2]!.model));
  // Same answer whatever the input order, and the data round-trips through JSON.
  const again = buildHistoryFromModels([...entries].reverse());
  assert.deepEqual(again.data, h.data);
  const copy = new IndexedHistory(JSON.parse(JSON.stringify(h.data)));
  assert.deepEqual(comparable(copy.modelAt('v0.36.3')!), comparable(entries[0]!.model));
  // Models from the index (fingerprints, no doc text) encode to the same thing as parsed ones.
  const fromIndex = buildHistoryFromModels(h.releases.map((release) => ({ release, model: h.modelAt(release.tag)! })));
  assert.deepEqual(fromIndex.data.elements, h.data.elements);
  assert.throws(() => buildHistoryFromModels([]), /no releases/);
  const alpha = corpus.rows.find((r) => r.tag === 'v0.25.0' && r.path === V1ALPHA2_PATH)!;
  assert.throws(() => buildHistoryFromModels([...entries, { release: { tag: 'v0.25.0', kubernetes: '1.25.0', prerelease: false }, model: bind(parse(corpus.text(alpha.blob)), 'x').model }]), /package/);
});

// ---- the report -------------------------------------------------------------------------------------

test('skew of an element still in the newest release counts the kubelets to come, and says they are not released yet', () => {
  const h = loadBundledHistory();
  const text = historyReport(h, 'runtime.v1.ImageService.StreamImages');
  // StreamImages came in v0.36.0-beta.0: runtimes v0.33–v0.35 and v0.36.0-alpha.0–alpha.2 lack it, and kubelets up
  // to 1.39 can meet them.
  const newestStable = Math.max(...h.releases.filter((r) => !r.prerelease).map((r) => parseAnyTag(r.tag)!.minor));
  // The minor after the newest stable one is out in part where the history has pre-releases of it (1.37.0-alpha.0 …).
  const pre = h.releases.some((r) => r.prerelease && parseAnyTag(r.tag)!.minor === newestStable + 1);
  const unreleased = pre ? newestStable + 2 : newestStable + 1;
  const parts = [...(pre && newestStable < 39 ? [`1.${newestStable + 1} only in pre-releases so far`] : []), ...(unreleased <= 39 ? [`${unreleased === 39 ? '1.39' : `1.${unreleased}–1.39`} not released yet`] : [])];
  const future = parts.length ? ` (${parts.join(', ')})` : '';
  if (newestStable === 36) assert.equal(future, ' (1.37 only in pre-releases so far, 1.38–1.39 not released yet)', 'the bundled index: 1.37 has pre-releases only');
  assert.ok(text.includes(`skew:         kubelets 1.36.0-beta.0–1.39 know it${future} and can be paired with runtimes built from cri-api v0.33–v0.35 or v0.36.0-alpha.0–v0.36.0-alpha.2, which do not.`), text);
});

test('history report for an element: introduced, last changed, last seen, skew', () => {
  const h = loadBundledHistory();
  const cdi = h.element('runtime.v1.ContainerConfig.CDI_devices')!;
  const text = historyReport(h, 'runtime.v1.ContainerConfig.cdi_devices');
  console.log(text);
  assert.match(text, /^runtime\.v1\.ContainerConfig\.CDI_devices {2}\(field 17 of runtime\.v1\.ContainerConfig: repeated runtime\.v1\.CDIDevice/);
  assert.match(text, /proto names are case-sensitive/);
  assert.ok(text.includes(`introduced:   ${cdi.introduced} (Kubernetes ${goTagToKubernetes(cdi.introduced)})`));
  assert.match(text, /last seen: {4}still present/);
  assert.match(text, /skew: {9}kubelets 1\.27\.0-alpha\.3–1\.30 know it and can be paired with runtimes built from cri-api v0\.24–v0\.26 or v0\.27\.0-alpha\.0–v0\.27\.0-alpha\.2, which do not\./);
  assert.ok(text.includes('https://www.kubernetes.dev/docs/code/cri-api-version-skew-policy/'));

  const rpc = historyReport(h, 'runtime.v1.RuntimeService.UpdatePodSandboxResources');
  assert.match(rpc, /Unimplemented/);
  const kv = historyReport(h, 'runtime.v1.KeyValue.value');
  assert.match(kv, /last changed: v0\.37\.0-alpha\.1 \(Kubernetes 1\.37\.0-alpha\.1\) — type string → bytes/);
  const removed = historyReport(h, 'runtime.v1.ContainerEventResponse.pod_sandbox_metadata');
  assert.match(removed, /last seen: {4}v0\.26\.0-alpha\.3 \(Kubernetes 1\.26\.0-alpha\.3\); not in v0\.26\.0-beta\.0 or later/);
  const old = historyReport(h, 'ContainerConfig');
  assert.match(old, /^runtime\.v1\.ContainerConfig {2}\(message/, 'the package prefix is optional');
  assert.match(old, /every runtime that speaks runtime\.v1 has it/);
});

test('history report: unknown elements get an error with suggestions', () => {
  const h = loadBundledHistory();
  const r = historyQuery(h, 'runtime.v1.ContainerConfig.cdi_device');
  assert.equal(r.ok, false);
  assert.match(r.text, /^unknown element "runtime\.v1\.ContainerConfig\.cdi_device" in runtime\.v1/);
  assert.match(r.text, /Did you mean "runtime\.v1\.ContainerConfig\.CDI_devices"\?/);
  assert.match(historyReport(h, 'runtime.v1.RuntimeService.UpdatePodSandboxResource'), /Did you mean "runtime\.v1\.RuntimeService\.UpdatePodSandboxResources"/);
  assert.match(historyReport(h, 'runtime.v1alpha2.PodSandboxConfig'), /names package runtime\.v1alpha2; this history covers runtime\.v1\)\. Did you mean "runtime\.v1\.PodSandboxConfig"\?/);
  assert.match(historyReport(h, 'zzzzzzzz'), /^unknown element "zzzzzzzz"/);
});

test('history report: a 20,000-character element: no name too far to suggest has its distance computed, and the answer is as before', () => {
  // The edit distance to every name made this take seconds: a name whose length differs by more than the
  // suggestion's limit cannot be within it, and a row past the limit ends the computation.
  const long = 'a'.repeat(20_000);
  assert.equal(editDistance(long, 'runtime.v1.containerconfig', 6666), 6667, 'given up at once: the lengths differ by more than the limit');
  assert.equal(editDistance('zzzzzzzzzz', 'aaaaaaaaaa', 2), 3, 'given up once a row is past the limit');
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('kitten', 'sitting', 3), 3, 'within the limit: the distance itself');
  const h = loadBundledHistory();
  assert.match(historyReport(h, `runtime.v1.${long}`), /^unknown element "runtime\.v1\.a{20000}" in runtime\.v1 \(releases [^)]*\)\. Element paths look like /);
  assert.match(historyReport(h, 'runtime.v1.ContainerConfig.cdi_device'), /Did you mean "runtime\.v1\.ContainerConfig\.CDI_devices"\?/);
});

test('history summary: releases and per-release counts', () => {
  const h = loadBundledHistory();
  const text = historyReport(h);
  console.log(text.split('\n').slice(0, 12).join('\n'));
  assert.match(text, /^runtime\.v1: 463 releases, v0\.20\.0-beta\.2 \(Kubernetes 1\.20\.0-beta\.2\) \.\. v0\.37\.0-beta\.0/);
  assert.match(text, /newest stable: v0\.36\.3 \(Kubernetes 1\.36\.3\)/);
  // The KeyValue.value type change in v0.34.9 shows as a changed element in a patch release.
  assert.match(text, /\n {2}release +kubernetes +added +removed +renamed +changed +docs\n/);
  assert.match(text, /\n {2}v0\.34\.9 +1\.34\.9 +0 +0 +0 +1 +\d+ {2}\* patch release/);
  assert.match(text, /without API or doc changes not shown/);
  const old = historyReport(loadBundledHistory('runtime.v1alpha2'));
  assert.match(old, /^runtime\.v1alpha2: 457 releases, kubernetes-1\.15\.0-alpha\.1 \(no v0\.15\.0-alpha\.1 Go module tag\)/);
  assert.equal((old.match(/\(first release\)/g) ?? []).length, 1, 'later minors compare with an earlier release even when their line starts mid-way');
});

test('history report on runtime.v1alpha2: the index start and the package removal', () => {
  const h = loadBundledHistory('runtime.v1alpha2');
  const text = historyReport(h, 'runtime.v1alpha2.LinuxContainerSecurityContext.apparmor_profile');
  assert.match(text, /introduced: {3}kubernetes-1\.15\.0-alpha\.1 \(no v0\.15\.0-alpha\.1 Go module tag\) \(the oldest release in this history; it may be older\)/);
  assert.match(text, /last changed: v0\.20\.0-beta\.2 \(Kubernetes 1\.20\.0-beta\.2\) — deprecated false → true/);
  assert.match(text, /last seen: {4}v0\.26\.0-alpha\.3 \(Kubernetes 1\.26\.0-alpha\.3\), the last release of runtime\.v1alpha2 \(removed in Kubernetes 1\.26\)/);
  assert.match(text, /skew: {9}not known/);
  // The 1.26 pre-releases still have runtime.v1alpha2 (its last release is v0.26.0-alpha.3): their kubelets know it too.
  assert.match(historyReport(h, 'runtime.v1alpha2.RuntimeService.ListPodSandboxStats'), /kubelets 1\.23\.0-alpha\.1–1\.26\.0-alpha\.3 know it and can be paired with runtimes built from cri-api v0\.20–v0\.22 or v0\.23\.0-alpha\.0,/);
});

// ---- the element report against the corpus ------------------------------------------------------------

const reports = new Map<string, string>();
/** `historyReport` of the bundled history, cached (several tests read every element's report). */
function reportOf(pkg: string, path: string): string {
  let r = reports.get(`${pkg} ${path}`);
  if (r === undefined) reports.set(`${pkg} ${path}`, (r = historyReport(loadBundledHistory(pkg), path)));
  return r;
}

/** The minor of a `v0.N.M[-pre]` or `kubernetes-1.N.M[-pre]` tag, and whether it is stable. */
function minorOfTag(tag: string): { minor: number; patch: number; stable: boolean } {
  const m = /^(?:v0|kubernetes-1)\.(\d+)\.(\d+)(-.*)?$/.exec(tag)!;
  return { minor: Number(m[1]), patch: Number(m[2]), stable: m[3] === undefined };
}

const stableMinorsByFile = new Map<string, Map<string, Set<number>>>();
/** From the corpus: the Kubernetes minors with a stable release whose file has the element. */
function corpusStableMinors(path: string, element: string): Set<number> {
  let byElement = stableMinorsByFile.get(path);
  if (!byElement) {
    stableMinorsByFile.set(path, (byElement = new Map()));
    const keys = new Map<string, string[]>();
    for (const { tag, blob } of goTags(path)) {
      const v = minorOfTag(tag);
      if (!v.stable) continue;
      let k = keys.get(blob);
      if (!k) keys.set(blob, (k = [...facts(modelOf(blob)).keys()]));
      for (const e of k) {
        let s = byElement.get(e);
        if (!s) byElement.set(e, (s = new Set()));
        s.add(v.minor);
      }
    }
  }
  return byElement.get(element) ?? new Set();
}

function minorsIn(text: string, re: RegExp): number[] | undefined {
  const m = re.exec(text);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = m[2] ? Number(m[2]) : a;
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

test('element report: the kubelets said to know an element, or to have had it, had it in a stable release', (t) => {
  if (!corpus) return t.skip(CORPUS_HELP);
  let checked = 0;
  const newestStable = (pkg: string): number => Math.max(...loadBundledHistory(pkg).releases.filter((r) => !r.prerelease).map((r) => parseAnyTag(r.tag)!.minor));
  for (const { package: pkg, path } of CORPUS_PACKAGES) {
    for (const element of loadBundledHistory(pkg).elementPaths()) {
      const text = reportOf(pkg, element);
      if (/renamed (from|to):/.test(text)) continue; // the number's history, not the name's: see the rename test
      const have = corpusStableMinors(path, element);
      const knows = minorsIn(text, /skew: +kubelets? 1\.(\d+)(?:\.\d+(?:-[a-z]+\.\d+)?)?(?:–1\.(\d+)| and later 1\.\d+ patches)? knows? it/);
      // Or up to a pre-release (`1.25.0-beta.0–1.26.0-alpha.3`), whose minor has no stable release with it: the
      // corpus's tag of that pre-release has it.
      const upTo = /skew: +kubelets 1\.(\d+)\S*–1\.(\d+)\.(\d+-[a-z]+\.\d+) know it/.exec(text);
      if (upTo) {
        const tag = goTags(path).find((t) => t.tag === `v0.${upTo[2]}.${upTo[3]}`);
        assert.ok(tag && facts(modelOf(tag.blob)).has(element), `${element}: kubelet 1.${upTo[2]}.${upTo[3]} is said to know it\n${text}`);
      }
      const knowsStable = knows ?? (upTo ? Array.from({ length: Number(upTo[2]) - Number(upTo[1]) }, (_, i) => Number(upTo[1]) + i) : undefined);
      // Stable kubelets only: pre-releases of the removing minor that had it are named after them.
      const had = minorsIn(text, /window of kubelets? 1\.(\d+)(?:–1\.(\d+))?(?: and 1\.\d+\.0-[a-z]+\.\d+(?:–1\.\d+\.0-[a-z]+\.\d+)?)?, which had it/);
      // Kubelets to come are named only while the newest release has it, and only after the newest stable minor.
      const toCome = [
        ...minorsIn(text, /know it \((?:1\.\d+ only in pre-releases so far, )?1\.(\d+)(?:–1\.(\d+))? not released yet\)/) ?? [],
        ...minorsIn(text, /know it \(1\.(\d+)() only in pre-releases so far/) ?? [],
      ];
      for (const k of toCome) {
        assert.ok(k > newestStable(pkg) && /last seen: +still present/.test(text), `${element}: kubelet 1.${k} is said to be unreleased\n${text}`);
      }
      for (const k of [...(knowsStable ?? []), ...(had ?? [])]) assert.ok(have.has(k) || toCome.includes(k), `${element}: the report names kubelet 1.${k}, but no stable 1.${k} release has it\n${text}`);
      // Runtimes said to lack it after a removal have no stable release with it.
      // From the release that dropped it: a minor whose pre-releases still had it starts at that release.
      const lacking = minorsIn(text, /removal: +runtimes built from cri-api v0\.(\d+)(?:\.0-[a-z]+\.\d+)?(?:–v0\.(\d+))? lack it/);
      for (const r of lacking ?? []) assert.ok(!have.has(r), `${element}: v0.${r} is said to lack it\n${text}`);
      if (knowsStable || had) checked++;
    }
  }
  assert.ok(checked > 100, `${checked} reports with a skew or removal window`);
  // The audit's example: field 4 of ContainerEventResponse was only in 1.25 (v0.25.0-beta.0 .. v0.26.0-alpha.3).
  const meta = reportOf('runtime.v1', 'runtime.v1.ContainerEventResponse.pod_sandbox_metadata');
  // Its kubelets: those of 1.25.0-beta.0 on, and of the 1.26 pre-releases that still had it, as the removal row says.
  assert.match(meta, /skew: {9}kubelets 1\.25\.0-beta\.0–1\.26\.0-alpha\.3 know it and can be paired with runtimes built from cri-api v0\.22–v0\.24 or v0\.25\.0-alpha\.0–v0\.25\.0-alpha\.3, which do not\./);
  // Pre-releases are releases: v0.26.0-alpha.0–alpha.3 still have it, so v0.26 runtimes lack it only from v0.26.0-beta.0 on.
  assert.match(meta, /removal: {6}runtimes built from cri-api v0\.26\.0-beta\.0–v0\.29 lack it but are in the window of kubelets 1\.25 and 1\.26\.0-alpha\.0–1\.26\.0-alpha\.3, which had it/);
  assert.doesNotMatch(meta, /1\.23|1\.27/);
});

test('element report: a field number reused with another type is called out, both ways', (t) => {
  if (!corpus) return t.skip(CORPUS_HELP);
  // From the corpus: field 4 of ContainerEventResponse, by name and type, and the stable minors of each.
  const tags = goTags(V1_PATH);
  const uses = new Map<string, Set<number>>();
  for (const { tag, blob } of tags) {
    const f = modelOf(blob).messages.find((m) => m.fqn === 'runtime.v1.ContainerEventResponse')?.fields.find((x) => x.number === 4);
    if (!f) continue;
    let s = uses.get(`${f.name} ${f.type}`);
    if (!s) uses.set(`${f.name} ${f.type}`, (s = new Set()));
    if (minorOfTag(tag).stable) s.add(minorOfTag(tag).minor);
  }
  assert.deepEqual([...uses.keys()], ['pod_sandbox_metadata runtime.v1.PodSandboxMetadata', 'pod_sandbox_status runtime.v1.PodSandboxStatus']);
  assert.deepEqual([...uses.get('pod_sandbox_metadata runtime.v1.PodSandboxMetadata')!], [25]);
  const meta = reportOf('runtime.v1', 'runtime.v1.ContainerEventResponse.pod_sandbox_metadata');
  assert.match(meta, /number reuse: field 4 was reused with another type as runtime\.v1\.PodSandboxStatus pod_sandbox_status \(v0\.26\.0-beta\.0–v0\.37\.0-beta\.0\)\. Releases 1\.25, 1\.26\.0-alpha\.0–1\.26\.0-alpha\.3 \(pod_sandbox_metadata\) and 1\.26–1\.29 \(pod_sandbox_status\) are within the skew window/);
  assert.match(meta, /worse than lacking the field/);
  const status = reportOf('runtime.v1', 'runtime.v1.ContainerEventResponse.pod_sandbox_status');
  assert.match(status, /number reuse: field 4 was runtime\.v1\.PodSandboxMetadata pod_sandbox_metadata before \(v0\.25\.0-beta\.0–v0\.26\.0-alpha\.3\); this is a reuse with another type\. Releases 1\.26–1\.29 \(pod_sandbox_status\) and 1\.25, 1\.26\.0-alpha\.0–1\.26\.0-alpha\.3 \(pod_sandbox_metadata\)/);
  assert.doesNotMatch(reportOf('runtime.v1', 'runtime.v1.ContainerConfig.CDI_devices'), /number reuse/);
});

test('element report: enum values renamed with the same number are renames, not removals and additions', (t) => {
  if (!corpus) return t.skip(CORPUS_HELP);
  // From the corpus: the Signal values of v0.37.0-alpha.1 whose names v0.37.0-alpha.0 had under another name.
  const at = (tag: string) => modelOf(goTags(V1_PATH).find((x) => x.tag === tag)!.blob).enums.find((e) => e.fqn === 'runtime.v1.Signal')!.values;
  const before = at('v0.37.0-alpha.0');
  const after = at('v0.37.0-alpha.1');
  const pairs = after.filter((v) => !before.some((b) => b.name === v.name)).map((v) => [before.find((b) => b.number === v.number)!.name, v.name, v.number] as const);
  assert.equal(pairs.length, after.length, 'every value was renamed');
  assert.ok(pairs.some(([o, n]) => o === 'SIGKILL' && n === 'SIGNAL_SIGKILL'));
  for (const [oldName, newName, n] of pairs) {
    const fresh = reportOf('runtime.v1', `runtime.v1.Signal.${newName}`);
    assert.match(fresh, new RegExp(`renamed from: ${oldName} in v0\\.37\\.0-alpha\\.1 \\(Kubernetes 1\\.37\\.0-alpha\\.1\\), keeping number ${n}\\n`), newName);
    assert.match(fresh, /Nothing changes on the wire/);
    assert.match(fresh, new RegExp(`Go code that uses Signal_${oldName} no longer builds \\(now Signal_${newName}\\)`));
    const old = reportOf('runtime.v1', `runtime.v1.Signal.${oldName}`);
    assert.match(old, new RegExp(`renamed to: {3}${newName} in v0\\.37\\.0-alpha\\.1 \\(Kubernetes 1\\.37\\.0-alpha\\.1\\), keeping number ${n}: not a removal on the wire`), oldName);
    assert.doesNotMatch(old, /removal:|breaking change/, `${oldName}: nothing is lost on the wire`);
    // On the wire the value is as old as its number: the skew statement is the old name's.
    const skew = (text: string): string => /skew: +(.*)/.exec(text)![1]!;
    assert.ok(skew(fresh).endsWith(skew(old)), `${newName}: ${skew(fresh)} vs ${oldName}: ${skew(old)}`);
  }
  // The summary counts them as renames, not as removals and additions.
  assert.match(historyReport(loadBundledHistory()), new RegExp(`\\n {2}v0\\.37\\.0-alpha\\.1 +1\\.37\\.0-alpha\\.1 +0 +0 +${pairs.length} `));
  const kill = reportOf('runtime.v1', 'runtime.v1.Signal.SIGNAL_SIGKILL');
  assert.match(kill, /skew: {9}number 13 came in v0\.33\.0-rc\.0 \(Kubernetes 1\.33\.0-rc\.0\) as SIGKILL: kubelets 1\.33\.0-rc\.0–1\.36 know it and can be paired with runtimes built from cri-api v0\.30–v0\.32 or v0\.33\.0-alpha\.0–v0\.33\.0-beta\.0, which do not\./);
  assert.doesNotMatch(kill, /v0\.34–v0\.36/);
  assert.match(kill, /releases 1\.33–1\.36 call it SIGKILL; only pre-releases call it SIGNAL_SIGKILL/);
});

test('element report: a field renamed with the same number and type (real files, one name changed)', (t) => {
  if (!corpus) return t.skip(CORPUS_HELP);
  // The corpus has no field rename; make one from two real releases: v0.36.0 with CDI_devices spelled cdi_devices.
  const text = (tag: string): string => corpus.text(corpus.rows.find((r) => r.tag === tag && r.path === V1_PATH)!.blob);
  const renamed = text('v0.36.0').replace(/\bCDI_devices = 17;/, 'cdi_devices = 17;');
  assert.notEqual(renamed, text('v0.36.0'));
  const h = buildHistoryFromModels([
    { release: { tag: 'v0.35.0', kubernetes: '1.35.0', prerelease: false }, model: bind(parse(text('v0.35.0')), 'v0.35.0').model },
    { release: { tag: 'v0.36.0', kubernetes: '1.36.0', prerelease: false }, model: bind(parse(renamed), 'v0.36.0').model },
  ]);
  const fresh = historyReport(h, 'runtime.v1.ContainerConfig.cdi_devices');
  assert.match(fresh, /renamed from: CDI_devices in v0\.36\.0 \(Kubernetes 1\.36\.0\), keeping number 17 and type runtime\.v1\.CDIDevice\n/);
  assert.match(fresh, /Nothing changes on the wire.*Go source break.*changes its key from "CDIDevices" to "cdiDevices"/);
  const old = historyReport(h, 'runtime.v1.ContainerConfig.CDI_devices');
  assert.match(old, /renamed to: {3}cdi_devices in v0\.36\.0 \(Kubernetes 1\.36\.0\), keeping number 17 and type runtime\.v1\.CDIDevice: not a removal on the wire/);
  assert.doesNotMatch(old, /removal:/);
  assert.doesNotMatch(old, /number reuse/);
  // A different type at the same number is no rename.
  const retyped = text('v0.36.0').replace(/repeated CDIDevice CDI_devices = 17;/, 'repeated string cdi_names = 17;');
  assert.notEqual(retyped, text('v0.36.0'));
  const h2 = buildHistoryFromModels([
    { release: { tag: 'v0.35.0', kubernetes: '1.35.0', prerelease: false }, model: bind(parse(text('v0.35.0')), 'v0.35.0').model },
    { release: { tag: 'v0.36.0', kubernetes: '1.36.0', prerelease: false }, model: bind(parse(retyped), 'v0.36.0').model },
  ]);
  assert.doesNotMatch(historyReport(h2, 'runtime.v1.ContainerConfig.cdi_names'), /renamed/);
  assert.match(historyReport(h2, 'runtime.v1.ContainerConfig.cdi_names'), /number reuse: field 17 was runtime\.v1\.CDIDevice CDI_devices before/);
});

test('element report: changes in patch releases are listed per release line', (t) => {
  if (!corpus) return t.skip(CORPUS_HELP);
  // From the corpus: for every element of runtime.v1, the patch tags whose facts (members' included for
  // containers) differ from the previous tag of the same minor.
  const tags = goTags(V1_PATH);
  const expected = new Map<string, string[]>();
  const composite = (f: Map<string, string>, p: string): string | undefined => {
    const own = f.get(p);
    if (own === undefined) return undefined;
    const members = [...f].filter(([q]) => q.startsWith(`${p}.`) && !q.slice(p.length + 1).includes('.') && /^\["(field|value|rpc)"/.test(f.get(q)!)).map(([q, x]) => `${q}=${x}`).sort();
    return `${own}|${members.join('|')}`;
  };
  for (let i = 1; i < tags.length; i++) {
    const v = minorOfTag(tags[i]!.tag);
    if (v.patch === 0) continue;
    let p = i - 1;
    while (p >= 0 && minorOfTag(tags[p]!.tag).minor !== v.minor) p--;
    if (p < 0 || tags[p]!.blob === tags[i]!.blob) continue;
    const a = facts(modelOf(tags[p]!.blob));
    const b = facts(modelOf(tags[i]!.blob));
    for (const k of new Set([...a.keys(), ...b.keys()])) {
      if (composite(a, k) === composite(b, k)) continue;
      let l = expected.get(k);
      if (!l) expected.set(k, (l = []));
      l.push(tags[i]!.tag);
    }
  }
  assert.deepEqual(expected.get('runtime.v1.KeyValue.value'), ['v0.34.9', 'v0.35.6', 'v0.36.2']);
  const h = loadBundledHistory();
  for (const element of h.elementPaths()) {
    const text = reportOf('runtime.v1', element);
    const listed = [...text.matchAll(/^ {16}(v0\.\d+\.\d+(?:-\S+)?) \(Kubernetes [^)]+\) — /gm)].map((m) => m[1]);
    assert.deepEqual(listed, expected.get(element) ?? [], `${element}\n${text}`);
  }
  const kv = reportOf('runtime.v1', 'runtime.v1.KeyValue.value');
  assert.match(kv, /in patches: {3}3 patch releases changed it on their own release line/);
  assert.match(kv, /\n {16}v0\.34\.9 \(Kubernetes 1\.34\.9\) — type string → bytes; v0\.34\.0–v0\.34\.8 have the earlier form\n/);
  assert.match(kv, /\n {16}v0\.35\.6 \(Kubernetes 1\.35\.6\) — type string → bytes; v0\.35\.0–v0\.35\.5 have the earlier form\n/);
  assert.match(kv, /\n {16}v0\.36\.2 \(Kubernetes 1\.36\.2\) — type string → bytes; v0\.36\.0–v0\.36\.1 have the earlier form\n/);
});

test('element report: declared options such as debug_redact count as changes', (t) => {
  if (!corpus) return t.skip(CORPUS_HELP);
  const h = loadBundledHistory();
  const tags = goTags(V1_PATH);
  const auth = (model: ApiModel) => model.messages.find((m) => m.fqn === 'runtime.v1.AuthConfig')!;
  for (const name of ['password', 'auth', 'identity_token', 'registry_token']) {
    // From the corpus: the first tag whose field is declared with [debug_redact = true].
    const first = tags.find(({ blob }) => auth(modelOf(blob)).fields.find((f) => f.name === name)?.node?.options.some((o) => o.name === 'debug_redact' && o.value === 'true'));
    assert.equal(first?.tag, 'v0.34.0-rc.0', name);
    const path = `runtime.v1.AuthConfig.${name}`;
    assert.equal(h.element(path)?.lastChanged, first.tag, path);
    const text = reportOf('runtime.v1', path);
    assert.match(text, /last changed: v0\.34\.0-rc\.0 \(Kubernetes 1\.34\.0-rc\.0\) — options \(none\) → \[debug_redact = true\]/, path);
    assert.match(text, /^runtime\.v1\.AuthConfig\.\w+ {2}\(field \d+ of runtime\.v1\.AuthConfig: string, JSON "\w+", \[debug_redact = true\]\)/, path);
    // Models from the index keep the option (the checks and the report read them from there).
    assert.deepEqual(declaredOptions(auth(h.modelAt('v0.34.0')!).fields.find((f) => f.name === name)!), ['debug_redact=true']);
    assert.deepEqual(declaredOptions(auth(h.modelAt('v0.33.0')!).fields.find((f) => f.name === name)!), []);
  }
  assert.match(reportOf('runtime.v1', 'runtime.v1.AuthConfig'), /last changed: v0\.34\.0-rc\.0 \(Kubernetes 1\.34\.0-rc\.0\) — fields changed: password, auth, identity_token, registry_token/);
  // The summary counts them as the four changed elements of v0.34.0-rc.0 (a release it left out before).
  assert.match(historyReport(h), /\n {2}v0\.34\.0-rc\.0 +1\.34\.0-rc\.0 +0 +0 +0 +4 +0\n/);
});

test('runtime.v1alpha2: releases that cri-api tagged only as kubernetes-1.N.M are in the history', (t) => {
  if (!corpus) return t.skip(CORPUS_HELP);
  // From the corpus: kubernetes-* tags of the v1alpha2 file without a v0.* twin (1.15.0-alpha.1 … 1.18.0-alpha.0).
  const rows = corpus.rows.filter((r) => r.path === V1ALPHA2_PATH);
  const go = new Set(rows.filter((r) => r.tag.startsWith('v0.')).map((r) => r.tag));
  const twinless = rows.filter((r) => r.tag.startsWith('kubernetes-') && !go.has(r.tag.replace('kubernetes-1.', 'v0.')));
  assert.equal(twinless.length, 48);
  const h = loadBundledHistory('runtime.v1alpha2');
  const blobOf = new Map(rows.map((r) => [r.tag, r.blob]));
  for (const { tag, blob } of twinless) {
    const release = h.releases.find((r) => r.tag === tag);
    assert.ok(release, tag);
    assert.equal(release.kubernetes, tag.slice('kubernetes-'.length), tag);
    assert.equal(release.prerelease, /-(alpha|beta|rc)\./.test(tag), tag);
    // Same model as a v0.* release with the same file, where there is one.
    const sameFile = rows.find((r) => r.tag.startsWith('v0.') && r.blob === blob);
    if (sameFile) assert.equal(h.modelAt(tag), h.modelAt(sameFile.tag), `${tag} and ${sameFile.tag}`);
  }
  assert.equal(blobOf.get('kubernetes-1.16.0'), blobOf.get('v0.16.4'));
  for (const form of ['1.16.0', 'v1.16.0']) assert.equal(h.modelAt(form), h.modelAt('kubernetes-1.16.0'), form);
  assert.equal(h.modelAt('v0.16.0'), h.modelAt('kubernetes-1.16.0'), 'the Go form of a version cri-api never tagged as such');
  // PodIP came in kubernetes-1.16.0-alpha.1: the corpus' first tag whose file declares it.
  const first = goTags(V1ALPHA2_PATH).find(({ blob }) => modelOf(blob).messages.some((m) => m.fqn === 'runtime.v1alpha2.PodIP'))!.tag;
  assert.equal(first, 'kubernetes-1.16.0-alpha.1');
  const text = historyReport(h, 'runtime.v1alpha2.PodIP');
  assert.match(text, /introduced: {3}kubernetes-1\.16\.0-alpha\.1 \(no v0\.16\.0-alpha\.1 Go module tag\); first stable release with it: kubernetes-1\.16\.0 \(no v0\.16\.0 Go module tag\)/);
  assert.match(text, /skew: {9}kubelets 1\.16\.0-alpha\.1–1\.19 know it and can be paired with runtimes built from cri-api v0\.15\.7 and later v0\.15 patches or kubernetes-1\.16\.0-alpha\.0 or from the CRI API of Kubernetes 1\.13–1\.14 \(older than kubernetes-1\.15\.0-alpha\.1, the first release in this history\) and 1\.15\.0–1\.15\.6 \(tagged in cri-api only as kubernetes-1\.N\.M, with no Go module tag\), which do not\./);
  assert.doesNotMatch(text, /v0\.13|v0\.16\.3/);
  // v0.16.4 follows kubernetes-1.16.4-beta.0 on its line, with the same file: no API change in a patch.
  assert.doesNotMatch(historyReport(h), /\n {2}v0\.16\.4 /);
  assert.doesNotMatch(historyReport(h, 'runtime.v1alpha2.PodSandboxNetworkStatus'), /v0\.16\.4|patch release/);
});

test('element report: the same text from a history without releaseStates (one model per release)', () => {
  // historyCommand builds one model per state of an element when the history says where states change; a
  // plain History (no releaseStates) takes the model of every release. Both must give the same report.
  for (const pkg of ['runtime.v1', 'runtime.v1alpha2']) {
    const h = loadBundledHistory(pkg);
    const plain: History = {
      package: h.package, releases: h.releases,
      fieldUses: (m) => h.fieldUses(m), enumValueUses: (e) => h.enumValueUses(e), element: (p) => h.element(p),
      modelAt: (t) => h.modelAt(t), newestRelease: (o) => h.newestRelease(o), elementPaths: () => h.elementPaths(),
    };
    const paths = h.elementPaths();
    const chosen = [...paths.filter((_, i) => i % 11 === 0), ...paths.filter((p) => /KeyValue|Signal\.SIG(NAL_SIG)?KILL$|ContainerEventResponse|AuthConfig|PodIP|PodSandboxNetworkStatus/.test(p))];
    for (const p of chosen) assert.equal(historyReport(plain, p), reportOf(pkg, p), p);
  }
});

test('elementLineage: stable minors and renames, for explanations outside the report', () => {
  const h = loadBundledHistory();
  const kill = elementLineage(h, 'runtime.v1.Signal.SIGNAL_SIGKILL')!;
  assert.deepEqual(kill.renames, [{
    from: 'SIGKILL', to: 'SIGNAL_SIGKILL', number: 13, tags: ['v0.37.0-alpha.1'],
    sourceBreak: 'The rename is a JSON and Go source break: the JSON/YAML form (crictl) spells the value "SIGKILL" before and "SIGNAL_SIGKILL" after, and Go code that uses Signal_SIGKILL no longer builds (now Signal_SIGNAL_SIGKILL).',
  }]);
  assert.deepEqual(kill.numberReuse, []);
  assert.equal(kill.wireIntroduced, 'v0.33.0-rc.0');
  assert.deepEqual(kill.stableMinors, [33, 34, 35, 36]);
  const { prereleasesWithIt, numberReuse, ...meta } = elementLineage(h, 'runtime.v1.ContainerEventResponse.pod_sandbox_metadata')!;
  // Number 4 went to pod_sandbox_status: the `number reuse` row of `history --element`.
  assert.deepEqual(numberReuse, [historyReport(h, 'runtime.v1.ContainerEventResponse.pod_sandbox_metadata').split('\n').find((l) => l.includes('number reuse:'))!.replace(/^ *number reuse: */, '')]);
  // The 1.26 alphas had it, no 1.25 pre-release before v0.25.0-beta.0 did.
  assert.equal(prereleasesWithIt(26), '1.26.0-alpha.3');
  assert.equal(prereleasesWithIt(25), undefined);
  assert.deepEqual(meta, {
    stableMinors: [25], renames: [], wireIntroduced: 'v0.25.0-beta.0', typeChanges: [],
    // Gone again: the `removal` row of `history --element`, which the hover shows too.
    removal: {
      lastSeen: 'v0.26.0-alpha.3', goneIn: 'v0.26.0-beta.0',
      // The 1.26 alphas still had it: runtimes lack it from v0.26.0-beta.0 on, and kubelets of those alphas reach v0.29.
      skew: 'runtimes built from cri-api v0.26.0-beta.0–v0.29 lack it but are in the window of kubelets 1.25 and 1.26.0-alpha.0–1.26.0-alpha.3, which had it and may still use it; within one major version that is a breaking change.',
    },
  });
  assert.equal(kill.removal, undefined, 'still released');
  assert.equal(elementLineage(h, 'runtime.v1.NoSuchThing'), undefined);
});
