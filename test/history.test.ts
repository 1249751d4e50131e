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
import { historyQuery, historyReport } from '../server/src/baseline/historyCommand';
import { fingerprintDoc } from '../server/src/docs/fingerprint';
import { bind } from '../server/src/proto/binder';
import type { ApiModel } from '../server/src/proto/model';
import { parse } from '../server/src/proto/parser';
import { goTagToKubernetes, sortTags } from '../server/src/policy/versions';

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

/** Tag → blob for the `v0.*` tags of one file, sorted by version (not trusting the file's order). */
function goTags(path: string): { tag: string; blob: string }[] {
  const rows = corpus!.rows.filter((r) => r.path === path && r.tag.startsWith('v0.'));
  const blobOf = new Map(rows.map((r) => [r.tag, r.blob]));
  return sortTags(rows.map((r) => r.tag)).map((tag) => ({ tag, blob: blobOf.get(tag)! }));
}

/** Element path → own facts, computed straight from a parsed model. */
function facts(model: ApiModel): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of model.messages) {
    out.set(m.fqn, JSON.stringify(['message', m.oneofs, m.reservedNumbers, m.reservedNames, !!m.deprecated]));
    for (const f of m.fields) out.set(`${m.fqn}.${f.name}`, JSON.stringify(['field', f.number, f.type, f.typeKind, f.label, f.oneof, f.jsonName, !!f.deprecated, f.packed]));
  }
  for (const e of model.enums) {
    out.set(e.fqn, JSON.stringify(['enum', e.reservedNumbers, e.reservedNames, !!e.deprecated]));
    for (const v of e.values) out.set(`${e.fqn}.${v.name}`, JSON.stringify(['value', v.number, !!v.deprecated]));
  }
  for (const s of model.services) {
    out.set(s.fqn, JSON.stringify(['service']));
    for (const r of s.rpcs) out.set(`${s.fqn}.${r.name}`, JSON.stringify(['rpc', r.request, r.response, r.requestStream, r.responseStream, !!r.deprecated]));
  }
  return out;
}

/** A model as plain comparable data: no syntax nodes, docs as fingerprints. */
function comparable(model: ApiModel): unknown {
  const doc = (d: { doc?: string; docFingerprint?: unknown }): unknown => d.docFingerprint ?? fingerprintDoc(d.doc) ?? null;
  return {
    package: model.package,
    syntax: model.syntax,
    messages: model.messages.map((m) => ({
      fqn: m.fqn, name: m.name, oneofs: m.oneofs, reservedNumbers: m.reservedNumbers, reservedNames: m.reservedNames, deprecated: !!m.deprecated, doc: doc(m),
      fields: m.fields.map((f) => ({
        name: f.name, number: f.number, type: f.type, typeKind: f.typeKind, label: f.label, oneof: f.oneof ?? null, jsonName: f.jsonName,
        deprecated: !!f.deprecated, packed: f.packed ?? null, doc: doc(f),
      })),
    })),
    enums: model.enums.map((e) => ({
      fqn: e.fqn, name: e.name, reservedNumbers: e.reservedNumbers, reservedNames: e.reservedNames, deprecated: !!e.deprecated, doc: doc(e),
      values: e.values.map((v) => ({ name: v.name, number: v.number, deprecated: !!v.deprecated, doc: doc(v) })),
    })),
    services: model.services.map((s) => ({
      fqn: s.fqn, name: s.name, doc: doc(s),
      rpcs: s.rpcs.map((r) => ({
        name: r.name, request: r.request, response: r.response, requestStream: r.requestStream, responseStream: r.responseStream,
        deprecated: !!r.deprecated, doc: doc(r),
      })),
    })),
  };
}

// ---- the bundled index alone ------------------------------------------------------------------------

test('bundled index: size, load time and lookup speed', () => {
  const bytes = statSync(INDEX).size;
  const t0 = performance.now();
  const h = loadBundledHistory();
  const loadMs = performance.now() - t0;
  const t1 = performance.now();
  loadBundledHistory('runtime.v1alpha2');
  const load2Ms = performance.now() - t1;
  const t2 = performance.now();
  const parseMs = (JSON.parse(readFileSync(INDEX, 'utf8')), performance.now() - t2);
  const paths = h.elementPaths();
  for (const p of paths) h.element(p);
  const n = 100_000;
  const t3 = performance.now();
  for (let i = 0; i < n; i++) h.element(paths[i % paths.length]!);
  const lookupUs = ((performance.now() - t3) * 1000) / n;
  const t4 = performance.now();
  h.modelAt('v0.36.3');
  const modelMs = performance.now() - t4;
  console.log(
    `history.json: ${bytes} bytes; first load (runtime.v1, JSON module + decode) ${loadMs.toFixed(1)} ms, runtime.v1alpha2 ${load2Ms.toFixed(1)} ms; ` +
    `JSON.parse of the file ${parseMs.toFixed(1)} ms; element() ${lookupUs.toFixed(3)} µs; first modelAt ${modelMs.toFixed(1)} ms`,
  );
  assert.ok(bytes < 1.5 * 1024 * 1024, `history.json is ${bytes} bytes`);
  assert.ok(loadMs < 30 * 5, `load took ${loadMs} ms`); // target 30 ms; generous bound for slow CI machines
  assert.ok(lookupUs < 50, `element() took ${lookupUs} µs`);
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
  assert.equal(old.releases[0]!.tag, 'v0.15.7');
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

test('history report for an element: introduced, last changed, last seen, skew', () => {
  const h = loadBundledHistory();
  const cdi = h.element('runtime.v1.ContainerConfig.CDI_devices')!;
  const text = historyReport(h, 'runtime.v1.ContainerConfig.cdi_devices');
  console.log(text);
  assert.match(text, /^runtime\.v1\.ContainerConfig\.CDI_devices {2}\(field 17 of runtime\.v1\.ContainerConfig: repeated runtime\.v1\.CDIDevice/);
  assert.match(text, /proto names are case-sensitive/);
  assert.ok(text.includes(`introduced:   ${cdi.introduced} (Kubernetes ${goTagToKubernetes(cdi.introduced)})`));
  assert.match(text, /last seen: {4}still present/);
  assert.match(text, /skew: {9}kubelets 1\.27–1\.29 know it and can be paired with runtimes built on cri-api v0\.24–v0\.26, which do not\./);
  assert.ok(text.includes('https://www.kubernetes.dev/docs/code/cri-api-version-skew-policy/'));

  const rpc = historyReport(h, 'runtime.v1.RuntimeService.UpdatePodSandboxResources');
  assert.match(rpc, /Unimplemented/);
  const kv = historyReport(h, 'runtime.v1.KeyValue.value');
  assert.match(kv, /last changed: v0\.37\.0-alpha\.1 \(Kubernetes 1\.37\.0-alpha\.1\) — type string → bytes/);
  const removed = historyReport(h, 'runtime.v1.ContainerEventResponse.pod_sandbox_metadata');
  assert.match(removed, /last seen: {4}v0\.26\.0-alpha\.3 \(Kubernetes 1\.26\.0-alpha\.3\); not in v0\.26\.0-beta\.0 or later/);
  const old = historyReport(h, 'ContainerConfig');
  assert.match(old, /^runtime\.v1\.ContainerConfig {2}\(message/, 'the package prefix is optional');
  assert.match(old, /every stable runtime that speaks runtime\.v1 has it/);
});

test('history report: unknown elements get an error with suggestions', () => {
  const h = loadBundledHistory();
  const r = historyQuery(h, 'runtime.v1.ContainerConfig.cdi_device');
  assert.equal(r.ok, false);
  assert.match(r.text, /^error: unknown element "runtime\.v1\.ContainerConfig\.cdi_device" in runtime\.v1/);
  assert.match(r.text, /Did you mean "runtime\.v1\.ContainerConfig\.CDI_devices"\?/);
  assert.match(historyReport(h, 'runtime.v1.RuntimeService.UpdatePodSandboxResource'), /Did you mean "runtime\.v1\.RuntimeService\.UpdatePodSandboxResources"/);
  assert.match(historyReport(h, 'runtime.v1alpha2.PodSandboxConfig'), /names package runtime\.v1alpha2; this history covers runtime\.v1\)\. Did you mean "runtime\.v1\.PodSandboxConfig"\?/);
  assert.match(historyReport(h, 'zzzzzzzz'), /^error: unknown element "zzzzzzzz"/);
});

test('history summary: releases and per-release counts', () => {
  const h = loadBundledHistory();
  const text = historyReport(h);
  console.log(text.split('\n').slice(0, 12).join('\n'));
  assert.match(text, /^runtime\.v1: 463 releases, v0\.20\.0-beta\.2 \(Kubernetes 1\.20\.0-beta\.2\) \.\. v0\.37\.0-beta\.0/);
  assert.match(text, /newest stable: v0\.36\.3 \(Kubernetes 1\.36\.3\)/);
  // The KeyValue.value type change in v0.34.9 shows as a changed element in a patch release.
  assert.match(text, /\n {2}v0\.34\.9 +1\.34\.9 +0 +0 +1 +\d+ {2}\* patch release/);
  assert.match(text, /without API or doc changes not shown/);
  const old = historyReport(loadBundledHistory('runtime.v1alpha2'));
  assert.match(old, /^runtime\.v1alpha2: 409 releases, v0\.15\.7/);
  assert.equal((old.match(/\(first release\)/g) ?? []).length, 1, 'later minors compare with an earlier release even when their line starts mid-way');
});

test('history report on runtime.v1alpha2: the index start and the package removal', () => {
  const h = loadBundledHistory('runtime.v1alpha2');
  const text = historyReport(h, 'runtime.v1alpha2.LinuxContainerSecurityContext.apparmor_profile');
  assert.match(text, /introduced: {3}v0\.15\.7 \(Kubernetes 1\.15\.7\) \(the oldest release in this history; it may be older\)/);
  assert.match(text, /last changed: v0\.20\.0-beta\.2 \(Kubernetes 1\.20\.0-beta\.2\) — deprecated false → true/);
  assert.match(text, /last seen: {4}v0\.26\.0-alpha\.3 \(Kubernetes 1\.26\.0-alpha\.3\), the last release of runtime\.v1alpha2 \(removed in Kubernetes 1\.26\)/);
  assert.match(text, /skew: {9}not known/);
  assert.match(historyReport(h, 'runtime.v1alpha2.RuntimeService.ListPodSandboxStats'), /kubelets 1\.23–1\.25 know it and can be paired with runtimes built on cri-api v0\.20–v0\.22/);
});
