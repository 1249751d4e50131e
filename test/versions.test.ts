// Version tags, their mapping and ordering, and the kubelet ↔ runtime skew window.
// Build and run alone:
//   npx esbuild test/versions.test.ts --bundle --platform=node --format=cjs --outfile=out/test/versions.test.js --sourcemap=inline && node --test out/test/versions.test.js
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compareTags, goTagToKubernetes, inSkewWindow, isPatchRelease, isPrerelease, kubeletWindowForRuntime, kubernetesRepoTag,
  kubernetesToGoTag, minorOf, parseAnyTag, parseCriApiTag, parseGoTag, parseKubernetesTag, releaseLinePredecessor, removalSkew,
  runtimeWindowForKubelet, sortTags, targetMinor, whoLacks, shipTarget,
} from '../server/src/policy/versions';
import { checkCompatibility } from '../server/src/compat/check';
import type { Baseline } from '../server/src/baseline/types';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import * as links from '../server/src/policy/links';
import { Corpus, findCorpusDir, CORPUS_HELP, findRepoRoot } from '../server/src/baseline/corpus';

const repoRoot = (): string => findRepoRoot(__dirname);

test('parseGoTag accepts v0.N.M with alpha/beta/rc pre-releases only', () => {
  const v = parseGoTag('v0.36.3')!;
  assert.equal(v.minor, 36);
  assert.equal(v.patch, 3);
  assert.equal(v.prerelease, undefined);
  assert.equal(v.kubernetes, '1.36.3');
  assert.equal(v.goTag, 'v0.36.3');
  assert.equal(v.form, 'go');
  const b = parseGoTag('v0.37.0-beta.0')!;
  assert.equal(b.prerelease, 'beta');
  assert.equal(b.prereleaseNumber, 0);
  assert.equal(b.kubernetes, '1.37.0-beta.0');
  assert.equal(parseGoTag('v0.15.8-rc.12')?.prereleaseNumber, 12);
  for (const bad of ['v1.36.3', 'v0.36', '0.36.3', 'v0.36.3-foo.1', 'v0.36.3-alpha', 'v0.036.1', 'kubernetes-1.36.3', 'v0.36.3+meta', '']) {
    assert.equal(parseGoTag(bad), undefined, bad);
  }
});

test('parseKubernetesTag accepts kubernetes-1.N.M, v1.N.M and 1.N.M', () => {
  assert.equal(parseKubernetesTag('kubernetes-1.15.0-alpha.1')?.goTag, 'v0.15.0-alpha.1');
  assert.equal(parseKubernetesTag('v1.36.3')?.goTag, 'v0.36.3');
  assert.equal(parseKubernetesTag('1.31.0-rc.1')?.goTag, 'v0.31.0-rc.1');
  assert.equal(parseKubernetesTag('v1.36.3')?.form, 'kubernetes');
  for (const bad of ['v0.36.3', 'kubernetes-2.0.0', 'kubernetes-1.36', 'v1.36.3-gke.1', 'release-1.36']) assert.equal(parseKubernetesTag(bad), undefined, bad);
  assert.equal(parseAnyTag('v0.20.0')?.kubernetes, '1.20.0');
  assert.equal(parseAnyTag('kubernetes-1.20.0')?.goTag, 'v0.20.0');
});

test('parseCriApiTag: the cri-api repository tags, v0.N.M and its kubernetes-1.N.M twin', () => {
  assert.equal(parseCriApiTag('v0.33.0')?.goTag, 'v0.33.0');
  assert.equal(parseCriApiTag('kubernetes-1.33.0')?.goTag, 'v0.33.0');
  assert.equal(parseCriApiTag('kubernetes-1.37.0-beta.0')?.goTag, 'v0.37.0-beta.0');
  // v1.N.M is a kubernetes/kubernetes ref, 1.N.M a version: neither is a tag of cri-api.
  for (const other of ['v1.33.0', '1.33.0', 'kubernetes-1.33', 'main']) assert.equal(parseCriApiTag(other), undefined, other);
});

test('v0.N.M maps to Kubernetes 1.N.M and back', () => {
  assert.equal(goTagToKubernetes('v0.36.3'), '1.36.3');
  assert.equal(goTagToKubernetes('v0.26.0-alpha.3'), '1.26.0-alpha.3');
  assert.equal(kubernetesToGoTag('1.36.3'), 'v0.36.3');
  assert.equal(kubernetesToGoTag('v1.36.3'), 'v0.36.3');
  assert.equal(kubernetesToGoTag('kubernetes-1.37.0-beta.0'), 'v0.37.0-beta.0');
  assert.equal(kubernetesToGoTag('v0.36.3'), 'v0.36.3');
  assert.equal(kubernetesRepoTag('v0.36.3'), 'v1.36.3');
  assert.equal(goTagToKubernetes('not-a-tag'), undefined);
  assert.equal(minorOf('kubernetes-1.18.0-alpha.0'), 18);
  for (const t of ['v0.20.0-beta.2', 'v0.36.3', 'v0.15.8-beta.1']) assert.equal(kubernetesToGoTag(goTagToKubernetes(t)!), t);
});

test('tags order by version: numeric minors, alpha < beta < rc < stable, both forms together', () => {
  assert.ok(compareTags('v0.9.0', 'v0.10.0') < 0);
  assert.ok(compareTags('v0.31.0-alpha.3', 'v0.31.0-beta.0') < 0);
  assert.ok(compareTags('v0.31.0-beta.2', 'v0.31.0-rc.0') < 0);
  assert.ok(compareTags('v0.31.0-rc.1', 'v0.31.0') < 0);
  assert.ok(compareTags('v0.31.0', 'v0.31.1-rc.0') < 0);
  assert.ok(compareTags('v0.31.12', 'v0.32.0-alpha.0') < 0);
  assert.ok(compareTags('v0.31.0-alpha.10', 'v0.31.0-alpha.9') > 0);
  assert.equal(compareTags('v0.31.0', 'kubernetes-1.31.0'), 0);
  assert.equal(compareTags('v0.31.0', 'v1.31.0'), 0);
  assert.ok(compareTags('v0.31.0', 'kubernetes-1.30.9') > 0);
  assert.ok(compareTags('v0.31.0', 'junk') < 0, 'non-versions sort last');
  assert.deepEqual(sortTags(['v0.20.0', 'v0.20.0-rc.0', 'v0.19.10', 'v0.19.9', 'v0.20.0-beta.2', 'v0.20.1-rc.0']),
    ['v0.19.9', 'v0.19.10', 'v0.20.0-beta.2', 'v0.20.0-rc.0', 'v0.20.0', 'v0.20.1-rc.0']);
});

test('the corpus lists its tags in the order sortTags gives', (t) => {
  const dir = findCorpusDir(repoRoot());
  if (!dir) return t.skip(CORPUS_HELP);
  const corpus = new Corpus(dir);
  const go = [...new Set(corpus.rows.filter((r) => r.tag.startsWith('v0.')).map((r) => r.tag))];
  assert.deepEqual(sortTags(go), go);
  for (const r of corpus.rows) {
    const v = parseAnyTag(r.tag);
    assert.ok(v, `unparsed corpus tag ${r.tag}`);
    assert.equal(isPrerelease(r.tag), r.prerelease, r.tag);
  }
});

test('isPatchRelease: M > 0, pre-releases of a patch included', () => {
  assert.equal(isPatchRelease('v0.36.0'), false);
  assert.equal(isPatchRelease('v0.36.3'), true);
  assert.equal(isPatchRelease('v0.36.0-rc.1'), false);
  assert.equal(isPatchRelease('v0.15.8-beta.0'), true);
  assert.equal(isPatchRelease('kubernetes-1.36.2'), true);
  assert.equal(isPatchRelease('main'), false);
});

test('release-line predecessor: patches follow their minor, .0 tags follow the .0 line', () => {
  const tags = ['v0.31.0-rc.1', 'v0.31.0', 'v0.31.1', 'v0.31.2-rc.0', 'v0.31.2', 'v0.32.0-alpha.0', 'v0.32.0', 'v0.32.1'];
  const pred = tags.map((_, i) => releaseLinePredecessor(tags, i));
  assert.deepEqual(pred, [undefined, 0, 1, 2, 3, 1, 5, 6]);
  // A history that starts mid-line falls back to the semver neighbour.
  const partial = ['v0.15.7', 'v0.16.4', 'v0.17.0', 'v0.17.1'];
  assert.deepEqual(partial.map((_, i) => releaseLinePredecessor(partial, i)), [undefined, 0, 1, 2]);
});

test('skew window: kubelet 1.K with runtimes v0.(K-3) … v0.(K+3) (policy examples)', () => {
  assert.deepEqual(runtimeWindowForKubelet(26), { min: 23, max: 29 });
  assert.deepEqual(kubeletWindowForRuntime(25), { min: 22, max: 28 });
  assert.ok(inSkewWindow(26, 23));
  assert.ok(inSkewWindow(22, 25), 'kubelet 1.22 with a runtime at v0.25.5');
  assert.ok(!inSkewWindow(26, 22));
  assert.ok(!inSkewWindow(22, 26));
  assert.deepEqual(runtimeWindowForKubelet(2), { min: 0, max: 5 }, 'clamped at 0');
});

test('whoLacks: brute force over the window agrees', () => {
  for (let n = 5; n <= 40; n++) {
    for (const firstMinor of [0, 20]) {
      const lackingRuntimes: number[] = [];
      for (let r = 0; r < n; r++) if (r >= firstMinor) lackingRuntimes.push(r);
      const kubelets: number[] = [];
      for (let k = n; k <= n + 10; k++) if (lackingRuntimes.some((r) => inSkewWindow(k, r))) kubelets.push(k);
      const runtimes = lackingRuntimes.filter((r) => kubelets.some((k) => inSkewWindow(k, r)));
      const got = whoLacks(n, firstMinor);
      if (!kubelets.length) {
        assert.equal(got.kubelets, undefined, `n=${n} first=${firstMinor}`);
        assert.equal(got.runtimes, undefined);
        continue;
      }
      assert.deepEqual(got.kubelets, { min: kubelets[0], max: kubelets[kubelets.length - 1] }, `n=${n} first=${firstMinor}`);
      assert.deepEqual(got.runtimes, { min: runtimes[0], max: runtimes[runtimes.length - 1] }, `n=${n} first=${firstMinor}`);
    }
  }
});

test('whoLacks: edge cases', () => {
  // Introduced in 1.31: runtimes v0.28–v0.30 lack it; kubelets 1.31–1.33 can meet them; 1.34 starts at v0.31.
  assert.deepEqual(whoLacks(31), { introduced: { minor: 31, patch: 0 }, kubelets: { min: 31, max: 33 }, runtimes: { min: 28, max: 30 } });
  assert.ok(!inSkewWindow(34, 30));
  assert.deepEqual(whoLacks('v0.31.0-alpha.1'), whoLacks(31));
  assert.deepEqual(whoLacks('kubernetes-1.31.0'), whoLacks(31));
  // Introduced in a patch: earlier patches of the same minor lack it too (kubelets as well as runtimes), so kubelet
  // 1.(N+3) is affected, and of the kubelets 1.N only those of that patch on know it.
  assert.deepEqual(whoLacks('v0.34.9'), { introduced: { minor: 34, patch: 9 }, kubelets: { min: 34, max: 37, minPatch: 9 }, runtimes: { min: 31, max: 34, maxPatch: 8 } });
  // As old as the major version: nothing of that major lacks it.
  assert.deepEqual(whoLacks(20, 20), { introduced: { minor: 20, patch: 0 } });
  // One minor after the major version started: only v0.20 runtimes lack it.
  assert.deepEqual(whoLacks(21, 20), { introduced: { minor: 21, patch: 0 }, kubelets: { min: 21, max: 23 }, runtimes: { min: 20, max: 20 } });
  assert.deepEqual(whoLacks(0), { introduced: { minor: 0, patch: 0 } });
  assert.throws(() => whoLacks('main'), /not a cri-api or Kubernetes version/);
});

test('whoLacks: a patch of an older line with more than SKEW minors released since, without it', () => {
  // v0.32.14 with 1.33–1.36 out: kubelets 1.37–1.40 (to come) can meet runtimes v0.34–v0.36, kubelets of 1.32 those of
  // v0.33–v0.35, so every runtime of v0.33–v0.36 counts, and the kubelets to come with them.
  assert.deepEqual(whoLacks('v0.32.14', 20, Infinity, [], { min: 33, max: 36 }), {
    introduced: { minor: 32, patch: 14 },
    kubelets: { min: 32, max: 39, minPatch: 14, resume: 37 },
    runtimes: { min: 29, max: 32, maxPatch: 13, later: { min: 33, max: 36 } },
  });
  // v0.29.N with 1.30–1.36 out: no kubelet that knows it can meet a v0.33 runtime (1.29's window ends at v0.32, 1.37's
  // starts at v0.34), so only the window of 1.29 is counted.
  assert.deepEqual(whoLacks('v0.29.20', 20, Infinity, [], { min: 30, max: 36 }), {
    introduced: { minor: 29, patch: 20 },
    kubelets: { min: 29, max: 29, minPatch: 20 },
    runtimes: { min: 26, max: 29, maxPatch: 19, later: { min: 30, max: 32 } },
  });
});

test('removalSkew mirrors whoLacks', () => {
  assert.deepEqual(removalSkew(37), { kubelets: { min: 34, max: 36 }, runtimes: { min: 37, max: 39 } });
  for (let k = 34; k <= 36; k++) assert.ok(inSkewWindow(k, 37));
  assert.ok(!inSkewWindow(33, 37));
});

test('links are the policy URLs', (t) => {
  const urls = [links.CRI_SKEW_POLICY_URL, links.CRI_DEV_POLICY_URL, links.CRI_CONCEPT_URL, links.CRITEST_VALIDATION_URL];
  for (const u of urls) assert.match(u, /^https:\/\/[^\s]+$/);
  assert.equal(links.criApiFileUrl('v0.36.3'), 'https://github.com/kubernetes/cri-api/blob/v0.36.3/pkg/apis/runtime/v1/api.proto');
  const policy = join(repoRoot(), '..', 'shared', 'policy', 'POLICY.md');
  if (!existsSync(policy)) return t.skip(`${policy} not found: the project's policy summary lives beside the corpus (../shared/policy/ of the checkout, as in CI); the links were checked for form only`);
  const text = readFileSync(policy, 'utf8');
  for (const u of urls) assert.ok(text.includes(u), `${u} is in POLICY.md`);
});

// ---- the patch-release policy's use of tags ------------------------------------------------------------

const PATCH_BASE = `syntax = "proto3";
package runtime.v1;
// M is a message.
message M {
    // a is a field.
    string a = 1;
    // b is a field.
    string b = 2;
}
`;
const patchModel = (text: string) => bind(parse(text), 'base').model;
const patchFindings = (cur: string, baseline: Baseline, currentTag?: string): string[] =>
  checkCompatibility(cur, bind(parse(cur), 'cur'), baseline, currentTag ? { currentTag } : {}).findings
    .filter((f) => f.rule === 'PATCH_RELEASE_API_CHANGE').map((f) => f.message);

test('patch-release policy: both tag forms name a patch release (pairs TAG=FILE, --current-tag)', () => {
  const cur = PATCH_BASE.replace('    string b = 2;\n', '    string b = 2;\n    // c is new.\n    string c = 3;\n');
  for (const [from, to] of [['v0.36.3', 'kubernetes-1.36.4'], ['kubernetes-1.36.3', 'kubernetes-1.36.4'], ['kubernetes-1.36.3', 'v0.36.4']]) {
    const baseline: Baseline = { tag: from!, source: 'path', origin: 'test', model: patchModel(PATCH_BASE) };
    assert.deepEqual(patchFindings(cur, baseline, to), [`1 API change between ${from} and the patch release ${to}; patch releases should not change the API`], `${from} → ${to}`);
  }
  const baseline: Baseline = { tag: 'kubernetes-1.36.3', source: 'path', origin: 'test', model: patchModel(PATCH_BASE) };
  assert.deepEqual(patchFindings(cur, baseline, 'kubernetes-1.37.0'), [], 'a new minor may change the API');
  // A pre-release of a patch is a patch release too (isPatchRelease, the history summary); see the last tests.
  assert.deepEqual(patchFindings(cur, baseline, 'kubernetes-1.36.4-rc.0'),
    ['1 API change between kubernetes-1.36.3 and the patch pre-release kubernetes-1.36.4-rc.0; patch releases should not change the API']);
});

test('patch-release policy: a deleted field is one change, though it breaks two rules', () => {
  // Deleting b is FIELD_NO_DELETE and FIELD_REMOVED_WITHOUT_DEPRECATION; adding c is one more change.
  const cur = PATCH_BASE.replace('    // b is a field.\n    string b = 2;\n', '    // c is new.\n    string c = 3;\n');
  const baseline: Baseline = { tag: 'v0.36.3', source: 'path', origin: 'test', model: patchModel(PATCH_BASE) };
  const rules = checkCompatibility(cur, bind(parse(cur), 'cur'), baseline).findings.map((f) => f.rule);
  assert.ok(rules.includes('FIELD_NO_DELETE') && rules.includes('FIELD_REMOVED_WITHOUT_DEPRECATION'), rules.join());
  assert.deepEqual(patchFindings(cur, baseline, 'v0.36.4'), ['2 API changes between v0.36.3 and the patch release v0.36.4; patch releases should not change the API']);
  // The same count on a release line past the baseline.
  const line: Baseline = { ...baseline, releaseLine: 36 };
  assert.deepEqual(patchFindings(cur, line), ['2 API changes since v0.36.3 on the 1.36 release line, which ship in a patch release; patch releases should not change the API']);
});

// ---- the release being prepared, and patch pre-releases ------------------------------------------------------

test('targetMinor: pre-releases of v0.N.0 ship in 1.N; releases and pre-releases of a patch in 1.(N+1)', () => {
  const cases: [string, number | undefined][] = [
    ['v0.36.3', 37], ['v0.36.0', 37], ['v0.37.0-alpha.1', 37], ['v0.37.0-beta.0', 37], ['v0.37.0-rc.2', 37],
    ['v0.25.5-rc.0', 26], ['v0.25.1-beta.0', 26], ['kubernetes-1.25.5-rc.0', 26], ['v1.26.0-rc.0', 26], ['1.26.4', 27],
    ['main', undefined], ['v0.36', undefined],
  ];
  for (const [tag, minor] of cases) assert.equal(targetMinor(tag), minor, tag);
  assert.equal(targetMinor(parseAnyTag('v0.25.5-rc.0')!), 26, 'a parsed version too');
  // After any patch (released or not) minor N has shipped: the target is always a later minor.
  for (const [tag, minor] of cases) if (isPatchRelease(tag)) assert.ok(minor! > parseAnyTag(tag)!.minor, tag);
});

test('patch-release policy: a pre-release of a patch (v0.N.M-rc.K, M > 0) is a patch release, as isPatchRelease says', () => {
  const cur = PATCH_BASE.replace('    string b = 2;\n', '    string b = 2;\n    // c is new.\n    string c = 3;\n');
  const baseline: Baseline = { tag: 'v0.25.4', source: 'path', origin: 'test', model: patchModel(PATCH_BASE) };
  const rc = patchFindings(cur, baseline, 'v0.25.5-rc.0');
  assert.deepEqual(rc, ['1 API change between v0.25.4 and the patch pre-release v0.25.5-rc.0; patch releases should not change the API']);
  assert.equal(patchFindings(cur, baseline, 'v0.25.5').length, 1, 'the same as the release');
  for (const tag of ['v0.25.5-rc.0', 'v0.25.5-beta.1', 'v0.25.5']) assert.equal(patchFindings(cur, baseline, tag).length > 0, isPatchRelease(tag), tag);
  // The .0 line's pre-releases are where API changes belong.
  const dotZero: Baseline = { ...baseline, tag: 'v0.26.0-beta.0' };
  for (const tag of ['v0.26.0-rc.0', 'v0.26.0']) {
    assert.equal(isPatchRelease(tag), false, tag);
    assert.deepEqual(patchFindings(cur, dotZero, tag), [], tag);
  }
  assert.deepEqual(patchFindings(PATCH_BASE, baseline, 'v0.25.5-rc.0'), [], 'no change, no finding');
});

test('shipTarget: the file\'s own release, else the next patch of its release line, else the next minor', () => {
  const goTag = (t: ReturnType<typeof shipTarget>) => t && { minor: t.minor, exact: t.exact?.goTag };
  assert.deepEqual(goTag(shipTarget({ tag: 'v0.35.7', release: 'kubernetes-1.35.9' })), { minor: 35, exact: 'v0.35.9' });
  assert.deepEqual(goTag(shipTarget({ tag: 'v0.35.7', releaseLine: 35 })), { minor: 35, exact: 'v0.35.8' });
  assert.deepEqual(goTag(shipTarget({ tag: 'v0.35.0', releaseLine: 35 })), { minor: 35, exact: 'v0.35.1' });
  // After the next patch's pre-release, that patch.
  assert.deepEqual(goTag(shipTarget({ tag: 'v0.35.8-rc.0', releaseLine: 35 })), { minor: 35, exact: 'v0.35.8' });
  // Off the line (or on another line than the baseline's): the next minor, as shipMinor says.
  assert.deepEqual(goTag(shipTarget({ tag: 'v0.35.7' })), { minor: 36, exact: undefined });
  assert.deepEqual(goTag(shipTarget({ tag: 'v0.35.7', releaseLine: 36 })), { minor: 36, exact: undefined });
  assert.deepEqual(goTag(shipTarget({ tag: 'v0.36.0-rc.0' })), { minor: 36, exact: undefined });
});
